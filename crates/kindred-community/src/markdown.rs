//! Members' Markdown (posts, replies) to safe HTML.
//!
//! Two layers, so that a mistake in one is caught by the other:
//! 1. pulldown-cmark parses the Markdown; raw HTML in the source is turned into text (so it comes
//!    out escaped, never active; a block of it becomes a paragraph), images become their alt text, and headings are moved down to
//!    `h3`–`h6` so a post cannot out-shout the page.
//! 2. ammonia sanitises the HTML to an allow-list: `p br em strong del code pre blockquote ul ol
//!    li a h3 h4 h5 h6 hr`, with no attributes but `href` on links (http, https or mailto only) and
//!    `rel="nofollow noopener ugc"` added to every link.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::Error;

/// Most characters of Markdown accepted.
pub const MAX_MARKDOWN_CHARS: usize = 20_000;

/// The `field` named by [`Error::TooLong`] from [`render`].
pub const MARKDOWN_FIELD: &str = "markdown";

/// Markdown to sanitised HTML. Refuses input over [`MAX_MARKDOWN_CHARS`] characters.
pub fn render(src: &str) -> Result<String, Error> {
    check(src)?;
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).filter_map(neutralise);
    let mut unsafe_html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut unsafe_html, parser);
    Ok(sanitiser().clean(&unsafe_html).to_string())
}

/// Checks the length limit alone, e.g. when a post is submitted.
pub fn check(src: &str) -> Result<(), Error> {
    // Bytes bound characters from above: count characters only when the bytes might be too many.
    if src.len() > MAX_MARKDOWN_CHARS && src.chars().count() > MAX_MARKDOWN_CHARS {
        return Err(Error::TooLong {
            field: MARKDOWN_FIELD.into(),
            max: MAX_MARKDOWN_CHARS,
        });
    }
    Ok(())
}

/// Raw HTML becomes text, images disappear (their alt text stays), headings move down.
fn neutralise(event: Event<'_>) -> Option<Event<'_>> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        // A raw HTML block becomes a paragraph of its text.
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Heading {
            level,
            id: _,
            classes: _,
            attrs: _,
        }) => Some(Event::Start(Tag::Heading {
            level: lowered(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lowered(level)))),
        Event::InlineMath(math) | Event::DisplayMath(math) => Some(Event::Text(math)),
        Event::FootnoteReference(name) => Some(Event::Text(CowStr::from(format!("[^{name}]")))),
        other => Some(other),
    }
}

fn lowered(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H3,
        HeadingLevel::H4 => HeadingLevel::H4,
        HeadingLevel::H5 => HeadingLevel::H5,
        HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static SANITISER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITISER.get_or_init(|| {
        let tags = [
            "p",
            "br",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
        ];
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(HashSet::from(tags))
            .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow noopener ugc"))
            .clean_content_tags(HashSet::from(["script", "style"]))
            .strip_comments(true);
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(src: &str) -> String {
        render(src).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn renders_the_allowed_subset() {
        expect_test::expect![[r#"
            <h3>Title</h3>
            <p><em>a</em> <strong>b</strong> <del>c</del> <code>d</code></p>
            <ul>
            <li>one</li>
            </ul>
            <blockquote>
            <p>quoted</p>
            </blockquote>
            <p><a href="https://example.org/x" rel="nofollow noopener ugc">link</a></p>
        "#]]
        .assert_eq(&html(
            "# Title\n\n*a* **b** ~~c~~ `d`\n\n- one\n\n> quoted\n\n[link](https://example.org/x)\n",
        ));
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(html("<b>bold</b>"), "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n");
    }

    #[test]
    fn images_keep_only_alt_text() {
        assert_eq!(html("![a cat](https://example.org/cat.png)"), "<p>a cat</p>\n");
    }

    #[test]
    fn length_limit_counts_characters() {
        assert!(render(&"é".repeat(MAX_MARKDOWN_CHARS)).is_ok());
        assert_eq!(
            render(&"a".repeat(MAX_MARKDOWN_CHARS + 1)),
            Err(Error::TooLong {
                field: "markdown".into(),
                max: MAX_MARKDOWN_CHARS
            })
        );
    }
}
