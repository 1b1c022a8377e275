//! The preview's HTTP side: the last good site from memory, the site's own 404 page,
//! and an event stream that tells open pages to reload, swap CSS or show an error.
//!
//! Only for the names the preview is reached by ([`Hosts`]): a page on another site
//! that has its name point at this machine (DNS rebinding) is refused. Connections
//! are driven here rather than by `axum::serve` so that each has limits: a connection
//! that does not finish its request headers in time, or leaves an answer unread, is
//! closed, and at most [`Limits::max_connections`] are open at once (the others wait
//! in the listen queue), far below the open-file limit, which the rebuild needs too.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::state::{LiveEvent, Shared, Snapshot};

/// Where pages subscribe to rebuild events; outside any path the site can produce,
/// since content file names cannot start with `_`.
pub const EVENTS_PATH: &str = "/__avtal/events";

/// The methods the preview answers.
const ALLOWED_METHODS: &str = "GET, HEAD";

pub fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared)
        .layer(middleware::from_fn_with_state(hosts, refuse_other_hosts))
}

/// The names in the `Host` header the preview answers to. A browser sends the name
/// from the address bar, so a page that reached this server through a name of its own
/// (rebound to 127.0.0.1) is told apart by it. Names such as `localhost` and IP
/// addresses cannot be rebound.
#[derive(Clone, Copy, Debug)]
pub struct Hosts {
    /// The address `--bind` gave: besides the loopback names, requests may name it;
    /// when it is the unspecified address (`0.0.0.0`, `::`), any IP address.
    bound: IpAddr,
}

impl Hosts {
    pub fn new(bound: IpAddr) -> Hosts {
        Hosts { bound }
    }

    /// Whether a request that says `Host: {value}` may be answered. The port, if any,
    /// does not matter: a tunnel (`ssh -L 9000:localhost:8000`) changes it.
    pub fn allows(&self, value: &str) -> bool {
        let Some(name) = host_name(value) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        if name == "localhost" || name == "localhost." {
            return true;
        }
        let address = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
        };
        let Some(address) = address else {
            return false;
        };
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        address.is_loopback() || address == self.bound || self.bound.is_unspecified()
    }
}

/// The name part of a `Host` header value, `None` when the value is malformed: a port
/// that is not a number, or anything but a name or an address.
fn host_name(value: &str) -> Option<&str> {
    let (name, port) = if value.starts_with('[') {
        let end = value.find(']')?;
        let rest = &value[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(port) => Some(port),
            None if rest.is_empty() => None,
            None => return None,
        };
        (&value[..=end], port)
    } else {
        match value.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (value, None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b);
    (!name.is_empty() && name.bytes().all(plain)).then_some(name)
}

async fn refuse_other_hosts(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    // HTTP/1.0 requests may come without a name; browsers always send one.
    let allowed = match request.headers().get(header::HOST) {
        None => true,
        Some(value) => value.to_str().is_ok_and(|v| hosts.allows(v)),
    };
    if allowed {
        return next.run(request).await;
    }
    plain(
        StatusCode::FORBIDDEN,
        "avtal serve answers only to localhost, 127.0.0.1, [::1] and the address given with --bind; \
         this request named another host (a page elsewhere may be trying to read the preview)\n",
    )
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// How long and how many connections may stay open.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A connection must send a request's headers within this time (also the time an
    /// idle kept-alive connection stays open).
    pub header_timeout: Duration,
    /// An answer the other side does not read for this long closes the connection.
    pub write_stall: Duration,
    /// Connections served at once; further ones wait in the listen queue. Open event
    /// streams (one per open page) count.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            write_stall: Duration::from_secs(30),
            max_connections: 256,
        }
    }
}

impl Limits {
    /// The defaults, with fewer connections where the process may open few files:
    /// at most half of what the limit leaves after the rebuild's share.
    pub fn for_this_process() -> Limits {
        let mut limits = Limits::default();
        if let Some(files) = open_file_limit() {
            let share = usize::try_from(files.saturating_sub(64) / 2).unwrap_or(usize::MAX);
            limits.max_connections = limits.max_connections.min(share.max(16));
        }
        limits
    }
}

