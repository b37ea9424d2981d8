//! The web reader on the five bundled seed pages, an inline HTML page, and broken inputs.
//!
//! Every seed is checked twice: by the same invariants (no boilerplate in any statement, no dangling
//! list intro presented as a statement, removed lines recorded) and by a snapshot of its sections.
//! Refresh snapshots with `UPDATE_EXPECT=1 cargo test -p kindred-corpus`.

use std::path::{Path, PathBuf};

use expect_test::{Expect, expect};
use kindred_corpus::{
    Block, Collection, Document, Error, SectionKind, WebMetadata, read_web_dir, read_web_html, read_web_text,
};

/// Text that must never reach a statement: boilerplate of the seed pages and mojibake.
const FORBIDDEN: &[&str] = &[
    "©",
    "Â",
    "donation",
    "newsletter",
    "Thank you! Your submission",
    "Alikes with",
    "100% Free",
    "does not endorse",
    "All the content of the library",
    "RSPP",
    "editorial process",
    "Additional Resources",
    "Dystonia Dystonia",
];

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds")
}

/// The seed whose file name starts with `prefix` ("000"…"004"), read with the whole directory.
fn seed(prefix: &str) -> Document {
    let documents = read_web_dir(&seeds_dir()).unwrap();
    documents
        .into_iter()
        .find(|d| d.origin.starts_with(prefix))
        .unwrap()
}

fn statements(document: &Document) -> Vec<&str> {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .flat_map(Block::statements)
        .collect()
}

/// The invariants every cleaned page keeps.
fn assert_clean(document: &Document) {
    let statements = statements(document);
    assert!(!statements.is_empty(), "{}: no statements", document.origin);
    for statement in &statements {
        for forbidden in FORBIDDEN {
            assert!(
                !statement.contains(forbidden),
                "{}: {forbidden:?} in {statement:?}",
                document.origin
            );
        }
    }
    for block in document.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            // A paragraph never ends with a list intro whose list is missing.
            Block::Paragraph { text } => {
                assert!(!text.ends_with(':'), "{}: dangling {text:?}", document.origin)
            }
            // An intro ending with ':' only ever heads a list that has items.
            Block::List { items, .. } => {
                assert!(!items.is_empty(), "{}: empty list {block:?}", document.origin)
            }
            Block::Incomplete { text } => assert!(text.ends_with(':'), "{}: {text:?}", document.origin),
        }
    }
    for line in &document.removed {
        assert!(
            !line.contains('Â') && line == line.trim(),
            "{}: removed line not normalised: {line:?}",
            document.origin
        );
    }
}

/// The kind of the section holding the block that starts with `prefix` (a paragraph, list intro,
/// list item or dangling intro).
fn kind_of(document: &Document, prefix: &str) -> SectionKind {
    for section in &document.sections {
        for block in &section.blocks {
            let texts: Vec<&str> = match block {
                Block::Incomplete { text } => vec![text],
                other => other.statements(),
            };
            if texts.iter().any(|t| t.starts_with(prefix)) {
                return section.kind;
            }
        }
    }
    panic!("{}: no block starts with {prefix:?}", document.origin);
}

fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX_CHARS).collect::<String>())
    }
}

/// One line per block: `kind | text`; list items indented under their intro; dangling intros
/// marked `(incomplete)`. Headings as published open their section.
fn render(document: &Document) -> String {
    let mut out = String::new();
    for section in &document.sections {
        if let Some(heading) = &section.heading {
            out.push_str(&format!("# {heading}\n"));
        }
        let kind = section.kind.as_str();
        for block in &section.blocks {
            match block {
                Block::Paragraph { text } => out.push_str(&format!("{kind} | {}\n", shorten(text))),
                Block::List { intro, items } => {
                    out.push_str(&format!(
                        "{kind} | {}\n",
                        intro.as_deref().map_or("(list)".into(), shorten)
                    ));
                    for item in items {
                        out.push_str(&format!("    - {}\n", shorten(item)));
                    }
                }
                Block::Incomplete { text } => {
                    out.push_str(&format!("{kind} | (incomplete) {}\n", shorten(text)))
                }
            }
        }
    }
    if !document.synonyms.is_empty() {
        out.push_str(&format!("synonyms: {}\n", document.synonyms.join("; ")));
    }
    for line in &document.removed {
        out.push_str(&format!("removed: {}\n", shorten(line)));
    }
    out
}

