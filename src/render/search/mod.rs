//! The static search index: a word index sharded by trigram, so the browser downloads
//! only the few files a query needs, and a site of 10,000 documents costs a phone
//! about as much as one page.
//!
//! What search must find (themes/default/static/search.js): inflected forms ("skolor"
//! finds "skolan"), parts of compounds ("avtal" finds "samverkansavtal"), queries typed
//! without å/ä/ö, clause headings, clause numbers ("§ 9", "5 § 2 st.") and document
//! titles. Words are indexed by their **key**: the word stemmed by the Snowball Swedish
//! algorithm, then folded (`text::key`); the browser stems and folds a query term the
//! same way and matches every key that contains it, so inflections meet in one key and
//! compounds and unaccented queries are substrings of keys. The index is a list of
//! keys, and substring matching happens on keys, not on the text:
//!
//! - The **units** searched are the stycken with text (a clause without any is one unit
//!   of its own, found by its heading), numbered in the order equal hits are shown
//!   (`ranked_pages`: the version that applies, other versions newest first, documents
//!   newest first, other pages), so ranking a tie costs no data.
//! - `sok/ord/N.json`, the gram shards: every key is listed under each of its trigrams
//!   and under `^` plus its first two characters (`text::grams`); gram `g` lives in
//!   shard `gram_hash(g) % shards`. A query term's first trigram names the one shard
//!   listing every key containing the term. Each key carries three lists
//!   (`postings`): the units whose text has it, the unit ranges of clauses whose
//!   heading has it, and the unit ranges of pages whose title has it; inline when
//!   short, else the number of a file in `sok/forekomster/`. Clause numbers are keys
//!   too (`#9`), listed with their clause's range.
//! - `sok/forekomster/N.json`: the lists of the most frequent keys, one file each, so
//!   they are stored once instead of once per gram and fetched only by a query that
//!   matches the key.
//! - `sok/text/N.json`: the text of a few consecutive units (`text_chunk_size`) with their
//!   page (title, where it is from, address), clause (label, anchor, heading) and
//!   anchors, fetched for the hits shown: snippets, nearness of terms and the parts of
//!   a clause a reference names come from here, never from the pages.
//! - `sok/sidor.json`: how many units each page has and its kind and versions, fetched
//!   only to filter.
//! - `sok/manifest.json`: the numbers the browser needs to find the rest, the filters'
//!   choices and the tables of contents to lead a reader who found nothing.
//!
//! Cost: one pass over the text (parallel by chunks of units) that also writes the text
//! chunks, then work per distinct key and gram; nothing compares units with each other.

pub mod files;
mod postings;
/// Words and keys as the index makes them; public for the tests that hold search.js to
/// the same rules.
pub mod text;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::body::{Body, Clause};
use crate::model::{Page, PageKind, Site};
use crate::output::{OutputFile, Sink};
use crate::render::RenderError;
use crate::routes;
use files::{Anchor, GramShard, Manifest, PagesFile, Placement, TextChunk, TextClause};
use files::{TextPage, TextUnit};
use postings::Growing;

/// FxHash, the hash rustc uses for its own tables: the index hashes every word of the
/// site, short strings for which SipHash's start-up costs more than the hashing. Words
/// come from the site's own content, so resistance to chosen keys is not needed.
type FxBuild = rustc_hash::FxBuildHasher;

pub use text::fold;

