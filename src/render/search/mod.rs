//! The static search index: a word index sharded by trigram, so the browser downloads
//! only the few files a query needs, and a site of 10,000 documents costs a phone
//! about as much as one page.
//!
//! What search must find (themes/default/static/search.js): inflected forms
//! ("självförsörjning" finds "självförsörjningen"), parts of compounds ("avtal" finds
//! "samverkansavtal") and queries typed without å/ä/ö. All three are a substring of a
//! folded word (`fold`: lowercase, no diacritics), and a query term never spans two
//! words (terms are split where the text is), so the index is a list of **words**,
//! and substring matching happens on words, not on the text:
//!
//! - `sok/ord/N.json`, the gram shards: every distinct folded word is listed under
//!   each of its trigrams and under `^` plus its first two letters (`text::grams`);
//!   gram `g` lives in shard `gram_hash(g) % shards`. A query term's first trigram
//!   (`^` and the term, for two letters) names the one shard that lists every word
//!   containing the term; the browser keeps the words that really contain it. Each
//!   word carries its postings: the stycke numbers it occurs in (`postings`), inline
//!   when short, else the number of a file in `sok/forekomster/`.
//! - `sok/forekomster/N.json`: postings of the most frequent words, one file each,
//!   so they are stored once instead of once per gram and fetched only by a query
//!   that matches the word.
//! - `sok/stycken/N.json`: for `STYCKEN_PER_CHUNK` consecutive stycken, the page
//!   (label, address), clause label and anchor of each: fetched only for the hits
//!   shown.
//! - `sok/manifest.json`: the numbers the browser needs to find the rest.
//!
//! Word lists give exact answers (a stycke is a hit when each query term is inside
//! one of its words), so no stycke text is needed to count or rank hits. The snippet
//! around the hit is taken from the hit's own page, which the browser fetches for the
//! hits it shows (and has cached when the reader follows one): storing the text again
//! would add the corpus' size (45 MB at 10,000 documents) to the index.
//!
//! Why not trigram postings of the text itself: every stycke has hundreds of distinct
//! trigrams, so those lists are several times the text, and candidates would have to
//! be checked against text fetched for every candidate before hits can be counted.
//!
//! Cost: one pass over the text (parallel by chunks of stycken), then work per
//! distinct word and gram; nothing compares stycken with each other.

mod postings;
mod text;

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::compare::Alignment;
use crate::content::body::{Body, Clause, Stycke};
use crate::diagnostics::Diagnostic;
use crate::model::{PageKind, Site};
use crate::output::{OutputFile, Sink};
use crate::render::RenderError;
use postings::Growing;

/// FxHash, the hash rustc uses for its own tables: the index hashes every word of the
/// site, short strings for which SipHash's start-up costs more than the hashing. Words
/// come from the site's own content, so resistance to chosen keys is not needed.
type FxBuild = rustc_hash::FxBuildHasher;

pub use text::fold;

/// What one gram shard should weigh; their number follows the index's size.
pub const TARGET_SHARD_BYTES: usize = 32 * 1024;
/// At most this many gram shards, so a large site does not become many small files.
pub const MAX_GRAM_SHARDS: usize = 256;
/// Postings up to this long are stored with the word in every shard listing it.
pub const INLINE_POSTINGS_BYTES: usize = 256;
/// At most this many words get a postings file of their own (the most frequent).
pub const MAX_POSTINGS_FILES: usize = 512;
/// Stycken per `sok/stycken/N.json`.
pub const STYCKEN_PER_CHUNK: usize = 1024;
/// Bumped whenever the layout changes; search.js checks it.
pub const FORMAT: u32 = 2;

/// One stycke with text, numbered by its position in this list: where it is in its
/// page's body (indexes, not references, so that a large site's list stays small, and
/// the same places find its text in the body read again).
#[derive(Clone, Copy)]
struct Indexed {
    page: u32,
    clause: u32,
    stycke: u32,
}

