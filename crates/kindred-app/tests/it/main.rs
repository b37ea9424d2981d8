//! Integration tests of `kindred-app`, one binary for the whole crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod eval;
mod tracker;
