//! A comparison of two versions of a work: every clause of the newer version beside
//! where it came from in the older one, part by part, with the changed words marked.

use serde::Serialize;
use serde_json::Value;

use super::parts::{WorkLink, work_link};
use crate::compare::report;
use crate::compare::view::{inline as inline_blocks, side as side_blocks};
use crate::compare::{Alignment, ChangeKind, Comparison, Pair};
use crate::content::links::relative_url;
use crate::model::{Page, Site, Work};
use crate::render::PageJob;
use crate::render::addresses::Owner;
use crate::render::compare_pages::{
    Ctx, anchor, css_string, full_label, labels, part_anchor, version_id,
};
use crate::render::markdown::inline_markdown;
use crate::render::{pictures, what_changed};
use crate::routes;

/// `compare.html`'s `page`.
#[derive(Serialize)]
pub struct ComparisonView<'a> {
    pub title: String,
    pub description: String,
    pub work: WorkLink<'a>,
    pub from: Side<'a>,
    pub to: Side<'a>,
    /// "Vad ändrades?": facts counted from the alignment, each leading to its row.
    pub what_changed: Value,
    /// A row per pair of clauses.
    pub pairs: Vec<Row<'a>>,
    /// How many rows changed.
    pub change_count: usize,
    /// The work's comparisons, this one marked.
    pub others: Vec<Other<'a>>,
    pub json_url: String,
    pub lineage_map: Value,
    /// What each printed page says it is (a CSS string, for `@page` margin boxes).
    pub print_heading: String,
    /// The page's address where base_url gives it (a CSS string).
    pub print_address: Option<String>,
}

/// One of the two versions.
#[derive(Serialize)]
pub struct Side<'a> {
    pub version: &'a str,
    pub url: String,
    pub title: &'a str,
    pub date: Option<String>,
}

/// A row: clauses of the older version and what they became.
#[derive(Serialize)]
pub struct Row<'a> {
    pub anchor: String,
    pub from: Vec<ClauseRef<'a>>,
    pub to: Vec<ClauseRef<'a>>,
    pub from_label: String,
    pub to_label: String,
    pub from_titles: String,
    pub to_titles: String,
    pub renumbered: bool,
    pub status: ChangeKind,
    pub status_sv: &'static str,
    pub words: String,
    pub changed: bool,
    /// The row's number among the changed rows; 0 for an unchanged row.
    pub change_number: usize,
    pub changed_percent: i64,
    pub declared: bool,
    pub uncertain: bool,
    pub notes_html: Vec<String>,
    pub parts: Vec<PartView>,
    pub several_parts: bool,
}

/// A clause of a row, on its version's page.
#[derive(Serialize)]
pub struct ClauseRef<'a> {
    pub id: &'a str,
    pub url: String,
}

/// One part of a row: a clause of each side that share text.
#[derive(Serialize)]
pub struct PartView {
    pub notes_html: Vec<String>,
    pub anchor: String,
    pub from_label: String,
    pub to_label: String,
    pub words: String,
    pub has_old: bool,
    pub has_new: bool,
    pub old_html: String,
    pub new_html: String,
    pub inline_html: String,
}

/// Another comparison of the work.
#[derive(Serialize)]
pub struct Other<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub url: String,
    pub current: bool,
}

/// Every comparison page, planned: address and template now, view when rendered.
pub fn jobs<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    only_work: Option<&str>,
) -> Vec<PageJob<'a>> {
    alignment
        .comparisons
        .iter()
        .filter(|comparison| only_work.is_none_or(|work| comparison.work == work))
        .filter_map(|comparison| {
            let work = site.work(&comparison.work)?;
            let (from, to) = (
                version_id(&site.pages[comparison.from_page]),
                version_id(&site.pages[comparison.to_page]),
            );
            Some(PageJob::fallible(
                "compare.html",
                routes::comparison(&work.id, from, to),
                Owner::Comparison(comparison),
                move || super::context("compare.html", &view(site, alignment, work, comparison)),
            ))
        })
        .collect()
}

