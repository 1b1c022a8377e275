//! Hostile input: see the module list in tests/testsuite/hostile/mod.rs.
//!
//! Silent gaps: whatever an editor lists and is then looked up must report a miss, and
//! whatever is listed twice must report the duplicate, with file and line.

use std::path::Path;

use crate::hostile::support::{Outcome, TestSite};

const VERSION_2009: &str = "content/avtal/2009.md";
const VERSION_2013: &str = "content/avtal/2013.md";
const DECISION: &str = "content/dokument/beslut.md";
const SITE_YAML: &str = "content/site.yaml";
const ADOPTIONS: &str = "content/antaganden.yaml";

fn with_concerns(case: &str, concerns: &str) -> Outcome {
    let site = TestSite::new(case);
    site.edit(DECISION, "concerns: [\"avtal/2013\"]", concerns);
    site.check()
}

#[test]
fn concerns_naming_a_version_that_does_not_exist() {
    let outcome = with_concerns(
        "gaps-concerns-missing",
        "concerns: [\"avtal/2013\", \"avtal/2014\"]",
    );
    let problem = outcome
        .assert_error(
            DECISION,
            Some(7),
            "`concerns` names `avtal/2014`, but work `avtal` has no version `2014`",
        )
        .clone();
    assert!(
        problem
            .detail
            .contains("the versions are: avtal/2009, avtal/2013"),
        "{problem:?}"
    );
    // The entry itself is pointed at, not the start of the line.
    assert!(outcome.stderr.contains("content/dokument/beslut.md:7:27"));
}

#[test]
fn concerns_naming_no_version_at_all() {
    let outcome = with_concerns("gaps-concerns-climb", "concerns: [\"../../etc/passwd\"]");
    let problem = outcome
        .assert_error(
            DECISION,
            Some(7),
            "`concerns` names `../../etc/passwd`, which is not a version of this site",
        )
        .clone();
    assert!(
        problem.detail.contains("avtal/2009, avtal/2013"),
        "{problem:?}"
    );
    let outcome = with_concerns("gaps-concerns-work", "concerns: [\"lagen/2013\"]");
    outcome.assert_error(DECISION, Some(7), "`lagen/2013`, which is not a version");
}

#[test]
fn concerns_listing_a_version_twice_in_block_style() {
    let outcome = with_concerns(
        "gaps-concerns-twice",
        "concerns:\n  - avtal/2013\n  - avtal/2009\n  - \"avtal/2013\"",
    );
    outcome.assert_error(
        DECISION,
        Some(10),
        "`concerns` lists `avtal/2013` twice (first at line 8)",
    );
}

/// A version that may be in a file that did not load is not reported missing: that
/// file's own error is the one to fix.
#[test]
fn concerns_are_not_reported_missing_when_a_version_failed_to_load() {
    let site = TestSite::new("gaps-concerns-unloaded");
    site.edit(VERSION_2013, "date: 2013-05-06", "date: 2013-02-30");
    site.check()
        .assert_error(VERSION_2013, Some(5), "februari has no day 30");
}

#[test]
fn a_work_listed_twice_in_site_yaml() {
    let site = TestSite::new("gaps-work-twice");
    site.edit(
        SITE_YAML,
        "    short_title: \"Avtalet\"",
        "    short_title: \"Avtalet\"\n  - id: annat\n    title: \"Annat\"\n    short_title: \"Annat\"\n  - id: avtal\n    title: \"Ett annat namn\"\n    short_title: \"Namnet\"",
    );
    site.check().assert_error(
        SITE_YAML,
        Some(11),
        "work `avtal` is listed twice (first at line 5)",
    );
}

#[test]
fn a_work_listed_twice_in_flow_style_points_at_the_list() {
    let site = TestSite::new("gaps-work-twice-flow");
    site.edit(
        SITE_YAML,
        "works:\n  - id: avtal\n    title: \"Provavtalet\"\n    short_title: \"Avtalet\"",
        "works: [{id: avtal, title: A, short_title: A}, {id: avtal, title: B, short_title: B}]",
    );
    site.check()
        .assert_error(SITE_YAML, Some(4), "work `avtal` is listed twice");
}

#[test]
fn a_work_without_versions_is_a_warning_at_its_entry() {
    let site = TestSite::new("gaps-work-empty");
    site.edit(
        SITE_YAML,
        "    short_title: \"Avtalet\"",
        "    short_title: \"Avtalet\"\n  - id: avtall\n    title: \"Stavfel\"\n    short_title: \"Stavfel\"",
    );
    let outcome = site.check();
    outcome.assert_clean();
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert_eq!(
        (warnings[0].file.as_str(), warnings[0].line),
        (SITE_YAML, Some(8))
    );
    assert!(
        warnings[0]
            .message
            .starts_with("work `avtall` has no versions"),
        "{:?}",
        warnings[0]
    );
}

