//! Comparisons that keep the structure: a row of clauses cut into parts, one per pair of
//! clauses that share text, each read sentence by sentence.
//!
//! A row (the clauses lineage links: one to one, a split, a merge) used to be diffed as
//! one joined text, so unrelated words shared by two clauses held the diff together and
//! a sentence that moved was shown deleted in one place and inserted in another. Here
//! every sentence of the row's clauses is shown once, in the part of the clause pair it
//! belongs to:
//!
//! - a sentence linked to a sentence of the other version (by the proposal's sentence
//!   matching, [`super::propose::sentence_links`]) belongs to the part of the two
//!   clauses; one without a link belongs where the sentence before it went (else the
//!   one after it), so a deletion is shown in its context;
//! - inside a part, the linked sentences that keep their order are shown in place,
//!   word by word (the longest run in order, weighed by length); those out of that order
//!   are *moved*, shown where they left and where they arrived, with a link between;
//! - a sentence linked to one outside the row is moved too, to or from another row;
//! - what is left is removed or added, whole: a sentence that no sentence of the other
//!   version resembles is not taken apart word by word. Only where one removed sentence
//!   stands in the place of one added sentence and they share most of their words are
//!   they compared word by word.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::structure::Layout;
use super::words::{self, Op};

/// A sentence of a version: (clause index, sentence index in the clause's [`Layout`]).
pub type At = (usize, usize);

/// A sentence of the older version linked to one of the newer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub old: At,
    pub new: At,
    pub similarity: f64,
    /// One half of a sentence split in two or of two merged into one.
    pub piece: bool,
}

/// Links of a comparison, looked up by either end.
#[derive(Debug, Default)]
pub struct Links {
    pub all: Vec<Link>,
    by_old: HashMap<At, Vec<usize>>,
    by_new: HashMap<At, Vec<usize>>,
    /// Older clause → the clauses of the newer version its sentences went to, each once.
    clauses_from: HashMap<usize, Vec<usize>>,
}

impl Links {
    pub fn new(all: Vec<Link>) -> Links {
        let mut by_old: HashMap<At, Vec<usize>> = HashMap::new();
        let mut by_new: HashMap<At, Vec<usize>> = HashMap::new();
        let mut clauses_from: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut clause_pairs: HashSet<(usize, usize)> = HashSet::new();
        for (i, link) in all.iter().enumerate() {
            by_old.entry(link.old).or_default().push(i);
            by_new.entry(link.new).or_default().push(i);
            if clause_pairs.insert((link.old.0, link.new.0)) {
                clauses_from.entry(link.old.0).or_default().push(link.new.0);
            }
        }
        Links {
            all,
            by_old,
            by_new,
            clauses_from,
        }
    }

    /// The sentences of the newer version that `old` went to.
    pub fn to(&self, old: At) -> Vec<At> {
        self.by_old
            .get(&old)
            .map(|ls| ls.iter().map(|&i| self.all[i].new).collect())
            .unwrap_or_default()
    }

    /// The sentences of the older version that `new` came from.
    pub fn from(&self, new: At) -> Vec<At> {
        self.by_new
            .get(&new)
            .map(|ls| ls.iter().map(|&i| self.all[i].old).collect())
            .unwrap_or_default()
    }
}

/// One step of a part, in the order both sides are read: the older side's items give
/// the older clause's sentences in order, the newer side's the newer clause's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Aligned {
    /// Sentences of the older clause against sentences of the newer in the same place,
    /// word by word: one against one, or the halves of a split or merged sentence.
    Same { old: Vec<usize>, new: Vec<usize> },
    /// A sentence of the older clause that nothing in the newer version continues.
    Removed(usize),
    /// A sentence of the newer clause that nothing in the older version resembles.
    Added(usize),
    /// A sentence of the older clause that went elsewhere: `to` are the sentences of the
    /// newer version it went to.
    MovedAway { old: usize, to: Vec<At> },
    /// A sentence of the newer clause that came from elsewhere.
    MovedHere { new: usize, from: Vec<At> },
}

impl Aligned {
    /// The sentences of the older clause (`old`) or the newer this item shows.
    pub fn shown(&self, old: bool) -> &[usize] {
        match (self, old) {
            (Aligned::Same { old: list, .. }, true) | (Aligned::Same { new: list, .. }, false) => {
                list
            }
            (Aligned::Removed(o), true) | (Aligned::MovedAway { old: o, .. }, true) => {
                std::slice::from_ref(o)
            }
            (Aligned::Added(n), false) | (Aligned::MovedHere { new: n, .. }, false) => {
                std::slice::from_ref(n)
            }
            _ => &[],
        }
    }

