//! A small PDF writer for the appointment report: blocks of text (title, headings, paragraphs,
//! bullets, small print) laid out on A4 pages in DejaVu Sans, which the binary bundles
//! (`fonts/DejaVuSans.ttf`, Bitstream Vera licence with DejaVu's public-domain changes; see
//! `fonts/LICENSE`).
//!
//! The font is embedded whole (compressed) as a CID TrueType font with `Identity-H` encoding and a
//! `ToUnicode` map, so any character DejaVu Sans has is drawn, and the text can be selected,
//! searched and read back (`pdftotext`). Characters the font lacks are drawn as `?`. Lines are
//! broken at spaces by the font's own advance widths; there is no kerning or shaping, which Latin,
//! Greek and Cyrillic text does not need.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// DejaVu Sans 2.37, as Debian's fonts-dejavu-core ships it.
static FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const FONT_NAME: Name<'static> = Name(b"DejaVuSans");
const FONT_RESOURCE: Name<'static> = Name(b"F1");

/// A4, in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const BOTTOM: f32 = 64.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BULLET_INDENT: f32 = 14.0;

/// A block of the document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// The document's title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A heading inside a section.
    Subheading(String),
    /// A paragraph; line breaks in it start new lines.
    Para(String),
    /// A list item.
    Bullet(String),
    /// Small, grey text: citations, notes about the data.
    Small(String),
    /// Small, grey text indented under a list item: its details.
    Detail(String),
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    leading: f32,
    space_before: f32,
    bold: bool,
    grey: bool,
    indent: f32,
}

impl Block {
    fn style(&self) -> Style {
        let base = Style {
            size: 10.5,
            leading: 14.5,
            space_before: 5.0,
            bold: false,
            grey: false,
            indent: 0.0,
        };
        match self {
            Block::Title(_) => Style {
                size: 20.0,
                leading: 25.0,
                space_before: 0.0,
                bold: true,
                ..base
            },
            Block::Heading(_) => Style {
                size: 14.0,
                leading: 18.0,
                space_before: 16.0,
                bold: true,
                ..base
            },
            Block::Subheading(_) => Style {
                size: 11.5,
                leading: 15.0,
                space_before: 9.0,
                bold: true,
                ..base
            },
            Block::Para(_) => base,
            Block::Bullet(_) => Style {
                space_before: 2.5,
                indent: BULLET_INDENT,
                ..base
            },
            Block::Small(_) => Style {
                size: 9.0,
                leading: 12.0,
                space_before: 2.0,
                grey: true,
                ..base
            },
            Block::Detail(_) => Style {
                size: 9.0,
                leading: 12.0,
                space_before: 1.0,
                grey: true,
                indent: BULLET_INDENT,
                ..base
            },
        }
    }

    fn text(&self) -> &str {
        match self {
            Block::Title(text)
            | Block::Heading(text)
            | Block::Subheading(text)
            | Block::Para(text)
            | Block::Bullet(text)
            | Block::Small(text)
            | Block::Detail(text) => text,
        }
    }
}

/// One line placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    grey: bool,
    /// The line's text, as laid out.
    pub(crate) text: String,
}

/// What went wrong making a PDF (only a damaged bundled font can do this).
#[derive(Debug, thiserror::Error)]
pub(crate) enum PdfError {
    /// The bundled font could not be read.
    #[error("the bundled font cannot be read: {0}")]
    Font(String),
    /// Compressing a stream failed.
    #[error("compressing a PDF stream failed")]
    Compress(#[source] std::io::Error),
}

/// The font, parsed: what layout and encoding need of it.
struct Font<'a> {
    face: ttf_parser::Face<'a>,
    units_per_em: f32,
}

impl Font<'static> {
    fn bundled() -> Result<Font<'static>, PdfError> {
        let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Font { face, units_per_em })
    }
}

impl Font<'_> {
    /// The glyph drawn for `c`: its own, else `?`, else the missing-glyph box.
    fn glyph(&self, c: char) -> (u16, char) {
        match self.face.glyph_index(c) {
            Some(id) => (id.0, c),
            None => (self.face.glyph_index('?').map_or(0, |id| id.0), '?'),
        }
    }

    /// Advance width of a glyph in thousandths of the font size.
    fn advance(&self, glyph: u16) -> f32 {
        let units = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(self.glyph(c).0)).sum::<f32>() * size / 1000.0
    }
}

