//! Accounts and permissions, without storage: handle and password rules, argon2id password
//! hashing, session and CSRF tokens, the sign-in and registration throttle policies, and roles.
//!
//! Nothing here touches the database or HTTP. `kindred-store` keeps what this crate produces (a
//! password hash, a token's hash), `kindred-app` composes the two, `kindred-web` carries tokens in
//! cookies and forms. The least privilege wins: a new account is a [`Role::Member`]; moderation
//! and administration are granted, never assumed, and no role reads another member's private data.

mod error;
mod handle;
mod limiter;
mod password;
mod role;
mod token;

pub use error::Error;
pub use handle::{HandleKey, validate_handle};
pub use limiter::{
    FORGET_AFTER_SECS, Policy, RetryAfter, SIGN_IN_PER_ADDRESS, SIGN_IN_PER_HANDLE, ThrottleState,
};
pub use password::{
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, PasswordScratch, check_password_policy, hash_password,
    verify_password,
};
pub use role::Role;
pub use token::{new_token, token_hash, tokens_equal};
