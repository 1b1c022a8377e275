//! Splitting a Markdown body into clauses, stycken and list items with stable ids
//! (`model::body`).
//!
//! The ids follow lagen.nu's convention: `## § 5 Rubrik` is `P5`, its second paragraph
//! `P5S2`, the third item of a list in that paragraph `P5S2N3`. Other `##` headings
//! are slugged (`## Utgångspunkter` → `utgangspunkter`). Citizens link to these ids,
//! so the rules here must never change meaning for existing text.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::body::{Body, Clause, ClauseMarkdown, LinkRef, ListItem, Stycke};

/// Id of text before the first `##` heading.
pub const INGRESS_ID: &str = "ingress";

/// Most clauses a content file may have. What a version costs to build grows with its
/// clauses (each is a row of every comparison, a box of the lineage maps, an entry of
/// its page); the real agreement has about 30 (README, "Performance", for a version at
/// the limit).
pub const MOST_CLAUSES: usize = 50_000;

/// Most lines and characters that can start Markdown markup (`*`, `_`, `[`, `<`, `|`…)
/// a content file may have together. The Markdown parser holds every block of a text,
/// and every inline element of a paragraph, some 50 bytes each, before it hands out the
/// first, so a file of many tiny elements takes hundreds of times its size. Each
/// element needs a line or a mark, so this bounds what a file costs whatever its shape;
/// the real agreement has about 300, and 8 MB of prose about 100,000 lines and far
/// fewer marks.
pub const MOST_ELEMENTS: usize = 200_000;

/// Where, if anywhere, the text passes `MOST_ELEMENTS` lines and marks.
fn past_most_elements(text: &str) -> Option<usize> {
    let mut count = 0;
    for (at, byte) in text.bytes().enumerate() {
        if matches!(
            byte,
            b'\n'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'&'
                | b'\\'
                | b'`'
                | b'!'
                | b'~'
                | b'|'
                | b'{'
        ) {
            count += 1;
            if count > MOST_ELEMENTS {
                return Some(at);
            }
        }
    }
    None
}

/// Most problems listed for one file; the number of the others is said. A file with
/// 100,000 repeated headings needs one fix, not 100,000 reports.
pub const MOST_PROBLEMS_LISTED: usize = 1_000;

/// The end of a clause's content while the next clause heading is not yet found.
const OPEN: usize = usize::MAX;

pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH
}

/// What a `##` heading says about the clause it starts.
#[derive(Debug, PartialEq)]
pub struct HeadingParts {
    pub id: String,
    pub number: Option<u32>,
    pub number_text: Option<String>,
    pub title: String,
}

/// Reads `§ 5 Rubrik`, `§5 Rubrik`, `§ 5a Rubrik` or a plain heading.
pub fn parse_heading(text: &str, explicit_id: Option<&str>) -> Result<HeadingParts, String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('§') {
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err("`§` must be followed by the clause number, e.g. `## § 5 Rubrik`".into());
        }
        let after_digits = &rest[digits.len()..];
        let suffix: String = after_digits
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .take(1)
            .filter(|_| {
                after_digits[1..].is_empty() || after_digits[1..].starts_with(char::is_whitespace)
            })
            .collect();
        let number: u32 = digits
            .parse()
            .map_err(|_| format!("clause number `{digits}` is too large"))?;
        let number_text = format!("{number}{suffix}");
        let title = after_digits[suffix.len()..].trim().to_string();
        let id = explicit_id.map_or_else(|| format!("P{number_text}"), str::to_string);
        return Ok(HeadingParts {
            id,
            number: Some(number),
            number_text: Some(number_text),
            title,
        });
    }
    let id = match explicit_id {
        Some(id) => id.to_string(),
        None => slug(text),
    };
    if id.is_empty() {
        return Err(
            "this heading gives no id: write words in it or add one, e.g. `## Rubrik {#id}`".into(),
        );
    }
    Ok(HeadingParts {
        id,
        number: None,
        number_text: None,
        title: text.to_string(),
    })
}

/// ASCII slug: lowercase, å/ä→a, ö→o, é→e, runs of other characters → `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ï' => 'i',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if mapped == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(mapped);
        }
    }
    out.trim_end_matches('-').to_string()
}

