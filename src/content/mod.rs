//! Loading stage: content/ on disk → a `Site` model, with every problem collected.

pub mod adoptions;
pub mod body;
pub mod config;
pub mod consistency;
pub mod front_matter;
pub mod links;
pub mod new_version;
pub mod ordlista;
pub mod page_ids;
pub mod source;
pub mod source_texts;
pub mod status;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceText};
use crate::model::adoptions::Adoptions;
use crate::model::body::Body;
use crate::model::config::{SiteConfig, WorkConfig};
use crate::model::meta::{DocumentMeta, PlainMeta, VersionMeta};
use crate::model::source::PageSource;
use crate::model::{Page, PageKind, Site, Work};
use crate::site_files::{self, FileKind};

pub const CONFIG_FILE: &str = "site.yaml";
pub const ADOPTIONS_FILE: &str = "antaganden.yaml";

/// Reads `ROOT/content` into a site. Returns the site when no error was found, and all
/// diagnostics (warnings too) in either case.
pub fn load(root: &Path) -> (Option<Site>, Diagnostics) {
    let loaded = load_all(root);
    let site = loaded.site.filter(|_| !loaded.diagnostics.has_errors());
    (site, loaded.diagnostics)
}

/// What `load_all` found: the site as far as it could be read, and every problem.
pub struct Loaded {
    /// The site made of every file that loaded; `None` only when there is no content
    /// folder or no usable site.yaml. It may be partial: check `diagnostics`.
    pub site: Option<Site>,
    /// Whether every content file loaded, so that checks across files (lineage) see
    /// all of them and report no false alarms.
    pub every_file_loaded: bool,
    pub diagnostics: Diagnostics,
}

/// Reads `ROOT/content` as far as it can, so that `check` reports the problems of all
/// files at once: links are checked even when other files have errors.
pub fn load_all(root: &Path) -> Loaded {
    load_all_with(root, &read_and_parse)
}

/// Reads and parses one content file from disk. The page does not keep the text: it
/// reads the file again when a later stage needs it (`PageSource`). Nor does a page
/// other than a version keep its stycke texts ([`body_with_texts`]): only
/// versions are compared and published as text.
pub fn read_and_parse(file: &source::FoundFile) -> Result<Page, Vec<Diagnostic>> {
    let text = file.read().map_err(|d| vec![d])?;
    let mut page = parse_source(text, &file.relative, Some(file.root.clone()))?;
    page.source.release();
    if page.version().is_none() {
        page.body.release_texts();
    }
    Ok(page)
}

/// The page's body with its stycke texts: its own, or, when it let go of them, its file
/// read and split again (the same text gives the same clauses and ids).
pub fn body_with_texts(page: &Page) -> Result<std::borrow::Cow<'_, Body>, Diagnostic> {
    if !page.body.texts_released() {
        return Ok(std::borrow::Cow::Borrowed(&page.body));
    }
    let source = page.source.source_text()?;
    let split = front_matter::split(&source)?;
    let (body, _) = body::split(&source, split.body, split.body_offset);
    Ok(std::borrow::Cow::Owned(body))
}

