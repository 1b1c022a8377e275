//! sitemap.xml, the Atom feed of documents and versions, and robots.txt.
//!
//! The sitemap lists every HTML page and every Akoma Ntoso export (`*.akn.xml`), so
//! that crawlers and legal-data harvesters find the machine-readable texts too.
//!
//! All three carry absolute addresses built from `base_url`: crawlers and feed readers
//! resolve nothing relative to the file they fetched. Without `base_url` there is no
//! address to give, so only robots.txt is written, without a sitemap.
//!
//! The sitemap and the feed are the theme's templates `sitemap.xml` and `atom.xml`
//! (as in Zola), given what they list; they escape with tera's `escape_xml`.

use serde_json::{Value, json};

use super::RenderOptions;
use super::theme::Theme;
use crate::diagnostics::Diagnostic;
use crate::model::meta::IsoDate;
use crate::model::{Page, PageKind, Site};
use crate::output::OutputFile;

/// Atom wants a full timestamp; the sources give a day, a month or a year.
fn atom_date(date: IsoDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year,
        date.month.unwrap_or(1),
        date.day.unwrap_or(1)
    )
}

use crate::routes::{FEED, ROBOTS, SITEMAP};

/// `page_urls`: every HTML page the build renders (folder URLs relative to the root).
/// An error when the theme's `sitemap.xml` or `atom.xml` fails to render.
pub fn files(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
    page_urls: &[&str],
) -> Result<Vec<OutputFile>, Diagnostic> {
    let Some(base) = &site.config.base_url else {
        return Ok(vec![OutputFile::new(ROBOTS, robots(None))]);
    };
    Ok(vec![
        OutputFile::new(
            SITEMAP,
            render(
                theme,
                SITEMAP,
                "addresses",
                &sitemap(base, page_urls, &super::akn::paths(site)),
            )?,
        ),
        OutputFile::new(
            FEED,
            render(theme, FEED, "feed", &feed(site, base, options))?,
        ),
        OutputFile::new(ROBOTS, robots(Some(base))),
    ])
}

/// The theme's `template` given `value` as `name`.
fn render(
    theme: &Theme,
    template: &str,
    name: &'static str,
    value: &Value,
) -> Result<Vec<u8>, Diagnostic> {
    let mut context = tera::Context::new();
    context.insert(name, value);
    let mut out = Vec::new();
    theme
        .tera
        .render_to(template, &context, &mut out)
        .map_err(|err| theme.render_error(template, &err))?;
    Ok(out)
}

/// The sitemap's addresses: every page and every Akoma Ntoso file (`exports`) once,
/// sorted.
fn sitemap(base: &str, page_urls: &[&str], exports: &[String]) -> Value {
    let mut urls: Vec<&str> = page_urls.to_vec();
    urls.extend(exports.iter().map(String::as_str));
    urls.sort_unstable();
    urls.dedup();
    Value::Array(
        urls.into_iter()
            .map(|url| Value::String(format!("{base}{url}")))
            .collect(),
    )
}

/// The feed carries at most this many entries, the newest: a reader polls it for news,
/// not for the archive (all of it is on the site). The real site has fewer.
pub const FEED_ENTRIES: usize = 100;

/// Newest first: the agreement's versions and the documents around it, each with the
/// date its source gives; at most [`FEED_ENTRIES`] of them.
fn feed(site: &Site, base: &str, options: &RenderOptions) -> Value {
    let mut entries: Vec<(&Page, IsoDate)> = site
        .pages
        .iter()
        .filter(|p| !matches!(p.kind, PageKind::Plain(_)))
        .filter_map(|p| p.date().map(|d| (p, d)))
        .collect();
    entries.sort_by(|(p, d), (q, e)| e.cmp(d).then_with(|| p.url.cmp(&q.url)));
    entries.truncate(FEED_ENTRIES);
    let updated = IsoDate::parse(&options.build_date)
        .ok()
        .map(atom_date)
        .or_else(|| entries.first().map(|(_, d)| atom_date(*d)))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let author = site
        .config
        .publisher
        .clone()
        .unwrap_or_else(|| site.config.title.clone());
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|(page, date)| {
            let (summary, category) = match &page.kind {
                PageKind::Version(v) => (v.summary.clone(), format!("version {}", v.version)),
                PageKind::Document(d) => (d.summary.clone(), d.doc_type.swedish().to_string()),
                PageKind::Plain(p) => (p.summary.clone(), "sida".to_string()),
            };
            json!({
                "title": page.title(),
                "address": format!("{base}{}", page.url),
                "date": atom_date(date),
                "category": category,
                "summary": summary,
                "author": page.document().map(|d| d.organisation.clone()),
            })
        })
        .collect();
    json!({
        "language": site.config.language,
        "title": site.config.title,
        "base_url": base,
        "updated": updated,
        "author": author,
        "entries": entries,
    })
}

