//! Watching the site's sources: `content/` (with site.yaml) and `themes/`, recursively,
//! so that saves by rename (VS Code, vim's backup dance) are seen like writes in place.
//! Bursts are debounced into one batch of paths; reads and editor droppings are dropped.
//!
//! A watch follows the folder it was put on, not its path: after `mv content
//! content.bak; cp -r content.bak content` (as sync tools and checkouts do) it would go
//! on reporting the moved-away folder's edits under `content/` and never see the new
//! folder. So the keeper thread remembers which folder (device and inode) each watched
//! path held, checks that before it passes any batch on, and when a path holds another
//! folder (or none, or one again), it drops every watch and its pending events and
//! watches the paths afresh. The site folder itself is watched (not recursively) so that
//! `content/` and `themes/` appearing again is noticed at once; a timer catches what no
//! event reports, such as the site folder itself being replaced. Below the top folders,
//! notify moves its watches along with renamed and re-created subfolders by itself.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::site_files::is_ignored_name;

/// Quiet time after the last event of a burst before it is reported. An editor's
/// truncate-write-close or write-rename-delete takes well under a millisecond, so this
/// merges one save into one batch while adding next to nothing to the save-to-reload
/// time; a longer burst (a `git checkout`) arrives as several batches, and each full
/// rebuild gives way to the next batch (see `serve::rebuild_loop`).
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// How often the keeper checks the watched folders when no event arrives: only a
/// replaced site folder goes unreported, so this can be slow.
const CHECK_EVERY: Duration = Duration::from_millis(500);

/// The folders watched, below the site folder; the site folder itself is watched too.
const TOP_FOLDERS: [&str; 2] = ["content", "themes"];

/// What the watcher reports: the source paths that changed, or a watcher error. A
/// folder among the paths (`content/` after it was replaced) means everything below it
/// may have changed.
#[derive(Clone)]
pub enum WatchMessage {
    Changed(HashSet<PathBuf>),
    Failed(String),
}

/// Watching goes on while this lives; dropping it stops the keeper and its watches.
pub struct Watcher {
    keeper: Sender<Raw>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.keeper.send(Raw::Stop);
    }
}

/// What the keeper thread receives: a debounced batch from the watches of one
/// generation, or the order to stop.
enum Raw {
    Batch(u64, DebounceEventResult),
    Stop,
}

/// Which folder a path holds; `None` when it holds nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Identity {
    device: u64,
    inode: u64,
    is_dir: bool,
}

fn identity(path: &Path) -> Option<Identity> {
    // Follows a link, as the build and inotify do.
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (device, inode) = {
        use std::os::unix::fs::MetadataExt;
        (metadata.dev(), metadata.ino())
    };
    // Elsewhere the creation time tells a new folder from the old one.
    #[cfg(not(unix))]
    let (device, inode) = (
        0,
        metadata
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64),
    );
    Some(Identity {
        device,
        inode,
        is_dir: metadata.is_dir(),
    })
}

/// One set of watches, on the folders the watched paths held when it was made. Its
/// batches carry its number: once a newer generation replaced it, they are dropped.
struct Generation {
    number: u64,
    /// The site folder, `content/` and `themes/`, with the folder each path held.
    watched: Vec<(PathBuf, Option<Identity>)>,
    /// `None` when watching could not start at all (reported once).
    _debouncer: Option<Debouncer<notify::RecommendedWatcher, RecommendedCache>>,
}

struct Keeper {
    root: PathBuf,
    raw_sender: Sender<Raw>,
    out: Sender<WatchMessage>,
    current: Option<Generation>,
}

/// Starts watching `root`'s sources; batches go to `sender`. Keep the returned value
/// alive for as long as watching should go on.
pub fn start(root: &Path, sender: Sender<WatchMessage>) -> Result<Watcher, String> {
    let (raw_sender, raw_receiver) = std::sync::mpsc::channel();
    let mut keeper = Keeper {
        root: root.to_path_buf(),
        raw_sender: raw_sender.clone(),
        out: sender,
        current: None,
    };
    let (first, problems) = keeper.watch_afresh(0);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    keeper.current = Some(first);
    std::thread::Builder::new()
        .name("avtal-watch".into())
        .spawn(move || keeper.run(raw_receiver))
        .map_err(|e| format!("cannot start the file watcher: {e}"))?;
    Ok(Watcher { keeper: raw_sender })
}

impl Keeper {
    fn run(mut self, receiver: Receiver<Raw>) {
        loop {
            match receiver.recv_timeout(CHECK_EVERY) {
                Ok(Raw::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Raw::Batch(number, result)) => {
                    // First make sure the batch comes from folders still at the
                    // watched paths: a replaced folder retires its generation.
                    self.check_folders();
                    if self.current.as_ref().map(|g| g.number) != Some(number) {
                        continue;
                    }
                    if let Some(message) = self.message_of(result) {
                        let _ = self.out.send(message);
                    }
                }
                Err(RecvTimeoutError::Timeout) => self.check_folders(),
            }
        }
    }

