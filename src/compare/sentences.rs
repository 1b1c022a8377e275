//! Sentences and list items of a clause's plain text, as word sets for the lineage
//! proposal ([`super::propose`]).
//!
//! A clause's plain text ([`crate::model::body::Clause::plain_text`]) keeps its
//! structure in line breaks: stycken are separated by a blank line and each list item
//! starts a line of its own. Those lines are split further into sentences, so that a
//! sentence that moved, or a list item that went to another clause, can be followed on
//! its own.

/// Characters a stem keeps. Swedish inflects and compounds at the end of words
/// ("kommun", "kommunen", "kommunernas"); the first six letters carry most of the
/// meaning, so rewording that only changes endings keeps the same stems.
const STEM_CHARS: usize = 6;

/// The sentences and list items of `text`, each as its words (lowercase, stemmed), in
/// order. Units without words (a lone dash) are left out.
pub fn units(text: &str) -> Vec<Vec<String>> {
    spans(text)
        .into_iter()
        .map(|span| stems(&text[span]))
        .filter(|words| !words.is_empty())
        .collect()
}

/// Where the sentences of `text` are: byte ranges, in order, trimmed of white space,
/// each within one line. Together they hold every character of `text` but white
/// space, so a comparison that shows them one by one loses no text; units without
/// words are kept here (the proposal skips them).
pub fn spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        for sentence in sentences(line) {
            // `sentence` is a slice of `line`: its offset in the line gives its place.
            let start = line_start + (sentence.as_ptr() as usize - line.as_ptr() as usize);
            out.push(start..start + sentence.len());
        }
        line_start += line.len() + 1;
    }
    out
}

/// The sentences of one line: a `.`, `!`, `?` or `;` followed by white space and a
/// capital letter or digit ends a sentence. Abbreviations such as "m.fl. och" or
/// "t.ex. att" are followed by a small letter and stay inside their sentence; one
/// before a capital ("t.ex. Stockholm") splits, which costs only a little precision in
/// matching, since both halves are still matched.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in line.char_indices() {
        if !matches!(c, '.' | '!' | '?' | ';') {
            continue;
        }
        let end = at + c.len_utf8();
        let rest = &line[end..];
        let trimmed = rest.trim_start();
        let spaced = trimmed.len() < rest.len();
        let next_starts = trimmed
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit());
        if spaced && next_starts {
            out.push(&line[start..end]);
            start = end;
        }
    }
    out.push(&line[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The stems of a sentence's words: letters and digits, lowercase, cut to
/// [`STEM_CHARS`] characters.
pub fn stems(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(STEM_CHARS).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stycken_items_and_sentences_are_units() {
        let text = "Styrelsen består av fem ledamöter. De väljs för två år.\n\nUppgifter:\nekonomi\nrevision m.fl. och annat";
        let units = units(text);
        assert_eq!(units.len(), 5, "{units:?}");
        assert_eq!(units[1], ["de", "väljs", "för", "två", "år"]);
        assert_eq!(units[2], ["uppgif"]);
        assert_eq!(units[4], ["revisi", "m", "fl", "och", "annat"]);
    }

    #[test]
    fn a_numbered_sentence_ends_before_a_digit_but_not_inside_a_number() {
        let units = units("Avgiften är 1.500 kronor. 2 000 kronor betalas senare!");
        assert_eq!(units.len(), 2, "{units:?}");
        assert_eq!(units[0], ["avgift", "är", "1", "500", "kronor"]);
    }

    #[test]
    fn spans_hold_every_character_but_white_space() {
        let text = "Första meningen. Andra!\n\nLeda:\nett – två\n – \nsista";
        let spans = spans(text);
        let found: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            found,
            [
                "Första meningen.",
                "Andra!",
                "Leda:",
                "ett – två",
                "–",
                "sista"
            ]
        );
        let kept: String = found.concat();
        let all: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(kept.replace(' ', ""), all);
    }

    #[test]
    fn a_one_word_clause_is_one_unit() {
        assert_eq!(units("Upphävd."), [["upphäv"]]);
        assert!(units(" – ").is_empty());
    }
}
