//! `avtal serve`'s quick path, in process: the pages it renders for a save equal what a
//! full build renders for them, also after earlier saves moved links, titles and
//! concerns (its site-wide lookups are updated page by page, not rebuilt).

mod property;
use crate::serve_support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use avtal::cancel::Cancel;
use avtal::serve::incremental::{RebuildError, Session};
use avtal::serve::quick::{Handover, Quick, Unanswered};
use avtal::serve::state::Files;
use serve_support::site_copy;

fn full_build(root: &Path) -> Files {
    let mut session = Session::new(root, avtal::serve::render_options());
    let rebuilt = session
        .rebuild(&HashSet::new(), &Cancel::never())
        .expect("the site builds");
    rebuilt.files
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("pages are UTF-8")
}

fn edit(path: &Path, change: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).expect("read");
    let changed = change(&text);
    assert_ne!(changed, text, "the edit changes {}", path.display());
    std::fs::write(path, changed).expect("write");
}

#[test]
fn quick_pages_equal_a_full_builds_after_saves_that_move_links_titles_and_concerns() {
    let site = site_copy();
    let root = site.path();
    let mut session = Session::new(root, avtal::serve::render_options());
    let first = session
        .rebuild(&HashSet::new(), &Cancel::never())
        .expect("the site builds");
    let mut quick = Quick::new(root, avtal::serve::render_options());
    quick.take_build(Handover::new(first.model, 0));

    // The decision is renamed, stops linking to 2013 (links to 2009 instead) and no
    // longer concerns 2013: 2013's page must lose it, 2009's list it under its new name.
    let new_title = "Ekerö kommuns beslut, omdöpt av snabbtestet";
    let decision = root.join("content/dokument/ekero-beslut-2013.md");
    edit(&decision, |text| {
        text.replacen(
            "title: \"Överenskommelse om samverkan mellan kommuner i Stockholms län gällande nyanlända\"",
            &format!("title: \"{new_title}\""),
            1,
        )
        .replace("@/overenskommelse/2013.md", "@/overenskommelse/2009.md")
        .replace(
            "concerns: [\"overenskommelse/2013\", \"overenskommelse/2009\"]",
            "concerns: [\"overenskommelse/2009\"]",
        )
    });
    let mut rendered = Files::new();
    let saves: [(u64, PathBuf); 3] = [
        (1, decision),
        (2, root.join("content/overenskommelse/2013.md")),
        (3, root.join("content/overenskommelse/2009.md")),
    ];
    for (number, path) in &saves {
        if *number > 1 {
            // The versions' own text changes too: their work is aligned again.
            edit(path, |text| {
                format!("{text}\nEn mening från snabbtestet.\n")
            });
        }
        let update = quick
            .answer(&[path.clone()].into(), *number, &Cancel::never())
            .expect("an existing page, not moved: the quick path answers");
        assert!(!update.pages.is_empty());
        rendered.extend(update.pages);
    }
    for page in [
        "dokument/ekero-beslut-2013/index.html",
        "overenskommelse/2013/index.html",
        "overenskommelse/2009/index.html",
        "overenskommelse/index.html",
    ] {
        assert!(
            rendered.contains_key(page),
            "the quick path rendered {page}"
        );
    }
    assert!(text(&rendered["overenskommelse/2009/index.html"]).contains(new_title));
    assert!(!text(&rendered["overenskommelse/2013/index.html"]).contains(new_title));

    let full = full_build(root);
    for (path, html) in &rendered {
        let expected = full
            .get(path)
            .unwrap_or_else(|| panic!("{path} is in the full build"));
        assert!(
            html == expected,
            "{path}: the quick path's page differs from the full build's"
        );
    }
}

#[test]
fn a_moved_page_or_a_new_file_is_left_to_the_full_rebuild() {
    let site = site_copy();
    let root = site.path();
    let mut session = Session::new(root, avtal::serve::render_options());
    let first = session
        .rebuild(&HashSet::new(), &Cancel::never())
        .expect("the site builds");
    let mut quick = Quick::new(root, avtal::serve::render_options());
    quick.take_build(Handover::new(first.model, 0));

    let new_file = root.join("content/dokument/ny.md");
    std::fs::copy(
        root.join("content/dokument/ekero-beslut-2013.md"),
        &new_file,
    )
    .expect("copy");
    assert!(matches!(
        quick.answer(&[new_file].into(), 1, &Cancel::never()),
        Err(Unanswered::LeftToFullRebuild)
    ));

    let version = root.join("content/overenskommelse/2013.md");
    edit(&version, |text| {
        text.replacen("date: 2013", "date: 2014", 1)
    });
    assert!(matches!(
        quick.answer(&[version].into(), 2, &Cancel::never()),
        Err(Unanswered::LeftToFullRebuild)
    ));
}

