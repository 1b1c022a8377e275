//! A part of a comparison as a reader sees it: blocks (stycken and list items, with
//! their numbers) holding the changed words and the moved sentences, for the two
//! columns, the single column and the terminal alike. The HTML and the text are made
//! from this (render's comparison pages, [`super::report`]).

use super::parts::{Aligned, At, Part, Sides, joined};
use super::structure::Layout;
use super::words::{self, Op, Segment};

/// What a block holds, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text kept, removed or added.
    Text(Op, String),
    /// A sentence that went elsewhere (`to`, sentences of the newer version).
    Away { text: String, to: Vec<At> },
    /// A sentence that came from elsewhere (`from`, sentences of the older version),
    /// word by word against where it came from.
    Here {
        segments: Vec<Segment>,
        from: Vec<At>,
    },
}

/// A stycke's text or a list item, as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// A block of the older clause (else of the newer).
    pub old: bool,
    /// The clause's index in its version and the block's in the clause's [`Layout`].
    pub clause: usize,
    pub block: usize,
    pub pieces: Vec<Piece>,
}

/// The blocks of one side of `part`: the older clause's (`old`) or the newer's, its
/// sentences in order, with what changed in them.
pub fn side(sides: &Sides, part: &Part, old: bool) -> Vec<Shown> {
    let clause = if old { part.from } else { part.to };
    let Some(clause) = clause else {
        return Vec::new();
    };
    let layout = layout(sides, old, clause);
    let mut out = Blocks::default();
    for item in &part.order {
        match (item, old) {
            (Aligned::Same { old: os, new: ns }, _) => {
                let segments = same_segments(sides, part, os, ns);
                let list = if old { os } else { ns };
                let wanted = if old { Op::Delete } else { Op::Insert };
                let side_segments: Vec<Segment> = segments
                    .into_iter()
                    .filter(|s| s.op == Op::Equal || s.op == wanted)
                    .collect();
                for (sentence, pieces) in list.iter().zip(split_at_sentences(
                    &side_segments,
                    list.iter().map(|&i| layout.sentence(i).len()),
                )) {
                    out.add(old, clause, layout, *sentence, pieces);
                }
            }
            (Aligned::Removed(o), true) => {
                let piece = Piece::Text(Op::Delete, layout.sentence(*o).to_string());
                out.add(true, clause, layout, *o, vec![piece]);
            }
            (Aligned::Added(n), false) => {
                let piece = Piece::Text(Op::Insert, layout.sentence(*n).to_string());
                out.add(false, clause, layout, *n, vec![piece]);
            }
            (Aligned::MovedAway { old: o, to }, true) => {
                let piece = Piece::Away {
                    text: layout.sentence(*o).to_string(),
                    to: to.clone(),
                };
                out.add(true, clause, layout, *o, vec![piece]);
            }
            (Aligned::MovedHere { new: n, from }, false) => {
                let piece = here(sides, layout, *n, from);
                out.add(false, clause, layout, *n, vec![piece]);
            }
            _ => {}
        }
    }
    out.blocks
}

/// The blocks of both sides of `part` in one column: kept text with what was removed
/// and added in it, in the newer clause's blocks; a sentence removed or moved away
/// stays in the block of the sentence before it when that came from the same block,
/// else it is shown in its own block of the older clause.
pub fn inline(sides: &Sides, part: &Part) -> Vec<Shown> {
    let mut out = Blocks::default();
    // The older clause's block the last item came from, and where it was shown.
    let mut last_old: Option<(usize, (bool, usize))> = None;
    for item in &part.order {
        match item {
            Aligned::Same { old: os, new: ns } => {
                let (Some(f), Some(t)) = (part.from, part.to) else {
                    continue;
                };
                let segments = same_segments(sides, part, os, ns);
                let new_layout = layout(sides, false, t);
                let Some(&first) = ns.first() else { continue };
                let pieces = segments
                    .into_iter()
                    .map(|s| Piece::Text(s.op, s.text))
                    .collect();
                out.add(false, t, new_layout, first, pieces);
                let old_layout = layout(sides, true, f);
                last_old = os
                    .last()
                    .and_then(|&o| old_layout.sentences.get(o))
                    .zip(new_layout.sentences.get(first))
                    .map(|(o, n)| (o.block, (false, n.block)));
            }
            Aligned::Removed(o) | Aligned::MovedAway { old: o, .. } => {
                let Some(f) = part.from else { continue };
                let old_layout = layout(sides, true, f);
                let piece = match item {
                    Aligned::MovedAway { to, .. } => Piece::Away {
                        text: old_layout.sentence(*o).to_string(),
                        to: to.clone(),
                    },
                    _ => Piece::Text(Op::Delete, old_layout.sentence(*o).to_string()),
                };
                let block = old_layout.sentences.get(*o).map_or(0, |s| s.block);
                match last_old {
                    Some((b, (shown_old, shown_block))) if b == block => {
                        out.push_to(shown_old, clause_of(part, shown_old), shown_block, piece)
                    }
                    _ => {
                        out.add(true, f, old_layout, *o, vec![piece]);
                        last_old = Some((block, (true, block)));
                    }
                }
            }
            Aligned::Added(n) | Aligned::MovedHere { new: n, .. } => {
                let Some(t) = part.to else { continue };
                let new_layout = layout(sides, false, t);
                let piece = match item {
                    Aligned::MovedHere { from, .. } => here(sides, new_layout, *n, from),
                    _ => Piece::Text(Op::Insert, new_layout.sentence(*n).to_string()),
                };
                out.add(false, t, new_layout, *n, vec![piece]);
                last_old = None;
            }
        }
    }
    out.blocks
}

