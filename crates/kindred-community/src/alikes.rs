//! Alikes: members whose shared profiles resemble the querying member's, with the reasons why.
//!
//! A member's *features* are keys: conditions, subtypes, body regions, treatments (by key only,
//! never outcomes or side effects), onset band and age band. [`AlikeIndex`] keeps one posting list
//! of member slots per feature and scores a query by walking only the lists of the query's
//! features, so the cost follows how many members share something with the query, not how many
//! members there are.
//!
//! Each shared feature adds `kind weight × (ln((N + 1) / (df + 1)) + IDF_FLOOR)`, where `N` is the
//! number of members in the index and `df` the number with the feature: a rare shared condition
//! says far more than a shared age band. An onset band next to the query's counts half.
//!
//! Privacy: the index is fed [`AlikeFeatures::shared`], which takes only fields the member shows
//! to other members, and nothing at all from a member who is not open to matching. A private
//! field therefore can never make a match nor appear as a [`Reason`].

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::profile::{Field, Profile};
use crate::vocab::{AgeBand, OTHER_TREATMENT, OnsetBand, Visibility};

/// Most score buffers kept for reuse (one per concurrent query; 4 MB each at a million members).
const MAX_POOLED_SCRATCH: usize = 8;

/// Added to every feature's idf so that a feature every member has still counts a little.
pub const IDF_FLOOR: f64 = 0.1;

/// The features of one member that matching compares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlikeFeatures {
    /// Condition slugs.
    pub conditions: Vec<String>,
    /// Subtype slugs.
    pub subtypes: Vec<String>,
    /// Body-region keys.
    pub regions: Vec<String>,
    /// Treatment keys.
    pub treatments: Vec<String>,
    /// Onset band.
    pub onset_band: Option<OnsetBand>,
    /// Age band.
    pub age_band: Option<AgeBand>,
}

impl AlikeFeatures {
    /// What a member puts into the index: only fields shown to members (or everyone), and nothing
    /// unless the member is open to matching. Treatments count by key; `other` says nothing about
    /// similarity and is left out.
    pub fn shared(profile: &Profile) -> Self {
        if !profile.open_to_matching {
            return AlikeFeatures::default();
        }
        Self::from_profile(profile, Visibility::is_shared)
    }

    /// What a member searches with: all of their own fields, whatever their visibility. Only the
    /// member's own query sees them; what comes back is drawn from other members' shared fields.
    pub fn own(profile: &Profile) -> Self {
        Self::from_profile(profile, |_| true)
    }

    /// Whether there is nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
            && self.subtypes.is_empty()
            && self.regions.is_empty()
            && self.treatments.is_empty()
            && self.onset_band.is_none()
            && self.age_band.is_none()
    }

    fn from_profile(profile: &Profile, include: impl Fn(Visibility) -> bool) -> Self {
        fn take<'a, T>(field: &'a Field<T>, include: &impl Fn(Visibility) -> bool) -> Option<&'a T> {
            include(field.visibility).then_some(&field.value)
        }
        let conditions = take(&profile.conditions, &include).map(Vec::as_slice);
        let conditions = conditions.unwrap_or_default();
        let treatments = take(&profile.treatments, &include).map(Vec::as_slice);
        AlikeFeatures {
            conditions: sorted(conditions.iter().map(|c| c.condition.clone())),
            subtypes: sorted(conditions.iter().filter_map(|c| c.subtype.clone())),
            regions: sorted(take(&profile.regions, &include).into_iter().flatten().cloned()),
            treatments: sorted(
                treatments
                    .unwrap_or_default()
                    .iter()
                    .filter(|t| t.treatment != OTHER_TREATMENT)
                    .map(|t| t.treatment.clone()),
            ),
            onset_band: take(&profile.onset_band, &include).copied().flatten(),
            age_band: take(&profile.age_band, &include).copied().flatten(),
        }
    }
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut items: Vec<String> = items.collect();
    items.sort_unstable();
    items.dedup();
    items
}

