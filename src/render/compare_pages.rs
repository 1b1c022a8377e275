//! Comparison pages and the published JSON of versions and comparisons, with their
//! schemas.

use serde_json::{Value, json};

use super::PageJob;
use super::addresses::Owner;
use super::markdown::inline_markdown;
use crate::compare::words::{Op, Segment};
use crate::compare::{Alignment, Comparison, Pair, Status};
use crate::content::links::relative_url;
use crate::model::{Page, Site, Work};
use crate::output::OutputFile;

/// The folder of `work`'s comparisons (pages and JSON), kept for them (`addresses`).
/// `FROM-TO` names one pair only because no version id of a work begins with another's
/// id and `-` (checked when the works are grouped).
pub fn comparisons_folder(work: &Work) -> String {
    format!("{}/jamfor/", work.id)
}

pub fn url(work: &Work, from: &str, to: &str) -> String {
    format!("{}{from}-{to}/", comparisons_folder(work))
}

pub fn version_json_path(work: &Work, version: &str) -> String {
    format!("{}/{version}.json", work.id)
}

pub fn comparison_json_path(work: &Work, from: &str, to: &str) -> String {
    format!("{}{from}-{to}.json", comparisons_folder(work))
}

fn version_id(page: &Page) -> &str {
    page.version().map_or("", |v| v.version.as_str())
}

/// `§ 2`, `§ 1 och § 2`, or `–` for none.
fn labels(page: &Page, ids: &[String]) -> String {
    crate::compare::report::labels(page, ids, " och ")
}

use super::escape_html as escape;

/// One side of a diff as HTML: equal text plus `<del>` (old side) or `<ins>` (new side).
pub fn side_html(segments: &[Segment], old: bool) -> String {
    let mut out = String::new();
    for s in segments {
        match (s.op, old) {
            (Op::Equal, _) => out.push_str(&escape(&s.text)),
            (Op::Delete, true) => out.push_str(&format!("<del>{}</del>", escape(&s.text))),
            (Op::Insert, false) => out.push_str(&format!("<ins>{}</ins>", escape(&s.text))),
            _ => {}
        }
    }
    out
}

pub fn inline_html(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s.op {
            Op::Equal => out.push_str(&escape(&s.text)),
            Op::Delete => out.push_str(&format!("<del>{}</del>", escape(&s.text))),
            Op::Insert => out.push_str(&format!("<ins>{}</ins>", escape(&s.text))),
        }
    }
    out
}

/// The id of a pair's row on its comparison page.
/// `text` as a CSS string, quotes included, safe inside a `<style>` element: `"`, `\`,
/// line breaks and `<` (no `</style>`) are escaped.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '\n' | '\r' => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn anchor(pair: &Pair) -> String {
    match (pair.to.first(), pair.from.first()) {
        (Some(t), _) => format!("till-{t}"),
        (None, Some(f)) => format!("fran-{f}"),
        _ => "par".into(),
    }
}

/// Every comparison page, planned: address and template now, context when rendered.
pub fn jobs<'a>(site: &'a Site, alignment: &'a Alignment) -> Vec<PageJob<'a>> {
    alignment
        .comparisons
        .iter()
        .filter_map(|c| comparison_page(site, alignment, c))
        .collect()
}

