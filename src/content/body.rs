//! Splitting a Markdown body into clauses, stycken and list items with stable ids.
//!
//! The ids follow lagen.nu's convention: `## § 5 Rubrik` is `P5`, its second paragraph
//! `P5S2`, the third item of a list in that paragraph `P5S2N3`. Other `##` headings
//! are slugged (`## Utgångspunkter` → `utgangspunkter`). Citizens link to these ids,
//! so the rules here must never change meaning for existing text.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, SourceText};

/// Id of text before the first `##` heading.
pub const INGRESS_ID: &str = "ingress";

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    /// `Some(5)` for `§ 5`.
    pub number: Option<u32>,
    /// Number with any letter suffix as written: `5`, `5a`.
    pub number_text: Option<String>,
    /// Heading text after the number: `Överenskommelsens syfte`; empty for the ingress.
    pub title: String,
    /// 1-based line of the heading in the file (of the first text for the ingress).
    pub line: usize,
    pub stycken: Vec<Stycke>,
    /// Markdown events of the clause's content (heading excluded), with ids inserted
    /// and `@/` links left as written; the renderer resolves them.
    pub events: Vec<Event<'static>>,
}

impl Clause {
    /// How readers cite the clause: `§ 5`, or the heading text.
    pub fn label(&self) -> String {
        match &self.number_text {
            Some(n) => format!("§ {n}"),
            None if self.title.is_empty() => "Inledning".to_string(),
            None => self.title.clone(),
        }
    }

    /// The clause's words, stycken separated by blank lines.
    pub fn plain_text(&self) -> String {
        let parts: Vec<String> = self.stycken.iter().map(|s| s.text.clone()).collect();
        parts.join("\n\n")
    }
}

#[derive(Debug, Clone)]
pub struct Stycke {
    pub id: String,
    pub text: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub text: String,
}

/// An `@/` link as written in the body, to be checked once every file is loaded.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Content path of the target: `overenskommelse/2009.md`.
    pub path: String,
    pub anchor: Option<String>,
    /// Byte range in the file, for diagnostics.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub clauses: Vec<Clause>,
    pub links: Vec<LinkRef>,
}

impl Body {
    /// Every id a link may point at, clause, stycke or item.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().flat_map(|c| {
            std::iter::once(c.id.as_str()).chain(c.stycken.iter().flat_map(|s| {
                std::iter::once(s.id.as_str()).chain(s.items.iter().map(|i| i.id.as_str()))
            }))
        })
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }
}

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

struct Splitter<'s> {
    source: &'s SourceText,
    body_offset: usize,
    clauses: Vec<Clause>,
    links: Vec<LinkRef>,
    problems: Vec<Diagnostic>,
    /// Nesting depth of block containers inside the current clause.
    depth: usize,
    /// Whether the last top-level block of the clause was a paragraph, so that a list
    /// right after it belongs to the same stycke.
    last_top_was_paragraph: bool,
    /// Number of the next item in the current top-level list.
    item_number: u64,
    list_depth: usize,
    /// Text being collected: for the current stycke and the current item.
    in_item: bool,
}

impl<'s> Splitter<'s> {
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, help: &str) {
        let range = (range.start + self.body_offset)..(range.end + self.body_offset);
        self.problems.push(
            Diagnostic::error(&self.source.name, message)
                .at(self.source, range)
                .with_help(help),
        );
    }

    /// One error per line of raw HTML: `<b>fet</b>` is two tags but one mistake.
    fn raw_html_error(&mut self, range: Range<usize>) {
        const MESSAGE: &str = "raw HTML is not allowed in content";
        let line = self.line_of(range.start);
        if self
            .problems
            .last()
            .is_some_and(|p| p.message == MESSAGE && p.line == line)
        {
            return;
        }
        self.error(
            range,
            MESSAGE,
            "write Markdown; the sources need no HTML (use a blank line or `\\` for a line break)",
        );
    }

    fn line_of(&self, offset: usize) -> usize {
        crate::diagnostics::line_column(&self.source.text, offset + self.body_offset).0
    }

    fn clause(&mut self) -> &mut Clause {
        if self.clauses.is_empty() {
            self.clauses.push(Clause {
                id: INGRESS_ID.to_string(),
                number: None,
                number_text: None,
                title: String::new(),
                line: 0,
                stycken: Vec::new(),
                events: Vec::new(),
            });
        }
        let last = self.clauses.len() - 1;
        &mut self.clauses[last]
    }

    fn push_event(&mut self, event: Event<'static>) {
        self.clause().events.push(event);
    }

    fn new_stycke(&mut self, offset: usize) -> String {
        let line = self.line_of(offset);
        let clause = self.clause();
        if clause.line == 0 {
            clause.line = line;
        }
        let id = format!("{}S{}", clause.id, clause.stycken.len() + 1);
        clause.stycken.push(Stycke {
            id: id.clone(),
            text: String::new(),
            items: Vec::new(),
        });
        id
    }

    fn current_stycke(&mut self) -> Option<&mut Stycke> {
        self.clauses.last_mut().and_then(|c| c.stycken.last_mut())
    }

    fn add_text(&mut self, text: &str) {
        let in_item = self.in_item;
        if let Some(stycke) = self.current_stycke() {
            push_words(&mut stycke.text, text);
            if in_item && let Some(item) = stycke.items.last_mut() {
                push_words(&mut item.text, text);
            }
        }
    }

    /// Keeps blocks apart in the plain text: a space between inline blocks, a line
    /// break before each list item so diffs and search show items on lines of their own.
    fn separate(&mut self) {
        let in_item = self.in_item;
        self.separate_with(if in_item { '\n' } else { ' ' });
    }

    fn separate_with(&mut self, separator: char) {
        if let Some(stycke) = self.current_stycke()
            && !stycke.text.is_empty()
        {
            let trimmed = stycke.text.trim_end_matches(' ').len();
            stycke.text.truncate(trimmed);
            if !stycke.text.ends_with('\n') {
                stycke.text.push(separator);
            }
        }
    }
}

