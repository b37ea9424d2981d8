//! Fingerprints for near-duplicate detection.
//!
//! A fingerprint is the set of hashed word 5-shingles of a text. Two texts are copies when one
//! *contains* most of the other's shingles: containment, not Jaccard, because scraped copies are often
//! truncated (seed 003 is the first two thirds of seed 000 plus a footer).

use std::collections::HashSet;

use crate::terms::words;

/// The hashed shingles of a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    shingles: HashSet<u64>,
}

impl Fingerprint {
    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.shingles.len()
    }

    /// Whether the text was too short to shingle.
    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }
}

/// Word `k`-shingles of a text; texts shorter than `k` words give one shingle of all their words.
pub fn shingle_fingerprint(text: &str, k: usize) -> Fingerprint {
    let words = words(text);
    let mut shingles = HashSet::new();
    if words.is_empty() {
        return Fingerprint { shingles };
    }
    let k = k.max(1).min(words.len());
    for window in words.windows(k) {
        shingles.insert(xxhash_rust::xxh3::xxh3_64(window.join(" ").as_bytes()));
    }
    Fingerprint { shingles }
}

/// Share of the smaller fingerprint's shingles found in the larger one, in `0.0..=1.0`.
pub fn containment(a: &Fingerprint, b: &Fingerprint) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let shared = small
        .shingles
        .iter()
        .filter(|s| large.shingles.contains(s))
        .count();
    shared as f64 / small.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_copy_is_contained() {
        let full = "one two three four five six seven eight nine ten eleven twelve";
        let part = "one two three four five six seven eight";
        let other = "alpha beta gamma delta epsilon zeta eta theta";
        assert_eq!(
            containment(&shingle_fingerprint(full, 5), &shingle_fingerprint(part, 5)),
            1.0
        );
        assert_eq!(
            containment(&shingle_fingerprint(full, 5), &shingle_fingerprint(other, 5)),
            0.0
        );
    }
}