#[test]
fn a_lineage_entry_listed_twice() {
    let site = TestSite::new("gaps-lineage-twice");
    site.edit(
        VERSION_2013,
        "    - from: [P2]\n      to: [P2]\n",
        "    - from: [P2]\n      to: [P2]\n    - from: [P1]\n      to: [P1]\n",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(20),
        "lineage entry repeats `P1` → `P1` (first at line 15)",
    );
}

#[test]
fn a_lineage_entry_naming_a_clause_twice_or_repeating_a_new_one() {
    let site = TestSite::new("gaps-lineage-same-clause");
    site.edit(
        VERSION_2013,
        "    - from: [P2]\n      to: [P2]\n",
        "    - from: [P2, P2]\n      to: [P2]\n",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(18),
        "lineage entry names clause `P2` twice in `from`",
    );

    // A new clause declared new twice.
    site.edit(
        VERSION_2013,
        "    - from: [P2, P2]\n      to: [P2]\n",
        "    - from: []\n      to: [P2]\n    - from: []\n      to: [P2]\n    - from: [P2]\n      to: []\n",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(20),
        "lineage entry repeats `P2` as new (first at line 18)",
    );
}

/// A split written as two entries (P1 → P1 and P1 → P2) shares a clause but repeats no
/// link: it stays valid.
#[test]
fn a_split_written_as_two_entries_is_not_a_repeat() {
    let site = TestSite::new("gaps-lineage-split");
    site.edit(
        VERSION_2013,
        "    - from: [P2]\n      to: [P2]\n",
        "    - from: [P1]\n      to: [P2]\n",
    );
    let outcome = site.check();
    outcome.assert_clean();
    assert!(outcome.warnings().is_empty(), "{}", outcome.stderr);
}

fn page(body: &str) -> String {
    format!("---\nkind: page\ntitle: \"Sida\"\n---\n{body}")
}

#[test]
fn a_clause_id_repeating_the_skip_link_target() {
    let site = TestSite::new("gaps-id-innehall");
    site.write(
        "content/sida.md",
        page("\n## Om sidan {#innehall}\n\nText.\n"),
    );
    site.check().assert_error(
        "content/sida.md",
        Some(6),
        "clause id `innehall` is already an id of the page: the page's main content, where the skip link leads",
    );
    // A heading whose words make the same id.
    site.write("content/sida.md", page("\n## Innehåll\n\nText.\n"));
    site.check()
        .assert_error("content/sida.md", Some(6), "clause id `innehall`");
}

#[test]
fn clause_ids_repeating_an_id_of_their_kind_of_page() {
    let site = TestSite::new("gaps-id-kinds");
    // `toc` gives its heading `toc-rubrik`, the table of contents' heading.
    site.edit(VERSION_2013, "## § 2 Mål", "## § 2 Mål {#toc}");
    site.edit(
        DECISION,
        "Kommunstyrelsen",
        "## Underskrifter\n\nKommunstyrelsen",
    );
    site.edit(VERSION_2013, "to: [P2]", "to: [toc]");
    site.check().assert_errors(&[
        (
            VERSION_2013,
            Some(26),
            "clause `toc` would give the page the id `toc-rubrik` twice",
        ),
        (
            DECISION,
            Some(14),
            "clause id `underskrifter` is already an id of the page",
        ),
    ]);
}

/// Ids that only other kinds of page have are free: documents in the real content have
/// a `## Sammanfattning`, which only a comparison page uses, and a plain page may have
/// `## Underskrifter`, which only a document's page uses.
#[test]
fn ids_of_other_kinds_of_page_are_free() {
    let site = TestSite::new("gaps-id-free");
    site.edit(
        DECISION,
        "Kommunstyrelsen",
        "## Sammanfattning\n\nKort.\n\n## Beslut\n\nKommunstyrelsen",
    );
    site.write(
        "content/sida.md",
        page("\n## Underskrifter\n\nText.\n\n## Om {#om-rubrik-x}\n\nMer.\n"),
    );
    site.check().assert_clean();
    site.build().assert_clean();
    let html = site.read("public/dokument/beslut/index.html");
    assert_eq!(html.matches("id=\"sammanfattning\"").count(), 1);
}

#[test]
fn a_clause_id_repeating_another_clause_heading() {
    let site = TestSite::new("gaps-id-heading");
    site.write(
        "content/sida.md",
        page("\n## Om\n\nText.\n\n## Mer {#om-rubrik}\n\nMer.\n"),
    );
    site.check().assert_error(
        "content/sida.md",
        Some(10),
        "clause id `om-rubrik` is already an id of the page: the heading of clause `om`",
    );
}

