//! The original source texts (`content/kallor/`) in the built site: each at
//! `kallor/NAME`, and the link to it from the pages that name it in `source.file`.

use serde_json::{Value, json};

use crate::content::links::relative_url;
use crate::model::Site;
use crate::model::source_texts::SourceTextFile;
use crate::output::OutputFile;
use crate::routes;

/// A byte-order mark opens each published text: a browser then reads it as UTF-8 even
/// from a server that sends `text/plain` without a charset (as many do for `.txt`).
const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

fn published(text: &SourceTextFile) -> Vec<u8> {
    if text.bytes.starts_with(BYTE_ORDER_MARK) {
        text.bytes.to_vec()
    } else {
        [BYTE_ORDER_MARK, &text.bytes].concat()
    }
}

/// Every source text as a file of the built site.
pub fn files(site: &Site) -> Vec<OutputFile> {
    site.source_texts
        .iter()
        .map(|text| OutputFile::new(routes::source_text(&text.name), published(text)))
        .collect()
}

/// For a page at `url` whose `source.file` is `file`: the address of the published
/// text and what was taken out of it; `null` when it is not published.
pub fn link(site: &Site, url: &str, file: &str) -> Value {
    match site.source_texts.iter().find(|t| t.name == file) {
        Some(text) => json!({
            "url": relative_url(url, &routes::source_text(&text.name)),
            "removed": text.removed,
        }),
        None => Value::Null,
    }
}
