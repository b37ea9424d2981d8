//! The crate's one error type.
//!
//! Every variant is caused by member input (a profile or a post), so every message names the field
//! at fault, as a path such as `treatments[2].treatment`, and can be shown to that member.

/// Why member input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A list has more entries than allowed.
    #[error("{field} has {count} entries, more than the {max} allowed")]
    TooMany {
        /// The list at fault, e.g. `conditions`.
        field: String,
        /// How many entries it has.
        count: usize,
        /// How many are allowed.
        max: usize,
    },
    /// A text is longer than allowed (counted in characters, after trimming where trimmed).
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// The text at fault, e.g. `medicines[3]`.
        field: String,
        /// The most characters allowed.
        max: usize,
    },
    /// A text that must say something is empty or only whitespace.
    #[error("{field} is empty")]
    Empty {
        /// The text at fault.
        field: String,
    },
    /// A text contains a control character it may not contain.
    #[error("{field} contains the control character U+{:04X}", u32::from(*character))]
    ControlCharacter {
        /// The text at fault.
        field: String,
        /// The first offending character.
        character: char,
    },
    /// A text made only of invisible characters (zero-width spaces, joiners): it looks empty.
    #[error("{field} contains only invisible characters")]
    Invisible {
        /// The text at fault.
        field: String,
    },
    /// A key (a catalog slug, a body region) is not shaped like a key.
    #[error("{field} is not a valid key: {value:?}")]
    InvalidKey {
        /// The key at fault, e.g. `conditions[0].subtype`.
        field: String,
        /// The value given.
        value: String,
    },
    /// A treatment key is not in [`crate::vocab::TREATMENTS`].
    #[error("{field} is not a known treatment: {value:?}")]
    UnknownTreatment {
        /// The key at fault, e.g. `treatments[2].treatment`.
        field: String,
        /// The value given.
        value: String,
    },
    /// The same entry is listed twice.
    #[error("{field} repeats an earlier entry: {value:?}")]
    Duplicate {
        /// The later of the two entries, e.g. `treatments[4].treatment`.
        field: String,
        /// The repeated value.
        value: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_name_the_field() {
        let errors = [
            Error::TooMany {
                field: "conditions".into(),
                count: 11,
                max: 10,
            },
            Error::TooLong {
                field: "about".into(),
                max: 2000,
            },
            Error::Empty {
                field: "medicines[0]".into(),
            },
            Error::ControlCharacter {
                field: "about".into(),
                character: '\u{7}',
            },
            Error::InvalidKey {
                field: "regions[1]".into(),
                value: "a b".into(),
            },
            Error::UnknownTreatment {
                field: "treatments[2].treatment".into(),
                value: "leeches".into(),
            },
            Error::Duplicate {
                field: "treatments[1].treatment".into(),
                value: "baclofen".into(),
            },
        ];
        for error in errors {
            let message = error.to_string();
            let first = message.chars().next().unwrap_or('X');
            assert!(first.is_lowercase(), "{message}");
            assert!(!message.ends_with('.'), "{message}");
        }
        assert_eq!(
            Error::ControlCharacter {
                field: "about".into(),
                character: '\u{7}'
            }
            .to_string(),
            "about contains the control character U+0007"
        );
        assert_eq!(
            Error::UnknownTreatment {
                field: "treatments[2].treatment".into(),
                value: "leeches".into()
            }
            .to_string(),
            "treatments[2].treatment is not a known treatment: \"leeches\""
        );
    }
}
