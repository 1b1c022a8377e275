//! The published JSON of versions (`WORK/VERSION.json`) and comparisons
//! (`WORK/jamfor/FROM-TO.json`, also what `avtal diff --format json` prints) as types,
//! and the JSON Schema of every kind of JSON file the site publishes (`schemas/` in the
//! repository, published at `/schemas/NAME.schema.json`; the search index's types are
//! in `render::search::files`).
//!
//! Each type lists its fields in alphabetical order, the order the files have always
//! had their keys in; a test keeps it so, and keeps every key described in its schema
//! and the comparison's in the README's example.

use serde::Serialize;

use crate::compare::report::{self, Change, Laid, part_changes};
use crate::compare::words::Op;
use crate::compare::{Alignment, Comparison, Pair, Status};
use crate::content::meta::{IsoDate, StatusStep, StepKind};
use crate::model::{Page, Site, Work};
use crate::output::{OutputError, OutputFile, Sink};
use crate::routes;

/// `WORK/VERSION.json`: the text of one version (`schemas/version.schema.json`).
#[derive(Serialize)]
pub struct VersionJson<'a> {
    pub clauses: Vec<ClauseJson<'a>>,
    pub date: Option<String>,
    pub status: Option<&'static str>,
    pub status_history: Option<Vec<StepJson<'a>>>,
    pub title: &'a str,
    /// The version's page, absolute where base_url is known.
    pub url: Option<String>,
    pub version: Option<&'a str>,
    pub work: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ClauseJson<'a> {
    pub id: &'a str,
    pub label: String,
    pub stycken: Vec<StyckeJson<'a>>,
    pub title: &'a str,
}

#[derive(Serialize)]
pub struct StyckeJson<'a> {
    pub id: &'a str,
    pub items: Vec<ItemJson<'a>>,
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct ItemJson<'a> {
    pub id: &'a str,
    pub text: &'a str,
}

/// A step of the status history, as written in the front matter.
#[derive(Serialize)]
pub struct StepJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    pub status: StepKind,
}

impl<'a> From<&'a StatusStep> for StepJson<'a> {
    fn from(step: &'a StatusStep) -> StepJson<'a> {
        StepJson {
            by: step.by.as_deref(),
            date: step.date,
            note: step.note.as_deref(),
            quote: step.quote.as_deref(),
            source: step.source.as_deref(),
            status: step.status,
        }
    }
}

pub fn version_json<'a>(site: &Site, page: &'a Page) -> VersionJson<'a> {
    let meta = page.version();
    VersionJson {
        clauses: page
            .body
            .clauses
            .iter()
            .map(|c| ClauseJson {
                id: &c.id,
                label: c.label(),
                stycken: c
                    .stycken
                    .iter()
                    .map(|s| StyckeJson {
                        id: &s.id,
                        items: s
                            .items
                            .iter()
                            .map(|i| ItemJson {
                                id: &i.id,
                                text: &i.text,
                            })
                            .collect(),
                        text: &s.text,
                    })
                    .collect(),
                title: &c.title,
            })
            .collect(),
        date: page.date().map(|d| d.to_string()),
        status: meta.map(crate::content::status::label),
        status_history: meta.map(|v| v.status_history.iter().map(StepJson::from).collect()),
        title: page.title(),
        // Absolute where base_url is known; the JSON files sit beside the pages.
        url: site
            .config
            .base_url
            .as_ref()
            .map(|base| format!("{base}{}", page.url)),
        version: meta.map(|v| v.version.as_str()),
        work: meta.map(|v| v.work.as_str()),
    }
}

/// `WORK/jamfor/FROM-TO.json` and `avtal diff --format json`: every row of a
/// comparison (`schemas/comparison.schema.json`, the README's example).
#[derive(Serialize)]
pub struct ComparisonJson<'a> {
    pub from: Option<&'a str>,
    pub pairs: Vec<PairJson<'a>>,
    pub to: Option<&'a str>,
    pub work: &'a str,
}

#[derive(Serialize)]
pub struct PairJson<'a> {
    pub changes: Vec<ChangeJson>,
    pub declared: bool,
    pub from: &'a [String],
    pub moves: Vec<MoveJson>,
    /// Markdown, its `@/` links made addresses (`report::resolve_links`).
    pub notes: Vec<String>,
    /// Only for a row of more than one clause on either side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<PartJson>>,
    pub similarity: f64,
    pub status: Status,
    pub to: &'a [String],
}

#[derive(Serialize)]
pub struct PartJson {
    pub changes: Vec<ChangeJson>,
    pub from: Option<String>,
    pub similarity: f64,
    pub to: Option<String>,
}

#[derive(Serialize)]
pub struct MoveJson {
    pub from: String,
    pub from_block: Option<String>,
    pub text: String,
    pub to: String,
    pub to_block: Option<String>,
}

/// A [`Change`] as published.
#[derive(Serialize)]
pub struct ChangeJson {
    #[serde(rename = "move", skip_serializing_if = "Option::is_none")]
    pub moved: Option<usize>,
    pub op: Op,
    pub text: String,
}

