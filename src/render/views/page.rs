//! A plain page (`kind: page`): its text and who links to it.

use serde::Serialize;

use super::parts::{BodyClause, DateView, PageRef, body_clauses, date, page_ref};
use crate::diagnostics::Diagnostic;
use crate::model::{PageKind, Site};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::pages::Lookups;

/// `page.html`'s `page`.
#[derive(Serialize)]
pub struct PlainView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub date: Option<DateView>,
    pub clauses: Vec<BodyClause<'a>>,
    pub backlinks: Vec<PageRef<'a>>,
}

pub fn job<'a>(site: &'a Site, lookups: &'a Lookups, index: usize) -> PageJob<'a> {
    PageJob::fallible(
        "page.html",
        site.pages[index].url.clone(),
        Owner::Page(index),
        move || super::context("page.html", &view(site, lookups, index)?),
    )
}

pub fn view<'a>(
    site: &'a Site,
    lookups: &Lookups,
    index: usize,
) -> Result<PlainView<'a>, Diagnostic> {
    let page = &site.pages[index];
    let PageKind::Plain(meta) = &page.kind else {
        return Err(Diagnostic::error(&page.source.name, "not a plain page"));
    };
    let url = page.url.as_str();
    Ok(PlainView {
        title: &meta.title,
        description: meta.summary.as_deref().unwrap_or(&meta.title),
        date: date(meta.date),
        clauses: body_clauses(site, url, page)?,
        backlinks: lookups
            .backlinks()
            .to_page(index)
            .into_iter()
            .map(|s| page_ref(site, url, s))
            .collect(),
    })
}
