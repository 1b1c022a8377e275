//! A clause's Markdown as Akoma Ntoso: stycken become `<paragraph>`, a list in a stycke
//! `<list>` with `<point>`s (the stycke's text before it the list's `<intro>`), deeper
//! headings `<crossHeading>`, links `<ref>`.
//!
//! The clause's events (`render::body_html`) carry the stycke and item ids the site uses
//! as HTML markers (`<p id="P5S2">`, `<li id="P5S2N3">`); they are read here, so the
//! Akoma Ntoso structure and the eIds follow exactly the stycken and items of the
//! pages and the JSON: those of the model, by the one set of rules in `content::body`.

use std::io;

use pulldown_cmark::{CowStr, Event, Tag};

use super::xml::Xml;
use crate::model::body::{Body, Clause};

/// What an element of the clause's Markdown is.
#[derive(Debug)]
enum Kind<'t> {
    /// A stycke that starts with a paragraph (`<p id="…">`).
    StyckeParagraph(String),
    /// A list at the top of the clause (`<div class="lista" data-stycke="…">`): part of
    /// the stycke named, which the paragraph before it may have started.
    StyckeList(String),
    /// A stycke that is a quote, table or code block (`<div class="stycke" id="…">`).
    StyckeBlock(String),
    /// An item of a stycke's list (`<li id="…">`).
    Item(String),
    Tag(Tag<'t>),
}

#[derive(Debug)]
enum Node<'t> {
    Element(Kind<'t>, Vec<Node<'t>>),
    Text(CowStr<'t>),
    Code(CowStr<'t>),
    SoftBreak,
    HardBreak,
}

/// Nests the flat events into a tree; the markers of `body_html` become their own kinds.
fn tree<'t>(events: impl IntoIterator<Item = Event<'t>>) -> Vec<Node<'t>> {
    let mut stack: Vec<(Kind<'t>, Vec<Node<'t>>)> = Vec::new();
    let mut top: Vec<Node<'t>> = Vec::new();
    fn push<'t>(stack: &mut [(Kind<'t>, Vec<Node<'t>>)], top: &mut Vec<Node<'t>>, node: Node<'t>) {
        match stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => top.push(node),
        }
    }
    fn pop<'t>(stack: &mut Vec<(Kind<'t>, Vec<Node<'t>>)>, top: &mut Vec<Node<'t>>) {
        if let Some((kind, children)) = stack.pop() {
            push(stack, top, Node::Element(kind, children));
        }
    }
    for event in events {
        match event {
            Event::Html(html) => match marker(&html) {
                Some(Marker::Open(kind)) => stack.push((kind, Vec::new())),
                Some(Marker::Close) => pop(&mut stack, &mut top),
                None => {}
            },
            Event::Start(tag) => stack.push((Kind::Tag(tag), Vec::new())),
            Event::End(_) => pop(&mut stack, &mut top),
            Event::Text(text) => push(&mut stack, &mut top, Node::Text(text)),
            Event::Code(code) => push(&mut stack, &mut top, Node::Code(code)),
            // Raw HTML is refused when content is loaded; shown as text should one pass.
            Event::InlineHtml(html) => push(&mut stack, &mut top, Node::Text(html)),
            Event::SoftBreak => push(&mut stack, &mut top, Node::SoftBreak),
            Event::HardBreak => push(&mut stack, &mut top, Node::HardBreak),
            _ => {}
        }
    }
    while !stack.is_empty() {
        pop(&mut stack, &mut top);
    }
    top
}

enum Marker<'t> {
    Open(Kind<'t>),
    Close,
}

/// The markers of `body_html`: `<p id="X">`, `<div class="lista"
/// data-stycke="X">`, `<div class="stycke" id="X">`, `<li id="X">` and their ends.
fn marker<'t>(html: &str) -> Option<Marker<'t>> {
    let html = html.trim();
    if html.starts_with("</") {
        return Some(Marker::Close);
    }
    let value = |prefix: &str| {
        html.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("\">"))
            .map(str::to_string)
    };
    if let Some(id) = value("<p id=\"") {
        Some(Marker::Open(Kind::StyckeParagraph(id)))
    } else if let Some(id) = value("<div class=\"lista\" data-stycke=\"") {
        Some(Marker::Open(Kind::StyckeList(id)))
    } else if let Some(id) = value("<div class=\"stycke\" id=\"") {
        Some(Marker::Open(Kind::StyckeBlock(id)))
    } else {
        value("<li id=\"").map(|id| Marker::Open(Kind::Item(id)))
    }
}

