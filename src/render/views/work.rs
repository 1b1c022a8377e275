//! A work's page: its versions, their comparisons and the lineage map.

use serde::Serialize;
use serde_json::Value;

use super::parts::{ComparisonEntry, VersionEntry, comparisons_list, versions_list};
use crate::compare::Alignment;
use crate::model::{Site, Work};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::pictures;
use crate::routes;

/// `work.html`'s `page`.
#[derive(Serialize)]
pub struct WorkView<'a> {
    pub title: &'a str,
    pub description: String,
    pub work: WorkInfo<'a>,
    pub versions: Vec<VersionEntry<'a>>,
    pub comparisons: Vec<ComparisonEntry<'a>>,
    /// The lineage map's figure; null for a work of one version.
    pub lineage_map: Value,
}

#[derive(Serialize)]
pub struct WorkInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub short_title: &'a str,
    pub description: Option<&'a str>,
}

pub fn job<'a>(site: &'a Site, alignment: &'a Alignment, work: &'a Work) -> PageJob<'a> {
    PageJob::fallible(
        "work.html",
        routes::work(&work.id),
        Owner::Work(work),
        move || super::context("work.html", &view(site, alignment, work)),
    )
}

pub fn view<'a>(site: &'a Site, alignment: &Alignment, work: &'a Work) -> WorkView<'a> {
    let url = routes::work(&work.id);
    WorkView {
        title: &work.title,
        description: work
            .description
            .clone()
            .unwrap_or_else(|| format!("Alla versioner av {}", work.short_title)),
        work: WorkInfo {
            id: &work.id,
            title: &work.title,
            short_title: &work.short_title,
            description: work.description.as_deref(),
        },
        versions: versions_list(site, work, &url),
        comparisons: comparisons_list(site, alignment, work, &url),
        lineage_map: pictures::lineage_map(site, alignment, work, &url),
    }
}
