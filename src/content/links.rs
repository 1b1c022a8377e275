//! Checking `@/` links once every file is loaded: the target file must exist and the
//! anchor must be one of its clause, stycke or item ids. Links in the body and in the
//! Markdown fields of the front matter (lineage notes, `source.editorial`,
//! `editorial_notice`) are checked alike.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::body::{is_safe_external, markdown_options};
use crate::content::front_matter;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::model::{Page, PageKind, Site};

/// Checks every link of every page. Links into `unparsed` files (content files that
/// exist but failed to load, already reported) are not reported again.
pub fn check(site: &Site, unparsed: &HashSet<String>) -> Vec<Diagnostic> {
    let targets = Targets::new(site, unparsed);
    let mut problems = Vec::new();
    for page in &site.pages {
        let found: Vec<(Diagnostic, Range<usize>)> = page
            .body
            .links
            .iter()
            .filter_map(|link| {
                targets
                    .check(&page.source.name, &link.path, link.anchor.as_deref())
                    .map(|problem| (problem, link.range.clone()))
            })
            .collect();
        // The page's text is read again once for all its problems, not once for each.
        if !found.is_empty() {
            match page.source.source_text() {
                Ok(source) => problems.extend(
                    found
                        .into_iter()
                        .map(|(problem, range)| problem.at(&source, range)),
                ),
                // Left on the whole file; the build reports the unreadable file where it
                // needs the text.
                Err(_) => problems.extend(found.into_iter().map(|(problem, _)| problem)),
            }
        }
        problems.extend(check_front_matter(&targets, page));
    }
    problems
}

/// The problem with a link to `@/path#anchor` in file `name`, if any, not yet placed
/// in its text. (Many links are checked through one [`Targets`], as `check` does.)
pub(crate) fn check_target(
    site: &Site,
    unparsed: &HashSet<String>,
    name: &str,
    path: &str,
    anchor: Option<&str>,
) -> Option<Diagnostic> {
    Targets::new(site, unparsed).check(name, path, anchor)
}

/// What links point at: the site's pages, each page's ids gathered once the first time
/// a link points into it (searching all of a page's ids for each link would be quadratic
/// in a page with many links into a long one).
struct Targets<'s> {
    site: &'s Site,
    unparsed: &'s HashSet<String>,
    anchors: RefCell<HashMap<usize, HashSet<&'s str>>>,
    /// Each ending of each page's path → the first page whose path ends so, for the
    /// suggestion of a path that does not exist.
    endings: OnceCell<HashMap<&'s str, &'s str>>,
}

impl<'s> Targets<'s> {
    fn new(site: &'s Site, unparsed: &'s HashSet<String>) -> Targets<'s> {
        Targets {
            site,
            unparsed,
            anchors: RefCell::default(),
            endings: OnceCell::new(),
        }
    }

    /// The problem with a link to `@/path#anchor` in file `name`, if any, not yet
    /// placed in its text.
    fn check(&self, name: &str, path: &str, anchor: Option<&str>) -> Option<Diagnostic> {
        if self.unparsed.contains(path) {
            return None;
        }
        let site = self.site;
        let Some(index) = site.index_by_path(path) else {
            return Some(
                Diagnostic::error(name, format!("link to `@/{path}`: no such content file"))
                    .with_help(self.suggest_path(path)),
            );
        };
        let anchor = anchor?;
        let target = &site.pages[index];
        let found = self
            .anchors
            .borrow_mut()
            .entry(index)
            .or_insert_with(|| target.body.anchors().collect())
            .contains(anchor);
        if found {
            return None;
        }
        Some(
            Diagnostic::error(
                name,
                format!(
                    "link to `@/{path}#{anchor}`: {} has no clause or stycke `{anchor}`",
                    target.source.name
                ),
            )
            .with_help(format!("clauses there: {}", clause_ids(target))),
        )
    }

    fn suggest_path(&self, wanted: &str) -> String {
        let name = wanted.rsplit('/').next().unwrap_or(wanted);
        let endings = self.endings.get_or_init(|| {
            let mut endings = HashMap::new();
            for page in &self.site.pages {
                for (at, _) in page.path.char_indices() {
                    endings
                        .entry(&page.path[at..])
                        .or_insert(page.path.as_str());
                }
            }
            endings
        });
        match endings.get(name).filter(|_| !name.is_empty()) {
            Some(path) => format!("did you mean `@/{path}`? paths are relative to content/"),
            None => "paths are relative to content/, e.g. `@/overenskommelse/2009.md#P2`".into(),
        }
    }
}

/// The Markdown fields of a page's front matter: (field name as written, text).
fn markdown_fields(page: &Page) -> Vec<(&'static str, &str)> {
    let mut fields = Vec::new();
    match &page.kind {
        PageKind::Version(meta) => {
            fields.push(("editorial", meta.source.editorial.as_str()));
            if let Some(notice) = &meta.editorial_notice {
                fields.push(("editorial_notice", notice.as_str()));
            }
            if let Some(lineage) = &meta.lineage {
                for entry in &lineage.clauses {
                    if let Some(note) = &entry.note {
                        fields.push(("note", note.as_str()));
                    }
                }
            }
        }
        PageKind::Document(meta) => fields.push(("editorial", meta.source.editorial.as_str())),
        PageKind::Plain(_) => {}
    }
    fields
}

