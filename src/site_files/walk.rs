//! Listing a folder of the site without following links.

use std::path::Path;

use walkdir::WalkDir;

use super::{FileKind, site_folder, site_path};
use crate::diagnostics::Diagnostic;

/// One file a walk found, below the folder walked.
#[derive(Debug, Clone)]
pub struct WalkedFile {
    /// Below the folder walked, with `/`: `css/site.css`.
    pub relative: String,
    /// Below the site folder, with `/`: `themes/default/static/css/site.css`.
    pub name: String,
}

/// What a walk of a folder of the site found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Everything that is not a folder or a link (reading a FIFO says what it is).
    pub files: Vec<WalkedFile>,
    /// Symbolic links, not followed; what they mean is the caller's to say.
    pub links: Vec<WalkedFile>,
    pub problems: Vec<Diagnostic>,
}

/// Lists the folder `name` below `root` (`content`, `themes/default/static`), sorted,
/// without hidden files and editor droppings. No link is followed: the folder itself,
/// or one on the way to it, being a link is refused, and a link below it is listed in
/// `links`. A folder that is not there lists nothing.
pub fn walk_site_folder(root: &Path, name: &str, kind: FileKind) -> Walked {
    let mut walked = Walked::default();
    match site_folder(root, name, kind) {
        Ok(true) => {}
        Ok(false) => return walked,
        Err(problem) => {
            walked.problems.push(problem);
            return walked;
        }
    }
    let folder = site_path(root, name);
    let walker = WalkDir::new(&folder)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let below = |path: &Path| {
        let relative = path.strip_prefix(&folder).unwrap_or(path);
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        relative.join("/")
    };
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| name.to_string(), |p| format!("{name}/{}", below(p)));
                walked.problems.push(
                    Diagnostic::io_error(path, format!("cannot read this folder entry: {err}"))
                        .with_help("check permissions, or remove the broken link"),
                );
                continue;
            }
        };
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let relative = below(entry.path());
        let file = WalkedFile {
            name: format!("{name}/{relative}"),
            relative,
        };
        if entry.file_type().is_symlink() {
            walked.links.push(file);
        } else {
            walked.files.push(file);
        }
    }
    walked
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [".2009.md.swp", "2009.md~", "4913", ".#2009.md", "x.tmp"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("2009.md"));
    }
}
