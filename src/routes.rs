//! The address book: every address of the built site is made here, and nowhere else.
//!
//! Addresses are relative to the site root. A page's address is a folder ending in `/`
//! (`overenskommelse/2013/`, written as `…/index.html`); every other file's is its path
//! (`overenskommelse/2013.json`). The start page's address is empty.
//!
//! It sits below `content`, which gives each content page its address when it reads
//! it, so it takes ids and names, not the stages' types; only [`Route`] looks at the
//! site, to answer which pages a content file makes.

use crate::model::Site;

/// The start page.
pub const START: &str = "";

/// The timeline's page; a split timeline's year pages lie under it.
pub const TIMELINE: &str = "tidslinje/";

/// The search page; its index lies under it.
pub const SEARCH: &str = "sok/";

/// The adoption page, made from `content/antaganden.yaml`.
pub const ADOPTIONS: &str = "antaganden/";

/// The page served for every missing address. A file, not a folder: servers look it up
/// by this name.
pub const NOT_FOUND: &str = "404.html";

pub const SITEMAP: &str = "sitemap.xml";
pub const FEED: &str = "atom.xml";
pub const ROBOTS: &str = "robots.txt";

/// Where the theme's `static/` files are published.
pub const THEME_FOLDER: &str = "static/";

/// Where the JSON Schemas of the published data are published.
pub const SCHEMA_FOLDER: &str = "schemas/";

/// The search index's files, all in [`SEARCH`]: its manifest, its page list for the
/// filters, and its numbered shards of words, postings and text.
pub const SEARCH_MANIFEST: &str = "sok/manifest.json";
pub const SEARCH_PAGES: &str = "sok/sidor.json";
pub const SEARCH_WORDS: &str = "sok/ord/";
pub const SEARCH_POSTINGS: &str = "sok/forekomster/";
pub const SEARCH_TEXT: &str = "sok/text/";

/// Numbered file `number` of one of the search index's folders: `sok/ord/3.json`.
pub fn search_file(folder: &str, number: usize) -> String {
    format!("{folder}{number}.json")
}

/// The page of year `year` of a split timeline: `tidslinje/2009/`.
pub fn timeline_year(year: u16) -> String {
    format!("{TIMELINE}{year}/")
}

/// A work's page, which lists its versions: `overenskommelse/`.
pub fn work(work: &str) -> String {
    format!("{work}/")
}

/// A version's page: `overenskommelse/2013/`, by its work and version ids (not by the
/// file's name).
pub fn version(work: &str, version: &str) -> String {
    format!("{work}/{version}/")
}

/// The page of any other content file, by its path under `content/` without `.md`:
/// `dokument/ekero-beslut-2013` → `dokument/ekero-beslut-2013/`.
pub fn content_page(stem: &str) -> String {
    format!("{stem}/")
}

/// The published JSON of a version, beside its page's folder.
pub fn version_json(work: &str, version: &str) -> String {
    format!("{work}/{version}.json")
}

/// The Akoma Ntoso file of a version, beside its page's folder.
pub fn version_akn(work: &str, version: &str) -> String {
    format!("{work}/{version}.akn.xml")
}

/// The Akoma Ntoso file of a related document, beside its page's folder (`page_url`):
/// `dokument/NAME.akn.xml`.
pub fn document_akn(page_url: &str) -> String {
    format!("{}.akn.xml", page_url.trim_end_matches('/'))
}

/// The folder of a work's comparisons (pages and JSON), kept for them. `FROM-TO` names
/// one pair only because no version id of a work begins with another's id and `-`
/// (checked when the works are grouped).
pub fn comparisons_folder(work: &str) -> String {
    format!("{work}/jamfor/")
}

/// The comparison page of versions `from` and `to`: `overenskommelse/jamfor/2009-2013/`.
pub fn comparison(work: &str, from: &str, to: &str) -> String {
    format!("{}{from}-{to}/", comparisons_folder(work))
}

/// The published JSON of a comparison, beside its page's folder.
pub fn comparison_json(work: &str, from: &str, to: &str) -> String {
    format!("{}{from}-{to}.json", comparisons_folder(work))
}

/// The folder of a work's clause histories, kept for them.
pub fn histories_folder(work: &str) -> String {
    format!("{work}/historik/")
}

/// The history page of one clause across versions, by its lineage's key.
pub fn history(work: &str, key: &str) -> String {
    format!("{}{key}/", histories_folder(work))
}

/// Where the source texts of `content/kallor/` are published.
pub const SOURCE_TEXTS: &str = "kallor/";

/// A published source text, by its name below `content/kallor/`.
pub fn source_text(name: &str) -> String {
    format!("{SOURCE_TEXTS}{name}")
}

/// A published JSON Schema, by its file name.
pub fn schema(name: &str) -> String {
    format!("{SCHEMA_FOLDER}{name}")
}

/// What avtal keeps a folder for: it writes there as the site grows, without the
/// author doing anything, so no page an author names may sit in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept<'a> {
    /// The search page and its index's files, more of them as the site grows.
    Search,
    /// The timeline and, once it is split, a page per year.
    Timeline,
    Theme,
    Schemas,
    /// A work's comparisons: one more with each new version.
    Comparisons(&'a str),
    /// A work's clause histories.
    Histories(&'a str),
}

/// Every folder avtal keeps, each ending in `/`, for a site with these works (ids).
pub fn kept_folders<'a>(works: impl IntoIterator<Item = &'a str>) -> Vec<(String, Kept<'a>)> {
    let mut folders = vec![
        (SEARCH.to_string(), Kept::Search),
        (TIMELINE.to_string(), Kept::Timeline),
        (THEME_FOLDER.to_string(), Kept::Theme),
        (SCHEMA_FOLDER.to_string(), Kept::Schemas),
    ];
    for work in works {
        folders.push((comparisons_folder(work), Kept::Comparisons(work)));
        folders.push((histories_folder(work), Kept::Histories(work)));
    }
    folders
}

