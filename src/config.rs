//! `content/site.yaml`: the site's own settings and the works it publishes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, SourceText};

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

/// The 1-based line of each work's `id:` in site.yaml's `text`, for `count` works.
fn work_id_lines(text: &str, count: usize) -> Vec<Option<usize>> {
    let Some(lines) = front_matter::list_lines(text, &["works"]).filter(|l| l.items.len() == count)
    else {
        return vec![None; count];
    };
    (0..count)
        .map(|index| front_matter::item_field_line(text, &lines, index, "id").map(|l| l + 1))
        .collect()
}

fn default_language() -> String {
    "sv".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    pub fn parse(source: &SourceText) -> Result<SiteConfig, Diagnostic> {
        let split = front_matter::Split {
            yaml: &source.text,
            yaml_line: 1,
            body: "",
            body_offset: source.text.len(),
        };
        let mut config: SiteConfig = front_matter::parse(source, &split)?;
        if let Some(base_url) = &mut config.base_url {
            if !base_url.ends_with('/') {
                base_url.push('/');
            }
            let host = base_url
                .strip_prefix("https://")
                .or_else(|| base_url.strip_prefix("http://"));
            if host.is_none_or(|host| host.starts_with('/') || host.is_empty()) {
                return Err(front_matter::field_error(
                    source,
                    &split,
                    "base_url",
                    "base_url must be an absolute http(s) address",
                )
                .with_help("write the address the site is published at, e.g. base_url: \"https://www.example.org/overenskommelse/\", or leave base_url out until it is known"));
            }
        }
        if config.theme.is_empty()
            || !config
                .theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(front_matter::field_error(
                source,
                &split,
                "theme",
                format!("`{}` is not a theme name", config.theme),
            )
            .with_help("a theme is a folder name under themes/: letters, digits, - and _"));
        }
        if let Some(contact) = &config.contact
            && contact_href(contact).is_none()
        {
            return Err(front_matter::field_error(
                source,
                &split,
                "contact",
                format!("`{contact}` is neither an e-mail address nor an http(s) address"),
            )
            .with_help(
                "write a functional mailbox, e.g. contact: \"webb@kommun.se\", or the address of a contact form",
            ));
        }
        // A problem with one work goes on its `id:` line, or on `works:` when the list
        // is not written one entry a line.
        let works_line = front_matter::field_line(source, &split, "works");
        let lines = work_id_lines(split.yaml, config.works.len());
        for (work, line) in config.works.iter_mut().zip(lines) {
            work.line = line.unwrap_or(works_line);
        }
        let mut first_of: HashMap<&str, usize> = HashMap::new();
        for (index, work) in config.works.iter().enumerate() {
            if !crate::content::body::is_valid_id(&work.id) {
                return Err(Diagnostic::error(
                    &source.name,
                    format!("work id `{}` cannot be used in addresses", work.id),
                )
                .at_line(source, config.works[index].line, 1)
                .with_help("use lowercase letters, digits and -"));
            }
            if let Some(&first) = first_of.get(work.id.as_str()) {
                return Err(Diagnostic::error(
                    &source.name,
                    format!(
                        "work `{}` is listed twice (first at line {})",
                        work.id, config.works[first].line
                    ),
                )
                .at_line(source, config.works[index].line, 1)
                .with_help("list each work once: keep one entry, with the title you mean"));
            }
            first_of.insert(&work.id, index);
        }
        config.source = Some(source.clone());
        Ok(config)
    }

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

fn contact_href(contact: &str) -> Option<String> {
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
