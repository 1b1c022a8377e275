//! Splitting a file into YAML front matter and Markdown body, and reading the YAML
//! into typed structs with errors that point at the file's own lines.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, SourceText};

/// The two parts of a content file, with where each starts in the file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML text starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

const HELP_SHAPE: &str = "a content file starts with a line `---`, then YAML fields, then a line `---`, then the Markdown text";

pub fn split(source: &SourceText) -> Result<Split<'_>, Diagnostic> {
    let text: &str = &source.text;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(&source.name, "the file is empty").with_help(HELP_SHAPE));
    }
    let Some(rest) = text.strip_prefix("---\n") else {
        let first_line_end = text.find('\n').unwrap_or(text.len());
        return Err(
            Diagnostic::error(&source.name, "the file has no front matter")
                .at(source, 0..first_line_end)
                .with_help(HELP_SHAPE),
        );
    };
    let yaml_start = 4;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = yaml_start + offset + line.len();
            return Ok(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(&source.name, "the front matter is not closed")
            .at(source, 0..3)
            .with_help("add a line `---` after the last front matter field"),
    )
}

/// Reads the YAML into `T`; errors name the line of the file and the field.
pub fn parse<T: DeserializeOwned>(source: &SourceText, split: &Split<'_>) -> Result<T, Diagnostic> {
    check_shape(source, split)?;
    serde_yaml::from_str::<T>(split.yaml).map_err(|err| yaml_error(source, split, &err))
}

/// Reads the YAML into `T` if it can, and `None` where [`parse`] would report a problem:
/// for a first, quick attempt whose failure is then reported by `parse`.
pub fn try_parse<T: DeserializeOwned>(source: &SourceText, split: &Split<'_>) -> Option<T> {
    check_shape(source, split).ok()?;
    serde_yaml::from_str::<T>(split.yaml).ok()
}

/// The value of a top-level `kind:` line as written (quotes removed), if there is one.
/// Only a hint: the field's value is known for certain once the YAML is read.
pub fn kind_hint<'a>(split: &Split<'a>) -> Option<&'a str> {
    let line = split.yaml.lines().find(|l| l.starts_with("kind:"))?;
    let value = line["kind:".len()..].trim();
    Some(value.trim_matches(|c| c == '"' || c == '\''))
}

/// Problems the YAML parser handles badly: tabs (a confusing message) and deep nesting
/// (time that grows with the square of the depth).
fn check_shape(source: &SourceText, split: &Split<'_>) -> Result<(), Diagnostic> {
    if let Some(line) = split.yaml.lines().position(|l| l.starts_with('\t')) {
        return Err(
            Diagnostic::error(&source.name, "front matter is indented with a tab")
                .at_line(source, split.yaml_line + line, 1)
                .with_help("YAML allows only spaces for indentation; replace the tab with spaces"),
        );
    }
    if let Some((line, column)) = too_deep(split.yaml) {
        return Err(Diagnostic::error(
            &source.name,
            format!("front matter nests deeper than {MAX_DEPTH} levels"),
        )
        .at_line(source, split.yaml_line + line - 1, column)
        .with_help(
            "front matter needs only a few levels of lists and fields; write the values out flat",
        ));
    }
    Ok(())
}

/// Deeper nesting than any front matter needs. The YAML parser's time grows with the
/// square of the depth, so depth is checked first.
pub const MAX_DEPTH: usize = 64;

