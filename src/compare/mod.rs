//! Aligning versions: which clause became which, and what changed in its words.
//!
//! Each version may declare its lineage from one earlier version (a *step*). Clauses the
//! editors did not declare get an automatic proposal. Comparisons between any two
//! versions of a work follow the chain of steps.

pub mod parts;
pub mod propose;
pub mod report;
pub mod sentences;
pub mod structure;
pub mod view;
pub mod words;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::meta::LineageDecl;
use crate::model::{Page, Site, Work};

/// One link between clauses of two versions, as declared or proposed.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub declared: bool,
    pub note: Option<String>,
    /// A proposal on weak evidence, for the editor to check ("osäkert förslag").
    pub uncertain: bool,
}

/// The lineage from one version into a later one.
#[derive(Debug, Clone)]
pub struct Step {
    pub work: String,
    pub from_page: usize,
    pub to_page: usize,
    pub groups: Vec<Group>,
    /// Earlier clause id → the groups (indexes, in order) that lead from it, made the
    /// first time it is asked for: a version page asks for every clause's.
    groups_from: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
}

impl Step {
    /// The groups that lead from clause `id` of the earlier version, in order.
    pub fn groups_from(&self, id: &str) -> impl Iterator<Item = &Group> {
        let found = if self.groups.len() <= SEARCHED_IN_ORDER {
            Cow::Owned(self.groups_in_order(id))
        } else {
            Cow::Borrowed(self.groups_indexed(id))
        };
        (0..found.len()).map(move |k| &self.groups[found[k]])
    }

    fn groups_in_order(&self, id: &str) -> Vec<usize> {
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, group)| group.from.iter().any(|from| from == id))
            .map(|(at, _)| at)
            .collect()
    }

    fn groups_indexed(&self, id: &str) -> &[usize] {
        let index = self.groups_from.get_or_init(|| {
            let mut index: HashMap<String, Vec<usize>> = HashMap::new();
            for (at, group) in self.groups.iter().enumerate() {
                for from in &group.from {
                    let groups = index.entry(from.clone()).or_default();
                    if groups.last() != Some(&at) {
                        groups.push(at);
                    }
                }
            }
            index
        });
        index.get(id).map_or(&[][..], Vec::as_slice)
    }
}

/// Up to this many groups or pairs, a step or comparison is searched in order rather
/// than indexed: an index of every one of 20,000 comparisons, kept once made, held more
/// than 100 MB at 100,000 documents, and only versions of thousands of clauses need it.
const SEARCHED_IN_ORDER: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The same text under the same number, in the same place.
    Unchanged,
    /// One clause to one, under the same number, its text changed.
    Changed,
    /// One clause to one under another number (its text may have changed too).
    Renumbered,
    /// One clause to one under the same name, moved among the others (an unnumbered
    /// clause such as Utgångspunkter).
    Moved,
    /// One clause into several.
    Split,
    /// Several clauses into one, or several into several.
    Merged,
    New,
    Removed,
}

impl ChangeKind {
    /// The word a reader sees.
    pub fn swedish(self) -> &'static str {
        match self {
            ChangeKind::Unchanged => "oförändrad",
            ChangeKind::Changed => "ändrad",
            ChangeKind::Renumbered => "omnumrerad",
            ChangeKind::Moved => "flyttad",
            ChangeKind::Split => "delad",
            ChangeKind::Merged => "sammanslagen",
            ChangeKind::New => "ny",
            ChangeKind::Removed => "utgår",
        }
    }

    /// Whether the row has text on both sides whose words may have changed.
    pub fn has_both_sides(self) -> bool {
        !matches!(self, ChangeKind::New | ChangeKind::Removed)
    }
}

/// One row of a comparison: these clauses of the older version and those of the newer,
/// cut into parts that each pair two clauses sharing text ([`parts`]).
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub status: ChangeKind,
    /// 1.0 for identical text, 0.0 for nothing in common (moved text counts as kept).
    pub similarity: f64,
    pub declared: bool,
    /// Proposed on weak evidence somewhere along the steps: "osäkert förslag –
    /// kontrollera" on the page. Not in the JSON, whose fields stay as they were.
    #[serde(skip)]
    pub uncertain: bool,
    /// Editorial notes of the steps this pair went through (Markdown).
    pub notes: Vec<String>,
    /// The row sentence by sentence, one part per pair of clauses that share text (one
    /// part for one clause to one, or for a new or removed clause).
    #[serde(skip)]
    pub parts: Vec<parts::Part>,
    /// Sentences that moved, within the row or to or from another row.
    #[serde(skip)]
    pub moves: Vec<Move>,
}

impl Pair {
    /// Where each of the row's notes is shown: at the row (`None`), or in the part of
    /// the clauses its lineage entry links (`Some(part)`) when the entry links only
    /// some of the row's parts (one point of seven merged into a list, say).
    pub fn note_places(&self) -> Vec<(Option<usize>, &str)> {
        self.notes
            .iter()
            .map(|note| {
                let with: Vec<usize> = (0..self.parts.len())
                    .filter(|&i| self.parts[i].notes.contains(note))
                    .collect();
                let place = (!with.is_empty() && with.len() < self.parts.len()).then(|| with[0]);
                (place, note.as_str())
            })
            .collect()
    }

    /// The share of words kept in the parts that lead into clause `to` (its index in
    /// the newer version): for a clause of a split or merged row, its own share rather
    /// than the row's.
    pub fn similarity_into(&self, to: usize) -> f64 {
        let (changed, total) = self
            .parts
            .iter()
            .filter(|p| p.to == Some(to))
            .fold((0, 0), |(c, t), p| (c + p.words.0, t + p.words.1));
        if self.parts.len() <= 1 || total == 0 {
            self.similarity
        } else {
            1.0 - changed as f64 / total as f64
        }
    }
}

/// A sentence that moved: from where in the older version to where in the newer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub old: parts::At,
    pub new: parts::At,
}

/// All pairs between two versions of a work, older first.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub work: String,
    pub from_page: usize,
    pub to_page: usize,
    pub pairs: Vec<Pair>,
    /// The rows of each clause, made the first time they are asked for.
    rows: std::sync::OnceLock<RowIndex>,
}

/// A comparison's rows (indexes into `pairs`, in order) by the clauses they hold, on
/// the older side (`false`) or the newer (`true`), and the first row and part that show
/// each sentence: pages, pictures and histories ask for the row of every clause, and
/// a comparison page for the place of every moved sentence, which searching every row
/// (and every part's sentences) each time made quadratic.
#[derive(Debug, Clone, Default)]
struct RowIndex {
    by_id: HashMap<(bool, String), Vec<usize>>,
    /// (newer side, clause index, sentence) → (row, part).
    by_sentence: HashMap<(bool, parts::At), (usize, usize)>,
}

impl Comparison {
    fn rows(&self) -> &RowIndex {
        self.rows.get_or_init(|| {
            let mut index = RowIndex::default();
            for (at, pair) in self.pairs.iter().enumerate() {
                for (is_new, ids) in [(false, &pair.from), (true, &pair.to)] {
                    for id in ids {
                        let rows = index.by_id.entry((is_new, id.clone())).or_default();
                        if rows.last() != Some(&at) {
                            rows.push(at);
                        }
                    }
                }
                for (k, part) in pair.parts.iter().enumerate() {
                    for (is_new, clause) in [(false, part.from), (true, part.to)] {
                        let Some(clause) = clause else { continue };
                        for sentence in part.order.iter().flat_map(|item| item.shown(!is_new)) {
                            let place = (at, k);
                            index
                                .by_sentence
                                .entry((is_new, (clause, *sentence)))
                                .or_insert(place);
                        }
                    }
                }
            }
            index
        })
    }

