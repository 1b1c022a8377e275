//! What the pages say about a version's status, every word of it from its
//! `status_history` (`content::status`): the steps with their sources, the banner, the
//! notice on a version's page, and at each clause what became of it in later versions.

use serde::Serialize;

use super::markdown::{inline_markdown, resolve};
use super::views::parts::{DateView, date};
use crate::compare::Alignment;
use crate::content::links::relative_url;
use crate::model::meta::{IsoDate, StatusStep, StepKind, VersionMeta};
use crate::model::status::{self, InForce};
use crate::model::{Page, Site, Work};
use crate::routes;

/// `2013 års förslag`, `2009 års version`; a version id that is not a year is written
/// after the noun (`förslaget 2013b`), since `2013b års` is no Swedish.
pub fn version_phrase(meta: &VersionMeta) -> String {
    let noun = status::noun(meta);
    if meta.version.len() == 4 && meta.version.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} års {noun}", meta.version)
    } else {
        format!("{noun}et {}", meta.version)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where a step's source leads.
#[derive(Serialize)]
pub struct SourceRef {
    pub url: Option<String>,
    /// A document by its kind and sender, a version by its title and id.
    pub name: Option<String>,
    pub date: Option<DateView>,
    /// The place in the page: `§ 5 andra stycket`.
    pub place: Option<String>,
}

/// Where a step's `source` leads: its address from `url`, the page's title and the
/// place in it (the clause the anchor is in).
fn source_ref(site: &Site, url: &str, source: &str) -> SourceRef {
    let target = source.strip_prefix("@/").unwrap_or(source);
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let page = site.page_by_path(path);
    let place = page
        .zip(anchor)
        .and_then(|(page, anchor)| place_words(page, anchor));
    // A document by its kind and sender (its title may be the agreement's own, as
    // Ekerö's is); a version by its title.
    let name = page.map(|p| match (p.document(), p.version()) {
        (Some(d), _) => format!(
            "{} från {}",
            capitalised(d.doc_type.swedish()),
            d.organisation
        ),
        (None, Some(v)) => format!("{} ({})", p.title(), v.version),
        _ => p.title().to_string(),
    });
    SourceRef {
        url: resolve(site, url, source),
        name,
        date: date(page.and_then(|p| p.date())),
        place,
    }
}

/// A step of a version's history as its page lists it.
#[derive(Serialize)]
pub struct StepView<'a> {
    pub status: &'static str,
    /// The step's keyword, for its class.
    pub kind: &'static str,
    pub date: Option<DateView>,
    pub by: Option<&'a str>,
    pub quote: Option<&'a str>,
    pub note_html: Option<String>,
    pub source: Option<SourceRef>,
}

/// The steps of `meta`'s history as the version page lists them.
pub fn history<'a>(site: &Site, url: &str, meta: &'a VersionMeta) -> Vec<StepView<'a>> {
    meta.status_history
        .iter()
        .map(|step| step_value(site, url, step))
        .collect()
}

fn step_value<'a>(site: &Site, url: &str, step: &'a StatusStep) -> StepView<'a> {
    StepView {
        status: step.status.swedish(),
        kind: step.status.keyword(),
        date: date(step.date),
        by: step.by.as_deref(),
        quote: step.quote.as_deref(),
        note_html: step.note.as_ref().map(|n| inline_markdown(site, url, n)),
        source: step.source.as_deref().map(|s| source_ref(site, url, s)),
    }
}

/// The date a source gives for the version to apply from (a step `gäller` with a
/// date); nothing else is written "gäller från".
pub fn applies_from(meta: &VersionMeta) -> Option<IsoDate> {
    meta.status_history
        .iter()
        .find(|s| s.status == StepKind::AppliesFrom)
        .and_then(|s| s.date)
}

/// The step a short summary names: the latest dated one, or the last one.
fn latest_step(meta: &VersionMeta) -> Option<&StatusStep> {
    meta.status_history
        .iter()
        .rev()
        .find(|s| s.date.is_some())
        .or(meta.status_history.last())
}

/// A version in brief, with the latest step of its history.
#[derive(Serialize)]
pub struct ShortView<'a> {
    pub version: Option<&'a str>,
    pub phrase: Option<String>,
    pub noun: Option<&'static str>,
    pub url: String,
    pub step: Option<&'static str>,
    pub step_date: Option<DateView>,
    pub step_by: Option<&'a str>,
}