/// Text without control characters (tabs become spaces), as it can be drawn.
fn drawable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Breaks `text` into lines no wider than `width` at `size`: at spaces, and inside words longer
/// than a line.
fn wrap(font: &Font<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in drawable(paragraph).split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if font.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than a line is cut where it must be.
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !line.is_empty() && font.width(&longer, size) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Lays the blocks out on pages, top to bottom. A heading is never the last line of a page.
pub(crate) fn layout(blocks: &[Block]) -> Result<Vec<Vec<Placed>>, PdfError> {
    let font = Font::bundled()?;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    for (i, block) in blocks.iter().enumerate() {
        let style = block.style();
        let lines = wrap(&font, block.text(), style.size, TEXT_WIDTH - style.indent);
        let is_heading = matches!(block, Block::Heading(_) | Block::Subheading(_) | Block::Title(_));
        // Keep a heading with at least two lines of what follows.
        let needed = if is_heading && i + 1 < blocks.len() {
            style.leading * lines.len() as f32 + 2.0 * 14.5
        } else {
            style.leading
        };
        let at_top = pages.last().is_some_and(Vec::is_empty);
        if !at_top {
            y -= style.space_before;
        }
        if y - needed < BOTTOM && !at_top {
            pages.push(Vec::new());
            y = PAGE_HEIGHT - MARGIN;
        }
        for (n, line) in lines.into_iter().enumerate() {
            if y - style.leading < BOTTOM {
                pages.push(Vec::new());
                y = PAGE_HEIGHT - MARGIN;
            }
            y -= style.leading;
            let page = pages.last_mut();
            let Some(page) = page else { continue };
            if n == 0 && matches!(block, Block::Bullet(_)) {
                page.push(Placed {
                    x: MARGIN + 2.0,
                    y,
                    size: style.size,
                    bold: false,
                    grey: false,
                    text: "•".to_owned(),
                });
            }
            page.push(Placed {
                x: MARGIN + style.indent,
                y,
                size: style.size,
                bold: style.bold,
                grey: style.grey,
                text: line,
            });
        }
    }
    Ok(pages)
}

fn compress(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).map_err(PdfError::Compress)?;
    encoder.finish().map_err(PdfError::Compress)
}

/// The bundled font, compressed once per process.
fn compressed_font() -> Result<&'static [u8], PdfError> {
    static COMPRESSED: OnceLock<Vec<u8>> = OnceLock::new();
    if let Some(done) = COMPRESSED.get() {
        return Ok(done);
    }
    let compressed = compress(FONT)?;
    Ok(COMPRESSED.get_or_init(|| compressed))
}