    /// The rows (indexes into `pairs`, in order) that hold clause `id` of the older
    /// version (`old`) or the newer.
    pub fn rows_of(&self, old: bool, id: &str) -> Cow<'_, [usize]> {
        if self.pairs.len() <= SEARCHED_IN_ORDER {
            Cow::Owned(self.rows_in_order(old, id))
        } else {
            Cow::Borrowed(self.rows_indexed(old, id))
        }
    }

    fn rows_in_order(&self, old: bool, id: &str) -> Vec<usize> {
        self.pairs
            .iter()
            .enumerate()
            .filter(|(_, pair)| {
                let ids = if old { &pair.from } else { &pair.to };
                ids.iter().any(|clause| clause == id)
            })
            .map(|(at, _)| at)
            .collect()
    }

    fn rows_indexed(&self, old: bool, id: &str) -> &[usize] {
        self.rows()
            .by_id
            .get(&(!old, id.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The pair and part that show sentence `at` of the older version (`old`) or the
    /// newer: where a link to a moved sentence leads.
    pub fn place_of(&self, old: bool, at: parts::At) -> Option<(&Pair, &parts::Part)> {
        let (row, part) = if self.pairs.len() <= SEARCHED_IN_ORDER {
            self.place_in_order(old, at)?
        } else {
            self.place_indexed(old, at)?
        };
        let pair = &self.pairs[row];
        Some((pair, &pair.parts[part]))
    }

    fn place_in_order(&self, old: bool, at: parts::At) -> Option<(usize, usize)> {
        self.pairs.iter().enumerate().find_map(|(row, pair)| {
            let part = pair.parts.iter().position(|part| {
                let clause = if old { part.from } else { part.to };
                clause == Some(at.0)
                    && part
                        .order
                        .iter()
                        .flat_map(|item| item.shown(old))
                        .any(|sentence| *sentence == at.1)
            })?;
            Some((row, part))
        })
    }

    fn place_indexed(&self, old: bool, at: parts::At) -> Option<(usize, usize)> {
        self.rows().by_sentence.get(&(!old, at)).copied()
    }
}

/// A clause's identity across versions (Akoma Ntoso's wId): all clauses linked by lineage.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    /// Stable key: `{version}-{clause id}` of its first appearance.
    pub key: String,
    pub work: String,
    /// (page index, clause id) in version order.
    pub members: Vec<(usize, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub steps: Vec<Step>,
    pub comparisons: Vec<Comparison>,
    pub lineages: Vec<Lineage>,
    /// (page index, clause id) → index into `lineages`.
    pub lineage_of: HashMap<(usize, String), usize>,
}

impl Alignment {
    pub fn comparison(&self, from_page: usize, to_page: usize) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .find(|c| c.from_page == from_page && c.to_page == to_page)
    }

    pub fn lineage(&self, page: usize, clause: &str) -> Option<&Lineage> {
        self.lineage_of
            .get(&(page, clause.to_string()))
            .map(|&i| &self.lineages[i])
    }
}

pub fn align(site: &Site) -> (Alignment, Diagnostics) {
    use rayon::prelude::*;
    // Works are aligned independently (no clause is compared across works), so in
    // parallel.
    let parts: Vec<(Alignment, Diagnostics)> = site
        .works
        .par_iter()
        .map(|work| align_work(site, work))
        .collect();
    let mut alignment = Alignment::default();
    let mut diagnostics = Diagnostics::default();
    for (part, problems) in parts {
        alignment.steps.extend(part.steps);
        alignment.comparisons.extend(part.comparisons);
        alignment.lineages.extend(part.lineages);
        diagnostics.extend(problems.items);
    }
    alignment.index_lineages();
    (alignment, diagnostics)
}

/// The alignment of one work's versions: its steps, comparisons and lineages.
fn align_work(site: &Site, work: &Work) -> (Alignment, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut alignment = Alignment::default();
    for (position, &to_page) in work.versions.iter().enumerate() {
        // `serve` gives way to a newer save; it throws the partial alignment away.
        if crate::cancel::requested() {
            return (alignment, diagnostics);
        }
        if let Some(step) = step_into(site, work, position, to_page, &mut diagnostics) {
            alignment.steps.push(step);
        }
    }
    let layouts: HashMap<usize, Vec<structure::Layout>> = work
        .versions
        .iter()
        .map(|&p| {
            (
                p,
                site.pages[p]
                    .body
                    .clauses
                    .iter()
                    .map(structure::Layout::of)
                    .collect(),
            )
        })
        .collect();
    let empty = Vec::new();
    let links: Vec<StepLinks> = alignment
        .steps
        .iter()
        .map(|s| {
            step_links(
                layouts.get(&s.from_page).unwrap_or(&empty),
                layouts.get(&s.to_page).unwrap_or(&empty),
                &site.pages[s.from_page],
                &site.pages[s.to_page],
            )
        })
        .collect();
    for (a, &from_page) in work.versions.iter().enumerate() {
        for &to_page in &work.versions[a + 1..] {
            if crate::cancel::requested() {
                return (alignment, diagnostics);
            }
            let pages = (from_page, to_page);
            if let Some(c) = compare(site, &alignment.steps, &links, &layouts, work, pages) {
                alignment.comparisons.push(c);
            }
        }
    }
    build_lineages(site, work, &mut alignment);
    (alignment, diagnostics)
}

impl Alignment {
    /// Aligns `work` again after one of its versions changed (same versions, same
    /// pages), leaving every other work's alignment as it was. Returns the work's
    /// problems.
    pub fn realign_work(&mut self, site: &Site, work: &Work) -> Diagnostics {
        let (fresh, problems) = align_work(site, work);
        let before = self.spans_of(&work.id).lineages;
        let same_count = before.len() == fresh.lineages.len();
        splice(&mut self.steps, fresh.steps, |s| s.work == work.id);
        splice(&mut self.comparisons, fresh.comparisons, |c| {
            c.work == work.id
        });
        if same_count {
            // The other works' lineages keep their places: only this work's entries
            // change (indexing every lineage again took most of a save at 100,000
            // documents).
            for lineage in &self.lineages[before.clone()] {
                for member in &lineage.members {
                    self.lineage_of.remove(member);
                }
            }
            splice(&mut self.lineages, fresh.lineages, |l| l.work == work.id);
            for (i, lineage) in self.lineages[before.clone()].iter().enumerate() {
                for member in &lineage.members {
                    self.lineage_of.insert(member.clone(), before.start + i);
                }
            }
        } else {
            splice(&mut self.lineages, fresh.lineages, |l| l.work == work.id);
            self.index_lineages();
        }
        problems
    }

    /// Where the steps, comparisons and lineages of work `id` sit in their lists (each
    /// work's are kept together); empty ranges when it has none.
    pub fn spans_of(&self, id: &str) -> WorkSpans {
        fn span<T>(items: &[T], of_work: impl Fn(&T) -> bool) -> Range<usize> {
            let start = items.iter().position(&of_work).unwrap_or(items.len());
            let len = items[start..]
                .iter()
                .take_while(|item| of_work(item))
                .count();
            start..start + len
        }
        WorkSpans {
            steps: span(&self.steps, |s| s.work == id),
            comparisons: span(&self.comparisons, |c| c.work == id),
            lineages: span(&self.lineages, |l| l.work == id),
        }
    }

    fn index_lineages(&mut self) {
        self.lineage_of = self
            .lineages
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.members.iter().map(move |m| (m.clone(), i)))
            .collect();
    }
}

/// Where one work's items sit in the alignment's lists ([`Alignment::spans_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSpans {
    pub steps: Range<usize>,
    pub comparisons: Range<usize>,
    pub lineages: Range<usize>,
}

