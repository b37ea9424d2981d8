//! The line representation shared by text and HTML pages.
//!
//! Both readers turn a page into a flat run of [`Line`]s; boilerplate removal, heading detection and
//! section building then work on lines only, so each rule is written once whatever the input format.
//! This module also holds the text-file reader, which has to undo two kinds of scraping damage that
//! HTML does not suffer from: bullets flattened into characters (`  •`, `- `), and short widget text
//! wrapped over several lines ("Find people who are / experiencing a similar / medical reality").

use kindred_text::normalize;

/// One block of a page, normalised (mojibake repaired, whitespace collapsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    /// A paragraph, or one logical line of a text file.
    Text(String),
    /// A bullet-list item, without its bullet.
    Item(String),
    /// A heading: declared by the markup (HTML `h1`–`h6`) or recognised in text. Level 1 is the
    /// page title.
    Heading {
        /// The heading as published.
        text: String,
        /// 1 for `h1` … 6 for `h6`; 2 for headings recognised in text.
        level: u8,
    },
    /// Blank lines between blocks. Two or more in a scraped text file mark a section break: the
    /// place of a heading that was lost in scraping.
    Gap(usize),
}

impl Line {
    /// The text of a text, item or heading line.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Line::Text(text) | Line::Item(text) | Line::Heading { text, .. } => Some(text),
            Line::Gap(_) => None,
        }
    }
}

/// Blank lines that make a section break.
pub(crate) const BREAK_GAP: usize = 2;

/// Appends a gap, merging it with a gap already at the end (the larger wins: removing a line between
/// two single blank lines must not invent a section break).
pub(crate) fn push_gap(lines: &mut Vec<Line>, blank_lines: usize) {
    if let Some(Line::Gap(previous)) = lines.last_mut() {
        *previous = (*previous).max(blank_lines);
    } else {
        lines.push(Line::Gap(blank_lines));
    }
}

/// Longest line (in words) that may be part of a wrapped widget block.
const MAX_FRAGMENT_WORDS: usize = 6;

/// Splits a scraped text file into lines: blank-line runs become gaps, bulleted lines become items,
/// and short fragments wrapped over several lines are joined into one line.
pub(crate) fn text_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut blank_lines = 0;
    // The last physical line of the `Text` at the end of `lines`, when nothing came between.
    let mut last_physical: Option<String> = None;
    for raw in text.lines() {
        let line = normalize(raw);
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if blank_lines > 0 {
            push_gap(&mut lines, blank_lines);
            blank_lines = 0;
            last_physical = None;
        }
        if let Some(item) = bullet_item(&line) {
            lines.push(Line::Item(item.to_owned()));
            last_physical = None;
            continue;
        }
        if let (Some(previous), Some(Line::Text(joined))) = (&last_physical, lines.last_mut())
            && continues_fragment(previous, &line)
        {
            joined.push(' ');
            joined.push_str(&line);
        } else {
            lines.push(Line::Text(line.clone()));
        }
        last_physical = Some(line);
    }
    lines
}

/// The text of a bulleted line (`• item`, `- item`, `* item`, `1. item`), or `None`.
pub(crate) fn bullet_item(line: &str) -> Option<&str> {
    let mut chars = line.char_indices();
    let (_, first) = chars.next()?;
    let rest = if matches!(
        first,
        '•' | '·' | '◦' | '▪' | '‣' | '●' | '○' | '■' | '-' | '*' | '–'
    ) {
        &line[first.len_utf8()..]
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if !(1..=2).contains(&digits) {
            return None;
        }
        line[digits..].strip_prefix(['.', ')'])?
    };
    // A bullet is followed by a space; "-5 °C" or "*Note" are not items.
    if !rest.starts_with(' ') {
        return None;
    }
    let item = rest.trim();
    (!item.is_empty()).then_some(item)
}

/// Whether `next` continues the wrapped fragment whose last line is `previous`: both are short,
/// `previous` has no closing punctuation, and `next` is not a sentence of its own.
fn continues_fragment(previous: &str, next: &str) -> bool {
    let n_previous = previous.split_whitespace().count();
    let n_next = next.split_whitespace().count();
    if n_previous > MAX_FRAGMENT_WORDS || n_next > MAX_FRAGMENT_WORDS || ends_clause(previous) {
        return false;
    }
    let starts_upper = next.chars().next().is_some_and(char::is_uppercase);
    let is_sentence = starts_upper && ends_clause(next) && n_next >= 3;
    !is_sentence
}

/// Whether a line ends with closing punctuation (a sentence or a list intro).
pub(crate) fn ends_clause(line: &str) -> bool {
    line.trim_end_matches(['"', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Line {
        Line::Text(s.to_owned())
    }

    #[test]
    fn bullets_become_items() {
        assert_eq!(bullet_item("• Stroke"), Some("Stroke"));
        assert_eq!(bullet_item("- Torsion dystonia"), Some("Torsion dystonia"));
        assert_eq!(bullet_item("2) Rest"), Some("Rest"));
        assert_eq!(bullet_item("-5 degrees"), None);
        assert_eq!(bullet_item("1998-2025 Mayo"), None);
        assert_eq!(bullet_item("Stroke"), None);
    }

    #[test]
    fn joins_wrapped_fragments_only() {
        let lines = text_lines(
            "Find people who are\nexperiencing a similar\nmedical reality\n\n100% Free\n100%\nFree",
        );
        assert_eq!(
            lines,
            vec![
                text("Find people who are experiencing a similar medical reality"),
                Line::Gap(1),
                text("100% Free 100% Free")
            ]
        );
        // Long lines and finished sentences stay apart, as in the Mayo text.
        let lines = text_lines(
            "Dystonia affects different people in different ways.\nYou also might need:\nDiagnosis\nIt is clinical.",
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn gaps_count_blank_lines_and_repair_mojibake() {
        let lines = text_lines("A\n\n\nÂ© 2025 Someone\n  • item");
        assert_eq!(
            lines,
            vec![
                text("A"),
                Line::Gap(2),
                text("© 2025 Someone"),
                Line::Item("item".into())
            ]
        );
    }
}
