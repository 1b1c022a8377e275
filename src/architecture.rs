//! The floors of the crate, checked: every `crate::` path in a module's files (its tests
//! too) points to its own module, to a module on a lower floor, or to a leaf. See the
//! crate's documentation (`lib.rs`) for what each floor does.

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module and its floor. Leaves (0) may be used by every module and use
/// only leaves; a module on floor n uses modules below n and leaves. Modules that share
/// a floor do not use each other. A new module gets its place here.
const FLOORS: &[(&str, u8)] = &[
    ("cancel", 0),
    ("dates", 0),
    ("diagnostics", 0),
    ("output", 0),
    ("site_files", 0),
    ("timings", 0),
    ("model", 1),
    ("routes", 2),
    ("content", 3),
    ("compare", 4),
    ("render", 5),
    ("pipeline", 6),
    ("commands", 7),
    ("fuzz", 7),
    ("init", 7),
    ("serve", 7),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|&(_, floor)| floor)
}

/// Whether a file of `from` may use `to`.
fn may_use(from: &str, to: &str) -> bool {
    match (floor(from), floor(to)) {
        _ if from == to => true,
        (Some(from_floor), Some(to_floor)) => to_floor == 0 || to_floor < from_floor,
        _ => false,
    }
}

/// `text` without its comments (`//` to the end of the line, `/* … */`), and without
/// the contents of its string and character literals, which may hold `//` (addresses),
/// quotes or words.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    while at < chars.len() {
        let c = chars[at];
        let next = chars.get(at + 1).copied();
        let after_word = at > 0 && is_word(chars[at - 1]);
        if c == '/' && next == Some('/') {
            while at < chars.len() && chars[at] != '\n' {
                at += 1;
            }
        } else if c == '/' && next == Some('*') {
            at += 2;
            while at < chars.len() && !(chars[at - 1] == '*' && chars[at] == '/') {
                at += 1;
            }
            at += 1;
        } else if c == 'r' && !after_word && matches!(next, Some('#' | '"')) {
            // A raw string: `r"…"`, `r#"…"#`, ended by a quote and as many `#`.
            let hashes = chars[at + 1..].iter().take_while(|&&c| c == '#').count();
            at += 1 + hashes;
            if chars.get(at) != Some(&'"') {
                continue; // `r#ident`, a raw identifier
            }
            at += 1;
            while at < chars.len()
                && !(chars[at] == '"'
                    && chars[at + 1..].iter().take_while(|&&c| c == '#').count() >= hashes)
            {
                at += 1;
            }
            at += 1 + hashes;
            out.push_str("\"\"");
        } else if c == '"' {
            at += 1;
            while at < chars.len() && chars[at] != '"' {
                at += if chars[at] == '\\' { 2 } else { 1 };
            }
            at += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (next == Some('\\') || chars.get(at + 2) == Some(&'\'')) {
            // A character literal (`'"'`, `'\''`); a lifetime (`'a`) is left as it is.
            at += 1;
            while at < chars.len() && chars[at] != '\'' {
                at += if chars[at] == '\\' { 2 } else { 1 };
            }
            at += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            at += 1;
        }
    }
    out
}

/// The top-level modules that `code` names through `crate::`: `crate::model::Site` and
/// `crate::{model, content::body}` alike.
fn used_modules(code: &str) -> BTreeSet<String> {
    let identifier = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `$crate::` in a macro is the same crate; `avtal_crate::` is another word.
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            used.insert(identifier(rest));
            continue;
        };
        // The top-level items of the group, up to its closing brace.
        let mut depth = 0;
        let mut item_start = 0;
        for (index, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    used.insert(identifier(&group[item_start..index]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    used.insert(identifier(&group[item_start..index]));
                    item_start = index + 1;
                }
                _ => {}
            }
        }
    }
    used.remove("");
    used
}

/// The top-level module of a file below src/ (`render/akn/mod.rs` → `render`); `None`
/// for the crate's root files and this check.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(module, "lib" | "main" | "architecture")).then(|| module.to_string())
}

fn rust_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .expect("src/ is readable")
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_import_points_down_the_floors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("below src/");
        let Some(module) = module_of(relative) else {
            continue;
        };
        if floor(&module).is_none() {
            wrong.push(format!(
                "src/{}: module `{module}` has no floor in FLOORS",
                relative.display()
            ));
            continue;
        }
        modules.insert(module.clone());
        let text = std::fs::read_to_string(path).expect("a source file");
        for used in used_modules(&code_only(&text)) {
            if !may_use(&module, &used) {
                wrong.push(format!(
                    "src/{} ({module}) uses crate::{used}",
                    relative.display()
                ));
            }
        }
    }
    assert!(
        modules.len() >= 10,
        "the files of src/ were found: {modules:?}"
    );
    assert!(
        wrong.is_empty(),
        "imports that point up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_paths_in_groups_and_not_in_comments_or_strings() {
    let code = code_only(
        "use crate::{\n    model::{Page, Site},\n    content,\n};\n\
         // crate::serve in a comment\n\
         let a = \"crate::pipeline in a string // not a comment\"; let b = '\"';\n\
         let c = r#\"crate::serve \"quoted\" // no comment\"#; let d = '\\'';\n\
         /* crate::commands */ crate::render::markdown::resolve(x); $crate::output::x();",
    );
    let used: Vec<String> = used_modules(&code).into_iter().collect();
    assert_eq!(used, ["content", "model", "output", "render"]);
    assert!(may_use("render", "model") && may_use("model", "diagnostics"));
    assert!(!may_use("model", "content") && !may_use("compare", "render"));
    assert!(!may_use("serve", "commands") && !may_use("diagnostics", "model"));
    assert!(!may_use("unknown", "model"));
}
