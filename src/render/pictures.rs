//! Pictures drawn at build time as inline SVG: the lineage map of clauses across
//! versions and the timeline to scale. Both come from the same data as the text
//! (alignment, events); no layout is left to the browser and no script draws them.

mod lineage;
mod svg;
mod timeline;

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{compare_pages, swedish};
use crate::compare::{Alignment, ChangeKind, Comparison, Pair, Step};
use crate::content::links::relative_url;
use crate::model::body::Clause;
use crate::model::{Page, Site, Work};
use lineage::{BoxSpec, ColumnSpec, LineSpec, MapSpec, change_words, shade};
use svg::escape;

/// The lineage map of a whole work, for its page: every version a column, lines for
/// every step of lineage between them. `Null` for a work with a single version.
pub fn lineage_map(site: &Site, alignment: &Alignment, work: &Work, url: &str) -> Value {
    if work.versions.len() < 2 {
        return Value::Null;
    }
    let columns: Vec<ColumnSpec> = work
        .versions
        .iter()
        .map(|&page| {
            let into = alignment
                .steps
                .iter()
                .find(|s| s.to_page == page)
                .and_then(|s| alignment.comparison(s.from_page, page));
            let out_of: Vec<&Comparison> = alignment
                .steps
                .iter()
                .filter(|s| s.from_page == page)
                .filter_map(|s| alignment.comparison(page, s.to_page))
                .collect();
            column(site, page, url, into, &out_of)
        })
        .collect();
    let column_of = |page: usize| work.versions.iter().position(|&p| p == page);
    let mut lines = Vec::new();
    let mut text = String::new();
    for step in alignment.steps.iter().filter(|s| s.work == work.id) {
        let (Some(from_column), Some(to_column), Some(comparison)) = (
            column_of(step.from_page),
            column_of(step.to_page),
            alignment.comparison(step.from_page, step.to_page),
        ) else {
            continue;
        };
        let href = relative_url(
            url,
            &crate::routes::comparison(
                &work.id,
                version(&site.pages[step.from_page]),
                version(&site.pages[step.to_page]),
            ),
        );
        lines.extend(lines_of(
            site,
            comparison,
            &step_edges(step),
            (from_column, to_column),
            &href,
        ));
        text.push_str(&step_text(site, comparison, &href));
    }
    let versions: Vec<&str> = work
        .versions
        .iter()
        .map(|&p| version(&site.pages[p]))
        .collect();
    let spec = MapSpec {
        id: "karta".into(),
        title: format!(
            "Karta över paragrafernas släktskap i versionerna {}",
            swedish::list(&versions)
        ),
        description: DESCRIPTION.into(),
        caption_html: format!(
            "Versionerna som kolumner och varje avsnitt som en ruta. {READING} Rutan leder till avsnittet, linjen till jämförelsen."
        ),
        text_html: format!(
            r#"<details class="picture-text"><summary>Kartan som text</summary>{text}</details>"#
        ),
        columns,
        lines,
    };
    json!({ "svg": lineage::draw(&spec) })
}

/// The lineage map restricted to the two versions of a comparison; each line leads to
/// its row further down the same page. The lines are the rows' parts, not lineage
/// composed over the steps (see `comparison_edges`).
pub fn comparison_map(site: &Site, comparison: &Comparison, url: &str) -> Value {
    let edges = comparison_edges(site, comparison);
    let columns = vec![
        column(site, comparison.from_page, url, None, &[comparison]),
        column(site, comparison.to_page, url, Some(comparison), &[]),
    ];
    let lines = lines_of(site, comparison, &edges, (0, 1), "");
    let (vf, vt) = (
        version(&site.pages[comparison.from_page]),
        version(&site.pages[comparison.to_page]),
    );
    let spec = MapSpec {
        id: "karta".into(),
        title: format!("Karta: vilka avsnitt i {vf} som blev vilka i {vt}"),
        description: DESCRIPTION.into(),
        caption_html: format!(
            "Version {} till vänster, {} till höger, varje avsnitt som en ruta. {READING} Rutan leder till avsnittet, linjen till raden längre ner. Tabellen Sammanfattning nedan ger samma uppgifter som text.",
            escape(vf),
            escape(vt)
        ),
        text_html: String::new(),
        columns,
        lines,
    };
    json!({ "svg": lineage::draw(&spec) })
}

/// The timeline drawn to scale: `figure` (HTML), `split` and `years`: the text list of
/// every version, document and event by year, or for a split timeline each year's
/// page and what it holds (`Null` when there is nothing dated).
pub fn timeline_svg(site: &Site, url: &str) -> Value {
    timeline::draw(site, url).unwrap_or(Value::Null)
}

