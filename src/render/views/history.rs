//! A clause's history: its wording in every version of its work that has it, with the
//! changes between them and the editors' notes on its lineage.

use serde::Serialize;

use super::parts::{DateView, date};
use crate::compare::{Alignment, Lineage};
use crate::content::links::relative_url;
use crate::diagnostics::Diagnostic;
use crate::model::body::Clause;
use crate::model::{Site, Work};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::markdown::{inline_markdown, prefixed_clause_html};
use crate::render::pages::Lookups;
use crate::render::status::{self, LineageStep};
use crate::routes;

/// `history.html`'s `page`.
#[derive(Serialize)]
pub struct HistoryView<'a> {
    pub title: String,
    pub description: String,
    pub work: WorkTitles<'a>,
    /// Every version of the work, oldest first.
    pub entries: Vec<Entry<'a>>,
    /// The editors' notes on the lineage's steps.
    pub notes_html: Vec<String>,
}

#[derive(Serialize)]
pub struct WorkTitles<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
}

/// One version: the clause's wording there (none where the version lacks it).
#[derive(Serialize)]
pub struct Entry<'a> {
    pub version: &'a str,
    pub date: Option<DateView>,
    pub clauses: Vec<EntryClause<'a>>,
    pub version_url: String,
    /// What changed from the version before.
    pub change: Option<LineageStep<'a>>,
}

#[derive(Serialize)]
pub struct EntryClause<'a> {
    pub id: &'a str,
    pub label: String,
    pub title: &'a str,
    pub html: String,
    pub url: String,
}

/// The history page of every lineage that spans more than one clause.
pub fn jobs<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    only_work: Option<&str>,
) -> Vec<PageJob<'a>> {
    alignment
        .lineages
        .iter()
        .enumerate()
        .filter(|(_, l)| l.members.len() > 1)
        .filter(|(_, l)| only_work.is_none_or(|work| l.work == work))
        .filter_map(|(lineage_index, lineage)| {
            let work = site.work(&lineage.work)?;
            Some(PageJob::fallible(
                "history.html",
                routes::history(&work.id, &lineage.key),
                Owner::History(lineage),
                move || {
                    super::context(
                        "history.html",
                        &view(site, alignment, lookups, work, (lineage_index, lineage))?,
                    )
                },
            ))
        })
        .collect()
}

pub fn view<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &Lookups,
    work: &'a Work,
    (lineage_index, lineage): (usize, &Lineage),
) -> Result<HistoryView<'a>, Diagnostic> {
    let url = routes::history(&work.id, &lineage.key);
    // Named for the clause in every version it is in, not by its first number.
    let versions = status::lineage_versions(site, work, &lineage.members);
    let name = status::lineage_name(site, &versions);
    let mut changes =
        status::lineage_steps(site, alignment, work, &lineage.members, &versions, &url);
    let entries = work
        .versions
        .iter()
        .map(|&p| {
            let page = &site.pages[p];
            let v = page.version().map_or("", |v| v.version.as_str());
            let members: Vec<&Clause> = lineage
                .members
                .iter()
                .filter(|(mp, _)| *mp == p)
                .filter_map(|(_, id)| page.body.clause(id))
                .collect();
            // Only a version that has the clause is read again.
            let text = if members.is_empty() {
                None
            } else {
                Some(lookups.version_text(site, p)?)
            };
            let clauses = members
                .into_iter()
                .map(|c| EntryClause {
                    id: &c.id,
                    label: c.label(),
                    title: &c.title,
                    // Several versions' texts stand on one page: prefix their ids to
                    // keep them unique.
                    html: prefixed_clause_html(
                        site,
                        &url,
                        c,
                        &format!("v{v}-"),
                        text.as_deref().unwrap_or_default(),
                    ),
                    url: format!("{}#{}", relative_url(&url, &page.url), c.id),
                })
                .collect();
            Ok(Entry {
                version: v,
                date: date(page.date()),
                clauses,
                version_url: relative_url(&url, &page.url),
                change: changes.remove(&p),
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    // The notes of the groups that hold a member, found once per build (`Lookups`).
    let notes_html = lookups
        .notes_of(lineage_index)
        .iter()
        .filter_map(|&(step, group)| alignment.steps[step].groups[group].note.as_ref())
        .map(|n| inline_markdown(site, &url, n))
        .collect();
    Ok(HistoryView {
        title: format!("Historik: {name}"),
        description: format!(
            "Lydelsen av {name} i varje version av {}, med ändringarna mellan dem",
            work.short_title
        ),
        work: WorkTitles {
            title: &work.title,
            short_title: &work.short_title,
        },
        entries,
        notes_html,
    })
}