    /// Whether this item shows sentence `i` of the older clause (`old`) or the newer.
    pub fn shows(&self, old: bool, i: usize) -> bool {
        match (self, old) {
            (Aligned::Same { old: list, .. }, true) | (Aligned::Same { new: list, .. }, false) => {
                list.contains(&i)
            }
            (Aligned::Removed(o), true) | (Aligned::MovedAway { old: o, .. }, true) => *o == i,
            (Aligned::Added(n), false) | (Aligned::MovedHere { new: n, .. }, false) => *n == i,
            _ => false,
        }
    }
}

/// One pair of clauses of a row that share text, or a clause on its own (new or
/// removed): clause indexes in the older and the newer version.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub order: Vec<Aligned>,
    /// Words changed and all words, both sides counted; moved text is counted where it
    /// arrived, against where it came from.
    pub words: (usize, usize),
    /// The editorial notes of the lineage entries that link the part's two clauses.
    pub notes: Vec<String>,
}

impl Part {
    /// 1.0 for text kept word for word, 0.0 for nothing in common.
    pub fn similarity(&self) -> f64 {
        match self.words {
            (_, 0) => {
                if self.from.is_some() && self.to.is_some() {
                    1.0
                } else {
                    0.0
                }
            }
            (changed, total) => 1.0 - changed as f64 / total as f64,
        }
    }

    /// Whether any sentence moved, within the part or to or from elsewhere.
    pub fn has_moves(&self) -> bool {
        self.order
            .iter()
            .any(|a| matches!(a, Aligned::MovedAway { .. } | Aligned::MovedHere { .. }))
    }
}

/// The two versions' clauses, laid out in sentences and blocks.
pub struct Sides<'a> {
    pub old: &'a [Layout],
    pub new: &'a [Layout],
}

impl Sides<'_> {
    pub fn old_text(&self, at: At) -> &str {
        self.old.get(at.0).map_or("", |l| l.sentence(at.1))
    }

    pub fn new_text(&self, at: At) -> &str {
        self.new.get(at.0).map_or("", |l| l.sentence(at.1))
    }
}

/// A row of a comparison: the clauses (indexes) of each side, the clause links lineage
/// gives it, and the clauses whose headings match.
pub struct Row<'a> {
    pub from: &'a [usize],
    pub to: &'a [usize],
    pub edges: &'a [(usize, usize)],
    pub headings: &'a [(usize, usize)],
}

/// The parts of one row (see the module comment), in the newer version's order.
pub fn row_parts(sides: &Sides, row: &Row, links: &Links) -> Vec<Part> {
    let keys = part_keys(row, links);
    // Each key's first part, and each clause's first part on either side.
    let (mut part_of, mut first_of_old, mut first_of_new) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    for (p, &(from, to)) in keys.iter().enumerate() {
        part_of.entry((from, to)).or_insert(p);
        first_of_old.entry(from).or_insert(p);
        first_of_new.entry(to).or_insert(p);
    }
    let default_of_old = |f: usize| first_of_old.get(&Some(f)).copied();
    let default_of_new = |t: usize| first_of_new.get(&Some(t)).copied();
    let part_of = |f: usize, t: usize| part_of.get(&(Some(f), Some(t))).copied();
    let tset: BTreeSet<usize> = row.to.iter().copied().collect();
    let fset: BTreeSet<usize> = row.from.iter().copied().collect();
    // Which part each sentence belongs to.
    let mut olds: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    let mut news: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    for &f in row.from {
        let count = sides.old.get(f).map_or(0, |l| l.sentences.len());
        let linked: Vec<Option<usize>> = (0..count)
            .map(|i| {
                links
                    .to((f, i))
                    .iter()
                    .filter(|n| tset.contains(&n.0))
                    .find_map(|n| part_of(f, n.0))
            })
            .collect();
        for (i, part) in by_neighbours(&linked, default_of_old(f))
            .into_iter()
            .enumerate()
        {
            if let Some(p) = part {
                olds[p].push(i);
            }
        }
    }
    for &t in row.to {
        let count = sides.new.get(t).map_or(0, |l| l.sentences.len());
        let linked: Vec<Option<usize>> = (0..count)
            .map(|i| {
                links
                    .from((t, i))
                    .iter()
                    .filter(|o| fset.contains(&o.0))
                    .find_map(|o| part_of(o.0, t))
            })
            .collect();
        for (i, part) in by_neighbours(&linked, default_of_new(t))
            .into_iter()
            .enumerate()
        {
            if let Some(p) = part {
                news[p].push(i);
            }
        }
    }
    keys.iter()
        .zip(olds.iter().zip(&news))
        .map(|(&(from, to), (olds, news))| part(sides, links, (from, to), olds, news))
        .collect()
}