pub use timeline::{
    SINGLE_PAGE_LIMIT as TIMELINE_SINGLE_PAGE_LIMIT, Year as TimelineYear,
    events as timeline_events, is_split as timeline_is_split, year_page as timeline_year_page,
    years as timeline_years,
};

const DESCRIPTION: &str = "Varje avsnitt är en ruta och en länk till avsnittet. En linje går från ett avsnitt till det eller de avsnitt i nästa version som fortsätter det, och är en länk till jämförelsen av dem. Linjer som korsar varandra visar att avsnitt bytt nummer; flera linjer från en ruta att avsnittet delats. Ju bredare linje eller ruta och ju starkare kontrast mot bakgrunden, desto mer av texten har ändrats. Streckade linjer är automatiska förslag. Samma uppgifter finns som text på sidan.";

const READING: &str = "En linje går från ett avsnitt till det eller de avsnitt som fortsätter det: korsande linjer visar omnumrering, en solfjäder att ett avsnitt delats. Bredare och med starkare kontrast mot bakgrunden betyder mer ändrad text.";

fn version(page: &Page) -> &str {
    page.version().map_or("", |v| v.version.as_str())
}

/// `§ 2` for a numbered clause; the heading for the others.
fn short_label(clause: &Clause) -> String {
    clause.label()
}

/// `§ 2 Överenskommelsens parter`, or the heading alone.
fn full_label(clause: &Clause) -> String {
    match &clause.number_text {
        Some(_) if !clause.title.is_empty() => format!("{} {}", clause.label(), clause.title),
        _ => clause.label(),
    }
}

fn labels(page: &Page, ids: &[String]) -> String {
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| page.body.clause(id))
        .map(short_label)
        .collect();
    swedish::list(&names)
}

/// One version as a column of boxes. `into` compares it with the version before it
/// (for shades and `ny`); `out_of` with the versions after it (for `utgår`).
fn column(
    site: &Site,
    page_index: usize,
    url: &str,
    into: Option<&Comparison>,
    out_of: &[&Comparison],
) -> ColumnSpec {
    let page = &site.pages[page_index];
    let version = version(page).to_string();
    let href = relative_url(url, &page.url);
    let status = page
        .version()
        .map_or("", |v| crate::model::status::label(v));
    let detail = match page.date() {
        Some(date) => format!("{} · {status}", date.swedish()),
        None => status.to_string(),
    };
    let boxes = page
        .body
        .clauses
        .iter()
        // `serve` gives way to a newer save; it throws the partial picture away.
        .take_while(|_| !crate::cancel::requested())
        .enumerate()
        .map(|(index, clause)| {
            // Rows looked up by clause, not searched for in every row.
            let incoming = into.and_then(|c| {
                let row = *c.rows_of(false, &clause.id).first()?;
                Some(&c.pairs[row])
            });
            // A clause of a split or merged row is as dark as its own parts changed.
            let similarity = incoming.map(|p| p.similarity_into(index));
            let removed = out_of.iter().any(|c| {
                c.rows_of(true, &clause.id)
                    .iter()
                    .any(|&row| c.pairs[row].status == ChangeKind::Removed)
            });
            let new = incoming.is_some_and(|p| p.status == ChangeKind::New);
            let mut name = format!("{version} {}", full_label(clause));
            if let (Some(pair), Some(c)) = (incoming, into) {
                name.push_str(&format!(
                    ": {} jämfört med {}",
                    change_words(pair),
                    self::version(&site.pages[c.from_page])
                ));
            }
            if removed {
                name.push_str(": utgår i nästa version");
            }
            let (label, title) = match &clause.number_text {
                Some(_) => (clause.label(), clause.title.clone()),
                None => (String::new(), clause.label()),
            };
            BoxSpec {
                id: clause.id.clone(),
                label,
                title,
                href: format!("{href}#{}", clause.id),
                shade: incoming
                    .zip(similarity)
                    .and_then(|(p, s)| shade(p.status, s)),
                new,
                removed,
                name,
            }
        })
        .collect();
    ColumnSpec {
        version,
        detail,
        href,
        boxes,
    }
}

