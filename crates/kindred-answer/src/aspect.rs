//! The asked aspect: what a question wants to know about its subject, narrower than a section kind.
//!
//! "What drugs do doctors use for dystonia" asks for medicines, not the overview that mentions them;
//! "can dystonia lead to other problems" asks for complications, not causes. An aspect names the
//! sections that answer it and the words a passage (and the short answer's sentence) must contain to
//! speak to it. The tables are data: cue phrases in the question, evidence prefixes in the passage.

use kindred_corpus::SectionKind;

/// An aspect a question may ask about its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aspect {
    /// Which medicines treat it.
    Medicines,
    /// Which specialist treats it.
    Specialist,
    /// What it can lead to.
    Complications,
    /// Side effects of a treatment.
    SideEffects,
    /// How long a treatment lasts, or when it wears off.
    Duration,
    /// Whether one thing interacts with another.
    Interaction,
    /// Whether it runs in families.
    Heredity,
}

struct Rule {
    aspect: Aspect,
    /// Folded phrases of the question; any one names the aspect.
    cues: &'static [&'static str],
    /// Sections that answer it, best first.
    sections: &'static [SectionKind],
    /// Folded word prefixes (a trailing space makes a whole word) of which a passage must contain one.
    evidence: &'static [&'static str],
    /// What the library lacks when no passage has the evidence, for the abstention.
    lacking: &'static str,
}

/// Checked in order: the first aspect whose cue is found wins ("side effects of the medicine" is
/// about side effects, not medicines).
const RULES: &[Rule] = &[
    Rule {
        aspect: Aspect::SideEffects,
        cues: &[
            "side effect",
            "side effects",
            "adverse effect",
            "adverse effects",
            "adverse reaction",
        ],
        sections: &[SectionKind::SideEffects, SectionKind::Treatment],
        evidence: &["side effect", "adverse", "reaction"],
        lacking: "its side effects",
    },
    Rule {
        aspect: Aspect::Interaction,
        cues: &[
            "interact",
            "interacts",
            "interaction",
            "interactions",
            "mix",
            "mixing",
            "combine",
            "combining",
            "together with",
            "at the same time as",
        ],
        sections: &[SectionKind::DrugUse, SectionKind::SideEffects],
        evidence: &["interact", "together", "combin", "at the same time"],
        lacking: "how they interact",
    },
    Rule {
        aspect: Aspect::Duration,
        cues: &[
            "wear off",
            "wears off",
            "wearing off",
            "how long does",
            "how long do",
            "how long will",
            "how long is",
            "last for",
            "does it last",
            "do they last",
            "kick in",
            "take effect",
            "start working",
        ],
        sections: &[SectionKind::Treatment, SectionKind::DrugUse],
        evidence: &[
            "last ",
            "lasts ",
            "lasting ",
            "wear off",
            "wears off",
            "repeated",
            "weeks",
            "months",
            "days ",
            "hours",
            "within",
        ],
        lacking: "how long it lasts",
    },
    Rule {
        aspect: Aspect::Specialist,
        cues: &[
            "specialist",
            "specialists",
            "what kind of doctor",
            "what type of doctor",
            "which doctor",
            "what doctor",
            "who treats",
            "who should i see",
            "who do i see",
            "who to see",
            "what kind of specialist",
            "kind of doctor",
            "type of doctor",
        ],
        sections: &[
            SectionKind::Appointment,
            SectionKind::Treatment,
            SectionKind::Diagnosis,
        ],
        evidence: &[
            "specialist",
            "specializ",
            "specialis",
            "neurolog",
            "referred",
            "refer you",
            "team of",
        ],
        lacking: "which specialist treats it",
    },
    Rule {
        aspect: Aspect::Heredity,
        cues: &[
            "run in families",
            "runs in families",
            "run in the family",
            "runs in the family",
            "run in my family",
            "runs in my family",
            "inherit",
            "inherited",
            "hereditary",
            "pass it on",
            "pass it to",
            "passed down",
            "pass on",
            "my children get",
            "my kids get",
            "genetic",
        ],
        sections: &[
            SectionKind::Genetics,
            SectionKind::Causes,
            SectionKind::RiskFactors,
        ],
        evidence: &[
            "inherit",
            "famil",
            "genetic",
            "gene ",
            "genes ",
            "hereditar",
            "passed",
            "mutation",
        ],
        lacking: "whether it runs in families",
    },
    Rule {
        aspect: Aspect::Complications,
        cues: &[
            "complication",
            "complications",
            "other problems",
            "other health problems",
            "other conditions",
            "lead to other",
            "long term effects",
            "what else can",
        ],
        sections: &[SectionKind::Complications, SectionKind::Outlook],
        evidence: &[
            "complicat",
            "lead to",
            "leads to",
            "can cause",
            "may cause",
            "result in",
            "problems",
        ],
        lacking: "what it can lead to",
    },
    Rule {
        aspect: Aspect::Medicines,
        cues: &[
            "drug",
            "drugs",
            "medicine",
            "medicines",
            "medication",
            "medications",
            "meds",
            "pill",
            "pills",
            "tablets",
            "prescription",
            "prescribe",
            "prescribed",
        ],
        sections: &[SectionKind::Treatment],
        evidence: &["medicin", "medicat", "drug", "prescri", "tablet", "pill"],
        lacking: "which medicines treat it",
    },
];