fn short_value<'a>(from_url: &str, page: &'a Page) -> ShortView<'a> {
    let meta = page.version();
    let step = meta.and_then(latest_step);
    ShortView {
        version: meta.map(|v| v.version.as_str()),
        phrase: meta.map(version_phrase),
        noun: meta.map(status::noun),
        url: relative_url(from_url, &page.url),
        step: step.map(|s| s.status.swedish()),
        step_date: date(step.and_then(|s| s.date)),
        step_by: step.and_then(|s| s.by.as_deref()),
    }
}

/// The banner of a work's pages (`in_force_banner` in the templates).
#[derive(Serialize)]
pub struct Banner<'a> {
    pub short_title: &'a str,
    /// The version that applies by the sources.
    pub in_force: Option<ShortView<'a>>,
    /// Later versions whose adoption no source states.
    pub later: Vec<ShortView<'a>>,
}

/// The banner every page of `work` carries: the version that applies by the sources,
/// and any later one whose adoption no source states. Addresses from the site root.
pub fn banner<'a>(site: &'a Site, work: &'a Work) -> Option<Banner<'a>> {
    let standing = site.standing(work);
    if standing.in_force.is_none() && standing.later.is_empty() {
        return None;
    }
    Some(Banner {
        short_title: &work.short_title,
        in_force: standing.in_force.map(|p| short_value("", p)),
        later: standing.later.iter().map(|p| short_value("", p)).collect(),
    })
}

/// The notice under a version's heading: how it stands to the version that applies.
#[derive(Serialize)]
pub struct StandingNotice<'a> {
    /// `in-force`, `ended`, `earlier`, `later` or `unknown` ([`standing_notice`]).
    pub relation: &'static str,
    /// The version that applies, when it is another.
    pub in_force: Option<StandingEntry<'a>>,
    /// For the version that applies: the later ones no source says were adopted.
    pub later: Vec<StandingEntry<'a>>,
}

/// Another version in a standing notice, with its comparison with this one.
#[derive(Serialize)]
pub struct StandingEntry<'a> {
    #[serde(flatten)]
    pub version: ShortView<'a>,
    pub compare_url: Option<String>,
}

/// How version `index` stands to the one that applies, for the notice under its
/// heading: `relation` is `in-force` (it applies), `ended` (it applied, a source says
/// it ended), `earlier` (a text before the one that applies, never adopted by the
/// sources), `later` (a text after it, not adopted by the sources) or `unknown` (no
/// version applies by the sources).
pub fn standing_notice<'a>(
    site: &'a Site,
    alignment: &Alignment,
    work: &Work,
    index: usize,
) -> StandingNotice<'a> {
    let page = &site.pages[index];
    let url = &page.url;
    let standing = site.standing(work);
    let position = |p: &Page| {
        work.versions
            .iter()
            .position(|&i| std::ptr::eq(&site.pages[i], p))
    };
    let here = work.versions.iter().position(|&i| i == index);
    let force = page.version().and_then(status::in_force);
    let relation = match (standing.in_force, force) {
        (Some(p), _) if std::ptr::eq(p, page) => "in-force",
        (_, Some(InForce { until: Some(_), .. })) => "ended",
        (Some(p), _) if position(p) > here => "earlier",
        (Some(_), _) => "later",
        (None, _) => "unknown",
    };
    let compare_with = |other: &Page| {
        let other_index = site.index_by_path(&other.path)?;
        let (from, to) = if position(other) > here {
            (index, other_index)
        } else {
            (other_index, index)
        };
        alignment.comparison(from, to)?;
        let version = |i: usize| site.pages[i].version().map_or("", |v| v.version.as_str());
        Some(relative_url(
            url,
            &routes::comparison(&work.id, version(from), version(to)),
        ))
    };
    let entry = |other: &'a Page| StandingEntry {
        version: short_value(url, other),
        compare_url: compare_with(other),
    };
    StandingNotice {
        relation,
        in_force: standing
            .in_force
            .filter(|p| !std::ptr::eq(*p, page))
            .map(entry),
        later: if relation == "in-force" {
            standing.later.iter().map(|p| entry(p)).collect()
        } else {
            Vec::new()
        },
    }
}

