//! Open data and reuse (issue 20): Akoma Ntoso files validated against the OASIS schema,
//! JSON validated against the published schemas, a site made by `avtal init`, a second
//! invented work beside the real content, and the built-in theme.
//!
//! The Akoma Ntoso schema is not part of the repository: it is read from
//! `../shared/schemas/akn/` beside the checkout (as CI has it), and `xmllint` (Debian
//! package libxml2-utils, installed by tests/run-all) validates against it.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use roxmltree::{Document, Node};
use support::{avtal, broken_links, build, repo_root};

const AKN: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

fn akn_schema() -> PathBuf {
    let schema = repo_root().join("../shared/schemas/akn/akomantoso30.xsd");
    assert!(
        schema.is_file(),
        "the Akoma Ntoso schema is missing: expected {} (shared/schemas/akn/ beside the checkout)",
        schema.display()
    );
    schema
}

fn files_ending(root: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().ends_with(suffix))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files
}

/// Validates every file with `xmllint --schema` against the OASIS schema.
fn assert_valid_akn(files: &[PathBuf]) {
    assert!(!files.is_empty(), "no Akoma Ntoso files to validate");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(akn_schema())
        .args(files)
        .output()
        .unwrap_or_else(|err| {
            panic!("xmllint could not be run ({err}): install the Debian package libxml2-utils (tests/run-all does)")
        });
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}");
    for file in files {
        assert!(
            report.contains(&format!("{} validates", file.display())),
            "{}: {report}",
            file.display()
        );
    }
}

/// Validates every JSON file of a built site against the schema the site publishes for
/// its kind, and checks that the published schemas are the repository's.
fn assert_valid_json(site: &Path) -> usize {
    for (name, text) in avtal::render::open_data::SCHEMAS {
        let published = std::fs::read_to_string(site.join("schemas").join(name))
            .unwrap_or_else(|e| panic!("schemas/{name} is not published: {e}"));
        let in_repository =
            std::fs::read_to_string(repo_root().join("schemas").join(name)).unwrap();
        assert_eq!(published, in_repository, "{name}");
        assert_eq!(published, *text, "{name}");
    }
    let mut checked = 0;
    for file in files_ending(site, ".json") {
        let relative = file
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative.starts_with("schemas/") {
            continue;
        }
        let name = avtal::render::open_data::schema_for(&relative)
            .unwrap_or_else(|| panic!("{relative}: no schema describes this JSON file"));
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo_root().join("schemas").join(name)).unwrap(),
        )
        .unwrap();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
        let instance: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
                .unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{relative} against {name}:\n{}",
            errors.join("\n")
        );
        checked += 1;
    }
    checked
}

/// A site folder with the real content, plus the invented guidelines of
/// tests/fixtures/riktlinjer as a second work.
pub(crate) fn real_content_and_second_work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for entry in walkdir::WalkDir::new(repo_root().join("content"))
        .into_iter()
        .flatten()
    {
        let relative = entry
            .path()
            .strip_prefix(repo_root().join("content"))
            .unwrap();
        let target = content.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let fixture = repo_root().join("tests/fixtures/riktlinjer");
    let mut site_yaml = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    assert!(
        site_yaml.trim_end().ends_with("\"") && site_yaml.contains("\nworks:\n"),
        "site.yaml must end with its list of works for the fixture's work to be appended"
    );
    site_yaml.push_str(&std::fs::read_to_string(fixture.join("work.yaml")).unwrap());
    std::fs::write(content.join("site.yaml"), site_yaml).unwrap();
    std::fs::create_dir_all(content.join("riktlinjer")).unwrap();
    for version in ["2021", "2023"] {
        std::fs::copy(
            fixture.join(format!("riktlinjer/{version}.md")),
            content.join(format!("riktlinjer/{version}.md")),
        )
        .unwrap();
    }
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn element<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name((AKN, name)))
        .unwrap_or_else(|| panic!("no <{name}>"))
}

fn value_of(node: Node, child: &str) -> String {
    node.children()
        .find(|n| n.has_tag_name((AKN, child)))
        .and_then(|n| n.attribute("value"))
        .unwrap_or_else(|| panic!("no <{child} value>"))
        .to_string()
}

fn section<'a, 'i>(doc: &'a Document<'i>, eid: &str) -> Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name((AKN, "section")) && n.attribute("eId") == Some(eid))
        .unwrap_or_else(|| panic!("no section {eid}"))
}

