//! The word diff on two arbitrary texts (see `avtal::fuzz::word_diff`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| avtal::fuzz::word_diff(data));
