//! `avtal new-version`: start a revision as a copy of an existing version, with
//! one-to-one lineage filled in, so its comparison with the version it came from
//! updates on every save under `serve`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::Site;
use crate::model::meta::{IsoDate, LineageDecl, LineageEntry, Provenance};

#[derive(Debug, thiserror::Error)]
pub enum NewVersionError {
    #[error("work `{0}` does not exist (works: {1})")]
    UnknownWork(String, String),
    #[error("work `{work}` has no version `{version}` (versions: {known})")]
    UnknownVersion {
        work: String,
        version: String,
        known: String,
    },
    #[error("version `{0}` already exists in {1}")]
    Exists(String, String),
    #[error("`{0}` cannot be used as a version id: use lowercase letters, digits and -")]
    BadId(String),
    #[error("cannot write {0}: {1}; no file was made, so the command can simply be run again")]
    Io(String, std::io::Error),
    #[error("cannot write the front matter: {0}")]
    Yaml(String),
    #[error("{}: {}", .0.file, .0.message)]
    Unreadable(crate::diagnostics::Diagnostic),
}

/// Writes the new version's file and returns its path.
pub fn create(
    root: &Path,
    site: &Site,
    work: &str,
    id: &str,
    from: &str,
    today: IsoDate,
) -> Result<PathBuf, NewVersionError> {
    if !crate::content::is_url_segment(id) {
        return Err(NewVersionError::BadId(id.to_string()));
    }
    let known_works: Vec<&str> = site.works.iter().map(|w| w.id.as_str()).collect();
    let work_model = site
        .work(work)
        .ok_or_else(|| NewVersionError::UnknownWork(work.to_string(), known_works.join(", ")))?;
    let versions: Vec<&str> = work_model
        .versions
        .iter()
        .filter_map(|&i| site.pages[i].version())
        .map(|v| v.version.as_str())
        .collect();
    if let Some(existing) = site.version(work, id) {
        return Err(NewVersionError::Exists(
            id.to_string(),
            existing.source.name.clone(),
        ));
    }
    let source = site
        .version(work, from)
        .ok_or_else(|| NewVersionError::UnknownVersion {
            work: work.to_string(),
            version: from.to_string(),
            known: versions.join(", "),
        })?;
    let mut meta = source
        .version()
        .cloned()
        .expect("a version page has version metadata");
    meta.version = id.to_string();
    // The copy has no history of its own: no source says anything of it yet.
    meta.status = None;
    meta.status_history = Vec::new();
    meta.date = today;
    meta.events = Vec::new();
    meta.editorial_notice = Some(format!(
        "Utkast till ny version, påbörjat som en kopia av version {from}."
    ));
    meta.source = Provenance {
        file: String::new(),
        body: meta.source.body.clone(),
        identifiers: Vec::new(),
        editorial: format!(
            "Utkast skapat med `avtal new-version` från version {from}; ändra här vad som ändrats."
        ),
    };
    meta.lineage = Some(LineageDecl {
        from: from.to_string(),
        clauses: source
            .body
            .clauses
            .iter()
            .map(|c| LineageEntry {
                from: vec![c.id.clone()],
                to: vec![c.id.clone()],
                note: None,
            })
            .collect(),
    });
    let yaml = serde_yaml::to_string(&meta).map_err(|e| NewVersionError::Yaml(e.to_string()))?;
    let text = source
        .source
        .source_text()
        .map_err(NewVersionError::Unreadable)?;
    let body =
        &text.text[crate::content::front_matter::split(&text).map_or(0, |s| s.body_offset)..];
    let folder = Path::new(&source.path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let path = root.join("content").join(folder).join(format!("{id}.md"));
    if path.exists() {
        return Err(NewVersionError::Exists(
            id.to_string(),
            path.display().to_string(),
        ));
    }
    write_new_file(
        &path,
        format!("---\n{yaml}---\n{body}").as_bytes(),
        |file, bytes| file.write_all(bytes),
    )
    .map_err(|e| NewVersionError::Io(path.display().to_string(), e))?;
    Ok(path)
}

/// Writes a file that must not exist yet, whole or not at all: into a temporary file
/// beside it, then linked into place under its name. A full disk, a quota or a kill
/// leaves no truncated file in `content/` (which `check` would reject and a retry would
/// call "already exists"), and a file that appeared meanwhile is never replaced.
/// `write` fills the temporary file; tests pass one that fails like a full disk.
fn write_new_file(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A hidden name without `.md`, so neither `check` nor `serve` reads it meanwhile.
    let (temporary, mut file) = create_temporary(folder, &name)?;
    let written = write(&mut file, bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| place(&temporary, path));
    drop(file);
    // Linked into place, or failed: either way the temporary name goes.
    let _ = fs::remove_file(&temporary);
    written
}

/// A new file `.NAME.avtal-tmp-PID` (or `-PID-2`, …): an existing file of that name,
/// someone else's, is left alone.
fn create_temporary(folder: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let base = format!(".{name}.avtal-tmp-{}", std::process::id());
    let mut attempt = 1;
    loop {
        let candidate = if attempt == 1 {
            folder.join(&base)
        } else {
            folder.join(format!("{base}-{attempt}"))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// Gives the finished temporary file its real name without replacing anything there:
/// a hard link fails if the name is taken. Where the file system has no hard links,
/// a rename after a last look.
fn place(temporary: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temporary, path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(err),
        Err(_) if fs::symlink_metadata(path).is_ok() => {
            Err(io::Error::from(io::ErrorKind::AlreadyExists))
        }
        Err(_) => fs::rename(temporary, path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_halfway_leaves_no_file() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("2014.md");
        let text = "---\nkind: version\n---\n".repeat(100);
        let result = write_new_file(&path, text.as_bytes(), |file, bytes| {
            // What a full disk does: part of the text is written, then ENOSPC.
            file.write_all(&bytes[..bytes.len() / 2])?;
            Err(io::Error::from_raw_os_error(28))
        });
        let err = result.expect_err("the write failed");
        assert_eq!(err.raw_os_error(), Some(28));
        let left: Vec<_> = fs::read_dir(folder.path())
            .expect("folder")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    #[test]
    fn a_whole_write_is_placed_and_nothing_else_is_left() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("2014.md");
        write_new_file(&path, b"hela texten", |file, bytes| file.write_all(bytes))
            .expect("written");
        assert_eq!(fs::read(&path).expect("file"), b"hela texten");
        assert_eq!(fs::read_dir(folder.path()).expect("folder").count(), 1);
    }

    #[test]
    fn an_existing_file_is_never_replaced() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("2014.md");
        fs::write(&path, "någon annans").expect("write");
        let err =
            write_new_file(&path, b"ny", |file, bytes| file.write_all(bytes)).expect_err("refused");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).expect("file"), "någon annans");
        assert_eq!(fs::read_dir(folder.path()).expect("folder").count(), 1);
    }
}