/// What became of a clause in a later version.
#[derive(Serialize)]
pub struct Fate<'a> {
    pub phrase: String,
    pub version: &'a str,
    /// The clauses it became.
    pub clauses: Vec<ClauseLink>,
    pub status: &'static str,
    pub removed: bool,
    /// The comparison's row that shows it.
    pub compare_url: String,
}

/// A clause of another page, by its label.
#[derive(Serialize)]
pub struct ClauseLink {
    pub label: String,
    pub url: String,
}

/// At clause `clause` of version `index`: what became of it in the next version and in
/// the one that applies (when that is later and another), each from the comparison
/// row that has it. Empty for the latest version.
pub fn clause_fate<'a>(
    site: &'a Site,
    alignment: &Alignment,
    work: &Work,
    index: usize,
    clause: &str,
    url: &str,
) -> Vec<Fate<'a>> {
    let Some(here) = work.versions.iter().position(|&i| i == index) else {
        return Vec::new();
    };
    let mut targets: Vec<usize> = work.versions.get(here + 1).copied().into_iter().collect();
    if let Some(force) = site.in_force(work)
        && let Some(at) = work
            .versions
            .iter()
            .position(|&i| std::ptr::eq(&site.pages[i], force))
        && at > here + 1
    {
        targets.push(work.versions[at]);
    }
    targets
        .into_iter()
        .filter_map(|target| {
            let comparison = alignment.comparison(index, target)?;
            let pair = &comparison.pairs[*comparison.rows_of(true, clause).first()?];
            let later = &site.pages[target];
            let meta = later.version()?;
            let from = site.pages[index].version()?;
            let compare = relative_url(
                url,
                &routes::comparison(&work.id, &from.version, &meta.version),
            );
            // A comparison row may join several clauses (a group of the lineage); the
            // declared step to the next version says where this one clause went.
            let declared: Option<Vec<&str>> = alignment
                .steps
                .iter()
                .find(|step| step.from_page == index && step.to_page == target)
                .map(|step| {
                    let mut to: Vec<&str> = step
                        .groups_from(clause)
                        .flat_map(|g| g.to.iter().map(String::as_str))
                        .collect();
                    // In the later version's order, each once.
                    to.sort_by_key(|id| later.body.clauses.iter().position(|c| c.id == *id));
                    to.dedup();
                    to
                });
            let to: Vec<&str> =
                declared.unwrap_or_else(|| pair.to.iter().map(String::as_str).collect());
            let whole_row = to.len() == pair.to.len();
            Some(Fate {
                phrase: version_phrase(meta),
                version: &meta.version,
                clauses: successors(later, &to, url),
                status: if whole_row {
                    pair.status.swedish()
                } else {
                    "se jämförelsen"
                },
                removed: to.is_empty(),
                compare_url: format!("{compare}#{}", super::compare_pages::anchor(pair)),
            })
        })
        .collect()
}

fn successors(later: &Page, to: &[&str], url: &str) -> Vec<ClauseLink> {
    to.iter()
        .filter_map(|id| later.body.clause(id))
        .map(|c| ClauseLink {
            label: c.label(),
            url: format!("{}#{}", relative_url(url, &later.url), c.id),
        })
        .collect()
}

/// Clause labels in running text: `§ 6 och § 8`, runs of numbers joined (`§ 2–5`,
/// `Punkt 1–7`), the last joined with `och`.
pub fn labels_phrase(labels: &[String]) -> String {
    // A label ending in a number after a space (`§ 5`, `Punkt 3`): its stem and number.
    let split = |label: &str| {
        let (stem, number) = label.rsplit_once(' ')?;
        Some((stem.to_string(), number.parse::<u32>().ok()?))
    };
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(String, u32, u32)> = None;
    let close = |run: &mut Option<(String, u32, u32)>, parts: &mut Vec<String>| {
        if let Some((stem, first, last)) = run.take() {
            parts.push(if first == last {
                format!("{stem} {first}")
            } else {
                format!("{stem} {first}–{last}")
            });
        }
    };
    for label in labels {
        match (split(label), run.as_mut()) {
            (Some((stem, n)), Some((run_stem, _, last))) if *run_stem == stem && n == *last + 1 => {
                *last = n;
            }
            (Some((stem, n)), _) => {
                close(&mut run, &mut parts);
                run = Some((stem, n, n));
            }
            (None, _) => {
                close(&mut run, &mut parts);
                parts.push(label.clone());
            }
        }
    }
    close(&mut run, &mut parts);
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} och {last}", rest.join(", ")),
    }
}