/// How the writer turns links and anchors into Akoma Ntoso addresses.
pub trait Links {
    /// The `href` of a link written as `dest` in the content (`@/…`, `#P5`, `https://…`).
    fn href(&self, dest: &str) -> String;
}

/// eId of a clause: `sec_5` for `§ 5` (id `P5`), `sec_ID` for any other id.
pub fn clause_eid(clause: &Clause) -> String {
    match &clause.number_text {
        Some(number) if clause.id == format!("P{number}") => format!("sec_{number}"),
        _ => format!("sec_{}", clause.id),
    }
}

/// eId of stycke number `index` (from 1) of a clause with eId `clause`.
fn stycke_eid(clause: &str, index: usize) -> String {
    format!("{clause}__para_{index}")
}

/// eId of the item numbered `number` in the list of stycke `stycke`.
fn item_eid(stycke: &str, number: &str) -> String {
    format!("{stycke}__list_1__point_{number}")
}

/// The eId of any anchor of `body` (clause, stycke or item id), as the writer gives it.
pub fn eid_of(body: &Body, anchor: &str) -> Option<String> {
    for clause in &body.clauses {
        let clause_eid = clause_eid(clause);
        if clause.id == anchor {
            return Some(clause_eid);
        }
        for (index, stycke) in clause.stycken.iter().enumerate() {
            let stycke_eid = stycke_eid(&clause_eid, index + 1);
            if stycke.id == anchor {
                return Some(stycke_eid);
            }
            if let Some(item) = stycke.items.iter().find(|item| item.id == anchor) {
                let number = item_number(&stycke.id, &item.id)?;
                return Some(item_eid(&stycke_eid, number));
            }
        }
    }
    None
}

/// `P5S2N3` in stycke `P5S2` is item 3.
fn item_number<'a>(stycke: &str, item: &'a str) -> Option<&'a str> {
    item.strip_prefix(stycke)?.strip_prefix('N')
}

/// Writes the clause's content (after its `<num>` and `<heading>`): its stycken as
/// `<paragraph>`s and its deeper headings as `<crossHeading>`s.
pub fn write_clause_content<'t>(
    xml: &mut Xml,
    clause: &Clause,
    events: impl IntoIterator<Item = Event<'t>>,
    links: &dyn Links,
) -> io::Result<()> {
    let clause_eid = clause_eid(clause);
    let stycke_number = |id: &str| {
        clause
            .stycken
            .iter()
            .position(|s| s.id == id)
            .map_or(0, |i| i + 1)
    };
    let nodes = tree(events);
    let mut cross_headings = 0;
    let mut index = 0;
    while index < nodes.len() {
        match &nodes[index] {
            Node::Element(Kind::StyckeParagraph(id), children) => {
                let eid = stycke_eid(&clause_eid, stycke_number(id));
                // A list right after the paragraph, in the same stycke: the paragraph
                // introduces the list.
                let list = match nodes.get(index + 1) {
                    Some(Node::Element(Kind::StyckeList(list_id), list)) if list_id == id => {
                        index += 1;
                        Some(list)
                    }
                    _ => None,
                };
                xml.block("paragraph", &[("eId", &eid)])?;
                match list {
                    Some(list) => write_list(xml, &eid, Some(children), list, links)?,
                    None => {
                        xml.block("content", &[])?;
                        write_p(xml, children, links)?;
                        xml.close()?;
                    }
                }
                xml.close()?;
            }
            Node::Element(Kind::StyckeList(id), list) => {
                let eid = stycke_eid(&clause_eid, stycke_number(id));
                xml.block("paragraph", &[("eId", &eid)])?;
                write_list(xml, &eid, None, list, links)?;
                xml.close()?;
            }
            Node::Element(Kind::StyckeBlock(id), children) => {
                let eid = stycke_eid(&clause_eid, stycke_number(id));
                xml.block("paragraph", &[("eId", &eid)])?;
                xml.block("content", &[])?;
                write_blocks(xml, &eid, children, links)?;
                xml.close()?;
                xml.close()?;
            }
            Node::Element(Kind::Tag(Tag::Heading { .. }), children) => {
                cross_headings += 1;
                let eid = format!("{clause_eid}__crossHeading_{cross_headings}");
                xml.inline("crossHeading", &[("eId", &eid)])?;
                write_inline(xml, children, links)?;
                xml.close()?;
            }
            // A thematic break, or text outside any stycke: the splitter gives neither
            // a stycke, and the pages show no text for them.
            _ => {}
        }
        index += 1;
    }
    Ok(())
}