/// `load_all`, with the reading and parsing of each Markdown file left to `parse_file`:
/// `serve` passes one that reuses pages parsed before when their file is unchanged.
pub fn load_all_with(
    root: &Path,
    parse_file: &(dyn Fn(&source::FoundFile) -> Result<Page, Vec<Diagnostic>> + Sync),
) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let no_site = |diagnostics| Loaded {
        site: None,
        every_file_loaded: false,
        diagnostics,
    };
    match site_files::site_folder(root, "content", FileKind::Content) {
        Ok(true) => {}
        Ok(false) => {
            diagnostics.push(
                Diagnostic::error(
                    source::display_path(&root.join("content")),
                    "there is no content folder here",
                )
                .with_help("run avtal in the site's folder, or pass --root DIR"),
            );
            return no_site(diagnostics);
        }
        Err(problem) => {
            // content/ is a link (or no folder): nothing in it is read.
            diagnostics.push(problem);
            return no_site(diagnostics);
        }
    }
    let config = match read_config(root) {
        Ok(config) => {
            if config.base_url.is_none() {
                diagnostics.push(
                    Diagnostic::warning(
                        format!("content/{CONFIG_FILE}"),
                        "the site has no base_url: its pages get no canonical address, and no sitemap.xml or Atom feed is written; the 404 page takes the site to be at the root of its server",
                    )
                    .with_help("once the address the site is published at is known, add it: base_url: \"https://…/\" (links between pages are relative and work without it)"),
                );
            }
            if config.contact.is_none() {
                diagnostics.push(
                    Diagnostic::warning(
                        format!("content/{CONFIG_FILE}"),
                        "the site has no contact: the footer and the accessibility statement cannot say how to reach the publisher",
                    )
                    .with_help("add e.g. contact: \"webb@kommun.se\" (a functional mailbox, not a person's) or the address of a contact form; the law (2018:1937) requires one"),
                );
            }
            Some(config)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let adoptions = read_adoptions(root, &mut diagnostics);

    let (files, problems) = source::find_markdown(root);
    // A link passed over is a warning: every file there is to read was still read.
    let mut every_file_loaded = !problems.iter().any(Diagnostic::is_error);
    diagnostics.extend(problems);
    let results: Vec<Result<Page, Vec<Diagnostic>>> = files.par_iter().map(parse_file).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut unloaded = std::collections::HashSet::new();
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(page) => pages.push(page),
            Err(problems) => {
                every_file_loaded = false;
                unloaded.insert(file.relative.clone());
                diagnostics.extend(problems);
            }
        }
    }
    let Some(config) = config else {
        return no_site(diagnostics);
    };
    let works = group_works(&config.works, &pages, &mut diagnostics);
    check_unique_urls(&pages, &mut diagnostics);
    let mut site = Site::new(config, pages, works, adoptions);
    let (texts, problems) = source_texts::read_all(root);
    diagnostics.extend(problems);
    diagnostics.extend(source_texts::check(&site.pages, &texts));
    site.source_texts = texts;
    diagnostics.extend(links::check(&site, &unloaded));
    diagnostics.extend(consistency::check(&site, &unloaded, every_file_loaded));
    if every_file_loaded {
        // Unused words are only known when every file could be read.
        diagnostics.extend(ordlista::check(root, &site.pages));
    }
    Loaded {
        site: Some(site),
        every_file_loaded,
        diagnostics,
    }
}

/// Reads content/site.yaml as every site file is read ([`site_files::read_site_text`]): a
/// link or a FIFO in its place is refused by what it is, not reported as missing.
fn read_config(root: &Path) -> Result<SiteConfig, Diagnostic> {
    let name = format!("content/{CONFIG_FILE}");
    let kind = FileKind::Configuration;
    if site_files::site_entry(root, &name, kind)?.is_none() {
        return Err(
            Diagnostic::error(&name, "the site configuration is missing")
                .with_help("create content/site.yaml with title and works (see README)"),
        );
    }
    let text = site_files::read_site_text(root, &name, kind)?;
    config::parse(&text)
}