/// What one gram shard should weigh; their number follows the index's size. Small,
/// because a query fetches one per term and the real site's budget is 60 KB a query.
pub const TARGET_SHARD_BYTES: usize = 6 * 1024;
/// At most this many gram shards, so a large site does not become many small files.
pub const MAX_GRAM_SHARDS: usize = 1024;
/// Lists up to this long are stored with the key in every shard listing it.
pub const INLINE_POSTINGS_BYTES: usize = 256;
/// At most this many keys get a file of their own for their lists (the most frequent).
pub const MAX_POSTINGS_FILES: usize = 1024;
/// Units per `sok/text/N.json` on a site of up to `SMALL_SITE_UNITS` units: a hit
/// shown costs one such file (about 2 KB), so 20 hits from 20 places stay within the
/// real site's 60 KB a query.
pub const TEXT_UNITS_PER_CHUNK: usize = 4;
/// Units per text chunk on a larger site (about 3 KB a file): half as many files, where
/// a query's budget is 300 KB.
pub const TEXT_UNITS_PER_LARGE_CHUNK: usize = 8;
/// Up to this many units a site has text chunks of `TEXT_UNITS_PER_CHUNK` (the real
/// site has 131; 10,000 documents about 118,000).
pub const SMALL_SITE_UNITS: usize = 20_000;

/// Units per text chunk for a site of `units` units.
fn text_chunk_size(units: usize) -> usize {
    if units <= SMALL_SITE_UNITS {
        TEXT_UNITS_PER_CHUNK
    } else {
        TEXT_UNITS_PER_LARGE_CHUNK
    }
}
/// Bumped whenever the layout changes; search.js checks it.
pub const FORMAT: u32 = 3;

/// One searchable unit: a stycke with text of a clause of a page (indexes, not
/// references, so that a large site's list stays small, and the same places find its
/// text in the body read again); `stycke: None` for a clause without text.
#[derive(Clone, Copy)]
struct Unit {
    page: u32,
    clause: u32,
    stycke: Option<u32>,
}

/// Whether `page` is the version of its work that applies today. The one place search
/// asks (equal hits show it first): a status history will replace `Site::in_force`.
fn applies(site: &Site, page: &Page) -> bool {
    page.version()
        .and_then(|v| site.work(&v.work))
        .and_then(|work| site.in_force(work))
        .is_some_and(|in_force| std::ptr::eq(in_force, page))
}

/// The pages in the order equal hits are shown: the versions that apply, the other
/// versions newest first, documents newest first, then the other pages.
fn ranked_pages(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    order.sort_by_cached_key(|&index| {
        let page = &site.pages[index];
        let class = match &page.kind {
            PageKind::Version(_) if applies(site, page) => 0,
            PageKind::Version(_) => 1,
            PageKind::Document(_) => 2,
            PageKind::Plain(_) => 3,
        };
        (class, Reverse(page.date()), index)
    });
    order
}

