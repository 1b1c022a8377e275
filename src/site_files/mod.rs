//! Reading the site's files from disk, below every stage: the one way every file of the site is read
//! (content, configuration, word list, templates, static files), and the walks that
//! list them.
//!
//! No symbolic link inside the site folder is followed, neither a file nor any folder
//! on the way to it, at the top of a walk or below it: so none can lead out of the
//! site (`static -> /etc`, `site.yaml -> ~/.secrets`), and what a link leads to is never
//! opened, so no message can quote it. Anything that is not a regular file where a
//! file is read (a FIFO, a socket, a device, a folder) is refused by what it is, from
//! its metadata, before it is opened: a FIFO would block the read. Each kind of file
//! has its size limit, named in the refusal.
//!
//! Everything later stages see is UTF-8, NFC, LF-only and without a BOM, so that
//! byte offsets, diffs and search agree whatever editor wrote the file.
//!
//! A leaf: it uses nothing of avtal but `diagnostics`, so that every stage, the model's
//! reader of a page's text too (`model::source`), reads through it.

mod decode;
mod walk;

pub use decode::{decode, decode_as, normalise};
pub use walk::{Walked, WalkedFile, is_ignored_name, walk_site_folder};

use std::fs::Metadata;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, SourceText};

/// Larger files are refused: the agreement's longest document is 17 KB, and a
/// runaway file (a log pasted by mistake) should not stall the build. The limit of
/// content files, configuration, the word list and templates.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Static files are published as they are and may be fonts or images: a larger limit,
/// still far from what a theme needs, so that a stray disk image is not held in memory.
pub const MAX_STATIC_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// What a file of the site is for: its size limit, and how messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown file under content/.
    Content,
    /// content/site.yaml or content/antaganden.yaml.
    Configuration,
    /// content/ordlista.txt.
    WordList,
    /// A theme's template.
    Template,
    /// A theme's static file, published as it is.
    StaticFile,
}

impl FileKind {
    /// The largest file of this kind that is read.
    pub fn limit(self) -> u64 {
        match self {
            FileKind::StaticFile => MAX_STATIC_FILE_BYTES,
            _ => MAX_FILE_BYTES,
        }
    }

    /// One file of this kind, as in "the limit for a template".
    pub fn one(self) -> &'static str {
        match self {
            FileKind::Content => "a content file",
            FileKind::Configuration => "a configuration file",
            FileKind::WordList => "the word list",
            FileKind::Template => "a template",
            FileKind::StaticFile => "a static file",
        }
    }

    /// Files of this kind, as in "templates may not be symbolic links".
    pub fn many(self) -> &'static str {
        match self {
            FileKind::Content => "content files",
            FileKind::Configuration => "configuration files",
            FileKind::WordList => "word lists",
            FileKind::Template => "templates",
            FileKind::StaticFile => "static files",
        }
    }
}

/// Why a path below the site folder cannot be used, found without following links.
enum Refusal {
    /// The part of the path up to here (`themes/default`) is a symbolic link.
    Link(String),
    /// The part up to here is on the way to the file but is no folder; what it is.
    NotAFolder(String, &'static str),
    Io(io::Error),
}

/// The path of `name` (below the site folder, with `/`) on disk.
pub fn site_path(root: &Path, name: &str) -> PathBuf {
    let mut path = root.to_path_buf();
    path.extend(name.split('/'));
    path
}

/// The metadata of what is at `name` below `root`, not following links: every part of
/// the path is looked at with `symlink_metadata`, and a link anywhere is refused.
fn look_at(root: &Path, name: &str) -> Result<Metadata, Refusal> {
    let parts: Vec<&str> = name.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        // Names are made by avtal from what it listed; this keeps a bad one inside.
        return Err(Refusal::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path is not a plain path below the site folder",
        )));
    }
    let mut path = root.to_path_buf();
    for (index, part) in parts.iter().enumerate() {
        path.push(part);
        let metadata = std::fs::symlink_metadata(&path).map_err(Refusal::Io)?;
        let so_far = || parts[..=index].join("/");
        if metadata.file_type().is_symlink() {
            return Err(Refusal::Link(so_far()));
        }
        if index + 1 == parts.len() {
            return Ok(metadata);
        }
        if !metadata.is_dir() {
            return Err(Refusal::NotAFolder(so_far(), what_it_is(&metadata)));
        }
    }
    Err(Refusal::Io(io::ErrorKind::InvalidInput.into()))
}

/// What a folder entry is, for messages: "a FIFO (named pipe)".
fn what_it_is(metadata: &Metadata) -> &'static str {
    let kind = metadata.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a file"
    } else {
        "neither a file nor a folder"
    }
}

/// Why links are refused, for every message that refuses one.
pub const NO_LINKS: &str =
    "avtal follows no symbolic link in the site folder, so that none can lead out of it";

/// The link `name`, where a file of `kind` would be read (or a folder of them walked).
pub fn link_refused(name: &str, kind: FileKind) -> Diagnostic {
    Diagnostic::error(name, format!("{} may not be symbolic links", kind.many())).with_help(
        format!("put a copy of the file or folder there instead of the link: {NO_LINKS}"),
    )
}

/// `refusal` as a diagnostic on `name`, a file of `kind` or (`folder`) a folder of them.
fn refused(name: &str, kind: FileKind, folder: bool, refusal: Refusal) -> Diagnostic {
    match refusal {
        Refusal::Link(link) if link == name && !folder => link_refused(name, kind),
        Refusal::Link(link) => Diagnostic::error(
            name,
            format!(
                "`{link}` is a symbolic link, and {} are not read through links",
                kind.many()
            ),
        )
        .with_help(format!(
            "put a copy of the folder there instead of the link: {NO_LINKS}"
        )),
        Refusal::NotAFolder(part, what) => {
            Diagnostic::error(name, format!("`{part}` is {what}, not a folder"))
                .with_help(format!("`{part}` should be a folder of {}", kind.many()))
        }
        Refusal::Io(e) => Diagnostic::io_error(name, format!("cannot read file: {e}")),
    }
}

