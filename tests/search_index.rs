//! The search index as the browser reads it: builds the real site, then looks terms up
//! through sok/ exactly as themes/default/static/search.js does (manifest → the word
//! shard named by the term's first trigram → postings → stycke lists), with its own
//! copy of the hash and the postings decoder, so a change of format on one side only
//! fails here.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;
use support::*;

/// Every JSON file under sok/, parsed, by path relative to the site.
struct Index {
    files: HashMap<String, Value>,
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
        Index { files }
    }

    fn file(&self, path: &str) -> &Value {
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{path} is referenced but not written"))
    }

    fn manifest(&self) -> &Value {
        self.file("sok/manifest.json")
    }

    /// `(page address, stycke anchor)` of every stycke with a word containing each
    /// term of `query`, in index order.
    fn search(&self, query: &str) -> Vec<(String, String)> {
        let folded = avtal::render::search::fold(query);
        let terms: Vec<&str> = folded
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .filter(|t| t.len() >= 2)
            .collect();
        assert!(!terms.is_empty(), "no term in {query:?}");
        let mut hits: Option<BTreeSet<u32>> = None;
        for term in terms {
            let found = self.stycken_with(term);
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

    fn stycken_with(&self, term: &str) -> BTreeSet<u32> {
        let manifest = self.manifest();
        let max_word = manifest["maxWord"].as_u64().unwrap() as usize;
        let key = &term[..term.len().min(max_word)];
        let gram = if key.len() == 2 {
            format!("^{key}")
        } else {
            key[..3].to_string()
        };
        let shards = manifest["gramShards"].as_u64().unwrap() as u32;
        let shard = self.file(&format!("sok/ord/{}.json", fnv1a(&gram) % shards));
        let mut found = BTreeSet::new();
        for index in shard["grams"][&gram].as_array().into_iter().flatten() {
            let entry = &shard["words"][index.as_u64().unwrap() as usize];
            let word = entry[0].as_str().unwrap();
            let matches = if key.len() == 2 {
                word.starts_with(key)
            } else {
                word.contains(key)
            };
            if !matches {
                continue;
            }
            let postings = match &entry[1] {
                Value::String(inline) => inline.as_str(),
                Value::Number(file) => self
                    .file(&format!("sok/forekomster/{file}.json"))
                    .as_str()
                    .unwrap(),
                other => panic!("postings of {word} are {other}"),
            };
            found.extend(decode(postings));
        }
        found
    }

    fn describe(&self, number: u32) -> (String, String) {
        let size = self.manifest()["chunkSize"].as_u64().unwrap() as u32;
        let chunk = self.file(&format!("sok/stycken/{}.json", number / size));
        let mut at = chunk["first"].as_u64().unwrap() as u32;
        for page in chunk["pages"].as_array().unwrap() {
            for clause in page[2].as_array().unwrap() {
                let clause_id = clause[1].as_str().unwrap();
                for anchor in clause[2].as_array().unwrap() {
                    let anchors: Vec<String> = match anchor {
                        Value::String(id) => vec![id.clone()],
                        Value::Number(n) => vec![format!("{clause_id}S{n}")],
                        Value::Array(run) => (run[0].as_u64().unwrap()..=run[1].as_u64().unwrap())
                            .map(|n| format!("{clause_id}S{n}"))
                            .collect(),
                        other => panic!("anchor {other}"),
                    };
                    for id in anchors {
                        if at == number {
                            return (page[1].as_str().unwrap().to_string(), id);
                        }
                        at += 1;
                    }
                }
            }
        }
        panic!("stycke {number} is not in its chunk");
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

/// The browser's postings decoder: `~` and a bitmap, six stycken a character, or gaps
/// in base 32 (characters 32–63 of the alphabet continue a number).
fn decode(encoded: &str) -> Vec<u32> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let value = |c: char| {
        ALPHABET
            .find(c)
            .unwrap_or_else(|| panic!("{c:?} in postings")) as u32
    };
    let mut numbers = Vec::new();
    if let Some(cells) = encoded.strip_prefix('~') {
        for (i, c) in cells.chars().enumerate() {
            for bit in 0..6 {
                if value(c) & (1 << bit) != 0 {
                    numbers.push(i as u32 * 6 + bit);
                }
            }
        }
        return numbers;
    }
    let (mut next, mut gap) = (0, 0);
    for c in encoded.chars() {
        let digit = value(c);
        gap = gap * 32 + digit % 32;
        if digit < 32 {
            numbers.push(next + gap);
            next += gap + 1;
            gap = 0;
        }
    }
    numbers
}

fn hit(page: &str, anchor: &str) -> (String, String) {
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
    // An inflected form: 2013 § 3 says "överenskommelsen".
    assert!(
        index
            .search("överenskommelse")
            .contains(&hit(v2013, "P3S1"))
    );
    // A part of a compound: "vuxenutbildningsregion" is the only "utbildning" there.
    assert!(
        index
            .search("utbildning")
            .contains(&hit(v2013, "utgangspunkterS5"))
    );
    // A list item belongs to its stycke: "platsavtal" is in item 11 of § 5 stycke 2.
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
    assert_eq!(index.search("kärnkraftverk"), []);
    assert_eq!(index.search("qxzqxz"), []);
}

#[test]
fn every_word_of_every_stycke_finds_it() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let built = avtal::pipeline::build(&repo_root(), &Default::default())
        .unwrap_or_else(|problems| panic!("the real content builds: {problems:?}"));
    let mut stycken = 0;
    let mut by_word: HashMap<String, BTreeSet<(String, String)>> = HashMap::new();
    for page in &built.site.pages {
        // Documents let go of their texts once loaded; they are read again here.
        let body = page
            .body_with_texts()
            .expect("the file is as it was loaded");
        for stycke in body.clauses.iter().flat_map(|c| &c.stycken) {
            if stycke.text.is_empty() {
                continue;
            }
            stycken += 1;
            let folded = avtal::render::search::fold(&stycke.text);
            for word in folded.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit())) {
                if word.len() >= 2 {
                    by_word
                        .entry(word.to_string())
                        .or_default()
                        .insert(hit(&page.url, &stycke.id));
                }
            }
        }
    }
    assert_eq!(index.manifest()["stycken"].as_u64(), Some(stycken));
    assert!(
        by_word.len() > 1000,
        "only {} distinct words",
        by_word.len()
    );
    for (word, expected) in &by_word {
        let found: BTreeSet<_> = index.search(word).into_iter().collect();
        // A word also finds the stycken of longer words containing it.
        assert!(
            found.is_superset(expected),
            "{word}: {found:?} lacks some of {expected:?}"
        );
    }
}

#[test]
fn the_index_is_a_few_files_of_bounded_size() {
    let (_guard, out) = build(&repo_root());
    let index = Index::load(&out);
    let total: usize = index.files.values().map(|v| v.to_string().len()).sum();
    // The real site's whole index is smaller than one page of results used to fetch.
    assert!(total < 200 * 1024, "index of {total} bytes");
    for (path, value) in &index.files {
        assert!(
            value.to_string().len() < 64 * 1024,
            "{path} is larger than a shard should be"
        );
    }
}
