//! Checking `@/` links once every file is loaded: the target file must exist and the
//! anchor must be one of its clause, stycke or item ids.

use crate::diagnostics::Diagnostic;
use crate::model::Site;

pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &site.pages {
        for link in &page.body.links {
            let Some(target) = site.page_by_path(&link.path) else {
                problems.push(
                    Diagnostic::error(
                        &page.source.name,
                        format!("link to `@/{}`: no such content file", link.path),
                    )
                    .at(&page.source, link.range.clone())
                    .with_help(suggest_path(site, &link.path)),
                );
                continue;
            };
            if let Some(anchor) = &link.anchor
                && !target.body.anchors().any(|a| a == anchor)
            {
                problems.push(
                    Diagnostic::error(
                        &page.source.name,
                        format!(
                            "link to `@/{}#{anchor}`: {} has no clause or stycke `{anchor}`",
                            link.path, target.source.name
                        ),
                    )
                    .at(&page.source, link.range.clone())
                    .with_help(format!("clauses there: {}", clause_ids(target))),
                );
            }
        }
    }
    problems
}

fn clause_ids(page: &crate::model::Page) -> String {
    let ids: Vec<&str> = page.body.clauses.iter().map(|c| c.id.as_str()).collect();
    ids.join(", ")
}

fn suggest_path(site: &Site, wanted: &str) -> String {
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    match site.pages.iter().find(|p| p.path.ends_with(name)) {
        Some(p) => format!(
            "did you mean `@/{}`? paths are relative to content/",
            p.path
        ),
        None => "paths are relative to content/, e.g. `@/overenskommelse/2009.md#P2`".into(),
    }
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
