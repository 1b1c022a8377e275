//! Contexts for the reading pages: start page, works, versions, documents, timeline,
//! adoption, plain pages, clause histories and the 404 page.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::PageJob;
use super::addresses::Owner;
use super::markdown::{clause_html, inline_markdown, prefixed_clause_html, version_clause_html};
use crate::compare::{Alignment, Comparison};
use crate::content::body::Clause;
use crate::content::links::relative_url;
use crate::content::meta::{Event, IsoDate, Provenance};
use crate::diagnostics::Diagnostic;
use crate::model::{Page, PageKind, Site, Work};

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

fn date_value(date: Option<IsoDate>) -> Value {
    match date {
        Some(d) => json!({ "iso": d.to_string(), "sv": d.swedish() }),
        None => Value::Null,
    }
}

fn page_ref(site: &Site, from_url: &str, index: usize) -> Value {
    let page = &site.pages[index];
    json!({
        "title": page.title(),
        "url": relative_url(from_url, &page.url),
        "date": date_value(page.date()),
        "kind": kind_label(page),
        "organisation": page.document().map(|d| d.organisation.clone()),
    })
}

pub fn kind_label(page: &Page) -> String {
    match &page.kind {
        PageKind::Version(v) => format!(
            "version {} ({})",
            v.version,
            crate::content::status::label(v)
        ),
        PageKind::Document(d) => d.doc_type.swedish().to_string(),
        PageKind::Plain(_) => "sida".to_string(),
    }
}

fn provenance(site: &Site, url: &str, p: &Provenance) -> Value {
    json!({
        "file": p.file,
        "body": p.body,
        "identifiers": p.identifiers,
        "editorial_html": inline_markdown(site, url, &p.editorial),
    })
}

/// How a clause is cited in running text: `§ 5`, as the sources write it, or its
/// heading.
pub fn citation_label(clause: &Clause) -> String {
    clause.label()
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

    fn comparisons<'a>(
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
    for (s, step) in alignment.steps.iter().enumerate() {
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
    (comparisons_of, notes_of)
}

/// The job of content page `index`'s own page, planned alone (`serve`'s quick path).
pub fn page_job<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    index: usize,
) -> PageJob<'a> {
    match &site.pages[index].kind {
        PageKind::Version(_) => version_page(site, alignment, lookups, index),
        PageKind::Document(_) => document_page(site, &lookups.backlinks, index),
        PageKind::Plain(_) => plain_page(site, &lookups.backlinks, index),
    }
}

/// The jobs of `work`'s page and of its clause histories, planned alone.
pub fn work_jobs<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    work: &'a Work,
) -> Vec<PageJob<'a>> {
    let histories = format!("{}/historik/", work.id);
    let mut jobs = vec![work_page(site, alignment, work)];
    jobs.extend(
        history_pages(site, alignment, lookups)
            .into_iter()
            .filter(|job| job.url.starts_with(&histories)),
    );
    jobs
}

/// Every reading page, planned: address and template now, context when rendered.
pub fn jobs<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
) -> Vec<PageJob<'a>> {
    let years = super::pictures::timeline_years(site);
    let split = super::pictures::timeline_is_split(&years);
    let mut jobs = vec![
        start_page(site, alignment, split),
        timeline(site),
        not_found(site),
        search_page(),
    ];
    if split {
        jobs.extend(timeline_years(site, years));
    }
    if let Some(job) = adoption(site) {
        jobs.push(job);
    }
    for work in &site.works {
        jobs.push(work_page(site, alignment, work));
    }
    jobs.extend((0..site.pages.len()).map(|index| page_job(site, alignment, lookups, index)));
    jobs.extend(history_pages(site, alignment, lookups));
    jobs
}

fn versions_list(site: &Site, work: &Work, from_url: &str) -> Vec<Value> {
    let in_force = site.in_force(work);
    work.versions
        .iter()
        .map(|&i| {
            let page = &site.pages[i];
            let v = page.version().expect("work versions are version pages");
            json!({
                "version": v.version,
                "title": v.title,
                "status": crate::content::status::label(v),
                "status_class": crate::content::status::label_class(v),
                "in_force": in_force.is_some_and(|p| std::ptr::eq(p, page)),
                "date": date_value(Some(v.date)),
                "url": relative_url(from_url, &page.url),
                "summary": v.summary,
                "clauses": page.body.clauses.len(),
            })
        })
        .collect()
}