impl From<Change> for ChangeJson {
    fn from(change: Change) -> ChangeJson {
        ChangeJson {
            moved: change.moved,
            op: change.op,
            text: change.text,
        }
    }
}

/// The rows `pairs` of `comparison`.
pub fn comparison_json<'a>(
    site: &'a Site,
    comparison: &'a Comparison,
    pairs: &[&'a Pair],
) -> ComparisonJson<'a> {
    let version = |i: usize| site.pages[i].version().map(|v| v.version.as_str());
    let laid = Laid::of(site, comparison);
    ComparisonJson {
        from: version(comparison.from_page),
        pairs: pairs.iter().map(|p| pair_json(site, &laid, p)).collect(),
        to: version(comparison.to_page),
        work: &comparison.work,
    }
}

fn rounded(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn pair_json<'a>(site: &Site, laid: &Laid, p: &'a Pair) -> PairJson<'a> {
    let part_changes: Vec<Vec<Change>> = p
        .parts
        .iter()
        .map(|part| part_changes(laid, part, &p.moves))
        .collect();
    let changes = report::joined_changes(&part_changes)
        .into_iter()
        .map(ChangeJson::from)
        .collect();
    let parts = (p.from.len() > 1 || p.to.len() > 1).then(|| {
        p.parts
            .iter()
            .zip(part_changes)
            .map(|(part, changes)| PartJson {
                changes: changes.into_iter().map(ChangeJson::from).collect(),
                from: part.from.map(|f| laid.clause_id(true, f).to_string()),
                similarity: rounded(part.similarity()),
                to: part.to.map(|t| laid.clause_id(false, t).to_string()),
            })
            .collect()
    });
    PairJson {
        changes,
        declared: p.declared,
        from: &p.from,
        moves: p
            .moves
            .iter()
            .map(|m| MoveJson {
                from: laid.clause_id(true, m.old.0).to_string(),
                from_block: laid.block(true, m.old).map(|b| b.id.clone()),
                text: laid
                    .new
                    .get(m.new.0)
                    .map_or("", |l| l.sentence(m.new.1))
                    .to_string(),
                to: laid.clause_id(false, m.new.0).to_string(),
                to_block: laid.block(false, m.new).map(|b| b.id.clone()),
            })
            .collect(),
        notes: p
            .notes
            .iter()
            .map(|n| report::resolve_links(site, n))
            .collect(),
        parts,
        similarity: rounded(p.similarity),
        status: p.status,
        to: &p.to,
    }
}

/// The published JSON of every version and every comparison, each made and put into
/// `sink` on its own, in parallel, so they are never all in memory at once; and the
/// schemas.
pub fn write_json_files(
    site: &Site,
    alignment: &Alignment,
    sink: &dyn Sink,
) -> Result<usize, OutputError> {
    use rayon::prelude::*;
    let version_id = |page: &Page| {
        page.version()
            .map_or("", |v| v.version.as_str())
            .to_string()
    };
    let versions: Vec<(&Work, usize)> = site
        .works
        .iter()
        .flat_map(|work| work.versions.iter().map(move |&i| (work, i)))
        .collect();
    versions.par_iter().try_for_each(|&(work, i)| {
        let page = &site.pages[i];
        let body = serde_json::to_vec_pretty(&version_json(site, page)).unwrap_or_default();
        sink.put(OutputFile::new(
            routes::version_json(&work.id, &version_id(page)),
            body,
        ))
    })?;
    let comparisons: Vec<(&Work, &Comparison)> = alignment
        .comparisons
        .iter()
        .filter_map(|c| Some((site.work(&c.work)?, c)))
        .collect();
    comparisons.par_iter().try_for_each(|&(work, c)| {
        // The same shape `avtal diff --format json` prints.
        let all: Vec<&Pair> = c.pairs.iter().collect();
        let body = serde_json::to_vec_pretty(&comparison_json(site, c, &all)).unwrap_or_default();
        sink.put(OutputFile::new(
            routes::comparison_json(
                &work.id,
                &version_id(&site.pages[c.from_page]),
                &version_id(&site.pages[c.to_page]),
            ),
            body,
        ))
    })?;
    let schemas = schema_files();
    let schema_count = schemas.len();
    for file in schemas {
        sink.put(file)?;
    }
    Ok(versions.len() + comparisons.len() + schema_count)
}

/// Every schema: file name and text. The tests validate every JSON file of a build
/// against the schema [`schema_for`] names.
pub const SCHEMAS: &[(&str, &str)] = &[
    (
        "version.schema.json",
        include_str!("../../schemas/version.schema.json"),
    ),
    (
        "comparison.schema.json",
        include_str!("../../schemas/comparison.schema.json"),
    ),
    (
        "search-manifest.schema.json",
        include_str!("../../schemas/search-manifest.schema.json"),
    ),
    (
        "search-words.schema.json",
        include_str!("../../schemas/search-words.schema.json"),
    ),
    (
        "search-postings.schema.json",
        include_str!("../../schemas/search-postings.schema.json"),
    ),
    (
        "search-text.schema.json",
        include_str!("../../schemas/search-text.schema.json"),
    ),
    (
        "search-pages.schema.json",
        include_str!("../../schemas/search-pages.schema.json"),
    ),
];

