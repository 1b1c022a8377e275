//! `avtal init DIR`: a small working site to start from — one work in two versions with
//! declared lineage, a related document, the adoptions page, an accessibility statement
//! and a guide for the editor (README.md). It builds and serves at once; the theme is the
//! one built into the binary.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The files written, relative to DIR, and their text (`src/init/site/`).
pub const FILES: &[(&str, &str)] = &[
    ("README.md", include_str!("site/README.md")),
    (".gitignore", include_str!("site/gitignore")),
    ("content/site.yaml", include_str!("site/content/site.yaml")),
    (
        "content/samarbetsavtal/2024.md",
        include_str!("site/content/samarbetsavtal/2024.md"),
    ),
    (
        "content/samarbetsavtal/2025.md",
        include_str!("site/content/samarbetsavtal/2025.md"),
    ),
    (
        "content/dokument/norrby-beslut-2025.md",
        include_str!("site/content/dokument/norrby-beslut-2025.md"),
    ),
    (
        "content/antaganden.yaml",
        include_str!("site/content/antaganden.yaml"),
    ),
    (
        "content/tillganglighet.md",
        include_str!("site/content/tillganglighet.md"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{} is not empty", .0.display())]
    NotEmpty(PathBuf),
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl InitError {
    pub fn help(&self) -> Option<&'static str> {
        match self {
            InitError::NotEmpty(_) => Some(
                "avtal init writes only into a new or empty folder, so that nothing is overwritten; give another folder",
            ),
            InitError::NotAFolder(_) => Some("give the path of a new or empty folder"),
            InitError::Io { .. } => None,
        }
    }
}

/// Writes the starting site into `dir`, which must be missing or an empty folder.
/// Returns the files written.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => return Err(InitError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
            if entries.next().is_some() {
                return Err(InitError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        Err(err) => return Err(io(dir)(err)),
    }
    let mut written = Vec::with_capacity(FILES.len());
    for (relative, text) in FILES {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // `create_new`: a file that appeared meanwhile is never overwritten.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        file.write_all(text.as_bytes()).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::{InitError, create};

    #[test]
    fn writes_into_a_new_folder_and_refuses_a_non_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("ny");
        let written = create(&site).unwrap();
        assert!(site.join("content/site.yaml").is_file());
        assert_eq!(written.len(), super::FILES.len());
        assert!(matches!(create(&site), Err(InitError::NotEmpty(_))));
        let file = dir.path().join("fil");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(create(&file), Err(InitError::NotAFolder(_))));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }

    #[test]
    fn an_empty_folder_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        create(dir.path()).unwrap();
        assert!(dir.path().join("README.md").is_file());
    }
}
