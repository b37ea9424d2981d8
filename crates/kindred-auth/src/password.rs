//! Passwords: a length rule (long passphrases welcome, no composition rules, after NIST SP 800-63B)
//! and argon2id hashes in PHC string format with the argon2 crate's defaults (19 MiB, 2 passes,
//! OWASP's recommendation). Verification takes the same time whether or not the member exists.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;

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
    // Control characters (a NUL, an escape) cannot be typed on a keyboard and may be handled
    // differently by another client, locking the member out; tab is one too.
    if password.chars().any(char::is_control) {
        return Err(Error::Password {
            reason: "must not contain control characters",
        });
    }
    if password.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(Error::Password {
            reason: "must contain visible characters",
        });
    }
    if password.eq_ignore_ascii_case(handle) {
        return Err(Error::Password {
            reason: "must not be your handle",
        });
    }
    Ok(())
}

/// Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte-order
/// mark and the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Working memory for argon2id (19 MiB with the default parameters), kept from one hash or
/// verification to the next. The argon2 crate's own `hash_password` and `verify_password` allocate
/// the memory afresh each time, and the allocator kept each freed 19 MiB: a server's resident
/// memory grew by that much per sign-in. A server keeps one scratch per password worker.
#[derive(Default)]
pub struct PasswordScratch {
    blocks: Vec<Block>,
}

impl std::fmt::Debug for PasswordScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordScratch")
            .field("blocks", &self.blocks.len())
            .finish()
    }
}

/// The most working memory a stored hash may ask for (64 MiB), so a tampered row cannot make the
/// server allocate without bound.
const MAX_MEMORY_KIB: u32 = 64 * 1024;

impl PasswordScratch {
    /// Scratch that allocates on first use.
    pub fn new() -> PasswordScratch {
        PasswordScratch::default()
    }

    /// The memory for `params`, grown (never shrunk) to fit.
    fn blocks_for(&mut self, params: &Params) -> &mut [Block] {
        let needed = params.block_count();
        if self.blocks.len() < needed {
            self.blocks.resize(needed, Block::default());
        }
        &mut self.blocks[..needed]
    }

    /// An argon2id hash of the password (PHC string format), with a fresh random salt.
    pub fn hash(&mut self, password: &str) -> Result<String, Error> {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::default();
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|_| Error::Hash)?;
        let mut output = vec![0u8; Params::DEFAULT_OUTPUT_LEN];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                &mut output,
                self.blocks_for(&params),
            )
            .map_err(|_| Error::Hash)?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|_| Error::Hash)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&output).map_err(|_| Error::Hash)?),
        };
        Ok(hash.to_string())
    }

    /// Whether the password matches the stored hash. With `None` (no such member) it still does
    /// the work of one verification, so timing does not tell which handles exist.
    pub fn verify(&mut self, password: &str, hash: Option<&str>) -> bool {
        // A hash of a random token made once, to spend the same time on unknown handles.
        static DUMMY: OnceLock<String> = OnceLock::new();
        let (hash, real) = match hash {
            Some(hash) => (hash, true),
            None => {
                let dummy = DUMMY.get_or_init(|| self.hash(&crate::new_token()).unwrap_or_default());
                (dummy.as_str(), false)
            }
        };
        self.matches(password, hash).unwrap_or(false) && real
    }

    /// Recomputes the stored hash's output from the password with its own parameters and salt,
    /// and compares the two in constant time. `None` when the stored hash cannot be read.
    fn matches(&mut self, password: &str, stored: &str) -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed
            .version
            .map_or(Some(Version::V0x13), |v| Version::try_from(v).ok())?;
        let params = Params::try_from(&parsed).ok()?;
        if params.m_cost() > MAX_MEMORY_KIB {
            return None;
        }
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut output = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params.clone())
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                &mut output,
                self.blocks_for(&params),
            )
            .ok()?;
        Some(bool::from(output.as_slice().ct_eq(expected.as_bytes())))
    }
}

/// An argon2id hash of the password, with a fresh random salt (allocating its own working memory;
/// a server hashes through a kept [`PasswordScratch`]).
pub fn hash_password(password: &str) -> Result<String, Error> {
    PasswordScratch::new().hash(password)
}

/// Whether the password matches the stored hash (see [`PasswordScratch::verify`]).
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    PasswordScratch::new().verify(password, hash)
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
    fn kept_scratch_agrees_with_the_argon2_crate() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let mut scratch = PasswordScratch::new();
        // Ours verifies the crate's hash, and the crate verifies ours.
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(scratch.verify("correct horse battery", Some(&theirs)));
        assert!(!scratch.verify("correct horse batterx", Some(&theirs)));
        let ours = scratch.hash("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(Argon2::default().verify_password(b"wrong", &parsed).is_err());
        // A stored hash asking for more memory than allowed is refused, not computed.
        let greedy = ours.replace("m=19456", "m=4194304");
        assert!(!scratch.verify("correct horse battery", Some(&greedy)));
        assert!(scratch.blocks.len() <= 19456);
    }

    #[test]
    fn policy() {
        assert!(check_password_policy("short", "someone").is_err());
        assert!(check_password_policy("someone-long", "Someone-Long").is_err());
        assert!(check_password_policy(&"x".repeat(257), "someone").is_err());
        assert!(check_password_policy("a long passphrase", "someone").is_ok());
        // Issue 9: a password of 20 NULs, escapes or invisible characters was accepted.
        assert!(check_password_policy(&"\0".repeat(20), "someone").is_err());
        assert!(check_password_policy("a long pass\u{1b}[2J", "someone").is_err());
        assert!(check_password_policy(&"\u{200B}".repeat(12), "someone").is_err());
        assert!(check_password_policy(&" ".repeat(12), "someone").is_err());
        assert!(check_password_policy("päss wörd ünïcode", "someone").is_ok());
    }
}