#[test]
fn saves_a_newer_full_rebuild_had_not_seen_are_applied_to_it_again() {
    let site = site_copy();
    let root = site.path();
    let mut session = Session::new(root, avtal::serve::render_options());
    let mut build = || {
        session
            .rebuild(&HashSet::new(), &Cancel::never())
            .expect("the site builds")
            .model
    };
    let (older, newer) = (build(), build());
    let mut quick = Quick::new(root, avtal::serve::render_options());
    quick.take_build(Handover::new(older, 0));

    let new_title = "Ekerö kommuns beslut, omdöpt före en äldre ombyggnad";
    let decision = root.join("content/dokument/ekero-beslut-2013.md");
    edit(&decision, |text| {
        text.replacen(
            "title: \"Överenskommelse om samverkan mellan kommuner i Stockholms län gällande nyanlända\"",
            &format!("title: \"{new_title}\""),
            1,
        )
    });
    quick
        .answer(&[decision].into(), 1, &Cancel::never())
        .expect("answers");
    // A full rebuild that started before save 1 finishes: the quick path starts from
    // it, and the decision's new title must still show where 2013 lists it.
    quick.take_build(Handover::new(newer, 0));
    let version = root.join("content/overenskommelse/2013.md");
    edit(&version, |text| {
        format!("{text}\nEn mening från snabbtestet.\n")
    });
    let update = quick
        .answer(&[version].into(), 2, &Cancel::never())
        .expect("answers");
    let page = update
        .pages
        .get("overenskommelse/2013/index.html")
        .expect("the version page is rendered");
    assert!(
        text(page).contains(new_title),
        "the backlink shows the new title"
    );
}

/// Grows 2013's version by `count` clauses that no lineage declares: aligning it
/// proposes their lineage clause by clause, the longest loop of a rebuild.
fn grow_version(root: &Path, count: usize) {
    let path = root.join("content/overenskommelse/2013.md");
    let mut text = std::fs::read_to_string(&path).expect("read");
    for n in 100..100 + count {
        text.push_str(&format!(
            "\n## § {n} Tillagd paragraf {n}\n\nKommunerna samverkar enligt punkt {n} i denna överenskommelse.\n"
        ));
    }
    std::fs::write(&path, text).expect("write");
}

/// A pool of its own for work that may give way: [`Cancel::run_in`] tells every thread of
/// its pool, and the other tests of this binary use rayon's global pool meanwhile.
fn own_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a thread pool")
}

/// A `Cancel` that says "stop" from its `after`-th question on, and counts the questions.
fn cancel_after(after: usize) -> (Cancel, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let cancel = Cancel::when(move || counter.fetch_add(1, Ordering::SeqCst) >= after);
    (cancel, asked)
}

#[test]
fn a_rebuild_and_a_quick_answer_ask_whether_to_give_way_inside_the_long_loops() {
    let pool = own_pool();
    let site = site_copy();
    let root = site.path();
    let clauses = 300;
    grow_version(root, clauses);
    let mut session = Session::new(root, avtal::serve::render_options());
    let (cancel, asked) = cancel_after(usize::MAX);
    let first = cancel
        .run_in(Some(&pool), || session.rebuild(&HashSet::new(), &cancel))
        .expect("the site builds");
    // Not only between files and pages: at least once per clause while aligning.
    let asked = asked.load(Ordering::SeqCst);
    assert!(
        asked >= clauses,
        "a rebuild asked {asked} times for a version of {clauses} new clauses"
    );

    let mut quick = Quick::new(root, avtal::serve::render_options());
    quick.take_build(Handover::new(first.model, 0));
    let version = root.join("content/overenskommelse/2013.md");
    edit(&version, |text| format!("{text}\nEn sista mening.\n"));
    let (cancel, asked) = cancel_after(usize::MAX);
    let update = cancel.run_in(Some(&pool), || quick.answer(&[version].into(), 1, &cancel));
    assert!(update.is_ok(), "the quick path answers");
    let asked = asked.load(Ordering::SeqCst);
    assert!(
        asked >= clauses,
        "a quick answer asked {asked} times for a version of {clauses} new clauses"
    );
}

