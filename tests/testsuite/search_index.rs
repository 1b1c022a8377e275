//! The search index as the browser reads it: builds the real site, then looks terms up
//! through sok/ exactly as themes/default/static/search.js does (manifest → the word
//! shard named by the key's first trigram → lists → text chunks), with its own copy of
//! the hash and the list decoders, so a change of format on one side only fails here.
//! And the browser's stemmer and word splitting, run by node over every word of the
//! real content, against the ones the index was built with.

use crate::support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use avtal::render::search::text;
use serde_json::Value;
use support::*;

/// Every JSON file under sok/, parsed, by path relative to the site.
struct Index {
    files: HashMap<String, Value>,
    units: std::cell::OnceCell<Vec<Unit>>,
}

/// (page address, anchor, kind of page, text).
type Unit = (String, String, String, String);

/// A unit's place: page address and anchor.
type Hit = (String, String);

/// The three lists of a key: units of its text, and unit ranges of headings and titles.
struct Lists {
    body: Vec<u32>,
    headings: Vec<(u32, u32)>,
    titles: Vec<(u32, u32)>,
}

impl Index {
    fn load(site: &Path) -> Index {
        let mut files = HashMap::new();
        for entry in walkdir::WalkDir::new(site.join("sok"))
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "json") {
                let relative = path
                    .strip_prefix(site)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let value = serde_json::from_slice(&std::fs::read(path).unwrap())
                    .unwrap_or_else(|e| panic!("{relative} is not JSON: {e}"));
                files.insert(relative, value);
            }
        }
        Index {
            files,
            units: std::cell::OnceCell::new(),
        }
    }

    fn file(&self, path: &str) -> &Value {
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{path} is referenced but not written"))
    }

    fn manifest(&self) -> &Value {
        self.file("sok/manifest.json")
    }

    fn number(&self, name: &str) -> u32 {
        self.manifest()[name].as_u64().unwrap() as u32
    }

    /// The entries listed under the gram that finds `key`: (key, lists).
    fn candidates(&self, key: &str) -> Vec<(String, Lists)> {
        let gram = if key.len() <= 2 {
            format!("^{key}")
        } else {
            key[..3].to_string()
        };
        let shard = self.file(&format!(
            "sok/ord/{}.json",
            fnv1a(&gram) % self.number("gramShards")
        ));
        let mut found = Vec::new();
        for index in shard["grams"][&gram].as_array().into_iter().flatten() {
            let entry = shard["words"][index.as_u64().unwrap() as usize]
                .as_array()
                .unwrap();
            let word = entry[0].as_str().unwrap().to_string();
            let lists: Vec<String> = match &entry.get(1) {
                Some(Value::Number(file)) => self
                    .file(&format!("sok/forekomster/{file}.json"))
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string())
                    .collect(),
                _ => entry[1..]
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string())
                    .collect(),
            };
            let list = |i: usize| lists.get(i).map_or("", String::as_str);
            found.push((
                word,
                Lists {
                    body: decode(list(0)),
                    headings: ranges(list(1)),
                    titles: ranges(list(2)),
                },
            ));
        }
        found
    }

    /// The lists of exactly `key`.
    fn lists(&self, key: &str) -> Option<Lists> {
        self.candidates(key)
            .into_iter()
            .find(|(word, _)| word == key)
            .map(|(_, lists)| lists)
    }

    /// Units whose text has a key containing the key of each word of `query`, as
    /// search.js finds them at its widest (without the nearer keys it also tries).
    fn search(&self, query: &str) -> BTreeSet<Hit> {
        let stemmer = text::stemmer();
        let mut keys = Vec::new();
        text::for_each_word(query, |lower, folded| {
            if text::indexed(folded, false) {
                keys.push(text::key(&stemmer, lower));
            }
        });
        assert!(!keys.is_empty(), "no term in {query:?}");
        let mut hits: Option<BTreeSet<u32>> = None;
        for key in keys {
            let found: BTreeSet<u32> = self
                .candidates(&key)
                .into_iter()
                .filter(|(word, _)| {
                    if key.len() <= 2 {
                        word.starts_with(&key)
                    } else {
                        word.contains(&key)
                    }
                })
                .flat_map(|(_, lists)| lists.body)
                .collect();
            hits = Some(match hits {
                None => found,
                Some(before) => before.intersection(&found).copied().collect(),
            });
        }
        hits.unwrap_or_default()
            .into_iter()
            .map(|n| self.describe(n))
            .collect()
    }

    /// Every unit in order.
    fn units(&self) -> &[Unit] {
        self.units.get_or_init(|| self.read_units())
    }

    fn read_units(&self) -> Vec<Unit> {
        let size = self.number("textChunk");
        let count = self.number("units");
        let mut all = Vec::new();
        for chunk in 0..count.div_ceil(size) {
            let chunk = self.file(&format!("sok/text/{chunk}.json"));
            assert_eq!(chunk["first"].as_u64(), Some(all.len() as u64));
            for page in chunk["pages"].as_array().unwrap() {
                for clause in page[4].as_array().unwrap() {
                    let clause_id = clause[1].as_str().unwrap();
                    for unit in clause[3].as_array().unwrap() {
                        let anchor = match &unit[0] {
                            Value::Number(n) => format!("{clause_id}S{n}"),
                            Value::String(id) => id.clone(),
                            other => panic!("anchor {other}"),
                        };
                        all.push((
                            page[2].as_str().unwrap().to_string(),
                            anchor,
                            page[3].as_str().unwrap().to_string(),
                            unit[1].as_str().unwrap().to_string(),
                        ));
                    }
                }
            }
        }
        assert_eq!(all.len(), count as usize);
        all
    }

    fn describe(&self, number: u32) -> Hit {
        let (page, anchor, ..) = &self.units()[number as usize];
        (page.clone(), anchor.clone())
    }
}

