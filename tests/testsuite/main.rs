//! Every integration test of avtal in one test binary, one module per area (as mdBook's
//! `tests/testsuite`), so `cargo test` compiles and links the crate's tests once.
//! Run one area with `cargo test --test testsuite hostile::` (a module path filter).

mod serve_support;
mod support;

mod alignment;
mod at_scale;
mod build;
mod cli;
mod diff_property;
mod fuzz_regressions;
mod hostile;
mod lineage_eval;
mod open_data;
mod output_safety;
mod pictures;
mod search_index;
mod serve;
mod serve_bench;
mod serve_load;
mod serve_quick;
mod snapshot;
