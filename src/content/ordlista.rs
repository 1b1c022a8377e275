//! `content/ordlista.txt`: words the Swedish spell check accepts. An entry that no
//! content file uses any more is a warning, so the list does not keep words whose
//! reason is gone.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::Page;
use crate::site_files::{FileKind, read_site_text, site_entry};

pub const FILE: &str = "ordlista.txt";

/// Warnings for every entry of the word list that appears in no page's Markdown text.
/// Words are compared exactly, as the spell check does (`KSL` is not `ksl`).
/// The list is read as every site file is (`read_site_text`): anything in its place that
/// is not a plain file of the site is refused.
pub fn check(root: &Path, pages: &[Page]) -> Vec<Diagnostic> {
    let name = format!("content/{FILE}");
    let kind = FileKind::WordList;
    let read = match site_entry(root, &name, kind) {
        Ok(None) => return Vec::new(),
        Ok(Some(_)) => read_site_text(root, &name, kind),
        Err(problem) => Err(problem),
    };
    let source = match read {
        Ok(source) => source,
        Err(problem) => return vec![problem],
    };
    // The pages' texts are read again, one at a time.
    let mut used: HashSet<String> = HashSet::new();
    let mut problems = Vec::new();
    for page in pages {
        if crate::cancel::requested() {
            break;
        }
        match page.source.source_text() {
            Ok(text) => used.extend(words(body_text(&text)).map(str::to_string)),
            Err(unreadable) => problems.push(unreadable),
        }
    }
    if !problems.is_empty() {
        // Which words are used is not known.
        return problems;
    }
    let used: HashSet<&str> = used.iter().map(String::as_str).collect();
    unused(&source, &used)
}

/// The text after the front matter: the spell check skips the front matter.
fn body_text(source: &SourceText) -> &str {
    match super::front_matter::split(source) {
        Ok(split) => split.body,
        Err(_) => &source.text,
    }
}

/// Words as the spell check sees them: runs of letters (digits and `-` split words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

fn unused(source: &SourceText, used: &HashSet<&str>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for (index, line) in source.text.lines().enumerate() {
        // `serve` gives way to a newer save; it throws the partial check away.
        if crate::cancel::requested() {
            break;
        }
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        let column = line.len() - line.trim_start().len() + 1;
        if let Some(first) = first_line.insert(word, index + 1) {
            first_line.insert(word, first);
            problems.push(
                Diagnostic::warning(
                    &source.name,
                    format!("`{word}` is in the word list twice (first at line {first})"),
                )
                .at_line(source, index + 1, column)
                .with_help("remove this line"),
            );
            continue;
        }
        if used.contains(word) {
            continue;
        }
        problems.push(
            Diagnostic::warning(
                &source.name,
                format!("`{word}` is in the word list but no content file uses it"),
            )
            .at_line(source, index + 1, column)
            .with_help("remove the line (and its comment if the group is now empty)"),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn unused_words_are_warned_with_their_line() {
        let source = SourceText::new(
            "content/ordlista.txt",
            Arc::from("# Förkortningar\nKSL\n  Dnr\n\n# Namn\nStattin\n"),
        );
        let used: HashSet<&str> = words("Enligt KSL:s beslut (dnr 12) gäller").collect();
        let problems = unused(&source, &used);
        let lines: Vec<(usize, usize)> = problems.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(lines, [(3, 3), (6, 1)]);
        assert!(problems[0].message.contains("`Dnr`"));
        assert!(problems.iter().all(|d| !d.is_error()));

        let twice = SourceText::new("content/ordlista.txt", Arc::from("KSL\n# Igen\n KSL\n"));
        let problems = unused(&twice, &used);
        let lines: Vec<(usize, usize)> = problems.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(lines, [(3, 2)]);
        assert!(problems[0].message.contains("twice (first at line 1)"));
        assert!(!problems[0].is_error());
    }
}
