//! Clause events → HTML, with `@/` links made relative to the page they appear on, and
//! on version pages "5 §" / "§ 5" in the text linked to that clause of the same version.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd, html};

use crate::content::links::relative_url;
use crate::model::Site;
use crate::model::body::{Body, Clause};

/// HTML of one clause's content as it appears on the page at `page_url`. `text` is the
/// text of the clause's file (`PageSource::text`).
pub fn clause_html(site: &Site, page_url: &str, clause: &Clause, text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, resolved_events(site, page_url, clause, text));
    out
}

/// HTML of a clause on its version's page: as [`clause_html`], every reference to a
/// clause of the same version in the running text (`5 §`, `§ 5`) becomes a link to it,
/// and each stycke and item ends in a small link to itself, named by how it is cited
/// (`§ 5 andra stycket punkt 7`), with `cite_prefix` before that in its `data-cite`.
pub fn version_clause_html(
    site: &Site,
    page_url: &str,
    clause: &Clause,
    version: &Body,
    text: &str,
    cite_prefix: &str,
) -> String {
    let events = own_clause_links(resolved_events(site, page_url, clause, text), version);
    let words: std::collections::HashMap<String, String> =
        super::status::anchor_words(clause).into_iter().collect();
    let mut out = String::new();
    html::push_html(&mut out, pinned(events, &words, cite_prefix).into_iter());
    out
}

/// `events` with every reference in the running text to a clause of `version`
/// (`5 §`, `§ 5`, not those of other acts) made a link to `#ID` of that clause.
pub fn own_clause_links<'a>(
    events: impl IntoIterator<Item = Event<'a>>,
    version: &Body,
) -> Vec<Event<'a>> {
    link_section_references(events.into_iter(), |number| {
        version.clause_numbered(number).map(|c| c.id.clone())
    })
}

/// `events` with a link to each stycke and item placed before its end. Only
/// [`super::body_html`] writes HTML events (raw HTML in content is an error): `<p id="…">`,
/// `<li id="…">` and `<div class="stycke" id="…">` open an anchored block, a list's
/// `<div class="lista" …>` opens one without an anchor, and each closes with its own
/// HTML event; blocks nested inside them are Markdown tags, not HTML events.
fn pinned<'a>(
    events: Vec<Event<'a>>,
    words: &std::collections::HashMap<String, String>,
    cite_prefix: &str,
) -> Vec<Event<'a>> {
    let mut open: Vec<Option<String>> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        if let Event::Html(html) = &event {
            let html = html.trim_start();
            if html.starts_with("</") {
                if let Some(Some(id)) = open.pop()
                    && let Some(words) = words.get(&id)
                {
                    out.push(Event::Html(pin(&id, words, cite_prefix).into()));
                }
            } else if html.starts_with('<') {
                open.push(
                    html.split_once(" id=\"")
                        .and_then(|(_, rest)| rest.split_once('"'))
                        .map(|(id, _)| id.to_string()),
                );
            }
        }
        out.push(event);
    }
    out
}

fn pin(id: &str, words: &str, cite_prefix: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
    };
    format!(
        " <a class=\"pin\" href=\"#{id}\" data-cite=\"{cite}\"><span aria-hidden=\"true\">¶</span><span class=\"visually-hidden\">{words}</span></a>",
        id = escape(id),
        cite = escape(&format!("{cite_prefix} {words}")),
        words = escape(words),
    )
}