/// Reads content/antaganden.yaml when there is one (anything in its place is read, and
/// refused if it is not a plain file).
fn read_adoptions(root: &Path, diagnostics: &mut Diagnostics) -> Option<Adoptions> {
    let name = format!("content/{ADOPTIONS_FILE}");
    let kind = FileKind::Configuration;
    let read = match site_files::site_entry(root, &name, kind) {
        Ok(None) => return None,
        Ok(Some(_)) => site_files::read_site_text(root, &name, kind),
        Err(problem) => Err(problem),
    };
    match read.and_then(|text| adoptions::parse(&text)) {
        Ok(adoptions) => Some(adoptions),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// Parses one content file from its text. `relative` is its path under content/. The
/// page holds the text.
pub fn parse_page(source: SourceText, relative: &str) -> Result<Page, Vec<Diagnostic>> {
    parse_source(source, relative, None)
}

/// [`parse_page`] of a text read from its file below the site folder `root`.
fn parse_source(
    source: SourceText,
    relative: &str,
    root: Option<std::sync::Arc<Path>>,
) -> Result<Page, Vec<Diagnostic>> {
    let split = front_matter::split(&source).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let kind = match quick_kind(&source, &split) {
        Some(kind) => kind,
        None => read_kind(&source, &split)?,
    };
    let url = match &kind {
        PageKind::Version(meta) => {
            for (field, value) in [("work", &meta.work), ("version", &meta.version)] {
                if !is_url_segment(value) {
                    problems.push(
                        front_matter::field_error(
                            &source,
                            &split,
                            field,
                            format!("`{value}` cannot be used in an address"),
                        )
                        .with_help("use lowercase letters, digits and -, e.g. version: \"2013\""),
                    );
                }
            }
            crate::routes::version(&meta.work, &meta.version)
        }
        _ => match path_url(relative) {
            Some(url) => url,
            None => {
                problems.push(Diagnostic::error(&source.name, format!("the file name `{relative}` cannot be used in an address"))
                    .with_help("rename the file with lowercase letters, digits and - only, e.g. ekero-beslut-2013.md"));
                String::new()
            }
        },
    };
    let (body, body_problems) = body::split(&source, split.body, split.body_offset);
    problems.extend(body_problems);
    problems.extend(page_ids::check(&source, &body, &kind));
    if problems.is_empty() {
        Ok(Page {
            source: PageSource::new(source, root),
            path: relative.to_string(),
            url,
            kind,
            body,
        })
    } else {
        Err(problems)
    }
}

/// The front matter read in one pass, when its `kind:` line says which kind it is and
/// the YAML reads as that kind without a problem; `None` otherwise, and `read_kind`
/// then reads `kind` first and reports any problem as always.
fn quick_kind(source: &SourceText, split: &front_matter::Split<'_>) -> Option<PageKind> {
    match front_matter::kind_hint(split)? {
        "version" => front_matter::try_parse::<VersionMeta>(source, split)
            .filter(|meta| meta.kind == "version")
            .map(PageKind::Version),
        "document" => front_matter::try_parse::<DocumentMeta>(source, split)
            .filter(|meta| meta.kind == "document")
            .map(PageKind::Document),
        "page" => front_matter::try_parse::<PlainMeta>(source, split)
            .filter(|meta| meta.kind == "page")
            .map(PageKind::Plain),
        _ => None,
    }
}

/// Reads `kind` from the front matter, then the fields of that kind.
fn read_kind(
    source: &SourceText,
    split: &front_matter::Split<'_>,
) -> Result<PageKind, Vec<Diagnostic>> {
    let kind: KindOnly = front_matter::parse(source, split).map_err(|d| vec![d])?;
    Ok(match kind.kind.as_deref() {
        Some("version") => PageKind::Version(
            front_matter::parse::<VersionMeta>(source, split).map_err(|d| vec![d])?,
        ),
        Some("document") => PageKind::Document(
            front_matter::parse::<DocumentMeta>(source, split).map_err(|d| vec![d])?,
        ),
        Some("page") => {
            PageKind::Plain(front_matter::parse::<PlainMeta>(source, split).map_err(|d| vec![d])?)
        }
        Some(other) => {
            return Err(vec![front_matter::field_error(source, split, "kind", format!("unknown kind `{other}`"))
                .with_help("kind is `version` (a version of an agreement), `document` (a related document) or `page`")]);
        }
        None => {
            return Err(vec![
                Diagnostic::error(&source.name, "front matter: missing field `kind`")
                    .at_line(source, 2, 1)
                    .with_help("add `kind: version`, `kind: document` or `kind: page`"),
            ]);
        }
    })
}

/// Only the `kind` field, read first to choose which struct the rest goes into.
#[derive(Debug, serde::Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

/// `dokument/ekero-beslut-2013.md` → `dokument/ekero-beslut-2013/`.
fn path_url(relative: &str) -> Option<String> {
    let stem = relative.strip_suffix(".md")?;
    let segments: Vec<&str> = stem.split('/').collect();
    if segments.iter().all(|s| is_url_segment(s)) {
        Some(crate::routes::content_page(stem))
    } else {
        None
    }
}

/// Safe as one folder name in the output and one segment of an address.
pub fn is_url_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !s.starts_with(['-', '_'])
}

fn group_works(configs: &[WorkConfig], pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<Work> {
    let mut works: Vec<Work> = configs
        .iter()
        .map(|c| Work {
            id: c.id.clone(),
            title: c.title.clone(),
            short_title: c.short_title.clone(),
            description: c.description.clone(),
            versions: Vec::new(),
        })
        .collect();
    for (index, page) in pages.iter().enumerate() {
        let Some(meta) = page.version() else { continue };
        match works.iter_mut().find(|w| w.id == meta.work) {
            Some(work) => work.versions.push(index),
            None => {
                let known: Vec<&str> = configs.iter().map(|c| c.id.as_str()).collect();
                let problem =
                    Diagnostic::error(&page.source.name, format!("unknown work `{}`", meta.work))
                        .with_help(format!(
                            "works are declared in content/site.yaml; known: {}",
                            known.join(", ")
                        ));
                diagnostics.push(at_field(page, problem, "work"));
            }
        }
    }
    for work in &mut works {
        work.versions.sort_by(|&a, &b| {
            let (va, vb) = (pages[a].version(), pages[b].version());
            let key = |v: Option<&VersionMeta>| v.map(|m| (m.date, m.version.clone()));
            key(va).cmp(&key(vb))
        });
        for pair in work.versions.windows(2) {
            let (first, second) = (&pages[pair[0]], &pages[pair[1]]);
            if first.version().map(|v| &v.version) == second.version().map(|v| &v.version) {
                let id = second.version().map_or("", |v| v.version.as_str());
                diagnostics.push(
                    Diagnostic::error(
                        &second.source.name,
                        format!(
                            "version `{id}` of work `{}` is also defined in {}",
                            work.id, first.source.name
                        ),
                    )
                    .with_help("each version of a work needs its own id"),
                );
            }
        }
        diagnostics.extend(ambiguous_version_ids(work, pages));
    }
    works
}

/// A comparison's address joins two version ids with `-` (`jamfor/2009-2013/`), and a
/// clause history's joins a version id and a clause id (`historik/2009-P1/`). Both name
/// one pair only when no version id of the work begins with another's id and `-`:
/// versions `a`, `a-b`, `b-c` and `c` would give `a → b-c` and `a-b → c` the one address
/// `a-b-c`. Each id is looked up by each of its prefixes: linear in the ids' length.
fn ambiguous_version_ids(work: &Work, pages: &[Page]) -> Vec<Diagnostic> {
    let ids: std::collections::HashMap<&str, &Page> = work
        .versions
        .iter()
        .filter_map(|&i| Some((pages[i].version()?.version.as_str(), &pages[i])))
        .collect();
    let mut problems = Vec::new();
    for &index in &work.versions {
        let page = &pages[index];
        let Some(id) = page.version().map(|v| v.version.as_str()) else {
            continue;
        };
        let Some((prefix, other)) = id
            .match_indices('-')
            .find_map(|(dash, _)| Some((&id[..dash], *ids.get(&id[..dash])?)))
        else {
            continue;
        };
        let problem = Diagnostic::error(
            &page.source.name,
            format!(
                "version id `{id}` begins with `{prefix}-`, and `{prefix}` is another version of work `{}` ({}): comparison addresses (`jamfor/FROM-TO/`) would be ambiguous",
                work.id, other.source.name
            ),
        )
        .with_help(format!(
            "choose an id that does not begin with another version's id and `-`, e.g. `{prefix}{}`",
            &id[prefix.len() + 1..]
        ));
        problems.push(at_field(page, problem, "version"));
    }
    problems
}

/// `problem` placed on the line of front matter field `field` of `page`.
pub(crate) fn at_field(page: &Page, problem: Diagnostic, field: &str) -> Diagnostic {
    page.source.place(problem, |problem, source| {
        let line = front_matter::split(source)
            .map_or(1, |split| front_matter::field_line(source, &split, field));
        problem.at_line(source, line, 1)
    })
}

fn check_unique_urls(pages: &[Page], diagnostics: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for page in pages {
        if page.version().is_some() {
            continue; // reported as duplicate versions above
        }
        if let Some(other) = seen.insert(page.url.as_str(), page.source.name.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &page.source.name,
                    format!(
                        "this page would have the same address `{}` as {other}",
                        page.url
                    ),
                )
                .with_help("rename one of the files"),
            );
        }
    }
}
