//! Every file the build writes has exactly one owner: a content file's page, or a page
//! or file avtal makes itself. The whole plan is checked once, before anything renders,
//! so that a content page never silently takes the place of a generated one (or the
//! other way round) in `build`, `check` and `serve` alike.
//!
//! Besides the files of this build, some folders are kept for what avtal makes there as
//! the site grows without the author doing anything (more search index files, a
//! timeline split into years, comparisons of a new version, the theme's files): no
//! page an author names may sit in them, even where nothing is written there today.

use std::collections::{HashMap, HashSet};

use crate::compare::{Alignment, Comparison, Lineage};
use crate::content::front_matter;
use crate::diagnostics::Diagnostic;
use crate::model::{Site, Work};
use crate::routes::{self, Kept, Route};

use super::PageJob;
use super::theme::Theme;

/// Who makes a file of the built site.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// The page of content file `site.pages[i]` (a version, a document or a page).
    Page(usize),
    StartPage,
    Timeline,
    TimelineYear(u16),
    NotFound,
    Search,
    Adoption,
    Work(&'a Work),
    History(&'a Lineage),
    Comparison(&'a Comparison),
    /// The published JSON of version page `site.pages[i]`.
    VersionJson(usize),
    ComparisonJson(&'a Comparison),
    /// The Akoma Ntoso file of version or document page `site.pages[i]`.
    AkomaNtoso(usize),
    /// A published JSON Schema, by its output path.
    Schema(&'static str),
    Sitemap,
    Feed,
    Robots,
    /// A file of the theme's `static/` folder, by its output path.
    ThemeFile(&'a str),
    /// A source text of `content/kallor/`, by its name there.
    SourceText(&'a str),
    /// A folder kept for what avtal makes there (see the module's comment).
    Kept(Kept<'a>),
}

impl<'a> Owner<'a> {
    /// The page this owner makes, `None` for a file that is no page: what `serve`'s
    /// quick path asks which pages a saved file makes ([`Route::made_from`]).
    pub fn route(self) -> Option<Route<'a>> {
        match self {
            Owner::Page(page) => Some(Route::Content(page)),
            Owner::StartPage => Some(Route::Start),
            Owner::Timeline => Some(Route::Timeline),
            Owner::TimelineYear(year) => Some(Route::TimelineYear(year)),
            Owner::NotFound => Some(Route::NotFound),
            Owner::Search => Some(Route::Search),
            Owner::Adoption => Some(Route::Adoptions),
            Owner::Work(work) => Some(Route::Work(&work.id)),
            Owner::History(lineage) => Some(Route::History {
                work: &lineage.work,
                key: &lineage.key,
            }),
            Owner::Comparison(c) => Some(Route::Comparison {
                work: &c.work,
                from: c.from_page,
                to: c.to_page,
            }),
            Owner::VersionJson(_)
            | Owner::ComparisonJson(_)
            | Owner::AkomaNtoso(_)
            | Owner::Schema(_)
            | Owner::Sitemap
            | Owner::Feed
            | Owner::Robots
            | Owner::ThemeFile(_)
            | Owner::SourceText(_)
            | Owner::Kept(_) => None,
        }
    }

    /// Whether the author names this file's address (a content file's path or version
    /// id, a work id): such a file may not sit in a folder avtal keeps.
    fn named_by_author(self) -> bool {
        matches!(self, Owner::Page(_) | Owner::Work(_))
    }

    /// Which owner a collision is reported at: the one the author can rename, the
    /// content file before site.yaml before the versions' derived files.
    fn blame_rank(self, site: &Site) -> u8 {
        match self {
            Owner::Page(i) if site.pages[i].version().is_none() => 0,
            Owner::Page(_) => 1,
            Owner::Work(_) => 2,
            Owner::VersionJson(_)
            | Owner::AkomaNtoso(_)
            | Owner::Comparison(_)
            | Owner::ComparisonJson(_)
            | Owner::History(_) => 3,
            _ => 4,
        }
    }

    /// The version a file made from versions is reported at: a comparison's older
    /// version (its id comes first in the address), a history's first version.
    fn version_page(self) -> Option<usize> {
        match self {
            Owner::VersionJson(page) => Some(page),
            Owner::Comparison(c) | Owner::ComparisonJson(c) => Some(c.from_page),
            Owner::History(lineage) => Some(lineage.members[0].0),
            _ => None,
        }
    }

    /// What the owner is, for a message: "the search page", "content/x.md".
    fn describe(self, site: &Site) -> String {
        let version = |page: usize| {
            site.pages[page]
                .version()
                .map_or(String::new(), |v| v.version.clone())
        };
        let comparison = |c: &Comparison| {
            format!(
                "the comparison {} → {} of work `{}`",
                version(c.from_page),
                version(c.to_page),
                c.work
            )
        };
        match self {
            Owner::Page(i) => {
                let page = &site.pages[i];
                match page.version() {
                    Some(v) => format!(
                        "version {} of work `{}` ({})",
                        v.version, v.work, page.source.name
                    ),
                    None => page.source.name.clone(),
                }
            }
            Owner::StartPage => "the start page".into(),
            Owner::Timeline => "the timeline".into(),
            Owner::TimelineYear(year) => format!("the timeline's page for {year}"),
            Owner::NotFound => "the page for missing addresses".into(),
            Owner::Search => "the search page".into(),
            Owner::Adoption => "the adoption page (from content/antaganden.yaml)".into(),
            Owner::Work(work) => format!("the page of work `{}`", work.id),
            Owner::History(lineage) => {
                let (page, clause) = &lineage.members[0];
                let label = site.pages[*page]
                    .body
                    .clause(clause)
                    .map_or_else(|| clause.clone(), |c| c.label());
                format!(
                    "the history of {label} (version {}) of work `{}`",
                    version(*page),
                    lineage.work
                )
            }
            Owner::Comparison(c) => comparison(c),
            Owner::VersionJson(i) => format!(
                "the JSON of version {} ({})",
                version(i),
                site.pages[i].source.name
            ),
            Owner::ComparisonJson(c) => format!("the JSON of {}", comparison(c)),
            Owner::AkomaNtoso(i) => {
                format!("the Akoma Ntoso file of {}", site.pages[i].source.name)
            }
            Owner::Schema(path) => format!("the JSON Schema `{path}`"),
            Owner::Sitemap => "the sitemap".into(),
            Owner::Feed => "the Atom feed".into(),
            Owner::Robots => "robots.txt".into(),
            Owner::ThemeFile(path) => format!("the theme's file `{path}`"),
            Owner::SourceText(name) => format!("the source text content/kallor/{name}"),
            Owner::Kept(Kept::Search) => "the search page and its index".into(),
            Owner::Kept(Kept::Timeline) => "the timeline and its pages per year".into(),
            Owner::Kept(Kept::Theme) => "the theme's static files".into(),
            Owner::Kept(Kept::Schemas) => "the JSON Schemas of the published data".into(),
            Owner::Kept(Kept::Comparisons(work)) => format!("the comparisons of work `{work}`"),
            Owner::Kept(Kept::Histories(work)) => {
                format!("the clause histories of work `{work}`")
            }
        }
    }

    /// A problem about this owner's address: at the content file that makes it (a
    /// version at its `version:` line, another page at line 1), or at site.yaml.
    fn problem(self, site: &Site, message: String) -> Diagnostic {
        let version_file = |page: usize, message: String, help: &str| {
            at_version_line(
                site,
                page,
                Diagnostic::error(&site.pages[page].source.name, message),
            )
            .with_help(help)
        };
        let ambiguous_versions =
            "choose version ids that do not begin with another version's id and `-`";
        if let Some(page) = self.version_page() {
            return version_file(page, message, ambiguous_versions);
        }
        match self {
            Owner::Page(i) | Owner::AkomaNtoso(i) if site.pages[i].version().is_some() => {
                version_file(
                    i,
                    message,
                    "choose another version id (`version:`), or rename the other file",
                )
            }
            Owner::Page(i) | Owner::AkomaNtoso(i) => {
                let page = &site.pages[i];
                page.source
                    .place(
                        Diagnostic::error(&page.source.name, message),
                        |d, source| d.at_line(source, 1, 1),
                    )
                    .with_help(
                        "rename or move the file: a page's address is its path under content/",
                    )
            }
            Owner::Work(_) => Diagnostic::error("content/site.yaml", message)
                .with_help("choose another id for the work in content/site.yaml"),
            // Two files avtal names itself never meet; should a change to avtal make them,
            // the build still stops rather than lose one, reported at the site's settings.
            _ => Diagnostic::error("content/site.yaml", message),
        }
    }
}

/// `problem` at the line of `version:` in version page `page`'s file.
fn at_version_line(site: &Site, page: usize, problem: Diagnostic) -> Diagnostic {
    site.pages[page].source.place(problem, |problem, source| {
        let line = front_matter::split(source).map_or(1, |split| {
            front_matter::field_line(source, &split, "version")
        });
        problem.at_line(source, line, 1)
    })
}

/// `overenskommelse/2013/index.html` → `overenskommelse/2013/`, as readers see it.
fn address(path: &str) -> &str {
    match path.strip_suffix("index.html") {
        Some("") => "/",
        Some(folder) if folder.ends_with('/') => folder,
        _ => path,
    }
}

/// Every file the build writes besides the pages (`jobs`), with its owner.
fn other_files<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    theme: &'a Theme,
) -> Vec<(String, Owner<'a>)> {
    let mut files = vec![(routes::ROBOTS.to_string(), Owner::Robots)];
    // Written only where base_url gives the absolute addresses they need (`feeds`).
    if site.config.base_url.is_some() {
        files.push((routes::SITEMAP.to_string(), Owner::Sitemap));
        files.push((routes::FEED.to_string(), Owner::Feed));
    }
    for work in &site.works {
        for &page in &work.versions {
            if let Some(v) = site.pages[page].version() {
                files.push((
                    routes::version_json(&work.id, &v.version),
                    Owner::VersionJson(page),
                ));
            }
        }
    }
    files.extend(alignment.comparisons.iter().filter_map(|c| {
        let work = site.work(&c.work)?;
        let version = |page: usize| site.pages[page].version().map(|v| v.version.as_str());
        let path = routes::comparison_json(&work.id, version(c.from_page)?, version(c.to_page)?);
        Some((path, Owner::ComparisonJson(c)))
    }));
    for (index, page) in site.pages.iter().enumerate() {
        let path = match (page.version(), page.document()) {
            (Some(v), _) => site
                .work(&v.work)
                .map(|work| routes::version_akn(&work.id, &v.version)),
            (None, Some(_)) => Some(routes::document_akn(&page.url)),
            _ => None,
        };
        files.extend(path.map(|path| (path, Owner::AkomaNtoso(index))));
    }
    files.extend(
        super::open_data::SCHEMAS
            .iter()
            .map(|(name, _)| (routes::schema(name), Owner::Schema(name))),
    );
    files.extend(site.source_texts.iter().map(|text| {
        (
            routes::source_text(&text.name),
            Owner::SourceText(&text.name),
        )
    }));
    files.extend(
        theme
            .static_files
            .iter()
            .map(|file| (file.path.clone(), Owner::ThemeFile(file.path.as_str()))),
    );
    files
}

/// The folders avtal keeps for itself (see the module's comment), each ending in `/`.
fn kept_folders(site: &Site) -> Vec<(String, Owner<'_>)> {
    routes::kept_folders(site.works.iter().map(|work| work.id.as_str()))
        .into_iter()
        .map(|(folder, kept)| (folder, Owner::Kept(kept)))
        .collect()
}

/// Every file of the plan with its owner: the pages (`jobs`) and the other files; the
/// search index's numbered files are not listed (their number depends on the index's
/// size) but lie in its kept folder.
fn claims<'a>(
    site: &'a Site,
    alignment: &'a Alignment,
    theme: &'a Theme,
    jobs: &[PageJob<'a>],
) -> Vec<(String, Owner<'a>)> {
    jobs.iter()
        .map(|job| (job.output_path(), job.owner))
        .chain(other_files(site, alignment, theme))
        .collect()
}

/// Checks that every file of the plan (`jobs` and the other files) has one owner, that
/// no file sits where another file would need a folder, and that no page an author
/// names sits in a folder avtal keeps. One pass over the files and the folders above
/// each, with hash maps: linear in the size of the plan.
pub fn check(
    site: &Site,
    alignment: &Alignment,
    theme: &Theme,
    jobs: &[PageJob<'_>],
) -> Result<(), Vec<Diagnostic>> {
    let claims = claims(site, alignment, theme, jobs);
    let mut files: HashMap<&str, Owner<'_>> = HashMap::with_capacity(claims.len());
    let mut problems = Vec::new();
    // A file claimed twice is reported once, here, and not again for its folders.
    let mut collided: HashSet<&str> = HashSet::new();
    for (path, owner) in &claims {
        if let Some(&earlier) = files.get(path.as_str()) {
            problems.push(collision(site, path, earlier, *owner));
            collided.insert(path);
        } else {
            files.insert(path, *owner);
        }
    }
    let folders: HashMap<String, Owner<'_>> = kept_folders(site).into_iter().collect();
    // A file where a folder must be is reported once, not for each file inside.
    let mut file_folders: HashSet<&str> = HashSet::new();
    for (path, owner) in claims
        .iter()
        .filter(|(path, _)| !collided.contains(path.as_str()))
    {
        for (slash, _) in path.match_indices('/') {
            if let Some(&file) = files.get(&path[..slash])
                && file_folders.insert(&path[..slash])
            {
                let message = format!(
                    "`{}` would be both a file, {}, and the folder of {}",
                    &path[..slash],
                    file.describe(site),
                    owner.describe(site)
                );
                problems.push(blamed_first(site, file, *owner).0.problem(site, message));
            }
            if owner.named_by_author()
                && let Some(keeper) = folders.get(&path[..=slash])
            {
                problems.push(owner.problem(
                    site,
                    format!(
                        "the address `{}` of {} is inside `{}`, which avtal keeps for {}",
                        address(path),
                        owner.describe(site),
                        &path[..=slash],
                        keeper.describe(site)
                    ),
                ));
                break;
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The two owners of one address, the one the author can best change first. Between
/// two files made from versions, that is the one whose version id is longer: of ids
/// that join to the same address, the longer begins with the other's and `-`.
fn blamed_first<'a>(site: &Site, a: Owner<'a>, b: Owner<'a>) -> (Owner<'a>, Owner<'a>) {
    let key = |owner: Owner<'_>| {
        let id_length = owner
            .version_page()
            .and_then(|page| site.pages[page].version())
            .map_or(0, |v| v.version.len());
        (owner.blame_rank(site), std::cmp::Reverse(id_length))
    };
    if key(b) < key(a) { (b, a) } else { (a, b) }
}

/// Two owners of one file: reported at the one the author can best change, naming both.
fn collision(site: &Site, path: &str, first: Owner<'_>, second: Owner<'_>) -> Diagnostic {
    let (blamed, other) = blamed_first(site, first, second);
    let message = format!(
        "`{}` is the address of both {} and {}",
        address(path),
        blamed.describe(site),
        other.describe(site)
    );
    blamed.problem(site, message)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;
    use crate::render::test_site;
    use crate::render::{self, RenderOptions, pages::Lookups};

    fn prepared() -> test_site::Prepared {
        test_site::prepared(Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// The check sees every file the build writes: each is planned with its owner, or
    /// is one of the search index's numbered files in the search folder; and every
    /// planned file is written.
    #[test]
    fn every_written_file_is_planned() {
        let prepared = prepared();
        let (site, alignment, theme) = (&prepared.site, &prepared.alignment, &prepared.theme);
        let collected = crate::output::Collected::default();
        let options = RenderOptions::default();
        super::super::engine::Engine::new(site, alignment, theme, &options)
            .render_site(&collected, None)
            .unwrap_or_else(|problems| panic!("the project's own content renders: {problems:?}"));
        let written: HashSet<String> = collected.into_files().into_iter().map(|f| f.path).collect();
        let lookups = Lookups::new(site, alignment);
        let jobs = render::plan(site, alignment, &lookups);
        let planned: HashSet<String> = claims(site, alignment, theme, &jobs)
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        for path in &planned {
            assert!(written.contains(path), "{path} is planned but not written");
        }
        let unplanned: Vec<&String> = written.difference(&planned).collect();
        assert!(!unplanned.is_empty(), "the search index has numbered files");
        for path in unplanned {
            assert!(
                path.starts_with(crate::routes::SEARCH),
                "{path} is written but not planned"
            );
        }
    }

    /// Every page is at the address the address book gives its route.
    #[test]
    fn every_page_is_at_its_routes_address() {
        let prepared = prepared();
        let (site, alignment) = (&prepared.site, &prepared.alignment);
        let lookups = Lookups::new(site, alignment);
        let jobs = render::plan(site, alignment, &lookups);
        for job in &jobs {
            let route = job.owner.route().expect("every planned page has a route");
            assert_eq!(route.address(site), job.url, "{route:?}");
        }
    }

    /// A saved version makes its own page and its work's pages made from the
    /// alignment; a saved document only its own page; neither the pages that list them.
    #[test]
    fn a_saved_file_makes_its_page_and_a_version_its_works_pages() {
        let prepared = prepared();
        let (site, alignment) = (&prepared.site, &prepared.alignment);
        let lookups = Lookups::new(site, alignment);
        let made = |index: usize| -> HashSet<String> {
            render::plan_made_from(site, alignment, &lookups, index)
                .into_iter()
                .map(|job| job.url)
                .collect()
        };
        let work = &site.works[0];
        let version = work.versions[0];
        // The version's page, its work's other versions (they show the alignment too)
        // and its work's page.
        let mut expected: HashSet<String> = work
            .versions
            .iter()
            .map(|&v| site.pages[v].url.clone())
            .collect();
        expected.insert(routes::work(&work.id));
        let comparisons = alignment.comparisons.iter().filter(|c| c.work == work.id);
        let histories = alignment.lineages.iter().filter(|l| l.members.len() > 1);
        expected.extend(comparisons.map(|c| {
            let id = |page: usize| {
                site.pages[page]
                    .version()
                    .map_or("", |v| v.version.as_str())
            };
            routes::comparison(&work.id, id(c.from_page), id(c.to_page))
        }));
        expected.extend(histories.map(|l| routes::history(&work.id, &l.key)));
        assert!(
            expected.len() > 3,
            "the real content has comparisons and histories"
        );
        assert_eq!(made(version), expected);

        let document = (0..site.pages.len())
            .find(|&i| site.pages[i].document().is_some())
            .expect("a document");
        assert_eq!(made(document), [site.pages[document].url.clone()].into());

        for route in [
            Route::Start,
            Route::Timeline,
            Route::Search,
            Route::Work("annat"),
        ] {
            assert!(!route.made_from(site, version), "{route:?}");
        }
        assert!(!Route::Work(&work.id).made_from(site, document));
    }

    /// A file where another file's folder must be is refused, at the content file.
    #[test]
    fn a_file_where_a_folder_must_be() {
        let prepared = prepared();
        let (site, alignment, theme) = (&prepared.site, &prepared.alignment, &prepared.theme);
        let page = (0..site.pages.len())
            .find(|&i| site.pages[i].version().is_none())
            .expect("a page that is no version");
        let name = site.pages[page].source.name.clone();
        let job = PageJob::new(
            "page.html",
            "robots.txt/x/".into(),
            Owner::Page(page),
            || serde_json::Value::Null,
        );
        let problems = check(site, alignment, theme, &[job]).expect_err("refused");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, name);
        assert_eq!(problems[0].line, 1);
        assert_eq!(
            problems[0].message,
            format!("`robots.txt` would be both a file, robots.txt, and the folder of {name}")
        );
    }
}
