//! `avtal serve`: builds the site into memory, serves it on loopback, watches the
//! sources and rebuilds on every save, telling open pages to reload. A failed rebuild
//! keeps the last good site and shows the problems over every open page.
//!
//! Threads: the tokio runtime answers HTTP; the watcher's thread debounces file events;
//! the quick thread renders the saved pages at once ([`quick`]); the rebuild thread (with
//! its own rayon pool, at a lower priority) turns each batch into a new full
//! [`state::Snapshot`], giving way to newer saves.

pub mod http;
pub mod incremental;
pub mod quick;
pub mod state;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use axum::body::Bytes;
use serde_json::json;

use crate::cancel::Cancel;
use crate::diagnostics::Diagnostics;
use crate::output::{OutputError, OutputFile, Sink};
use crate::render::RenderOptions;
use incremental::{RebuildError, Rebuilt, Session};
use quick::{Handover, Quick, QuickUpdate, Unanswered};
use state::{Files, LiveEvent, Shared, Snapshot};
use watch::WatchMessage;

pub const DEFAULT_PORT: u16 = 8000;
/// Without an explicit `--port`, this many ports after the default are tried.
const PORT_ATTEMPTS: u16 = 20;
/// How long a failed rebuild waits for further saves before it shows its errors.
const SETTLE_AFTER_ERROR: std::time::Duration = std::time::Duration::from_millis(150);
/// How long a full rebuild may keep giving way to newer saves before one runs to the
/// end, unless that one takes this long itself.
const MAX_STALE: std::time::Duration = std::time::Duration::from_secs(2);
/// How long a quick answer runs before it gives way to a newer save.
const QUICK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);
/// Work given up after this long is reported, so that a slow save is explained.
const REPORT_GIVING_WAY: std::time::Duration = std::time::Duration::from_millis(200);
/// A reload event names the pages to reload up to this many; beyond, every page reloads.
const MAX_LISTED_RELOADS: usize = 200;
/// Replaced in each served HTML page by the site version it was served from.
const VERSION_PLACEHOLDER: &str = "@@AVTAL_VERSION@@";

pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub bind: IpAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot use the site folder {path}: {source}")]
    Root {
        path: String,
        source: std::io::Error,
    },
    #[error("port {port} on {bind} is already in use")]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Watch(String),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

impl ServeError {
    pub fn help(&self) -> Option<String> {
        match self {
            ServeError::PortInUse { port, .. } => Some(format!(
                "another program (perhaps another avtal serve) uses port {port}; stop it, or pick another with --port {}",
                port.saturating_add(1)
            )),
            ServeError::Root { .. } => {
                Some("pass the folder that holds content/ and themes/ with --root DIR".into())
            }
            _ => None,
        }
    }
}

/// The script tag every served page carries before `</body>`.
pub fn live_reload_script() -> String {
    format!(
        "<script data-version=\"{VERSION_PLACEHOLDER}\">\n{}</script>",
        include_str!("live.js")
    )
}

/// Render options for serving: the same as `build`'s plus the live-reload script.
pub fn render_options() -> RenderOptions {
    RenderOptions {
        live_reload: Some(live_reload_script()),
        build_date: crate::pipeline::today(),
    }
}

pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root).map_err(|source| ServeError::Root {
        path: options.root.display().to_string(),
        source,
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let mut session = Session::new(&root, render_options());
    let mut quick = Quick::new(&root, render_options());
    let started = Instant::now();
    let first = session.rebuild(&HashSet::new(), &Cancel::never());
    // Versions start at the clock, so a page left open across a restart reloads.
    let base_version = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let mut warnings_shown = Vec::new();
    let snapshot = match first {
        Ok(rebuilt) => {
            warnings_shown = rebuilt.warnings.warnings().map(|d| d.headline()).collect();
            report_warnings(&rebuilt.warnings);
            eprintln!(
                "built {} pages in {} ms",
                rebuilt.stats.pages_total,
                started.elapsed().as_millis()
            );
            quick.take_build(Handover::new(rebuilt.model, 0));
            Snapshot {
                base_path: rebuilt.base_path,
                files: Arc::new(rebuilt.files),
                overlay: Arc::default(),
                saves_built: 0,
                version: base_version,
                errors: None,
            }
        }
        Err(RebuildError::Cancelled) => unreachable!("the first build is never cancelled"),
        Err(RebuildError::Problems(diagnostics)) => {
            report_failure(&diagnostics);
            Snapshot {
                base_path: "/".into(),
                files: Arc::default(),
                overlay: Arc::default(),
                saves_built: 0,
                version: base_version,
                errors: Some(errors_json(&diagnostics)),
            }
        }
    };
    let (shutdown_sender, shutdown) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared::new(snapshot, shutdown));
    runtime.block_on(async move {
        let listener = listen(&options)?;
        let address = listener.local_addr().map_err(|source| ServeError::Listen {
            address: options.bind.to_string(),
            source,
        })?;
        let (sender, receiver) = std::sync::mpsc::channel();
        let watcher = watch::start(&root, sender).map_err(ServeError::Watch)?;
        let (quick_sender, quick_receiver) = std::sync::mpsc::channel();
        let quick_shared = shared.clone();
        let quick_root = root.clone();
        let quick_pending = Pending::default();
        let quick_saves = QuickSaves {
            receiver: quick_receiver,
            pending: quick_pending.clone(),
        };
        std::thread::Builder::new()
            .name("avtal-quick".into())
            .spawn(move || quick_loop(quick, &quick_root, quick_saves, &quick_shared))
            .map_err(ServeError::Runtime)?;
        let saves = Saves::new(receiver, quick_sender.clone(), quick_pending);
        let rebuild_shared = shared.clone();
        std::thread::Builder::new()
            .name("avtal-rebuild".into())
            .spawn(move || {
                rebuild_loop(
                    session,
                    saves,
                    quick_sender,
                    &rebuild_shared,
                    warnings_shown,
                )
            })
            .map_err(ServeError::Runtime)?;
        println!(
            "Serving http://{address}{}  (watching content/ and themes/; Ctrl-C stops)",
            shared.snapshot().base_path
        );
        if !options.bind.is_loopback() {
            eprintln!(
                "note: listening on {}, so other machines on the network can see the preview; they must name it by IP address (other names than localhost are refused)",
                options.bind
            );
        }
        let app = http::router(shared.clone(), http::Hosts::new(options.bind));
        http::serve(listener, app, http::Limits::for_this_process(), async move {
            stop_signal().await;
            eprintln!("stopping");
            let _ = shutdown_sender.send(true);
        })
        .await;
        drop(watcher);
        Ok(())
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn listen(options: &ServeOptions) -> Result<tokio::net::TcpListener, ServeError> {
    let ports: Vec<u16> = match options.port {
        Some(port) => vec![port],
        None => (0..PORT_ATTEMPTS)
            .filter_map(|n| DEFAULT_PORT.checked_add(n))
            .collect(),
    };
    for port in &ports {
        let address = SocketAddr::new(options.bind, *port);
        match bind(address) {
            Ok(listener) => {
                if options.port.is_none() && *port != DEFAULT_PORT {
                    eprintln!("port {DEFAULT_PORT} is in use; using port {port} instead");
                }
                return Ok(listener);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => {
                return Err(ServeError::Listen {
                    address: address.to_string(),
                    source,
                });
            }
        }
    }
    Err(ServeError::PortInUse {
        bind: options.bind,
        port: ports.last().copied().unwrap_or(DEFAULT_PORT),
    })
}

/// Connections the system may hold for the server before it accepts them. `bind`'s
/// default (128) overflowed when a few hundred requests arrived at once while a rebuild
/// kept both cores busy, and some were reset (the load test, `tests/testsuite/serve_load.rs`).
const LISTEN_BACKLOG: u32 = 1024;

fn bind(address: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // As the standard library's bind does on Unix: a restarted server may take the
    // port while the last one's connections wait out their time.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The watcher's messages, numbered and forwarded through a thread to the quick path
/// and to the full rebuild; the thread counts them, so a long rebuild can notice from any
/// thread that more saves arrived, stop, and build those instead. Counting (sent vs.
/// taken) rather than a flag: a flag could be left raised for a message already taken,
/// and the loop would then wait for a save that never comes.
struct Saves {
    receiver: Receiver<(u64, WatchMessage)>,
    pending: Pending,
    /// The number of the last message taken.
    last_taken: u64,
}

#[derive(Clone, Default)]
struct Pending {
    sent: Arc<std::sync::atomic::AtomicUsize>,
    taken: Arc<std::sync::atomic::AtomicUsize>,
}

impl Pending {
    fn any(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.sent.load(SeqCst) > self.taken.load(SeqCst)
    }
}

/// What the quick thread is told: a save (numbered), or a finished full rebuild to start
/// from.
enum QuickMessage {
    Saved(u64, WatchMessage),
    Built(Box<Handover>),
}

/// The quick thread's messages, with the saves among them counted as for the rebuild
/// thread, so that a quick answer gives way to a newer save.
struct QuickSaves {
    receiver: Receiver<QuickMessage>,
    pending: Pending,
}

impl Saves {
    fn new(
        watcher: Receiver<WatchMessage>,
        quick: Sender<QuickMessage>,
        quick_pending: Pending,
    ) -> Saves {
        let (sender, receiver) = std::sync::mpsc::channel();
        let pending = Pending::default();
        let sent = pending.sent.clone();
        let _ = std::thread::Builder::new()
            .name("avtal-saves".into())
            .spawn(move || {
                for (number, message) in (1u64..).zip(watcher) {
                    // The quick thread first: it answers the save while the rebuild
                    // thread is still noticing it.
                    if quick
                        .send(QuickMessage::Saved(number, message.clone()))
                        .is_ok()
                    {
                        quick_pending
                            .sent
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    if sender.send((number, message)).is_err() {
                        break;
                    }
                    sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        Saves {
            receiver,
            pending,
            last_taken: 0,
        }
    }

    fn took(&mut self, (number, message): (u64, WatchMessage)) -> WatchMessage {
        self.pending
            .taken
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.last_taken = number;
        message
    }

    fn next(&mut self) -> Option<WatchMessage> {
        let message = self.receiver.recv().ok()?;
        Some(self.took(message))
    }

    fn next_within(&mut self, wait: std::time::Duration) -> Option<WatchMessage> {
        let message = self.receiver.recv_timeout(wait).ok()?;
        Some(self.took(message))
    }

    /// Takes every message already waiting into `touched`.
    fn drain_into(&mut self, touched: &mut HashSet<PathBuf>) {
        while let Ok(more) = self.receiver.try_recv() {
            let message = self.took(more);
            absorb(message, touched);
        }
    }

    fn any_waiting(&self) -> bool {
        self.pending.any()
    }
}

/// Answers each batch of saves with its own pages, rendered at once, and starts from
/// each finished full rebuild the rebuild thread hands over.
/// An answer gives way to a newer save once it has taken [`QUICK_PATIENCE`]: a huge
/// file then no longer holds up the answer to the next save, while answers that take
/// less (all of them, unless the file is huge or the machine very busy) are shown even
/// when saves come faster. The files of an answer given up wait for the full rebuild.
fn quick_loop(mut quick: Quick, root: &Path, saves: QuickSaves, shared: &Shared) {
    let QuickSaves { receiver, pending } = saves;
    while let Ok(message) = receiver.recv() {
        let mut batch = HashSet::new();
        let mut last_save = 0;
        let mut next = Some(message);
        while let Some(message) = next {
            match message {
                QuickMessage::Built(handover) => quick.take_build(*handover),
                QuickMessage::Saved(number, message) => {
                    pending
                        .taken
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    last_save = number;
                    // The rebuild thread reports watcher errors.
                    if let WatchMessage::Changed(paths) = message {
                        batch.extend(paths);
                    }
                }
            }
            next = receiver.try_recv().ok();
        }
        if batch.is_empty() {
            continue;
        }
        let waiting = pending.clone();
        let started = Instant::now();
        let cancel = Cancel::when(move || started.elapsed() >= QUICK_PATIENCE && waiting.any());
        // The quick path has rayon's global pool to itself.
        let answer = cancel.run_in(None, || quick.answer(&batch, last_save, &cancel));
        let what = describe(root, &batch);
        match answer {
            Ok(update) => publish_quick(shared, update, last_save, &what),
            Err(Unanswered::Cancelled) => report_giving_way(&what, "quick answer", started),
            // The full rebuild that follows answers these saves, and reports problems.
            Err(Unanswered::LeftToFullRebuild | Unanswered::Problems(_)) => {}
        }
    }
}

fn report_giving_way(what: &str, work: &str, started: Instant) {
    let took = started.elapsed();
    if took >= REPORT_GIVING_WAY {
        eprintln!(
            "{what}: {work} gave way to a newer save after {} ms",
            took.as_millis()
        );
    }
}

/// The full rebuild's pool: its threads run at a lower priority than the quick path's,
/// which then gets a core at once even while a rebuild keeps both busy.
fn rebuild_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|n| format!("avtal-rebuild-{n}"))
        .start_handler(|_| lower_priority())
        .build()
        .ok()
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux the nice value belongs to the calling thread only. A failure leaves the
    // normal priority, which is merely slower for the quick path.
    // SAFETY: setpriority takes no pointers; `who` 0 names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// Waits for batches of changed paths and runs a full rebuild for them (the quick
/// thread has answered them already with their own pages). A full rebuild stops as soon
/// as more saves arrive, and those are built instead, so the final state is always built
/// and an editor never waits behind it. Each finished rebuild is handed to the quick
/// thread.
fn rebuild_loop(
    mut session: Session,
    mut saves: Saves,
    quick: Sender<QuickMessage>,
    shared: &Shared,
    warnings_shown: Vec<String>,
) {
    let root = session.root().to_path_buf();
    let mut warnings_shown = warnings_shown;
    let pool = rebuild_pool();
    // Paths saved since the last finished full rebuild: a cancelled one hands them on.
    let mut touched: HashSet<PathBuf> = HashSet::new();
    // When the first save not in a finished full rebuild was taken.
    let mut first_unbuilt: Option<Instant> = None;
    while let Some(message) = saves.next() {
        let stale_since = *first_unbuilt.get_or_insert_with(Instant::now);
        absorb(message, &mut touched);
        saves.drain_into(&mut touched);
        if saves.any_waiting() {
            continue;
        }
        let started = Instant::now();
        let pending = saves.pending.clone();
        let rebuild = |session: &mut Session, touched: &HashSet<PathBuf>| {
            let cancel = giving_way(&pending, stale_since);
            cancel.run_in(pool.as_ref(), || session.rebuild(touched, &cancel))
        };
        // Every save taken so far is in the files this rebuild reads.
        let mut saves_built = saves.last_taken;
        let mut result = rebuild(&mut session, &touched);
        // A failure may be a file caught half-written (an editor truncates, then writes):
        // if more saves follow within a moment, build those instead of flashing an error.
        while matches!(result, Err(RebuildError::Problems(_))) {
            let Some(more) = saves.next_within(SETTLE_AFTER_ERROR) else {
                break;
            };
            absorb(more, &mut touched);
            saves.drain_into(&mut touched);
            saves_built = saves.last_taken;
            result = rebuild(&mut session, &touched);
        }
        let result = match result {
            Err(RebuildError::Cancelled) => {
                report_giving_way(&describe(&root, &touched), "rebuild", started);
                continue;
            }
            Err(RebuildError::Problems(diagnostics)) => Err(diagnostics),
            Ok(rebuilt) => Ok(rebuilt),
        };
        if let Ok(rebuilt) = &result {
            report_new_warnings(&rebuilt.warnings, &mut warnings_shown);
        }
        let model = publish(shared, result, saves_built, &describe(&root, &touched));
        if let Some(model) = model {
            let handover = match &pool {
                Some(pool) => pool.install(|| Handover::new(model, saves_built)),
                None => Handover::new(model, saves_built),
            };
            let _ = quick.send(QuickMessage::Built(Box::new(handover)));
        }
        touched.clear();
        first_unbuilt = None;
    }
}

/// When a full rebuild gives way: as soon as a newer save waits. Under saves faster
/// than a full rebuild that would leave the pages mentioning the saved ones stale until
/// the saving stops, so once saves have kept every rebuild from finishing for
/// `MAX_STALE`, the next one gives way only after running that long itself: a quick
/// one finishes, and a slow one (a huge file, saved again to fix it) still gives way.
fn giving_way(pending: &Pending, stale_since: Instant) -> Cancel {
    let pending = pending.clone();
    let insist = stale_since.elapsed() >= MAX_STALE;
    let started = Instant::now();
    Cancel::when(move || pending.any() && (!insist || started.elapsed() >= MAX_STALE))
}

/// Serves the pages of a quick rebuild in place of their old versions and tells the
/// pages showing them to reload. `save` is the number of the last save it answers: if a
/// full rebuild that had seen it was published meanwhile, that one stands.
fn publish_quick(shared: &Shared, update: QuickUpdate, save: u64, what: &str) {
    let millis = update.millis;
    let changed = shared.update(|old| {
        // The overlay stays until a full rebuild succeeds.
        if old.errors.is_some() || save <= old.saves_built {
            return (None, None, 0);
        }
        let mut overlay = (*old.overlay).clone();
        let mut changed = Vec::new();
        for (path, bytes) in update.pages {
            if old.get(&path) != Some(&bytes) {
                changed.push(path.clone());
                overlay.insert(path, (save, bytes));
            } else if let Some(entry) = overlay.get_mut(&path) {
                entry.0 = save;
            }
        }
        if changed.is_empty() {
            return (None, None, 0);
        }
        let version = old.version + 1;
        let pages = served_addresses(&old.base_path, &changed);
        let snapshot = Snapshot {
            base_path: old.base_path.clone(),
            files: old.files.clone(),
            overlay: Arc::new(overlay),
            saves_built: old.saves_built,
            version,
            errors: None,
        };
        let event = LiveEvent::Reload {
            version,
            pages: Some(pages),
        };
        (Some(snapshot), Some(event), changed.len())
    });
    if changed > 0 {
        eprintln!(
            "{what}: {changed} page(s) rendered in {millis} ms; reloaded; now rebuilding the rest"
        );
    }
}

/// The addresses a browser shows for output paths: `/base/overenskommelse/2013/`.
fn served_addresses(base_path: &str, paths: &[String]) -> Arc<[String]> {
    paths
        .iter()
        .map(|path| {
            format!(
                "{base_path}{}",
                path.strip_suffix("index.html").unwrap_or(path)
            )
        })
        .collect()
}

fn absorb(message: WatchMessage, touched: &mut HashSet<PathBuf>) {
    match message {
        WatchMessage::Changed(paths) => touched.extend(paths),
        // Events may have been lost: the rebuild rescans every file's stamp anyway.
        WatchMessage::Failed(error) => eprintln!("warning: file watcher: {error}"),
    }
}

fn describe(root: &Path, touched: &HashSet<PathBuf>) -> String {
    let mut names: Vec<String> = touched
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            // A file's name may hold escape sequences: printed escaped, as in reports.
            crate::diagnostics::escape_controls(&name).into_owned()
        })
        .collect();
    names.sort();
    match names.len() {
        0 => "rescan".into(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

/// Serves the result of a full rebuild that had seen saves up to `saves_built`, and
/// tells the open pages. Quick pages of later saves stay in the overlay (the rebuild that
/// follows takes them in). Returns the rebuilt site's model, for the quick path.
fn publish(
    shared: &Shared,
    result: Result<Rebuilt, Diagnostics>,
    saves_built: u64,
    what: &str,
) -> Option<quick::FullBuild> {
    match result {
        Ok(rebuilt) => {
            let Rebuilt {
                files,
                base_path,
                model,
                stats,
                ..
            } = rebuilt;
            let files = Arc::new(files);
            let (changed, action) = shared.update(|old| {
                let overlay: HashMap<String, (u64, Bytes)> = old
                    .overlay
                    .iter()
                    .filter(|(_, (save, _))| *save > saves_built)
                    .map(|(path, entry)| (path.clone(), entry.clone()))
                    .collect();
                let mut new = Snapshot {
                    base_path: base_path.clone(),
                    files: files.clone(),
                    overlay: Arc::new(overlay),
                    saves_built,
                    version: old.version,
                    errors: None,
                };
                let changed = changed_paths(old, &new);
                let only_css = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
                if !changed.is_empty() {
                    new.version += 1;
                }
                let version = new.version;
                let recovered = old.errors.is_some();
                let (event, action) = if only_css && !recovered {
                    (Some(LiveEvent::Css(version)), "stylesheet swapped")
                } else if !changed.is_empty() || recovered {
                    // Only the pages that changed reload, unless many did (a template)
                    // or the pages show an error overlay to clear.
                    let pages = pages_to_reload(&changed)
                        .filter(|_| !recovered)
                        .map(|pages| served_addresses(&base_path, &pages));
                    (Some(LiveEvent::Reload { version, pages }), "pages reloaded")
                } else {
                    (None, "nothing changed")
                };
                (Some(new), event, (changed.len(), action))
            });
            eprintln!(
                "{what}: rebuilt in {} ms ({} file(s) read, {} of {} pages rendered{}), {changed} output file(s) changed; {action}",
                stats.millis,
                stats.files_parsed,
                stats.pages_rendered,
                stats.pages_total,
                if stats.templates_changed {
                    ", templates changed"
                } else {
                    ""
                },
            );
            Some(model)
        }
        Err(diagnostics) => {
            report_failure(&diagnostics);
            let errors = errors_json(&diagnostics);
            shared.update(|old| {
                let snapshot = Snapshot {
                    base_path: old.base_path.clone(),
                    files: old.files.clone(),
                    overlay: old.overlay.clone(),
                    saves_built: old.saves_built,
                    version: old.version,
                    errors: Some(errors.clone()),
                };
                (Some(snapshot), Some(LiveEvent::Errors(errors)), ())
            });
            None
        }
    }
}

/// The sink a rebuild and a quick answer render into: the files as the server serves
/// them. Nothing is copied: a file's bytes are moved in, and an HTML page's are shared
/// with the render cache. Each thread of the pool puts its files into a list of its own,
/// and the lists become one map at the end: one map behind one lock kept the threads
/// waiting for each other.
pub struct ServedFiles(Vec<std::sync::Mutex<Vec<(String, Bytes)>>>);

impl Default for ServedFiles {
    fn default() -> Self {
        ServedFiles(
            (0..=rayon::current_num_threads())
                .map(|_| std::sync::Mutex::default())
                .collect(),
        )
    }
}

impl ServedFiles {
    pub fn into_files(self) -> Files {
        let lists: Vec<Vec<(String, Bytes)>> = self
            .0
            .into_iter()
            .map(|list| list.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let mut files = Files::with_capacity(lists.iter().map(Vec::len).sum());
        files.extend(lists.into_iter().flatten());
        files
    }

    fn insert(&self, path: String, bytes: Bytes) {
        let list = rayon::current_thread_index().map_or(0, |i| i + 1) % self.0.len();
        self.0[list]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
    }
}

impl Sink for ServedFiles {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.insert(file.path, Bytes::from(file.bytes));
        Ok(())
    }

    fn put_shared(&self, path: String, bytes: Arc<[u8]>) -> Result<(), OutputError> {
        self.insert(path, Bytes::from_owner(bytes));
        Ok(())
    }
}

/// The paths whose served file differs between two snapshots.
fn changed_paths(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    let same = |a: &Bytes, b: &Bytes| (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b;
    let mut changed: Vec<String> = new
        .paths()
        .filter(|path| match (old.get(path), new.get(path)) {
            (Some(previous), Some(bytes)) => !same(previous, bytes),
            _ => true,
        })
        .cloned()
        .collect();
    changed.extend(old.paths().filter(|p| !new.contains(p)).cloned());
    changed
}

/// The pages to reload for these changed files: the HTML pages among them, as long as
/// the rest are data (search index, feeds, JSON) that no open page shows; `None` (every
/// page) when a stylesheet, script or picture changed too, or too many pages did.
fn pages_to_reload(changed: &[String]) -> Option<Vec<String>> {
    let is_data = |path: &str| [".json", ".xml", ".txt"].iter().any(|e| path.ends_with(e));
    let mut pages = Vec::new();
    for path in changed {
        if path.ends_with(".html") {
            pages.push(path.clone());
        } else if !is_data(path) {
            return None;
        }
    }
    (pages.len() <= MAX_LISTED_RELOADS).then_some(pages)
}

/// Warnings are printed again only when they changed, so each save prints one line.
fn report_new_warnings(diagnostics: &Diagnostics, shown: &mut Vec<String>) {
    let current: Vec<String> = diagnostics.warnings().map(|d| d.headline()).collect();
    if current != *shown {
        report_warnings(diagnostics);
        *shown = current;
    }
}

fn report_warnings(diagnostics: &Diagnostics) {
    for d in diagnostics.warnings() {
        eprintln!("{}", d.render());
    }
}

fn report_failure(diagnostics: &Diagnostics) {
    for d in &diagnostics.items {
        eprintln!("{}", d.render());
    }
    eprintln!(
        "rebuild failed: {} error(s); still serving the last good site",
        diagnostics.errors().count()
    );
}

/// The problems as the overlay shows them: errors first, each with file, line, message.
fn errors_json(diagnostics: &Diagnostics) -> Arc<str> {
    let list: Vec<serde_json::Value> = diagnostics
        .errors()
        .chain(diagnostics.warnings())
        .map(|d| {
            json!({
                "severity": d.severity,
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "help": d.help,
                "headline": d.headline(),
            })
        })
        .collect();
    Arc::from(serde_json::Value::Array(list).to_string())
}

/// A served HTML page with the version placeholder filled in.
fn stamp_version(html: &[u8], version: u64) -> Vec<u8> {
    let placeholder = VERSION_PLACEHOLDER.as_bytes();
    let found = html
        .windows(placeholder.len())
        .rposition(|window| window == placeholder);
    match found {
        Some(at) => {
            let mut out = Vec::with_capacity(html.len() + 8);
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(version.to_string().as_bytes());
            out.extend_from_slice(&html[at + placeholder.len()..]);
            out
        }
        None => html.to_vec(),
    }
}

/// Served for every address while no build has succeeded yet: it carries the overlay.
fn no_site_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>avtal serve</title></head>\n<body><p>The site has not been built yet: fix the errors shown above, and this page reloads.</p>\n{}\n</body></html>\n",
        live_reload_script()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_stamped_into_the_live_script() {
        let page = format!("<p>x</p>{}</body>", live_reload_script());
        let stamped = String::from_utf8(stamp_version(page.as_bytes(), 42)).unwrap();
        assert!(stamped.contains("data-version=\"42\""));
        assert!(!stamped.contains(VERSION_PLACEHOLDER));
    }

    fn snapshot(files: &[(&str, &'static [u8])], overlay: &[(&str, &'static [u8])]) -> Snapshot {
        Snapshot {
            files: Arc::new(
                files
                    .iter()
                    .map(|(p, b)| (p.to_string(), Bytes::from_static(b)))
                    .collect(),
            ),
            overlay: Arc::new(
                overlay
                    .iter()
                    .map(|(p, b)| (p.to_string(), (1, Bytes::from(b.to_vec()))))
                    .collect(),
            ),
            saves_built: 0,
            base_path: "/".into(),
            version: 1,
            errors: None,
        }
    }

    #[test]
    fn changes_are_found_by_content_with_the_overlay_in_front() {
        let old = snapshot(
            &[("a.html", b"1"), ("b.css", b"2"), ("gone.html", b"3")],
            &[("c.html", b"quick")],
        );
        let new = snapshot(
            &[("a.html", b"1"), ("b.css", b"2!"), ("c.html", b"full")],
            &[("c.html", b"quick")],
        );
        let mut changed = changed_paths(&old, &new);
        changed.sort();
        assert_eq!(changed, ["b.css", "gone.html"]);
        let without_overlay = snapshot(
            &[("a.html", b"1"), ("b.css", b"2"), ("c.html", b"full")],
            &[],
        );
        let mut changed = changed_paths(&old, &without_overlay);
        changed.sort();
        assert_eq!(changed, ["c.html", "gone.html"]);
    }

    #[test]
    fn data_files_reload_no_page_and_a_stylesheet_reloads_all() {
        let changed = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            pages_to_reload(&changed(&["a/index.html", "sok/index.json", "feed.xml"])),
            Some(changed(&["a/index.html"]))
        );
        assert_eq!(
            pages_to_reload(&changed(&["a/index.html", "style.css"])),
            None
        );
    }
}