/// Sub-headings keep an id written for them (`### Rubrik {#id}`): it is an id on the
/// page like the others.
#[test]
fn sub_heading_ids_repeating_an_id_of_the_page() {
    let site = TestSite::new("gaps-id-sub-heading");
    site.write(
        "content/sida.md",
        page("\n## Om\n\n### Hoppa {#innehall}\n\nText.\n\n### Igen {#om}\n\n### Del {#del}\n\nA.\n\n### Del igen {#del}\n\n### Text {#omS1}\n\n### Fel {#1a}\n"),
    );
    site.check().assert_errors(&[
        (
            "content/sida.md",
            Some(8),
            "sub-heading id `innehall` is already an id of the page",
        ),
        (
            "content/sida.md",
            Some(12),
            "sub-heading id `om` is already the id of clause `om`",
        ),
        (
            "content/sida.md",
            Some(18),
            "sub-heading id `del` is already the id of the sub-heading at line 14",
        ),
        (
            "content/sida.md",
            Some(20),
            "sub-heading id `omS1` is already the id of a stycke or item of clause `om`",
        ),
        ("content/sida.md", Some(22), "`1a` cannot be used as an id"),
    ]);
}

/// The reserved ids are those the default templates of clause pages write: a template
/// that gains an id fails this test until the id is added to `PAGE_IDS`.
#[test]
fn every_fixed_id_of_a_clause_page_is_reserved() {
    use avtal::content::page_ids::{CLAUSE_TEMPLATES, HEADING_SUFFIX, PAGE_IDS};
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let read = |name: &str| {
        std::fs::read_to_string(templates.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let ids = |text: &str| -> Vec<String> {
        text.split("id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect()
    };
    // Every template that puts a clause's id on its page is one of the clause templates
    // (or the history page's, which prefixes them with a version).
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&templates).expect("templates") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".html") {
            names.push(name);
        }
    }
    for name in &names {
        if read(name).contains("id=\"{{ c.id }}\"") {
            assert!(
                CLAUSE_TEMPLATES.contains(&name.as_str()),
                "{name} shows clause ids but is not in CLAUSE_TEMPLATES"
            );
        }
    }
    let mut checked = 0;
    for template in CLAUSE_TEMPLATES.iter().chain(&["base.html"]) {
        let mut text = read(template);
        // Their partials are part of the page.
        for include in text.clone().split("{% include \"").skip(1) {
            let partial = include.split('"').next().expect("name");
            text.push_str(&read(partial));
        }
        for id in ids(&text) {
            checked += 1;
            if id.contains("{{") {
                // Made from a clause's id: the clause's own, or its heading's.
                assert!(
                    id == "{{ c.id }}" || id == format!("{{{{ c.id }}}}{HEADING_SUFFIX}"),
                    "{template}: id {id:?} is made in a way the content checks do not know"
                );
                continue;
            }
            assert!(
                PAGE_IDS
                    .iter()
                    .any(|p| p.id == id && (p.template == *template || p.template == "base.html")),
                "{template} writes id=\"{id}\", which PAGE_IDS lacks (for {template})"
            );
        }
    }
    assert!(checked >= PAGE_IDS.len(), "the templates were not read");
}

#[test]
fn two_byte_order_marks_at_the_start() {
    let site = TestSite::new("gaps-two-boms");
    let text = site.read(VERSION_2013);
    site.write(VERSION_2013, format!("\u{feff}\u{feff}{text}"));
    let problem = site
        .check()
        .assert_error(
            VERSION_2013,
            Some(1),
            "the file starts with two byte-order marks (U+FEFF)",
        )
        .clone();
    assert!(
        problem.detail.contains("without a byte-order mark"),
        "{problem:?}"
    );
}

/// One byte-order mark inside the text (two files joined) is refused where it stands;
/// one at the start is how some editors save UTF-8, and is dropped (see
/// `bom_and_crlf_are_valid`).
#[test]
fn a_byte_order_mark_inside_the_text() {
    let site = TestSite::new("gaps-inner-bom");
    site.edit(VERSION_2013, "samarbeta mer", "samarbeta\u{feff} mer");
    let outcome = site.check();
    outcome.assert_error(VERSION_2013, Some(24), "a byte-order mark (U+FEFF");
    assert!(
        outcome.stderr.contains("content/avtal/2013.md:24:25"),
        "{}",
        outcome.stderr
    );
}