/// An id usable in a URL fragment and as an HTML id without escaping.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Counts lines forward from the last offset asked for, so that asking for the line of
/// every heading and stycke costs one pass over the body, not one pass each.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    /// Line breaks before `offset`.
    breaks: usize,
}

impl LineCounter {
    /// 1-based line of a byte offset of `text`.
    fn line(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        let offset = offset.min(text.len());
        self.breaks += count_line_breaks(&text.as_bytes()[self.offset..offset]);
        self.offset = offset;
        self.breaks + 1
    }
}

fn count_line_breaks(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

struct Splitter<'s> {
    /// The file's whole text.
    text: &'s str,
    /// The file, for diagnostics.
    source: &'s SourceText,
    /// Offset in the file's text of the Markdown being split.
    body_offset: usize,
    clauses: Vec<Clause>,
    /// Position of the first clause with each id, to report one used twice.
    first_with_id: HashMap<String, usize>,
    /// Clause headings read so far, against `MOST_CLAUSES`.
    clause_headings: usize,
    /// Problems found beyond `MOST_PROBLEMS_LISTED`.
    unlisted: usize,
    /// The line of the last raw HTML reported (one report per line).
    raw_html_line: usize,
    links: Vec<LinkRef>,
    sub_heading_ids: Vec<(String, usize)>,
    problems: Vec<Diagnostic>,
    lines: LineCounter,
    /// Nesting depth of block containers inside the current clause.
    depth: usize,
    /// Whether the last top-level block of the clause was a paragraph, so that a list
    /// right after it belongs to the same stycke.
    last_top_was_paragraph: bool,
    /// Number of the next item in the current top-level list.
    item_number: u64,
    /// Lowest item number not yet used in the current stycke: a quote can hold two lists,
    /// and the second must not repeat the first one's item ids.
    free_item_number: u64,
    list_depth: usize,
    /// Text being collected: for the current stycke and the current item.
    in_item: bool,
}

impl<'s> Splitter<'s> {
    fn new(source: &'s SourceText, body_offset: usize) -> Self {
        Splitter {
            text: &source.text,
            source,
            body_offset,
            clauses: Vec::new(),
            first_with_id: HashMap::new(),
            clause_headings: 0,
            unlisted: 0,
            raw_html_line: 0,
            links: Vec::new(),
            sub_heading_ids: Vec::new(),
            problems: Vec::new(),
            lines: LineCounter::default(),
            depth: 0,
            last_top_was_paragraph: false,
            item_number: 0,
            free_item_number: 1,
            list_depth: 0,
            in_item: false,
        }
    }

    fn new_clause(&self, id: String, line: usize) -> Clause {
        Clause {
            id,
            number: None,
            number_text: None,
            title: String::new(),
            line,
            stycken: Vec::new(),
            markdown: ClauseMarkdown {
                body: 0..0,
                content: self.body_offset..OPEN,
                whole_body: false,
            },
        }
    }