/// A page of the built site, by what it shows. Every page avtal renders is one of these
/// (`render::addresses::Owner::route`); its address is [`Route::address`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    Start,
    Timeline,
    TimelineYear(u16),
    Search,
    Adoptions,
    NotFound,
    /// A work's page, by the work's id.
    Work(&'a str),
    /// The page of content file `site.pages[i]`: a version, a document or a page.
    Content(usize),
    /// The comparison of two version pages of a work (indexes into `site.pages`).
    Comparison {
        work: &'a str,
        from: usize,
        to: usize,
    },
    /// A clause's history across the versions of a work, by its lineage's key.
    History {
        work: &'a str,
        key: &'a str,
    },
}

impl Route<'_> {
    /// The page's address.
    pub fn address(self, site: &Site) -> String {
        let version = |page: usize| {
            site.pages[page]
                .version()
                .map_or("", |v| v.version.as_str())
        };
        match self {
            Route::Start => START.to_string(),
            Route::Timeline => TIMELINE.to_string(),
            Route::TimelineYear(year) => timeline_year(year),
            Route::Search => SEARCH.to_string(),
            Route::Adoptions => ADOPTIONS.to_string(),
            Route::NotFound => NOT_FOUND.to_string(),
            Route::Work(id) => work(id),
            Route::Content(page) => site.pages[page].url.clone(),
            Route::Comparison { work, from, to } => comparison(work, version(from), version(to)),
            Route::History { work, key } => history(work, key),
        }
    }

    /// Whether this page is made from content file `source` (an index into
    /// `site.pages`): it shows the file's text or what its front matter says of it, so
    /// it must be rendered again when the file is saved. That is the file's own page
    /// and, for a version, every page of its work made from the work's alignment (its
    /// page, its other versions, comparisons and clause histories), which is made again
    /// with it.
    ///
    /// Pages that only list or link to the file (the start page, the timeline, other
    /// pages' backlinks) are not made from it: `serve` renders those in the full
    /// rebuild that follows a save. Each kind of page is answered here, so a new kind
    /// must say which it is.
    pub fn made_from(self, site: &Site, source: usize) -> bool {
        let version_of = site.pages[source].version().map(|v| v.work.as_str());
        match self {
            // A version's page shows its work's alignment too (what became of each
            // clause, what changed since the version before), which a saved version of
            // the same work changes.
            Route::Content(page) => {
                page == source
                    || version_of.is_some_and(|work| {
                        site.pages[page].version().map(|v| v.work.as_str()) == Some(work)
                    })
            }
            Route::Work(work) | Route::Comparison { work, .. } | Route::History { work, .. } => {
                version_of == Some(work)
            }
            Route::Start
            | Route::Timeline
            | Route::TimelineYear(_)
            | Route::Search
            | Route::Adoptions
            | Route::NotFound => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_folders_for_pages_and_paths_for_files() {
        assert_eq!(version("overenskommelse", "2013"), "overenskommelse/2013/");
        assert_eq!(work("overenskommelse"), "overenskommelse/");
        assert_eq!(content_page("dokument/beslut"), "dokument/beslut/");
        assert_eq!(
            comparison("overenskommelse", "2009", "2013"),
            "overenskommelse/jamfor/2009-2013/"
        );
        assert_eq!(
            comparison_json("overenskommelse", "2009", "2013"),
            "overenskommelse/jamfor/2009-2013.json"
        );
        assert_eq!(
            version_json("overenskommelse", "2013"),
            "overenskommelse/2013.json"
        );
        assert_eq!(
            version_akn("overenskommelse", "2013"),
            "overenskommelse/2013.akn.xml"
        );
        assert_eq!(document_akn("dokument/beslut/"), "dokument/beslut.akn.xml");
        assert_eq!(
            history("overenskommelse", "2009-P1"),
            "overenskommelse/historik/2009-P1/"
        );
        assert_eq!(timeline_year(2009), "tidslinje/2009/");
        assert_eq!(search_file(SEARCH_WORDS, 3), "sok/ord/3.json");
        assert_eq!(schema("version.schema.json"), "schemas/version.schema.json");
    }

    /// Every file avtal makes in a folder it keeps is inside that folder: the folders
    /// are the prefixes the address check refuses authors' pages under.
    #[test]
    fn kept_folders_hold_what_avtal_writes_there() {
        let folders: Vec<String> = kept_folders(["w"]).into_iter().map(|(f, _)| f).collect();
        let inside = |path: &str| folders.iter().any(|f| path.starts_with(f.as_str()));
        for path in [
            SEARCH.to_string(),
            SEARCH_MANIFEST.to_string(),
            SEARCH_PAGES.to_string(),
            search_file(SEARCH_WORDS, 0),
            search_file(SEARCH_POSTINGS, 0),
            search_file(SEARCH_TEXT, 0),
            TIMELINE.to_string(),
            timeline_year(2009),
            schema("x.schema.json"),
            format!("{THEME_FOLDER}style.css"),
            comparison("w", "1", "2"),
            comparison_json("w", "1", "2"),
            history("w", "1-P1"),
        ] {
            assert!(inside(&path), "{path} is in no kept folder");
        }
        for path in [work("w"), version("w", "1"), version_json("w", "1")] {
            assert!(!inside(&path), "{path} is named by the author, not kept");
        }
        assert!(folders.iter().all(|f| f.ends_with('/')));
    }
}