/// Replaces the items of one work (kept together, in work order) by `fresh`, in place.
fn splice<T>(items: &mut Vec<T>, fresh: Vec<T>, of_work: impl Fn(&T) -> bool) {
    let at = items.iter().position(&of_work).unwrap_or(items.len());
    items.retain(|item| !of_work(item));
    items.splice(at..at, fresh);
}

fn clause_ids(page: &Page) -> Vec<String> {
    page.body.clauses.iter().map(|c| c.id.clone()).collect()
}

fn step_into(
    site: &Site,
    work: &Work,
    position: usize,
    to_page: usize,
    diagnostics: &mut Diagnostics,
) -> Option<Step> {
    let page = &site.pages[to_page];
    let meta = page.version()?;
    let to_ids = clause_ids(page);
    let mut groups: Vec<Group> = Vec::new();
    // A problem goes on the line of the lineage that names `needle`, else on its
    // `from:` line or the `lineage:` line. The page's text is read and its lineage's
    // lines indexed once, for all its problems.
    let lines = std::cell::OnceCell::new();
    let at_lineage = |problem: Diagnostic, needle: Option<&str>| match lines
        .get_or_init(|| LineageLines::of(page, meta))
    {
        Some(lines) => lines.place(problem, needle),
        None => problem,
    };
    let from_page = match &meta.lineage {
        Some(decl) => {
            let Some(from_index) = work.versions.iter().position(|&i| {
                site.pages[i]
                    .version()
                    .is_some_and(|v| v.version == decl.from)
            }) else {
                let known: Vec<&str> = work
                    .versions
                    .iter()
                    .filter_map(|&i| site.pages[i].version())
                    .map(|v| v.version.as_str())
                    .collect();
                diagnostics.push(at_lineage(
                    Diagnostic::error(
                        &page.source.name,
                        format!("lineage: work `{}` has no version `{}`", work.id, decl.from),
                    )
                    .with_help(format!("versions of this work: {}", known.join(", "))),
                    None,
                ));
                return None;
            };
            if from_index >= position {
                diagnostics.push(at_lineage(Diagnostic::error(&page.source.name, format!("lineage: version `{}` is not older than `{}`", decl.from, meta.version))
                    .with_help("lineage is declared on the later version and points at an earlier one (by date); check both dates"), None));
                return None;
            }
            if from_index + 1 < position {
                // Each version is compared with the others through the chain of lineage
                // steps: a step that jumps over a version leaves that version out of
                // every comparison with this one and the versions after it.
                let skipped: Vec<&str> = work.versions[from_index + 1..position]
                    .iter()
                    .filter_map(|&i| site.pages[i].version())
                    .map(|v| v.version.as_str())
                    .collect();
                let previous = skipped.last().copied().unwrap_or_default();
                diagnostics.push(at_lineage(
                    Diagnostic::warning(
                        &page.source.name,
                        format!(
                            "lineage goes from version {}, past version {}: {} cannot be compared with {} clause by clause",
                            decl.from,
                            skipped.join(", "),
                            meta.version,
                            skipped.join(" or "),
                        ),
                    )
                    .with_help(format!(
                        "declare the lineage from the version just before (`from: \"{previous}\"`), or check the dates if {previous} is not older than {}",
                        meta.version
                    )),
                    None,
                ));
            }
            let from_page = work.versions[from_index];
            let from_ids = clause_ids(&site.pages[from_page]);
            check_repeated_entries(page, decl, diagnostics);
            let known_from: HashSet<&str> = from_ids.iter().map(String::as_str).collect();
            let known_to: HashSet<&str> = to_ids.iter().map(String::as_str).collect();
            for entry in &decl.clauses {
                let mut ok = true;
                for (ids, known, listed, which) in [
                    (&entry.from, &known_from, &from_ids, &decl.from),
                    (&entry.to, &known_to, &to_ids, &meta.version),
                ] {
                    for id in ids.iter() {
                        if !known.contains(id.as_str()) {
                            ok = false;
                            diagnostics.push(at_lineage(Diagnostic::error(&page.source.name, format!("lineage names clause `{id}`, which version {which} does not have"))
                                .with_help(format!("clauses of {which}: {}", crate::diagnostics::list_for_help(listed))), Some(id)));
                        }
                    }
                }
                if entry.from.is_empty() && entry.to.is_empty() {
                    ok = false;
                    diagnostics.push(at_lineage(
                        Diagnostic::error(
                            &page.source.name,
                            "lineage entry with neither `from` nor `to` clauses",
                        )
                        .with_help("remove the entry, or name the clauses it links"),
                        None,
                    ));
                }
                if ok {
                    groups.push(Group {
                        from: entry.from.clone(),
                        to: entry.to.clone(),
                        declared: true,
                        note: entry.note.clone(),
                        uncertain: false,
                    });
                }
            }
            from_page
        }
        None if position == 0 => return None,
        None => work.versions[position - 1],
    };
    let from = &site.pages[from_page];
    let from_ids = clause_ids(from);
    let declared_to: HashSet<&str> = groups
        .iter()
        .flat_map(|g| &g.to)
        .map(String::as_str)
        .collect();
    let open: Vec<usize> = to_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !declared_to.contains(id.as_str()))
        .map(|(i, _)| i)
        .collect();
    // Removed clauses the proposal is unsure of: a new clause stands in their place.
    let mut uncertain_removed: HashSet<String> = HashSet::new();
    if !open.is_empty() {
        let old_texts: Vec<String> = from.body.clauses.iter().map(|c| c.plain_text()).collect();
        let new_texts: Vec<String> = page.body.clauses.iter().map(|c| c.plain_text()).collect();
        let proposal = propose::proposal(
            &proposal_input(from, &old_texts),
            &proposal_input(page, &new_texts),
            &open,
        );
        // One group per split or merge, as an editor declares them; removed clauses are
        // added below, once declared groups are known.
        let proposed: Vec<Group> = proposal
            .groups()
            .into_iter()
            .map(|(os, ns, uncertain)| Group {
                from: os.into_iter().map(|i| from_ids[i].clone()).collect(),
                to: ns.into_iter().map(|i| to_ids[i].clone()).collect(),
                declared: false,
                note: None,
                uncertain,
            })
            .collect();
        uncertain_removed = proposal
            .links
            .iter()
            .filter(|l| l.to.is_none() && l.uncertain)
            .filter_map(|l| from_ids.get(l.from?).cloned())
            .collect();
        let from_version = from.version().map_or("", |v| v.version.as_str());
        let continued: HashSet<&str> = groups
            .iter()
            .chain(&proposed)
            .flat_map(|g| &g.from)
            .map(String::as_str)
            .collect();
        let removed: Vec<Group> = from_ids
            .iter()
            .filter(|id| !continued.contains(id.as_str()))
            .map(|id| Group {
                from: vec![id.clone()],
                to: Vec::new(),
                declared: false,
                note: None,
                uncertain: uncertain_removed.contains(id),
            })
            .collect();
        // What `check` prints: one entry per link, each with its own flag (a group's
        // flag is that of its weakest link).
        let mut suggested: Vec<Group> = proposal
            .links
            .iter()
            .filter(|l| l.to.is_some())
            .map(|l| Group {
                from: l.from.iter().map(|&i| from_ids[i].clone()).collect(),
                to: l.to.iter().map(|&i| to_ids[i].clone()).collect(),
                declared: false,
                note: None,
                uncertain: l.uncertain,
            })
            .collect();
        // In the later version's order, as an editor reads down the text.
        let to_place = first_places(&to_ids);
        suggested.sort_by_key(|g| g.to.first().and_then(|id| to_place.get(id.as_str())));
        suggested.extend(removed);
        let (yaml, uncertain) =
            suggestion_yaml(from_version, &groups, &suggested, meta.lineage.is_some());
        let warning = Diagnostic::warning(&page.source.name, format!(
                "lineage of {} clause(s) from version {from_version} is not declared; proposed from the text{}",
                open.len(),
                if uncertain > 0 { format!(", {uncertain} of the entries uncertain ({UNCERTAIN})") } else { String::new() }
            ))
            .with_help(format!(
                "the page marks these as automatic; check each entry (one per link) and paste those you accept into the front matter:\n{}",
                yaml
            ));
        diagnostics.push(
            page.source
                .place(warning, |warning, source| warning.at_line(source, 1, 1)),
        );
        groups.extend(proposed);
    }
    // Earlier clauses that nothing continues were removed.
    let mut continued: HashSet<String> = groups.iter().flat_map(|g| g.from.clone()).collect();
    for id in &from_ids {
        if continued.insert(id.clone()) {
            groups.push(Group {
                from: vec![id.clone()],
                to: Vec::new(),
                declared: meta.lineage.is_some(),
                note: None,
                uncertain: uncertain_removed.contains(id),
            });
        }
    }
    Some(Step {
        work: work.id.clone(),
        from_page,
        to_page,
        groups,
        groups_from: std::sync::OnceLock::new(),
    })
}

