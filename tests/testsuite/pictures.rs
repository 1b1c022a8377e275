//! The pictures drawn from the real content: the lineage map shows every clause and
//! exactly the lineage, its links land on existing anchors, and the timeline is to scale.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support;
use support::{copy_dir, resolve};

use avtal::model::meta::IsoDate;
use avtal::model::{Page, Site};
use avtal::pipeline::{self, Built};
use avtal::render::{RenderOptions, pictures};
use serde_json::Value;

fn build(root: &Path) -> Built {
    match pipeline::build(root, &RenderOptions::default()) {
        Ok(built) => built,
        Err(problems) => panic!("the site does not build: {problems:?}"),
    }
}

fn real_site() -> Built {
    build(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn version(page: &Page) -> String {
    page.version()
        .map(|v| v.version.clone())
        .unwrap_or_default()
}

/// The figure's markup as XML: it must be well-formed, which also proves the escaping.
fn parse(html: &str) -> roxmltree::Document<'_> {
    match roxmltree::Document::parse(html) {
        Ok(doc) => doc,
        Err(err) => panic!("picture is not well-formed: {err}\n{html}"),
    }
}

fn svg_of(value: &Value) -> String {
    value["svg"]
        .as_str()
        .expect("a lineage map is an object with `svg`")
        .to_string()
}

fn file<'a>(built: &'a Built, path: &str) -> &'a str {
    let file = built
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no built file {path}"));
    std::str::from_utf8(&file.bytes).expect("HTML is UTF-8")
}

fn assert_lands(built: &Built, from: &str, href: &str) {
    let (target, anchor) = resolve(from, href);
    let html = file(built, &target);
    assert!(
        html.contains(&format!("id=\"{anchor}\"")),
        "{href} from {from}: {target} has no id {anchor}"
    );
}

fn attribute_set(doc: &roxmltree::Document, name: &str) -> BTreeSet<String> {
    doc.descendants()
        .filter_map(|n| n.attribute(name))
        .map(String::from)
        .collect()
}

