//! From cleaned lines to sections: headings, list intros, section kinds and synonyms.
//!
//! Three signals give a block its [`SectionKind`], strongest first:
//!
//! 1. a heading ("Causes of Dystonia") names the kind of everything under it;
//! 2. text before the first heading is the overview;
//! 3. where there is no heading to trust — a page without headings (the Mayo text), or the part of a
//!    scraped text file after a section break (two or more blank lines, where a heading was lost) —
//!    each paragraph is classified by its own wording, and a paragraph with no telling wording keeps
//!    the kind of the one before ("You also might need:" after a treatment paragraph is treatment).
//!
//! Keyword matching works on folded words ([`kindred_text::fold_for_match`]), so `"diagnos*"` matches
//! "diagnose" and "diagnosis" but "sign" never matches "signaling".

use kindred_text::{fold_for_match, sentences};

use super::lines::{BREAK_GAP, Line, ends_clause};
use crate::{Block, Section, SectionKind};

/// Whether folded, space-padded text holds a cue: `"diagnos*"` matches a word prefix, anything else
/// whole words (`"risk factor"` matches "risk factor" and not "risk factors"; list both forms).
fn has_cue(padded: &str, cue: &str) -> bool {
    match cue.strip_suffix('*') {
        Some(prefix) => padded.contains(&format!(" {prefix}")),
        None => padded.contains(&format!(" {cue} ")),
    }
}

/// Folds text for cue matching: `" words of the text "`.
fn padded(text: &str) -> String {
    format!(" {} ", fold_for_match(text))
}

/// Heading keywords, first match wins.
const HEADING_CUES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::WhenToSeeDoctor,
        &["when to see", "when to contact", "when to call", "when to seek"],
    ),
    (SectionKind::Symptoms, &["symptom*", "sign", "signs"]),
    (SectionKind::Complications, &["complication*"]),
    (SectionKind::RiskFactors, &["risk*"]),
    (SectionKind::Causes, &["cause*", "why"]),
    (
        SectionKind::Diagnosis,
        &[
            "diagnos*",
            "exam",
            "exams",
            "examination*",
            "test",
            "tests",
            "testing",
            "screening",
        ],
    ),
    (SectionKind::Prevention, &["prevent*"]),
    (
        SectionKind::LivingWith,
        &[
            "living",
            "coping",
            "cope",
            "support*",
            "lifestyle",
            "home remed*",
            "self care",
        ],
    ),
    (
        SectionKind::Treatment,
        &[
            "treat*",
            "therap*",
            "management",
            "managing",
            "medication*",
            "medicine*",
            "surgery",
        ],
    ),
    (SectionKind::Appointment, &["appointment*", "prepar*"]),
    (SectionKind::Genetics, &["inherit*", "genetic*", "gene", "genes"]),
    (SectionKind::Outlook, &["outlook", "prognosis", "expectations"]),
    (SectionKind::Research, &["research*", "clinical trial*"]),
    (SectionKind::Frequency, &["how common", "frequency", "prevalence"]),
    (
        SectionKind::Overview,
        &[
            "what is",
            "what are",
            "overview",
            "about",
            "definition",
            "introduction",
            "summary",
        ],
    ),
];

/// The kind a heading names, or `None` for a heading without a known keyword ("Additional names",
/// "Botox").
pub(crate) fn heading_kind(heading: &str) -> Option<SectionKind> {
    let padded = padded(heading);
    HEADING_CUES
        .iter()
        .find(|(_, cues)| cues.iter().any(|cue| has_cue(&padded, cue)))
        .map(|(kind, _)| *kind)
}

