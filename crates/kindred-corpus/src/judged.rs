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
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode_text(path, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let csv_error = |line: u64, message: String| Error::Csv {
        path: path.to_owned(),
        line,
        message,
    };
    let headers = reader.headers().map_err(|e| csv_error(1, e.to_string()))?.clone();
    if headers.get(0) != Some("AnswerID") || headers.get(1) != Some("Answer") {
        return Err(csv_error(1, "expected the header \"AnswerID,Answer\"".into()));
    }
    let mut answers = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            csv_error(line, e.to_string())
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let (Some(id), Some(cell)) = (record.get(0), record.get(1)) else {
            return Err(csv_error(line, "expected two fields, AnswerID and Answer".into()));
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
        answers.push(JudgedAnswer { answer_id, text });
    }
    if answers.is_empty() {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    Ok(answers)
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
