//! Synthetic members for benchmarks, demos and tests: never real patient data.
//!
//! Every synthetic member's handle starts with [`SYNTHETIC_HANDLE_PREFIX`], so synthetic data is
//! recognisable wherever it ends up. Generation is deterministic: the same `(index, seed, catalog)`
//! always gives the same member, on every platform (a SplitMix64 stream per member, no float
//! sampling that depends on the platform's maths library).

use crate::profile::{ConditionChoice, Field, Profile, TreatmentReport};
use crate::vocab::{AgeBand, OnsetBand, Outcome, Sex, TREATMENTS, Visibility};

/// The start of every synthetic member's handle.
pub const SYNTHETIC_HANDLE_PREFIX: &str = "synthetic-";

/// The body-region keys profiles use.
pub const BODY_REGIONS: [&str; 11] = [
    "upper-face",
    "lower-face",
    "jaw",
    "tongue",
    "larynx",
    "neck",
    "left-arm",
    "right-arm",
    "trunk",
    "left-leg",
    "right-leg",
];

/// Subtypes of dystonia used by [`SyntheticCatalog::with_dystonia`].
pub const DYSTONIA_SUBTYPES: [&str; 5] = [
    "cervical-dystonia",
    "blepharospasm",
    "focal-hand-dystonia",
    "spasmodic-dysphonia",
    "generalized-dystonia",
];

/// Conditions to draw from, most popular first: popularity falls off like Zipf's law.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyntheticCatalog {
    /// Condition slug and its subtype slugs.
    pub conditions: Vec<(String, Vec<String>)>,
}

impl SyntheticCatalog {
    /// `dystonia` (with [`DYSTONIA_SUBTYPES`]) first, then synthetic conditions
    /// `synthetic-condition-001`, … up to `n_conditions` in all; every tenth has two subtypes.
    pub fn with_dystonia(n_conditions: usize) -> Self {
        let mut conditions = vec![(
            "dystonia".to_string(),
            DYSTONIA_SUBTYPES.iter().map(|s| s.to_string()).collect(),
        )];
        for i in 1..n_conditions {
            let slug = format!("synthetic-condition-{i:03}");
            let subtypes = if i % 10 == 0 {
                vec![format!("{slug}-type-a"), format!("{slug}-type-b")]
            } else {
                Vec::new()
            };
            conditions.push((slug, subtypes));
        }
        SyntheticCatalog { conditions }
    }
}

/// A generated member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyntheticMember {
    /// `synthetic-` and the index, seven digits or more, e.g. `synthetic-0000042`.
    pub handle: String,
    /// A profile that passes [`Profile::validate`].
    pub profile: Profile,
}

/// Members `0..n`, deterministic for `seed` and `catalog`.
pub fn members(
    n: usize,
    seed: u64,
    catalog: &SyntheticCatalog,
) -> impl Iterator<Item = SyntheticMember> + '_ {
    let generator = Generator::new(catalog);
    (0..n).map(move |index| generator.member(index, seed))
}

/// Member `index` of [`members`], without generating the ones before it.
pub fn member(index: usize, seed: u64, catalog: &SyntheticCatalog) -> SyntheticMember {
    Generator::new(catalog).member(index, seed)
}

/// Share of members whose first condition is the catalog's first, in per mille.
const FIRST_CONDITION_PER_MILLE: u64 = 600;

const REGION_WEIGHTS: [u64; 11] = [8, 5, 6, 3, 6, 25, 10, 12, 8, 6, 6];
/// Weights in [`TREATMENTS`] order.
const TREATMENT_WEIGHTS: [u64; 15] = [30, 8, 5, 5, 8, 6, 5, 3, 4, 2, 20, 8, 5, 12, 3];
const SIDE_EFFECTS: [&str; 6] = [
    "dry mouth",
    "drowsiness",
    "tiredness",
    "weakness near the injection",
    "blurred vision",
    "dizziness",
];

struct Generator<'a> {
    catalog: &'a SyntheticCatalog,
    /// Zipf weights 1/(rank+1), scaled to integers, as a cumulative table.
    cumulative_popularity: Vec<u64>,
}

impl<'a> Generator<'a> {
    fn new(catalog: &'a SyntheticCatalog) -> Self {
        let mut total = 0;
        let cumulative_popularity = (0..catalog.conditions.len() as u64)
            .map(|rank| {
                total += 1_000_000 / (rank + 1);
                total
            })
            .collect();
        Generator {
            catalog,
            cumulative_popularity,
        }
    }

