//! HTML pages to lines: the same [`Line`]s a text file gives, so cleaning is shared.
//!
//! Page chrome (`nav`, `header`, `footer`, `aside`, `form`, scripts, anything `aria-hidden` or
//! `hidden`) is skipped before any text is read; what remains is walked in document order: `h1`–`h6`
//! become headings, `p`, `dd`, `blockquote`… become text lines, `li` items. Loose text in containers
//! (a cookie banner's `div`) becomes a text line too, which the boilerplate rules then judge.

use kindred_text::normalize;
use scraper::{ElementRef, Html, Selector};

use super::lines::{Line, push_gap};

/// What an HTML page says about itself, besides its lines.
#[derive(Debug, Default)]
pub(crate) struct HtmlPage {
    /// The page in lines.
    pub(crate) lines: Vec<Line>,
    /// The first `h1`, else `og:title`, else `<title>` without its site suffix.
    pub(crate) title: Option<String>,
    /// `og:site_name`.
    pub(crate) site_name: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    pub(crate) url: Option<String>,
}

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "button", "svg",
    "iframe", "select", "head", "dialog", "menu",
];

/// ARIA roles of the same page chrome.
const SKIPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
];

/// Elements read as one text block.
const TEXT_BLOCKS: &[&str] = &[
    "p",
    "dd",
    "dt",
    "blockquote",
    "figcaption",
    "pre",
    "summary",
    "caption",
    "address",
];

/// Elements whose text flows into the surrounding line.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "font", "label",
];

/// Reads an HTML page into lines and page metadata.
pub(crate) fn html_page(html: &str) -> HtmlPage {
    let document = Html::parse_document(html);
    let mut walker = Walker::default();
    walker.walk(document.root_element());
    walker.flush();
    HtmlPage {
        lines: walker.lines,
        title: first_text(&document, "h1")
            .or_else(|| meta(&document, r#"meta[property="og:title"]"#, "content"))
            .or_else(|| first_text(&document, "title").map(|t| strip_site_suffix(&t).to_owned())),
        site_name: meta(&document, r#"meta[property="og:site_name"]"#, "content"),
        url: meta(&document, r#"link[rel="canonical"]"#, "href")
            .or_else(|| meta(&document, r#"meta[property="og:url"]"#, "content")),
    }
}

/// "Dystonia - Symptoms and causes | Mayo Clinic" → "Dystonia - Symptoms and causes".
fn strip_site_suffix(title: &str) -> &str {
    title.split(" | ").next().unwrap_or(title).trim()
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn first_text(document: &Html, css: &str) -> Option<String> {
    let selector = selector(css)?;
    document
        .select(&selector)
        .map(|element| normalize(&element.text().collect::<String>()))
        .find(|text| !text.is_empty())
}

fn meta(document: &Html, css: &str, attribute: &str) -> Option<String> {
    let selector = selector(css)?;
    document
        .select(&selector)
        .filter_map(|element| element.value().attr(attribute))
        .map(normalize)
        .find(|value| !value.is_empty())
}

fn is_skipped(element: ElementRef<'_>) -> bool {
    let value = element.value();
    SKIPPED.contains(&value.name())
        || value
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || value.attr("hidden").is_some()
        || value
            .attr("role")
            .is_some_and(|role| SKIPPED_ROLES.contains(&role.to_ascii_lowercase().as_str()))
}

#[derive(Default)]
struct Walker {
    lines: Vec<Line>,
    /// Loose inline text waiting for the end of its block.
    pending: String,
}

impl Walker {
    fn walk(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            if let Some(text) = child.value().as_text() {
                self.pending.push_str(text);
                continue;
            }
            let Some(child) = ElementRef::wrap(child) else {
                continue;
            };
            if is_skipped(child) {
                continue;
            }
            let name = child.value().name();
            if let Some(level) = heading_level(name) {
                self.flush();
                let text = inline_text(child);
                if !text.is_empty() {
                    self.lines.push(Line::Heading { text, level });
                }
            } else if TEXT_BLOCKS.contains(&name) && !has_block_children(child) {
                self.flush();
                self.push_text(inline_text(child));
            } else if matches!(name, "ul" | "ol") {
                self.flush();
                self.list(child);
                push_gap(&mut self.lines, 1);
            } else if name == "li" {
                self.flush();
                self.item(child);
            } else if INLINE.contains(&name) {
                self.pending.push_str(&inline_text(child));
                self.pending.push(' ');
            } else if name == "br" {
                self.flush();
            } else {
                self.flush();
                self.walk(child);
                self.flush();
            }
        }
    }

    fn list(&mut self, list: ElementRef<'_>) {
        for child in list.child_elements() {
            if child.value().name() == "li" && !is_skipped(child) {
                self.item(child);
            }
        }
    }

    /// An item's own text, then the items of lists nested in it.
    fn item(&mut self, item: ElementRef<'_>) {
        let text = inline_text(item);
        if !text.is_empty() {
            self.lines.push(Line::Item(text));
        }
        for nested in item
            .child_elements()
            .filter(|c| matches!(c.value().name(), "ul" | "ol"))
        {
            self.list(nested);
        }
    }

    fn push_text(&mut self, text: String) {
        if !text.is_empty() {
            self.lines.push(Line::Text(text));
        }
    }

    fn flush(&mut self) {
        let text = normalize(&std::mem::take(&mut self.pending));
        self.push_text(text);
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn has_block_children(element: ElementRef<'_>) -> bool {
    element.child_elements().any(|c| {
        let name = c.value().name();
        TEXT_BLOCKS.contains(&name)
            || matches!(name, "ul" | "ol" | "div" | "table")
            || heading_level(name).is_some()
    })
}

/// The normalised text of an element, without skipped elements or nested lists.
fn inline_text(element: ElementRef<'_>) -> String {
    fn collect(element: ElementRef<'_>, out: &mut String) {
        for child in element.children() {
            if let Some(text) = child.value().as_text() {
                out.push_str(text);
            } else if let Some(child) = ElementRef::wrap(child) {
                let name = child.value().name();
                if is_skipped(child) || matches!(name, "ul" | "ol") {
                    continue;
                }
                if name == "br" || !INLINE.contains(&name) {
                    out.push(' ');
                }
                collect(child, out);
                if !INLINE.contains(&name) {
                    out.push(' ');
                }
            }
        }
    }
    let mut out = String::new();
    collect(element, &mut out);
    normalize(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_chrome_and_reads_blocks() {
        let page = html_page(
            r#"<html><head><title>Gout | Example</title></head><body>
            <nav><a href="/">Home</a></nav>
            <h1>Gout</h1><p>Gout is <b>a form</b> of arthritis.</p>
            <div aria-hidden="true">Hidden</div>
            <h2>Symptoms</h2><p>Symptoms include:</p><ul><li>Pain<ul><li>Severe</li></ul></li><li>Swelling</li></ul>
            <footer>Footer</footer></body></html>"#,
        );
        assert_eq!(page.title.as_deref(), Some("Gout"));
        assert_eq!(
            page.lines,
            vec![
                Line::Heading {
                    text: "Gout".into(),
                    level: 1
                },
                Line::Text("Gout is a form of arthritis.".into()),
                Line::Heading {
                    text: "Symptoms".into(),
                    level: 2
                },
                Line::Text("Symptoms include:".into()),
                Line::Item("Pain".into()),
                Line::Item("Severe".into()),
                Line::Item("Swelling".into()),
                Line::Gap(1),
            ]
        );
    }
}
