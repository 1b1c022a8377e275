//! Text as the index sees it: folded words, their grams and the gram → shard hash.
//! themes/default/static/search.js repeats `fold`, `words`, the query's gram and
//! `gram_hash` exactly; a change here is a change of the index format.

use unicode_normalization::char::decompose_canonical;

/// Words longer than this are indexed by their first `MAX_WORD_CHARS` characters: a
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

/// Calls `each` with the words of `text` that `words(&fold(text))` yields, in the
/// same order, without building the folded text: the index needs only its words.
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut word = String::new();
    let mut end_word = |word: &mut String| {
        if word.len() >= 2 {
            each(&word[..word.len().min(MAX_WORD_CHARS)]);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_ascii() {
            end_word(&mut word);
        } else {
            fold_char(c, |part| {
                if part.is_ascii_lowercase() || part.is_ascii_digit() {
                    word.push(part);
                } else {
                    end_word(&mut word);
                }
            });
        }
    }
    end_word(&mut word);
}

/// The combining marks `fold` removes (U+0300–U+036F: acute, ring, diaeresis …).
fn is_diacritic(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The words of folded text: maximal runs of `0-9a-z`, as the browser splits a
/// query. Only words of two or more characters (a query term has at least two),
/// shortened to `MAX_WORD_CHARS`. The definition; the index uses `for_each_word`,
/// which the tests hold to it.
#[cfg(test)]
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|word| word.len() >= 2)
        .map(|word| &word[..word.len().min(MAX_WORD_CHARS)])
}

/// The grams a word is listed under: every three letters of `^word`, so each
/// trigram of the word and its first two letters (`^sj`). A query term of three or
/// more letters is looked up by its first trigram, one of two letters by `^` and
/// itself (a word beginning).
pub fn grams(word: &str) -> Vec<String> {
    let marked = format!("^{word}");
    let bytes = marked.as_bytes();
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

    #[test]
    fn folding_removes_diacritics_and_case() {
        assert_eq!(fold("Självförsörjningen"), "sjalvforsorjningen");
        assert_eq!(fold("ÅÄÖ é"), "aao e");
        // Decomposed input folds like composed input.
        assert_eq!(fold("a\u{30a}r"), "ar");
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        let folded = fold("Samverkansavtal, § 5 och KSL:s 2013-års i");
        let found: Vec<&str> = words(&folded).collect();
        assert_eq!(found, ["samverkansavtal", "och", "ksl", "2013", "ars"]);
        let long = "a".repeat(200);
        assert_eq!(words(&long).next().map(str::len), Some(MAX_WORD_CHARS));
    }

    #[test]
    fn words_without_folding_the_text_are_the_words_of_the_folded_text() {
        let samples = [
            "Samverkansavtal, § 5 och KSL:s 2013-års i",
            "ÅÄÖ é a\u{30a}r Straße İstanbul ǅemal ﬁle Ⅻ ½ x",
            "Ångermanland–Överenskommelse\u{a0}om ”lön” 42a",
            &"ö".repeat(60),
            "",
        ];
        for text in samples {
            let mut found: Vec<String> = Vec::new();
            for_each_word(text, |word| found.push(word.to_string()));
            let folded = fold(text);
            let expected: Vec<&str> = words(&folded).collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn grams_cover_the_word_start_and_every_trigram() {
        assert_eq!(grams("avtal"), ["^av", "avt", "tal", "vta"]);
        assert_eq!(grams("eu"), ["^eu"]);
    }

    #[test]
    fn gram_hash_is_fnv1a() {
        // FNV-1a of "a" is 0xe40c292c; the browser's copy must agree.
        assert_eq!(gram_hash("a", usize::MAX), 0xe40c_292c);
        assert!(gram_hash("avt", 7) < 7);
        assert_eq!(gram_hash("avt", 1), 0);
    }
}
