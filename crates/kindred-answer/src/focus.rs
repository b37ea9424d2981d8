//! Focus recognition: which catalog conditions a question is about.
//!
//! Names and synonyms are matched as runs of folded, stemmed words (so case, plurals and possessives
//! do not matter). Question words that are not in the names' vocabulary are corrected to a vocabulary
//! word within two edits when the two share a one-deletion variant (the SymSpell idea), which catches
//! "diahrrea", "Wieddeman" and most typing slips without scanning the vocabulary.

use std::collections::HashMap;

/// The recogniser's maps, built at every start over some thirty thousand names: foldhash rather
/// than SipHash, which was a tenth of a one-question `ask`. Their keys are the catalog's, not a
/// question's, so no one can choose colliding keys; the seed is random still.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A recognised focus.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusMatch {
    /// Condition id (the catalog's).
    pub condition: u32,
    /// The catalog name that matched.
    pub name: String,
    /// The words of the question that matched.
    pub matched: String,
    /// Number of question words covered.
    pub n_words: usize,
    /// Whether spelling correction was needed.
    pub corrected: bool,
    /// Position of the first matched word.
    pub start: usize,
    /// Whether it lies inside a longer recognised name.
    pub nested: bool,
}

/// Recognises catalog names in questions.
#[derive(Debug, Default)]
pub struct FocusRecognizer {
    /// Name key (stemmed words joined by spaces) → (condition, display name). When a key is one
    /// condition's preferred name and another's synonym, only the preferred owner is kept.
    by_key: Map<String, Vec<(u32, String)>>,
    /// Longest name, in words.
    max_words: usize,
    /// Vocabulary of name words (folded, unstemmed), with one-deletion variants → words.
    vocabulary: Map<String, u32>,
    /// Vocabulary words that may be correction targets, by index.
    targets: Vec<String>,
    /// `(hash of a one-deletion variant, index into targets)`, sorted, built on the first word that
    /// needs correcting: a one-question process whose words are all known never pays for it.
    /// Hashes, not strings, in one flat vector, not a map of vectors: it must cost little to build
    /// and nothing to free (a hash collision only adds a candidate the edit-distance check drops).
    deletions: std::sync::OnceLock<Vec<(u64, u32)>>,
}

/// Calls `visit` with the hash of every one-deletion variant of `word`.
fn for_each_deletion_hash(word: &str, buffer: &mut String, mut visit: impl FnMut(u64)) {
    for (skip, _) in word.char_indices() {
        buffer.clear();
        for (idx, c) in word.char_indices() {
            if idx != skip {
                buffer.push(c);
            }
        }
        visit(xxhash_rust::xxh3::xxh3_64(buffer.as_bytes()));
    }
}

/// Words short enough that correcting them would guess.
const MIN_CORRECTABLE_LEN: usize = 5;

