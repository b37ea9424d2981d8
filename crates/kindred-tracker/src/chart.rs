//! The severity chart: an SVG the server renders, readable without colour and without sight.
//!
//! One line per body region, each with its own dash pattern as well as its own colour (so the
//! lines differ in greyscale and for colour-blind readers), points marked, injection days as
//! vertical lines labelled "Injection", and a y axis from 0 to 10. The SVG has `role="img"`
//! and `aria-labelledby` pointing at its own `<title>` and `<desc>`; [`Chart::table`] holds the
//! same data for a table beside it. It has a fixed `viewBox`, no script, no style sheet and no
//! external reference, and every text in it is XML-escaped.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{dates, diary::Entry, injection::Injection, region::Region};

/// A rendered chart with its accessible name, description and data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// The chart's title, also the SVG's `<title>`.
    pub title: String,
    /// A plain-words summary, also the SVG's `<desc>`.
    pub description: String,
    /// The SVG element, ready to embed in HTML as is.
    pub svg: String,
    /// The plotted ratings, by date then region, for a data table.
    pub table: Vec<ChartRow>,
}

/// One plotted rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartRow {
    /// The entry's date.
    #[serde(with = "crate::dates::serde_iso")]
    pub date: Date,
    /// The region rated.
    pub region: Region,
    /// The severity, 0..=10.
    pub severity: u8,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 550.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 340.0;
const LEGEND_X: f64 = 570.0;

/// Line colours by region (the order of [`Region::ALL`]); each has at least 3:1 contrast on
/// white.
const COLOURS: [&str; 11] = [
    "#0072b2", "#d55e00", "#007a5e", "#a8467f", "#8a5a00", "#000000", "#6a3d9a", "#b2182b", "#555555",
    "#01665e", "#1f4e79",
];

/// Dash patterns by region; the first is a solid line.
const DASHES: [&str; 11] = [
    "",
    "8 4",
    "2 3",
    "10 3 2 3",
    "4 4",
    "12 3 3 3 3 3",
    "1 3",
    "14 4",
    "6 2 2 2",
    "3 6",
    "10 2 10 6",
];

/// Renders the severities of `entries` from `from` to `to` (both included; swapped if given the
/// wrong way round) with the injections in that span marked. `id_prefix` makes the ids of the
/// `<title>` and `<desc>` unique on the page: only ASCII letters, digits, `-` and `_` are kept,
/// and `chart-` is put in front when what is left does not start with a letter.
pub fn severity_chart(
    entries: &[Entry],
    injections: &[Injection],
    from: Date,
    to: Date,
    id_prefix: &str,
) -> Chart {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let prefix = sanitize_prefix(id_prefix);
    let mut table: Vec<ChartRow> = entries
        .iter()
        .filter(|entry| (from..=to).contains(&entry.date))
        .flat_map(|entry| {
            entry.severities.iter().map(|&(region, severity)| ChartRow {
                date: entry.date,
                region,
                severity: severity.get(),
            })
        })
        .collect();
    table.sort_by_key(|row| (row.date, region_idx(row.region)));
    let mut injection_dates: Vec<Date> = injections
        .iter()
        .map(|injection| injection.date)
        .filter(|date| (from..=to).contains(date))
        .collect();
    injection_dates.sort_unstable();
    injection_dates.dedup();
    let regions: Vec<Region> = Region::ALL
        .into_iter()
        .filter(|region| table.iter().any(|row| row.region == *region))
        .collect();

    let span = format!("{} to {}", dates::human(from), dates::human(to));
    let title = format!("Severity by body region, {span}");
    let description = if table.is_empty() {
        format!("No diary entries from {span}.")
    } else {
        describe(&table, &regions, &injection_dates, &span)
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{prefix}-title">{}</title><desc id="{prefix}-desc">{}</desc>"#,
        escape(&title),
        escape(&description)
    );
    if table.is_empty() {
        let _ = write!(
            svg,
            r##"<rect x="0.5" y="0.5" width="{}" height="{}" fill="none" stroke="#767676"/><text x="{}" y="{}" text-anchor="middle" font-size="16">{}</text>"##,
            WIDTH - 1.0,
            HEIGHT - 1.0,
            WIDTH / 2.0,
            HEIGHT / 2.0,
            escape(&description)
        );
    } else {
        let x_of = |date: Date| x_position(from, to, date);
        axes(&mut svg, from, to);
        for &date in &injection_dates {
            let x = x_of(date);
            let _ = write!(
                svg,
                r##"<g><title>{}</title><line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{BOTTOM}" stroke="#444444" stroke-width="1.5"/><text x="{:.1}" y="{}" font-size="11">Injection</text></g>"##,
                escape(&format!("Injection on {}", dates::human(date))),
                x + 3.0,
                TOP - 6.0,
            );
        }
        for (i, &region) in regions.iter().enumerate() {
            series(&mut svg, &table, region, &x_of);
            legend(&mut svg, i, region);
        }
    }
    svg.push_str("</svg>");
    Chart {
        title,
        description,
        svg,
        table,
    }
}

