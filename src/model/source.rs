//! A page's text, held or read again from its file, checked against what was loaded.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, SourceText};
use crate::site_files::{FileKind, read_site_text};

/// A page's text: held while the page is parsed, then, for a page read from a file,
/// released and read again whenever a later stage needs it (its page is rendered, a
/// problem in it is shown). The text of every file at once weighs about the corpus and
/// is needed only one page at a time.
///
/// What is read again is checked against what was loaded (length and hash of the
/// normalised text): the clauses' places in the text were found in the text loaded,
/// and a file saved in between would put them in the wrong places.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// Path below the site folder (`content/x.md`), as in [`SourceText::name`].
    pub name: String,
    /// The site folder, to read the text again from `name`; `None` for text that came
    /// from no file.
    root: Option<Arc<Path>>,
    held: Option<Arc<str>>,
    len: usize,
    hash: u64,
}

impl PageSource {
    /// A source holding its text; `root` is the site folder when the text was read from
    /// the file `source.name` below it.
    pub fn new(source: SourceText, root: Option<Arc<Path>>) -> PageSource {
        PageSource {
            len: source.text.len(),
            hash: fingerprint(&source.text),
            name: source.name,
            root,
            held: Some(source.text),
        }
    }

    /// Lets go of the text if it can be read again from its file.
    pub fn release(&mut self) {
        if self.root.is_some() {
            self.held = None;
        }
    }

    /// The text as it was loaded: the one held, or the file read again.
    pub fn text(&self) -> Result<Arc<str>, Diagnostic> {
        if let Some(text) = &self.held {
            return Ok(text.clone());
        }
        let root = self.root.as_deref().unwrap_or(Path::new(""));
        let again = read_site_text(root, &self.name, FileKind::Content)?;
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
        Ok(SourceText::new(self.name.clone(), self.text()?))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_text_is_read_again_and_refused_if_the_file_changed() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let root: Arc<Path> = Arc::from(folder.path());
        std::fs::create_dir(root.join("content")).expect("content folder");
        let path = root.join("content/beslut.md");
        // Read again, the text is normalised as on the first read (CRLF, decomposed å).
        std::fs::write(&path, "Beslut om a\u{30a}tgärder\r\n").expect("write");
        let loaded = read_site_text(&root, "content/beslut.md", FileKind::Content).expect("read");
        let mut source = PageSource::new(loaded.clone(), Some(root.clone()));
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
}