fn comparison_page<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    comparison: &'a Comparison,
) -> Option<PageJob<'a>> {
    let work = site.work(&comparison.work)?;
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let (vf, vt) = (version_id(from), version_id(to));
    let url = url(work, vf, vt);
    let (address, owner) = (url.clone(), Owner::Comparison(comparison));
    Some(PageJob::new("compare.html", address, owner, move || {
        let from_url = relative_url(&url, &from.url);
        let to_url = relative_url(&url, &to.url);
        let mut change_number = 0;
        let pairs: Vec<Value> = comparison.pairs.iter().map(|pair| {
        let from_label = labels(from, &pair.from);
        let to_label = labels(to, &pair.to);
        let renumbered = !pair.from.is_empty() && !pair.to.is_empty() && from_label != to_label;
        let changed = pair.status != Status::Unchanged;
        if changed {
            change_number += 1;
        }
        let changes = comparison.changes(site, pair);
        let titles = |page: &Page, ids: &[String]| -> Vec<String> { ids.iter().filter_map(|id| page.body.clause(id)).map(|c| c.title.clone()).collect() };
        json!({
            "anchor": anchor(pair),
            "from": pair.from.iter().map(|id| json!({"id": id, "url": format!("{from_url}#{id}")})).collect::<Vec<_>>(),
            "to": pair.to.iter().map(|id| json!({"id": id, "url": format!("{to_url}#{id}")})).collect::<Vec<_>>(),
            "from_label": from_label,
            "to_label": to_label,
            "from_titles": titles(from, &pair.from).join(" / "),
            "to_titles": titles(to, &pair.to).join(" / "),
            "renumbered": renumbered,
            "status": pair.status,
            "status_sv": pair.status.swedish(),
            "changed": changed,
            "change_number": if changed { change_number } else { 0 },
            "changed_percent": ((1.0 - pair.similarity) * 100.0).round() as i64,
            "declared": pair.declared,
            "uncertain": pair.uncertain,
            "notes_html": pair.notes.iter().map(|n| inline_markdown(site, &url, n)).collect::<Vec<_>>(),
            "old_html": side_html(&changes, true),
            "new_html": side_html(&changes, false),
            "inline_html": inline_html(&changes),
        })
    }).collect();
        let others: Vec<Value> = alignment.comparisons.iter().filter(|c| c.work == work.id).map(|c| {
        let (a, b) = (version_id(&site.pages[c.from_page]), version_id(&site.pages[c.to_page]));
        json!({ "from": a, "to": b, "url": relative_url(&url, &self::url(work, a, b)), "current": a == vf && b == vt })
    }).collect();
        json!({
            "title": format!("{}: {} jämförd med {}", work.short_title, vf, vt),
            "description": format!("Paragraf för paragraf: vad som ändrats i {} mellan versionerna {} och {}.", work.short_title, vf, vt),
            "work": { "id": work.id, "title": work.title, "short_title": work.short_title, "url": relative_url(&url, &format!("{}/", work.id)) },
            "from": { "version": vf, "url": from_url, "title": from.title(), "date": from.date().map(|d| d.swedish()) },
            "to": { "version": vt, "url": to_url, "title": to.title(), "date": to.date().map(|d| d.swedish()) },
            "pairs": pairs,
            "change_count": change_number,
            "others": others,
            "json_url": relative_url(&url, &comparison_json_path(work, vf, vt)),
            "lineage_map": super::pictures::comparison_map(site, alignment, comparison, &url),
            // Printed as a redline, each page says what it is (`@page` margin boxes); the
            // address is added where base_url gives it, otherwise by site.js.
            "print_heading": css_string(&format!(
                "{}: {vf} ({}) jämförd med {vt} ({})",
                work.short_title,
                from.date().map(|d| d.swedish()).unwrap_or_default(),
                to.date().map(|d| d.swedish()).unwrap_or_default(),
            )),
            "print_address": site.config.base_url.as_ref().map(|base| css_string(&format!("{base}{url}"))),
        })
    }))
}

pub fn version_json(site: &Site, page: &Page) -> Value {
    let meta = page.version();
    json!({
        "work": meta.map(|v| v.work.clone()),
        "version": meta.map(|v| v.version.clone()),
        "title": page.title(),
        "date": page.date().map(|d| d.to_string()),
        "status": meta.map(crate::content::status::label),
        "status_history": meta.map(|v| &v.status_history),
        // Absolute where base_url is known; the JSON files sit beside the pages.
        "url": site.config.base_url.as_ref().map(|base| format!("{base}{}", page.url)),
        "clauses": page.body.clauses.iter().map(|c| json!({
            "id": c.id,
            "label": c.label(),
            "title": c.title,
            "stycken": c.stycken.iter().map(|s| json!({
                "id": s.id,
                "text": s.text,
                "items": s.items.iter().map(|i| json!({"id": i.id, "text": i.text})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The published JSON of every version and every comparison, each made and put into
/// `sink` on its own, in parallel, so they are never all in memory at once.
pub fn write_json_files(
    site: &Site,
    alignment: &Alignment,
    sink: &dyn crate::output::Sink,
) -> Result<usize, crate::output::OutputError> {
    use rayon::prelude::*;
    let versions: Vec<(&Work, usize)> = site
        .works
        .iter()
        .flat_map(|work| work.versions.iter().map(move |&i| (work, i)))
        .collect();
    versions.par_iter().try_for_each(|&(work, i)| {
        let page = &site.pages[i];
        let body = serde_json::to_vec_pretty(&version_json(site, page)).unwrap_or_default();
        sink.put(OutputFile::new(
            version_json_path(work, version_id(page)),
            body,
        ))
    })?;
    let comparisons: Vec<(&Work, &Comparison)> = alignment
        .comparisons
        .iter()
        .filter_map(|c| Some((site.work(&c.work)?, c)))
        .collect();
    comparisons.par_iter().try_for_each(|&(work, c)| {
        // The same shape `avtal diff --format json` prints.
        let all: Vec<&crate::compare::Pair> = c.pairs.iter().collect();
        let body = serde_json::to_vec_pretty(&super::open_data::comparison_json(site, c, &all))
            .unwrap_or_default();
        sink.put(OutputFile::new(
            comparison_json_path(
                work,
                version_id(&site.pages[c.from_page]),
                version_id(&site.pages[c.to_page]),
            ),
            body,
        ))
    })?;
    let schemas = super::open_data::schema_files();
    let schema_count = schemas.len();
    for file in schemas {
        sink.put(file)?;
    }
    Ok(versions.len() + comparisons.len() + schema_count)
}
