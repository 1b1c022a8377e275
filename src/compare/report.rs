//! `avtal diff`: a comparison printed for the terminal or as JSON for scripts; and what
//! the comparison pages share with them: the words that say what happened to a row,
//! the changes of a part, and notes with their links made into addresses.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::parts::{Aligned, At, Part, Sides};
use super::structure::Layout;
use super::view::{self, Piece, Shown};
use super::words::{self, Op};
use super::{ChangeKind, Comparison, Move, Pair};
use crate::diagnostics::{escape_controls, escape_controls_in_lines};
use crate::model::{Page, Site};

/// Which pairs to show: all, or those touching one clause id (exact match).
pub fn select<'a>(comparison: &'a Comparison, clause: Option<&str>) -> Vec<&'a Pair> {
    comparison
        .pairs
        .iter()
        .filter(|p| clause.is_none_or(|id| p.from.iter().chain(&p.to).any(|c| c == id)))
        .collect()
}

/// The two versions of a comparison, their clauses laid out in sentences and blocks.
pub struct Laid<'a> {
    pub from: &'a Page,
    pub to: &'a Page,
    pub old: Vec<Layout>,
    pub new: Vec<Layout>,
}

impl<'a> Laid<'a> {
    pub fn of(site: &'a Site, comparison: &Comparison) -> Laid<'a> {
        let from = &site.pages[comparison.from_page];
        let to = &site.pages[comparison.to_page];
        let lay = |page: &Page| page.body.clauses.iter().map(Layout::of).collect();
        Laid {
            from,
            to,
            old: lay(from),
            new: lay(to),
        }
    }

    pub fn sides(&self) -> Sides<'_> {
        Sides {
            old: &self.old,
            new: &self.new,
        }
    }

    fn page(&self, old: bool) -> &'a Page {
        if old { self.from } else { self.to }
    }

    fn layouts(&self, old: bool) -> &[Layout] {
        if old { &self.old } else { &self.new }
    }

    /// The clause id of clause `index` of one side.
    pub fn clause_id(&self, old: bool, index: usize) -> &str {
        self.page(old)
            .body
            .clauses
            .get(index)
            .map_or("", |c| c.id.as_str())
    }

    /// The block (stycke or item) of a sentence: its id and how it is cited.
    pub fn block(&self, old: bool, at: At) -> Option<&super::structure::Block> {
        self.layouts(old).get(at.0)?.block_of(at.1)
    }

    /// `2013 § 5 punkt 7`: where a sentence stands, as a reader cites it.
    pub fn place(&self, old: bool, at: At) -> String {
        let page = self.page(old);
        let version = page.version().map_or("", |v| v.version.as_str());
        let clause = page
            .body
            .clauses
            .get(at.0)
            .map_or(String::new(), |c| c.label());
        let layout = self.layouts(old).get(at.0);
        // A stycke is named only where the clause has more than one (blocks are in
        // stycke order: the last says).
        let block = layout.and_then(|l| {
            let block = l.block_of(at.1)?;
            let several = l.blocks.last().is_some_and(|b| b.stycke > 1);
            (block.item.is_some() || several).then(|| block.label())
        });
        match block {
            Some(block) => format!("{version} {clause} {block}"),
            None => format!("{version} {clause}"),
        }
    }
}

/// How much of a row changed, in words, as a row reads on the page and in the
/// terminal: `omnumrerad och ändrad, 12 % av orden`, `delad, 85 % av orden ändrade`.
pub fn row_words(pair: &Pair) -> String {
    let percent = changed_percent(pair.similarity);
    let changed = pair.similarity < 1.0;
    let mut out = match pair.status {
        ChangeKind::Unchanged | ChangeKind::New | ChangeKind::Removed => {
            pair.status.swedish().to_string()
        }
        ChangeKind::Changed => format!("ändrad, {percent} % av orden"),
        ChangeKind::Renumbered | ChangeKind::Moved if changed => {
            format!("{} och ändrad, {percent} % av orden", pair.status.swedish())
        }
        ChangeKind::Renumbered | ChangeKind::Moved => pair.status.swedish().to_string(),
        ChangeKind::Split | ChangeKind::Merged => {
            let kind = if pair.from.len() > 1 && pair.to.len() > 1 {
                "sammanslagen och delad"
            } else {
                pair.status.swedish()
            };
            format!("{kind}, {percent} % av orden ändrade")
        }
    };
    match pair.moves.len() {
        0 => {}
        1 => out.push_str(", en mening flyttad"),
        n => {
            let _ = write!(out, ", {n} meningar flyttade");
        }
    }
    out
}