#[test]
fn a_site_made_by_init_builds_with_valid_open_data() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("min-webbplats");
    let made = avtal(&["init", site.to_str().unwrap()]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("avtal serve --root"));
    assert!(site.join("README.md").is_file() && !site.join("themes").exists());

    let out = dir.path().join("public");
    let built = avtal(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let report = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{report}");
    assert!(report.contains("0 error(s), 0 warning(s)"), "{report}");
    for page in [
        "samarbetsavtal/2024/index.html",
        "samarbetsavtal/2025/index.html",
        "samarbetsavtal/jamfor/2024-2025/index.html",
        "dokument/norrby-beslut-2025/index.html",
        "antaganden/index.html",
        "static/style.css",
    ] {
        assert!(out.join(page).is_file(), "{page} is missing");
    }
    assert_eq!(broken_links(&out), Vec::new());
    let comparison = read(&out.join("samarbetsavtal/jamfor/2024-2025.json"));
    assert!(
        comparison.contains("\"status\": \"new\""),
        "the comparison shows the new § 3"
    );
    assert_valid_akn(&files_ending(&out, ".akn.xml"));
    assert!(assert_valid_json(&out) >= 3);

    // A second init into the same folder changes nothing.
    let before = read(&site.join("content/site.yaml"));
    let again = avtal(&["init", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
    assert_eq!(read(&site.join("content/site.yaml")), before);
}

#[test]
fn every_version_of_two_works_is_valid_akoma_ntoso() {
    let site = real_content_and_second_work();
    let (_guard, out) = build(site.path());
    let files = files_ending(&out, ".akn.xml");
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&out).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "dokument/ekero-beslut-2013.akn.xml",
            "dokument/ksl-2012-revidering.akn.xml",
            "dokument/rinkeby-kista-remissvar-2008.akn.xml",
            "dokument/utbildningsforvaltningen-remissvar-2008.akn.xml",
            "overenskommelse/2008.akn.xml",
            "overenskommelse/2009.akn.xml",
            "overenskommelse/2013.akn.xml",
            "riktlinjer/2021.akn.xml",
            "riktlinjer/2023.akn.xml"
        ]
    );
    assert_valid_akn(&files);
    assert!(assert_valid_json(&out) >= 8);
    assert_eq!(broken_links(&out), Vec::new());

    // Linked from each version page, beside the JSON, and from each document's page.
    let page = read(&out.join("riktlinjer/2023/index.html"));
    assert!(
        page.contains("href=\"../../riktlinjer/2023.akn.xml\""),
        "{page}"
    );
    assert!(page.contains("href=\"../../riktlinjer/2023.json\""));
    let page = read(&out.join("dokument/ekero-beslut-2013/index.html"));
    assert!(page.contains("href=\"../../dokument/ekero-beslut-2013.akn.xml\""));

    // A related document is a <doc>, identified by its type, date and name, naming the
    // versions it concerns. Ekerö's states no date of its own: its page gives the year.
    let text = read(&out.join("dokument/ekero-beslut-2013.akn.xml"));
    let doc = Document::parse(&text).unwrap();
    let root = doc.root_element().first_element_child().unwrap();
    assert!(root.has_tag_name((AKN, "doc")));
    assert_eq!(root.attribute("name"), Some("förslag till beslut"));
    assert_eq!(
        value_of(element(&doc, "FRBRExpression"), "FRBRuri"),
        "/akn/se/doc/forslag-till-beslut/2013/ekero-beslut-2013/swe@2013"
    );
    let concerned: Vec<&str> = element(&doc, "preface")
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "ref")))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert_eq!(
        concerned,
        [
            "/akn/se/act/2009-03-26/overenskommelse/swe@2013-05-06",
            "/akn/se/act/2009-03-26/overenskommelse/swe@2009-03-26"
        ]
    );
    let signatories: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "person")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(signatories.len(), 2, "{signatories:?}");
}

