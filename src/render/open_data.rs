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
use crate::compare::{Alignment, ChangeKind, Comparison, Pair};
use crate::model::meta::{IsoDate, StatusStep, StepKind};
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
        status: meta.map(crate::model::status::label),
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
    pub status: ChangeKind,
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

/// The published JSON against its documentation: the schemas (which the README points
/// to) and the README's example of a comparison. Both are checked against a build of the
/// project's own content, which writes every key the schemas describe.
#[cfg(test)]
mod documented {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use serde_json::Value;

    use crate::render::RenderOptions;

    /// `$ref` resolved against the schema's `$defs`, and the path inside it: a
    /// definition's keys are named once, from it (`#change/op`), wherever it is used.
    fn resolved<'a>(node: &'a Value, schema: &'a Value, path: &str) -> (&'a Value, String) {
        match node["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            Some(name) => resolved(&schema["$defs"][name], schema, &format!("#{name}")),
            None => (node, path.to_string()),
        }
    }

    /// Every key a schema describes, as a path: `/pairs[]/moves[]/from_block`; `*` for
    /// the keys of a map (`additionalProperties`), `[n]` for place `n` of a tuple.
    fn schema_keys(node: &Value, schema: &Value, path: &str, out: &mut BTreeSet<String>) {
        let (node, path) = resolved(node, schema, path);
        for (key, child) in node["properties"].as_object().into_iter().flatten() {
            out.insert(format!("{path}/{key}"));
            schema_keys(child, schema, &format!("{path}/{key}"), out);
        }
        if node["additionalProperties"].is_object() {
            out.insert(format!("{path}/*"));
            schema_keys(
                &node["additionalProperties"],
                schema,
                &format!("{path}/*"),
                out,
            );
        }
        if node["items"].is_object() {
            schema_keys(&node["items"], schema, &format!("{path}[]"), out);
        }
        for (place, child) in node["prefixItems"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            schema_keys(child, schema, &format!("{path}[{place}]"), out);
        }
    }

    /// Every key of `value`, as a path in the schema's terms (see `schema_keys`). A key
    /// the schema does not describe is a path too, so that it fails the comparison.
    /// (Alternatives, `oneOf`, hold no objects in the schemas: they are not entered.)
    fn written_keys(
        value: &Value,
        node: &Value,
        schema: &Value,
        path: &str,
        out: &mut BTreeSet<String>,
    ) {
        let (node, path) = resolved(node, schema, path);
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let (path, child_node) = match &node["properties"][key] {
                        Value::Null if node["additionalProperties"].is_object() => {
                            (format!("{path}/*"), &node["additionalProperties"])
                        }
                        described => (format!("{path}/{key}"), described),
                    };
                    out.insert(path.clone());
                    written_keys(child, child_node, schema, &path, out);
                }
            }
            Value::Array(items) => {
                let tuple = node["prefixItems"].as_array();
                for (place, item) in items.iter().enumerate() {
                    match tuple.and_then(|t| t.get(place)) {
                        Some(child) => {
                            written_keys(item, child, schema, &format!("{path}[{place}]"), out)
                        }
                        None => {
                            written_keys(item, &node["items"], schema, &format!("{path}[]"), out)
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The project's own content, built into memory: path → text.
    fn built() -> BTreeMap<String, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let built = crate::render::test_site::built(root, &RenderOptions::default());
        built
            .files
            .into_iter()
            .filter(|file| super::schema_for(&file.path).is_some())
            .map(|file| {
                let text = String::from_utf8(file.bytes.to_vec()).expect("JSON is UTF-8");
                (file.path, text)
            })
            .collect()
    }

    fn schema(name: &str) -> Value {
        let (_, text) = super::SCHEMAS
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is published"));
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Every key the build writes is described in its schema, and every key a schema
    /// describes is written: a field added to or renamed in the published types fails
    /// here until the schema says what it means.
    #[test]
    fn the_published_json_has_the_keys_its_schema_describes() {
        let files = built();
        assert!(
            files.keys().any(|path| path.contains("/jamfor/")),
            "a comparison's JSON"
        );
        let mut written: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (path, text) in &files {
            let name = super::schema_for(path).expect("filtered");
            let schema = schema(name);
            let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            written_keys(
                &value,
                &schema,
                &schema,
                "",
                written.entry(name).or_default(),
            );
        }
        for (name, _) in super::SCHEMAS {
            let schema = schema(name);
            let mut described = BTreeSet::new();
            schema_keys(&schema, &schema, "", &mut described);
            let written = written.get(name).cloned().unwrap_or_default();
            let undescribed: Vec<&String> = written.difference(&described).collect();
            let unwritten: Vec<&String> = described.difference(&written).collect();
            assert!(
                undescribed.is_empty() && unwritten.is_empty(),
                "{name}: keys written but not in the schema: {undescribed:?}; in the schema but never written: {unwritten:?}"
            );
        }
    }

    /// The files list their keys sorted, as they always have: the types declare their
    /// fields in that order (a type's field out of order changes the published bytes).
    #[test]
    fn the_published_json_lists_its_keys_sorted() {
        for (path, text) in built() {
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            // `Value`'s maps are sorted; the version and comparison files are indented.
            let sorted = if text.contains('\n') {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            };
            assert!(
                sorted.ok().as_deref() == Some(text.as_str()),
                "{path}: keys out of order"
            );
        }
    }

    /// The README's example of `avtal diff --format json` (the comparison's JSON), its
    /// comments and `…` left out.
    fn readme_comparison_example() -> Value {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                .expect("README.md");
        let after = readme
            .split_once("`--format json` prints one object")
            .map(|(_, rest)| rest)
            .expect("the README documents `avtal diff --format json`");
        let block = after
            .split_once("```json\n")
            .and_then(|(_, rest)| rest.split_once("\n```"))
            .map(|(block, _)| block)
            .expect("a JSON example follows");
        let mut json = String::new();
        for line in block.lines() {
            let mut in_string = false;
            let mut escaped = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                if in_string {
                    in_string = c != '"' || escaped;
                    escaped = c == '\\' && !escaped;
                    json.push(c);
                    continue;
                }
                match c {
                    '"' => {
                        in_string = true;
                        json.push(c);
                    }
                    '/' if chars.peek() == Some(&'/') => break,
                    // An elided item, and the comma before it.
                    '…' => {
                        let kept = json.trim_end().len();
                        json.truncate(kept);
                        if json.ends_with(',') {
                            json.pop();
                        }
                    }
                    c => json.push(c),
                }
            }
            json.push('\n');
        }
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("the README's example: {e}\n{json}"))
    }

    /// The README shows every key of the comparison's JSON, and no other.
    #[test]
    fn the_readmes_comparison_example_has_every_key_of_its_schema() {
        let schema = schema("comparison.schema.json");
        let mut described = BTreeSet::new();
        schema_keys(&schema, &schema, "", &mut described);
        let mut shown = BTreeSet::new();
        written_keys(
            &readme_comparison_example(),
            &schema,
            &schema,
            "",
            &mut shown,
        );
        assert_eq!(
            shown, described,
            "README.md's `--format json` example against the schema"
        );
    }
}