fn lines(doc: &roxmltree::Document) -> BTreeSet<(String, String)> {
    doc.descendants()
        .filter(|n| n.has_attribute("data-from"))
        .map(|n| {
            (
                n.attribute("data-from").unwrap_or_default().to_string(),
                n.attribute("data-to").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn all_clauses(site: &Site, pages: &[usize]) -> BTreeSet<String> {
    pages
        .iter()
        .flat_map(|&p| {
            let page = &site.pages[p];
            page.body
                .clauses
                .iter()
                .map(move |c| format!("{}/{}", version(page), c.id))
        })
        .collect()
}

#[test]
fn work_map_shows_every_clause_and_exactly_the_lineage() {
    let built = real_site();
    let (site, alignment) = (&built.site, &built.alignment);
    for work in &site.works {
        let url = format!("{}/", work.id);
        let html = svg_of(&pictures::lineage_map(site, alignment, work, &url));
        let doc = parse(&html);

        assert_eq!(
            attribute_set(&doc, "data-clause"),
            all_clauses(site, &work.versions),
            "one box per clause of every version"
        );

        let mut declared = BTreeSet::new();
        for step in alignment.steps.iter().filter(|s| s.work == work.id) {
            let (vf, vt) = (
                version(&site.pages[step.from_page]),
                version(&site.pages[step.to_page]),
            );
            for group in &step.groups {
                for from in &group.from {
                    for to in &group.to {
                        declared.insert((format!("{vf}/{from}"), format!("{vt}/{to}")));
                    }
                }
            }
        }
        assert!(!declared.is_empty());
        assert_eq!(lines(&doc), declared, "exactly the lines the lineage has");

        // Every box and line is a link that lands on an existing anchor.
        let links: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_attribute("data-clause") || n.has_attribute("data-from"))
            .map(|n| n.attribute("href").expect("boxes and lines are links"))
            .collect();
        assert_eq!(
            links.len(),
            attribute_set(&doc, "data-clause").len() + lines(&doc).len()
        );
        for href in links {
            assert_lands(&built, &url, href);
        }

        // The picture is on the work page as markup, not as escaped text.
        let page = file(&built, &format!("{}/index.html", work.id));
        assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage-svg\""));
        assert!(!page.contains("&lt;svg"));
    }
}

/// The acceptance case of issue #9: 2009 § 2 became 2013 § 10 and 2009 § 1 split in
/// two, and the line leads to that pair on the comparison page.
#[test]
fn renumbering_and_split_of_2013_are_visible_and_linked() {
    let built = real_site();
    let (site, alignment) = (&built.site, &built.alignment);
    let work = site.work("overenskommelse").expect("the work");
    let html = svg_of(&pictures::lineage_map(
        site,
        alignment,
        work,
        "overenskommelse/",
    ));
    let doc = parse(&html);
    let mut targets: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for n in doc.descendants().filter(|n| n.has_attribute("data-from")) {
        targets
            .entry(n.attribute("data-from").unwrap_or_default().into())
            .or_default()
            .push((
                n.attribute("data-to").unwrap_or_default().into(),
                n.attribute("href").unwrap_or_default().into(),
            ));
    }
    let renumbered = &targets["2009/P2"];
    assert_eq!(renumbered.len(), 1, "{renumbered:?}");
    assert_eq!(renumbered[0].0, "2013/P10");
    assert_eq!(
        resolve("overenskommelse/", &renumbered[0].1),
        (
            "overenskommelse/jamfor/2009-2013/index.html".to_string(),
            "till-P10".to_string()
        )
    );
    let split: BTreeSet<&str> = targets["2009/P1"].iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(split, BTreeSet::from(["2013/P2", "2013/P5"]));
    // § 2 → § 10 crosses the lines of § 3 … § 7, which keep their order downwards.
    let y_of = |clause: &str| -> f64 {
        let a = doc
            .descendants()
            .find(|n| n.attribute("data-clause") == Some(clause))
            .unwrap_or_else(|| panic!("box {clause}"));
        let rect = a
            .children()
            .find(|c| c.has_tag_name("rect"))
            .expect("box rect");
        rect.attribute("y")
            .and_then(|y| y.parse().ok())
            .expect("numeric y")
    };
    assert!(y_of("2009/P2") < y_of("2009/P3"));
    assert!(y_of("2013/P10") > y_of("2013/P4"));
}

#[test]
fn comparison_maps_link_each_line_to_its_row() {
    let built = real_site();
    let (site, alignment) = (&built.site, &built.alignment);
    assert!(!alignment.comparisons.is_empty());
    for comparison in &alignment.comparisons {
        let work = site.work(&comparison.work).expect("work");
        let (vf, vt) = (
            version(&site.pages[comparison.from_page]),
            version(&site.pages[comparison.to_page]),
        );
        let url = format!("{}/jamfor/{vf}-{vt}/", work.id);
        let value = pictures::comparison_map(site, comparison, &url);
        let html = svg_of(&value);
        let doc = parse(&html);
        assert_eq!(
            attribute_set(&doc, "data-clause"),
            all_clauses(site, &[comparison.from_page, comparison.to_page])
        );
        // Every pair with clauses on both sides has at least one line, and every line
        // joins clauses of one pair.
        let drawn = lines(&doc);
        for pair in &comparison.pairs {
            if pair.from.is_empty() || pair.to.is_empty() {
                continue;
            }
            assert!(
                drawn.iter().any(|(f, t)| {
                    pair.from.contains(&f[vf.len() + 1..].to_string())
                        && pair.to.contains(&t[vt.len() + 1..].to_string())
                }),
                "no line for {:?} → {:?} in {vf}-{vt}",
                pair.from,
                pair.to
            );
        }
        for n in doc.descendants().filter(|n| n.has_attribute("data-from")) {
            let href = n.attribute("href").unwrap_or_default();
            assert!(href.starts_with("#till-"), "{href}");
            assert_lands(&built, &url, href);
        }
        let page = file(&built, &format!("{url}index.html"));
        assert!(page.contains("class=\"lineage-svg\""));
    }
}

/// Years as a number, counted by the test itself from days in months.
fn year_fraction(date: IsoDate) -> f64 {
    let y = date.year;
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let lengths = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let month = usize::from(date.month.unwrap_or(1));
    let days: u32 = lengths[..month - 1].iter().sum::<u32>() + u32::from(date.day.unwrap_or(1)) - 1;
    f64::from(date.year) + f64::from(days) / lengths.iter().sum::<u32>() as f64
}

#[test]
fn timeline_marks_every_event_to_scale_and_links_it() {
    let built = real_site();
    let site = &built.site;
    let url = "tidslinje/";
    let html = pictures::timeline_svg(site, url)["figure"]
        .as_str()
        .expect("the timeline has its figure as an HTML string")
        .to_string();
    let doc = parse(&html);
    let marks: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("mark event"))
        .collect();
    let events = pictures::timeline_events(site);
    assert_eq!(marks.len(), events.len(), "one mark per event");
    let mut points: Vec<(f64, f64)> = Vec::new();
    for (mark, (date, _, source)) in marks.iter().zip(&events) {
        assert_eq!(mark.attribute("data-date"), Some(date.to_string().as_str()));
        let href = mark.attribute("href").expect("events are links");
        let (target, _) = resolve(url, href);
        assert_eq!(target, format!("{}index.html", site.pages[*source].url));
        if date.day.is_some() {
            let circle = mark
                .children()
                .find(|c| c.has_tag_name("circle"))
                .expect("a day is a dot");
            let x: f64 = circle
                .attribute("cx")
                .and_then(|x| x.parse().ok())
                .expect("cx");
            points.push((year_fraction(*date), x));
        }
    }
    // To scale: x grows linearly with the date (within the rounding to 0.1 px).
    assert!(points.len() >= 2);
    let (first, last) = (points[0], points[points.len() - 1]);
    let per_year = (last.1 - first.1) / (last.0 - first.0);
    assert!(per_year > 50.0, "a year is wide enough to see: {per_year}");
    for (year, x) in &points {
        let expected = first.1 + (year - first.0) * per_year;
        assert!(
            (x - expected).abs() < 0.2,
            "{year}: x {x}, expected {expected}"
        );
    }
    // Every version and document is marked too.
    let documents = doc
        .descendants()
        .filter(|n| matches!(n.attribute("class"), Some("mark version" | "mark document")))
        .count();
    assert_eq!(
        documents,
        site.pages
            .iter()
            .filter(|p| p.version().is_some() || p.document().is_some())
            .count()
    );
    let page = file(&built, "tidslinje/index.html");
    assert!(page.contains("class=\"timeline-svg\""));
}

