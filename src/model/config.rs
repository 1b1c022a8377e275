//! `content/site.yaml`: the site's own settings and the works it publishes (read and
//! checked by `content::config`).

use serde::{Deserialize, Serialize};

use crate::diagnostics::SourceText;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Absolute address the site is published at, ending in `/`; used for canonical
    /// URLs, the sitemap and the feed. Links between pages are relative. Optional: a
    /// site whose address is not known yet is built without those (and `load` warns),
    /// rather than with a placeholder address that would reach readers.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Who publishes the site (shown in the footer and the accessibility statement).
    #[serde(default)]
    pub publisher: Option<String>,
    /// How readers reach the publisher: a functional e-mail address or the address of a
    /// contact form. The footer shows it, and the accessibility statement points to it
    /// (the law on accessible public digital services requires one).
    #[serde(default)]
    pub contact: Option<String>,
    pub works: Vec<WorkConfig>,
    /// The file's text, for problems found later that point into it (a work that no
    /// version names).
    #[serde(skip)]
    pub source: Option<SourceText>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkConfig {
    pub id: String,
    pub title: String,
    /// Used in citations: ”Samverkansöverenskommelsen (2013) 5 § 2 st.”
    pub short_title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The 1-based line of the work's `id:` in site.yaml (of `works:` when the list is
    /// written in flow style).
    #[serde(skip)]
    pub line: usize,
}

impl SiteConfig {
    /// Where work `index` is listed: its line in site.yaml, and the file's text.
    pub fn work_place(&self, index: usize) -> Option<(&SourceText, usize)> {
        Some((self.source.as_ref()?, self.works.get(index)?.line))
    }
}

fn default_language() -> String {
    "sv".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    /// The link for `contact`: `mailto:` for an e-mail address, the address itself for a
    /// contact form.
    pub fn contact_href(&self) -> Option<String> {
        self.contact.as_deref().and_then(contact_href)
    }

    /// The address path the site lives under, e.g. `/overenskommelse/` (for the 404 page,
    /// which is served from any depth and so cannot use relative links).
    /// The address of `path` (relative to the site root): absolute where `base_url` is
    /// set, otherwise `path` itself, relative to the site's root, since no address is
    /// known and none is made up.
    pub fn address(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.as_deref().unwrap_or_default())
    }

    /// Without `base_url`, the root of the server.
    pub fn base_path(&self) -> String {
        let Some(base_url) = &self.base_url else {
            return "/".into();
        };
        let after_scheme = base_url.split_once("://").map_or("", |(_, r)| r);
        match after_scheme.find('/') {
            Some(n) => after_scheme[n..].to_string(),
            None => "/".into(),
        }
    }
}

/// The link for a contact written `contact`, `None` when it is neither an e-mail
/// address nor an http(s) address.
pub fn contact_href(contact: &str) -> Option<String> {
    let contact = contact.trim();
    if contact
        .chars()
        .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"')
    {
        return None;
    }
    if let Some(rest) = contact
        .strip_prefix("https://")
        .or_else(|| contact.strip_prefix("http://"))
    {
        return (!rest.is_empty()).then(|| contact.to_string());
    }
    let (local, domain) = contact.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@');
    valid.then(|| format!("mailto:{contact}"))
}
