//! Helpers for the `avtal serve` tests: a copy of the real site in a temporary folder,
//! the server as a child process, and plain HTTP/1.1 over a socket, so that requests
//! reach the server exactly as written (`/../Cargo.toml` included) and Server-Sent
//! Events can be read as they arrive.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree as `cp -r` does: new folders and files, new times.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let relative = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The real content and themes, copied into a fresh temporary site folder.
pub fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["content", "themes"] {
        copy_tree(&repo_root().join(folder), &dir.path().join(folder));
    }
    dir
}

/// Waits until `ready` holds, up to `limit`; false when it never did.
pub fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `avtal serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
    /// The path the site is served under, from its base_url: `/` or `/overenskommelse/`.
    pub base: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_avtal"))
            .args([
                "serve",
                "--root",
                root.to_str().expect("utf-8 path"),
                "--port",
                "0",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("avtal serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = err.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        lines
            .read_line(&mut line)
            .expect("serve prints its address");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let rest = url.trim_start_matches("http://");
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let address = host
            .parse()
            .unwrap_or_else(|_| panic!("no address in {url}"));
        Server {
            child,
            address,
            base: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
            stderr,
        }
    }

    /// `page` (relative to the site, no leading slash) as a request target.
    pub fn target(&self, page: &str) -> String {
        format!("{}{page}", self.base)
    }

    /// Fetches `page` of the site.
    pub fn page(&self, page: &str) -> Response {
        get(self.address, &self.target(page)).expect("the server answers")
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The processor time the server's threads whose names start with `prefix` have
    /// used (Linux; `None` elsewhere).
    pub fn cpu_time_of(&self, prefix: &str) -> Option<Duration> {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid())).ok()?;
        let mut ticks = 0u64;
        for task in tasks.flatten() {
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
                continue;
            };
            // `pid (name) state ...`: the name may hold spaces, so split at the parens.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            if !stat[open + 1..close].starts_with(prefix) {
                continue;
            }
            // After the name: state is field 3; utime and stime are fields 14 and 15.
            let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
            for field in [11, 12] {
                ticks += fields
                    .get(field)
                    .and_then(|f| f.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
        // Linux counts in USER_HZ, 100 per second on every architecture it runs on.
        Some(Duration::from_millis(ticks * 10))
    }

    /// Waits for the process to end by itself, up to `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// Sends `raw` (a whole request, exactly as given) and reads the whole answer.
pub fn request(address: SocketAddr, raw: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(raw.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    parse_response(&answer)
}

/// Sends `GET target` exactly as given and reads the whole answer.
pub fn get(address: SocketAddr, target: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("no status"))?;
    let (_, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    let response = Response {
        status,
        headers: headers.to_string(),
        body,
    };
    if let Some(length) = response.header("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad length"))?;
        if length != response.body.len() {
            return Err(invalid("body shorter than content-length"));
        }
    }
    Ok(response)
}

/// An open `/__avtal/events` stream.
pub struct Events {
    stream: TcpStream,
    received: String,
}

impl Events {
    pub fn open(address: SocketAddr, since: Option<&str>) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect");
        let target = match since {
            Some(v) => format!("/__avtal/events?since={v}"),
            None => "/__avtal/events".to_string(),
        };
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\n\r\n").expect("send");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut events = Events {
            stream,
            received: String::new(),
        };
        events.read_for(Duration::from_millis(300));
        assert!(
            events.received.starts_with("HTTP/1.1 200"),
            "event stream answered {:?}",
            events.received
        );
        assert!(
            events.received.to_lowercase().contains("text/event-stream"),
            "{}",
            events.received
        );
        events
    }

    fn read_for(&mut self, limit: Duration) {
        let started = Instant::now();
        let mut buffer = [0u8; 8192];
        while started.elapsed() < limit {
            match self.stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => self
                    .received
                    .push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {}
            }
        }
    }

    /// Waits until an event named `name` arrives and returns its data; events received
    /// before it are consumed.
    pub fn wait_for(&mut self, name: &str, limit: Duration) -> Option<String> {
        let needle = format!("event: {name}\ndata: ");
        let started = Instant::now();
        let mut buffer = [0u8; 8192];
        loop {
            if let Some(at) = self.received.find(&needle) {
                let rest = &self.received[at + needle.len()..];
                if let Some(end) = rest.find('\n') {
                    let data = rest[..end].to_string();
                    self.received = rest[end..].to_string();
                    return Some(data);
                }
            }
            if started.elapsed() > limit {
                return None;
            }
            match self.stream.read(&mut buffer) {
                Ok(0) => return None,
                Ok(n) => self
                    .received
                    .push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {}
            }
        }
    }

    /// Everything received and not yet consumed by `wait_for`.
    pub fn pending(&mut self, wait: Duration) -> String {
        self.read_for(wait);
        self.received.clone()
    }
}

/// Writes `text` the way many editors save: into a temporary file, then renamed over.
pub fn save_by_rename(path: &Path, text: &str) {
    let temporary = path.with_extension("md.tmp");
    std::fs::write(&temporary, text).expect("write temp");
    std::fs::rename(&temporary, path).expect("rename");
}