#[test]
fn akoma_ntoso_identifies_versions_and_follows_clauses_across_them() {
    let site = real_content_and_second_work();
    let (_guard, out) = build(site.path());
    let old_text = read(&out.join("riktlinjer/2021.akn.xml"));
    let new_text = read(&out.join("riktlinjer/2023.akn.xml"));
    let old = Document::parse(&old_text).unwrap();
    let new = Document::parse(&new_text).unwrap();

    // FRBR after the naming convention: one Work (dated by the first version that is
    // not a proposal), one Expression per version, the file a Manifestation.
    for doc in [&old, &new] {
        let work = element(doc, "FRBRWork");
        assert_eq!(
            value_of(work, "FRBRuri"),
            "/akn/se/act/2021-02-10/riktlinjer"
        );
        assert_eq!(
            value_of(work, "FRBRthis"),
            "/akn/se/act/2021-02-10/riktlinjer/!main"
        );
        assert_eq!(value_of(work, "FRBRcountry"), "se");
    }
    let expression = element(&new, "FRBRExpression");
    assert_eq!(
        value_of(expression, "FRBRuri"),
        "/akn/se/act/2021-02-10/riktlinjer/swe@2023-09-20"
    );
    assert_eq!(
        element(&new, "FRBRlanguage").attribute("language"),
        Some("swe")
    );
    assert_eq!(
        value_of(element(&new, "FRBRManifestation"), "FRBRuri"),
        "/akn/se/act/2021-02-10/riktlinjer/swe@2023-09-20.akn"
    );
    let real = read(&out.join("overenskommelse/2009.akn.xml"));
    assert!(
        real.contains("<FRBRuri value=\"/akn/se/act/2009-03-26/overenskommelse/swe@2009-03-26\"/>")
    );

    // eIds from the clause ids; the ingress and headed clauses keep theirs.
    let eids: Vec<&str> = new
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "section")))
        .filter_map(|n| n.attribute("eId"))
        .collect();
    assert_eq!(
        eids,
        [
            "sec_ingress",
            "sec_1",
            "sec_2",
            "sec_3",
            "sec_4",
            "sec_5",
            "sec_6"
        ]
    );
    // wId: the clause's identity across versions, the key of its history page. 2021 § 2
    // became 2023 § 3; 2021 § 3 was split into 2023 § 4 and § 5.
    let wid = |doc: &Document, eid: &str| section(doc, eid).attribute("wId").unwrap().to_string();
    assert_eq!(wid(&new, "sec_3"), wid(&old, "sec_2"));
    assert_eq!(wid(&new, "sec_4"), wid(&old, "sec_3"));
    assert_eq!(wid(&new, "sec_5"), wid(&old, "sec_3"));
    assert_ne!(wid(&new, "sec_2"), wid(&old, "sec_2"), "§ 2 of 2023 is new");
    assert!(
        out.join(format!(
            "riktlinjer/historik/{}/index.html",
            wid(&new, "sec_3")
        ))
        .is_file()
    );

    // num, heading, paragraphs, a stycke's list as list/point with the intro.
    let p4 = section(&new, "sec_4");
    let text = |node: Node| -> String {
        node.descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap_or_default())
            .collect()
    };
    let child = |node: Node<'_, '_>, name: &str| {
        node.children()
            .find(|n| n.has_tag_name((AKN, name)))
            .map(text)
    };
    assert_eq!(child(p4, "num").as_deref(), Some("§ 4"));
    assert_eq!(child(p4, "heading").as_deref(), Some("Försörjningsstöd"));
    let list = p4
        .descendants()
        .find(|n| n.has_tag_name((AKN, "list")))
        .unwrap();
    assert_eq!(list.attribute("eId"), Some("sec_4__para_1__list_1"));
    let intro = list.first_element_child().unwrap();
    assert!(intro.has_tag_name((AKN, "intro")));
    assert_eq!(text(intro).trim(), "Försörjningsstöd lämnas för");
    let points: Vec<&str> = list
        .children()
        .filter(|n| n.has_tag_name((AKN, "point")))
        .filter_map(|n| n.attribute("eId"))
        .collect();
    assert_eq!(
        points,
        [
            "sec_4__para_1__list_1__point_1",
            "sec_4__para_1__list_1__point_2"
        ]
    );

    // <ref> for references to the version's own clauses and for @/ links; none for
    // "3 § förordningen".
    let refs: Vec<(String, String)> = new
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "ref")))
        .map(|n| (n.attribute("href").unwrap().to_string(), text(n)))
        .collect();
    let expr = "/akn/se/act/2021-02-10/riktlinjer/swe@2023-09-20";
    assert!(
        refs.contains(&(format!("{expr}/~sec_3"), "3 §".into())),
        "{refs:?}"
    );
    assert!(
        refs.contains(&(format!("{expr}/~sec_6"), "§ 6".into())),
        "{refs:?}"
    );
    assert!(refs.contains(&(
        "/akn/se/act/2021-02-10/riktlinjer/swe@2021-02-10/~sec_2".into(),
        "§ 2 i 2021 års riktlinjer".into()
    )));
    assert!(refs.contains(&(
        "/akn/se/act/2009-03-26/overenskommelse/swe@2013-05-06/~sec_5".into(),
        "överenskommelsen".into()
    )));
    assert_eq!(
        refs.iter().filter(|(_, t)| t == "3 §").count(),
        1,
        "3 § förordningen is another act's: {refs:?}"
    );

    // The lineage as passive modifications: (type, destinations, previous).
    let modifications: Vec<(String, Vec<String>, Option<String>)> = new
        .descendants()
        .filter(|n| n.has_tag_name((AKN, "textualMod")))
        .map(|m| {
            let hrefs = |name: &str| -> Vec<String> {
                m.children()
                    .filter(|c| c.has_tag_name((AKN, name)))
                    .filter_map(|c| c.attribute("href"))
                    .map(str::to_string)
                    .collect()
            };
            (
                m.attribute("type").unwrap().to_string(),
                hrefs("destination"),
                hrefs("previous").into_iter().next(),
            )
        })
        .collect();
    let before = "/akn/se/act/2021-02-10/riktlinjer/swe@2021-02-10";
    for expected in [
        ("insertion", vec!["#sec_2".to_string()], None),
        (
            "renumbering",
            vec!["#sec_3".to_string()],
            Some(format!("{before}/~sec_2")),
        ),
        (
            "split",
            vec!["#sec_4".to_string(), "#sec_5".to_string()],
            Some(format!("{before}/~sec_3")),
        ),
        ("repeal", vec![format!("{before}/~sec_4")], None),
    ] {
        let expected = (expected.0.to_string(), expected.1, expected.2);
        assert!(
            modifications.contains(&expected),
            "{expected:?} in {modifications:?}"
        );
    }
    assert!(
        !modifications
            .iter()
            .any(|(_, to, _)| to == &["#sec_1".to_string()]),
        "§ 1 is unchanged: {modifications:?}"
    );

    // Editorial notes in <notes>, referred to from the clause they concern.
    let renumbered = section(&new, "sec_3");
    let note_ref = renumbered
        .descendants()
        .find(|n| n.has_tag_name((AKN, "noteRef")))
        .and_then(|n| n.attribute("href"))
        .unwrap();
    let note = new
        .descendants()
        .find(|n| {
            n.has_tag_name((AKN, "note"))
                && Some(n.attribute("eId").unwrap_or("")) == note_ref.strip_prefix('#')
        })
        .unwrap();
    assert!(
        text(note)
            .trim()
            .starts_with("Omnumrerad från § 2 i 2021 års riktlinjer")
    );

    // Lifecycle: the versions so far, the front matter's events, and for a replaced
    // version its replacement, dated as the `ersatt` step (here the day 2023 was adopted).
    let events = |doc: &Document| -> Vec<(String, Option<String>)> {
        doc.descendants()
            .filter(|n| n.has_tag_name((AKN, "eventRef")))
            .map(|n| {
                (
                    n.attribute("date").unwrap().to_string(),
                    n.attribute("type").map(str::to_string),
                )
            })
            .collect()
    };
    assert_eq!(
        events(&old),
        [
            ("2021-02-10".to_string(), Some("generation".to_string())),
            ("2021-02-10".to_string(), None),
            ("2021-03-01".to_string(), None),
            ("2023-09-20".to_string(), Some("repeal".to_string())),
        ]
    );
    assert_eq!(
        events(&new),
        [
            ("2021-02-10".to_string(), Some("generation".to_string())),
            ("2023-09-20".to_string(), Some("amendment".to_string())),
            ("2023-09-20".to_string(), None),
        ]
    );
    // The status word comes from the status history (model::status::label).
    assert!(text(element(&new, "docStatus")) == "antagen");
}