/// What happened in one part of a split or merged row.
pub fn part_words(part: &Part) -> String {
    let has = |old: bool| part.order.iter().any(|a| shows_side(a, old));
    match (has(true), has(false)) {
        (false, true) => "bara ny text".into(),
        (true, false) => "texten utgår".into(),
        _ if part.similarity() >= 1.0 && !part.has_moves() => "oförändrad".into(),
        _ => format!("ändrad, {} % av orden", changed_percent(part.similarity())),
    }
}

fn shows_side(item: &Aligned, old: bool) -> bool {
    match item {
        Aligned::Same { .. } => true,
        Aligned::Removed(_) | Aligned::MovedAway { .. } => old,
        Aligned::Added(_) | Aligned::MovedHere { .. } => !old,
    }
}

/// Share of words changed, in whole per cent.
pub fn changed_percent(similarity: f64) -> i64 {
    ((1.0 - similarity) * 100.0).round() as i64
}

/// A change in a part's text, as the JSON gives it: laid end to end, the `equal` and
/// `delete` texts give the older clause's sentences of the part, `equal` and `insert`
/// the newer's. A moved sentence is a `delete` where it left and an `insert` where it
/// arrived, with `move`, its entry in the pair's `moves`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub op: Op,
    pub text: String,
    #[serde(rename = "move", skip_serializing_if = "Option::is_none")]
    pub moved: Option<usize>,
}

/// The changes of one part (see [`Change`]).
pub fn part_changes(laid: &Laid, part: &Part, moves: &[Move]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut push = |op: Op, text: &str, moved: Option<usize>| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op && last.moved.is_none() && moved.is_none() => {
                last.text.push_str(text)
            }
            _ => out.push(Change {
                op,
                text: text.to_string(),
                moved,
            }),
        }
    };
    let gap_text = |old: bool, clause: Option<usize>, list: &[usize]| -> String {
        let layout = clause.and_then(|c| laid.layouts(old).get(c));
        list.iter()
            .map(|&i| layout.map_or("", |l| l.sentence_with_gap(i)))
            .collect()
    };
    // Each sentence's first move, looked up rather than searched for: a row may move
    // thousands of sentences.
    let (mut first_from, mut first_to) = (HashMap::new(), HashMap::new());
    if part.has_moves() {
        for (i, m) in moves.iter().enumerate() {
            first_from.entry(m.old).or_insert(i);
            first_to.entry(m.new).or_insert(i);
        }
    }
    let move_of = |old: Option<At>, new: Option<At>| match (old, new) {
        (Some(o), None) => first_from.get(&o).copied(),
        (None, Some(n)) => first_to.get(&n).copied(),
        _ => moves
            .iter()
            .position(|m| old.is_none_or(|o| m.old == o) && new.is_none_or(|n| m.new == n)),
    };
    for item in &part.order {
        match item {
            Aligned::Same { old, new } => {
                let a = gap_text(true, part.from, old);
                let b = gap_text(false, part.to, new);
                for s in words::diff(&a, &b) {
                    push(s.op, &s.text, None);
                }
            }
            Aligned::Removed(o) => push(Op::Delete, &gap_text(true, part.from, &[*o]), None),
            Aligned::Added(n) => push(Op::Insert, &gap_text(false, part.to, &[*n]), None),
            Aligned::MovedAway { old, .. } => {
                let at = part.from.map(|f| (f, *old));
                push(
                    Op::Delete,
                    &gap_text(true, part.from, &[*old]),
                    move_of(at, None),
                )
            }
            Aligned::MovedHere { new, .. } => {
                let at = part.to.map(|t| (t, *new));
                push(
                    Op::Insert,
                    &gap_text(false, part.to, &[*new]),
                    move_of(None, at),
                )
            }
        }
    }
    out
}

