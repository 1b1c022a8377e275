//! Word-level diff of two texts, cleaned up to read as changed phrases.
//!
//! Tokens are Unicode words (å, ä, ö are letters) with punctuation and white space as
//! tokens of their own, so "län." and "län" differ only in the full stop.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// The old side (equal + deleted) rebuilds `old` exactly; the new side (equal +
/// inserted) rebuilds `new` exactly.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    // What the word diff below gives in these cases, without splitting into words:
    // most clauses of a comparison are unchanged, new or removed.
    let whole = |op, text: &str| {
        (!text.is_empty())
            .then(|| Segment {
                op,
                text: text.to_string(),
            })
            .into_iter()
            .collect()
    };
    if old == new {
        return whole(Op::Equal, old);
    }
    if old.is_empty() {
        return whole(Op::Insert, new);
    }
    if new.is_empty() {
        return whole(Op::Delete, old);
    }
    word_diff(old, new)
}

fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_unicode_words(old, new);
    let mut raw: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Delete => Op::Delete,
            ChangeTag::Insert => Op::Insert,
        };
        push(&mut raw, op, change.value());
    }
    cleanup(raw)
}

fn push(segments: &mut Vec<Segment>, op: Op, text: &str) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => segments.push(Segment {
            op,
            text: text.to_string(),
        }),
    }
}

/// An equal run this short between two changes is folded into them, so a reader sees
/// "<del>gemensamt regionalt</del><ins>ökat gemensamt</ins>" instead of letter soup.
fn is_trivial_equal(text: &str) -> bool {
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    words == 0 || (words == 1 && text.trim().chars().count() <= 3)
}