/// What is at `name`, a path below the site folder `root` with `/` (`content/site.yaml`),
/// looked at without following links: `None` when nothing is there. A symbolic link at
/// `name` or at any folder on the way to it is refused, as is a way that is no folder.
pub fn site_entry(root: &Path, name: &str, kind: FileKind) -> Result<Option<Metadata>, Diagnostic> {
    match look_at(root, name) {
        Ok(metadata) => Ok(Some(metadata)),
        Err(Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(refusal) => Err(refused(name, kind, false, refusal)),
    }
}

/// Whether the folder `name` below `root` is there (`false` when nothing is); refused
/// when it, or a folder on the way to it, is a link, or when it is no folder. `kind` is
/// what the folder holds.
pub fn site_folder(root: &Path, name: &str, kind: FileKind) -> Result<bool, Diagnostic> {
    match look_at(root, name) {
        Ok(metadata) if metadata.is_dir() => Ok(true),
        Ok(metadata) => Err(Diagnostic::error(
            name,
            format!("{name} is {}, not a folder", what_it_is(&metadata)),
        )
        .with_help(format!("{name} should be a folder of {}", kind.many()))),
        Err(Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(refusal) => Err(refused(name, kind, true, refusal)),
    }
}

/// Reads a file of the site: every file avtal reads goes through here. `name` is its
/// path below the site folder `root`, with `/` (`content/site.yaml`), as diagnostics
/// name it. Refused before anything is opened: a symbolic link at the file or at any
/// folder on the way, anything that is not a regular file (said what it is), and a file
/// larger than the limit of its `kind`.
pub fn read_site_bytes(root: &Path, name: &str, kind: FileKind) -> Result<Vec<u8>, Diagnostic> {
    let cannot_read = |e: io::Error| Diagnostic::io_error(name, format!("cannot read file: {e}"));
    let metadata = look_at(root, name).map_err(|refusal| refused(name, kind, false, refusal))?;
    if !metadata.is_file() {
        return Err(not_a_file(name, kind, &metadata));
    }
    let limit = kind.limit();
    if metadata.len() > limit {
        return Err(too_large(name, kind, metadata.len()));
    }
    let file = open_without_following(&site_path(root, name)).map_err(cannot_read)?;
    // What was opened is what was looked at: not swapped for a link or a FIFO since.
    let opened = file.metadata().map_err(cannot_read)?;
    if !opened.is_file() || !same_file(&metadata, &opened) {
        return Err(
            Diagnostic::io_error(name, "the file was replaced while it was being read")
                .with_help("run again once the file is saved"),
        );
    }
    let mut bytes = Vec::with_capacity(opened.len().min(limit) as usize + 1);
    // A file that grows while it is read still stops at the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(name, kind, bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read_site_bytes`] as normalised text.
pub fn read_site_text(root: &Path, name: &str, kind: FileKind) -> Result<SourceText, Diagnostic> {
    decode_as(name, read_site_bytes(root, name, kind)?, kind)
}

fn not_a_file(name: &str, kind: FileKind, metadata: &Metadata) -> Diagnostic {
    Diagnostic::error(
        name,
        format!("{name} is {}, not a file", what_it_is(metadata)),
    )
    .with_help(format!(
        "{} must be a regular file: put the file itself there",
        capitalised(kind.one())
    ))
}

fn too_large(name: &str, kind: FileKind, bytes: u64) -> Diagnostic {
    const MB: u64 = 1024 * 1024;
    let help = match kind {
        FileKind::Content => {
            "split the document, or check that the file is the text you meant to add"
        }
        _ => "check that the file is the one you meant to put there",
    };
    Diagnostic::error(
        name,
        format!(
            "file is {} MB, larger than the {} MB limit for {}",
            bytes / MB,
            kind.limit() / MB,
            kind.one()
        ),
    )
    .with_help(help)
}

pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Opens `path` for reading without following a link at its end, and without waiting
/// on a FIFO put there since it was looked at (the metadata check then refuses it).
#[cfg(target_os = "linux")]
fn open_without_following(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_without_following(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn same_file(looked_at: &Metadata, opened: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    looked_at.dev() == opened.dev() && looked_at.ino() == opened.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, opened: &Metadata) -> bool {
    opened.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_the_system_cannot_read_is_an_io_error_not_a_content_error() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let gone = read_site_text(folder.path(), "content/borta.md", FileKind::Content)
            .expect_err("nothing there");
        assert!(gone.is_io_error(), "{gone:?}");
        assert!(gone.message.starts_with("cannot read file"), "{gone:?}");
        let binary = decode("content/x.md", vec![0, 159, 146, 150]).unwrap_err();
        assert!(binary.is_error() && !binary.is_io_error(), "{binary:?}");
    }

    #[test]
    fn a_folder_where_a_file_is_read_is_named_as_a_folder() {
        let folder = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir_all(folder.path().join("content/mapp.md")).expect("folder");
        let problem = read_site_text(folder.path(), "content/mapp.md", FileKind::Content)
            .expect_err("a folder");
        assert_eq!(problem.message, "content/mapp.md is a folder, not a file");
        assert!(problem.is_error() && !problem.is_io_error(), "{problem:?}");
    }

    #[test]
    fn a_path_that_leaves_the_site_folder_is_refused() {
        let folder = tempfile::tempdir().expect("temporary folder");
        assert!(read_site_bytes(folder.path(), "content/../x.md", FileKind::Content).is_err());
    }
}
