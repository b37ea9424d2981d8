//! ICD-10-CM codes for dystonia conditions, from the condition's name or catalog slug.
//!
//! Only codes of category G24 (Dystonia) are used, with their official ICD-10-CM titles. The
//! mapping goes by words, most specific first:
//!
//! | words | code |
//! |---|---|
//! | tardive dyskinesia | G24.01 Drug induced subacute dyskinesia |
//! | acute dystonic reaction, acute (drug-induced) dystonia | G24.02 Drug induced acute dystonia |
//! | drug-induced, medication-induced, tardive, neuroleptic | G24.09 Other drug induced dystonia |
//! | cervical dystonia, spasmodic torticollis | G24.3 Spasmodic torticollis |
//! | Meige, oromandibular, orofacial | G24.4 Idiopathic orofacial dystonia |
//! | blepharospasm | G24.5 Blepharospasm |
//! | DYT1, TOR1A, torsion, deformans, or generalized / early-onset / a numbered ("dystonia 6") dystonia | G24.1 Genetic torsion dystonia |
//! | nonfamilial dystonia | G24.2 Idiopathic nonfamilial dystonia |
//! | just "dystonia" | G24.9 Dystonia, unspecified |
//! | writer's or musician's cramp, spasmodic dysphonia, any other named dystonia (focal hand, laryngeal, task-specific, segmental, hemidystonia...) | G24.8 Other dystonia |
//!
//! Anything else (including "generalized anxiety disorder" and plain "torticollis", which
//! ICD-10-CM codes outside G24) has no code. Two choices follow the tracker's scope rather than
//! the ICD-10-CM index, which sends "spasmodic dysphonia" to R49.0 (Dysphonia) and "writer's
//! cramp" to F48.8 or G25.89: as dystonias they are coded G24.8 here. A clinician's own coding
//! always wins; the member can remove a code.

/// Every code this module can give, with its official ICD-10-CM title.
pub const ICD10CM_G24: [(&str, &str); 10] = [
    ("G24.01", "Drug induced subacute dyskinesia"),
    ("G24.02", "Drug induced acute dystonia"),
    ("G24.09", "Other drug induced dystonia"),
    ("G24.1", "Genetic torsion dystonia"),
    ("G24.2", "Idiopathic nonfamilial dystonia"),
    ("G24.3", "Spasmodic torticollis"),
    ("G24.4", "Idiopathic orofacial dystonia"),
    ("G24.5", "Blepharospasm"),
    ("G24.8", "Other dystonia"),
    ("G24.9", "Dystonia, unspecified"),
];

/// The official title of a code of [`ICD10CM_G24`].
pub fn icd10cm_display(code: &str) -> Option<&'static str> {
    ICD10CM_G24
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, display)| *display)
}

/// The ICD-10-CM code and title for a dystonia condition named `condition_name_or_slug` (a
/// name such as `Cervical dystonia` or a slug such as `cervical-dystonia`); `None` when it is
/// not a dystonia this module knows.
pub fn icd10cm_for(condition_name_or_slug: &str) -> Option<(&'static str, &'static str)> {
    let words: Vec<String> = condition_name_or_slug
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    let has = |phrase: &str| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(phrase.len())
            .any(|window| window.iter().zip(&phrase).all(|(w, p)| w == p))
    };
    let any = |phrases: &[&str]| phrases.iter().any(|phrase| has(phrase));
    let dystonia = any(&["dystonia", "dystonias", "dystonic"]);
    let code = if has("tardive dyskinesia") {
        "G24.01"
    } else if any(&["acute dystonic reaction", "acute dystonic reactions"]) || (dystonia && has("acute")) {
        "G24.02"
    } else if any(&[
        "drug induced",
        "medication induced",
        "tardive",
        "neuroleptic induced",
        "antipsychotic induced",
    ]) {
        "G24.09"
    } else if any(&["cervical dystonia", "spasmodic torticollis"]) {
        "G24.3"
    } else if any(&["meige", "oromandibular", "orofacial"]) {
        "G24.4"
    } else if has("blepharospasm") {
        "G24.5"
    } else if any(&["dyt1", "dyt 1", "tor1a", "torsion", "deformans"])
        || (dystonia && any(&["generalized", "generalised", "early onset"]))
        || numbered_dystonia(&words)
    {
        "G24.1"
    } else if dystonia && any(&["nonfamilial", "non familial"]) {
        "G24.2"
    } else if dystonia
        && words
            .iter()
            .all(|word| matches!(word.as_str(), "dystonia" | "dystonias" | "unspecified" | "nos"))
    {
        "G24.9"
    } else if dystonia
        || any(&[
            "writer s cramp",
            "writers cramp",
            "writer cramp",
            "musician s cramp",
            "musicians cramp",
            "spasmodic dysphonia",
            "hemidystonia",
        ])
    {
        "G24.8"
    } else {
        return None;
    };
    icd10cm_display(code).map(|display| (code, display))
}

/// `dystonia 6` or `dystonia-16`: the names of the numbered (DYT) genetic dystonias.
fn numbered_dystonia(words: &[String]) -> bool {
    words.windows(2).any(|pair| {
        pair[0] == "dystonia" && !pair[1].is_empty() && pair[1].chars().all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_title() {
        for (i, (code, title)) in ICD10CM_G24.iter().enumerate() {
            assert!(code.starts_with("G24"), "{code}");
            assert!(!title.is_empty());
            assert!(ICD10CM_G24[i + 1..].iter().all(|(other, _)| other != code));
        }
    }
}
