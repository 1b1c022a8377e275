//! The HTML of a comparison's rows; the page's view is `views::comparison`.

use std::collections::HashSet;

use crate::compare::parts::{At, Part};
use crate::compare::report::Laid;
use crate::compare::structure::Layout;
use crate::compare::view::{self, Piece, Shown};
use crate::compare::words::{Op, Segment};
use crate::compare::{Comparison, Pair};
use crate::content::links::relative_url;
use crate::model::{Page, Site};

pub(crate) fn version_id(page: &Page) -> &str {
    page.version().map_or("", |v| v.version.as_str())
}

/// `§ 2`, `§ 1 och § 2`, `Utgångspunkter, § 2 och § 5`, or `–` for none.
pub(crate) fn labels(page: &Page, ids: &[String]) -> String {
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

/// `text` as a CSS string, quotes included, safe inside a `<style>` element: `"`, `\`,
/// line breaks and `<` (no `</style>`) are escaped.
pub(crate) fn css_string(text: &str) -> String {
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

/// The id of a pair's row on its comparison page.
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
pub(crate) struct Ctx<'a> {
    comparison: &'a Comparison,
    pub(crate) laid: Laid<'a>,
    versions: (&'a str, &'a str),
    urls: (String, String),
    /// Stycke ids (of either version) whose list is numbered (`1.`) rather than
    /// bulleted.
    numbered: HashSet<String>,
}

impl<'a> Ctx<'a> {
    /// For the comparison page at `url`.
    pub(crate) fn new(site: &'a Site, comparison: &'a Comparison, url: &str) -> Ctx<'a> {
        let (from, to) = (
            &site.pages[comparison.from_page],
            &site.pages[comparison.to_page],
        );
        let mut numbered = numbered_lists(from);
        numbered.extend(numbered_lists(to));
        Ctx {
            comparison,
            laid: Laid::of(site, comparison),
            versions: (version_id(from), version_id(to)),
            urls: (relative_url(url, &from.url), relative_url(url, &to.url)),
            numbered,
        }
    }

    fn version(&self, old: bool) -> &str {
        if old {
            self.versions.0
        } else {
            self.versions.1
        }
    }

    /// The address of the older (`old`) or newer version's page, from the comparison.
    pub(crate) fn version_url(&self, old: bool) -> &str {
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
    pub(crate) fn blocks_html(&self, blocks: &[Shown], inline: bool) -> String {
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
            let href = format!("{}#{}", self.version_url(shown.old), block.id);
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
        for event in crate::render::body_html::clause_events(clause, &text) {
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

/// `§ 1 Överenskommelsens syfte`, or the heading alone.
pub(crate) fn full_label(page: &Page, clause: Option<usize>) -> String {
    clause.and_then(|c| page.body.clauses.get(c)).map_or_else(
        || "–".to_string(),
        |c| match &c.number_text {
            Some(_) if !c.title.is_empty() => format!("{} {}", c.label(), c.title),
            _ => c.label(),
        },
    )
}