/// The schema files, to be written with the site.
pub fn schema_files() -> Vec<OutputFile> {
    SCHEMAS
        .iter()
        .map(|(name, text)| OutputFile::new(routes::schema(name), *text))
        .collect()
}

/// The schema (file name) of a published JSON file, by its path relative to the site
/// root; `None` for a path that is no published JSON.
pub fn schema_for(path: &str) -> Option<&'static str> {
    let numbered = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".json"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let name = if path == routes::SEARCH_MANIFEST {
        "search-manifest.schema.json"
    } else if path == routes::SEARCH_PAGES {
        "search-pages.schema.json"
    } else if numbered(routes::SEARCH_WORDS) {
        "search-words.schema.json"
    } else if numbered(routes::SEARCH_POSTINGS) {
        "search-postings.schema.json"
    } else if numbered(routes::SEARCH_TEXT) {
        "search-text.schema.json"
    } else if path.starts_with(routes::SEARCH)
        || path.starts_with(routes::SCHEMA_FOLDER)
        || !path.ends_with(".json")
    {
        // The search index writes no other JSON: a new kind of file needs its schema.
        return None;
    } else {
        // WORK/jamfor/FROM-TO.json or WORK/VERSION.json.
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [work, _, _] if path.starts_with(&routes::comparisons_folder(work)) => {
                "comparison.schema.json"
            }
            [_, _] => "version.schema.json",
            _ => return None,
        }
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::schema_for;

    #[test]
    fn every_published_json_path_has_its_schema() {
        assert_eq!(
            schema_for("overenskommelse/2013.json"),
            Some("version.schema.json")
        );
        assert_eq!(
            schema_for("overenskommelse/jamfor/2009-2013.json"),
            Some("comparison.schema.json")
        );
        assert_eq!(
            schema_for("sok/manifest.json"),
            Some("search-manifest.schema.json")
        );
        assert_eq!(
            schema_for("sok/ord/12.json"),
            Some("search-words.schema.json")
        );
        assert_eq!(
            schema_for("sok/forekomster/0.json"),
            Some("search-postings.schema.json")
        );
        assert_eq!(
            schema_for("sok/text/3.json"),
            Some("search-text.schema.json")
        );
        assert_eq!(
            schema_for("sok/sidor.json"),
            Some("search-pages.schema.json")
        );
        assert_eq!(schema_for("sok/stycken/3.json"), None);
        assert_eq!(schema_for("sok/index.json"), None);
        assert_eq!(schema_for("schemas/version.schema.json"), None);
        assert_eq!(schema_for("overenskommelse/2013.akn.xml"), None);
    }

    #[test]
    fn every_schema_is_json() {
        for (name, text) in super::SCHEMAS {
            let value: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(value.get("$schema").is_some(), "{name}");
        }
    }

    /// Every field of the search index's schemas says what it means: the index's
    /// layout is documented there for reuse.
    #[test]
    fn every_field_of_the_search_schemas_is_described() {
        fn check(name: &str, at: &str, node: &serde_json::Value, defs: &serde_json::Value) {
            let described = |field: &serde_json::Value| {
                field.get("description").is_some()
                    || field
                        .get("$ref")
                        .and_then(|r| r.as_str())
                        .and_then(|r| r.strip_prefix("#/$defs/"))
                        .is_some_and(|def| defs[def].get("description").is_some())
            };
            if let Some(properties) = node.get("properties").and_then(|p| p.as_object()) {
                for (key, field) in properties {
                    assert!(described(field), "{name}: {at}/{key} has no description");
                }
            }
            if let Some(items) = node.get("prefixItems").and_then(|p| p.as_array()) {
                for (index, field) in items.iter().enumerate() {
                    assert!(described(field), "{name}: {at}/{index} has no description");
                }
            }
            match node {
                serde_json::Value::Object(map) => {
                    for (key, child) in map {
                        check(name, &format!("{at}/{key}"), child, defs);
                    }
                }
                serde_json::Value::Array(list) => {
                    for (index, child) in list.iter().enumerate() {
                        check(name, &format!("{at}/{index}"), child, defs);
                    }
                }
                _ => {}
            }
        }
        for (name, text) in super::SCHEMAS {
            if name.starts_with("search-") {
                let value: serde_json::Value = serde_json::from_str(text).unwrap();
                check(name, "", &value, &value["$defs"]);
            }
        }
    }

    /// The manifest's schema describes the layout the index writes.
    #[test]
    fn the_search_manifest_schema_has_the_index_format() {
        let (_, text) = super::SCHEMAS
            .iter()
            .find(|(name, _)| *name == "search-manifest.schema.json")
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            value["properties"]["format"]["const"],
            crate::render::search::FORMAT
        );
    }
}
