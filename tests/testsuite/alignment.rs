//! Lineage: declared, proposed from text, and followed across versions; on a synthetic
//! agreement built to renumber, split, merge, add and remove clauses, and on the real texts.

use std::path::Path;

use avtal::compare::{self, Alignment, ChangeKind, propose};
use avtal::model::Site;

use crate::support;

fn load(root: &Path) -> (Site, Alignment) {
    let (site, diagnostics) = avtal::content::load(root);
    let site = site.unwrap_or_else(|| panic!("{:#?}", diagnostics.items));
    let (alignment, problems) = compare::align(&site);
    assert!(!problems.has_errors(), "{:#?}", problems.items);
    (site, alignment)
}

fn page_index(site: &Site, work: &str, version: &str) -> usize {
    let page = site.version(work, version).unwrap();
    site.index_by_path(&page.path).unwrap()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn synthetic() -> (Site, Alignment) {
    load(&support::repo_root().join("tests/fixtures/synthetic"))
}

#[test]
fn undeclared_lineage_is_proposed_from_the_text() {
    let (site, alignment) = synthetic();
    let to = page_index(&site, "avtal", "2022");
    let step = alignment.steps.iter().find(|s| s.to_page == to).unwrap();
    let groups: Vec<(Vec<String>, Vec<String>, bool)> = step
        .groups
        .iter()
        .map(|g| (g.from.clone(), g.to.clone(), g.declared))
        .collect();
    assert_eq!(
        groups,
        vec![
            (ids(&["P7"]), ids(&["P1"]), false),       // renumbered
            (ids(&["P1"]), ids(&["P2"]), false),       // renumbered
            (ids(&["P3"]), ids(&["P3", "P4"]), false), // split
            (ids(&["P4", "P5"]), ids(&["P5"]), false), // merged
            (ids(&["P2"]), ids(&["P6"]), false),       // renumbered
            (ids(&[]), ids(&["P7"]), false),           // new
            (ids(&["P6"]), ids(&[]), false),           // removed
        ]
    );
}

#[test]
fn comparison_statuses_and_changed_share() {
    let (site, alignment) = synthetic();
    let (a, b) = (
        page_index(&site, "avtal", "2020"),
        page_index(&site, "avtal", "2022"),
    );
    let comparison = alignment.comparison(a, b).unwrap();
    let status = |to: &str| {
        comparison
            .pairs
            .iter()
            .find(|p| p.to == ids(&[to]))
            .map(|p| p.status)
    };
    // Every kept clause of 2020 has another number in 2022: renumbered, with its text
    // kept word for word (2020 § 1 → 2022 § 2) or changed (2020 § 7 → 2022 § 1).
    assert_eq!(status("P2"), Some(ChangeKind::Renumbered));
    assert_eq!(status("P1"), Some(ChangeKind::Renumbered));
    assert_eq!(status("P7"), Some(ChangeKind::New));
    let removed = comparison
        .pairs
        .iter()
        .find(|p| p.from == ids(&["P6"]))
        .unwrap();
    assert_eq!(removed.status, ChangeKind::Removed);
    let kept = comparison
        .pairs
        .iter()
        .find(|p| p.to == ids(&["P2"]))
        .unwrap();
    assert_eq!(kept.similarity, 1.0);
    let changed = comparison
        .pairs
        .iter()
        .find(|p| p.to == ids(&["P1"]))
        .unwrap();
    assert!(
        changed.similarity > 0.5 && changed.similarity < 1.0,
        "{}",
        changed.similarity
    );
    // The split and the merge say so.
    let split = comparison
        .pairs
        .iter()
        .find(|p| p.from == ids(&["P3"]))
        .unwrap();
    assert_eq!(split.status, ChangeKind::Split);
    let merged = comparison
        .pairs
        .iter()
        .find(|p| p.to == ids(&["P5"]))
        .unwrap();
    assert_eq!(merged.status, ChangeKind::Merged);
    // Between 2022 and 2024, a clause under the same number with the same text is
    // unchanged, and one whose text changed under the same number is changed.
    let later = alignment
        .comparison(b, page_index(&site, "avtal", "2024"))
        .unwrap();
    let status_in_later = |to: &str| {
        later
            .pairs
            .iter()
            .find(|p| p.to == ids(&[to]))
            .map(|p| p.status)
    };
    assert_eq!(status_in_later("P2"), Some(ChangeKind::Unchanged));
    assert_eq!(status_in_later("P4"), Some(ChangeKind::Renumbered));
    assert!(!changed.declared);
}

#[test]
fn distant_versions_follow_the_chain_of_lineage() {
    let (site, alignment) = synthetic();
    let (a, c) = (
        page_index(&site, "avtal", "2020"),
        page_index(&site, "avtal", "2024"),
    );
    let comparison = alignment.comparison(a, c).unwrap();
    let pairs: Vec<(Vec<String>, Vec<String>)> = comparison
        .pairs
        .iter()
        .map(|p| (p.from.clone(), p.to.clone()))
        .collect();
    // 2020 § 7 → 2022 § 1 → 2024 § 1; 2020 § 3 split in 2022 and merged again in 2024;
    // 2020 § 4 and § 5 merged into 2022 § 5 → 2024 § 4; 2022's new § 7 was removed again
    // in 2024, so it does not appear; 2020 § 6 was removed.
    assert!(pairs.contains(&(ids(&["P7"]), ids(&["P1"]))), "{pairs:?}");
    assert!(pairs.contains(&(ids(&["P3"]), ids(&["P3"]))), "{pairs:?}");
    assert!(
        pairs.contains(&(ids(&["P4", "P5"]), ids(&["P4"]))),
        "{pairs:?}"
    );
    assert!(pairs.contains(&(ids(&["P2"]), ids(&["P5"]))), "{pairs:?}");
    assert!(pairs.contains(&(ids(&["P6"]), ids(&[]))), "{pairs:?}");
    assert!(
        !pairs.iter().any(|(from, _)| from.is_empty()),
        "no clause is new over the whole chain: {pairs:?}"
    );
    // The 2022→2024 step is declared, the 2020→2022 one is not: the chain is automatic.
    assert!(comparison.pairs.iter().all(|p| !p.declared));
    // Notes travel along the chain.
    let syfte = comparison
        .pairs
        .iter()
        .find(|p| p.to == ids(&["P2"]))
        .unwrap();
    assert_eq!(syfte.notes, vec!["Oförändrad.".to_string()]);
}

#[test]
fn a_clause_keeps_one_identity_across_versions() {
    let (site, alignment) = synthetic();
    let a = page_index(&site, "avtal", "2020");
    let c = page_index(&site, "avtal", "2024");
    let lineage = alignment.lineage(a, "P7").unwrap();
    assert_eq!(lineage.key, "2020-P7");
    assert!(lineage.members.contains(&(c, "P1".to_string())));
    // An old anchor keeps meaning its old clause: 2020 § 1 is not 2024 § 1.
    assert_ne!(alignment.lineage(a, "P1").unwrap().key, lineage.key);
}

/// On the real texts the proposal must agree with the editors wherever text carried over:
/// every link it proposes is declared, and every declared link whose texts share enough
/// words to pass the threshold is proposed.
#[test]
fn proposal_agrees_with_declared_lineage_on_the_real_texts() {
    let (site, alignment) = load(&support::repo_root());
    let mut checked = 0;
    for step in alignment
        .steps
        .iter()
        .filter(|s| s.groups.iter().any(|g| g.declared))
    {
        let from = &site.pages[step.from_page];
        let to = &site.pages[step.to_page];
        let old: Vec<String> = from.body.clauses.iter().map(|c| c.plain_text()).collect();
        let new: Vec<String> = to.body.clauses.iter().map(|c| c.plain_text()).collect();
        let all: Vec<usize> = (0..new.len()).collect();
        // The proposal reads headings too, as the build gives them to it.
        let input = |page: &'_ avtal::model::Page, texts: &'_ [String]| -> Vec<(String, String)> {
            let titles = page.body.clauses.iter().map(|c| c.title.clone());
            titles.zip(texts.iter().cloned()).collect()
        };
        let (old_read, new_read) = (input(from, &old), input(to, &new));
        let old_input: Vec<propose::Clause> = old_read
            .iter()
            .map(|(title, text)| propose::Clause { title, text })
            .collect();
        let new_input: Vec<propose::Clause> = new_read
            .iter()
            .map(|(title, text)| propose::Clause { title, text })
            .collect();
        let proposed: Vec<(Vec<usize>, Vec<usize>)> =
            propose::proposal(&old_input, &new_input, &all)
                .groups()
                .into_iter()
                .map(|(os, ns, _)| (os, ns))
                .collect();
        let declared = |o: &str, n: &str| {
            step.groups
                .iter()
                .any(|g| g.declared && g.from.iter().any(|f| f == o) && g.to.iter().any(|t| t == n))
        };
        for (os, ns) in &proposed {
            for &o in os {
                for &n in ns {
                    let (o_id, n_id) = (&from.body.clauses[o].id, &to.body.clauses[n].id);
                    let strength =
                        propose::link_strength(&propose::words(&old[o]), &propose::words(&new[n]));
                    if strength.is_some() {
                        assert!(
                            declared(o_id, n_id),
                            "proposed {o_id} → {n_id} is not declared"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(
        checked >= 5,
        "the real texts should carry over in at least five places, found {checked}"
    );
}

/// What an alignment says, in a form two alignments can be compared by.
fn summary(alignment: &Alignment) -> Vec<String> {
    let mut lines: Vec<String> = alignment
        .steps
        .iter()
        .map(|s| {
            format!(
                "step {} {}→{} {:?}",
                s.work, s.from_page, s.to_page, s.groups
            )
        })
        .collect();
    lines.extend(alignment.comparisons.iter().map(|c| {
        let pairs: Vec<String> = c
            .pairs
            .iter()
            .map(|p| format!("{:?}→{:?} {:?} {:.3}", p.from, p.to, p.status, p.similarity))
            .collect();
        format!("compare {} {}→{} {pairs:?}", c.work, c.from_page, c.to_page)
    }));
    lines.extend(
        alignment
            .lineages
            .iter()
            .map(|l| format!("lineage {} {} {:?}", l.work, l.key, l.members)),
    );
    lines
}

#[test]
fn aligning_one_work_again_after_an_edit_equals_aligning_everything() {
    // `serve` re-aligns only the work of a saved version: the result must be what a
    // full alignment of the edited site gives.
    let root = support::repo_root().join("tests/fixtures/synthetic");
    let (mut site, mut alignment) = load(&root);
    let index = page_index(&site, "avtal", "2022");
    let path = site.pages[index].path.clone();
    let original = std::fs::read_to_string(root.join("content").join(&path)).expect("read");
    let edited_text = original.replacen(
        "språkundervisning för vuxna",
        "språkundervisning och samhällsorientering för vuxna",
        1,
    );
    assert_ne!(edited_text, original, "the edit changes the text");
    let source = avtal::diagnostics::SourceText::new(format!("content/{path}"), edited_text);
    let edited = avtal::content::parse_page(source, &path).expect("the edit parses");
    site.replace_page(index, edited);
    let work = site.work("avtal").expect("work").clone();
    let problems = alignment.realign_work(&site, &work);
    assert!(!problems.has_errors());
    let (full, _) = compare::align(&site);
    assert_eq!(summary(&alignment), summary(&full));
    assert_ne!(
        summary(&alignment),
        summary(&load(&root).1),
        "the edit shows"
    );
}

#[test]
fn a_work_aligned_again_keeps_every_works_index_and_look_up_as_a_full_alignment() {
    // `serve` updates the clause → lineage index and the pages' look-ups for the saved
    // version's work only: with two works, those of the other work must stay right,
    // whether the edit keeps the number of lineages (updated in place) or not.
    let dir = crate::open_data::real_content_and_second_work();
    let root = dir.path();
    let edits = [
        // A word changed: every list keeps its length.
        ("overenskommelse", "2009", "Nyanlända", "Nyligen anlända"),
        // A clause added at the end: one lineage more, later works' places shift.
        (
            "overenskommelse",
            "2009",
            "\n## § 7",
            "\n## § 99 Tillagd\n\nEn paragraf som bara finns här.\n\n## § 7",
        ),
        ("riktlinjer", "2021", "bistånd", "ekonomiskt stöd"),
    ];
    for (work_id, version, from, to) in edits {
        let (mut site, mut alignment) = load(root);
        let index = page_index(&site, work_id, version);
        let path = site.pages[index].path.clone();
        let file = root.join("content").join(&path);
        let original = std::fs::read_to_string(&file).expect("read");
        let edited_text = original.replacen(from, to, 1);
        assert_ne!(
            edited_text, original,
            "{work_id} {version}: the edit changes the text"
        );
        let source = avtal::diagnostics::SourceText::new(format!("content/{path}"), edited_text);
        let edited = avtal::content::parse_page(source, &path).expect("the edit parses");
        let mut lookups = avtal::render::pages::Lookups::new(&site, &alignment);
        site.replace_page(index, edited);
        let work = site.work(work_id).expect("work").clone();
        let before = alignment.spans_of(work_id);
        let problems = alignment.realign_work(&site, &work);
        assert!(!problems.has_errors(), "{:#?}", problems.items);
        lookups.work_realigned(&alignment, work_id, &before);
        let (full, _) = compare::align(&site);
        assert_eq!(summary(&alignment), summary(&full), "{work_id} {version}");
        assert_eq!(alignment.lineage_of, full.lineage_of, "{work_id} {version}");
        let fresh = avtal::render::pages::Lookups::new(&site, &full);
        assert!(
            lookups.same_alignment_lookups(&fresh),
            "{work_id} {version}: the look-ups differ from a full alignment's"
        );
    }
}

// Comparisons that keep the structure (issue 17): parts, list numbers, moved sentences,
// chains, on the real agreement.

use avtal::compare::parts::Aligned;
use avtal::compare::report::Laid;
use avtal::compare::view;
use avtal::compare::{Comparison, Pair};

fn real() -> (Site, Alignment) {
    load(&support::repo_root())
}

fn real_comparison<'a>(site: &Site, alignment: &'a Alignment, a: &str, b: &str) -> &'a Comparison {
    let (a, b) = (
        page_index(site, "overenskommelse", a),
        page_index(site, "overenskommelse", b),
    );
    alignment.comparison(a, b).expect("a comparison")
}

fn pair_to<'a>(comparison: &'a Comparison, to: &[&str]) -> &'a Pair {
    comparison
        .pairs
        .iter()
        .find(|p| p.to == ids(to))
        .unwrap_or_else(|| panic!("a pair to {to:?}"))
}

/// (from clause id, to clause id) of each part of a pair.
fn part_ids(laid: &Laid, pair: &Pair) -> Vec<(String, String)> {
    pair.parts
        .iter()
        .map(|p| {
            (
                p.from
                    .map_or(String::new(), |f| laid.clause_id(true, f).to_string()),
                p.to.map_or(String::new(), |t| laid.clause_id(false, t).to_string()),
            )
        })
        .collect()
}

/// The text of every sentence a side of a part shows, moved or not.
fn shown_sentences(laid: &Laid, pair: &Pair, old: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for part in &pair.parts {
        let clause = if old { part.from } else { part.to };
        let Some(clause) = clause else { continue };
        let count = if old { &laid.old } else { &laid.new }[clause]
            .sentences
            .len();
        for i in 0..count {
            if part.order.iter().any(|item| item.shows(old, i)) {
                out.push((clause, i));
            }
        }
    }
    out
}

#[test]
fn a_split_row_shows_one_part_per_target_each_with_its_own_share() {
    let (site, alignment) = real();
    let comparison = real_comparison(&site, &alignment, "2009", "2013");
    let laid = Laid::of(&site, comparison);
    let split = pair_to(comparison, &["P2", "P5"]);
    assert_eq!(split.status, ChangeKind::Split);
    assert_eq!(
        part_ids(&laid, split),
        [("P1".into(), "P2".into()), ("P1".into(), "P5".into())]
    );
    // 2013 § 2 is new wording under the old heading: its part holds no text of 2009 § 1,
    // so nothing of § 1 holds the diff of § 2 together.
    let to_p2 = &split.parts[0];
    assert!(
        to_p2.order.iter().all(|a| matches!(a, Aligned::Added(_))),
        "{:?}",
        to_p2.order
    );
    assert_eq!(to_p2.similarity(), 0.0);
    let to_p5 = &split.parts[1];
    assert!(to_p5.similarity() > 0.0 && to_p5.similarity() < 1.0);
    // Every sentence of both sides is shown exactly once over the parts.
    for old in [true, false] {
        let shown = shown_sentences(&laid, split, old);
        let mut unique = shown.clone();
        unique.dedup();
        assert_eq!(shown, unique, "a sentence shown twice");
        let clauses: Vec<usize> = split
            .parts
            .iter()
            .filter_map(|p| if old { p.from } else { p.to })
            .collect();
        let all: usize = {
            let mut c = clauses.clone();
            c.dedup();
            c.iter()
                .map(|&c| if old { &laid.old } else { &laid.new }[c].sentences.len())
                .sum()
        };
        assert_eq!(shown.len(), all, "every sentence shown (old: {old})");
    }
    // 2009 § 5 → 2013 § 6 and § 8: two parts, each its own share of words changed.
    let other = pair_to(comparison, &["P6", "P8"]);
    assert_eq!(
        part_ids(&laid, other),
        [("P5".into(), "P6".into()), ("P5".into(), "P8".into())]
    );
}

#[test]
fn list_items_keep_their_numbers_in_both_views() {
    let (site, alignment) = real();
    let comparison = real_comparison(&site, &alignment, "2009", "2013");
    let laid = Laid::of(&site, comparison);
    let sides = laid.sides();
    let split = pair_to(comparison, &["P2", "P5"]);
    let part = &split.parts[1];
    let numbers = |blocks: &[view::Shown], old: bool| -> Vec<u32> {
        blocks
            .iter()
            .filter(|b| b.old == old)
            .filter_map(|b| {
                let layouts = if b.old { &laid.old } else { &laid.new };
                layouts[b.clause].blocks[b.block].item
            })
            .collect()
    };
    let eleven: Vec<u32> = (1..=11).collect();
    let seven: Vec<u32> = (1..=7).collect();
    assert_eq!(numbers(&view::side(&sides, part, false), false), eleven);
    assert_eq!(numbers(&view::side(&sides, part, true), true), seven);
    let inline = view::inline(&sides, part);
    assert_eq!(numbers(&inline, false), eleven);
    assert_eq!(numbers(&inline, true), seven);
    // Point 7 of 2013 § 5 is new, and can be cited so.
    let point_7 = inline
        .iter()
        .find(|b| !b.old && laid.new[b.clause].blocks[b.block].id == "P5S2N7")
        .expect("2013 § 5 punkt 7");
    assert!(
        point_7
            .pieces
            .iter()
            .all(|p| matches!(p, view::Piece::Text(op, t) if *op == avtal::compare::words::Op::Insert || t.trim().is_empty())),
        "{point_7:?}"
    );
    assert_eq!(
        laid.place(
            false,
            (
                point_7.clause,
                laid.new[point_7.clause]
                    .sentences
                    .iter()
                    .position(|s| s.block == point_7.block)
                    .unwrap()
            )
        ),
        "2013 § 5 punkt 7"
    );
}

#[test]
fn sentences_that_moved_are_shown_moved_with_where_they_went() {
    let (site, alignment) = real();
    let comparison = real_comparison(&site, &alignment, "2009", "2013");
    let laid = Laid::of(&site, comparison);
    let moved_text = |pair: &Pair, needle: &str| -> (bool, bool) {
        let mut away = false;
        let mut here = false;
        for part in &pair.parts {
            for item in &part.order {
                match item {
                    Aligned::MovedAway { old, .. } => {
                        away |= laid.old[part.from.unwrap()].sentence(*old).contains(needle)
                    }
                    Aligned::MovedHere { new, .. } => {
                        here |= laid.new[part.to.unwrap()].sentence(*new).contains(needle)
                    }
                    Aligned::Removed(o) => assert!(
                        !laid.old[part.from.unwrap()].sentence(*o).contains(needle),
                        "{needle} shown removed"
                    ),
                    Aligned::Added(n) => assert!(
                        !laid.new[part.to.unwrap()].sentence(*n).contains(needle),
                        "{needle} shown added"
                    ),
                    Aligned::Same { .. } => {}
                }
            }
        }
        (away, here)
    };
    // From the second stycke of 2009 § 1 to the first sentence of 2013 § 5.
    let split = pair_to(comparison, &["P2", "P5"]);
    let needle =
        "kommunerna ska samarbeta så att det leder till ett gemensamt regionalt ansvarstagande";
    assert_eq!(moved_text(split, needle), (true, true));
    let m = split.moves.first().expect("a move");
    assert_eq!(laid.place(true, m.old), "2009 § 1 stycke 2");
    assert_eq!(laid.place(false, m.new), "2013 § 5 stycke 1");
    assert!(split.moves.len() == 1, "{:?}", split.moves);
    // Within Utgångspunkter: a sentence of the first stycke now opens the second.
    let start = pair_to(comparison, &["utgangspunkter", "P3"]);
    assert_eq!(
        moved_text(
            start,
            "Nyanlända barn, kvinnor och män ska erbjudas ett effektivt stöd"
        ),
        (true, true)
    );
    assert_eq!(start.moves.len(), 2, "{:?}", start.moves);
    // A row whose words moved is not less similar for it: moved text counts as kept.
    assert!(start.similarity > 0.4, "{}", start.similarity);
}

#[test]
fn a_merge_mirrors_a_split() {
    let (site, alignment) = real();
    let comparison = real_comparison(&site, &alignment, "2008", "2009");
    let laid = Laid::of(&site, comparison);
    let merged = comparison
        .pairs
        .iter()
        .find(|p| p.to.contains(&"P1".to_string()))
        .unwrap();
    assert_eq!(merged.status, ChangeKind::Merged);
    let parts = part_ids(&laid, merged);
    // Each of the seven points of 2008 is a part of its own into 2009 § 1.
    for n in 1..=7 {
        assert!(
            parts.contains(&(format!("punkt-{n}"), "P1".to_string())),
            "{parts:?}"
        );
    }
    // Point 3 went to item 3 of the list of 2009 § 1, nearly word for word.
    let index = parts
        .iter()
        .position(|p| *p == ("punkt-3".to_string(), "P1".to_string()))
        .unwrap();
    let part = &merged.parts[index];
    assert!(part.similarity() > 0.8, "{}", part.similarity());
    let new_blocks: Vec<String> = view::side(&laid.sides(), part, false)
        .iter()
        .map(|b| laid.new[b.clause].blocks[b.block].id.clone())
        .collect();
    assert_eq!(new_blocks, ["P1S4N3"]);
}

#[test]
fn a_chain_reads_as_rows_a_person_can_follow() {
    let (site, alignment) = real();
    let comparison = real_comparison(&site, &alignment, "2008", "2013");
    // Composed clause by clause, 2008 → 2013 was one row of 8 → 5 clauses; composed
    // sentence by sentence, no row has more than one 2008 clause.
    for pair in &comparison.pairs {
        assert!(pair.from.len() <= 1, "{:?} → {:?}", pair.from, pair.to);
        assert!(pair.to.len() <= 3, "{:?} → {:?}", pair.from, pair.to);
    }
    let syfte = comparison
        .pairs
        .iter()
        .find(|p| p.from == ids(&["syfte"]))
        .unwrap();
    // The 2008 purpose went into 2013 Utgångspunkter and § 5 (a sentence each, through
    // 2009), and its heading into § 2.
    assert_eq!(syfte.to, ids(&["utgangspunkter", "P2", "P5"]));
    assert_eq!(syfte.status, ChangeKind::Split);
    // "köpa och byta tjänster" (2008 point 4) is not in 2013.
    let point_4 = comparison
        .pairs
        .iter()
        .find(|p| p.from == ids(&["punkt-4"]))
        .unwrap();
    assert_eq!(point_4.status, ChangeKind::Removed);
}
