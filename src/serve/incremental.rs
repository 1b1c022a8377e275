//! One serve session's memory between rebuilds: parsed pages keyed by content path
//! and file stamp, the templates last loaded, and the rendered pages with the context
//! each was rendered from. A rebuild re-reads only changed files, rebuilds the site
//! model and alignment (cheap), and re-renders only pages whose context changed — or
//! every page when a template changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use super::ServedFiles;
use super::quick::FullBuild;
use super::state::Files;
use crate::cancel::{Cancel, Cancelled};
use crate::content::{self, source::FoundFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Page;
use crate::pipeline;
use crate::render::{RenderCache, RenderError, RenderOptions};

/// What identifies a file's content without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        })
    }
}

#[derive(Clone)]
struct ParsedFile {
    stamp: Stamp,
    text: Arc<str>,
    result: Result<Page, Vec<Diagnostic>>,
}

/// A finished rebuild: the whole site as files, and what it cost.
pub struct Rebuilt {
    /// Every file of the site by output path; the HTML pages' bytes are shared with the
    /// render cache.
    pub files: Files,
    /// The path the site is published under (`/` or `/overenskommelse/`), from
    /// `base_url`: the preview serves it there too, so absolute links (404 page) work.
    pub base_path: String,
    pub warnings: Diagnostics,
    /// The site it was built from, for the quick path to start from.
    pub model: FullBuild,
    pub stats: RebuildStats,
    /// Milliseconds per step, for benchmarks.
    pub steps: Vec<(&'static str, u128)>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RebuildStats {
    pub files_parsed: usize,
    pub pages_rendered: usize,
    pub pages_total: usize,
    pub templates_changed: bool,
    pub millis: u128,
}

pub struct Session {
    root: PathBuf,
    options: RenderOptions,
    parsed: HashMap<String, ParsedFile>,
    templates: Vec<(String, Arc<str>)>,
    render_cache: RenderCache,
}

/// Why a full rebuild did not finish.
#[derive(Debug)]
pub enum RebuildError {
    /// The content or templates have errors.
    Problems(Diagnostics),
    /// More saves arrived; the caller builds those instead.
    Cancelled,
}

impl From<Diagnostics> for RebuildError {
    fn from(diagnostics: Diagnostics) -> Self {
        RebuildError::Problems(diagnostics)
    }
}

impl From<Cancelled> for RebuildError {
    fn from(_: Cancelled) -> Self {
        RebuildError::Cancelled
    }
}

impl Session {
    pub fn new(root: &Path, options: RenderOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            parsed: HashMap::new(),
            templates: Vec::new(),
            render_cache: RenderCache::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds the site. `touched` are the files the watcher reported: they are read
    /// again even when their stamp looks unchanged (two saves within one clock tick
    /// may keep size and time), as is every file below a touched folder. Every other file is re-read only when its stamp moved.
    ///
    /// `cancel` is asked between files and pages, and inside the long loops of
    /// checking and aligning (through [`crate::cancel::requested`]): once it says more
    /// saves are waiting, the rebuild stops and returns [`RebuildError::Cancelled`],
    /// and nothing it did half is kept. For the parallel parts to see it, run this
    /// through [`Cancel::run_in`].
    pub fn rebuild(
        &mut self,
        touched: &HashSet<PathBuf>,
        cancel: &Cancel,
    ) -> Result<Rebuilt, RebuildError> {
        cancel.scope(|| self.rebuild_within(touched, cancel))
    }

    fn rebuild_within(
        &mut self,
        touched: &HashSet<PathBuf>,
        cancel: &Cancel,
    ) -> Result<Rebuilt, RebuildError> {
        let started = Instant::now();
        let fresh: Mutex<Vec<(String, ParsedFile)>> = Mutex::new(Vec::new());
        let previous = &self.parsed;
        let parse = |file: &FoundFile| -> Result<Page, Vec<Diagnostic>> {
            // A newer save stops the load too: the rest of the files are passed over,
            // each as a file not loaded with nothing to say about it. No one reads this
            // load's problems: the rebuild returns `Cancelled` right after it.
            if cancel.is_requested() {
                return Err(Vec::new());
            }
            let cached = previous.get(&file.relative);
            let stamp = Stamp::of(&file.absolute);
            // A folder among the touched paths (`content/`, replaced whole) touches
            // every file below it.
            let was_touched = file.absolute.ancestors().any(|path| touched.contains(path));
            if let (Some(cached), Some(stamp)) = (cached, stamp)
                && cached.stamp == stamp
                && !was_touched
            {
                return cached.result.clone();
            }
            let name = format!("content/{}", file.relative);
            let text = content::source::read_text(&file.absolute, &name).map_err(|d| vec![d])?;
            let result = match cached {
                Some(cached) if cached.text == text.text => cached.result.clone(),
                _ => content::parse_page(text.clone(), &file.relative),
            };
            if let Some(stamp) = stamp
                && let Ok(mut fresh) = fresh.lock()
            {
                fresh.push((
                    file.relative.clone(),
                    ParsedFile {
                        stamp,
                        text: text.text.clone(),
                        result: result.clone(),
                    },
                ));
            }
            result
        };
        let loaded = content::load_all_with(&self.root, &parse);
        let mut steps = vec![("load content", started.elapsed().as_millis())];
        let lap = Instant::now();
        // Before anything is kept: a cancelled load may have parsed files halfway.
        cancel.check()?;
        let fresh = fresh.into_inner().unwrap_or_default();
        let files_parsed = fresh.len();
        for (relative, file) in fresh {
            self.parsed.insert(relative, file);
        }
        // Forget files that are gone (and those that failed), so a file restored later
        // is read again.
        if let Some(site) = &loaded.site {
            self.parsed
                .retain(|relative, _| site.index_by_path(relative).is_some());
        }
        let prepared = pipeline::prepare(&self.root, loaded);
        // Before its problems count: a cancelled alignment stops halfway, and a check
        // stopped halfway may report problems the whole text does not have.
        cancel.check()?;
        let prepared = prepared?;
        steps.push(("load theme and align", lap.elapsed().as_millis()));
        let templates: Vec<(String, Arc<str>)> = prepared
            .theme
            .sources
            .iter()
            .map(|(name, source)| (name.clone(), source.text.clone()))
            .collect();
        let templates_changed = templates != self.templates;
        if templates_changed {
            self.render_cache.clear();
        }
        let files = ServedFiles::default();
        let rendered = pipeline::render(
            &prepared,
            &self.options,
            &files,
            Some(&mut self.render_cache),
        );
        // Whatever came out, once any loop gave way part of it may be missing.
        cancel.check()?;
        let pipeline::Prepared {
            site,
            alignment,
            theme,
            mut diagnostics,
        } = prepared;
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(RenderError::Cancelled) => return Err(RebuildError::Cancelled),
            Err(RenderError::Problems(problems)) => {
                diagnostics.extend(problems);
                return Err(RebuildError::Problems(diagnostics.sorted()));
            }
            // Memory takes every file.
            Err(RenderError::Output(err)) => {
                diagnostics.push(Diagnostic::error("public", err.to_string()));
                return Err(RebuildError::Problems(diagnostics.sorted()));
            }
        };
        self.templates = templates;
        steps.extend(rendered.timings);
        let base_path = site.config.base_path();
        Ok(Rebuilt {
            files: files.into_files(),
            base_path,
            warnings: diagnostics.sorted(),
            model: FullBuild {
                site,
                alignment,
                theme,
            },
            stats: RebuildStats {
                files_parsed,
                pages_rendered: rendered.rendered,
                pages_total: rendered.pages,
                templates_changed,
                millis: started.elapsed().as_millis(),
            },
            steps,
        })
    }
}
