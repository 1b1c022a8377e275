//! `serve`'s quick answer to a save, on its own thread so that it never waits for a
//! full rebuild: when only existing Markdown files changed and none of them moved, their
//! pages are parsed and rendered at once (for a version also the other pages of its
//! work, with the work aligned again: [`render::plan_made_from`]). Pages that merely mention
//! them wait for the full rebuild that follows.
//!
//! The quick path keeps its own copy of the site as the last full rebuild left it, with
//! the site-wide lookups (backlinks, documents per version) kept up to date page by page,
//! so a save costs the saved page's work, not the site's. Its invariant: after the saves
//! it applied, that copy renders every page byte for byte as a full build of the saved
//! files does. `tests/testsuite/serve_quick/property.rs` checks it on random edits, and checks
//! that every page an edit of a page's text changes is among those it renders.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::ServedFiles;
use super::state::Files;
use crate::cancel::{self, Cancel, Cancelled};
use crate::compare::Alignment;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, PageKind, Site};
use crate::render::engine::SharedContext;
use crate::render::pages::Lookups;
use crate::render::theme::Theme;
use crate::render::{self, Engine, RenderError, RenderOptions};

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
    /// Output path → the page's bytes.
    pub pages: Files,
    pub millis: u128,
}

/// Why the quick path rendered nothing for a save.
#[derive(Debug)]
pub enum Unanswered {
    /// Not the quick path's to answer: a file that is no existing page's Markdown (new,
    /// removed, renamed, or no page at all), or a page that moved (another date, version
    /// or status), or no full build yet. The full rebuild answers it alone.
    LeftToFullRebuild,
    /// A saved file cannot be read or parsed, its work cannot be aligned, or a template
    /// fails; the full rebuild reports these.
    Problems(Diagnostics),
    /// A newer save is waiting: this answer gave way to it.
    Cancelled,
}

