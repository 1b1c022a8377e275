//! avtal: a static site generator for versioned inter-municipal agreements.
//!
//! The pipeline, each stage taking what the previous one returned:
//! load content (`content`) → model (`model`) → align versions (`compare`) →
//! render (`render`) → write atomically (`output`). `build`, `check` and `serve` all
//! drive this same pipeline through [`pipeline`].

pub mod cancel;
pub mod commands;
pub mod compare;
pub mod config;
pub mod content;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzz;
pub mod init;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod serve;
pub mod timings;
