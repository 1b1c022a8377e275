//! Aligning versions: which clause became which, and what changed in its words.
//!
//! Each version may declare its lineage from one earlier version (a *step*). Clauses the
//! editors did not declare get an automatic proposal. Comparisons between any two
//! versions of a work follow the chain of steps.

pub mod propose;
pub mod report;
pub mod sentences;
pub mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::content::front_matter;
use crate::content::meta::LineageDecl;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::{Page, Site, Work};
use words::Segment;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unchanged,
    Changed,
    New,
    Removed,
}

impl Status {
    pub fn swedish(self) -> &'static str {
        match self {
            Status::Unchanged => "oförändrad",
            Status::Changed => "ändrad",
            Status::New => "ny",
            Status::Removed => "borttagen",
        }
    }
}

/// One row of a comparison: these clauses of the older version and those of the newer.
/// A changed pair keeps its word diff as lengths only ([`words::Compact`]), made once
/// here: [`Comparison::changes`] lays it over the texts when a page or report needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub status: Status,
    /// 1.0 for identical text, 0.0 for nothing in common.
    pub similarity: f64,
    pub declared: bool,
    /// Proposed on weak evidence somewhere along the steps: "osäkert förslag –
    /// kontrollera" on the page. Not in the JSON, whose fields stay as they were.
    #[serde(skip)]
    pub uncertain: bool,
    /// Editorial notes of the steps this pair went through (Markdown).
    pub notes: Vec<String>,
    /// The word diff of a changed pair; the others need none.
    #[serde(skip)]
    pub diff: Option<words::Compact>,
}

/// All pairs between two versions of a work, older first.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub work: String,
    pub from_page: usize,
    pub to_page: usize,
    pub pairs: Vec<Pair>,
}

