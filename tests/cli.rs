//! The command line as editors and scripts use it: diff, new-version, help, exit codes.

mod support;

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
    assert_eq!(renumbered["status"], "changed");
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