fn comparisons_list(site: &Site, alignment: &Alignment, work: &Work, from_url: &str) -> Vec<Value> {
    alignment
        .comparisons
        .iter()
        .filter(|c| c.work == work.id)
        .map(|c| comparison_entry(site, work, c, from_url))
        .collect()
}

fn comparison_entry(site: &Site, work: &Work, c: &Comparison, from_url: &str) -> Value {
    let (a, b) = (&site.pages[c.from_page], &site.pages[c.to_page]);
    let (va, vb) = (
        a.version().map_or("", |v| v.version.as_str()),
        b.version().map_or("", |v| v.version.as_str()),
    );
    json!({
        "from": va, "to": vb,
        "url": relative_url(from_url, &super::compare_pages::url(work, va, vb)),
        "changed": c.pairs.iter().filter(|p| p.status != crate::compare::Status::Unchanged).count(),
    })
}

/// A start page lists every document of a site with at most this many; a larger one
/// lists only the newest [`START_PAGE_NEWEST`] and links to where all of them are
/// (the timeline, year by year). The real site has a handful and lists them all.
pub const START_PAGE_ALL_UP_TO: usize = 100;

/// How many documents a start page of a large site lists, newest first.
pub const START_PAGE_NEWEST: usize = 25;

/// A start page shows each work with its versions and comparisons on a site with at
/// most this many works; with more, one line a work (its version in force and how many
/// versions it has) leads to the work's own page, which lists them: at 192 works the
/// full lists made the start page 800 KB. The real site has one work.
pub const START_PAGE_WORKS_IN_FULL: usize = 10;

/// `12 345`: a count as Swedish writes it, groups of three digits apart (a no-break
/// space) from five digits on; four digits stay together (`8990`), as is usual.
fn swedish_count(count: usize) -> String {
    let digits = count.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}

fn start_page<'a>(site: &'a Site, alignment: &'a Alignment, timeline_split: bool) -> PageJob<'a> {
    PageJob::new("index.html", String::new(), Owner::StartPage, move || {
        let url = String::new();
        let works_in_brief = site.works.len() > START_PAGE_WORKS_IN_FULL;
        let works: Vec<Value> = site
            .works
            .iter()
            .map(|work| {
                let mut entry = json!({
                    "id": work.id,
                    "title": work.title,
                    "short_title": work.short_title,
                    "description": work.description,
                    "url": relative_url(&url, &format!("{}/", work.id)),
                    "version_count": work.versions.len(),
                    // What applies by the sources, for the start page's first screen.
                    "standing": super::status::banner(site, work),
                    "in_force": site.in_force(work).map(|p| json!({
                        "version": p.version().map(|v| v.version.clone()),
                        "url": relative_url(&url, &p.url),
                    })),
                });
                if !works_in_brief {
                    entry["versions"] = Value::Array(versions_list(site, work, &url));
                    entry["comparisons"] =
                        Value::Array(comparisons_list(site, alignment, work, &url));
                }
                entry
            })
            .collect();
        let undated = IsoDate {
            year: 0,
            month: None,
            day: None,
        };
        // Places first, references only for the documents listed.
        let mut documents: Vec<(IsoDate, usize)> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.document().is_some())
            .map(|(i, p)| (p.date().unwrap_or(undated), i))
            .collect();
        let count = documents.len();
        let newest = count > START_PAGE_ALL_UP_TO;
        if newest {
            // Newest first, as the feed orders them.
            documents.sort_by(|a, b| {
                b.0.cmp(&a.0)
                    .then_with(|| site.pages[a.1].url.cmp(&site.pages[b.1].url))
            });
            documents.truncate(START_PAGE_NEWEST);
        } else {
            documents.sort_by_key(|a| a.0);
        }
        let documents: Vec<Value> = documents
            .into_iter()
            .map(|(_, i)| page_ref(site, &url, i))
            .collect();
        let plain: Vec<Value> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PageKind::Plain(_)))
            .map(|(i, _)| page_ref(site, &url, i))
            .collect();
        let timeline = super::pictures::TIMELINE_URL;
        let mut page = json!({
            "title": site.config.title,
            "description": site.config.description,
            "has_adoptions": site.adoptions.is_some(),
            "works_in_brief": works_in_brief,
            "newest": newest,
            "document_count": swedish_count(count),
            // Every document is on the timeline: split, on the page of its year, which
            // the list of years under the figure leads to; otherwise under the figure.
            "all_documents_url": if timeline_split {
                format!("{timeline}#ar-for-ar")
            } else {
                timeline.to_string()
            },
        });
        page["works"] = Value::Array(works);
        page["documents"] = Value::Array(documents);
        page["pages"] = Value::Array(plain);
        page
    })
}