/// Headings with `&`, quotes and `<` in a copy of the content come out escaped and
/// the picture still parses.
#[test]
fn clause_titles_are_escaped() {
    let root = copy_site("escaping");
    let path = root.join("content/overenskommelse/2013.md");
    let text = std::fs::read_to_string(&path).expect("2013.md");
    let text = text.replace(
        "## § 10 Överenskommelsens parter",
        "## § 10 Parter & ”ombud” a<b",
    );
    std::fs::write(&path, text).expect("write 2013.md");
    let built = build(&root);
    let work = built.site.work("overenskommelse").expect("work");
    let html = svg_of(&pictures::lineage_map(
        &built.site,
        &built.alignment,
        work,
        "overenskommelse/",
    ));
    let doc = parse(&html);
    let label = doc
        .descendants()
        .find(|n| n.attribute("data-clause") == Some("2013/P10"))
        .and_then(|n| n.attribute("aria-label"))
        .expect("box of § 10");
    assert!(label.contains("Parter & ”ombud” a<b"), "{label}");
    assert!(html.contains("Parter &amp; ”ombud” a&lt;b"));
    let _ = std::fs::remove_dir_all(&root);
}

fn copy_site(name: &str) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::temp_dir().join(format!("avtal-pictures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for folder in ["content", "themes"] {
        copy_dir(&source.join(folder), &root.join(folder));
    }
    root
}

