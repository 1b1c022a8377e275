//! Watching the site's sources: `content/` (with site.yaml) and `themes/`, recursively,
//! so that saves by rename (VS Code, vim's backup dance) are seen like writes in place.
//! Bursts are debounced into one batch of paths; reads and editor droppings are dropped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::source::is_ignored_name;

/// Quiet time after the last event of a burst before it is reported. An editor's
/// truncate-write-close or write-rename-delete takes well under a millisecond, so this
/// merges one save into one batch while adding next to nothing to the save-to-reload
/// time; a longer burst (a `git checkout`) arrives as several batches, and each full
/// rebuild gives way to the next batch (see `serve::rebuild_loop`).
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// What the watcher reports: the source paths that changed, or a watcher error.
#[derive(Clone)]
pub enum WatchMessage {
    Changed(HashSet<PathBuf>),
    Failed(String),
}

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Starts watching `root`'s sources; batches go to `sender`. Keep the returned value
/// alive for as long as watching should go on.
pub fn start(root: &Path, sender: Sender<WatchMessage>) -> Result<Watcher, String> {
    let root_for_handler = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let root = &root_for_handler;
        let message = match result {
            Ok(events) => {
                let paths: HashSet<PathBuf> = events
                    .iter()
                    .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                    .flat_map(|event| event.paths.iter())
                    .filter(|path| is_source_path(root, path))
                    .cloned()
                    .collect();
                if paths.is_empty() {
                    return;
                }
                WatchMessage::Changed(paths)
            }
            Err(errors) => WatchMessage::Failed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = sender.send(message);
    };
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, handler).map_err(|e| format!("cannot watch files: {e}"))?;
    for folder in ["content", "themes"] {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok(debouncer)
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
