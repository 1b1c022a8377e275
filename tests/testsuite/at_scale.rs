//! Pages that would grow with the whole site stay small when it is large: the timeline
//! gets a page per year, the start page lists the newest documents and the feed the
//! newest entries. Below the limits nothing changes. Each test adds generated documents
//! to a copy of the real content.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use avtal::model::Site;
use avtal::pipeline::{self, Built};
use avtal::render::views::start;
use avtal::render::{RenderOptions, pictures};
use support::{attributes, broken_links, copy_dir, html_files, resolve};

/// A copy of the real site's content and theme in a fresh temporary folder.
fn copy_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["content", "themes"] {
        copy_dir(&support::repo_root().join(folder), &dir.path().join(folder));
    }
    // The real content has no base_url (no address is known yet); the feeds need one.
    let site_yaml = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).expect("site.yaml");
    std::fs::write(
        &site_yaml,
        format!("base_url: \"https://www.example.org/overenskommelse/\"\n{text}"),
    )
    .expect("site.yaml");
    dir
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

/// Text as written in HTML, read back.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Every version and document with a date: output path of its page → its year.
fn dated_pages(site: &Site) -> BTreeMap<String, u16> {
    site.pages
        .iter()
        .filter(|p| p.version().is_some() || p.document().is_some())
        .filter_map(|p| Some((format!("{}index.html", p.url), p.date()?.year)))
        .collect()
}

/// How many entries the timeline of `site` has: versions, documents and events.
fn entries(site: &Site) -> usize {
    dated_pages(site).len() + pictures::timeline_events(site).len()
}

fn year_pages(out: &Path) -> BTreeMap<u16, String> {
    std::fs::read_dir(out.join("tidslinje"))
        .expect("the timeline folder")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let year: u16 = e
                .file_name()
                .to_string_lossy()
                .parse()
                .expect("a year page is named by its year");
            let html = std::fs::read_to_string(e.path().join("index.html")).expect("its page");
            (year, html)
        })
        .collect()
}