/// HTML of a clause shown beside the same clause of other versions (history pages): the
/// stycke and item ids get `prefix` so that they stay unique on the page.
pub fn prefixed_clause_html(
    site: &Site,
    page_url: &str,
    clause: &Clause,
    prefix: &str,
    text: &str,
) -> String {
    let events = resolved_events(site, page_url, clause, text).map(|event| match event {
        // Only `body_html` emits HTML events (raw HTML in content is an error), and it
        // writes ids as ` id="…"`.
        Event::Html(h) => Event::Html(h.replace(" id=\"", &format!(" id=\"{prefix}")).into()),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn resolved_events<'a>(
    site: &'a Site,
    page_url: &'a str,
    clause: &'a Clause,
    text: &'a str,
) -> impl Iterator<Item = Event<'a>> + 'a {
    super::body_html::clause_events(clause, text)
        .into_iter()
        .map(move |event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(site, page_url, &dest_url).map_or(dest_url, CowStr::from);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            other => other,
        })
}

/// Splits text events so that every clause reference `target` knows becomes a link to
/// `#id`. Text inside existing links is left alone (links do not nest).
fn link_section_references<'a>(
    events: impl Iterator<Item = Event<'a>>,
    target: impl Fn(&str) -> Option<String>,
) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    let mut link_depth = 0usize;
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Event<'a>>, link_depth: usize| {
        if pending.is_empty() {
            return;
        }
        let text = std::mem::take(pending);
        if link_depth > 0 {
            out.push(Event::Text(text.into()));
            return;
        }
        let mut last = 0;
        for reference in section_references(&text) {
            let Some(id) = target(&reference.number) else {
                continue;
            };
            if reference.range.start > last {
                out.push(Event::Text(
                    text[last..reference.range.start].to_string().into(),
                ));
            }
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: format!("#{id}").into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            out.push(Event::Text(
                text[reference.range.clone()].to_string().into(),
            ));
            out.push(Event::End(TagEnd::Link));
            last = reference.range.end;
        }
        if last < text.len() {
            out.push(Event::Text(text[last..].to_string().into()));
        }
    };
    for event in events {
        match event {
            // The parser may split one run of text into several events. A soft break
            // is part of the run (it renders as the line break it is), so that "5 §"
            // at the end of a line still sees the act named on the next.
            Event::Text(t) => pending.push_str(&t),
            Event::SoftBreak => pending.push('\n'),
            other => {
                flush(&mut pending, &mut out, link_depth);
                match &other {
                    Event::Start(Tag::Link { .. }) => link_depth += 1,
                    Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
                    _ => {}
                }
                out.push(other);
            }
        }
    }
    flush(&mut pending, &mut out, link_depth);
    out
}

/// A clause reference found in running text: its byte range and the number as written.
#[derive(Debug, PartialEq)]
struct SectionReference {
    range: std::ops::Range<usize>,
    number: String,
}

/// Finds `5 §`, `5 a §`, `5a §` and `§ 5` (not the plural `§§`, which names several)
/// that refer to the work itself: not those in a chapter or of a named act ("4 kap. 1 §",
/// "1 § lagen (2010:197)"), see [`super::other_acts`].
fn section_references(text: &str) -> Vec<SectionReference> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('§') {
        let after = &text[at + '§'.len_utf8()..];
        if after.starts_with('§') || text[..at].ends_with('§') {
            continue;
        }
        let reference = if let Some((start, number)) = number_before(&text[..at]) {
            SectionReference {
                range: start..at + '§'.len_utf8(),
                number,
            }
        } else if let Some((length, number)) = number_after(after) {
            SectionReference {
                range: at..at + '§'.len_utf8() + length,
                number,
            }
        } else {
            continue;
        };
        let (before, after) = (&text[..reference.range.start], &text[reference.range.end..]);
        if !super::other_acts::names_another_act(before, after) {
            found.push(reference);
        }
    }
    found
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}'
}