    /// Records a problem, unless the file has `MOST_PROBLEMS_LISTED` already: those
    /// beyond are counted, and said in one line at the end.
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, help: &str) {
        if self.problems.len() >= MOST_PROBLEMS_LISTED {
            self.unlisted += 1;
            return;
        }
        self.error_always(range, message, help);
    }

    fn error_always(&mut self, range: Range<usize>, message: impl Into<String>, help: &str) {
        let source = self.source;
        let range = (range.start + self.body_offset)..(range.end + self.body_offset);
        self.problems.push(
            Diagnostic::error(&source.name, message)
                .at(source, range)
                .with_help(help),
        );
    }

    /// Counts the clauses loading found against `MOST_CLAUSES`, and refuses the rest of
    /// a file that has more. Returns whether the file is within the limit.
    fn within_limits(&mut self, event: &Event<'_>, range: &Range<usize>) -> bool {
        if matches!(
            event,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            })
        ) {
            self.clause_headings += 1;
            if self.clause_headings > MOST_CLAUSES {
                self.error_always(
                    range.clone(),
                    format!("the file has more than {MOST_CLAUSES} clauses, the most a content file may have"),
                    "split the text into several files",
                );
                return false;
            }
        }
        true
    }

    /// One error per line of raw HTML: `<b>fet</b>` is two tags but one mistake.
    fn raw_html_error(&mut self, range: Range<usize>) {
        const MESSAGE: &str = "raw HTML is not allowed in content";
        let line = self.line_of(range.start);
        if self.raw_html_line == line {
            return;
        }
        self.raw_html_line = line;
        self.error(
            range,
            MESSAGE,
            "write Markdown; the sources need no HTML (use a blank line or `\\` for a line break)",
        );
    }

    fn line_of(&mut self, offset: usize) -> usize {
        self.lines.line(self.text, offset + self.body_offset)
    }

    fn clause(&mut self) -> &mut Clause {
        if self.clauses.is_empty() {
            let ingress = self.new_clause(INGRESS_ID.to_string(), 0);
            self.first_with_id.insert(INGRESS_ID.to_string(), 0);
            self.clauses.push(ingress);
        }
        let last = self.clauses.len() - 1;
        &mut self.clauses[last]
    }

    fn new_stycke(&mut self, offset: usize) {
        if self.clause().line == 0 {
            let line = self.line_of(offset);
            self.clause().line = line;
        }
        let clause = self.clause();
        let id = format!("{}S{}", clause.id, clause.stycken.len() + 1);
        self.free_item_number = 1;
        let start = self.offset_in_file(offset);
        let clause = self.clause();
        clause.stycken.push(Stycke {
            id,
            text: String::new(),
            items: Vec::new(),
            has_text: false,
            start,
        });
    }

    /// Where `offset` (in the body) is in the file's text, as the model keeps it.
    fn offset_in_file(&self, offset: usize) -> u32 {
        // Content files are at most 8 MB (`site_files::MAX_FILE_BYTES`).
        u32::try_from(offset + self.body_offset).unwrap_or(u32::MAX)
    }

    fn current_stycke(&mut self) -> Option<&mut Stycke> {
        self.clauses.last_mut().and_then(|c| c.stycken.last_mut())
    }

    /// Adds running text to the current stycke (and item), straight quotes made Swedish
    /// when `quotes` is set.
    fn add_text(&mut self, text: &str, quotes: bool) {
        let in_item = self.in_item;
        if let Some(stycke) = self.current_stycke() {
            push_text(&mut stycke.text, text, quotes);
            if in_item && let Some(item) = stycke.items.last_mut() {
                push_text(&mut item.text, text, quotes);
            }
        }
    }

    /// Keeps blocks apart in the plain text with a space. (A line break comes before each
    /// list item, so that diffs and search show items on lines of their own; what is
    /// nested in an item stays on its line, where the comparison finds the item's text.)
    fn separate(&mut self) {
        self.separate_with(' ');
    }

    fn separate_with(&mut self, separator: char) {
        let in_item = self.in_item;
        if let Some(stycke) = self.current_stycke()
            && !stycke.text.is_empty()
        {
            let trimmed = stycke.text.trim_end_matches(' ').len();
            stycke.text.truncate(trimmed);
            if !stycke.text.ends_with('\n') {
                stycke.text.push(separator);
            }
            // And in the item's own text.
            if in_item
                && let Some(item) = stycke.items.last_mut()
                && !item.text.is_empty()
                && !item.text.ends_with(char::is_whitespace)
            {
                item.text.push(' ');
            }
        }
    }

    /// Walks the events of `body` (the text at `body_offset` of the file). Returns
    /// whether the body defines link references (`[namn]: https://…`).
    fn run(&mut self, body: &str) -> bool {
        let mut heading: Option<(Range<usize>, Option<String>, String)> = None;
        let mut events = Parser::new_ext(body, markdown_options()).into_offset_iter();
        for (event, range) in &mut events {
            if !self.within_limits(&event, &range) {
                break;
            }
            if let Some((_, _, text)) = heading.as_mut() {
                match &event {
                    Event::End(TagEnd::Heading(HeadingLevel::H2)) => {}
                    Event::Text(t) | Event::Code(t) => {
                        text.push_str(t);
                        continue;
                    }
                    Event::SoftBreak | Event::HardBreak => {
                        text.push(' ');
                        continue;
                    }
                    Event::Html(_) | Event::InlineHtml(_) => {
                        self.raw_html_error(range.clone());
                        continue;
                    }
                    _ => continue,
                }
            }
            self.event(event, range, &mut heading);
        }
        events.reference_definitions().iter().next().is_some()
    }

    fn event(
        &mut self,
        event: Event<'_>,
        range: Range<usize>,
        heading: &mut Option<(Range<usize>, Option<String>, String)>,
    ) {
        let s = self;
        let refused_or_clause_heading = matches!(
            event,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2,
                ..
            }) | Event::End(TagEnd::Heading(HeadingLevel::H2))
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Image { .. })
        );
        if !refused_or_clause_heading {
            // Whatever stands before the first clause heading (a sub-heading, a rule)
            // belongs to the ingress: it is made here, so that it has its place in the
            // body even with no stycke.
            s.clause();
        }
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => {
                s.error(
                    range,
                    "a level-1 heading (`#`) is not allowed in the body",
                    "the page title comes from `title:` in the front matter; use `##` for clauses",
                );
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                ..
            }) => {
                if s.depth > 0 {
                    s.error(
                        range.clone(),
                        "a clause heading cannot stand inside a list or quote",
                        "move the `##` heading to the start of a line, outside the list",
                    );
                }
                // The previous clause's text ends where this heading starts.
                let start = range.start + s.body_offset;
                if let Some(previous) = s.clauses.last_mut()
                    && previous.markdown.content.end == OPEN
                {
                    previous.markdown.content.end = start;
                }
                *heading = Some((range, id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let Some((range, explicit, text)) = heading.take() else {
                    return;
                };
                let line = s.line_of(range.start);
                match parse_heading(&text, explicit.as_deref()) {
                    Ok(parts) => {
                        if !is_valid_id(&parts.id) {
                            s.error(
                                range,
                                format!("`{}` cannot be used as a clause id", parts.id),
                                "ids are letters, digits, `-` and `_`, starting with a letter",
                            );
                            return;
                        }
                        match s.first_with_id.get(&parts.id) {
                            Some(&first) => {
                                let message = format!(
                                    "clause id `{}` is used twice (first at line {})",
                                    parts.id, s.clauses[first].line
                                );
                                s.error(range.clone(), message, "give each clause its own number, or an explicit id: `## Rubrik {#eget-id}`");
                            }
                            None => {
                                s.first_with_id.insert(parts.id.clone(), s.clauses.len());
                            }
                        }
                        let mut clause = s.new_clause(parts.id, line);
                        clause.number = parts.number;
                        clause.number_text = parts.number_text;
                        clause.title = swedish_quotes(&parts.title);
                        clause.markdown.content = (range.end + s.body_offset)..OPEN;
                        s.clauses.push(clause);
                        s.depth = 0;
                        s.last_top_was_paragraph = false;
                    }
                    Err(message) => s.error(range, message, "see the clause rules in the README"),
                }
            }
            Event::Start(Tag::Heading { id, .. }) => {
                // Sub-headings live inside the clause; they start no stycke.
                s.last_top_was_paragraph = false;
                if let Some(id) = &id {
                    let line = s.line_of(range.start);
                    s.sub_heading_ids.push((id.to_string(), line));
                }
            }
            Event::Start(Tag::Paragraph) => {
                if s.depth == 0 {
                    s.new_stycke(range.start);
                    s.last_top_was_paragraph = true;
                } else {
                    s.separate();
                }
                s.depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                s.depth = s.depth.saturating_sub(1);
            }
            Event::Start(Tag::List(start)) => {
                if s.depth == 0 {
                    // A list right after a paragraph is part of its stycke.
                    if !s.last_top_was_paragraph
                        || s.clauses.last().is_none_or(|c| c.stycken.is_empty())
                    {
                        s.new_stycke(range.start);
                    }
                    s.item_number = start.unwrap_or(1).max(s.free_item_number);
                    s.last_top_was_paragraph = false;
                } else {
                    if s.list_depth == 0 {
                        // A list inside a quote or table: its items still count from its
                        // start, or on from an earlier list in the same quote.
                        s.item_number = start.unwrap_or(1).max(s.free_item_number);
                    }
                    s.separate();
                }
                s.list_depth += 1;
                s.depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                s.depth = s.depth.saturating_sub(1);
                s.list_depth = s.list_depth.saturating_sub(1);
            }
            // The items of the outermost list are the stycke's; deeper ones are part of
            // an item's text.
            Event::Start(Tag::Item) if s.list_depth == 1 => {
                let number = s.item_number;
                s.item_number += 1;
                s.free_item_number = s.free_item_number.max(s.item_number);
                s.separate_with('\n');
                let start = s.offset_in_file(range.start);
                if let Some(stycke) = s.current_stycke() {
                    let id = format!("{}N{number}", stycke.id);
                    stycke.items.push(ListItem {
                        id,
                        text: String::new(),
                        start,
                    });
                }
                s.in_item = true;
            }
            Event::End(TagEnd::Item) if s.list_depth == 1 => s.in_item = false,
            // An item of a nested list: apart from the one before it.
            Event::Start(Tag::Item) => s.separate(),
            // "Hushåll" and "Skälig boendekostnad" are two words, not one.
            Event::Start(Tag::TableCell) => s.separate(),
            Event::Start(Tag::BlockQuote(_) | Tag::Table(_) | Tag::CodeBlock(_)) => {
                if s.depth == 0 {
                    s.new_stycke(range.start);
                    s.last_top_was_paragraph = false;
                } else {
                    s.separate();
                }
                s.depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Table | TagEnd::CodeBlock) => {
                s.depth = s.depth.saturating_sub(1);
            }
            Event::Html(_) | Event::InlineHtml(_) => s.raw_html_error(range),
            Event::Start(Tag::Image { .. }) => {
                s.error(
                    range,
                    "images are not supported in content",
                    "describe the picture in text, or link to it",
                );
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => s.check_link(link_type, &dest_url, range),
            Event::Text(text) => {
                if s.clauses.last().is_none_or(|c| c.stycken.is_empty()) && s.depth == 0 {
                    s.new_stycke(range.start);
                }
                s.add_text(&text, true);
            }
            Event::Code(code) => s.add_text(&code, false),
            Event::SoftBreak | Event::HardBreak => s.add_text(" ", false),
            _ => {}
        }
    }

    /// Collects an `@/` link for checking once every file is loaded, and refuses link
    /// targets that are neither content nor the web.
    fn check_link(&mut self, link_type: LinkType, dest: &str, range: Range<usize>) {
        if let Some(target) = dest.strip_prefix("@/") {
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p.to_string(), Some(a.to_string())),
                None => (target.to_string(), None),
            };
            self.links.push(LinkRef {
                path,
                anchor,
                range: (range.start + self.body_offset)..(range.end + self.body_offset),
            });
        } else if !is_safe_external(dest) || matches!(link_type, LinkType::Email) {
            self.error(
                range,
                format!(
                    "link target `{}` is not allowed",
                    dest.chars().take(60).collect::<String>()
                ),
                "link to other content with `@/path.md#id`, or to the web with an https:// address",
            );
        }
    }
}