/// The clause pairs of a row that share text (a sentence link or a matching heading),
/// and for a clause that shares none, a part with the first clause lineage links it to,
/// so that its text is shown. New and removed clauses are parts on their own.
fn part_keys(row: &Row, links: &Links) -> Vec<(Option<usize>, Option<usize>)> {
    if row.from.is_empty() || row.to.is_empty() {
        let olds = row.from.iter().map(|&f| (Some(f), None));
        return olds
            .chain(row.to.iter().map(|&t| (None, Some(t))))
            .collect();
    }
    // Looked up through sets and maps: a row may join thousands of clauses.
    let (from_set, to_set): (HashSet<usize>, HashSet<usize>) = (
        row.from.iter().copied().collect(),
        row.to.iter().copied().collect(),
    );
    let in_row = |f: usize, t: usize| from_set.contains(&f) && to_set.contains(&t);
    let linked = from_set.iter().flat_map(|&f| {
        let to = links.clauses_from.get(&f).map_or(&[][..], Vec::as_slice);
        to.iter().map(move |&t| (f, t))
    });
    let mut shared: BTreeSet<(usize, usize)> = linked
        .chain(row.headings.iter().copied())
        .filter(|&(f, t)| in_row(f, t))
        .collect();
    let (mut first_edge_of_old, mut first_edge_of_new) = (HashMap::new(), HashMap::new());
    for &(f, t) in row.edges {
        first_edge_of_old.entry(f).or_insert(t);
        first_edge_of_new.entry(t).or_insert(f);
    }
    let mut olds_shared: HashSet<usize> = shared.iter().map(|k| k.0).collect();
    for &f in row.from {
        if olds_shared.insert(f) {
            let t = first_edge_of_old.get(&f).copied().unwrap_or(row.to[0]);
            shared.insert((f, t));
        }
    }
    let mut news_shared: HashSet<usize> = shared.iter().map(|k| k.1).collect();
    for &t in row.to {
        if news_shared.insert(t) {
            let f = first_edge_of_new.get(&t).copied().unwrap_or(row.from[0]);
            shared.insert((f, t));
        }
    }
    let places = |list: &[usize]| {
        let mut places = HashMap::new();
        for (place, &x) in list.iter().enumerate() {
            places.entry(x).or_insert(place);
        }
        places
    };
    let (from_places, to_places) = (places(row.from), places(row.to));
    let mut keys: Vec<(usize, usize)> = shared.into_iter().collect();
    keys.sort_by_key(|&(f, t)| (to_places.get(&t).copied(), from_places.get(&f).copied()));
    keys.into_iter().map(|(f, t)| (Some(f), Some(t))).collect()
}

/// Fills the sentences without a part of their own with the part of the nearest
/// sentence before them, else after them, else `default`.
fn by_neighbours(linked: &[Option<usize>], default: Option<usize>) -> Vec<Option<usize>> {
    let mut out = linked.to_vec();
    let mut last = None;
    for slot in out.iter_mut() {
        match slot {
            Some(p) => last = Some(*p),
            None => *slot = last,
        }
    }
    let mut next = None;
    for (slot, own) in out.iter_mut().zip(linked).rev() {
        match own {
            Some(p) => next = Some(*p),
            None if slot.is_none() => *slot = next,
            None => {}
        }
    }
    out.into_iter().map(|p| p.or(default)).collect()
}

/// A set of sentences linked to each other inside one part: one against one, or the
/// halves of a split or merged sentence.
struct Group {
    olds: Vec<usize>,
    news: Vec<usize>,
    weight: usize,
}