fn push_words(target: &mut String, text: &str) {
    target.push_str(text);
}

/// Straight quotes become the Swedish ones: ” for both ends, ’ for the apostrophe.
pub fn swedish_quotes(text: &str) -> String {
    text.replace('"', "”").replace('\'', "’")
}

/// Splits a body into clauses. Problems are collected, not returned on the first one.
pub fn split(source: &SourceText, body: &str, body_offset: usize) -> (Body, Vec<Diagnostic>) {
    let mut s = Splitter {
        source,
        body_offset,
        clauses: Vec::new(),
        links: Vec::new(),
        problems: Vec::new(),
        depth: 0,
        last_top_was_paragraph: false,
        item_number: 0,
        list_depth: 0,
        in_item: false,
    };
    let mut heading: Option<(Range<usize>, Option<String>, String)> = None;
    let mut link_depth = 0usize;

    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
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
                    s.raw_html_error(range.clone());
                    continue;
                }
                _ => continue,
            }
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
                heading = Some((range, id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let Some((range, explicit, text)) = heading.take() else {
                    continue;
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
                            continue;
                        }
                        if let Some(previous) = s.clauses.iter().find(|c| c.id == parts.id) {
                            let message = format!(
                                "clause id `{}` is used twice (first at line {})",
                                parts.id, previous.line
                            );
                            s.error(range.clone(), message, "give each clause its own number, or an explicit id: `## Rubrik {#eget-id}`");
                        }
                        s.clauses.push(Clause {
                            id: parts.id,
                            number: parts.number,
                            number_text: parts.number_text,
                            title: swedish_quotes(&parts.title),
                            line,
                            stycken: Vec::new(),
                            events: Vec::new(),
                        });
                        s.depth = 0;
                        s.last_top_was_paragraph = false;
                    }
                    Err(message) => s.error(range, message, "see the clause rules in the README"),
                }
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Sub-headings live inside the clause; they start no stycke.
                let tag = Tag::Heading {
                    level,
                    id: id.map(|i| CowStr::from(i.to_string())),
                    classes: classes
                        .into_iter()
                        .map(|c| CowStr::from(c.to_string()))
                        .collect(),
                    attrs: Vec::new(),
                };
                let _ = attrs;
                s.last_top_was_paragraph = false;
                s.push_event(Event::Start(tag));
            }
            Event::Start(Tag::Paragraph) => {
                if s.depth == 0 {
                    let id = s.new_stycke(range.start);
                    s.last_top_was_paragraph = true;
                    s.push_event(Event::Html(format!("<p id=\"{id}\">").into()));
                } else {
                    s.separate();
                    s.push_event(Event::Start(Tag::Paragraph));
                }
                s.depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                s.depth = s.depth.saturating_sub(1);
                if s.depth == 0 {
                    s.push_event(Event::Html("</p>\n".into()));
                } else {
                    s.push_event(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Start(Tag::List(start)) => {
                if s.depth == 0 {
                    if !s.last_top_was_paragraph
                        || s.clauses.last().is_none_or(|c| c.stycken.is_empty())
                    {
                        s.new_stycke(range.start);
                    }
                    s.item_number = start.unwrap_or(1);
                    s.last_top_was_paragraph = false;
                    let stycke_id = s
                        .current_stycke()
                        .map(|st| st.id.clone())
                        .unwrap_or_default();
                    s.push_event(Event::Html(
                        format!("<div class=\"lista\" data-stycke=\"{stycke_id}\">").into(),
                    ));
                } else {
                    if s.list_depth == 0 {
                        // A list inside a quote or table: its items still count from its start.
                        s.item_number = start.unwrap_or(1);
                    }
                    s.separate();
                }
                s.list_depth += 1;
                s.depth += 1;
                s.push_event(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                s.depth = s.depth.saturating_sub(1);
                s.list_depth = s.list_depth.saturating_sub(1);
                s.push_event(Event::End(TagEnd::List(ordered)));
                if s.depth == 0 {
                    s.push_event(Event::Html("</div>\n".into()));
                }
            }
            Event::Start(Tag::Item) => {
                if s.list_depth == 1 {
                    let number = s.item_number;
                    s.item_number += 1;
                    s.separate_with('\n');
                    let id = match s.current_stycke() {
                        Some(stycke) => {
                            let id = format!("{}N{number}", stycke.id);
                            stycke.items.push(Item {
                                id: id.clone(),
                                text: String::new(),
                            });
                            id
                        }
                        None => String::new(),
                    };
                    s.in_item = true;
                    s.push_event(Event::Html(format!("<li id=\"{id}\">").into()));
                } else {
                    s.push_event(Event::Start(Tag::Item));
                }
            }
            Event::End(TagEnd::Item) => {
                if s.list_depth == 1 {
                    s.in_item = false;
                    s.push_event(Event::Html("</li>\n".into()));
                } else {
                    s.push_event(Event::End(TagEnd::Item));
                }
            }
            Event::Start(tag @ (Tag::BlockQuote(_) | Tag::Table(_) | Tag::CodeBlock(_))) => {
                if s.depth == 0 {
                    let id = s.new_stycke(range.start);
                    s.last_top_was_paragraph = false;
                    s.push_event(Event::Html(
                        format!("<div class=\"stycke\" id=\"{id}\">").into(),
                    ));
                } else {
                    s.separate();
                }
                s.depth += 1;
                s.push_event(Event::Start(tag).into_static());
            }
            Event::End(tag @ (TagEnd::BlockQuote(_) | TagEnd::Table | TagEnd::CodeBlock)) => {
                s.depth = s.depth.saturating_sub(1);
                s.push_event(Event::End(tag));
                if s.depth == 0 {
                    s.push_event(Event::Html("</div>\n".into()));
                }
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
                title,
                id,
            }) => {
                link_depth += 1;
                let dest = dest_url.to_string();
                if let Some(target) = dest.strip_prefix("@/") {
                    let (path, anchor) = match target.split_once('#') {
                        Some((p, a)) => (p.to_string(), Some(a.to_string())),
                        None => (target.to_string(), None),
                    };
                    s.links.push(LinkRef {
                        path,
                        anchor,
                        range: (range.start + body_offset)..(range.end + body_offset),
                    });
                } else if !is_safe_external(&dest) || matches!(link_type, LinkType::Email) {
                    s.error(range.clone(), format!("link target `{}` is not allowed", dest.chars().take(60).collect::<String>()), "link to other content with `@/path.md#id`, or to the web with an https:// address");
                }
                s.push_event(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title: title.to_string().into(),
                    id: id.to_string().into(),
                }));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                s.push_event(Event::End(TagEnd::Link));
            }
            Event::Text(text) => {
                let text = swedish_quotes(&text);
                if s.clauses.last().is_none_or(|c| c.stycken.is_empty()) && s.depth == 0 {
                    s.new_stycke(range.start);
                }
                s.add_text(&text);
                s.push_event(Event::Text(text.into()));
            }
            Event::Code(code) => {
                s.add_text(&code);
                s.push_event(Event::Code(code.to_string().into()));
            }
            Event::SoftBreak | Event::HardBreak => {
                s.add_text(" ");
                s.push_event(event.into_static());
            }
            other => s.push_event(other.into_static()),
        }
    }
    let _ = link_depth;
    check_unique_anchors(&mut s);
    for clause in &mut s.clauses {
        for stycke in &mut clause.stycken {
            stycke.text = collapse_spaces(&stycke.text);
            for item in &mut stycke.items {
                item.text = collapse_spaces(&item.text);
            }
        }
    }
    let body = Body {
        clauses: s.clauses,
        links: s.links,
    };
    (body, s.problems)
}

/// A clause id may not repeat a stycke or item id of another clause (`## Rubrik {#P1S1}`
/// after `## § 1`): both would be the same HTML anchor, and links would be ambiguous.
/// Clause ids repeating each other are reported where the headings are read.
fn check_unique_anchors(s: &mut Splitter<'_>) {
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
                    &s.source.name,
                    format!(
                        "clause id `{}` is already the id of a stycke or item in `{owner}`",
                        clause.id
                    ),
                )
                .at_line(s.source, clause.line.max(1), 1)
                .with_help("give the heading another id: `## Rubrik {#eget-id}`"),
            );
        }
    }
    s.problems.extend(problems);
}

fn collapse_spaces(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
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
        let source = SourceText {
            name: "content/t.md".into(),
            text: Arc::from(body),
        };
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
    fn slugs_are_ascii() {
        assert_eq!(slug("Utgångspunkter"), "utgangspunkter");
        assert_eq!(
            slug("Överenskommelsens mål & syfte"),
            "overenskommelsens-mal-syfte"
        );
        assert_eq!(slug("Punkt 1"), "punkt-1");
    }
}
