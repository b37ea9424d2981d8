#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests of the web front end over the real bundled library (the five seed pages and
//! MedQuAD), ingested once per run into a temporary directory and shared by every test. Each test
//! drives `kindred_web::router` with `oneshot` requests; every response, whatever its status, is
//! checked for the security headers and a request id and must never be a 5xx (see `support::send`).

mod api;
mod bad_input;
mod caching;
mod community;
mod community_pages;
mod edge;
mod escaping;
mod headers;
mod openapi;
mod pages;
mod private;
mod routes;
mod support;
mod tracker;