fn rule(aspect: Aspect) -> &'static Rule {
    RULES.iter().find(|r| r.aspect == aspect).unwrap_or(&RULES[0])
}

/// Whether the folded text, padded with spaces, contains the folded phrase at word boundaries.
fn has_phrase(padded: &str, phrase: &str) -> bool {
    padded.contains(&format!(" {phrase} "))
}

/// Whether the padded folded text contains a word starting with `prefix` (a whole word when the
/// prefix ends with a space).
fn has_prefix(padded: &str, prefix: &str) -> bool {
    padded.contains(&format!(" {prefix}"))
}

impl Aspect {
    /// The aspect a question asks about, if any.
    pub fn of(question: &str) -> Option<Aspect> {
        let padded = format!(" {} ", kindred_text::fold_for_match(question));
        if let Some(rule) = RULES
            .iter()
            .find(|r| r.cues.iter().any(|cue| has_phrase(&padded, cue)))
        {
            return Some(rule.aspect);
        }
        // "Can dystonia lead to …" asks what it leads to; "what leads to dystonia" asks the cause.
        let yes_no = ["can", "could", "does", "do", "will", "may", "might", "is"]
            .iter()
            .any(|w| padded.starts_with(&format!(" {w} ")));
        (yes_no && (has_phrase(&padded, "lead to") || has_phrase(&padded, "cause other")))
            .then_some(Aspect::Complications)
    }

    /// The sections that answer it, best first.
    pub fn sections(self) -> &'static [SectionKind] {
        rule(self).sections
    }

    /// Whether a passage's text speaks to this aspect.
    pub fn found_in(self, text: &str) -> bool {
        let padded = format!(" {} ", kindred_text::fold_for_match(text));
        rule(self).evidence.iter().any(|e| has_prefix(&padded, e))
    }

    /// What the library lacks when nothing speaks to it ("its side effects").
    pub fn lacking(self) -> &'static str {
        rule(self).lacking
    }

    /// A stable name, for JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Medicines => "medicines",
            Aspect::Specialist => "specialist",
            Aspect::Complications => "complications",
            Aspect::SideEffects => "side_effects",
            Aspect::Duration => "duration",
            Aspect::Interaction => "interaction",
            Aspect::Heredity => "heredity",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspects_in_many_phrasings() {
        let cases: &[(&str, Option<Aspect>)] = &[
            ("what drugs do doctors use for dystonia", Some(Aspect::Medicines)),
            (
                "which medications are used to treat dystonia?",
                Some(Aspect::Medicines),
            ),
            ("are there pills for dystonia", Some(Aspect::Medicines)),
            ("who treats dystonia, what specialist", Some(Aspect::Specialist)),
            (
                "what kind of doctor should I see for dystonia",
                Some(Aspect::Specialist),
            ),
            ("can dystonia lead to other problems", Some(Aspect::Complications)),
            ("what leads to dystonia", None),
            (
                "what are the complications of dystonia",
                Some(Aspect::Complications),
            ),
            ("does dystonia run in families", Some(Aspect::Heredity)),
            ("is dystonia inherited?", Some(Aspect::Heredity)),
            (
                "are there side effects from botulinum toxin shots",
                Some(Aspect::SideEffects),
            ),
            (
                "side effects of the medicine for dystonia",
                Some(Aspect::SideEffects),
            ),
            ("how long does a botox injection last", Some(Aspect::Duration)),
            ("when does botox wear off", Some(Aspect::Duration)),
            ("does clonazepam interact with alcohol", Some(Aspect::Interaction)),
            ("what causes dystonia", None),
            ("what is dystonia", None),
        ];
        for (question, expected) in cases {
            assert_eq!(Aspect::of(question), *expected, "{question}");
        }
    }

    #[test]
    fn evidence_is_matched_by_word_prefix() {
        assert!(Aspect::Medicines.found_in("Medications such as carbidopa-levodopa may help."));
        assert!(!Aspect::Medicines.found_in("Surgery is sometimes used."));
        assert!(Aspect::Specialist.found_in("You may be referred to a neurologist."));
        assert!(Aspect::Heredity.found_in("Some forms run in families."));
        assert!(!Aspect::Duration.found_in("It is lastingly ..."));
        assert!(Aspect::Duration.found_in("The effect wears off after 3 months."));
    }
}
