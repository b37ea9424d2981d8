//! Integration tests of kindred-tracker: one binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chart;
mod csv_files;
mod distribution;
mod fhir;
mod report;
mod support;
