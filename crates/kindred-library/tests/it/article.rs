//! The merged article of a condition: statements grouped, independent sources counted.

use kindred_corpus::{Block, Document, SectionKind};
use kindred_library::{Library, SourceData, SourceKind, SourceRecord};

use crate::{page_section, paragraph, strings, web};

fn build(documents: Vec<Document>) -> Library {
    let sources = vec![SourceData {
        record: SourceRecord {
            id: "pages".to_owned(),
            kind: SourceKind::Web,
            ingested_at: "2025-01-01T00:00:00Z".to_owned(),
            n_items: documents.len(),
        },
        documents,
        judged: Vec::new(),
    }];
    Library::build(&sources).unwrap()
}

fn page(id: &str, publisher: &str, blocks: Vec<(SectionKind, Block)>) -> Document {
    Document {
        publisher: publisher.to_owned(),
        sections: blocks
            .into_iter()
            .map(|(kind, block)| page_section(kind, kind.title(), vec![block]))
            .collect(),
        ..web(id, "Dystonia")
    }
}

const CAUSE: &str = "The exact cause of dystonia isn't known. It might involve changes in communication between \
nerve cells in several regions of the brain, and some forms are passed down in families.";
const CAUSE_REWORDED: &str = "The exact cause of dystonia is unknown; it may involve changes in communication \
between nerve cells in several brain regions, and some forms are passed down in families.";
const TREATMENT: &str = "Injections of botulinum toxin into specific muscles might reduce or stop muscle spasms. \
Injections usually are repeated every 3 to 4 months.";

/// One line per statement: section, independent sources, documents cited (copies marked).
fn render(library: &Library) -> String {
    let condition = library.catalog.by_slug("dystonia").unwrap().id;
    let mut out = String::new();
    for section in library.article(condition).sections {
        for statement in section.statements {
            let cited: Vec<String> = statement
                .sources
                .iter()
                .map(|s| {
                    let id = &library.documents[s.document_idx as usize].id.0;
                    if s.is_copy {
                        format!("{id} (copy)")
                    } else {
                        id.clone()
                    }
                })
                .collect();
            out.push_str(&format!(
                "{} {} {}\n",
                section.kind,
                statement.n_independent,
                cited.join(", ")
            ));
        }
    }
    out
}

#[test]
fn copies_count_once_and_paraphrases_agree() {
    let mayo = page(
        "web:mayo",
        "Mayo Clinic",
        vec![
            (SectionKind::Causes, paragraph(CAUSE)),
            (SectionKind::Treatment, paragraph(TREATMENT)),
        ],
    );
    // The same article scraped from another site: a copy, never agreement.
    let mirror = page(
        "web:mirror",
        "Mayo Clinic",
        vec![(SectionKind::Causes, paragraph(CAUSE))],
    );
    let clinic = page(
        "web:clinic",
        "Clinic",
        vec![(SectionKind::Causes, paragraph(CAUSE_REWORDED))],
    );
    let library = build(vec![mayo, mirror, clinic]);
    assert_eq!(
        render(&library),
        "causes 2 web:mayo, web:clinic, web:mirror (copy)\ntreatment 1 web:mayo\n",
    );
}

#[test]
fn a_list_stays_a_list_and_dangling_intros_are_not_statements() {
    let clinic = Document {
        sections: vec![page_section(
            SectionKind::Symptoms,
            "Symptoms",
            vec![
                Block::List {
                    intro: Some("Symptoms may include:".into()),
                    items: strings(&["Voice tremor", "Teeth grinding"]),
                },
                Block::Incomplete {
                    text: "Muscle spasms might:".into(),
                },
            ],
        )],
        ..page("web:clinic", "Clinic", vec![])
    };
    let library = build(vec![clinic]);
    let condition = library.catalog.by_slug("dystonia").unwrap().id;
    let article = library.article(condition);
    let blocks: Vec<&Block> = article
        .sections
        .iter()
        .flat_map(|s| s.statements.iter().map(|st| &st.block))
        .collect();
    assert_eq!(
        blocks,
        vec![&Block::List {
            intro: Some("Symptoms may include:".into()),
            items: strings(&["Voice tremor", "Teeth grinding"])
        }]
    );
}
