//! Pieces several views share: a date, a reference to another page, a version or a
//! comparison in a list, a clause of a document or page, where a text comes from.

use serde::Serialize;

pub use crate::render::date_view::{DateView, date};

use crate::compare::{Alignment, ChangeKind, Comparison};
use crate::content::links::relative_url;
use crate::diagnostics::Diagnostic;
use crate::model::body::Clause;
use crate::model::meta::Provenance;
use crate::model::{Page, PageKind, Site, Work};
use crate::render::markdown::{clause_html, inline_markdown};
use crate::routes;

/// Another page, as lists and backlinks name it.
#[derive(Serialize)]
pub struct PageRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: Option<DateView>,
    /// `version 2013 (gäller)`, the document's type, or `sida`.
    pub kind: String,
    /// A document's sender.
    pub organisation: Option<&'a str>,
}

/// Page `index` as seen from the page at `from_url`.
pub fn page_ref<'a>(site: &'a Site, from_url: &str, index: usize) -> PageRef<'a> {
    let page = &site.pages[index];
    PageRef {
        title: page.title(),
        url: relative_url(from_url, &page.url),
        date: date(page.date()),
        kind: kind_label(page),
        organisation: page.document().map(|d| d.organisation.as_str()),
    }
}

pub fn kind_label(page: &Page) -> String {
    match &page.kind {
        PageKind::Version(v) => {
            format!("version {} ({})", v.version, crate::model::status::label(v))
        }
        PageKind::Document(d) => d.doc_type.swedish().to_string(),
        PageKind::Plain(_) => "sida".to_string(),
    }
}

/// How a clause is cited in running text: `§ 5`, as the sources write it, or its
/// heading.
pub fn citation_label(clause: &Clause) -> String {
    clause.label()
}

/// A work as the pages of its versions, comparisons and histories name it.
#[derive(Serialize)]
pub struct WorkLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub short_title: &'a str,
    /// The work's page.
    pub url: String,
}

pub fn work_link<'a>(work: &'a Work, from_url: &str) -> WorkLink<'a> {
    WorkLink {
        id: &work.id,
        title: &work.title,
        short_title: &work.short_title,
        url: relative_url(from_url, &routes::work(&work.id)),
    }
}

/// Where a version's or a document's text comes from (`source:` in its front matter).
#[derive(Serialize)]
pub struct ProvenanceView<'a> {
    pub file: &'a str,
    pub body: &'a str,
    pub identifiers: &'a [String],
    pub editorial_html: String,
    /// The published source text, when `content/kallor/` has it.
    pub published: serde_json::Value,
}

pub fn provenance<'a>(site: &Site, url: &str, p: &'a Provenance) -> ProvenanceView<'a> {
    ProvenanceView {
        file: &p.file,
        body: &p.body,
        identifiers: &p.identifiers,
        editorial_html: inline_markdown(site, url, &p.editorial),
        published: crate::render::source_texts::link(site, url, &p.file),
    }
}

/// A version in its work's list.
#[derive(Serialize)]
pub struct VersionEntry<'a> {
    pub version: &'a str,
    pub title: &'a str,
    pub status: &'static str,
    pub status_class: &'static str,
    /// Whether it is the version that applies by the sources.
    pub in_force: bool,
    pub date: Option<DateView>,
    pub url: String,
    pub summary: Option<&'a str>,
    /// How many clauses it has.
    pub clauses: usize,
}

pub fn versions_list<'a>(site: &'a Site, work: &Work, from_url: &str) -> Vec<VersionEntry<'a>> {
    let in_force = site.in_force(work);
    work.versions
        .iter()
        .filter_map(|&i| {
            let page = &site.pages[i];
            let v = page.version()?;
            Some(VersionEntry {
                version: &v.version,
                title: &v.title,
                status: crate::model::status::label(v),
                status_class: crate::model::status::label_class(v),
                in_force: in_force.is_some_and(|p| std::ptr::eq(p, page)),
                date: date(Some(v.date)),
                url: relative_url(from_url, &page.url),
                summary: v.summary.as_deref(),
                clauses: page.body.clauses.len(),
            })
        })
        .collect()
}

/// A comparison of two versions in a list.
#[derive(Serialize)]
pub struct ComparisonEntry<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub url: String,
    /// How many of its rows changed.
    pub changed: usize,
}

pub fn comparisons_list<'a>(
    site: &'a Site,
    alignment: &Alignment,
    work: &Work,
    from_url: &str,
) -> Vec<ComparisonEntry<'a>> {
    alignment
        .comparisons
        .iter()
        .filter(|c| c.work == work.id)
        .map(|c| comparison_entry(site, work, c, from_url))
        .collect()
}

pub fn comparison_entry<'a>(
    site: &'a Site,
    work: &Work,
    c: &Comparison,
    from_url: &str,
) -> ComparisonEntry<'a> {
    let version = |page: usize| {
        site.pages[page]
            .version()
            .map_or("", |v| v.version.as_str())
    };
    let (from, to) = (version(c.from_page), version(c.to_page));
    ComparisonEntry {
        from,
        to,
        url: relative_url(from_url, &routes::comparison(&work.id, from, to)),
        changed: c
            .pairs
            .iter()
            .filter(|p| p.status != ChangeKind::Unchanged)
            .count(),
    }
}

/// A clause of a document or a page, its text as HTML.
#[derive(Serialize)]
pub struct BodyClause<'a> {
    pub id: &'a str,
    pub label: String,
    pub title: &'a str,
    pub numbered: bool,
    pub html: String,
}

/// The clauses of `page`, its file read again for their text.
pub fn body_clauses<'a>(
    site: &Site,
    url: &str,
    page: &'a Page,
) -> Result<Vec<BodyClause<'a>>, Diagnostic> {
    let text = page.source.text()?;
    Ok(page
        .body
        .clauses
        .iter()
        .map(|clause| BodyClause {
            id: &clause.id,
            label: clause.label(),
            title: &clause.title,
            numbered: clause.number.is_some(),
            html: clause_html(site, url, clause, &text),
        })
        .collect())
}
