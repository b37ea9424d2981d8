//! The one rule for text a person types into Kindred (a title, a medicine's name, a note): no
//! control characters, and something visible.
//!
//! Control characters corrupt terminals, logs, CSV and PDF output, and zero-width characters make a
//! name that looks empty yet is not. Every crate that accepts typed text checks it here, so a title,
//! a profile item and a tracker note follow the same rule.

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: no newline, no tab.
    One,
    /// Several lines: newline, carriage return and tab are allowed.
    Many,
}

/// What is wrong with a typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedTextProblem {
    /// A control character (U+0000–U+001F, U+007F–U+009F) other than the line breaks and tab a
    /// multi-line text may hold.
    Control(char),
    /// Only invisible characters (zero-width spaces, joiners, other format characters), perhaps with
    /// whitespace: it looks empty but is not.
    Invisible,
}

impl std::fmt::Display for TypedTextProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypedTextProblem::Control(c) => {
                write!(f, "contains the control character U+{:04X}", u32::from(*c))
            }
            TypedTextProblem::Invisible => f.write_str("contains only invisible characters"),
        }
    }
}

/// Checks a text a person typed: no control characters (but line breaks and tabs in a
/// [`Lines::Many`] text), and not made only of invisible characters. Empty or whitespace-only text
/// passes: whether a field may be empty is the caller's rule.
pub fn check_typed_text(text: &str, lines: Lines) -> Result<(), TypedTextProblem> {
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    if let Some(c) = text.chars().find(|&c| c.is_control() && !allowed(c)) {
        return Err(TypedTextProblem::Control(c));
    }
    let all_blank = text.chars().all(char::is_whitespace);
    if !all_blank && text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TypedTextProblem::Invisible);
    }
    Ok(())
}

/// Characters that draw nothing: Unicode's default-ignorable code points (zero-width space and
/// joiners, bidirectional marks, word joiner, variation selectors, the byte order mark, tags) and
/// the blank fillers that are letters in name only.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_many_lines() {
        assert_eq!(
            check_typed_text("a\u{0007}b", Lines::Many),
            Err(TypedTextProblem::Control('\u{0007}'))
        );
        assert_eq!(
            check_typed_text("a\u{0000}", Lines::Many),
            Err(TypedTextProblem::Control('\0'))
        );
        assert_eq!(
            check_typed_text("a\u{009B}", Lines::Many),
            Err(TypedTextProblem::Control('\u{009B}'))
        );
        assert_eq!(check_typed_text("a\nb\tc\r\n", Lines::Many), Ok(()));
        assert_eq!(
            check_typed_text("a\nb", Lines::One),
            Err(TypedTextProblem::Control('\n'))
        );
        assert_eq!(
            check_typed_text("a\tb", Lines::One),
            Err(TypedTextProblem::Control('\t'))
        );
    }

    #[test]
    fn zero_width_only_text_is_refused() {
        for text in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}",
            " \u{FEFF} ",
            "\u{2060}\u{3164}",
            "\u{E0041}",
        ] {
            assert_eq!(
                check_typed_text(text, Lines::One),
                Err(TypedTextProblem::Invisible),
                "{text:?}"
            );
        }
    }

    #[test]
    fn ordinary_text_passes() {
        for text in [
            "",
            "  ",
            "Botox",
            "Dysport 500 U",
            "ZWJ emoji 👩\u{200D}⚕️",
            "عربي\u{200F}",
            "名前",
        ] {
            assert_eq!(check_typed_text(text, Lines::One), Ok(()), "{text:?}");
        }
    }
}
