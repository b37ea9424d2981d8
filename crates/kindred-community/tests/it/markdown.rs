//! Markdown rendering: the allowed subset, and cross-site scripting payloads that must come out
//! inert.

use kindred_community::Error;
use kindred_community::markdown::{MAX_MARKDOWN_CHARS, render};

const ALLOWED_TAGS: [&str; 17] = [
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

/// A tag of the output: its name and attributes (name, value).
#[derive(Debug)]
struct OutputTag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Every tag in `html`. Text in the output has `<` escaped, so every literal `<` opens a tag.
fn tags(html: &str) -> Vec<OutputTag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let mut end = rest.len();
        let mut quote = None;
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let inside = rest[..end].trim_start_matches('/').trim_end_matches('/');
        let mut parts = inside.splitn(2, char::is_whitespace);
        let name = parts.next().unwrap_or_default().to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = parts.next().unwrap_or_default().trim();
        while !attrs.is_empty() {
            let name_end = attrs.find(['=', ' ']).unwrap_or(attrs.len());
            let attr_name = attrs[..name_end].to_ascii_lowercase();
            attrs = attrs[name_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = attrs.strip_prefix('=') {
                let after = after.trim_start();
                if let Some(quoted) = after.strip_prefix('"') {
                    let close = quoted.find('"').unwrap_or(quoted.len());
                    value = quoted[..close].to_string();
                    attrs = quoted.get(close + 1..).unwrap_or_default().trim_start();
                } else {
                    let close = after.find(' ').unwrap_or(after.len());
                    value = after[..close].to_string();
                    attrs = after[close..].trim_start();
                }
            }
            attributes.push((attr_name, value));
        }
        tags.push(OutputTag { name, attributes });
        rest = &rest[end.min(rest.len())..];
    }
    tags
}

/// Asserts that `html` has only allowed tags and attributes, and only safe link targets.
fn assert_inert(src: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for banned in [
        "<script", "<iframe", "<img", "<svg", "<style", "<object", "<embed", "<form", "<meta", "<base",
        "<math", "<details", "<input", "<link",
    ] {
        assert!(!lower.contains(banned), "{banned} in {html:?} from {src:?}");
    }
    for tag in tags(html) {
        assert!(
            ALLOWED_TAGS.contains(&tag.name.as_str()),
            "tag {tag:?} in {html:?} from {src:?}"
        );
        for (name, value) in &tag.attributes {
            assert!(!name.starts_with("on"), "handler {name} in {html:?} from {src:?}");
            match (tag.name.as_str(), name.as_str()) {
                ("a", "href") => {
                    let value = value.trim().to_ascii_lowercase();
                    assert!(
                        ["http://", "https://", "mailto:"]
                            .iter()
                            .any(|s| value.starts_with(s)),
                        "href {value:?} in {html:?} from {src:?}"
                    );
                }
                ("a", "rel") => assert_eq!(value, "nofollow noopener ugc"),
                _ => panic!("attribute {name} on {} in {html:?} from {src:?}", tag.name),
            }
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(
                    !value.to_ascii_lowercase().contains(scheme),
                    "{value:?} from {src:?}"
                );
            }
        }
    }
}

fn html(src: &str) -> String {
    match render(src) {
        Ok(html) => html,
        Err(error) => panic!("{src:?} refused: {error}"),
    }
}

const HTML_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "text <script>alert(1)</script> more",
    "<img src=x onerror=alert(1)>",
    "inline <img src=x onerror=alert(1)> image",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p class=\"x\" onclick=\"alert(1)\">x</p>",
    "<!-- c --><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<style>body{display:none}</style>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<body onload=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "*<img src=x onerror=alert(1)>*",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
];

/// Payloads whose only dangerous part is a link target: nothing of it may survive.
const LINK_PAYLOADS: &[&str] = &[
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x]\n\n[x]: javascript:alert(1)",
    "[x](//evil.example/)",
    "[x](/relative)",
    "![x](javascript:alert(1))",
    "![x](https://example.org/cat.png \"title\")",
    "![x\" onerror=\"alert(1)](https://example.org/x.png)",
    "[x](<https://example.org/\" onmouseover=\"alert(1)>)",
    "[x](https://example.org/\"onmouseover=alert(1))",
];

