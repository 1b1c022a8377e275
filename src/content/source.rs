//! Reading content files from disk into normalised text.
//!
//! Everything later stages see is UTF-8, NFC, LF-only and without a BOM, so that
//! byte offsets, diffs and search agree whatever editor wrote the file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, SourceText, line_column};

/// Larger files are refused: the agreement's longest document is 17 KB, and a
/// runaway file (a log pasted by mistake) should not stall the build.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One content file found on disk.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub absolute: PathBuf,
    /// Relative to the content folder, with `/` separators: `overenskommelse/2009.md`.
    pub relative: String,
}

/// Lists every `*.md` below `content`, sorted, skipping hidden files and editor droppings.
pub fn find_markdown(content: &Path) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or_else(String::new, |p| {
                    let relative = p.strip_prefix(content).unwrap_or(p);
                    format!("content/{}", display_path(relative))
                });
                problems.push(
                    Diagnostic::io_error(path, format!("cannot read this folder entry: {err}"))
                        .with_help("check permissions, or remove the broken link"),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_symlink() {
            if name.ends_with(".md") {
                let relative = entry.path().strip_prefix(content).unwrap_or(entry.path());
                problems.push(
                    Diagnostic::error(
                        format!("content/{}", display_path(relative)),
                        "content files may not be symbolic links",
                    )
                    .with_help("copy the file into content/ instead of linking it"),
                );
            }
            continue;
        }
        if !entry.file_type().is_file() || !name.ends_with(".md") {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(content) else {
            continue;
        };
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push(FoundFile {
            absolute: entry.path().to_path_buf(),
            relative: relative.join("/"),
        });
    }
    (files, problems)
}

/// Names that editors and tools leave behind and that are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".tmp")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a file as normalised text. `name` is how diagnostics name it.
pub fn read_text(path: &Path, name: &str) -> Result<SourceText, Diagnostic> {
    let cannot_read =
        |e: std::io::Error| Diagnostic::io_error(name, format!("cannot read file: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let metadata = file.metadata().map_err(cannot_read)?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            name,
            format!(
                "file is {} MB, larger than the {} MB limit for a content file",
                metadata.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split the document, or check that the file is the text you meant to add"));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    file.read_to_end(&mut bytes).map_err(cannot_read)?;
    decode(name, bytes)
}

/// A page's text: held while the page is parsed, then, for a page read from a file,
/// released and read again whenever a later stage needs it (its page is rendered, a
/// problem in it is shown). The text of every file at once weighs about the corpus
/// (61 MB at 10,000 documents) and is needed only one page at a time.
///
/// What is read again is checked against what was loaded (length and hash of the
/// normalised text): the clauses' places in the text were found in the text loaded,
/// and a file saved in between would put them in the wrong places.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// Path as the editor knows it (`content/x.md`), as in [`SourceText::name`].
    pub name: String,
    /// Where to read the text again; `None` for text that came from no file.
    path: Option<PathBuf>,
    held: Option<Arc<str>>,
    len: usize,
    hash: u64,
}

impl PageSource {
    /// A source holding its text; `path` is the file it was read from, if any.
    pub fn new(source: SourceText, path: Option<PathBuf>) -> PageSource {
        PageSource {
            len: source.text.len(),
            hash: fingerprint(&source.text),
            name: source.name,
            path,
            held: Some(source.text),
        }
    }

    /// Lets go of the text if it can be read again from its file.
    pub fn release(&mut self) {
        if self.path.is_some() {
            self.held = None;
        }
    }

    /// The text as it was loaded: the one held, or the file read again.
    pub fn text(&self) -> Result<Arc<str>, Diagnostic> {
        if let Some(text) = &self.held {
            return Ok(text.clone());
        }
        let path = self.path.as_deref().unwrap_or(Path::new(""));
        let again = read_text(path, &self.name)?;
        if again.text.len() != self.len || fingerprint(&again.text) != self.hash {
            return Err(Diagnostic::io_error(
                &self.name,
                "the file changed while the site was being built from it",
            )
            .with_help("build again once the file is saved"));
        }
        Ok(again.text)
    }

    /// `problem` placed in the text by `place` (`at_line`, `at`); left on the whole file
    /// when the text cannot be read again, which the build reports where it needs it.
    pub fn place(
        &self,
        problem: Diagnostic,
        place: impl FnOnce(Diagnostic, &SourceText) -> Diagnostic,
    ) -> Diagnostic {
        match self.source_text() {
            Ok(source) => place(problem, &source),
            Err(_) => problem,
        }
    }

    /// [`PageSource::text`] with the file's name, for diagnostics that point into it.
    pub fn source_text(&self) -> Result<SourceText, Diagnostic> {
        Ok(SourceText {
            name: self.name.clone(),
            text: self.text()?,
        })
    }
}

/// A hash of the text, to notice a file that changed: FxHash reads eight bytes at a step,
/// and what it guards against is an editor's save, not a chosen collision.
fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Turns raw bytes into normalised text, or says where the bytes stop being UTF-8.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    if bytes.contains(&0) {
        return Err(
            Diagnostic::error(name, "this is a binary file, not Markdown text")
                .with_help("content/ holds .md text files only; move the file elsewhere"),
        );
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
    Ok(SourceText {
        name: name.to_string(),
        text: Arc::from(normalise_owned(text)),
    })
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
    fn a_released_text_is_read_again_and_refused_if_the_file_changed() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("beslut.md");
        // Read again, the text is normalised as on the first read (CRLF, decomposed å).
        std::fs::write(&path, "Beslut om a\u{30a}tgärder\r\n").expect("write");
        let loaded = read_text(&path, "content/beslut.md").expect("read");
        let mut source = PageSource::new(loaded.clone(), Some(path.clone()));
        source.release();
        assert!(source.held.is_none(), "a file's text is not kept");
        assert_eq!(source.text().expect("read again"), loaded.text);
        assert_eq!(&*source.text().expect("read again"), "Beslut om åtgärder\n");

        std::fs::write(&path, "Beslut om åtgärder i länet\n").expect("write");
        let changed = source.text().expect_err("the file changed");
        assert_eq!(changed.file, "content/beslut.md");
        assert!(
            changed.is_io_error() && changed.message.contains("changed"),
            "{changed:?}"
        );
        // Same length, other letters: still seen.
        std::fs::write(&path, "Beslut om åtgärdar\n").expect("write");
        assert!(source.text().is_err());
        std::fs::remove_file(&path).expect("remove");
        assert!(source.text().expect_err("gone").is_io_error());

        // Text that came from no file is kept, whatever `release` is asked.
        let mut in_memory = PageSource::new(loaded, None);
        in_memory.release();
        assert_eq!(&*in_memory.text().expect("held"), "Beslut om åtgärder\n");
    }

    #[test]
    fn a_file_the_system_cannot_read_is_an_io_error_not_a_content_error() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let problem = read_text(folder.path(), "content/mapp.md").unwrap_err();
        assert!(problem.is_io_error(), "{problem:?}");
        assert!(
            problem.message.starts_with("cannot read file"),
            "{problem:?}"
        );
        let binary = decode("content/x.md", vec![0, 159, 146, 150]).unwrap_err();
        assert!(binary.is_error() && !binary.is_io_error(), "{binary:?}");
    }

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

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [".2009.md.swp", "2009.md~", "4913", ".#2009.md", "x.tmp"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("2009.md"));
    }
}
