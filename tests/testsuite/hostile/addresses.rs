//! Hostile input: see the module list in tests/testsuite/hostile/mod.rs.
//!
//! Every file of the built site has one owner: a content file never takes the place of
//! a page avtal makes (nor sits in a folder avtal keeps for itself), and two versions'
//! comparisons never share an address.

use crate::hostile::support::TestSite;

/// A plain page: front matter on lines 1–4.
fn page(title: &str) -> String {
    format!("---\nkind: page\ntitle: \"{title}\"\n---\nText.\n")
}

/// A version of the base site's work `avtal`; `version:` is on line 4.
fn version(id: &str, date: &str) -> String {
    format!(
        "---\nkind: version\nwork: avtal\nversion: \"{id}\"\ndate: {date}\ntitle: \"Avtalet {id}\"\nsource:\n  file: x.txt\n  body: \"KSL\"\n  editorial: \"Inget.\"\n---\n\n## § 1 Syfte\n\nText {id}.\n"
    )
}

const ADOPTIONS: &str = "municipalities: [Ekerö]\nfacts:\n  - version: \"2013\"\n    who: [Ekerö]\n    status: antagen\n    text: \"Antogs.\"\n    source: \"@/dokument/beslut.md\"\n";

/// The site with one more file, checked and built: both fail on `file`'s line 1 with
/// `message`, and the build writes nothing.
#[track_caller]
fn refused(case: &str, file: &str, text: &str, line: usize, message: &str) {
    let site = TestSite::new(case);
    site.write("content/antaganden.yaml", ADOPTIONS);
    site.check().assert_clean();
    site.write(file, text);
    let problem = site.check().assert_error(file, Some(line), message).clone();
    assert!(
        problem.detail.contains("help: rename or move the file"),
        "{problem:?}"
    );
    let outcome = site.build();
    outcome.assert_error(file, Some(line), message);
    assert!(!site.path("public").exists(), "a failed build wrote files");
}

#[test]
fn content_page_in_place_of_the_search_page() {
    refused(
        "address-search",
        "content/sok.md",
        &page("Sök"),
        1,
        "`sok/` is the address of both content/sok.md and the search page",
    );
}

#[test]
fn content_page_in_place_of_the_timeline() {
    refused(
        "address-timeline",
        "content/tidslinje.md",
        &page("Tidslinje"),
        1,
        "`tidslinje/` is the address of both content/tidslinje.md and the timeline",
    );
}

#[test]
fn content_page_in_place_of_the_adoption_page() {
    refused(
        "address-adoption",
        "content/antaganden.md",
        &page("Antaganden"),
        1,
        "`antaganden/` is the address of both content/antaganden.md and the adoption page (from content/antaganden.yaml)",
    );
}

#[test]
fn content_page_in_place_of_the_work_page() {
    refused(
        "address-work",
        "content/avtal.md",
        &page("Verket"),
        1,
        "`avtal/` is the address of both content/avtal.md and the page of work `avtal`",
    );
}

#[test]
fn content_page_in_place_of_a_comparison() {
    refused(
        "address-comparison",
        "content/avtal/jamfor/2009-2013.md",
        &page("Jämförelse"),
        1,
        "`avtal/jamfor/2009-2013/` is the address of both content/avtal/jamfor/2009-2013.md and the comparison 2009 → 2013 of work `avtal`",
    );
}

/// Folders avtal fills as the site grows are kept for it even where it writes nothing
/// yet: more search index files, a timeline split into years, comparisons and clause
/// histories of new versions, theme files.
#[test]
fn content_page_in_a_folder_avtal_keeps() {
    for (case, file, folder, keeper) in [
        (
            "kept-comparisons",
            "content/avtal/jamfor/annat.md",
            "avtal/jamfor/",
            "the comparisons of work `avtal`",
        ),
        (
            "kept-histories",
            "content/avtal/historik/x.md",
            "avtal/historik/",
            "the clause histories of work `avtal`",
        ),
        (
            "kept-search",
            "content/sok/ord.md",
            "sok/",
            "the search page and its index",
        ),
        (
            "kept-timeline",
            "content/tidslinje/2013.md",
            "tidslinje/",
            "the timeline and its pages per year",
        ),
        (
            "kept-static",
            "content/static/style.md",
            "static/",
            "the theme's static files",
        ),
    ] {
        let address = file
            .strip_prefix("content/")
            .and_then(|f| f.strip_suffix(".md"))
            .expect("a content path");
        refused(
            case,
            file,
            &page("Sida"),
            1,
            &format!(
                "the address `{address}/` of {file} is inside `{folder}`, which avtal keeps for {keeper}"
            ),
        );
    }
}