impl Indexed {
    fn clause<'a>(&self, site: &'a Site) -> &'a Clause {
        &site.pages[self.page as usize].body.clauses[self.clause as usize]
    }

    fn stycke<'a>(&self, site: &'a Site) -> &'a Stycke {
        &self.clause(site).stycken[self.stycke as usize]
    }
}

/// Writes the search index's files into `sink` as each is made, and returns how many.
/// A page that let go of its stycke texts is read again (`Page::body_with_texts`),
/// which fails only if its file changed since it was loaded.
pub fn write(site: &Site, _alignment: &Alignment, sink: &dyn Sink) -> Result<usize, RenderError> {
    let stycken: Vec<Indexed> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(page, p)| {
            p.body
                .clauses
                .iter()
                .enumerate()
                .flat_map(move |(clause, c)| {
                    c.stycken
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.has_text)
                        .map(move |(stycke, _)| Indexed {
                            page: page as u32,
                            clause: clause as u32,
                            stycke: stycke as u32,
                        })
                })
        })
        .collect();

    let (words, encoded): (Vec<String>, Vec<String>) = word_postings(site, &stycken)
        .map_err(|problem| RenderError::Problems(vec![problem]))?
        .into_iter()
        .unzip();
    let threshold = inline_threshold(&encoded);
    // Where each word's postings are: inline, or in postings file N.
    let put = |file: OutputFile| sink.put(file).map_err(RenderError::Output);
    let mut postings_files = 0;
    let mut placement: Vec<Value> = Vec::with_capacity(encoded.len());
    for postings in encoded {
        if postings.len() > threshold {
            put(OutputFile::new(
                format!("sok/forekomster/{postings_files}.json"),
                json_bytes(&json!(postings)),
            ))?;
            placement.push(json!(postings_files));
            postings_files += 1;
        } else {
            placement.push(Value::String(postings));
        }
    }

    let gram_shard_count = gram_shards(&words, &placement, sink)?;
    drop((words, placement));
    let chunks = stycke_chunks(site, &stycken, sink)?;
    let manifest = json!({
        "format": FORMAT,
        "stycken": stycken.len(),
        "chunkSize": STYCKEN_PER_CHUNK,
        "gramShards": gram_shard_count,
        "maxWord": text::MAX_WORD_CHARS,
    });
    put(OutputFile::new("sok/manifest.json", json_bytes(&manifest)))?;
    Ok(postings_files + gram_shard_count + chunks + 1)
}

/// Every distinct word with the stycke numbers it occurs in, encoded (`postings`),
/// sorted by word.
fn word_postings(site: &Site, stycken: &[Indexed]) -> Result<Vec<(String, String)>, Diagnostic> {
    // A few chunks per thread: enough to balance the load, few enough that merging the
    // chunks' word lists stays small beside reading the text.
    let chunk_size = stycken
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(2048);
    let partial: Vec<Vec<(Box<str>, Growing)>> = stycken
        .par_chunks(chunk_size)
        .enumerate()
        .map(|(chunk, entries)| {
            // Each distinct word is stored once per chunk and named by a number, so a
            // stycke's words are sorted and deduplicated as numbers, not as strings.
            let mut ids: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
            let mut postings: Vec<Option<Growing>> = Vec::new();
            let mut seen: Vec<u32> = Vec::new();
            // The body with texts of the page being read: one page at a time.
            let mut current: Option<(u32, std::borrow::Cow<Body>)> = None;
            for (offset, entry) in entries.iter().enumerate() {
                let number = (chunk * chunk_size + offset) as u32;
                seen.clear();
                if current.as_ref().is_none_or(|(page, _)| *page != entry.page) {
                    let page = &site.pages[entry.page as usize];
                    current = Some((entry.page, page.body_with_texts()?));
                }
                let text = current
                    .as_ref()
                    .and_then(|(_, body)| body.clauses.get(entry.clause as usize))
                    .and_then(|clause| clause.stycken.get(entry.stycke as usize))
                    .map_or("", |stycke| stycke.text.as_str());
                text::for_each_word(text, |word| {
                    let id = match ids.get(word) {
                        Some(&id) => id,
                        None => {
                            let id = postings.len() as u32;
                            ids.insert(word.into(), id);
                            postings.push(None);
                            id
                        }
                    };
                    seen.push(id);
                });
                seen.sort_unstable();
                seen.dedup();
                for &id in &seen {
                    match &mut postings[id as usize] {
                        Some(growing) => growing.push(number),
                        none => *none = Some(Growing::new(number)),
                    }
                }
            }
            let mut found: Vec<(Box<str>, Growing)> = Vec::with_capacity(ids.len());
            for (word, id) in ids {
                if let Some(growing) = postings[id as usize].take() {
                    found.push((word, growing));
                }
            }
            Ok(found)
        })
        .collect::<Result<_, Diagnostic>>()?;
    // Chunks are merged in order, so every list stays sorted.
    let mut all: HashMap<Box<str>, Growing, FxBuild> = HashMap::default();
    for found in partial {
        for (word, growing) in found {
            match all.get_mut(&word) {
                Some(existing) => existing.append(growing),
                None => {
                    all.insert(word, growing);
                }
            }
        }
    }
    let mut words: Vec<(String, String)> = all
        .into_par_iter()
        .map(|(word, growing)| (word.into_string(), growing.finish()))
        .collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(words)
}