/// Paragraph cues, first match wins. They are narrower than heading cues because a paragraph
/// mentions many things in passing: "causes the muscles to contract" is not about causes, "causing
/// your symptoms, you might need:" is not about symptoms.
const CONTENT_CUES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::LivingWith,
        &["living with", "support group*", "coping", "cope with"],
    ),
    (
        SectionKind::Appointment,
        &["appointment*", "referred to", "questions"],
    ),
    (SectionKind::Complications, &["complication*"]),
    (
        SectionKind::RiskFactors,
        &[
            "risk factor*",
            "your risk",
            "risk for",
            "higher risk",
            "increased risk",
            "at risk",
        ],
    ),
    (
        SectionKind::Causes,
        &[
            "exact cause",
            "cause of",
            "causes of",
            "caused by",
            "symptom of another",
        ],
    ),
    (
        SectionKind::Diagnosis,
        &["diagnos*", "physical exam*", "medical history"],
    ),
    (SectionKind::Prevention, &["prevent*"]),
    (
        SectionKind::Treatment,
        &[
            "treat*",
            "manag*",
            "injection*",
            "medicine*",
            "medication*",
            "surg*",
            "therap*",
            "botulinum",
            "botox",
        ],
    ),
    (
        SectionKind::Symptoms,
        &[
            "symptoms of",
            "symptoms include",
            "symptoms may",
            "symptoms might",
            "symptoms can",
            "symptoms differ",
            "symptoms vary",
            "early symptoms",
            "signs",
            "spasm*",
        ],
    ),
];

/// Opening sentences that define the condition; in the opening of a page they stay in the overview
/// even when they mention treatment ("There's no cure for dystonia, but medicines … can improve
/// symptoms.").
const OVERVIEW_CUES: &[&str] = &[
    "is a",
    "is an",
    "are a",
    "its called",
    "it is called",
    "known as",
    "refers to",
    "no cure",
];

/// Classifies a paragraph by its wording. `carried` is the kind of the paragraph before; `opening`
/// is true while the page has said nothing but overview.
pub(crate) fn content_kind(text: &str, carried: SectionKind, opening: bool) -> SectionKind {
    if opening {
        let first_sentence = sentences(text).into_iter().next().unwrap_or_default();
        let first = padded(&first_sentence);
        if OVERVIEW_CUES.iter().any(|cue| has_cue(&first, cue)) {
            return SectionKind::Overview;
        }
    }
    let padded = padded(text);
    CONTENT_CUES
        .iter()
        .find(|(_, cues)| cues.iter().any(|cue| has_cue(&padded, cue)))
        .map_or(carried, |(kind, _)| *kind)
}

/// Longest heading, in words and characters.
const MAX_HEADING_WORDS: usize = 6;
const MAX_HEADING_CHARS: usize = 60;

/// Whether a text line looks like a heading: short, starts with a capital, one phrase, and no closing
/// punctuation except a question mark ("What is it?").
pub(crate) fn looks_like_heading(line: &str) -> bool {
    let n_words = line.split_whitespace().count();
    let starts_upper = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    (1..=MAX_HEADING_WORDS).contains(&n_words)
        && line.chars().count() <= MAX_HEADING_CHARS
        && starts_upper
        && (!ends_clause(line) || line.ends_with('?'))
        && !line.ends_with([',', '-'])
        && !line.contains(". ")
}

/// Turns heading-like text lines into headings when body text follows them. A heading that heads
/// nothing (the next heading is not deeper, or the page ends) is page furniture ("Alike Wisdom"
/// once its promotion is gone) and is removed and recorded. The title line (a heading equal
/// to the page title, or any `h1`) is dropped without record: it is the document's title.
pub(crate) fn promote_headings(lines: Vec<Line>, title: &str, removed: &mut Vec<String>) -> Vec<Line> {
    let folded_title = fold_for_match(title);
    let mut lines: Vec<Line> = lines
        .into_iter()
        .map(|line| match line {
            Line::Text(text) if looks_like_heading(&text) => Line::Heading { text, level: 2 },
            other => other,
        })
        .collect();
    let mut kept = Vec::with_capacity(lines.len());
    let mut seen_body = false;
    for line_idx in 0..lines.len() {
        let line = std::mem::replace(&mut lines[line_idx], Line::Gap(0));
        let Line::Heading { text, level } = line else {
            seen_body |= !matches!(line, Line::Gap(_));
            kept.push(line);
            continue;
        };
        if level == 1 || (!seen_body && fold_for_match(&text) == folded_title) {
            continue;
        }
        // What follows: body text (this is a heading), a sub-heading (this is a heading), or a
        // sibling heading or the end (this heads nothing).
        let next = lines[line_idx + 1..].iter().find(|l| !matches!(l, Line::Gap(_)));
        let heads_something = match next {
            Some(Line::Text(_) | Line::Item(_)) => true,
            Some(Line::Heading {
                level: next_level, ..
            }) => *next_level > level,
            Some(Line::Gap(_)) | None => false,
        };
        if heads_something {
            kept.push(Line::Heading { text, level });
        } else {
            removed.push(text);
        }
    }
    kept
}

