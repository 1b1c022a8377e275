//! Finding the content files, and reading one by its path. Every file is read through
//! [`crate::site_files`].

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_not_the_end_of_its_path_is_refused() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("content/x.md");
        assert!(read_text(&path, "content/y.md").is_err());
    }
}
