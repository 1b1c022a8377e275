//! "Vad ändrades?": the few facts a comparison opens with, and a version page after an
//! earlier one. Every fact is counted or read from the alignment (`compare`): which
//! clause became which (the editors' lineage, or a proposal, said so at the item) and
//! how many words changed; nothing is worded by hand, so nothing can say more than the
//! texts and the lineage do. Each fact leads to its row of the comparison.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::compare_pages::anchor;
use super::status::{labels_phrase, version_phrase};
use crate::compare::report::changed_percent;
use crate::compare::{Alignment, ChangeKind, Comparison, Pair};
use crate::content::links::relative_url;
use crate::model::{Page, Site, Work};
use crate::routes;

/// How many rows the "most changed" fact names at most.
const MOST_CHANGED: usize = 3;

/// One fact: a lead (`Nytt nummer:`), the rows it names, each linked, joined by
/// `separator`; or, with no items, the lead alone.
struct Fact {
    lead: String,
    items: Vec<Value>,
    separator: &'static str,
}

impl Fact {
    fn value(self) -> Value {
        json!({ "lead": self.lead, "items": self.items, "separator": self.separator })
    }
}

/// The labels of clauses `ids` of `page` in running text: `§ 6 och § 8`.
fn phrase(page: &Page, ids: &[String]) -> String {
    let labels: Vec<String> = ids
        .iter()
        .filter_map(|id| page.body.clause(id))
        .map(|c| c.label())
        .collect();
    labels_phrase(&labels)
}

/// A row named in a fact: its words and where it is shown; a row the editors did not
/// declare says it is a proposal.
fn item(pair: &Pair, text: String, rows_url: &str) -> Value {
    let proposal = if pair.uncertain {
        Some("osäkert förslag – kontrollera")
    } else if !pair.declared {
        Some("automatiskt förslag")
    } else {
        None
    };
    json!({
        "text": keep_together(&text),
        "url": format!("{rows_url}#{}", anchor(pair)),
        "proposal": proposal,
    })
}

/// `§ 5` and `89 %` never broken over two lines (a no-break space), on a phone either.
fn keep_together(text: &str) -> String {
    text.replace("§ ", "§\u{a0}").replace(" %", "\u{a0}%")
}

/// `1 nytt` / `2 nya`: a count with the adjective in the number it needs.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `a`, `a och b`, `a, b och c`.
fn listed(parts: &[String]) -> String {
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} och {last}", rest.join(", ")),
    }
}

/// Whether newer clause `to` (its index) came through `pair` with its text unchanged.
fn text_unchanged(pair: &Pair, to: usize) -> bool {
    match pair.status {
        ChangeKind::Unchanged => true,
        ChangeKind::New | ChangeKind::Removed => false,
        _ => pair.moves.is_empty() && pair.similarity_into(to) >= 1.0,
    }
}

