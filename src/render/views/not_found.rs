//! The page served for every missing address.

use serde::Serialize;

use crate::model::Site;
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::routes;

/// `404.html`'s `page`.
#[derive(Serialize)]
pub struct NotFoundView {
    pub title: &'static str,
    pub description: &'static str,
    /// The site's path on its server: the page is served at any missing address, so
    /// only links from the root work there.
    pub base_path: String,
}

pub fn job(site: &Site) -> PageJob<'_> {
    PageJob::fallible(
        "404.html",
        routes::NOT_FOUND.into(),
        Owner::NotFound,
        move || {
            let view = NotFoundView {
                title: "Sidan finns inte",
                description: "Sidan du sökte finns inte.",
                base_path: site.config.base_path(),
            };
            super::context("404.html", &view)
        },
    )
}
