//! Boilerplate: the lines of a scraped page that are not the article.
//!
//! Rules are general patterns (copyright, fundraising, marketing, site disclaimers, community and
//! AI promotions, syndication notices, navigation labels), never a list of lines from the seed pages,
//! so a new page from another publisher is cleaned by the same rules. A rule must name something an
//! article would not say about a condition; when in doubt a line is kept, because losing a sentence of
//! the article is worse than showing a stray one. Every removed line is recorded in
//! `Document::removed` so a reviewer can audit what was cut.

use super::lines::{Line, push_gap};

/// A rule: the line (lowercased) matches when every group has at least one phrase in it.
struct Rule {
    /// Why such lines are not the article.
    reason: &'static str,
    /// Groups of alternative phrases; all groups must match.
    all_of: &'static [&'static [&'static str]],
}

/// Phrase rules, checked against the lowercased line.
const RULES: &[Rule] = &[
    Rule {
        reason: "copyright notice",
        all_of: &[&["©", "copyright ", "all rights reserved", "(c) 19", "(c) 20"]],
    },
    Rule {
        reason: "fundraising",
        all_of: &[&[
            "your donation",
            "donate",
            "make a donation",
            "make a gift",
            "your gift",
        ]],
    },
    Rule {
        reason: "marketing",
        all_of: &[&[
            "newsletter",
            "subscribe",
            "sign up for",
            "special offer",
            "best-seller",
            "bestseller",
        ]],
    },
    Rule {
        reason: "advertising",
        all_of: &[&["advertis", "sponsored content", "sponsored by"]],
    },
    Rule {
        reason: "endorsement disclaimer",
        all_of: &[&["not endorse"]],
    },
    Rule {
        reason: "form feedback",
        all_of: &[&[
            "submission has been received",
            "thank you for your submission",
            "thanks for subscribing",
            "something went wrong while submitting",
        ]],
    },
    Rule {
        reason: "pricing promotion",
        all_of: &[&["% free", "free trial"]],
    },
    Rule {
        reason: "community promotion",
        all_of: &[&[
            "learn from others",
            "find people",
            "people like you",
            "join our community",
            "join the community",
            "connect with others",
            "similar medical reality",
        ]],
    },
    Rule {
        reason: "AI promotion",
        all_of: &[&["our ai", "ai-powered", "ai powered", "instantly get answers"]],
    },
    Rule {
        reason: "editorial notice",
        all_of: &[&[
            "editorial process",
            "editorial policy",
            "editorial guidelines",
            "medical review process",
        ]],
    },
    Rule {
        reason: "medical-advice disclaimer",
        all_of: &[&[
            "substitute for professional medical advice",
            "not a substitute for medical advice",
            "not intended as medical advice",
            "does not provide medical advice",
            "for informational purposes only",
        ]],
    },
    Rule {
        reason: "syndication notice",
        all_of: &[
            &["content"],
            &[
                "provided from",
                "provided by",
                "courtesy of",
                "licensed from",
                "syndicated",
            ],
        ],
    },
    Rule {
        reason: "network membership notice",
        all_of: &[&["member of the"], &["network"]],
    },
    Rule {
        reason: "network membership notice",
        all_of: &[&["has special access to"]],
    },
    Rule {
        reason: "cookie banner",
        all_of: &[&[
            "we use cookies",
            "cookie policy",
            "cookie settings",
            "accept cookies",
            "use of cookies",
        ]],
    },
];

/// Whole lines that are navigation or page furniture, compared without case and final punctuation.
const NAVIGATION_LABELS: &[&str] = &[
    "additional resources",
    "related resources",
    "more resources",
    "related articles",
    "related content",
    "related pages",
    "related links",
    "see also",
    "share",
    "share this page",
    "print",
    "print this page",
    "skip to content",
    "skip to main content",
    "back to top",
    "menu",
    "advertisement",
];

/// Why a line is boilerplate, or `None` when it may be article text.
pub(crate) fn boilerplate_reason(line: &str) -> Option<&'static str> {
    let lower = line.to_lowercase();
    if let Some(rule) = RULES.iter().find(|rule| {
        rule.all_of
            .iter()
            .all(|group| group.iter().any(|p| lower.contains(p)))
    }) {
        return Some(rule.reason);
    }
    if NAVIGATION_LABELS.contains(&lower.trim_end_matches(['.', ':', '!']).trim()) {
        return Some("navigation label");
    }
    if is_member_count(&lower) {
        return Some("community promotion");
    }
    if repeated_phrase(line).is_some() {
        return Some("duplicated title");
    }
    None
}

