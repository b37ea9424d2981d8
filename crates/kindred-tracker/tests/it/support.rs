//! Datasets shared by the integration tests: a few written by hand and many generated from a
//! seed. All are made up; none is real patient data.

use kindred_tracker::{
    DueSettings, Entry, Injection, Medicine, MuscleDose, Product, Region, Severity, TrackedCondition,
    TrackerData, Trigger,
};
use time::{Date, Duration, macros::date};

/// The "today" every dataset is valid for.
pub const TODAY: Date = date!(2024 - 06 - 30);

pub fn severity(value: u8) -> Severity {
    Severity::new(value).unwrap()
}

pub fn entry(date: Date, severities: &[(Region, u8)], triggers: &[Trigger], note: &str) -> Entry {
    Entry {
        date,
        severities: severities.iter().map(|&(r, s)| (r, severity(s))).collect(),
        triggers: triggers.to_vec(),
        note: note.into(),
    }
}

pub fn dose(muscle: &str, units: Option<f64>) -> MuscleDose {
    MuscleDose {
        muscle: muscle.into(),
        units,
    }
}

/// A member with nothing recorded yet.
pub fn empty() -> TrackerData {
    TrackerData {
        member_handle: "quiet-otter".into(),
        conditions: vec![],
        entries: vec![],
        injections: vec![],
        medicines: vec![],
        due: DueSettings::default(),
        family_history: String::new(),
        questions: vec![],
    }
}

/// A member with cervical dystonia spreading to the right arm, two injection cycles and two
/// medicines.
pub fn typical() -> TrackerData {
    TrackerData {
        member_handle: "calm-heron".into(),
        conditions: vec![TrackedCondition {
            name: "Cervical dystonia".into(),
            catalog_slug: "cervical-dystonia".into(),
            icd10cm: Some("G24.3".into()),
        }],
        entries: vec![
            entry(
                date!(2024 - 03 - 01),
                &[(Region::Neck, 7)],
                &[Trigger::Stress],
                "Head pulling to the left all day.",
            ),
            entry(
                date!(2024 - 03 - 20),
                &[(Region::Neck, 4), (Region::RightArm, 2)],
                &[Trigger::Fatigue, Trigger::Stress],
                "",
            ),
            entry(
                date!(2024 - 05 - 02),
                &[(Region::Neck, 6), (Region::RightArm, 3)],
                &[Trigger::Activity],
                "Writing made the arm tremble.",
            ),
            entry(date!(2024 - 06 - 10), &[(Region::Neck, 3)], &[], ""),
        ],
        injections: vec![
            Injection {
                date: date!(2024 - 03 - 05),
                product: Product::OnabotulinumtoxinA,
                muscles: vec![
                    dose("Left splenius capitis", Some(50.0)),
                    dose("Right sternocleidomastoid", Some(25.0)),
                ],
                side_effects: vec!["Mild neck weakness".into()],
                note: "First time with this clinic.".into(),
            },
            Injection {
                date: date!(2024 - 06 - 04),
                product: Product::OnabotulinumtoxinA,
                muscles: vec![dose("Left splenius capitis", Some(60.0))],
                side_effects: vec![],
                note: String::new(),
            },
        ],
        medicines: vec![
            Medicine {
                name: "Trihexyphenidyl".into(),
                dose_as_prescribed: "2 mg three times a day".into(),
                started: Some(date!(2023 - 09 - 01)),
                stopped: Some(date!(2024 - 01 - 15)),
                side_effects: vec!["Dry mouth".into(), "Blurred vision".into()],
            },
            Medicine {
                name: "Clonazepam".into(),
                dose_as_prescribed: "0.5 mg at night".into(),
                started: Some(date!(2024 - 02 - 01)),
                stopped: None,
                side_effects: vec![],
            },
        ],
        due: DueSettings {
            min_weeks: 12,
            max_weeks: 14,
        },
        family_history: "My aunt had writer's cramp.".into(),
        questions: vec![
            "Could physiotherapy help my neck?".into(),
            "Is the arm tremor part of the dystonia?".into(),
        ],
    }
}

/// Awkward text and shapes: markup, quotes, newlines, non-Latin scripts, formula-like text,
/// fractional units, unknown units and dates, same-day entries, every region and trigger.
pub fn awkward() -> TrackerData {
    TrackerData {
        member_handle: "Zoë_O'Brien-42".into(),
        conditions: vec![
            TrackedCondition {
                name: "Blepharospasm".into(),
                catalog_slug: String::new(),
                icd10cm: Some("G24.5".into()),
            },
            TrackedCondition {
                name: "Dystonie <cervicale> & \"torticolis\"".into(),
                catalog_slug: "dystonie-cervicale".into(),
                icd10cm: None,
            },
            TrackedCondition {
                name: "Something not coded".into(),
                catalog_slug: "x".into(),
                icd10cm: Some("Z99.9".into()),
            },
        ],
        entries: vec![
            entry(
                date!(1900 - 01 - 01),
                &Region::ALL.map(|r| (r, 10)),
                &Trigger::ALL,
                "=SUM(A1:A9)\nline two\t\"quoted\" <b>bold</b> & more",
            ),
            entry(
                date!(2024 - 02 - 29),
                &[(Region::Larynx, 0)],
                &[],
                "声が出にくい 🙂",
            ),
            entry(
                date!(2024 - 02 - 29),
                &[(Region::RightLeg, 5), (Region::UpperFace, 1)],
                &[Trigger::Other],
                "Second entry the same day.",
            ),
            entry(
                date!(2024 - 06 - 30),
                &[(Region::Tongue, 2)],
                &[],
                &"ü".repeat(2000),
            ),
        ],
        injections: vec![
            Injection {
                date: date!(2024 - 06 - 30),
                product: Product::Other,
                muscles: vec![],
                side_effects: vec![],
                note: "Product name: something new; muscles not told.".into(),
            },
            Injection {
                date: date!(2020 - 12 - 31),
                product: Product::RimabotulinumtoxinB,
                muscles: vec![
                    dose("Orbicularis oculi, pretarsal", Some(2.5)),
                    dose("Orbicularis oculi, pretarsal", Some(0.1)),
                    dose("Procerus", None),
                    dose("-Frontalis", Some(0.0)),
                    dose("Corrugator", Some(1234.5678)),
                ],
                side_effects: vec!["Droopy eyelid (ptosis)".into(), "Dry eye".into()],
                note: String::new(),
            },
        ],
        medicines: vec![Medicine {
            name: "@Baclofen".into(),
            dose_as_prescribed: String::new(),
            started: None,
            stopped: None,
            side_effects: vec!["Sleepy; \"foggy\"".into()],
        }],
        due: DueSettings {
            min_weeks: 1,
            max_weeks: 52,
        },
        family_history: "Mother: tremor?\nGrandfather: \"wry neck\".".into(),
        questions: vec!["<script>alert(1)</script>?".into()],
    }
}

