//! The member's data as CSV files for a spreadsheet: diary entries, injections and medicines.
//!
//! Columns hold what people read (labels such as `Left arm`, dates as `2024-03-01`); the FHIR
//! export is the machine-readable copy. Free-text cells that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) get a `'` in front,
//! the usual defence against CSV injection; nothing else is changed.

use crate::{data::TrackerData, dates};

/// The diary: one row per region rated in an entry, with columns `date`, `region`,
/// `severity`, `triggers` (labels joined by `; `) and `note`.
pub fn entries_csv(data: &TrackerData) -> String {
    let mut rows = vec![header(&["date", "region", "severity", "triggers", "note"])];
    for entry in &data.entries {
        let triggers: Vec<&str> = entry.triggers.iter().map(|t| t.label()).collect();
        for (region, severity) in &entry.severities {
            rows.push(vec![
                dates::iso(entry.date),
                region.label().to_owned(),
                severity.get().to_string(),
                triggers.join("; "),
                safe_text(&entry.note),
            ]);
        }
    }
    write(&rows)
}

/// Injections: one row per muscle (or one row when no muscle was recorded), with columns
/// `date`, `product`, `muscle`, `units` (exactly as recorded, empty when not), `side_effects`
/// (joined by `; `) and `note`.
pub fn injections_csv(data: &TrackerData) -> String {
    let mut rows = vec![header(&[
        "date",
        "product",
        "muscle",
        "units",
        "side_effects",
        "note",
    ])];
    for injection in &data.injections {
        let side_effects = safe_text(&injection.side_effects.join("; "));
        let row = |muscle: &str, units: Option<f64>| {
            vec![
                dates::iso(injection.date),
                injection.product.label().to_owned(),
                safe_text(muscle),
                units.map(|units| units.to_string()).unwrap_or_default(),
                side_effects.clone(),
                safe_text(&injection.note),
            ]
        };
        if injection.muscles.is_empty() {
            rows.push(row("", None));
        }
        for dose in &injection.muscles {
            rows.push(row(&dose.muscle, dose.units));
        }
    }
    write(&rows)
}

/// Medicines: one row each, with columns `name`, `dose_as_prescribed`, `started`, `stopped`
/// (empty when unknown or still taken) and `side_effects` (joined by `; `).
pub fn medicines_csv(data: &TrackerData) -> String {
    let mut rows = vec![header(&[
        "name",
        "dose_as_prescribed",
        "started",
        "stopped",
        "side_effects",
    ])];
    for medicine in &data.medicines {
        rows.push(vec![
            safe_text(&medicine.name),
            safe_text(&medicine.dose_as_prescribed),
            medicine.started.map(dates::iso).unwrap_or_default(),
            medicine.stopped.map(dates::iso).unwrap_or_default(),
            safe_text(&medicine.side_effects.join("; ")),
        ]);
    }
    write(&rows)
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// Puts `'` before text a spreadsheet would treat as a formula.
fn safe_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Writes rows with the `csv` crate (quoting as needed, `\n` line ends).
fn write(rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail: the only errors csv reports come from the underlying
        // writer, and a Vec's `write` always succeeds.
        if writer.write_record(row).is_err() {
            break;
        }
    }
    let bytes = writer
        .into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone());
    // Every cell is a Rust String, so the bytes are UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_defused() {
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("-5 felt better"), "'-5 felt better");
        assert_eq!(safe_text("felt = better"), "felt = better");
        assert_eq!(safe_text(""), "");
    }

    #[test]
    fn quotes_commas_and_newlines() {
        let text = write(&[vec!["a,b".into(), "say \"hi\"".into(), "two\nlines".into()]]);
        assert_eq!(text, "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
    }
}