/// `…5 ` or `…5 a ` before a `§`: where the number starts and the number (`5`, `5a`).
fn number_before(before: &str) -> Option<(usize, String)> {
    let trimmed = before.trim_end_matches(is_space);
    if trimmed.len() == before.len() {
        return None;
    }
    let mut rest = trimmed;
    let mut letter = None;
    if let Some(c) = rest.chars().next_back()
        && c.is_ascii_lowercase()
    {
        let without = &rest[..rest.len() - 1];
        let without_space = without.trim_end_matches(is_space);
        if without_space.ends_with(|d: char| d.is_ascii_digit()) {
            letter = Some(c);
            rest = without_space;
        }
    }
    let digits_start = rest.trim_end_matches(|d: char| d.is_ascii_digit()).len();
    if digits_start == rest.len() {
        return None;
    }
    // "15 §" must not match as "5 §": the number starts at a word boundary.
    if rest[..digits_start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let mut number = rest[digits_start..].to_string();
    number.extend(letter);
    Some((digits_start, number))
}

/// ` 5` or ` 5a` after a `§`: the length taken and the number.
fn number_after(after: &str) -> Option<(usize, String)> {
    let spaced = after.trim_start_matches(is_space);
    if spaced.len() == after.len() {
        return None;
    }
    let digits: String = spaced.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let mut length = after.len() - spaced.len() + digits.len();
    let mut number = digits;
    let rest = &spaced[number.len()..];
    let mut chars = rest.chars();
    if let Some(c) = chars.next()
        && c.is_ascii_lowercase()
        && !chars.next().is_some_and(char::is_alphanumeric)
    {
        number.push(c);
        length += 1;
    } else if rest.starts_with(char::is_alphanumeric) {
        return None;
    }
    Some((length, number))
}

/// Renders a short Markdown text (an editorial note) to HTML with the same link rules.
/// Raw HTML in it is shown as text, never passed through.
pub fn inline_markdown(site: &Site, page_url: &str, text: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(text, crate::content::body::markdown_options());
    let events = parser.map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = resolve(site, page_url, &dest_url).unwrap_or_else(|| {
                if crate::content::body::is_safe_external(&dest_url) {
                    dest_url.to_string()
                } else {
                    "#".to_string()
                }
            });
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            })
        }
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Text(t) => Event::Text(crate::content::body::swedish_quotes(&t).into()),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// `@/overenskommelse/2009.md#P2` → `../../overenskommelse/2009/#P2` from `page_url`.
pub fn resolve(site: &Site, page_url: &str, dest: &str) -> Option<String> {
    let target = dest.strip_prefix("@/")?;
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let page = site.page_by_path(path)?;
    let mut url = relative_url(page_url, &page.url);
    if let Some(anchor) = anchor {
        url.push('#');
        url.push_str(anchor);
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<(&str, String)> {
        section_references(text)
            .into_iter()
            .map(|r| (&text[r.range.clone()], r.number))
            .collect()
    }

    #[test]
    fn finds_both_word_orders_and_letter_suffixes() {
        assert_eq!(
            refs("enligt 5 § och § 7 samt 5 a § och 12b §."),
            vec![
                ("5 §", "5".to_string()),
                ("§ 7", "7".to_string()),
                ("5 a §", "5a".to_string()),
                ("12b §", "12b".to_string()),
            ]
        );
    }

    #[test]
    fn ignores_plurals_parts_of_numbers_and_bare_signs() {
        assert!(refs("5 och 6 §§ gäller").is_empty());
        assert!(refs("§§ 5–6").is_empty());
        assert!(refs("x15§ och §5 och § ovan").is_empty());
        // A statute number names another act: its § 11 is not this work's.
        assert!(refs("SFS 2010:197 11 §").is_empty());
        assert!(refs("§ 5år").is_empty());
    }

    fn render(markdown: &str, known: &[&str]) -> String {
        let events: Vec<Event<'static>> = pulldown_cmark::Parser::new(markdown)
            .map(Event::into_static)
            .collect();
        let linked = link_section_references(events.into_iter(), |n| {
            known.contains(&n).then(|| format!("P{n}"))
        });
        let mut out = String::new();
        html::push_html(&mut out, linked.into_iter());
        out
    }

    #[test]
    fn links_references_to_existing_clauses_only() {
        assert_eq!(
            render("Se 5 § och § 12 samt 3 §.", &["5", "3"]),
            "<p>Se <a href=\"#P5\">5 §</a> och § 12 samt <a href=\"#P3\">3 §</a>.</p>\n"
        );
    }

    #[test]
    fn references_to_other_acts_stay_plain_text() {
        assert_eq!(
            render(
                "Enligt 4 kap. 1 § socialtjänstlagen och 1 § lagen (2010:197), men 1 § här.",
                &["1"]
            ),
            "<p>Enligt 4 kap. 1 § socialtjänstlagen och 1 § lagen (2010:197), men <a href=\"#P1\">1 §</a> här.</p>\n"
        );
        // The act may stand on the next line of the Markdown.
        assert_eq!(
            render("enligt 3 §\nförordningen och 2 §\nnedan", &["3", "2"]),
            "<p>enligt 3 §\nförordningen och <a href=\"#P2\">2 §</a>\nnedan</p>\n"
        );
    }

    #[test]
    fn leaves_references_inside_links_and_joins_split_text() {
        assert_eq!(
            render("[enligt 5 §](https://example.se) och *se* 5 §", &["5"]),
            "<p><a href=\"https://example.se\">enligt 5 §</a> och <em>se</em> <a href=\"#P5\">5 §</a></p>\n"
        );
        // Escapes make the parser split text events; the reference still spans them.
        assert_eq!(
            render("a\\* 5 §", &["5"]),
            "<p>a* <a href=\"#P5\">5 §</a></p>\n"
        );
    }
}
