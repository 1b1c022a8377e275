//! Lineage evaluation: the automatic proposal measured against known answers.
//!
//! Each case is a site in our content format whose later versions declare their lineage:
//! the real agreement (`content/`) and invented texts under `tests/lineage_eval/`
//! (statutes, agreements and rules, written for this test). The declared lineage is the
//! answer. The test copies each site with every `lineage:` block removed, loads and
//! aligns it as `avtal build` does (`content::load`, `compare::align`, which proposes
//! lineage for every clause), and scores the proposed links against the declared ones,
//! link by link. Run with `cargo test --test testsuite lineage_eval -- --nocapture` to see the
//! table the README quotes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use avtal::compare::{self, Alignment};
use avtal::model::Site;

use crate::support;

/// A link between two clauses of a version pair: (from version, to version, from clause,
/// to clause).
type Link = (String, String, String, String);

/// Cases kept out of sight while the proposal was developed, scored like the others
/// and reported apart: how it does on text it was not adjusted to.
const HELD_OUT: &[&str] = &[
    "boilerplate-vattenavtal",
    "merge-biblioteksregler",
    "move-personalpolicy",
    "reword-stadgar",
    "short-stadga",
    "split-hamnordning",
];

/// The front matter of a version without its `lineage:` block (the key and every
/// indented or list line under it).
fn strip_lineage(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_front = false;
    let mut fences = 0;
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" && fences < 2 {
            fences += 1;
            in_front = fences == 1;
            skipping = false;
            out.push_str(line);
            continue;
        }
        if in_front {
            if line.starts_with("lineage:") {
                skipping = true;
                continue;
            }
            if skipping
                && (line.starts_with(' ') || line.starts_with('-') || line.trim().is_empty())
            {
                continue;
            }
            skipping = false;
        }
        out.push_str(line);
    }
    out
}

/// Copies the site at `root` (its `content/`) into a temporary folder with every
/// version's lineage removed.
fn stripped_copy(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = root.join("content");
    for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
        let relative = entry.path().strip_prefix(&from).expect("inside content");
        let target = dir.path().join("content").join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("read case file");
            std::fs::write(&target, strip_lineage(&text)).expect("write case file");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy case file");
        }
    }
    dir
}

fn load(root: &Path) -> (Site, Alignment) {
    let (site, diagnostics) = avtal::content::load(root);
    let site = site.unwrap_or_else(|| panic!("{}: {:#?}", root.display(), diagnostics.items));
    let (alignment, problems) = compare::align(&site);
    assert!(
        !problems.has_errors(),
        "{}: {:#?}",
        root.display(),
        problems.items
    );
    (site, alignment)
}

fn version(site: &Site, page: usize) -> String {
    site.pages[page]
        .version()
        .map_or_else(String::new, |v| v.version.clone())
}

/// The links of every step, declared (`declared`) or proposed, each once.
fn links(
    site: &Site,
    alignment: &Alignment,
    declared: bool,
) -> BTreeMap<(String, String), BTreeSet<Link>> {
    let mut out: BTreeMap<(String, String), BTreeSet<Link>> = BTreeMap::new();
    for step in &alignment.steps {
        let (a, b) = (version(site, step.from_page), version(site, step.to_page));
        let entry = out.entry((a.clone(), b.clone())).or_default();
        for group in step.groups.iter().filter(|g| g.declared == declared) {
            for from in &group.from {
                for to in &group.to {
                    entry.insert((a.clone(), b.clone(), from.clone(), to.clone()));
                }
            }
        }
    }
    out
}

/// Uncertain proposed links of every step.
fn uncertain(site: &Site, alignment: &Alignment) -> BTreeSet<Link> {
    let mut out = BTreeSet::new();
    for step in &alignment.steps {
        let (a, b) = (version(site, step.from_page), version(site, step.to_page));
        for group in step.groups.iter().filter(|g| !g.declared && g.uncertain) {
            for from in &group.from {
                for to in &group.to {
                    out.insert((a.clone(), b.clone(), from.clone(), to.clone()));
                }
            }
        }
    }
    out
}

#[derive(Debug, Default, Clone)]
struct Score {
    proposed: usize,
    expected: usize,
    correct: usize,
    uncertain: usize,
    uncertain_wrong: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        if self.proposed == 0 {
            1.0
        } else {
            self.correct as f64 / self.proposed as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }
}

struct Outcome {
    name: String,
    kind: String,
    held_out: bool,
    score: Score,
    missed: Vec<Link>,
    wrong: Vec<Link>,
}

/// Scores one site: the answer from its declared lineage, the proposal from a copy
/// without it. `only` limits it to one version pair.
fn evaluate(name: &str, kind: &str, root: &Path, only: Option<(&str, &str)>) -> Outcome {
    let (site, alignment) = load(root);
    let answer = links(&site, &alignment, true);
    let copy = stripped_copy(root);
    let (bare_site, bare) = load(copy.path());
    let proposed = links(&bare_site, &bare, false);
    let unsure = uncertain(&bare_site, &bare);
    let mut score = Score::default();
    let (mut missed, mut wrong) = (Vec::new(), Vec::new());
    for (pair, expected) in &answer {
        if only.is_some_and(|(a, b)| (a, b) != (pair.0.as_str(), pair.1.as_str())) {
            continue;
        }
        let got = proposed.get(pair).cloned().unwrap_or_default();
        score.expected += expected.len();
        score.proposed += got.len();
        score.correct += got.intersection(expected).count();
        score.uncertain += got.iter().filter(|l| unsure.contains(*l)).count();
        score.uncertain_wrong += got
            .iter()
            .filter(|l| unsure.contains(*l) && !expected.contains(*l))
            .count();
        missed.extend(expected.difference(&got).cloned());
        wrong.extend(got.difference(expected).cloned());
    }
    Outcome {
        name: name.to_string(),
        kind: kind.to_string(),
        held_out: HELD_OUT.contains(&name),
        score,
        missed,
        wrong,
    }
}

