//! A file's bytes as the text every stage sees: UTF-8, NFC, LF-only, without a BOM.

use std::sync::Arc;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use super::{FileKind, capitalised};
use crate::diagnostics::{Diagnostic, SourceText, line_column};

/// Turns a content file's raw bytes into normalised text, or says where the bytes stop
/// being UTF-8.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    decode_as(name, bytes, FileKind::Content)
}

/// [`decode`] for a file of `kind`, which says what the file should have been.
pub fn decode_as(name: &str, bytes: Vec<u8>, kind: FileKind) -> Result<SourceText, Diagnostic> {
    if bytes.contains(&0) {
        return Err(match kind {
            FileKind::Content => {
                Diagnostic::error(name, "this is a binary file, not Markdown text")
                    .with_help("content/ holds .md text files only; move the file elsewhere")
            }
            _ => Diagnostic::error(name, "this is a binary file, not text").with_help(format!(
                "{} is UTF-8 text; check that this is the file you meant",
                capitalised(kind.one())
            )),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
            let (line, column) = line_column(&prefix, prefix.len());
            let mut d = Diagnostic::error(name, "the file is not valid UTF-8").with_help(
                "save the file as UTF-8 (the byte here is probably Latin-1 or Windows-1252)",
            );
            d.line = line;
            d.column = column;
            return Err(d);
        }
    };
    if let Some(problem) = stray_byte_order_mark(name, &text) {
        return Err(problem);
    }
    Ok(SourceText::new(
        name.to_string(),
        Arc::from(normalise_owned(text)),
    ))
}

/// A byte-order mark (U+FEFF) anywhere but at the very start. One at the start is how
/// some editors mark UTF-8 and is dropped; a second one there (a tool that adds one to
/// a file that had one) used to make the file "have no front matter", and one further
/// in (two files joined) is an invisible character in a title or clause, or a YAML
/// error that names none. Either is refused where it stands.
fn stray_byte_order_mark(name: &str, text: &str) -> Option<Diagnostic> {
    const BOM: char = '\u{feff}';
    let after_first = text.strip_prefix(BOM).unwrap_or(text);
    let at = after_first.find(BOM)?;
    let mut problem = if at == 0 && after_first.len() < text.len() {
        Diagnostic::error(name, "the file starts with two byte-order marks (U+FEFF)").with_help(
            "save the file as UTF-8 without a byte-order mark, or delete the invisible characters before the first `---`",
        )
    } else {
        Diagnostic::error(
            name,
            "a byte-order mark (U+FEFF, an invisible character) stands inside the text",
        )
        .with_help(
            "it usually comes from joining two files; delete it (in many editors: search for \\uFEFF with regular expressions)",
        )
    };
    // Counted after the leading mark, which editors do not show as a character.
    let (line, column) = line_column(after_first, at);
    problem.line = line;
    problem.column = column;
    Some(problem)
}

/// BOM removed, CRLF and lone CR made LF, composed to NFC.
pub fn normalise(text: &str) -> String {
    normalise_owned(text.to_string())
}

/// [`normalise`] of a text already owned: most files need no change, and are not copied.
fn normalise_owned(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.as_bytes().contains(&b'\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if is_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    }
}

/// Whether the text is surely in NFC (`is_nfc_quick` says yes), checking only the runs of
/// characters from U+0300 on. Those below have combining class 0 and need no change, so
/// the check of the whole text is the checks of these runs (the combining class it
/// tracks starts again at 0 after each of them); Swedish text is mostly bytes below
/// 0xCC, where those runs start, with a quotation mark or a dash here and there.
fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let block = &bytes[at..(at + 64).min(bytes.len())];
        // A block at a time, so that the common case compares many bytes at once.
        if block.iter().fold(0, |high, &b| high.max(b)) < 0xCC {
            at += block.len();
            continue;
        }
        let Some(offset) = block.iter().position(|&b| b >= 0xCC) else {
            at += block.len();
            continue;
        };
        // A byte from 0xCC on starts a character (continuation bytes are below 0xC0).
        let start = at + offset;
        let run = &text[start..];
        let end = run
            .char_indices()
            .find(|&(_, c)| c < '\u{300}')
            .map_or(text.len(), |(length, _)| start + length);
        if is_nfc_quick(text[start..end].chars()) != unicode_normalization::IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// Whether every character is below U+0300, where the combining marks start: such text
/// is in NFC (no character there decomposes or combines), and this is a quick test of
/// bytes. UTF-8 lead bytes from 0xCC on start the characters from U+0300 on.
#[cfg(test)]
fn below_combining_marks(text: &str) -> bool {
    // In blocks, so that the comparison runs on many bytes at once.
    text.as_bytes()
        .chunks(64)
        .all(|block| block.iter().fold(0, |high, &b| high.max(b)) < 0xCC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped_at_the_start_and_refused_elsewhere() {
        let once = decode("content/x.md", "\u{feff}---\n".into()).expect("one mark");
        assert_eq!(&*once.text, "---\n");
        let twice = decode("content/x.md", "\u{feff}\u{feff}---\n".into()).unwrap_err();
        assert!(twice.message.contains("two byte-order marks"), "{twice:?}");
        assert_eq!((twice.line, twice.column), (1, 1));
        let inside = decode("content/x.md", "---\nab\u{feff}c\n".into()).unwrap_err();
        assert!(inside.message.contains("inside the text"), "{inside:?}");
        assert_eq!((inside.line, inside.column), (2, 3));
        let no_first = decode("content/x.md", "\u{feff}a\n\u{feff}".into()).unwrap_err();
        assert_eq!(no_first.line, 2);
    }

    #[test]
    fn bom_crlf_and_decomposed_letters_are_normalised() {
        let text = "\u{feff}a\r\nb\rA\u{30a}";
        assert_eq!(normalise(text), "a\nb\nÅ");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode("content/x.md", b"ok\nab\xe5c".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.message.contains("UTF-8"));
    }

    #[test]
    fn text_below_the_combining_marks_is_nfc_by_the_full_check_too() {
        let below: String = (0u32..0x300).filter_map(char::from_u32).collect();
        assert!(below_combining_marks(&below));
        for c in below.chars() {
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "{c:?}"
            );
        }
        assert!(!below_combining_marks("A\u{30a}"));
        assert!(!below_combining_marks("\u{2028}"));
    }

    #[test]
    fn checking_only_the_runs_from_u0300_agrees_with_the_whole_check() {
        use proptest::prelude::*;
        // Letters, Swedish punctuation, combining marks in and out of canonical order,
        // characters that are never NFC (U+0340, U+212B), Hangul, an emoji.
        let pieces = prop::sample::select(vec![
            "a",
            "Å",
            "ä",
            " ",
            "\n",
            "”",
            "–",
            "\u{300}",
            "\u{301}",
            "\u{316}",
            "\u{30a}",
            "\u{340}",
            "\u{212b}",
            "\u{1100}\u{1161}",
            "한",
            "🙂",
            "x\u{327}\u{301}",
        ]);
        let texts = prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat());
        proptest!(ProptestConfig::with_cases(2048), |(text in texts)| {
            let whole = is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes;
            prop_assert_eq!(is_nfc(&text), whole, "{:?}", text);
        });
        // Long text: the runs cross the 64-byte blocks.
        let long = format!(
            "{}”{}\u{316}\u{301}{}",
            "å".repeat(40),
            "a".repeat(61),
            "b".repeat(70)
        );
        assert_eq!(
            is_nfc(&long),
            is_nfc_quick(long.chars()) == unicode_normalization::IsNormalized::Yes
        );
        assert!(!is_nfc(&format!("{}a\u{301}\u{316}", "a".repeat(63))));
    }

    #[test]
    fn binary_is_refused() {
        let err = decode("content/x.md", vec![0x89, b'P', 0, 1]).unwrap_err();
        assert!(err.message.contains("binary"));
    }
}
