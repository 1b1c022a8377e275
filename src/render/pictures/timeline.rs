//! The timeline to scale: a year ruler, the documents above it and the events the
//! sources state below it, each at its date and each a link.
//!
//! Labels sit in rows away from the ruler. They are placed latest first, and a label
//! goes one row further out than any later label it would reach, so a leader line
//! from the ruler to its label never crosses another label's text.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::svg::{escape, fit, num, text_width};
use crate::content::links::relative_url;
use crate::content::meta::{DocumentType, Event, IsoDate};
use crate::model::{Page, PageKind, Site};
use crate::render::pages::events;
use crate::routes::{TIMELINE as URL, timeline_year as year_url};

const MARGIN: f64 = 12.0;
const PER_YEAR: f64 = 120.0;
const RULER: f64 = 26.0;
const ROW: f64 = 21.0;
const FONT: f64 = 13.0;
const LABEL_MAX: f64 = 240.0;
/// Room between a leader and the next label along the same row.
const CLEARANCE: f64 = 10.0;

/// A year with more than this many marks of one kind (versions, documents, events)
/// gets one mark for them all, leading to the year's list (under the figure, or on
/// the year's own page when the timeline is split, see [`SINGLE_PAGE_LIMIT`]): at a
/// hundred documents a year single labels would stack into hundreds of rows. The
/// real site has at most three of a kind a year, so every one of its marks stays.
pub const SUMMARY_THRESHOLD: usize = 12;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Marker {
    Version,
    Document,
    Event,
    /// Every mark of one kind in one year, as a bar over the year.
    Summary,
}

#[derive(Clone)]
struct Item {
    marker: Marker,
    start: IsoDate,
    /// Bold part of the label (the date of an event).
    lead: String,
    label: String,
    href: String,
    name: String,
}

/// A lane that would need more rows than this has its fullest years summarised,
/// one by one, until it fits (the real site's events take 22 rows).
const MAX_ROWS: usize = 24;

/// What the figure can draw and what the list under it says, year by year.
struct Contents {
    /// Every version and document, above the ruler.
    upper: Vec<Item>,
    /// Every event, below it.
    lower: Vec<Item>,
    /// How many marks of each kind each year has.
    per_year: BTreeMap<(u16, Marker), usize>,
    /// Each year's summaries, one per kind that has any marks.
    summaries: BTreeMap<(u16, Marker), Item>,
    /// Every version, document and event by year, for the list under the figure; when
    /// the timeline is split, each year's address and counts instead.
    years: Vec<Value>,
}

/// Years as a number: 2009-07-01 is about 2009.5.
fn year_fraction(date: IsoDate) -> f64 {
    let year = date.year;
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days_before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let month = usize::from(date.month.unwrap_or(1).clamp(1, 12));
    let mut day = days_before[month - 1] + u32::from(date.day.unwrap_or(1).max(1)) - 1;
    if leap && month > 2 {
        day += 1;
    }
    f64::from(date.year) + f64::from(day) / if leap { 366.0 } else { 365.0 }
}