fn robots(base: Option<&str>) -> String {
    match base {
        Some(base) => format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::render::test_site::{self, Built};

    /// The project's own content with a base_url (it has none of its own), in a copy.
    fn built() -> Built {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["content", "themes"] {
            copy(&root.join(folder), &dir.path().join(folder));
        }
        let site_yaml = dir.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&site_yaml).expect("site.yaml");
        std::fs::write(
            &site_yaml,
            format!("base_url: \"https://www.example.org/avtal/\"\n{text}"),
        )
        .expect("site.yaml");
        built_from(dir.path())
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("folder");
        for entry in std::fs::read_dir(from).expect("read folder").flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().expect("file type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }

    fn built_from(root: &Path) -> Built {
        let options = RenderOptions {
            build_date: "2026-11-27".into(),
            ..RenderOptions::default()
        };
        test_site::built(root, &options)
    }

    #[test]
    fn without_base_url_only_robots_txt_is_written() {
        let built = built_from(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(
            built.site.config.base_url.is_none(),
            "the real content has none"
        );
        assert_eq!(file(&built, "robots.txt"), "User-agent: *\nAllow: /\n");
        for name in ["sitemap.xml", "atom.xml"] {
            assert!(
                built.files.iter().all(|f| f.path != name),
                "{name} is written"
            );
        }
    }

    fn file<'a>(built: &'a Built, name: &str) -> &'a str {
        let file = built
            .files
            .iter()
            .find(|f| f.path == name)
            .unwrap_or_else(|| panic!("{name} is written"));
        std::str::from_utf8(&file.bytes).expect("utf-8")
    }

    /// Every HTML page and every Akoma Ntoso file the build wrote, once each, and
    /// nothing else (not the 404 page, nor the JSON and the search index).
    #[test]
    fn sitemap_lists_every_html_page_and_akoma_ntoso_file_once_with_absolute_addresses() {
        let built = built();
        let sitemap = file(&built, "sitemap.xml");
        let base = built.site.config.base_url.as_deref().expect("a base_url");
        let mut expected: Vec<String> = built
            .files
            .iter()
            .filter_map(|f| {
                let page = f.path.strip_suffix("index.html");
                let export = f.path.ends_with(".akn.xml").then_some(f.path.as_str());
                Some(format!("{base}{}", page.or(export)?))
            })
            .collect();
        expected.sort();
        let locs: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect();
        assert_eq!(locs, expected);
        assert!(locs.iter().any(|l| l.contains("/jamfor/")));
        let exports = locs.iter().filter(|l| l.ends_with(".akn.xml")).count();
        let versions_and_documents = built
            .site
            .pages
            .iter()
            .filter(|p| p.version().is_some() || p.document().is_some())
            .count();
        assert_eq!(exports, versions_and_documents);
        assert!(!sitemap.contains("404.html"));
    }

    #[test]
    fn feed_has_versions_and_documents_newest_first() {
        let built = built();
        let feed = file(&built, "atom.xml");
        let expected = built
            .site
            .pages
            .iter()
            .filter(|p| !matches!(p.kind, PageKind::Plain(_)) && p.date().is_some())
            .count();
        assert_eq!(feed.matches("<entry>").count(), expected);
        assert!(feed.contains("<updated>2026-11-27T00:00:00Z</updated>"));
        let dates: Vec<&str> = feed
            .split("<published>")
            .skip(1)
            .filter_map(|s| s.split("</published>").next())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);
        let base = built.site.config.base_url.as_deref().unwrap_or_default();
        for page in built.site.pages.iter().filter(|p| p.version().is_some()) {
            let id = format!("<id>{base}{}</id>", page.url);
            assert!(feed.contains(&id), "{id} in feed");
        }
    }

    #[test]
    fn robots_points_to_the_sitemap() {
        assert_eq!(
            robots(Some("https://example.org/a/")),
            "User-agent: *\nAllow: /\nSitemap: https://example.org/a/sitemap.xml\n"
        );
        assert_eq!(robots(None), "User-agent: *\nAllow: /\n");
    }

    /// An `avtal init` site whose title has every character XML escapes and whose
    /// decision has an empty summary, built with the theme built into the binary: the
    /// feed and the sitemap byte for byte as `tests/fixtures/feeds/` has them (written
    /// by the build before the templates, with `format!`; the sitemap's Akoma Ntoso
    /// files added since).
    #[test]
    fn the_templates_write_the_feed_and_sitemap_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        // The files `avtal init` writes, copied from its folder (render may not use `init`,
        // which stands above it).
        let init = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/site/content");
        for entry in walkdir::WalkDir::new(&init) {
            let entry = entry.expect("src/init/site is readable");
            let relative = entry.path().strip_prefix(&init).expect("below the folder");
            let target = dir.path().join("content").join(relative);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("folder");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
        let edit = |file: &str, from: &str, to: &str| {
            let path = dir.path().join(file);
            let text = std::fs::read_to_string(&path).expect("init wrote it");
            assert!(text.contains(from), "{file} has {from}");
            std::fs::write(&path, text.replace(from, to)).expect("write");
        };
        edit(
            "content/site.yaml",
            r#"title: "Samarbetsavtal mellan Norrby och Söderby""#,
            r#"title: 'Norrby & Söderby''s "avtal" <e-arkiv>'"#,
        );
        edit(
            "content/dokument/norrby-beslut-2025.md",
            "summary: \"Kommunstyrelsen i Norrby godkänner det reviderade samarbetsavtalet med Söderby kommun.\"",
            "summary: \"\"",
        );
        let built = built_from(dir.path());
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
        for name in ["atom.xml", "sitemap.xml"] {
            let expected = std::fs::read_to_string(fixtures.join(name)).expect("fixture");
            assert_eq!(file(&built, name), expected, "{name}");
        }
    }
}
