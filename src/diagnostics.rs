//! Problems found in content, as values that carry where they are and what to do.
//!
//! Every stage returns `Diagnostic`s instead of failing on the first problem, so that
//! `avtal check` can list all of them at once, in the style of rustc.
//!
//! A problem's cost does not grow with its file: its line is found by a binary search in
//! the file's line starts (found once per file), and it keeps a copy of the few lines it
//! points at rather than the file, so that a file with 100,000 problems is not read,
//! counted or rendered 100,000 times. What it prints from the content (file names,
//! messages, the quoted lines) has its control characters escaped, so that a file can
//! not move the cursor, recolour or clear the terminal that reads the report.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files, Location};
use codespan_reporting::term::{self, Config};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The text of one file, shared by every diagnostic that points into it.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path as the editor knows it, relative to the site root (e.g. `content/x.md`).
    pub name: String,
    pub text: Arc<str>,
    /// Byte offsets where the lines of `text` start, found the first time a problem is
    /// placed in it (most files have none, and never pay for them). As `u32`: a file of
    /// 7.5 MB of empty lines has 5 million.
    line_starts: Arc<OnceLock<Box<[u32]>>>,
    /// The offset and column last asked for (see `line_column`).
    last_place: Arc<Mutex<(usize, usize)>>,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceText {
        SourceText {
            name: name.into(),
            text: text.into(),
            line_starts: Arc::default(),
            last_place: Arc::new(Mutex::new((usize::MAX, 0))),
        }
    }

    /// Where the lines start; `None` for a text too long to number in `u32`, whose
    /// lines are counted from the start instead.
    fn line_starts(&self) -> Option<&[u32]> {
        if u32::try_from(self.text.len()).is_err() {
            return None;
        }
        let starts = self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let breaks = bytes.iter().filter(|&&b| b == b'\n').count();
            let mut starts = Vec::with_capacity(breaks + 1);
            starts.push(0);
            starts.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .map(|(at, _)| (at + 1) as u32),
            );
            starts.into_boxed_slice()
        });
        Some(starts)
    }

    /// 1-based line and column (in characters) of a byte offset (a character boundary).
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let Some(starts) = self.line_starts() else {
            return line_column(&self.text, offset);
        };
        // `starts[0]` is 0, so at least one start is at or before `offset`.
        let index = starts.partition_point(|&start| start as usize <= offset) - 1;
        let line_start = starts[index] as usize;
        // Counted on from the last place asked for when it is earlier on the same line:
        // problems come in the order of the text, and counting each from the start of
        // a long line (a file may be one line of 8 MB) would be quadratic.
        let mut last = self.last_place.lock().unwrap_or_else(|e| e.into_inner());
        let (from, column) = match *last {
            (at, column) if at <= offset && at >= line_start => (at, column),
            _ => (line_start, 1),
        };
        let column = column + self.text[from..offset].chars().count();
        *last = (offset, column);
        (index + 1, column)
    }

    /// Byte offset where the 1-based line starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        match self.line_starts() {
            Some(starts) => starts
                .get(line - 1)
                .map_or(self.text.len(), |&start| start as usize),
            None => self
                .text
                .match_indices('\n')
                .nth(line - 2)
                .map_or(self.text.len(), |(at, _)| at + 1),
        }
    }

    /// Byte offset where the line holding `offset` ends (its line break, or the end).
    fn line_end_after(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts() {
            Some(starts) => {
                let next = starts.partition_point(|&start| start as usize <= offset);
                starts
                    .get(next)
                    .map_or(self.text.len(), |&start| start as usize - 1)
            }
            None => self.text[offset..]
                .find('\n')
                .map_or(self.text.len(), |n| offset + n),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The lines the problem points at, for the report.
    excerpt: Option<Box<Excerpt>>,
    /// The system refused to read the file (permissions, a disk error): not something
    /// to fix in the text, so the command exits as for other I/O problems.
    io: bool,
}

/// A copy of the lines a problem points at, as written in the file: a problem keeps
/// these rather than its file's text, so that it neither holds a file read again for it
/// nor renders the whole file to show one line.
#[derive(Debug, Clone)]
struct Excerpt {
    /// 1-based number of the first line of `text`.
    first_line: usize,
    /// The lines, without the last one's line break; a long line is cut around what is
    /// underlined, the cuts marked `…`.
    text: Box<str>,
    /// What to underline, in `text`.
    span: Range<usize>,
}

/// A problem spanning more lines than this is shown on its first line only.
const EXCERPT_MOST_LINES: usize = 4;
/// Bytes kept on either side of what is underlined, on a line cut to show it.
const EXCERPT_CONTEXT: usize = 120;
/// Most bytes underlined on one line; the rest of a longer span is cut.
const EXCERPT_MOST_UNDERLINED: usize = 400;

impl Excerpt {
    /// The lines of `source` that `span` covers, or its first line only when it covers
    /// many, a long line cut to `EXCERPT_CONTEXT` around the span.
    fn of(source: &SourceText, span: Range<usize>, first_line: usize) -> Excerpt {
        let text = &source.text;
        let line_start = source.line_start(first_line);
        let first_line_end = source.line_end_after(span.start);
        let (last_line, _) = source.line_column(span.end);
        let last_line_end = source.line_end_after(span.end);
        let several_lines = last_line > first_line
            && last_line - first_line < EXCERPT_MOST_LINES
            && last_line_end - line_start <= 2 * EXCERPT_CONTEXT + EXCERPT_MOST_UNDERLINED;
        if several_lines {
            return Excerpt {
                first_line,
                text: text[line_start..last_line_end].into(),
                span: (span.start - line_start)..(span.end - line_start),
            };
        }
        // One line, cut where it is long.
        let end = span.end.min(first_line_end);
        let end = floor_char_boundary(text, end.min(span.start + EXCERPT_MOST_UNDERLINED));
        let from = floor_char_boundary(
            text,
            span.start.saturating_sub(EXCERPT_CONTEXT).max(line_start),
        );
        let to = ceil_char_boundary(text, (end + EXCERPT_CONTEXT).min(first_line_end));
        let mut excerpt = String::with_capacity(to - from + 6);
        if from > line_start {
            excerpt.push('…');
        }
        let offset = excerpt.len();
        excerpt.push_str(&text[from..to]);
        if to < first_line_end {
            excerpt.push('…');
        }
        Excerpt {
            first_line,
            text: excerpt.into(),
            span: (span.start - from + offset)..(end - from + offset),
        }
    }
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            excerpt: None,
            io: false,
        }
    }

    /// An error reading a file or folder, as opposed to a mistake in its content.
    pub fn io_error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            io: true,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn is_io_error(&self) -> bool {
        self.io && self.is_error()
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points at a byte range of the file's text; line and column are computed from it.
    pub fn at(mut self, source: &SourceText, range: Range<usize>) -> Self {
        let text = &source.text;
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let mut end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        // A block's range ends with its line break; underline the text, not the next line.
        while end > start + 1 && text.as_bytes()[end - 1] == b'\n' {
            end -= 1;
        }
        let (line, column) = source.line_column(start);
        self.line = line;
        self.column = column;
        self.excerpt = Some(Box::new(Excerpt::of(source, start..end, line)));
        self
    }

    /// Points at a 1-based line and column (in characters, as editors and YAML count)
    /// of the file's text, underlining the rest of the line.
    pub fn at_line(self, source: &SourceText, line: usize, column: usize) -> Self {
        let text = &source.text;
        let begin = source.line_start(line);
        let end = if begin < text.len() {
            source.line_end_after(begin)
        } else {
            text.len()
        };
        let start = text[begin..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| begin + i);
        self.at(source, start..end)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column: message`, the one-line form used by the overlay and tests,
    /// control characters escaped.
    pub fn headline(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = escape_controls(&self.file);
        let message = escape_controls(&self.message);
        match (self.line, self.column) {
            (0, _) => format!("{file}: {kind}: {message}"),
            (l, 0) => format!("{file}:{l}: {kind}: {message}"),
            (l, c) => format!("{file}:{l}:{c}: {kind}: {message}"),
        }
    }

    /// The rustc-style report: location, the offending line underlined, and what to do.
    /// Control characters of the file's name, the message, the help and the quoted line
    /// are escaped (`\u{1b}`).
    pub fn render(&self) -> String {
        let mut diagnostic = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(escape_controls(&self.message));
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_note(format!("help: {}", escape_controls_in_lines(help)));
        }
        let name = escape_controls(&self.file);
        let file = match self.excerpt.as_deref() {
            Some(excerpt) => {
                let (text, span) = escape_with_span(&excerpt.text, excerpt.span.clone());
                diagnostic = diagnostic.with_label(Label::primary((), span.clone()));
                ExcerptFile {
                    name,
                    text,
                    first_line: excerpt.first_line,
                    start: span.start,
                    location: Location {
                        line_number: self.line,
                        column_number: self.column,
                    },
                }
            }
            None => {
                let location = match (self.line, self.column) {
                    (0, _) => name.to_string(),
                    (l, 0) => format!("{name}:{l}"),
                    (l, c) => format!("{name}:{l}:{c}"),
                };
                diagnostic = diagnostic.with_note(format!("in {location}"));
                ExcerptFile {
                    name,
                    text: Cow::Borrowed(""),
                    first_line: 1,
                    start: 0,
                    location: Location {
                        line_number: 1,
                        column_number: 1,
                    },
                }
            }
        };
        let mut out = String::new();
        match term::emit_to_string(&mut out, &Config::default(), &file, &diagnostic) {
            Ok(()) => out,
            Err(_) => self.headline(),
        }
    }
}

/// A problem's excerpt, as codespan-reporting reads files: its lines numbered from
/// where they are in the file, and the location of the problem as computed in the file
/// (escaping and cutting change the columns of the excerpt).
struct ExcerptFile<'a> {
    name: Cow<'a, str>,
    text: Cow<'a, str>,
    first_line: usize,
    /// Where the underlined text starts in `text`.
    start: usize,
    location: Location,
}

impl<'a> Files<'a> for ExcerptFile<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        let before = &self.text.as_bytes()[..byte_index.min(self.text.len())];
        Ok(before.iter().filter(|&&b| b == b'\n').count())
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index)
    }

    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, FilesError> {
        if byte_index == self.start {
            return Ok(self.location);
        }
        let line_index = self.line_index((), byte_index)?;
        Ok(Location {
            line_number: self.first_line + line_index,
            column_number: self.column_number((), line_index, byte_index)?,
        })
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let mut start = 0;
        for (index, line) in self.text.split('\n').enumerate() {
            if index == line_index {
                return Ok(start..(start + line.len() + 1).min(self.text.len()));
            }
            start += line.len() + 1;
        }
        Err(FilesError::LineTooLarge {
            given: line_index,
            max: self.text.split('\n').count().saturating_sub(1),
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

/// Whether `c` is printed escaped: control characters (escape sequences start with
/// one) other than tab, and the characters that reorder the text around them on
/// screen (bidirectional overrides and isolates), which make a line read other than it is.
fn is_escaped(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` as printed to a terminal: every control character but tab written as Rust
/// writes it in a string, `\u{1b}` for the escape that starts colour and cursor
/// sequences, `\u{a}` for a line break.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`escape_controls`] keeping the line breaks, for text of several lines (help).
pub fn escape_controls_in_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_line_breaks: bool) -> Cow<'_, str> {
    let escaped = |c: char| is_escaped(c) && !(keep_line_breaks && c == '\n');
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The lines of an excerpt escaped (line breaks kept), and where `span` is in them.
fn escape_with_span(text: &str, span: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    let escaped = |c: char| is_escaped(c) && c != '\n';
    if !text.chars().any(escaped) {
        return (Cow::Borrowed(text), span);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (0, 0);
    for (at, c) in text.char_indices() {
        if at == span.start {
            start = out.len();
        }
        if at == span.end {
            end = out.len();
        }
        if escaped(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    if span.start >= text.len() {
        start = out.len();
    }
    if span.end >= text.len() {
        end = out.len();
    }
    (Cow::Owned(out), start..end.max(start))
}

/// Names for a help text: all of a short list; the first of a long one, and how many
/// there are (a help repeating 20,000 clause ids for each of thousands of problems made
/// the report quadratic in size).
pub fn list_for_help<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 30;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(AsRef::as_ref).collect();
    if names.len() <= SHOWN {
        return shown.join(", ");
    }
    format!("{} … ({} in all)", shown.join(", "), names.len())
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    while index < text.len() && !text.is_char_boundary(index) {
        index += 1;
    }
    index.min(text.len())
}

/// All problems a run found, errors and warnings kept apart.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether some file could not be read at all (see `Diagnostic::io_error`).
    pub fn has_io_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_io_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Sorted by file and line so the report reads top to bottom.
    pub fn sorted(mut self) -> Self {
        self.items
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "första\nåäö x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_column(text, x), (2, 5));
    }

    #[test]
    fn rendered_report_names_file_line_and_help() {
        let source = SourceText::new("content/a.md", Arc::from("---\ntitle: 1\n---\n"));
        let d = Diagnostic::error("content/a.md", "fel typ")
            .at_line(&source, 2, 8)
            .with_help("skriv en text");
        assert_eq!(d.line, 2);
        assert_eq!(d.column, 8);
        let report = d.render();
        assert!(report.contains("content/a.md:2:8"), "{report}");
        assert!(report.contains("title: 1"), "{report}");
        assert!(report.contains("help: skriv en text"), "{report}");
    }

    #[test]
    fn the_line_table_agrees_with_counting_from_the_start() {
        let text = "första\nåäö x\n\n\nsist utan radbrytning";
        let source = SourceText::new("content/a.md", text);
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .collect();
        // In order, backwards and in a jumble: the column counted on from the last
        // place asked for must not depend on it.
        let jumbled = offsets.iter().map(|&at| offsets[(at * 7) % offsets.len()]);
        for offset in offsets
            .iter()
            .copied()
            .chain(offsets.iter().rev().copied())
            .chain(jumbled)
        {
            assert_eq!(
                source.line_column(offset),
                line_column(text, offset),
                "{offset}"
            );
        }
        assert_eq!(source.line_start(1), 0);
        assert_eq!(source.line_start(2), text.find('å').unwrap());
        assert_eq!(source.line_start(99), text.len());
    }

    #[test]
    fn control_characters_are_escaped_in_name_message_help_and_quoted_line() {
        let source = SourceText::new(
            "content/\u{1b}[2Jx.md",
            "---\ntitle: \u{1b}[31mröd\u{7}\u{9b}1m\ttab\n---\n",
        );
        let d = Diagnostic::error(&source.name, "fel \u{1b}]0;titel\u{7} i \u{202e}fil")
            .at_line(&source, 2, 8)
            .with_help("rad ett\nrad två \u{1b}[0m");
        let report = d.render();
        assert!(!report.contains('\u{1b}'), "{report:?}");
        assert!(
            !report.contains('\u{7}') && !report.contains('\u{9b}'),
            "{report:?}"
        );
        assert!(!report.contains('\u{202e}'), "{report:?}");
        assert!(report.contains(r"content/\u{1b}[2Jx.md:2:8"), "{report}");
        assert!(
            report.contains(r"fel \u{1b}]0;titel\u{7} i \u{202e}fil"),
            "{report}"
        );
        assert!(
            report.contains(r"title: \u{1b}[31mröd\u{7}\u{9b}1m"),
            "{report}"
        );
        assert!(!report.contains(r"\u{9}"), "tab is not escaped: {report}");
        assert!(
            report.contains("rad ett\n"),
            "help keeps its lines: {report}"
        );
        assert!(report.contains(r"rad två \u{1b}[0m"), "{report}");
        // The underline starts under the escaped text, where the column points.
        let quoted = report.lines().find(|l| l.contains("title:")).unwrap();
        let carets = report.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(carets.find('^'), quoted.find(r"\u{1b}"), "{report}");
        let headline = d.headline();
        assert_eq!(
            headline,
            r"content/\u{1b}[2Jx.md:2:8: error: fel \u{1b}]0;titel\u{7} i \u{202e}fil"
        );
        // A line break in a name or a message cannot start a line of its own.
        assert_eq!(escape_controls("a\nb\tc"), "a\\u{a}b\tc");
        assert!(matches!(
            escape_controls("vanlig text – åäö"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_long_line_is_cut_around_what_is_underlined() {
        let line = format!("{}<b>{}", "å".repeat(5_000), "ord ".repeat(5_000));
        let text = format!("---\nkind: page\n---\n{line}\n");
        let source = SourceText::new("content/a.md", text.as_str());
        let at = text.find("<b>").unwrap();
        let d = Diagnostic::error("content/a.md", "raw HTML").at(&source, at..at + 3);
        assert_eq!((d.line, d.column), (4, 5_001));
        let report = d.render();
        assert!(report.len() < 2_000, "{} bytes", report.len());
        assert!(report.contains("content/a.md:4:5001"), "{report}");
        assert!(
            report.contains("…åå") && report.contains("<b>ord") && report.contains("ord …"),
            "{report}"
        );
        let quoted = report.lines().find(|l| l.contains("<b>")).unwrap();
        let carets = report.lines().find(|l| l.contains("^^^")).unwrap();
        assert_eq!(carets.find('^').map(|c| &carets[c..]), Some("^^^"));
        assert_eq!(
            quoted[..quoted.find("<b>").unwrap()].chars().count(),
            carets[..carets.find('^').unwrap()].chars().count()
        );
    }

    #[test]
    fn a_span_over_a_few_lines_is_shown_whole_and_over_many_on_its_first() {
        let text = "a\n<div>\nett\n</div>\nb\n";
        let source = SourceText::new("content/a.md", text);
        let start = text.find("<div>").unwrap();
        let end = text.find("b\n").unwrap();
        let report = Diagnostic::error("content/a.md", "raw HTML")
            .at(&source, start..end)
            .render();
        for (number, line) in [(2, "<div>"), (3, "ett"), (4, "</div>")] {
            assert!(report.contains(&format!("{number} │ ")), "{report}");
            assert!(report.contains(line), "{report}");
        }
        let many = format!("a\n{}b\n", "<p>\n".repeat(1_000));
        let source = SourceText::new("content/a.md", many.as_str());
        let d = Diagnostic::error("content/a.md", "raw HTML").at(&source, 2..many.len() - 2);
        let report = d.render();
        assert!(report.contains("2 │ <p>"), "{report}");
        assert!(!report.contains("3 │"), "{report}");
        assert_eq!((d.line, d.column), (2, 1));
    }
}
