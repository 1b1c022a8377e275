//! The original texts the pages were edited from, published as they are (with personal
//! details taken out) beside the pages: `content/kallor/` → `kallor/`.

use std::sync::Arc;

/// One published source text.
#[derive(Debug, Clone)]
pub struct SourceTextFile {
    /// Below `content/kallor/`, with `/`: `003_eaffa4810b0c27ab.txt`.
    pub name: String,
    pub bytes: Arc<[u8]>,
    /// What its marks say was taken out (`personligt telefonnummer`), each once, in
    /// the order they first appear.
    pub removed: Vec<String>,
}