#[test]
fn raw_html_payloads_come_out_inert() {
    for &src in HTML_PAYLOADS {
        let out = html(src);
        assert_inert(src, &out);
    }
    // Raw HTML is shown as the text it is, not dropped.
    assert_eq!(
        html("<script>alert(1)</script>"),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    );
}

#[test]
fn link_payloads_lose_their_targets() {
    for &src in LINK_PAYLOADS {
        let out = html(src);
        assert_inert(src, &out);
        let lower = out.to_ascii_lowercase();
        for banned in ["javascript", "vbscript", "data:", "evil"] {
            assert!(!lower.contains(banned), "{banned} in {out:?} from {src:?}");
        }
    }
    assert_eq!(
        html("[x](javascript:alert(1))"),
        "<p><a rel=\"nofollow noopener ugc\">x</a></p>\n"
    );
}

#[test]
fn safe_links_keep_their_targets_with_rel() {
    for (src, expected) in [
        (
            "[Mayo](https://www.mayoclinic.org/)",
            "<p><a href=\"https://www.mayoclinic.org/\" rel=\"nofollow noopener ugc\">Mayo</a></p>\n",
        ),
        (
            "<https://example.org/a?b=1&c=2>",
            "<p><a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener ugc\">https://example.org/a?b=1&amp;c=2</a></p>\n",
        ),
        (
            "[mail](mailto:someone@example.org)",
            "<p><a href=\"mailto:someone@example.org\" rel=\"nofollow noopener ugc\">mail</a></p>\n",
        ),
        (
            "[plain](http://example.org)",
            "<p><a href=\"http://example.org\" rel=\"nofollow noopener ugc\">plain</a></p>\n",
        ),
    ] {
        let out = html(src);
        assert_inert(src, &out);
        assert_eq!(out, expected, "{src:?}");
    }
}

#[test]
fn formatting_survives() {
    let src = "## Week one\n\nFirst **better**, then _worse_, ~~no~~ change.\n\n1. one\n2. two\n\n---\n\n    code block\n\nline  \nbreak";
    let out = html(src);
    assert_inert(src, &out);
    expect_test::expect![[r#"
        <h3>Week one</h3>
        <p>First <strong>better</strong>, then <em>worse</em>, <del>no</del> change.</p>
        <ol>
        <li>one</li>
        <li>two</li>
        </ol>
        <hr>
        <pre><code>code block
        </code></pre>
        <p>line<br>
        break</p>
    "#]]
    .assert_eq(&out);
}

#[test]
fn fenced_code_loses_its_class() {
    let out = html("```rust\nlet x = 1 < 2;\n```");
    assert_eq!(out, "<pre><code>let x = 1 &lt; 2;\n</code></pre>\n");
}

#[test]
fn input_over_the_limit_is_refused() {
    assert!(render(&"x".repeat(MAX_MARKDOWN_CHARS)).is_ok());
    let error = render(&"x".repeat(MAX_MARKDOWN_CHARS + 1)).err();
    assert_eq!(
        error,
        Some(Error::TooLong {
            field: "markdown".into(),
            max: MAX_MARKDOWN_CHARS
        })
    );
    assert_eq!(
        error.map(|e| e.to_string()).as_deref(),
        Some("markdown is longer than 20000 characters")
    );
}

#[test]
fn tag_scanner_sees_handlers() {
    // The checker itself must be able to fail.
    let tags = tags("<p><a href=\"https://x\" onclick='y'>z</a></p>");
    assert_eq!(tags[1].name, "a");
    assert_eq!(tags[1].attributes[1], ("onclick".to_string(), "'y'".to_string()));
    let result = std::panic::catch_unwind(|| assert_inert("", "<img src=x onerror=alert(1)>"));
    assert!(result.is_err());
}