fn clause_of(part: &Part, old: bool) -> usize {
    if old {
        part.from.unwrap_or(0)
    } else {
        part.to.unwrap_or(0)
    }
}

fn layout<'a>(sides: &'a Sides, old: bool, clause: usize) -> &'a Layout {
    static EMPTY: std::sync::OnceLock<Layout> = std::sync::OnceLock::new();
    let list = if old { sides.old } else { sides.new };
    list.get(clause)
        .unwrap_or_else(|| EMPTY.get_or_init(Layout::default))
}

/// A moved sentence where it arrived, word by word against where it came from.
fn here(sides: &Sides, layout: &Layout, n: usize, from: &[At]) -> Piece {
    let source = joined(from.iter().map(|&at| sides.old_text(at)));
    Piece::Here {
        segments: words::diff(&source, layout.sentence(n)),
        from: from.to_vec(),
    }
}

/// The word diff of a group of sentences kept in place (joined by a space on each
/// side).
fn same_segments(sides: &Sides, part: &Part, os: &[usize], ns: &[usize]) -> Vec<Segment> {
    let (Some(f), Some(t)) = (part.from, part.to) else {
        return Vec::new();
    };
    let a = joined(os.iter().map(|&o| sides.old_text((f, o))));
    let b = joined(ns.iter().map(|&n| sides.new_text((t, n))));
    words::diff(&a, &b)
}

/// One side's segments (equal and removed, or equal and added) of sentences joined by a
/// space, cut back into the sentences of the given lengths.
fn split_at_sentences(
    segments: &[Segment],
    lengths: impl Iterator<Item = usize>,
) -> Vec<Vec<Piece>> {
    let mut bounds: Vec<usize> = Vec::new();
    let mut at = 0;
    for len in lengths {
        at += len;
        bounds.push(at);
        at += 1; // the joining space
    }
    let mut out: Vec<Vec<Piece>> = vec![Vec::new(); bounds.len()];
    let mut offset = 0;
    let mut sentence = 0;
    for s in segments {
        let mut text = s.text.as_str();
        while !text.is_empty() {
            let end = bounds.get(sentence).copied().unwrap_or(usize::MAX);
            let room = end.saturating_sub(offset);
            if room == 0 && sentence + 1 < bounds.len() {
                // The joining space (or what stands in its place) is not shown.
                let skip = text.chars().next().map_or(1, char::len_utf8);
                text = &text[skip..];
                offset += skip;
                sentence += 1;
                continue;
            }
            let take = floor_char_boundary(text, room.min(text.len()));
            let take = if take == 0 { text.len() } else { take };
            if let Some(list) = out.get_mut(sentence) {
                list.push(Piece::Text(s.op, text[..take].to_string()));
            }
            text = &text[take..];
            offset += take;
        }
    }
    out
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Blocks being filled: a sentence goes into the last block if it is its block,
/// else it opens one.
#[derive(Default)]
struct Blocks {
    blocks: Vec<Shown>,
}

impl Blocks {
    /// Adds a sentence's pieces to its block.
    fn add(
        &mut self,
        old: bool,
        clause: usize,
        layout: &Layout,
        sentence: usize,
        pieces: Vec<Piece>,
    ) {
        let block = layout.sentences.get(sentence).map_or(0, |s| s.block);
        for piece in pieces {
            self.push(old, clause, block, piece);
        }
        self.push(
            old,
            clause,
            block,
            Piece::Text(Op::Equal, SENTENCE_BREAK.into()),
        );
    }

    /// Adds a whole sentence as one piece to the given block.
    fn push_to(&mut self, old: bool, clause: usize, block: usize, piece: Piece) {
        self.push(old, clause, block, piece);
        self.push(
            old,
            clause,
            block,
            Piece::Text(Op::Equal, SENTENCE_BREAK.into()),
        );
    }

    fn push(&mut self, old: bool, clause: usize, block: usize, piece: Piece) {
        let open = self
            .blocks
            .last()
            .is_some_and(|b| b.old == old && b.clause == clause && b.block == block);
        if !open {
            self.blocks.push(Shown {
                old,
                clause,
                block,
                pieces: Vec::new(),
            });
        }
        if let Some(last) = self.blocks.last_mut() {
            last.pieces.push(piece);
        }
    }
}

/// What stands between two sentences of a block.
pub const SENTENCE_BREAK: &str = " ";

/// Whether a piece is only white space (shown plain, never as removed or added: a
/// screen reader would announce an empty "tillagt").
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}
