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

/// Reads an HTML page into lines and page metadata; `None` when its elements nest deeper than
/// [`MAX_NESTING_DEPTH`](crate::MAX_NESTING_DEPTH), which bounds the recursion of the walk below.
pub(crate) fn html_page(html: &str) -> Option<HtmlPage> {
    // html5ever builds any depth, but its scope checks walk the stack of open elements, so a page
    // nested 50,000 deep takes it ten seconds (and 200,000 deep minutes): refuse such a page from its
    // tags before parsing, then check the parsed tree exactly.
    if open_tags_exceed(html, 4 * crate::MAX_NESTING_DEPTH) {
        return None;
    }
    let document = Html::parse_document(html);
    if nests_deeper_than(&document, crate::MAX_NESTING_DEPTH) {
        return None;
    }
    let mut walker = Walker::default();
    walker.walk(document.root_element());
    walker.flush();
    Some(HtmlPage {
        lines: walker.lines,
        title: first_text(&document, "h1")
            .or_else(|| meta(&document, r#"meta[property="og:title"]"#, "content"))
            .or_else(|| first_text(&document, "title").map(|t| strip_site_suffix(&t).to_owned())),
        site_name: meta(&document, r#"meta[property="og:site_name"]"#, "content"),
        url: meta(&document, r#"link[rel="canonical"]"#, "href")
            .or_else(|| meta(&document, r#"meta[property="og:url"]"#, "content")),
    })
}

/// Elements that never hold others (`<br>`), and those whose end tag is optional and which cannot
/// nest in themselves (a new `<li>` closes the last): neither deepens a page however many are left
/// open.
const NOT_NESTING: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr",
    "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head",
    "body",
];

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Whether more than `limit` elements are open at once somewhere in the page, judged from its tags
/// in one linear pass (no tree is built): an end tag closes its element and those opened after it;
/// `/>` closes an element only inside `svg` or `math`, as in the HTML parser. Tags are counted
/// rather than parsed, so this may overestimate, never underestimate by much, the parsed depth.
fn open_tags_exceed(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut n_open_by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut n_foreign = 0usize;
    let mut at = 0;
    let find = |from: usize, needle: &str| {
        html.get(from..)
            .and_then(|rest| rest.find(needle))
            .map(|i| from + i)
    };
    while let Some(lt) = find(at, "<") {
        at = lt + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"!--") {
            at = find(at + 3, "-->").map_or(bytes.len(), |i| i + 3);
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            at = find(at, "]]>").map_or(bytes.len(), |i| i + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = at + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!doctype>`, `<?…>`, or a lone `<` in text.
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        // The end of the tag, skipping quoted attribute values.
        let mut end = name_start + name_len;
        let mut quote = None;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'"' | b'\'') => quote = Some(bytes[end]),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
        at = (end + 1).min(bytes.len());
        if closing {
            if n_open_by_name.get(&name).copied().unwrap_or(0) > 0 {
                while let Some(top) = open.pop() {
                    if let Some(n) = n_open_by_name.get_mut(&top) {
                        *n -= 1;
                    }
                    if matches!(top.as_str(), "svg" | "math") {
                        n_foreign -= 1;
                    }
                    if top == name {
                        break;
                    }
                }
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) && n_foreign == 0 {
            // Up to the matching end tag, whatever its case.
            let mut search = at;
            at = bytes.len();
            while let Some(i) = find(search, "</") {
                let candidate = &bytes[i + 2..];
                if candidate.len() >= name.len()
                    && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                {
                    at = i;
                    break;
                }
                search = i + 2;
            }
            continue;
        }
        if NOT_NESTING.contains(&name.as_str()) || (self_closing && n_foreign > 0) {
            continue;
        }
        if matches!(name.as_str(), "svg" | "math") {
            n_foreign += 1;
        }
        *n_open_by_name.entry(name.clone()).or_insert(0) += 1;
        open.push(name);
        if open.len() > limit {
            return true;
        }
    }
    false
}

/// Whether any node of the parsed page lies more than `limit` levels below its root, found by an
/// iterative walk (html5ever builds any depth; only our recursive walks care).
fn nests_deeper_than(document: &Html, limit: usize) -> bool {
    let mut node = document.tree.root();
    let mut depth = 0usize;
    loop {
        if let Some(child) = node.first_child() {
            node = child;
            depth += 1;
            if depth > limit {
                return true;
            }
            continue;
        }
        loop {
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(parent) => {
                    node = parent;
                    depth -= 1;
                }
                None => return false,
            }
        }
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
    fn open_tags_are_counted_as_the_parser_nests_them() {
        let many = |tag: &str| tag.repeat(3_000);
        // Left open but never nesting: paragraphs, items, cells, line breaks, SVG shapes.
        for page in [
            many("<p>x"),
            format!("<ul>{}</ul>", many("<li>x")),
            format!("<table>{}</table>", many("<tr><td>x")),
            many("<br>"),
            format!("<svg>{}</svg>", many("<path d='M0 0'/>")),
            format!("<script>{}</script>", many("if (a<b) {}")),
            format!("<!-- {} -->", many("<div>")),
            many("<div></div>"),
            many("<div><span></div>"),
        ] {
            assert!(!open_tags_exceed(&page, 100), "{}", &page[..60]);
        }
        // Nesting, however written: `/>` does not close a div outside SVG.
        for page in [many("<div>"), many("<div/>"), many("<b id=1>"), many("<ul><li>")] {
            assert!(open_tags_exceed(&page, 100), "{}", &page[..60]);
        }
    }

    #[test]
    fn skips_chrome_and_reads_blocks() {
        let page = html_page(
            r#"<html><head><title>Gout | Example</title></head><body>
            <nav><a href="/">Home</a></nav>
            <h1>Gout</h1><p>Gout is <b>a form</b> of arthritis.</p>
            <div aria-hidden="true">Hidden</div>
            <h2>Symptoms</h2><p>Symptoms include:</p><ul><li>Pain<ul><li>Severe</li></ul></li><li>Swelling</li></ul>
            <footer>Footer</footer></body></html>"#,
        )
        .unwrap();
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