/// Writes the search index's files into `sink` as each is made, and returns how many.
/// A page that let go of its stycke texts is read again (`Page::body_with_texts`),
/// which fails only if its file changed since it was loaded.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<usize, RenderError> {
    let pages = ranked_pages(site);
    let mut units: Vec<Unit> = Vec::new();
    // Per page in unit order: its first unit and count; per clause its range.
    let mut page_ranges: Vec<(usize, u32, u32)> = Vec::with_capacity(pages.len());
    let mut clause_ranges: Vec<(usize, usize, u32, u32)> = Vec::new();
    for &page in &pages {
        let first_of_page = units.len() as u32;
        for (clause, c) in site.pages[page].body.clauses.iter().enumerate() {
            let first = units.len() as u32;
            units.extend(
                c.stycken
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.has_text)
                    .map(|(stycke, _)| Unit {
                        page: page as u32,
                        clause: clause as u32,
                        stycke: Some(stycke as u32),
                    }),
            );
            if units.len() as u32 == first {
                units.push(Unit {
                    page: page as u32,
                    clause: clause as u32,
                    stycke: None,
                });
            }
            clause_ranges.push((page, clause, first, units.len() as u32 - first));
        }
        page_ranges.push((page, first_of_page, units.len() as u32 - first_of_page));
    }

    let put = |file: OutputFile| sink.put(file).map_err(RenderError::Output);
    let text_chunk = text_chunk_size(units.len());
    let body = body_postings(site, &units, text_chunk, sink)?;
    let fields = field_postings(site, &clause_ranges, &page_ranges);
    let entries = merge(body, fields);
    let threshold = inline_threshold(&entries);
    // Where each key's lists are: inline, or in postings file N.
    let mut postings_files = 0;
    let mut words: Vec<String> = Vec::with_capacity(entries.len());
    let mut placement: Vec<Placement> = Vec::with_capacity(entries.len());
    for (word, lists) in entries {
        let size: usize = lists.iter().map(String::len).sum();
        let lists = trimmed(lists);
        if size > threshold {
            let bytes = json_bytes(&lists);
            // Its size goes with it: the browser fetches such files within a budget.
            placement.push(Placement::InFile {
                key: word.clone(),
                file: postings_files,
                bytes: bytes.len(),
            });
            put(OutputFile::new(
                routes::search_file(routes::SEARCH_POSTINGS, postings_files),
                bytes,
            ))?;
            postings_files += 1;
        } else {
            placement.push(Placement::Inline {
                key: word.clone(),
                lists,
            });
        }
        words.push(word);
    }

    let gram_shard_count = gram_shards(&words, &placement, sink)?;
    drop((words, placement));
    let filters = Filters::of(site);
    put(OutputFile::new(
        routes::SEARCH_PAGES,
        json_bytes(&filters.pages_file(site, &page_ranges)),
    ))?;
    let manifest = Manifest {
        contents: contents(site),
        format: FORMAT,
        gram_shards: gram_shard_count,
        kinds: filters.kinds.iter().map(|k| (*k, kind_label(k))).collect(),
        max_word: text::MAX_WORD_CHARS,
        text_chunk,
        units: units.len(),
        versions: &filters.versions,
    };
    put(OutputFile::new(
        routes::SEARCH_MANIFEST,
        json_bytes(&manifest),
    ))?;
    let text_chunks = units.len().div_ceil(text_chunk);
    Ok(postings_files + gram_shard_count + text_chunks + 2)
}

/// The three lists of a key, without the empty ones at the end.
fn trimmed(lists: [String; 3]) -> Vec<String> {
    let mut lists: Vec<String> = lists.into();
    while lists.last().is_some_and(String::is_empty) {
        lists.pop();
    }
    lists
}

