//! Copy detection: documents that are (near-)copies of one another count once.
//!
//! Seed 000 and seed 003 are the same Mayo Clinic article scraped from two sites, one truncated. We
//! compare word 5-shingle fingerprints by containment and group documents transitively.

use kindred_text::{containment, shingle_fingerprint};

use crate::Document;

/// Share of the shorter document's shingles that must appear in the longer for a copy.
pub const COPY_THRESHOLD: f64 = 0.8;

/// Documents found to be copies of one another; the first is the canonical (longest) one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CopyGroup {
    /// Document indexes into the slice given to [`find_copies`], canonical first.
    pub members: Vec<usize>,
    /// The lowest pairwise containment that joined the group.
    pub containment: f64,
}

/// Finds groups of copies among documents. Only documents sharing a focus or title (folded) are
/// compared, which keeps this linear in practice over MedQuAD's 11k documents.
pub fn find_copies(documents: &[Document]) -> Vec<CopyGroup> {
    use std::collections::HashMap;
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (doc_idx, doc) in documents.iter().enumerate() {
        let key = kindred_text::fold_for_match(doc.focus.as_deref().unwrap_or(&doc.title));
        by_key.entry(key).or_default().push(doc_idx);
    }
    let mut parent: Vec<usize> = (0..documents.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut lowest: HashMap<usize, f64> = HashMap::new();
    let mut keys: Vec<_> = by_key.into_iter().collect();
    keys.sort();
    for (_, members) in keys {
        if members.len() < 2 {
            continue;
        }
        let prints: Vec<_> = members
            .iter()
            .map(|&i| shingle_fingerprint(&documents[i].plain_text(), 5))
            .collect();
        for a in 0..members.len() {
            for b in a + 1..members.len() {
                if prints[a].len() < 20 || prints[b].len() < 20 {
                    continue;
                }
                let score = containment(&prints[a], &prints[b]);
                if score >= COPY_THRESHOLD {
                    let (ra, rb) = (find(&mut parent, members[a]), find(&mut parent, members[b]));
                    if ra != rb {
                        parent[rb] = ra;
                    }
                    let root = find(&mut parent, ra);
                    let entry = lowest.entry(root).or_insert(1.0);
                    *entry = entry.min(score);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for doc_idx in 0..documents.len() {
        let root = find(&mut parent, doc_idx);
        groups.entry(root).or_default().push(doc_idx);
    }
    // `lowest` was keyed by the root at the time of each union; later unions may have moved it.
    let mut lowest_by_root: HashMap<usize, f64> = HashMap::new();
    for (old_root, score) in lowest {
        let entry = lowest_by_root.entry(find(&mut parent, old_root)).or_insert(1.0);
        *entry = entry.min(score);
    }
    let mut out: Vec<CopyGroup> = groups
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .map(|(root, members)| {
            let mut by_length: Vec<(usize, usize)> = members
                .iter()
                .map(|&i| (documents[i].plain_text().len(), i))
                .collect();
            by_length.sort_by_key(|&(len, i)| (std::cmp::Reverse(len), i));
            CopyGroup {
                members: by_length.into_iter().map(|(_, i)| i).collect(),
                containment: lowest_by_root.get(&root).copied().unwrap_or(1.0),
            }
        })
        .collect();
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}