    /// The paths to watch, from the site folder down.
    fn paths(&self) -> Vec<PathBuf> {
        std::iter::once(self.root.clone())
            .chain(TOP_FOLDERS.iter().map(|folder| self.root.join(folder)))
            .collect()
    }

    /// When a watched path no longer holds the folder its watch is on, watches every
    /// path afresh and reports the replaced folders as changed, so that the next
    /// rebuild reads everything below them.
    fn check_folders(&mut self) {
        let Some(current) = &self.current else {
            return;
        };
        let replaced: Vec<PathBuf> = current
            .watched
            .iter()
            .filter(|(path, was)| identity(path) != *was)
            .map(|(path, _)| path.clone())
            .collect();
        if replaced.is_empty() {
            return;
        }
        let number = current.number + 1;
        // The old watches go first, with any batch of theirs still on its way.
        self.current = None;
        let changed: HashSet<PathBuf> = if replaced.contains(&self.root) {
            TOP_FOLDERS.iter().map(|f| self.root.join(f)).collect()
        } else {
            replaced.into_iter().collect()
        };
        let (generation, problems) = self.watch_afresh(number);
        self.current = Some(generation);
        if !problems.is_empty() {
            let _ = self.out.send(WatchMessage::Failed(problems.join("; ")));
        }
        let _ = self.out.send(WatchMessage::Changed(changed));
    }

    /// Watches the paths as they are now. A path that cannot be watched is reported
    /// and tried again only once it holds another folder, so a lasting problem (no
    /// permission, the system's watch limit) is reported once, not at every check.
    fn watch_afresh(&self, number: u64) -> (Generation, Vec<String>) {
        let raw = self.raw_sender.clone();
        let handler = move |result: DebounceEventResult| {
            let _ = raw.send(Raw::Batch(number, result));
        };
        let mut problems = Vec::new();
        let mut debouncer = match new_debouncer(DEBOUNCE, None, handler) {
            Ok(debouncer) => Some(debouncer),
            Err(e) => {
                problems.push(format!("cannot watch files: {e}"));
                None
            }
        };
        let mut watched = Vec::new();
        for path in self.paths() {
            // Taken before the watch is put on: a folder replaced in between then
            // differs at the next check, and is watched afresh again.
            let held = identity(&path);
            if let Some(debouncer) = &mut debouncer
                && held.is_some_and(|held| held.is_dir)
            {
                let mode = if path == self.root {
                    RecursiveMode::NonRecursive
                } else {
                    RecursiveMode::Recursive
                };
                if let Err(e) = debouncer.watch(&path, mode) {
                    problems.push(format!("cannot watch {}: {e}", path.display()));
                }
            }
            watched.push((path, held));
        }
        let generation = Generation {
            number,
            watched,
            _debouncer: debouncer,
        };
        (generation, problems)
    }

    /// The changed source paths of a batch: below `content/` or `themes/`, not reads,
    /// not editor droppings. Events on the site folder's own entries only make the
    /// keeper look at its folders.
    fn message_of(&self, result: DebounceEventResult) -> Option<WatchMessage> {
        match result {
            Ok(events) => {
                let tops: Vec<PathBuf> = TOP_FOLDERS.iter().map(|f| self.root.join(f)).collect();
                let paths: HashSet<PathBuf> = events
                    .iter()
                    .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                    .flat_map(|event| event.paths.iter())
                    .filter(|path| tops.iter().any(|top| path.starts_with(top) && *path != top))
                    .filter(|path| is_source_path(&self.root, path))
                    .cloned()
                    .collect();
                (!paths.is_empty()).then_some(WatchMessage::Changed(paths))
            }
            Err(errors) => Some(WatchMessage::Failed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
        }
    }
}

/// False for editor droppings (swap, backup and temp files, `4913`) and anything inside
/// a hidden folder such as `.git/`: they never change the site. Only the part below
/// `root` is judged, so a site inside a hidden folder (`/tmp/.tmpXYZ/`) is still watched.
pub fn is_source_path(root: &Path, path: &Path) -> bool {
    let below_root = path.strip_prefix(root).unwrap_or(path);
    below_root.components().all(|component| match component {
        std::path::Component::Normal(name) => !is_ignored_name(&name.to_string_lossy()),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn is_source_path(path: &Path) -> bool {
        super::is_source_path(Path::new("/tmp/.tmpAb12/site"), path)
    }

    #[test]
    fn editor_droppings_are_not_sources() {
        for path in [
            "/tmp/.tmpAb12/site/content/overenskommelse/.2013.md.swp",
            "/tmp/.tmpAb12/site/content/overenskommelse/2013.md~",
            "/tmp/.tmpAb12/site/content/overenskommelse/4913",
            "/tmp/.tmpAb12/site/content/.git/index",
            "/tmp/.tmpAb12/site/themes/default/templates/.#base.html",
            "/tmp/.tmpAb12/site/content/x.md.tmp",
        ] {
            assert!(!is_source_path(Path::new(path)), "{path}");
        }
        assert!(is_source_path(Path::new(
            "/tmp/.tmpAb12/site/content/overenskommelse/2013.md"
        )));
        assert!(is_source_path(Path::new(
            "/tmp/.tmpAb12/site/content/site.yaml"
        )));
    }
}
