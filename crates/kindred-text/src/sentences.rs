//! Sentence splitting for extractive short answers.
//!
//! Unicode sentence boundaries (UAX #29) split after every full stop, including those of
//! abbreviations such as "e.g." or "Dr."; we glue such fragments back onto the next sentence.

use unicode_segmentation::UnicodeSegmentation;

const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "vs.", "etc.", "st.", "no.", "approx.", "fig.",
];

/// Splits text into trimmed sentences.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for piece in text.split_sentence_bounds() {
        pending.push_str(piece);
        let trimmed = pending.trim_end();
        let last_word = trimmed.rsplit(' ').next().unwrap_or("").to_lowercase();
        let is_abbreviation = ABBREVIATIONS.contains(&last_word.as_str())
            || (last_word.len() == 2
                && last_word.ends_with('.')
                && last_word.chars().all(|c| c.is_alphabetic() || c == '.'));
        if is_abbreviation {
            continue;
        }
        let sentence = pending.trim();
        if !sentence.is_empty() {
            out.push(sentence.to_owned());
        }
        pending.clear();
    }
    let rest = pending.trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_abbreviations_inside() {
        let got = sentences("Some drugs (e.g. baclofen) help. Injections are repeated every 3 to 4 months.");
        assert_eq!(
            got,
            vec![
                "Some drugs (e.g. baclofen) help.",
                "Injections are repeated every 3 to 4 months."
            ]
        );
    }
}
