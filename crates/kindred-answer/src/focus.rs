//! Focus recognition: which catalog conditions a question is about.
//!
//! Names and synonyms are matched as runs of folded, stemmed words (so case, plurals and possessives
//! do not matter). Question words that are not in the names' vocabulary are corrected to a vocabulary
//! word within two edits when the two share a one-deletion variant (the SymSpell idea), which catches
//! "diahrrea", "Wieddeman" and most typing slips without scanning the vocabulary.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The builder's maps: foldhash rather than SipHash over some thirty thousand names. Their keys are
/// the catalog's, not a question's, so no one can choose colliding keys; the seed is random still.
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
///
/// Built once per library at ingest ([`FocusRecognizer::new`]) and stored with it (serde): stemming
/// thirty thousand names was half of a one-question `ask`. Its tables are flat (strings in one
/// buffer, sorted where looked up), so loading it is a few allocations and no hashing. A stored
/// table is checked whole when read: a damaged one is a deserialisation error, never a panic.
#[derive(Debug, Default)]
pub struct FocusRecognizer {
    table: FocusTable,
    /// `(hash of a one-deletion variant, index into targets)`, sorted, built on the first word that
    /// needs correcting: a one-question process whose words are all known never pays for it.
    /// Hashes, not strings, in one flat vector, not a map of vectors: it must cost little to build
    /// and nothing to free (a hash collision only adds a candidate the edit-distance check drops).
    deletions: std::sync::OnceLock<Vec<(u64, u32)>>,
}

/// What a recogniser stores.
#[derive(Debug, Default, Serialize, Deserialize)]
struct FocusTable {
    /// Name keys (stemmed words joined by spaces), sorted.
    keys: Strings,
    /// The entries of key `i` are `key_entries[i]..key_entries[i + 1]`. When a key is one
    /// condition's preferred name and another's synonym, only the preferred owner is kept.
    key_entries: Vec<u32>,
    /// Condition of each entry.
    conditions: Vec<u32>,
    /// The catalog name of each entry.
    names: Strings,
    /// Longest name, in words.
    max_words: u32,
    /// Vocabulary of name words (folded, unstemmed), sorted.
    vocabulary: Strings,
    /// How many names use each vocabulary word.
    uses: Vec<u32>,
    /// Vocabulary words that may be correction targets, as ascending vocabulary indexes.
    targets: Vec<u32>,
}

