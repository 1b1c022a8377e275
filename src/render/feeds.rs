//! sitemap.xml, the Atom feed of documents and versions, and robots.txt.

use super::RenderOptions;
use crate::model::Site;
use crate::output::OutputFile;

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn files(site: &Site, options: &RenderOptions) -> Vec<OutputFile> {
    let base = &site.config.base_url;
    let mut urls: Vec<String> = vec![String::new(), "tidslinje/".into()];
    if site.adoptions.is_some() {
        urls.push("antaganden/".into());
    }
    urls.extend(site.works.iter().map(|w| format!("{}/", w.id)));
    urls.extend(site.pages.iter().map(|p| p.url.clone()));
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in &urls {
        sitemap.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{url}"))
        ));
    }
    sitemap.push_str("</urlset>\n");

    let mut entries: Vec<&crate::model::Page> =
        site.pages.iter().filter(|p| p.date().is_some()).collect();
    entries.sort_by_key(|p| std::cmp::Reverse(p.date()));
    let updated = format!("{}T00:00:00Z", options.build_date);
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <updated>{}</updated>\n",
        xml_escape(&site.config.language),
        xml_escape(&site.config.title),
        xml_escape(base),
        xml_escape(base),
        xml_escape(base),
        updated
    );
    for page in entries {
        let date = page
            .date()
            .map(|d| {
                let month = d.month.unwrap_or(1);
                let day = d.day.unwrap_or(1);
                format!("{:04}-{month:02}-{day:02}T00:00:00Z", d.year)
            })
            .unwrap_or_else(|| updated.clone());
        let summary = match &page.kind {
            crate::model::PageKind::Version(v) => v.summary.clone(),
            crate::model::PageKind::Document(d) => d.summary.clone(),
            crate::model::PageKind::Plain(p) => p.summary.clone(),
        }
        .unwrap_or_default();
        feed.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{date}</updated>\n    <summary>{}</summary>\n    <author><name>{}</name></author>\n  </entry>\n",
            xml_escape(page.title()), xml_escape(&format!("{base}{}", page.url)), xml_escape(&format!("{base}{}", page.url)), xml_escape(&summary),
            xml_escape(&page.document().map(|d| d.organisation.clone()).or_else(|| site.config.publisher.clone()).unwrap_or_else(|| site.config.title.clone()))
        ));
    }
    feed.push_str("</feed>\n");
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    vec![
        OutputFile::new("sitemap.xml", sitemap),
        OutputFile::new("atom.xml", feed),
        OutputFile::new("robots.txt", robots),
    ]
}
