//! Passwords: a length rule (long passphrases welcome, no composition rules, after NIST SP 800-63B)
//! and argon2id hashes in PHC string format with the argon2 crate's defaults (19 MiB, 2 passes,
//! OWASP's recommendation). Verification takes the same time whether or not the member exists.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::Error;

/// Shortest password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest password, in characters (bounds the hashing work one request can cause).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Checks a new password against the rules.
pub fn check_password_policy(password: &str, handle: &str) -> Result<(), Error> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(Error::Password {
            reason: "must be at least 10 characters",
        });
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(Error::Password {
            reason: "must be at most 256 characters",
        });
    }
    if password.eq_ignore_ascii_case(handle) {
        return Err(Error::Password {
            reason: "must not be your handle",
        });
    }
    Ok(())
}

/// An argon2id hash of the password, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| Error::Hash)
}

/// Whether the password matches the stored hash. With `None` (no such member) it still does the
/// work of one verification, so timing does not tell which handles exist.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    // A hash of a random token made once, to spend the same time on unknown handles.
    static DUMMY: OnceLock<String> = OnceLock::new();
    let (hash, real) = match hash {
        Some(hash) => (hash, true),
        None => (
            DUMMY
                .get_or_init(|| hash_password(&crate::new_token()).unwrap_or_default())
                .as_str(),
            false,
        ),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse batterY", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
        assert!(!verify_password("x", Some("not a hash")));
        // Salted: the same password hashes differently.
        assert_ne!(hash, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn policy() {
        assert!(check_password_policy("short", "someone").is_err());
        assert!(check_password_policy("someone-long", "Someone-Long").is_err());
        assert!(check_password_policy(&"x".repeat(257), "someone").is_err());
        assert!(check_password_policy("a long passphrase", "someone").is_ok());
    }
}