fn check_front_matter(targets: &Targets<'_>, page: &Page) -> Vec<Diagnostic> {
    // A Markdown link or HTML needs `[` or `<`: a page with neither in these fields has
    // nothing to check, and its text is not read again.
    if !markdown_fields(page)
        .iter()
        .any(|(_, text)| text.contains(['[', '<']))
    {
        return Vec::new();
    }
    match page.source.source_text() {
        Ok(source) => check_front_matter_in(targets, page, &source),
        Err(unreadable) => vec![unreadable],
    }
}

/// [`check_front_matter`] with the page's text, where its problems are placed.
fn check_front_matter_in(
    targets: &Targets<'_>,
    page: &Page,
    source: &SourceText,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Ok(split) = front_matter::split(source) else {
        return problems;
    };
    let yaml_offset = split.yaml.as_ptr() as usize - source.text.as_ptr() as usize;
    let mut locator = Locator {
        yaml: split.yaml,
        yaml_offset,
        cursors: Vec::new(),
    };
    for (field, text) in markdown_fields(page) {
        for (event, _) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let range = locator.find(field, &dest_url);
                    if let Some(target) = dest_url.strip_prefix("@/") {
                        let (path, anchor) = match target.split_once('#') {
                            Some((p, a)) => (p, Some(a)),
                            None => (target, None),
                        };
                        problems.extend(
                            targets
                                .check(&source.name, path, anchor)
                                .map(|problem| problem.at(source, range)),
                        );
                    } else if !is_safe_external(&dest_url) {
                        problems.push(
                            Diagnostic::error(
                                &source.name,
                                format!(
                                    "`{field}`: link target `{}` is not allowed",
                                    dest_url.chars().take(60).collect::<String>()
                                ),
                            )
                            .at(source, range)
                            .with_help("link to other content with `@/path.md#id`, or to the web with an https:// address"),
                        );
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    let range = locator.find(field, html.trim());
                    problems.push(
                        Diagnostic::error(
                            &source.name,
                            format!("`{field}`: raw HTML is not allowed in content"),
                        )
                        .at(source, range)
                        .with_help("write Markdown; the sources need no HTML"),
                    );
                }
                _ => {}
            }
        }
    }
    problems
}

/// Finds where a link of a front matter field is written in the file. Fields are found
/// by their key; several fields with the same key (lineage notes) are searched in
/// order, each search continuing after the previous hit.
struct Locator<'a> {
    yaml: &'a str,
    yaml_offset: usize,
    /// (field key, offset of its first key line, offset in the YAML to search from).
    cursors: Vec<(&'static str, usize, usize)>,
}

impl Locator<'_> {
    fn find(&mut self, field: &'static str, needle: &str) -> Range<usize> {
        let position = match self.cursors.iter().position(|(f, _, _)| *f == field) {
            Some(i) => i,
            None => {
                let key_start = self.key_offset(field, 0).unwrap_or(0);
                self.cursors.push((field, key_start, key_start));
                self.cursors.len() - 1
            }
        };
        let (_, key_start, cursor) = self.cursors[position];
        let hit = self.yaml[cursor..]
            .find(needle)
            .map(|n| cursor + n)
            .filter(|_| !needle.is_empty());
        match hit {
            Some(start) => {
                let end = start + needle.len();
                self.cursors[position].2 = end;
                (self.yaml_offset + start)..(self.yaml_offset + end)
            }
            None => {
                // Written differently (escapes, folding): point at the field's key.
                let start = self.key_offset(field, cursor).unwrap_or(key_start);
                let end = self.yaml[start..]
                    .find('\n')
                    .map_or(self.yaml.len(), |n| start + n);
                (self.yaml_offset + start)..(self.yaml_offset + end)
            }
        }
    }

    /// Offset of the first line holding or after `from` whose key is `field`.
    fn key_offset(&self, field: &str, from: usize) -> Option<usize> {
        // From the line holding `from`: the lines before it cannot be the answer, and
        // reading them again for each link would be quadratic in the links of a field.
        let mut offset = self.yaml[..from.min(self.yaml.len())]
            .rfind('\n')
            .map_or(0, |n| n + 1);
        for line in self.yaml[offset..].split_inclusive('\n') {
            let key = line.trim_start().trim_start_matches("- ");
            if offset + line.len() > from
                && key.starts_with(field)
                && key[field.len()..].starts_with(':')
            {
                return Some(offset + (line.len() - line.trim_start().len()));
            }
            offset += line.len();
        }
        None
    }
}

fn clause_ids(page: &Page) -> String {
    let ids: Vec<&str> = page.body.clauses.iter().map(|c| c.id.as_str()).collect();
    crate::diagnostics::list_for_help(&ids)
}

/// The URL of a link target as seen from a page at `from_url`, both relative to the
/// site root: from `dokument/x/` to `overenskommelse/2009/` is `../../overenskommelse/2009/`.
pub fn relative_url(from_url: &str, to_url: &str) -> String {
    let depth = from_url.matches('/').count();
    format!("{}{}", "../".repeat(depth), to_url)
}

#[cfg(test)]
mod tests {
    use super::relative_url;

    #[test]
    fn relative_urls_climb_to_the_root() {
        assert_eq!(
            relative_url("dokument/x/", "overenskommelse/2009/"),
            "../../overenskommelse/2009/"
        );
        assert_eq!(
            relative_url("", "overenskommelse/2009/"),
            "overenskommelse/2009/"
        );
    }
}
