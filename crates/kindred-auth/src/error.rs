//! The crate's one error type: what a person typed that the rules refuse, or a hashing failure.

/// Why a handle, password or hash was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The handle breaks a rule; `reason` says which, in words a person can act on.
    #[error("handle: {reason}")]
    Handle {
        /// What is wrong.
        reason: &'static str,
    },
    /// The password breaks a rule.
    #[error("password: {reason}")]
    Password {
        /// What is wrong.
        reason: &'static str,
    },
    /// The hashing library failed (not the person's fault).
    #[error("cannot hash the password")]
    Hash,
}
