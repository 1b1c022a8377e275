//! Entry points for fuzzing: arbitrary bytes through the stages that read what editors
//! write. Used by the cargo-fuzz target in `fuzz/` and by the regression test that
//! replays every input a fuzzer ever crashed on (`tests/testsuite/fuzz_regressions.rs`).
//!
//! Each entry point panics only when an invariant is broken, which is what the fuzzer
//! reports: a panic anywhere in the pipeline is a bug.

use std::collections::HashSet;

use crate::compare::{self, words};
use crate::content::{self, links};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::{Page, Site, Work};
use crate::render::markdown;
use crate::site_files;

/// The fuzzed file plays the later version of a work whose earlier version is this.
const EARLIER_VERSION: &str = "---\nkind: version\nwork: avtal\nversion: \"2009\"\ndate: 2009-03-26\nstatus: ersatt\ntitle: \"Avtalet 2009\"\nsource:\n  file: a.txt\n  body: \"KSL\"\n  editorial: \"Inget.\"\n---\n\n## § 1 Syfte\n\nKommunerna ska samarbeta.\n\n1. ett\n2. två\n\n## § 2 Mål\n\nAlla ska ha arbete.\n";

const SITE_YAML: &str = "title: \"Prov\"\nbase_url: \"https://example.se/\"\nworks:\n  - id: avtal\n    title: \"Avtalet\"\n    short_title: \"Avtalet\"\n";

/// One content file: reading (UTF-8, BOM, line ends), front matter, clause split, links
/// in the body and the front matter, lineage against an earlier version, rendering of
/// every clause, and a word diff of the text against the earlier version.
pub fn content_file(data: &[u8]) {
    let name = "content/avtal/2013.md";
    let source = match site_files::decode(name, data.to_vec()) {
        Ok(source) => source,
        Err(problem) => {
            assert_eq!(problem.file, name);
            let _ = problem.render();
            return;
        }
    };
    let page = match content::parse_page(source.clone(), "avtal/2013.md") {
        Ok(page) => page,
        Err(problems) => {
            assert!(!problems.is_empty(), "a failed page reports why");
            for problem in &problems {
                check_diagnostic(&source, problem);
            }
            return;
        }
    };
    check_ids(&page);
    let earlier = earlier_version();
    let diff_old = earlier.body.clauses[0].plain_text();
    let diff_new = page
        .body
        .clauses
        .first()
        .map(|c| c.plain_text())
        .unwrap_or_default();
    word_diff_pair(&diff_old, &diff_new);

    let site = site_with(page, earlier);
    let fuzzed = &site.pages[0];
    let fuzzed_source = fuzzed
        .source
        .source_text()
        .expect("a page parsed from memory keeps its text");
    for problem in links::check(&site, &HashSet::new()) {
        check_diagnostic(&fuzzed_source, &problem);
    }
    for clause in &fuzzed.body.clauses {
        let html = markdown::clause_html(&site, &fuzzed.url, clause, &fuzzed_source.text);
        assert!(
            !html.contains("<script"),
            "script in rendered clause: {html}"
        );
    }
    if let Some(meta) = fuzzed.version() {
        let html = markdown::inline_markdown(&site, &fuzzed.url, &meta.source.editorial);
        assert!(!html.contains("<script"), "script in rendered note: {html}");
    }
    let (alignment, problems) = compare::align(&site);
    if site.works[0].versions.contains(&0) {
        // Every version the site accepts has its Akoma Ntoso file.
        let akn = crate::render::akn::version_xml(&site, &alignment, 0, "2026-12-06");
        assert!(akn.is_ok(), "{akn:?}");
    } else if site.pages[0].document().is_some() {
        let akn = crate::render::akn::document_xml(&site, 0, "2026-12-06");
        assert!(akn.is_ok(), "{akn:?}");
    }
    for problem in &problems.items {
        // Lineage is reported on whichever of the two versions is the later one.
        let page = site
            .pages
            .iter()
            .find(|p| p.source.name == problem.file)
            .unwrap_or_else(|| panic!("diagnostic for an unknown file: {problem}"));
        let source = page
            .source
            .source_text()
            .expect("a page parsed from memory keeps its text");
        check_diagnostic(&source, problem);
    }
}

/// The word diff on two texts separated by the first `|` of the input.
pub fn word_diff(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (old, new) = text.split_once('|').unwrap_or((&text, ""));
    word_diff_pair(old, new);
}

fn word_diff_pair(old: &str, new: &str) {
    let segments = words::diff(old, new);
    assert_eq!(
        words::old_side(&segments),
        old,
        "old side rebuilds the old text"
    );
    assert_eq!(
        words::new_side(&segments),
        new,
        "new side rebuilds the new text"
    );
    let share = words::changed_share(&segments);
    assert!((0.0..=1.0).contains(&share), "changed share {share}");
}

fn earlier_version() -> Page {
    let source = SourceText::new("content/avtal/2009.md", EARLIER_VERSION);
    content::parse_page(source, "avtal/2009.md").expect("the fixed earlier version is valid")
}

fn site_with(fuzzed: Page, earlier: Page) -> Site {
    let config_source = SourceText::new("content/site.yaml", SITE_YAML);
    let config = content::config::parse(&config_source).expect("the fixed site.yaml is valid");
    let pages = vec![fuzzed, earlier];
    let mut versions: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.version().is_some_and(|v| v.work == "avtal"))
        .map(|(i, _)| i)
        .collect();
    // Ordered as the loader orders them; a same id twice is an error the loader
    // reports before alignment, so the fuzzed version then stays out of the work.
    let key = |i: &usize| pages[*i].version().map(|v| (v.date, v.version.clone()));
    versions.sort_by_key(key);
    versions.dedup_by(|a, b| key(a).map(|k| k.1) == key(b).map(|k| k.1));
    let works = vec![Work {
        id: "avtal".into(),
        title: "Avtalet".into(),
        short_title: "Avtalet".into(),
        description: None,
        versions,
    }];
    Site::new(config, pages, works, None)
}

/// Clause, stycke and item ids are usable as HTML ids and unique within the page.
fn check_ids(page: &Page) {
    let mut seen = HashSet::new();
    for id in page.body.anchors() {
        assert!(
            content::body::is_valid_id(id)
                || id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "id {id:?} is not safe in HTML"
        );
        assert!(seen.insert(id), "id {id:?} appears twice");
    }
}

/// A diagnostic names the file and points inside it, and renders without failing.
fn check_diagnostic(source: &SourceText, problem: &Diagnostic) {
    assert_eq!(problem.file, source.name, "{problem}");
    let lines = source.text.lines().count().max(1) + 1;
    assert!(
        problem.line <= lines,
        "line {} beyond the file's {lines} lines: {problem}",
        problem.line
    );
    let rendered = problem.render();
    let message = crate::diagnostics::escape_controls(&problem.message);
    assert!(rendered.contains(message.as_ref()), "{rendered}");
}
