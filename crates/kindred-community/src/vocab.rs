//! Fixed vocabularies of the community: visibility, bands, sex, outcomes and treatments.
//!
//! Each enum has a stable `key()` (what is stored, sent in forms and serialised by serde), a
//! `label()` for people, `from_key()` and `ALL` in display order. Keys never change once stored;
//! labels may.

use serde::{Deserialize, Serialize};

/// Who may see a profile field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// Only the member.
    #[default]
    Private,
    /// Signed-in members, and the Alikes index.
    Members,
    /// Anyone, signed in or not.
    Public,
}

impl Visibility {
    /// Every visibility, from most to least restrictive.
    pub const ALL: [Visibility; 3] = [Visibility::Private, Visibility::Members, Visibility::Public];

    /// The stable key: `private`, `members`, `public`.
    pub fn key(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Members => "members",
            Visibility::Public => "public",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Private => "Only me",
            Visibility::Members => "Members",
            Visibility::Public => "Everyone",
        }
    }

    /// The visibility with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }

    /// Whether other members (and so the Alikes index) may see the field.
    pub fn is_shared(self) -> bool {
        matches!(self, Visibility::Members | Visibility::Public)
    }
}

/// A member's age, in bands wide enough not to identify anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBand {
    /// Under 18.
    #[serde(rename = "under-18")]
    Under18,
    /// 18 to 29.
    #[serde(rename = "18-29")]
    From18To29,
    /// 30 to 44.
    #[serde(rename = "30-44")]
    From30To44,
    /// 45 to 59.
    #[serde(rename = "45-59")]
    From45To59,
    /// 60 to 74.
    #[serde(rename = "60-74")]
    From60To74,
    /// 75 and over.
    #[serde(rename = "75-plus")]
    From75,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 6] = [
        AgeBand::Under18,
        AgeBand::From18To29,
        AgeBand::From30To44,
        AgeBand::From45To59,
        AgeBand::From60To74,
        AgeBand::From75,
    ];

    /// The stable key: `under-18`, `18-29`, `30-44`, `45-59`, `60-74`, `75-plus`.
    pub fn key(self) -> &'static str {
        match self {
            AgeBand::Under18 => "under-18",
            AgeBand::From18To29 => "18-29",
            AgeBand::From30To44 => "30-44",
            AgeBand::From45To59 => "45-59",
            AgeBand::From60To74 => "60-74",
            AgeBand::From75 => "75-plus",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under18 => "Under 18",
            AgeBand::From18To29 => "18–29",
            AgeBand::From30To44 => "30–44",
            AgeBand::From45To59 => "45–59",
            AgeBand::From60To74 => "60–74",
            AgeBand::From75 => "75 and over",
        }
    }

    /// The band with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// When symptoms began, in life stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnsetBand {
    /// Age 0 to 12.
    Childhood,
    /// Age 13 to 20.
    Adolescence,
    /// Age 21 to 39.
    EarlyAdult,
    /// Age 40 to 59.
    MidAdult,
    /// Age 60 and over.
    Later,
}

impl OnsetBand {
    /// Every band, earliest first.
    pub const ALL: [OnsetBand; 5] = [
        OnsetBand::Childhood,
        OnsetBand::Adolescence,
        OnsetBand::EarlyAdult,
        OnsetBand::MidAdult,
        OnsetBand::Later,
    ];

    /// The stable key: `childhood`, `adolescence`, `early-adult`, `mid-adult`, `later`.
    pub fn key(self) -> &'static str {
        match self {
            OnsetBand::Childhood => "childhood",
            OnsetBand::Adolescence => "adolescence",
            OnsetBand::EarlyAdult => "early-adult",
            OnsetBand::MidAdult => "mid-adult",
            OnsetBand::Later => "later",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            OnsetBand::Childhood => "Childhood (0–12)",
            OnsetBand::Adolescence => "Adolescence (13–20)",
            OnsetBand::EarlyAdult => "Early adulthood (21–39)",
            OnsetBand::MidAdult => "Mid adulthood (40–59)",
            OnsetBand::Later => "Later life (60 and over)",
        }
    }

    /// The band with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }

    /// Position in [`OnsetBand::ALL`]; bands whose ordinals differ by one are adjacent.
    pub fn ordinal(self) -> usize {
        match self {
            OnsetBand::Childhood => 0,
            OnsetBand::Adolescence => 1,
            OnsetBand::EarlyAdult => 2,
            OnsetBand::MidAdult => 3,
            OnsetBand::Later => 4,
        }
    }

    /// The band with this ordinal.
    pub fn from_ordinal(ordinal: usize) -> Option<Self> {
        Self::ALL.get(ordinal).copied()
    }
}

/// Sex, as the member chooses to state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Intersex.
    Intersex,
    /// Another answer.
    Other,
}

impl Sex {
    /// Every choice, in display order.
    pub const ALL: [Sex; 4] = [Sex::Female, Sex::Male, Sex::Intersex, Sex::Other];

    /// The stable key: `female`, `male`, `intersex`, `other`.
    pub fn key(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Intersex => "intersex",
            Sex::Other => "other",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::Intersex => "Intersex",
            Sex::Other => "Other",
        }
    }

    /// The choice with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// How a treatment went for the member who reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It helped.
    Helped,
    /// No noticeable change.
    NoChange,
    /// Things got worse.
    Worse,
}

