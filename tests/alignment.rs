//! Lineage: declared, proposed from text, and followed across versions; on a synthetic
//! agreement built to renumber, split, merge, add and remove clauses, and on the real texts.

use std::path::Path;

use avtal::compare::{self, Alignment, Status, propose};
use avtal::model::Site;

mod support;

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
    assert_eq!(status("P2"), Some(Status::Unchanged));
    assert_eq!(status("P1"), Some(Status::Changed));
    assert_eq!(status("P7"), Some(Status::New));
    let removed = comparison
        .pairs
        .iter()
        .find(|p| p.from == ids(&["P6"]))
        .unwrap();
    assert_eq!(removed.status, Status::Removed);
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
    let source = avtal::diagnostics::SourceText {
        name: format!("content/{path}"),
        text: edited_text.into(),
    };
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
