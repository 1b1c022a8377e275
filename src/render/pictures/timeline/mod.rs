//! The timeline to scale: a year ruler, the documents above it and the events the
//! sources state below it, each at its date and each a link; under it the same in
//! text, year by year.
//!
//! The floors, each using only those below it: `words` (the Swedish copy), `data`
//! (what is dated, and the marks the figure can draw), `layout` (where each mark and
//! label goes), `drawing` (the SVG and the figure around it) and `lists` (the text
//! lists and the year pages' contexts).

mod data;
mod drawing;
mod layout;
mod lists;
mod words;

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::model::Site;
use data::{Marker, SUMMARY_THRESHOLD};
pub use data::{SINGLE_PAGE_LIMIT, Year, events, is_split, years};
pub use lists::year_page;

/// The timeline: `figure` as HTML (figure, scrollable SVG, legend) and `years`, every
/// version, document and event year by year for the list under it, or, when `split`
/// (see [`SINGLE_PAGE_LIMIT`]), each year's page and what it holds. `None` with no
/// dates.
pub fn draw(site: &Site, url: &str) -> Option<Value> {
    let years = years(site);
    let split = is_split(&years);
    let contents = data::contents(site, url, &years, split);
    let first = contents.per_year.keys().map(|&(year, _)| year).min()?;
    let last = contents.per_year.keys().map(|&(year, _)| year).max()?;
    let x_of = move |year: f64| layout::MARGIN + (year - f64::from(first)) * layout::PER_YEAR;
    let mut summarised: BTreeSet<(u16, Marker)> = contents
        .per_year
        .iter()
        .filter(|&(_, &count)| count > SUMMARY_THRESHOLD)
        .map(|(&key, _)| key)
        .collect();
    let documents = layout::settle(
        &contents,
        &contents.upper,
        &[Marker::Version, Marker::Document],
        &mut summarised,
        x_of,
    );
    let happenings = layout::settle(
        &contents,
        &contents.lower,
        &[Marker::Event],
        &mut summarised,
        x_of,
    );
    let upper = layout::lay_out(&documents, x_of);
    let lower = layout::lay_out(&happenings, x_of);
    let words = words::figure_words(
        first,
        last,
        split,
        !summarised.is_empty(),
        match site.works.as_slice() {
            [work] => Some(work.short_title.as_str()),
            _ => None,
        },
    );
    let figure = drawing::figure(&upper, &lower, (first, last), x_of, &words);
    let mut value = json!({ "figure": figure, "split": split });
    value["years"] = Value::Array(lists::years_list(site, url, &years, split));
    Some(value)
}
