//! Comparison pages and the published JSON of versions and comparisons, with their
//! schemas.

use serde_json::{Value, json};

use super::PageJob;
use super::addresses::Owner;
use super::markdown::inline_markdown;
use std::collections::HashSet;

use crate::compare::parts::{At, Part};
use crate::compare::report::{self, Laid};
use crate::compare::structure::Layout;
use crate::compare::view::{self, Piece, Shown};
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

/// `§ 2`, `§ 1 och § 2`, `Utgångspunkter, § 2 och § 5`, or `–` for none.
fn labels(page: &Page, ids: &[String]) -> String {
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| page.body.clause(id))
        .map(|c| c.label())
        .collect();
    match names.as_slice() {
        [] => "–".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

use super::escape_html as escape;

/// One segment as HTML: removed text as `<del>`, added as `<ins>`, unless it is only
/// white space (a line break between two stycken of a split): that is shown plain, as
/// a screen reader would otherwise announce an empty "tillagt".
fn segment_html(out: &mut String, op: Op, text: &str) {
    match op {
        _ if view::is_blank(text) => out.push_str(&escape(text)),
        Op::Equal => out.push_str(&escape(text)),
        Op::Delete => out.push_str(&format!("<del>{}</del>", escape(text))),
        Op::Insert => out.push_str(&format!("<ins>{}</ins>", escape(text))),
    }
}

/// One side of a diff as HTML: equal text plus `<del>` (old side) or `<ins>` (new side).
pub fn side_html(segments: &[Segment], old: bool) -> String {
    let mut out = String::new();
    for s in segments {
        match (s.op, old) {
            (Op::Equal, _) | (Op::Delete, true) | (Op::Insert, false) => {
                segment_html(&mut out, s.op, &s.text)
            }
            _ => {}
        }
    }
    out
}

pub fn inline_html(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        segment_html(&mut out, s.op, &s.text);
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

/// The id of one part of a row: the row's own for a row of one part, else
/// `till-P5-fran-P1`.
pub fn part_anchor(pair: &Pair, part: &Part, laid: &Laid) -> String {
    if pair.parts.len() <= 1 {
        return anchor(pair);
    }
    format!(
        "till-{}-fran-{}",
        part.to.map_or("", |t| laid.clause_id(false, t)),
        part.from.map_or("", |f| laid.clause_id(true, f))
    )
}

/// The part of `pair` that pairs clause `from` with clause `to` (ids), with its
/// anchor on the comparison page: where a line of the lineage map leads, and how much
/// it changed. A row of one part gives its own anchor.
pub fn link_part<'p>(
    site: &Site,
    comparison: &Comparison,
    pair: &'p Pair,
    from: &str,
    to: &str,
) -> (String, Option<&'p Part>) {
    let id = |page: usize, index: Option<usize>| {
        index
            .and_then(|i| site.pages[page].body.clauses.get(i))
            .map(|c| c.id.as_str())
    };
    let part = pair.parts.iter().find(|p| {
        id(comparison.from_page, p.from) == Some(from) && id(comparison.to_page, p.to) == Some(to)
    });
    let anchor = match part {
        Some(_) if pair.parts.len() > 1 => format!("till-{to}-fran-{from}"),
        _ => anchor(pair),
    };
    (anchor, part)
}

/// What the HTML of a comparison needs besides the parts: the versions laid out, the
/// addresses of the version pages and which stycken hold numbered lists.
struct Ctx<'a> {
    comparison: &'a Comparison,
    laid: Laid<'a>,
    versions: (&'a str, &'a str),
    urls: (String, String),
    /// Stycke ids (of either version) whose list is numbered (`1.`) rather than
    /// bulleted.
    numbered: HashSet<String>,
}

