//! Hostile input: see the module list in tests/hostile.rs.

#[allow(unused_imports)]
use crate::support::{Outcome, TestSite};
