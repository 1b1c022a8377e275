//! The adoption page (`content/antaganden.yaml`): which municipality adopted which
//! version, as far as the sources say, with the sources.

use serde::Serialize;

use super::parts::{DateView, date};
use crate::content::links::relative_url;
use crate::model::Site;
use crate::model::adoptions::{AdoptionFact, Adoptions};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::markdown::{inline_markdown, resolve};
use crate::routes;

/// `adoption.html`'s `page`.
#[derive(Serialize)]
pub struct AdoptionView<'a> {
    pub title: &'static str,
    pub note_html: Option<String>,
    pub description: &'static str,
    /// Every version of every work, a column each.
    pub columns: Vec<Column<'a>>,
    /// A row per municipality.
    pub rows: Vec<Row<'a>>,
    /// Every fact, as the sources state it.
    pub facts: Vec<Fact<'a>>,
}

#[derive(Serialize)]
pub struct Column<'a> {
    pub work: &'a str,
    pub version: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Row<'a> {
    pub name: &'a str,
    pub cells: Vec<Cell>,
}

/// What the sources say of one municipality and one version.
#[derive(Serialize)]
pub struct Cell {
    pub facts: Vec<CellFact>,
}

#[derive(Serialize)]
pub struct CellFact {
    pub status: &'static str,
    pub date: Option<DateView>,
    pub source_url: Option<String>,
}

#[derive(Serialize)]
pub struct Fact<'a> {
    pub version: &'a str,
    pub text: &'a str,
    pub status: &'static str,
    pub date: Option<DateView>,
    pub source_url: Option<String>,
    pub source_title: Option<&'a str>,
}

/// The page, when the site has `content/antaganden.yaml`.
pub fn job(site: &Site) -> Option<PageJob<'_>> {
    let adoptions = site.adoptions.as_ref()?;
    Some(PageJob::fallible(
        "adoption.html",
        routes::ADOPTIONS.into(),
        Owner::Adoption,
        move || super::context("adoption.html", &view(site, adoptions)),
    ))
}

pub fn view<'a>(site: &'a Site, adoptions: &'a Adoptions) -> AdoptionView<'a> {
    let url = routes::ADOPTIONS;
    let mut columns: Vec<Column> = Vec::new();
    for work in &site.works {
        for &i in &work.versions {
            if let Some(v) = site.pages[i].version() {
                columns.push(Column {
                    work: &work.id,
                    version: &v.version,
                    url: relative_url(url, &site.pages[i].url),
                });
            }
        }
    }
    let rows = adoptions
        .municipalities
        .iter()
        .map(|m| Row {
            name: m,
            cells: columns
                .iter()
                .map(|column| Cell {
                    facts: adoptions
                        .facts_for(m, column.work, column.version)
                        .map(|f| CellFact {
                            status: f.status.swedish(),
                            date: date(f.date),
                            source_url: resolve(site, url, &f.source),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    AdoptionView {
        title: "Antaganden",
        note_html: adoptions
            .note
            .as_ref()
            .map(|n| inline_markdown(site, url, n)),
        description: "Vilka kommuner som antagit vilken version, så långt källorna säger.",
        columns,
        rows,
        facts: adoptions.facts.iter().map(|f| fact(site, f)).collect(),
    }
}

fn fact<'a>(site: &'a Site, f: &'a AdoptionFact) -> Fact<'a> {
    Fact {
        version: &f.version,
        text: &f.text,
        status: f.status.swedish(),
        date: date(f.date),
        source_url: resolve(site, routes::ADOPTIONS, &f.source),
        source_title: f
            .source
            .strip_prefix("@/")
            .and_then(|p| site.page_by_path(p.split('#').next().unwrap_or(p)))
            .map(|p| p.title()),
    }
}
