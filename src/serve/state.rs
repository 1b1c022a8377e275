//! What the rebuild thread publishes and the HTTP handlers read: the last good site,
//! the current errors, and the events open pages listen to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use tokio::sync::{broadcast, watch};

/// Output path (`overenskommelse/2013/index.html`) → bytes.
pub type Files = HashMap<String, Bytes>;

/// The site as served at one moment. Replaced whole, never changed in place, so a
/// request always sees one consistent build.
pub struct Snapshot {
    /// Every file of the last full rebuild; shared, so publishing a quick update does
    /// not copy the whole site.
    pub files: Arc<Files>,
    /// Pages the quick path rendered since, served in place of `files`' versions, each
    /// with the number of the save it answers.
    pub overlay: Arc<HashMap<String, (u64, Bytes)>>,
    /// The number of the last save the full rebuild behind `files` had seen: overlay
    /// pages of saves up to it are stale by then.
    pub saves_built: u64,
    /// Where the site lives on the server, `/` or e.g. `/overenskommelse/`, as published.
    pub base_path: String,
    /// Changes whenever the served files change; pages carry it to notice a rebuild
    /// that happened while they were loading.
    pub version: u64,
    /// JSON list of the current errors, when the last rebuild failed.
    pub errors: Option<Arc<str>>,
}

impl Snapshot {
    /// The file served at `path`.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        match self.overlay.get(path) {
            Some((_, bytes)) => Some(bytes),
            None => self.files.get(path),
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.overlay.contains_key(path) || self.files.contains_key(path)
    }

    /// Every path served.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys().chain(
            self.overlay
                .keys()
                .filter(|path| !self.files.contains_key(*path)),
        )
    }
}

#[derive(Clone, Debug)]
pub enum LiveEvent {
    /// The site changed; `pages` lists the addresses whose content changed (`None`:
    /// every page should reload).
    Reload {
        version: u64,
        pages: Option<Arc<[String]>>,
    },
    /// Only stylesheets changed: pages swap them without reloading.
    Css(u64),
    Errors(Arc<str>),
}

pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Held while a new snapshot is made from the current one: the quick path and the
    /// full rebuild publish from different threads, and neither may lose the other's.
    writer: Mutex<()>,
    pub events: broadcast::Sender<LiveEvent>,
    /// Becomes true on Ctrl-C, so event streams end and the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub fn new(snapshot: Snapshot, shutdown: watch::Receiver<bool>) -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            writer: Mutex::new(()),
            events,
            shutdown,
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the snapshot by `change`'s answer to the current one (`None`: keep it)
    /// and sends its event, with no other writer in between, so events go out in the
    /// order of the versions they announce. Returns what `change` returned besides.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&Snapshot) -> (Option<Snapshot>, Option<LiveEvent>, T),
    ) -> T {
        let _writer = match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (new, event, result) = change(&self.snapshot());
        if let Some(new) = new {
            self.replace(new);
        }
        if let Some(event) = event {
            self.announce(event);
        }
        result
    }

    fn replace(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// Tells every open page; nobody listening is fine.
    pub fn announce(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }
}