/// The end of the period a date names: a whole year, a month, or the day itself.
fn period_end(date: IsoDate) -> Option<f64> {
    match (date.month, date.day) {
        (_, Some(_)) => None,
        (Some(12), None) => Some(f64::from(date.year) + 1.0),
        (Some(m), None) => Some(year_fraction(IsoDate {
            year: date.year,
            month: Some(m + 1),
            day: None,
        })),
        (None, _) => Some(f64::from(date.year) + 1.0),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn date_value(date: IsoDate) -> Value {
    json!({ "iso": date.to_string(), "sv": date.swedish() })
}

fn year_id(year: u16) -> String {
    format!("ar-{year}")
}

/// `80 beslut`, `1 skrivelse`, `3 tjänsteutlåtanden`.
fn count_of(count: usize, doc_type: DocumentType) -> String {
    let (one, many) = match doc_type {
        DocumentType::ConsultationResponse => ("remissvar", "remissvar"),
        DocumentType::OfficialReport => ("tjänsteutlåtande", "tjänsteutlåtanden"),
        DocumentType::ProposedDecision => ("förslag till beslut", "förslag till beslut"),
        DocumentType::Decision => ("beslut", "beslut"),
        DocumentType::Letter => ("skrivelse", "skrivelser"),
        DocumentType::Minutes => ("protokoll", "protokoll"),
        DocumentType::Other => ("annat dokument", "andra dokument"),
    };
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A timeline with more entries than this in all (versions, documents and events) is
/// split: its page keeps the figure and, under it, a list of the years, and each
/// year's entries get a page of their own, `tidslinje/ÅÅÅÅ/`. At 10,000 documents a
/// single list would be 8 MB; the real site has about forty entries and keeps its one
/// page with the whole list under the figure.
pub const SINGLE_PAGE_LIMIT: usize = 300;

/// Everything dated in one year, as places in the site: what its list is made of,
/// without making it. A year page holds this until it renders.
pub struct Year<'a> {
    pub year: u16,
    /// Versions and documents, by date (in site order on the same date).
    dated: Vec<(IsoDate, usize)>,
    /// The events the sources state, by date (then by source page).
    events: Vec<(IsoDate, &'a Event, usize)>,
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

/// What a year holds: `3 versioner, 350 dokument och 12 händelser`, kinds it has none
/// of left out.
fn year_counts(site: &Site, year: &Year) -> String {
    let versions = year
        .dated
        .iter()
        .filter(|&&(_, index)| site.pages[index].version().is_some())
        .count();
    let parts: Vec<String> = [
        (versions, "version", "versioner"),
        (year.dated.len() - versions, "dokument", "dokument"),
        (year.events.len(), "händelse", "händelser"),
    ]
    .into_iter()
    .filter(|&(count, _, _)| count > 0)
    .map(|(count, one, many)| format!("{count} {}", if count == 1 { one } else { many }))
    .collect();
    super::swedish_list(&parts)
}

/// One mark for all of a year's versions, documents or events. It leads to the
/// year's list: under the figure, or on the year's own page when the timeline is split.
fn summary(year: u16, label: String, detail: &str, year_page: Option<String>) -> Item {
    let (href, opens) = match year_page {
        Some(href) => (href, "Öppnar årets sida."),
        None => (
            format!("#{}", year_id(year)),
            "Öppnar årets lista under bilden.",
        ),
    };
    Item {
        marker: Marker::Summary,
        start: IsoDate {
            year,
            month: None,
            day: None,
        },
        // The ruler names the year right under the bar.
        lead: String::new(),
        name: format!("{year}: {label}{detail}. {opens}"),
        label,
        href,
    }
}

/// A version or document as the figure labels it (`label`), names it to a screen
/// reader (`name`) and the year's list describes it (`meta`).
struct Described {
    marker: Marker,
    label: String,
    name: String,
    meta: String,
}

fn describe(site: &Site, page: &Page, date: IsoDate) -> Option<Described> {
    let several_works = site.works.len() > 1;
    Some(match &page.kind {
        PageKind::Version(v) => {
            let (label, of_work) = if several_works {
                let title = site
                    .work(&v.work)
                    .map_or(v.work.clone(), |w| w.short_title.clone());
                (format!("{title} {}", v.version), title)
            } else {
                (
                    format!("Version {}", v.version),
                    "överenskommelsen".to_string(),
                )
            };
            Described {
                marker: Marker::Version,
                label: format!("{label} ({})", crate::content::status::label(v)),
                name: format!(
                    "{}: version {} av {of_work}, {}",
                    date.swedish(),
                    v.version,
                    crate::content::status::label(v)
                ),
                meta: if several_works {
                    format!(
                        "{of_work}, version {} ({})",
                        v.version,
                        crate::content::status::label(v)
                    )
                } else {
                    format!(
                        "version {} ({})",
                        v.version,
                        crate::content::status::label(v)
                    )
                },
            }
        }
        PageKind::Document(d) => Described {
            marker: Marker::Document,
            label: format!("{}: {}", capitalised(d.doc_type.swedish()), d.organisation),
            name: format!(
                "{}: {} från {}, ”{}”",
                date.swedish(),
                d.doc_type.swedish(),
                d.organisation,
                d.title
            ),
            meta: format!("{}, {}", d.doc_type.swedish(), d.organisation),
        },
        PageKind::Plain(_) => return None,
    })
}

/// A year's versions and documents, and its events, as the list shows them on the
/// page at `url`. Built as values and moved, never copied.
fn year_entries(site: &Site, url: &str, year: &Year) -> (Vec<Value>, Vec<Value>) {
    let documents = year
        .dated
        .iter()
        .filter_map(|&(date, index)| {
            let page = &site.pages[index];
            let described = describe(site, page, date)?;
            Some(json!({
                "title": page.title(),
                "url": relative_url(url, &page.url),
                "meta": described.meta,
                "date": date_value(date),
            }))
        })
        .collect();
    let events = year
        .events
        .iter()
        .map(|&(date, event, index)| {
            let source = &site.pages[index];
            json!({
                "date": date_value(date),
                "text": event.text,
                "source": { "title": source.title(), "url": relative_url(url, &source.url) },
            })
        })
        .collect();
    (documents, events)
}

/// The context of a split timeline's page for `year`: the year's entries as the list
/// under the figure of an unsplit timeline has them, and the years with entries
/// before and after it.
pub fn year_page(site: &Site, year: &Year, previous: Option<u16>, next: Option<u16>) -> Value {
    let url = year_url(year.year);
    let (documents, events) = year_entries(site, &url, year);
    let counts = year_counts(site, year);
    let neighbour = |other: Option<u16>| match other {
        Some(other) => json!({ "year": other, "url": relative_url(&url, &year_url(other)) }),
        None => Value::Null,
    };
    let mut page = json!({
        "title": format!("Tidslinje {}", year.year),
        "description": format!("Versionerna, dokumenten och händelserna år {}: {counts}.", year.year),
        "year": year.year,
        "counts": counts,
        "timeline_url": relative_url(&url, URL),
    });
    page["previous"] = neighbour(previous);
    page["next"] = neighbour(next);
    page["documents"] = Value::Array(documents);
    page["events"] = Value::Array(events);
    page
}

fn contents(site: &Site, url: &str, years: &[Year], split: bool) -> Contents {
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
            let Some(described) = describe(site, page, date) else {
                continue;
            };
            if !drawn(date.year, described.marker) {
                continue;
            }
            upper.push(Item {
                marker: described.marker,
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
            lower.push(Item {
                marker: Marker::Event,
                start: date,
                lead: date.to_string(),
                label: event.text.clone(),
                href: relative_url(url, &source.url),
                name: format!(
                    "{}: {} Källa: {}",
                    date.swedish(),
                    event.text,
                    source.title()
                ),
            });
        }
    }
    let summaries = per_year
        .iter()
        .map(|(&(year, marker), &count)| {
            let year_page = split.then(|| relative_url(url, &year_url(year)));
            let item = match marker {
                Marker::Version => summary(year, format!("{count} versioner"), "", year_page),
                Marker::Document => {
                    let types: Vec<String> = document_types
                        .get(&year)
                        .into_iter()
                        .flatten()
                        .map(|&(doc_type, n)| count_of(n, doc_type))
                        .collect();
                    summary(
                        year,
                        format!("{count} dokument"),
                        &format!(": {}", super::swedish_list(&types)),
                        year_page,
                    )
                }
                _ => summary(year, format!("{count} händelser"), "", year_page),
            };
            ((year, marker), item)
        })
        .collect();
    // Split, the page lists the years and each links its own page; otherwise every
    // entry is listed under the figure.
    let years = years
        .iter()
        .map(|year| {
            let mut entry = json!({ "year": year.year, "id": year_id(year.year) });
            if split {
                entry["url"] = Value::String(relative_url(url, &year_url(year.year)));
                entry["counts"] = Value::String(year_counts(site, year));
            } else {
                let (documents, events) = year_entries(site, url, year);
                entry["documents"] = Value::Array(documents);
                entry["events"] = Value::Array(events);
            }
            entry
        })
        .collect();
    Contents {
        upper,
        lower,
        per_year,
        summaries,
        years,
    }
}

/// The marks of one lane: each item, or its year's summary for the kinds in
/// `summarised`. Summaries go first among the marks of their year, as `2009` sorts
/// before any day in it; the sort is stable, so marks of one date keep their order.
fn lane(
    contents: &Contents,
    items: &[Item],
    kinds: &[Marker],
    summarised: &BTreeSet<(u16, Marker)>,
) -> Vec<Item> {
    let mut lane: Vec<Item> = items
        .iter()
        .filter(|item| !summarised.contains(&(item.start.year, item.marker)))
        .cloned()
        .collect();
    lane.extend(
        summarised
            .iter()
            .filter(|(_, marker)| kinds.contains(marker))
            .filter_map(|key| contents.summaries.get(key).cloned()),
    );
    lane.sort_by_key(|item| item.start);
    lane
}

/// The lane of `items` in at most `MAX_ROWS` rows: first every year with more than
/// `SUMMARY_THRESHOLD` marks of a kind is summarised, then the fullest years left
/// (the later of equals) until the labels fit. Adds what it summarised to
/// `summarised`.
fn settle(
    contents: &Contents,
    items: &[Item],
    kinds: &[Marker],
    summarised: &mut BTreeSet<(u16, Marker)>,
    x_of: impl Fn(f64) -> f64 + Copy,
) -> Vec<Item> {
    loop {
        let lane = lane(contents, items, kinds, summarised);
        let rows = lay_out(&lane, x_of)
            .iter()
            .map(|l| l.row + 1)
            .max()
            .unwrap_or(0);
        if rows <= MAX_ROWS {
            return lane;
        }
        let fullest = lane
            .iter()
            .filter(|item| item.marker != Marker::Summary)
            .map(|item| (item.start.year, item.marker))
            .max_by_key(|key| (contents.per_year[key], key.0));
        match fullest {
            Some(key) => summarised.insert(key),
            None => return lane,
        };
    }
}

struct Laid<'a> {
    item: &'a Item,
    x: f64,
    /// Where a period (a month, a year) ends, for events dated only that precisely.
    x_end: Option<f64>,
    row: usize,
    lead: String,
    text: String,
    width: f64,
}

/// Labels cut to fit, and rows as described at the top of this file.
fn lay_out(items: &[Item], x_of: impl Fn(f64) -> f64) -> Vec<Laid<'_>> {
    let mut laid: Vec<Laid> = items
        .iter()
        .map(|item| {
            let lead_width = if item.lead.is_empty() {
                0.0
            } else {
                text_width(&item.lead, FONT) + 0.4 * FONT
            };
            // A year's summary stays within its year, so the summaries of the years
            // after it need no row further out.
            let max = match item.marker {
                Marker::Summary => PER_YEAR - CLEARANCE - 12.0,
                _ => LABEL_MAX,
            };
            let text = fit(&item.label, FONT, max - lead_width);
            let width = lead_width + text_width(&text, FONT) + 6.0;
            Laid {
                item,
                x: x_of(year_fraction(item.start)),
                x_end: period_end(item.start).map(&x_of),
                row: 0,
                lead: item.lead.clone(),
                text,
                width,
            }
        })
        .collect();
    // Latest first; among equal dates the last listed first.
    let mut order: Vec<usize> = (0..laid.len()).collect();
    order.sort_by(|&a, &b| laid[b].x.total_cmp(&laid[a].x).then(b.cmp(&a)));
    // Every label placed so far lies at or right of the one being placed, so the
    // labels it reaches are those at most `reach` from the left. Of the placed labels
    // only those higher than every label left of them can ever be the highest reached:
    // `frontier` keeps them, x and row both falling from first to last.
    let mut frontier: Vec<(f64, usize)> = Vec::new();
    for index in order {
        let (x, reach) = (laid[index].x, laid[index].x + laid[index].width + CLEARANCE);
        let highest_reached = frontier.partition_point(|&(placed_x, _)| placed_x > reach);
        let row = frontier.get(highest_reached).map_or(0, |&(_, row)| row + 1);
        laid[index].row = row;
        while frontier.last().is_some_and(|&(_, lower)| lower <= row) {
            frontier.pop();
        }
        frontier.push((x, row));
    }
    laid
}

/// The timeline: `figure` as HTML (figure, scrollable SVG, legend) and `years`, every
/// version, document and event year by year for the list under it, or, when `split`
/// (see [`SINGLE_PAGE_LIMIT`]), each year's page and what it holds. `None` with no
/// dates.
pub fn draw(site: &Site, url: &str) -> Option<Value> {
    let years = years(site);
    let split = is_split(&years);
    let contents = contents(site, url, &years, split);
    let first = contents.per_year.keys().map(|&(year, _)| year).min()?;
    let last = contents.per_year.keys().map(|&(year, _)| year).max()?;
    let x_of = move |year: f64| MARGIN + (year - f64::from(first)) * PER_YEAR;
    let mut summarised: BTreeSet<(u16, Marker)> = contents
        .per_year
        .iter()
        .filter(|&(_, &count)| count > SUMMARY_THRESHOLD)
        .map(|(&key, _)| key)
        .collect();
    let documents = settle(
        &contents,
        &contents.upper,
        &[Marker::Version, Marker::Document],
        &mut summarised,
        x_of,
    );
    let happenings = settle(
        &contents,
        &contents.lower,
        &[Marker::Event],
        &mut summarised,
        x_of,
    );
    let summarised = !summarised.is_empty();
    let years = contents.years;
    let upper = lay_out(&documents, x_of);
    let lower = lay_out(&happenings, x_of);
    let rows = |laid: &[Laid]| laid.iter().map(|l| l.row + 1).max().unwrap_or(0) as f64;
    let ruler_top = MARGIN + rows(&upper) * ROW + 12.0;
    let ruler_bottom = ruler_top + RULER;
    let height = ruler_bottom + 12.0 + rows(&lower) * ROW + MARGIN;
    let axis_end = x_of(f64::from(last) + 1.0);
    let width = upper
        .iter()
        .chain(&lower)
        .map(|l| l.x + 5.0 + l.width)
        .fold(axis_end, f64::max)
        + MARGIN;

    // Where the text of the figure is: under it, or on a page per year.
    let (year_list, list_desc, list_caption) = if split {
        (
            "årets egen sida",
            "Samma uppgifter finns som text på en sida för varje år, länkad från listan under bilden.",
            "Listan under bilden leder till en sida för varje år, som ger samma uppgifter i text.",
        )
    } else {
        (
            "årets lista under bilden",
            "Samma uppgifter finns som lista under bilden, år för år.",
            "Listan under bilden ger samma uppgifter i text, år för år.",
        )
    };
    let summary_desc = if summarised {
        format!(
            " Ett år med många versioner, dokument eller händelser har en enda markering för dem, ett streck över året som leder till {year_list}."
        )
    } else {
        String::new()
    };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" font-size="13" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="tidslinje-titel" aria-describedby="tidslinje-beskrivning"><title id="tidslinje-titel">Tidslinje {first}–{last} i skala</title><desc id="tidslinje-beskrivning">En linjal med ett fält per år. Ovanför linjalen står versionerna av överenskommelsen (fyrkanter) och de andra dokumenten (cirklar) på sina datum, under den händelserna som källorna anger. En händelse som bara är daterad till månad eller år är ett streck över hela den perioden. Varje markering är en länk till dokumentet.{summary_desc} {list_desc}</desc>"#,
        w = num(width),
        h = num(height),
    );
    svg.push_str(r#"<g class="ruler">"#);
    for year in first..=last {
        let x = x_of(f64::from(year));
        svg.push_str(&format!(
            r##"<rect class="year{odd}" x="{x}" y="{y}" width="{w}" height="{h}" fill="#f3f4f6"/><line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d0d0d0"/><text class="year-label" x="{mid}" y="{ty}" text-anchor="middle">{year}</text>"##,
            odd = if (year - first) % 2 == 1 { " odd" } else { "" },
            x = num(x),
            y = num(ruler_top),
            w = num(PER_YEAR),
            h = num(RULER),
            top = num(MARGIN),
            bottom = num(height - MARGIN),
            mid = num(x + PER_YEAR / 2.0),
            ty = num(ruler_top + RULER / 2.0 + 4.5),
        ));
    }
    svg.push_str(&format!(
        r##"<line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#d0d0d0"/></g>"##,
        x = num(axis_end),
        top = num(MARGIN),
        bottom = num(height - MARGIN),
    ));
    svg.push_str(r#"<g class="documents">"#);
    for laid in &upper {
        let baseline = ruler_top - 12.0 - laid.row as f64 * ROW;
        svg.push_str(&marked(laid, ruler_top, baseline, -1.0));
        svg.push('\n');
    }
    svg.push_str(r#"</g><g class="events">"#);
    for laid in &lower {
        let baseline = ruler_bottom + 12.0 + laid.row as f64 * ROW + FONT;
        svg.push_str(&marked(laid, ruler_bottom, baseline, 1.0));
        svg.push('\n');
    }
    svg.push_str("</g></svg>");

    let version_legend = if site.works.len() > 1 {
        "version av en överenskommelse"
    } else {
        "version av överenskommelsen"
    };
    let mut legend = format!(
        r##"<ul class="picture-legend"><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><rect class="marker version" x="2" y="2" width="10" height="10" fill="#0b50a0"/></svg> {version_legend}</li><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><circle class="marker document" cx="7" cy="7" r="5" fill="#0b50a0"/></svg> annat dokument</li><li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><circle class="marker event" cx="7" cy="7" r="4" fill="#0b50a0"/></svg> händelse på en dag</li><li><svg class="swatch" width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" focusable="false"><rect class="marker event" x="1" y="4" width="28" height="6" fill="#0b50a0"/></svg> händelse daterad till månad eller år</li>"##,
    );
    if summarised {
        legend.push_str(&format!(
            r##"<li><svg class="swatch" width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" focusable="false"><rect class="marker summary" x="1" y="3" width="28" height="8" fill="#0b50a0"/></svg> många av ett slag under året: leder till årets {}</li>"##,
            if split { "sida" } else { "lista" }
        ));
    }
    legend.push_str("</ul>");
    let figure = format!(
        r##"<figure class="picture timeline-picture"><figcaption>Tidslinjen i skala, {first}–{last}: dokumenten ovanför årslinjalen, händelserna under den. Varje markering leder till dokumentet{summary_caption}. {list_caption}</figcaption><a class="skip-picture" href="#tidslinje-slut">Hoppa förbi bildens länkar</a><div class="picture-scroll" tabindex="0" role="region" aria-label="Tidslinje i skala (rullbar bild)">{svg}</div>{legend}<div id="tidslinje-slut" tabindex="-1"></div></figure>"##,
        summary_caption = if summarised {
            format!(
                "; ett år med många versioner, dokument eller händelser har en samlad markering för dem som leder till årets {}",
                if split { "sida" } else { "lista" }
            )
        } else {
            String::new()
        },
    );
    let mut value = json!({ "figure": figure, "split": split });
    value["years"] = Value::Array(years);
    Some(value)
}

/// One marker with its leader and label, as a link. `direction` is -1 above the
/// ruler, 1 below it.
fn marked(laid: &Laid, edge: f64, baseline: f64, direction: f64) -> String {
    let item = laid.item;
    let kind = match item.marker {
        Marker::Version => "version",
        Marker::Document => "document",
        Marker::Event => "event",
        Marker::Summary => "summary",
    };
    let mut out = format!(
        r#"<a href="{}" class="mark {kind}" data-date="{}" aria-label="{name}"><title>{name}</title>"#,
        escape(&item.href),
        item.start,
        name = escape(&item.name),
    );
    // The leader ends level with the middle of the label's text.
    let leader_end = baseline - FONT / 2.0 + 1.5;
    out.push_str(&format!(
        r##"<line class="leader" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#595959"/>"##,
        x = num(laid.x),
        y1 = num(edge),
        y2 = num(leader_end),
    ));
    let marker = match (item.marker, laid.x_end) {
        (Marker::Version, _) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="10" height="10" fill="#0b50a0"/>"##,
            num(laid.x - 5.0),
            num(edge - 5.0)
        ),
        // A period's bar stops 1 px short of each end, so periods that follow each
        // other (2009, 2010) read as separate bars.
        (Marker::Event, Some(end)) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="{}" height="6" fill="#0b50a0"/>"##,
            num(laid.x + 1.0),
            num(edge + if direction < 0.0 { -6.0 } else { 0.0 }),
            num((end - laid.x - 2.0).max(3.0))
        ),
        (Marker::Event, None) => format!(
            r##"<circle class="marker" cx="{}" cy="{}" r="4" fill="#0b50a0"/>"##,
            num(laid.x),
            num(edge + 4.0 * direction)
        ),
        // The whole year, a little thicker than a period's bar.
        (Marker::Summary, end) => format!(
            r##"<rect class="marker" x="{}" y="{}" width="{}" height="8" fill="#0b50a0"/>"##,
            num(laid.x + 1.0),
            num(edge + if direction < 0.0 { -8.0 } else { 0.0 }),
            num((end.unwrap_or(laid.x + PER_YEAR) - laid.x - 2.0).max(3.0))
        ),
        (Marker::Document, _) => format!(
            r##"<circle class="marker" cx="{}" cy="{}" r="5" fill="#0b50a0"/>"##,
            num(laid.x),
            num(edge)
        ),
    };
    out.push_str(&marker);
    out.push_str(&format!(
        r#"<text x="{}" y="{}">"#,
        num(laid.x + 5.0),
        num(baseline)
    ));
    if !laid.lead.is_empty() {
        out.push_str(&format!(
            r#"<tspan class="label">{}</tspan> "#,
            escape(&laid.lead)
        ));
    }
    out.push_str(&escape(&laid.text));
    out.push_str("</text></a>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> IsoDate {
        IsoDate::parse(text).expect("test date")
    }

    #[test]
    fn dates_fall_where_the_calendar_puts_them() {
        assert_eq!(year_fraction(date("2009")), 2009.0);
        assert!((year_fraction(date("2009-07-02")) - 2009.5).abs() < 0.002);
        assert!((year_fraction(date("2012-03-01")) - (2012.0 + 60.0 / 366.0)).abs() < 1e-9);
        assert_eq!(period_end(date("2010-12")), Some(2011.0));
        assert_eq!(period_end(date("2009")), Some(2010.0));
        assert_eq!(period_end(date("2009-03-26")), None);
    }

    fn item(day: &str, label: &str) -> Item {
        Item {
            marker: Marker::Event,
            start: date(day),
            lead: String::new(),
            label: label.into(),
            href: String::new(),
            name: String::new(),
        }
    }

    #[test]
    fn no_leader_crosses_a_label() {
        let items = vec![
            item("2013-05-06", "Justerat förslag till överenskommelse"),
            item("2013-06-05", "Rekommendation från KSL"),
            item("2013-08-29", "Tjänsteutlåtande från socialkontoret"),
            item("2013-09-25", "Socialnämnden"),
            item("2010-12", "Etableringsreformen"),
        ];
        let laid = lay_out(&items, |y| (y - 2007.0) * PER_YEAR);
        for a in &laid {
            for b in &laid {
                // b's leader runs from the ruler out to b's row: every label nearer
                // the ruler must not cover b's x.
                if a.row < b.row {
                    assert!(
                        !(a.x < b.x && b.x < a.x + a.width),
                        "leader at {} crosses label {:?}",
                        b.x,
                        a.text
                    );
                }
                if a.row == b.row && a.x < b.x {
                    assert!(a.x + a.width <= b.x, "{:?} overlaps {:?}", a.text, b.text);
                }
            }
        }
        assert_eq!(
            laid[4].row, 0,
            "an event far from the others stays on row 0"
        );
        assert!(laid[0].row > laid[3].row);
    }

    /// The rows of the layout before the sweep: every label against every label
    /// placed before it. The sweep must give exactly these.
    fn rows_by_scanning(laid: &[Laid]) -> Vec<usize> {
        let mut rows = vec![0; laid.len()];
        let mut order: Vec<usize> = (0..laid.len()).collect();
        order.sort_by(|&a, &b| laid[b].x.total_cmp(&laid[a].x).then(b.cmp(&a)));
        let mut placed: Vec<usize> = Vec::new();
        for index in order {
            let (x, reach) = (laid[index].x, laid[index].x + laid[index].width + CLEARANCE);
            rows[index] = placed
                .iter()
                .filter(|&&p| laid[p].x >= x && laid[p].x <= reach)
                .map(|&p| rows[p] + 1)
                .max()
                .unwrap_or(0);
            placed.push(index);
        }
        rows
    }

    /// No two labels in one row overlap, and no leader (from the ruler out to its
    /// label's row) runs through a label nearer the ruler: a label that covers the
    /// start of another lies further out.
    fn assert_readable(laid: &[Laid]) {
        let mut by_x: Vec<&Laid> = laid.iter().collect();
        by_x.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut row_ends: Vec<f64> = Vec::new();
        for label in &by_x {
            if row_ends.len() <= label.row {
                row_ends.resize(label.row + 1, f64::NEG_INFINITY);
            }
            assert!(
                row_ends[label.row] < label.x,
                "{:?} at {} overlaps the label before it in row {}",
                label.text,
                label.x,
                label.row
            );
            row_ends[label.row] = label.x + label.width;
        }
        for (i, a) in by_x.iter().enumerate() {
            // Leaders that start under label a: the labels starting at or after a.x
            // and before its end.
            for b in by_x[i + 1..].iter().take_while(|b| b.x < a.x + a.width) {
                if b.x > a.x {
                    assert!(
                        a.row > b.row,
                        "the leader at {} crosses {:?} (row {}) from row {}",
                        b.x,
                        a.text,
                        a.row,
                        b.row
                    );
                }
            }
        }
    }

    /// A deterministic spread of labels: bursts on the same day, long and short
    /// labels, whole years and months, as a large archive has them.
    fn generated(count: usize) -> Vec<Item> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let words = [
            "Beslut",
            "remissvar",
            "från",
            "Kommunfullmäktige",
            "i",
            "Nacka",
            "om",
            "överenskommelsen",
            "2013",
            "Södertälje",
        ];
        (0..count)
            .map(|_| {
                let year = 1995 + next(30);
                let day = match next(10) {
                    0 => format!("{year}"),
                    1 => format!("{year}-{:02}", 1 + next(12)),
                    _ => format!("{year}-{:02}-{:02}", 1 + next(12), 1 + next(28)),
                };
                let label: Vec<&str> = (0..1 + next(12))
                    .map(|_| words[next(10) as usize])
                    .collect();
                item(&day, &label.join(" "))
            })
            .collect()
    }

    #[test]
    fn a_few_thousand_labels_are_laid_out_as_before_and_never_overlap() {
        let items = generated(4000);
        let laid = lay_out(&items, |y| (y - 1995.0) * PER_YEAR);
        let rows: Vec<usize> = laid.iter().map(|l| l.row).collect();
        assert_eq!(rows, rows_by_scanning(&laid));
        assert!(
            rows.iter().any(|&r| r > 10),
            "the set is dense enough to need rows"
        );
        assert_readable(&laid);
    }

    /// The real site's timeline: the same rows as before the sweep, and readable.
    #[test]
    fn the_real_sites_rows_are_unchanged() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, problems) = crate::content::load(root);
        let site = site.unwrap_or_else(|| panic!("the real site loads: {problems:?}"));
        let years = years(&site);
        assert!(!is_split(&years), "the real site keeps one timeline page");
        let Contents { upper, lower, .. } = contents(&site, "tidslinje/", &years, false);
        assert!(upper.len() >= 5 && lower.len() >= 10);
        for set in [&upper, &lower] {
            let laid = lay_out(set, |y| (y - 2007.0) * PER_YEAR);
            let rows: Vec<usize> = laid.iter().map(|l| l.row).collect();
            assert_eq!(rows, rows_by_scanning(&laid));
            assert_readable(&laid);
        }
    }
}