/// The `eventRef`s of an Akoma Ntoso file: (eId, date, source).
fn event_refs(doc: &Document) -> Vec<(String, String, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name((AKN, "eventRef")))
        .map(|n| {
            let attribute = |name: &str| n.attribute(name).unwrap_or_default().to_string();
            (attribute("eId"), attribute("date"), attribute("source"))
        })
        .collect()
}

/// The `href` of the `passiveRef` with eId `eid`, if there is one.
fn passive_ref(doc: &Document, eid: &str) -> Option<String> {
    doc.descendants()
        .find(|n| n.has_tag_name((AKN, "passiveRef")) && n.attribute("eId") == Some(eid))
        .and_then(|n| n.attribute("href"))
        .map(str::to_string)
}

/// Replaces the status history of the fixture's version `version` in `site`.
fn set_status_history(site: &Path, version: &str, history: &str) {
    let file = site.join(format!("content/riktlinjer/{version}.md"));
    let text = read(&file);
    let line = text
        .lines()
        .find(|l| l.starts_with("status_history:"))
        .expect("the fixture has a status history");
    std::fs::write(
        &file,
        text.replace(line, &format!("status_history: {history}")),
    )
    .unwrap();
}

#[test]
fn the_end_of_a_versions_force_is_dated_as_the_status_step_that_ended_it() {
    // 2023's text is dated 2023-09-20 and adopted 2023-12-01, when 2021 was replaced;
    // 2023 repealed, by a document.
    let site = real_content_and_second_work();
    set_status_history(
        site.path(),
        "2021",
        r#"[{ status: antagen, date: 2021-02-10, source: "@/riktlinjer/2021.md#P1" }, { status: ersatt, date: 2023-12-01, source: "@/riktlinjer/2023.md#P1" }]"#,
    );
    set_status_history(
        site.path(),
        "2023",
        r#"[{ status: antagen, date: 2023-12-01, source: "@/riktlinjer/2023.md#P1" }, { status: upphävd, date: 2024-06-30, source: "@/dokument/ekero-beslut-2013.md#forslag-till-beslutS1" }]"#,
    );
    let (_guard, out) = build(site.path());
    let old_file = out.join("riktlinjer/2021.akn.xml");
    let new_file = out.join("riktlinjer/2023.akn.xml");
    assert_valid_akn(&[old_file.clone(), new_file.clone()]);
    let (old_text, new_text) = (read(&old_file), read(&new_file));
    let (old, new) = (
        Document::parse(&old_text).unwrap(),
        Document::parse(&new_text).unwrap(),
    );
    let ending = |doc: &Document| -> Vec<(String, String, String)> {
        event_refs(doc)
            .into_iter()
            .filter(|(eid, _, _)| eid == "evt_ersatt" || eid == "evt_upphor")
            .collect()
    };
    // The step's date, not the replacing version's (2023-09-20).
    assert_eq!(
        ending(&old),
        [(
            "evt_ersatt".to_string(),
            "2023-12-01".to_string(),
            "#ro_ersatt".to_string()
        )]
    );
    assert_eq!(
        passive_ref(&old, "ro_ersatt").as_deref(),
        Some("/akn/se/act/2021-02-10/riktlinjer/swe@2023-09-20")
    );
    // Repealed with no version after it: the event refers to the step's source.
    assert_eq!(
        ending(&new),
        [(
            "evt_upphor".to_string(),
            "2024-06-30".to_string(),
            "#ro_upphor".to_string()
        )]
    );
    let repealed_by = passive_ref(&new, "ro_upphor").expect("a reference to the source");
    assert!(
        repealed_by.starts_with("/akn/se/doc/") && repealed_by.contains("/ekero-beslut-2013/"),
        "{repealed_by}"
    );

    // A step without a date gives no event: no date is made up. The replacement is
    // still named.
    set_status_history(
        site.path(),
        "2021",
        r#"[{ status: antagen, date: 2021-02-10, source: "@/riktlinjer/2021.md#P1" }, { status: ersatt, source: "@/riktlinjer/2023.md#P1" }]"#,
    );
    set_status_history(
        site.path(),
        "2023",
        r#"[{ status: förslag, date: 2023-09-20, source: "@/riktlinjer/2023.md#P1" }]"#,
    );
    let (_guard, out) = build(site.path());
    let old_text = read(&out.join("riktlinjer/2021.akn.xml"));
    let old = Document::parse(&old_text).unwrap();
    assert_eq!(ending(&old), []);
    assert!(passive_ref(&old, "ro_ersatt").is_some());
}