impl FocusRecognizer {
    /// Builds the recogniser from `(name, condition, is_preferred_name)` triples.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, u32, bool)>) -> FocusRecognizer {
        let mut recognizer = FocusRecognizer::default();
        let mut preferred_keys: Map<String, Vec<u32>> = Map::default();
        for (name, condition, preferred) in names {
            let words = kindred_text::words(name);
            if words.is_empty() || words.iter().all(|w| kindred_text::is_stopword(w)) {
                continue;
            }
            let key = words
                .iter()
                .map(|w| kindred_text::stem(w))
                .collect::<Vec<_>>()
                .join(" ");
            recognizer.max_words = recognizer.max_words.max(words.len());
            if preferred {
                preferred_keys.entry(key.clone()).or_default().push(condition);
            }
            let entry = recognizer.by_key.entry(key.clone()).or_default();
            if !entry.iter().any(|(c, _)| *c == condition) {
                entry.push((condition, name.to_owned()));
            }
            for word in &words {
                *recognizer.vocabulary.entry(word.clone()).or_default() += 1;
            }
        }
        for (key, owners) in &preferred_keys {
            if let Some(entries) = recognizer.by_key.get_mut(key) {
                entries.retain(|(c, _)| owners.contains(c));
            }
        }
        let mut targets: Vec<String> = recognizer
            .vocabulary
            .keys()
            .filter(|w| w.chars().count() >= MIN_CORRECTABLE_LEN && w.chars().all(char::is_alphabetic))
            .cloned()
            .collect();
        targets.sort();
        recognizer.targets = targets;
        recognizer
    }

    /// The sorted deletion table over `targets`.
    fn deletions(&self) -> &[(u64, u32)] {
        self.deletions.get_or_init(|| {
            let mut deletions = Vec::with_capacity(self.targets.len() * 10);
            let mut buffer = String::new();
            for (target_idx, word) in self.targets.iter().enumerate() {
                for_each_deletion_hash(word, &mut buffer, |hash| {
                    deletions.push((hash, target_idx as u32))
                });
            }
            deletions.sort_unstable();
            deletions
        })
    }

    /// Corrects a folded word to a name-vocabulary word, if it is not one already and a unique close
    /// one exists. `known` says whether the word is ordinary (found in passages), which we leave alone.
    fn correct(&self, word: &str, known: &dyn Fn(&str) -> bool) -> Option<String> {
        if self.vocabulary.contains_key(word)
            || word.chars().count() < MIN_CORRECTABLE_LEN
            || !word.chars().all(char::is_alphabetic)
            || known(word)
        {
            return None;
        }
        let mut candidates: Vec<&String> = Vec::new();
        let mut buffer = String::new();
        let mut probe_hashes = vec![xxhash_rust::xxh3::xxh3_64(word.as_bytes())];
        for_each_deletion_hash(word, &mut buffer, |hash| probe_hashes.push(hash));
        let deletions = self.deletions();
        for hash in probe_hashes {
            // Vocabulary words with the same one-deletion variant, or equal to the probe.
            let first = deletions.partition_point(|&(h, _)| h < hash);
            let same = deletions[first..].iter().take_while(|&&(h, _)| h == hash);
            candidates.extend(same.filter_map(|&(_, i)| self.targets.get(i as usize)));
        }
        buffer.clear();
        for (skip, _) in word.char_indices() {
            buffer.clear();
            buffer.extend(word.char_indices().filter(|(i, _)| *i != skip).map(|(_, c)| c));
            if let Some((found, _)) = self.vocabulary.get_key_value(buffer.as_str()) {
                candidates.push(found);
            }
        }
        candidates.sort();
        candidates.dedup();
        candidates.retain(|c| kindred_text::within_edit_distance(word, c, 2));
        // Prefer the candidate most names use, then the closest.
        candidates
            .into_iter()
            .max_by_key(|c| {
                (
                    std::cmp::Reverse(strsim_distance(word, c)),
                    self.vocabulary.get(c.as_str()).copied().unwrap_or(0),
                    std::cmp::Reverse((*c).clone()),
                )
            })
            .cloned()
    }

    /// Finds the conditions named in a question, longest matches first, non-overlapping.
    /// `known` tells whether a word occurs in the library's text (such words are never "corrected").
    pub fn recognize(&self, question: &str, known: &dyn Fn(&str) -> bool) -> Vec<FocusMatch> {
        let words = kindred_text::words(question);
        let mut corrected_flags = Vec::with_capacity(words.len());
        let stems: Vec<String> = words
            .iter()
            .map(|w| match self.correct(w, known) {
                Some(fixed) => {
                    corrected_flags.push(true);
                    kindred_text::stem(&fixed)
                }
                None => {
                    corrected_flags.push(false);
                    kindred_text::stem(w)
                }
            })
            .collect();
        // The names whose key is the run of words `start..start + n`, as matches.
        let matches_at = |start: usize, n: usize, nested: bool| -> Vec<FocusMatch> {
            let run = &stems[start..start + n];
            if run.iter().all(|w| kindred_text::is_stopword(w)) {
                return Vec::new();
            }
            let Some(entries) = self.by_key.get(&run.join(" ")) else {
                return Vec::new();
            };
            entries
                .iter()
                .map(|(condition, name)| FocusMatch {
                    condition: *condition,
                    name: name.clone(),
                    matched: words[start..start + n].join(" "),
                    n_words: n,
                    corrected: corrected_flags[start..start + n].iter().any(|c| *c),
                    start,
                    nested,
                })
                .collect()
        };
        let mut found: Vec<FocusMatch> = Vec::new();
        let mut covered = vec![false; words.len()];
        for n in (1..=self.max_words.min(words.len())).rev() {
            for start in 0..=words.len() - n {
                if covered[start..start + n].iter().any(|c| *c) {
                    continue;
                }
                let matches = matches_at(start, n, false);
                if !matches.is_empty() {
                    found.extend(matches);
                    covered[start..start + n].iter_mut().for_each(|c| *c = true);
                }
            }
        }
        // Names nested in a longer match ("dystonia" in "cervical dystonia") are foci too, weaker:
        // the longer name may be a condition the library has little text on. Only suffixes: in
        // English the head noun comes last ("cervical dystonia" is a dystonia; it is not "cervical",
        // which would stem like "cervicitis").
        let outer: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.start + f.n_words)).collect();
        for (outer_start, outer_end) in outer {
            for n in (1..outer_end - outer_start).rev() {
                for nested in matches_at(outer_end - n, n, true) {
                    if !found.iter().any(|f| f.condition == nested.condition) {
                        found.push(nested);
                    }
                }
            }
        }
        found.sort_by(|a, b| {
            b.n_words
                .cmp(&a.n_words)
                .then(a.start.cmp(&b.start))
                .then(a.condition.cmp(&b.condition))
        });
        found
    }
}

fn strsim_distance(a: &str, b: &str) -> usize {
    (0..=2)
        .find(|&d| kindred_text::within_edit_distance(a, b, d))
        .unwrap_or(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognizer() -> FocusRecognizer {
        FocusRecognizer::new([
            ("Dystonia", 0, true),
            ("Dystonias", 0, true),
            ("early-onset primary dystonia", 1, true),
            ("Beckwith-Wiedemann syndrome", 2, true),
            ("Diarrhea", 3, true),
            ("Parkinson's disease", 4, true),
        ])
    }

    #[test]
    fn plurals_possessives_and_case() {
        let r = recognizer();
        let got = r.recognize("What gene causes EARLY ONSET primary dystonia?", &|_| false);
        assert_eq!(got[0].condition, 1);
        assert_eq!(
            r.recognize("is parkinsons disease inherited", &|_| false)[0].condition,
            4
        );
        assert_eq!(r.recognize("my dystonias", &|_| false)[0].condition, 0);
    }

    #[test]
    fn misspellings() {
        let r = recognizer();
        let got = r.recognize("Beckwith-Wieddeman Syndrome info", &|_| false);
        assert_eq!(got[0].condition, 2);
        assert!(got[0].corrected);
        assert_eq!(r.recognize("chronic diahrrea", &|_| false)[0].condition, 3);
    }
}