impl Ctx<'_> {
    fn version(&self, old: bool) -> &str {
        if old {
            self.versions.0
        } else {
            self.versions.1
        }
    }

    fn url(&self, old: bool) -> &str {
        if old { &self.urls.0 } else { &self.urls.1 }
    }

    /// The anchor on this page of the part that shows a sentence.
    fn place_anchor(&self, old: bool, at: At) -> Option<String> {
        let (pair, part) = self.comparison.place_of(old, at)?;
        Some(part_anchor(pair, part, &self.laid))
    }

    /// A link to where a moved sentence went or came from.
    fn moved_link(&self, old: bool, places: &[At], away: bool) -> String {
        let names: Vec<String> = places.iter().map(|&at| self.laid.place(old, at)).collect();
        let text = if away {
            format!("flyttad till {}", names.join(" och "))
        } else {
            format!("flyttad hit från {}", names.join(" och "))
        };
        match places.first().and_then(|&at| self.place_anchor(old, at)) {
            Some(anchor) => format!(
                r##"<a class="moved-link" href="#{}">{}</a>"##,
                escape(&anchor),
                escape(&text)
            ),
            None => format!(r#"<span class="moved-link">{}</span>"#, escape(&text)),
        }
    }

    /// Blocks as HTML: stycken as paragraphs, list items in lists with their own
    /// numbers (`<li value="7">`), each with the id of its stycke or item. In the single
    /// column (`inline`), blocks of the older clause are marked with its version.
    fn blocks_html(&self, blocks: &[Shown], inline: bool) -> String {
        let mut out = String::new();
        let mut open_list: Option<(bool, usize, usize, bool)> = None;
        for shown in blocks {
            let layout = self.laid_layout(shown.old, shown.clause);
            let Some(block) = layout.and_then(|l| l.blocks.get(shown.block)) else {
                continue;
            };
            // Blocks are in stycke order: the last says whether there are several (asking
            // every block, for each block, was quadratic in a list of thousands of items).
            let several_stycken =
                layout.is_some_and(|l| l.blocks.last().is_some_and(|b| b.stycke > 1));
            let list_key = (shown.old, shown.clause, block.stycke);
            if let Some((o, c, st, numbered)) = open_list
                && (block.item.is_none() || (o, c, st) != list_key)
            {
                out.push_str(if numbered { "</ol>\n" } else { "</ul>\n" });
                open_list = None;
            }
            let older = inline && shown.old;
            let class = if older { " older" } else { "" };
            let version = self.version(shown.old);
            let href = format!("{}#{}", self.url(shown.old), block.id);
            let tag = if older {
                format!(r#"<span class="older-tag">{}</span> "#, escape(version))
            } else {
                String::new()
            };
            let body = self.pieces_html(&shown.pieces, shown.old, inline);
            match block.item {
                Some(n) => {
                    let stycke_id = block.id.rsplit_once('N').map_or("", |(s, _)| s);
                    let numbered = self.numbered.contains(stycke_id);
                    if open_list.is_none() {
                        out.push_str(if numbered {
                            r#"<ol class="items">"#
                        } else {
                            r#"<ul class="items">"#
                        });
                        open_list = Some((list_key.0, list_key.1, list_key.2, numbered));
                    }
                    // A bulleted list has no numbers to keep (nor may its items have one).
                    let value = if numbered {
                        format!(r#" value="{n}""#)
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        r#"<li{value} class="block{class}" data-ref="{}" title="{}">{tag}{body}</li>"#,
                        escape(&block.id),
                        escape(&self.laid.place(shown.old, (shown.clause, first_sentence(layout, shown.block)))),
                    ));
                }
                None => {
                    let label = if several_stycken || older {
                        format!(
                            r#"<a class="ref" href="{}">{}</a> "#,
                            escape(&href),
                            escape(&block.label())
                        )
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        r#"<p class="block{class}" data-ref="{}">{tag}{label}{body}</p>"#,
                        escape(&block.id)
                    ));
                }
            }
            out.push('\n');
        }
        if let Some((_, _, _, numbered)) = open_list {
            out.push_str(if numbered { "</ol>\n" } else { "</ul>\n" });
        }
        out
    }

    fn laid_layout(&self, old: bool, clause: usize) -> Option<&Layout> {
        if old {
            self.laid.old.get(clause)
        } else {
            self.laid.new.get(clause)
        }
    }

    /// A block's pieces; in a column, a sentence moved here shows only what it is now.
    fn pieces_html(&self, pieces: &[Piece], old: bool, inline: bool) -> String {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(op, text) => segment_html(&mut out, *op, text),
                Piece::Away { text, to } => out.push_str(&format!(
                    r#"<span class="moved moved-away"><span class="moved-text">{}</span> {}</span>"#,
                    escape(text),
                    self.moved_link(false, to, true)
                )),
                Piece::Here { segments, from } => {
                    let text = if inline || !old {
                        let shown: Vec<Segment> = segments
                            .iter()
                            .filter(|s| inline || s.op != Op::Delete)
                            .cloned()
                            .collect();
                        inline_html(&shown)
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        r#"<span class="moved moved-here">{} <span class="moved-text">{text}</span></span>"#,
                        self.moved_link(true, from, false)
                    ));
                }
            }
        }
        out.trim_end().to_string()
    }
}

fn first_sentence(layout: Option<&Layout>, block: usize) -> usize {
    // Sentences are in block order: found by bisection (a search from the first, for
    // each item of a list of thousands, was quadratic).
    layout
        .and_then(|l| {
            let at = l.sentences.partition_point(|s| s.block < block);
            l.sentences.get(at).filter(|s| s.block == block).map(|_| at)
        })
        .unwrap_or(0)
}

