//! What the timeline shows: everything dated, year by year, and the marks the figure
//! can draw from it, with each year's summaries. Addresses of the timeline's pages.

use std::collections::BTreeMap;

use super::words;
use crate::content::links::relative_url;
use crate::model::meta::{DocumentType, Event, IsoDate};
use crate::model::{PageKind, Site};
use crate::routes::timeline_year as year_url;

/// A year with more than this many marks of one kind (versions, documents, events)
/// gets one mark for them all, leading to the year's list (under the figure, or on
/// the year's own page when the timeline is split, see [`SINGLE_PAGE_LIMIT`]): at a
/// hundred documents a year single labels would stack into hundreds of rows. The
/// real site has at most three of a kind a year, so every one of its marks stays.
pub const SUMMARY_THRESHOLD: usize = 12;

/// A timeline with more entries than this in all (versions, documents and events) is
/// split: its page keeps the figure and, under it, a list of the years, and each
/// year's entries get a page of their own, `tidslinje/ÅÅÅÅ/`. A single list of 10,000
/// documents would be too long a page; the real site has about forty entries and keeps
/// its one page with the whole list under the figure.
pub const SINGLE_PAGE_LIMIT: usize = 300;

/// The id of year `year`'s list under the figure.
pub fn year_id(year: u16) -> String {
    format!("ar-{year}")
}

/// Everything dated in one year, as places in the site: what its list is made of,
/// without making it. A year page holds this until it renders.
pub struct Year<'a> {
    pub year: u16,
    /// Versions and documents, by date (in site order on the same date).
    pub dated: Vec<(IsoDate, usize)>,
    /// The events the sources state, by date (then by source page).
    pub events: Vec<(IsoDate, &'a Event, usize)>,
}

impl Year<'_> {
    /// How many versions it has.
    pub fn versions(&self, site: &Site) -> usize {
        self.dated
            .iter()
            .filter(|&&(_, index)| site.pages[index].version().is_some())
            .count()
    }
}

