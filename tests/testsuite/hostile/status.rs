//! Hostile input: see the module list in tests/testsuite/hostile/mod.rs.
//!
//! Status from the sources: a status step with no source, or with a source that leads
//! nowhere, is refused at its line; two versions that would both be in force are
//! refused; the old one-word `status:` is warned about and never shown.

use crate::hostile::support::TestSite;

const VERSION_2009: &str = "content/avtal/2009.md";
const VERSION_2013: &str = "content/avtal/2013.md";

/// The base site's histories, one line each (so that the other tests' lines hold),
/// written out a field a line: 2013.md then begins
///  1 ---            5 date: 2013-05-06
///  2 kind: version  6 status_history:
///  3 work: avtal    7   - status: antagen
///  4 version: …     8     date: 2013-11-05
///                   9     source: "@/dokument/beslut.md"
fn site_with_histories_in_blocks(name: &str) -> TestSite {
    let site = TestSite::new(name);
    site.edit(
        VERSION_2013,
        "status_history: [{ status: antagen, date: 2013-11-05, source: \"@/dokument/beslut.md\" }]\n",
        "status_history:\n  - status: antagen\n    date: 2013-11-05\n    source: \"@/dokument/beslut.md\"\n",
    );
    site.edit(
        VERSION_2009,
        "status_history: [{ status: antagen, date: 2009, source: \"@/dokument/beslut.md\" }, { status: ersatt, date: 2013-11-05, source: \"@/dokument/beslut.md\" }]\n",
        "status_history:\n  - status: antagen\n    date: 2009\n    source: \"@/dokument/beslut.md\"\n  - status: ersatt\n    date: 2013-11-05\n    source: \"@/dokument/beslut.md\"\n",
    );
    site
}

#[test]
fn a_status_step_without_a_source_is_refused_at_its_line() {
    let site = site_with_histories_in_blocks("status-no-source");
    site.edit(
        VERSION_2013,
        "    source: \"@/dokument/beslut.md\"\n",
        "    source: \"@/dokument/beslut.md\"\n  - status: upphävd\n    date: 2014-01-01\n",
    );
    let problem = site
        .check()
        .assert_error(
            VERSION_2013,
            Some(10),
            "status step `upphävd` has no source",
        )
        .clone();
    assert!(problem.detail.contains("source: \"@/"), "{problem:?}");
}

#[test]
fn a_status_step_whose_source_leads_nowhere_is_refused_at_its_source() {
    let site = site_with_histories_in_blocks("status-bad-source");
    site.edit(
        VERSION_2013,
        "\"@/dokument/beslut.md\"",
        "\"@/dokument/beslut.md#P9\"",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(9),
        "link to `@/dokument/beslut.md#P9`: content/dokument/beslut.md has no clause or stycke `P9`",
    );
    let site = site_with_histories_in_blocks("status-not-a-link");
    site.edit(VERSION_2013, "\"@/dokument/beslut.md\"", "\"Ekerö kommun\"");
    site.check().assert_error(
        VERSION_2013,
        Some(9),
        "`source: Ekerö kommun` is not a link to a content file",
    );
}

#[test]
fn two_versions_in_force_at_once_are_refused_at_the_later_ones_step() {
    let site = site_with_histories_in_blocks("status-in-force-twice");
    // 2009 no longer ends: it and 2013 would both apply from 2013-11-05.
    site.edit(
        VERSION_2009,
        "  - status: ersatt\n    date: 2013-11-05\n    source: \"@/dokument/beslut.md\"\n",
        "",
    );
    let problem = site
        .check()
        .assert_error(
            VERSION_2013,
            Some(7),
            "versions `2009` (content/avtal/2009.md, `antagen` 2009) and `2013` (content/avtal/2013.md, `antagen` 2013-11-05) of work `avtal` would both be in force from 2013-11-05",
        )
        .clone();
    assert!(problem.detail.contains("`status: ersatt`"), "{problem:?}");
    // An end dated before the later start settles it.
    let site = site_with_histories_in_blocks("status-in-force-in-turn");
    site.edit(
        VERSION_2009,
        "    date: 2013-11-05\n",
        "    date: 2013-11-04\n",
    );
    site.check().assert_clean();
    // An undated end does not: the two may have overlapped.
    let site = site_with_histories_in_blocks("status-in-force-undated-end");
    site.edit(
        VERSION_2009,
        "  - status: ersatt\n    date: 2013-11-05\n",
        "  - status: ersatt\n",
    );
    site.check()
        .assert_error(VERSION_2013, Some(7), "would both be in force");
    // Written in flow style, the history has no line a step: the field's line.
    let site = TestSite::new("status-flow");
    site.edit(
        VERSION_2013,
        "source: \"@/dokument/beslut.md\" }]",
        "source: \"@/dokument/beslut.md\" }, { status: upphävd }]",
    );
    site.check()
        .assert_error(VERSION_2013, Some(6), "status step `upphävd` has no source");
}

#[test]
fn the_old_status_word_is_warned_about_and_never_shown() {
    let site = site_with_histories_in_blocks("status-legacy");
    site.edit(
        VERSION_2013,
        "status_history:\n  - status: antagen\n    date: 2013-11-05\n    source: \"@/dokument/beslut.md\"\n",
        "status: gällande\n",
    );
    let outcome = site.build();
    outcome.assert_clean();
    let warning = outcome
        .warnings()
        .into_iter()
        .find(|p| {
            p.message
                .contains("`status: gällande` is one word with no source")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no warning about status:\n{}", outcome.stderr));
    assert_eq!(
        (warning.file.as_str(), warning.line),
        (VERSION_2013, Some(6))
    );
    let page = site.read("public/avtal/2013/index.html");
    assert!(
        !page.to_lowercase().contains("gällande"),
        "the word is not shown"
    );
    assert!(
        page.contains(
            "Källorna som webbplatsen bygger på säger inget om den här versionens status."
        ),
        "the page says the sources are silent"
    );
    // 2009 was replaced, and nothing says 2013 applies: no version applies.
    assert!(page.contains("Källorna visar ingen version av Avtalet som gäller."));
}

#[test]
fn a_link_in_the_adoption_lists_note_must_lead_somewhere() {
    let site = TestSite::new("status-adoption-note");
    site.write(
        "content/antaganden.yaml",
        "municipalities: [Ekerö]\nnote: >-\n  Kommunen namnges i [beslutet](@/dokument/beslut.md) och\n  [ett annat](@/dokument/saknas.md).\nfacts: []\n",
    );
    site.check().assert_error(
        "content/antaganden.yaml",
        Some(2),
        "link to `@/dokument/saknas.md`: no such content file",
    );
}
