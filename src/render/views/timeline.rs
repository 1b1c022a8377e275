//! The timeline's page and, for a split timeline, its pages per year. Both are made by
//! the timeline picture (`render::pictures`), which lays out the figure and the lists.

use serde::Serialize;
use serde_json::Value;

use crate::model::Site;
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::pictures::{self, TimelineYear};
use crate::routes;

/// `timeline.html`'s `page`.
#[derive(Serialize)]
pub struct TimelineView {
    pub title: &'static str,
    pub description: &'static str,
    /// The figure and the year-by-year list under it (`pictures::timeline_svg`).
    pub svg: Value,
}

pub fn job(site: &Site) -> PageJob<'_> {
    PageJob::fallible(
        "timeline.html",
        routes::TIMELINE.into(),
        Owner::Timeline,
        move || {
            let view = TimelineView {
                title: "Tidslinje",
                description: "Händelserna i den ordning källorna anger dem.",
                svg: pictures::timeline_svg(site, routes::TIMELINE),
            };
            super::context("timeline.html", &view)
        },
    )
}

/// A split timeline's page per year (see `TIMELINE_SINGLE_PAGE_LIMIT`): each job holds
/// only its year's places in the site, and makes the year's list when it renders.
pub fn year_jobs<'a>(site: &'a Site, years: Vec<TimelineYear<'a>>) -> Vec<PageJob<'a>> {
    let numbers: Vec<u16> = years.iter().map(|year| year.year).collect();
    years
        .into_iter()
        .enumerate()
        .map(|(i, year)| {
            let previous = i.checked_sub(1).map(|p| numbers[p]);
            let next = numbers.get(i + 1).copied();
            PageJob::new(
                "timeline-year.html",
                routes::timeline_year(year.year),
                Owner::TimelineYear(year.year),
                move || pictures::timeline_year_page(site, &year, previous, next),
            )
        })
        .collect()
}
