//! Web pages as scraped text or HTML, cleaned into documents.
//!
//! Scraped pages carry noise: mojibake (`Â©`), bullets flattened into characters, donation and
//! newsletter lines, community promotions, a title printed twice, list intros whose items were lost.
//! Both formats go through one pipeline so every rule is written once:
//!
//! 1. **lines** — a text file ([`lines::text_lines`]) or an HTML page ([`html::html_page`]) becomes a
//!    run of [`lines::Line`]s: text, list items, headings and gaps, all normalised;
//! 2. **boilerplate** — lines matching a general rule ([`boilerplate::boilerplate_reason`]) are
//!    removed and recorded verbatim in [`Document::removed`];
//! 3. **headings** — short title-like lines that head body text become headings; headings that head
//!    nothing are removed and recorded ([`sections::promote_headings`]);
//! 4. **blocks** — paragraphs, lists with their intro, and dangling intros kept as
//!    [`Block::Incomplete`] ([`sections::pieces`]);
//! 5. **sections** — kinds from headings, or from wording where no heading can be trusted
//!    ([`sections::build_sections`]); lists of other names become [`Document::synonyms`].
//!
//! Provenance (id, publisher, title, URL, licence) comes from a [`WebMetadata`], for a directory from
//! its `metadata.toml` keyed by file name; an HTML page may supply what the metadata lacks.

mod boilerplate;
mod html;
mod lines;
mod sections;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::check_controls;
use crate::{Block, Collection, Document, DocumentId, Error};
use lines::Line;

/// Licence recorded when the metadata names none.
pub(crate) const DEFAULT_WEB_LICENCE: &str = "© the publisher; shown with attribution";

/// Publisher recorded when neither the metadata, the page nor its URL names one.
const UNKNOWN_PUBLISHER: &str = "unknown publisher";

/// Provenance of one web page, from a sidecar `metadata.toml` or given by the caller.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct WebMetadata {
    /// Stable document id; defaults to `web:<file stem>`.
    pub id: Option<String>,
    /// Who wrote the article.
    pub publisher: Option<String>,
    /// Title; defaults to the page's own title or first heading.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// The site the copy was scraped from, when not the publisher's own.
    pub via: Option<String>,
    /// Terms under which Kindred shows it.
    pub licence: Option<String>,
}

/// Reads one scraped text page. `path` names the file in errors and gives the origin and default id.
pub fn read_web_text(path: &Path, text: &str, metadata: &WebMetadata) -> Result<Document, Error> {
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    check_controls(path, text)?;
    let lines = lines::text_lines(text);
    let title_hint = text_title_hint(&lines);
    let page = Page {
        lines,
        title: title_hint,
        site_name: None,
        url: None,
    };
    build_document(path, page, metadata)
}

/// Reads one HTML page. `path` names the file in errors and gives the origin and default id; the
/// page's `h1`, `og:site_name` and canonical URL fill what `metadata` lacks.
pub fn read_web_html(path: &Path, html: &str, metadata: &WebMetadata) -> Result<Document, Error> {
    if html.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    check_controls(path, html)?;
    let page = html::html_page(html).ok_or_else(|| Error::TooDeep {
        path: path.to_owned(),
        limit: crate::MAX_NESTING_DEPTH,
    })?;
    let page = Page {
        lines: page.lines,
        title: page.title,
        site_name: page.site_name,
        url: page.url,
    };
    build_document(path, page, metadata)
}

/// Reads every `.txt` and `.html` page of a directory (not its subdirectories), sorted by file name,
/// with provenance from its `metadata.toml` when there is one.
pub fn read_web_dir(dir: &Path) -> Result<Vec<Document>, Error> {
    let metadata = read_metadata_file(&dir.join("metadata.toml"))?;
    let mut documents = Vec::new();
    for (path, file_metadata) in crate::input::dir_entries(dir)? {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !file_metadata.is_file() || !matches!(extension.as_deref(), Some("txt" | "html" | "htm")) {
            continue;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let page_metadata = metadata.get(&file_name).cloned().unwrap_or_default();
        documents.push(crate::read_web_file(&path, &page_metadata)?);
    }
    if documents.is_empty() {
        return Err(Error::NoDocuments { path: dir.to_owned() });
    }
    Ok(documents)
}

/// Reads a `metadata.toml` (tables keyed by file name); a missing or empty file is no metadata.
fn read_metadata_file(path: &Path) -> Result<BTreeMap<String, WebMetadata>, Error> {
    let bytes = match crate::input::read_file(path) {
        Ok(bytes) => bytes,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(BTreeMap::new());
        }
        Err(e) => return Err(e),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(BTreeMap::new());
    }
    let text = crate::error::decode_text(path, bytes)?;
    toml::from_str(&text).map_err(|e| Error::Metadata {
        path: path.to_owned(),
        message: e.message().to_owned(),
    })
}

/// A page in lines, with what it says about itself.
struct Page {
    lines: Vec<Line>,
    title: Option<String>,
    site_name: Option<String>,
    url: Option<String>,
}

