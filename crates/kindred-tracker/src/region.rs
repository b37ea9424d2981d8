//! Body regions a member can mark, their sides, and which regions touch each other.
//!
//! The regions are those the 2013 consensus classification of dystonia counts (Albanese et al.,
//! Mov Disord 2013;28:863-873), with the head split into the four cranial regions clinicians
//! name separately (upper face, lower face, jaw, tongue) and each limb split by side.
//!
//! [`ADJACENT_PAIRS`] is the one place that says which regions are *contiguous*, which decides
//! segmental against multifocal in [`crate::distribution`]. It is written out pair by pair so a
//! reviewer can check every decision against the consensus paper:
//!
//! - **The cranial segment** (upper face, lower face, jaw, tongue) counts as one segment: any two
//!   of them are contiguous. The consensus names "cranial dystonia (blepharospasm with lower
//!   facial and jaw or tongue involvement)" as its first example of segmental dystonia, and
//!   blepharospasm with jaw involvement (Meige syndrome) is called segmental even though the
//!   lower face lies between the eyes and the jaw.
//! - **The larynx** touches the jaw and the tongue (through the floor of the mouth, the tongue
//!   base and the muscles that hang the larynx from the jaw) and the neck, in which it sits. It
//!   does not touch the upper or lower face: eyelids with voice alone are not contiguous.
//! - **The neck** touches the jaw, the larynx, both arms (shoulders) and the trunk. It does not
//!   touch the face or tongue directly; they reach the neck through the jaw.
//! - **The arms** touch each other: the consensus names bibrachial dystonia (both arms) as
//!   segmental, the upper limbs sharing one segment across the shoulders.
//! - **The legs** touch each other and the trunk: both legs together are the crural segment,
//!   contiguous through the pelvis. An arm never touches a leg.

use serde::{Deserialize, Serialize};

use crate::Error;

/// A body region a member can mark in the diary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// Eyes, eyelids and forehead (blepharospasm).
    UpperFace,
    /// Cheeks, mouth and lips.
    LowerFace,
    /// Jaw opening, closing or shifting.
    Jaw,
    /// Tongue.
    Tongue,
    /// Voice box (spasmodic dysphonia).
    Larynx,
    /// Neck (cervical dystonia).
    Neck,
    /// Left arm, hand and shoulder.
    LeftArm,
    /// Right arm, hand and shoulder.
    RightArm,
    /// Chest, back, abdomen and pelvis.
    Trunk,
    /// Left leg and foot.
    LeftLeg,
    /// Right leg and foot.
    RightLeg,
}

/// Which side of the body a region belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The left arm or leg.
    Left,
    /// The right arm or leg.
    Right,
    /// Regions the tracker does not split by side: face, jaw, tongue, larynx, neck, trunk.
    Midline,
}

impl Region {
    /// Every region, head to foot. This is also the order regions are listed in everywhere.
    pub const ALL: [Region; 11] = [
        Region::UpperFace,
        Region::LowerFace,
        Region::Jaw,
        Region::Tongue,
        Region::Larynx,
        Region::Neck,
        Region::LeftArm,
        Region::RightArm,
        Region::Trunk,
        Region::LeftLeg,
        Region::RightLeg,
    ];