/// The changes of a row's parts one after another, a blank line (kept on both sides)
/// between two parts.
pub fn joined_changes(parts: &[Vec<Change>]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for (i, changes) in parts.iter().enumerate() {
        if i > 0 {
            out.push(Change {
                op: Op::Equal,
                text: "\n\n".into(),
                moved: None,
            });
        }
        out.extend(changes.iter().cloned());
    }
    out
}

/// A note's Markdown with each `@/` link made into the address it leads to on the
/// published site (`@/overenskommelse/2013.md#P3` →
/// `https://example.se/overenskommelse/2013/#P3`): a note read outside the site (the
/// JSON, the terminal) must not lead to a content file. Links to pages the site does
/// not have are left as written (`check` reports them).
pub fn resolve_links(site: &Site, markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let parser =
        Parser::new_ext(markdown, crate::content::body::markdown_options()).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let Some(address) = address_of(site, &dest_url) else {
            continue;
        };
        // The destination as written inside the link's text (an inline link); a
        // reference link's destination stands elsewhere and is found below.
        let Some(at) = markdown
            .get(range.clone())
            .and_then(|text| text.rfind(dest_url.as_ref()))
        else {
            continue;
        };
        let start = range.start + at;
        replacements.push((start..start + dest_url.len(), address));
    }
    // Reference definitions: `[namn]: @/…`.
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        if let Some(colon) = line.find("]: @/") {
            let start = offset + colon + 3;
            let dest: String = line[colon + 3..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            if let Some(address) = address_of(site, &dest)
                && !replacements.iter().any(|(r, _)| r.start == start)
            {
                replacements.push((start..start + dest.len(), address));
            }
        }
        offset += line.len();
    }
    replacements.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = markdown.to_string();
    for (range, address) in replacements {
        if out.is_char_boundary(range.start) && out.is_char_boundary(range.end) {
            out.replace_range(range, &address);
        }
    }
    out
}

/// The published address of an `@/` link, or `None` for any other destination or a
/// page the site does not have.
fn address_of(site: &Site, dest: &str) -> Option<String> {
    let target = dest.strip_prefix("@/")?;
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let page = site.page_by_path(path)?;
    // Without `base_url`, the address from the site's root.
    let mut address = site.config.address(page.url.trim_start_matches('/'));
    if let Some(anchor) = anchor {
        address.push('#');
        address.push_str(anchor);
    }
    Some(address)
}

/// The clauses' labels joined by `separator` (`§ 1 + § 2`), or `–` for none.
pub fn labels(page: &Page, ids: &[String], separator: &str) -> String {
    let labels: Vec<String> = ids
        .iter()
        .filter_map(|id| page.body.clause(id))
        .map(|c| c.label())
        .collect();
    if labels.is_empty() {
        "–".into()
    } else {
        labels.join(separator)
    }
}

/// How the terminal marks text: red and struck through, green and underlined, or
/// without colour `[-…-]` and `{+…+}`, so the meaning never depends on colour.
struct Marks {
    color: bool,
}

impl Marks {
    fn text(&self, out: &mut String, op: Op, text: &str) {
        let text = &*escape_controls_in_lines(text);
        if view::is_blank(text) || op == Op::Equal {
            out.push_str(text);
            return;
        }
        let _ = match (op, self.color) {
            (Op::Delete, true) => write!(out, "\x1b[31;9m{text}\x1b[0m"),
            (Op::Insert, true) => write!(out, "\x1b[32;4m{text}\x1b[0m"),
            (Op::Delete, false) => write!(out, "[-{text}-]"),
            _ => write!(out, "{{+{text}+}}"),
        };
    }

