//! The timeline in text, for the templates: the year-by-year list under the figure (or,
//! when the timeline is split, the list of years with their pages) and the context of
//! each year's own page.

use serde_json::{Value, json};

use super::data::{Year, year_id};
use super::words;
use crate::content::links::relative_url;
use crate::model::Site;
use crate::render::date_view;
use crate::routes::{TIMELINE as URL, timeline_year as year_url};

/// What a year holds, in words: `3 versioner, 350 dokument och 12 händelser`.
fn year_counts(site: &Site, year: &Year) -> String {
    let versions = year.versions(site);
    words::year_counts(versions, year.dated.len() - versions, year.events.len())
}

/// A year's versions and documents, and its events, as the list shows them on the
/// page at `url`. Built as values and moved, never copied.
fn year_entries(site: &Site, url: &str, year: &Year) -> (Vec<Value>, Vec<Value>) {
    let documents = year
        .dated
        .iter()
        .filter_map(|&(date, index)| {
            let page = &site.pages[index];
            let described = words::describe(site, page, date)?;
            Some(json!({
                "title": page.title(),
                "url": relative_url(url, &page.url),
                "meta": described.meta,
                "date": date_view::date(Some(date)),
            }))
        })
        .collect();
    let events = year
        .events
        .iter()
        .map(|&(date, event, index)| {
            let source = &site.pages[index];
            json!({
                "date": date_view::date(Some(date)),
                "text": event.text,
                "source": { "title": source.title(), "url": relative_url(url, &source.url) },
            })
        })
        .collect();
    (documents, events)
}

/// The years under the figure on the page at `url`. Split, each year links its own
/// page and says what it holds; otherwise each lists its entries.
pub fn years_list(site: &Site, url: &str, years: &[Year], split: bool) -> Vec<Value> {
    years
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
        .collect()
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
        "title": words::year_page_title(year.year),
        "description": words::year_page_description(year.year, &counts),
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