#[test]
fn references_to_other_acts_are_not_linked_to_the_works_own_clauses() {
    let site = real_content_and_second_work();
    let (_guard, out) = build(site.path());
    let old = read(&out.join("riktlinjer/2021/index.html"));
    let new = read(&out.join("riktlinjer/2023/index.html"));
    // "4 kap. 1 § socialtjänstlagen", "26 kap. 1 § offentlighets- och sekretesslagen",
    // "2 kap. 1 § socialtjänstförordningen", "1 § lagen (2010:197)", "9 kap. 1 §": all
    // another act's § 1, none the guidelines' own.
    for page in [&old, &new] {
        assert!(!page.contains("<a href=\"#P1\">1 §</a>"), "{page}");
        assert!(page.contains("4 kap. 1 § socialtjänstlagen (2001:453)"));
        assert!(page.contains("enligt 9 kap. 1 §"));
    }
    assert!(old.contains("1 § lagen (2010:197)"));
    // Own references still link: "se 5 §" but not "11 kap. 5 §"; "§ 3 ovan".
    assert_eq!(old.matches("<a href=\"#P5\">5 §</a>").count(), 1, "{old}");
    assert!(old.contains("se <a href=\"#P5\">5 §</a>"));
    assert!(old.contains("<a href=\"#P3\">§ 3</a> ovan"));
    assert!(
        !old.contains("<a href=\"#P3\">3 §</a>"),
        "16 kap. 3 § is another act's"
    );
    // "hjälp enligt 3 §" links, "enligt 3 § förordningen" does not.
    assert_eq!(new.matches("<a href=\"#P3\">3 §</a>").count(), 1, "{new}");
    assert!(new.contains("enligt 3 § förordningen om e-tjänster"));
    assert!(new.contains("se <a href=\"#P6\">§ 6</a>"));
    assert!(new.contains("prövas enligt <a href=\"#P4\">4 §</a>"));
}