/// The clauses of one side of a lineage entry; `None` for `[]` (new or removed).
fn entry_side(ids: &[String]) -> Vec<Option<&str>> {
    if ids.is_empty() {
        vec![None]
    } else {
        ids.iter().map(|id| Some(id.as_str())).collect()
    }
}

/// An entry that links clauses an earlier entry already links, or that names a clause
/// twice, is a copy-and-paste slip that showed its note twice on the clause's history:
/// each is an error on the later entry's line. (Two entries that share a clause but
/// link it to others, a split written as two entries, are not repeats.)
fn check_repeated_entries(page: &Page, decl: &LineageDecl, diagnostics: &mut Diagnostics) {
    type Edge<'a> = (Option<&'a str>, Option<&'a str>);
    let mut first_entry: HashMap<Edge<'_>, usize> = HashMap::new();
    // (entry, the earlier entry it repeats, message)
    let mut found: Vec<(usize, Option<usize>, String)> = Vec::new();
    for (index, entry) in decl.clauses.iter().enumerate() {
        for (name, ids) in [("from", &entry.from), ("to", &entry.to)] {
            let mut seen = BTreeSet::new();
            if let Some(id) = ids.iter().find(|id| !seen.insert(id.as_str())) {
                found.push((
                    index,
                    None,
                    format!("lineage entry names clause `{id}` twice in `{name}`"),
                ));
            }
        }
        if entry.from.is_empty() && entry.to.is_empty() {
            continue; // reported as an entry with no clauses
        }
        let mut repeated = None;
        for &from in &entry_side(&entry.from) {
            for &to in &entry_side(&entry.to) {
                let earlier = *first_entry.entry((from, to)).or_insert(index);
                if earlier != index && repeated.is_none() {
                    repeated = Some((earlier, from, to));
                }
            }
        }
        if let Some((earlier, from, to)) = repeated {
            let link = match (from, to) {
                (Some(from), Some(to)) => format!("`{from}` → `{to}`"),
                (None, Some(to)) => format!("`{to}` as new"),
                (Some(from), None) => format!("`{from}` as removed"),
                (None, None) => String::new(),
            };
            found.push((
                index,
                Some(earlier),
                format!("lineage entry repeats {link}"),
            ));
        }
    }
    if found.is_empty() {
        return;
    }
    // The file is read again once for all the entries' problems.
    let source = page.source.source_text().ok();
    let entry_lines = source.as_ref().and_then(|source| {
        let split = front_matter::split(source).ok()?;
        let lines = front_matter::list_lines(split.yaml, &["lineage", "clauses"])?;
        (lines.items.len() == decl.clauses.len()).then(|| {
            lines
                .items
                .iter()
                .map(|line| split.yaml_line + line)
                .collect::<Vec<usize>>()
        })
    });
    for (index, earlier, mut message) in found {
        let line_of = |entry: usize| entry_lines.as_ref().map(|lines| lines[entry]);
        if let Some(first) = earlier.and_then(line_of) {
            message.push_str(&format!(" (first at line {first})"));
        }
        let problem = Diagnostic::error(&page.source.name, message)
            .with_help("each link between clauses is declared once: remove this entry, or merge it into the first");
        diagnostics.push(match (&source, line_of(index)) {
            (Some(source), Some(line)) => problem.at_line(source, line, 1),
            _ => problem,
        });
    }
}

/// The clauses of `page` as the proposal reads them, `texts` being their plain texts.
/// Headings count: a heading kept through renumbering says much.
fn proposal_input<'a>(page: &'a Page, texts: &'a [String]) -> Vec<propose::Clause<'a>> {
    page.body
        .clauses
        .iter()
        .zip(texts)
        .map(|(c, text)| propose::Clause {
            title: &c.title,
            text,
        })
        .collect()
}

/// A version's text with the lines of its lineage found by the words written on them,
/// to place each of its lineage's problems in one look-up: searching the front matter
/// for each problem was quadratic in a version with thousands of entries.
struct LineageLines {
    source: SourceText,
    /// Each word of the lineage (a clause id, `from`, `to`…) → the first line it is on.
    by_word: HashMap<String, usize>,
    /// The `from: "…"` line and the `lineage:` line.
    from_line: Option<usize>,
    lineage_line: Option<usize>,
}

impl LineageLines {
    /// `None` when the page's text cannot be read again (the build reports that where
    /// it needs the text).
    fn of(page: &Page, meta: &crate::model::meta::VersionMeta) -> Option<LineageLines> {
        let source = page.source.source_text().ok()?;
        let mut by_word = HashMap::new();
        let (mut from_line, mut lineage_line) = (None, None);
        if let Ok(split) = front_matter::split(&source) {
            let from = meta
                .lineage
                .as_ref()
                .map(|d| format!("from: \"{}\"", d.from));
            let lines = split.yaml.lines().enumerate();
            for (n, line) in lines.skip_while(|(_, l)| !l.starts_with("lineage:")) {
                let number = split.yaml_line + n;
                lineage_line.get_or_insert(number);
                if from_line.is_none() && from.as_ref().is_some_and(|f| line.contains(f.as_str())) {
                    from_line = Some(number);
                }
                let separator = |c: char| c.is_whitespace() || "[]{},:\"'#".contains(c);
                for word in line.split(separator).filter(|w| !w.is_empty()) {
                    by_word.entry(word.to_string()).or_insert(number);
                }
            }
        }
        Some(LineageLines {
            source,
            by_word,
            from_line,
            lineage_line,
        })
    }

    fn place(&self, problem: Diagnostic, needle: Option<&str>) -> Diagnostic {
        let line = needle
            .and_then(|n| self.by_word.get(n).copied())
            .or(self.from_line)
            .or(self.lineage_line)
            .unwrap_or(1);
        problem.at_line(&self.source, line, 1)
    }
}

/// Each id's first place in `ids`.
fn first_places(ids: &[String]) -> HashMap<&str, usize> {
    let mut places = HashMap::with_capacity(ids.len());
    for (place, id) in ids.iter().enumerate() {
        places.entry(id.as_str()).or_insert(place);
    }
    places
}

/// How the site and `avtal check` mark a proposal made on weak evidence.
pub const UNCERTAIN: &str = "osäkert förslag – kontrollera";

