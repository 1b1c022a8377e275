//! Writing the built site: into a fresh folder beside the output, swapped in only when
//! every file is written, so a failed or killed build leaves the previous site as it was.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Written into every output folder; only a folder carrying it is ever replaced.
pub const MARKER: &str = ".avtal-output";

#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated, never `..` or absolute.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write to {path}: {reason}")]
    Refused {
        path: String,
        reason: String,
        help: String,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl OutputError {
    pub fn help(&self) -> Option<&str> {
        match self {
            OutputError::Refused { help, .. } => Some(help),
            OutputError::Io { .. } => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Checks that `output` is a folder we may replace: not the root, home, the site or its
/// content, and either absent, empty, or one of our own earlier builds. Symbolic links
/// are followed deliberately: the folder a link leads to is the output, checked like any
/// other (so a link to the home folder is refused like the home folder itself), and the
/// link stays in place. Returns that folder, every link resolved.
pub fn check_target(output: &Path, site_root: &Path) -> Result<PathBuf, OutputError> {
    let given = output.display().to_string();
    let refuse = |reason: &str, help: &str| OutputError::Refused {
        path: given.clone(),
        reason: reason.into(),
        help: help.into(),
    };
    const OWN_FOLDER: &str = "choose a folder of its own, e.g. --output public";
    let absolute = locate(output)?;
    let root = resolve(site_root);
    if absolute.parent().is_none() {
        return Err(refuse("it is the file system root", OWN_FOLDER));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && resolve(Path::new(&home)) == absolute
    {
        return Err(refuse("it is your home folder", OWN_FOLDER));
    }
    if absolute == root || root.starts_with(&absolute) {
        return Err(refuse("it contains the site's own files", OWN_FOLDER));
    }
    for protected in ["content", "themes", "src", "tests", ".git"] {
        let protected_path = resolve(&root.join(protected));
        if absolute.starts_with(&protected_path) {
            let reason = if absolute == protected_path {
                format!("it is the site's {protected}/ folder")
            } else {
                format!("it is inside the site's {protected}/ folder")
            };
            return Err(refuse(
                &reason,
                "the output must not be inside the site's sources; use --output public",
            ));
        }
    }
    check_replaceable(output, &absolute)?;
    Ok(absolute)
}

/// What the build may find at the real output path: nothing, or a folder that is empty
/// or ours. Anything else (a file, a device node, a FIFO, a socket, a mount point, a
/// folder of someone else's files) is refused, and nothing there is touched. Checked
/// before the build and again just before the swap, which would otherwise exchange
/// whatever stands there.
fn check_replaceable(given: &Path, real: &Path) -> Result<(), OutputError> {
    let refuse = |reason: String, help: &str| OutputError::Refused {
        path: given.display().to_string(),
        reason,
        help: help.into(),
    };
    let it = subject(given, real);
    let metadata = match fs::symlink_metadata(real) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(io(real)(err)),
    };
    if !metadata.is_dir() {
        return Err(refuse(
            format!("{it} is {}, not a folder", kind_of(&metadata.file_type())),
            "give the path of a folder: a new one, an empty one, or an earlier avtal build; avtal replaces nothing else",
        ));
    }
    if is_mount_point(real) {
        return Err(mount_point(given, real));
    }
    if !has_marker(real) {
        let mut entries = fs::read_dir(real).map_err(io(real))?;
        if let Some(first) = entries.next() {
            let example = first.map_or_else(
                |_| String::from("?"),
                |e| e.file_name().to_string_lossy().into_owned(),
            );
            let holds = if it == "it" {
                String::from("the folder holds")
            } else {
                format!("{it} holds")
            };
            return Err(refuse(
                format!(
                    "{holds} files that avtal did not write (e.g. {example}) and no {MARKER} marker"
                ),
                "avtal only replaces a folder it built itself; give an empty or new folder, or remove this one yourself",
            ));
        }
    }
    Ok(())
}

/// A folder is ours when it carries the marker as a plain file (a link named like the
/// marker proves nothing).
fn has_marker(folder: &Path) -> bool {
    fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// "it", or where a link was followed, "it leads to REAL, which": that is what is refused.
fn subject(given: &Path, real: &Path) -> String {
    if absolutize(given) == real {
        String::from("it")
    } else {
        format!("it leads to {}, which", real.display())
    }
}

fn mount_point(given: &Path, real: &Path) -> OutputError {
    OutputError::Refused {
        path: given.display().to_string(),
        reason: format!(
            "{} is a mount point (another file system is mounted there), and avtal replaces the output folder whole, which a mount point cannot be",
            subject(given, real)
        ),
        help: format!(
            "choose a folder inside it, e.g. --output {}",
            real.join("site").display()
        ),
    }
}

/// What a thing that is not a folder is, in words.
fn kind_of(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a file"
    } else {
        "something other than a folder"
    }
}

/// Whether another file system (or a bind mount) is mounted at `folder`: it cannot be
/// renamed or exchanged (EBUSY), so the build could never put a new site there.
#[cfg(target_os = "linux")]
fn is_mount_point(folder: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    if let Ok(path) = CString::new(folder.as_os_str().as_bytes()) {
        let mut buffer = std::mem::MaybeUninit::<libc::statx>::zeroed();
        // SAFETY: `path` is a valid NUL-terminated string and `buffer` a writable statx
        // record, both alive for the call; statx writes only into the buffer.
        let result = unsafe {
            libc::statx(
                libc::AT_FDCWD,
                path.as_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
                libc::STATX_BASIC_STATS,
                buffer.as_mut_ptr(),
            )
        };
        if result == 0 {
            // SAFETY: statx succeeded, so it filled the record.
            let stat = unsafe { buffer.assume_init() };
            let bit = libc::STATX_ATTR_MOUNT_ROOT as u64;
            // Kernels before 5.8 do not know the attribute; then compare devices below.
            if stat.stx_attributes_mask & bit != 0 {
                return stat.stx_attributes & bit != 0;
            }
        }
    }
    on_another_device(folder)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_mount_point(folder: &Path) -> bool {
    on_another_device(folder)
}

#[cfg(not(unix))]
fn is_mount_point(_folder: &Path) -> bool {
    false
}

/// A folder on another device than its parent is a mount point (a bind mount of the same
/// file system is not seen this way; statx sees it where the kernel tells).
#[cfg(unix)]
fn on_another_device(folder: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(parent) = folder.parent() else {
        return false;
    };
    match (fs::symlink_metadata(folder), fs::metadata(parent)) {
        (Ok(own), Ok(parents)) => own.dev() != parents.dev(),
        _ => false,
    }
}

/// The output path made absolute, with every symbolic link in it followed as far as the
/// path exists: the folder the build really replaces. A link that leads nowhere (its
/// target is missing, or links go round in a circle) is refused rather than replaced,
/// and so is a path that would have to be made inside something that is not a folder.
fn locate(output: &Path) -> Result<PathBuf, OutputError> {
    let refuse = |reason: String, help: &str| OutputError::Refused {
        path: output.display().to_string(),
        reason,
        help: help.into(),
    };
    let absolute = absolutize(output);
    let mut existing = absolute.as_path();
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    let canonical = loop {
        if let Ok(canonical) = fs::canonicalize(existing) {
            break canonical;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    };
    // The first part that could not be followed: a link there leads nowhere.
    if let Some(first) = missing.last() {
        let probe = canonical.join(first);
        if fs::symlink_metadata(&probe).is_ok_and(|m| m.file_type().is_symlink()) {
            let target = fs::read_link(&probe)
                .map_or_else(|_| String::from("?"), |t| t.display().to_string());
            let link = if probe == absolute {
                String::from("it")
            } else {
                probe.display().to_string()
            };
            return Err(refuse(
                format!(
                    "{link} is a symbolic link to {target}, which does not exist (or the links go round in a circle)"
                ),
                "make the folder the link points to, point the link at a folder, or give another --output",
            ));
        }
        if !canonical.is_dir() {
            let kind =
                fs::symlink_metadata(&canonical).map_or("missing", |m| kind_of(&m.file_type()));
            return Err(refuse(
                format!(
                    "{} is {kind}, not a folder, so the output cannot be made inside it",
                    canonical.display()
                ),
                "give a path whose folders exist or can be made",
            ));
        }
    }
    Ok(missing
        .iter()
        .rev()
        .fold(canonical, |path, part| path.join(part)))
}

/// The absolute path with symbolic links resolved as far as the path exists.
fn resolve(path: &Path) -> PathBuf {
    let absolute = absolutize(path);
    let mut existing = absolute.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if let Ok(canonical) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(canonical, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Makes a path absolute and removes `.`/`..` without touching the disk.
pub fn absolutize(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Joins a relative output path onto `root`, refusing anything that would leave it.
pub fn safe_join(root: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    if relative.is_empty() || relative.contains('\\') || relative.contains('\0') {
        return None;
    }
    let mut out = root.to_path_buf();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

/// Where rendered files go: a staging folder on disk ([`Staging`]), memory
/// ([`Collected`]) or nowhere ([`Discard`], for `check`). Called from many threads.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), OutputError>;

    /// A page whose bytes a render cache shares (`serve`): a sink that keeps files may
    /// keep the share instead of a copy.
    fn put_shared(&self, path: String, bytes: std::sync::Arc<[u8]>) -> Result<(), OutputError> {
        self.put(OutputFile::new(path, bytes.to_vec()))
    }
}

/// Keeps every file in memory, for `serve` and tests.
#[derive(Default)]
pub struct Collected(std::sync::Mutex<Vec<OutputFile>>);

impl Collected {
    pub fn into_files(self) -> Vec<OutputFile> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collected {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Renders for nothing but the errors: `check`.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A build being written: files go into a fresh folder beside the output as they are
/// rendered; [`Staging::commit`] swaps it in. Dropped without a commit (an error, a
/// panic), the folder is removed and the output is left as it was.
///
/// Where the output is a symbolic link, the folder is made beside the link's target, on
/// the same file system, and the swap happens there: the link stays as it was and
/// leads to the new site.
pub struct Staging {
    /// The output as the user named it, for messages.
    given: PathBuf,
    /// The folder really replaced: the output with every link followed.
    output: PathBuf,
    parent: PathBuf,
    name: String,
    folder: PathBuf,
    /// Folders made so far inside `folder`: each is made once, and a file is opened
    /// only where its folder exists, so no system call fails on the way.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

/// The text of the marker file.
const MARKER_TEXT: &str = "Built by avtal. This folder is replaced on every build.\n";

impl Staging {
    pub fn begin(output: &Path, site_root: &Path) -> Result<Staging, OutputError> {
        let real = check_target(output, site_root)?;
        let parent = real.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        clean_stale(&parent, &name);
        let folder = make_own_folder(
            &parent,
            &format!(".{name}.avtal-new-{}", std::process::id()),
        )?;
        Ok(Staging {
            given: output.to_path_buf(),
            output: real,
            parent,
            name,
            folder,
            made: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Makes `folder` (inside the staging folder) and any missing parents, once.
    /// Another thread may make the same folder at the same moment: that is no error.
    fn make_folder(&self, folder: &Path) -> Result<(), OutputError> {
        if folder == self.folder || self.made_folders().contains(folder) {
            return Ok(());
        }
        if let Some(parent) = folder.parent() {
            self.make_folder(parent)?;
        }
        match fs::create_dir(folder) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => {}
            Err(err) => return Err(io(folder)(err)),
        }
        self.made_folders().insert(folder.to_path_buf());
        Ok(())
    }

    fn made_folders(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts the finished folder in place of the output. What stands there is checked
    /// again first: it may have changed while the site was being written.
    pub fn commit(mut self) -> Result<(), OutputError> {
        check_replaceable(&self.given, &self.output)?;
        // The marker was written when the folder was made; a theme file of that name
        // must not have replaced it.
        let marker = self.folder.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(io(&marker))?;
        swap_in(
            &self.folder,
            &self.output,
            &self.parent,
            &self.name,
            &self.given,
        )?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        let path = safe_join(&self.folder, &file.path).ok_or_else(|| OutputError::Refused {
            path: file.path.clone(),
            reason: "the path would leave the output folder".into(),
            help: "rename the content file".into(),
        })?;
        if let Some(folder) = path.parent() {
            self.make_folder(folder)?;
        }
        let mut handle = fs::File::create(&path).map_err(io(&path))?;
        handle.write_all(&file.bytes).map_err(io(&path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.folder);
        }
    }
}

/// Makes a new folder named `base` (or `base-2`, `base-3`, … where that name is taken)
/// in `parent`, marked as ours from the start: a build killed at any moment leaves
/// only folders that the next build can prove are its own. A folder already there
/// under the name is someone else's until proven otherwise, and is left alone.
fn make_own_folder(parent: &Path, base: &str) -> Result<PathBuf, OutputError> {
    let mut last_error = None;
    for folder in names(parent, base).take(100) {
        match fs::create_dir(&folder) {
            Ok(()) => {
                let marker = folder.join(MARKER);
                if let Err(err) = fs::write(&marker, MARKER_TEXT) {
                    let _ = fs::remove_dir_all(&folder);
                    return Err(io(&marker)(err));
                }
                return Ok(folder);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                last_error = Some((folder, err));
            }
            Err(err) => return Err(io(&folder)(err)),
        }
    }
    let (folder, err) = last_error.unwrap_or_else(|| {
        (
            parent.join(base),
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        )
    });
    Err(io(&folder)(err))
}

/// The first of `base`, `base-2`, `base-3`, … under which nothing stands in `parent`,
/// so that moving a folder there replaces nothing.
fn free_name(parent: &Path, base: &str) -> PathBuf {
    names(parent, base)
        .find(|path| fs::symlink_metadata(path).is_err())
        .unwrap_or_else(|| parent.join(base))
}

/// `base`, `base-2`, `base-3`, … in `parent`.
fn names<'a>(parent: &'a Path, base: &'a str) -> impl Iterator<Item = PathBuf> + 'a {
    (1u32..).map(move |attempt| {
        if attempt == 1 {
            parent.join(base)
        } else {
            parent.join(format!("{base}-{attempt}"))
        }
    })
}

/// Puts the finished folder in place. Where the system can, the two folders are
/// exchanged in one step, so the output path always holds a complete site, old or new;
/// a build killed at any moment leaves one of the two, never a gap or a mix.
/// On an error, `staging` still holds the new site (the caller removes it) and the
/// output is as it was.
fn swap_in(
    staging: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
    given: &Path,
) -> Result<(), OutputError> {
    let failed = |err: std::io::Error| swap_error(given, output, err);
    if fs::symlink_metadata(output).is_err() {
        // A plain rename never replaces anything but an empty folder: whatever appeared
        // at the output meanwhile is safe.
        return fs::rename(staging, output).map_err(failed);
    }
    if exchange(staging, output).map_err(failed)? {
        // `staging` now holds the previous site.
        let _ = remove_tree(staging);
        return Ok(());
    }
    // No atomic exchange here (another system, or a file system without it): move the
    // old folder aside, then the new one in; a kill between the two leaves the old site
    // beside the output, where the next build cleans it up (it carries the marker).
    let old = free_name(parent, &format!(".{name}.avtal-old-{}", std::process::id()));
    fs::rename(output, &old).map_err(failed)?;
    if let Err(err) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(failed(err));
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// A failed swap, in words: a mount point cannot be renamed (EBUSY) nor exchanged with
/// a folder of another file system (EXDEV); say so and what to do, not "Device or
/// resource busy".
fn swap_error(given: &Path, output: &Path, err: std::io::Error) -> OutputError {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::ResourceBusy | ErrorKind::CrossesDevices => mount_point(given, output),
        _ => io(output)(err),
    }
}

/// Removes a folder and everything in it, folders in parallel: a site's files are
/// removed one system call each, and a large site has tens of thousands (README,
/// "Performance"). Symbolic links are removed, never followed.
fn remove_tree(folder: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(folder)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(folder)
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
/// `Ok(false)` when the system or file system cannot do it, so the caller falls back.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))
    };
    let (a, b) = (to_c(a)?, to_c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call;
    // renameat2 only reads them.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Removes staging folders left by builds that were killed (their process is gone),
/// and only those that are provably ours: a real folder (not a link) carrying the
/// marker, which every staging folder gets when it is made, or an empty one (a build
/// killed between making the folder and marking it). A folder that merely has the
/// name, holding someone's files, is left alone.
fn clean_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.avtal-new-"), format!(".{name}.avtal-old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(suffix) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        // `PID` or `PID-N` (see make_own_folder).
        let pid = suffix.split('-').next().unwrap_or_default();
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        let is_real_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if alive || !is_real_folder {
            continue;
        }
        let path = entry.path();
        if has_marker(&path) {
            let _ = remove_tree(&path);
        } else {
            // Fails, harmlessly, unless the folder is empty.
            let _ = fs::remove_dir(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn remove_tree_removes_everything_below_and_follows_no_link() {
        let outside = tempfile::tempdir().expect("temporary folder");
        fs::write(outside.path().join("keep.txt"), "stays").expect("write");
        let site = tempfile::tempdir().expect("temporary folder");
        let root = site.path().join("old");
        for n in 0..50 {
            let folder = root.join(format!("dokument/d{n}"));
            fs::create_dir_all(&folder).expect("folder");
            fs::write(folder.join("index.html"), "x").expect("write");
        }
        fs::write(root.join("index.html"), "x").expect("write");
        std::os::unix::fs::symlink(outside.path(), root.join("link")).expect("link");
        remove_tree(&root).expect("removed");
        assert!(!root.exists());
        assert_eq!(
            fs::read_to_string(outside.path().join("keep.txt")).expect("kept"),
            "stays"
        );
    }

    /// A folder under the very name this process would stage in, holding someone's
    /// files (left by a dead process that had our process id), is not ours: the build
    /// stages beside it and never removes it.
    #[test]
    fn staging_never_takes_over_a_folder_under_its_name() {
        let temporary = tempfile::tempdir().expect("temporary folder");
        let site = temporary.path().join("site");
        fs::create_dir_all(site.join("content")).expect("site");
        let taken = site.join(format!(".public.avtal-new-{}", std::process::id()));
        fs::create_dir_all(&taken).expect("folder");
        fs::write(taken.join("mitt.txt"), "viktigt").expect("file");
        let staging = Staging::begin(&site.join("public"), &site).expect("staging");
        assert_ne!(staging.folder, taken);
        assert!(has_marker(&staging.folder));
        let folder = staging.folder.clone();
        drop(staging);
        assert!(!folder.exists());
        assert_eq!(
            fs::read_to_string(taken.join("mitt.txt")).expect("kept"),
            "viktigt"
        );
    }

    /// What stands at the output is checked again at the swap: a FIFO, or a folder of
    /// someone's files, put there while the site was being written is not exchanged.
    #[cfg(unix)]
    #[test]
    fn what_appeared_at_the_output_during_the_build_is_not_swapped_away() {
        let temporary = tempfile::tempdir().expect("temporary folder");
        let site = temporary.path().join("site");
        fs::create_dir_all(site.join("content")).expect("site");
        let output = site.join("public");
        let staging = Staging::begin(&output, &site).expect("staging");
        staging
            .put(OutputFile::new("index.html", "<p>ny</p>"))
            .expect("written");
        let status = std::process::Command::new("mkfifo")
            .arg(&output)
            .status()
            .expect("run mkfifo");
        assert!(status.success());
        let err = staging.commit().expect_err("refused");
        assert!(err.to_string().contains("named pipe"), "{err}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            fs::symlink_metadata(&output)
                .expect("there")
                .file_type()
                .is_fifo()
        );

        fs::remove_file(&output).expect("remove FIFO");
        let staging = Staging::begin(&output, &site).expect("staging");
        fs::create_dir(&output).expect("folder");
        fs::write(output.join("mitt.txt"), "viktigt").expect("file");
        let err = staging.commit().expect_err("refused");
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(
            fs::read_to_string(output.join("mitt.txt")).expect("kept"),
            "viktigt"
        );
        let names: Vec<_> = fs::read_dir(&site)
            .expect("site")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "staging left behind: {names:?}");
    }

    #[test]
    fn a_swap_refused_by_a_mount_point_says_so() {
        let given = Path::new("/srv/ut");
        for kind in [
            std::io::ErrorKind::ResourceBusy,
            std::io::ErrorKind::CrossesDevices,
        ] {
            let err = swap_error(given, given, std::io::Error::from(kind));
            assert!(err.to_string().contains("it is a mount point"), "{err}");
            assert_eq!(
                err.help(),
                Some("choose a folder inside it, e.g. --output /srv/ut/site")
            );
        }
    }

    #[test]
    fn safe_join_refuses_escapes() {
        let root = Path::new("/tmp/out");
        assert!(safe_join(root, "../x").is_none());
        assert!(safe_join(root, "/etc/passwd").is_none());
        assert!(safe_join(root, "a/../../x").is_none());
        assert!(safe_join(root, "a\\..\\x").is_none());
        assert_eq!(
            safe_join(root, "a/b.html").unwrap(),
            Path::new("/tmp/out/a/b.html")
        );
    }
}