fn describe(table: &[ChartRow], regions: &[Region], injection_dates: &[Date], span: &str) -> String {
    let names: Vec<String> = regions.iter().map(|r| r.label().to_lowercase()).collect();
    let mut text = format!(
        "Line chart of severity from 0 (none) to 10 (worst), {span}: {} {} for {}.",
        table.len(),
        if table.len() == 1 { "rating" } else { "ratings" },
        names.join(", ")
    );
    match injection_dates {
        [] => {}
        [only] => {
            let _ = write!(
                text,
                " A vertical line marks the injection on {}.",
                dates::human(*only)
            );
        }
        many => {
            let days: Vec<String> = many.iter().map(|&d| dates::human(d)).collect();
            let _ = write!(
                text,
                " Vertical lines mark the injections on {}.",
                days.join(", ")
            );
        }
    }
    text
}

fn axes(svg: &mut String, from: Date, to: Date) {
    for severity in 0..=10u8 {
        let y = y_position(severity);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}" stroke="#e0e0e0"/><line x1="{}" y1="{y:.1}" x2="{LEFT}" y2="{y:.1}" stroke="#333333"/><text x="{}" y="{:.1}" text-anchor="end">{severity}</text>"##,
            LEFT - 5.0,
            LEFT - 8.0,
            y + 4.0,
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="#333333"/><line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#333333"/>"##
    );
    let _ = write!(
        svg,
        r#"<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">Severity (0 none, 10 worst)</text>"#,
        (TOP + BOTTOM) / 2.0,
        (TOP + BOTTOM) / 2.0,
    );
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{}" text-anchor="middle">Date</text>"#,
        (LEFT + RIGHT) / 2.0,
        HEIGHT - 12.0,
    );
    let n_days = (to - from).whole_days();
    // Every day for a week or less, else six evenly spaced days.
    let n_ticks = if n_days <= 6 { n_days.max(0) + 1 } else { 6 };
    let with_year = from.year() != to.year();
    let mut last_tick = None;
    for i in 0..n_ticks {
        let offset = if n_ticks == 1 {
            0
        } else {
            (n_days * i + (n_ticks - 1) / 2) / (n_ticks - 1)
        };
        let Some(date) = from.checked_add(time::Duration::days(offset)) else {
            continue;
        };
        if last_tick == Some(date) {
            continue;
        }
        last_tick = Some(date);
        let x = x_position(from, to, date);
        let label = if with_year {
            dates::human(date)
        } else {
            dates::day_month(date)
        };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{BOTTOM}" x2="{x:.1}" y2="{}" stroke="#333333"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"##,
            BOTTOM + 5.0,
            BOTTOM + 20.0,
            escape(&label),
        );
    }
}

fn series(svg: &mut String, table: &[ChartRow], region: Region, x_of: &impl Fn(Date) -> f64) {
    let idx = region_idx(region);
    let colour = COLOURS[idx % COLOURS.len()];
    let dash = DASHES[idx % DASHES.len()];
    let dash_attr = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    let points: Vec<(f64, f64)> = table
        .iter()
        .filter(|row| row.region == region)
        .map(|row| (x_of(row.date), y_position(row.severity)))
        .collect();
    let _ = write!(svg, r#"<g><title>{}</title>"#, escape(region.label()));
    let coordinates: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>"#,
        coordinates.join(" ")
    );
    for (x, y) in points {
        let _ = write!(svg, r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{colour}"/>"#);
    }
    svg.push_str("</g>");
}

fn legend(svg: &mut String, row: usize, region: Region) {
    let idx = region_idx(region);
    let colour = COLOURS[idx % COLOURS.len()];
    let dash = DASHES[idx % DASHES.len()];
    let dash_attr = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    let y = TOP + 8.0 + 22.0 * row as f64;
    let _ = write!(
        svg,
        r#"<line x1="{LEGEND_X}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2"{dash_attr}/><text x="{:.1}" y="{:.1}">{}</text>"#,
        LEGEND_X + 32.0,
        LEGEND_X + 38.0,
        y + 4.0,
        escape(region.label())
    );
}

fn region_idx(region: Region) -> usize {
    Region::ALL.iter().position(|&r| r == region).unwrap_or_default()
}

fn x_position(from: Date, to: Date, date: Date) -> f64 {
    let n_days = (to - from).whole_days();
    if n_days == 0 {
        return (LEFT + RIGHT) / 2.0;
    }
    let fraction = (date - from).whole_days() as f64 / n_days as f64;
    LEFT + fraction * (RIGHT - LEFT)
}

fn y_position(severity: u8) -> f64 {
    BOTTOM - f64::from(severity) / 10.0 * (BOTTOM - TOP)
}

fn sanitize_prefix(prefix: &str) -> String {
    let kept: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if kept.starts_with(|c: char| c.is_ascii_alphabetic()) {
        kept
    } else {
        format!("chart-{kept}")
    }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_made_safe() {
        assert_eq!(sanitize_prefix("week-chart_2"), "week-chart_2");
        assert_eq!(sanitize_prefix("2\"><script>"), "chart-2script");
        assert_eq!(sanitize_prefix(""), "chart-");
    }

    #[test]
    fn escape_covers_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\" 'd'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\u{fffd}"
        );
    }

    #[test]
    fn severity_scale_spans_the_plot() {
        assert_eq!(y_position(0), BOTTOM);
        assert_eq!(y_position(10), TOP);
    }

    #[test]
    fn styles_are_distinct() {
        for i in 0..COLOURS.len() {
            for j in i + 1..COLOURS.len() {
                assert_ne!(COLOURS[i], COLOURS[j]);
                assert_ne!(DASHES[i], DASHES[j]);
            }
        }
    }
}