fn cases() -> Vec<(String, String, PathBuf)> {
    let dir = support::repo_root().join("tests/lineage_eval");
    let mut cases: Vec<(String, String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/lineage_eval")
        .flatten()
        .filter(|e| e.path().join("content").is_dir())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // The kind of case is the name up to the first dash: `split-stadgar`.
            let kind = name.split('-').next().unwrap_or(&name).to_string();
            (name, kind, e.path())
        })
        .collect();
    cases.sort();
    cases
}

fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, count) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| case | kind | links | proposed | correct | uncertain (of them wrong) | precision | recall |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for o in outcomes {
        let s = &o.score;
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} | {} ({}) | {:.2} | {:.2} |",
            o.name,
            if o.held_out { " (held out)" } else { "" },
            o.kind,
            s.expected,
            s.proposed,
            s.correct,
            s.uncertain,
            s.uncertain_wrong,
            s.precision(),
            s.recall()
        );
    }
    out
}

fn kinds(outcomes: &[Outcome]) -> BTreeMap<String, (f64, f64, usize)> {
    let mut by_kind: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_kind.entry(o.kind.clone()).or_default().push(o);
    }
    by_kind
        .into_iter()
        .map(|(kind, list)| {
            let p = mean(list.iter().map(|o| o.score.precision()));
            let r = mean(list.iter().map(|o| o.score.recall()));
            (kind, (p, r, list.len()))
        })
        .collect()
}

#[test]
fn the_proposal_recovers_known_lineage() {
    let root = support::repo_root();
    let mut outcomes = vec![
        evaluate("real-2008-2009", "real", &root, Some(("2008", "2009"))),
        evaluate("real-2009-2013", "real", &root, Some(("2009", "2013"))),
    ];
    for (name, kind, path) in cases() {
        outcomes.push(evaluate(&name, &kind, &path, None));
    }
    let mut report = table(&outcomes);
    let by_kind = kinds(&outcomes);
    let _ = writeln!(
        report,
        "\n| kind | cases | precision | recall |\n| --- | ---: | ---: | ---: |"
    );
    for (kind, (p, r, n)) in &by_kind {
        let _ = writeln!(report, "| {kind} | {n} | {p:.2} | {r:.2} |");
    }
    let precision = mean(by_kind.values().map(|k| k.0));
    let recall = mean(by_kind.values().map(|k| k.1));
    let _ = writeln!(
        report,
        "| **mean over kinds** | {} | **{precision:.2}** | **{recall:.2}** |",
        outcomes.len()
    );
    let held: Vec<&Outcome> = outcomes.iter().filter(|o| o.held_out).collect();
    if !held.is_empty() {
        let _ = writeln!(
            report,
            "| held-out cases | {} | {:.2} | {:.2} |",
            held.len(),
            mean(held.iter().map(|o| o.score.precision())),
            mean(held.iter().map(|o| o.score.recall()))
        );
    }
    for o in &outcomes {
        for l in &o.missed {
            let _ = writeln!(
                report,
                "{}: missed {} {} → {} {}",
                o.name, l.0, l.2, l.1, l.3
            );
        }
        for l in &o.wrong {
            let _ = writeln!(
                report,
                "{}: wrong {} {} → {} {}",
                o.name, l.0, l.2, l.1, l.3
            );
        }
    }
    println!("{report}");

    let real = outcomes
        .iter()
        .find(|o| o.name == "real-2009-2013")
        .expect("real case");
    assert!(
        real.missed.is_empty(),
        "all declared links of 2009 → 2013 are recovered:\n{report}"
    );
    assert_eq!(real.score.expected, 12, "{report}");
    assert!(
        precision >= 0.95,
        "mean precision over kinds {precision:.2}:\n{report}"
    );
    assert!(
        recall >= 0.90,
        "mean recall over kinds {recall:.2}:\n{report}"
    );
    for o in &outcomes {
        assert!(
            o.score.precision() >= 0.80,
            "{} precision {:.2}:\n{report}",
            o.name,
            o.score.precision()
        );
        assert!(
            o.score.recall() >= 0.75,
            "{} recall {:.2}:\n{report}",
            o.name,
            o.score.recall()
        );
    }
}

#[test]
fn stripping_removes_only_the_lineage_block() {
    let text = "---\nkind: version\nlineage:\n  from: \"1\"\n  clauses:\n    - from: [P1]\n      to: [P1]\n      note: >-\n        Text.\ntitle: \"T\"\n---\n\n## § 1 A\n\nlineage: i brödtexten står kvar.\n";
    assert_eq!(
        strip_lineage(text),
        "---\nkind: version\ntitle: \"T\"\n---\n\n## § 1 A\n\nlineage: i brödtexten står kvar.\n"
    );
}