#[test]
fn a_rebuild_or_quick_answer_that_gives_way_anywhere_keeps_nothing_half_done() {
    let pool = own_pool();
    let site = site_copy();
    let root = site.path();
    grow_version(root, 20);
    let mut session = Session::new(root, avtal::serve::render_options());
    let first = session
        .rebuild(&HashSet::new(), &Cancel::never())
        .expect("the site builds");
    let mut quick = Quick::new(root, avtal::serve::render_options());
    quick.take_build(Handover::new(first.model, 0));
    let version = root.join("content/overenskommelse/2013.md");
    let decision = root.join("content/dokument/ekero-beslut-2013.md");
    let touched: HashSet<PathBuf> = [version.clone(), decision.clone()].into();
    // Giving way at the first question, at later ones, and never.
    for (save, after) in (1u64..).zip([0, 2, 20, 200, usize::MAX]) {
        edit(&version, |text| format!("{text}\nMening nummer {save}.\n"));
        edit(&decision, |text| format!("{text}\nBeslutsmening {save}.\n"));
        let expected = full_build(root);

        let (cancel, _) = cancel_after(after);
        match cancel.run_in(Some(&pool), || quick.answer(&touched, save, &cancel)) {
            Err(Unanswered::Cancelled) => assert!(cancel.is_requested()),
            Ok(update) => {
                for (path, html) in &update.pages {
                    assert!(html == &expected[path], "giving way after {after}: {path}");
                }
            }
            Err(other) => panic!("giving way after {after}: {other:?}"),
        }

        let (cancel, _) = cancel_after(after);
        match cancel.run_in(Some(&pool), || session.rebuild(&touched, &cancel)) {
            Err(RebuildError::Cancelled) => assert!(cancel.is_requested()),
            Ok(rebuilt) => assert!(rebuilt.files == expected, "giving way after {after}"),
            Err(RebuildError::Problems(problems)) => {
                panic!("giving way after {after}: {problems:?}")
            }
        }
        // Whatever was given up, the next rebuild and quick answer are whole.
        let rebuilt = session
            .rebuild(&touched, &Cancel::never())
            .expect("rebuilds");
        assert!(rebuilt.files == expected, "after giving way after {after}");
        quick.take_build(Handover::new(rebuilt.model, save));
        let update = quick
            .answer(&touched, save, &Cancel::never())
            .expect("answers");
        for (path, html) in &update.pages {
            assert!(
                html == &expected[path],
                "after giving way after {after}: {path}"
            );
        }
    }
}

/// `plan_made_from` plans only a page's own and its work's pages; what it chooses must
/// be exactly what `Route::made_from` keeps of the whole site's plan, for every page of
/// a site with one work and of one with two.
#[test]
fn the_pages_planned_for_a_save_are_those_the_whole_plan_says_are_made_from_it() {
    let real = serve_support::repo_root();
    let two_works = crate::open_data::real_content_and_second_work();
    for root in [real.as_path(), two_works.path()] {
        let built = avtal::pipeline::build(root, &avtal::serve::render_options())
            .unwrap_or_else(|problems| panic!("{} builds: {problems:?}", root.display()));
        let (site, alignment) = (&built.site, &built.alignment);
        let lookups = avtal::render::pages::Lookups::new(site, alignment);
        let whole = avtal::render::plan(site, alignment, &lookups);
        let mut versions_seen = 0;
        for index in 0..site.pages.len() {
            let expected: HashSet<String> = whole
                .iter()
                .filter(|job| {
                    job.owner
                        .route()
                        .is_some_and(|route| route.made_from(site, index))
                })
                .map(|job| job.output_path())
                .collect();
            let planned: Vec<String> =
                avtal::render::plan_made_from(site, alignment, &lookups, index)
                    .iter()
                    .map(|job| job.output_path())
                    .collect();
            assert_eq!(
                planned.len(),
                planned.iter().collect::<HashSet<_>>().len(),
                "{}: a page planned twice for {}",
                root.display(),
                site.pages[index].path
            );
            assert_eq!(
                planned.into_iter().collect::<HashSet<_>>(),
                expected,
                "{}: the pages made from {}",
                root.display(),
                site.pages[index].path
            );
            if site.pages[index].version().is_some() {
                versions_seen += 1;
                assert!(expected.len() > 3, "a version makes its work's pages too");
            }
        }
        assert!(
            versions_seen >= 2,
            "{}: versions were checked",
            root.display()
        );
    }
}
