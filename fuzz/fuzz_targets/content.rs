//! A content file from arbitrary bytes: reading, front matter, clauses, links, lineage,
//! rendering and the word diff (see `avtal::fuzz::content_file`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| avtal::fuzz::content_file(data));