fn work_page<'a>(site: &'a Site, alignment: &'a Alignment, work: &'a Work) -> PageJob<'a> {
    let url = format!("{}/", work.id);
    PageJob::new("work.html", url.clone(), Owner::Work(work), move || {
        json!({
            "title": work.title,
            "description": work.description.clone().unwrap_or_else(|| format!("Alla versioner av {}", work.short_title)),
            "work": { "id": work.id, "title": work.title, "short_title": work.short_title, "description": work.description },
            "versions": versions_list(site, work, &url),
            "comparisons": comparisons_list(site, alignment, work, &url),
            "lineage_map": super::pictures::lineage_map(site, alignment, work, &url),
        })
    })
}

fn version_page<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
    index: usize,
) -> PageJob<'a> {
    let (address, owner) = (site.pages[index].url.clone(), Owner::Page(index));
    PageJob::fallible("version.html", address, owner, move || {
        let backlinks = &lookups.backlinks;
        let page = &site.pages[index];
        let text = page.source.text()?;
        let meta = page.version().expect("version page");
        let work = site
            .work(&meta.work)
            .expect("versions belong to a known work");
        let url = page.url.clone();
        // Backlinks by clause, found in one pass.
        let backlinks_of = backlinks.to_clauses(index, page);
        // `serve` gives way to a newer save; it throws the partial page away.
        let clauses: Vec<Value> = page.body.clauses.iter().take_while(|_| !crate::cancel::requested()).map(|clause| {
        let lineage = alignment.lineage(index, &clause.id);
        let other: Vec<Value> = lineage.map(|l| l.members.iter().filter(|(p, _)| *p != index).map(|(p, id)| {
            let other_page = &site.pages[*p];
            let other_clause = other_page.body.clause(id);
            json!({
                "version": other_page.version().map(|v| v.version.clone()),
                "label": other_clause.map(|c| c.label()),
                "url": format!("{}#{id}", relative_url(&url, &other_page.url)),
            })
        }).collect()).unwrap_or_default();
        let cite_prefix = format!("{} ({})", work.short_title, meta.version);
        let cite = format!("{cite_prefix} {}", citation_label(clause));
        json!({
            "id": clause.id,
            "label": clause.label(),
            "title": clause.title,
            "numbered": clause.number.is_some(),
            "html": version_clause_html(site, &url, clause, &page.body, &text, &cite_prefix),
            "backlinks": backlinks_of.get(clause.id.as_str()).into_iter().flatten().map(|&s| page_ref(site, &url, s)).collect::<Vec<_>>(),
            "other_versions": other,
            "history_url": lineage.filter(|l| l.members.len() > 1).map(|l| relative_url(&url, &history_url(work, &l.key))),
            "cite": cite,
            "comparisons": clause_comparisons(site, lookups.comparisons(alignment, index), work, index, &clause.id, &url),
            "fate": super::status::clause_fate(site, alignment, work, index, &clause.id, &url),
        })
    }).collect();
        let documents: Vec<Value> = lookups
            .concerning
            .get(&format!("{}/{}", meta.work, meta.version))
            .into_iter()
            .flatten()
            .map(|&i| page_ref(site, &url, i))
            .collect();
        let comparisons: Vec<Value> = lookups
            .comparisons(alignment, index)
            .map(|c| comparison_entry(site, work, c, &url))
            .collect();
        Ok(json!({
            "title": meta.title,
            "description": meta.summary.clone().unwrap_or_else(|| format!("{} i versionen från {}", work.short_title, meta.date.swedish())),
            "work": { "id": work.id, "title": work.title, "short_title": work.short_title, "url": relative_url(&url, &format!("{}/", work.id)) },
            "version": meta.version,
            "status": crate::content::status::label(meta),
            "status_class": crate::content::status::label_class(meta),
            "phrase": super::status::version_phrase(meta),
            "history": super::status::history(site, &url, meta),
            "applies_from": date_value(super::status::applies_from(meta)),
            "standing": super::status::standing_notice(site, alignment, work, index),
            "date": date_value(Some(meta.date)),
            "summary": meta.summary,
            "editorial_notice_html": meta.editorial_notice.as_ref().map(|n| inline_markdown(site, &url, n)),
            "clauses": clauses,
            "documents": documents,
            "comparisons": comparisons,
            "source": provenance(site, &url, &meta.source),
            "json_url": relative_url(&url, &super::compare_pages::version_json_path(work, &meta.version)),
            "akn_url": relative_url(&url, &super::akn::path(work, &meta.version)),
            "versions": versions_list(site, work, &url),
        }))
    })
}