/// 1-based (line, column) in the YAML where brackets or indentation go deeper than
/// `MAX_DEPTH`. Quotes and comments are skipped roughly; a false alarm needs
/// 64 levels, which no real front matter has.
fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (index, line) in yaml.lines().enumerate() {
        // Every character that matters here is ASCII, so bytes are read, not characters.
        let bytes = line.as_bytes();
        let indent = bytes
            .iter()
            .take_while(|&&b| b == b' ' || b == b'-')
            .count();
        if indent > 2 * MAX_DEPTH {
            return Some((index + 1, 1));
        }
        let mut quote: Option<u8> = None;
        for (byte, &c) in bytes.iter().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(c),
                (None, b'#') if byte == 0 || bytes[byte - 1] == b' ' => break,
                (None, b'[' | b'{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        // The column counts characters, as editors do.
                        return Some((index + 1, line[..byte].chars().count() + 1));
                    }
                }
                (None, b']' | b'}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

fn yaml_error(source: &SourceText, split: &Split<'_>, err: &serde_yaml::Error) -> Diagnostic {
    let message = clean_message(&err.to_string());
    let help = help_for(&message);
    let d = Diagnostic::error(&source.name, format!("front matter: {message}")).with_help(help);
    if let Some(line) = duplicate_field_line(split.yaml, &message) {
        let text = split.yaml.lines().nth(line - 1).unwrap_or_default();
        let column = text.len() - text.trim_start().len() + 1;
        return d.at_line(source, split.yaml_line + line - 1, column);
    }
    // Errors raised by our own value checks (a date that does not exist) are located by
    // serde at the start of the enclosing map; the value quoted in the message is more
    // precise, so point at the line that holds it.
    let quoted = message
        .split('`')
        .nth(1)
        .filter(|q| !q.is_empty() && !message.starts_with("missing field"));
    let line_of_quoted = quoted.and_then(|q| split.yaml.lines().position(|l| l.contains(q)));
    match (err.location(), line_of_quoted) {
        (Some(location), Some(line)) if location.line() == 1 || location.index() == 0 => {
            let column = split
                .yaml
                .lines()
                .nth(line)
                .and_then(|l| quoted.and_then(|q| l.find(q)))
                .unwrap_or(0);
            d.at_line(source, split.yaml_line + line, column + 1)
        }
        (Some(location), _) => d.at_line(
            source,
            split.yaml_line + location.line() - 1,
            location.column(),
        ),
        (None, Some(line)) => d.at_line(source, split.yaml_line + line, 1),
        (None, None) => {
            let mut d = d.at_line(source, 1, 1);
            d.column = 0;
            d
        }
    }
}

/// The YAML line (1-based) of the second `title:` when the message is about a
/// duplicate field: serde locates it only at the start of the enclosing mapping.
fn duplicate_field_line(yaml: &str, message: &str) -> Option<usize> {
    let rest = message.strip_prefix("duplicate field `")?;
    let key = format!("{}:", rest.split('`').next()?);
    let mut hits = yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().trim_start_matches("- ").starts_with(&key));
    hits.next()?;
    hits.next().map(|(n, _)| n + 1)
}

/// serde's messages end with " at line N column M" counted inside the YAML; drop that,
/// since the diagnostic carries the file's own line.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(n) => message[..n].to_string(),
        None => message.to_string(),
    }
}

fn help_for(message: &str) -> String {
    if message.starts_with("missing field") {
        "add the field; the README lists every field of each kind of document".into()
    } else if message.starts_with("unknown field") {
        "check the spelling of the field name; the README lists the fields each kind accepts".into()
    } else if message.contains("expected a string") {
        "put the value in quotes, e.g. version: \"2009\"".into()
    } else if message.contains("duplicate") {
        "each field may appear once; remove one of them".into()
    } else if message.contains("recursion") || message.contains("repetition") {
        "YAML anchors and aliases are not needed in front matter; write the values out".into()
    } else {
        "fix the YAML at this line".into()
    }
}

/// The 1-based file line where a top-level front matter field is written, for errors
/// found after parsing (a date that does not exist, a status that conflicts).
pub fn field_line(_source: &SourceText, split: &Split<'_>, field: &str) -> usize {
    let wanted = format!("{field}:");
    split
        .yaml
        .lines()
        .position(|l| l.starts_with(&wanted))
        .map_or(1, |n| split.yaml_line + n)
}

/// Diagnostic at a top-level field's line.
pub fn field_error(
    source: &SourceText,
    split: &Split<'_>,
    field: &str,
    message: impl Into<String>,
) -> Diagnostic {
    let line = field_line(source, split, field);
    Diagnostic::error(&source.name, message).at_line(source, line, 1)
}