/// Appends `text`, with straight quotes made Swedish when `quotes` is set.
fn push_text(target: &mut String, text: &str, quotes: bool) {
    if !quotes || !has_straight_quote(text) {
        target.push_str(text);
        return;
    }
    for c in text.chars() {
        target.push(match c {
            '"' => '”',
            '\'' => '’',
            c => c,
        });
    }
}

fn has_straight_quote(text: &str) -> bool {
    text.bytes().any(|b| b == b'"' || b == b'\'')
}

/// Straight quotes become the Swedish ones: ” for both ends, ’ for the apostrophe.
pub fn swedish_quotes(text: &str) -> String {
    swedish_quotes_if_any(text).unwrap_or_else(|| text.to_string())
}

/// `swedish_quotes`, or `None` when the text has no straight quote to change.
pub fn swedish_quotes_if_any(text: &str) -> Option<String> {
    if !has_straight_quote(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 4);
    push_text(&mut out, text, true);
    Some(out)
}

/// Splits a body into clauses. Problems are collected, not returned on the first one.
pub fn split(source: &SourceText, body: &str, body_offset: usize) -> (Body, Vec<Diagnostic>) {
    let mut s = Splitter::new(source, body_offset);
    if let Some(at) = past_most_elements(body) {
        // Not parsed at all: the parser holds the structure of the whole text at once.
        s.error_always(
            at..at,
            format!("the file has more than {MOST_ELEMENTS} lines and Markdown marks (`*`, `_`, `[`, `<`, `|`…) together, the most a content file may have"),
            "split the text into several files",
        );
        return (Body::default(), s.problems);
    }
    let whole_body = s.run(body);
    let body_range = body_offset..body_offset + body.len();
    for clause in &mut s.clauses {
        let markdown = &mut clause.markdown;
        markdown.body = body_range.clone();
        markdown.whole_body = whole_body;
        if markdown.content.end == OPEN {
            markdown.content.end = body_range.end;
        }
    }
    check_unique_anchors(&mut s, source);
    // The body is kept until the site is built: no room is left over in its lists
    // (they grew by doubling while the text was read).
    for clause in &mut s.clauses {
        for stycke in &mut clause.stycken {
            stycke.text = collapse_spaces(&stycke.text);
            stycke.text.shrink_to_fit();
            stycke.has_text = !stycke.text.is_empty();
            for item in &mut stycke.items {
                item.text = collapse_spaces(&item.text);
            }
            stycke.items.shrink_to_fit();
        }
        clause.stycken.shrink_to_fit();
    }
    s.clauses.shrink_to_fit();
    s.links.shrink_to_fit();
    let body = Body::new(s.clauses, s.links, s.sub_heading_ids);
    if s.unlisted > 0 {
        s.problems.push(
            Diagnostic::error(
                &source.name,
                format!("{} more problems in this file are not listed", s.unlisted),
            )
            .with_help(format!(
                "the first {MOST_PROBLEMS_LISTED} are; fix them and check again"
            )),
        );
    }
    (body, s.problems)
}