#[test]
fn json_exports_give_addresses_for_links_and_match_their_schemas() {
    let (_guard, out) = build(&repo_root());
    assert!(assert_valid_json(&out) >= 6);
    let comparison: serde_json::Value =
        serde_json::from_str(&read(&out.join("overenskommelse/jamfor/2009-2013.json"))).unwrap();
    let notes: Vec<&str> = comparison["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["notes"].as_array().unwrap())
        .filter_map(|n| n.as_str())
        .collect();
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|n| !n.contains("@/")), "{notes:?}");
    assert!(notes.iter().any(|n| {
        n.contains(
            // The real content has no base_url: addresses from the site's root.
            "[2013 års § 1 Målgrupp](overenskommelse/2013/#P1)",
        )
    }));

    // `avtal diff --format json` prints the same notes.
    let diff = avtal(&[
        "diff",
        "2009",
        "2013",
        "--format",
        "json",
        "--root",
        repo_root().to_str().unwrap(),
    ]);
    assert!(diff.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert_eq!(printed, comparison);
}

#[test]
fn the_built_in_theme_needs_no_themes_folder_and_files_on_disk_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo_root().join("tests/fixtures/synthetic/content");
    std::fs::create_dir_all(dir.path().join("content/avtal")).unwrap();
    for file in [
        "site.yaml",
        "avtal/2020.md",
        "avtal/2022.md",
        "avtal/2024.md",
    ] {
        std::fs::copy(fixture.join(file), dir.path().join("content").join(file)).unwrap();
    }
    let (_guard, out) = build(dir.path());
    assert_eq!(
        std::fs::read(out.join("static/style.css")).unwrap(),
        std::fs::read(repo_root().join("themes/default/static/style.css")).unwrap()
    );
    assert!(read(&out.join("avtal/2024/index.html")).contains("id=\"P3\""));

    // themes/default/ on disk overrides single files of the built-in theme.
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Vår egen 404</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("themes/default/static")).unwrap();
    std::fs::write(
        dir.path().join("themes/default/static/style.css"),
        "body{color:#000}",
    )
    .unwrap();
    let (_guard2, out) = build(dir.path());
    assert!(read(&out.join("404.html")).contains("<h1>Vår egen 404</h1>"));
    assert_eq!(read(&out.join("static/style.css")), "body{color:#000}");
    assert!(
        out.join("static/search.js").is_file(),
        "the rest stays built in"
    );
}

