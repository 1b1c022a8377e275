//! The preview's HTTP side: the last good site from memory, the site's own 404 page,
//! and an event stream that tells open pages to reload, swap CSS or show an error.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;

use super::state::{LiveEvent, Shared, Snapshot};

/// Where pages subscribe to rebuild events; outside any path the site can produce,
/// since content file names cannot start with `_`.
pub const EVENTS_PATH: &str = "/__avtal/events";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared)
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
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
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
    match snapshot.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes.clone(), snapshot),
        // No site yet (the first build failed): a bare page that still carries the
        // overlay, so the editor sees what to fix.
        None => file_response(
            StatusCode::NOT_FOUND,
            "404.html",
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

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
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
    use super::site_path;

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
            "/%2",
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
    }
}
