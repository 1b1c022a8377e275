//! What the rebuild thread publishes and the HTTP handlers read: the last good site,
//! the current errors, and the events open pages listen to.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use tokio::sync::{broadcast, watch};

/// The site as served at one moment. Replaced whole, never changed in place, so a
/// request always sees one consistent build.
pub struct Snapshot {
    /// Output path (`overenskommelse/2013/index.html`) → bytes.
    pub files: HashMap<String, Bytes>,
    /// Where the site lives on the server, `/` or e.g. `/overenskommelse/`, as published.
    pub base_path: String,
    /// Changes whenever the served files change; pages carry it to notice a rebuild
    /// that happened while they were loading.
    pub version: u64,
    /// JSON list of the current errors, when the last rebuild failed.
    pub errors: Option<Arc<str>>,
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
    pub events: broadcast::Sender<LiveEvent>,
    /// Becomes true on Ctrl-C, so event streams end and the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub fn new(snapshot: Snapshot, shutdown: watch::Receiver<bool>) -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
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

    pub fn replace(&self, snapshot: Snapshot) {
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