/// A lineage's members, version by version in work order: (page, its clauses' labels
/// in the page's order). Versions without a member are left out.
pub fn lineage_versions(
    site: &Site,
    work: &Work,
    members: &[(usize, String)],
) -> Vec<(usize, Vec<String>)> {
    work.versions
        .iter()
        .filter_map(|&p| {
            let body = &site.pages[p].body;
            let here: Vec<&String> = members
                .iter()
                .filter(|(mp, _)| *mp == p)
                .map(|(_, id)| id)
                .collect();
            // One clause looked up; several (a split or merge) in the version's order.
            let labels: Vec<String> = match here[..] {
                [] => Vec::new(),
                [id] => body.clause(id).map(|c| c.label()).into_iter().collect(),
                _ => body
                    .clauses
                    .iter()
                    .filter(|c| here.contains(&&c.id))
                    .map(|c| c.label())
                    .collect(),
            };
            (!labels.is_empty()).then_some((p, labels))
        })
        .collect()
}

/// The name of a clause across versions: `2009 § 5 → 2013 § 6 och § 8`.
pub fn lineage_name(site: &Site, versions: &[(usize, Vec<String>)]) -> String {
    versions
        .iter()
        .map(|(p, labels)| {
            let version = site.pages[*p].version().map_or("", |v| v.version.as_str());
            format!("{version} {}", labels_phrase(labels))
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The change to a clause's lineage from the version before, on its history page.
#[derive(Serialize)]
pub struct LineageStep<'a> {
    pub from_version: &'a str,
    pub rows: Vec<LineageRow>,
}

/// A row of a comparison that holds members of a lineage.
#[derive(Serialize)]
pub struct LineageRow {
    pub from: String,
    pub to: String,
    pub status: &'static str,
    pub changed_percent: Option<u32>,
    pub url: String,
}

/// For the history page at `url`: per version after the first, the rows of the
/// comparison with the version before it that hold members of the lineage, each
/// leading to its row.
pub fn lineage_steps<'a>(
    site: &'a Site,
    alignment: &Alignment,
    work: &Work,
    members: &[(usize, String)],
    versions: &[(usize, Vec<String>)],
    url: &str,
) -> std::collections::HashMap<usize, LineageStep<'a>> {
    let mut steps = std::collections::HashMap::new();
    for window in versions.windows(2) {
        let (from, to) = (window[0].0, window[1].0);
        let Some(comparison) = alignment.comparison(from, to) else {
            continue;
        };
        let version = |p: usize| site.pages[p].version().map_or("", |v| v.version.as_str());
        let page_url = relative_url(
            url,
            &routes::comparison(&work.id, version(from), version(to)),
        );
        let label = |p: usize, ids: &[String]| {
            let labels: Vec<String> = ids
                .iter()
                .filter_map(|id| site.pages[p].body.clause(id))
                .map(|c| c.label())
                .collect();
            labels_phrase(&labels)
        };
        // The rows that hold a member, looked up by clause, in the comparison's order.
        let mut holding: Vec<usize> = members
            .iter()
            .flat_map(|(p, id)| {
                let older = (*p == from).then(|| comparison.rows_of(true, id));
                let newer = (*p == to).then(|| comparison.rows_of(false, id));
                older
                    .into_iter()
                    .chain(newer)
                    .flat_map(|rows| rows.into_owned())
            })
            .collect();
        holding.sort_unstable();
        holding.dedup();
        let rows: Vec<LineageRow> = holding
            .into_iter()
            .map(|row| &comparison.pairs[row])
            .map(|pair| LineageRow {
                from: label(from, &pair.from),
                to: label(to, &pair.to),
                status: pair.status.swedish(),
                changed_percent: (pair.status == crate::compare::ChangeKind::Changed)
                    .then(|| ((1.0 - pair.similarity) * 100.0).round() as u32),
                url: format!("{page_url}#{}", super::compare_pages::anchor(pair)),
            })
            .collect();
        steps.insert(
            to,
            LineageStep {
                from_version: version(from),
                rows,
            },
        );
    }
    steps
}

/// `första`, `andra` … as Swedish counts stycken; from the thirteenth on, the number.
fn ordinal(n: usize) -> String {
    const WORDS: [&str; 12] = [
        "första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde",
        "tionde", "elfte", "tolfte",
    ];
    match WORDS.get(n.wrapping_sub(1)) {
        Some(word) => (*word).to_string(),
        None => format!("{n}:e"),
    }
}