/// FNV-1a, 32 bits, as search.js computes it.
fn fnv1a(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn value(c: char) -> u32 {
    ALPHABET
        .find(c)
        .unwrap_or_else(|| panic!("{c:?} in a list")) as u32
}

/// Numbers written one after the other, base 32, characters 32–63 continuing one.
fn numbers(encoded: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut n = 0;
    for c in encoded.chars() {
        let digit = value(c);
        n = n * 32 + digit % 32;
        if digit < 32 {
            out.push(n);
            n = 0;
        }
    }
    out
}

/// The browser's list decoder: `~` and a bitmap, six units a character, or gaps.
fn decode(encoded: &str) -> Vec<u32> {
    let mut found = Vec::new();
    if let Some(cells) = encoded.strip_prefix('~') {
        for (i, c) in cells.chars().enumerate() {
            for bit in 0..6 {
                if value(c) & (1 << bit) != 0 {
                    found.push(i as u32 * 6 + bit);
                }
            }
        }
        return found;
    }
    let mut next = 0;
    for gap in numbers(encoded) {
        found.push(next + gap);
        next += gap + 1;
    }
    found
}

/// Ranges `(first, count)`: gaps from the end of the one before, and `count - 1`.
fn ranges(encoded: &str) -> Vec<(u32, u32)> {
    let mut end = 0;
    numbers(encoded)
        .chunks(2)
        .map(|pair| {
            let first = end + pair[0];
            let count = pair.get(1).copied().unwrap_or(0) + 1;
            end = first + count;
            (first, count)
        })
        .collect()
}

fn hit(page: &str, anchor: &str) -> Hit {
    (page.to_string(), anchor.to_string())
}

#[test]
fn terms_find_their_stycken_through_the_index() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let v2013 = "overenskommelse/2013/";

    let exact = index.search("självförsörjning");
    for anchor in ["utgangspunkterS1", "P3S1", "P4S1"] {
        assert!(
            exact.contains(&hit(v2013, anchor)),
            "självförsörjning: {anchor} missing in {exact:?}"
        );
    }
    // Typed without å, ä, ö: the same stycken.
    assert_eq!(index.search("sjalvforsorjning"), exact);
    assert_eq!(index.search("SJÄLVFÖRSÖRJNING"), exact);
    // Inflected forms meet in one key: "överenskommelse" finds 2013 § 3's
    // "överenskommelsen", "styrgrupper" finds § 6's "styrgruppen", "skolor" finds
    // "grundskola" (§ 5, item 4).
    assert!(
        index
            .search("överenskommelse")
            .contains(&hit(v2013, "P3S1"))
    );
    assert!(index.search("styrgrupper").contains(&hit(v2013, "P6S2")));
    assert!(index.search("skolor").contains(&hit(v2013, "P5S2")));
    // "säga" and "säger" have one key: 2013 § 9 "Om part säger upp överenskommelsen".
    assert!(index.search("säga upp").contains(&hit(v2013, "P9S1")));
    // A part of a compound: "vuxenutbildningsregion" is the only "utbildning" there.
    assert!(
        index
            .search("utbildning")
            .contains(&hit(v2013, "utgangspunkterS5"))
    );
    // A list item belongs to its stycke: "platsavtal" is in item 10 of § 5 stycke 2.
    assert!(index.search("platsavtal").contains(&hit(v2013, "P5S2")));
    // Two letters find word beginnings ("Fler bostäder").
    assert!(index.search("fl").contains(&hit(v2013, "P5S2")));
    // Every term must be in the stycke: only § 3 speaks of the individual's.
    let both = index.search("självförsörjning individ");
    assert!(both.contains(&hit(v2013, "P3S1")));
    assert!(!both.contains(&hit(v2013, "utgangspunkterS1")), "{both:?}");
    assert!(!both.contains(&hit(v2013, "P4S1")), "{both:?}");
    assert!(both.iter().all(|h| exact.contains(h)));
    // Words that are nowhere in the content.
    assert_eq!(index.search("kärnkraftverk"), BTreeSet::new());
    assert_eq!(index.search("qxzqxz"), BTreeSet::new());
}

