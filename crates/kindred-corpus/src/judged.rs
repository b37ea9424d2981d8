//! MedQuAD's judged-answers CSV (`AnswerID,Answer`): the answer texts judged for the TREC-2017 LiveQA
//! medical questions, including A.D.A.M. texts that MedQuAD itself ships empty.
//!
//! Each `Answer` cell reads `Question: … URL: … Answer: …`; we keep the part after `Answer:`. The ids
//! (`ADAM_0003147_Sec2.txt`) name the MedQuAD pair they fill. This file is for evaluation only: it is
//! never bundled into the default library.

use std::path::Path;

use crate::Error;
use crate::error::decode_text;

/// One judged answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JudgedAnswer {
    /// MedQuAD answer id without `.txt`, e.g. `ADAM_0003147_Sec2`.
    pub answer_id: String,
    /// The answer text, normalised.
    pub text: String,
}

/// Reads a judged-answers CSV. Errors name the file and line.
pub fn read_judged_csv(path: &Path) -> Result<Vec<JudgedAnswer>, Error> {
    parse_judged_csv(path, crate::input::read_file(path)?)
}

/// Parses the bytes of a judged-answers CSV; `path` names it in errors. The CSV is read strictly
/// (RFC 4180): a quote may only open a field, close it, or be doubled inside it; a quoted field must
/// be closed (a file cut short is refused, not read as shorter answers); every record has the
/// header's two fields; every answer has text.
pub fn parse_judged_csv(path: &Path, bytes: Vec<u8>) -> Result<Vec<JudgedAnswer>, Error> {
    let text = decode_text(path, bytes)?;
    let csv_error = |line: u64, message: String| Error::Csv {
        path: path.to_owned(),
        line,
        message,
    };
    let records = strict_csv(&text).map_err(|(line, message)| csv_error(line, message))?;
    let mut records = records.into_iter();
    let Some((_, headers)) = records.next() else {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    };
    if headers != ["AnswerID", "Answer"] {
        return Err(csv_error(1, "expected the header \"AnswerID,Answer\"".into()));
    }
    let mut answers = Vec::new();
    for (line, record) in records {
        let [id, cell] = record.as_slice() else {
            return Err(csv_error(
                line,
                format!("expected two fields, AnswerID and Answer, found {}", record.len()),
            ));
        };
        let answer_id = id.trim().trim_end_matches(".txt").to_owned();
        if !is_answer_id(&answer_id) {
            return Err(csv_error(
                line,
                format!("\"{answer_id}\" is not a MedQuAD answer id (SOURCE_DOCID_SecPID)"),
            ));
        }
        let body = cell
            .split_once("\nAnswer:")
            .or_else(|| cell.split_once("Answer:"))
            .map(|(_, a)| a)
            .unwrap_or(cell);
        let mut text = kindred_text::normalize(body);
        // The export closes some answers with a stray ")".
        if text.ends_with(')') && text.matches('(').count() < text.matches(')').count() {
            text.pop();
            text = text.trim_end().to_owned();
        }
        if text.is_empty() {
            return Err(csv_error(line, format!("the answer of {answer_id} is empty")));
        }
        answers.push(JudgedAnswer { answer_id, text });
    }
    if answers.is_empty() {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    Ok(answers)
}

/// A CSV record: the 1-based line it starts on, and its fields.
type CsvRecord = (u64, Vec<String>);

/// Splits CSV text into records of fields, each with the 1-based line it starts on, strictly: see
/// [`parse_judged_csv`]. The `csv` crate is lenient by design (a stray quote is kept as text, an
/// unclosed quote runs to the end of the file), which would let a damaged file through.
fn strict_csv(text: &str) -> Result<Vec<CsvRecord>, (u64, String)> {
    let bytes = text.as_bytes();
    let mut records: Vec<CsvRecord> = Vec::new();
    let mut at = 0;
    let mut line = 1u64;
    while at < bytes.len() {
        let record_line = line;
        let mut fields = Vec::new();
        loop {
            if bytes.get(at) == Some(&b'"') {
                let opened_on = line;
                let mut field = String::new();
                at += 1;
                loop {
                    let Some(quote) = text[at..].find('"').map(|i| at + i) else {
                        return Err((
                            opened_on,
                            "quoted field is never closed (the file is cut short?)".into(),
                        ));
                    };
                    let chunk = &text[at..quote];
                    line += chunk.matches('\n').count() as u64;
                    field.push_str(chunk);
                    at = quote + 1;
                    if bytes.get(at) == Some(&b'"') {
                        field.push('"');
                        at += 1;
                    } else {
                        break;
                    }
                }
                if !matches!(bytes.get(at), None | Some(b',' | b'\n' | b'\r')) {
                    return Err((line, "text after the closing quote of a field".into()));
                }
                fields.push(field);
            } else {
                let end = text[at..].find([',', '\n', '\r']).map_or(bytes.len(), |i| at + i);
                let field = &text[at..end];
                if field.contains('"') {
                    return Err((line, "quote inside a field that is not quoted".into()));
                }
                fields.push(field.to_owned());
                at = end;
            }
            match bytes.get(at) {
                None => break,
                Some(b',') => at += 1,
                Some(b'\n') => {
                    at += 1;
                    line += 1;
                    break;
                }
                Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => {
                    at += 2;
                    line += 1;
                    break;
                }
                Some(_) => return Err((line, "carriage return outside a quoted field".into())),
            }
        }
        if let Some((_, header)) = records.first()
            && fields.len() != header.len()
        {
            return Err((
                record_line,
                format!("{} fields where the header has {}", fields.len(), header.len()),
            ));
        }
        records.push((record_line, fields));
    }
    Ok(records)
}

fn is_answer_id(id: &str) -> bool {
    let Some((doc, pid)) = id.rsplit_once("_Sec") else {
        return false;
    };
    !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()) && doc.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_answer_part() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        write!(file, "AnswerID,Answer\nADAM_0003147_Sec1.txt,\"Question: What is PCOS ?\nURL: https://x\nAnswer: PCOS is a condition.) \n\"\n").unwrap();
        let answers = read_judged_csv(file.path()).unwrap();
        assert_eq!(
            answers,
            vec![JudgedAnswer {
                answer_id: "ADAM_0003147_Sec1".into(),
                text: "PCOS is a condition.".into()
            }]
        );
    }

    #[test]
    fn bad_id_names_line() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        write!(file, "AnswerID,Answer\nnonsense,\"x\"\n").unwrap();
        let err = read_judged_csv(file.path()).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
