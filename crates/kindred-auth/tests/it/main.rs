//! Integration tests of kindred-auth.
