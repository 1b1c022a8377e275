//! The search page; its index is written by `render::search`.

use serde::Serialize;

use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::routes;

/// `search.html`'s `page`.
#[derive(Serialize)]
pub struct SearchView {
    pub title: &'static str,
    pub description: &'static str,
}

pub fn job() -> PageJob<'static> {
    PageJob::fallible("search.html", routes::SEARCH.into(), Owner::Search, || {
        let view = SearchView {
            title: "Sök",
            description: "Sök i webbplatsens alla versioner och dokument.",
        };
        super::context("search.html", &view)
    })
}