const ADOPTION_FACTS: &str = "municipalities: [Ekerö, Solna]
facts:
  - version: \"2013\"
    who: [Ekerö]
    status: antagen
    text: \"Antaget.\"
    source: \"@/dokument/beslut.md\"
";

#[test]
fn adoption_facts_are_looked_up() {
    let site = TestSite::new("gaps-adoptions");
    site.write(ADOPTIONS, ADOPTION_FACTS);
    site.check().assert_clean();

    site.write(
        ADOPTIONS,
        format!(
            "{ADOPTION_FACTS}  - version: \"2014\"
    who: all
    status: okänd
    text: \"Okänt.\"
    source: \"@/dokument/protokoll.md\"
  - version: \"2009\"
    work: lagen
    who: all
    status: antagen
    text: \"x\"
    source: \"https://example.se/\"
"
        ),
    );
    site.check().assert_errors(&[
        (ADOPTIONS, Some(8), "work `avtal` has no version `2014`"),
        (
            ADOPTIONS,
            Some(12),
            "link to `@/dokument/protokoll.md`: no such content file",
        ),
        (
            ADOPTIONS,
            Some(14),
            "`work: lagen` is not a work of this site",
        ),
        (
            ADOPTIONS,
            Some(18),
            "`source: https://example.se/` is not a link to a content file",
        ),
    ]);
}

#[test]
fn adoption_lists_naming_a_municipality_twice() {
    let site = TestSite::new("gaps-adoption-twice");
    site.write(
        ADOPTIONS,
        ADOPTION_FACTS.replace("[Ekerö, Solna]", "[Ekerö, Solna, Ekerö]"),
    );
    let outcome = site.check();
    outcome.assert_error(
        ADOPTIONS,
        Some(1),
        "`Ekerö` is listed twice in `municipalities` (first at line 1)",
    );
    assert!(outcome.stderr.contains("content/antaganden.yaml:1:32"));

    site.write(
        ADOPTIONS,
        ADOPTION_FACTS.replace("who: [Ekerö]", "who: [Ekerö, Solna, Ekerö]"),
    );
    site.check()
        .assert_error(ADOPTIONS, Some(4), "`who` names `Ekerö` twice");
}

/// With two works that both have a version `2013`, a fact about it names its work, and
/// shows only in that work's column.
#[test]
fn adoption_facts_belong_to_their_work() {
    let site = TestSite::new("gaps-adoption-works");
    site.edit(
        SITE_YAML,
        "    short_title: \"Avtalet\"",
        "    short_title: \"Avtalet\"\n  - id: annat\n    title: \"Annat avtal\"\n    short_title: \"Annat\"",
    );
    let other = site
        .read(VERSION_2009)
        .replace("work: avtal", "work: annat")
        .replace("version: \"2009\"", "version: \"2013\"");
    site.write("content/annat/2013.md", other);
    site.write(ADOPTIONS, ADOPTION_FACTS);
    site.check().assert_error(
        ADOPTIONS,
        Some(3),
        "works avtal, annat each have a version `2013`, and this fact names no `work`",
    );
    // A version id only one work has tells the work.
    site.write(ADOPTIONS, ADOPTION_FACTS.replace("\"2013\"", "\"2009\""));
    site.check().assert_clean();
    site.write(ADOPTIONS, ADOPTION_FACTS.replace("\"2013\"", "\"2010\""));
    site.check()
        .assert_error(ADOPTIONS, Some(3), "no work has a version `2010`");

    site.write(
        ADOPTIONS,
        ADOPTION_FACTS.replace("    who:", "    work: annat\n    who:"),
    );
    site.build().assert_clean();
    let html = site.read("public/antaganden/index.html");
    let row = html
        .split("<th scope=\"row\">Ekerö</th>")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("Ekerö's row");
    // Columns: avtal 2009, avtal 2013, annat 2013: only the last says adopted.
    let cells: Vec<&str> = row.split("<td>").skip(1).collect();
    assert_eq!(cells.len(), 3, "{row}");
    assert!(cells[0].contains("uppgift saknas") && cells[1].contains("uppgift saknas"));
    assert!(cells[2].contains("antagen"), "{row}");
}

#[test]
fn a_word_listed_twice_in_the_word_list() {
    let site = TestSite::new("gaps-ordlista-twice");
    site.write(
        "content/ordlista.txt",
        "# Förkortningar i källan\nKSL\n# Igen\nKSL\n",
    );
    let outcome = site.check();
    outcome.assert_clean();
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert_eq!(
        (warnings[0].file.as_str(), warnings[0].line),
        ("content/ordlista.txt", Some(4))
    );
    assert!(
        warnings[0]
            .message
            .contains("`KSL` is in the word list twice (first at line 2)"),
        "{:?}",
        warnings[0]
    );
}
