//! `serve`'s quick answer to a save, on its own thread so that it never waits for a
//! full rebuild: when only existing Markdown files changed and none of them moved, their
//! pages are parsed and rendered at once (for a version also its work's page,
//! comparisons and clause histories, with the work aligned again). Pages that merely
//! mention them wait for the full rebuild that follows.
//!
//! The quick path keeps its own copy of the site as the last full rebuild left it, with
//! the site-wide lookups (backlinks, documents per version) kept up to date page by page,
//! so a save costs the saved page's work, not the site's.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::cancel::Cancel;
use crate::compare::Alignment;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, PageKind, Site};
use crate::render::pages::Lookups;
use crate::render::theme::Theme;
use crate::render::{self, RenderOptions};

/// The site as a full rebuild left it: what the quick path starts from.
pub struct FullBuild {
    pub site: Site,
    pub alignment: Alignment,
    pub theme: Theme,
}

/// What a finished full rebuild hands to the quick path.
pub struct Handover {
    model: FullBuild,
    lookups: Lookups,
    /// The number of the last save that rebuild had seen.
    saves_built: u64,
}

impl Handover {
    /// Builds the lookups here, on the rebuild's thread, so the quick path does not
    /// spend a save's time on them.
    pub fn new(model: FullBuild, saves_built: u64) -> Handover {
        let lookups = Lookups::new(&model.site, &model.alignment);
        Handover {
            model,
            lookups,
            saves_built,
        }
    }
}

/// A quick rebuild's result: the pages made from the saved files, rendered anew.
pub struct QuickUpdate {
    pub pages: Vec<(String, Arc<str>)>,
    pub millis: u128,
}

pub struct Quick {
    root: PathBuf,
    options: RenderOptions,
    /// `None` until a full build has succeeded.
    current: Option<Current>,
    /// Files applied to `current` since its full rebuild, with the number of their last
    /// save: a newer full rebuild that had not seen that save gets them applied again.
    applied: Vec<(u64, PathBuf)>,
}

struct Current {
    model: FullBuild,
    lookups: Lookups,
}

/// A saved file, parsed, that sits where its old page did.
struct Replacement {
    index: usize,
    page: Page,
}

impl Quick {
    pub fn new(root: &Path, options: RenderOptions) -> Quick {
        Quick {
            root: root.to_path_buf(),
            options,
            current: None,
            applied: Vec::new(),
        }
    }

    /// Starts from a newer full rebuild. Saves it had not seen are applied again, so
    /// the pages the quick path renders next still show them.
    pub fn take_build(&mut self, handover: Handover) {
        self.current = Some(Current {
            model: handover.model,
            lookups: handover.lookups,
        });
        self.applied
            .retain(|(save, _)| *save > handover.saves_built);
        let paths: HashSet<PathBuf> = self.applied.iter().map(|(_, p)| p.clone()).collect();
        // A file that no longer fits (moved, broken) waits for the full rebuild.
        let never = Cancel::never();
        if let Some(Ok(replacements)) = self.parse(&paths, &never) {
            self.apply(replacements);
        }
    }

