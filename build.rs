//! Builds the default theme into the binary: a site then needs only `content/`, and a
//! `themes/` folder overrides single files (src/render/theme.rs).
//!
//! Writes `$OUT_DIR/embedded_theme.rs`, a sorted list of every file under
//! `themes/default/` (relative path, `include_bytes!` of the file), so that adding a file
//! to the theme needs no change in the code.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let theme = root.join("themes/default");
    // A folder: cargo rescans everything below it, so new files are seen too.
    println!("cargo::rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every file of themes/default at build time: (path below the theme, bytes).\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        // `{:?}` writes a Rust string literal with every character escaped as needed.
        out.push_str(&format!(
            "    ({relative:?}, include_bytes!({:?})),\n",
            absolute.to_string_lossy()
        ));
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("embedded_theme.rs");
    std::fs::write(&target, out).expect("OUT_DIR is writable");
}

/// Files below `folder`, skipping what editors leave behind (the same names the site
/// ignores: hidden files, `*~`, `*.swp`, `*.tmp`, vim's `4913`).
fn collect(base: &Path, folder: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".tmp")
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913"
        {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(relative) = path.strip_prefix(base) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            files.push((relative, path));
        }
    }
}