impl Outcome {
    /// Every outcome, in display order.
    pub const ALL: [Outcome; 3] = [Outcome::Helped, Outcome::NoChange, Outcome::Worse];

    /// The stable key: `helped`, `no-change`, `worse`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Helped => "helped",
            Outcome::NoChange => "no-change",
            Outcome::Worse => "worse",
        }
    }

    /// A label for people: `Helped`, `No change`, `Worse`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Helped => "Helped",
            Outcome::NoChange => "No change",
            Outcome::Worse => "Worse",
        }
    }

    /// The outcome with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// One treatment a member can report. Vocabulary, not advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Treatment {
    /// The stable key, e.g. `botulinum-toxin`.
    pub key: &'static str,
    /// A label for people, e.g. `Botulinum toxin injections`.
    pub label: &'static str,
}

/// The key of the catch-all treatment, which says nothing about similarity.
pub const OTHER_TREATMENT: &str = "other";

/// The treatments a member can report: those named in the bundled Mayo Clinic dystonia article,
/// and [`OTHER_TREATMENT`]. This is a vocabulary for reports, not a recommendation.
pub const TREATMENTS: &[Treatment] = &[
    Treatment {
        key: "botulinum-toxin",
        label: "Botulinum toxin injections",
    },
    Treatment {
        key: "trihexyphenidyl",
        label: "Trihexyphenidyl",
    },
    Treatment {
        key: "benztropine",
        label: "Benztropine",
    },
    Treatment {
        key: "carbidopa-levodopa",
        label: "Carbidopa-levodopa",
    },
    Treatment {
        key: "baclofen",
        label: "Baclofen",
    },
    Treatment {
        key: "clonazepam",
        label: "Clonazepam",
    },
    Treatment {
        key: "diazepam",
        label: "Diazepam",
    },
    Treatment {
        key: "tetrabenazine",
        label: "Tetrabenazine",
    },
    Treatment {
        key: "deep-brain-stimulation",
        label: "Deep brain stimulation",
    },
    Treatment {
        key: "selective-denervation-surgery",
        label: "Selective denervation surgery",
    },
    Treatment {
        key: "physical-therapy",
        label: "Physical therapy",
    },
    Treatment {
        key: "occupational-therapy",
        label: "Occupational therapy",
    },
    Treatment {
        key: "speech-therapy",
        label: "Speech therapy",
    },
    Treatment {
        key: "stretching-or-massage",
        label: "Stretching or massage",
    },
    Treatment {
        key: OTHER_TREATMENT,
        label: "Other",
    },
];

/// The treatment with this key.
pub fn treatment(key: &str) -> Option<&'static Treatment> {
    TREATMENTS.iter().find(|t| t.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_from_key_and_serde() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize>(
            all: &[T],
            key: fn(T) -> &'static str,
            from_key: fn(&str) -> Option<T>,
        ) {
            for &value in all {
                assert_eq!(from_key(key(value)), Some(value));
                let json = serde_json::to_string(&value).unwrap_or_default();
                assert_eq!(json, format!("\"{}\"", key(value)));
            }
            assert_eq!(from_key("nonsense"), None);
        }
        check(&Visibility::ALL, Visibility::key, Visibility::from_key);
        check(&AgeBand::ALL, AgeBand::key, AgeBand::from_key);
        check(&OnsetBand::ALL, OnsetBand::key, OnsetBand::from_key);
        check(&Sex::ALL, Sex::key, Sex::from_key);
        check(&Outcome::ALL, Outcome::key, Outcome::from_key);
    }

    #[test]
    fn age_band_keys() {
        let keys: Vec<_> = AgeBand::ALL.iter().map(|b| b.key()).collect();
        assert_eq!(keys, ["under-18", "18-29", "30-44", "45-59", "60-74", "75-plus"]);
        assert_eq!(
            serde_json::from_str::<AgeBand>("\"75-plus\"").ok(),
            Some(AgeBand::From75)
        );
    }

    #[test]
    fn outcome_labels() {
        let labels: Vec<_> = Outcome::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(labels, ["Helped", "No change", "Worse"]);
    }

    #[test]
    fn onset_ordinals_follow_all() {
        for (i, band) in OnsetBand::ALL.into_iter().enumerate() {
            assert_eq!(band.ordinal(), i);
            assert_eq!(OnsetBand::from_ordinal(i), Some(band));
        }
        assert_eq!(OnsetBand::from_ordinal(5), None);
    }

    #[test]
    fn visibility_defaults_to_private() {
        assert_eq!(Visibility::default(), Visibility::Private);
        assert!(!Visibility::Private.is_shared());
        assert!(Visibility::Members.is_shared() && Visibility::Public.is_shared());
    }

    #[test]
    fn treatments_are_unique_slugs() {
        assert_eq!(TREATMENTS.len(), 15);
        let mut keys: Vec<_> = TREATMENTS.iter().map(|t| t.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TREATMENTS.len());
        for key in keys {
            assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{key}");
        }
        assert_eq!(
            treatment("botulinum-toxin").map(|t| t.label),
            Some("Botulinum toxin injections")
        );
        assert_eq!(treatment("Botulinum-toxin"), None);
    }
}
