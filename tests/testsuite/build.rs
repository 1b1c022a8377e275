//! Builds the real content/ and checks the site a reader gets.

use crate::support;

use support::*;

#[test]
fn real_content_builds_every_page_with_resolving_links() {
    let (_guard, out) = build(&repo_root());
    // A page for every content file.
    for entry in walkdir::WalkDir::new(repo_root().join("content"))
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let relative = path
            .strip_prefix(repo_root().join("content"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let expected = if text.contains("\nkind: version\n") {
            let version = text
                .lines()
                .find_map(|l| l.strip_prefix("version: "))
                .unwrap()
                .trim_matches('"');
            let work = text.lines().find_map(|l| l.strip_prefix("work: ")).unwrap();
            out.join(work).join(version).join("index.html")
        } else {
            out.join(relative.trim_end_matches(".md"))
                .join("index.html")
        };
        assert!(
            expected.is_file(),
            "no page for {relative} at {}",
            expected.display()
        );
    }
    let broken = broken_links(&out);
    assert!(broken.is_empty(), "broken internal links: {broken:#?}");
}

#[test]
fn version_pages_carry_every_clause_anchor_and_title() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(html.contains(
        "<title>Överenskommelse om samverkan mellan kommuner i Stockholms län gällande nyanlända"
    ));
    assert!(html.contains("<html lang=\"sv\">"));
    let ids = attributes(&html, "id");
    for clause in ["utgangspunkter", "P1", "P5", "P10", "P11", "P5S2", "P5S2N3"] {
        assert!(
            ids.iter().any(|i| i == clause),
            "2013 page lacks id {clause}"
        );
    }
    let ids_2009 = attributes(
        &std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap(),
        "id",
    );
    for clause in ["definition", "utgangspunkter", "P1", "P7"] {
        assert!(
            ids_2009.iter().any(|i| i == clause),
            "2009 page lacks id {clause}"
        );
    }
}

#[test]
fn ids_are_unique_on_every_page() {
    let (_guard, out) = build(&repo_root());
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        let mut ids = attributes(&html, "id");
        let total = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), total, "duplicate ids on {}", page.display());
    }
}

#[test]
fn built_pages_have_no_live_reload_and_work_under_a_sub_path() {
    let (_guard, out) = build(&repo_root());
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains("EventSource"),
            "{} has the live-reload script",
            page.display()
        );
        // Links between pages are relative, so no href points at the site root.
        for href in attributes(&html, "href") {
            if page.file_name().is_some_and(|n| n == "404.html") {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{} links to {href} from the root",
                page.display()
            );
        }
    }
    // The real content has no base_url: the 404 page takes the site to be at the root.
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/static/style.css\""),
        "404 uses the server root for assets"
    );
}

#[test]
fn the_404_page_uses_the_path_of_base_url() {
    let site =
        std::fs::read_to_string(repo_root().join("tests/fixtures/synthetic/content/site.yaml"))
            .unwrap();
    let dir = temp_site(&[]);
    std::fs::write(
        dir.path().join("content/site.yaml"),
        site.replace(
            "base_url: \"https://example.org/\"",
            "base_url: \"https://example.org/avtal/\"",
        ),
    )
    .unwrap();
    let (_guard, out) = build(dir.path());
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains("href=\"/avtal/static/style.css\""));
    let page = std::fs::read_to_string(out.join("avtal/2024/index.html")).unwrap();
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.org/avtal/avtal/2024/\">")
    );
    assert!(page.contains("Permanent adress: <span class=\"permanent-address\">https://example.org/avtal/avtal/2024/</span>"));
    assert!(out.join("sitemap.xml").is_file() && out.join("atom.xml").is_file());
}

#[test]
fn without_base_url_no_address_is_made_up() {
    let (_guard, out) = build(&repo_root());
    for file in walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(file.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("example.se"),
            "{} names example.se",
            file.path().display()
        );
    }
    for name in ["sitemap.xml", "atom.xml"] {
        assert!(
            !out.join(name).exists(),
            "{name} without an address to give"
        );
    }
    let page = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(!page.contains("rel=\"canonical\"") && !page.contains("og:url"));
    assert!(
        !page.contains("atom.xml"),
        "no link to a feed that is not there"
    );
    // The printed address comes from where the page is read (site.js), not made up.
    assert!(page.contains("<p class=\"print-address\" data-location hidden>"));
    let check = avtal(&["check", "--root", repo_root().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("the site has no base_url"), "{stderr}");
}

#[test]
fn typography_is_swedish() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap();
    assert!(
        html.contains("26 mars 2009"),
        "dates are written in Swedish"
    );
    assert!(html.contains("datetime=\"2009-03-26\""), "and ISO in data");
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains('“') && !html.contains('“'),
            "{} has English quotes",
            page.display()
        );
    }
}

