//! Helpers shared by the integration tests: building a site into a temporary folder and
//! reading the HTML it produced.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn avtal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_avtal"))
        .args(args)
        .output()
        .expect("the avtal binary runs")
}

/// Builds `root` into a fresh temporary folder and returns it (kept alive by the guard).
pub fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let output = avtal(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, out)
}

/// Values of one attribute (`href`, `id`, …) in an HTML text, unescaped for `&amp;`.
pub fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&needle) {
        rest = &rest[start + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    values
}

pub fn html_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// Every `id` of every HTML file, by file.
pub fn ids_by_file(root: &Path) -> HashMap<PathBuf, HashSet<String>> {
    html_files(root)
        .into_iter()
        .map(|path| {
            let html = std::fs::read_to_string(&path).unwrap();
            let ids = attributes(&html, "id").into_iter().collect();
            (path, ids)
        })
        .collect()
}

/// Internal links that do not resolve to an existing file and anchor:
/// `(page, href, why)`.
pub fn broken_links(root: &Path) -> Vec<(PathBuf, String, String)> {
    let ids = ids_by_file(root);
    let mut broken = Vec::new();
    for (page, _) in ids.iter() {
        if page.file_name().is_some_and(|n| n == "404.html") {
            continue; // uses absolute paths from base_url, checked separately
        }
        let html = std::fs::read_to_string(page).unwrap();
        for href in attributes(&html, "href") {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            let (path_part, fragment) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("");
            let target = if path_part.is_empty() {
                page.clone()
            } else {
                let mut t = page.parent().unwrap().join(path_part);
                if path_part.ends_with('/') {
                    t = t.join("index.html");
                }
                normalise(&t)
            };
            if !target.exists() {
                broken.push((
                    page.clone(),
                    href.clone(),
                    format!("no file {}", target.display()),
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let found = ids.get(&target).is_some_and(|set| set.contains(fragment));
                if !found {
                    broken.push((
                        page.clone(),
                        href.clone(),
                        format!("no id {fragment} in {}", target.display()),
                    ));
                }
            }
        }
    }
    broken
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Resolves `href` (relative, as written on the page at folder `from`) to the built
/// file and the anchor.
pub fn resolve(from: &str, href: &str) -> (String, String) {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            other => parts.push(other),
        }
    }
    let mut target = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    (target, anchor.to_string())
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