#[cfg(target_os = "linux")]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given.
    let result = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (result == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(target_os = "linux"))]
fn open_file_limit() -> Option<u64> {
    None
}

/// How long stopping waits for open connections to finish their answers.
const STOP_WAIT: Duration = Duration::from_secs(3);

/// Serves `app` on `listener` until `stop` completes, each connection within `limits`;
/// then lets connections finish their current answer, for up to [`STOP_WAIT`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (closing, closing_receiver) = tokio::sync::watch::channel(());
    let mut stop = std::pin::pin!(stop);
    loop {
        let permit = tokio::select! {
            _ = &mut stop => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: try again shortly rather
                    // than spin; a connection reset before it was accepted is nothing.
                    if !matches!(
                        error.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut closing = closing_receiver.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(StallGuard::new(stream, limits.write_stall));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(io, service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = closing.send(());
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(STOP_WAIT, permits.acquire_many(all)).await;
}

/// A connection whose writes fail once one has waited [`Limits::write_stall`] for the
/// other side to read: a client that asks and never reads would otherwise hold its
/// connection, and one of the limited places, for ever.
struct StallGuard {
    inner: tokio::net::TcpStream,
    stall: Duration,
    /// Set while a write waits for room.
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl StallGuard {
    fn new(inner: tokio::net::TcpStream, stall: Duration) -> StallGuard {
        StallGuard {
            inner,
            stall,
            deadline: None,
        }
    }

    /// Turns a waiting write into an error once it has waited too long.
    fn check<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        if result.is_ready() {
            self.deadline = None;
            return result;
        }
        let stall = self.stall;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the other side stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.check(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_flush(cx);
        self.check(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Server-Sent Events. A page says which site version it was served from; if the site
/// moved on in between (a save during page load), it is told to reload at once.
async fn events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let shutdown = shared.shutdown.clone();
    let snapshot = shared.snapshot();
    let mut first = Vec::new();
    if let Some(errors) = &snapshot.errors {
        first.push(LiveEvent::Errors(errors.clone()));
    } else if since(&uri).is_some_and(|v| v != snapshot.version) {
        first.push(LiveEvent::Reload {
            version: snapshot.version,
            pages: None,
        });
    }
    let stream = futures_util::stream::unfold(
        (first.into_iter(), receiver, shutdown),
        |(mut pending, mut receiver, mut shutdown)| async move {
            let event = match pending.next() {
                Some(event) => event,
                None => tokio::select! {
                    received = receiver.recv() => match received {
                        Ok(event) => event,
                        // A slow page missed events: reloading catches it up.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            LiveEvent::Reload {
                                version: 0,
                                pages: None,
                            }
                        }
                        Err(_) => return None,
                    },
                    _ = shutdown.changed() => return None,
                },
            };
            Some((Ok(to_sse(&event)), (pending, receiver, shutdown)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The `since=N` query parameter: the site version the page was served from.
fn since(uri: &Uri) -> Option<u64> {
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))?
        .parse()
        .ok()
}

fn to_sse(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { version, pages } => Event::default()
            .event("reload")
            .data(serde_json::json!({ "version": version, "pages": pages.as_deref() }).to_string()),
        LiveEvent::Css(version) => Event::default().event("css").data(version.to_string()),
        LiveEvent::Errors(json) => Event::default().event("build-error").data(json.as_ref()),
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(ALLOWED_METHODS));
        return response;
    }
    let Some(relative) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let snapshot = shared.snapshot();
    let under_base = format!("/{relative}")
        .strip_prefix(&snapshot.base_path)
        .map(str::to_string);
    let found = match under_base {
        Some(inside) => lookup(&snapshot, &inside),
        // The bare server address leads to the site, wherever it is published.
        None if relative.is_empty() => Found::Elsewhere(snapshot.base_path.clone()),
        None if format!("/{relative}/") == snapshot.base_path => {
            Found::Elsewhere(snapshot.base_path.clone())
        }
        None => Found::Nothing,
    };
    let response = match found {
        Found::File(path, bytes) => file_response(StatusCode::OK, &path, bytes, &snapshot),
        Found::Folder => match uri.query() {
            Some(query) => redirect(&format!("{}/?{query}", uri.path())),
            None => redirect(&format!("{}/", uri.path())),
        },
        Found::Elsewhere(location) => redirect(&location),
        Found::Nothing => not_found(&snapshot),
    };
    if method == Method::HEAD {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

enum Found {
    File(String, Bytes),
    /// A folder with an index page, asked for without its trailing slash.
    Folder,
    /// The site's own address, when it is published under a sub-path.
    Elsewhere(String),
    Nothing,
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn lookup(snapshot: &Snapshot, relative: &str) -> Found {
    let path = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if let Some(bytes) = snapshot.get(&path) {
        return Found::File(path, bytes.clone());
    }
    if !relative.is_empty() && snapshot.contains(&format!("{relative}/index.html")) {
        return Found::Folder;
    }
    Found::Nothing
}

fn not_found(snapshot: &Snapshot) -> Response {
    use crate::routes::NOT_FOUND;
    match snapshot.get(NOT_FOUND) {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, NOT_FOUND, bytes.clone(), snapshot),
        // No site yet (the first build failed): a bare page that still carries the
        // overlay, so the editor sees what to fix.
        None => file_response(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            Bytes::from(super::no_site_page()),
            snapshot,
        ),
    }
}

fn file_response(status: StatusCode, path: &str, bytes: Bytes, snapshot: &Snapshot) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Bytes::from(super::stamp_version(&bytes, snapshot.version))
    } else {
        bytes
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Every reload must fetch the current file, stylesheets included.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The request path as a path inside the site, or `None` when it could leave the site or
/// is not a plain path: `..` or `.` segments (also percent-encoded), backslashes,
/// NUL, empty segments (`//etc/passwd`), drive letters, or bytes that are not UTF-8.
pub fn site_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let decoded = percent_decode(rest)?;
    if decoded.contains(['\\', '\0', ':']) {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (index, segment) in segments.iter().enumerate() {
        let empty_inside = segment.is_empty() && index != last;
        if empty_inside || *segment == "." || *segment == ".." {
            return None;
        }
    }
    Some(decoded)
}

/// `%XX` escapes decoded; `None` when the bytes are not UTF-8. A `%` not followed by
/// two hex digits is kept as it is (the path then names no file).
fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{Hosts, Limits, site_path};
    use std::io::{Read, Write};
    use std::net::{IpAddr, SocketAddr, TcpStream};
    use std::time::Duration;

    #[test]
    fn only_names_that_cannot_be_rebound_are_answered() {
        let loopback = Hosts::new("127.0.0.1".parse().unwrap());
        for host in [
            "localhost",
            "localhost:8000",
            "LocalHost:8000",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:8000",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:8000",
            "[::ffff:127.0.0.1]:8000",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "localhost:80:80",
            "localhost:http",
            "localhost:",
            "192.168.1.5:8000",
            "[::2]:8000",
            "[::1]x",
            "",
            "local host",
            "localhost/..",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        // --bind opens the preview to the bound address, and with 0.0.0.0 to every
        // address of the machine; names still cannot be rebound.
        let lan = Hosts::new("192.168.1.5".parse().unwrap());
        assert!(lan.allows("192.168.1.5:8000"));
        assert!(lan.allows("localhost:8000"));
        assert!(!lan.allows("192.168.1.6:8000"));
        assert!(!lan.allows("mypc.local:8000"));
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(Hosts::new(any).allows("10.1.2.3:8000"));
        assert!(Hosts::new(any).allows("[fe80::1]:8000"));
        assert!(!Hosts::new(any).allows("evil.example:8000"));
    }

    /// A server of two routes (a short page and a large one) on a free loopback port,
    /// on a runtime of its own; the tests are plain blocking clients.
    fn test_server(limits: Limits) -> SocketAddr {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let app = axum::Router::new()
                    .route("/", axum::routing::get(|| async { "hej" }))
                    .route(
                        "/large",
                        axum::routing::get(|| async { vec![b'x'; 32 << 20] }),
                    );
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                sender.send(listener.local_addr().unwrap()).unwrap();
                super::serve(listener, app, limits, std::future::pending()).await;
            });
        });
        receiver.recv().unwrap()
    }

    /// Connects with a read timeout far above every limit used here, against a hang.
    fn connect(address: SocketAddr) -> TcpStream {
        let stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    fn get(address: SocketAddr, path: &str) -> String {
        let mut stream = connect(address);
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    /// Reads until the server closes the connection; how many bytes came.
    fn read_until_closed(mut stream: TcpStream) -> usize {
        let mut received = 0;
        let mut buffer = [0u8; 65536];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => return received,
                Ok(n) => received += n,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return received,
                Err(e) => panic!("the server did not close the connection: {e}"),
            }
        }
    }

    #[test]
    fn unfinished_headers_are_cut_off_and_the_connections_beyond_the_cap_wait() {
        let address = test_server(Limits {
            header_timeout: Duration::from_millis(300),
            write_stall: Duration::from_secs(60),
            max_connections: 3,
        });
        // Three connections take every place: one silent, two with half a request.
        let silent = connect(address);
        let mut half = Vec::new();
        for _ in 0..2 {
            let mut stream = connect(address);
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                .unwrap();
            half.push(stream);
        }
        // A fourth waits for a place, and is answered once the others are cut off.
        let answer = get(address, "/");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("hej"), "{answer}");
        assert_eq!(read_until_closed(silent), 0);
        for stream in half {
            read_until_closed(stream);
        }
    }

    #[test]
    fn an_answer_left_unread_closes_its_connection() {
        let address = test_server(Limits {
            header_timeout: Duration::from_secs(60),
            write_stall: Duration::from_millis(300),
            max_connections: 1,
        });
        let mut reader = connect(address);
        reader
            .write_all(b"GET /large HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        // Nothing is read while the server's writes wait; then the connection is closed,
        // and its only place goes to the next.
        std::thread::sleep(Duration::from_millis(100));
        let answer = get(address, "/");
        assert!(answer.ends_with("hej"), "{answer}");
        assert!(
            read_until_closed(reader) < 32 << 20,
            "the large answer was cut off"
        );
    }

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        for raw in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2e%2e%2fCargo.toml",
            "/a/..%2f..%2fCargo.toml",
            "/..%5cCargo.toml",
            "/%5c..%5cCargo.toml",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/C:/Windows/win.ini",
            "/./index.html",
            "/a%00b",
            "/%ff",
            "/%c3",
            "relative",
        ] {
            assert_eq!(site_path(raw), None, "{raw}");
        }
    }

    #[test]
    fn site_paths_are_decoded() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(
            site_path("/overenskommelse/2013/").as_deref(),
            Some("overenskommelse/2013/")
        );
        assert_eq!(
            site_path("/static/style.css").as_deref(),
            Some("static/style.css")
        );
        assert_eq!(site_path("/s%C3%B6k/").as_deref(), Some("sök/"));
        // Decoded once: an escaped `%` stays a `%`, and a `%` that starts no escape is
        // kept, so neither can become a `..` segment.
        assert_eq!(site_path("/%252e%252e/").as_deref(), Some("%2e%2e/"));
        assert_eq!(site_path("/%2").as_deref(), Some("%2"));
        assert_eq!(site_path("/%%2e%2e/a").as_deref(), Some("%../a"));
    }
}
