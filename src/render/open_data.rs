//! The JSON Schema of every kind of JSON file the site publishes (`schemas/` in the
//! repository, published at `/schemas/NAME.schema.json`).

use crate::output::OutputFile;
use crate::routes;

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