/// A small deterministic generator (xorshift64*), so "random" datasets are the same every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    fn date(&mut self) -> Date {
        TODAY - Duration::days(self.below(3000) as i64)
    }

    fn text(&mut self, max_words: u64) -> String {
        const WORDS: [&str; 12] = [
            "neck",
            "pulling",
            "tremor",
            "better",
            "worse",
            "après",
            "réveil",
            "\"quoted\"",
            "a,b",
            "line\nbreak",
            "<tag>",
            "&",
        ];
        let n = self.below(max_words + 1);
        (0..n)
            .map(|_| WORDS[self.below(WORDS.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn nonempty_text(&mut self) -> String {
        let text = self.text(4);
        if text.trim().is_empty() {
            "something".into()
        } else {
            text
        }
    }

    fn subset<T: Copy>(&mut self, all: &[T], at_least_one: bool) -> Vec<T> {
        loop {
            let picked: Vec<T> = all.iter().copied().filter(|_| self.chance(3)).collect();
            if !at_least_one || !picked.is_empty() {
                return picked;
            }
        }
    }
}

/// A valid dataset made from `seed`.
pub fn generated(seed: u64) -> TrackerData {
    let mut rng = Rng::new(seed);
    let conditions = (0..rng.below(3))
        .map(|i| TrackedCondition {
            name: format!("Condition {i} {}", rng.nonempty_text()),
            catalog_slug: if rng.chance(3) {
                String::new()
            } else {
                format!("condition-{i}")
            },
            icd10cm: (!rng.chance(3)).then(|| "G24.9".to_owned()),
        })
        .collect();
    let entries = (0..rng.below(12))
        .map(|_| {
            let regions = rng.subset(&Region::ALL, true);
            Entry {
                date: rng.date(),
                severities: regions
                    .into_iter()
                    .map(|r| (r, severity(rng.below(11) as u8)))
                    .collect(),
                triggers: rng.subset(&Trigger::ALL, false),
                note: rng.text(6),
            }
        })
        .collect();
    let injections = (0..rng.below(5))
        .map(|_| Injection {
            date: rng.date(),
            product: Product::ALL[rng.below(5) as usize],
            muscles: (0..rng.below(4))
                .map(|_| MuscleDose {
                    muscle: rng.nonempty_text(),
                    units: match rng.below(3) {
                        0 => None,
                        1 => Some(rng.below(400) as f64),
                        _ => Some(rng.below(4000) as f64 / 8.0),
                    },
                })
                .collect(),
            side_effects: (0..rng.below(3)).map(|_| rng.nonempty_text()).collect(),
            note: rng.text(5),
        })
        .collect();
    let medicines = (0..rng.below(4))
        .map(|_| {
            let started = (!rng.chance(3)).then(|| rng.date());
            let stopped = match started {
                Some(start) if rng.chance(2) => {
                    Some((start + Duration::days(rng.below(400) as i64)).min(TODAY))
                }
                None if rng.chance(3) => Some(rng.date()),
                _ => None,
            };
            Medicine {
                name: rng.nonempty_text(),
                dose_as_prescribed: rng.text(5),
                started,
                stopped,
                side_effects: (0..rng.below(3)).map(|_| rng.nonempty_text()).collect(),
            }
        })
        .collect();
    let min_weeks = 1 + rng.below(52) as u8;
    let max_weeks = min_weeks + rng.below(u64::from(53 - min_weeks)) as u8;
    TrackerData {
        member_handle: format!("member-{seed}"),
        conditions,
        entries,
        injections,
        medicines,
        due: DueSettings { min_weeks, max_weeks },
        family_history: rng.text(8),
        questions: (0..rng.below(3)).map(|_| rng.nonempty_text()).collect(),
    }
}

/// The hand-written datasets and 40 generated ones.
pub fn all_datasets() -> Vec<(String, TrackerData)> {
    let mut datasets = vec![
        ("empty".to_owned(), empty()),
        ("typical".to_owned(), typical()),
        ("awkward".to_owned(), awkward()),
    ];
    datasets.extend((0..40).map(|seed| (format!("generated {seed}"), generated(seed))));
    datasets
}
