//! The command line as editors and scripts use it: diff, new-version, help, exit codes.

use crate::support;

use support::*;

fn synthetic() -> String {
    repo_root()
        .join("tests/fixtures/synthetic")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn diff_json_has_the_documented_shape() {
    let root = synthetic();
    let output = avtal(&["diff", "2020", "2022", "--format", "json", "--root", &root]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["from"], "2020");
    assert_eq!(value["to"], "2022");
    let pairs = value["pairs"].as_array().unwrap();
    let renumbered = pairs
        .iter()
        .find(|p| p["to"] == serde_json::json!(["P1"]))
        .unwrap();
    assert_eq!(renumbered["from"], serde_json::json!(["P7"]));
    assert_eq!(renumbered["status"], "renumbered");
    assert_eq!(renumbered["declared"], false);
    let similarity = renumbered["similarity"].as_f64().unwrap();
    assert!(similarity > 0.0 && similarity < 1.0);
    let changes = renumbered["changes"].as_array().unwrap();
    let inserted: String = changes
        .iter()
        .filter(|c| c["op"] == "insert")
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(
        inserted.contains("beslut i kommunfullmäktige"),
        "{inserted}"
    );
}

#[test]
fn diff_text_marks_changes_without_colour_when_piped() {
    let root = synthetic();
    let output = avtal(&["diff", "2020", "2022", "--clause", "P7", "--root", &root]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("== 2020 § 7 → 2022 § 1"), "{text}");
    assert!(text.contains("[-undertecknandet-]"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when not on a terminal"
    );
    // Exact clause match: P7 of 2022 is the new clause, shown too; P1 of 2020 is not.
    assert!(!text.contains("2020 § 1 →"), "{text}");
}

#[test]
fn diff_usage_errors_exit_2_with_a_hint() {
    let root = synthetic();
    let output = avtal(&["diff", "2020", "1999", "--root", &root]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("no version `1999`") && message.contains("2020, 2022, 2024"),
        "{message}"
    );
    let output = avtal(&["diff", "2022", "2020", "--root", &root]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the older version comes first"
    );
}

#[test]
fn new_version_copies_with_one_to_one_lineage() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fixture = repo_root().join("tests/fixtures/synthetic");
    std::fs::create_dir_all(root.join("content/avtal")).unwrap();
    for file in [
        "site.yaml",
        "avtal/2020.md",
        "avtal/2022.md",
        "avtal/2024.md",
    ] {
        std::fs::copy(
            fixture.join("content").join(file),
            root.join("content").join(file),
        )
        .unwrap();
    }
    copy_dir(&repo_root().join("themes"), &root.join("themes"));
    let root_arg = root.to_str().unwrap();
    let output = avtal(&[
        "new-version",
        "avtal",
        "2026",
        "--from",
        "2024",
        "--root",
        root_arg,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let created = std::fs::read_to_string(root.join("content/avtal/2026.md")).unwrap();
    assert!(
        created.contains("version: '2026'")
            || created.contains("version: \"2026\"")
            || created.contains("version: 2026"),
        "{created}"
    );
    // No source says anything of the copy yet: it has no status history of its own.
    assert!(created.contains("status_history: []"), "{created}");
    assert!(!created.contains("antagen"), "{created}");
    assert!(created.contains("## § 3 Språk och praktik"));
    // The copy checks clean: lineage declared for every clause, so no proposal warning.
    let check = avtal(&["check", "--root", root_arg]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(
        !stderr.contains("2026.md"),
        "no warning about the new version: {stderr}"
    );
    // Editing the draft shows up in its comparison with the version it came from.
    let edited = created.replace(
        "från beslut i kommunfullmäktige",
        "från beslut i regionfullmäktige",
    );
    std::fs::write(root.join("content/avtal/2026.md"), edited).unwrap();
    let diff = avtal(&["diff", "2024", "2026", "--clause", "P1", "--root", root_arg]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("[-kommunfullmäktige-]{+regionfullmäktige+}"),
        "{text}"
    );
    // A second run refuses to overwrite.
    let again = avtal(&[
        "new-version",
        "avtal",
        "2026",
        "--from",
        "2024",
        "--root",
        root_arg,
    ]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn help_explains_every_command() {
    let output = avtal(&["--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["build", "check", "diff", "new-version"] {
        assert!(text.contains(command), "{text}");
    }
    let output = avtal(&["build", "--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("--root") && text.contains("--output"),
        "{text}"
    );
}

#[test]
fn diff_of_a_version_with_itself_says_they_are_the_same() {
    let root = synthetic();
    let output = avtal(&["diff", "2022", "2022", "--root", &root]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("2022 and 2022 are the same version")
            && message.contains("avtal diff 2020 2022"),
        "{message}"
    );
}

#[test]
fn diff_newer_first_suggests_the_right_order() {
    let root = synthetic();
    let output = avtal(&["diff", "2024", "2020", "--root", &root]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("2024 is newer than 2020") && message.contains("`avtal diff 2020 2024`"),
        "{message}"
    );
}

#[test]
fn an_unknown_clause_lists_the_clauses_and_the_nearest() {
    let root = synthetic();
    let output = avtal(&["diff", "2020", "2022", "--clause", "p7", "--root", &root]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("has a clause `p7`"), "{message}");
    assert!(message.contains("did you mean `P7`?"), "{message}");
    assert!(
        message.contains("clauses of 2020: P1, P2, P3, P4, P5, P6, P7"),
        "{message}"
    );
    let far = avtal(&[
        "diff",
        "2020",
        "2022",
        "--clause",
        "utgangspunkter",
        "--root",
        &root,
    ]);
    let message = String::from_utf8_lossy(&far.stderr);
    assert!(
        !message.contains("did you mean"),
        "nothing is near: {message}"
    );
    assert!(message.contains("clauses of 2022:"), "{message}");
}

#[test]
fn diff_and_new_version_without_content_exit_2_like_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    for args in [
        vec!["diff", "2020", "2022", "--root", root],
        vec![
            "new-version",
            "avtal",
            "2026",
            "--from",
            "2024",
            "--root",
            root,
        ],
        vec!["build", "--root", root],
    ] {
        let output = avtal(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(
            message.contains("has no content/ folder"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn a_lineage_that_skips_a_version_is_explained_and_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo_root().join("tests/fixtures/synthetic"), root);
    // 2024 declares its lineage from 2020, past 2022.
    let path = root.join("content/avtal/2024.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("lineage:").unwrap();
    let end = start + text[start..].find("---").unwrap();
    let edited = format!(
        "{}lineage:\n  from: \"2020\"\n{}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&path, edited).unwrap();
    let root_arg = root.to_str().unwrap();
    let output = avtal(&["diff", "2022", "2024", "--root", root_arg]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("the lineage of version 2024 goes from 2020, past 2022")
            && message.contains("`avtal diff 2020 2024`"),
        "{message}"
    );
    // The comparison the lineage gives is made.
    let direct = avtal(&["diff", "2020", "2024", "--root", root_arg]);
    assert!(
        direct.status.success(),
        "{}",
        String::from_utf8_lossy(&direct.stderr)
    );
    let check = avtal(&["check", "--root", root_arg]);
    assert!(check.status.success());
    let report = String::from_utf8_lossy(&check.stderr);
    assert!(
        report.contains("warning: lineage goes from version 2020, past version 2022")
            && report.contains("content/avtal/2024.md:11"),
        "{report}"
    );
}

fn real_json(from: &str, to: &str) -> serde_json::Value {
    let root = repo_root().to_string_lossy().into_owned();
    let output = avtal(&["diff", from, to, "--format", "json", "--root", &root]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn side(changes: &serde_json::Value, op: &str) -> String {
    changes
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["op"] == "equal" || c["op"] == op)
        .map(|c| c["text"].as_str().unwrap())
        .collect()
}

#[test]
fn diff_json_gives_parts_moves_and_the_new_statuses() {
    let value = real_json("2009", "2013");
    let pairs = value["pairs"].as_array().unwrap();
    let split = pairs
        .iter()
        .find(|p| p["to"] == serde_json::json!(["P2", "P5"]))
        .unwrap();
    assert_eq!(split["status"], "split");
    assert_eq!(split["from"], serde_json::json!(["P1"]));
    let parts = split["parts"].as_array().expect("a split has parts");
    let ends: Vec<(&str, &str)> = parts
        .iter()
        .map(|p| (p["from"].as_str().unwrap(), p["to"].as_str().unwrap()))
        .collect();
    assert_eq!(ends, [("P1", "P2"), ("P1", "P5")]);
    // Each part has its own share: § 2 is all new text, § 5 kept some of § 1.
    assert_eq!(parts[0]["similarity"], 0.0);
    let p5 = parts[1]["similarity"].as_f64().unwrap();
    assert!(p5 > 0.0 && p5 < 1.0, "{p5}");
    // § 2's part is only what 2013 § 2 says.
    assert_eq!(side(&parts[0]["changes"], "delete"), "");
    assert!(side(&parts[0]["changes"], "insert").starts_with("Denna överenskommelse syftar till"));
    // The moved sentence is listed, and its changes point at it.
    let moves = split["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0]["from"], "P1");
    assert_eq!(moves[0]["from_block"], "P1S2");
    assert_eq!(moves[0]["to"], "P5");
    assert_eq!(moves[0]["to_block"], "P5S1");
    assert!(
        moves[0]["text"]
            .as_str()
            .unwrap()
            .contains("ska samarbeta så att det leder")
    );
    let pointing: Vec<&serde_json::Value> = split["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["move"] == 0)
        .collect();
    assert_eq!(
        pointing.len(),
        2,
        "one delete where it left, one insert where it arrived"
    );
    // The row's changes are its parts', a blank line between them.
    let row_new = side(&split["changes"], "insert");
    assert_eq!(
        row_new,
        format!(
            "{}\n\n{}",
            side(&parts[0]["changes"], "insert"),
            side(&parts[1]["changes"], "insert")
        )
    );
    // One clause to one under another number: renumbered, no parts, and the changes
    // give both clause texts back exactly.
    let renumbered = pairs
        .iter()
        .find(|p| p["to"] == serde_json::json!(["P10"]))
        .unwrap();
    assert_eq!(renumbered["status"], "renumbered");
    assert!(renumbered.get("parts").is_none());
    let old = side(&renumbered["changes"], "delete");
    assert!(
        old.starts_with("Parter i denna överenskommelse är de kommuner i länet som undertecknat")
    );
    assert!(old.ends_with("i sådana frågor som regleras i detta avtal."));
    assert!(!old.contains("beslutat anta"));
    let new = side(&renumbered["changes"], "insert");
    assert!(new.contains("som beslutat anta denna. Den utgör"), "{new}");
}

#[test]
fn published_notes_lead_to_addresses_not_content_files() {
    let value = real_json("2009", "2013");
    let notes: Vec<&str> = value["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["notes"].as_array().unwrap())
        .map(|n| n.as_str().unwrap())
        .collect();
    let all = notes.join("\n");
    assert!(!all.contains("@/"), "{all}");
    // The real content has no base_url yet: addresses from the site's root.
    assert!(all.contains("](overenskommelse/2013/#P5S1)"), "{all}");
    // The site's own JSON says the same.
    let (_guard, out) = build(&repo_root());
    let published: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("overenskommelse/jamfor/2009-2013.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(published["pairs"], value["pairs"]);
}

#[test]
fn diff_text_shows_parts_list_numbers_and_moves() {
    let root = repo_root().to_string_lossy().into_owned();
    let output = avtal(&["diff", "2009", "2013", "--clause", "P5", "--root", &root]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("== 2009 § 1 → 2013 § 2 + § 5 (delad,"),
        "{text}"
    );
    assert!(
        text.contains("-- del 2 av 2: 2009 § 1 → 2013 § 5 ("),
        "{text}"
    );
    assert!(text.contains("\n  7. {+Ersättningsfrågor"), "{text}");
    assert!(
        text.contains(
            "[flyttad till 2013 § 5 stycke 1: Överenskommelsen innebär att kommunerna ska samarbeta"
        ),
        "{text}"
    );
    assert!(
        text.contains("[flyttad hit från 2009 § 1 stycke 2:]"),
        "{text}"
    );
}
