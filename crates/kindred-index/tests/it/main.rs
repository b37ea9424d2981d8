//! Integration tests of `kindred-index`, one binary for the whole crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod search;