/// A clause id may not repeat a stycke or item id of another clause (`## Rubrik {#P1S1}`
/// after `## § 1`): both would be the same HTML anchor, and links would be ambiguous.
/// Clause ids repeating each other are reported where the headings are read.
fn check_unique_anchors(s: &mut Splitter<'_>, source: &SourceText) {
    // Stycke and item ids are `…S1` or `…S1N2`: only a clause id of that shape can clash.
    let may_clash = |id: &str| id.contains('S') && id.ends_with(|c: char| c.is_ascii_digit());
    if !s.clauses.iter().any(|c| may_clash(&c.id)) {
        return;
    }
    let inner: HashMap<&str, &str> = s
        .clauses
        .iter()
        .flat_map(|c| {
            c.stycken.iter().flat_map(move |st| {
                std::iter::once((st.id.as_str(), c.id.as_str()))
                    .chain(st.items.iter().map(move |i| (i.id.as_str(), c.id.as_str())))
            })
        })
        .collect();
    let mut problems = Vec::new();
    for clause in &s.clauses {
        if let Some(owner) = inner.get(clause.id.as_str()) {
            problems.push(
                Diagnostic::error(
                    &source.name,
                    format!(
                        "clause id `{}` is already the id of a stycke or item in `{owner}`",
                        clause.id
                    ),
                )
                .at_line(source, clause.line.max(1), 1)
                .with_help("give the heading another id: `## Rubrik {#eget-id}`"),
            );
        }
    }
    s.problems.extend(problems);
}

