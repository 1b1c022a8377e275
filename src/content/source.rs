//! Reading the site's files from disk: the one way every file of the site is read
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

use std::fs::Metadata;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, SourceText, line_column};

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
fn site_path(root: &Path, name: &str) -> PathBuf {
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
const NO_LINKS: &str =
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

fn capitalised(text: &str) -> String {
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
    fn a_name_that_is_not_the_end_of_its_path_is_refused() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("content/x.md");
        assert!(read_text(&path, "content/y.md").is_err());
        assert!(read_site_bytes(folder.path(), "content/../x.md", FileKind::Content).is_err());
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
