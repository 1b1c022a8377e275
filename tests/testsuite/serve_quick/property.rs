//! The quick path's invariant as a property: after any sequence of saves (one file or two
//! at once) that keep every page in its place (a clause's text, a title, a clause added
//! or removed, the lineage, links, concerns, a document's date), with full rebuilds
//! handed over at any time, even late, the quick path's site (its model, alignment and
//! lookups kept up to date save by save) renders every page byte for byte as a full
//! build of the saved files; the pages it answers a save with are the full build's; and
//! when a save changed only text, every page that changed is among those it answered
//! with, except the site-wide lists that wait for the full rebuild: a wrong choice in
//! [`plan_made_from`] fails here.
//!
//! `AVTAL_QUICK_CASES=500` runs more cases than the default.
//!
//! [`plan_made_from`]: avtal::render::plan_made_from

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use avtal::cancel::Cancel;
use avtal::output::Collected;
use avtal::render::addresses::Owner;
use avtal::render::pages::Lookups;
use avtal::render::{Engine, RenderOptions};
use avtal::serve::incremental::Session;
use avtal::serve::quick::{FullBuild as QuickSite, Handover, Quick};
use proptest::prelude::*;

use crate::serve_support::{copy_tree, repo_root};

/// The content files edits go to, under `content/`: three versions of one work, two
/// documents and a plain page.
const FILES: [&str; 6] = [
    "avtal/2020.md",
    "avtal/2022.md",
    "avtal/2024.md",
    "dokument/yttrande.md",
    "dokument/beslut.md",
    "om.md",
];
/// Those of [`FILES`] with a `Hänvisning:` paragraph, whose links an edit changes.
const LINKING: [usize; 3] = [3, 4, 5];
const DOCUMENTS: [usize; 2] = [3, 4];
const VERSIONS: [&str; 3] = ["avtal/2020", "avtal/2022", "avtal/2024"];

const SENTENCES: [&str; 5] = [
    "Kommunerna samarbetar för att nyanlända ska få bostad och arbete i hela regionen så snart som möjligt.",
    "Styrgruppen lämnar en skriftlig rapport om resultaten till förbundets styrelse varje år.",
    "Parter är kommunerna i regionen.",
    "Överenskommelsen gäller i två år från beslut i kommunfullmäktige.",
    "Kommunerna erbjuder praktikplatser i alla kommuner.",
];

const LINKS: [&str; 6] = [
    "Hänvisning: se [§ 2](@/avtal/2022.md#P2).",
    "Hänvisning: se [§ 3](@/avtal/2024.md#P3) och [yttrandet](@/dokument/yttrande.md).",
    "Hänvisning: se [2020 års avtal](@/avtal/2020.md).",
    "Hänvisning: se [beslutet](@/dokument/beslut.md) och [§ 1](@/avtal/2020.md#P1).",
    "Hänvisning: inga.",
    "Hänvisning: se [om webbplatsen](@/om.md) och [§ 5](@/avtal/2022.md#P5).",
];

/// The clause lines of 2024's lineage (from 2022), as written and in three variants.
const LINEAGES: [&str; 4] = [
    "    - { from: [P1], to: [P1] }\n    - { from: [P2], to: [P2], note: \"Oförändrad.\" }\n    - { from: [P3, P4], to: [P3] }\n    - { from: [P5], to: [P4] }\n    - { from: [P6], to: [P5] }\n    - { from: [P7], to: [] }\n",
    "    - { from: [P1], to: [P1] }\n    - { from: [P2], to: [P2], note: \"Oförändrad.\" }\n    - { from: [P3, P4], to: [P3] }\n    - { from: [P5], to: [P4] }\n    - { from: [P7], to: [] }\n",
    "    - { from: [P1], to: [P1] }\n    - { from: [P2], to: [P2], note: \"Oförändrad.\" }\n    - { from: [P3, P4], to: [P3] }\n    - { from: [P5, P6], to: [P4, P5] }\n    - { from: [P7], to: [] }\n",
    "    - { from: [P1], to: [P1] }\n    - { from: [P2], to: [P2], note: \"Ändrad, se [yttrandet](@/dokument/yttrande.md).\" }\n    - { from: [P3, P4], to: [P3] }\n    - { from: [P5], to: [P4] }\n    - { from: [P6], to: [P5] }\n    - { from: [P7], to: [] }\n",
];