/// Size and time of the timeline on the 10,000-document benchmark corpus
/// (`cargo run --release --example gen-corpus -- 10000 DIR`; default
/// /tmp/avtal-bench/10000/site, or `AVTAL_BENCH_SITE`). Prints, asserts only that the
/// figure exists: `cargo test --release --test pictures -- --ignored --nocapture`.
#[test]
#[ignore = "needs the generated 10,000-document corpus; prints timings"]
fn timeline_at_ten_thousand_documents() {
    let root = std::env::var("AVTAL_BENCH_SITE")
        .unwrap_or_else(|_| "/tmp/avtal-bench/10000/site".to_string());
    let (site, problems) = avtal::content::load(Path::new(&root));
    let site = site.unwrap_or_else(|| panic!("the corpus does not load: {problems:?}"));
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let value = pictures::timeline_svg(&site, "tidslinje/");
        times.push(start.elapsed());
        size = serde_json::to_string(&value).map_or(0, |s| s.len());
    }
    times.sort();
    println!(
        "timeline of {} pages: median {:?} (of {times:?}), {size} bytes of context",
        site.pages.len(),
        times[1]
    );
    assert!(size > 0);
}

/// A year with forty documents is one mark on the timeline, leading to that year's
/// list under the figure, which names and links every one of them; the other years
/// keep their single marks.
#[test]
fn a_full_year_is_one_mark_leading_to_its_list() {
    let root = copy_site("full-year");
    let count = 40;
    for n in 0..count {
        let text = format!(
            "---\nkind: document\ntype: beslut\ntitle: \"Beslut nummer {n}\"\norganisation: \"Kommun {n}\"\ndate: 2011-{:02}-{:02}\nsummary: \"Ett beslut.\"\nsource:\n  file: beslut-{n}.txt\n  body: \"Kommun {n}\"\n  identifiers: []\n  editorial: \"Inga ändringar.\"\n---\n\nBeslutet.\n",
            1 + n % 12,
            1 + n % 28
        );
        std::fs::write(root.join(format!("content/dokument/beslut-{n}.md")), text)
            .expect("write document");
    }
    let built = build(&root);
    let site = &built.site;
    let value = pictures::timeline_svg(site, "tidslinje/");
    let figure = value["figure"].as_str().expect("figure").to_string();
    let doc = parse(&figure);
    let marks: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("mark ")))
        .collect();
    let summaries: Vec<&roxmltree::Node> = marks
        .iter()
        .filter(|n| n.attribute("class") == Some("mark summary"))
        .collect();
    assert_eq!(summaries.len(), 1, "one summary, for 2011's documents");
    assert_eq!(summaries[0].attribute("href"), Some("#ar-2011"));
    let name = summaries[0].attribute("aria-label").unwrap_or_default();
    assert!(name.starts_with("2011: 40 dokument: 40 beslut"), "{name}");
    assert!(
        !marks
            .iter()
            .any(|n| n.attribute("class") == Some("mark document")
                && n.attribute("data-date")
                    .is_some_and(|d| d.starts_with("2011"))),
        "no single document mark in 2011"
    );
    // The other years keep every mark: the real site's versions and documents.
    let singles = marks
        .iter()
        .filter(|n| matches!(n.attribute("class"), Some("mark version" | "mark document")))
        .count();
    assert_eq!(
        singles,
        site.pages
            .iter()
            .filter(|p| p.version().is_some() || p.document().is_some())
            .count()
            - count
    );
    // The page holds the year's list, naming and linking each document.
    let page = file(&built, "tidslinje/index.html");
    assert!(page.contains(r#"<section class="timeline-year" id="ar-2011""#));
    let list = &page[page.find(r#"id="ar-2011""#).expect("the list of 2011")..];
    let list = &list[..list.find("</section>").expect("end of 2011")];
    for n in 0..count {
        assert!(
            list.contains(&format!(
                r#"<a href="../dokument/beslut-{n}/">Beslut nummer {n}</a>"#
            )),
            "2011's list names beslut-{n}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
