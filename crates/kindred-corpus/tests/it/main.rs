//! Integration tests of `kindred-corpus`, one binary for the whole crate.
#![allow(clippy::unwrap_used)]

mod fuzz;
mod hostile;
mod web;