impl Comparison {
    /// The word diff of `pair`, one of this comparison's rows: the older clauses' text
    /// against the newer's, as the comparison page and the JSON show it.
    pub fn changes(&self, site: &Site, pair: &Pair) -> Vec<Segment> {
        let old_text = joined_text(&site.pages[self.from_page], &pair.from);
        let new_text = joined_text(&site.pages[self.to_page], &pair.to);
        pair.diff
            .as_ref()
            .and_then(|diff| diff.expand(&old_text, &new_text))
            .unwrap_or_else(|| words::diff(&old_text, &new_text))
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
    for (a, &from_page) in work.versions.iter().enumerate() {
        for &to_page in &work.versions[a + 1..] {
            if crate::cancel::requested() {
                return (alignment, diagnostics);
            }
            if let Some(c) = compare(site, &alignment.steps, work, from_page, to_page) {
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
        splice(&mut self.steps, fresh.steps, |s| s.work == work.id);
        splice(&mut self.comparisons, fresh.comparisons, |c| {
            c.work == work.id
        });
        splice(&mut self.lineages, fresh.lineages, |l| l.work == work.id);
        self.index_lineages();
        problems
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
    // `from:` line or the `lineage:` line.
    let at_lineage = |problem: Diagnostic, needle: Option<&str>| {
        page.source.place(problem, |problem, source| {
            let from = meta
                .lineage
                .as_ref()
                .map(|d| format!("from: \"{}\"", d.from));
            let line = needle
                .and_then(|n| lineage_line(source, n))
                .or_else(|| from.and_then(|f| lineage_line(source, &f)))
                .or_else(|| lineage_line(source, "lineage:"))
                .unwrap_or(1);
            problem.at_line(source, line, 1)
        })
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
            let from_page = work.versions[from_index];
            let from_ids = clause_ids(&site.pages[from_page]);
            check_repeated_entries(page, decl, diagnostics);
            for entry in &decl.clauses {
                let mut ok = true;
                for (ids, known, which) in [
                    (&entry.from, &from_ids, &decl.from),
                    (&entry.to, &to_ids, &meta.version),
                ] {
                    for id in ids.iter() {
                        if !known.contains(id) {
                            ok = false;
                            diagnostics.push(at_lineage(Diagnostic::error(&page.source.name, format!("lineage names clause `{id}`, which version {which} does not have"))
                                .with_help(format!("clauses of {which}: {}", known.join(", "))), Some(id)));
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
    let open: Vec<usize> = to_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !groups.iter().any(|g| g.to.contains(id)))
        .map(|(i, _)| i)
        .collect();
    // Removed clauses the proposal is unsure of: a new clause stands in their place.
    let mut uncertain_removed: Vec<String> = Vec::new();
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
        let continued = |id: &String| groups.iter().chain(&proposed).any(|g| g.from.contains(id));
        let removed: Vec<Group> = from_ids
            .iter()
            .filter(|id| !continued(id))
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
        suggested.sort_by_key(|g| to_ids.iter().position(|id| g.to.first() == Some(id)));
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
    for id in &from_ids {
        if !groups.iter().any(|g| g.from.contains(id)) {
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

fn lineage_line(source: &SourceText, needle: &str) -> Option<usize> {
    let split = front_matter::split(source).ok()?;
    let start = split.yaml.lines().position(|l| l.starts_with("lineage:"))?;
    split
        .yaml
        .lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(needle))
        .map(|(n, _)| split.yaml_line + n)
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
    let mut add = |edge: Edge, flags: (bool, Vec<String>), edges: &mut Vec<Edge>| {
        if !edges.contains(&edge) {
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
                for (c, d) in second.edges.iter().filter(|(c, _)| c.as_ref() == Some(mid)) {
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

/// The steps leading from `from_page` to `to_page`, oldest first, if one is an ancestor.
fn chain(steps: &[Step], from_page: usize, to_page: usize) -> Option<Vec<&Step>> {
    let mut path = Vec::new();
    let mut current = to_page;
    while current != from_page {
        let step = steps.iter().find(|s| s.to_page == current)?;
        path.push(step);
        current = step.from_page;
    }
    path.reverse();
    Some(path)
}

fn compare(
    site: &Site,
    steps: &[Step],
    work: &Work,
    from_page: usize,
    to_page: usize,
) -> Option<Comparison> {
    let path = chain(steps, from_page, to_page)?;
    let mut traced = step_edges(path[0]);
    for step in &path[1..] {
        traced = compose(traced, step_edges(step));
    }
    let from = &site.pages[from_page];
    let to = &site.pages[to_page];
    let from_ids = clause_ids(from);
    let to_ids = clause_ids(to);
    // Connected sets of the composed edges.
    let mut sets: Vec<(BTreeSet<String>, BTreeSet<String>)> = Vec::new();
    for (a, b) in &traced.edges {
        if crate::cancel::requested() {
            return None;
        }
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
    let order = |ids: &[String], set: &BTreeSet<String>| -> Vec<String> {
        ids.iter().filter(|i| set.contains(*i)).cloned().collect()
    };
    let mut pairs: Vec<(f64, Pair)> = sets
        .into_iter()
        .take_while(|_| !crate::cancel::requested())
        .map(|(os, ns)| {
            let from_list = order(&from_ids, &os);
            let to_list = order(&to_ids, &ns);
            let mut declared = true;
            let mut uncertain = false;
            let mut notes: Vec<String> = Vec::new();
            for ((a, b), (d, n)) in &traced.declared {
                let in_set = a.as_ref().is_none_or(|x| os.contains(x))
                    && b.as_ref().is_none_or(|x| ns.contains(x))
                    && (a.is_some() || b.is_some())
                    && traced.edges.contains(&(a.clone(), b.clone()));
                if in_set {
                    declared &= *d;
                    uncertain |= traced.uncertain.contains(&(a.clone(), b.clone()));
                    for note in n {
                        if !notes.contains(note) {
                            notes.push(note.clone());
                        }
                    }
                }
            }
            let old_text = joined_text(from, &from_list);
            let new_text = joined_text(to, &to_list);
            let status = match (from_list.is_empty(), to_list.is_empty()) {
                (true, _) => Status::New,
                (_, true) => Status::Removed,
                _ if old_text == new_text => Status::Unchanged,
                _ => Status::Changed,
            };
            // Only a changed pair needs a word diff: for the share of words changed now,
            // and kept for its pages.
            let (similarity, diff) = match status {
                Status::New | Status::Removed => (0.0, None),
                Status::Unchanged => (1.0, None),
                Status::Changed => {
                    let segments = words::diff(&old_text, &new_text);
                    (
                        1.0 - words::changed_share(&segments),
                        Some(words::Compact::of(&segments)),
                    )
                }
            };
            let key = sort_key(&from_ids, &to_ids, &from_list, &to_list);
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
                    diff,
                },
            )
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    Some(Comparison {
        work: work.id.clone(),
        from_page,
        to_page,
        pairs: pairs.into_iter().map(|(_, p)| p).collect(),
    })
}

/// Pairs follow the newer version's order; removed clauses stand after the clause that
/// preceded them in the older version.
fn sort_key(
    from_ids: &[String],
    to_ids: &[String],
    from_list: &[String],
    to_list: &[String],
) -> f64 {
    let pos = |ids: &[String], id: &String| ids.iter().position(|x| x == id).unwrap_or(0) as f64;
    match to_list.first() {
        Some(first) => pos(to_ids, first),
        None => {
            let old_pos = from_list.first().map_or(0.0, |f| pos(from_ids, f));
            -1.0 + (old_pos + 1.0) / (from_ids.len() as f64 + 2.0)
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
