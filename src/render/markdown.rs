//! Clause events → HTML, with `@/` links made relative to the page they appear on.

use pulldown_cmark::{Event, Tag, html};

use crate::content::body::Clause;
use crate::content::links::relative_url;
use crate::model::Site;

/// HTML of one clause's content as it appears on the page at `page_url`.
pub fn clause_html(site: &Site, page_url: &str, clause: &Clause) -> String {
    let events = clause.events.iter().map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = resolve(site, page_url, dest_url).unwrap_or_else(|| dest_url.to_string());
            Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: dest.into(),
                title: title.clone(),
                id: id.clone(),
            })
        }
        other => other.clone(),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
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