fn cleanup(raw: Vec<Segment>) -> Vec<Segment> {
    // Group into runs: each change run collects its deleted and inserted text in order.
    let mut out: Vec<Segment> = Vec::new();
    let mut deleted = String::new();
    let mut inserted = String::new();
    let flush = |out: &mut Vec<Segment>, deleted: &mut String, inserted: &mut String| {
        push(out, Op::Delete, deleted);
        push(out, Op::Insert, inserted);
        deleted.clear();
        inserted.clear();
    };
    for (index, segment) in raw.iter().enumerate() {
        match segment.op {
            Op::Equal => {
                let in_change = !deleted.is_empty() || !inserted.is_empty();
                let change_follows = raw.get(index + 1).is_some_and(|s| s.op != Op::Equal);
                if in_change && change_follows && is_trivial_equal(&segment.text) {
                    // Folded: it is both deleted and inserted text.
                    deleted.push_str(&segment.text);
                    inserted.push_str(&segment.text);
                } else {
                    flush(&mut out, &mut deleted, &mut inserted);
                    push(&mut out, Op::Equal, &segment.text);
                }
            }
            Op::Delete => deleted.push_str(&segment.text),
            Op::Insert => inserted.push_str(&segment.text),
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// A word diff kept small: each segment's operation and length in bytes, laid over the
/// two texts it was made from to give the segments back. A site keeps one per changed
/// clause pair, so its pages and JSON need no second diff (about 8 bytes a segment
/// instead of a copy of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compact(Box<[(Op, u32)]>);

impl Compact {
    pub fn of(segments: &[Segment]) -> Compact {
        Compact(
            segments
                .iter()
                .map(|s| (s.op, u32::try_from(s.text.len()).unwrap_or(u32::MAX)))
                .collect(),
        )
    }

    /// The segments again, cut from `old` and `new`, the texts the diff was made of;
    /// `None` if they are not (a length runs past a text's end or inside a letter).
    pub fn expand(&self, old: &str, new: &str) -> Option<Vec<Segment>> {
        let (mut at_old, mut at_new) = (0usize, 0usize);
        let mut out = Vec::with_capacity(self.0.len());
        for &(op, len) in self.0.iter() {
            let len = len as usize;
            let text = match op {
                Op::Equal | Op::Delete => old.get(at_old..at_old + len)?,
                Op::Insert => new.get(at_new..at_new + len)?,
            };
            match op {
                Op::Equal => {
                    at_old += len;
                    at_new += len;
                }
                Op::Delete => at_old += len,
                Op::Insert => at_new += len,
            }
            out.push(Segment {
                op,
                text: text.to_string(),
            });
        }
        (at_old == old.len() && at_new == new.len()).then_some(out)
    }
}

/// Words (letters and digits) in a text, for counting.
pub fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Share of words changed: changed words on both sides over all words on both sides.
pub fn changed_share(segments: &[Segment]) -> f64 {
    let (mut changed, mut total) = (0usize, 0usize);
    for s in segments {
        let n = word_count(&s.text);
        match s.op {
            Op::Equal => total += 2 * n,
            Op::Delete | Op::Insert => {
                changed += n;
                total += n;
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        changed as f64 / total as f64
    }
}

pub fn old_side(segments: &[Segment]) -> String {
    segments
        .iter()
        .filter(|s| s.op != Op::Insert)
        .map(|s| s.text.as_str())
        .collect()
}

pub fn new_side(segments: &[Segment]) -> String {
    segments
        .iter()
        .filter(|s| s.op != Op::Delete)
        .map(|s| s.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_rebuild_both_texts() {
        let old = "Kommunerna ska samarbeta så att det leder till ett gemensamt regionalt ansvarstagande.";
        let new = "Kommunerna ska aktivt samarbeta så att det leder till ett ökat gemensamt ansvarstagande i länet.";
        let d = diff(old, new);
        assert_eq!(old_side(&d), old);
        assert_eq!(new_side(&d), new);
        assert!(
            d.iter()
                .any(|s| s.op == Op::Insert && s.text.contains("aktivt"))
        );
    }

    #[test]
    fn swedish_letters_are_part_of_words() {
        let d = diff("länets kommuner", "länens kommuner");
        let deleted: Vec<&str> = d
            .iter()
            .filter(|s| s.op == Op::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(deleted, ["länets"]);
    }

    #[test]
    fn punctuation_is_its_own_token() {
        let d = diff("i länet.", "i länet;");
        assert_eq!(
            d[0],
            Segment {
                op: Op::Equal,
                text: "i länet".into()
            }
        );
        assert_eq!(changed_share(&d), 0.0);
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let d = diff("samma text", "samma text");
        assert_eq!(d.len(), 1);
        assert_eq!(changed_share(&d), 0.0);
    }

    #[test]
    fn whole_texts_equal_added_or_removed_match_the_word_diff() {
        for (old, new) in [
            ("samma text, två ord.", "samma text, två ord."),
            ("", "ny paragraf"),
            ("borttagen paragraf", ""),
            ("", ""),
        ] {
            assert_eq!(diff(old, new), word_diff(old, new), "{old:?} → {new:?}");
        }
    }

    #[test]
    fn a_compact_diff_gives_back_the_segments_of_its_own_texts_only() {
        let old = "Kommunerna i länet ska samarbeta, så att ansvaret blir gemensamt.";
        let new = "Länets kommuner ska aktivt samarbeta så att ansvaret blir delat.";
        let segments = diff(old, new);
        let compact = Compact::of(&segments);
        assert_eq!(compact.expand(old, new), Some(segments));
        assert_eq!(compact.expand(new, old), None);
        assert_eq!(compact.expand(old, "kortare"), None);
    }

    #[test]
    fn short_equal_runs_between_changes_are_folded() {
        let d = diff("ett två tre fyra", "fem i sex fyra");
        // "i"/space between changed words is folded; only "fyra" stays equal.
        assert_eq!(d.iter().filter(|s| s.op == Op::Equal).count(), 1, "{d:?}");
        assert_eq!(old_side(&d), "ett två tre fyra");
        assert_eq!(new_side(&d), "fem i sex fyra");
    }
}