/// (from clause, to clause, declared) of one step, each once.
fn step_edges(step: &Step) -> Vec<(String, String, bool)> {
    let mut edges: Vec<(String, String, bool)> = Vec::new();
    // Each edge's place in `edges`, looked up rather than searched for.
    let mut place: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for group in &step.groups {
        for from in &group.from {
            for to in &group.to {
                match place.get(&(from.as_str(), to.as_str())) {
                    Some(&at) => edges[at].2 &= group.declared,
                    None => {
                        place.insert((from, to), edges.len());
                        edges.push((from.clone(), to.clone(), group.declared));
                    }
                }
            }
        }
    }
    edges
}

/// The lines of a comparison's map: one per part of each row (a pair of clauses that
/// share text), so that a chain of versions draws the rows its page shows rather than
/// every link lineage composes.
fn comparison_edges(site: &Site, comparison: &Comparison) -> Vec<(String, String, bool)> {
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let id = |page: &Page, index: Option<usize>| {
        index
            .and_then(|i| page.body.clauses.get(i))
            .map(|c| c.id.clone())
    };
    comparison
        .pairs
        .iter()
        .flat_map(|pair| {
            pair.parts.iter().filter_map(move |part| {
                Some((id(from, part.from)?, id(to, part.to)?, pair.declared))
            })
        })
        .collect()
}

fn pair_of<'a>(comparison: &'a Comparison, from: &str, to: &str) -> Option<&'a Pair> {
    // Among the rows of `from`, looked up rather than searched for in every row.
    comparison
        .rows_of(true, from)
        .iter()
        .map(|&row| &comparison.pairs[row])
        .find(|p| p.to.iter().any(|t| t == to))
}

/// Lines for `edges`, each leading to its pair's row on the comparison page at `href`.
fn lines_of(
    site: &Site,
    comparison: &Comparison,
    edges: &[(String, String, bool)],
    (from_column, to_column): (usize, usize),
    href: &str,
) -> Vec<LineSpec> {
    let from_page = &site.pages[comparison.from_page];
    let to_page = &site.pages[comparison.to_page];
    let (vf, vt) = (version(from_page), version(to_page));
    let mut seen = BTreeSet::new();
    edges
        .iter()
        .filter(|(f, t, _)| seen.insert((f.clone(), t.clone())))
        .filter_map(|(from, to, declared)| {
            let pair = pair_of(comparison, from, to)?;
            // A line of a split or merged row is as dark as its own part changed.
            let (anchor, part) = compare_pages::link_part(site, comparison, pair, from, to);
            let similarity = part
                .filter(|_| pair.parts.len() > 1)
                .map_or(pair.similarity, |p| p.similarity());
            let from_clause = from_page.body.clause(from)?;
            let to_clause = to_page.body.clause(to)?;
            let mut name = format!(
                "{vf} {} till {vt} {}: {}",
                full_label(from_clause),
                full_label(to_clause),
                change_words(pair)
            );
            if !declared {
                name.push_str(", automatiskt förslag");
            }
            name.push_str(". Öppnar jämförelsen.");
            Some(LineSpec {
                from_column,
                from: from.clone(),
                to_column,
                to: to.clone(),
                href: format!("{href}#{anchor}"),
                shade: shade(pair.status, similarity).unwrap_or(0),
                automatic: !declared,
                name,
            })
        })
        .collect()
}

/// One step as a list of sentences (`§ 1 delades i § 2 och § 5`), each a link to its
/// row of the comparison.
fn step_text(site: &Site, comparison: &Comparison, href: &str) -> String {
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let mut out = format!(
        "<p><strong>{} → {}</strong></p><ul>",
        escape(version(from)),
        escape(version(to))
    );
    for pair in &comparison.pairs {
        let (f, t) = (labels(from, &pair.from), labels(to, &pair.to));
        let sentence = match (pair.from.len(), pair.to.len()) {
            (0, 1) => format!("{t} är nytt"),
            (0, _) => format!("{t} är nya"),
            (_, 0) => format!("{f} utgår"),
            (1, 1) if f == t => format!("{f} finns kvar"),
            (1, 1) => format!("{f} blev {t}"),
            (1, _) => format!("{f} delades i {t}"),
            (_, 1) => format!("{f} slogs ihop till {t}"),
            _ => format!("{f} blev {t}"),
        };
        let mut detail = match pair.status {
            ChangeKind::New | ChangeKind::Removed => String::new(),
            _ => format!(" ({})", change_words(pair)),
        };
        if !pair.declared {
            detail.push_str(", automatiskt förslag");
        }
        out.push_str(&format!(
            r#"<li><a href="{}#{}">{}</a>{}</li>"#,
            escape(href),
            escape(&compare_pages::anchor(pair)),
            escape(&sentence),
            escape(&detail)
        ));
    }
    out.push_str("</ul>");
    out
}