/// Links to the row of every comparison that shows this clause of this version.
fn clause_comparisons<'a>(
    site: &Site,
    comparisons: impl Iterator<Item = &'a Comparison>,
    work: &Work,
    index: usize,
    clause: &str,
    url: &str,
) -> Vec<Value> {
    let version = |p: usize| {
        site.pages[p]
            .version()
            .map_or(String::new(), |v| v.version.clone())
    };
    comparisons
        .filter_map(|c| {
            // The clause's row, looked up rather than searched for.
            let pair = &c.pairs[*c.rows_of(c.to_page != index, clause).first()?];
            let (from, to) = (version(c.from_page), version(c.to_page));
            let page_url = relative_url(url, &super::compare_pages::url(work, &from, &to));
            Some(json!({
                "label": format!("{from} → {to}"),
                "url": format!("{page_url}#{}", super::compare_pages::anchor(pair)),
                "status": pair.status.swedish(),
            }))
        })
        .collect()
}

fn document_page<'a>(site: &'a Site, backlinks: &'a Backlinks, index: usize) -> PageJob<'a> {
    let (address, owner) = (site.pages[index].url.clone(), Owner::Page(index));
    PageJob::fallible("document.html", address, owner, move || {
        let page = &site.pages[index];
        let meta = page.document().expect("document page");
        let url = page.url.clone();
        let concerns: Vec<Value> = meta.concerns.iter().filter_map(|c| {
        let (work, version) = c.split_once('/')?;
        let target = site.version(work, version)?;
        let work = site.work(work)?;
        Some(json!({ "title": format!("{} ({})", work.short_title, version), "url": relative_url(&url, &target.url) }))
    }).collect();
        Ok(json!({
            "title": meta.title,
            "description": meta.summary.clone().unwrap_or_else(|| format!("{} från {}", meta.doc_type.swedish(), meta.organisation)),
            "type": meta.doc_type.swedish(),
            "organisation": meta.organisation,
            "date": date_value(Some(meta.date)),
            "dnr": meta.dnr,
            "summary": meta.summary,
            "concerns": concerns,
            "signatories": meta.signatories,
            "clauses": body_clauses(site, &url, page)?,
            "backlinks": backlinks.to_page(index).into_iter().map(|s| page_ref(site, &url, s)).collect::<Vec<_>>(),
            "source": provenance(site, &url, &meta.source),
            "akn_url": relative_url(&url, &super::akn::document_path(page)),
        }))
    })
}

fn body_clauses(site: &Site, url: &str, page: &Page) -> Result<Vec<Value>, Diagnostic> {
    let text = page.source.text()?;
    Ok(page
        .body
        .clauses
        .iter()
        .map(|clause| {
            json!({
                "id": clause.id,
                "label": clause.label(),
                "title": clause.title,
                "numbered": clause.number.is_some(),
                "html": clause_html(site, url, clause, &text),
            })
        })
        .collect())
}