#[test]
fn headings_numbers_and_titles_find_their_clauses_and_pages() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let units = index.units();
    let clause_of = |(first, count): (u32, u32)| -> BTreeSet<Hit> {
        (first..first + count)
            .map(|n| {
                let (page, anchor, ..) = &units[n as usize];
                (page.clone(), anchor.clone())
            })
            .collect()
    };
    let headed = |key: &str| -> Vec<BTreeSet<Hit>> {
        index
            .lists(key)
            .unwrap_or_else(|| panic!("{key} is not indexed"))
            .headings
            .into_iter()
            .map(clause_of)
            .collect()
    };
    // "Giltighetstid" heads 2009 § 6 and 2013 § 9, the version that applies (2009, by
    // the sources: Site::in_force) first.
    let giltighetstid = headed("giltighetstid");
    assert_eq!(giltighetstid.len(), 2, "{giltighetstid:?}");
    assert!(giltighetstid[0].contains(&hit("overenskommelse/2009/", "P6S1")));
    assert!(giltighetstid[1].contains(&hit("overenskommelse/2013/", "P9S1")));
    // The heading's key is the stem: "insatsområde" finds "Överenskommelsens insatsområde".
    let insats = headed("insatsomrad");
    assert_eq!(
        insats[0],
        BTreeSet::from([
            hit("overenskommelse/2013/", "P5S1"),
            hit("overenskommelse/2013/", "P5S2")
        ])
    );
    // Clause numbers: § 5 of 2009 (which applies), then of 2013; "Punkt 7" of 2008 by
    // its heading.
    let five = headed("#5");
    assert_eq!(five.len(), 2);
    assert!(five[0].contains(&hit("overenskommelse/2009/", "P5S1")));
    assert!(five[1].contains(&hit("overenskommelse/2013/", "P5S2")));
    assert!(
        headed("7")
            .iter()
            .any(|c| c.contains(&hit("overenskommelse/2008/", "punkt-7S1")))
    );
    // A document's title, organisation and kind find all of it.
    let remissvar = text::key(&text::stemmer(), "remissvar");
    assert_eq!(remissvar, "remissv");
    let titled: BTreeSet<String> = index
        .lists(&remissvar)
        .expect("remissvar is indexed")
        .titles
        .into_iter()
        .flat_map(clause_of)
        .map(|(page, _)| page)
        .collect();
    assert!(
        titled.contains("dokument/rinkeby-kista-remissvar-2008/"),
        "{titled:?}"
    );
    assert!(titled.contains("dokument/utbildningsforvaltningen-remissvar-2008/"));
}

#[test]
fn units_come_in_the_order_equal_hits_are_shown() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let mut pages: Vec<(String, String)> = Vec::new();
    for (page, _, kind, _) in index.units() {
        if pages.last().is_none_or(|(last, _)| last != page) {
            pages.push((page.clone(), kind.clone()));
        }
    }
    let order: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    // The version in force (2009, by the sources), the other versions newest first, then
    // documents newest first, then other pages; each page once.
    assert_eq!(
        &order[..3],
        [
            "overenskommelse/2009/",
            "overenskommelse/2013/",
            "overenskommelse/2008/"
        ]
    );
    assert_eq!(order[3], "dokument/ekero-beslut-2013/");
    assert_eq!(order[4], "dokument/ksl-2012-revidering/");
    assert_eq!(pages.last().map(|(_, kind)| kind.as_str()), Some("sida"));
    let distinct: BTreeSet<&str> = order.iter().copied().collect();
    assert_eq!(distinct.len(), order.len());
}

