//! Checks across files, once every file is read: each name an editor lists and that is
//! then looked up must be found, nothing may be listed twice, and no two versions of a
//! work may be in force at once. Without these, a misspelt entry was dropped without a
//! word and a repeated one silently replaced the first.

use std::collections::{HashMap, HashSet};

use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::{Page, Site};

/// At most this many names are listed in a help text, so that a site of thousands of
/// versions does not print all of them under each problem.
const LISTED_NAMES: usize = 20;

/// Every problem of the kinds above. `unloaded` holds the content files (relative to
/// content/) that exist but did not load, and `every_file_loaded` says whether any did
/// not (or could not be listed): a version that may be in one of them is not reported
/// missing, since its file is already reported.
pub fn check(site: &Site, unloaded: &HashSet<String>, every_file_loaded: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let names = Names::new(site, every_file_loaded);
    for page in &site.pages {
        concerns(&names, page, &mut problems);
    }
    problems.extend(super::status::check(site, unloaded));
    if every_file_loaded {
        works_without_versions(site, &mut problems);
    }
    if let Some(adoptions) = &site.adoptions {
        problems.extend(super::adoptions::check(adoptions, &names, unloaded));
    }
    problems
}

/// The works and versions of the site, looked up by name, and the help texts that
/// list them (made once, however many entries miss).
pub struct Names<'s> {
    pub site: &'s Site,
    /// Work id → its version ids.
    versions: HashMap<&'s str, HashSet<&'s str>>,
    /// Version id → the works that have a version of that id, in site order.
    works_with: HashMap<&'s str, Vec<&'s str>>,
    /// Whether every content file loaded: if not, a version not found may be in one
    /// that did not, and is not reported.
    pub complete: bool,
    help: std::cell::RefCell<HashMap<Option<String>, String>>,
}

impl<'s> Names<'s> {
    pub fn new(site: &'s Site, complete: bool) -> Names<'s> {
        let mut versions: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut works_with: HashMap<&str, Vec<&str>> = HashMap::new();
        for work in &site.works {
            let ids = versions.entry(work.id.as_str()).or_default();
            for meta in work
                .versions
                .iter()
                .filter_map(|&i| site.pages[i].version())
            {
                if ids.insert(meta.version.as_str()) {
                    works_with
                        .entry(meta.version.as_str())
                        .or_default()
                        .push(work.id.as_str());
                }
            }
        }
        Names {
            site,
            versions,
            works_with,
            complete,
            help: Default::default(),
        }
    }

    pub fn has_work(&self, work: &str) -> bool {
        self.versions.contains_key(work)
    }

    pub fn has_version(&self, work: &str, version: &str) -> bool {
        self.versions
            .get(work)
            .is_some_and(|versions| versions.contains(version))
    }

    /// The works that have a version `version`.
    pub fn works_with(&self, version: &str) -> &[&'s str] {
        self.works_with.get(version).map_or(&[], Vec::as_slice)
    }

    /// `work/version` of every version of the site, or of one work, for help texts.
    pub fn version_list(&self, only_work: Option<&str>) -> String {
        let mut cache = self.help.borrow_mut();
        cache
            .entry(only_work.map(str::to_string))
            .or_insert_with(|| {
                let names: Vec<String> = self
                    .site
                    .works
                    .iter()
                    .filter(|work| only_work.is_none_or(|id| id == work.id))
                    .flat_map(|work| {
                        work.versions
                            .iter()
                            .filter_map(|&i| self.site.pages[i].version())
                            .map(move |v| format!("{}/{}", work.id, v.version))
                    })
                    .collect();
                listed(&names)
            })
            .clone()
    }
}

/// `names` joined by commas, the first [`LISTED_NAMES`] of them.
pub fn listed(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let shown = names[..names.len().min(LISTED_NAMES)].join(", ");
    match names.len().saturating_sub(LISTED_NAMES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// A document's `concerns`: each entry a version of the site, each listed once.
fn concerns(names: &Names<'_>, page: &Page, problems: &mut Vec<Diagnostic>) {
    let Some(meta) = page.document() else { return };
    // (entry index, problem, index of the entry it repeats)
    let mut found: Vec<(usize, Diagnostic, Option<usize>)> = Vec::new();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (index, entry) in meta.concerns.iter().enumerate() {
        if let Some(&first) = first_of.get(entry.as_str()) {
            let problem = Diagnostic::error(
                &page.source.name,
                format!("`concerns` lists `{entry}` twice"),
            )
            .with_help("list each version once; remove this entry");
            found.push((index, problem, Some(first)));
            continue;
        }
        first_of.insert(entry, index);
        let problem = match entry.split_once('/') {
            Some((work, version)) if names.has_work(work) => {
                // A version in a file that did not load may be the one named.
                if names.has_version(work, version) || !names.complete {
                    continue;
                }
                Diagnostic::error(
                    &page.source.name,
                    format!(
                        "`concerns` names `{entry}`, but work `{work}` has no version `{version}`"
                    ),
                )
                .with_help(format!(
                    "the versions are: {}",
                    names.version_list(Some(work))
                ))
            }
            _ => Diagnostic::error(
                &page.source.name,
                format!("`concerns` names `{entry}`, which is not a version of this site"),
            )
            .with_help(format!(
                "write work/version; the versions are: {}",
                names.version_list(None)
            )),
        };
        found.push((index, problem, None));
    }
    if found.is_empty() {
        return;
    }
    // The file is read again once for all its problems.
    let placed = match page.source.source_text() {
        Ok(source) => {
            let (field_line, positions) = concern_positions(&source, &meta.concerns);
            let line_of = |index: usize| positions.get(index).copied().flatten();
            found
                .into_iter()
                .map(|(index, mut problem, first)| {
                    if let Some(first) = first {
                        let at = line_of(first).map_or(String::new(), |(line, _)| {
                            format!(" (first at line {line})")
                        });
                        problem.message.push_str(&at);
                    }
                    let (line, column) = line_of(index).unwrap_or((field_line, 1));
                    problem.at_line(&source, line, column)
                })
                .collect()
        }
        Err(unreadable) => vec![unreadable],
    };
    problems.extend(placed);
}

/// The 1-based line of `concerns:` and the 1-based (line, column) of each of its
/// entries in the file.
fn concern_positions(
    source: &SourceText,
    entries: &[String],
) -> (usize, Vec<Option<(usize, usize)>>) {
    let Ok(split) = front_matter::split(source) else {
        return (1, Vec::new());
    };
    let field = front_matter::field_line(source, &split, "concerns");
    let from = field.saturating_sub(split.yaml_line);
    let positions =
        front_matter::scalar_positions(split.yaml, from, entries.iter().map(String::as_str))
            .into_iter()
            .map(|position| position.map(|(line, column)| (split.yaml_line + line, column + 1)))
            .collect();
    (field, positions)
}

/// A work in site.yaml that no version names is listed on the site with nothing in it:
/// usually a misspelt `work:` or id.
fn works_without_versions(site: &Site, problems: &mut Vec<Diagnostic>) {
    for (index, work) in site.works.iter().enumerate() {
        if !work.versions.is_empty() {
            continue;
        }
        let name = format!("content/{}", super::CONFIG_FILE);
        let problem = Diagnostic::warning(
            &name,
            format!(
                "work `{}` has no versions: no content file says `work: {}`",
                work.id, work.id
            ),
        )
        .with_help("add a version of it (kind: version), check the spelling of its id, or remove the work from site.yaml");
        problems.push(match site.config.work_place(index) {
            Some((source, line)) => problem.at_line(source, line, 1),
            None => problem,
        });
    }
}