fn part(
    sides: &Sides,
    links: &Links,
    (from, to): (Option<usize>, Option<usize>),
    olds: &[usize],
    news: &[usize],
) -> Part {
    let new_set: BTreeSet<usize> = news.iter().copied().collect();
    // Links inside the part, grouped.
    let mut groups: Vec<Group> = Vec::new();
    if let (Some(f), Some(t)) = (from, to) {
        let mut of_old: BTreeMap<usize, usize> = BTreeMap::new();
        let mut of_new: BTreeMap<usize, usize> = BTreeMap::new();
        for &o in olds {
            for n in links.to((f, o)) {
                if n.0 != t || !new_set.contains(&n.1) {
                    continue;
                }
                let g = match (of_old.get(&o).copied(), of_new.get(&n.1).copied()) {
                    (Some(a), Some(b)) if a != b => {
                        // Two groups joined by this link: the second goes into the first.
                        let moved = std::mem::replace(
                            &mut groups[b],
                            Group {
                                olds: Vec::new(),
                                news: Vec::new(),
                                weight: 0,
                            },
                        );
                        for &x in &moved.olds {
                            of_old.insert(x, a);
                        }
                        for &x in &moved.news {
                            of_new.insert(x, a);
                        }
                        groups[a].olds.extend(moved.olds);
                        groups[a].news.extend(moved.news);
                        a
                    }
                    (Some(a), _) | (_, Some(a)) => a,
                    (None, None) => {
                        groups.push(Group {
                            olds: Vec::new(),
                            news: Vec::new(),
                            weight: 0,
                        });
                        groups.len() - 1
                    }
                };
                if of_old.insert(o, g).is_none() {
                    groups[g].olds.push(o);
                }
                if of_new.insert(n.1, g).is_none() {
                    groups[g].news.push(n.1);
                }
            }
        }
        groups.retain(|g| !g.olds.is_empty() && !g.news.is_empty());
        for g in &mut groups {
            g.olds.sort_unstable();
            g.news.sort_unstable();
            g.weight = g
                .news
                .iter()
                .map(|&n| sides.new_text((t, n)).len())
                .sum::<usize>()
                + g.olds
                    .iter()
                    .map(|&o| sides.old_text((f, o)).len())
                    .sum::<usize>();
        }
    }
    groups.sort_by_key(|g| (g.news[0], g.olds[0]));
    let anchors = in_order(&groups);
    let anchored: BTreeSet<usize> = anchors.iter().copied().collect();
    let in_group_old: BTreeMap<usize, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.olds.iter().map(move |&o| (o, i)))
        .collect();
    let in_group_new: BTreeMap<usize, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.news.iter().map(move |&n| (n, i)))
        .collect();
    // What an old or new sentence outside the anchors is.
    let old_item = |o: usize| -> Aligned {
        let to_list = from.map(|f| links.to((f, o))).unwrap_or_default();
        if to_list.is_empty() {
            Aligned::Removed(o)
        } else {
            Aligned::MovedAway {
                old: o,
                to: to_list,
            }
        }
    };
    let new_item = |n: usize| -> Aligned {
        let from_list = to.map(|t| links.from((t, n))).unwrap_or_default();
        if from_list.is_empty() {
            Aligned::Added(n)
        } else {
            Aligned::MovedHere {
                new: n,
                from: from_list,
            }
        }
    };
    let is_anchored_old = |o: &usize| in_group_old.get(o).is_some_and(|g| anchored.contains(g));
    let is_anchored_new = |n: &usize| in_group_new.get(n).is_some_and(|g| anchored.contains(g));
    let mut order: Vec<Aligned> = Vec::new();
    // Each sentence's first place in `olds` and `news`, looked up rather than searched
    // for at each group.
    let first_places = |list: &[usize]| {
        let mut places = HashMap::with_capacity(list.len());
        for (place, &x) in list.iter().enumerate() {
            places.entry(x).or_insert(place);
        }
        places
    };
    let (old_place, new_place) = (first_places(olds), first_places(news));
    // Indexes into `olds` and `news` up to which the sentences are placed.
    let (mut old_at, mut new_at) = (0usize, 0usize);
    let ends = anchors.iter().map(|&a| Some(&groups[a])).chain([None]);
    for group in ends {
        let (old_end, new_end) = match group {
            Some(g) => (
                old_place.get(&g.olds[0]).copied().unwrap_or(olds.len()),
                new_place.get(&g.news[0]).copied().unwrap_or(news.len()),
            ),
            None => (olds.len(), news.len()),
        };
        let old_items: Vec<Aligned> = olds[old_at.min(old_end)..old_end]
            .iter()
            .filter(|o| !is_anchored_old(o))
            .map(|&o| old_item(o))
            .collect();
        let new_items: Vec<Aligned> = news[new_at.min(new_end)..new_end]
            .iter()
            .filter(|n| !is_anchored_new(n))
            .map(|&n| new_item(n))
            .collect();
        emit_gap(sides, (from, to), old_items, new_items, &mut order);
        let Some(g) = group else { break };
        order.push(Aligned::Same {
            old: g.olds.clone(),
            new: g.news.clone(),
        });
        // Past the group's last sentences (a group's sentences may be apart: the
        // sentences between them are placed in the next gap).
        let after = |places: &HashMap<usize, usize>, last: Option<&usize>, end: usize| {
            last.and_then(|x| places.get(x)).map_or(end, |p| p + 1)
        };
        old_at = after(&old_place, g.olds.last(), old_end);
        new_at = after(&new_place, g.news.last(), new_end);
    }
    let words = count_words(sides, (from, to), &order);
    Part {
        from,
        to,
        order,
        words,
        notes: Vec::new(),
    }
}

