//! Evaluation against TREC-2017 LiveQA medical questions and MedQuAD's judgments.
//!
//! Grades are 1 Incorrect, 2 Related, 3 Incomplete, 4 Excellent; an unjudged answer counts as
//! Incorrect, and so does an abstention. avgScore is the mean of (top-1 grade − 1) over the questions
//! that have judgments; succ@k+ the share whose top answer has grade ≥ k; MAP@10 and MRR@10 treat
//! grade ≥ 3 as relevant.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Serialize;

use crate::Error;

/// One LiveQA question: its id number and the original subject + message.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveQaQuestion {
    /// The number n of `TQn`.
    pub number: u32,
    /// SUBJECT and MESSAGE, joined.
    pub text: String,
}

/// Reads the questions of a LiveQA test-set XML file.
pub fn read_liveqa_questions(path: &Path) -> Result<Vec<LiveQaQuestion>, Error> {
    let bad = |message: String| Error::EvalInput {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let mut reader = Reader::from_str(&text);
    let mut questions = Vec::new();
    let mut number = None;
    let mut subject = String::new();
    let mut message = String::new();
    let mut field: Option<&'static str> = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| bad(format!("malformed XML at byte {}: {e}", reader.error_position())))?
        {
            Event::Start(start) => match start.name().as_ref() {
                b"NLM-QUESTION" => {
                    let qid = start
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == b"qid")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    number = qid.trim_start_matches("TQ").parse::<u32>().ok();
                    subject.clear();
                    message.clear();
                }
                b"SUBJECT" => field = Some("subject"),
                b"MESSAGE" => field = Some("message"),
                _ => {}
            },
            Event::Text(t) => {
                let decoded = t.decode().map_err(|e| bad(e.to_string()))?;
                match field {
                    Some("subject") => subject.push_str(&decoded),
                    Some("message") => message.push_str(&decoded),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| bad(e.to_string()))?;
                let resolved = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("");
                match field {
                    Some("subject") => subject.push_str(resolved),
                    Some("message") => message.push_str(resolved),
                    _ => {}
                }
            }
            Event::End(end) => match end.name().as_ref() {
                b"SUBJECT" | b"MESSAGE" => field = None,
                b"Original-Question" => {
                    let Some(n) = number else {
                        return Err(bad("a question has no qid=\"TQn\"".into()));
                    };
                    let text =
                        kindred_text::collapse_whitespace(&format!("{} {}", subject.trim(), message.trim()));
                    questions.push(LiveQaQuestion { number: n, text });
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if questions.is_empty() {
        return Err(bad("no <NLM-QUESTION> with an <Original-Question> found".into()));
    }
    Ok(questions)
}

/// Reads qrels: `QNUM GRADE-LABEL ANSWER_ID.txt` per line → question → answer id → grade.
pub fn read_qrels(path: &Path) -> Result<HashMap<u32, HashMap<String, u8>>, Error> {
    let bad = |message: String| Error::EvalInput {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let mut qrels: HashMap<u32, HashMap<String, u8>> = HashMap::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let parsed = (|| {
            let number = fields.first()?.parse::<u32>().ok()?;
            let grade = fields.get(1)?.chars().next()?.to_digit(10)? as u8;
            let answer = fields.get(2)?.trim_end_matches(".txt").to_owned();
            (1..=4).contains(&grade).then_some((number, grade, answer))
        })();
        let Some((number, grade, answer)) = parsed else {
            return Err(bad(format!(
                "line {}: expected \"QNUM GRADE-Label ANSWER_ID.txt\"",
                line_idx + 1
            )));
        };
        qrels.entry(number).or_default().insert(answer, grade);
    }
    Ok(qrels)
}

/// Metrics of one system over the judged questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Mean of (top-1 grade − 1).
    pub avg_score: f64,
    /// Share of questions whose top answer has grade ≥ 2.
    pub succ_2: f64,
    /// … ≥ 3.
    pub succ_3: f64,
    /// … ≥ 4.
    pub succ_4: f64,
    /// Mean average precision at 10, relevant = grade ≥ 3.
    pub map_10: f64,
    /// Mean reciprocal rank at 10, relevant = grade ≥ 3.
    pub mrr_10: f64,
    /// Share of top answers that were judged at all.
    pub judged_top: f64,
    /// Questions evaluated.
    pub n_questions: usize,
    /// Questions on which the system abstained.
    pub n_abstained: usize,
}

/// Per-question outcome, for inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionOutcome {
    /// `TQn` number.
    pub number: u32,
    /// Top answer id, if any.
    pub top: Option<String>,
    /// Its grade (1 when unjudged or abstained).
    pub grade: u8,
}

/// The report of `kindred eval liveqa`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Kindred's engine.
    pub kindred: Metrics,
    /// Plain BM25 over passage text and question, same index, same run.
    pub bm25_baseline: Metrics,
    /// Kindred's per-question outcomes.
    pub questions: Vec<QuestionOutcome>,
}