/// A plain page at a version's address: the version's address comes from its front
/// matter, the page's from its path, so they meet although the files differ.
#[test]
fn content_page_in_place_of_a_version() {
    let site = TestSite::new("address-version");
    site.write("content/avtal/ny.md", version("2020", "2020-01-01"));
    site.check().assert_clean();
    site.write("content/avtal/2020.md", page("Sida"));
    site.check().assert_error(
        "content/avtal/2020.md",
        Some(1),
        "`avtal/2020/` is the address of both content/avtal/2020.md and version 2020 of work `avtal` (content/avtal/ny.md)",
    );
}

#[test]
fn version_id_in_a_folder_avtal_keeps() {
    let site = TestSite::new("version-jamfor");
    site.write("content/avtal/ny.md", version("jamfor", "2020-01-01"));
    let problem = site
        .check()
        .assert_error(
            "content/avtal/ny.md",
            Some(4),
            "the address `avtal/jamfor/` of version jamfor of work `avtal` (content/avtal/ny.md) is inside `avtal/jamfor/`, which avtal keeps for the comparisons of work `avtal`",
        )
        .clone();
    assert!(
        problem.detail.contains("choose another version id"),
        "{problem:?}"
    );
}

#[test]
fn work_id_that_is_the_address_of_a_generated_page() {
    let site = TestSite::new("work-id-search");
    let config = site.read("content/site.yaml");
    site.write(
        "content/site.yaml",
        format!("{config}  - id: sok\n    title: \"Sök\"\n    short_title: \"Sök\"\n"),
    );
    let problem = site
        .check()
        .assert_error(
            "content/site.yaml",
            None,
            "`sok/` is the address of both the page of work `sok` and the search page",
        )
        .clone();
    assert!(
        problem.detail.contains("choose another id for the work"),
        "{problem:?}"
    );
}

#[test]
fn work_id_in_a_folder_avtal_keeps() {
    let site = TestSite::new("work-id-static");
    let config = site.read("content/site.yaml");
    site.write(
        "content/site.yaml",
        format!("{config}  - id: static\n    title: \"S\"\n    short_title: \"S\"\n"),
    );
    site.check().assert_error(
        "content/site.yaml",
        None,
        "the address `static/` of the page of work `static` is inside `static/`, which avtal keeps for the theme's static files",
    );
}

/// Versions `a`, `a-b`, `b-c` and `c` would give `a → b-c` and `a-b → c` the one address
/// `jamfor/a-b-c/`: an id that begins with another version's id and `-` is refused at
/// its `version:` line, so every `FROM-TO` (and history key `VERSION-CLAUSE`) names one
/// pair.
#[test]
fn version_ids_that_make_comparison_addresses_ambiguous() {
    let site = TestSite::new("ambiguous-versions");
    site.write("content/avtal/a.md", version("a", "2014-01-01"));
    site.write("content/avtal/a-b.md", version("a-b", "2015-01-01"));
    site.write("content/avtal/b-c.md", version("b-c", "2016-01-01"));
    site.write("content/avtal/c.md", version("c", "2017-01-01"));
    let problem = site
        .check()
        .assert_error(
            "content/avtal/a-b.md",
            Some(4),
            "version id `a-b` begins with `a-`, and `a` is another version of work `avtal` (content/avtal/a.md): comparison addresses (`jamfor/FROM-TO/`) would be ambiguous",
        )
        .clone();
    assert!(problem.detail.contains("e.g. `ab`"), "{problem:?}");
    let outcome = site.build();
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(!site.path("public").exists());

    // An id that ends with another's is unambiguous: `a-b` cannot then begin a longer id.
    site.remove("content/avtal/a-b.md");
    site.write("content/avtal/x-a.md", version("x-a", "2015-01-01"));
    site.check().assert_clean();
    site.build().assert_clean();
    for address in [
        "avtal/jamfor/a-b-c/",
        "avtal/jamfor/x-a-c/",
        "avtal/jamfor/a-x-a/",
    ] {
        assert!(
            site.path(&format!("public/{address}index.html")).is_file(),
            "{address} missing"
        );
    }
}