fn check(prefix: &str, expect: Expect) -> Document {
    let document = seed(prefix);
    assert_clean(&document);
    expect.assert_eq(&render(&document));
    document
}

#[test]
fn seeds_have_metadata_provenance() {
    let documents = read_web_dir(&seeds_dir()).unwrap();
    let summary: String = documents
        .iter()
        .map(|d| {
            let focus = d.focus.as_deref().unwrap_or("-");
            format!(
                "{} | {} | {} | {} | {}\n",
                d.id, d.origin, d.title, focus, d.publisher
            )
        })
        .collect();
    expect![[r#"
        seed-000 | 000_5e52f8b105d48d73.txt | Dystonia | Dystonia | Mayo Clinic
        seed-001 | 001_010f966b21dce522.txt | Dystonia | Dystonia | Hospital health library
        seed-002 | 002_fb00408b066b0d9b.txt | Dystonia | Dystonia | Clinic health library
        seed-003 | 003_d2155dfe101569cf.txt | Dystonia | Dystonia | Mayo Clinic
        seed-004 | 004_62cf942e2f1dc869.txt | Dystonia | Dystonia | Alike
    "#]]
    .assert_eq(&summary);
    for document in &documents {
        assert_eq!(document.collection, Collection::Web);
        assert!(document.licence.starts_with('©'), "{}", document.licence);
        assert_clean(document);
    }
}

#[test]
fn seed_000_mayo_without_headings() {
    let document = check(
        "000",
        expect![[r#"
        overview | Dystonia is a movement disorder that causes the muscles to contr…
        overview | When the condition affects one part of the body, it's called foc…
        overview | There's no cure for dystonia, but medicines and therapy can impr…
        symptoms | Dystonia affects different people in different ways.
        symptoms | (incomplete) Muscle spasms might:
        symptoms | (incomplete) Areas of the body that can be affected include:
        symptoms | Early symptoms of dystonia often are mild, occasional and linked…
        causes | The exact cause of dystonia isn't known. But it might involve ch…
        causes | (incomplete) Dystonia also can be a symptom of another disease or condition, …
        risk_factors | Your risk for dystonia increases if you have a family history of…
        risk_factors | Another risk factor for dystonia is having a condition that caus…
        complications | (incomplete) Depending on the type of dystonia, complications can include:
        diagnosis | To diagnose dystonia, your healthcare team starts with a medical…
        diagnosis | (incomplete) To look for conditions that may be causing your symptoms, you mi…
        treatment | To manage dystonia, your healthcare professional might recommend…
        treatment | Injections of botulinum toxin (Botox, Dysport, others) into spec…
        treatment | Side effects are generally mild and temporary. They can include …
        treatment | Other medicines target chemicals in your brain called neurotrans…
        treatment | (incomplete) The options include:
        treatment | (incomplete) You also might need:
        treatment | If your symptoms are serious, surgery might help.
        treatment | (incomplete) There are a few types of surgery to treat dystonia:
        treatment | (incomplete) Dystonia has no cure, but you can do several things to manage sy…
        treatment | Alternative treatments for dystonia haven't been well studied. A…
        treatment | (incomplete) Consider:
        living_with | Living with dystonia can be difficult and frustrating. Your body…
        appointment | You may be referred to a doctor who specializes in disorders of …
        appointment | In addition to the questions that you've prepared to ask, don't …
        appointment | Your healthcare professional may ask you some questions. Being r…
        appointment | (incomplete) You may be asked:
        removed: All the content of the library is provided from Mayo Clinic in E…
        removed: As a member of the Mayo Clinic Care Network, RSPP has special ac…
    "#]],
    );
    let expected = [
        ("Dystonia is a movement disorder", SectionKind::Overview),
        (
            "There's no cure for dystonia, but medicines",
            SectionKind::Overview,
        ),
        (
            "Dystonia affects different people in different ways.",
            SectionKind::Symptoms,
        ),
        ("Early symptoms of dystonia", SectionKind::Symptoms),
        ("The exact cause", SectionKind::Causes),
        ("Your risk for dystonia increases", SectionKind::RiskFactors),
        ("Another risk factor", SectionKind::RiskFactors),
        (
            "Depending on the type of dystonia, complications",
            SectionKind::Complications,
        ),
        ("To diagnose dystonia", SectionKind::Diagnosis),
        ("To manage dystonia", SectionKind::Treatment),
        ("Injections of botulinum toxin", SectionKind::Treatment),
        ("Side effects are generally mild", SectionKind::Treatment),
        (
            "Dystonia has no cure, but you can do several things",
            SectionKind::Treatment,
        ),
        ("Living with dystonia can be difficult", SectionKind::LivingWith),
        ("You may be referred to", SectionKind::Appointment),
        ("In addition to the questions", SectionKind::Appointment),
    ];
    for (prefix, kind) in expected {
        assert_eq!(kind_of(&document, prefix), kind, "{prefix}");
    }
    // The paragraph and its dangling intro are split; the intro is never a statement.
    assert!(statements(&document).contains(&"Dystonia affects different people in different ways."));
    let incomplete: Vec<&str> = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Incomplete { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(incomplete.contains(&"Muscle spasms might:"));
    assert!(incomplete.contains(&"Dystonia has no cure, but you can do several things to manage symptoms:"));
    assert!(incomplete.contains(&"Consider:"));
    assert_eq!(
        document.removed,
        vec![
            "All the content of the library is provided from Mayo Clinic in English.",
            "As a member of the Mayo Clinic Care Network, RSPP has special access to Mayo Clinic knowledge and resources.",
        ]
    );
}

#[test]
fn seed_001_hospital_with_lost_headings() {
    let document = check(
        "001",
        expect![[r#"
        overview | Dystonia is a movement disorder characterized by involuntary mus…
        symptoms | Symptoms differ depending on the type of dystonia you have and t…
        causes | The cause of dystonia is not yet known; it may be idiopathic, ge…
        # Living Better
        living_with | The first step to living better is the right diagnosis. Your doc…
        # Exams and Tests
        diagnosis | Depending on what your doctors have seen or observed, they may d…
        diagnosis | Another test, called electromyography (EMG), may be performed. T…
        treatment | While there is no cure for dystonia, there are several treatment…
        treatment | (list)
            - Botox® is often very effective for dystonia when one muscle or o…
            - Medicines that target neurotransmitters — the signaling chemical…
            - Physical therapy, occupational therapy and speech therapy are of…
            - Stress management, massage, and biofeedback may also be helpful.
        treatment | In some cases, when patients don’t find relief with other treatm…
        removed: Dystonia Dystonia
    "#]],
    );
    assert_eq!(document.removed, vec!["Dystonia Dystonia"]);
    let treatment_lists: Vec<&Vec<String>> = document
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Treatment)
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::List { items, .. } => Some(items),
            _ => None,
        })
        .collect();
    assert_eq!(treatment_lists.len(), 1);
    assert_eq!(treatment_lists[0].len(), 4);
    assert!(treatment_lists[0][0].starts_with("Botox® is often very effective"));
    assert_eq!(
        kind_of(&document, "Dystonia is a movement disorder"),
        SectionKind::Overview
    );
    assert_eq!(kind_of(&document, "Symptoms differ"), SectionKind::Symptoms);
    assert_eq!(kind_of(&document, "The cause of dystonia"), SectionKind::Causes);
    assert_eq!(
        kind_of(&document, "The first step to living better"),
        SectionKind::LivingWith
    );
    assert_eq!(
        kind_of(&document, "Another test, called electromyography"),
        SectionKind::Diagnosis
    );
    assert_eq!(
        kind_of(&document, "In some cases, when patients"),
        SectionKind::Treatment
    );
}

#[test]
fn seed_002_clinic_lists_with_intros() {
    let document = check(
        "002",
        expect![[r#"
        overview | Dystonia is a movement disorder characterized by involuntary mus…
        # Symptoms of Dystonia
        symptoms | Dystonia can affect many parts of the body or be localized to a …
        symptoms | Additional symptoms of dystonia may include:
            - Frequent and severe muscle cramping
            - Rapid blinking of the eyelids
            - Trembling diaphragm
            - Voice tremor
            - Speech difficulties
            - Difficulty swallowing
            - Teeth grinding
        symptoms | Symptoms of dystonia may may become more noticeable over time an…
        # Causes of Dystonia
        causes | The exact cause of dystonia is unknown, however, research indica…
        causes | Other symptoms of dystonia are caused by underlying medical cond…
            - Parkinson's disease
            - Huntington's disease
            - Stroke
            - Wilson's disease
            - Traumatic brain injury
            - Brain tumor
            - Infection
            - Oxygen deprivation
        causes | Dystonia may also be the result of exposure to certain toxins or…
        # Treatment of Dystonia
        treatment | There is no specific treatment for dystonia that is effective fo…
        treatment | Additional treatment may include:
            - Physical therapy
            - Speech therapy
            - Deep brain stimulation
        treatment | In severe cases, surgery may be recommended, however risks of su…
        removed: Additional Resources
    "#]],
    );
    let lists: Vec<(SectionKind, Option<&str>, usize)> = document
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter().map(move |b| (s.kind, b)))
        .filter_map(|(kind, b)| match b {
            Block::List { intro, items } => Some((kind, intro.as_deref(), items.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        lists,
        vec![
            (
                SectionKind::Symptoms,
                Some("Additional symptoms of dystonia may include:"),
                7
            ),
            (
                SectionKind::Causes,
                Some(
                    "Other symptoms of dystonia are caused by underlying medical conditions that may include:"
                ),
                8
            ),
            (
                SectionKind::Treatment,
                Some("Additional treatment may include:"),
                3
            ),
        ]
    );
    assert_eq!(
        kind_of(&document, "Dystonia is a movement disorder"),
        SectionKind::Overview
    );
    assert_eq!(document.removed, vec!["Additional Resources"]);
}

#[test]
fn seed_003_mayo_copy_with_footer() {
    let document = check(
        "003",
        expect![[r#"
        overview | Dystonia is a movement disorder that causes the muscles to contr…
        overview | When the condition affects one part of the body, it's called foc…
        overview | There's no cure for dystonia, but medicines and therapy can impr…
        symptoms | Dystonia affects different people in different ways.
        symptoms | (incomplete) Muscle spasms might:
        symptoms | (incomplete) Areas of the body that can be affected include:
        symptoms | Early symptoms of dystonia often are mild, occasional and linked…
        causes | The exact cause of dystonia isn't known. But it might involve ch…
        causes | (incomplete) Dystonia also can be a symptom of another disease or condition, …
        risk_factors | Your risk for dystonia increases if you have a family history of…
        risk_factors | Another risk factor for dystonia is having a condition that caus…
        complications | (incomplete) Depending on the type of dystonia, complications can include:
        removed: Mayo Clinic does not endorse companies or products. Advertising …
        removed: Check out these best-sellers and special offers on books and new…
        removed: Your donation powers the future of medicine and helps save lives…
        removed: © 1998-2025 Mayo Foundation for Medical Education and Research (…
    "#]],
    );
    assert_eq!(kind_of(&document, "The exact cause"), SectionKind::Causes);
    assert_eq!(
        kind_of(&document, "Your risk for dystonia increases"),
        SectionKind::RiskFactors
    );
    assert_eq!(
        document.removed,
        vec![
            "Mayo Clinic does not endorse companies or products. Advertising revenue supports our not-for-profit mission.",
            "Check out these best-sellers and special offers on books and newsletters from Mayo Clinic Press.",
            "Your donation powers the future of medicine and helps save lives.",
            "© 1998-2025 Mayo Foundation for Medical Education and Research (MFMER). All rights reserved.",
        ]
    );
}

#[test]
fn seed_004_community_page_synonyms_and_promos() {
    let document = check(
        "004",
        expect![[r#"
        # What is it?
        overview | Dystonia is a motoric symptom in which some muscles contract inv…
        # Signs & symptoms
        symptoms | Dystonia symptoms include muscle contractions. These contraction…
        # Diagnosis
        diagnosis | Dystonia diagnosis is based mainly on physical examination. Bloo…
        # Treatment
        treatment | Dystonia does not have a cure, and the treatment is symptomatic,…
        synonyms: Generalized dystonia; Orofacial dystonia; Torsion dystonia
        removed: 156 Alikes with Dystonia
        removed: Learn from others who are experiencing Dystonia.
        removed: ☝️ This is not a substitute for professional medical advice. Ple…
        removed: Learn more about our editorial process for content accuracy.
        removed: Instantly get answers to medical questions with our AI, built fr…
        removed: Thank you! Your submission has been received!
        removed: Find people who are experiencing a similar medical reality
        removed: 100% Free 100% Free
        removed: Alike Wisdom
    "#]],
    );
    assert_eq!(
        document.synonyms,
        vec!["Generalized dystonia", "Orofacial dystonia", "Torsion dystonia"]
    );
    assert!(
        statements(&document)
            .iter()
            .all(|s| !s.contains("additional names"))
    );
    assert_eq!(
        kind_of(&document, "Dystonia is a motoric symptom"),
        SectionKind::Overview
    );
    assert_eq!(
        kind_of(&document, "Dystonia symptoms include"),
        SectionKind::Symptoms
    );
    assert_eq!(
        kind_of(&document, "Dystonia diagnosis is based"),
        SectionKind::Diagnosis
    );
    assert_eq!(
        kind_of(&document, "Dystonia does not have a cure"),
        SectionKind::Treatment
    );
    for promo in [
        "156 Alikes with Dystonia",
        "Learn from others who are experiencing Dystonia.",
        "Find people who are experiencing a similar medical reality",
        "100% Free 100% Free",
        "Alike Wisdom",
        "Thank you! Your submission has been received!",
    ] {
        assert!(
            document.removed.iter().any(|r| r == promo),
            "{promo:?} not recorded"
        );
    }
}

const HTML_PAGE: &str = r#"<!doctype html>
<html><head>
  <title>Gout | Example Health</title>
  <meta property="og:site_name" content="Example Health">
  <link rel="canonical" href="https://www.example.org/conditions/gout">
  <style>p { color: red }</style>
</head><body>
  <header><a href="/">Example Health</a> <nav><ul><li><a href="/a">Conditions</a></li><li>Donate</li></ul></nav></header>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
  <main><article>
    <h1>Gout</h1>
    <p>Gout is a common form of arthritis. It causes sudden pain in a joint.</p>
    <h2>Symptoms</h2>
    <p>Symptoms of gout may include:</p>
    <ul><li>Intense joint pain</li><li>Redness and swelling</li></ul>
    <p>Attacks often start at night. Triggers might:</p>
    <h2>Treatment</h2>
    <p>Medicines can treat attacks and prevent new ones. Itâ€™s best to start them early.</p>
    <p>Â© 2025 Example Health. All rights reserved.</p>
    <div aria-hidden="true">Hidden promo text.</div>
    <script>var tracking = "Gout is tracked";</script>
  </article></main>
  <aside>Related: Arthritis</aside>
  <footer><p>Subscribe to our newsletter</p></footer>
</body></html>"#;

#[test]
fn html_page_shares_the_text_pipeline() {
    let document = read_web_html(Path::new("pages/gout.html"), HTML_PAGE, &WebMetadata::default()).unwrap();
    assert_clean(&document);
    assert_eq!(document.id.0, "web:gout");
    assert_eq!(document.origin, "gout.html");
    assert_eq!(document.title, "Gout");
    assert_eq!(document.focus.as_deref(), Some("Gout"));
    assert_eq!(document.publisher, "Example Health");
    assert_eq!(
        document.url.as_deref(),
        Some("https://www.example.org/conditions/gout")
    );
    expect![[r#"
        overview | Gout is a common form of arthritis. It causes sudden pain in a j…
        # Symptoms
        symptoms | Symptoms of gout may include:
            - Intense joint pain
            - Redness and swelling
        symptoms | Attacks often start at night.
        symptoms | (incomplete) Triggers might:
        # Treatment
        treatment | Medicines can treat attacks and prevent new ones. It’s best to s…
        removed: We use cookies to improve your experience.
        removed: © 2025 Example Health. All rights reserved.
    "#]]
    .assert_eq(&render(&document));
}

#[test]
fn html_metadata_overrides_page() {
    let metadata = WebMetadata {
        id: Some("gout-1".into()),
        publisher: Some("Example Clinic".into()),
        url: Some("https://clinic.example/gout".into()),
        ..WebMetadata::default()
    };
    let document = read_web_html(Path::new("gout.html"), HTML_PAGE, &metadata).unwrap();
    assert_eq!(document.id.0, "gout-1");
    assert_eq!(document.publisher, "Example Clinic");
    assert_eq!(document.url.as_deref(), Some("https://clinic.example/gout"));
}

fn temp_dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn empty_file_is_an_error() {
    let dir = temp_dir_with(&[("a.txt", b"Gout is a form of arthritis."), ("b.txt", b"  \n\n")]);
    let err = read_web_dir(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::Empty { path } if path.ends_with("b.txt")),
        "{err}"
    );
    let err = read_web_text(Path::new("c.txt"), "", &WebMetadata::default()).unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err}");
}

#[test]
fn binary_file_is_an_error() {
    let dir = temp_dir_with(&[("page.html", &[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe])]);
    let err = read_web_dir(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::NotUtf8 { path, .. } if path.ends_with("page.html")),
        "{err}"
    );
}

#[test]
fn bad_metadata_names_the_file() {
    let dir = temp_dir_with(&[
        ("a.txt", b"Gout is a form of arthritis."),
        ("metadata.toml", b"[\"a.txt\"\nid = "),
    ]);
    let err = read_web_dir(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::Metadata { path, .. } if path.ends_with("metadata.toml")),
        "{err}"
    );
    assert!(err.to_string().contains("metadata.toml: bad metadata"), "{err}");
    // A table of the wrong shape is bad metadata too.
    let dir = temp_dir_with(&[
        ("a.txt", b"Gout is a form of arthritis."),
        ("metadata.toml", b"[\"a.txt\"]\nid = 7\n"),
    ]);
    let err = read_web_dir(dir.path()).unwrap_err();
    assert!(matches!(&err, Error::Metadata { .. }), "{err}");
}

#[test]
fn page_of_boilerplate_yields_no_documents() {
    let text = "Â© 2025 Example Health. All rights reserved.\nYour donation powers research.\nSubscribe to our newsletter.";
    let err = read_web_text(Path::new("junk.txt"), text, &WebMetadata::default()).unwrap_err();
    assert!(
        matches!(&err, Error::NoDocuments { path } if path.ends_with("junk.txt")),
        "{err}"
    );
    let err = read_web_text(Path::new("intro.txt"), "Symptoms might:", &WebMetadata::default()).unwrap_err();
    assert!(matches!(err, Error::NoDocuments { .. }), "{err}");
}

#[test]
fn directory_without_metadata_uses_file_stems() {
    let dir = temp_dir_with(&[
        ("b.html", b"<h1>Lupus</h1><p>Lupus is an autoimmune disease.</p>"),
        ("a.txt", b"Gout is a form of arthritis."),
        ("notes.md", b"# ignored"),
    ]);
    let documents = read_web_dir(dir.path()).unwrap();
    let ids: Vec<&str> = documents.iter().map(|d| d.id.0.as_str()).collect();
    assert_eq!(ids, vec!["web:a", "web:b"]);
    assert_eq!(documents[1].title, "Lupus");
    assert_eq!(documents[0].licence, "© the publisher; shown with attribution");
}