/// A step of the page once lines are grouped into blocks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// A heading.
    Heading(String),
    /// A section break: two or more blank lines in a text file.
    Break,
    /// The blocks one source line gave (a paragraph, its list, or its dangling intro), with that
    /// line's text for classification.
    Unit {
        /// Text the kind is decided from.
        text: String,
        /// Blocks in reading order.
        blocks: Vec<Block>,
    },
}

/// Groups lines into blocks. A line ending with ':' introduces the list that follows it; with no
/// list after it, its last sentence is kept as [`Block::Incomplete`] and the sentences before it as
/// a paragraph.
pub(crate) fn pieces(lines: &[Line]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut line_idx = 0;
    while line_idx < lines.len() {
        match &lines[line_idx] {
            Line::Gap(blank_lines) => {
                if *blank_lines >= BREAK_GAP {
                    out.push(Piece::Break);
                }
                line_idx += 1;
            }
            Line::Heading { text, .. } => {
                out.push(Piece::Heading(text.clone()));
                line_idx += 1;
            }
            Line::Item(_) => {
                let (items, next_idx) = list_items(lines, line_idx);
                out.push(Piece::Unit {
                    text: String::new(),
                    blocks: vec![Block::List { intro: None, items }],
                });
                line_idx = next_idx;
            }
            Line::Text(text) => {
                // Items may follow after one blank line, never after a section break.
                let mut items_idx = line_idx + 1;
                if let Some(Line::Gap(blank_lines)) = lines.get(items_idx)
                    && *blank_lines < BREAK_GAP
                {
                    items_idx += 1;
                }
                let has_items = matches!(lines.get(items_idx), Some(Line::Item(_)));
                let mut blocks = Vec::new();
                if text.ends_with(':') {
                    let (lead, intro) = split_intro(text);
                    if let Some(lead) = lead {
                        blocks.push(Block::Paragraph { text: lead });
                    }
                    if has_items {
                        let (items, next_idx) = list_items(lines, items_idx);
                        blocks.push(Block::List {
                            intro: Some(intro),
                            items,
                        });
                        line_idx = next_idx;
                    } else {
                        blocks.push(Block::Incomplete { text: intro });
                        line_idx += 1;
                    }
                } else {
                    blocks.push(Block::Paragraph { text: text.clone() });
                    if has_items {
                        let (items, next_idx) = list_items(lines, items_idx);
                        blocks.push(Block::List { intro: None, items });
                        line_idx = next_idx;
                    } else {
                        line_idx += 1;
                    }
                }
                out.push(Piece::Unit {
                    text: text.clone(),
                    blocks,
                });
            }
        }
    }
    out
}

/// The run of items starting at `start`, and the index after it.
fn list_items(lines: &[Line], start: usize) -> (Vec<String>, usize) {
    let mut items = Vec::new();
    let mut line_idx = start;
    while let Some(Line::Item(item)) = lines.get(line_idx) {
        items.push(item.clone());
        line_idx += 1;
    }
    (items, line_idx)
}

