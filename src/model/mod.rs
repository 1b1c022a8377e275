//! The site as one value: every content file parsed, grouped into works and versions.
//! Each later stage takes a `&Site` and returns what it computed.
//!
//! The bottom floor: data types, and small accessors that derive answers from them
//! (which version applies: [`status`]). Only `content` makes a model (the fuzz harness
//! too, from fixed texts): it reads the files, parses them into these types (whose serde
//! attributes name the files' fields; a date reads its own ISO form) and reports
//! problems, none of which happens here.
//! The one exception is [`source::PageSource`], which reads a page's text again when a
//! later stage needs it, and checks that it is the text that was loaded. The model uses
//! nothing of avtal but the leaves `diagnostics` and `site_files`.

pub mod adoptions;
pub mod body;
pub mod config;
pub mod meta;
pub mod source;
pub mod source_texts;
pub mod status;

use std::collections::HashMap;

use adoptions::Adoptions;
use body::Body;
use config::SiteConfig;
use meta::{DocumentMeta, IsoDate, PlainMeta, VersionMeta};
use source::PageSource;
use source_texts::SourceTextFile;

#[derive(Debug, Clone)]
pub enum PageKind {
    Version(VersionMeta),
    Document(DocumentMeta),
    Plain(PlainMeta),
}

#[derive(Debug, Clone)]
pub struct Page {
    /// The file's text; for a page read from a file, read again when needed.
    pub source: PageSource,
    /// Relative to content/: `overenskommelse/2009.md`.
    pub path: String,
    /// Output path of the page's folder, relative to the site root, ending in `/`:
    /// `overenskommelse/2009/`.
    pub url: String,
    pub kind: PageKind,
    pub body: Body,
}

impl Page {
    pub fn title(&self) -> &str {
        match &self.kind {
            PageKind::Version(m) => &m.title,
            PageKind::Document(m) => &m.title,
            PageKind::Plain(m) => &m.title,
        }
    }

    pub fn date(&self) -> Option<IsoDate> {
        match &self.kind {
            PageKind::Version(m) => Some(m.date),
            PageKind::Document(m) => Some(m.date),
            PageKind::Plain(m) => m.date,
        }
    }

    pub fn version(&self) -> Option<&VersionMeta> {
        match &self.kind {
            PageKind::Version(m) => Some(m),
            _ => None,
        }
    }

    pub fn document(&self) -> Option<&DocumentMeta> {
        match &self.kind {
            PageKind::Document(m) => Some(m),
            _ => None,
        }
    }
}

/// One agreement and its versions, oldest first.
#[derive(Debug, Clone)]
pub struct Work {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub description: Option<String>,
    /// Indexes into `Site::pages`, sorted by date then id.
    pub versions: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub works: Vec<Work>,
    pub adoptions: Option<Adoptions>,
    /// The original texts published beside the pages (`content/kallor/`).
    pub source_texts: Vec<SourceTextFile>,
    by_path: HashMap<String, usize>,
    /// Index into `works` by id: pages, comparisons and histories each look up their
    /// work, and a search through 2,000 works for each of them grew with the square of
    /// the site.
    by_work: HashMap<String, usize>,
}

impl Site {
    pub fn new(
        config: SiteConfig,
        pages: Vec<Page>,
        works: Vec<Work>,
        adoptions: Option<Adoptions>,
    ) -> Site {
        let by_path = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.clone(), i))
            .collect();
        let mut by_work = HashMap::with_capacity(works.len());
        for (i, work) in works.iter().enumerate() {
            // The first of two works with one id, as a search would find (check refuses
            // the second).
            by_work.entry(work.id.clone()).or_insert(i);
        }
        Site {
            config,
            pages,
            works,
            adoptions,
            source_texts: Vec::new(),
            by_path,
            by_work,
        }
    }

    /// Puts `page` in place of the page at `index`, which must have the same path
    /// (`serve`, after one file was saved).
    pub fn replace_page(&mut self, index: usize, page: Page) {
        debug_assert_eq!(self.pages[index].path, page.path);
        self.pages[index] = page;
    }

    pub fn page_by_path(&self, path: &str) -> Option<&Page> {
        self.by_path.get(path).map(|&i| &self.pages[i])
    }

    pub fn index_by_path(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    pub fn work(&self, id: &str) -> Option<&Work> {
        self.works.get(self.work_position(id)?)
    }

    /// Where work `id` is in `works` (which nothing changes after [`Site::new`]).
    pub fn work_position(&self, id: &str) -> Option<usize> {
        self.by_work.get(id).copied()
    }

    /// The version page of `work` with version id `version`.
    pub fn version(&self, work: &str, version: &str) -> Option<&Page> {
        self.work(work)?
            .versions
            .iter()
            .map(|&i| &self.pages[i])
            .find(|p| p.version().is_some_and(|v| v.version == version))
    }

    /// The version of `work` that applies by the sources: the latest one a source says
    /// was adopted (or applies from a date) and no source says ended. `None` when the
    /// sources say that of no version. See [`Site::standing`] for what else is known.
    pub fn in_force(&self, work: &Work) -> Option<&Page> {
        self.standing(work).in_force
    }

    /// What the sources say about `work`'s versions: the one that applies and the later
    /// ones whose adoption no source states ([`status`]).
    pub fn standing(&self, work: &Work) -> status::Standing<'_> {
        status::standing(self, work)
    }

    pub fn documents(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.document().is_some())
    }
}