/// A small site in a temporary folder: the synthetic fixture's content plus extra files.
fn temp_site(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo_root().join("tests/fixtures/synthetic/content");
    std::fs::create_dir_all(dir.path().join("content/avtal")).unwrap();
    for file in [
        "site.yaml",
        "avtal/2020.md",
        "avtal/2022.md",
        "avtal/2024.md",
    ] {
        std::fs::copy(fixture.join(file), dir.path().join("content").join(file)).unwrap();
    }
    // A copy: a link out of the site folder is refused.
    copy_dir(
        &repo_root().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    for (path, text) in extra {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    dir
}

#[test]
fn a_named_theme_overrides_single_templates() {
    let site =
        std::fs::read_to_string(repo_root().join("tests/fixtures/synthetic/content/site.yaml"))
            .unwrap();
    let dir = temp_site(&[
        (
            "themes/kommun/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Egen 404</h1>{% endblock content %}",
        ),
        ("themes/kommun/static/extra.css", "body{}"),
    ]);
    std::fs::write(
        dir.path().join("content/site.yaml"),
        site.replacen("title:", "theme: kommun\ntitle:", 1),
    )
    .unwrap();
    let (_guard, out) = build(dir.path());
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("<h1>Egen 404</h1>"),
        "the override is used"
    );
    assert!(
        not_found.contains("static/style.css"),
        "the default base template is still used"
    );
    assert!(out.join("static/extra.css").is_file() && out.join("static/style.css").is_file());
    let version = std::fs::read_to_string(out.join("avtal/2024/index.html")).unwrap();
    assert!(
        version.contains("id=\"P3\""),
        "templates not overridden come from the default theme"
    );
}

#[test]
fn bom_and_crlf_files_build_with_the_same_ids() {
    let text = "\u{feff}---\r\nkind: document\r\ntype: beslut\r\ntitle: \"Beslut\"\r\norganisation: \"Kommunen\"\r\ndate: 2024-05-01\r\nsource: { file: x, body: y, editorial: z }\r\n---\r\n## §1 Första\r\n\r\nEtt stycke.\r\n\r\n1. ett\r\n2. två\r\n\r\n### Djupare rubrik\r\n\r\nAndra stycket.\r\n";
    let dir = temp_site(&[("content/dokument/beslut.md", text)]);
    let (_guard, out) = build(dir.path());
    let html = std::fs::read_to_string(out.join("dokument/beslut/index.html")).unwrap();
    for id in ["P1", "P1S1", "P1S1N2", "P1S2"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "missing {id}");
    }
    assert!(!html.contains('\r') && !html.contains('\u{feff}'));
}

#[test]
fn a_wrongly_typed_field_names_file_line_and_field() {
    let text = "---\nkind: document\ntype: beslut\ntitle: \"Beslut\"\norganisation: \"Kommunen\"\ndate: 2024-02-30\nsource: { file: x, body: y, editorial: z }\n---\nText.\n";
    let dir = temp_site(&[("content/dokument/beslut.md", text)]);
    let output = avtal(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/dokument/beslut.md:6:"), "{stderr}");
    assert!(stderr.contains("februari has no day 30"), "{stderr}");
}

/// The section of `html` with id `id` (a clause), up to the next clause.
fn clause_section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<section class=\"clause\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no clause {id}"));
    let end = html[start + 1..]
        .find("<section class=\"clause\"")
        .map_or(html.len(), |n| start + 1 + n);
    &html[start..end]
}

#[test]
fn status_is_what_the_sources_say_with_each_step_linked_to_its_source() {
    let (_guard, out) = build(&repo_root());
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).unwrap();
        // No source says any version is "gällande", nor that 2009 was replaced.
        for phrase in [
            "badge-gällande",
            "Gällande",
            "inte den gällande",
            ">gällande<",
            "ersatt</span>",
        ] {
            assert!(!html.contains(phrase), "{} says {phrase:?}", page.display());
        }
        if page.ends_with("404.html") {
            continue;
        }
        assert!(
            html.contains(
                "Senast antagna version av Samverkansöverenskommelsen enligt källorna: <a href=\""
            ) && html.contains("Senare förslag: <a href=\"")
                && html
                    .contains("(rekommenderad 5 juni 2013); källorna visar inte att det antogs."),
            "{} lacks the banner",
            page.display()
        );
    }
    let v2013 = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(v2013.contains("Källorna visar inte att det här förslaget antogs."));
    assert!(v2013.contains("<span class=\"badge badge-proposal\">förslag</span>"));
    assert!(
        v2013.contains("datum saknas i källan"),
        "the Ekerö step has no date"
    );
    assert!(v2013.contains("href=\"../../dokument/ekero-beslut-2013/#beslutsunderlagS1N5\""));
    assert!(
        !v2013.contains("gäller från <time"),
        "no source gives a date it applies from"
    );
    let v2009 = std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap();
    assert!(v2009.contains("<strong>Senast antagna version enligt källorna.</strong>"));
    assert!(v2009.contains("href=\"../../dokument/ksl-2012-revidering/#arendebeskrivningS2\""));
    let v2008 = std::fs::read_to_string(out.join("overenskommelse/2008/index.html")).unwrap();
    assert!(
        v2008.contains(
            "<strong>Det här är 2008 års förslag.</strong> Enligt källorna antogs senare"
        )
    );
}

