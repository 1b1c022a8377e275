//! The start page: the works with what applies, the documents and the other pages.

use serde::Serialize;

use super::parts::{ComparisonEntry, PageRef, VersionEntry, page_ref};
use super::parts::{comparisons_list, versions_list};
use crate::compare::Alignment;
use crate::content::links::relative_url;
use crate::model::meta::IsoDate;
use crate::model::{PageKind, Site, Work};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::status::{self, Banner};
use crate::routes;

/// A start page lists every document of a site with at most this many; a larger one
/// lists only the newest [`START_PAGE_NEWEST`] and links to where all of them are
/// (the timeline, year by year). The real site has a handful and lists them all.
pub const START_PAGE_ALL_UP_TO: usize = 100;

/// How many documents a start page of a large site lists, newest first.
pub const START_PAGE_NEWEST: usize = 25;

/// A start page shows each work with its versions and comparisons on a site with at
/// most this many works; with more, one line a work (its version in force and how many
/// versions it has) leads to the work's own page, which lists them: at 192 works the
/// full lists made the start page 800 KB. The real site has one work.
pub const START_PAGE_WORKS_IN_FULL: usize = 10;

/// `index.html`'s `page`.
#[derive(Serialize)]
pub struct StartView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub has_adoptions: bool,
    /// More works than [`START_PAGE_WORKS_IN_FULL`]: one line a work.
    pub works_in_brief: bool,
    /// More documents than [`START_PAGE_ALL_UP_TO`]: only the newest are listed.
    pub newest: bool,
    pub document_count: String,
    /// Where every document is listed: the timeline, or its list of years.
    pub all_documents_url: String,
    pub works: Vec<WorkEntry<'a>>,
    pub documents: Vec<PageRef<'a>>,
    /// The plain pages.
    pub pages: Vec<PageRef<'a>>,
}

/// A work on the start page.
#[derive(Serialize)]
pub struct WorkEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub short_title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub version_count: usize,
    /// What applies by the sources, for the start page's first screen.
    pub standing: Option<Banner<'a>>,
    pub in_force: Option<InForceLink<'a>>,
    /// Left out when the works are listed in brief.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<VersionEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparisons: Option<Vec<ComparisonEntry<'a>>>,
}

#[derive(Serialize)]
pub struct InForceLink<'a> {
    pub version: Option<&'a str>,
    pub url: String,
}

pub fn job<'a>(site: &'a Site, alignment: &'a Alignment, timeline_split: bool) -> PageJob<'a> {
    PageJob::fallible(
        "index.html",
        routes::START.into(),
        Owner::StartPage,
        move || super::context("index.html", &view(site, alignment, timeline_split)),
    )
}

pub fn view<'a>(site: &'a Site, alignment: &Alignment, timeline_split: bool) -> StartView<'a> {
    let url = routes::START;
    let works_in_brief = site.works.len() > START_PAGE_WORKS_IN_FULL;
    let works = site
        .works
        .iter()
        .map(|work| work_entry(site, alignment, work, url, works_in_brief))
        .collect();
    let undated = IsoDate {
        year: 0,
        month: None,
        day: None,
    };
    // Places first, references only for the documents listed.
    let mut documents: Vec<(IsoDate, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.document().is_some())
        .map(|(i, p)| (p.date().unwrap_or(undated), i))
        .collect();
    let count = documents.len();
    let newest = count > START_PAGE_ALL_UP_TO;
    if newest {
        // Newest first, as the feed orders them.
        documents.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| site.pages[a.1].url.cmp(&site.pages[b.1].url))
        });
        documents.truncate(START_PAGE_NEWEST);
    } else {
        documents.sort_by_key(|a| a.0);
    }
    let timeline = routes::TIMELINE;
    StartView {
        title: &site.config.title,
        description: site.config.description.as_deref(),
        has_adoptions: site.adoptions.is_some(),
        works_in_brief,
        newest,
        document_count: swedish_count(count),
        // Every document is on the timeline: split, on the page of its year, which the
        // list of years under the figure leads to; otherwise under the figure.
        all_documents_url: if timeline_split {
            format!("{timeline}#ar-for-ar")
        } else {
            timeline.to_string()
        },
        works,
        documents: documents
            .into_iter()
            .map(|(_, i)| page_ref(site, url, i))
            .collect(),
        pages: site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PageKind::Plain(_)))
            .map(|(i, _)| page_ref(site, url, i))
            .collect(),
    }
}

fn work_entry<'a>(
    site: &'a Site,
    alignment: &Alignment,
    work: &'a Work,
    url: &str,
    in_brief: bool,
) -> WorkEntry<'a> {
    WorkEntry {
        id: &work.id,
        title: &work.title,
        short_title: &work.short_title,
        description: work.description.as_deref(),
        url: relative_url(url, &routes::work(&work.id)),
        version_count: work.versions.len(),
        standing: status::banner(site, work),
        in_force: site.in_force(work).map(|p| InForceLink {
            version: p.version().map(|v| v.version.as_str()),
            url: relative_url(url, &p.url),
        }),
        versions: (!in_brief).then(|| versions_list(site, work, url)),
        comparisons: (!in_brief).then(|| comparisons_list(site, alignment, work, url)),
    }
}

/// `12 345`: a count as Swedish writes it, groups of three digits apart (a no-break
/// space) from five digits on; four digits stay together (`8990`), as is usual.
fn swedish_count(count: usize) -> String {
    let digits = count.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::swedish_count;

    #[test]
    fn counts_are_grouped_in_threes_from_five_digits() {
        assert_eq!(swedish_count(7), "7");
        assert_eq!(swedish_count(8990), "8990");
        assert_eq!(swedish_count(12_345), "12\u{a0}345");
        assert_eq!(swedish_count(1_234_567), "1\u{a0}234\u{a0}567");
    }
}