/// Every key of the units' text with the units it occurs in, encoded (`postings`);
/// writes the text chunks on the way, as the text is at hand only here.
fn body_postings(
    site: &Site,
    units: &[Unit],
    text_chunk: usize,
    sink: &dyn Sink,
) -> Result<HashMap<Box<str>, String, FxBuild>, RenderError> {
    // A few chunks per thread: enough to balance the load, few enough that merging the
    // chunks' word lists stays small beside reading the text. A whole number of text
    // chunks each, so that each is written by one thread.
    let chunk_size = units
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(2048)
        .next_multiple_of(text_chunk);
    let partial: Vec<Vec<(Box<str>, Growing)>> = units
        .par_chunks(chunk_size)
        .enumerate()
        .map(|(chunk, entries)| -> Result<_, RenderError> {
            let problem = |d: Diagnostic| RenderError::Problems(vec![d]);
            let stemmer = text::stemmer();
            // Each distinct word is stemmed once per chunk and its key named by a
            // number, so a unit's keys are sorted and deduplicated as numbers.
            let mut by_word: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
            let mut by_key: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
            let mut postings: Vec<Option<Growing>> = Vec::new();
            let mut seen: Vec<u32> = Vec::new();
            // The body with texts of the page being read: one page at a time.
            let mut current: Option<(u32, std::borrow::Cow<Body>)> = None;
            let first = chunk * chunk_size;
            for (in_chunk, group) in entries.chunks(text_chunk).enumerate() {
                // Owned: the page read for one unit may be let go of at the next.
                let mut texts: Vec<(Unit, String, usize)> = Vec::with_capacity(group.len());
                for (offset, unit) in group.iter().enumerate() {
                    let number = (first + in_chunk * text_chunk + offset) as u32;
                    if current.as_ref().is_none_or(|(page, _)| *page != unit.page) {
                        let page = &site.pages[unit.page as usize];
                        current = Some((
                            unit.page,
                            crate::content::body_with_texts(page).map_err(problem)?,
                        ));
                    }
                    let stycke = current.as_ref().and_then(|(_, body)| {
                        let clause = body.clauses.get(unit.clause as usize)?;
                        clause.stycken.get(unit.stycke? as usize)
                    });
                    let text = stycke.map_or("", |s| s.text.as_str());
                    seen.clear();
                    text::for_each_word(text, |lower, folded| {
                        if !text::indexed(folded, false) {
                            return;
                        }
                        let id = match by_word.get(lower) {
                            Some(&id) => id,
                            None => {
                                let key = text::key(&stemmer, lower);
                                let id = match by_key.get(key.as_str()) {
                                    Some(&id) => id,
                                    None => {
                                        let id = postings.len() as u32;
                                        by_key.insert(key.into(), id);
                                        postings.push(None);
                                        id
                                    }
                                };
                                by_word.insert(lower.into(), id);
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
                    let items = stycke.map_or(0, |s| item_lines(&s.id, &s.text, &s.items));
                    texts.push((*unit, text.to_string(), items));
                }
                let number = first / text_chunk + in_chunk;
                sink.put(OutputFile::new(
                    routes::search_file(routes::SEARCH_TEXT, number),
                    json_bytes(&text_chunk_json(site, number * text_chunk, &texts)),
                ))
                .map_err(RenderError::Output)?;
            }
            let mut found: Vec<(Box<str>, Growing)> = Vec::with_capacity(by_key.len());
            for (key, id) in by_key {
                if let Some(growing) = postings[id as usize].take() {
                    found.push((key, growing));
                }
            }
            Ok(found)
        })
        .collect::<Result<_, RenderError>>()?;
    // Chunks are merged in order, so every list stays sorted.
    let mut all: HashMap<Box<str>, Growing, FxBuild> = HashMap::default();
    for found in partial {
        for (key, growing) in found {
            match all.get_mut(&key) {
                Some(existing) => existing.append(growing),
                None => {
                    all.insert(key, growing);
                }
            }
        }
    }
    Ok(all
        .into_par_iter()
        .map(|(key, growing)| (key, growing.finish()))
        .collect())
}

/// How many of a stycke's last lines are its list items, when its items are exactly
/// those lines with ids `{stycke}N1`, `{stycke}N2` …: "§ 5 punkt 7" then names the
/// seventh. Else 0, and a reference to a point leads to the stycke.
fn item_lines(id: &str, text: &str, items: &[crate::model::body::ListItem]) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    if items.is_empty() || items.len() > lines.len() {
        return 0;
    }
    let tail = &lines[lines.len() - items.len()..];
    let numbered = items
        .iter()
        .enumerate()
        .all(|(i, item)| item.id == format!("{id}N{}", i + 1));
    let same = items
        .iter()
        .zip(tail)
        .all(|(item, line)| item.text.trim() == line.trim());
    if numbered && same { items.len() } else { 0 }
}

/// `sok/text/N.json`: `{"first": 16, "pages": [[title, where, address, kind, [[clause
/// label, clause id, heading, [[anchor, text, items], …]], …]], …]}`, the units in
/// order, grouped by page and clause. An anchor `{clause id}S{n}` is written `n`; a
/// clause without text has the clause id as its anchor and no text. `items`, left out
/// when 0, is how many of the text's last lines are list items (`item_lines`).
fn text_chunk_json<'a>(
    site: &'a Site,
    first: usize,
    texts: &'a [(Unit, String, usize)],
) -> TextChunk<'a> {
    let mut pages: Vec<(u32, Vec<ClauseUnits>)> = Vec::new();
    for (unit, text, items) in texts {
        if pages.last().is_none_or(|(page, _)| *page != unit.page) {
            pages.push((unit.page, Vec::new()));
        }
        let Some((_, clauses)) = pages.last_mut() else {
            continue;
        };
        if clauses
            .last()
            .is_none_or(|(clause, _)| *clause != unit.clause)
        {
            clauses.push((unit.clause, Vec::new()));
        }
        let page = &site.pages[unit.page as usize];
        let clause = &page.body.clauses[unit.clause as usize];
        let anchor = match unit.stycke {
            Some(stycke) => compact_anchor(clause, &clause.stycken[stycke as usize].id),
            None => Anchor::Id(&clause.id),
        };
        if let Some((_, entries)) = clauses.last_mut() {
            entries.push(match *items {
                0 => TextUnit::Text(anchor, text),
                n => TextUnit::WithItems(anchor, text, n),
            });
        }
    }
    let pages = pages
        .into_iter()
        .map(|(page, clauses)| {
            let p = &site.pages[page as usize];
            let clauses = clauses
                .into_iter()
                .map(|(clause, entries)| {
                    let c = &p.body.clauses[clause as usize];
                    TextClause(c.label(), &c.id, &c.title, entries)
                })
                .collect();
            TextPage(p.title(), where_from(site, p), &p.url, kind_key(p), clauses)
        })
        .collect();
    TextChunk { first, pages }
}

/// A clause (its number in the page's body) and its units' entries in a text chunk.
type ClauseUnits<'a> = (u32, Vec<TextUnit<'a>>);