/// The PDF of `blocks`: A4 pages, with `footer` and the page number at the foot of each page.
pub(crate) fn render(title: &str, blocks: &[Block], footer: &str) -> Result<Vec<u8>, PdfError> {
    let font = Font::bundled()?;
    let pages = layout(blocks)?;
    let n_pages = pages.len();

    let mut next = 0;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let catalog_id = alloc();
    let page_tree_id = alloc();
    let info_id = alloc();
    let type0_id = alloc();
    let cid_id = alloc();
    let descriptor_id = alloc();
    let font_file_id = alloc();
    let cmap_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = (0..n_pages).map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(page_tree_id);
    catalog.lang(TextStr("en"));
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();
    pdf.pages(page_tree_id)
        .kids(page_ids.iter().map(|&(page, _)| page))
        .count(i32::try_from(n_pages).unwrap_or(i32::MAX));
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("Kindred"));

    // Every glyph used, with the character it draws, for the widths and the ToUnicode map.
    let mut used: BTreeMap<u16, char> = BTreeMap::new();
    let mut encode = |text: &str| -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (glyph, shown) = font.glyph(c);
            used.entry(glyph).or_insert(shown);
            bytes.extend_from_slice(&glyph.to_be_bytes());
        }
        bytes
    };

    for (page_idx, (lines, &(page_id, content_id))) in pages.iter().zip(&page_ids).enumerate() {
        let mut content = Content::new();
        let mut draw =
            |content: &mut Content, x: f32, y: f32, size: f32, bold: bool, grey: f32, text: &str| {
                content.begin_text();
                content.set_fill_gray(grey);
                content.set_font(FONT_RESOURCE, size);
                if bold {
                    // One font file: bold is drawn by stroking the outline as well as filling it.
                    content.set_stroke_gray(grey);
                    content.set_line_width(size * 0.035);
                    content.set_text_rendering_mode(TextRenderingMode::FillStroke);
                } else {
                    content.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, y]);
                content.show(Str(&encode(text)));
                content.end_text();
            };
        for line in lines {
            let grey = if line.grey { 0.3 } else { 0.0 };
            draw(
                &mut content,
                line.x,
                line.y,
                line.size,
                line.bold,
                grey,
                &line.text,
            );
        }
        let foot = format!("{footer} · Page {} of {n_pages}", page_idx + 1);
        draw(&mut content, MARGIN, 36.0, 8.0, false, 0.3, &drawable(&foot));
        let data = compress(&content.finish().into_vec())?;
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);

        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(page_tree_id);
        page.contents(content_id);
        page.resources().fonts().pair(FONT_RESOURCE, type0_id);
        page.finish();
    }

    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0_id)
        .base_font(FONT_NAME)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(FONT_NAME)
        .system_info(system_info)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = cid.widths();
        for &glyph in used.keys() {
            widths.consecutive(glyph, [font.advance(glyph)]);
        }
    }
    cid.finish();

    let scale = |units: i16| f32::from(units) * 1000.0 / font.units_per_em;
    let bbox = font.face.global_bounding_box();
    pdf.font_descriptor(descriptor_id)
        .name(FONT_NAME)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(font.face.ascender()))
        .descent(scale(font.face.descender()))
        .cap_height(scale(font.face.capital_height().unwrap_or(font.face.ascender())))
        .stem_v(80.0)
        .font_file2(font_file_id);
    pdf.stream(font_file_id, compressed_font()?)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(FONT.len()).unwrap_or(i32::MAX));

    let mut cmap = UnicodeCmap::new(Name(b"Kindred-UTF16"), system_info);
    for (&glyph, &c) in &used {
        cmap.pair(glyph, c);
    }
    let cmap_data = cmap.finish();
    pdf.cmap(cmap_id, &cmap_data);

    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width_and_keeps_every_word() {
        let font = Font::bundled().unwrap();
        let text = "Worse after a long drive and after writing for more than ten minutes. ".repeat(6);
        let lines = wrap(&font, &text, 10.5, 200.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(font.width(line, 10.5) <= 200.0, "{line}");
        }
        assert_eq!(lines.join(" "), text.trim_end());
        // A word longer than a line is cut, not lost.
        let long = "a".repeat(300);
        assert_eq!(wrap(&font, &long, 10.5, 100.0).concat(), long);
        // Line breaks in the text start new lines; control characters are dropped.
        assert_eq!(wrap(&font, "one\ntwo\u{7}", 10.5, 400.0), ["one", "two"]);
    }

    #[test]
    fn layout_breaks_pages_and_keeps_headings_with_their_text() {
        let mut blocks = vec![Block::Title("Report".into())];
        for i in 0..80 {
            blocks.push(Block::Heading(format!("Heading {i}")));
            blocks.push(Block::Para(format!("Paragraph {i}")));
        }
        let pages = layout(&blocks).unwrap();
        assert!(pages.len() > 3);
        for page in &pages {
            let last = page.last().unwrap();
            assert!(
                !last.text.starts_with("Heading"),
                "a page ends with {}",
                last.text
            );
            assert!(page.iter().all(|line| line.y >= BOTTOM));
        }
        let texts: Vec<&str> = pages.iter().flatten().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.first(), Some(&"Report"));
        assert!(texts.contains(&"Paragraph 79"));
    }

    #[test]
    fn a_pdf_is_written_with_the_font_and_its_unicode_map() {
        let pdf = render(
            "Test",
            &[Block::Title("Über".into()), Block::Bullet("Ωmega ✓ 中".into())],
            "footer",
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        for needle in ["/FontFile2", "/ToUnicode", "/Identity-H", "/DejaVuSans", "%%EOF"] {
            assert!(text.contains(needle), "no {needle}");
        }
    }
}