/// A title a text page gives away: a duplicated title line ("Dystonia Dystonia"), else the condition
/// of the first "<section> of <condition>" heading ("Causes of Dystonia").
fn text_title_hint(lines: &[Line]) -> Option<String> {
    let texts = || {
        lines.iter().filter_map(|line| match line {
            Line::Text(text) => Some(text.as_str()),
            _ => None,
        })
    };
    texts().find_map(boilerplate::repeated_phrase).or_else(|| {
        texts()
            .filter(|text| sections::looks_like_heading(text) && sections::heading_kind(text).is_some())
            .find_map(|text| {
                text.split_once(" of ")
                    .map(|(_, condition)| condition.trim().to_owned())
            })
    })
}

/// The condition a title names: "Dystonia - Symptoms and causes" → "Dystonia".
fn focus_from_title(title: &str) -> String {
    let mut focus = title;
    for separator in [" | ", " - ", " – ", " — ", ": "] {
        focus = focus.split(separator).next().unwrap_or(focus);
    }
    focus.trim().to_owned()
}

/// The host of a URL without `www.`: "https://www.example.org/a" → "example.org".
fn domain(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .rsplit('@')
        .next()?
        .split(':')
        .next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    host.contains('.').then(|| host.to_ascii_lowercase())
}

/// The shared pipeline: boilerplate, headings, blocks, sections, synonyms, provenance.
fn build_document(path: &Path, page: Page, metadata: &WebMetadata) -> Result<Document, Error> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(kindred_text::normalize)
            .filter(|s| !s.is_empty())
    };
    let title = clean(&metadata.title)
        .or(page.title)
        .unwrap_or_else(|| stem.clone());
    let url = clean(&metadata.url).or(page.url);
    let publisher = clean(&metadata.publisher)
        .or(page.site_name)
        .or_else(|| url.as_deref().and_then(domain))
        .unwrap_or_else(|| UNKNOWN_PUBLISHER.to_owned());

    let mut removed = Vec::new();
    let lines = boilerplate::remove_boilerplate(page.lines, &mut removed);
    let lines = sections::promote_headings(lines, &title, &mut removed);
    let mut sections = sections::build_sections(sections::pieces(&lines));
    let focus = focus_from_title(&title);
    let mut synonyms = sections::take_synonyms(&mut sections);
    synonyms.retain(|name| kindred_text::fold_for_match(name) != kindred_text::fold_for_match(&focus));

    let has_statements = sections
        .iter()
        .flat_map(|s| &s.blocks)
        .any(|b| !Block::statements(b).is_empty());
    if !has_statements {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    let document = Document {
        id: DocumentId(clean(&metadata.id).unwrap_or_else(|| format!("web:{stem}"))),
        collection: Collection::Web,
        publisher,
        title,
        url,
        licence: clean(&metadata.licence).unwrap_or_else(|| DEFAULT_WEB_LICENCE.to_owned()),
        focus: (!focus.is_empty()).then_some(focus),
        synonyms,
        cuis: Vec::new(),
        semantic_types: Vec::new(),
        semantic_group: None,
        category: None,
        sections,
        removed,
        origin: file_name,
    };
    crate::model::check_document(path, &document)?;
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SectionKind;

    /// The kind and passage text of each statement-making block, in reading order.
    fn block_kinds(document: &Document) -> Vec<(SectionKind, String)> {
        document
            .sections
            .iter()
            .flat_map(|s| {
                s.blocks
                    .iter()
                    .filter_map(move |b| b.passage_text().map(|t| (s.kind, t)))
            })
            .collect()
    }

    #[test]
    fn titles_and_domains() {
        assert_eq!(
            focus_from_title("Dystonia - Symptoms and causes | Mayo Clinic"),
            "Dystonia"
        );
        assert_eq!(
            domain("https://www.Example.org:443/a?b"),
            Some("example.org".into())
        );
        assert_eq!(domain("not a url"), None);
    }

    #[test]
    fn text_without_metadata_finds_its_title() {
        let text = "Gout Gout\n\nGout is a form of arthritis.\n\nCauses of Gout\n\nUric acid builds up.";
        let document = read_web_text(Path::new("pages/gout.txt"), text, &WebMetadata::default());
        let Ok(document) = document else {
            panic!("{document:?}")
        };
        assert_eq!(document.id.0, "web:gout");
        assert_eq!(document.title, "Gout");
        assert_eq!(document.focus.as_deref(), Some("Gout"));
        assert_eq!(document.publisher, UNKNOWN_PUBLISHER);
        assert_eq!(document.licence, DEFAULT_WEB_LICENCE);
        assert_eq!(document.removed, vec!["Gout Gout"]);
        assert_eq!(
            block_kinds(&document),
            vec![
                (SectionKind::Overview, "Gout is a form of arthritis.".to_owned()),
                (SectionKind::Causes, "Uric acid builds up.".to_owned()),
            ]
        );
    }
}
