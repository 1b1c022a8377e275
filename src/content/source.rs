//! Finding the content files, and a page's text, held or read again from its file.
//! Every file is read through [`crate::site_files`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, SourceText};
use crate::site_files::{
    FileKind, NO_LINKS, link_refused, read_site_text, site_path, walk_site_folder,
};

/// Reads a content file as normalised text. `path` is the file, and `name` its path
/// below the site folder (`content/x.md`), as diagnostics name it: the site folder is
/// what `path` has before `name`, and the file is read as [`read_site_text`] reads it.
pub fn read_text(path: &Path, name: &str) -> Result<SourceText, Diagnostic> {
    let mut root = path;
    for part in name.rsplit('/') {
        match (root.file_name(), root.parent()) {
            (Some(last), Some(parent)) if last == part => root = parent,
            _ => {
                return Err(Diagnostic::io_error(
                    name,
                    format!("cannot read file: {} is not named {name}", path.display()),
                ));
            }
        }
    }
    read_site_text(root, name, FileKind::Content)
}

/// One content file found on disk.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub absolute: PathBuf,
    /// Relative to the content folder, with `/` separators: `overenskommelse/2009.md`.
    pub relative: String,
    /// The site folder, to read the file through [`read_site_text`].
    pub root: Arc<Path>,
}

impl FoundFile {
    /// The file's path below the site folder, as diagnostics name it: `content/x.md`.
    pub fn name(&self) -> String {
        format!("content/{}", self.relative)
    }

    /// Reads the file (see [`read_site_text`]).
    pub fn read(&self) -> Result<SourceText, Diagnostic> {
        read_site_text(&self.root, &self.name(), FileKind::Content)
    }
}

/// Lists every `*.md` below `ROOT/content`, sorted, skipping hidden files and editor
/// droppings. A link named `.md` is an error; any other link is a warning (it is not
/// followed, so nothing it leads to is part of the site), except the files of content/
/// that are read apart (site.yaml), whose reading refuses them.
pub fn find_markdown(root: &Path) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let walked = walk_site_folder(root, "content", FileKind::Content);
    let mut problems = walked.problems;
    for link in walked.links {
        if link.relative.ends_with(".md") {
            problems.push(link_refused(&link.name, FileKind::Content));
        } else if !READ_APART.contains(&link.relative.as_str()) {
            problems.push(
                Diagnostic::warning(
                    &link.name,
                    "a symbolic link in content/ is not followed: nothing it leads to is part of the site",
                )
                .with_help(format!("put a copy there instead if it is meant to be published: {NO_LINKS}")),
            );
        }
    }
    let root: Arc<Path> = Arc::from(root);
    let content = site_path(&root, "content");
    let files = walked
        .files
        .into_iter()
        .filter(|file| file.relative.ends_with(".md"))
        .map(|file| FoundFile {
            absolute: content.join(&file.relative),
            relative: file.relative,
            root: root.clone(),
        })
        .collect();
    (files, problems)
}

/// Files of content/ that are read by name rather than found by the walk.
const READ_APART: [&str; 3] = [
    super::CONFIG_FILE,
    super::ADOPTIONS_FILE,
    super::ordlista::FILE,
];

pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
        let loaded = read_text(&path, "content/beslut.md").expect("read");
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

    #[test]
    fn a_name_that_is_not_the_end_of_its_path_is_refused() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("content/x.md");
        assert!(read_text(&path, "content/y.md").is_err());
    }
}