/// Where the items of a block list are written in YAML text, as 0-based lines of the
/// YAML: for errors about one item (a work listed twice, a lineage entry repeated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLines {
    /// The line of each item's `- `.
    pub items: Vec<usize>,
    /// The first line after the list.
    pub end: usize,
    /// Byte offsets in the YAML of each item's line, then of the line after the list.
    offsets: Vec<usize>,
}

/// The lines of the list at `path`: a top-level key, then keys nested in it
/// (`["lineage", "clauses"]`). `None` when a key is not there or the list is written
/// in flow style (`[a, b]`), whose items have no lines of their own.
pub fn list_lines(yaml: &str, path: &[&str]) -> Option<ListLines> {
    let lines: Vec<(usize, &str)> = yaml
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let meaningful = |line: &str| {
        let trimmed = line.trim();
        !trimmed.is_empty() && !trimmed.starts_with('#')
    };
    // The key's line and indentation; each key is searched below the one before, until
    // that one's block ends.
    let mut key: Option<(usize, usize)> = None;
    for name in path {
        let wanted = format!("{name}:");
        let from = key.map_or(0, |(line, _)| line + 1);
        let mut found = None;
        for (n, &(_, line)) in lines.iter().enumerate().skip(from) {
            if !meaningful(line) {
                continue;
            }
            let depth = indent(line);
            match key {
                None if depth == 0 && line.starts_with(&wanted) => found = Some((n, 0)),
                Some((_, parent)) if depth <= parent => break,
                Some(_) if line.trim_start().starts_with(&wanted) => found = Some((n, depth)),
                _ => {}
            }
            if found.is_some() {
                break;
            }
        }
        key = Some(found?);
    }
    let (key_line, key_indent) = key?;
    let after_key = lines[key_line].1.trim_start()[path.last()?.len() + 1..].trim();
    if !after_key.is_empty() && !after_key.starts_with('#') {
        return None;
    }
    let mut items = Vec::new();
    let mut offsets = Vec::new();
    let mut item_indent = None;
    let mut end = lines.len();
    for (n, &(offset, line)) in lines.iter().enumerate().skip(key_line + 1) {
        if !meaningful(line) {
            continue;
        }
        let depth = indent(line);
        let is_item = {
            let trimmed = line.trim_start();
            trimmed == "-" || trimmed.starts_with("- ")
        };
        let column = *item_indent.get_or_insert(depth);
        if depth < column || depth < key_indent || (depth == column && !is_item) {
            end = n;
            break;
        }
        if depth == column {
            items.push(n);
            offsets.push(offset);
        }
    }
    offsets.push(lines.get(end).map_or(yaml.len(), |&(offset, _)| offset));
    Some(ListLines {
        items,
        end,
        offsets,
    })
}

/// The 0-based YAML line where item `index` of `list` writes `field:`, or its `- ` line
/// when the field is not written on a line of its own.
pub fn item_field_line(yaml: &str, list: &ListLines, index: usize, field: &str) -> Option<usize> {
    let start = *list.items.get(index)?;
    let text = yaml.get(list.offsets[index]..list.offsets[index + 1])?;
    let wanted = format!("{field}:");
    let written = text.lines().position(|line| {
        line.trim_start()
            .trim_start_matches("- ")
            .trim_start()
            .starts_with(&wanted)
    });
    Some(start + written.unwrap_or(0))
}