    fn moved(&self, out: &mut String, note: &str) {
        let note = escape_controls_in_lines(note);
        let _ = if self.color {
            write!(out, "\x1b[36m[{note}]\x1b[0m")
        } else {
            write!(out, "[{note}]")
        };
    }
}

/// Human-readable diff: each row, and in a split or merged row each part, with the
/// text block by block (list items keep their numbers), moved sentences marked with
/// where they went or came from.
pub fn text(site: &Site, comparison: &Comparison, pairs: &[&Pair], color: bool) -> String {
    let laid = Laid::of(site, comparison);
    let sides = laid.sides();
    let (vf, vt) = (
        laid.from.version().map_or("", |v| v.version.as_str()),
        laid.to.version().map_or("", |v| v.version.as_str()),
    );
    // Text from the content is printed with its control characters escaped: an escape
    // sequence in a clause must not recolour or clear the terminal showing the diff.
    let (vf, vt) = (escape_controls(vf), escape_controls(vt));
    let marks = Marks { color };
    let mut out = String::new();
    for pair in pairs {
        let origin = if pair.declared {
            String::new()
        } else if pair.uncertain {
            format!(", {}", super::UNCERTAIN)
        } else {
            ", automatiskt förslag".to_string()
        };
        let _ = writeln!(
            out,
            "{} {vf} {} → {vt} {} ({}{origin}){}",
            if color { "\x1b[1m==" } else { "==" },
            escape_controls(&labels(laid.from, &pair.from, " + ")),
            escape_controls(&labels(laid.to, &pair.to, " + ")),
            row_words(pair),
            if color { "\x1b[0m" } else { "" },
        );
        if pair.status == ChangeKind::Unchanged {
            continue;
        }
        let several = pair.parts.len() > 1;
        for (n, part) in pair.parts.iter().enumerate() {
            if several {
                let label = |old: bool, clause: Option<usize>| {
                    clause
                        .and_then(|c| laid.page(old).body.clauses.get(c))
                        .map_or("–".to_string(), |c| {
                            escape_controls(&c.label()).into_owned()
                        })
                };
                let _ = writeln!(
                    out,
                    "-- del {} av {}: {vf} {} → {vt} {} ({})",
                    n + 1,
                    pair.parts.len(),
                    label(true, part.from),
                    label(false, part.to),
                    part_words(part)
                );
            }
            for shown in view::inline(&sides, part) {
                text_block(&mut out, &laid, &marks, &shown);
            }
        }
        out.push('\n');
    }
    out
}

fn text_block(out: &mut String, laid: &Laid, marks: &Marks, shown: &Shown) {
    let block = laid
        .layouts(shown.old)
        .get(shown.clause)
        .and_then(|l| l.blocks.get(shown.block));
    if let Some(n) = block.and_then(|b| b.item) {
        let _ = write!(out, "  {n}. ");
    }
    if shown.old {
        let version = laid.from.version().map_or("", |v| v.version.as_str());
        let _ = write!(out, "({}) ", escape_controls(version));
    }
    let mut line = String::new();
    for piece in &shown.pieces {
        match piece {
            Piece::Text(op, text) => marks.text(&mut line, *op, text),
            Piece::Away { text, to } => {
                let places: Vec<String> = to.iter().map(|&at| laid.place(false, at)).collect();
                marks.moved(
                    &mut line,
                    &format!("flyttad till {}: {text}", places.join(", ")),
                );
            }
            Piece::Here { segments, from } => {
                let places: Vec<String> = from.iter().map(|&at| laid.place(true, at)).collect();
                marks.moved(
                    &mut line,
                    &format!("flyttad hit från {}:", places.join(", ")),
                );
                line.push(' ');
                for s in segments {
                    marks.text(&mut line, s.op, &s.text);
                }
            }
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}