/// The address check behind the version id rule: should two comparisons still meet
/// (here ids are changed after loading, past the rule), rendering stops before a file
/// is written, naming both comparisons at the `version:` line of `a-b`, the id that
/// begins with another's. `serve`
/// renders with a cache, and is refused the same way.
#[test]
fn colliding_comparisons_are_refused_before_rendering() {
    use avtal::model::PageKind;
    let site = TestSite::new("colliding-comparisons");
    site.write("content/avtal/a.md", version("a", "2014-01-01"));
    site.write("content/avtal/ab.md", version("ab", "2015-01-01"));
    site.write("content/avtal/b-c.md", version("b-c", "2016-01-01"));
    site.write("content/avtal/c.md", version("c", "2017-01-01"));
    let loaded = avtal::content::load_all(&site.root);
    let mut prepared = avtal::pipeline::prepare(&site.root, loaded).expect("the site loads");
    for page in &mut prepared.site.pages {
        if let PageKind::Version(meta) = &mut page.kind
            && meta.version == "ab"
        {
            meta.version = "a-b".into();
        }
    }
    let expected = "`avtal/jamfor/a-b-c/` is the address of both the comparison a-b → c of work `avtal` and the comparison a → b-c of work `avtal`";
    let collected = avtal::output::Collected::default();
    let options = avtal::render::RenderOptions::default();
    match avtal::pipeline::render(&prepared, &options, &collected, None) {
        Err(avtal::render::RenderError::Problems(problems)) => {
            let page = problems
                .iter()
                .find(|p| p.message == expected)
                .unwrap_or_else(|| panic!("{problems:?}"));
            assert_eq!(page.file, "content/avtal/ab.md");
            assert_eq!(page.line, 4);
            assert!(
                problems.iter().any(|p| p.message
                    == "`avtal/jamfor/a-b-c.json` is the address of both the JSON of the comparison a-b → c of work `avtal` and the JSON of the comparison a → b-c of work `avtal`"),
                "{problems:?}"
            );
        }
        Err(other) => panic!("not a content problem: {other:?}"),
        Ok(_) => panic!("rendered two comparisons to one address"),
    }
    assert!(collected.into_files().is_empty(), "files were rendered");
    let mut cache = avtal::render::RenderCache::default();
    let discard = avtal::output::Discard;
    match avtal::pipeline::render(&prepared, &options, &discard, Some(&mut cache)) {
        Err(avtal::render::RenderError::Problems(problems)) => {
            assert!(problems.iter().any(|p| p.message == expected))
        }
        Err(other) => panic!("not a content problem: {other:?}"),
        Ok(_) => panic!("serve would render two comparisons to one address"),
    }
}

/// `serve` drives the same pipeline: a content page in place of the search page is an
/// error there too, not a silently replaced page.
#[test]
fn serve_refuses_a_content_page_in_place_of_a_generated_one() {
    let site = TestSite::new("address-serve");
    site.write("content/sok.md", page("Sök"));
    let loaded = avtal::content::load_all(&site.root);
    let prepared = avtal::pipeline::prepare(&site.root, loaded).expect("the site loads");
    let mut cache = avtal::render::RenderCache::default();
    let options = avtal::render::RenderOptions::default();
    let discard = avtal::output::Discard;
    match avtal::pipeline::render(&prepared, &options, &discard, Some(&mut cache)) {
        Err(avtal::render::RenderError::Problems(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].file, "content/sok.md");
            assert_eq!(problems[0].line, 1);
            assert_eq!(
                problems[0].message,
                "`sok/` is the address of both content/sok.md and the search page"
            );
        }
        Err(other) => panic!("not a content problem: {other:?}"),
        Ok(_) => panic!("serve rendered the search page's address twice"),
    }
}