    /// The stable key used in URLs, forms, serde and FHIR codes, e.g. `left-arm`.
    pub fn key(self) -> &'static str {
        match self {
            Region::UpperFace => "upper-face",
            Region::LowerFace => "lower-face",
            Region::Jaw => "jaw",
            Region::Tongue => "tongue",
            Region::Larynx => "larynx",
            Region::Neck => "neck",
            Region::LeftArm => "left-arm",
            Region::RightArm => "right-arm",
            Region::Trunk => "trunk",
            Region::LeftLeg => "left-leg",
            Region::RightLeg => "right-leg",
        }
    }

    /// The name shown to people, e.g. `Left arm`.
    pub fn label(self) -> &'static str {
        match self {
            Region::UpperFace => "Upper face",
            Region::LowerFace => "Lower face",
            Region::Jaw => "Jaw",
            Region::Tongue => "Tongue",
            Region::Larynx => "Larynx (voice)",
            Region::Neck => "Neck",
            Region::LeftArm => "Left arm",
            Region::RightArm => "Right arm",
            Region::Trunk => "Trunk",
            Region::LeftLeg => "Left leg",
            Region::RightLeg => "Right leg",
        }
    }

    /// The region whose [`key`](Region::key) is `key`.
    pub fn from_key(key: &str) -> Result<Region, Error> {
        Region::ALL
            .into_iter()
            .find(|region| region.key() == key)
            .ok_or_else(|| Error::UnknownRegion {
                field: "region",
                key: key.to_owned(),
            })
    }

    /// The side of the body the region is on.
    pub fn side(self) -> Side {
        match self {
            Region::LeftArm | Region::LeftLeg => Side::Left,
            Region::RightArm | Region::RightLeg => Side::Right,
            Region::UpperFace
            | Region::LowerFace
            | Region::Jaw
            | Region::Tongue
            | Region::Larynx
            | Region::Neck
            | Region::Trunk => Side::Midline,
        }
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Every pair of contiguous regions, each pair once. The module documentation gives the reasons.
pub const ADJACENT_PAIRS: [(Region, Region); 19] = [
    // The cranial segment: any two of its four regions.
    (Region::UpperFace, Region::LowerFace),
    (Region::UpperFace, Region::Jaw),
    (Region::UpperFace, Region::Tongue),
    (Region::LowerFace, Region::Jaw),
    (Region::LowerFace, Region::Tongue),
    (Region::Jaw, Region::Tongue),
    // The larynx, between the mouth and the neck.
    (Region::Jaw, Region::Larynx),
    (Region::Tongue, Region::Larynx),
    (Region::Larynx, Region::Neck),
    // The neck.
    (Region::Jaw, Region::Neck),
    (Region::Neck, Region::LeftArm),
    (Region::Neck, Region::RightArm),
    (Region::Neck, Region::Trunk),
    // The arms: bibrachial is one segment.
    (Region::LeftArm, Region::RightArm),
    (Region::LeftArm, Region::Trunk),
    (Region::RightArm, Region::Trunk),
    // The trunk and the legs: both legs are one segment through the pelvis.
    (Region::Trunk, Region::LeftLeg),
    (Region::Trunk, Region::RightLeg),
    (Region::LeftLeg, Region::RightLeg),
];

/// Whether two different regions are contiguous. Symmetric; a region is not adjacent to itself.
pub fn adjacent(a: Region, b: Region) -> bool {
    a != b
        && ADJACENT_PAIRS
            .iter()
            .any(|&(x, y)| (x, y) == (a, b) || (x, y) == (b, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_labels_and_serde_agree() {
        for region in Region::ALL {
            assert_eq!(Region::from_key(region.key()), Ok(region));
            assert_eq!(
                serde_json::to_value(region).ok(),
                Some(serde_json::Value::from(region.key()))
            );
            assert!(!region.label().is_empty());
        }
        assert_eq!(Region::LeftArm.key(), "left-arm");
        assert_eq!(Region::UpperFace.label(), "Upper face");
        assert_eq!(
            Region::from_key("left-elbow"),
            Err(Error::UnknownRegion {
                field: "region",
                key: "left-elbow".into()
            })
        );
    }

    #[test]
    fn sides() {
        let left: Vec<Region> = Region::ALL
            .into_iter()
            .filter(|r| r.side() == Side::Left)
            .collect();
        let right: Vec<Region> = Region::ALL
            .into_iter()
            .filter(|r| r.side() == Side::Right)
            .collect();
        assert_eq!(left, [Region::LeftArm, Region::LeftLeg]);
        assert_eq!(right, [Region::RightArm, Region::RightLeg]);
        assert_eq!(Region::Trunk.side(), Side::Midline);
    }

    #[test]
    fn adjacency_is_symmetric_irreflexive_and_listed_once() {
        for a in Region::ALL {
            assert!(!adjacent(a, a), "{a:?} adjacent to itself");
            for b in Region::ALL {
                assert_eq!(adjacent(a, b), adjacent(b, a), "{a:?} {b:?}");
            }
        }
        for (i, &(a, b)) in ADJACENT_PAIRS.iter().enumerate() {
            assert_ne!(a, b);
            for &(c, d) in &ADJACENT_PAIRS[i + 1..] {
                assert!((a, b) != (c, d) && (a, b) != (d, c), "{a:?}-{b:?} listed twice");
            }
        }
    }

    #[test]
    fn every_region_touches_something() {
        for a in Region::ALL {
            assert!(Region::ALL.into_iter().any(|b| adjacent(a, b)), "{a:?}");
        }
    }
}