/// YAML an editor can paste into the later version's front matter: one entry per link
/// (a split is two entries naming the same earlier clause), so that pasting some of the
/// entries never declares a link the editor did not mean. Entries on weak evidence carry
/// a comment saying so. Returns the YAML and the number of such entries.
fn suggestion_yaml(
    from_version: &str,
    declared: &[Group],
    proposed: &[Group],
    has_lineage: bool,
) -> (String, usize) {
    let mut out = String::new();
    let mut uncertain = 0;
    if !has_lineage || declared.is_empty() {
        out.push_str(&format!(
            "lineage:\n  from: \"{from_version}\"\n  clauses:\n"
        ));
    }
    let one = |ids: &[String]| -> Vec<Vec<String>> {
        if ids.is_empty() {
            vec![Vec::new()]
        } else {
            ids.iter().map(|id| vec![id.clone()]).collect()
        }
    };
    for g in proposed {
        for from in one(&g.from) {
            for to in one(&g.to) {
                out.push_str(&format!(
                    "    - from: [{}]\n      to: [{}]\n",
                    from.join(", "),
                    to.join(", ")
                ));
                if g.uncertain {
                    uncertain += 1;
                    out.push_str(&format!("      # {UNCERTAIN}\n"));
                }
            }
        }
    }
    (out, uncertain)
}

/// Edges (old clause or None for new, new clause or None for removed) of a step.
type Edge = (Option<String>, Option<String>);

/// Per edge: whether every step it went through was declared, and their notes.
type EdgeFlags = BTreeMap<Edge, (bool, Vec<String>)>;

struct Traced {
    edges: Vec<Edge>,
    declared: EdgeFlags,
    /// Edges proposed on weak evidence, in this step or any step composed into it.
    uncertain: BTreeSet<Edge>,
}

fn step_edges(step: &Step) -> Traced {
    let mut edges = Vec::new();
    let mut declared = BTreeMap::new();
    let mut uncertain = BTreeSet::new();
    for g in &step.groups {
        let froms: Vec<Option<String>> = if g.from.is_empty() {
            vec![None]
        } else {
            g.from.iter().cloned().map(Some).collect()
        };
        let tos: Vec<Option<String>> = if g.to.is_empty() {
            vec![None]
        } else {
            g.to.iter().cloned().map(Some).collect()
        };
        for f in &froms {
            for t in &tos {
                edges.push((f.clone(), t.clone()));
                if g.uncertain {
                    uncertain.insert((f.clone(), t.clone()));
                }
                let entry = declared
                    .entry((f.clone(), t.clone()))
                    .or_insert((true, Vec::new()));
                entry.0 &= g.declared;
                entry.1.extend(g.note.clone());
            }
        }
    }
    Traced {
        edges,
        declared,
        uncertain,
    }
}

fn compose(first: Traced, second: Traced) -> Traced {
    let mut uncertain = BTreeSet::new();
    let mut edges = Vec::new();
    let mut declared: EdgeFlags = BTreeMap::new();
    let mut seen: HashSet<Edge> = HashSet::new();
    let mut add = |edge: Edge, flags: (bool, Vec<String>), edges: &mut Vec<Edge>| {
        if seen.insert(edge.clone()) {
            edges.push(edge.clone());
        }
        let entry = declared.entry(edge).or_insert((true, Vec::new()));
        entry.0 &= flags.0;
        for note in flags.1 {
            if !entry.1.contains(&note) {
                entry.1.push(note);
            }
        }
    };
    // The second step's edges by the clause they start from, in their order.
    let mut leaving: HashMap<&str, Vec<&Edge>> = HashMap::new();
    for edge in &second.edges {
        if let Some(from) = &edge.0 {
            leaving.entry(from.as_str()).or_default().push(edge);
        }
    }
    for (a, b) in &first.edges {
        if crate::cancel::requested() {
            break;
        }
        let f1 = first.declared[&(a.clone(), b.clone())].clone();
        match b {
            None => {
                if first.uncertain.contains(&(a.clone(), b.clone())) {
                    uncertain.insert((a.clone(), None));
                }
                add((a.clone(), None), f1, &mut edges)
            }
            Some(mid) => {
                for &(c, d) in leaving.get(mid.as_str()).into_iter().flatten() {
                    if a.is_none() && d.is_none() {
                        continue; // added in between and removed again: not in this comparison
                    }
                    let f2 = second.declared[&(c.clone(), d.clone())].clone();
                    let notes = f1.1.iter().chain(f2.1.iter()).cloned().collect();
                    if first.uncertain.contains(&(a.clone(), b.clone()))
                        || second.uncertain.contains(&(c.clone(), d.clone()))
                    {
                        uncertain.insert((a.clone(), d.clone()));
                    }
                    add((a.clone(), d.clone()), (f1.0 && f2.0, notes), &mut edges);
                }
            }
        }
    }
    for (c, d) in second.edges.iter().filter(|(c, _)| c.is_none()) {
        let f2 = second.declared[&(c.clone(), d.clone())].clone();
        if second.uncertain.contains(&(c.clone(), d.clone())) {
            uncertain.insert((None, d.clone()));
        }
        add((None, d.clone()), f2, &mut edges);
    }
    Traced {
        edges,
        declared,
        uncertain,
    }
}

/// The steps (indexes) leading from `from_page` to `to_page`, oldest first, if one is
/// an ancestor.
fn chain(steps: &[Step], from_page: usize, to_page: usize) -> Option<Vec<usize>> {
    let mut path = Vec::new();
    let mut current = to_page;
    while current != from_page {
        let step = steps.iter().position(|s| s.to_page == current)?;
        path.push(step);
        current = steps[step].from_page;
    }
    path.reverse();
    (!path.is_empty()).then_some(path)
}

/// The sentence links of one step (see [`parts`]), and the clauses whose headings match.
#[derive(Debug, Clone, Default)]
struct StepLinks {
    sentences: Vec<parts::Link>,
    headings: Vec<(usize, usize)>,
}

/// The sentences of `from` and `to` laid out, and where each sentence of `to` came from:
/// the proposal's matching of sentences over all clauses, kept where the sentences are
/// similar enough to be called the same sentence ([`propose::MATCH`]) or are halves of a
/// split or merged one.
fn step_links(
    from: &[structure::Layout],
    to: &[structure::Layout],
    from_page: &Page,
    to_page: &Page,
) -> StepLinks {
    let input = |page: &'_ Page, layouts: &'_ [structure::Layout]| -> Vec<(String, String)> {
        page.body
            .clauses
            .iter()
            .zip(layouts)
            .map(|(c, l)| (c.title.clone(), l.text.clone()))
            .collect()
    };
    let (old, new) = (input(from_page, from), input(to_page, to));
    fn as_clauses(list: &[(String, String)]) -> Vec<propose::Clause<'_>> {
        list.iter()
            .map(|(title, text)| propose::Clause { title, text })
            .collect()
    }
    let found = propose::sentence_links(&as_clauses(&old), &as_clauses(&new));
    StepLinks {
        sentences: found
            .sentences
            .into_iter()
            .filter(|l| l.piece || l.similarity >= propose::MATCH)
            .map(|l| parts::Link {
                old: l.old,
                new: l.new,
                similarity: l.similarity,
                piece: l.piece,
            })
            .collect(),
        headings: found.headings,
    }
}

/// Links of two steps one after the other, through the sentences of the version
/// between them: a sentence of the first version is linked to one of the third when
/// it went to a sentence of the second that went there.
fn compose_links(first: &StepLinks, second: &StepLinks) -> StepLinks {
    let mut by_old: HashMap<parts::At, Vec<&parts::Link>> = HashMap::new();
    for link in &second.sentences {
        by_old.entry(link.old).or_default().push(link);
    }
    let mut seen = BTreeSet::new();
    let mut sentences = Vec::new();
    for a in &first.sentences {
        for b in by_old.get(&a.new).map_or(&[][..], Vec::as_slice) {
            if seen.insert((a.old, b.new)) {
                sentences.push(parts::Link {
                    old: a.old,
                    new: b.new,
                    similarity: a.similarity.min(b.similarity),
                    piece: a.piece || b.piece,
                });
            }
        }
    }
    let mut headings_from: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(b, c) in &second.headings {
        headings_from.entry(b).or_default().push(c);
    }
    let headings: BTreeSet<(usize, usize)> = first
        .headings
        .iter()
        .flat_map(|&(a, b)| {
            headings_from
                .get(&b)
                .into_iter()
                .flatten()
                .map(move |&c| (a, c))
        })
        .collect();
    StepLinks {
        sentences,
        headings: headings.into_iter().collect(),
    }
}

