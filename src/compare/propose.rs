//! Proposing lineage from text where editors declared none.
//!
//! Rule: clause `o` of the earlier version and clause `n` of the later one are linked
//! when at least `SHARE` of the words of either one are found, in order, in the other
//! (a longest-common-subsequence count over lowercase words, in runs of at least
//! `MIN_RUN` consecutive words), and at least `MIN_WORDS` words are shared. All links above the threshold are kept, so a clause whose text went
//! into two clauses is a split and two clauses that went into one are a merge; linked
//! clauses are grouped into connected sets. Below the threshold nothing is linked: a
//! later clause without a link is new, an earlier one is removed. Ties need no breaking
//! because every link above the threshold is kept; groups are ordered by position.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// Share of a clause's words that must come from the other clause.
pub const SHARE: f64 = 0.5;
/// Fewest shared words for a link, so two one-line clauses do not pair on "och att".
pub const MIN_WORDS: usize = 5;
/// Shortest run of consecutive shared words that counts as carried-over text.
pub const MIN_RUN: usize = 2;

pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words of `a` found in order in `b`, counting only runs of at least `MIN_RUN` words:
/// a long clause contains most of the small words of any short one ("och", "att",
/// "kommunerna"), so only phrases that carried over count.
pub fn shared_words(a: &[String], b: &[String]) -> usize {
    capture_diff_slices(Algorithm::Patience, a, b)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } if *len >= MIN_RUN => *len,
            _ => 0,
        })
        .sum()
}

/// Strength of the link between two clauses, or `None` below the threshold.
pub fn link_strength(old: &[String], new: &[String]) -> Option<f64> {
    if old.is_empty() || new.is_empty() {
        return None;
    }
    let shared = shared_words(old, new);
    let share_new = shared as f64 / new.len() as f64;
    let share_old = shared as f64 / old.len() as f64;
    let best = share_new.max(share_old);
    (shared >= MIN_WORDS.min(old.len()).min(new.len()).max(1) && best >= SHARE).then_some(best)
}

/// Groups `(old indexes, new indexes)` proposed for the given clause texts. Only the
/// clauses listed in `open_new` are proposed for; `old` may all be sources.
pub fn propose(
    old: &[String],
    new: &[String],
    open_new: &[usize],
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let old_words: Vec<Vec<String>> = old.iter().map(|t| words(t)).collect();
    let new_words: Vec<Vec<String>> = new.iter().map(|t| words(t)).collect();
    let mut links: Vec<(usize, usize)> = Vec::new();
    for &n in open_new {
        // `serve` gives way to a newer save; it throws the partial proposal away.
        if crate::cancel::requested() {
            break;
        }
        for (o, ow) in old_words.iter().enumerate() {
            if link_strength(ow, &new_words[n]).is_some() {
                links.push((o, n));
            }
        }
    }
    // Connected sets over the bipartite links.
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (o, n) in links {
        let hit: Vec<usize> = groups
            .iter()
            .enumerate()
            .filter(|(_, (os, ns))| os.contains(&o) || ns.contains(&n))
            .map(|(i, _)| i)
            .collect();
        let mut merged = (vec![o], vec![n]);
        for &i in hit.iter().rev() {
            let (os, ns) = groups.remove(i);
            merged.0.extend(os);
            merged.1.extend(ns);
        }
        merged.0.sort_unstable();
        merged.0.dedup();
        merged.1.sort_unstable();
        merged.1.dedup();
        groups.push(merged);
    }
    for &n in open_new {
        if crate::cancel::requested() {
            break;
        }
        if !groups.iter().any(|(_, ns)| ns.contains(&n)) {
            groups.push((Vec::new(), vec![n]));
        }
    }
    groups.sort_by_key(|(_, ns)| ns.first().copied());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn renumbered_split_and_new_clauses_are_found() {
        let old = texts(&[
            "Kommunerna ska samarbeta kring mottagandet av nyanlända i hela länet och följa upp arbetet varje år",
            "Överenskommelsen gäller i fyra år från undertecknandet och förlängs därefter",
        ]);
        let new = texts(&[
            "Överenskommelsen gäller i fyra år från beslut och förlängs därefter",
            "Kommunerna ska samarbeta kring mottagandet av nyanlända i hela länet",
            "och följa upp arbetet varje år genom styrgruppen",
            "Helt ny bestämmelse om något annat än förut",
        ]);
        let groups = propose(&old, &new, &[0, 1, 2, 3]);
        assert_eq!(
            groups,
            vec![(vec![1], vec![0]), (vec![0], vec![1, 2]), (vec![], vec![3])]
        );
    }

    #[test]
    fn unrelated_short_clauses_do_not_pair() {
        let old = texts(&["och att det"]);
        let new = texts(&["och att vi"]);
        assert_eq!(propose(&old, &new, &[0]), vec![(vec![], vec![0])]);
    }
}
