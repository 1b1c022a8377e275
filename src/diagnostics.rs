//! Problems found in content, as values that carry where they are and what to do.
//!
//! Every stage returns `Diagnostic`s instead of failing on the first problem, so that
//! `avtal check` can list all of them at once, in the style of rustc.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
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
    span: Option<Box<(Range<usize>, Arc<str>)>>,
    /// The system refused to read the file (permissions, a disk error): not something
    /// to fix in the text, so the command exits as for other I/O problems.
    io: bool,
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
            span: None,
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
        let (line, column) = line_column(text, start);
        self.line = line;
        self.column = column;
        self.span = Some(Box::new((start..end, source.text.clone())));
        self
    }

    /// Points at a 1-based line and column (in characters, as editors and YAML count)
    /// of the file's text, underlining the rest of the line.
    pub fn at_line(self, source: &SourceText, line: usize, column: usize) -> Self {
        let text = &source.text;
        let begin = line_start(text, line);
        let end = text[begin..].find('\n').map_or(text.len(), |n| begin + n);
        let start = text[begin..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| begin + i);
        self.at(source, start..end)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column: message`, the one-line form used by the overlay and tests.
    pub fn headline(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.line, self.column) {
            (0, _) => format!("{}: {kind}: {}", self.file, self.message),
            (l, 0) => format!("{}:{l}: {kind}: {}", self.file, self.message),
            (l, c) => format!("{}:{l}:{c}: {kind}: {}", self.file, self.message),
        }
    }

    /// The rustc-style report: location, the offending line underlined, and what to do.
    pub fn render(&self) -> String {
        let mut diagnostic = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&self.message);
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_note(format!("help: {help}"));
        }
        let text: Arc<str> = match self.span.as_deref() {
            Some((range, text)) => {
                diagnostic = diagnostic.with_label(Label::primary((), range.clone()));
                text.clone()
            }
            None => {
                let location = match (self.line, self.column) {
                    (0, _) => self.file.clone(),
                    (l, 0) => format!("{}:{l}", self.file),
                    (l, c) => format!("{}:{l}:{c}", self.file),
                };
                diagnostic = diagnostic.with_note(format!("in {location}"));
                Arc::from("")
            }
        };
        let file = SimpleFile::new(self.file.as_str(), text.as_ref());
        let mut out = String::new();
        match term::emit_to_string(&mut out, &Config::default(), &file, &diagnostic) {
            Ok(()) => out,
            Err(_) => self.headline(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Byte offset where the 1-based line starts (the end of the text past the last line).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(n, _)| n + 1)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
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
        let source = SourceText {
            name: "content/a.md".into(),
            text: Arc::from("---\ntitle: 1\n---\n"),
        };
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
}