/// One file changed in place: its page keeps its address, and a version its date,
/// version id and status.
#[derive(Debug, Clone)]
enum Edit {
    /// The first paragraph of one clause of a file gets another sentence: its clauses,
    /// links and title stay as they were.
    Text {
        file: usize,
        clause: usize,
        sentence: usize,
    },
    Title {
        file: usize,
        title: usize,
    },
    AddClause {
        file: usize,
    },
    /// Removes the last clause an `AddClause` added to the file, if any.
    RemoveClause {
        file: usize,
    },
    Lineage {
        variant: usize,
    },
    Link {
        file: usize,
        link: usize,
    },
    Concerns {
        document: usize,
        versions: usize,
    },
    /// A document's date (its place in the timeline and in lists).
    Date {
        document: usize,
        date: usize,
    },
}

#[derive(Debug, Clone)]
enum Op {
    /// Files saved together, answered as one batch.
    Save(Vec<Edit>),
    /// A full rebuild, handed to the quick path at once.
    Rebuild,
    /// A full rebuild, handed to the quick path after the next save, which it had not
    /// seen (a rebuild that finishes after the quick path answered a newer save).
    LateRebuild,
}

const DATES: [&str; 4] = ["2019-05-01", "2022-03-01", "2023-01-01", "2025-01-01"];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0..FILES.len(), 0..4usize, 0..SENTENCES.len())
            .prop_map(|(file, clause, sentence)| Edit::Text { file, clause, sentence }),
        2 => (0..FILES.len(), 0..3usize).prop_map(|(file, title)| Edit::Title { file, title }),
        2 => (0..FILES.len()).prop_map(|file| Edit::AddClause { file }),
        2 => (0..FILES.len()).prop_map(|file| Edit::RemoveClause { file }),
        2 => (0..LINEAGES.len()).prop_map(|variant| Edit::Lineage { variant }),
        2 => (0..LINKING.len(), 0..LINKS.len()).prop_map(|(file, link)| Edit::Link {
            file: LINKING[file],
            link,
        }),
        1 => (0..DOCUMENTS.len(), 0..8usize).prop_map(|(document, versions)| Edit::Concerns {
            document: DOCUMENTS[document],
            versions,
        }),
        1 => (0..DOCUMENTS.len(), 0..DATES.len()).prop_map(|(document, date)| Edit::Date {
            document: DOCUMENTS[document],
            date,
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => edit().prop_map(|edit| Op::Save(vec![edit])),
        3 => (edit(), edit()).prop_map(|(a, b)| Op::Save(vec![a, b])),
        1 => Just(Op::Rebuild),
        1 => Just(Op::LateRebuild),
    ]
}

