//! The body distribution of the regions a member marked, named as the 2013 consensus
//! classification of dystonia names it (Albanese et al., "Phenomenology and classification of
//! dystonia: a consensus update", Mov Disord 2013;28:863-873, axis I, body distribution).
//!
//! This describes the marks; it never diagnoses. Every [`Distribution`] is shown with
//! [`CLINICIAN_NOTICE`].
//!
//! The rules, first match wins:
//!
//! 1. **Focal**: exactly one region.
//! 2. **Generalized**: the trunk and at least two other regions.
//! 3. **Hemidystonia**: at least two regions that have a side (arms and legs), all on the same
//!    side: in practice the arm and the leg of one side. Regions the tracker does not split by
//!    side (face, jaw, tongue, larynx, neck) neither count towards hemidystonia nor rule it
//!    out, because the tracker does not know which half of the face or neck is affected, and
//!    hemidystonia often includes the face on the same side. The trunk is also unsided, but the
//!    trunk with an arm and a leg is already generalized by rule 2.
//! 4. **Segmental**: two or more regions that form one connected group in the adjacency graph of
//!    [`crate::region::ADJACENT_PAIRS`] (each region reaches every other through marked regions
//!    that touch).
//! 5. **Multifocal**: two or more regions that are not all connected.

use serde::{Deserialize, Serialize};

use crate::region::{Region, Side, adjacent};

/// Shown with every distribution: what it is and what it is not.
pub const CLINICIAN_NOTICE: &str = "This name only describes the body regions you marked in your \
diary; it is not a diagnosis, and what your dystonia is called and means for you is for your \
clinician to decide.";

/// The body-distribution classes of the 2013 consensus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DistributionClass {
    /// One region.
    Focal,
    /// Two or more contiguous regions.
    Segmental,
    /// Two or more regions that are not all contiguous.
    Multifocal,
    /// The trunk and at least two other regions.
    Generalized,
    /// Several regions restricted to one side of the body.
    Hemidystonia,
}

impl DistributionClass {
    /// Every class.
    pub const ALL: [DistributionClass; 5] = [
        DistributionClass::Focal,
        DistributionClass::Segmental,
        DistributionClass::Multifocal,
        DistributionClass::Generalized,
        DistributionClass::Hemidystonia,
    ];

    /// The stable key, e.g. `segmental`.
    pub fn key(self) -> &'static str {
        match self {
            DistributionClass::Focal => "focal",
            DistributionClass::Segmental => "segmental",
            DistributionClass::Multifocal => "multifocal",
            DistributionClass::Generalized => "generalized",
            DistributionClass::Hemidystonia => "hemidystonia",
        }
    }

    /// The name shown to people, e.g. `Segmental`.
    pub fn label(self) -> &'static str {
        match self {
            DistributionClass::Focal => "Focal",
            DistributionClass::Segmental => "Segmental",
            DistributionClass::Multifocal => "Multifocal",
            DistributionClass::Generalized => "Generalized",
            DistributionClass::Hemidystonia => "Hemidystonia",
        }
    }
}

/// The class of a set of marked regions, with the regions and a plain-words reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// The class.
    pub class: DistributionClass,
    /// The regions classified: each once, head to foot (the order of [`Region::ALL`]).
    pub regions: Vec<Region>,
    /// Which rule matched, in plain words, ending with the class's name.
    pub explanation: String,
}

/// Classifies the marked regions; `None` when none are marked. Repeated regions count once.
pub fn classify(marked: &[Region]) -> Option<Distribution> {
    let regions: Vec<Region> = Region::ALL
        .into_iter()
        .filter(|region| marked.contains(region))
        .collect();
    let (class, reason) = match regions.as_slice() {
        [] => return None,
        [only] => (
            DistributionClass::Focal,
            format!("One region: {}.", lower(only.label())),
        ),
        _ if regions.contains(&Region::Trunk) && regions.len() >= 3 => (
            DistributionClass::Generalized,
            format!("The trunk and at least two other regions: {}.", list(&regions)),
        ),
        _ => match one_side(&regions) {
            Some(side) => (DistributionClass::Hemidystonia, hemi_reason(side, &regions)),
            None if connected(&regions) => (
                DistributionClass::Segmental,
                format!("Two or more regions that touch each other: {}.", list(&regions)),
            ),
            None => (
                DistributionClass::Multifocal,
                format!(
                    "Two or more regions that do not all touch each other: {}.",
                    list(&regions)
                ),
            ),
        },
    };
    let explanation = format!("{reason} This pattern is called {}.", lower(class.label()));
    Some(Distribution {
        class,
        regions,
        explanation,
    })
}

/// The side all sided regions are on, when there are at least two of them and they agree.
fn one_side(regions: &[Region]) -> Option<Side> {
    let mut sided = regions
        .iter()
        .map(|region| region.side())
        .filter(|&side| side != Side::Midline);
    let first = sided.next()?;
    let mut n_sided = 1;
    for side in sided {
        if side != first {
            return None;
        }
        n_sided += 1;
    }
    (n_sided >= 2).then_some(first)
}

fn hemi_reason(side: Side, regions: &[Region]) -> String {
    let side_word = match side {
        Side::Left => "left",
        Side::Right => "right",
        Side::Midline => "middle",
    };
    let (sided, unsided): (Vec<Region>, Vec<Region>) =
        regions.iter().partition(|region| region.side() != Side::Midline);
    let mut reason = format!(
        "Two or more regions on the {side_word} side of the body only: {}.",
        list(&sided)
    );
    if !unsided.is_empty() {
        reason.push_str(&format!(
            " Also marked, and not split by side in the tracker: {}.",
            list(&unsided)
        ));
    }
    reason
}

/// Whether the regions form one connected group of touching regions.
fn connected(regions: &[Region]) -> bool {
    let Some(&start) = regions.first() else {
        return false;
    };
    let mut reached = vec![start];
    let mut frontier = vec![start];
    while let Some(region) = frontier.pop() {
        for &other in regions {
            if !reached.contains(&other) && adjacent(region, other) {
                reached.push(other);
                frontier.push(other);
            }
        }
    }
    reached.len() == regions.len()
}

/// `neck, left arm and trunk`.
fn list(regions: &[Region]) -> String {
    let names: Vec<String> = regions.iter().map(|r| lower(r.label())).collect();
    match names.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn lower(label: &str) -> String {
    label.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_reads_as_a_sentence() {
        let d = classify(&[Region::RightArm, Region::Neck]);
        assert_eq!(
            d.map(|d| d.explanation),
            Some(
                "Two or more regions that touch each other: neck and right arm. \
                 This pattern is called segmental."
                    .to_owned()
            )
        );
    }

    #[test]
    fn list_joins_with_and() {
        assert_eq!(
            list(&[Region::Neck, Region::LeftArm, Region::Trunk]),
            "neck, left arm and trunk"
        );
    }

    #[test]
    fn keys_match_serde() {
        for class in DistributionClass::ALL {
            assert_eq!(
                serde_json::to_value(class).ok(),
                Some(serde_json::Value::from(class.key()))
            );
        }
    }
}
