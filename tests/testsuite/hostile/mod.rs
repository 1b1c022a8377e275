//! Hostile input: every case runs the real binary on a small site with one bad file and
//! asserts the exact outcome (exit code, file, line, what is wrong) and that nothing
//! panicked (exit code 101). The base site in tests/hostile/base is valid.

pub mod support;

// Issue 15's cases, one module per kind of danger.
mod addresses;
mod gaps;
mod links_out;
mod output_paths;
mod scale;
mod status;

use std::fs;
use std::process::Command;
use std::time::Duration;

use support::{Outcome, TestSite, snapshot};

const VERSION_2013: &str = "content/avtal/2013.md";

/// A plain page: front matter on lines 1–4, `body` from line 5.
fn page(body: &str) -> String {
    format!("---\nkind: page\ntitle: \"Sida\"\n---\n{body}")
}

fn check_page(case: &str, body: impl AsRef<[u8]>) -> Outcome {
    let site = TestSite::new(case);
    site.write("content/sida.md", body);
    site.check()
}

#[test]
fn base_site_is_clean() {
    let site = TestSite::new("base");
    let outcome = site.check();
    outcome.assert_clean();
    assert!(outcome.problems.is_empty(), "{}", outcome.stderr);
}

#[test]
fn empty_file() {
    check_page("empty", "").assert_error("content/sida.md", None, "the file is empty");
}

#[test]
fn only_white_space() {
    check_page("blank", "\n  \n\t\n").assert_error("content/sida.md", None, "the file is empty");
}

#[test]
fn no_front_matter() {
    check_page("no-front-matter", "## § 1 Syfte\n\nText.\n").assert_error(
        "content/sida.md",
        Some(1),
        "the file has no front matter",
    );
}

#[test]
fn unterminated_front_matter() {
    check_page(
        "unterminated",
        "---\nkind: page\ntitle: \"Sida\"\n\n## § 1 A\n\nText.\n",
    )
    .assert_error("content/sida.md", Some(1), "the front matter is not closed");
}

#[test]
fn yaml_indented_with_tab() {
    check_page("tab", "---\nkind: page\n\ttitle: \"Sida\"\n---\nText.\n").assert_error(
        "content/sida.md",
        Some(3),
        "front matter is indented with a tab",
    );
}

#[test]
fn yaml_duplicate_key() {
    check_page(
        "duplicate-key",
        "---\nkind: page\ntitle: a\ntitle: b\n---\nText.\n",
    )
    .assert_error("content/sida.md", Some(4), "duplicate");
}

#[test]
fn yaml_wrong_type_text_for_a_list() {
    let site = TestSite::new("wrong-type");
    site.edit(
        "content/dokument/beslut.md",
        "concerns: [\"avtal/2013\"]",
        "concerns: \"avtal/2013\"",
    );
    site.check().assert_error(
        "content/dokument/beslut.md",
        Some(7),
        "invalid type: string \"avtal/2013\", expected a sequence",
    );
}

#[test]
fn yaml_value_not_in_the_list() {
    let site = TestSite::new("wrong-value");
    site.edit(VERSION_2013, "status: antagen", "status: giltig");
    site.check()
        .assert_error(VERSION_2013, Some(6), "unknown variant `giltig`");
}

#[test]
fn yaml_wrong_type_list_for_title() {
    check_page(
        "wrong-type-list",
        "---\nkind: page\ntitle: [a, b]\n---\nText.\n",
    )
    .assert_error("content/sida.md", Some(3), "invalid type: sequence");
}