/// Scores ranked answer ids per question against qrels.
pub fn score(
    rankings: &BTreeMap<u32, Option<Vec<String>>>,
    qrels: &HashMap<u32, HashMap<String, u8>>,
) -> (Metrics, Vec<QuestionOutcome>) {
    let mut sums = [0.0f64; 7];
    let mut n_questions = 0;
    let mut n_abstained = 0;
    let mut outcomes = Vec::new();
    for (number, ranking) in rankings {
        let Some(judged) = qrels.get(number) else { continue };
        n_questions += 1;
        let ranked: &[String] = match ranking {
            Some(list) => list,
            None => {
                n_abstained += 1;
                &[]
            }
        };
        let grade_of = |id: &String| judged.get(id).copied().unwrap_or(1);
        let top_grade = ranked.first().map(grade_of).unwrap_or(1);
        sums[0] += f64::from(top_grade - 1);
        sums[1] += f64::from(u8::from(top_grade >= 2));
        sums[2] += f64::from(u8::from(top_grade >= 3));
        sums[3] += f64::from(u8::from(top_grade >= 4));
        let n_relevant = judged.values().filter(|g| **g >= 3).count();
        let mut hits = 0;
        let mut precision_sum = 0.0;
        let mut reciprocal = 0.0;
        for (rank_idx, id) in ranked.iter().take(10).enumerate() {
            if grade_of(id) >= 3 {
                hits += 1;
                precision_sum += hits as f64 / (rank_idx + 1) as f64;
                if reciprocal == 0.0 {
                    reciprocal = 1.0 / (rank_idx + 1) as f64;
                }
            }
        }
        if n_relevant > 0 {
            sums[4] += precision_sum / n_relevant.min(10) as f64;
        }
        sums[5] += reciprocal;
        sums[6] += f64::from(u8::from(ranked.first().is_some_and(|id| judged.contains_key(id))));
        outcomes.push(QuestionOutcome {
            number: *number,
            top: ranked.first().cloned(),
            grade: top_grade,
        });
    }
    let n = n_questions.max(1) as f64;
    (
        Metrics {
            avg_score: sums[0] / n,
            succ_2: sums[1] / n,
            succ_3: sums[2] / n,
            succ_4: sums[3] / n,
            map_10: sums[4] / n,
            mrr_10: sums[5] / n,
            judged_top: sums[6] / n,
            n_questions,
            n_abstained,
        },
        outcomes,
    )
}

impl crate::Kindred {
    /// Runs the LiveQA evaluation: Kindred's engine and the plain-BM25 baseline, same library.
    pub fn eval_liveqa(&self, questions: &Path, qrels: &Path) -> Result<EvalReport, Error> {
        let questions = read_liveqa_questions(questions)?;
        let qrels = read_qrels(qrels)?;
        let mut ours = BTreeMap::new();
        let mut baseline = BTreeMap::new();
        for question in &questions {
            let answer = self.ask(&question.text, 10)?;
            let ranked = (!answer.abstained).then(|| answer.answers.iter().map(|a| a.id.clone()).collect());
            ours.insert(question.number, ranked);
            baseline.insert(question.number, Some(self.ask_baseline(&question.text, 10)?));
        }
        let (kindred, outcomes) = score(&ours, &qrels);
        let (bm25_baseline, _) = score(&baseline, &qrels);
        Ok(EvalReport {
            kindred,
            bm25_baseline,
            questions: outcomes,
        })
    }
}