#[test]
fn a_clause_of_an_earlier_version_says_what_became_of_it() {
    let (_guard, out) = build(&repo_root());
    let v2009 = std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap();
    let p5 = clause_section(&v2009, "P5");
    let fate = &p5[p5.find("<p class=\"clause-fate\">").expect("a note on P5")..];
    let fate = &fate[..fate.find("</p>").unwrap()];
    assert!(
        fate.starts_with("<p class=\"clause-fate\">I 2013 års förslag: "),
        "{fate}"
    );
    assert!(fate.contains("<a href=\"../../overenskommelse/2013/#P6\">§ 6</a> och <a href=\"../../overenskommelse/2013/#P8\">§ 8</a>"), "{fate}");
    assert!(
        fate.contains("href=\"../../overenskommelse/jamfor/2009-2013/#till-P6\">delad</a>"),
        "{fate}"
    );
    // Right under the heading, so that a link to the clause lands on it.
    assert!(p5.find("clause-fate").unwrap() < p5.find("clause-body").unwrap());
    // The latest version has no later one to speak of.
    let v2013 = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(!v2013.contains("clause-fate"));
}

#[test]
fn the_adoption_table_lists_the_municipalities_the_sources_name_and_says_so() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("antaganden/index.html")).unwrap();
    let rows = html.matches("<tr><th scope=\"row\">").count();
    assert_eq!(rows, 11, "the eleven municipalities the sources name");
    assert!(html.contains("Tabellen har en rad för varje kommun som källorna namnger"));
    assert!(html.contains("href=\"../dokument/ksl-2012-revidering/#arendebeskrivningS6\""));
    assert!(
        !html.contains("Vallentuna"),
        "a municipality no source names"
    );
}

#[test]
fn a_clause_history_is_named_across_versions_and_leads_to_each_change() {
    let (_guard, out) = build(&repo_root());
    let html =
        std::fs::read_to_string(out.join("overenskommelse/historik/2009-P5/index.html")).unwrap();
    assert!(html.contains("<h1>Historik: 2009 § 5 → 2013 § 6 och § 8</h1>"));
    assert!(html.contains(
        "Jämfört med 2009: <a href=\"../../../overenskommelse/jamfor/2009-2013/#till-P6\">§ 5 → § 6 och § 8</a> (delad)"
    ));
}

#[test]
fn every_stycke_and_item_links_to_itself_named_as_it_is_cited() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    let item = &html[html.find("<li id=\"P5S2N7\">").expect("§ 5 item 7")..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(
        item.ends_with("<a class=\"pin\" href=\"#P5S2N7\" data-cite=\"Samverkansöverenskommelsen (2013) § 5 andra stycket punkt 7\"><span aria-hidden=\"true\">¶</span><span class=\"visually-hidden\">§ 5 andra stycket punkt 7</span></a>"),
        "{item}"
    );
    assert!(html.contains("<a class=\"pin\" href=\"#P5S1\" data-cite=\"Samverkansöverenskommelsen (2013) § 5 första stycket\">"));
    // A clause of one stycke: its items without the stycke, as Swedish citations go.
    let v2009 = std::fs::read_to_string(out.join("overenskommelse/2009/index.html")).unwrap();
    assert!(v2009.contains(
        "data-cite=\"Samverkansöverenskommelsen (2009) Utgångspunkter, tredje stycket\""
    ));
    assert!(html.contains("data-cite=\"Samverkansöverenskommelsen (2013) § 5\" hidden>"));
}

#[test]
fn the_start_page_leads_to_the_text_that_applies_and_lists_versions_newest_first() {
    let (_guard, out) = build(&repo_root());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let links = &html[html
        .find("<div class=\"start-links\">")
        .expect("the start links")..];
    assert!(links.starts_with(
        "<div class=\"start-links\">\n  <a class=\"button primary\" href=\"overenskommelse/2009/\">Läs 2009 års version<span class=\"button-note\">senast antagen enligt källorna</span></a>"
    ), "{}", &links[..300]);
    assert!(
        links.contains("<a class=\"button\" href=\"overenskommelse/2013/\">Läs 2013 års förslag")
    );
    let list = &html[html.find("<ul class=\"version-list\">").unwrap()..];
    let order: Vec<usize> = [
        "<strong>2013</strong>",
        "<strong>2009</strong>",
        "<strong>2008</strong>",
    ]
    .iter()
    .map(|v| list.find(v).unwrap())
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    let v2013 = std::fs::read_to_string(out.join("overenskommelse/2013/index.html")).unwrap();
    assert!(
        v2013.contains("gällande nyanlända (2013) – "),
        "the title carries the version"
    );
}
