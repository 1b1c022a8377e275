//! A version's page: its text clause by clause, with what each clause was and became,
//! its status and history, the documents that concern it and its comparisons.

use serde::Serialize;

use super::parts::{self, ComparisonEntry, DateView, PageRef, ProvenanceView, VersionEntry};
use super::parts::{WorkLink, citation_label, comparison_entry, date, page_ref, work_link};
use crate::compare::{Alignment, Comparison};
use crate::content::links::relative_url;
use crate::diagnostics::Diagnostic;
use crate::model::body::Clause;
use crate::model::{Site, Work};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::compare_pages;
use crate::render::markdown::{inline_markdown, version_clause_html};
use crate::render::pages::Lookups;
use crate::render::status::{self, Fate, StandingNotice, StepView};
use crate::routes;

/// `version.html`'s `page`.
#[derive(Serialize)]
pub struct VersionView<'a> {
    pub title: &'a str,
    pub description: String,
    pub work: WorkLink<'a>,
    pub version: &'a str,
    pub status: &'static str,
    pub status_class: &'static str,
    /// `2013 års förslag`.
    pub phrase: String,
    pub history: Vec<StepView<'a>>,
    pub applies_from: Option<DateView>,
    pub standing: StandingNotice<'a>,
    pub date: Option<DateView>,
    pub summary: Option<&'a str>,
    pub editorial_notice_html: Option<String>,
    /// "Vad ändrades?" since the version before, when there is one.
    pub what_changed: Option<serde_json::Value>,
    pub clauses: Vec<VersionClause<'a>>,
    /// The documents that concern the version.
    pub documents: Vec<PageRef<'a>>,
    pub comparisons: Vec<ComparisonEntry<'a>>,
    pub source: ProvenanceView<'a>,
    pub json_url: String,
    pub akn_url: String,
    /// Every version of the work.
    pub versions: Vec<VersionEntry<'a>>,
}

/// A clause of a version.
#[derive(Serialize)]
pub struct VersionClause<'a> {
    pub id: &'a str,
    pub label: String,
    pub title: &'a str,
    pub numbered: bool,
    pub html: String,
    /// The pages that link to it.
    pub backlinks: Vec<PageRef<'a>>,
    /// The same clause in the work's other versions.
    pub other_versions: Vec<OtherVersion<'a>>,
    pub history_url: Option<String>,
    /// How to cite it: `Överenskommelsen (2013) § 5`.
    pub cite: String,
    /// The rows of the comparisons that show it.
    pub comparisons: Vec<ClauseComparison>,
    /// What became of it in later versions.
    pub fate: Vec<Fate<'a>>,
}

#[derive(Serialize)]
pub struct OtherVersion<'a> {
    pub version: Option<&'a str>,
    pub label: Option<String>,
    pub url: String,
}

/// A comparison's row that shows a clause.
#[derive(Serialize)]
pub struct ClauseComparison {
    /// `2009 → 2013`.
    pub label: String,
    pub url: String,
    pub status: &'static str,
}

pub fn job<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    index: usize,
) -> PageJob<'a> {
    PageJob::fallible(
        "version.html",
        site.pages[index].url.clone(),
        Owner::Page(index),
        move || super::context("version.html", &view(site, alignment, lookups, index)?),
    )
}

