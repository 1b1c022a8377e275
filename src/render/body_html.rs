//! A clause's Markdown as the events the pages, the comparisons and Akoma Ntoso are
//! made from: the clause's text parsed again as it was loaded, each stycke and list item
//! opened and closed by an HTML marker that carries its id. The ids, and where each
//! stycke and item starts, come from the model (`model::body`, made by
//! `content::body`); here they only become markup:
//!
//! - `<p id="P5S1">` … `</p>`: a stycke that starts with a paragraph;
//! - `<div class="stycke" id="P5S3">` … `</div>`: one that is a quote, table or code block;
//! - `<div class="lista" data-stycke="P5S2">` … `</div>`: a list at the top of the clause,
//!   part of the stycke named (the paragraph before it may have started that one);
//! - `<li id="P5S2N1">` … `</li>`: an item of a stycke's list.
//!
//! Blocks nested in these stay Markdown tags. Straight quotes become Swedish, as in the
//! plain text; `@/` links are left as written, for [`super::markdown`] to resolve.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::content::body::{markdown_options, swedish_quotes_if_any};
use crate::model::body::Clause;

/// The events of the clause's content (its heading excluded). `text` is its file's text
/// as it was loaded (`PageSource::text`); another text gives no events, or events
/// without ids, never a panic.
pub fn clause_events<'t>(clause: &Clause, text: &'t str) -> Vec<Event<'t>> {
    let place = &clause.markdown;
    // A link reference definition applies to the whole body: the clause is then found in
    // the whole body parsed, not parsed from its own text alone.
    let parsed = if place.whole_body {
        place.body.clone()
    } else {
        place.content.clone()
    };
    let Some(markdown) = text.get(parsed.clone()) else {
        return Vec::new();
    };
    let mut marked = Marked {
        clause,
        depth: 0,
        list_depth: 0,
        events: Vec::new(),
    };
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        let at = parsed.start + range.start;
        if place.whole_body && !place.content.contains(&at) {
            continue;
        }
        marked.push(event, at);
    }
    marked.events
}

/// The events of one clause so far, and where the walk is in its blocks.
struct Marked<'c, 't> {
    clause: &'c Clause,
    /// Paragraphs, lists, quotes, tables and code blocks open: 0 at the top of the clause.
    depth: usize,
    /// Lists open: the items of the outermost are a stycke's items.
    list_depth: usize,
    events: Vec<Event<'t>>,
}