/// A stycke's list: `<list>` with the stycke's paragraph as `<intro>`, each item a
/// `<point>` with its number and content.
fn write_list(
    xml: &mut Xml,
    stycke_eid: &str,
    intro: Option<&Vec<Node<'_>>>,
    list: &[Node<'_>],
    links: &dyn Links,
) -> io::Result<()> {
    xml.block("list", &[("eId", &format!("{stycke_eid}__list_1"))])?;
    if let Some(intro) = intro {
        xml.block("intro", &[])?;
        write_p(xml, intro, links)?;
        xml.close()?;
    }
    for node in list {
        let Node::Element(Kind::Tag(Tag::List(start)), items) = node else {
            continue;
        };
        for item in items {
            let Node::Element(Kind::Item(id), children) = item else {
                continue;
            };
            let number = id.rsplit_once('N').map_or("", |(_, n)| n);
            xml.block("point", &[("eId", &item_eid(stycke_eid, number))])?;
            // Numbered lists show their numbers; bullets have none to show.
            if start.is_some() {
                xml.leaf("num", &[], &format!("{number}."))?;
            }
            xml.block("content", &[])?;
            write_blocks(xml, stycke_eid, children, links)?;
            xml.close()?;
            xml.close()?;
        }
    }
    xml.close()
}

fn is_inline(node: &Node<'_>) -> bool {
    match node {
        Node::Element(Kind::Tag(tag), _) => matches!(
            tag,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
        ),
        Node::Element(..) => false,
        _ => true,
    }
}

/// Block content (inside `<content>`, a quote or a cell): runs of inline content become
/// `<p>`, Markdown blocks their Akoma Ntoso (HTML-like) blocks. Always at least one
/// block, as `<content>` requires.
fn write_blocks(
    xml: &mut Xml,
    stycke_eid: &str,
    nodes: &[Node<'_>],
    links: &dyn Links,
) -> io::Result<()> {
    let mut written = false;
    let mut run: Vec<&Node<'_>> = Vec::new();
    let flush = |xml: &mut Xml, run: &mut Vec<&Node<'_>>, written: &mut bool| {
        if run.iter().all(|n| is_blank(n)) {
            run.clear();
            return Ok::<(), io::Error>(());
        }
        xml.inline("p", &[])?;
        for node in run.drain(..) {
            write_node(xml, node, links)?;
        }
        *written = true;
        xml.close()
    };
    for node in nodes {
        if is_inline(node) {
            run.push(node);
            continue;
        }
        flush(xml, &mut run, &mut written)?;
        let Node::Element(kind, children) = node else {
            continue;
        };
        written |= match kind {
            Kind::Tag(Tag::Paragraph) | Kind::StyckeParagraph(_) => {
                write_p(xml, children, links)?;
                true
            }
            Kind::Tag(Tag::Heading { .. }) => {
                xml.inline("p", &[])?;
                xml.inline("b", &[])?;
                write_inline(xml, children, links)?;
                xml.close()?;
                xml.close()?;
                true
            }
            Kind::Tag(Tag::BlockQuote(_)) => {
                xml.block("blockContainer", &[("class", "citat")])?;
                write_blocks(xml, stycke_eid, children, links)?;
                xml.close()?;
                true
            }
            Kind::Tag(Tag::CodeBlock(_)) => {
                let text: String = children
                    .iter()
                    .map(|n| match n {
                        Node::Text(t) | Node::Code(t) => t.as_ref(),
                        _ => "",
                    })
                    .collect();
                xml.leaf("p", &[("class", "kod")], text.trim_end())?;
                true
            }
            Kind::Tag(Tag::List(start)) => {
                write_html_list(xml, stycke_eid, *start, children, links)?;
                true
            }
            Kind::Tag(Tag::Table(_)) => {
                write_table(xml, children, links)?;
                true
            }
            // Anything else that holds content is written as its blocks.
            _ if !children.is_empty() => {
                write_blocks(xml, stycke_eid, children, links)?;
                true
            }
            _ => false,
        };
    }
    flush(xml, &mut run, &mut written)?;
    if !written {
        xml.leaf("p", &[], "")?;
    }
    Ok(())
}

fn is_blank(node: &Node<'_>) -> bool {
    match node {
        Node::Text(t) => t.trim().is_empty(),
        Node::SoftBreak => true,
        _ => false,
    }
}

/// A list inside a block (a quote, an item): `<ol>`/`<ul>` with `<li>`. Items the site
/// numbers (a list in a quoted stycke) keep their eIds.
fn write_html_list(
    xml: &mut Xml,
    stycke_eid: &str,
    start: Option<u64>,
    items: &[Node<'_>],
    links: &dyn Links,
) -> io::Result<()> {
    xml.block(if start.is_some() { "ol" } else { "ul" }, &[])?;
    for item in items {
        let (eid, children) = match item {
            Node::Element(Kind::Item(id), children) => {
                let number = id.rsplit_once('N').map_or("", |(_, n)| n);
                (Some(item_eid(stycke_eid, number)), children)
            }
            Node::Element(Kind::Tag(Tag::Item), children) => (None, children),
            _ => continue,
        };
        let attributes: Vec<(&str, &str)> =
            eid.as_deref().map(|e| vec![("eId", e)]).unwrap_or_default();
        xml.inline("li", &attributes)?;
        for child in children {
            match child {
                Node::Element(Kind::Tag(Tag::Paragraph), inline) => write_p(xml, inline, links)?,
                Node::Element(Kind::Tag(Tag::List(inner)), nested) => {
                    write_html_list(xml, stycke_eid, *inner, nested, links)?
                }
                other if is_inline(other) => write_node(xml, other, links)?,
                // Quotes and code in a list item nested in a block: their text, inline.
                Node::Element(_, nested) => write_inline(xml, nested, links)?,
                _ => {}
            }
        }
        xml.close()?;
    }
    xml.close()
}

fn write_table(xml: &mut Xml, parts: &[Node<'_>], links: &dyn Links) -> io::Result<()> {
    xml.block("table", &[])?;
    for part in parts {
        let (cell, rows): (&'static str, Vec<&Vec<Node<'_>>>) = match part {
            // The head holds its cells directly; the body holds rows.
            Node::Element(Kind::Tag(Tag::TableHead), cells) => ("th", vec![cells]),
            Node::Element(Kind::Tag(Tag::TableRow), cells) => ("td", vec![cells]),
            _ => continue,
        };
        for cells in rows {
            xml.block("tr", &[])?;
            for node in cells {
                if let Node::Element(Kind::Tag(Tag::TableCell), inline) = node {
                    xml.block(cell, &[])?;
                    write_p(xml, inline, links)?;
                    xml.close()?;
                }
            }
            xml.close()?;
        }
    }
    xml.close()
}

/// One `<p>` of inline content.
fn write_p(xml: &mut Xml, nodes: &[Node<'_>], links: &dyn Links) -> io::Result<()> {
    xml.inline("p", &[])?;
    write_inline(xml, nodes, links)?;
    xml.close()
}

fn write_inline(xml: &mut Xml, nodes: &[Node<'_>], links: &dyn Links) -> io::Result<()> {
    for node in nodes {
        write_node(xml, node, links)?;
    }
    Ok(())
}

fn write_node(xml: &mut Xml, node: &Node<'_>, links: &dyn Links) -> io::Result<()> {
    match node {
        Node::Text(text) => xml.text(text),
        Node::Code(code) => xml.leaf("span", &[("class", "kod")], code),
        Node::SoftBreak => xml.text("\n"),
        Node::HardBreak => xml.empty("br", &[]),
        Node::Element(kind, children) => {
            let (name, attributes): (&'static str, Vec<(&str, String)>) = match kind {
                Kind::Tag(Tag::Emphasis) => ("i", Vec::new()),
                Kind::Tag(Tag::Strong) => ("b", Vec::new()),
                Kind::Tag(Tag::Strikethrough) => ("del", Vec::new()),
                Kind::Tag(Tag::Link { dest_url, .. }) => {
                    ("ref", vec![("href", links.href(dest_url))])
                }
                // Anything else inline (text of a nested block): its text only.
                _ => return write_inline(xml, children, links),
            };
            let attributes: Vec<(&str, &str)> =
                attributes.iter().map(|(k, v)| (*k, v.as_str())).collect();
            xml.inline(name, &attributes)?;
            write_inline(xml, children, links)?;
            xml.close()
        }
    }
}

/// Writes a short Markdown text (an editorial note) as blocks: paragraphs, lists.
pub fn write_markdown(xml: &mut Xml, markdown: &str, links: &dyn Links) -> io::Result<()> {
    let parser =
        pulldown_cmark::Parser::new_ext(markdown, crate::content::body::markdown_options());
    let events = parser.map(|event| match event {
        Event::Text(text) => Event::Text(crate::content::body::swedish_quotes(&text).into()),
        Event::Html(html) => Event::Text(html),
        other => other,
    });
    let nodes = tree(events);
    write_blocks(xml, "note", &nodes, links)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::SourceText;

    struct Plain;
    impl Links for Plain {
        fn href(&self, dest: &str) -> String {
            format!("X{dest}")
        }
    }

    fn content(markdown: &str) -> (Body, String) {
        let source = SourceText::new("content/t.md", Arc::from(markdown));
        let (body, problems) = crate::content::body::split(&source, markdown, 0);
        assert!(problems.is_empty(), "{problems:?}");
        let mut xml = Xml::new().unwrap();
        xml.block("section", &[]).unwrap();
        for clause in &body.clauses {
            write_clause_content(
                &mut xml,
                clause,
                crate::render::body_html::clause_events(clause, markdown),
                &Plain,
            )
            .unwrap();
        }
        let text = String::from_utf8(xml.finish().unwrap()).unwrap();
        (body, text)
    }

    #[test]
    fn stycken_lists_quotes_and_headings_keep_the_sites_ids() {
        let (body, xml) = content(
            "## § 5 Insatser\n\nFörsta [stycket](@/a.md#P1).\n\nAndra:\n\n1. ett\n2. två\n   - inre\n\n### Under\n\n> Citat:\n>\n> 3. tre\n\n```\nkod\n```\n",
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let eids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("eId"))
            .collect();
        assert_eq!(
            eids,
            [
                "sec_5__para_1",
                "sec_5__para_2",
                "sec_5__para_2__list_1",
                "sec_5__para_2__list_1__point_1",
                "sec_5__para_2__list_1__point_2",
                "sec_5__crossHeading_1",
                "sec_5__para_3",
                "sec_5__para_3__list_1__point_3",
                "sec_5__para_4",
            ]
        );
        assert!(xml.contains("<p>Första <ref href=\"X@/a.md#P1\">stycket</ref>.</p>"));
        assert!(
            xml.contains("<intro>\n        <p>Andra:</p>\n      </intro>"),
            "{xml}"
        );
        assert!(xml.contains("<ul>\n            <li>inre</li>"), "{xml}");
        assert!(xml.contains("<blockContainer class=\"citat\">"));
        assert!(xml.contains("<p class=\"kod\">kod</p>"));
        // Every id of the body has the eId the writer gives it.
        for anchor in ["P5S2", "P5S2N2", "P5S3N3"] {
            let eid = eid_of(&body, anchor).unwrap();
            assert!(eids.contains(&eid.as_str()), "{anchor} → {eid}");
        }
        assert_eq!(eid_of(&body, "P5").as_deref(), Some("sec_5"));
        assert_eq!(eid_of(&body, "P9"), None);
    }
}