/// The counts: how many clauses of the newer version are changed, new or unchanged,
/// and how many sentences moved.
fn counts(to: &Page, comparison: &Comparison) -> String {
    let to_phrase = to.version().map_or_else(String::new, version_phrase);
    let (mut changed, mut new, mut unchanged) = (0, 0, 0);
    for (index, clause) in to.body.clauses.iter().enumerate() {
        let Some(pair) = comparison.pairs.iter().find(|p| p.to.contains(&clause.id)) else {
            continue;
        };
        if pair.status == ChangeKind::New {
            new += 1;
        } else if text_unchanged(pair, index) {
            unchanged += 1;
        } else {
            changed += 1;
        }
    }
    let total = to.body.clauses.len();
    let mut parts = Vec::new();
    if changed > 0 {
        parts.push(if changed == total {
            "alla med ändrad text".to_string()
        } else {
            format!("{changed} med ändrad text")
        });
    }
    if new > 0 {
        parts.push(if new == total {
            "alla nya".to_string()
        } else {
            count(new, "nytt", "nya")
        });
    }
    if unchanged > 0 {
        parts.push(if unchanged == total {
            "alla oförändrade".to_string()
        } else {
            count(unchanged, "oförändrat", "oförändrade")
        });
    }
    let mut text = format!(
        "{} har {total} avsnitt: {}",
        capitalised(&to_phrase),
        listed(&parts)
    );
    if unchanged == 0 && total > 0 && new < total {
        text.push_str("; inget är oförändrat");
    }
    // A sentence that moved from one row to another is listed in both rows.
    let moved: HashSet<(usize, usize, usize, usize)> = comparison
        .pairs
        .iter()
        .flat_map(|p| &p.moves)
        .map(|m| (m.old.0, m.old.1, m.new.0, m.new.1))
        .collect();
    match moved.len() {
        0 => {}
        1 => text.push_str(". En mening har flyttats till ett annat stycke eller avsnitt"),
        n => text.push_str(&format!(
            ". {n} meningar har flyttats till ett annat stycke eller avsnitt"
        )),
    }
    text.push('.');
    text
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The facts of `comparison`, its rows at `rows_url` (`""` on the comparison page).
fn facts(site: &Site, comparison: &Comparison, rows_url: &str) -> Vec<Value> {
    let from = &site.pages[comparison.from_page];
    let to = &site.pages[comparison.to_page];
    let (mut renumbered, mut split, mut merged, mut moved) = (vec![], vec![], vec![], vec![]);
    let (mut new, mut removed) = (vec![], vec![]);
    for pair in &comparison.pairs {
        let (f, t) = (phrase(from, &pair.from), phrase(to, &pair.to));
        match pair.status {
            ChangeKind::Renumbered => {
                renumbered.push(item(pair, format!("{f} blev {t}"), rows_url))
            }
            ChangeKind::Moved => moved.push(item(pair, f, rows_url)),
            ChangeKind::Split => split.push(item(pair, format!("{f} delades i {t}"), rows_url)),
            ChangeKind::Merged if pair.to.len() > 1 => merged.push(item(
                pair,
                format!("{f} slogs samman och delades i {t}"),
                rows_url,
            )),
            ChangeKind::Merged => {
                merged.push(item(pair, format!("{f} slogs samman till {t}"), rows_url))
            }
            ChangeKind::New => new.push(item(pair, t, rows_url)),
            ChangeKind::Removed => removed.push(item(pair, f, rows_url)),
            ChangeKind::Unchanged | ChangeKind::Changed => {}
        }
    }
    let mut most: Vec<(&Pair, i64)> = comparison
        .pairs
        .iter()
        .filter(|p| p.status.has_both_sides() && p.similarity < 1.0)
        .map(|p| (p, changed_percent(p.similarity)))
        .collect();
    // The most changed first; equal shares in the comparison's order.
    most.sort_by_key(|&(_, percent)| std::cmp::Reverse(percent));
    let most_changed: Vec<Value> = if most.len() >= 2 {
        most.iter()
            .take(MOST_CHANGED)
            .map(|&(pair, percent)| {
                let text = format!(
                    "{} → {} ({percent} % av orden)",
                    phrase(from, &pair.from),
                    phrase(to, &pair.to)
                );
                item(pair, text, rows_url)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut out = vec![
        Fact {
            lead: counts(to, comparison),
            items: Vec::new(),
            separator: "",
        }
        .value(),
    ];
    let mut add = |lead: &str, items: Vec<Value>, separator: &'static str| {
        if !items.is_empty() {
            out.push(
                Fact {
                    lead: lead.to_string(),
                    items,
                    separator,
                }
                .value(),
            );
        }
    };
    add("Nytt nummer:", renumbered, ", ");
    add("Delade:", split, "; ");
    add("Sammanslagna:", merged, "; ");
    add("På ny plats:", moved, ", ");
    add("Nya avsnitt:", new, ", ");
    add("Utgår:", removed, ", ");
    add("Mest ändrad text:", most_changed, ", ");
    out
}

/// "Vad ändrades?" at the top of a comparison page: its rows are on the page itself.
pub fn for_comparison(site: &Site, comparison: &Comparison) -> Value {
    json!({ "facts": facts(site, comparison, "") })
}

/// "Vad ändrades?" on the page of version `index`, against the version before it in
/// its work, leading to the rows of their comparison; `None` for a first version or
/// where the two were not compared.
pub fn for_version(
    site: &Site,
    alignment: &Alignment,
    work: &Work,
    index: usize,
    url: &str,
) -> Option<Value> {
    let here = work.versions.iter().position(|&i| i == index)?;
    let before = *work.versions.get(here.checked_sub(1)?)?;
    let comparison = alignment.comparison(before, index)?;
    let version = |i: usize| site.pages[i].version().map_or("", |v| v.version.as_str());
    let rows_url = relative_url(
        url,
        &routes::comparison(&work.id, version(before), version(index)),
    );
    Some(json!({
        "since": site.pages[before].version().map(version_phrase),
        "since_url": relative_url(url, &site.pages[before].url),
        "compare_url": rows_url,
        "facts": facts(site, comparison, &rows_url),
    }))
}

#[cfg(test)]
mod tests {
    use super::{for_comparison, for_version};
    use crate::content;
    use crate::diagnostics::SourceText;
    use crate::model::{Site, Work};

    const OLD: &str = "---\nkind: version\nwork: avtal\nversion: \"2009\"\ndate: 2009-01-01\ntitle: \"Avtalet\"\nsource: { file: a.txt, body: \"K\", editorial: \"-\" }\n---\n\n## § 1 Syfte\n\nKommunerna ska samarbeta om mottagandet av nyanlända i hela länet.\n\n## § 2 Parter\n\nParter är de kommuner som har undertecknat avtalet och ingen annan.\n\n## § 3 Organisation\n\nVarje kommun utser en företrädare. Företrädarna bildar en styrgrupp som leder arbetet.\n\n## § 4 Avgifter\n\nIngen kommun tar ut avgifter av en annan kommun för arbetet.\n\n## § 5 Giltighet\n\nAvtalet gäller tills vidare och kan sägas upp med nio månaders varsel.\n";

    const NEW: &str = "---\nkind: version\nwork: avtal\nversion: \"2013\"\ndate: 2013-01-01\ntitle: \"Avtalet\"\nsource: { file: b.txt, body: \"K\", editorial: \"-\" }\nlineage:\n  from: \"2009\"\n  clauses:\n    - { from: [P1], to: [P1] }\n    - { from: [P3], to: [P2, P3] }\n    - { from: [P2], to: [P4] }\n    - { from: [P4], to: [] }\n    - { from: [P5], to: [P5] }\n    - { from: [], to: [P6] }\n---\n\n## § 1 Syfte\n\nKommunerna ska samarbeta om mottagandet av nyanlända i hela länet.\n\n## § 2 Företrädare\n\nVarje kommun utser en företrädare.\n\n## § 3 Styrgrupp\n\nFöreträdarna bildar en styrgrupp som leder och följer upp arbetet.\n\n## § 4 Parter\n\nParter är de kommuner som har beslutat att anta avtalet och ingen annan.\n\n## § 5 Giltighet\n\nAvtalet gäller tills vidare och kan sägas upp med sex månaders varsel.\n\n## § 6 Uppföljning\n\nArbetet följs upp varje år av styrgruppen.\n";

    fn site() -> Site {
        let config = content::config::parse(&SourceText::new(
            "content/site.yaml",
            "title: \"T\"\nlanguage: sv\nworks:\n  - id: avtal\n    title: \"Avtalet\"\n    short_title: \"Avtalet\"\n",
        ))
        .expect("site.yaml");
        let page = |name: &str, text: &str| {
            content::parse_page(SourceText::new(format!("content/{name}"), text), name)
                .expect("a valid version")
        };
        let pages = vec![page("avtal/2009.md", OLD), page("avtal/2013.md", NEW)];
        let works = vec![Work {
            id: "avtal".into(),
            title: "Avtalet".into(),
            short_title: "Avtalet".into(),
            description: None,
            versions: vec![0, 1],
        }];
        Site::new(config, pages, works, None)
    }

    /// Each fact as text: `lead [item → url], …`.
    fn facts(value: &serde_json::Value) -> Vec<String> {
        value["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .map(|fact| {
                let items: Vec<String> = fact["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|i| {
                        format!(
                            "[{} → {}]",
                            i["text"].as_str().unwrap_or("").replace('\u{a0}', " "),
                            i["url"].as_str().unwrap_or("")
                        )
                    })
                    .collect();
                format!(
                    "{} {}",
                    fact["lead"].as_str().unwrap_or(""),
                    items.join(", ")
                )
                .trim_end()
                .to_string()
            })
            .collect()
    }

    #[test]
    fn the_facts_are_counted_from_the_alignment_and_lead_to_their_rows() {
        let site = site();
        let (alignment, _) = crate::compare::align(&site);
        let comparison = alignment.comparison(0, 1).expect("compared");
        let value = for_comparison(&site, comparison);
        // A clause's number and a share stay on the line of their sign.
        assert_eq!(
            value["facts"][1]["items"][0]["text"],
            "§\u{a0}2 blev §\u{a0}4"
        );
        let got = facts(&value);
        assert_eq!(
            got,
            [
                // § 2 is § 3's first sentence, unchanged.
                "2013 års version har 6 avsnitt: 3 med ändrad text, 1 nytt och 2 oförändrade.",
                "Nytt nummer: [§ 2 blev § 4 → #till-P4]",
                "Delade: [§ 3 delades i § 2–3 → #till-P2]",
                "Nya avsnitt: [§ 6 → #till-P6]",
                "Utgår: [§ 4 → #fran-P4]",
                "Mest ändrad text: [§ 2 → § 4 (17 % av orden) → #till-P4], [§ 3 → § 2–3 (11 % av orden) → #till-P2], [§ 5 → § 5 (8 % av orden) → #till-P5]",
            ],
            "{got:#?}"
        );
    }

    #[test]
    fn a_version_after_another_leads_to_the_rows_of_their_comparison() {
        let site = site();
        let (alignment, _) = crate::compare::align(&site);
        let work = &site.works[0];
        assert!(for_version(&site, &alignment, work, 0, "avtal/2009/").is_none());
        let value = for_version(&site, &alignment, work, 1, "avtal/2013/").expect("facts");
        assert_eq!(value["since"], "2009 års version");
        assert_eq!(value["compare_url"], "../../avtal/jamfor/2009-2013/");
        assert!(
            facts(&value)
                .contains(&"Utgår: [§ 4 → ../../avtal/jamfor/2009-2013/#fran-P4]".to_string()),
            "{value:#}"
        );
    }
}