impl<'t> Marked<'_, 't> {
    /// Adds `event`, which starts at `at` in the file's text.
    fn push(&mut self, event: Event<'t>, at: usize) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2,
                ..
            }) => {}
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // Attributes other than id and classes are dropped.
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                }));
            }
            Event::Start(Tag::Paragraph) => {
                if self.depth == 0 {
                    let id = self.stycke_id(at);
                    self.html(format!("<p id=\"{id}\">"));
                } else {
                    self.events.push(Event::Start(Tag::Paragraph));
                }
                self.depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.html("</p>\n".into());
                } else {
                    self.events.push(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Start(Tag::List(start)) => {
                if self.depth == 0 {
                    let id = self.stycke_id(at);
                    self.html(format!("<div class=\"lista\" data-stycke=\"{id}\">"));
                }
                self.list_depth += 1;
                self.depth += 1;
                self.events.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                self.depth = self.depth.saturating_sub(1);
                self.list_depth = self.list_depth.saturating_sub(1);
                self.events.push(Event::End(TagEnd::List(ordered)));
                if self.depth == 0 {
                    self.html("</div>\n".into());
                }
            }
            Event::Start(Tag::Item) => {
                if self.list_depth == 1 {
                    let id = self
                        .clause
                        .stycke_at(at)
                        .and_then(|stycke| stycke.item_at(at))
                        .map_or("", |item| item.id.as_str());
                    self.html(format!("<li id=\"{id}\">"));
                } else {
                    self.events.push(Event::Start(Tag::Item));
                }
            }
            Event::End(TagEnd::Item) => {
                if self.list_depth == 1 {
                    self.html("</li>\n".into());
                } else {
                    self.events.push(Event::End(TagEnd::Item));
                }
            }
            Event::Start(tag @ (Tag::BlockQuote(_) | Tag::Table(_) | Tag::CodeBlock(_))) => {
                if self.depth == 0 {
                    let id = self.stycke_id(at);
                    self.html(format!("<div class=\"stycke\" id=\"{id}\">"));
                }
                self.depth += 1;
                self.events.push(Event::Start(tag));
            }
            Event::End(tag @ (TagEnd::BlockQuote(_) | TagEnd::Table | TagEnd::CodeBlock)) => {
                self.depth = self.depth.saturating_sub(1);
                self.events.push(Event::End(tag));
                if self.depth == 0 {
                    self.html("</div>\n".into());
                }
            }
            // Refused when the content was loaded; never passed on should one be here.
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. }) => {}
            Event::Text(text) => self.events.push(match swedish_quotes_if_any(&text) {
                Some(quoted) => Event::Text(quoted.into()),
                None => Event::Text(text),
            }),
            other => self.events.push(other),
        }
    }

    /// The id of the stycke a block starting at `at` belongs to.
    fn stycke_id(&self, at: usize) -> &str {
        self.clause
            .stycke_at(at)
            .map_or("", |stycke| stycke.id.as_str())
    }

    fn html(&mut self, html: String) {
        self.events.push(Event::Html(html.into()));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceText;
    use crate::model::body::Body;

    fn loaded(text: &str) -> Body {
        let source = SourceText::new("content/t.md", Arc::from(text));
        let (body, problems) = crate::content::body::split(&source, text, 0);
        assert!(problems.is_empty(), "{problems:?}");
        body
    }

    fn html_of(clause: &Clause, text: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, clause_events(clause, text).into_iter());
        out
    }

    #[test]
    fn stycken_and_items_get_their_ids_from_the_model() {
        let text = "Inledning.\n\n## § 5 Insatser\n\nFörsta \"stycket\".\n\nAndra:\n\n1. ett\n2. två\n\n> Citat\n\n## § 6 B\n\nSist.\n";
        let body = loaded(text);
        assert_eq!(
            html_of(&body.clauses[0], text),
            "<p id=\"ingressS1\">Inledning.</p>\n"
        );
        assert_eq!(
            html_of(&body.clauses[1], text),
            "<p id=\"P5S1\">Första ”stycket”.</p>\n<p id=\"P5S2\">Andra:</p>\n\
             <div class=\"lista\" data-stycke=\"P5S2\">\n<ol>\n<li id=\"P5S2N1\">ett</li>\n\
             <li id=\"P5S2N2\">två</li>\n</ol>\n</div>\n\
             <div class=\"stycke\" id=\"P5S3\">\n<blockquote>\n<p>Citat</p>\n</blockquote>\n</div>\n"
        );
        assert_eq!(
            html_of(&body.clauses[2], text),
            "<p id=\"P6S1\">Sist.</p>\n"
        );
    }

    #[test]
    fn a_list_after_a_sub_heading_starts_the_next_stycke() {
        // The sub-heading's words start the first stycke, which has no block of its own.
        let text = "## § 1 A\n\n### Under\n\n1. ett\n\n> 1. citerad\n> 2. lista\n";
        let body = loaded(text);
        assert_eq!(
            html_of(&body.clauses[0], text),
            "<h3>Under</h3>\n<div class=\"lista\" data-stycke=\"P1S2\">\n<ol>\n\
             <li id=\"P1S2N1\">ett</li>\n</ol>\n</div>\n\
             <div class=\"stycke\" id=\"P1S3\">\n<blockquote>\n<ol>\n\
             <li id=\"P1S3N1\">citerad</li>\n<li id=\"P1S3N2\">lista</li>\n</ol>\n\
             </blockquote>\n</div>\n"
        );
    }

    #[test]
    fn link_references_defined_in_another_clause_still_resolve() {
        let text =
            "## § 1 A\n\nSe [avtalet][ref].\n\n## § 2 B\n\nText.\n\n[ref]: https://example.se/a\n";
        let body = loaded(text);
        assert!(body.clauses[0].markdown.whole_body);
        assert_eq!(
            html_of(&body.clauses[0], text),
            "<p id=\"P1S1\">Se <a href=\"https://example.se/a\">avtalet</a>.</p>\n"
        );
        assert_eq!(
            html_of(&body.clauses[1], text),
            "<p id=\"P2S1\">Text.</p>\n"
        );
    }

    #[test]
    fn another_text_than_the_one_loaded_gives_nothing() {
        let text = "## § 1 A\n\nEtt stycke som är längre än den andra texten.\n";
        let body = loaded(text);
        assert!(clause_events(&body.clauses[0], "kort").is_empty());
    }
}
