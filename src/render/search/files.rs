//! The search index's files as types: what `themes/default/static/search.js` reads and
//! `schemas/search-*.schema.json` describe (the module above tells what each is for).
//! Structs list their fields in alphabetical order, the files' key order; lists of
//! fixed places (tuples) are written as JSON arrays, which keeps the files small.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

/// `sok/manifest.json`.
#[derive(Serialize)]
pub struct Manifest<'a> {
    /// `[title, address]` of the tables of contents offered when nothing is found.
    pub contents: Vec<(String, String)>,
    pub format: u32,
    #[serde(rename = "gramShards")]
    pub gram_shards: usize,
    /// `[kind, label]` of the kind filter's choices.
    pub kinds: Vec<(&'static str, String)>,
    #[serde(rename = "maxWord")]
    pub max_word: usize,
    #[serde(rename = "textChunk")]
    pub text_chunk: usize,
    pub units: usize,
    /// `[version label, status or null]` of the version filter's choices.
    pub versions: &'a [(String, Option<&'static str>)],
}

/// `sok/sidor.json`.
#[derive(Serialize)]
pub struct PagesFile {
    /// `[kind, [version label, …]]`, numbers into the manifest's choices.
    pub groups: Vec<(usize, Vec<usize>)>,
    /// Per page in unit order its number of units and its group (`encode_numbers`).
    pub pages: String,
}

/// `sok/ord/N.json`: a gram shard.
#[derive(Serialize)]
pub struct GramShard<'a> {
    /// Gram → indexes into `words`.
    pub grams: BTreeMap<&'a str, Vec<usize>>,
    pub words: Vec<&'a Placement>,
}

/// Where a key's lists are: `[key, body, headings, titles]` (empty lists at the end
/// left out), or `[key, N, bytes]` for the lists in `sok/forekomster/N.json`.
pub enum Placement {
    Inline {
        key: String,
        lists: Vec<String>,
    },
    InFile {
        key: String,
        file: usize,
        bytes: usize,
    },
}

impl Serialize for Placement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Placement::Inline { key, lists } => {
                let mut seq = serializer.serialize_seq(Some(1 + lists.len()))?;
                seq.serialize_element(key)?;
                for list in lists {
                    seq.serialize_element(list)?;
                }
                seq.end()
            }
            Placement::InFile { key, file, bytes } => (key, file, bytes).serialize(serializer),
        }
    }
}

/// `sok/text/N.json`: the text of consecutive units, grouped by page and clause.
#[derive(Serialize)]
pub struct TextChunk<'a> {
    /// The number of the chunk's first unit.
    pub first: usize,
    pub pages: Vec<TextPage<'a>>,
}

/// `[title, where it is from, address, kind, clauses]`.
#[derive(Serialize)]
pub struct TextPage<'a>(
    pub &'a str,
    pub String,
    pub &'a str,
    pub &'static str,
    pub Vec<TextClause<'a>>,
);

/// `[label, clause id, heading, units]`.
#[derive(Serialize)]
pub struct TextClause<'a>(pub String, pub &'a str, pub &'a str, pub Vec<TextUnit<'a>>);

/// `[anchor, text]`, or `[anchor, text, n]` when the text's last `n` lines are list
/// items.
#[derive(Serialize)]
#[serde(untagged)]
pub enum TextUnit<'a> {
    Text(Anchor<'a>, &'a str),
    WithItems(Anchor<'a>, &'a str, usize),
}

/// A stycke `{clause id}S{n}` as `n`; any other anchor as it is.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Anchor<'a> {
    Stycke(u64),
    Id(&'a str),
}