pub fn view<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    work: &'a Work,
    comparison: &'a Comparison,
) -> ComparisonView<'a> {
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let (vf, vt) = (version_id(from), version_id(to));
    let url = routes::comparison(&work.id, vf, vt);
    let ctx = Ctx::new(site, comparison, &url);
    let mut change_count = 0;
    let pairs = comparison
        .pairs
        .iter()
        .map(|pair| {
            let changed = pair.status != ChangeKind::Unchanged;
            if changed {
                change_count += 1;
            }
            let number = changed.then_some(change_count);
            row(site, &ctx, &url, (from, to), pair, number)
        })
        .collect();
    let others = alignment
        .comparisons
        .iter()
        .filter(|c| c.work == work.id)
        .map(|c| {
            let (a, b) = (
                version_id(&site.pages[c.from_page]),
                version_id(&site.pages[c.to_page]),
            );
            Other {
                from: a,
                to: b,
                url: relative_url(&url, &routes::comparison(&work.id, a, b)),
                current: a == vf && b == vt,
            }
        })
        .collect();
    let side = |page: &'a Page, version: &'a str, old: bool| Side {
        version,
        url: ctx.version_url(old).to_string(),
        title: page.title(),
        date: page.date().map(|d| d.swedish()),
    };
    ComparisonView {
        title: format!("{}: {} jämförd med {}", work.short_title, vf, vt),
        description: format!(
            "Paragraf för paragraf: vad som ändrats i {} mellan versionerna {} och {}.",
            work.short_title, vf, vt
        ),
        work: work_link(work, &url),
        from: side(from, vf, true),
        to: side(to, vt, false),
        what_changed: what_changed::for_comparison(site, comparison),
        pairs,
        change_count,
        others,
        json_url: relative_url(&url, &routes::comparison_json(&work.id, vf, vt)),
        lineage_map: pictures::comparison_map(site, comparison, &url),
        // Printed as a redline, each page says what it is (`@page` margin boxes); the
        // address is added where base_url gives it, otherwise by site.js.
        print_heading: css_string(&format!(
            "{}: {vf} ({}) jämförd med {vt} ({})",
            work.short_title,
            from.date().map(|d| d.swedish()).unwrap_or_default(),
            to.date().map(|d| d.swedish()).unwrap_or_default(),
        )),
        print_address: site
            .config
            .base_url
            .as_ref()
            .map(|base| css_string(&format!("{base}{url}"))),
    }
}

/// The row of `pair` of versions `from` and `to`; `change_number` is its number among
/// the changed rows.
fn row<'a>(
    site: &Site,
    ctx: &Ctx,
    url: &str,
    (from, to): (&Page, &Page),
    pair: &'a Pair,
    change_number: Option<usize>,
) -> Row<'a> {
    let titles = |page: &Page, ids: &[String]| -> String {
        ids.iter()
            .filter_map(|id| page.body.clause(id))
            .map(|c| c.title.clone())
            .collect::<Vec<String>>()
            .join(" / ")
    };
    let note_places = pair.note_places();
    let notes_at = |place: Option<usize>| -> Vec<String> {
        note_places
            .iter()
            .filter(|(p, _)| *p == place)
            .map(|(_, n)| inline_markdown(site, url, n))
            .collect()
    };
    let sides = ctx.laid.sides();
    let parts = pair
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| PartView {
            notes_html: notes_at(Some(i)),
            anchor: part_anchor(pair, part, &ctx.laid),
            from_label: full_label(from, part.from),
            to_label: full_label(to, part.to),
            words: report::part_words(part),
            has_old: part.from.is_some(),
            has_new: part.to.is_some(),
            old_html: ctx.blocks_html(&side_blocks(&sides, part, true), false),
            new_html: ctx.blocks_html(&side_blocks(&sides, part, false), false),
            inline_html: ctx.blocks_html(&inline_blocks(&sides, part), true),
        })
        .collect();
    let clause_refs = |ids: &'a [String], old: bool| -> Vec<ClauseRef<'a>> {
        ids.iter()
            .map(|id| ClauseRef {
                id,
                url: format!("{}#{id}", ctx.version_url(old)),
            })
            .collect()
    };
    Row {
        anchor: anchor(pair),
        from: clause_refs(&pair.from, true),
        to: clause_refs(&pair.to, false),
        from_label: labels(from, &pair.from),
        to_label: labels(to, &pair.to),
        from_titles: titles(from, &pair.from),
        to_titles: titles(to, &pair.to),
        renumbered: pair.status == ChangeKind::Renumbered,
        status: pair.status,
        status_sv: pair.status.swedish(),
        words: report::row_words(pair),
        changed: change_number.is_some(),
        change_number: change_number.unwrap_or(0),
        changed_percent: report::changed_percent(pair.similarity),
        declared: pair.declared,
        uncertain: pair.uncertain,
        notes_html: notes_at(None),
        parts,
        several_parts: pair.parts.len() > 1,
    }
}