/// The groups that stay in place: the heaviest run of groups in order on both sides
/// (groups are sorted by their first new sentence). Found in n log n: the groups a group
/// may follow (those ending before it on the newer side) are put, in the order they end,
/// into a Fenwick tree over where they end on the older side, which gives the heaviest
/// run ending before it there; of equal runs the earliest group, as a search of every
/// earlier group found.
fn in_order(groups: &[Group]) -> Vec<usize> {
    let n = groups.len();
    if n == 0 {
        return Vec::new();
    }
    // Ranks of where groups end on the older side.
    let mut ends: Vec<usize> = groups.iter().map(|g| g.olds[g.olds.len() - 1]).collect();
    ends.sort_unstable();
    ends.dedup();
    let rank = |x: usize| ends.partition_point(|&e| e < x);
    type Best = (usize, std::cmp::Reverse<usize>);
    let mut tree: Vec<Option<Best>> = vec![None; ends.len() + 1];
    // Groups by where they end on the newer side, to put into the tree in that order.
    let mut by_new_end: Vec<usize> = (0..n).collect();
    by_new_end.sort_by_key(|&j| groups[j].news[groups[j].news.len() - 1]);
    let mut next_in = 0;
    let mut best: Vec<usize> = groups.iter().map(|g| g.weight).collect();
    let mut before: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        // Groups ending before this one starts on the newer side come before it in the
        // sort, and may precede it.
        while next_in < n {
            let j = by_new_end[next_in];
            if groups[j].news[groups[j].news.len() - 1] >= groups[i].news[0] {
                break;
            }
            let mut at = rank(groups[j].olds[groups[j].olds.len() - 1]) + 1;
            while at < tree.len() {
                tree[at] = tree[at].max(Some((best[j], std::cmp::Reverse(j))));
                at += at & at.wrapping_neg();
            }
            next_in += 1;
        }
        // The heaviest run ending before this group starts on the older side.
        let mut found: Option<Best> = None;
        let mut at = rank(groups[i].olds[0]);
        while at > 0 {
            found = found.max(tree[at]);
            at &= at - 1;
        }
        if let Some((run, std::cmp::Reverse(j))) = found
            && run + groups[i].weight > best[i]
        {
            best[i] = run + groups[i].weight;
            before[i] = Some(j);
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![at];
    while let Some(j) = before[at] {
        out.push(j);
        at = j;
    }
    out.reverse();
    out
}

/// Share of words changed above which one removed sentence in the place of one added
/// sentence is shown removed and added whole rather than word by word.
const REPLACED: f64 = 0.8;

/// A gap between sentences in place: the older side's sentences, then the newer's. One
/// removed sentence against one added that share most words are shown word by word.
fn emit_gap(
    sides: &Sides,
    (from, to): (Option<usize>, Option<usize>),
    old_items: Vec<Aligned>,
    new_items: Vec<Aligned>,
    order: &mut Vec<Aligned>,
) {
    let removed: Vec<usize> = old_items
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a, Aligned::Removed(_)))
        .map(|(i, _)| i)
        .collect();
    let added: Vec<usize> = new_items
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a, Aligned::Added(_)))
        .map(|(i, _)| i)
        .collect();
    if let ([r], [a], Some(f), Some(t)) = (&removed[..], &added[..], from, to)
        && let (Aligned::Removed(o), Aligned::Added(n)) = (&old_items[*r], &new_items[*a])
    {
        let segments = words::diff(sides.old_text((f, *o)), sides.new_text((t, *n)));
        if words::changed_share(&segments) < REPLACED {
            let same = Aligned::Same {
                old: vec![*o],
                new: vec![*n],
            };
            let (old_before, old_after) = old_items.split_at(*r);
            let (new_before, new_after) = new_items.split_at(*a);
            order.extend(old_before.iter().cloned());
            order.extend(new_before.iter().cloned());
            order.push(same);
            order.extend(old_after[1..].iter().cloned());
            order.extend(new_after[1..].iter().cloned());
            return;
        }
    }
    order.extend(old_items);
    order.extend(new_items);
}

