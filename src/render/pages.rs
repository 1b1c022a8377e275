//! Who refers to what across the site, computed once per build for the pages
//! (`render::views`): backlinks, the documents that concern each version, each
//! version's comparisons, each work's lineage steps; and every dated event.

use std::collections::HashMap;

use crate::compare::{Alignment, Comparison};
use crate::diagnostics::Diagnostic;
use crate::model::body::Clause;
use crate::model::{Page, Site};

/// Who links to which page: target page index → (source page index, anchor).
pub struct Backlinks(HashMap<usize, Vec<(usize, Option<String>)>>);

impl Backlinks {
    pub fn new(site: &Site) -> Backlinks {
        let mut map: HashMap<usize, Vec<(usize, Option<String>)>> = HashMap::new();
        for (source, page) in site.pages.iter().enumerate() {
            for link in &page.body.links {
                if let Some(target) = site.index_by_path(&link.path)
                    && target != source
                {
                    let entry = map.entry(target).or_default();
                    if !entry.contains(&(source, link.anchor.clone())) {
                        entry.push((source, link.anchor.clone()));
                    }
                }
            }
        }
        Backlinks(map)
    }

    /// Pages linking to `clause` of page `target` (or to any of its stycken).
    pub fn to_clause(&self, target: usize, page: &Page, clause: &Clause) -> Vec<usize> {
        let mut sources: Vec<usize> = self
            .0
            .get(&target)
            .into_iter()
            .flatten()
            .filter(|(_, anchor)| {
                anchor
                    .as_deref()
                    .is_some_and(|a| owning_clause(page, a) == Some(clause.id.as_str()))
            })
            .map(|(s, _)| *s)
            .collect();
        sources.dedup();
        sources
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

fn owning_clause<'a>(page: &'a Page, anchor: &str) -> Option<&'a str> {
    page.body
        .clauses
        .iter()
        .find(|c| {
            c.id == anchor
                || c.stycken
                    .iter()
                    .any(|s| s.id == anchor || s.items.iter().any(|i| i.id == anchor))
        })
        .map(|c| c.id.as_str())
}

/// Who refers to what, computed once per build so that no page scans the whole site:
/// with thousands of pages, a per-page scan makes the build quadratic.
pub struct Lookups {
    backlinks: Backlinks,
    /// `work/version` → the documents that concern it, in site order.
    concerning: HashMap<String, Vec<usize>>,
    /// Version page → its comparisons (indexes into `Alignment::comparisons`), in order.
    comparisons_of: HashMap<usize, Vec<usize>>,
    /// Work id → its lineage steps.
    steps_of: HashMap<String, Vec<usize>>,
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
        let (comparisons_of, steps_of) = alignment_lookups(alignment);
        Lookups {
            backlinks: Backlinks::new(site),
            concerning,
            comparisons_of,
            steps_of,
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
        let mut added: Vec<(usize, Option<String>)> = Vec::new();
        for link in &page.body.links {
            if let Some(target) = site.index_by_path(&link.path)
                && target != index
                && !added.contains(&(target, link.anchor.clone()))
            {
                added.push((target, link.anchor.clone()));
            }
        }
        let mut targets: Vec<usize> = added.iter().map(|(target, _)| *target).collect();
        targets.sort_unstable();
        targets.dedup();
        for target in targets {
            let entries = self.backlinks.0.entry(target).or_default();
            let at = entries.partition_point(|(source, _)| *source < index);
            let block = added
                .iter()
                .filter(|(t, _)| *t == target)
                .map(|(_, anchor)| (index, anchor.clone()));
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
        let (comparisons_of, steps_of) = alignment_lookups(alignment);
        self.comparisons_of = comparisons_of;
        self.steps_of = steps_of;
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

    /// The lineage steps of work `work` (indexes into `Alignment::steps`).
    pub(crate) fn steps_of(&self, work: &str) -> &[usize] {
        self.steps_of.get(work).map_or(&[], Vec::as_slice)
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

/// Version page → its comparisons; work id → its lineage steps.
type AlignmentLookups = (HashMap<usize, Vec<usize>>, HashMap<String, Vec<usize>>);

fn alignment_lookups(alignment: &Alignment) -> AlignmentLookups {
    let mut comparisons_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, c) in alignment.comparisons.iter().enumerate() {
        comparisons_of.entry(c.from_page).or_default().push(i);
        comparisons_of.entry(c.to_page).or_default().push(i);
    }
    let mut steps_of: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, step) in alignment.steps.iter().enumerate() {
        steps_of.entry(step.work.clone()).or_default().push(i);
    }
    (comparisons_of, steps_of)
}
