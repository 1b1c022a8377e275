//! Whether a "5 §" or "§ 5" in running text cites another act rather than the work it
//! stands in. Version pages link such references to the version's own clause, which is
//! wrong for "4 kap. 1 § socialtjänstlagen" in guidelines that have a § 1 of their own:
//! only a reference that names no chapter and no act (before or after it) is taken to
//! mean the work itself.

/// `before`: the text up to the reference; `after`: the text following it.
pub fn names_another_act(before: &str, after: &str) -> bool {
    chapter_or_act_before(before) || act_after(after)
}

/// "4 kap. 1 §", "SFS 2010:197 11 §", "lagen (2010:197) 5 §", "socialtjänstlagen 5 §",
/// and a meeting's minutes: "Socialnämnden 2013-09-25 § 130".
fn chapter_or_act_before(before: &str) -> bool {
    let Some(last) = before.split(char::is_whitespace).rfind(|t| !t.is_empty()) else {
        return false;
    };
    let word = bare(last);
    matches!(word.to_lowercase().as_str(), "kap" | "kapitlet" | "kapitel")
        || is_act_name(word)
        || is_statute_number(last)
        || is_full_date(word)
}

/// Looks past words that only narrow the reference ("första stycket", "2 p.", "i",
/// "samma", another "3 §") for the name of an act, up to the end of the sentence.
fn act_after(after: &str) -> bool {
    for token in after.split(char::is_whitespace).filter(|t| !t.is_empty()) {
        if is_statute_number(token) || is_act_name(bare(token)) {
            return true;
        }
        let word = bare(token).to_lowercase();
        if !is_filler(&word) || ends_sentence(token, &word) {
            return false;
        }
    }
    false
}

/// Words between a reference and the act it belongs to that say nothing about which
/// act it is.
fn is_filler(bare: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "i", "och", "eller", "samt", "första", "andra", "tredje", "fjärde", "femte", "sjätte",
        "sjunde", "åttonde", "nionde", "tionde", "stycket", "st", "punkt", "punkten", "p",
        "mening", "meningen", "samma", "nämnda", "denna", "den", "§", "§§",
    ];
    WORDS.contains(&bare)
        || bare.chars().all(|c| c.is_ascii_digit())
        || (bare.chars().count() == 1 && bare.chars().all(|c| c.is_lowercase()))
}

/// A full stop, semicolon, colon, question or exclamation mark ends the sentence: what
/// follows it is about something else. "st." and "p." are abbreviations, not ends.
fn ends_sentence(token: &str, bare: &str) -> bool {
    let ends = token.ends_with(['.', ';', ':', '!', '?']) || token.starts_with(['.', ';', ':']);
    ends && !matches!(bare, "st" | "p")
}

/// The word without surrounding punctuation and a genitive `:s` ("KSL:s" → "KSL").
fn bare(token: &str) -> &str {
    let trimmed = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '§' && c != '-');
    trimmed.strip_suffix(":s").unwrap_or(trimmed)
}

/// "lagen", "socialtjänstlagen", "förordningen", "brottsbalken", "KSL:s stadgar", and
/// abbreviations of acts and bodies: "SoL", "LSS", "SFS", "KSL".
fn is_act_name(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    const EXACT: &[&str] = &["lag", "förordning", "balk", "stadgar", "föreskrifter"];
    const ENDINGS: &[&str] = &[
        "lagen",
        "lagens",
        "ordningen",
        "ordningens",
        "balken",
        "balkens",
        "regeringsformen",
        "stadgan",
        "stadgarna",
        "kungörelsen",
        "föreskrifterna",
        "reglementet",
        "reglementets",
        "direktivet",
    ];
    if EXACT.contains(&lower.as_str()) || ENDINGS.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    // An abbreviation: letters only, at least two capitals, short.
    let letters = word.chars().all(char::is_alphabetic);
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    letters && capitals >= 2 && word.chars().count() <= 8
}

/// A Swedish statute number, "2010:197" or "(2010:197)": year, colon, running number.
fn is_statute_number(token: &str) -> bool {
    let core = token.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | '.' | ';'));
    let Some((year, number)) = core.split_once(':') else {
        return false;
    };
    year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// `2013-09-25`: a date right before "§ 130" names a meeting's minutes.
fn is_full_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(len, part)| part.len() == *len && part.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::names_another_act;

    /// Splits `text` around its first `§`-reference written between `[` and `]`.
    fn cites_other(text: &str) -> bool {
        let start = text.find('[').expect("a marked reference");
        let end = text.find(']').expect("a marked reference");
        names_another_act(&text[..start], &text[end + 1..])
    }

    #[test]
    fn references_to_other_acts_are_recognised() {
        for text in [
            "enligt [1 §] lagen (2010:197) om etableringsinsatser",
            "enligt [3 §] förordningen om statlig ersättning",
            "se 4 kap. [1 §] socialtjänstlagen",
            "se 4 kap [1 §] socialtjänstlagen",
            "enligt 9 kap. [1 §]",
            "enligt 9 kap. [1 §] och 2 kap. 3 §",
            "i 2 kapitlet [5 §]",
            "[1 §] första stycket lagen (1994:137) om mottagande av asylsökande",
            "[2 §] andra stycket 3 förordningen (2010:1122)",
            "[5 §] i skollagen",
            "[§ 5] i lagen om kommunal redovisning",
            "[5 §] LSS",
            "[5 §] SoL:s regler",
            "[11 §] SFS 2010:197",
            "SFS 2010:197 [11 §]",
            "lagen (2010:197) [5 §]",
            "[8 §] kommunallagen",
            "[3 §] i samma lag",
            "[3 §] i denna lag",
            "[7 §] brottsbalken",
            "[1 §] och 3 § förordningen",
            "[12 §] tryckfrihetsförordningen",
            "[4 §] KSL:s stadgar",
            "Socialnämnden 2013-09-25 [§ 130]",
            "[1 §] förvaltningslagen (2017:900)",
            "[5 §]\nförordningen",
        ] {
            assert!(cites_other(text), "should cite another act: {text}");
        }
    }

    #[test]
    fn references_to_the_work_itself_are_kept() {
        for text in [
            "enligt [5 §]",
            "enligt [5 §] ska kommunerna",
            "se [§ 5] ovan",
            "[5 §] andra stycket 2",
            "[5 §] i denna överenskommelse",
            "[5 §]. Lagen säger annat",
            "[5 §]; förordningen gäller inte",
            "enligt [5 §] (se även bilagan)",
            "i [§ 3] och § 4",
            "av [5 a §]",
            "Kommunerna ska enligt [§ 2] samarbeta",
            "[5 §] Kommunerna",
            "styrgruppen, [§ 6], träffas",
            "år 2013 [§ 5]",
        ] {
            assert!(!cites_other(text), "should mean the work itself: {text}");
        }
    }
}