/// The synthetic fixture (one work, three versions with declared lineage) with two
/// documents and a plain page that link to it and to each other.
fn test_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_tree(
        &repo_root().join("tests/fixtures/synthetic/content"),
        &root.join("content"),
    );
    copy_tree(&repo_root().join("themes"), &root.join("themes"));
    let write = |relative: &str, text: &str| {
        let path = root.join("content").join(relative);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    };
    write(
        "dokument/yttrande.md",
        &format!(
            "---\nkind: document\ntype: remissvar\ntitle: \"Yttrande över samarbetsavtalet\"\norganisation: \"Testkommunen\"\ndate: 2022-03-01\nconcerns: [\"avtal/2022\"]\nsummary: \"Testkommunens yttrande.\"\nsource: {{ file: yttrande, body: \"Testkommunen\", editorial: \"Påhittad text för test.\" }}\n---\n\n## Sammanfattning\n\nKommunen ser positivt på förslaget till samarbetsavtal.\n\n## Synpunkter\n\nKommunen vill att uppföljningen sker varje år.\n\n{}\n",
            LINKS[0]
        ),
    );
    write(
        "dokument/beslut.md",
        &format!(
            "---\nkind: document\ntype: beslut\ntitle: \"Beslut om samarbetsavtalet\"\norganisation: \"Testkommunen\"\ndate: 2024-02-01\nconcerns: [\"avtal/2020\", \"avtal/2024\"]\nsummary: \"Kommunens beslut om avtalet.\"\nsource: {{ file: beslut, body: \"Testkommunen\", editorial: \"Påhittad text för test.\" }}\n---\n\n## Beslut\n\nKommunfullmäktige antar samarbetsavtalet.\n\n{}\n",
            LINKS[1]
        ),
    );
    write(
        "om.md",
        &format!(
            "---\nkind: page\ntitle: \"Om webbplatsen\"\nsummary: \"Vad webbplatsen visar.\"\n---\n\nWebbplatsen visar samarbetsavtalet i alla versioner.\n\n{}\n",
            LINKS[2]
        ),
    );
    dir
}

/// Applies `edit` to the file it changes; returns that file.
fn apply(root: &Path, edit: &Edit) -> PathBuf {
    let file = match edit {
        Edit::Text { file, .. }
        | Edit::Title { file, .. }
        | Edit::AddClause { file }
        | Edit::RemoveClause { file }
        | Edit::Link { file, .. } => *file,
        Edit::Concerns { document, .. } | Edit::Date { document, .. } => *document,
        Edit::Lineage { .. } => 2,
    };
    let path = root.join("content").join(FILES[file]);
    let text = std::fs::read_to_string(&path).expect("read");
    let (front, body) = split_front_matter(&text);
    let (front, body) = match edit {
        Edit::Text {
            clause, sentence, ..
        } => (
            front.to_string(),
            with_sentence(body, *clause, SENTENCES[*sentence]),
        ),
        Edit::Title { title, .. } => (
            replace_line(
                front,
                "title: ",
                &format!("title: \"Titel nummer {title}\""),
            ),
            body.to_string(),
        ),
        Edit::AddClause { .. } => (front.to_string(), with_added_clause(body)),
        Edit::RemoveClause { .. } => (front.to_string(), without_added_clause(body)),
        Edit::Lineage { variant } => {
            let at = front
                .find("  clauses:\n")
                .expect("2024 declares its lineage")
                + 11;
            (
                format!("{}{}", &front[..at], LINEAGES[*variant]),
                body.to_string(),
            )
        }
        Edit::Link { link, .. } => (
            front.to_string(),
            replace_line(body, "Hänvisning:", LINKS[*link]),
        ),
        Edit::Concerns { versions, .. } => {
            let listed: Vec<String> = VERSIONS
                .iter()
                .enumerate()
                .filter(|(i, _)| versions & (1 << i) != 0)
                .map(|(_, v)| format!("\"{v}\""))
                .collect();
            let line = format!("concerns: [{}]", listed.join(", "));
            (replace_line(front, "concerns: ", &line), body.to_string())
        }
        Edit::Date { date, .. } => (
            replace_line(front, "date: ", &format!("date: {}", DATES[*date])),
            body.to_string(),
        ),
    };
    std::fs::write(&path, format!("---\n{front}---\n{body}")).expect("write");
    path
}

/// (front matter without its `---` lines, body).
fn split_front_matter(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("end of front matter");
    (&rest[..end + 1], &rest[end + 5..])
}

