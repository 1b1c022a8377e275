//! Pages that would grow with the whole site stay small when it is large: the feed
//! carries the newest entries. Below the limits nothing changes. Each test adds
//! generated documents to a copy of the real content.

mod support;

use std::path::Path;

use avtal::model::Site;
use avtal::pipeline::{self, Built};
use avtal::render::RenderOptions;

/// A copy of the real site's content and theme in a fresh temporary folder.
fn copy_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["content", "themes"] {
        copy_dir(&support::repo_root().join(folder), &dir.path().join(folder));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes `count` small documents, `content/dokument/genererat-N.md`, dated over
/// 2001–2012 (several on one day, so that the order among equal dates counts); with
/// `events`, every third states an event, some dated only to a month of the next year.
fn add_documents(root: &Path, count: usize, events: bool) {
    for n in 0..count {
        let year = 2001 + n % 12;
        let date = format!("{year}-{:02}-{:02}", 1 + (n * 7) % 12, 1 + (n / 12) % 3);
        let event = if events && n % 3 == 0 {
            let when = if n % 2 == 0 {
                format!("{}-{:02}", year + 1, 1 + n % 12)
            } else {
                date.clone()
            };
            format!("events:\n  - date: {when}\n    text: \"Händelse nummer {n}.\"\n")
        } else {
            String::new()
        };
        let text = format!(
            "---\nkind: document\ntype: beslut\ntitle: \"Beslut nummer {n}\"\norganisation: \"Kommun {n}\"\ndate: {date}\nsummary: \"Beslut {n}.\"\nsource:\n  file: genererat-{n}.txt\n  body: \"Kommun {n}\"\n  identifiers: []\n  editorial: \"Inga ändringar.\"\n{event}---\n\nBeslutet.\n"
        );
        std::fs::write(
            root.join(format!("content/dokument/genererat-{n:03}.md")),
            text,
        )
        .expect("write document");
    }
}

fn build_in_memory(root: &Path) -> Built {
    match pipeline::build(root, &RenderOptions::default()) {
        Ok(built) => built,
        Err(problems) => panic!("the site does not build: {problems:?}"),
    }
}

fn file<'a>(built: &'a Built, path: &str) -> Option<&'a str> {
    built
        .files
        .iter()
        .find(|f| f.path == path)
        .map(|f| std::str::from_utf8(&f.bytes).expect("UTF-8"))
}

/// The text from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Every document of `site` as its output path, newest first (the same date: by
/// address), as a reader of news expects them.
fn newest_first(site: &Site, filter: impl Fn(&avtal::model::Page) -> bool) -> Vec<String> {
    let mut pages: Vec<(avtal::content::meta::IsoDate, String)> = site
        .pages
        .iter()
        .filter(|p| filter(p))
        .filter_map(|p| Some((p.date()?, p.url.clone())))
        .collect();
    pages.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    pages
        .into_iter()
        .map(|(_, url)| format!("{url}index.html"))
        .collect()
}

/// The ids of the feed's entries, in order.
fn feed_entries(feed: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .map(|entry| between(entry, "<id>", "</id>")["<id>".len()..].to_string())
        .collect()
}

#[test]
fn the_feed_carries_the_newest_entries_only() {
    let dir = copy_site();
    let root = dir.path();
    add_documents(root, 330, true);
    let built = build_in_memory(root);
    let feed = file(&built, "atom.xml").expect("feed");
    let base = &built.site.config.base_url;
    let newest: Vec<String> = newest_first(&built.site, |p| {
        p.version().is_some() || p.document().is_some()
    })
    .into_iter()
    .map(|path| format!("{base}{}", path.trim_end_matches("index.html")))
    .collect();
    assert!(newest.len() > avtal::render::feeds::FEED_ENTRIES);
    assert_eq!(
        feed_entries(feed),
        newest[..avtal::render::feeds::FEED_ENTRIES].to_vec()
    );
}

#[test]
fn a_small_feed_carries_every_version_and_document() {
    let dir = copy_site();
    let root = dir.path();
    add_documents(root, 40, false);
    let built = build_in_memory(root);
    let feed = file(&built, "atom.xml").expect("feed");
    let base = &built.site.config.base_url;
    let all: Vec<String> = newest_first(&built.site, |p| {
        p.version().is_some() || p.document().is_some()
    })
    .into_iter()
    .map(|path| format!("{base}{}", path.trim_end_matches("index.html")))
    .collect();
    assert!(all.len() < avtal::render::feeds::FEED_ENTRIES);
    assert_eq!(feed_entries(feed), all);
}