/// Every dated event the sources state, oldest first, each with its page (by page on
/// the same date).
pub fn events(site: &Site) -> Vec<(IsoDate, &Event, usize)> {
    let mut all: Vec<(IsoDate, &Event, usize)> = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        let events: &[Event] = match &page.kind {
            PageKind::Version(v) => &v.events,
            PageKind::Document(d) => &d.events,
            PageKind::Plain(_) => &[],
        };
        all.extend(events.iter().map(|e| (e.date, e, index)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    all
}

/// Every year with anything dated in it, oldest first.
pub fn years(site: &Site) -> Vec<Year<'_>> {
    let mut dated: Vec<(IsoDate, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| !matches!(page.kind, PageKind::Plain(_)))
        .filter_map(|(index, page)| Some((page.date()?, index)))
        .collect();
    dated.sort_by_key(|&(date, _)| date);
    let mut years: BTreeMap<u16, Year> = BTreeMap::new();
    let empty = |year| Year {
        year,
        dated: Vec::new(),
        events: Vec::new(),
    };
    for (date, index) in dated {
        let year = years.entry(date.year).or_insert_with(|| empty(date.year));
        year.dated.push((date, index));
    }
    for happening in events(site) {
        let year = years
            .entry(happening.0.year)
            .or_insert_with(|| empty(happening.0.year));
        year.events.push(happening);
    }
    years.into_values().collect()
}

/// Whether the timeline has a page per year (see [`SINGLE_PAGE_LIMIT`]).
pub fn is_split(years: &[Year]) -> bool {
    years
        .iter()
        .map(|y| y.dated.len() + y.events.len())
        .sum::<usize>()
        > SINGLE_PAGE_LIMIT
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Marker {
    Version,
    Document,
    Event,
    /// Every mark of one kind in one year, as a bar over the year.
    Summary,
}

/// One mark on the figure, with its label and link.
#[derive(Clone)]
pub struct Mark {
    pub marker: Marker,
    pub start: IsoDate,
    /// Bold part of the label (the date of an event).
    pub lead: String,
    pub label: String,
    pub href: String,
    pub name: String,
}

/// What the figure can draw.
pub struct Contents {
    /// Every version and document, above the ruler.
    pub upper: Vec<Mark>,
    /// Every event, below it.
    pub lower: Vec<Mark>,
    /// How many marks of each kind each year has.
    pub per_year: BTreeMap<(u16, Marker), usize>,
    /// Each year's summaries, one per kind that has any marks.
    pub summaries: BTreeMap<(u16, Marker), Mark>,
}

/// One mark for all of a year's versions, documents or events. It leads to the
/// year's list: under the figure, or on the year's own page when the timeline is split.
fn summary(year: u16, label: String, detail: &str, year_page: Option<String>) -> Mark {
    let name = words::summary_name(year, &label, detail, year_page.is_some());
    let href = year_page.unwrap_or_else(|| format!("#{}", year_id(year)));
    Mark {
        marker: Marker::Summary,
        start: IsoDate {
            year,
            month: None,
            day: None,
        },
        // The ruler names the year right under the bar.
        lead: String::new(),
        name,
        label,
        href,
    }
}

/// The marks of the figure on the page at `url`, and each year's summaries.
pub fn contents(site: &Site, url: &str, years: &[Year], split: bool) -> Contents {
    let mut per_year: BTreeMap<(u16, Marker), usize> = BTreeMap::new();
    let mut upper = Vec::new();
    let mut lower = Vec::new();
    // Per year, each type of document and how many, in the order first met.
    let mut document_types: BTreeMap<u16, Vec<(DocumentType, usize)>> = BTreeMap::new();
    for year in years {
        for &(date, index) in &year.dated {
            let page = &site.pages[index];
            let marker = match &page.kind {
                PageKind::Version(_) => Marker::Version,
                PageKind::Document(_) => Marker::Document,
                PageKind::Plain(_) => continue,
            };
            *per_year.entry((date.year, marker)).or_default() += 1;
            if let Some(d) = page.document() {
                let types = document_types.entry(date.year).or_default();
                match types.iter_mut().find(|(t, _)| *t == d.doc_type) {
                    Some((_, n)) => *n += 1,
                    None => types.push((d.doc_type, 1)),
                }
            }
        }
        for &(date, _, _) in &year.events {
            *per_year.entry((date.year, Marker::Event)).or_default() += 1;
        }
    }
    // A kind with more than `SUMMARY_THRESHOLD` marks in a year is always drawn as
    // the year's summary (`draw`), so its marks are not made: at 10,000 documents,
    // nearly every document's.
    let drawn = |year: u16, marker: Marker| per_year[&(year, marker)] <= SUMMARY_THRESHOLD;
    for year in years {
        for &(date, index) in &year.dated {
            let page = &site.pages[index];
            let marker = match &page.kind {
                PageKind::Version(_) => Marker::Version,
                PageKind::Document(_) => Marker::Document,
                PageKind::Plain(_) => continue,
            };
            if !drawn(date.year, marker) {
                continue;
            }
            let Some(described) = words::describe(site, page, date) else {
                continue;
            };
            upper.push(Mark {
                marker,
                start: date,
                lead: String::new(),
                label: described.label,
                href: relative_url(url, &page.url),
                name: described.name,
            });
        }
        for &(date, event, index) in &year.events {
            if !drawn(date.year, Marker::Event) {
                continue;
            }
            let source = &site.pages[index];
            lower.push(Mark {
                marker: Marker::Event,
                start: date,
                lead: date.to_string(),
                label: event.text.clone(),
                href: relative_url(url, &source.url),
                name: words::event_name(date, event, source),
            });
        }
    }
    let summaries = per_year
        .iter()
        .map(|(&(year, marker), &count)| {
            let year_page = split.then(|| relative_url(url, &year_url(year)));
            let mark = match marker {
                Marker::Version => summary(year, words::versions_summary(count), "", year_page),
                Marker::Document => summary(
                    year,
                    words::documents_summary(count),
                    &words::documents_summary_detail(
                        document_types.get(&year).map_or(&[], Vec::as_slice),
                    ),
                    year_page,
                ),
                _ => summary(year, words::events_summary(count), "", year_page),
            };
            ((year, marker), mark)
        })
        .collect();
    Contents {
        upper,
        lower,
        per_year,
        summaries,
    }
}
