//! Who refers to what across the site, computed once per build for the pages
//! (`render::views`): backlinks, the documents that concern each version, each
//! version's comparisons, each work's lineage steps; and every dated event.

use std::collections::{HashMap, HashSet};

use crate::compare::{Alignment, Comparison, WorkSpans};
use crate::diagnostics::Diagnostic;
use crate::model::{Page, Site};

/// Who links to which page: target page index → (source page index, anchor).
pub struct Backlinks(HashMap<usize, Vec<(usize, Option<String>)>>);

impl Backlinks {
    pub fn new(site: &Site) -> Backlinks {
        let mut map: HashMap<usize, Vec<(usize, Option<String>)>> = HashMap::new();
        // Each (target, source, anchor) once, through a set: a page may link thousands
        // of times into another.
        let mut listed: HashSet<(usize, usize, Option<&str>)> = HashSet::new();
        for (source, page) in site.pages.iter().enumerate() {
            for link in &page.body.links {
                if let Some(target) = site.index_by_path(&link.path)
                    && target != source
                    && listed.insert((target, source, link.anchor.as_deref()))
                {
                    map.entry(target)
                        .or_default()
                        .push((source, link.anchor.clone()));
                }
            }
        }
        Backlinks(map)
    }

    /// Pages linking to each clause of page `target` (or to any of its stycken), by
    /// clause id: found in one pass over the links into the page, not one per clause.
    pub fn to_clauses<'p>(&self, target: usize, page: &'p Page) -> HashMap<&'p str, Vec<usize>> {
        let mut by_clause: HashMap<&str, Vec<usize>> = HashMap::new();
        let Some(entries) = self
            .0
            .get(&target)
            .filter(|e| e.iter().any(|(_, a)| a.is_some()))
        else {
            return by_clause;
        };
        let owners = owning_clauses(page);
        for (source, anchor) in entries {
            if let Some(&clause) = anchor.as_deref().and_then(|a| owners.get(a)) {
                let sources = by_clause.entry(clause).or_default();
                if sources.last() != Some(source) {
                    sources.push(*source);
                }
            }
        }
        by_clause
    }

    pub fn to_page(&self, target: usize) -> Vec<usize> {
        let mut sources: Vec<usize> = self
            .0
            .get(&target)
            .into_iter()
            .flatten()
            .map(|(s, _)| *s)
            .collect();
        sources.sort_unstable();
        sources.dedup();
        sources
    }
}

/// Every id of a page (clause, stycke, item) → the clause it is in; an id in two
/// clauses belongs to the first.
fn owning_clauses(page: &Page) -> HashMap<&str, &str> {
    let mut owners = HashMap::new();
    for clause in &page.body.clauses {
        let id = clause.id.as_str();
        owners.entry(id).or_insert(id);
        for stycke in &clause.stycken {
            owners.entry(stycke.id.as_str()).or_insert(id);
            for item in &stycke.items {
                owners.entry(item.id.as_str()).or_insert(id);
            }
        }
    }
    owners
}

/// Who refers to what, computed once per build so that no page scans the whole site:
/// with thousands of pages, a per-page scan makes the build quadratic.
pub struct Lookups {
    backlinks: Backlinks,
    /// `work/version` → the documents that concern it, in site order.
    concerning: HashMap<String, Vec<usize>>,
    /// Version page → its comparisons (indexes into `Alignment::comparisons`), in order.
    comparisons_of: HashMap<usize, Vec<usize>>,
    /// Lineage (index into `Alignment::lineages`) → the groups of lineage with a note
    /// that link a clause of it, as (step, group), in step and group order.
    notes_of: HashMap<usize, Vec<(usize, usize)>>,
    /// Version texts read again for clause histories.
    recent_texts: RecentTexts,
}

/// The texts of the last few versions read again for clause histories: each history
/// page shows one clause of every version, and reading a version's file again for each
/// of its clauses' histories made them quadratic in the clauses. A few are kept, not
/// all: pages do not hold their texts (see `PageSource`).
#[derive(Default)]
struct RecentTexts(std::sync::Mutex<std::collections::VecDeque<(usize, std::sync::Arc<str>)>>);

impl RecentTexts {
    const KEPT: usize = 8;

