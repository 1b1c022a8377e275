//! The static search index: every stycke of every page with its address, in shards of
//! bounded size listed in a manifest, so a phone downloads only what it needs and the
//! index grows by adding shards rather than by growing one file.
//!
//! Matching happens in the browser (themes/default/static/search.js): substring search
//! over text folded to lowercase without diacritics, which finds inflected forms
//! ("självförsörjningen"), parts of compounds ("samverkansavtal" for "avtal") and queries
//! typed without å/ä/ö.

use serde_json::{Value, json};

use crate::compare::Alignment;
use crate::model::{PageKind, Site};
use crate::output::OutputFile;

/// Upper bound for one shard's JSON, before compression.
pub const SHARD_BYTES: usize = 150 * 1024;

/// Lowercase, without diacritics: `Självförsörjning` → `sjalvforsorjning`.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn files(site: &Site, _alignment: &Alignment) -> Vec<OutputFile> {
    let mut pages: Vec<Value> = Vec::new();
    let mut entries: Vec<Value> = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        let label = match &page.kind {
            PageKind::Version(v) => {
                let short = site
                    .work(&v.work)
                    .map_or(v.title.clone(), |w| w.short_title.clone());
                format!("{short} ({})", v.version)
            }
            _ => page.title().to_string(),
        };
        pages.push(json!([label, page.url]));
        for clause in &page.body.clauses {
            for stycke in &clause.stycken {
                if stycke.text.is_empty() {
                    continue;
                }
                entries.push(json!([index, clause.label(), stycke.id, stycke.text]));
            }
        }
    }
    let mut shards: Vec<Vec<Value>> = vec![Vec::new()];
    let mut size = 0;
    for entry in entries {
        let entry_size = entry.to_string().len();
        if size + entry_size > SHARD_BYTES && !shards.last().is_some_and(Vec::is_empty) {
            shards.push(Vec::new());
            size = 0;
        }
        size += entry_size;
        if let Some(last) = shards.last_mut() {
            last.push(entry);
        }
    }
    let mut files = Vec::new();
    let names: Vec<String> = (0..shards.len())
        .map(|i| format!("sok/index-{i}.json"))
        .collect();
    for (name, shard) in names.iter().zip(&shards) {
        files.push(OutputFile::new(
            name.clone(),
            serde_json::to_vec(&json!({ "entries": shard })).unwrap_or_default(),
        ));
    }
    let manifest = json!({ "pages": pages, "shards": names });
    files.push(OutputFile::new(
        "sok/manifest.json",
        serde_json::to_vec(&manifest).unwrap_or_default(),
    ));
    files
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::{SHARD_BYTES, fold};
    use crate::pipeline;
    use crate::render::RenderOptions;

    /// What a phone may download for search, at most (the budget).
    const PHONE_BUDGET: usize = 300 * 1024;

    #[test]
    fn the_real_index_covers_every_stycke_within_budget() {
        let built = match pipeline::build(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &RenderOptions::default(),
        ) {
            Ok(built) => built,
            Err(problems) => panic!("the project's own content must build: {problems:?}"),
        };
        let index_files: Vec<_> = built
            .files
            .iter()
            .filter(|f| f.path.starts_with("sok/") && f.path.ends_with(".json"))
            .collect();
        let total: usize = index_files.iter().map(|f| f.bytes.len()).sum();
        assert!(total <= PHONE_BUDGET, "search index is {total} bytes");
        let manifest_file = index_files
            .iter()
            .find(|f| f.path == "sok/manifest.json")
            .expect("manifest");
        let manifest: Value =
            serde_json::from_slice(&manifest_file.bytes).expect("manifest is JSON");
        let mut ids: Vec<(u64, String)> = Vec::new();
        for name in manifest["shards"].as_array().expect("shard list") {
            let name = name.as_str().expect("shard name");
            let shard = index_files
                .iter()
                .find(|f| f.path == name)
                .expect("listed shard is written");
            assert!(
                shard.bytes.len() <= SHARD_BYTES + 4096,
                "{name} is too large"
            );
            let shard: Value = serde_json::from_slice(&shard.bytes).expect("shard is JSON");
            for entry in shard["entries"].as_array().expect("entries") {
                ids.push((
                    entry[0].as_u64().expect("page index"),
                    entry[2].as_str().expect("id").to_string(),
                ));
            }
        }
        let pages = manifest["pages"].as_array().expect("pages");
        for (index, page) in built.site.pages.iter().enumerate() {
            assert_eq!(pages[index][1], page.url.as_str());
            for stycke in page
                .body
                .clauses
                .iter()
                .flat_map(|c| &c.stycken)
                .filter(|s| !s.text.is_empty())
            {
                assert!(
                    ids.contains(&(index as u64, stycke.id.clone())),
                    "{} #{} not indexed",
                    page.url,
                    stycke.id
                );
            }
        }
    }

    #[test]
    fn folding_removes_diacritics_and_case() {
        assert_eq!(fold("Självförsörjningen"), "sjalvforsorjningen");
        assert_eq!(fold("ÅÄÖ é"), "aao e");
    }
}