pub fn view<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &Lookups,
    index: usize,
) -> Result<VersionView<'a>, Diagnostic> {
    let page = &site.pages[index];
    let not_a_version = || Diagnostic::error(&page.source.name, "not a version of a known work");
    let meta = page.version().ok_or_else(not_a_version)?;
    let work = site.work(&meta.work).ok_or_else(not_a_version)?;
    let text = page.source.text()?;
    let url = page.url.as_str();
    // Backlinks by clause, found in one pass.
    let backlinks_of = lookups.backlinks().to_clauses(index, page);
    // `serve` gives way to a newer save; it throws the partial page away.
    let clauses = page
        .body
        .clauses
        .iter()
        .take_while(|_| !crate::cancel::requested())
        .map(|clause| {
            let backlinks = backlinks_of
                .get(clause.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            clause_view(
                site,
                alignment,
                lookups,
                work,
                index,
                (clause, backlinks),
                &text,
            )
        })
        .collect();
    Ok(VersionView {
        title: &meta.title,
        description: meta.summary.clone().unwrap_or_else(|| {
            format!(
                "{} i versionen från {}",
                work.short_title,
                meta.date.swedish()
            )
        }),
        work: work_link(work, url),
        version: &meta.version,
        status: crate::model::status::label(meta),
        status_class: crate::model::status::label_class(meta),
        phrase: status::version_phrase(meta),
        history: status::history(site, url, meta),
        applies_from: date(status::applies_from(meta)),
        standing: status::standing_notice(site, alignment, work, index),
        date: date(Some(meta.date)),
        summary: meta.summary.as_deref(),
        editorial_notice_html: meta
            .editorial_notice
            .as_ref()
            .map(|n| inline_markdown(site, url, n)),
        what_changed: crate::render::what_changed::for_version(site, alignment, work, index, url),
        clauses,
        documents: lookups
            .documents_concerning(&meta.work, &meta.version)
            .iter()
            .map(|&i| page_ref(site, url, i))
            .collect(),
        comparisons: lookups
            .comparisons(alignment, index)
            .map(|c| comparison_entry(site, work, c, url))
            .collect(),
        source: parts::provenance(site, url, &meta.source),
        json_url: relative_url(url, &routes::version_json(&work.id, &meta.version)),
        akn_url: relative_url(url, &routes::version_akn(&work.id, &meta.version)),
        versions: parts::versions_list(site, work, url),
    })
}

/// Clause `clause` of version `index`; `text` is the version's file.
fn clause_view<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &Lookups,
    work: &Work,
    index: usize,
    // The clause and the pages that link to it.
    (clause, backlinks): (&'a Clause, &[usize]),
    text: &str,
) -> VersionClause<'a> {
    let page = &site.pages[index];
    let url = page.url.as_str();
    let cite_prefix = cite_prefix(work, index, site);
    let lineage = alignment.lineage(index, &clause.id);
    let other_versions = lineage
        .map(|l| {
            l.members
                .iter()
                .filter(|(p, _)| *p != index)
                .map(|(p, id)| {
                    let other_page = &site.pages[*p];
                    OtherVersion {
                        version: other_page.version().map(|v| v.version.as_str()),
                        label: other_page.body.clause(id).map(|c| c.label()),
                        url: format!("{}#{id}", relative_url(url, &other_page.url)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    VersionClause {
        id: &clause.id,
        label: clause.label(),
        title: &clause.title,
        numbered: clause.number.is_some(),
        html: version_clause_html(site, url, clause, &page.body, text, &cite_prefix),
        backlinks: backlinks.iter().map(|&s| page_ref(site, url, s)).collect(),
        other_versions,
        history_url: lineage
            .filter(|l| l.members.len() > 1)
            .map(|l| relative_url(url, &routes::history(&work.id, &l.key))),
        cite: format!("{cite_prefix} {}", citation_label(clause)),
        comparisons: clause_comparisons(
            site,
            lookups.comparisons(alignment, index),
            work,
            index,
            &clause.id,
            url,
        ),
        fate: status::clause_fate(site, alignment, work, index, &clause.id, url),
    }
}

/// How a clause of version `index` is cited, before its label: `Överenskommelsen (2013)`.
fn cite_prefix(work: &Work, index: usize, site: &Site) -> String {
    let version = site.pages[index]
        .version()
        .map_or("", |v| v.version.as_str());
    format!("{} ({version})", work.short_title)
}

/// Links to the row of every comparison that shows this clause of this version.
fn clause_comparisons<'a>(
    site: &Site,
    comparisons: impl Iterator<Item = &'a Comparison>,
    work: &Work,
    index: usize,
    clause: &str,
    url: &str,
) -> Vec<ClauseComparison> {
    let version = |p: usize| site.pages[p].version().map_or("", |v| v.version.as_str());
    comparisons
        .filter_map(|c| {
            // The clause's row, looked up rather than searched for.
            let pair = &c.pairs[*c.rows_of(c.to_page != index, clause).first()?];
            let (from, to) = (version(c.from_page), version(c.to_page));
            let page_url = relative_url(url, &routes::comparison(&work.id, from, to));
            Some(ClauseComparison {
                label: format!("{from} → {to}"),
                url: format!("{page_url}#{}", compare_pages::anchor(pair)),
                status: pair.status.swedish(),
            })
        })
        .collect()
}