    fn text(&self, site: &Site, index: usize) -> Result<std::sync::Arc<str>, Diagnostic> {
        let recent = |texts: &std::collections::VecDeque<(usize, std::sync::Arc<str>)>| {
            texts
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, t)| t.clone())
        };
        if let Some(text) = self.0.lock().ok().and_then(|texts| recent(&texts)) {
            return Ok(text);
        }
        let text = site.pages[index].source.text()?;
        if let Ok(mut texts) = self.0.lock()
            && recent(&texts).is_none()
        {
            texts.push_front((index, text.clone()));
            texts.truncate(Self::KEPT);
        }
        Ok(text)
    }

    /// Forgets the text of page `index`, which was replaced.
    fn forget(&self, index: usize) {
        if let Ok(mut texts) = self.0.lock() {
            texts.retain(|(i, _)| *i != index);
        }
    }
}

impl Lookups {
    pub fn new(site: &Site, alignment: &Alignment) -> Lookups {
        let mut concerning: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, page) in site.pages.iter().enumerate() {
            for concern in page.document().into_iter().flat_map(|d| &d.concerns) {
                let documents = concerning.entry(concern.clone()).or_default();
                if documents.last() != Some(&index) {
                    documents.push(index);
                }
            }
        }
        let (comparisons_of, notes_of) = alignment_lookups(alignment);
        Lookups {
            backlinks: Backlinks::new(site),
            concerning,
            comparisons_of,
            notes_of,
            recent_texts: RecentTexts::default(),
        }
    }

    /// Brings the lookups up to date after page `index` was replaced by a page at the
    /// same path and place (`serve`'s quick path): its outgoing links and the versions
    /// it concerns may differ from `old`'s. The result equals [`Lookups::new`] on the
    /// updated site, order included.
    pub fn page_replaced(&mut self, site: &Site, index: usize, old: &Page) {
        self.recent_texts.forget(index);
        let page = &site.pages[index];
        for link in &old.body.links {
            if let Some(target) = site.index_by_path(&link.path)
                && let Some(entries) = self.backlinks.0.get_mut(&target)
            {
                entries.retain(|(source, _)| *source != index);
                if entries.is_empty() {
                    self.backlinks.0.remove(&target);
                }
            }
        }
        // `Backlinks::new` lists sources in site order, each source's links in its
        // order: the new page's links go in as one block at its place.
        let mut added: std::collections::BTreeMap<usize, Vec<Option<String>>> =
            std::collections::BTreeMap::new();
        let mut listed: HashSet<(usize, Option<&str>)> = HashSet::new();
        for link in &page.body.links {
            if let Some(target) = site.index_by_path(&link.path)
                && target != index
                && listed.insert((target, link.anchor.as_deref()))
            {
                added.entry(target).or_default().push(link.anchor.clone());
            }
        }
        for (target, anchors) in added {
            let entries = self.backlinks.0.entry(target).or_default();
            let at = entries.partition_point(|(source, _)| *source < index);
            let block = anchors.into_iter().map(|anchor| (index, anchor));
            entries.splice(at..at, block);
        }
        for concern in old.document().into_iter().flat_map(|d| &d.concerns) {
            if let Some(documents) = self.concerning.get_mut(concern) {
                documents.retain(|&d| d != index);
                if documents.is_empty() {
                    self.concerning.remove(concern);
                }
            }
        }
        for concern in page.document().into_iter().flat_map(|d| &d.concerns) {
            let documents = self.concerning.entry(concern.clone()).or_default();
            if let Err(at) = documents.binary_search(&index) {
                documents.insert(at, index);
            }
        }
    }

    /// Brings the lookups that index the alignment up to date, after a work was
    /// aligned again.
    pub fn alignment_changed(&mut self, alignment: &Alignment) {
        let (comparisons_of, notes_of) = alignment_lookups(alignment);
        self.comparisons_of = comparisons_of;
        self.notes_of = notes_of;
    }

    /// [`Lookups::alignment_changed`] after only work `id` was aligned again, its items
    /// at `before` in the alignment's lists then: when they kept their places, only
    /// the work's entries are made again (its pages' comparisons and its lineages'
    /// notes come from its own items only).
    pub fn work_realigned(&mut self, alignment: &Alignment, id: &str, before: &WorkSpans) {
        let after = alignment.spans_of(id);
        if after != *before {
            return self.alignment_changed(alignment);
        }
        for c in &alignment.comparisons[after.comparisons.clone()] {
            self.comparisons_of.remove(&c.from_page);
            self.comparisons_of.remove(&c.to_page);
        }
        for i in after.comparisons.clone() {
            let c = &alignment.comparisons[i];
            self.comparisons_of.entry(c.from_page).or_default().push(i);
            self.comparisons_of.entry(c.to_page).or_default().push(i);
        }
        for lineage in after.lineages.clone() {
            self.notes_of.remove(&lineage);
        }
        for s in after.steps {
            notes_of_step(alignment, s, &mut self.notes_of);
        }
    }

    /// Whether the look-ups of the alignment equal `other`'s, order included: a test of
    /// [`Lookups::work_realigned`] against [`Lookups::new`].
    pub fn same_alignment_lookups(&self, other: &Lookups) -> bool {
        self.comparisons_of == other.comparisons_of && self.notes_of == other.notes_of
    }

    pub(crate) fn comparisons<'a>(
        &self,
        alignment: &'a Alignment,
        page: usize,
    ) -> impl Iterator<Item = &'a Comparison> {
        self.comparisons_of
            .get(&page)
            .into_iter()
            .flatten()
            .map(|&i| &alignment.comparisons[i])
    }
}