/// `{clause id}S{n}` as `n`; any other anchor as it is.
fn compact_anchor<'a>(clause: &Clause, anchor: &'a str) -> Anchor<'a> {
    anchor
        .strip_prefix(&clause.id)
        .and_then(|rest| rest.strip_prefix('S'))
        .filter(|n| !n.starts_with('0') && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u64>().ok())
        .map_or(Anchor::Id(anchor), Anchor::Stycke)
}

/// Where a hit is from, as the hit list says it: "Samverkansöverenskommelsen 2013 ·
/// gällande", "Remissvar 2008 · Rinkeby-Kista stadsdelsförvaltning".
fn where_from(site: &Site, page: &Page) -> String {
    match &page.kind {
        PageKind::Version(v) => {
            let short = site
                .work(&v.work)
                .map_or(v.title.as_str(), |w| &w.short_title);
            format!("{short} {} · {}", v.version, crate::model::status::label(v))
        }
        PageKind::Document(d) => format!(
            "{} {} · {}",
            capitalised(d.doc_type.swedish()),
            d.date.year,
            d.organisation
        ),
        PageKind::Plain(p) => p.title.clone(),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The filter's name of a page's kind: `version`, a document type (`remissvar`), or
/// `sida`.
fn kind_key(page: &Page) -> &'static str {
    match &page.kind {
        PageKind::Version(_) => "version",
        PageKind::Document(d) => d.doc_type.swedish(),
        PageKind::Plain(_) => "sida",
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "version" => "Versionernas text".to_string(),
        "sida" => "Övriga sidor".to_string(),
        other => capitalised(other),
    }
}

/// The lists for clause headings and page titles, by key: for each, the unit ranges of
/// the clauses whose heading (or number, as `#9`) has it and of the pages whose title,
/// organisation, kind or version has it.
fn field_postings(
    site: &Site,
    clause_ranges: &[(usize, usize, u32, u32)],
    page_ranges: &[(usize, u32, u32)],
) -> BTreeMap<String, [Vec<(u32, u32)>; 2]> {
    let stemmer = text::stemmer();
    let mut fields: BTreeMap<String, [Vec<(u32, u32)>; 2]> = BTreeMap::new();
    for &(page, clause, first, count) in clause_ranges {
        let c = &site.pages[page].body.clauses[clause];
        let mut keys = text::keys(&stemmer, &c.title, true);
        if let Some(number) = &c.number_text {
            keys.push(text::clause_number_key(number));
        }
        for key in keys {
            fields.entry(key).or_default()[0].push((first, count));
        }
    }
    for &(page, first, count) in page_ranges {
        let p = &site.pages[page];
        let title = match &p.kind {
            PageKind::Version(v) => {
                let short = site.work(&v.work).map_or("", |w| w.short_title.as_str());
                format!("{} {short} {}", v.title, v.version)
            }
            PageKind::Document(d) => format!(
                "{} {} {} {}",
                d.title,
                d.organisation,
                d.doc_type.swedish(),
                d.date.year
            ),
            PageKind::Plain(m) => m.title.clone(),
        };
        for key in text::keys(&stemmer, &title, true) {
            fields.entry(key).or_default()[1].push((first, count));
        }
    }
    fields
}

/// Every key with its three lists encoded, sorted by key.
fn merge(
    body: HashMap<Box<str>, String, FxBuild>,
    fields: BTreeMap<String, [Vec<(u32, u32)>; 2]>,
) -> Vec<(String, [String; 3])> {
    let mut all: HashMap<String, [String; 3], FxBuild> = body
        .into_iter()
        .map(|(key, list)| (key.into_string(), [list, String::new(), String::new()]))
        .collect();
    for (key, [headings, titles]) in fields {
        let entry = all.entry(key).or_default();
        // Clauses and pages were visited in unit order, so the ranges are sorted.
        entry[1] = postings::encode_ranges(&headings);
        entry[2] = postings::encode_ranges(&titles);
    }
    let mut entries: Vec<(String, [String; 3])> = all.into_iter().collect();
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Lists longer than this go to a file of their own: `INLINE_POSTINGS_BYTES`, raised
/// when more than `MAX_POSTINGS_FILES` keys exceed it.
fn inline_threshold(entries: &[(String, [String; 3])]) -> usize {
    let mut lengths: Vec<usize> = entries
        .iter()
        .map(|(_, lists)| lists.iter().map(String::len).sum())
        .collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    match lengths.get(MAX_POSTINGS_FILES) {
        Some(&length) => length.max(INLINE_POSTINGS_BYTES),
        None => INLINE_POSTINGS_BYTES,
    }
}

/// `sok/ord/N.json`: `{"grams": {"avt": [0, 4]}, "words": [["avtal", body, headings,
/// titles], ["kommun", 12, 19734], …]}`, numbers in `grams` pointing into the shard's
/// own `words`; a number in place of the lists names the `sok/forekomster/` file
/// holding them, followed by its size in bytes. Returns how many shards it wrote.
fn gram_shards(
    words: &[String],
    placement: &[Placement],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let word_grams: Vec<Vec<String>> = words.par_iter().map(|word| text::grams(word)).collect();
    let mut by_gram: HashMap<&str, Vec<u32>> = HashMap::new();
    for (word, grams) in word_grams.iter().enumerate() {
        for gram in grams {
            by_gram.entry(gram).or_default().push(word as u32);
        }
    }
    // Each listing repeats the key and inline lists; the estimate sets the count.
    let listing_bytes = |word: usize| json_bytes(&placement[word]).len() + 2;
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
            let mut shard_words: Vec<&Placement> = Vec::new();
            let mut gram_map = BTreeMap::new();
            for (gram, listed) in grams {
                let indexes: Vec<usize> = listed
                    .iter()
                    .map(|&word| {
                        *local.entry(word).or_insert_with(|| {
                            shard_words.push(&placement[word as usize]);
                            shard_words.len() - 1
                        })
                    })
                    .collect();
                gram_map.insert(gram, indexes);
            }
            let shard = GramShard {
                grams: gram_map,
                words: shard_words,
            };
            sink.put(OutputFile::new(
                routes::search_file(routes::SEARCH_WORDS, number),
                json_bytes(&shard),
            ))
        })
        .map_err(RenderError::Output)?;
    Ok(shard_count)
}

