//! sitemap.xml, the Atom feed of documents and versions, and robots.txt.
//!
//! All three carry absolute addresses built from `base_url`: crawlers and feed readers
//! resolve nothing relative to the file they fetched. Without `base_url` there is no
//! address to give, so only robots.txt is written, without a sitemap.

use super::RenderOptions;
use crate::content::meta::IsoDate;
use crate::model::{Page, PageKind, Site};
use crate::output::OutputFile;

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

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
pub fn files(site: &Site, options: &RenderOptions, page_urls: &[&str]) -> Vec<OutputFile> {
    let Some(base) = &site.config.base_url else {
        return vec![OutputFile::new(ROBOTS, robots(None))];
    };
    vec![
        OutputFile::new(SITEMAP, sitemap(base, page_urls)),
        OutputFile::new(FEED, feed(site, base, options)),
        OutputFile::new(ROBOTS, robots(Some(base))),
    ]
}

fn sitemap(base: &str, page_urls: &[&str]) -> String {
    let mut urls: Vec<&str> = page_urls.to_vec();
    urls.sort_unstable();
    urls.dedup();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{url}"))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// The feed carries at most this many entries, the newest: a reader polls it for news,
/// not for the archive (all of it is on the site). The real site has fewer.
pub const FEED_ENTRIES: usize = 100;

/// Newest first: the agreement's versions and the documents around it, each with the
/// date its source gives; at most [`FEED_ENTRIES`] of them.
fn feed(site: &Site, base: &str, options: &RenderOptions) -> String {
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
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>Nya dokument och versioner</subtitle>\n  <id>{base}</id>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{base}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}atom.xml\"/>\n  <updated>{updated}</updated>\n  <author><name>{author}</name></author>\n",
        lang = xml_escape(&site.config.language),
        title = xml_escape(&site.config.title),
        base = xml_escape(base),
        author = xml_escape(&author),
    );
    for (page, date) in entries {
        let (summary, category) = match &page.kind {
            PageKind::Version(v) => (v.summary.clone(), format!("version {}", v.version)),
            PageKind::Document(d) => (d.summary.clone(), d.doc_type.swedish().to_string()),
            PageKind::Plain(p) => (p.summary.clone(), "sida".to_string()),
        };
        let address = xml_escape(&format!("{base}{}", page.url));
        let date = atom_date(date);
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{address}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{address}\"/>\n    <published>{date}</published>\n    <updated>{date}</updated>\n    <category term=\"{}\"/>\n",
            xml_escape(page.title()),
            xml_escape(&category),
        ));
        if let Some(summary) = summary {
            out.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&summary)
            ));
        }
        if let Some(document) = page.document() {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(&document.organisation)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
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
    use crate::pipeline;

    /// The project's own content with a base_url (it has none of its own), in a copy.
    fn built() -> pipeline::Built {
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

    fn built_from(root: &Path) -> pipeline::Built {
        let options = RenderOptions {
            build_date: "2026-11-27".into(),
            ..RenderOptions::default()
        };
        match pipeline::build(root, &options) {
            Ok(built) => built,
            Err(problems) => panic!("{} must build: {problems:?}", root.display()),
        }
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

    fn file<'a>(built: &'a pipeline::Built, name: &str) -> &'a str {
        let file = built
            .files
            .iter()
            .find(|f| f.path == name)
            .unwrap_or_else(|| panic!("{name} is written"));
        std::str::from_utf8(&file.bytes).expect("utf-8")
    }

    #[test]
    fn sitemap_lists_every_html_page_once_with_absolute_addresses() {
        let built = built();
        let sitemap = file(&built, "sitemap.xml");
        let base = built.site.config.base_url.as_deref().expect("a base_url");
        let html_pages: Vec<String> = built
            .files
            .iter()
            .filter(|f| f.path.ends_with("index.html"))
            .map(|f| format!("{base}{}", f.path.trim_end_matches("index.html")))
            .collect();
        let locs: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .collect();
        assert_eq!(locs.len(), html_pages.len());
        for page in &html_pages {
            assert!(locs.contains(&page.as_str()), "{page} missing from sitemap");
        }
        assert!(locs.iter().any(|l| l.contains("/jamfor/")));
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
        for page in built.site.pages.iter().filter(|p| p.version().is_some()) {
            let id = format!(
                "<id>{}</id>",
                xml_escape(&format!(
                    "{}{}",
                    built.site.config.base_url.as_deref().unwrap_or_default(),
                    page.url
                ))
            );
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

    #[test]
    fn escapes_xml_special_characters() {
        assert_eq!(
            xml_escape("a & <b> \"c\" 'd'"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }
}
