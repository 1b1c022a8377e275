//! Text as the index sees it: words, their keys (stem, then fold), the keys' grams and
//! the gram → shard hash. themes/default/static/search.js repeats `words`, `key`,
//! `fold`, the query's gram and `gram_hash` exactly (tests/testsuite/search_index.rs runs its
//! stemmer over every word of the real corpus); a change here is a change of the index
//! format.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::decompose_canonical;

/// Keys longer than this are indexed by their first `MAX_WORD_CHARS` characters: a
/// 100,000-letter "word" must not put 100,000 grams in the index. Compounds in Swedish
/// text stay far below it.
pub const MAX_WORD_CHARS: usize = 48;

/// Lowercase, without diacritics: `Självförsörjning` → `sjalvforsorjning`.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, |part| folded.push(part));
    }
    folded
}

/// What `fold` makes of one character: folding goes character by character, so the
/// folded text is the folded characters one after the other.
fn fold_char(c: char, mut each: impl FnMut(char)) {
    if c.is_ascii() {
        each(c.to_ascii_lowercase());
    } else {
        decompose_canonical(c, |part| {
            if !is_diacritic(part) {
                part.to_lowercase().for_each(&mut each);
            }
        });
    }
}

/// The combining marks `fold` removes (U+0300–U+036F: acute, ring, diaeresis …).
fn is_diacritic(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Calls `each(lowercase, folded)` for every word of `text`: a word is a maximal run of
/// characters whose folded form is only `0-9a-z` (å, é and ö belong to words, `-`,
/// `§` and `ß` end them). `lowercase` is the word as written, lowercased (the stemmer
/// needs its å, ä and ö); `folded` is its folded form.
pub fn for_each_word(text: &str, mut each: impl FnMut(&str, &str)) {
    let mut lower = String::new();
    let mut folded = String::new();
    let mut parts: Vec<char> = Vec::new();
    for c in text.chars() {
        parts.clear();
        fold_char(c, |part| parts.push(part));
        if parts
            .iter()
            .all(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            lower.extend(c.to_lowercase());
            folded.extend(parts.iter());
        } else {
            if !folded.is_empty() {
                each(&lower, &folded);
            }
            lower.clear();
            folded.clear();
        }
    }
    if !folded.is_empty() {
        each(&lower, &folded);
    }
}

/// Whether a word is indexed: two characters or more, or (in headings and titles,
/// where "Punkt 7" names a clause) a single digit.
pub fn indexed(folded: &str, single_digits: bool) -> bool {
    folded.len() >= 2 || (single_digits && folded.bytes().all(|b| b.is_ascii_digit()))
}

/// The Snowball Swedish stemmer, as rust-stemmers implements it (the classic algorithm;
/// search.js has a port of its own).
pub fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::Swedish)
}

/// A word's key in the index: its lowercase form stemmed, then folded and shortened to
/// `MAX_WORD_CHARS`. Stemming comes first because the algorithm's vowels and endings
/// include å, ä and ö; folding the stem lets a query typed without them find it.
/// Snowball only removes endings (or shortens `löst`, `fullt`), so a key is always a
/// beginning of the folded word.
pub fn key(stemmer: &Stemmer, lowercase: &str) -> String {
    let mut folded = fold(&stemmer.stem(lowercase));
    if folded.len() > MAX_WORD_CHARS {
        folded.truncate(MAX_WORD_CHARS);
    }
    folded
}

/// The keys of the indexed words of a short text (a heading, a title), deduplicated.
pub fn keys(stemmer: &Stemmer, text: &str, single_digits: bool) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for_each_word(text, |lower, folded| {
        if indexed(folded, single_digits) {
            found.push(key(stemmer, lower));
        }
    });
    found.sort_unstable();
    found.dedup();
    found
}

/// The key under which a clause number is listed (`§ 9` → `#9`, `§ 5a` → `#5a`): `#`
/// is in no word, so a number never matches text.
pub fn clause_number_key(number_text: &str) -> String {
    format!("#{}", number_text.to_ascii_lowercase())
}

/// The grams a key is listed under: every three characters of `^key`, so each trigram
/// of the key and its first two characters (`^sj`); a key of one character (`7`) is
/// listed under `^7`. A query term of three or more characters is looked up by its
/// first trigram, a shorter one by `^` and itself (a word beginning).
pub fn grams(key: &str) -> Vec<String> {
    let marked = format!("^{key}");
    let bytes = marked.as_bytes();
    if bytes.len() < 3 {
        return vec![marked];
    }
    let mut grams: Vec<String> = bytes
        .windows(3)
        .map(|window| String::from_utf8_lossy(window).into_owned())
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Which gram shard holds `gram`: FNV-1a (32 bits) over its bytes, modulo the number
/// of shards. Grams are ASCII, so the browser hashes char codes the same way.
pub fn gram_hash(gram: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in gram.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for_each_word(text, |lower, folded| {
            found.push((lower.to_string(), folded.to_string()))
        });
        found
    }

    #[test]
    fn folding_removes_diacritics_and_case() {
        assert_eq!(fold("Självförsörjningen"), "sjalvforsorjningen");
        assert_eq!(fold("ÅÄÖ é"), "aao e");
        // Decomposed input folds like composed input.
        assert_eq!(fold("a\u{30a}r"), "ar");
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        let found = words("Samverkansavtal, § 5 och KSL:s 2013-års Straße");
        let folded: Vec<&str> = found.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(
            folded,
            [
                "samverkansavtal",
                "5",
                "och",
                "ksl",
                "s",
                "2013",
                "ars",
                "stra",
                "e"
            ]
        );
        assert_eq!(found[6].0, "års", "the stemmer gets the word as written");
    }

    #[test]
    fn keys_are_folded_stems_so_inflections_meet() {
        let stemmer = stemmer();
        for (word, expected) in [
            // Snowball keeps "-an" (plan, organ): search.js bridges "skolan" to "skol"
            // by the nearest shorter key in the index.
            ("skolan", "skolan"),
            ("skolor", "skol"),
            ("skola", "skol"),
            ("styrgrupper", "styrgrupp"),
            ("styrgruppen", "styrgrupp"),
            ("säger", "sag"),
            ("säga", "sag"),
            ("självförsörjande", "sjalvforsorj"),
            ("överenskommelsens", "overenskomm"),
        ] {
            assert_eq!(key(&stemmer, word), expected, "{word}");
        }
        let long = "ö".repeat(200);
        assert_eq!(key(&stemmer, &long).len(), MAX_WORD_CHARS);
    }

    #[test]
    fn headings_keep_single_digits_and_clause_numbers_have_their_own_keys() {
        let stemmer = stemmer();
        assert_eq!(keys(&stemmer, "Punkt 7", true), ["7", "punk"]);
        assert_eq!(keys(&stemmer, "Punkt 7", false), ["punk"]);
        assert_eq!(clause_number_key("5A"), "#5a");
    }

    #[test]
    fn grams_cover_the_word_start_and_every_trigram() {
        assert_eq!(grams("avtal"), ["^av", "avt", "tal", "vta"]);
        assert_eq!(grams("eu"), ["^eu"]);
        assert_eq!(grams("7"), ["^7"]);
        assert_eq!(grams("#10"), ["#10", "^#1"]);
    }

    #[test]
    fn gram_hash_is_fnv1a() {
        // FNV-1a of "a" is 0xe40c292c; the browser's copy must agree.
        assert_eq!(gram_hash("a", usize::MAX), 0xe40c_292c);
        assert!(gram_hash("avt", 7) < 7);
        assert_eq!(gram_hash("avt", 1), 0);
    }
}