/// Splits "Dystonia affects people in different ways. Muscle spasms might:" into the complete
/// sentences before the intro and the intro itself.
fn split_intro(text: &str) -> (Option<String>, String) {
    let mut parts = sentences(text);
    let intro = parts.pop().unwrap_or_else(|| text.to_owned());
    let lead = (!parts.is_empty()).then(|| parts.join(" "));
    (lead, intro)
}

/// How the kind of the next paragraph is decided.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Before the first heading of a page that has headings: overview.
    Lead,
    /// Under a heading; `None` until the first paragraph decides an unknown heading's kind.
    Headed(Option<SectionKind>),
    /// No heading to trust: by wording, carrying the previous kind.
    Content,
}

/// Builds sections from pieces. See the module docs for how kinds are decided.
pub(crate) fn build_sections(pieces: Vec<Piece>) -> Vec<Section> {
    let has_headings = pieces.iter().any(|p| matches!(p, Piece::Heading(_)));
    let mut mode = if has_headings { Mode::Lead } else { Mode::Content };
    let mut sections: Vec<Section> = Vec::new();
    let mut carried = SectionKind::Overview;
    let mut opening = true;
    // Whether body text came since the last heading (or the start): a break right after a heading
    // is only spacing.
    let mut body_since_heading = false;
    for piece in pieces {
        match piece {
            Piece::Heading(heading) => {
                let kind = heading_kind(&heading);
                mode = Mode::Headed(kind);
                body_since_heading = false;
                sections.push(new_section(kind.unwrap_or(carried), Some(heading)));
            }
            Piece::Break => {
                if body_since_heading {
                    mode = Mode::Content;
                }
            }
            Piece::Unit { text, blocks } => {
                body_since_heading = true;
                let kind = match mode {
                    Mode::Lead => SectionKind::Overview,
                    Mode::Headed(Some(kind)) => kind,
                    Mode::Headed(None) => {
                        let kind = content_kind(&text, carried, false);
                        mode = Mode::Headed(Some(kind));
                        if let Some(section) = sections.last_mut() {
                            section.kind = kind;
                        }
                        kind
                    }
                    Mode::Content => content_kind(&text, carried, opening),
                };
                if sections.last().is_none_or(|s| s.kind != kind) {
                    sections.push(new_section(kind, None));
                }
                if let Some(section) = sections.last_mut() {
                    section.blocks.extend(blocks);
                }
                carried = kind;
                opening &= kind == SectionKind::Overview;
            }
        }
    }
    sections.retain(|s| !s.blocks.is_empty());
    sections
}

fn new_section(kind: SectionKind, heading: Option<String>) -> Section {
    Section {
        kind,
        heading,
        question: None,
        qtype: None,
        answer_id: None,
        blocks: Vec::new(),
    }
}

/// Cues of a heading or list intro that lists other names of the focus.
const SYNONYM_CUES: &[&str] = &[
    "additional names",
    "other names",
    "alternative names",
    "also known as",
    "also called",
    "synonym*",
];

fn names_synonyms(text: &str) -> bool {
    let padded = padded(text);
    SYNONYM_CUES.iter().any(|cue| has_cue(&padded, cue))
}

