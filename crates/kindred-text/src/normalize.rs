//! Repairing and normalising scraped text.
//!
//! Scraped pages often carry UTF-8 that was decoded as Windows-1252 and encoded again ("mojibake",
//! e.g. `Â©` for `©`, `â€™` for `’`). We repair it the way ftfy does: a run of suspicious characters is
//! re-encoded as Windows-1252 and decoded as UTF-8; the repair is kept only when that round trip is
//! lossless, so genuine Latin-1 text ("café") is never touched.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Characters that appear when UTF-8 lead bytes are misread as Windows-1252.
fn is_mojibake_lead(c: char) -> bool {
    matches!(c, 'Â' | 'Ã' | 'â' | 'Å' | 'Ä' | 'Î' | 'Ï' | 'ð')
}

/// Repairs UTF-8-read-as-Windows-1252 mojibake, word by word.
///
/// Returns the input unchanged (borrowed) when nothing suspicious is present.
pub fn repair_mojibake(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_mojibake_lead) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // Work on whitespace-separated pieces: a mojibake sequence never spans a space except for the
    // NBSP case (`Â ` = U+00A0), which we handle by keeping the separator inside the piece.
    for piece in text.split_inclusive(' ') {
        out.push_str(&repair_piece(piece));
    }
    Cow::Owned(out)
}

fn repair_piece(piece: &str) -> Cow<'_, str> {
    if !piece.chars().any(is_mojibake_lead) {
        return Cow::Borrowed(piece);
    }
    let (bytes, _, had_unmappable) = encoding_rs::WINDOWS_1252.encode(piece);
    if had_unmappable {
        return Cow::Borrowed(piece);
    }
    match std::str::from_utf8(&bytes) {
        // A repaired piece must be shorter in chars: every fix folds 2-3 chars into one.
        Ok(fixed) if fixed.chars().count() < piece.chars().count() => {
            // `Â ` was a no-break space; make it a plain one.
            Cow::Owned(fixed.replace('\u{a0}', " "))
        }
        _ => Cow::Borrowed(piece),
    }
}

/// Normalises text for display: repairs mojibake, applies NFC, folds typographic quotes and
/// no-break spaces, and collapses runs of whitespace.
pub fn normalize(text: &str) -> String {
    // Most text is ASCII: nothing to repair or compose, only whitespace to collapse.
    if text.is_ascii() {
        return collapse_whitespace(text);
    }
    let repaired = repair_mojibake(text);
    let folded: String = repaired
        .nfc()
        .map(|c| match c {
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' => ' ',
            '\u{200b}' | '\u{feff}' => '\u{0}',
            other => other,
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    collapse_whitespace(&folded)
}

/// Collapses every run of whitespace into one space and trims both ends.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds text for name matching: lowercase, ASCII apostrophes and hyphens become spaces or vanish,
/// accents stripped, whitespace collapsed. `"Parkinson’s Disease"` → `"parkinsons disease"`.
pub fn fold_for_match(text: &str) -> String {
    fold(text, true)
}

/// [`fold_for_match`], or with `lower` false the same with case kept.
pub(crate) fn fold(text: &str, lower: bool) -> String {
    if text.is_ascii() {
        return fold_ascii(text, lower);
    }
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if lower {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            last_space = false;
        } else if matches!(c, '\'' | '’' | '‘' | '`') {
            // possessive and elision marks vanish: "Wilson's" -> "wilsons"
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold`] for ASCII text, without Unicode decomposition: the same result, much faster.
fn fold_ascii(text: &str, lower: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            out.push(char::from(if lower { byte.to_ascii_lowercase() } else { byte }));
            last_space = false;
        } else if matches!(byte, b'\'' | b'`') {
            // possessive and elision marks vanish
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A URL-safe slug: `"Early-onset primary dystonia (DYT1)"` → `"early-onset-primary-dystonia-dyt1"`.
pub fn slugify(text: &str) -> String {
    let folded = fold_for_match(text);
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_copyright_mojibake() {
        assert_eq!(repair_mojibake("Â© 1998-2025 Mayo"), "© 1998-2025 Mayo");
        assert_eq!(repair_mojibake("donâ€™t"), "don’t");
    }

    #[test]
    fn leaves_real_latin1_alone() {
        assert_eq!(repair_mojibake("Ménière’s café"), "Ménière’s café");
        assert!(matches!(repair_mojibake("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn normalizes_whitespace_and_nbsp() {
        assert_eq!(normalize("  a\u{a0} b\n\tc "), "a b c");
    }

    #[test]
    fn ascii_fast_path_agrees() {
        for text in ["Parkinson's  Disease", "TOR1A-gene (DYT1)", "  a--b  ", "x'y`z"] {
            let mut slow = String::new();
            // The general path, forced by a non-ASCII suffix that folds to nothing extra.
            slow.push_str(&fold_for_match(&format!("{text}\u{301}")));
            assert_eq!(fold_for_match(text), slow.trim_end());
        }
    }

    #[test]
    fn folds_names() {
        assert_eq!(fold_for_match("Parkinson’s Disease"), "parkinsons disease");
        assert_eq!(
            fold_for_match("Beckwith-Wiedemann  syndrome"),
            "beckwith wiedemann syndrome"
        );
        assert_eq!(
            slugify("Early-onset primary dystonia (DYT1)"),
            "early-onset-primary-dystonia-dyt1"
        );
    }
}