/// Words changed and all words of a part (see [`Part::words`]).
fn count_words(
    sides: &Sides,
    (from, to): (Option<usize>, Option<usize>),
    order: &[Aligned],
) -> (usize, usize) {
    let (mut changed, mut total) = (0usize, 0usize);
    let counted = |segments: &[words::Segment]| {
        segments.iter().fold((0, 0), |(changed, total), s| {
            let n = words::word_count(&s.text);
            match s.op {
                Op::Equal => (changed, total + 2 * n),
                _ => (changed + n, total + n),
            }
        })
    };
    for item in order {
        match item {
            Aligned::Same { old, new } => {
                let (Some(f), Some(t)) = (from, to) else {
                    continue;
                };
                let a = joined(old.iter().map(|&o| sides.old_text((f, o))));
                let b = joined(new.iter().map(|&n| sides.new_text((t, n))));
                let (c, t) = counted(&words::diff(&a, &b));
                changed += c;
                total += t;
            }
            Aligned::Removed(o) => {
                let n = from.map_or(0, |f| words::word_count(sides.old_text((f, *o))));
                changed += n;
                total += n;
            }
            Aligned::Added(n) => {
                let count = to.map_or(0, |t| words::word_count(sides.new_text((t, *n))));
                changed += count;
                total += count;
            }
            // Counted where it arrived.
            Aligned::MovedAway { .. } => {}
            Aligned::MovedHere { new, from: sources } => {
                let Some(t) = to else { continue };
                let a = joined(sources.iter().map(|&at| sides.old_text(at)));
                let (c, n) = counted(&words::diff(&a, sides.new_text((t, *new))));
                changed += c;
                total += n;
            }
        }
    }
    (changed, total)
}

