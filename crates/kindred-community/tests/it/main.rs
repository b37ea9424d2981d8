//! Integration tests of kindred-community, one module per area.

mod aggregate;
mod alikes;
mod markdown;
mod profile;
mod synthetic;
