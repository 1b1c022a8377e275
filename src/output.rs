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
/// are followed, so a link to the home folder is refused like the home folder itself.
pub fn check_target(output: &Path, site_root: &Path) -> Result<(), OutputError> {
    let refuse = |reason: &str, help: &str| OutputError::Refused {
        path: output.display().to_string(),
        reason: reason.into(),
        help: help.into(),
    };
    const OWN_FOLDER: &str = "choose a folder of its own, e.g. --output public";
    let absolute = resolve(output);
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
    if absolute.is_file() {
        return Err(refuse("it is a file", "give a folder"));
    }
    if absolute.is_dir() && !absolute.join(MARKER).is_file() {
        let mut entries = fs::read_dir(&absolute).map_err(io(&absolute))?;
        if let Some(first) = entries.next() {
            let example = first.map_or_else(
                |_| String::from("?"),
                |e| e.file_name().to_string_lossy().into_owned(),
            );
            return Err(refuse(
                &format!(
                    "the folder holds files that avtal did not write (e.g. {example}) and no {MARKER} marker"
                ),
                "avtal only replaces a folder it built itself; give an empty or new folder, or remove this one yourself",
            ));
        }
    }
    Ok(())
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
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    folder: PathBuf,
    /// Folders made so far inside `folder`: each is made once, and a file is opened
    /// only where its folder exists, so no system call fails on the way.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    pub fn begin(output: &Path, site_root: &Path) -> Result<Staging, OutputError> {
        check_target(output, site_root)?;
        let output = absolutize(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        clean_stale(&parent, &name);
        let folder = parent.join(format!(".{name}.avtal-new-{}", std::process::id()));
        if folder.exists() {
            fs::remove_dir_all(&folder).map_err(io(&folder))?;
        }
        fs::create_dir(&folder).map_err(io(&folder))?;
        Ok(Staging {
            output,
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

    /// Marks the folder as ours and puts it in place of the output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let marker = self.folder.join(MARKER);
        fs::write(
            &marker,
            "Built by avtal. This folder is replaced on every build.\n",
        )
        .map_err(io(&marker))?;
        self.committed = true;
        swap_in(&self.folder, &self.output, &self.parent, &self.name)
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

/// Puts the finished folder in place. Where the system can, the two folders are
/// exchanged in one step, so the output path always holds a complete site, old or new;
/// a build killed at any moment leaves one of the two, never a gap or a mix.
fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(io(output));
    }
    match exchange(staging, output) {
        Ok(true) => {
            // `staging` now holds the previous site.
            let _ = remove_tree(staging);
            return Ok(());
        }
        Ok(false) => {}
        Err(err) => {
            let _ = fs::remove_dir_all(staging);
            return Err(io(output)(err));
        }
    }
    // No atomic exchange here (another system, or a file system without it): move the
    // old folder aside, then the new one in; a kill between the two leaves the old site
    // beside the output, where the next build cleans it up.
    let old = parent.join(format!(".{name}.avtal-old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    fs::rename(output, &old).map_err(io(output))?;
    if let Err(err) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(io(output)(err));
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// Removes a folder and everything in it, folders in parallel: a site's files are
/// removed one system call each, ~30,000 of them at 10,000 documents, which took two
/// seconds on one core. Symbolic links are removed, never followed.
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

/// Removes staging folders left by builds that were killed (their process is gone).
fn clean_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.avtal-new-"), format!(".{name}.avtal-old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        if !alive {
            let _ = fs::remove_dir_all(entry.path());
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
