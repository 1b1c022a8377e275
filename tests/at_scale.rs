//! Pages that would grow with the whole site stay small when it is large: the start
//! page lists the newest documents and the feed the newest entries. Below the limits
//! nothing changes. Each test adds generated documents to a copy of the real content.

mod support;

use std::path::Path;

use avtal::model::Site;
use avtal::pipeline::{self, Built};
use avtal::render::{RenderOptions, pages};
use support::attributes;

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

/// Resolves `href`, as written on the page at folder `from`, to a built file and anchor.
fn resolve(from: &str, href: &str) -> (String, String) {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            other => parts.push(other),
        }
    }
    let mut target = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    (target, anchor.to_string())
}

/// The text from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The documents listed in the start page's document section, as output paths.
fn start_page_documents(html: &str) -> (String, Vec<String>) {
    let section = between(
        html,
        r#"<section aria-labelledby="dokument">"#,
        "</section>",
    );
    let heading = between(section, r#"<h2 id="dokument">"#, "</h2>")
        [r#"<h2 id="dokument">"#.len()..]
        .to_string();
    let list = between(section, r#"<ul class="document-list">"#, "</ul>");
    let documents = attributes(list, "href")
        .iter()
        .map(|href| resolve("", href).0)
        .collect();
    (heading, documents)
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

#[test]
fn a_large_start_page_lists_the_newest_documents_and_leads_to_all() {
    let dir = copy_site();
    let root = dir.path();
    add_documents(root, 330, true);
    let built = build_in_memory(root);
    let html = file(&built, "index.html").expect("start page");
    let (heading, listed) = start_page_documents(html);
    assert_eq!(heading, "Senaste dokumenten");
    let newest = newest_first(&built.site, |p| p.document().is_some());
    assert!(newest.len() > pages::START_PAGE_ALL_UP_TO);
    assert_eq!(listed, newest[..pages::START_PAGE_NEWEST].to_vec());
    assert!(html.contains(&format!(
        "De {} senaste av webbplatsens {} dokument, nyast först.",
        pages::START_PAGE_NEWEST,
        newest.len()
    )));
    // The link to every document lands on the timeline, which lists them.
    let section = between(
        html,
        r#"<section aria-labelledby="dokument">"#,
        "</section>",
    );
    let all = between(section, "<p>", "</p>");
    let (target, _) = resolve("", &attributes(all, "href").remove(0));
    assert_eq!(target, "tidslinje/index.html");
    assert!(file(&built, &target).is_some());
}

/// More documents than the start page lists but too few entries to split the
/// timeline: the link to all documents goes to the timeline's page, which lists them.
#[test]
fn a_start_page_above_its_limit_leads_to_an_unsplit_timeline() {
    let dir = copy_site();
    let root = dir.path();
    let (site, _) = avtal::content::load(root);
    let documents = site
        .expect("the real site loads")
        .pages
        .iter()
        .filter(|p| p.document().is_some())
        .count();
    add_documents(root, pages::START_PAGE_ALL_UP_TO + 1 - documents, false);
    let built = build_in_memory(root);
    let html = file(&built, "index.html").expect("start page");
    let (heading, listed) = start_page_documents(html);
    assert_eq!(heading, "Senaste dokumenten");
    assert_eq!(listed.len(), pages::START_PAGE_NEWEST);
    let section = between(
        html,
        r#"<section aria-labelledby="dokument">"#,
        "</section>",
    );
    let all = between(section, "<p>", "</p>");
    let (target, _) = resolve("", &attributes(all, "href").remove(0));
    let timeline = file(&built, &target).expect("the link lands");
    for page in built.site.pages.iter().filter(|p| p.document().is_some()) {
        assert!(
            timeline.contains(&format!(r#"<a href="../{}">"#, page.url)),
            "{} is on the timeline",
            page.url
        );
    }
}

/// At the limit the start page lists every document, oldest first, as the real site's.
#[test]
fn a_start_page_at_its_limit_lists_every_document() {
    let dir = copy_site();
    let root = dir.path();
    let (site, _) = avtal::content::load(root);
    let real = site
        .expect("the real site loads")
        .pages
        .iter()
        .filter(|p| p.document().is_some())
        .count();
    add_documents(root, pages::START_PAGE_ALL_UP_TO - real, false);
    let built = build_in_memory(root);
    let html = file(&built, "index.html").expect("start page");
    let (heading, listed) = start_page_documents(html);
    assert_eq!(heading, "Dokument");
    let mut oldest_first = newest_first(&built.site, |p| p.document().is_some());
    assert_eq!(listed.len(), pages::START_PAGE_ALL_UP_TO);
    oldest_first.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, oldest_first, "every document");
    let dates: Vec<String> = {
        let section = between(
            html,
            r#"<section aria-labelledby="dokument">"#,
            "</section>",
        );
        attributes(section, "datetime")
    };
    let mut ascending = dates.clone();
    ascending.sort();
    assert_eq!(dates, ascending, "oldest first");
    assert!(!html.contains("Senaste dokumenten"));
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