/// Sentences joined by a space, as one text to diff word by word.
pub fn joined<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    /// The clauses of a small Markdown body, laid out.
    fn layouts(markdown: &str) -> Vec<Layout> {
        let source = SourceText::new("t.md", markdown.to_string());
        let (body, _) = crate::content::body::split(&source, markdown, 0);
        body.clauses.iter().map(Layout::of).collect()
    }

    fn link(old: At, new: At) -> Link {
        Link {
            old,
            new,
            similarity: 1.0,
            piece: false,
        }
    }

    #[test]
    fn a_sentence_out_of_order_is_moved_and_the_rest_stays_in_place() {
        let old = layouts("## § 1 A\n\nEtt. Två. Tre.\n");
        let new = layouts("## § 1 A\n\nTre. Ett. Två.\n");
        let sides = Sides {
            old: &old,
            new: &new,
        };
        let links = Links::new(vec![
            link((0, 0), (0, 1)),
            link((0, 1), (0, 2)),
            link((0, 2), (0, 0)),
        ]);
        let row = Row {
            from: &[0],
            to: &[0],
            edges: &[(0, 0)],
            headings: &[],
        };
        let parts = row_parts(&sides, &row, &links);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            parts[0].order,
            [
                Aligned::MovedHere {
                    new: 0,
                    from: vec![(0, 2)]
                },
                Aligned::Same {
                    old: vec![0],
                    new: vec![1]
                },
                Aligned::Same {
                    old: vec![1],
                    new: vec![2]
                },
                Aligned::MovedAway {
                    old: 2,
                    to: vec![(0, 0)]
                },
            ]
        );
        // Moved, not changed: every word is kept.
        assert_eq!(parts[0].similarity(), 1.0);
    }

    #[test]
    fn an_unlinked_sentence_goes_to_the_part_of_the_sentence_before_it() {
        let old = layouts("## § 1 A\n\nFörsta delen. Borttagen mening. Andra delen.\n");
        let new = layouts("## § 1 A\n\nFörsta delen.\n\n## § 2 B\n\nAndra delen.\n");
        let sides = Sides {
            old: &old,
            new: &new,
        };
        let links = Links::new(vec![link((0, 0), (0, 0)), link((0, 2), (1, 0))]);
        let row = Row {
            from: &[0],
            to: &[0, 1],
            edges: &[(0, 0), (0, 1)],
            headings: &[],
        };
        let parts = row_parts(&sides, &row, &links);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0].order,
            [
                Aligned::Same {
                    old: vec![0],
                    new: vec![0]
                },
                Aligned::Removed(1)
            ]
        );
        assert_eq!(
            parts[1].order,
            [Aligned::Same {
                old: vec![2],
                new: vec![0]
            }]
        );
        assert_eq!(parts[1].similarity(), 1.0);
        assert!(parts[0].similarity() < 1.0);
    }

    #[test]
    fn one_sentence_in_place_of_another_is_compared_word_by_word_only_if_alike() {
        let old = layouts("## § 1 A\n\nBeslut i kommunen gäller som undertecknande.\n");
        let alike = layouts("## § 1 A\n\nBeslut om antagande gäller som undertecknande.\n");
        let unlike = layouts("## § 1 A\n\nHelt annan text om något nytt.\n");
        let row = Row {
            from: &[0],
            to: &[0],
            edges: &[(0, 0)],
            headings: &[],
        };
        let links = Links::new(Vec::new());
        let order = |new: &[Layout]| {
            let sides = Sides { old: &old, new };
            row_parts(&sides, &row, &links).remove(0).order
        };
        assert_eq!(
            order(&alike),
            [Aligned::Same {
                old: vec![0],
                new: vec![0]
            }]
        );
        assert_eq!(order(&unlike), [Aligned::Removed(0), Aligned::Added(0)]);
    }
    /// Every earlier group tried for each, as groups in place were found before.
    fn in_order_by_every_pair(groups: &[Group]) -> Vec<usize> {
        let n = groups.len();
        let mut best: Vec<usize> = groups.iter().map(|g| g.weight).collect();
        let mut before: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            for j in 0..i {
                let fits = groups[j].olds.last() < groups[i].olds.first()
                    && groups[j].news.last() < groups[i].news.first();
                if fits && best[j] + groups[i].weight > best[i] {
                    best[i] = best[j] + groups[i].weight;
                    before[i] = Some(j);
                }
            }
        }
        let Some(mut at) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else {
            return Vec::new();
        };
        let mut out = vec![at];
        while let Some(j) = before[at] {
            out.push(j);
            at = j;
        }
        out.reverse();
        out
    }

    #[test]
    fn groups_in_place_are_those_every_pair_tried_found() {
        let mut state = 3u64;
        let mut next = move |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % below.max(1)
        };
        for round in 0..300 {
            let count = next(12);
            // Sentences shuffled a little, dealt into groups of one to three.
            let shuffled = |next: &mut dyn FnMut(usize) -> usize| {
                let mut list: Vec<usize> = (0..count * 3).collect();
                for _ in 0..next(8) {
                    let (a, b) = (next(list.len()), next(list.len()));
                    if !list.is_empty() {
                        list.swap(a, b);
                    }
                }
                list
            };
            let (olds, news) = (shuffled(&mut next), shuffled(&mut next));
            let mut groups: Vec<Group> = (0..count)
                .map(|g| {
                    let take = |list: &[usize], next: &mut dyn FnMut(usize) -> usize| {
                        let mut part: Vec<usize> = list[g * 3..g * 3 + 1 + next(3)].to_vec();
                        part.sort_unstable();
                        part
                    };
                    Group {
                        olds: take(&olds, &mut next),
                        news: take(&news, &mut next),
                        weight: next(4) * 10 + 1 - usize::from(round % 5 == 0),
                    }
                })
                .collect();
            groups.sort_by_key(|g| (g.news[0], g.olds[0]));
            let shown: Vec<(Vec<usize>, Vec<usize>, usize)> = groups
                .iter()
                .map(|g| (g.olds.clone(), g.news.clone(), g.weight))
                .collect();
            assert_eq!(
                in_order(&groups),
                in_order_by_every_pair(&groups),
                "round {round}: {shown:?}"
            );
        }
    }
}