/// Takes lists of other names ("This group contains additional names:" and its items) out of the
/// sections: a section headed "Additional names" is removed whole, a list with such an intro is
/// removed from its section. Returns the names, in order, without duplicates.
pub(crate) fn take_synonyms(sections: &mut Vec<Section>) -> Vec<String> {
    let mut synonyms: Vec<String> = Vec::new();
    let mut push = |item: &str| {
        let name = item.trim().trim_end_matches(['.', ';', ',']).trim().to_owned();
        if !name.is_empty()
            && !synonyms
                .iter()
                .any(|s| fold_for_match(s) == fold_for_match(&name))
        {
            synonyms.push(name);
        }
    };
    sections.retain_mut(|section| {
        if section.heading.as_deref().is_some_and(names_synonyms) {
            for block in &section.blocks {
                if let Block::List { items, .. } = block {
                    items.iter().for_each(|item| push(item));
                }
            }
            return false;
        }
        section.blocks.retain(|block| match block {
            Block::List {
                intro: Some(intro),
                items,
            } if names_synonyms(intro) => {
                items.iter().for_each(|item| push(item));
                false
            }
            _ => true,
        });
        !section.blocks.is_empty()
    });
    synonyms
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check_headings(headings: &[&str], expect: Expect) {
        let rendered: String = headings
            .iter()
            .map(|h| format!("{h:<34} {}\n", heading_kind(h).map_or("-", SectionKind::as_str)))
            .collect();
        expect.assert_eq(&rendered);
    }

    #[test]
    fn heading_keywords() {
        check_headings(
            &[
                "Symptoms of Dystonia",
                "Signs & symptoms",
                "Causes of Dystonia",
                "Risk factors",
                "Complications",
                "Exams and Tests",
                "Diagnosis",
                "Examples of dystonia",
                "Treatment of Dystonia",
                "Living Better",
                "Coping and support",
                "Lifestyle and home remedies",
                "Preparing for your appointment",
                "Inheritance",
                "Prevention",
                "Outlook",
                "What is it?",
                "When to see a doctor",
                "Additional names",
            ],
            expect![[r#"
                Symptoms of Dystonia               symptoms
                Signs & symptoms                   symptoms
                Causes of Dystonia                 causes
                Risk factors                       risk_factors
                Complications                      complications
                Exams and Tests                    diagnosis
                Diagnosis                          diagnosis
                Examples of dystonia               -
                Treatment of Dystonia              treatment
                Living Better                      living_with
                Coping and support                 living_with
                Lifestyle and home remedies        living_with
                Preparing for your appointment     appointment
                Inheritance                        genetics
                Prevention                         prevention
                Outlook                            outlook
                What is it?                        overview
                When to see a doctor               when_to_see_doctor
                Additional names                   -
            "#]],
        );
    }

    #[test]
    fn heading_shapes() {
        for heading in [
            "Living Better",
            "What is it?",
            "Signs & symptoms",
            "Exams and Tests",
        ] {
            assert!(looks_like_heading(heading), "{heading}");
        }
        for line in [
            "You also might need:",
            "Dystonia.",
            "Surgery helps. Rarely",
            "medical reality",
            "Stroke,",
        ] {
            assert!(!looks_like_heading(line), "{line}");
        }
    }

    #[test]
    fn content_carries_the_previous_kind() {
        let k = |text, carried| content_kind(text, carried, false);
        assert_eq!(
            k(
                "Side effects are generally mild and temporary.",
                SectionKind::Treatment
            ),
            SectionKind::Treatment
        );
        assert_eq!(
            k(
                "To look for conditions that may be causing your symptoms, you might need:",
                SectionKind::Diagnosis
            ),
            SectionKind::Diagnosis
        );
        assert_eq!(
            k(
                "Dystonia also can be a symptom of another disease or condition, including:",
                SectionKind::Symptoms
            ),
            SectionKind::Causes
        );
        assert_eq!(
            content_kind(
                "There's no cure for dystonia, but medicines can help.",
                SectionKind::Overview,
                true
            ),
            SectionKind::Overview
        );
        assert_eq!(
            content_kind(
                "There's no cure for dystonia, but medicines can help.",
                SectionKind::Symptoms,
                false
            ),
            SectionKind::Treatment
        );
    }

    #[test]
    fn dangling_intro_splits_off() {
        let lines = [Line::Text(
            "Dystonia affects different people in different ways. Muscle spasms might:".into(),
        )];
        let got = pieces(&lines);
        assert_eq!(
            got,
            vec![Piece::Unit {
                text: "Dystonia affects different people in different ways. Muscle spasms might:".into(),
                blocks: vec![
                    Block::Paragraph {
                        text: "Dystonia affects different people in different ways.".into()
                    },
                    Block::Incomplete {
                        text: "Muscle spasms might:".into()
                    },
                ],
            }]
        );
    }
}