/// What kind of feature two members share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonKind {
    /// A condition.
    Condition,
    /// A subtype of a condition.
    Subtype,
    /// A body region.
    Region,
    /// A treatment tried.
    Treatment,
    /// The same (or, at half weight, an adjacent) onset band.
    OnsetBand,
    /// The same age band.
    AgeBand,
}

impl ReasonKind {
    /// Every kind, heaviest first.
    pub const ALL: [ReasonKind; 6] = [
        ReasonKind::Condition,
        ReasonKind::Subtype,
        ReasonKind::Region,
        ReasonKind::Treatment,
        ReasonKind::OnsetBand,
        ReasonKind::AgeBand,
    ];

    /// How much one shared feature of this kind counts before rarity.
    pub fn weight(self) -> f64 {
        match self {
            ReasonKind::Condition => 3.0,
            ReasonKind::Subtype => 2.5,
            ReasonKind::Region => 1.0,
            ReasonKind::Treatment => 1.0,
            ReasonKind::OnsetBand => 0.75,
            ReasonKind::AgeBand => 0.5,
        }
    }

    fn index(self) -> usize {
        match self {
            ReasonKind::Condition => 0,
            ReasonKind::Subtype => 1,
            ReasonKind::Region => 2,
            ReasonKind::Treatment => 3,
            ReasonKind::OnsetBand => 4,
            ReasonKind::AgeBand => 5,
        }
    }
}

/// One thing two members share, and how much it counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// What kind of feature.
    pub kind: ReasonKind,
    /// The matched member's key, e.g. `cervical-dystonia` (for an adjacent onset band, the
    /// matched member's band).
    pub key: String,
    /// Its share of the score.
    pub weight: f32,
}

/// A member like the querying one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlikeMatch {
    /// The matched member.
    pub member: i64,
    /// The sum of the reasons' weights.
    pub score: f32,
    /// Why they are alike, heaviest first.
    pub reasons: Vec<Reason>,
}

struct Feature {
    kind: ReasonKind,
    key: Box<str>,
    /// Slots of the members with this feature, ascending, so a walk touches the score buffer in
    /// address order.
    postings: Vec<u32>,
}

#[derive(Default)]
struct Slot {
    member: i64,
    /// Feature ids, ascending; empty for a free slot.
    features: Box<[u32]>,
}

/// An inverted index of members' [`AlikeFeatures`]. `Send + Sync`: wrap it in an `RwLock`, take
/// the write lock to [`upsert`](AlikeIndex::upsert) and the read lock to
/// [`top`](AlikeIndex::top); queries on the read lock run in parallel.
pub struct AlikeIndex {
    /// Feature id by key, one map per [`ReasonKind`].
    feature_ids: [HashMap<Box<str>, u32>; 6],
    features: Vec<Feature>,
    slot_of: HashMap<i64, u32>,
    slots: Vec<Slot>,
    free_slots: Vec<u32>,
    /// Zeroed score buffers, one per concurrent query, reused so a query allocates nothing big.
    scratch: Mutex<Vec<Vec<f32>>>,
}

impl Default for AlikeIndex {
    fn default() -> Self {
        AlikeIndex::new()
    }
}

impl fmt::Debug for AlikeIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlikeIndex")
            .field("members", &self.len())
            .field("features", &self.features.len())
            .field("postings", &self.n_postings())
            .finish()
    }
}

/// A member with its score, ordered so that the *worse* match is the greater: the top of a
/// `BinaryHeap` of candidates is the one to drop.
#[derive(Clone, Copy)]
struct Candidate {
    score: f32,
    member: i64,
    slot: u32,
}

impl Candidate {
    fn is_better_than(&self, other: &Candidate) -> bool {
        self.cmp(other) == Ordering::Less
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.member.cmp(&other.member))
    }
}