/// The 0-based (line, character column) of each of `values`, the items of one list in
/// their order, where each stands as a whole YAML scalar, bare or quoted, from line
/// `from` on: in a block list (`- avtal/2013`) or a flow list (`[a/1, "a/2"]`). Each is
/// searched after the one before, so the whole list takes one pass over the text; an
/// item not found (written with escapes) leaves it and the items after it `None`.
pub fn scalar_positions<'v>(
    yaml: &str,
    from: usize,
    values: impl IntoIterator<Item = &'v str>,
) -> Vec<Option<(usize, usize)>> {
    let before_ok = |c: Option<char>| c.is_none_or(|c| " \t[,\"'".contains(c));
    let after_ok = |c: Option<char>| c.is_none_or(|c| " \t\r\n],\"'#".contains(c));
    // The cursor: a byte offset, and the line it is on.
    let mut at: usize = yaml.split_inclusive('\n').take(from).map(str::len).sum();
    let mut line = from;
    let mut lost = false;
    let mut positions = Vec::new();
    for value in values {
        let found = (!lost && !value.is_empty())
            .then(|| {
                yaml[at..]
                    .match_indices(value)
                    .map(|(n, _)| at + n)
                    .find(|&n| {
                        before_ok(yaml[..n].chars().next_back())
                            && after_ok(yaml[n + value.len()..].chars().next())
                    })
            })
            .flatten();
        let Some(start) = found else {
            lost = true;
            positions.push(None);
            continue;
        };
        line += yaml.as_bytes()[at..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let line_start = yaml[..start].rfind('\n').map_or(0, |n| n + 1);
        positions.push(Some((line, yaml[line_start..start].chars().count())));
        at = start + value.len();
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::sync::Arc;

    fn source(text: &str) -> SourceText {
        SourceText::new("content/a.md", Arc::from(text))
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Meta {
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        year: u32,
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = source("---\ntitle: x\n---\n## § 1 A\n");
        let split = split(&s).unwrap();
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.body, "## § 1 A\n");
        assert_eq!(&s.text[split.body_offset..], "## § 1 A\n");
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        assert!(
            split(&source("## § 1\n"))
                .unwrap_err()
                .message
                .contains("no front matter")
        );
        assert!(
            split(&source("---\ntitle: x\n"))
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(
            split(&source("  \n"))
                .unwrap_err()
                .message
                .contains("empty")
        );
    }

    #[test]
    fn wrong_type_names_field_and_file_line() {
        let s = source("---\ntitle: x\nyear: tjugo\n---\n");
        let sp = split(&s).unwrap();
        let err = parse::<Meta>(&s, &sp).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("year"), "{err}");
    }

    #[test]
    fn missing_field_is_named() {
        let s = source("---\ntitle: x\n---\n");
        let sp = split(&s).unwrap();
        let err = parse::<Meta>(&s, &sp).unwrap_err();
        assert!(err.message.contains("missing field `year`"), "{err}");
    }

    #[test]
    fn tabs_are_refused_with_their_line() {
        let s = source("---\ntitle: x\n\tyear: 1\n---\n");
        let sp = split(&s).unwrap();
        let err = parse::<Meta>(&s, &sp).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("tab"));
    }

    #[test]
    fn list_items_are_found_by_their_lines() {
        let yaml = "title: x\nworks:\n  - id: a\n    title: A\n\n  # a comment\n  - id: b\n    title: B\nlineage:\n  from: \"1\"\n  clauses:\n  - from: [P1]\n    to: [P1]\n  - from: []\n    to: [P2]\nconcerns: [\"a/1\", a/2]\n";
        let works = list_lines(yaml, &["works"]).expect("works");
        assert_eq!((works.items.clone(), works.end), (vec![2, 6], 8));
        assert_eq!(item_field_line(yaml, &works, 1, "id"), Some(6));
        assert_eq!(item_field_line(yaml, &works, 1, "title"), Some(7));
        assert_eq!(item_field_line(yaml, &works, 0, "missing"), Some(2));
        let clauses = list_lines(yaml, &["lineage", "clauses"]).expect("clauses");
        assert_eq!((clauses.items.clone(), clauses.end), (vec![11, 13], 15));
        assert_eq!(item_field_line(yaml, &clauses, 1, "to"), Some(14));
        assert_eq!(list_lines(yaml, &["concerns"]), None, "flow style");
        assert_eq!(list_lines(yaml, &["clauses"]), None, "not at the top");
        assert_eq!(
            scalar_positions(yaml, 15, ["a/1", "a/2"]),
            [Some((15, 12)), Some((15, 18))]
        );
        assert_eq!(
            scalar_positions(yaml, 15, ["a/", "a/1"]),
            [None, None],
            "only whole values, and none after one not found"
        );
        assert_eq!(
            scalar_positions(yaml, 0, ["P1", "P1", "P2"]),
            [Some((11, 11)), Some((12, 9)), Some((14, 9))]
        );
    }
}
