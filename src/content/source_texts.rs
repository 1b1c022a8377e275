//! The original texts the pages were edited from: `content/kallor/*.txt`, published as
//! they are (plain UTF-8 text) so that a reader can check the edited page against its
//! source. A page names its text in `source.file`; the page links it when a file of that
//! name is here.
//!
//! What the editors took out of a published text (a person's telephone number or
//! e-mail address) is marked in its place as `[borttaget: personligt telefonnummer]`;
//! the page says what was taken out, read from these marks.

use std::path::Path;
use std::sync::Arc;

use super::front_matter;
use crate::diagnostics::Diagnostic;
use crate::model::source_texts::SourceTextFile;
use crate::model::{Page, PageKind};
use crate::site_files::{self, FileKind};

/// The folder below `content/`, and the address below the site's root.
pub const FOLDER: &str = "kallor";

/// How a mark of something taken out begins: `[borttaget: ` … `]`.
pub const REMOVED_MARK: &str = "[borttaget: ";

/// Whether `name` can be used in an address as it is: letters, digits, `-`, `_`, `.`
/// and `/` between folders, ending in `.txt`.
fn usable_name(name: &str) -> bool {
    name.ends_with(".txt")
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
}

/// What the marks in `text` say was taken out, each once.
fn removed_marks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (start, _) in text.match_indices(REMOVED_MARK) {
        let after = &text[start + REMOVED_MARK.len()..];
        let line = after.lines().next().unwrap_or_default();
        let Some(end) = line.find(']') else { continue };
        let what = line[..end].trim();
        if !what.is_empty() && !out.iter().any(|w| w == what) {
            out.push(what.to_string());
        }
    }
    out
}

/// Reads every `.txt` below `content/kallor/` (none when there is no such folder). A
/// file that is not UTF-8 or whose name cannot be an address is an error; other files
/// there are left alone (a `.md` is a page like any other), with a warning for those
/// that are neither.
pub fn read_all(root: &Path) -> (Vec<SourceTextFile>, Vec<Diagnostic>) {
    let folder = format!("content/{FOLDER}");
    let walked = site_files::walk_site_folder(root, &folder, FileKind::Content);
    // Links below content/ are reported by the walk of all content files.
    let mut problems = walked.problems;
    let mut texts = Vec::new();
    for file in walked.files {
        if file.relative.ends_with(".md") {
            continue;
        }
        if !file.relative.ends_with(".txt") {
            problems.push(
                Diagnostic::warning(
                    &file.name,
                    format!("only plain text files (.txt) in content/{FOLDER}/ are published"),
                )
                .with_help("save the source text as UTF-8 text with the ending .txt, or move the file out of the content folder"),
            );
            continue;
        }
        if !usable_name(&file.relative) {
            problems.push(
                Diagnostic::error(&file.name, format!("the file name `{}` cannot be used in an address", file.relative))
                    .with_help("rename it with letters a–z, digits, -, _ and . only, e.g. 003_ksl-2013.txt, and write the same name in the pages' source.file"),
            );
            continue;
        }
        let bytes = match site_files::read_site_bytes(root, &file.name, FileKind::Content) {
            Ok(bytes) => bytes,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(err) => {
                problems.push(
                    Diagnostic::error(
                        &file.name,
                        format!(
                            "the source text is not UTF-8 (at byte {})",
                            err.valid_up_to()
                        ),
                    )
                    .with_help("save it as UTF-8: it is published as text/plain; charset=utf-8"),
                );
                continue;
            }
        };
        let removed = removed_marks(text);
        texts.push(SourceTextFile {
            name: file.relative,
            removed,
            bytes: Arc::from(bytes),
        });
    }
    (texts, problems)
}

/// A warning for each page whose `source.file` names no published text, when there are
/// published texts at all (a site without the folder publishes none, and is told
/// nothing).
pub fn check(pages: &[Page], texts: &[SourceTextFile]) -> Vec<Diagnostic> {
    if texts.is_empty() {
        return Vec::new();
    }
    pages
        .iter()
        .filter_map(|page| {
            let file = match &page.kind {
                PageKind::Version(meta) => &meta.source.file,
                PageKind::Document(meta) => &meta.source.file,
                PageKind::Plain(_) => return None,
            };
            if texts.iter().any(|t| t.name == *file) {
                return None;
            }
            let problem = Diagnostic::warning(
                &page.source.name,
                format!("source.file names `{file}`, which is not in content/{FOLDER}/: the page cannot link its original text"),
            )
            .with_help(format!("put a copy of the source text at content/{FOLDER}/{file} (personal telephone numbers and e-mail addresses replaced by {REMOVED_MARK}…]), or correct the name"));
            Some(page.source.place(problem, |problem, text| {
                let line = front_matter::split(text)
                    .map_or(1, |split| front_matter::field_line(text, &split, "source"));
                problem.at_line(text, line, 1)
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{removed_marks, usable_name};

    #[test]
    fn marks_say_what_was_taken_out_each_once() {
        let text = "Andreas\n[borttaget: personligt telefonnummer]\n[borttaget: personlig e-postadress]\nx [borttaget: personlig e-postadress] y [borttaget: ]";
        assert_eq!(
            removed_marks(text),
            ["personligt telefonnummer", "personlig e-postadress"]
        );
        assert!(removed_marks("registrator@ksl.se").is_empty());
    }

    #[test]
    fn names_must_be_usable_in_an_address() {
        assert!(usable_name("003_eaffa4810b0c27ab.txt"));
        assert!(usable_name("2013/ksl.txt"));
        for bad in [
            "källa.txt",
            "a b.txt",
            "x.md",
            "../x.txt",
            ".dold.txt",
            "a//b.txt",
        ] {
            assert!(!usable_name(bad), "{bad}");
        }
    }
}