/// Postings longer than this go to a file of their own: `INLINE_POSTINGS_BYTES`, raised
/// when more than `MAX_POSTINGS_FILES` words exceed it.
fn inline_threshold(encoded: &[String]) -> usize {
    let mut lengths: Vec<usize> = encoded.iter().map(String::len).collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    match lengths.get(MAX_POSTINGS_FILES) {
        Some(&length) => length.max(INLINE_POSTINGS_BYTES),
        None => INLINE_POSTINGS_BYTES,
    }
}

/// `sok/ord/N.json`: `{"grams": {"avt": [0, 4]}, "words": [["avtal", postings], …]}`,
/// numbers in `grams` pointing into the shard's own `words`.
/// Returns how many shards it wrote.
fn gram_shards(
    words: &[String],
    placement: &[Value],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let word_grams: Vec<Vec<String>> = words.par_iter().map(|word| text::grams(word)).collect();
    let mut by_gram: HashMap<&str, Vec<u32>> = HashMap::new();
    for (word, grams) in word_grams.iter().enumerate() {
        for gram in grams {
            by_gram.entry(gram).or_default().push(word as u32);
        }
    }
    // Each listing repeats the word and inline postings; the estimate sets the count.
    let listing_bytes = |word: usize| {
        words[word].len()
            + 8
            + match &placement[word] {
                Value::String(postings) => postings.len(),
                _ => 4,
            }
    };
    let estimate: usize = word_grams
        .iter()
        .enumerate()
        .map(|(word, grams)| grams.len() * listing_bytes(word))
        .sum();
    let shard_count = estimate
        .div_ceil(TARGET_SHARD_BYTES)
        .clamp(1, MAX_GRAM_SHARDS);

    let mut shards: Vec<Vec<(&str, &Vec<u32>)>> = vec![Vec::new(); shard_count];
    for (gram, listed) in &by_gram {
        shards[text::gram_hash(gram, shard_count)].push((gram, listed));
    }
    shards
        .into_par_iter()
        .enumerate()
        .try_for_each(|(number, mut grams)| {
            grams.sort_unstable_by_key(|(gram, _)| *gram);
            let mut local: HashMap<u32, usize> = HashMap::new();
            let mut shard_words: Vec<Value> = Vec::new();
            let mut gram_map = serde_json::Map::new();
            for (gram, listed) in grams {
                let indexes: Vec<usize> = listed
                    .iter()
                    .map(|&word| {
                        *local.entry(word).or_insert_with(|| {
                            let word = word as usize;
                            shard_words.push(json!([words[word], placement[word]]));
                            shard_words.len() - 1
                        })
                    })
                    .collect();
                gram_map.insert(gram.to_string(), json!(indexes));
            }
            let shard = json!({ "grams": gram_map, "words": shard_words });
            sink.put(OutputFile::new(
                format!("sok/ord/{number}.json"),
                json_bytes(&shard),
            ))
        })
        .map_err(RenderError::Output)?;
    Ok(shard_count)
}