/// A community counter such as "156 Alikes with Dystonia" or "2,300 members with asthma": a short
/// line that starts with a number, says "with" and makes no sentence.
fn is_member_count(lower: &str) -> bool {
    let n_words = lower.split_whitespace().count();
    lower.starts_with(|c: char| c.is_ascii_digit())
        && n_words <= 6
        && lower.contains(" with ")
        && !super::lines::ends_clause(lower)
}

/// The phrase of a line that is one phrase said twice ("Dystonia Dystonia", a title scraped from
/// both the page and its breadcrumb).
pub(crate) fn repeated_phrase(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) || words.len() > 16 {
        return None;
    }
    let (first, second) = words.split_at(words.len() / 2);
    let fold = |part: &[&str]| kindred_text::fold_for_match(&part.join(" "));
    (!fold(first).is_empty() && fold(first) == fold(second)).then(|| first.join(" "))
}

/// Removes boilerplate lines, recording each in `removed`. A navigation label that heads a list
/// ("Additional Resources" and its links) takes the list with it.
pub(crate) fn remove_boilerplate(lines: Vec<Line>, removed: &mut Vec<String>) -> Vec<Line> {
    let mut kept = Vec::with_capacity(lines.len());
    let mut dropping_links = false;
    for line in lines {
        match &line {
            Line::Gap(blank_lines) => {
                push_gap(&mut kept, *blank_lines);
                continue;
            }
            Line::Item(text) if dropping_links => {
                removed.push(text.clone());
                continue;
            }
            _ => {}
        }
        dropping_links = false;
        let text = line.text().unwrap_or_default();
        match boilerplate_reason(text) {
            Some(reason) => {
                dropping_links = reason == "navigation label";
                removed.push(text.to_owned());
            }
            None => kept.push(line),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(lines: &[&str], expect: Expect) {
        let rendered: String = lines
            .iter()
            .map(|line| format!("{:<28} {line}\n", boilerplate_reason(line).unwrap_or("-")))
            .collect();
        expect.assert_eq(&rendered);
    }

    #[test]
    fn general_rules_not_seed_lines() {
        check(
            &[
                "© 2024 Example Health. All rights reserved.",
                "Copyright 2023 Some Hospital",
                "Your donation helps us fund research.",
                "Sign up for our free e-newsletter.",
                "Advertising helps support our mission.",
                "We do not endorse any product.",
                "Thank you! Your submission has been received!",
                "Try it 100% free",
                "2,300 members with asthma",
                "Connect with others who have lupus",
                "Ask our AI anything about your condition",
                "This content is provided by Example Health in English.",
                "As a member of the Example Care Network, we have access to its library.",
                "This information is for informational purposes only.",
                "We use cookies to improve your experience.",
                "Related Articles",
                "Asthma Asthma",
                "Blood donation is not possible during treatment.",
                "Parkinson's disease affects people with dystonia.",
                "Dystonia affects different people in different ways.",
                "Treatment",
            ],
            expect![[r#"
                copyright notice             © 2024 Example Health. All rights reserved.
                copyright notice             Copyright 2023 Some Hospital
                fundraising                  Your donation helps us fund research.
                marketing                    Sign up for our free e-newsletter.
                advertising                  Advertising helps support our mission.
                endorsement disclaimer       We do not endorse any product.
                form feedback                Thank you! Your submission has been received!
                pricing promotion            Try it 100% free
                community promotion          2,300 members with asthma
                community promotion          Connect with others who have lupus
                AI promotion                 Ask our AI anything about your condition
                syndication notice           This content is provided by Example Health in English.
                network membership notice    As a member of the Example Care Network, we have access to its library.
                medical-advice disclaimer    This information is for informational purposes only.
                cookie banner                We use cookies to improve your experience.
                navigation label             Related Articles
                duplicated title             Asthma Asthma
                -                            Blood donation is not possible during treatment.
                -                            Parkinson's disease affects people with dystonia.
                -                            Dystonia affects different people in different ways.
                -                            Treatment
            "#]],
        );
    }

    #[test]
    fn removal_keeps_gaps_and_takes_link_lists() {
        let lines = vec![
            Line::Text("Body.".into()),
            Line::Gap(1),
            Line::Text("Your donation powers research.".into()),
            Line::Gap(1),
            Line::Text("Additional Resources".into()),
            Line::Item("Example Foundation".into()),
            Line::Gap(1),
            Line::Text("More body.".into()),
        ];
        let mut removed = Vec::new();
        let kept = remove_boilerplate(lines, &mut removed);
        assert_eq!(
            kept,
            vec![
                Line::Text("Body.".into()),
                Line::Gap(1),
                Line::Text("More body.".into())
            ]
        );
        assert_eq!(
            removed,
            vec![
                "Your donation powers research.",
                "Additional Resources",
                "Example Foundation"
            ]
        );
    }
}