/// What the views read of the look-ups.
impl Lookups {
    pub(crate) fn backlinks(&self) -> &Backlinks {
        &self.backlinks
    }

    /// The groups with a note that hold a member of lineage `lineage` (an index into
    /// `Alignment::lineages`), as (step, group) indexes into `Alignment::steps`.
    pub(crate) fn notes_of(&self, lineage: usize) -> &[(usize, usize)] {
        self.notes_of.get(&lineage).map_or(&[], Vec::as_slice)
    }

    /// The text of page `index`, read again for clause histories.
    pub(crate) fn version_text(
        &self,
        site: &Site,
        index: usize,
    ) -> Result<std::sync::Arc<str>, Diagnostic> {
        self.recent_texts.text(site, index)
    }

    /// The documents that concern version `version` of `work`, in site order.
    pub(crate) fn documents_concerning(&self, work: &str, version: &str) -> &[usize] {
        self.concerning
            .get(&format!("{work}/{version}"))
            .map_or(&[], Vec::as_slice)
    }
}

/// Version page → its comparisons; lineage → its noted groups.
type AlignmentLookups = (
    HashMap<usize, Vec<usize>>,
    HashMap<usize, Vec<(usize, usize)>>,
);

fn alignment_lookups(alignment: &Alignment) -> AlignmentLookups {
    let mut comparisons_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in alignment.comparisons.iter().enumerate() {
        comparisons_of.entry(c.from_page).or_default().push(i);
        comparisons_of.entry(c.to_page).or_default().push(i);
    }
    // Each noted group under every lineage it links a clause of, found through the
    // lineage of each clause (each history page searching every group was quadratic).
    let mut notes_of: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for s in 0..alignment.steps.len() {
        notes_of_step(alignment, s, &mut notes_of);
    }
    (comparisons_of, notes_of)
}

/// Adds step `s`'s noted groups to `notes_of`, under every lineage they link a clause of.
fn notes_of_step(
    alignment: &Alignment,
    s: usize,
    notes_of: &mut HashMap<usize, Vec<(usize, usize)>>,
) {
    let step = &alignment.steps[s];
    for (g, group) in step.groups.iter().enumerate() {
        if group.note.is_none() {
            continue;
        }
        let mut lineages: Vec<usize> = group
            .from
            .iter()
            .map(|id| (step.from_page, id))
            .chain(group.to.iter().map(|id| (step.to_page, id)))
            .filter_map(|(page, id)| alignment.lineage_of.get(&(page, id.clone())).copied())
            .collect();
        lineages.sort_unstable();
        lineages.dedup();
        for lineage in lineages {
            notes_of.entry(lineage).or_default().push((s, g));
        }
    }
}