/// The connected sets of a comparison's edges: two edges are in one set when they name
/// a clause of the same side. Found by union-find over the clauses (merging sets edge by
/// edge, each time searching every set, was quadratic), and numbered as that merging
/// left them: by the last edge of each set.
struct EdgeSets<'a> {
    /// (in the newer version, clause id) → its set.
    set_of: HashMap<(bool, &'a str), usize>,
    count: usize,
}

impl<'a> EdgeSets<'a> {
    fn of(edges: &'a [Edge]) -> EdgeSets<'a> {
        let mut node_of: HashMap<(bool, &str), usize> = HashMap::new();
        let mut parent: Vec<usize> = Vec::new();
        let mut node = |key: (bool, &'a str), parent: &mut Vec<usize>| {
            *node_of.entry(key).or_insert_with(|| {
                parent.push(parent.len());
                parent.len() - 1
            })
        };
        // Each edge's node: its older clause's, else its newer clause's.
        let mut edge_node: Vec<Option<usize>> = Vec::with_capacity(edges.len());
        for (a, b) in edges {
            let old = a.as_deref().map(|id| node((false, id), &mut parent));
            let new = b.as_deref().map(|id| node((true, id), &mut parent));
            if let (Some(old), Some(new)) = (old, new) {
                let (ra, rb) = (find_root(&mut parent, old), find_root(&mut parent, new));
                parent[ra.max(rb)] = ra.min(rb);
            }
            edge_node.push(old.or(new));
        }
        // A set's place is that of its last edge; an edge naming no clause is a set of
        // its own.
        let mut last_edge: HashMap<usize, usize> = HashMap::new();
        let mut alone: Vec<usize> = Vec::new();
        for (e, node) in edge_node.iter().enumerate() {
            match node {
                Some(node) => {
                    last_edge.insert(find_root(&mut parent, *node), e);
                }
                None => alone.push(e),
            }
        }
        let mut order: Vec<(usize, Option<usize>)> = last_edge
            .iter()
            .map(|(&root, &e)| (e, Some(root)))
            .chain(alone.into_iter().map(|e| (e, None)))
            .collect();
        order.sort_unstable();
        let number_of_root: HashMap<usize, usize> = order
            .iter()
            .enumerate()
            .filter_map(|(number, &(_, root))| Some((root?, number)))
            .collect();
        let set_of = node_of
            .into_iter()
            .map(|(key, node)| (key, number_of_root[&find_root(&mut parent, node)]))
            .collect();
        EdgeSets {
            set_of,
            count: order.len(),
        }
    }

    /// The set of clause `id` of the newer version (`is_new`) or the older.
    fn of_clause(&self, is_new: bool, id: &str) -> Option<usize> {
        self.set_of.get(&(is_new, id)).copied()
    }
}

/// The root of `x`'s set in a union-find forest, halving the path on the way.
fn find_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// What one set of edges gathers for its row of the comparison.
struct RowOfSet {
    /// Its clauses in version order, as ids and as indexes.
    from_list: Vec<String>,
    to_list: Vec<String>,
    from_idx: Vec<usize>,
    to_idx: Vec<usize>,
    /// Whether every edge was declared, and whether any was uncertain.
    declared: bool,
    uncertain: bool,
    /// The edges' notes, each once.
    notes: Vec<String>,
    seen_notes: HashSet<String>,
    /// Its edges between two clauses, and its clauses whose headings match, as indexes.
    edges: Vec<(usize, usize)>,
    headings: Vec<(usize, usize)>,
}

impl Default for RowOfSet {
    fn default() -> RowOfSet {
        RowOfSet {
            from_list: Vec::new(),
            to_list: Vec::new(),
            from_idx: Vec::new(),
            to_idx: Vec::new(),
            declared: true,
            uncertain: false,
            notes: Vec::new(),
            seen_notes: HashSet::new(),
            edges: Vec::new(),
            headings: Vec::new(),
        }
    }
}

fn compare(
    site: &Site,
    steps: &[Step],
    links: &[StepLinks],
    layouts: &HashMap<usize, Vec<structure::Layout>>,
    work: &Work,
    (from_page, to_page): (usize, usize),
) -> Option<Comparison> {
    let path = chain(steps, from_page, to_page)?;
    let mut traced = step_edges(&steps[path[0]]);
    let mut sentence_links = links[path[0]].clone();
    for &step in &path[1..] {
        traced = compose(traced, step_edges(&steps[step]));
        sentence_links = compose_links(&sentence_links, &links[step]);
    }
    let from = &site.pages[from_page];
    let to = &site.pages[to_page];
    let from_ids = clause_ids(from);
    let to_ids = clause_ids(to);
    let (from_place, to_place) = (first_places(&from_ids), first_places(&to_ids));
    if path.len() > 1 {
        // Across several steps, lineage links every clause to all that any clause it
        // became became: a chain keeps only the links its sentences (or headings) follow,
        // so that the rows are ones a reader can follow. A clause left without a link is
        // removed or new over the whole chain.
        let followed: HashSet<(usize, usize)> = sentence_links
            .sentences
            .iter()
            .map(|l| (l.old.0, l.new.0))
            .chain(sentence_links.headings.iter().copied())
            .collect();
        let supported = |a: &str, d: &str| match (from_place.get(a), to_place.get(d)) {
            (Some(&a), Some(&d)) => followed.contains(&(a, d)),
            _ => false,
        };
        traced.edges.retain(|(a, d)| match (a, d) {
            (Some(a), Some(d)) => supported(a, d),
            _ => true,
        });
        let mut leaving: HashSet<String> =
            traced.edges.iter().filter_map(|(a, _)| a.clone()).collect();
        for id in &from_ids {
            if leaving.insert(id.clone()) {
                let edge = (Some(id.clone()), None);
                traced.declared.insert(edge.clone(), (false, Vec::new()));
                traced.edges.push(edge);
            }
        }
        let mut arriving: HashSet<String> =
            traced.edges.iter().filter_map(|(_, d)| d.clone()).collect();
        for id in &to_ids {
            if arriving.insert(id.clone()) {
                let edge = (None, Some(id.clone()));
                traced.declared.insert(edge.clone(), (false, Vec::new()));
                traced.edges.push(edge);
            }
        }
    }
    let empty = Vec::new();
    let sides = parts::Sides {
        old: layouts.get(&from_page).unwrap_or(&empty),
        new: layouts.get(&to_page).unwrap_or(&empty),
    };
    let sentence_index = parts::Links::new(sentence_links.sentences);
    if crate::cancel::requested() {
        return None;
    }
    let sets = EdgeSets::of(&traced.edges);
    let mut rows: Vec<RowOfSet> = (0..sets.count).map(|_| RowOfSet::default()).collect();
    // Each side's clauses in the version's order, into the row of their set.
    for id in &from_ids {
        if let Some(set) = sets.of_clause(false, id) {
            rows[set].from_list.push(id.clone());
            rows[set]
                .from_idx
                .extend(from_place.get(id.as_str()).copied());
        }
    }
    for id in &to_ids {
        if let Some(set) = sets.of_clause(true, id) {
            rows[set].to_list.push(id.clone());
            rows[set].to_idx.extend(to_place.get(id.as_str()).copied());
        }
    }
    // The edges' flags and notes, in the order of `traced.declared`, into their rows.
    let edges: HashSet<&Edge> = traced.edges.iter().collect();
    for (edge, (d, n)) in &traced.declared {
        let (a, b) = edge;
        if (a.is_none() && b.is_none()) || !edges.contains(edge) {
            continue;
        }
        let clause = a.as_deref().map(|id| (false, id));
        let Some(set) = clause
            .or(b.as_deref().map(|id| (true, id)))
            .and_then(|(is_new, id)| sets.of_clause(is_new, id))
        else {
            continue;
        };
        let row = &mut rows[set];
        row.declared &= *d;
        row.uncertain |= traced.uncertain.contains(edge);
        for note in n {
            if row.seen_notes.insert(note.clone()) {
                row.notes.push(note.clone());
            }
        }
        if let (Some(a), Some(b)) = (a, b)
            && let (Some(&a), Some(&b)) = (from_place.get(a.as_str()), to_place.get(b.as_str()))
        {
            row.edges.push((a, b));
        }
    }
    // Matching headings, in their order, into the row that holds both clauses.
    let row_of_old: HashMap<usize, usize> = rows
        .iter()
        .enumerate()
        .flat_map(|(set, row)| row.from_idx.iter().map(move |&i| (i, set)))
        .collect();
    let row_of_new: HashMap<usize, usize> = rows
        .iter()
        .enumerate()
        .flat_map(|(set, row)| row.to_idx.iter().map(move |&i| (i, set)))
        .collect();
    for &(a, b) in &sentence_links.headings {
        if let (Some(&set), Some(&other)) = (row_of_old.get(&a), row_of_new.get(&b))
            && set == other
        {
            rows[set].headings.push((a, b));
        }
    }
    let mut pairs: Vec<(f64, Pair)> = rows
        .into_iter()
        .take_while(|_| !crate::cancel::requested())
        .map(|row_of_set| {
            let RowOfSet {
                from_list,
                to_list,
                from_idx,
                to_idx,
                declared,
                uncertain,
                notes,
                edges,
                headings,
                ..
            } = row_of_set;
            let row = parts::Row {
                from: &from_idx,
                to: &to_idx,
                edges: &edges,
                headings: &headings,
            };
            let mut row_parts = parts::row_parts(&sides, &row, &sentence_index);
            for part in &mut row_parts {
                let edge = (
                    part.from.and_then(|f| from_ids.get(f).cloned()),
                    part.to.and_then(|t| to_ids.get(t).cloned()),
                );
                if let Some((_, notes)) = traced.declared.get(&edge) {
                    part.notes = notes.clone();
                }
            }
            let moves = moves_of(&row_parts);
            let (changed, total) = row_parts
                .iter()
                .fold((0, 0), |(c, t), p| (c + p.words.0, t + p.words.1));
            let identical = from_idx.len() == 1
                && to_idx.len() == 1
                && sides.old.get(from_idx[0]).map(|l| &l.text)
                    == sides.new.get(to_idx[0]).map(|l| &l.text);
            let status = match (from_list.len(), to_list.len()) {
                (0, _) => ChangeKind::New,
                (_, 0) => ChangeKind::Removed,
                (1, 1)
                    if report::labels(from, &from_list, "") != report::labels(to, &to_list, "") =>
                {
                    ChangeKind::Renumbered
                }
                (1, 1) if identical => ChangeKind::Unchanged,
                (1, 1) => ChangeKind::Changed,
                (1, _) => ChangeKind::Split,
                _ => ChangeKind::Merged,
            };
            let similarity = match status {
                ChangeKind::New | ChangeKind::Removed => 0.0,
                ChangeKind::Unchanged => 1.0,
                _ if total == 0 => 1.0,
                _ => 1.0 - changed as f64 / total as f64,
            };
            let first = |list: &[String], place: &HashMap<&str, usize>| {
                list.first()
                    .map(|id| place.get(id.as_str()).copied().unwrap_or(0))
            };
            let key = sort_key(
                first(&from_list, &from_place),
                first(&to_list, &to_place),
                from_ids.len(),
            );
            (
                key,
                Pair {
                    from: from_list,
                    to: to_list,
                    status,
                    similarity,
                    declared,
                    uncertain,
                    notes,
                    parts: row_parts,
                    moves,
                },
            )
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut pairs: Vec<Pair> = pairs.into_iter().map(|(_, p)| p).collect();
    mark_moved_clauses(&mut pairs, &from_ids, &to_ids);
    Some(Comparison {
        work: work.id.clone(),
        from_page,
        to_page,
        pairs,
        rows: std::sync::OnceLock::new(),
    })
}

/// One clause to one under the same name whose place among the others changed is
/// *moved*: the clauses kept in order are the longest run in the same order in both
/// versions; the rest moved.
fn mark_moved_clauses(pairs: &mut [Pair], from_ids: &[String], to_ids: &[String]) {
    let (from_place, to_place) = (first_places(from_ids), first_places(to_ids));
    let place = |places: &HashMap<&str, usize>, id: &String| places.get(id.as_str()).copied();
    // (pair, old place, new place) of one-to-one pairs, in the newer version's order.
    let mut single: Vec<(usize, usize, usize)> = pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.from.len() == 1 && p.to.len() == 1)
        .filter_map(|(i, p)| {
            Some((
                i,
                place(&from_place, &p.from[0])?,
                place(&to_place, &p.to[0])?,
            ))
        })
        .collect();
    single.sort_by_key(|s| s.2);
    let olds: Vec<usize> = single.iter().map(|s| s.1).collect();
    let kept: HashSet<usize> = longest_increasing(&olds).into_iter().collect();
    for (k, &(pair, _, _)) in single.iter().enumerate() {
        let p = &mut pairs[pair];
        if !kept.contains(&k) && matches!(p.status, ChangeKind::Unchanged | ChangeKind::Changed) {
            p.status = ChangeKind::Moved;
        }
    }
}

/// The indexes of a longest strictly increasing run of `values` (not necessarily
/// adjacent), in n log n. Of several, the one that extends each value by the earliest
/// value before it of the longest run so far, ending at the earliest value that ends a
/// longest run: the choice the quadratic search over every earlier value made.
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    let n = values.len();
    // Values ranked, so that a Fenwick tree over ranks finds, for each value, the best
    // run ending below it: the longest, and of those the earliest.
    let mut ranks: Vec<usize> = values.to_vec();
    ranks.sort_unstable();
    ranks.dedup();
    let rank = |v: usize| ranks.partition_point(|&r| r < v);
    type Best = (usize, std::cmp::Reverse<usize>);
    let mut tree: Vec<Option<Best>> = vec![None; ranks.len() + 1];
    let mut length = vec![1usize; n];
    let mut before: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let r = rank(values[i]);
        // The best over ranks below `r`.
        let mut found: Option<Best> = None;
        let mut at = r;
        while at > 0 {
            found = found.max(tree[at]);
            at &= at - 1;
        }
        if let Some((len, std::cmp::Reverse(j))) = found {
            length[i] = len + 1;
            before[i] = Some(j);
        }
        let mut at = r + 1;
        while at < tree.len() {
            tree[at] = tree[at].max(Some((length[i], std::cmp::Reverse(i))));
            at += at & at.wrapping_neg();
        }
    }
    let mut out = Vec::new();
    let mut at = (0..n).max_by_key(|&i| (length[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        out.push(i);
        at = before[i];
    }
    out.reverse();
    out
}

/// The moves of a row's parts, each once.
fn moves_of(row_parts: &[parts::Part]) -> Vec<Move> {
    let mut out: Vec<Move> = Vec::new();
    let mut seen: HashSet<(parts::At, parts::At)> = HashSet::new();
    let mut add = |m: Move| {
        if seen.insert((m.old, m.new)) {
            out.push(m);
        }
    };
    for part in row_parts {
        for item in &part.order {
            match item {
                parts::Aligned::MovedAway { old, to } => {
                    for &new in to {
                        if let Some(f) = part.from {
                            add(Move {
                                old: (f, *old),
                                new,
                            });
                        }
                    }
                }
                parts::Aligned::MovedHere { new, from } => {
                    for &old in from {
                        if let Some(t) = part.to {
                            add(Move {
                                old,
                                new: (t, *new),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Pairs follow the newer version's order; removed clauses stand after the clause that
/// preceded them in the older version. `first_from` and `first_to` are the places of the
/// pair's first clauses in their versions; `from_count` the older version's clauses.
fn sort_key(first_from: Option<usize>, first_to: Option<usize>, from_count: usize) -> f64 {
    match first_to {
        Some(place) => place as f64,
        None => {
            let old_pos = first_from.map_or(0.0, |p| p as f64);
            -1.0 + (old_pos + 1.0) / (from_count as f64 + 2.0)
                + if old_pos > 0.0 { old_pos } else { 0.0 }
        }
    }
}

pub fn joined_text(page: &Page, ids: &[String]) -> String {
    let parts: Vec<String> = ids
        .iter()
        .filter_map(|id| page.body.clause(id))
        .map(|c| c.plain_text())
        .collect();
    parts.join("\n\n")
}

fn build_lineages(site: &Site, work: &Work, alignment: &mut Alignment) {
    {
        // Union-find over (page, clause).
        let mut nodes: Vec<(usize, String)> = Vec::new();
        for &p in &work.versions {
            for id in clause_ids(&site.pages[p]) {
                nodes.push((p, id));
            }
        }
        let index: HashMap<(usize, String), usize> = nodes
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        let mut parent: Vec<usize> = (0..nodes.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for step in alignment.steps.iter().filter(|s| s.work == work.id) {
            for g in &step.groups {
                for f in &g.from {
                    for t in &g.to {
                        if let (Some(&a), Some(&b)) = (
                            index.get(&(step.from_page, f.clone())),
                            index.get(&(step.to_page, t.clone())),
                        ) {
                            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                            parent[rb.max(ra)] = rb.min(ra);
                        }
                    }
                }
            }
        }
        let mut by_root: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
        for (i, node) in nodes.iter().enumerate() {
            let root = find(&mut parent, i);
            by_root.entry(root).or_default().push(node.clone());
        }
        for (_, members) in by_root {
            let (first_page, first_id) = &members[0];
            let version = site.pages[*first_page]
                .version()
                .map_or("", |v| v.version.as_str());
            let key = format!("{version}-{first_id}");
            alignment.lineages.push(Lineage {
                key,
                work: work.id.clone(),
                members,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small steps and comparisons are searched in order, large ones indexed: both ways
    /// must find the same rows, groups and places, for every clause and sentence of the
    /// real agreement and of the synthetic site.
    #[test]
    fn searching_in_order_finds_what_the_index_finds() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for root in [
            manifest.to_path_buf(),
            manifest.join("tests/fixtures/synthetic"),
        ] {
            let (site, _) = crate::content::load(&root);
            let site = site.expect("the site loads");
            let (alignment, _) = align(&site);
            for step in &alignment.steps {
                for id in clause_ids(&site.pages[step.from_page]) {
                    assert_eq!(step.groups_in_order(&id), step.groups_indexed(&id));
                    checked += 1;
                }
            }
            for c in &alignment.comparisons {
                for (old, page) in [(true, c.from_page), (false, c.to_page)] {
                    for id in clause_ids(&site.pages[page]) {
                        assert_eq!(c.rows_in_order(old, &id), c.rows_indexed(old, &id));
                        checked += 1;
                    }
                }
                for pair in &c.pairs {
                    for part in &pair.parts {
                        for (old, clause) in [(true, part.from), (false, part.to)] {
                            let Some(clause) = clause else { continue };
                            for &sentence in part.order.iter().flat_map(|i| i.shown(old)) {
                                let at = (clause, sentence);
                                assert!(c.place_in_order(old, at).is_some());
                                assert_eq!(c.place_in_order(old, at), c.place_indexed(old, at));
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 300, "{checked} look-ups compared");
    }

    /// A small generator of numbers below `below`, the same on every run.
    fn generator(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |below: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % below.max(1)
        }
    }

    /// Every earlier value tried for each, as moved clauses were found before.
    fn longest_increasing_by_every_pair(values: &[usize]) -> Vec<usize> {
        let n = values.len();
        let mut best = vec![1usize; n];
        let mut before: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            for j in 0..i {
                if values[j] < values[i] && best[j] + 1 > best[i] {
                    best[i] = best[j] + 1;
                    before[i] = Some(j);
                }
            }
        }
        let mut out = Vec::new();
        let mut at = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i)));
        while let Some(i) = at {
            out.push(i);
            at = before[i];
        }
        out.reverse();
        out
    }

    #[test]
    fn the_longest_run_in_order_is_the_one_every_pair_tried_found() {
        let mut next = generator(11);
        for round in 0..300 {
            let n = next(40);
            // Distinct places, mostly in order, some moved; and some repeated values.
            let mut values: Vec<usize> = (0..n).collect();
            for _ in 0..next(6) {
                let (a, b) = (next(n), next(n));
                if n > 0 {
                    values.swap(a, b);
                }
            }
            if round % 3 == 0 && n > 1 {
                values[next(n)] = values[next(n)];
            }
            assert_eq!(
                longest_increasing(&values),
                longest_increasing_by_every_pair(&values),
                "{values:?}"
            );
        }
    }

    /// The sets as they were made before: edge by edge, each merging every set it
    /// touches and going to the end.
    fn sets_by_merging(edges: &[Edge]) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
        let mut sets: Vec<(BTreeSet<String>, BTreeSet<String>)> = Vec::new();
        for (a, b) in edges {
            let hit: Vec<usize> = sets
                .iter()
                .enumerate()
                .filter(|(_, (os, ns))| {
                    a.as_ref().is_some_and(|x| os.contains(x))
                        || b.as_ref().is_some_and(|x| ns.contains(x))
                })
                .map(|(i, _)| i)
                .collect();
            let mut merged: (BTreeSet<String>, BTreeSet<String>) =
                (a.iter().cloned().collect(), b.iter().cloned().collect());
            for &i in hit.iter().rev() {
                let (os, ns) = sets.remove(i);
                merged.0.extend(os);
                merged.1.extend(ns);
            }
            sets.push(merged);
        }
        sets
    }

    #[test]
    fn edge_sets_are_numbered_as_merging_edge_by_edge_left_them() {
        let mut next = generator(5);
        for _ in 0..200 {
            let clauses = 1 + next(12);
            let id = |n: usize| Some(format!("P{n}"));
            let edges: Vec<Edge> = (0..next(20))
                .map(|_| match next(5) {
                    0 => (None, id(next(clauses))),
                    1 => (id(next(clauses)), None),
                    _ => (id(next(clauses)), id(next(clauses))),
                })
                .collect();
            let expected = sets_by_merging(&edges);
            let sets = EdgeSets::of(&edges);
            assert_eq!(sets.count, expected.len(), "{edges:?}");
            for (number, (os, ns)) in expected.iter().enumerate() {
                for id in os {
                    assert_eq!(sets.of_clause(false, id), Some(number), "{edges:?}");
                }
                for id in ns {
                    assert_eq!(sets.of_clause(true, id), Some(number), "{edges:?}");
                }
            }
        }
    }
}