/// E-mail addresses in `text` (a word with `@` and a dot after it).
fn email_addresses(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "()<>,;\"".contains(c))
        .filter(|word| {
            word.split_once('@')
                .is_some_and(|(name, host)| !name.is_empty() && host.contains('.'))
        })
        .map(|word| word.trim_end_matches('.').to_string())
        .collect()
}

/// Swedish telephone numbers in `text`: `08-560 39 180`, `08-508 33 600`.
fn telephone_numbers(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("08-") {
        let start = at + found;
        let end = text[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '-'))
            .map_or(text.len(), |e| start + e);
        let number = text[start..end].trim_end();
        let preceded_by_digit = start > 0 && bytes[start - 1].is_ascii_digit();
        if !preceded_by_digit && number.chars().filter(char::is_ascii_digit).count() >= 7 {
            out.push(number.to_string());
        }
        at = start + 3;
    }
    out
}

#[test]
fn the_source_texts_are_published_beside_the_pages_without_personal_contact_details() {
    let (_guard, out) = build(&repo_root());
    let seeds = repo_root().join("../shared/seeds");
    let published = files_ending(&out.join("kallor"), ".txt");
    assert_eq!(published.len(), 5, "{published:?}");
    for file in &published {
        let bytes = std::fs::read(file).unwrap();
        // A byte-order mark: read as UTF-8 even where the server names no charset.
        let text = std::str::from_utf8(&bytes)
            .unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", file.display()))
            .strip_prefix('\u{feff}')
            .unwrap_or_else(|| panic!("{}: no byte-order mark", file.display()));
        // Organisations' addresses stay (a registry, a switchboard); a person's go.
        for address in email_addresses(text) {
            assert_eq!(address, "registrator@ksl.se", "{}", file.display());
        }
        for number in telephone_numbers(text) {
            assert_eq!(number, "08-508 33 600", "{}", file.display());
        }
        // Otherwise the source as it is, line for line, where the seeds are at hand.
        let seed = seeds.join(file.file_name().unwrap());
        if let Ok(original) = std::fs::read_to_string(&seed) {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (original.lines().collect(), text.lines().collect());
            assert_eq!(a.len(), b.len(), "{}", file.display());
            for (from, to) in a.iter().zip(&b) {
                assert!(
                    from == to || to.contains("[borttaget: "),
                    "{}: {from:?} became {to:?}",
                    file.display()
                );
            }
        }
    }
    let ekero = read(&out.join("kallor/002_661ccfeecf2d401e.txt"));
    assert!(ekero.contains("[borttaget: personligt telefonnummer]"));
    assert!(ekero.contains("Kommunförbundet Stockholms län (registrator@ksl.se)"));

    // Each page links its text and says what was taken out of it.
    let page = read(&out.join("dokument/ekero-beslut-2013/index.html"));
    assert!(page.contains(
        "<a href=\"../../kallor/002_661ccfeecf2d401e.txt\" type=\"text/plain\">Originaltexten (oredigerad textfil)</a>. Ur den har tagits bort: personligt telefonnummer, personlig e-postadress"
    ), "{page}");
    let page = read(&out.join("overenskommelse/2013/index.html"));
    assert!(page.contains(
        "<a href=\"../../kallor/003_eaffa4810b0c27ab.txt\" type=\"text/plain\">Originaltexten (oredigerad textfil)</a></dd>"
    ));
    assert!(!page.contains("Källfil"));
}

#[test]
fn a_page_whose_source_text_is_not_published_says_so_and_check_warns() {
    // The guidelines name riktlinjer-2021.txt, which content/kallor/ lacks.
    let site = real_content_and_second_work();
    let output = avtal(&["check", "--root", site.path().to_str().unwrap()]);
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains(
            "source.file names `riktlinjer-2021.txt`, which is not in content/kallor/: the page cannot link its original text"
        ) && report.contains("content/riktlinjer/2021.md:9:1"),
        "{report}"
    );
    let (_guard, out) = build(site.path());
    let page = read(&out.join("riktlinjer/2021/index.html"));
    assert!(
        page.contains("Källans textfil, riktlinjer-2021.txt, finns inte på webbplatsen."),
        "{page}"
    );
}
