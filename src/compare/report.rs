//! `avtal diff`: a comparison printed for the terminal or as JSON for scripts.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::words::{Op, Segment};
use super::{Comparison, Pair, Status};
use crate::model::{Page, Site};

/// Which pairs to show: all, or those touching one clause id (exact match).
pub fn select<'a>(comparison: &'a Comparison, clause: Option<&str>) -> Vec<&'a Pair> {
    comparison
        .pairs
        .iter()
        .filter(|p| clause.is_none_or(|id| p.from.iter().chain(&p.to).any(|c| c == id)))
        .collect()
}

/// The JSON shape documented in README: one object with a `pairs` array.
pub fn json(site: &Site, comparison: &Comparison, pairs: &[&Pair]) -> Value {
    let version = |i: usize| site.pages[i].version().map(|v| v.version.clone());
    json!({
        "work": comparison.work,
        "from": version(comparison.from_page),
        "to": version(comparison.to_page),
        "pairs": pairs.iter().map(|p| pair_json(p, &comparison.changes(site, p))).collect::<Vec<_>>(),
    })
}

pub fn pair_json(p: &Pair, changes: &[Segment]) -> Value {
    json!({
        "from": p.from,
        "to": p.to,
        "status": p.status,
        "similarity": (p.similarity * 1000.0).round() / 1000.0,
        "declared": p.declared,
        "notes": p.notes,
        "changes": changes,
    })
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

/// Human-readable diff. With `color`, deletions are red and struck through, insertions
/// green and underlined; without, they are marked `[-…-]` and `{+…+}` so the meaning
/// never depends on colour.
pub fn text(site: &Site, comparison: &Comparison, pairs: &[&Pair], color: bool) -> String {
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let (vf, vt) = (
        from.version().map_or("", |v| v.version.as_str()),
        to.version().map_or("", |v| v.version.as_str()),
    );
    let mut out = String::new();
    for pair in pairs {
        let status = match pair.status {
            Status::Changed => format!("ändrad, {:.0} % av orden", (1.0 - pair.similarity) * 100.0),
            other => other.swedish().to_string(),
        };
        let origin = if pair.declared {
            String::new()
        } else if pair.uncertain {
            format!(", {}", super::UNCERTAIN)
        } else {
            ", automatiskt förslag".to_string()
        };
        let _ = writeln!(
            out,
            "{} {vf} {} → {vt} {} ({status}{origin})",
            if color { "\x1b[1m==" } else { "==" },
            labels(from, &pair.from, " + "),
            labels(to, &pair.to, " + "),
        );
        if color {
            out.push_str("\x1b[0m");
        }
        if pair.status == Status::Unchanged {
            continue;
        }
        for segment in &comparison.changes(site, pair) {
            match (segment.op, color) {
                (Op::Equal, _) => out.push_str(&segment.text),
                (Op::Delete, true) => {
                    let _ = write!(out, "\x1b[31;9m{}\x1b[0m", segment.text);
                }
                (Op::Insert, true) => {
                    let _ = write!(out, "\x1b[32;4m{}\x1b[0m", segment.text);
                }
                (Op::Delete, false) => {
                    let _ = write!(out, "[-{}-]", segment.text);
                }
                (Op::Insert, false) => {
                    let _ = write!(out, "{{+{}+}}", segment.text);
                }
            }
        }
        out.push_str("\n\n");
    }
    out
}