fn plain_page<'a>(site: &'a Site, backlinks: &'a Backlinks, index: usize) -> PageJob<'a> {
    let (address, owner) = (site.pages[index].url.clone(), Owner::Page(index));
    PageJob::fallible("page.html", address, owner, move || {
        let page = &site.pages[index];
        let PageKind::Plain(meta) = &page.kind else {
            unreachable!("plain page")
        };
        let url = page.url.clone();
        Ok(json!({
            "title": meta.title,
            "description": meta.summary.clone().unwrap_or_else(|| meta.title.clone()),
            "date": date_value(meta.date),
            "clauses": body_clauses(site, &url, page)?,
            "backlinks": backlinks.to_page(index).into_iter().map(|s| page_ref(site, &url, s)).collect::<Vec<_>>(),
        }))
    })
}

/// Every dated event the sources state, oldest first, each linked to its document.
pub fn events(site: &Site) -> Vec<(IsoDate, &Event, usize)> {
    let mut all: Vec<(IsoDate, &Event, usize)> = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        let events: &[Event] = match &page.kind {
            PageKind::Version(v) => &v.events,
            PageKind::Document(d) => &d.events,
            PageKind::Plain(_) => &[],
        };
        all.extend(events.iter().map(|e| (e.date, e, index)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    all
}

fn timeline(site: &Site) -> PageJob<'_> {
    let url = super::pictures::TIMELINE_URL;
    PageJob::new("timeline.html", url.into(), Owner::Timeline, move || {
        // The figure and the year-by-year list under it both come from the pictures.
        let mut page = json!({
            "title": "Tidslinje",
            "description": "Händelserna kring överenskommelsen i den ordning källorna anger dem.",
        });
        page["svg"] = super::pictures::timeline_svg(site, url);
        page
    })
}

/// A split timeline's page per year (see `TIMELINE_SINGLE_PAGE_LIMIT`): each job holds
/// only its year's places in the site, and makes the year's list when it renders.
fn timeline_years<'a>(
    site: &'a Site,
    years: Vec<super::pictures::TimelineYear<'a>>,
) -> Vec<PageJob<'a>> {
    let numbers: Vec<u16> = years.iter().map(|year| year.year).collect();
    years
        .into_iter()
        .enumerate()
        .map(|(i, year)| {
            let previous = i.checked_sub(1).map(|p| numbers[p]);
            let next = numbers.get(i + 1).copied();
            PageJob::new(
                "timeline-year.html",
                super::pictures::timeline_year_url(year.year),
                Owner::TimelineYear(year.year),
                move || super::pictures::timeline_year_page(site, &year, previous, next),
            )
        })
        .collect()
}

fn adoption(site: &Site) -> Option<PageJob<'_>> {
    let adoptions = site.adoptions.as_ref()?;
    Some(PageJob::new(
        "adoption.html",
        "antaganden/".into(),
        Owner::Adoption,
        move || {
            let url = "antaganden/".to_string();
            let mut columns: Vec<(String, String, String)> = Vec::new();
            for work in &site.works {
                for &i in &work.versions {
                    if let Some(v) = site.pages[i].version() {
                        columns.push((
                            work.id.clone(),
                            v.version.clone(),
                            relative_url(&url, &site.pages[i].url),
                        ));
                    }
                }
            }
            let rows: Vec<Value> = adoptions
                .municipalities
                .iter()
                .map(|m| {
                    let cells: Vec<Value> = columns
                        .iter()
                        .map(|(work, version, _)| {
                            let facts: Vec<Value> = adoptions.facts_for(m, work, version).map(|f| json!({
                "status": f.status.swedish(),
                "date": date_value(f.date),
                "source_url": super::markdown::resolve(site, &url, &f.source),
            })).collect();
                            json!({ "facts": facts })
                        })
                        .collect();
                    json!({ "name": m, "cells": cells })
                })
                .collect();
            let facts: Vec<Value> = adoptions.facts.iter().map(|f| json!({
        "version": f.version,
        "text": f.text,
        "status": f.status.swedish(),
        "date": date_value(f.date),
        "source_url": super::markdown::resolve(site, &url, &f.source),
        "source_title": f.source.strip_prefix("@/").and_then(|p| site.page_by_path(p.split('#').next().unwrap_or(p))).map(|p| p.title().to_string()),
    })).collect();
            json!({
                "title": "Antaganden",
                "note_html": adoptions.note.as_ref().map(|n| super::markdown::inline_markdown(site, &url, n)),
                "description": "Vilka kommuner som antagit vilken version, så långt källorna säger.",
                "columns": columns.iter().map(|(w, v, u)| json!({"work": w, "version": v, "url": u})).collect::<Vec<_>>(),
                "rows": rows,
                "facts": facts,
            })
        },
    ))
}