fn replace_line(text: &str, prefix: &str, line: &str) -> String {
    text.lines()
        .map(|l| if l.starts_with(prefix) { line } else { l })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The body with the first paragraph of its `clause`-th heading's clause (of those
/// there are, counted round; the text before any heading when there is none) replaced.
fn with_sentence(body: &str, clause: usize, sentence: &str) -> String {
    let mut lines: Vec<&str> = body.lines().collect();
    let headings: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("## "))
        .collect();
    let from = match headings.len() {
        0 => 0,
        n => headings[clause % n] + 1,
    };
    if let Some(at) = (from..lines.len()).find(|&i| {
        !lines[i].trim().is_empty()
            && !lines[i].starts_with('#')
            && !lines[i].starts_with("Hänvisning:")
    }) {
        lines[at] = sentence;
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn with_added_clause(body: &str) -> String {
    let numbers = body
        .lines()
        .filter_map(|l| l.strip_prefix("## § "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<u32>().ok());
    let added = body.matches("Tillägg").count() as u32 + 1;
    let heading = match numbers.max() {
        Some(last) => format!("§ {} Tillägg {added}", last + 1),
        None => format!("Tillägg {added}"),
    };
    format!("{body}\n## {heading}\n\nKommunerna lägger till en bestämmelse.\n")
}

fn without_added_clause(body: &str) -> String {
    match body.rfind("\n## ").filter(|&at| {
        body[at..]
            .lines()
            .nth(1)
            .is_some_and(|heading| heading.contains("Tillägg"))
    }) {
        Some(at) => format!("{}\n", &body[..at]),
        None => body.to_string(),
    }
}

/// A full build of the files as they are: output path → bytes, and who owns each page.
struct FullBuild {
    files: HashMap<String, Vec<u8>>,
    owners: HashMap<String, String>,
}

fn full_build(root: &Path, options: &RenderOptions) -> FullBuild {
    let built = match avtal::pipeline::build(root, options) {
        Ok(built) => built,
        Err(problems) => panic!("the edited site builds: {problems:?}"),
    };
    let lookups = Lookups::new(&built.site, &built.alignment);
    let owners = avtal::render::plan(&built.site, &built.alignment, &lookups)
        .into_iter()
        .map(|job| (job.output_path(), list_owner(job.owner)))
        .collect();
    let files = built
        .files
        .into_iter()
        .map(|file| (file.path, file.bytes))
        .collect();
    FullBuild { files, owners }
}

/// `list` for the site-wide lists that only mention pages (they wait for the full
/// rebuild), what the owner is otherwise.
fn list_owner(owner: Owner) -> String {
    match owner {
        Owner::StartPage
        | Owner::Timeline
        | Owner::TimelineYear(_)
        | Owner::Search
        | Owner::Adoption
        | Owner::NotFound => "list".into(),
        Owner::Page(page) => format!("content page {page}"),
        Owner::Work(work) => format!("work {}", work.id),
        Owner::Comparison(c) => format!("comparison {} → {}", c.from_page, c.to_page),
        Owner::History(lineage) => format!("clause history {}", lineage.key),
        _ => "another file".into(),
    }
}

/// Every page the quick path's own site renders equals the full build's, and it plans
/// the same pages.
fn assert_quick_site_renders_as(
    quick: &Quick,
    full: &FullBuild,
    options: &RenderOptions,
    what: &str,
) {
    let (model, lookups): (&QuickSite, &Lookups) =
        quick.current().expect("the quick path has a site");
    let jobs = avtal::render::plan(&model.site, &model.alignment, lookups);
    let planned: HashSet<String> = jobs.iter().map(|job| job.output_path()).collect();
    let expected: HashSet<String> = full.owners.keys().cloned().collect();
    assert_eq!(
        planned, expected,
        "{what}: the quick path's site plans other pages"
    );
    let collected = Collected::default();
    Engine::new(&model.site, &model.alignment, &model.theme, options)
        .render_pages(&jobs, &collected)
        .unwrap_or_else(|err| panic!("{what}: the quick path's site renders: {err:?}"));
    for file in collected.into_files() {
        assert!(
            full.files.get(&file.path) == Some(&file.bytes),
            "{what}: {} from the quick path's site differs from the full build's",
            file.path
        );
    }
}

fn run(ops: &[Op]) {
    let site = test_site();
    let root = site.path();
    let options = avtal::serve::render_options();
    let mut session = Session::new(root, options.clone());
    let mut rebuild = |touched: &mut HashSet<PathBuf>| {
        let rebuilt = session
            .rebuild(touched, &Cancel::never())
            .unwrap_or_else(|err| panic!("the site rebuilds: {err:?}"));
        touched.clear();
        rebuilt.model
    };
    // Files saved since the last full rebuild: two saves within one clock tick may
    // keep a file's stamp, and the watcher names them.
    let mut touched = HashSet::new();
    let mut quick = Quick::new(root, options.clone());
    quick.take_build(Handover::new(rebuild(&mut touched), 0));
    let mut before = full_build(root, &options);
    let mut late: Option<(QuickSite, u64)> = None;
    let mut save = 0;
    for (step, op) in ops.iter().enumerate() {
        let what = format!("step {step} ({op:?})");
        let edits = match op {
            Op::Rebuild => {
                quick.take_build(Handover::new(rebuild(&mut touched), save));
                assert_quick_site_renders_as(&quick, &before, &options, &what);
                continue;
            }
            Op::LateRebuild => {
                late = Some((rebuild(&mut touched), save));
                continue;
            }
            Op::Save(edits) => edits,
        };
        save += 1;
        let saved: HashSet<PathBuf> = edits.iter().map(|edit| apply(root, edit)).collect();
        touched.extend(saved.iter().cloned());
        let after = full_build(root, &options);
        let update = quick
            .answer(&saved, save, &Cancel::never())
            .unwrap_or_else(|err| panic!("{what}: the quick path answers: {err:?}"));
        for (page, bytes) in &update.pages {
            assert!(
                after.files.get(page).map(Vec::as_slice) == Some(&bytes[..]),
                "{what}: the quick path's {page} differs from the full build's"
            );
        }
        if edits.iter().all(|edit| matches!(edit, Edit::Text { .. })) {
            for (page, owner) in &after.owners {
                let changed = before.files.get(page) != after.files.get(page);
                assert!(
                    !changed || update.pages.contains_key(page) || owner == "list",
                    "{what}: {page} ({owner}) changed, but the quick path did not render it"
                );
            }
        }
        if let Some((model, seen)) = late.take() {
            quick.take_build(Handover::new(model, seen));
        }
        assert_quick_site_renders_as(&quick, &after, &options, &what);
        before = after;
    }
}

fn cases() -> u32 {
    std::env::var("AVTAL_QUICK_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_quick_path_renders_as_a_full_build_after_any_saves(ops in prop::collection::vec(op(), 1..7)) {
        run(&ops);
    }
}

/// Each kind of edit once, in an order that moves links and concerns before the
/// versions they point at are saved.
#[test]
fn every_kind_of_edit_in_one_sequence() {
    let save = |edit: Edit| Op::Save(vec![edit]);
    run(&[
        save(Edit::Link { file: 3, link: 1 }),
        save(Edit::Concerns {
            document: 4,
            versions: 2,
        }),
        save(Edit::Title { file: 3, title: 0 }),
        save(Edit::Date {
            document: 3,
            date: 3,
        }),
        save(Edit::Text {
            file: 2,
            clause: 3,
            sentence: 1,
        }),
        Op::LateRebuild,
        save(Edit::AddClause { file: 1 }),
        Op::Save(vec![
            Edit::Lineage { variant: 2 },
            Edit::Link { file: 5, link: 0 },
        ]),
        Op::Rebuild,
        save(Edit::RemoveClause { file: 1 }),
        save(Edit::Text {
            file: 1,
            clause: 0,
            sentence: 0,
        }),
    ]);
}