    fn member(&self, index: usize, seed: u64) -> SyntheticMember {
        let mut rng = SplitMix64::new(seed ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let profile = Profile {
            conditions: Field::new(self.conditions(&mut rng), visibility(&mut rng)),
            regions: Field::new(regions(&mut rng), visibility(&mut rng)),
            age_band: Field::new(
                rng.chance(900)
                    .then(|| AgeBand::ALL[rng.below(AgeBand::ALL.len())]),
                visibility(&mut rng),
            ),
            onset_band: Field::new(
                rng.chance(850)
                    .then(|| OnsetBand::ALL[rng.weighted(&[10, 15, 40, 25, 10])]),
                visibility(&mut rng),
            ),
            sex: Field::new(
                rng.chance(800).then(|| Sex::ALL[rng.weighted(&[55, 42, 1, 2])]),
                visibility(&mut rng),
            ),
            treatments: Field::new(treatments(&mut rng), visibility(&mut rng)),
            medicines: Field::new(
                (0..rng.weighted(&[60, 30, 10]))
                    .map(|i| format!("synthetic medicine {}", rng.below(20) * 3 + i))
                    .collect(),
                visibility(&mut rng),
            ),
            about: Field::new(
                if rng.chance(400) {
                    format!(
                        "Synthetic member {index}: generated test data, not a real person.\nNothing here is medical advice."
                    )
                } else {
                    String::new()
                },
                visibility(&mut rng),
            ),
            open_to_matching: rng.chance(800),
        };
        SyntheticMember {
            handle: format!("{SYNTHETIC_HANDLE_PREFIX}{index:07}"),
            profile,
        }
    }

    fn conditions(&self, rng: &mut SplitMix64) -> Vec<ConditionChoice> {
        let n_conditions = self.catalog.conditions.len();
        if n_conditions == 0 {
            return Vec::new();
        }
        let mut picked: Vec<usize> = Vec::new();
        let first = if rng.chance(FIRST_CONDITION_PER_MILLE) || n_conditions == 1 {
            0
        } else {
            // Zipf over the others: draw until it is not the first.
            loop {
                let rank = self.popular(rng);
                if rank != 0 {
                    break rank;
                }
            }
        };
        picked.push(first);
        for _ in 0..rng.weighted(&[70, 22, 8]) {
            let rank = self.popular(rng);
            if !picked.contains(&rank) {
                picked.push(rank);
            }
        }
        let mut choices = Vec::new();
        for rank in picked {
            let (slug, subtypes) = &self.catalog.conditions[rank];
            let n_subtypes = if subtypes.is_empty() {
                0
            } else {
                rng.weighted(&[45, 40, 15]).min(subtypes.len())
            };
            if n_subtypes == 0 {
                choices.push(ConditionChoice {
                    condition: slug.clone(),
                    subtype: None,
                });
            }
            let mut chosen: Vec<usize> = Vec::new();
            while chosen.len() < n_subtypes {
                let subtype = rng.below(subtypes.len());
                if !chosen.contains(&subtype) {
                    chosen.push(subtype);
                    choices.push(ConditionChoice {
                        condition: slug.clone(),
                        subtype: Some(subtypes[subtype].clone()),
                    });
                }
            }
        }
        choices
    }

    fn popular(&self, rng: &mut SplitMix64) -> usize {
        let total = self.cumulative_popularity.last().copied().unwrap_or(1);
        let target = rng.below_u64(total);
        self.cumulative_popularity.partition_point(|&c| c <= target)
    }
}

fn visibility(rng: &mut SplitMix64) -> Visibility {
    [Visibility::Members, Visibility::Public, Visibility::Private][rng.weighted(&[70, 15, 15])]
}

fn regions(rng: &mut SplitMix64) -> Vec<String> {
    let n_regions = 1 + rng.weighted(&[40, 30, 20, 10]);
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < n_regions {
        let region = rng.weighted(&REGION_WEIGHTS);
        if !chosen.contains(&region) {
            chosen.push(region);
        }
    }
    chosen.into_iter().map(|r| BODY_REGIONS[r].to_string()).collect()
}

fn treatments(rng: &mut SplitMix64) -> Vec<TreatmentReport> {
    let n_treatments = rng.weighted(&[20, 30, 25, 15, 10]);
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < n_treatments {
        let treatment = rng.weighted(&TREATMENT_WEIGHTS);
        if !chosen.contains(&treatment) {
            chosen.push(treatment);
        }
    }
    chosen
        .into_iter()
        .map(|t| TreatmentReport {
            treatment: TREATMENTS[t].key.to_string(),
            outcome: rng.chance(850).then(|| Outcome::ALL[rng.weighted(&[50, 30, 20])]),
            side_effects: if rng.chance(250) {
                let first = rng.below(SIDE_EFFECTS.len());
                let mut effects = vec![SIDE_EFFECTS[first].to_string()];
                let second = rng.below(SIDE_EFFECTS.len());
                if second != first && rng.chance(300) {
                    effects.push(SIDE_EFFECTS[second].to_string());
                }
                effects
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast and good enough for test data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift.
    fn below_u64(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn below(&mut self, n: usize) -> usize {
        self.below_u64(n as u64) as usize
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below_u64(1000) < per_mille
    }

    /// An index drawn in proportion to `weights` (not all zero).
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut target = self.below_u64(total.max(1));
        for (i, &weight) in weights.iter().enumerate() {
            if target < weight {
                return i;
            }
            target -= weight;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // First outputs for seed 1234567 from the reference implementation.
        let mut rng = SplitMix64(1234567);
        assert_eq!(rng.next(), 6457827717110365317);
        assert_eq!(rng.next(), 3203168211198807973);
    }

    #[test]
    fn weighted_never_picks_zero_weight() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..1000 {
            assert_eq!(rng.weighted(&[0, 5, 0]), 1);
        }
    }

    #[test]
    fn popularity_favours_low_ranks() {
        let catalog = SyntheticCatalog::with_dystonia(300);
        let generator = Generator::new(&catalog);
        let mut rng = SplitMix64::new(1);
        let mut counts = vec![0u32; 300];
        for _ in 0..30_000 {
            counts[generator.popular(&mut rng)] += 1;
        }
        assert!(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[200]);
    }
}