impl From<Cancelled> for Unanswered {
    fn from(_: Cancelled) -> Self {
        Unanswered::Cancelled
    }
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
    /// The common context of the pages, made when a full rebuild is taken and kept
    /// from one answer to the next: it is made of the site's configuration, works and
    /// versions only, and a saved version makes its work's part again.
    shared: Option<SharedContext>,
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
            shared: None,
        });
        self.applied
            .retain(|(save, _)| *save > handover.saves_built);
        let paths: HashSet<PathBuf> = self.applied.iter().map(|(_, p)| p.clone()).collect();
        // A file that no longer fits (moved, broken) waits for the full rebuild.
        if let Ok(replacements) = Cancel::never().scope(|| self.parse(&paths)) {
            self.apply(replacements);
        }
        // Made now, between saves, so that the next answer does not wait for it; if
        // it fails, the next answer says why.
        if let Some(current) = self.current.as_mut() {
            let FullBuild {
                site,
                alignment,
                theme,
            } = &current.model;
            current.shared = Engine::new(site, alignment, theme, &self.options)
                .common_context()
                .ok();
        }
    }

    /// The pages made from `touched` ([`render::plan_made_from`]), rendered from their new
    /// text; `save` numbers this batch of saves. Gives way once `cancel` says a newer
    /// save is waiting; run it through [`Cancel::run_in`] for the parallel parts to
    /// give way too.
    pub fn answer(
        &mut self,
        touched: &HashSet<PathBuf>,
        save: u64,
        cancel: &Cancel,
    ) -> Result<QuickUpdate, Unanswered> {
        cancel.scope(|| self.answer_within(touched, save))
    }

    fn answer_within(
        &mut self,
        touched: &HashSet<PathBuf>,
        save: u64,
    ) -> Result<QuickUpdate, Unanswered> {
        let started = Instant::now();
        let replacements = self.parse(touched)?;
        cancel::check()?;
        let indexes: Vec<usize> = replacements.iter().map(|r| r.index).collect();
        let problems = self.apply(replacements);
        for path in touched {
            self.applied.retain(|(_, applied)| applied != path);
            self.applied.push((save, path.clone()));
        }
        if cancel::check().is_err() {
            // The alignment may have stopped halfway: the quick path waits for the
            // next full rebuild, and applies these files to it again.
            self.current = None;
            return Err(Unanswered::Cancelled);
        }
        if problems.has_errors() {
            return Err(Unanswered::Problems(problems));
        }
        let current = self.current.as_mut().ok_or(Unanswered::LeftToFullRebuild)?;
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
        let pages = ServedFiles::default();
        let engine = Engine::new(site, alignment, theme, &self.options);
        let shared = match current.shared.take() {
            Some(shared) => shared,
            None => engine.common_context().map_err(unanswered)?,
        };
        let rendered = engine.render_pages_sharing(&jobs, &pages, &shared);
        current.shared = Some(shared);
        rendered.map_err(unanswered)?;
        Ok(QuickUpdate {
            pages: pages.into_files(),
            millis: started.elapsed().as_millis(),
        })
    }

    /// The site, alignment and lookups the quick path renders from: the last full
    /// rebuild's with the saves since applied (for tests of its invariant).
    pub fn current(&self) -> Option<(&FullBuild, &Lookups)> {
        self.current
            .as_ref()
            .map(|current| (&current.model, &current.lookups))
    }

    /// Reads and parses `touched`, each of which must be an existing page's Markdown
    /// file whose page stays where it was.
    fn parse(&self, touched: &HashSet<PathBuf>) -> Result<Vec<Replacement>, Unanswered> {
        let current = self.current.as_ref().ok_or(Unanswered::LeftToFullRebuild)?;
        let site = &current.model.site;
        let content = self.root.join("content");
        let mut replacements = Vec::new();
        for path in touched {
            cancel::check()?;
            let index = page_of(site, &content, path).ok_or(Unanswered::LeftToFullRebuild)?;
            let relative = &site.pages[index].path;
            let name = format!("content/{relative}");
            let text = content::source::read_text(path, &name)
                .map_err(|problem| Unanswered::Problems(diagnostics_of(vec![problem])))?;
            let page = content::parse_page(text, relative)
                .map_err(|problems| Unanswered::Problems(diagnostics_of(problems)))?;
            if !same_place(&site.pages[index], &page) {
                return Err(Unanswered::LeftToFullRebuild);
            }
            replacements.push(Replacement { index, page });
        }
        Ok(replacements)
    }

    /// Puts the pages in place, aligns their works again and updates the lookups.
    /// Returns the alignment's problems.
    fn apply(&mut self, replacements: Vec<Replacement>) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let Some(current) = self.current.as_mut() else {
            return problems;
        };
        let Current {
            model,
            lookups,
            shared,
        } = current;
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
        // A saved document or page leaves the alignment and the common context as
        // they were.
        if works.is_empty() {
            return problems;
        }
        for id in works {
            if let Some(work) = model.site.work(&id).cloned() {
                let before = model.alignment.spans_of(&id);
                problems.extend(model.alignment.realign_work(&model.site, &work).items);
                lookups.work_realigned(&model.alignment, &id, &before);
            }
            // Made again whole by the next answer if this fails (and says why there).
            if let Some(context) = shared.as_mut()
                && context.work_changed(&model.site, &id).is_err()
            {
                *shared = None;
            }
        }
        problems
    }
}

/// The page whose Markdown file is at `path`, when it is one.
fn page_of(site: &Site, content: &Path, path: &Path) -> Option<usize> {
    let relative = path
        .strip_prefix(content)
        .ok()?
        .to_str()?
        .replace('\\', "/");
    if !relative.ends_with(".md") || !path.is_file() {
        return None;
    }
    site.index_by_path(&relative)
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

fn unanswered(err: RenderError) -> Unanswered {
    match err {
        RenderError::Cancelled => Unanswered::Cancelled,
        RenderError::Problems(problems) => Unanswered::Problems(diagnostics_of(problems)),
        // Memory takes every file.
        RenderError::Output(err) => Unanswered::Problems(diagnostics_of(vec![Diagnostic::error(
            "public",
            err.to_string(),
        )])),
    }
}

fn diagnostics_of(items: Vec<Diagnostic>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(items);
    diagnostics.sorted()
}