/// How each anchor of `clause` is cited in words, the way its source numbers it:
/// `§ 5` for the clause, `§ 5 andra stycket` for a stycke, `§ 5 andra stycket punkt 7`
/// for an item of its list. A clause of one stycke cites its items without the stycke
/// (`§ 2 punkt 3`), as Swedish citations do; a clause without a number is followed by
/// a comma (`Beslutsunderlag, punkt 5`).
pub fn anchor_words(clause: &crate::model::body::Clause) -> Vec<(String, String)> {
    let label = clause.label();
    let joined = |rest: &str| {
        if clause.number.is_some() {
            format!("{label} {rest}")
        } else {
            format!("{label}, {rest}")
        }
    };
    let single = clause.stycken.len() == 1;
    let mut words = vec![(clause.id.clone(), label.clone())];
    for (index, stycke) in clause.stycken.iter().enumerate() {
        let stycke_words = if single {
            label.clone()
        } else {
            joined(&format!("{} stycket", ordinal(index + 1)))
        };
        for (item_index, item) in stycke.items.iter().enumerate() {
            let punkt = format!("punkt {}", item_index + 1);
            let item_words = if single {
                joined(&punkt)
            } else {
                format!("{stycke_words} {punkt}")
            };
            words.push((item.id.clone(), item_words));
        }
        words.push((stycke.id.clone(), stycke_words));
    }
    words
}

/// The words for `anchor` in `page`, if it is one of its anchors.
pub fn place_words(page: &Page, anchor: &str) -> Option<String> {
    page.body.clauses.iter().find_map(|clause| {
        anchor_words(clause)
            .into_iter()
            .find(|(id, _)| id == anchor)
            .map(|(_, words)| words)
    })
}

#[cfg(test)]
mod tests {
    use super::{anchor_words, labels_phrase};
    use crate::content::body::split;
    use crate::diagnostics::SourceText;

    #[test]
    fn anchors_are_cited_as_swedish_citations_count_them() {
        let text = "## § 2 Ett stycke\n\nInsatser:\n\n1. ett\n2. två\n\n## § 5 Flera\n\nFörst.\n\nSedan:\n\n1. a\n2. b\n\n## Bilaga\n\nEtt.\n\nTvå:\n\n- x\n";
        let source = SourceText::new("content/t.md", std::sync::Arc::from(text));
        let (body, problems) = split(&source, text, 0);
        assert!(problems.is_empty(), "{problems:?}");
        let words = |index: usize| -> Vec<String> {
            anchor_words(&body.clauses[index])
                .into_iter()
                .map(|(id, words)| format!("{id}={words}"))
                .collect()
        };
        // One stycke: its items without the stycke.
        assert_eq!(
            words(0),
            [
                "P2=§ 2",
                "P2S1N1=§ 2 punkt 1",
                "P2S1N2=§ 2 punkt 2",
                "P2S1=§ 2"
            ]
        );
        assert_eq!(
            words(1),
            [
                "P5=§ 5",
                "P5S1=§ 5 första stycket",
                "P5S2N1=§ 5 andra stycket punkt 1",
                "P5S2N2=§ 5 andra stycket punkt 2",
                "P5S2=§ 5 andra stycket"
            ]
        );
        // A heading without a number is followed by a comma.
        assert_eq!(words(2)[2], "bilagaS2N1=Bilaga, andra stycket punkt 1");
    }

    fn phrase(labels: &[&str]) -> String {
        labels_phrase(&labels.iter().map(|l| l.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn labels_are_joined_with_och_and_runs_of_numbers_shortened() {
        assert_eq!(phrase(&["§ 6"]), "§ 6");
        assert_eq!(phrase(&["§ 6", "§ 8"]), "§ 6 och § 8");
        assert_eq!(
            phrase(&["Utgångspunkter", "§ 2", "§ 3", "§ 4", "§ 5"]),
            "Utgångspunkter och § 2–5"
        );
        assert_eq!(
            phrase(&["Syfte", "Punkt 1", "Punkt 2", "Punkt 3", "§ 4"]),
            "Syfte, Punkt 1–3 och § 4"
        );
        assert_eq!(phrase(&[]), "");
    }
}