#[test]
fn every_word_of_every_stycke_finds_it_and_its_text_is_in_the_index() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let built = avtal::pipeline::build(&repo_root(), &Default::default())
        .unwrap_or_else(|problems| panic!("the real content builds: {problems:?}"));
    let stemmer = text::stemmer();
    let texts: HashMap<Hit, String> = index
        .units()
        .iter()
        .map(|(page, anchor, _, text)| ((page.clone(), anchor.clone()), text.clone()))
        .collect();
    let mut stycken = 0;
    let mut by_key: HashMap<String, BTreeSet<Hit>> = HashMap::new();
    for page in &built.site.pages {
        // Documents let go of their texts once loaded; they are read again here.
        let body = avtal::content::body_with_texts(page).expect("the file is as it was loaded");
        for stycke in body.clauses.iter().flat_map(|c| &c.stycken) {
            if stycke.text.is_empty() {
                continue;
            }
            stycken += 1;
            let place = hit(&page.url, &stycke.id);
            // The snippet's text is the stycke's, from the index.
            assert_eq!(texts.get(&place), Some(&stycke.text), "{place:?}");
            text::for_each_word(&stycke.text, |lower, folded| {
                if text::indexed(folded, false) {
                    by_key
                        .entry(text::key(&stemmer, lower))
                        .or_default()
                        .insert(place.clone());
                }
            });
        }
    }
    assert!(stycken as u32 <= index.number("units"));
    assert!(by_key.len() > 1000, "only {} distinct keys", by_key.len());
    for (key, expected) in &by_key {
        let found = index.search(key);
        // A key also finds the stycken of longer keys containing it.
        assert!(
            found.is_superset(expected),
            "{key}: {found:?} lacks some of {expected:?}"
        );
    }
}

#[test]
fn the_index_is_files_of_bounded_size() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    for (path, value) in &index.files {
        let size = value.to_string().len();
        let limit = if path.starts_with("sok/ord/") {
            // A shard is fetched for each term: a few of them stay within a query's
            // 60 KB.
            16 * 1024
        } else {
            64 * 1024
        };
        assert!(size < limit, "{path} is {size} bytes");
    }
}

/// Runs `script` with node, `input` on its standard input; its standard output.
fn node(script: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo_root().join("themes/default/static/search.js"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (it is on the machine; tests/browser/run installs it elsewhere)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("node reads its input");
    let output = child.wait_with_output().expect("node finishes");
    assert!(output.status.success(), "node failed");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_browser_splits_words_and_stems_them_as_the_index_does() {
    // Every file of the real content, front matter included.
    let mut corpus = String::new();
    for entry in walkdir::WalkDir::new(repo_root().join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            corpus.push_str(&std::fs::read_to_string(entry.path()).expect("UTF-8 content"));
            corpus.push('\n');
        }
    }
    let mut words: Vec<String> = Vec::new();
    text::for_each_word(&corpus, |lower, _| words.push(lower.to_string()));
    assert!(words.len() > 10_000, "only {} words", words.len());

    // The same words, split by search.js.
    let split = node(
        "const s = require(process.argv[1]); let t = ''; process.stdin.on('data', d => t += d); \
         process.stdin.on('end', () => process.stdout.write(s.words(t).map(w => w.lower).join('\\n')));",
        &corpus,
    );
    let browser_words: Vec<&str> = split.lines().collect();
    assert_eq!(browser_words.len(), words.len());
    for (rust, browser) in words.iter().zip(&browser_words) {
        assert_eq!(rust, browser);
    }

    // Every distinct word stemmed and keyed by both.
    let distinct: BTreeSet<&str> = words.iter().map(String::as_str).collect();
    let input: Vec<&str> = distinct.iter().copied().collect();
    let stems = node(
        "const s = require(process.argv[1]); let t = ''; process.stdin.on('data', d => t += d); \
         process.stdin.on('end', () => process.stdout.write(t.split('\\n').map(w => s.stem(w) + ' ' + s.key(w)).join('\\n')));",
        &input.join("\n"),
    );
    let stemmer = text::stemmer();
    let mut differ = Vec::new();
    for (word, line) in input.iter().zip(stems.lines()) {
        let expected = format!("{} {}", stemmer.stem(word), text::key(&stemmer, word));
        if line != expected {
            differ.push(format!("{word}: browser {line}, index {expected}"));
        }
    }
    assert_eq!(stems.lines().count(), input.len());
    assert!(
        differ.is_empty(),
        "{} of {} words differ: {:?}",
        differ.len(),
        input.len(),
        &differ[..differ.len().min(20)]
    );
}