/// The search page's address; its index lies in the folder under it.
pub const SEARCH_URL: &str = "sok/";

fn search_page() -> PageJob<'static> {
    PageJob::new(
        "search.html",
        SEARCH_URL.into(),
        Owner::Search,
        || json!({ "title": "Sök", "description": "Sök i överenskommelsens alla versioner och dokument." }),
    )
}

fn not_found(site: &Site) -> PageJob<'_> {
    PageJob::new("404.html", "404.html".into(), Owner::NotFound, move || {
        json!({
            "title": "Sidan finns inte",
            "description": "Sidan du sökte finns inte.",
            "base_path": site.config.base_path(),
        })
    })
}

/// The folder of `work`'s clause histories, kept for them (`addresses`).
pub fn histories_folder(work: &Work) -> String {
    format!("{}/historik/", work.id)
}

pub fn history_url(work: &Work, key: &str) -> String {
    format!("{}{key}/", histories_folder(work))
}

fn history_pages<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    lookups: &'a Lookups,
) -> Vec<PageJob<'a>> {
    alignment.lineages.iter().enumerate().filter(|(_, l)| l.members.len() > 1).filter_map(|(lineage_index, lineage)| {
        let work = site.work(&lineage.work)?;
        let url = history_url(work, &lineage.key);
        let owner = Owner::History(lineage);
        Some(PageJob::fallible("history.html", url.clone(), owner, move || {
        // Named for the clause in every version it is in, not by its first number.
        let versions = super::status::lineage_versions(site, work, &lineage.members);
        let name = super::status::lineage_name(site, &versions);
        let mut changes = super::status::lineage_steps(site, alignment, work, &lineage.members, &versions, &url);
        let entries: Vec<Value> = work.versions.iter().map(|&p| {
            let page = &site.pages[p];
            let v = page.version().map_or("", |v| v.version.as_str());
            let members: Vec<&Clause> = lineage.members.iter().filter(|(mp, _)| *mp == p).filter_map(|(_, id)| page.body.clause(id)).collect();
            // Only a version that has the clause is read again.
            let text = if members.is_empty() { None } else { Some(lookups.recent_texts.text(site, p)?) };
            let clauses: Vec<Value> = members.into_iter().map(|c| json!({
                "id": c.id, "label": c.label(), "title": c.title,
                // Several versions' texts stand on one page: prefix their ids to keep them unique.
                "html": prefixed_clause_html(site, &url, c, &format!("v{v}-"), text.as_deref().unwrap_or_default()),
                "url": format!("{}#{}", relative_url(&url, &page.url), c.id),
            })).collect();
            let change = changes.remove(&p).and_then(|mut c| c.pop());
            Ok(json!({ "version": v, "date": date_value(page.date()), "clauses": clauses, "version_url": relative_url(&url, &page.url), "change": change }))
        }).collect::<Result<_, Diagnostic>>()?;
        let notes: Vec<String> = lookups.notes_of.get(&lineage_index).into_iter().flatten()
            .filter_map(|&(s, g)| alignment.steps[s].groups[g].note.as_ref())
            .map(|n| inline_markdown(site, &url, n)).collect();
            Ok(json!({
                "title": format!("Historik: {name}"),
                "description": format!("Lydelsen av {name} i varje version av {}, med ändringarna mellan dem", work.short_title),
                "work": { "title": work.title, "short_title": work.short_title },
                "entries": entries,
                "notes_html": notes,
            }))
        }))
    }).collect()
}

#[cfg(test)]
mod tests {
    use super::swedish_count;

    #[test]
    fn counts_are_grouped_in_threes_from_five_digits() {
        assert_eq!(swedish_count(7), "7");
        assert_eq!(swedish_count(8990), "8990");
        assert_eq!(swedish_count(12_345), "12\u{a0}345");
        assert_eq!(swedish_count(1_234_567), "1\u{a0}234\u{a0}567");
    }
}