/// The stycken of `page` whose list is numbered: the clause's Markdown says so (a list
/// starting `1.`), which the stycke texts do not keep. Without its text (a file that
/// changed on disk), every list is taken as numbered.
fn numbered_lists(page: &Page) -> HashSet<String> {
    use pulldown_cmark::{Event, Tag};
    let Ok(text) = page.source.text() else {
        return page
            .body
            .clauses
            .iter()
            .flat_map(|c| c.stycken.iter().map(|s| s.id.clone()))
            .collect();
    };
    let mut out = HashSet::new();
    for clause in &page.body.clauses {
        let mut stycke: Option<String> = None;
        for event in clause.events(&text) {
            match event {
                Event::Html(html) => {
                    if let Some(rest) = html.split_once("data-stycke=\"").map(|(_, r)| r) {
                        stycke = rest.split('"').next().map(str::to_string);
                    }
                }
                Event::Start(Tag::List(Some(_))) => {
                    if let Some(id) = stycke.take() {
                        out.insert(id);
                    }
                }
                Event::Start(Tag::List(None)) => stycke = None,
                _ => {}
            }
        }
    }
    out
}

/// Every comparison page, planned: address and template now, context when rendered.
pub fn jobs<'a>(site: &'a Site, alignment: &'a Alignment) -> Vec<PageJob<'a>> {
    alignment
        .comparisons
        .iter()
        .filter_map(|c| comparison_page(site, alignment, c))
        .collect()
}

/// `§ 1 Överenskommelsens syfte`, or the heading alone.
fn full_label(page: &Page, clause: Option<usize>) -> String {
    clause.and_then(|c| page.body.clauses.get(c)).map_or_else(
        || "–".to_string(),
        |c| match &c.number_text {
            Some(_) if !c.title.is_empty() => format!("{} {}", c.label(), c.title),
            _ => c.label(),
        },
    )
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
        let mut numbered = numbered_lists(from);
        numbered.extend(numbered_lists(to));
        let ctx = Ctx {
            comparison,
            laid: Laid::of(site, comparison),
            versions: (vf, vt),
            urls: (from_url.clone(), to_url.clone()),
            numbered,
        };
        let sides = ctx.laid.sides();
        let mut change_number = 0;
        let pairs: Vec<Value> = comparison.pairs.iter().map(|pair| {
            let from_label = labels(from, &pair.from);
            let to_label = labels(to, &pair.to);
            let changed = pair.status != Status::Unchanged;
            if changed {
                change_number += 1;
            }
            let titles = |page: &Page, ids: &[String]| -> Vec<String> { ids.iter().filter_map(|id| page.body.clause(id)).map(|c| c.title.clone()).collect() };
            let note_places = pair.note_places();
            let notes_at = |place: Option<usize>| -> Vec<String> {
                note_places.iter().filter(|(p, _)| *p == place).map(|(_, n)| inline_markdown(site, &url, n)).collect()
            };
            let parts: Vec<Value> = pair.parts.iter().enumerate().map(|(i, part)| {
                json!({
                    "notes_html": notes_at(Some(i)),
                    "anchor": part_anchor(pair, part, &ctx.laid),
                    "from_label": full_label(from, part.from),
                    "to_label": full_label(to, part.to),
                    "words": report::part_words(part),
                    "has_old": part.from.is_some(),
                    "has_new": part.to.is_some(),
                    "old_html": ctx.blocks_html(&view::side(&sides, part, true), false),
                    "new_html": ctx.blocks_html(&view::side(&sides, part, false), false),
                    "inline_html": ctx.blocks_html(&view::inline(&sides, part), true),
                })
            }).collect();
            json!({
                "anchor": anchor(pair),
                "from": pair.from.iter().map(|id| json!({"id": id, "url": format!("{from_url}#{id}")})).collect::<Vec<_>>(),
                "to": pair.to.iter().map(|id| json!({"id": id, "url": format!("{to_url}#{id}")})).collect::<Vec<_>>(),
                "from_label": from_label,
                "to_label": to_label,
                "from_titles": titles(from, &pair.from).join(" / "),
                "to_titles": titles(to, &pair.to).join(" / "),
                "renumbered": pair.status == Status::Renumbered,
                "status": pair.status,
                "status_sv": pair.status.swedish(),
                "words": report::row_words(pair),
                "changed": changed,
                "change_number": if changed { change_number } else { 0 },
                "changed_percent": report::changed_percent(pair.similarity),
                "declared": pair.declared,
                "uncertain": pair.uncertain,
                "notes_html": notes_at(None),
                "parts": parts,
                "several_parts": pair.parts.len() > 1,
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
        let body = serde_json::to_vec_pretty(&crate::compare::report::json(site, c, &all))
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
