//! Builds the real content/ and checks the site a reader gets.

mod support;

use support::*;

#[test]
fn real_content_builds_every_page_with_resolving_links() {
    let (_guard, out) = build(&repo_root());
    // A page for every content file.
    for entry in walkdir::WalkDir::new(repo_root().join("content"))
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let relative = path
            .strip_prefix(repo_root().join("content"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let expected = if text.contains("\nkind: version\n") {
            let version = text
                .lines()
                .find_map(|l| l.strip_prefix("version: "))
                .unwrap()
                .trim_matches('"');
            let work = text.lines().find_map(|l| l.strip_prefix("work: ")).unwrap();
            out.join(work).join(version).join("index.html")
        } else {
            out.join(relative.trim_end_matches(".md"))
                .join("index.html")
        };
        assert!(
            expected.is_file(),
            "no page for {relative} at {}",
            expected.display()
        );
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken internal links: {broken:#?}");
}

#[test]
fn version_pages_carry_every_clause_anchor_and_title() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(html.contains(
        "<title>Överenskommelse om samverkan mellan kommuner i Stockholms län gällande nyanlända"
    ));
    assert!(html.contains("<html lang=\"sv\">"));
    let ids = attributes(&html, "id");
    for clause in ["utgangspunkter", "P1", "P5", "P10", "P11", "P5S2", "P5S2N3"] {
        assert!(
            ids.iter().any(|i| i == clause),
            "2013 page lacks id {clause}"
        );
    }
    let ids_2009 = attributes(
        &std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap(),
        "id",
    );
    for clause in ["definition", "utgangspunkter", "P1", "P7"] {
        assert!(
            ids_2009.iter().any(|i| i == clause),
            "2009 page lacks id {clause}"
        );
    }
}

#[test]
fn ids_are_unique_on_every_page() {
    let (_guard, out) = build(&repo_root());
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        let mut ids = attributes(&html, "id");
        let total = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), total, "duplicate ids on {}", page.display());
    }
}

#[test]
fn built_pages_have_no_live_reload_and_work_under_a_sub_path() {
    let (_guard, out) = build(&repo_root());
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains("EventSource"),
            "{} has the live-reload script",
            page.display()
        );
        // Links between pages are relative, so no href points at the site root.
        for href in attributes(&html, "href") {
            if page.file_name().is_some_and(|n| n == "404.html") {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{} links to {href} from the root",
                page.display()
            );
        }
    }
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/overenskommelse/static/style.css\""),
        "404 uses the base path for assets"
    );
}

#[test]
fn typography_is_swedish() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap();
    assert!(
        html.contains("26 mars 2009"),
        "dates are written in Swedish"
    );
    assert!(html.contains("datetime=\"2009-03-26\""), "and ISO in data");
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains('“') && !html.contains('“'),
            "{} has English quotes",
            page.display()
        );
    }
}