#[test]
fn yaml_alias_bomb() {
    // "Billion laughs": nine levels of nine aliases each would expand to 9^9 strings.
    let mut yaml = String::from(
        "---\nkind: page\ntitle: \"Sida\"\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    yaml.push_str("---\nText.\n");
    let outcome = check_page("alias-bomb", yaml);
    // Refused as an unknown field long before any expansion, and quickly.
    let problem = outcome.assert_error("content/sida.md", Some(4), "").clone();
    assert!(
        problem.message.contains("unknown field `a`") || problem.message.contains("repetition"),
        "{problem:?}"
    );
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn yaml_alias_bomb_inside_a_known_field() {
    // The aliases sit inside `summary`, a field that exists, so serde must expand them.
    let mut yaml = String::from(
        "---\nkind: page\ntitle: \"Sida\"\nsummary: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    yaml.push_str("date: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n---\nText.\n");
    let outcome = check_page("alias-bomb-known", yaml);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    let errors = outcome.errors();
    assert_eq!(errors.len(), 1, "{}", outcome.stderr);
    assert_eq!(errors[0].file, "content/sida.md");
    assert!(errors[0].line.is_some(), "{:?}", errors[0]);
}

#[test]
fn yaml_nested_100_000_deep() {
    let depth = 100_000;
    let yaml = format!(
        "---\nkind: page\ntitle: {}{}\n---\nText.\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let outcome = check_page("yaml-deep", yaml);
    outcome.assert_error(
        "content/sida.md",
        Some(3),
        "front matter nests deeper than 64 levels",
    );
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let mut bytes = page("\n## § 1 A\n\nTr").into_bytes();
    bytes.extend_from_slice(b"\xe5d (Latin-1)\n");
    let outcome = check_page("latin1", bytes);
    let problem = outcome.assert_error("content/sida.md", Some(8), "not valid UTF-8");
    assert!(
        outcome.stderr.contains("content/sida.md:8:3"),
        "{problem:?}"
    );
}

#[test]
fn bom_and_crlf_are_valid() {
    let site = TestSite::new("bom-crlf");
    let text = site.read(VERSION_2013);
    site.write(
        VERSION_2013,
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    );
    site.check().assert_clean();
    site.build().assert_clean();
    let html = site.read("public/avtal/2013/index.html");
    assert!(html.contains("id=\"P1\""), "clause P1 missing");
    assert!(html.contains("Kommunerna ska samarbeta mer"));
    assert!(!html.contains('\r') && !html.contains('\u{feff}'));
}

#[test]
fn file_of_50_megabytes() {
    let site = TestSite::new("50mb");
    let mut text = page("\n");
    let line = "Ett stycke text som upprepas i en mycket stor fil.\n\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    site.write("content/stor.md", text);
    let outcome = site.check();
    outcome.assert_error("content/stor.md", None, "larger than the 8 MB limit");
    assert!(
        outcome.elapsed < Duration::from_secs(30),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn binary_file_named_md() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 100));
    check_page("binary", png).assert_error(
        "content/sida.md",
        None,
        "this is a binary file, not Markdown text",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let site = TestSite::new("symlink-loop");
    std::os::unix::fs::symlink(".", site.path("content/slinga")).expect("symlink");
    std::os::unix::fs::symlink("../avtal", site.path("content/dokument/tillbaka"))
        .expect("symlink");
    // Folder links are not followed: the loop is never entered and nothing is read twice.
    let outcome = site.check();
    outcome.assert_clean();
    assert!(
        outcome.stderr.contains("checked 3 pages"),
        "{}",
        outcome.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlinked_content_file() {
    let site = TestSite::new("symlink-file");
    std::os::unix::fs::symlink("/etc/passwd", site.path("content/lank.md")).expect("symlink");
    site.check().assert_error(
        "content/lank.md",
        None,
        "content files may not be symbolic links",
    );
}

/// A file the system refuses to read is an I/O problem (exit 2), still reported with
/// its name among the other problems. Root reads everything, so as root the binary is
/// run as the unprivileged user `nobody` (uid 65534) with `setpriv`.
#[cfg(unix)]
#[test]
fn unreadable_content_file_exits_as_an_io_problem() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::new_open_to_all("unreadable");
    let locked = site.path(VERSION_2013);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let binary = site.path("avtal");
    fs::copy(support::BINARY, &binary).expect("copy the binary where nobody may run it");
    let id = Command::new("id").arg("-u").output().expect("run id -u");
    let is_root = String::from_utf8_lossy(&id.stdout).trim() == "0";
    let mut command = if is_root {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        command
    } else {
        Command::new(&binary)
    };
    command.arg("build").arg("--root").arg(&site.root);
    let outcome = support::run_command(command);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    let errors = outcome.errors();
    assert_eq!(errors.len(), 1, "{}", outcome.stderr);
    assert_eq!(errors[0].file, VERSION_2013);
    assert!(
        errors[0]
            .message
            .starts_with("cannot read file: Permission denied"),
        "{}",
        outcome.stderr
    );
    assert!(!site.path("public").exists());
    fs::remove_dir_all(&site.root).ok();
}

#[test]
fn version_id_that_climbs_out() {
    let site = TestSite::new("slug-climb");
    site.edit(VERSION_2013, "version: \"2013\"", "version: \"../../x\"");
    site.check().assert_error(
        VERSION_2013,
        Some(4),
        "`../../x` cannot be used in an address",
    );
    let outcome = site.build();
    assert_eq!(outcome.code, Some(1));
    assert!(!site.path("x").exists() && !site.path("../x").exists());
    assert!(!site.path("public").exists());
}

#[test]
fn work_id_that_climbs_out() {
    let site = TestSite::new("work-climb");
    site.edit(VERSION_2013, "work: avtal", "work: \"../../../etc\"");
    site.check().assert_error(
        VERSION_2013,
        Some(3),
        "`../../../etc` cannot be used in an address",
    );
}

#[test]
fn file_name_that_is_not_an_address() {
    let site = TestSite::new("file-name");
    site.write(
        "content/dokument/<script>alert(1)</script>.md",
        page("Text.\n"),
    );
    site.check().assert_error(
        "content/dokument/<script>alert(1)</script>.md",
        None,
        "cannot be used in an address",
    );
}

#[test]
fn duplicate_clause_numbers() {
    check_page(
        "duplicate-paragraph",
        page("\n## § 1 A\n\nx\n\n## § 1 B\n\ny\n"),
    )
    .assert_error(
        "content/sida.md",
        Some(10),
        "clause id `P1` is used twice (first at line 6)",
    );
}

#[test]
fn clause_id_repeating_a_stycke_id() {
    check_page(
        "clause-id-stycke-id",
        page("\n## § 1 A\n\nx\n\n## B {#P1S1}\n\ny\n"),
    )
    .assert_error(
        "content/sida.md",
        Some(10),
        "clause id `P1S1` is already the id of a stycke or item in `P1`",
    );
}

#[test]
fn section_sign_without_number() {
    check_page("bare-section-sign", page("\n## § Utan nummer\n\nx\n")).assert_error(
        "content/sida.md",
        Some(6),
        "`§` must be followed by the clause number",
    );
}

#[test]
fn clause_number_too_large() {
    check_page("huge-number", page("\n## § 99999999999999 A\n\nx\n")).assert_error(
        "content/sida.md",
        Some(6),
        "is too large",
    );
}

#[test]
fn script_in_markdown() {
    check_page(
        "script-body",
        page("\nText.\n\n<script>alert(1)</script>\n"),
    )
    .assert_error("content/sida.md", Some(8), "raw HTML is not allowed");
}

#[test]
fn inline_html_in_markdown() {
    check_page(
        "inline-html",
        page("\nText <img src=x onerror=alert(1)> här.\n"),
    )
    .assert_error("content/sida.md", Some(6), "raw HTML is not allowed");
}

#[test]
fn script_in_heading() {
    check_page(
        "script-heading",
        page("\n## § 1 <script>alert(1)</script>\n\nx\n"),
    )
    .assert_error("content/sida.md", Some(6), "raw HTML is not allowed");
}

#[test]
fn script_in_front_matter_is_escaped() {
    let site = TestSite::new("script-front-matter");
    site.edit(
        VERSION_2013,
        "title: \"Avtalet 2013\"",
        "title: \"<script>alert(1)</script>\"\nsummary: \"\\\"><img src=x onerror=alert(2)>\"",
    );
    site.check().assert_clean();
    site.build().assert_clean();
    let mut escaped = 0;
    for (path, bytes) in snapshot(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") || path.ends_with(".xml") {
            assert!(!text.contains("<script>alert"), "{path} lets the script in");
            assert!(!text.contains("<img src=x"), "{path} lets the tag in");
            escaped += usize::from(
                text.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                    || text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            );
        }
    }
    assert!(escaped > 0, "the title appears escaped on no page");
}

#[test]
fn javascript_link_target() {
    check_page(
        "javascript-link",
        page("\nSe [här](javascript:alert(1)).\n"),
    )
    .assert_error(
        "content/sida.md",
        Some(6),
        "link target `javascript:alert(1)` is not allowed",
    );
}

#[test]
fn data_link_and_image() {
    check_page(
        "data-link",
        page("\n[a](data:text/html,<script>alert(1)</script>)\n\n![b](bild.png)\n"),
    )
    .assert_errors(&[
        ("content/sida.md", Some(6), "is not allowed"),
        ("content/sida.md", Some(8), "images are not supported"),
    ]);
}

#[test]
fn line_of_100_000_characters() {
    let long = "ord ".repeat(25_000);
    let site = TestSite::new("long-line");
    site.write(
        "content/sida.md",
        page(&format!("\n## § 1 Lång\n\n{long}\n")),
    );
    let outcome = site.check();
    outcome.assert_clean();
    assert!(
        outcome.elapsed < Duration::from_secs(30),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn list_nested_1000_deep() {
    let mut body = String::from("\n## § 1 Djup\n\n");
    for level in 0..1000 {
        body.push_str(&"  ".repeat(level));
        body.push_str("- punkt\n");
    }
    let site = TestSite::new("deep-list");
    site.write("content/sida.md", page(&body));
    site.check().assert_clean();
    site.build().assert_clean();
    let html = site.read("public/sida/index.html");
    assert!(html.contains("id=\"P1S1N1\""), "first item keeps its id");
}

#[test]
fn quotes_nested_1000_deep() {
    let body = format!("\n{} djupt\n", ">".repeat(1000));
    let site = TestSite::new("deep-quote");
    site.write("content/sida.md", page(&body));
    site.check().assert_clean();
}

#[test]
fn link_to_missing_clause() {
    let site = TestSite::new("missing-clause");
    site.edit(
        VERSION_2013,
        "(@/avtal/2009.md#P1S1)",
        "(@/avtal/2009.md#P7)",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(28),
        "link to `@/avtal/2009.md#P7`: content/avtal/2009.md has no clause or stycke `P7`",
    );
}

#[test]
fn link_to_missing_file() {
    let site = TestSite::new("missing-file");
    site.edit(
        "content/dokument/beslut.md",
        "(@/avtal/2013.md#P1)",
        "(@/avtal/2014.md#P1)",
    );
    site.check().assert_error(
        "content/dokument/beslut.md",
        Some(14),
        "link to `@/avtal/2014.md`: no such content file",
    );
}

#[test]
fn link_in_lineage_note_to_missing_clause() {
    let site = TestSite::new("note-link");
    site.edit(
        VERSION_2013,
        "[2009](@/avtal/2009.md#P1)",
        "[2009](@/avtal/2009.md#P5)",
    );
    let outcome = site.check();
    outcome.assert_error(VERSION_2013, Some(17), "has no clause or stycke `P5`");
    assert!(
        outcome.stderr.contains("content/avtal/2013.md:17:"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn link_in_editorial_to_missing_file() {
    let site = TestSite::new("editorial-link");
    site.edit(
        VERSION_2013,
        "(@/avtal/2009.md#P1).\"",
        "(@/avtal/2008.md#P1).\"",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(11),
        "link to `@/avtal/2008.md`: no such content file",
    );
}

#[test]
fn script_link_in_lineage_note() {
    let site = TestSite::new("note-javascript");
    site.edit(
        VERSION_2013,
        "[2009](@/avtal/2009.md#P1)",
        "[2009](javascript:alert(1))",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(17),
        "`note`: link target `javascript:alert(1)` is not allowed",
    );
}

#[test]
fn lineage_naming_missing_clause() {
    let site = TestSite::new("lineage-missing");
    site.edit(
        VERSION_2013,
        "    - from: [P2]\n      to: [P2]",
        "    - from: [P2]\n      to: [P9]",
    );
    site.check().assert_error(
        VERSION_2013,
        Some(19),
        "lineage names clause `P9`, which version 2013 does not have",
    );
}

#[test]
fn lineage_cycle() {
    let site = TestSite::new("lineage-cycle");
    site.edit(
        "content/avtal/2009.md",
        "  editorial: \"Inget ändrat.\"\n",
        "  editorial: \"Inget ändrat.\"\nlineage:\n  from: \"2013\"\n",
    );
    site.check().assert_error(
        "content/avtal/2009.md",
        Some(13),
        "lineage: version `2013` is not older than `2009`",
    );
}

#[test]
fn two_versions_with_the_same_id() {
    let site = TestSite::new("same-version");
    let text = site.read(VERSION_2013);
    site.write("content/avtal/2013-kopia.md", text);
    let outcome = site.check();
    let errors = outcome.errors();
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        errors.iter().any(|p| p.message
            == "version `2013` of work `avtal` is also defined in content/avtal/2013-kopia.md"
            || p.message
                == "version `2013` of work `avtal` is also defined in content/avtal/2013.md"),
        "{}",
        outcome.stderr
    );
    assert_eq!(errors.len(), 1, "{}", outcome.stderr);
}

#[test]
fn unknown_field() {
    check_page(
        "unknown-field",
        "---\nkind: page\ntitel: \"Sida\"\n---\nText.\n",
    )
    .assert_error("content/sida.md", Some(3), "unknown field `titel`");
}

#[test]
fn missing_field() {
    check_page(
        "missing-field",
        "---\nkind: page\nsummary: \"x\"\n---\nText.\n",
    )
    .assert_error("content/sida.md", Some(2), "missing field `title`");
}

#[test]
fn date_that_does_not_exist() {
    let site = TestSite::new("bad-date");
    site.edit(VERSION_2013, "date: 2013-05-06", "date: 2013-02-30");
    site.check()
        .assert_error(VERSION_2013, Some(5), "februari has no day 30");
}

#[test]
fn unknown_kind() {
    check_page("unknown-kind", "---\nkind: lag\ntitle: x\n---\n").assert_error(
        "content/sida.md",
        Some(2),
        "unknown kind `lag`",
    );
}

#[test]
fn level_one_heading() {
    check_page("h1", page("\n# Titel\n")).assert_error(
        "content/sida.md",
        Some(6),
        "a level-1 heading (`#`) is not allowed",
    );
}

#[test]
fn template_that_does_not_parse() {
    let site = TestSite::new("bad-template");
    let template = "themes/default/templates/page.html";
    let text = site.read(template);
    site.write(template, format!("{{% if %}}\n{text}"));
    let outcome = site.check();
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    let errors = outcome.errors();
    assert_eq!(errors.len(), 1, "{}", outcome.stderr);
    assert!(errors[0].file.ends_with("page.html"), "{:?}", errors[0]);
}

#[test]
fn many_broken_files_are_reported_at_once() {
    let site = TestSite::new("many-broken");
    site.write("content/tom.md", "");
    site.write("content/html.md", page("\n<b>fet</b>\n"));
    site.write("content/flik.md", "---\nkind: page\n\ttitle: x\n---\n");
    site.edit(
        VERSION_2013,
        "(@/avtal/2009.md#P1S1)",
        "(@/avtal/2009.md#P7)",
    );
    site.edit(
        "content/dokument/beslut.md",
        "date: 2013-11-05",
        "date: 2013-13-05",
    );
    site.check().assert_errors(&[
        ("content/tom.md", None, "the file is empty"),
        ("content/html.md", Some(6), "raw HTML is not allowed"),
        ("content/flik.md", Some(3), "indented with a tab"),
        (VERSION_2013, Some(28), "has no clause or stycke `P7`"),
        (
            "content/dokument/beslut.md",
            Some(6),
            "there is no month 13",
        ),
    ]);
}

#[test]
fn unused_word_list_entry_is_a_warning_apart_from_errors() {
    let site = TestSite::new("ordlista");
    site.write(
        "content/ordlista.txt",
        "# Förkortningar\nKSL\n# Namn som inte längre finns\nStattin\n",
    );
    let outcome = site.check();
    outcome.assert_clean();
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert_eq!(warnings[0].file, "content/ordlista.txt");
    assert_eq!(warnings[0].line, Some(4));
    assert!(warnings[0].message.contains("`Stattin`"));
    assert!(outcome.stderr.contains("0 error(s), 1 warning(s)"));

    // With an error as well, the error comes first and the warning stays a warning.
    site.write("content/ordlista.txt", "# Namn\nStattin\n");
    site.edit(
        VERSION_2013,
        "(@/avtal/2009.md#P1S1)",
        "(@/avtal/2009.md#P7)",
    );
    let outcome = site.check();
    assert_eq!(outcome.code, Some(1));
    assert_eq!(outcome.problems[0].severity, "error", "{}", outcome.stderr);
    assert_eq!(outcome.warnings().len(), 1, "{}", outcome.stderr);
}

#[test]
fn lineage_proposal_is_a_warning() {
    let site = TestSite::new("proposal");
    site.edit(VERSION_2013, "    - from: [P2]\n      to: [P2]\n", "");
    let outcome = site.check();
    outcome.assert_clean();
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert!(
        warnings[0]
            .message
            .contains("is not declared; proposed from the text")
    );
    assert!(warnings[0].detail.contains("to: [P2]"), "{:?}", warnings[0]);
}

#[test]
fn file_deleted_while_reading() {
    // The window between listing a file and reading it: the read names the file.
    let site = TestSite::new("deleted-read");
    let path = site.path("content/dokument/beslut.md");
    site.remove("content/dokument/beslut.md");
    let problem = avtal::content::source::read_text(&path, "content/dokument/beslut.md")
        .expect_err("a deleted file cannot be read");
    assert_eq!(problem.file, "content/dokument/beslut.md");
    assert!(problem.message.starts_with("cannot read file"), "{problem}");
}

#[test]
fn files_deleted_while_building() {
    let site = TestSite::new("deleted-build");
    for n in 0..400 {
        site.write(
            &format!("content/dokument/d{n}.md"),
            page(&format!("\n## § 1 Del {n}\n\nText {n}.\n")),
        );
    }
    let mut command = std::process::Command::new(support::BINARY);
    command.arg("build").arg("--root").arg(&site.root);
    let child = std::thread::spawn(move || support::run_command(command));
    for n in (0..400).step_by(2) {
        let _ = std::fs::remove_file(site.path(&format!("content/dokument/d{n}.md")));
    }
    let outcome = child.join().expect("build thread");
    // A file gone between listing and reading is an I/O problem (exit 2, README), named
    // with the others; one gone before the listing is simply not there.
    match outcome.code {
        Some(0) => {}
        Some(1 | 2) => {
            for problem in outcome.errors() {
                assert!(
                    problem.file.starts_with("content/dokument/d"),
                    "{problem:?}"
                );
                assert!(
                    problem.message.starts_with("cannot read file"),
                    "{problem:?}"
                );
            }
        }
        other => panic!("exit code {other:?}: {}", outcome.stderr),
    }
}

#[test]
fn missing_content_folder_is_a_usage_error() {
    let site = TestSite::new("no-content");
    std::fs::remove_dir_all(site.path("content")).expect("remove content");
    let outcome = site.check();
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("has no content/ folder"));
}

/// The publisher's contact is linked in every page's footer; a site without one is
/// warned about, and something that is neither an e-mail nor a web address is an error
/// on its line.
#[test]
fn site_contact_is_linked_warned_about_or_refused() {
    let site = TestSite::new("contact");
    site.build().assert_clean();
    let start = site.read("public/index.html");
    assert!(
        start.contains("Kontakt: <a href=\"https://example.se/kontakt/\">"),
        "no contact link in the footer"
    );

    site.edit(
        "content/site.yaml",
        "contact: \"https://example.se/kontakt/\"",
        "contact: \"webb@example.se\"",
    );
    site.build().assert_clean();
    assert!(
        site.read("public/index.html")
            .contains("<a href=\"mailto:webb@example.se\">webb@example.se</a>")
    );

    site.edit(
        "content/site.yaml",
        "contact: \"webb@example.se\"",
        "contact: \"ring växeln\"",
    );
    site.check().assert_error(
        "content/site.yaml",
        Some(3),
        "`ring växeln` is neither an e-mail address nor an http(s) address",
    );

    site.edit("content/site.yaml", "contact: \"ring växeln\"\n", "");
    let outcome = site.check();
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let warnings = outcome.warnings();
    assert_eq!(warnings.len(), 1, "{}", outcome.stderr);
    assert_eq!(warnings[0].file, "content/site.yaml");
    assert!(warnings[0].message.starts_with("the site has no contact"));
}

/// A page's text is read again when its page is rendered; a file saved between loading
/// and rendering is refused by name (the clauses were found in the text loaded), and
/// nothing is written.
#[test]
fn a_file_saved_between_loading_and_rendering_is_refused() {
    let site = TestSite::new("saved-while-building");
    site.write("content/sida.md", page("\n## § 1 Första\n\nText.\n"));
    let loaded = avtal::content::load_all(&site.root);
    let prepared = avtal::pipeline::prepare(&site.root, loaded).expect("the site loads");
    site.write("content/sida.md", page("\n## § 1 Första\n\nAnnan text.\n"));
    let collected = avtal::output::Collected::default();
    let options = avtal::render::RenderOptions::default();
    let outcome = avtal::pipeline::render(&prepared, &options, &collected, None);
    match outcome {
        Err(avtal::render::RenderError::Problems(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].file, "content/sida.md");
            assert!(problems[0].message.contains("changed"), "{problems:?}");
            assert!(problems[0].is_io_error(), "exits 2, as other I/O problems");
        }
        Err(other) => panic!("not a content problem: {other:?}"),
        Ok(_) => panic!("rendered from a file that changed"),
    }
    // Saved back as it was loaded, it renders.
    site.write("content/sida.md", page("\n## § 1 Första\n\nText.\n"));
    let collected = avtal::output::Collected::default();
    avtal::pipeline::render(&prepared, &options, &collected, None).expect("renders");
    let sida = collected
        .into_files()
        .into_iter()
        .find(|f| f.path == "sida/index.html")
        .expect("the page");
    assert!(String::from_utf8_lossy(&sida.bytes).contains("<p id=\"P1S1\">Text.</p>"));
}

/// Documents let go of their stycke texts once loaded (versions keep theirs, for
/// comparing); read again, they are the texts a parse from memory gives.
#[test]
fn a_document_lets_go_of_its_texts_and_reads_the_same_ones_again() {
    let site = TestSite::new("released-texts");
    let model = avtal::content::load_all(&site.root)
        .site
        .expect("the base site loads");
    let document = model
        .pages
        .iter()
        .find(|p| p.document().is_some())
        .expect("a document");
    assert!(document.body.texts_released());
    let stycken = || document.body.clauses.iter().flat_map(|c| &c.stycken);
    assert!(stycken().all(|s| s.text.is_empty()));
    assert!(stycken().any(|s| s.has_text));
    let again = avtal::content::body_with_texts(document).expect("read again");
    let text = std::fs::read_to_string(site.path(&format!("content/{}", document.path)))
        .expect("read the file");
    let source = avtal::diagnostics::SourceText::new(document.source.name.clone(), text);
    let from_memory = avtal::content::parse_page(source, &document.path).expect("parses");
    let texts = |body: &avtal::model::body::Body| -> Vec<(String, String, bool)> {
        body.clauses
            .iter()
            .flat_map(|c| &c.stycken)
            .map(|s| (s.id.clone(), s.text.clone(), s.has_text))
            .collect()
    };
    assert_eq!(texts(&again), texts(&from_memory.body));
    assert!(texts(&again).iter().any(|(_, text, _)| !text.is_empty()));
    assert_eq!(
        stycken().map(|s| s.has_text).collect::<Vec<_>>(),
        texts(&again).iter().map(|t| t.2).collect::<Vec<_>>()
    );
    for version in model.pages.iter().filter(|p| p.version().is_some()) {
        assert!(!version.body.texts_released(), "{}", version.path);
        assert!(
            version
                .body
                .clauses
                .iter()
                .flat_map(|c| &c.stycken)
                .any(|s| !s.text.is_empty())
        );
    }
}