/// The choices of the search page's filters: version labels (with their status when
/// every version of that label has the same) and kinds of page, in the order shown.
struct Filters {
    versions: Vec<(String, Option<&'static str>)>,
    kinds: Vec<&'static str>,
}

impl Filters {
    fn of(site: &Site) -> Filters {
        let mut versions: Vec<(String, Option<&'static str>, crate::model::meta::IsoDate)> =
            Vec::new();
        for page in &site.pages {
            if let Some(v) = page.version() {
                let status = crate::model::status::label(v);
                match versions.iter_mut().find(|(label, ..)| *label == v.version) {
                    Some((_, known, date)) => {
                        if *known != Some(status) {
                            *known = None;
                        }
                        *date = (*date).max(v.date);
                    }
                    None => versions.push((v.version.clone(), Some(status), v.date)),
                }
            }
        }
        versions.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        let mut kinds: Vec<&'static str> = Vec::new();
        for page in &site.pages {
            let kind = kind_key(page);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let order = |kind: &&str| match *kind {
            "version" => 0,
            "sida" => 2,
            _ => 1,
        };
        kinds.sort_by_key(|k| (order(k), *k));
        Filters {
            versions: versions.into_iter().map(|(l, s, _)| (l, s)).collect(),
            kinds,
        }
    }

    /// `sok/sidor.json`: `{"groups": [[kind, [version, …]], …], "pages": "…"}`, the
    /// groups' numbers pointing into the filter choices of the manifest, and `pages`
    /// for each page in unit order its number of units and its group, as numbers are
    /// written (`postings::encode_numbers`). A version belongs to its own label, a
    /// document to the labels of the versions it concerns.
    fn pages_file(&self, site: &Site, page_ranges: &[(usize, u32, u32)]) -> PagesFile {
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut numbers: Vec<u32> = Vec::with_capacity(page_ranges.len() * 2);
        let label_index = |label: &str| self.versions.iter().position(|(l, _)| l == label);
        for &(page, _, count) in page_ranges {
            let p = &site.pages[page];
            let kind = self
                .kinds
                .iter()
                .position(|k| *k == kind_key(p))
                .unwrap_or(0);
            let mut labels: Vec<usize> = match &p.kind {
                PageKind::Version(v) => label_index(&v.version).into_iter().collect(),
                PageKind::Document(d) => d
                    .concerns
                    .iter()
                    .filter_map(|c| c.split_once('/'))
                    .filter_map(|(work, version)| site.version(work, version))
                    .filter_map(|v| v.version().and_then(|v| label_index(&v.version)))
                    .collect(),
                PageKind::Plain(_) => Vec::new(),
            };
            labels.sort_unstable();
            labels.dedup();
            let group = match groups.iter().position(|g| g.0 == kind && g.1 == labels) {
                Some(group) => group,
                None => {
                    groups.push((kind, labels));
                    groups.len() - 1
                }
            };
            numbers.push(count);
            numbers.push(group as u32);
        }
        PagesFile {
            groups,
            pages: postings::encode_numbers(numbers),
        }
    }
}

/// Where a reader who found nothing can go on: the table of contents of each work's
/// version that applies (else its newest), at most five.
fn contents(site: &Site) -> Vec<(String, String)> {
    site.works
        .iter()
        .filter_map(|work| {
            let versions = || work.versions.iter().map(|&i| &site.pages[i]);
            let page = versions()
                .find(|p| applies(site, p))
                .or_else(|| versions().next_back())?;
            let version = page.version()?;
            Some((
                format!("{} {}", work.short_title, version.version),
                format!("{}#toc-rubrik", page.url),
            ))
        })
        .take(5)
        .collect()
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    // Serialising the index's files cannot fail: their maps' keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
}