    /// The pages made from `touched`, rendered from their new text; `save` numbers this
    /// batch of saves. `None` when the change needs a full rebuild, or when `cancel`
    /// says a newer save is waiting (this answer then gives way to the next); problems
    /// when a file cannot be read or parsed, or a template fails (the full rebuild
    /// reports them). Run it through [`Cancel::run_in`] for the parallel parts to give
    /// way too.
    pub fn answer(
        &mut self,
        touched: &HashSet<PathBuf>,
        save: u64,
        cancel: &Cancel,
    ) -> Option<Result<QuickUpdate, Diagnostics>> {
        let started = Instant::now();
        let replacements = match self.parse(touched, cancel)? {
            Ok(replacements) => replacements,
            Err(problems) => return Some(Err(problems)),
        };
        if cancel.is_requested() {
            return None;
        }
        let indexes: Vec<usize> = replacements.iter().map(|r| r.index).collect();
        let problems = cancel.scope(|| self.apply(replacements));
        for path in touched {
            self.applied.retain(|(_, applied)| applied != path);
            self.applied.push((save, path.clone()));
        }
        if cancel.is_requested() {
            // The alignment may have stopped halfway: the quick path waits for the
            // next full rebuild, and applies these files to it again.
            self.current = None;
            return None;
        }
        if problems.has_errors() {
            return Some(Err(problems));
        }
        let current = self.current.as_ref()?;
        let FullBuild {
            site,
            alignment,
            theme,
        } = &current.model;
        let mut jobs = Vec::new();
        let mut planned = HashSet::new();
        for index in indexes {
            for job in render::plan_made_from(site, alignment, &current.lookups, index) {
                if planned.insert(job.url.clone()) {
                    jobs.push(job);
                }
            }
        }
        let rendered = render::render_jobs(site, theme, &self.options, &jobs);
        // Some pages may have been passed over.
        if cancel.is_requested() {
            return None;
        }
        Some(match rendered {
            Ok(pages) => Ok(QuickUpdate {
                pages: pages
                    .into_iter()
                    .map(|(path, html)| (path, Arc::from(html)))
                    .collect(),
                millis: started.elapsed().as_millis(),
            }),
            Err(problems) => Err(diagnostics_of(problems)),
        })
    }

    /// Reads and parses `touched`: `None` when one of them is not an existing page's
    /// Markdown file, or its page moved.
    fn parse(
        &self,
        touched: &HashSet<PathBuf>,
        cancel: &Cancel,
    ) -> Option<Result<Vec<Replacement>, Diagnostics>> {
        let current = self.current.as_ref()?;
        let site = &current.model.site;
        let content = self.root.join("content");
        let mut replacements = Vec::new();
        for path in touched {
            if cancel.is_requested() {
                return None;
            }
            let relative = path
                .strip_prefix(&content)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            if !relative.ends_with(".md") || !path.is_file() {
                return None;
            }
            let index = site.index_by_path(&relative)?;
            let name = format!("content/{relative}");
            let text = match content::source::read_text(path, &name) {
                Ok(text) => text,
                Err(problem) => return Some(Err(diagnostics_of(vec![problem]))),
            };
            let page = match content::parse_page(text, &relative) {
                Ok(page) => page,
                Err(problems) => return Some(Err(diagnostics_of(problems))),
            };
            if !same_place(&site.pages[index], &page) {
                return None;
            }
            replacements.push(Replacement { index, page });
        }
        Some(Ok(replacements))
    }

    /// Puts the pages in place, aligns their works again and updates the lookups.
    /// Returns the alignment's problems.
    fn apply(&mut self, replacements: Vec<Replacement>) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let Some(current) = self.current.as_mut() else {
            return problems;
        };
        let Current { model, lookups } = current;
        let mut works = Vec::new();
        for Replacement { index, page } in replacements {
            if let Some(version) = page.version()
                && !works.contains(&version.work)
            {
                works.push(version.work.clone());
            }
            let old = std::mem::replace(&mut model.site.pages[index], page);
            lookups.page_replaced(&model.site, index, &old);
        }
        for id in works {
            if let Some(work) = model.site.work(&id).cloned() {
                problems.extend(model.alignment.realign_work(&model.site, &work).items);
            }
        }
        lookups.alignment_changed(&model.alignment);
        problems
    }
}

/// Whether a re-parsed page sits where the old one did, in every list and link: the
/// quick path re-renders only the page itself.
fn same_place(old: &Page, new: &Page) -> bool {
    if old.url != new.url {
        return false;
    }
    match (&old.kind, &new.kind) {
        (PageKind::Version(a), PageKind::Version(b)) => {
            a.work == b.work
                && a.version == b.version
                && a.date == b.date
                && a.status_history == b.status_history
        }
        (PageKind::Document(_), PageKind::Document(_))
        | (PageKind::Plain(_), PageKind::Plain(_)) => true,
        _ => false,
    }
}

fn diagnostics_of(items: Vec<Diagnostic>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(items);
    diagnostics.sorted()
}
