//! Reading `content/site.yaml` into [`SiteConfig`], with a problem placed on its line.

use std::collections::HashMap;

use super::front_matter;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::config::{SiteConfig, contact_href};

/// Reads site.yaml's text into the site's configuration, or says what is wrong with it.
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
        if !super::body::is_valid_id(&work.id) {
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
