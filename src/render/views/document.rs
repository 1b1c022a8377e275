//! A related document's page: what it is, who sent it, what it concerns and its text.

use serde::Serialize;

use super::parts::{self, BodyClause, DateView, PageRef, ProvenanceView, date, page_ref};
use crate::content::links::relative_url;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::model::meta::Signatory;
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::pages::Lookups;
use crate::routes;

/// `document.html`'s `page`.
#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub title: &'a str,
    pub description: String,
    /// The document's type in Swedish: `remissvar`.
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    pub organisation: &'a str,
    pub date: Option<DateView>,
    /// Where the date comes from, when the source gives none of its own.
    pub date_note: Option<&'a str>,
    pub dnr: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// The versions it concerns.
    pub concerns: Vec<Concern>,
    pub signatories: &'a [Signatory],
    pub clauses: Vec<BodyClause<'a>>,
    pub backlinks: Vec<PageRef<'a>>,
    pub source: ProvenanceView<'a>,
    pub akn_url: String,
}

/// A version a document concerns.
#[derive(Serialize)]
pub struct Concern {
    /// `Överenskommelsen (2013)`.
    pub title: String,
    pub url: String,
}

pub fn job<'a>(site: &'a Site, lookups: &'a Lookups, index: usize) -> PageJob<'a> {
    PageJob::fallible(
        "document.html",
        site.pages[index].url.clone(),
        Owner::Page(index),
        move || super::context("document.html", &view(site, lookups, index)?),
    )
}

pub fn view<'a>(
    site: &'a Site,
    lookups: &Lookups,
    index: usize,
) -> Result<DocumentView<'a>, Diagnostic> {
    let page = &site.pages[index];
    let meta = page
        .document()
        .ok_or_else(|| Diagnostic::error(&page.source.name, "not a document"))?;
    let url = page.url.as_str();
    let concerns = meta
        .concerns
        .iter()
        .filter_map(|c| {
            let (work, version) = c.split_once('/')?;
            let target = site.version(work, version)?;
            let work = site.work(work)?;
            Some(Concern {
                title: format!("{} ({})", work.short_title, version),
                url: relative_url(url, &target.url),
            })
        })
        .collect();
    Ok(DocumentView {
        title: &meta.title,
        description: meta
            .summary
            .clone()
            .unwrap_or_else(|| format!("{} från {}", meta.doc_type.swedish(), meta.organisation)),
        doc_type: meta.doc_type.swedish(),
        organisation: &meta.organisation,
        date: date(Some(meta.date)),
        date_note: meta.date_note.as_deref(),
        dnr: meta.dnr.as_deref(),
        summary: meta.summary.as_deref(),
        concerns,
        signatories: &meta.signatories,
        clauses: parts::body_clauses(site, url, page)?,
        backlinks: lookups
            .backlinks()
            .to_page(index)
            .into_iter()
            .map(|s| page_ref(site, url, s))
            .collect(),
        source: parts::provenance(site, url, &meta.source),
        akn_url: relative_url(url, &routes::document_akn(&page.url)),
    })
}