/// Each line's words joined by single spaces, empty lines dropped, lines joined by `\n`
/// (words are separated by any Unicode whitespace, as `str::split_whitespace` does).
fn collapse_spaces(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Whether the current line has a word yet, and whether whitespace followed it.
    let mut line_has_word = false;
    let mut space_pending = false;
    let mut at = 0;
    while at < bytes.len() {
        let (width, kind) = classify(text, at);
        match kind {
            CharKind::LineBreak => {
                line_has_word = false;
                space_pending = false;
                at += width;
            }
            CharKind::Space => {
                space_pending = line_has_word;
                at += width;
            }
            CharKind::Word => {
                let start = at;
                at += width;
                // Byte by byte to the next whitespace: only these lead bytes can start a
                // whitespace character outside ASCII (U+0085, U+00A0, U+1680, U+2000…,
                // U+3000); continuation bytes never equal them.
                while at < bytes.len() {
                    let byte = bytes[at];
                    let may_be_space = match byte {
                        b'\n' | b' ' | b'\t' | b'\r' | 0x0b | 0x0c => true,
                        0xC2 | 0xE1 | 0xE2 | 0xE3 => classify(text, at).1 != CharKind::Word,
                        _ => false,
                    };
                    if may_be_space {
                        break;
                    }
                    at += 1;
                }
                if space_pending {
                    out.push(' ');
                    space_pending = false;
                } else if !line_has_word && !out.is_empty() {
                    out.push('\n');
                }
                line_has_word = true;
                out.push_str(&text[start..at]);
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum CharKind {
    LineBreak,
    Space,
    Word,
}

/// The width and kind of the character at byte `at` (a character boundary) of `text`.
fn classify(text: &str, at: usize) -> (usize, CharKind) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        let kind = match byte {
            b'\n' => CharKind::LineBreak,
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => CharKind::Space,
            _ => CharKind::Word,
        };
        return (1, kind);
    }
    match text[at..].chars().next() {
        Some(c) if c.is_whitespace() => (c.len_utf8(), CharKind::Space),
        Some(c) => (c.len_utf8(), CharKind::Word),
        None => (1, CharKind::Word),
    }
}

/// Web links only: no `javascript:`, `data:` or relative paths that would break under
/// a sub-path deployment.
pub fn is_safe_external(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !dest.contains(char::is_whitespace)
        || dest.starts_with('#') && is_valid_id(&dest[1..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn split_text(body: &str) -> (Body, Vec<Diagnostic>) {
        let source = SourceText::new("content/t.md", Arc::from(body));
        split(&source, body, 0)
    }

    fn ids(body: &Body) -> Vec<String> {
        body.anchors().map(str::to_string).collect()
    }

    #[test]
    fn paragraph_and_list_items_get_lagen_nu_ids() {
        let (body, problems) = split_text(
            "## § 5 Insatser\n\nFörsta stycket.\n\nAndra stycket:\n\n1. ett\n2. två\n3. tre\n\nTredje.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&body),
            ["P5", "P5S1", "P5S2", "P5S2N1", "P5S2N2", "P5S2N3", "P5S3"]
        );
        let clause = &body.clauses[0];
        assert_eq!(clause.title, "Insatser");
        assert_eq!(clause.label(), "§ 5");
        assert_eq!(clause.stycken[1].items[2].text, "tre");
        assert_eq!(clause.stycken[1].text, "Andra stycket:\nett\ntvå\ntre");
    }

    #[test]
    fn nested_items_and_table_cells_stay_apart_in_the_text() {
        let (body, problems) = split_text(
            "## A\n\nx:\n\n1. hälsa, till exempel\n   - läkemedel,\n   - tvål.\n2. boende\n\n| Hushåll | Kostnad |\n| --- | --- |\n| En person | 7 000 kr |\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let stycken = &body.clauses[0].stycken;
        assert_eq!(
            stycken[0].items[0].text,
            "hälsa, till exempel läkemedel, tvål."
        );
        assert_eq!(
            stycken[0].text,
            "x:\nhälsa, till exempel läkemedel, tvål.\nboende"
        );
        assert_eq!(stycken[1].text, "Hushåll Kostnad En person 7 000 kr");
    }

    #[test]
    fn a_list_in_a_quote_counts_from_one() {
        let (body, problems) =
            split_text("## A\n\nx:\n\n1. ett\n2. två\n\n> Citat:\n>\n> 1. första\n> 2. andra\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&body),
            ["a", "aS1", "aS1N1", "aS1N2", "aS2", "aS2N1", "aS2N2"]
        );
    }

    #[test]
    fn two_lists_in_one_quote_do_not_repeat_item_ids() {
        let (body, problems) =
            split_text("## A\n\n> x:\n>\n> 1. ett\n> 2. två\n>\n> y:\n>\n> 1. tre\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ids(&body), ["a", "aS1", "aS1N1", "aS1N2", "aS1N3"]);
    }

    #[test]
    fn section_sign_without_space_and_letter_suffix() {
        let (body, problems) = split_text("## §5 A\n\nx\n\n## § 5a B\n\ny\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(body.clauses[0].id, "P5");
        assert_eq!(body.clauses[1].id, "P5a");
        assert_eq!(body.clauses[1].title, "B");
    }

    #[test]
    fn plain_headings_are_slugged_or_take_explicit_id() {
        let (body, problems) =
            split_text("## Utgångspunkter\n\nx\n\ny\n\n## Definition {#def}\n\nz\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            ids(&body),
            [
                "utgangspunkter",
                "utgangspunkterS1",
                "utgangspunkterS2",
                "def",
                "defS1"
            ]
        );
    }

    #[test]
    fn text_before_first_heading_is_the_ingress() {
        let (body, _) = split_text("Inledande text.\n\n## § 1 A\n\nx\n");
        assert_eq!(ids(&body), ["ingress", "ingressS1", "P1", "P1S1"]);
    }

    #[test]
    fn a_heading_repeating_the_ingress_id_is_an_error() {
        let (_, problems) = split_text("Inledande text.\n\n## Rubrik {#ingress}\n\nx\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            "clause id `ingress` is used twice (first at line 1)"
        );
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn clauses_are_found_by_id_in_long_bodies_too() {
        let text: String = (1..=100)
            .map(|n| format!("## § {n} R{n}\n\nx\n\n"))
            .collect();
        let (body, problems) = split_text(&text);
        assert!(problems.is_empty());
        for n in [1, 33, 100] {
            assert_eq!(
                body.clause(&format!("P{n}")).map(|c| c.title.clone()),
                Some(format!("R{n}"))
            );
        }
        assert!(body.clause("P101").is_none());
    }

    #[test]
    fn deeper_headings_stay_inside_the_clause() {
        let (body, problems) = split_text("## § 1 A\n\nx\n\n### Underrubrik\n\ny\n");
        assert!(problems.is_empty());
        assert_eq!(ids(&body), ["P1", "P1S1", "P1S2"]);
    }

    #[test]
    fn duplicate_numbers_and_bare_section_sign_are_errors() {
        let (_, problems) = split_text("## § 1 A\n\nx\n\n## § 1 B\n\ny\n\n## § Utan nummer\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("used twice"));
        assert_eq!(problems[0].line, 5);
        assert!(
            problems[1]
                .message
                .contains("followed by the clause number")
        );
        assert_eq!(problems[1].line, 9);
    }

    #[test]
    fn ids_are_matched_exactly_not_by_prefix() {
        let (body, _) = split_text("## § 1 A\n\nx\n\n## § 10 B\n\ny\n");
        assert_eq!(body.clause("P1").unwrap().title, "A");
        assert_eq!(body.clause("P10").unwrap().title, "B");
        assert!(body.clause("P").is_none());
    }

    #[test]
    fn raw_html_and_script_links_are_errors_with_lines() {
        let (_, problems) =
            split_text("## § 1 A\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert_eq!(problems[1].line, 5);
    }

    #[test]
    fn level_one_heading_is_an_error() {
        let (_, problems) = split_text("# Titel\n");
        assert!(problems[0].message.contains("level-1"));
    }

    #[test]
    fn internal_links_are_collected() {
        let (body, problems) =
            split_text("## § 1 A\n\nSe [punkt 2](@/overenskommelse/2008.md#punkt-2).\n");
        assert!(problems.is_empty());
        assert_eq!(body.links[0].path, "overenskommelse/2008.md");
        assert_eq!(body.links[0].anchor.as_deref(), Some("punkt-2"));
    }

    #[test]
    fn quotes_become_swedish() {
        let (body, _) = split_text("## § 1 A\n\nDet \"fastnar\" där, det är bolagets sak.\n");
        assert_eq!(
            body.clauses[0].stycken[0].text,
            "Det ”fastnar” där, det är bolagets sak."
        );
        assert_eq!(swedish_quotes("it's"), "it’s");
    }

    #[test]
    fn spaces_collapse_as_split_whitespace_does() {
        fn reference(text: &str) -> String {
            let lines: Vec<String> = text
                .split('\n')
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect();
            lines.join("\n")
        }
        for text in [
            "",
            " ",
            "\n\n",
            "a",
            "  a  b\t c \n\n d\r\ne ",
            "å\u{a0}ä\u{2028}ö\u{3000}x\u{85}y\u{200b}z",
            "\u{1680}ett\u{202f} två \u{b}tre\u{c}\n fyra 🙂 ",
        ] {
            assert_eq!(collapse_spaces(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Utgångspunkter"), "utgangspunkter");
        assert_eq!(
            slug("Överenskommelsens mål & syfte"),
            "overenskommelsens-mal-syfte"
        );
        assert_eq!(slug("Punkt 1"), "punkt-1");
    }
}
