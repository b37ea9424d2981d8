//! Handles: pseudonymous names members choose. Compared case-insensitively through their key.

use crate::Error;

/// Shortest handle.
const MIN_CHARS: usize = 3;
/// Longest handle.
const MAX_CHARS: usize = 30;
/// Names that would impersonate the site or its staff, or read as a system label.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "moderator",
    "mod",
    "kindred",
    "deleted",
    "deleted-member",
    "me",
    "root",
    "support",
    "staff",
    "anonymous",
];
/// Prefix of the clearly-labelled synthetic members `kindred demo` creates; people cannot take it.
pub const SYNTHETIC_PREFIX: &str = "synthetic-";

/// A handle's case-folded form: what uniqueness and log-in compare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HandleKey(pub String);

/// Checks a handle a person typed and returns its key. Letters, digits, `-` and `_`, 3–30 long,
/// starting with a letter or digit; no reserved names.
pub fn validate_handle(handle: &str) -> Result<HandleKey, Error> {
    let n = handle.chars().count();
    if n < MIN_CHARS {
        return Err(Error::Handle {
            reason: "must be at least 3 characters",
        });
    }
    if n > MAX_CHARS {
        return Err(Error::Handle {
            reason: "must be at most 30 characters",
        });
    }
    if !handle
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Handle {
            reason: "may use only letters a-z, digits, - and _",
        });
    }
    if !handle.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(Error::Handle {
            reason: "must start with a letter or digit",
        });
    }
    let key = handle.to_ascii_lowercase();
    if RESERVED.contains(&key.as_str()) || key.starts_with(SYNTHETIC_PREFIX) {
        return Err(Error::Handle {
            reason: "is reserved; choose another",
        });
    }
    Ok(HandleKey(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(validate_handle("Neck_Owl-7").unwrap().0, "neck_owl-7");
        for bad in [
            "ab",
            "a b c",
            "-abc",
            "admin",
            "Synthetic-0001",
            "ümlaut",
            &"x".repeat(31),
            "x<script>",
        ] {
            assert!(validate_handle(bad).is_err(), "{bad}");
        }
    }
}