/// Strings in one buffer: string `i` ends at `ends[i]` and starts where the one before ends.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    fn from_iter<'a>(strings: impl IntoIterator<Item = &'a str>) -> Strings {
        let mut table = Strings::default();
        for string in strings {
            table.text.push_str(string);
            table.ends.push(table.text.len() as u32);
        }
        table
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// String `idx` ("" past the end, which a checked table never asks for).
    fn get(&self, idx: usize) -> &str {
        let start = match idx.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(idx).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// The index of `wanted` in a sorted table.
    fn find(&self, wanted: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.get(middle).cmp(wanted) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// Whether every span lies in the buffer on character boundaries (and, when `sorted`, the
    /// strings are strictly ascending, as [`Strings::find`] needs).
    fn is_valid(&self, sorted: bool) -> bool {
        let mut start = 0;
        for &end in &self.ends {
            if end < start || !self.text.is_char_boundary(end as usize) {
                return false;
            }
            start = end;
        }
        !sorted || (1..self.len()).all(|idx| self.get(idx - 1) < self.get(idx))
    }
}

impl FocusTable {
    /// Whether a table read back is one [`FocusRecognizer::new`] could have built.
    fn is_valid(&self) -> bool {
        let n_entries = self.conditions.len();
        self.keys.is_valid(true)
            && self.vocabulary.is_valid(true)
            && self.names.is_valid(false)
            && self.names.len() == n_entries
            && self.key_entries.len() == self.keys.len() + 1
            && self.key_entries.first() == Some(&0)
            && self.key_entries.windows(2).all(|pair| pair[0] <= pair[1])
            && self
                .key_entries
                .last()
                .is_some_and(|&last| last as usize == n_entries)
            && self.uses.len() == self.vocabulary.len()
            && self.targets.iter().all(|&t| (t as usize) < self.vocabulary.len())
    }

    /// The entries `(condition, name)` of a name key.
    fn entries(&self, key: &str) -> impl Iterator<Item = (u32, &str)> {
        let range = self.keys.find(key).map_or(0..0, |idx| {
            self.key_entries[idx] as usize..self.key_entries[idx + 1] as usize
        });
        range.map(|entry| (self.conditions[entry], self.names.get(entry)))
    }
}

impl Serialize for FocusRecognizer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.table.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FocusRecognizer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let table = FocusTable::deserialize(deserializer)?;
        if !table.is_valid() {
            return Err(serde::de::Error::custom("inconsistent focus table"));
        }
        Ok(FocusRecognizer {
            table,
            deletions: std::sync::OnceLock::new(),
        })
    }
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
        let mut by_key: Map<String, Vec<(u32, &str)>> = Map::default();
        let mut vocabulary: Map<String, u32> = Map::default();
        let mut max_words = 0;
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
            max_words = max_words.max(words.len());
            if preferred {
                preferred_keys.entry(key.clone()).or_default().push(condition);
            }
            let entry = by_key.entry(key).or_default();
            if !entry.iter().any(|(c, _)| *c == condition) {
                entry.push((condition, name));
            }
            for word in words {
                *vocabulary.entry(word).or_default() += 1;
            }
        }
        for (key, owners) in &preferred_keys {
            if let Some(entries) = by_key.get_mut(key) {
                entries.retain(|(c, _)| owners.contains(c));
            }
        }
        let mut by_key: Vec<(String, Vec<(u32, &str)>)> = by_key.into_iter().collect();
        by_key.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut vocabulary: Vec<(String, u32)> = vocabulary.into_iter().collect();
        vocabulary.sort_unstable();
        let mut key_entries = vec![0];
        let mut entries = Vec::new();
        for (_, key_entries_of) in &by_key {
            entries.extend(key_entries_of.iter().copied());
            key_entries.push(entries.len() as u32);
        }
        let targets = vocabulary
            .iter()
            .enumerate()
            .filter(|(_, (w, _))| {
                w.chars().count() >= MIN_CORRECTABLE_LEN && w.chars().all(char::is_alphabetic)
            })
            .map(|(idx, _)| idx as u32)
            .collect();
        FocusRecognizer {
            table: FocusTable {
                keys: Strings::from_iter(by_key.iter().map(|(key, _)| key.as_str())),
                key_entries,
                conditions: entries.iter().map(|(c, _)| *c).collect(),
                names: Strings::from_iter(entries.iter().map(|(_, name)| *name)),
                max_words: max_words as u32,
                vocabulary: Strings::from_iter(vocabulary.iter().map(|(w, _)| w.as_str())),
                uses: vocabulary.iter().map(|(_, n)| *n).collect(),
                targets,
            },
            deletions: std::sync::OnceLock::new(),
        }
    }

    /// The sorted deletion table over `targets`.
    fn deletions(&self) -> &[(u64, u32)] {
        self.deletions.get_or_init(|| {
            let table = &self.table;
            let mut deletions = Vec::with_capacity(table.targets.len() * 10);
            let mut buffer = String::new();
            for (target_idx, &word_idx) in table.targets.iter().enumerate() {
                for_each_deletion_hash(table.vocabulary.get(word_idx as usize), &mut buffer, |hash| {
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
        let vocabulary = &self.table.vocabulary;
        if vocabulary.find(word).is_some()
            || word.chars().count() < MIN_CORRECTABLE_LEN
            || !word.chars().all(char::is_alphabetic)
            || known(word)
        {
            return None;
        }
        // Candidates as vocabulary indexes: the vocabulary is sorted, so they order as the words do.
        let mut candidates: Vec<usize> = Vec::new();
        let mut buffer = String::new();
        let mut probe_hashes = vec![xxhash_rust::xxh3::xxh3_64(word.as_bytes())];
        for_each_deletion_hash(word, &mut buffer, |hash| probe_hashes.push(hash));
        let deletions = self.deletions();
        for hash in probe_hashes {
            // Vocabulary words with the same one-deletion variant, or equal to the probe.
            let first = deletions.partition_point(|&(h, _)| h < hash);
            let same = deletions[first..].iter().take_while(|&&(h, _)| h == hash);
            candidates
                .extend(same.filter_map(|&(_, i)| self.table.targets.get(i as usize).map(|&w| w as usize)));
        }
        for (skip, _) in word.char_indices() {
            buffer.clear();
            buffer.extend(word.char_indices().filter(|(i, _)| *i != skip).map(|(_, c)| c));
            candidates.extend(vocabulary.find(&buffer));
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&c| kindred_text::within_edit_distance(word, vocabulary.get(c), 2));
        // Prefer the candidate most names use, then the closest.
        candidates
            .into_iter()
            .max_by_key(|&c| {
                let candidate = vocabulary.get(c);
                (
                    std::cmp::Reverse(strsim_distance(word, candidate)),
                    self.table.uses.get(c).copied().unwrap_or(0),
                    std::cmp::Reverse(candidate),
                )
            })
            .map(|c| vocabulary.get(c).to_owned())
    }

    /// Finds the conditions named in a question, longest matches first, non-overlapping.
    /// `known` tells whether a word occurs in the library's text (such words are never "corrected").
    pub fn recognize(&self, question: &str, known: &dyn Fn(&str) -> bool) -> Vec<FocusMatch> {
        let words = kindred_text::words(question);
        // A writer who uses capitals writes acronyms in them: "I feel sad" is not *SAD*.
        let cased = kindred_text::cased_words(question);
        let writes_capitals = cased.len() == words.len() && question.chars().any(char::is_uppercase);
        let lowercase_run = |start: usize, n: usize| {
            writes_capitals
                && cased[start..start + n]
                    .iter()
                    .all(|w| !w.chars().any(char::is_uppercase))
        };
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
            self.table
                .entries(&run.join(" "))
                .filter(|(_, name)| !(is_acronym(name) && lowercase_run(start, n)))
                .map(|(condition, name)| FocusMatch {
                    condition,
                    name: name.to_owned(),
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
        for n in (1..=(self.table.max_words as usize).min(words.len())).rev() {
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

/// Whether a catalog name is an acronym: two or more letters, all capitals ("SAD", "ALL").
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() >= 2 && letters.into_iter().all(char::is_uppercase)
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
    fn a_stored_recognizer_recognizes_the_same() {
        let bytes = postcard::to_stdvec(&recognizer()).expect("serialise");
        let stored: FocusRecognizer = postcard::from_bytes(&bytes).expect("deserialise");
        for question in [
            "Beckwith-Wieddeman Syndrome info",
            "is parkinsons disease inherited",
            "my dystonias",
        ] {
            assert_eq!(
                stored.recognize(question, &|_| false),
                recognizer().recognize(question, &|_| false),
                "{question}"
            );
        }
    }

    #[test]
    fn a_damaged_stored_recognizer_is_an_error_not_a_panic() {
        let mut damaged = recognizer();
        damaged.table.key_entries.pop();
        let bytes = postcard::to_stdvec(&damaged).expect("serialise");
        assert!(postcard::from_bytes::<FocusRecognizer>(&bytes).is_err());
        let mut unsorted = recognizer();
        unsorted.table.vocabulary = Strings::from_iter(["zebra", "apple"]);
        unsorted.table.uses = vec![1, 1];
        let bytes = postcard::to_stdvec(&unsorted).expect("serialise");
        assert!(postcard::from_bytes::<FocusRecognizer>(&bytes).is_err());
    }

    #[test]
    fn an_acronym_written_in_lowercase_by_someone_who_uses_capitals_is_a_word() {
        let recognizer = FocusRecognizer::new([("SAD", 7, true), ("Seasonal affective disorder", 7, true)]);
        let found = |q: &str| recognizer.recognize(q, &|_| true).len();
        assert_eq!(found("I feel sad and tired"), 0);
        assert_eq!(found("Is SAD worse in winter?"), 1);
        // Someone who writes all in lowercase writes acronyms so too.
        assert_eq!(found("is sad worse in winter"), 1);
        assert_eq!(found("Is seasonal affective disorder treatable?"), 1);
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
