//! avtal: a static site generator for versioned inter-municipal agreements.
//!
//! The pipeline, each stage taking what the stages before it returned: `content` reads
//! content/ into the model, a [`model::Site`]; `compare` aligns each work's versions
//! (`compare::Alignment`); `render` makes every page and file from the two and a theme,
//! and puts them into an [`output::Sink`], which writes them atomically. A page read
//! from a file does not keep its text: render asks the model for it, which reads it
//! again from the file and checks that it is the text that was loaded. `build`,
//! `check` and `serve` all drive this same pipeline through [`pipeline`].
//!
//! The modules stand on floors, and every import points down (a test, `architecture`,
//! checks the `crate::` paths of every file): `model` < `content` < `compare` <
//! `render` < `pipeline` < `commands`, `serve`, `init`, `fuzz`. Below them all are the
//! leaves, which any module may use and which use only each other: `diagnostics`,
//! `output`, `cancel`, `timings`, `dates` (calendar arithmetic) and `site_files`
//! (reading a file of the site).

#[cfg(test)]
mod architecture;
pub mod cancel;
pub mod commands;
pub mod compare;
pub mod content;
pub mod dates;
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
pub mod site_files;
pub mod timings;