/// The acceptance case: a site with more timeline entries than the limit gets a page
/// per year, every entry on exactly one of them (its own year's), and the timeline's
/// own page keeps only the figure and the years.
#[test]
fn a_large_timeline_is_split_into_a_page_per_year() {
    let dir = copy_site();
    let root = dir.path();
    add_documents(root, 330, true);
    let (site, problems) = avtal::content::load(root);
    let site = site.unwrap_or_else(|| panic!("the site loads: {problems:?}"));
    assert!(entries(&site) > pictures::TIMELINE_SINGLE_PAGE_LIMIT);
    let (_guard, out) = support::build(root);

    let years = year_pages(&out);
    let dated = dated_pages(&site);
    let expected_years: BTreeSet<u16> = dated
        .values()
        .copied()
        .chain(
            pictures::timeline_events(&site)
                .iter()
                .map(|(d, _, _)| d.year),
        )
        .collect();
    assert_eq!(
        years.keys().copied().collect::<BTreeSet<_>>(),
        expected_years,
        "a page for every year with entries, and only for those"
    );

    // Every dated version and document on exactly one year page: its own year's.
    let mut seen: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for (&year, html) in &years {
        let from = format!("tidslinje/{year}/");
        assert!(html.contains(&format!("<h1>Tidslinje {year}</h1>")));
        if !html.contains(r#"<h2 id="dokument">"#) {
            continue;
        }
        let list = between(html, r#"<ul class="document-list">"#, "</ul>");
        for href in attributes(list, "href") {
            seen.entry(resolve(&from, &href).0).or_default().push(year);
        }
    }
    assert_eq!(
        seen.len(),
        dated.len(),
        "every version and document is listed"
    );
    for (path, year) in &dated {
        assert_eq!(
            seen.get(path),
            Some(&vec![*year]),
            "{path}: on its year's page only"
        );
    }

    // Every event too, with its date, text and source, on its own year's page.
    let mut listed: Vec<(u16, String, String, String)> = Vec::new();
    for (&year, html) in &years {
        if !html.contains(r#"<h2 id="handelser">"#) {
            continue;
        }
        let from = format!("tidslinje/{year}/");
        let list = between(html, r#"<ol class="timeline">"#, "</ol>");
        for item in list.split("<li>").skip(1) {
            let date = attributes(item, "datetime").remove(0);
            let text = unescape(&between(item, "<p>", "</p>")["<p>".len()..]);
            let source = resolve(&from, &attributes(item, "href").remove(0)).0;
            listed.push((year, date, text, source));
        }
    }
    let mut expected: Vec<(u16, String, String, String)> = pictures::timeline_events(&site)
        .into_iter()
        .map(|(date, event, index)| {
            (
                date.year,
                date.to_string(),
                event.text.clone(),
                format!("{}index.html", site.pages[index].url),
            )
        })
        .collect();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected, "every event once, on its own year's page");

    // Previous and next: the neighbouring years with entries, and back to the figure.
    let numbers: Vec<u16> = years.keys().copied().collect();
    for (i, (&year, html)) in years.iter().enumerate() {
        let from = format!("tidslinje/{year}/");
        let nav = between(html, r#"<nav class="pill-nav year-nav""#, "</nav>");
        let links: Vec<(String, String)> = nav
            .split("<a ")
            .skip(1)
            .map(|a| {
                let href = attributes(&format!(" {a}"), "href").remove(0);
                let rel = attributes(&format!(" {a}"), "rel")
                    .pop()
                    .unwrap_or_default();
                (resolve(&from, &href).0, rel)
            })
            .collect();
        let mut wanted = Vec::new();
        if i > 0 {
            let previous = numbers[i - 1];
            wanted.push((format!("tidslinje/{previous}/index.html"), "prev".into()));
        }
        wanted.push(("tidslinje/index.html".to_string(), String::new()));
        if let Some(next) = numbers.get(i + 1) {
            wanted.push((format!("tidslinje/{next}/index.html"), "next".into()));
        }
        assert_eq!(links, wanted, "{year}: previous, the figure, next");
    }

    // The timeline's page lists the years, each linking its page, under its old id.
    let main = std::fs::read_to_string(out.join("tidslinje/index.html")).expect("timeline");
    let list = between(&main, r#"<ul class="year-list">"#, "</ul>");
    let items: Vec<&str> = list.split("<li ").skip(1).collect();
    assert_eq!(items.len(), years.len());
    for (item, &year) in items.iter().zip(&numbers) {
        assert!(item.starts_with(&format!(r#"id="ar-{year}""#)), "{item}");
        let href = attributes(item, "href").remove(0);
        assert_eq!(
            resolve("tidslinje/", &href).0,
            format!("tidslinje/{year}/index.html")
        );
    }
    let total: usize = dated.len() + pictures::timeline_events(&site).len();
    let counted: usize = items
        .iter()
        .map(|item| {
            // `2004: 1 version, 27 dokument och 9 händelser`
            let counts = between(item, "</a>: ", "</li>");
            counts
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<usize>().ok())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(counted, total, "the years' counts add up to every entry");

    // The figure's summary marks lead to the year pages, and its texts say so.
    let figure = between(&main, "<figure", "</figure>");
    let mut summaries = 0;
    for (at, _) in figure.match_indices(r#"class="mark summary""#) {
        let start = figure[..at].rfind("<a ").expect("the mark's link");
        let tag = &figure[start..at + figure[at..].find('>').expect("end of the tag")];
        let year = attributes(tag, "data-date").remove(0);
        let (target, anchor) = resolve("tidslinje/", &attributes(tag, "href").remove(0));
        assert_eq!(target, format!("tidslinje/{year}/index.html"));
        assert_eq!(anchor, "");
        summaries += 1;
    }
    assert!(summaries >= 12, "the generated years are summarised");
    assert!(!figure.contains("årets lista under bilden"), "{figure}");
    assert!(figure.contains("leder till årets egen sida"));
    assert!(figure.contains("Listan under bilden leder till en sida för varje år"));

    // The timeline's page is small: outside the figure its content links no version or
    // document (the header's banner links the version in force on every page).
    let outside = between(&main, "<main", "</main>").replace(figure, "");
    for href in attributes(&outside, "href") {
        let (target, _) = resolve("tidslinje/", &href);
        assert!(!dated.contains_key(&target), "the page lists {target}");
    }
    assert!(!main.contains(r#"class="timeline-year""#));
    assert!(!main.contains(r#"class="document-list""#));

    // The sitemap names every year page.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    for year in years.keys() {
        assert!(
            sitemap.contains(&format!("/tidslinje/{year}/</loc>")),
            "{year} in the sitemap"
        );
    }

    // Nothing broken, and no id twice on a page.
    assert_eq!(broken_links(&out), Vec::<(PathBuf, String, String)>::new());
    for path in html_files(&out) {
        let html = std::fs::read_to_string(&path).expect("page");
        let ids = attributes(&html, "id");
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{}: an id twice", path.display());
    }
}

/// At the limit the timeline keeps its single page with every entry under the figure;
/// one entry more and it is split.
#[test]
fn the_timeline_is_split_only_above_the_limit() {
    let dir = copy_site();
    let root = dir.path();
    let (site, _) = avtal::content::load(root);
    let real = entries(&site.expect("the real site loads"));
    let limit = pictures::TIMELINE_SINGLE_PAGE_LIMIT;
    add_documents(root, limit - real, false);
    let built = build_in_memory(root);
    assert_eq!(entries(&built.site), limit);
    let main = file(&built, "tidslinje/index.html").expect("the timeline");
    assert!(!main.contains(r#"class="year-list""#));
    assert!(main.contains(r#"<section class="timeline-year" id="ar-2005""#));
    assert!(
        !built
            .files
            .iter()
            .any(|f| f.path.starts_with("tidslinje/2")),
        "no year pages at the limit"
    );
    let listed: BTreeSet<String> = main
        .split(r#"<ul class="document-list">"#)
        .skip(1)
        .flat_map(|list| attributes(&list[..list.find("</ul>").unwrap_or(0)], "href"))
        .map(|href| resolve("tidslinje/", &href).0)
        .collect();
    assert_eq!(
        listed,
        dated_pages(&built.site).into_keys().collect(),
        "every version and document under the figure"
    );

    add_documents(root, limit - real + 1, false);
    let built = build_in_memory(root);
    assert_eq!(entries(&built.site), limit + 1);
    let main = file(&built, "tidslinje/index.html").expect("the timeline");
    assert!(main.contains(r#"class="year-list""#));
    assert!(!main.contains(r#"class="timeline-year""#));
    assert!(file(&built, "tidslinje/2005/index.html").is_some());
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
    let mut pages: Vec<(avtal::model::meta::IsoDate, String)> = site
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
    assert!(newest.len() > start::START_PAGE_ALL_UP_TO);
    assert_eq!(listed, newest[..start::START_PAGE_NEWEST].to_vec());
    assert!(html.contains(&format!(
        "De {} senaste av webbplatsens {} dokument, nyast först.",
        start::START_PAGE_NEWEST,
        newest.len()
    )));
    // The link to every document lands on the timeline's list of year pages.
    let section = between(
        html,
        r#"<section aria-labelledby="dokument">"#,
        "</section>",
    );
    let all = between(section, "<p>", "</p>");
    let (target, anchor) = resolve("", &attributes(all, "href").remove(0));
    assert_eq!(
        (target.as_str(), anchor.as_str()),
        ("tidslinje/index.html", "ar-for-ar")
    );
    let timeline = file(&built, &target).expect("timeline");
    assert!(timeline.contains(r#"<h2 id="ar-for-ar">År för år</h2>"#));
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
    add_documents(root, start::START_PAGE_ALL_UP_TO + 1 - documents, false);
    let built = build_in_memory(root);
    let html = file(&built, "index.html").expect("start page");
    let (heading, listed) = start_page_documents(html);
    assert_eq!(heading, "Senaste dokumenten");
    assert_eq!(listed.len(), start::START_PAGE_NEWEST);
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
    add_documents(root, start::START_PAGE_ALL_UP_TO - real, false);
    let built = build_in_memory(root);
    let html = file(&built, "index.html").expect("start page");
    let (heading, listed) = start_page_documents(html);
    assert_eq!(heading, "Dokument");
    let mut oldest_first = newest_first(&built.site, |p| p.document().is_some());
    assert_eq!(listed.len(), start::START_PAGE_ALL_UP_TO);
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
    let base = built.site.config.base_url.as_deref().expect("a base_url");
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
    let base = built.site.config.base_url.as_deref().expect("a base_url");
    let all: Vec<String> = newest_first(&built.site, |p| {
        p.version().is_some() || p.document().is_some()
    })
    .into_iter()
    .map(|path| format!("{base}{}", path.trim_end_matches("index.html")))
    .collect();
    assert!(all.len() < avtal::render::feeds::FEED_ENTRIES);
    assert_eq!(feed_entries(feed), all);
}

/// Adds `count` works to site.yaml, `verk-N`, each with one version in force.
fn add_works(root: &Path, count: usize) {
    let site_yaml = root.join("content/site.yaml");
    let mut works = String::new();
    for n in 1..=count {
        works.push_str(&format!(
            "  - id: verk-{n}\n    title: \"Genererad överenskommelse {n}\"\n    short_title: \"Verk {n}\"\n"
        ));
        let folder = root.join(format!("content/verk-{n}"));
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(
            folder.join("2010.md"),
            format!(
                "---\nkind: version\nwork: verk-{n}\nversion: \"2010\"\ndate: 2010-05-01\nstatus_history:\n  - {{ status: antagen, date: 2010-05-01, source: \"@/verk-{n}/2010.md#P1\" }}\ntitle: \"Genererad överenskommelse {n}\"\nsource:\n  file: verk-{n}.txt\n  body: \"Kommun {n}\"\n  editorial: \"Genererat.\"\n---\n\n## § 1 Syfte\n\nKommunerna samverkar.\n"
            ),
        )
        .expect("write version");
    }
    let text = std::fs::read_to_string(&site_yaml).expect("site.yaml");
    std::fs::write(
        &site_yaml,
        text.replacen("works:\n", &format!("works:\n{works}"), 1),
    )
    .expect("write site.yaml");
}

/// With more works than the start page shows in full, each is one line leading to its
/// own page (which lists its versions) and to its version in force; no version or
/// comparison lists stand on the start page. At the limit, every work is shown whole.
#[test]
fn a_start_page_with_many_works_lists_each_in_one_line() {
    let dir = copy_site();
    let root = dir.path();
    add_works(root, start::START_PAGE_WORKS_IN_FULL);
    let built = build_in_memory(root);
    assert_eq!(built.site.works.len(), start::START_PAGE_WORKS_IN_FULL + 1);
    let html = file(&built, "index.html").expect("start page");
    let section = between(
        html,
        r#"<section aria-labelledby="overenskommelser">"#,
        "</section>",
    );
    let lines: Vec<&str> = section.split("<li>").skip(1).collect();
    assert_eq!(lines.len(), built.site.works.len(), "{section}");
    for (work, line) in built.site.works.iter().zip(&lines) {
        let links = attributes(line, "href");
        assert_eq!(resolve("", &links[0]).0, format!("{}/index.html", work.id));
        let in_force = built.site.in_force(work).expect("a version in force");
        assert_eq!(
            resolve("", &links[1]).0,
            format!("{}index.html", in_force.url)
        );
        let versions = work.versions.len();
        let counted = if versions == 1 {
            "1 version".to_string()
        } else {
            format!("{versions} versioner")
        };
        assert!(line.contains(&counted), "{line}");
        assert!(file(&built, &format!("{}/index.html", work.id)).is_some());
    }
    assert!(!html.contains("version-list") && !html.contains("compare-list"));

    let dir = copy_site();
    add_works(dir.path(), start::START_PAGE_WORKS_IN_FULL - 1);
    let built = build_in_memory(dir.path());
    let html = file(&built, "index.html").expect("start page");
    assert!(!html.contains("overenskommelser"));
    assert_eq!(
        html.matches(r#"<ul class="version-list">"#).count(),
        start::START_PAGE_WORKS_IN_FULL
    );
    assert!(broken_links_in_memory(&built).is_empty());
}

/// Internal links of every page of `built` that point at no built file.
fn broken_links_in_memory(built: &Built) -> Vec<(String, String)> {
    let mut broken = Vec::new();
    for page in built
        .files
        .iter()
        .filter(|f| f.path.ends_with("index.html"))
    {
        let from = page.path.trim_end_matches("index.html");
        let html = std::str::from_utf8(&page.bytes).expect("UTF-8");
        for href in attributes(html, "href") {
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
                continue;
            }
            let (target, _) = resolve(from, &href);
            if file(built, &target).is_none() {
                broken.push((page.path.clone(), href));
            }
        }
    }
    broken
}