/// A clause and the anchors of its stycken in one chunk.
type ClauseAnchors<'a> = (&'a Clause, Vec<&'a str>);

/// `sok/stycken/N.json`: `{"first": 1024, "pages": [[label, url, [[clause label,
/// clause id, anchors], …]], …]}`, the stycken in order, grouped by page and clause;
/// `anchors` as `compact_anchors` writes them.
/// Returns how many chunks it wrote.
fn stycke_chunks(site: &Site, stycken: &[Indexed], sink: &dyn Sink) -> Result<usize, RenderError> {
    let labels: Vec<String> = site
        .pages
        .iter()
        .map(|page| match &page.kind {
            PageKind::Version(v) => {
                let short = site
                    .work(&v.work)
                    .map_or(v.title.clone(), |w| w.short_title.clone());
                format!("{short} ({})", v.version)
            }
            _ => page.title().to_string(),
        })
        .collect();
    stycken
        .par_chunks(STYCKEN_PER_CHUNK)
        .enumerate()
        .try_for_each(|(number, chunk)| {
            let mut pages: Vec<(usize, Vec<ClauseAnchors>)> = Vec::new();
            for entry in chunk {
                let page = entry.page as usize;
                if pages.last().is_none_or(|(last, _)| *last != page) {
                    pages.push((page, Vec::new()));
                }
                let Some((_, clauses)) = pages.last_mut() else {
                    continue;
                };
                let clause = entry.clause(site);
                if clauses
                    .last()
                    .is_none_or(|(last, _)| !std::ptr::eq(*last, clause))
                {
                    clauses.push((clause, Vec::new()));
                }
                if let Some((_, anchors)) = clauses.last_mut() {
                    anchors.push(&entry.stycke(site).id);
                }
            }
            let pages: Vec<Value> = pages
                .into_iter()
                .map(|(page, clauses)| {
                    let clauses: Vec<Value> = clauses
                        .into_iter()
                        .map(|(clause, anchors)| {
                            json!([clause.label(), clause.id, compact_anchors(clause, &anchors)])
                        })
                        .collect();
                    json!([labels[page], site.pages[page].url, clauses])
                })
                .collect();
            let first = number * STYCKEN_PER_CHUNK;
            sink.put(OutputFile::new(
                format!("sok/stycken/{number}.json"),
                json_bytes(&json!({ "first": first, "pages": pages })),
            ))
        })
        .map_err(RenderError::Output)?;
    Ok(stycken.len().div_ceil(STYCKEN_PER_CHUNK))
}

/// Stycke anchors are `{clause id}S{n}` (`P5S2`): each is written as `n`, and runs
/// of consecutive numbers as `[first, last]`, so `P5S1 … P5S4` is `[[1, 4]]`. An
/// anchor of any other form is written as it is.
fn compact_anchors(clause: &Clause, anchors: &[&str]) -> Vec<Value> {
    let prefix = format!("{}S", clause.id);
    let mut out: Vec<Value> = Vec::new();
    let mut run: Option<(u64, u64)> = None;
    let flush = |run: &mut Option<(u64, u64)>, out: &mut Vec<Value>| match run.take() {
        Some((first, last)) if first == last => out.push(json!(first)),
        Some((first, last)) => out.push(json!([first, last])),
        None => {}
    };
    for anchor in anchors {
        let number = anchor
            .strip_prefix(&prefix)
            .filter(|n| !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u64>().ok());
        match (number, run) {
            (Some(n), Some((first, last))) if n == last + 1 => run = Some((first, n)),
            (Some(n), _) => {
                flush(&mut run, &mut out);
                run = Some((n, n));
            }
            (None, _) => {
                flush(&mut run, &mut out);
                out.push(json!(anchor));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

fn json_bytes(value: &Value) -> Vec<u8> {
    // Serialising a `Value` cannot fail: its keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
}