impl AlikeIndex {
    /// An empty index.
    pub fn new() -> Self {
        AlikeIndex {
            feature_ids: Default::default(),
            features: Vec::new(),
            slot_of: HashMap::new(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            scratch: Mutex::new(Vec::new()),
        }
    }

    /// How many members are in the index (members with no features are not).
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// Whether no member is in the index.
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// How many (member, feature) pairs are indexed.
    pub fn n_postings(&self) -> usize {
        self.features.iter().map(|f| f.postings.len()).sum()
    }

    /// Adds a member or replaces what was indexed for them. Empty features remove the member.
    ///
    /// Loading members in ascending slot order appends to every list; a later change to one
    /// member costs a binary search and a shift in each list it touches (about 0.1 ms for a
    /// feature half a million members share).
    pub fn upsert(&mut self, member: i64, features: &AlikeFeatures) {
        let ids = self.intern(features);
        if ids.is_empty() {
            self.remove(member);
            return;
        }
        match self.slot_of.get(&member).copied() {
            Some(slot) => {
                let old = std::mem::take(&mut self.slots[slot as usize].features);
                let (mut i, mut j) = (0, 0);
                while i < old.len() || j < ids.len() {
                    match (old.get(i), ids.get(j)) {
                        (Some(&a), Some(&b)) if a == b => {
                            i += 1;
                            j += 1;
                        }
                        (Some(&a), Some(&b)) if a < b => {
                            self.remove_posting(a, slot);
                            i += 1;
                        }
                        (Some(&a), None) => {
                            self.remove_posting(a, slot);
                            i += 1;
                        }
                        (_, Some(&b)) => {
                            self.insert_posting(b, slot);
                            j += 1;
                        }
                        (None, None) => break,
                    }
                }
                self.slots[slot as usize].features = ids.into_boxed_slice();
            }
            None => {
                let slot = match self.free_slots.pop() {
                    Some(slot) => slot,
                    None => {
                        self.slots.push(Slot::default());
                        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
                    }
                };
                for &feature in &ids {
                    self.insert_posting(feature, slot);
                }
                self.slots[slot as usize] = Slot {
                    member,
                    features: ids.into_boxed_slice(),
                };
                self.slot_of.insert(member, slot);
            }
        }
    }

    /// Removes a member; removing one who is not there does nothing.
    pub fn remove(&mut self, member: i64) {
        let Some(slot) = self.slot_of.remove(&member) else {
            return;
        };
        let old = std::mem::take(&mut self.slots[slot as usize]);
        for &feature in old.features.iter() {
            self.remove_posting(feature, slot);
        }
        self.free_slots.push(slot);
    }

    /// Gives back spare capacity, e.g. after loading every member at start-up.
    pub fn shrink_to_fit(&mut self) {
        for feature in &mut self.features {
            feature.postings.shrink_to_fit();
        }
        self.slots.shrink_to_fit();
        self.slot_of.shrink_to_fit();
    }

    /// The `k` members most like `query`, best first, leaving out `exclude` (the querying member).
    /// Equal scores are ordered by member id. Members who share nothing are never returned.
    pub fn top(&self, query: &AlikeFeatures, exclude: i64, k: usize) -> Vec<AlikeMatch> {
        if k == 0 || self.is_empty() {
            return Vec::new();
        }
        let terms = self.query_terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let exclude_slot = self.slot_of.get(&exclude).copied();

        let mut scores = self.take_scratch();
        let scores_in_use = &mut scores[..self.slots.len()];
        for &(feature, weight) in &terms {
            for &slot in &self.features[feature as usize].postings {
                scores_in_use[slot as usize] += weight;
            }
        }

        // Walk the same lists again: each slot's first visit reads and zeroes its score, so later
        // visits see zero and the buffer goes back to the pool clean.
        let mut best: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
        let mut worst_kept = f32::NEG_INFINITY;
        for &(feature, _) in &terms {
            for &slot in &self.features[feature as usize].postings {
                let score = std::mem::take(&mut scores_in_use[slot as usize]);
                if score <= 0.0 || score < worst_kept || Some(slot) == exclude_slot {
                    continue;
                }
                let candidate = Candidate {
                    score,
                    member: self.slots[slot as usize].member,
                    slot,
                };
                if best.len() < k {
                    best.push(candidate);
                } else if best.peek().is_some_and(|worst| candidate.is_better_than(worst)) {
                    best.pop();
                    best.push(candidate);
                } else {
                    continue;
                }
                if best.len() == k {
                    worst_kept = best.peek().map_or(f32::NEG_INFINITY, |worst| worst.score);
                }
            }
        }
        self.give_back_scratch(scores);

        best.into_sorted_vec()
            .into_iter()
            .map(|candidate| AlikeMatch {
                member: candidate.member,
                score: candidate.score,
                reasons: self.reasons(candidate.slot, &terms),
            })
            .collect()
    }

    /// The query's features that some member has, with their weights, ascending by feature id (so
    /// every member's score is summed in the same order and equal feature sets tie exactly).
    fn query_terms(&self, query: &AlikeFeatures) -> Vec<(u32, f32)> {
        let mut terms = Vec::new();
        let mut add = |kind: ReasonKind, key: &str, factor: f64| {
            if let Some(&id) = self.feature_ids[kind.index()].get(key) {
                let feature = &self.features[id as usize];
                if !feature.postings.is_empty() {
                    terms.push((id, (self.weight(feature) * factor) as f32));
                }
            }
        };
        for key in &query.conditions {
            add(ReasonKind::Condition, key, 1.0);
        }
        for key in &query.subtypes {
            add(ReasonKind::Subtype, key, 1.0);
        }
        for key in &query.regions {
            add(ReasonKind::Region, key, 1.0);
        }
        for key in &query.treatments {
            add(ReasonKind::Treatment, key, 1.0);
        }
        if let Some(band) = query.onset_band {
            add(ReasonKind::OnsetBand, band.key(), 1.0);
            let ordinal = band.ordinal();
            let neighbours = [ordinal.checked_sub(1), Some(ordinal + 1)];
            for neighbour in neighbours.into_iter().flatten() {
                if let Some(neighbour) = OnsetBand::from_ordinal(neighbour) {
                    add(ReasonKind::OnsetBand, neighbour.key(), 0.5);
                }
            }
        }
        if let Some(band) = query.age_band {
            add(ReasonKind::AgeBand, band.key(), 1.0);
        }
        terms.sort_unstable_by_key(|&(id, _)| id);
        terms.dedup_by_key(|&mut (id, _)| id);
        terms
    }

    fn weight(&self, feature: &Feature) -> f64 {
        let n = self.len() as f64;
        let df = feature.postings.len() as f64;
        feature.kind.weight() * (((n + 1.0) / (df + 1.0)).ln() + IDF_FLOOR)
    }

    fn reasons(&self, slot: u32, terms: &[(u32, f32)]) -> Vec<Reason> {
        let member_features = &self.slots[slot as usize].features;
        let mut reasons: Vec<Reason> = terms
            .iter()
            .filter(|(id, _)| member_features.binary_search(id).is_ok())
            .map(|&(id, weight)| {
                let feature = &self.features[id as usize];
                Reason {
                    kind: feature.kind,
                    key: feature.key.to_string(),
                    weight,
                }
            })
            .collect();
        reasons.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(a.kind.cmp(&b.kind))
                .then_with(|| a.key.cmp(&b.key))
        });
        reasons
    }

    /// Feature ids of `features`, interning new keys; ascending, without repeats.
    fn intern(&mut self, features: &AlikeFeatures) -> Vec<u32> {
        let mut ids = Vec::new();
        let onset = features.onset_band.map(OnsetBand::key);
        let age = features.age_band.map(AgeBand::key);
        let keyed = [
            (ReasonKind::Condition, features.conditions.as_slice()),
            (ReasonKind::Subtype, features.subtypes.as_slice()),
            (ReasonKind::Region, features.regions.as_slice()),
            (ReasonKind::Treatment, features.treatments.as_slice()),
        ];
        for (kind, keys) in keyed {
            for key in keys {
                ids.push(self.intern_one(kind, key));
            }
        }
        for (kind, key) in [(ReasonKind::OnsetBand, onset), (ReasonKind::AgeBand, age)] {
            if let Some(key) = key {
                ids.push(self.intern_one(kind, key));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn intern_one(&mut self, kind: ReasonKind, key: &str) -> u32 {
        if let Some(&id) = self.feature_ids[kind.index()].get(key) {
            return id;
        }
        let id = u32::try_from(self.features.len()).unwrap_or(u32::MAX);
        self.features.push(Feature {
            kind,
            key: key.into(),
            postings: Vec::new(),
        });
        self.feature_ids[kind.index()].insert(key.into(), id);
        id
    }

    fn insert_posting(&mut self, feature: u32, slot: u32) {
        let postings = &mut self.features[feature as usize].postings;
        match postings.last() {
            None => postings.push(slot),
            Some(&last) if last < slot => postings.push(slot),
            Some(_) => {
                if let Err(position) = postings.binary_search(&slot) {
                    postings.insert(position, slot);
                }
            }
        }
    }

    fn remove_posting(&mut self, feature: u32, slot: u32) {
        let postings = &mut self.features[feature as usize].postings;
        if let Ok(position) = postings.binary_search(&slot) {
            postings.remove(position);
        }
    }

    fn take_scratch(&self) -> Vec<f32> {
        let pooled = self.scratch.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match pooled {
            Some(mut scores) => {
                if scores.len() < self.slots.len() {
                    scores.resize(self.slots.len(), 0.0);
                }
                scores
            }
            // Zeroed memory straight from the allocator: pages are only touched where scored.
            None => vec![0.0; self.slots.len()],
        }
    }

    fn give_back_scratch(&self, scores: Vec<f32>) {
        let mut pool = self.scratch.lock().unwrap_or_else(PoisonError::into_inner);
        if pool.len() < MAX_POOLED_SCRATCH {
            pool.push(scores);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(conditions: &[&str], regions: &[&str]) -> AlikeFeatures {
        AlikeFeatures {
            conditions: conditions.iter().map(|s| s.to_string()).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
            ..AlikeFeatures::default()
        }
    }

    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<AlikeIndex>();
        check::<std::sync::RwLock<AlikeIndex>>();
    }

    #[test]
    fn candidate_order_prefers_higher_score_then_lower_member() {
        let a = Candidate {
            score: 2.0,
            member: 9,
            slot: 0,
        };
        let b = Candidate {
            score: 1.0,
            member: 1,
            slot: 1,
        };
        let c = Candidate {
            score: 1.0,
            member: 2,
            slot: 2,
        };
        assert!(a.is_better_than(&b) && b.is_better_than(&c) && !c.is_better_than(&b));
    }

    #[test]
    fn upsert_keeps_postings_sorted_and_reuses_slots() {
        let mut index = AlikeIndex::new();
        for member in 1..=5 {
            index.upsert(member, &features(&["dystonia"], &["neck"]));
        }
        index.remove(2);
        index.remove(4);
        index.upsert(6, &features(&["dystonia"], &[]));
        index.upsert(3, &features(&["dystonia"], &["jaw"]));
        assert_eq!(index.len(), 4);
        assert_eq!(index.slots.len(), 5, "a freed slot is reused");
        for feature in &index.features {
            assert!(
                feature.postings.windows(2).all(|w| w[0] < w[1]),
                "{}",
                feature.key
            );
        }
        assert_eq!(index.n_postings(), 4 + 2 + 1);
        let scratch = index.take_scratch();
        assert!(scratch.iter().all(|&s| s == 0.0));
    }

    #[test]
    fn scratch_is_clean_after_a_query() {
        let mut index = AlikeIndex::new();
        for member in 1..=50 {
            let region = if member % 2 == 0 { "neck" } else { "jaw" };
            index.upsert(member, &features(&["dystonia"], &[region]));
        }
        let found = index.top(&features(&["dystonia"], &["neck", "jaw"]), 7, 3);
        assert_eq!(found.len(), 3);
        let scratch = index.take_scratch();
        assert!(scratch.iter().all(|&s| s == 0.0));
    }
}
