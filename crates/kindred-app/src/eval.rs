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
    if qrels.is_empty() {
        return Err(bad("no judgments found".into()));
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

/// One question of a lay-description set: a condition described in a patient's words, unnamed.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayQuestion {
    /// Question id.
    pub id: String,
    /// The question.
    pub q: String,
    /// Names of which the first answer's citation title must contain one (case-insensitive).
    pub any: Vec<String>,
}

/// Reads a lay-description set: one JSON object `{"id", "q", "any"}` per line.
pub fn read_lay_questions(path: &Path) -> Result<Vec<LayQuestion>, Error> {
    let bad = |message: String| Error::EvalInput {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let mut questions = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let question: LayQuestion =
            serde_json::from_str(line).map_err(|e| bad(format!("line {}: {e}", line_idx + 1)))?;
        if question.any.is_empty() {
            return Err(bad(format!("line {}: \"any\" names no condition", line_idx + 1)));
        }
        questions.push(question);
    }
    if questions.is_empty() {
        return Err(bad("no questions found".into()));
    }
    Ok(questions)
}

/// Top-k accuracy of one system on a lay-description set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayMetrics {
    /// Share of questions whose first answer's title names an expected condition.
    pub top_1: f64,
    /// … one of the first three answers.
    pub top_3: f64,
    /// Questions evaluated.
    pub n_questions: usize,
    /// Questions on which the system abstained.
    pub n_abstained: usize,
}

/// One lay question's outcome, for inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayOutcome {
    /// Question id.
    pub id: String,
    /// Titles of Kindred's first three answers.
    pub titles: Vec<String>,
    /// Whether the first passes.
    pub top_1: bool,
}

/// The report of `kindred eval lay`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayReport {
    /// Kindred's engine.
    pub kindred: LayMetrics,
    /// Plain BM25, same index, same run.
    pub bm25_baseline: LayMetrics,
    /// Kindred's per-question outcomes.
    pub questions: Vec<LayOutcome>,
    /// The baseline's per-question outcomes, in the same order.
    pub baseline_questions: Vec<LayOutcome>,
}

/// Scores the answers' titles (first three, `None` for an abstention) per question.
pub fn score_lay(questions: &[LayQuestion], titles: &[Option<Vec<String>>]) -> (LayMetrics, Vec<LayOutcome>) {
    let mut outcomes = Vec::new();
    let (mut top_1, mut top_3, mut abstained) = (0usize, 0usize, 0usize);
    for (question, titles) in questions.iter().zip(titles) {
        let expected: Vec<String> = question.any.iter().map(|n| n.to_lowercase()).collect();
        let names = |title: &String| {
            let title = title.to_lowercase();
            expected.iter().any(|name| title.contains(name.as_str()))
        };
        let titles = titles.clone().unwrap_or_default();
        if titles.is_empty() {
            abstained += 1;
        }
        let first = titles.first().is_some_and(names);
        top_1 += usize::from(first);
        top_3 += usize::from(titles.iter().take(3).any(names));
        outcomes.push(LayOutcome {
            id: question.id.clone(),
            titles: titles.into_iter().take(3).collect(),
            top_1: first,
        });
    }
    let n = questions.len().max(1) as f64;
    (
        LayMetrics {
            top_1: top_1 as f64 / n,
            top_3: top_3 as f64 / n,
            n_questions: questions.len(),
            n_abstained: abstained,
        },
        outcomes,
    )
}

impl crate::Kindred {
    /// Runs a lay-description evaluation: Kindred's engine and the plain-BM25 baseline.
    pub fn eval_lay(&self, questions: &Path) -> Result<LayReport, Error> {
        let questions = read_lay_questions(questions)?;
        let mut ours = Vec::new();
        let mut baseline = Vec::new();
        for question in &questions {
            let answer = self.ask(&question.q, 3)?;
            ours.push(
                (!answer.abstained)
                    .then(|| answer.answers.iter().map(|a| a.citation.title.clone()).collect()),
            );
            baseline.push(Some(self.baseline_titles(&question.q, 3)?));
        }
        let (kindred, outcomes) = score_lay(&questions, &ours);
        let (bm25_baseline, baseline_questions) = score_lay(&questions, &baseline);
        Ok(LayReport {
            kindred,
            bm25_baseline,
            questions: outcomes,
            baseline_questions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qrels(entries: &[(u32, &[(&str, u8)])]) -> HashMap<u32, HashMap<String, u8>> {
        entries
            .iter()
            .map(|(number, grades)| {
                let grades = grades
                    .iter()
                    .map(|(id, grade)| ((*id).to_owned(), *grade))
                    .collect();
                (*number, grades)
            })
            .collect()
    }

    /// `None` is an abstention.
    fn rankings(entries: &[(u32, Option<&[&str]>)]) -> BTreeMap<u32, Option<Vec<String>>> {
        entries
            .iter()
            .map(|(number, ranked)| {
                let ranked = ranked.map(|ids| ids.iter().map(|id| (*id).to_owned()).collect());
                (*number, ranked)
            })
            .collect()
    }

    /// Compares every metric, the ratios to 1e-12.
    fn check_metrics(actual: &Metrics, expected: &Metrics) {
        let ratios = [
            ("avg_score", actual.avg_score, expected.avg_score),
            ("succ_2", actual.succ_2, expected.succ_2),
            ("succ_3", actual.succ_3, expected.succ_3),
            ("succ_4", actual.succ_4, expected.succ_4),
            ("map_10", actual.map_10, expected.map_10),
            ("mrr_10", actual.mrr_10, expected.mrr_10),
            ("judged_top", actual.judged_top, expected.judged_top),
        ];
        for (name, actual_value, expected_value) in ratios {
            assert!(
                (actual_value - expected_value).abs() < 1e-12,
                "{name}: {actual_value} != {expected_value}\n{actual:#?}"
            );
        }
        assert_eq!(
            (actual.n_questions, actual.n_abstained),
            (expected.n_questions, expected.n_abstained)
        );
    }

    fn outcome(number: u32, top: Option<&str>, grade: u8) -> QuestionOutcome {
        QuestionOutcome {
            number,
            top: top.map(str::to_owned),
            grade,
        }
    }

    #[test]
    fn metrics_of_a_hand_made_run() {
        let qrels = qrels(&[
            (1, &[("A", 4), ("B", 3), ("C", 1)]),
            (2, &[("D", 2), ("E", 3)]),
            (3, &[("F", 4)]),
            (4, &[("G", 3)]),
            (5, &[("H", 3)]),
        ]);
        let rankings = rankings(&[
            // Top A (4). Relevant (≥ 3): A at 1, B at 3 → AP = (1/1 + 2/3) / 2 = 5/6; RR = 1.
            (1, Some(&["A", "X", "B"])),
            // Top D (2). Relevant: E at 2 → AP = (1/2) / 1 = 1/2; RR = 1/2.
            (2, Some(&["D", "E"])),
            // Top X is unjudged: grade 1, not judged. F at 3 → AP = 1/3; RR = 1/3.
            (3, Some(&["X", "Y", "F"])),
            // Abstention: grade 1, AP = RR = 0, not judged.
            (4, None),
            // Top H (3): AP = RR = 1.
            (5, Some(&["H"])),
            // No judgments for question 6: not evaluated at all.
            (6, Some(&["Z"])),
        ]);
        let (metrics, outcomes) = score(&rankings, &qrels);
        check_metrics(
            &metrics,
            &Metrics {
                // (3 + 1 + 0 + 0 + 2) / 5
                avg_score: 6.0 / 5.0,
                // Questions 1, 2, 5 / 5
                succ_2: 3.0 / 5.0,
                // Questions 1, 5 / 5
                succ_3: 2.0 / 5.0,
                // Question 1 / 5
                succ_4: 1.0 / 5.0,
                // (5/6 + 1/2 + 1/3 + 0 + 1) / 5 = (16/6) / 5
                map_10: 8.0 / 15.0,
                // (1 + 1/2 + 1/3 + 0 + 1) / 5 = (17/6) / 5
                mrr_10: 17.0 / 30.0,
                // Tops A, D, H were judged; X was not, and an abstention has no top.
                judged_top: 3.0 / 5.0,
                n_questions: 5,
                n_abstained: 1,
            },
        );
        assert_eq!(
            outcomes,
            vec![
                outcome(1, Some("A"), 4),
                outcome(2, Some("D"), 2),
                outcome(3, Some("X"), 1),
                outcome(4, None, 1),
                outcome(5, Some("H"), 3),
            ]
        );
    }

    #[test]
    fn map_and_mrr_stop_at_rank_10() {
        let relevant: Vec<String> = (1..=12).map(|n| format!("R{n}")).collect();
        let unjudged: Vec<String> = (1..=10).map(|n| format!("N{n}")).collect();
        let mut judged_12: Vec<(&str, u8)> = relevant.iter().map(|id| (id.as_str(), 3)).collect();
        judged_12.push(("W", 1));
        let qrels = qrels(&[(1, &judged_12), (2, &[("S", 4)]), (3, &[("T", 2)])]);
        let mut late: Vec<&str> = unjudged.iter().map(String::as_str).collect();
        late.push("S");
        let all_relevant: Vec<&str> = relevant.iter().map(String::as_str).collect();
        let rankings = rankings(&[
            // Twelve relevant, all ranked: precision 1 at each of the first 10, over min(12, 10)
            // → AP = 1; RR = 1.
            (1, Some(&all_relevant)),
            // The one relevant answer at rank 11 counts for neither; the top N1 is unjudged.
            (2, Some(&late)),
            // No relevant answer at all: AP = 0, but the question still counts.
            (3, Some(&["T"])),
        ]);
        let (metrics, _) = score(&rankings, &qrels);
        check_metrics(
            &metrics,
            &Metrics {
                // (2 + 0 + 1) / 3
                avg_score: 1.0,
                succ_2: 2.0 / 3.0,
                succ_3: 1.0 / 3.0,
                succ_4: 0.0,
                map_10: 1.0 / 3.0,
                mrr_10: 1.0 / 3.0,
                judged_top: 2.0 / 3.0,
                n_questions: 3,
                n_abstained: 0,
            },
        );
    }

    #[test]
    fn abstentions_count_as_incorrect_answers() {
        // Abstaining on a question is no better than a wrong answer, and no worse.
        let qrels = qrels(&[(1, &[("A", 4)]), (2, &[("B", 4)])]);
        let abstaining = score(&rankings(&[(1, Some(&["A"])), (2, None)]), &qrels).0;
        let wrong = score(&rankings(&[(1, Some(&["A"])), (2, Some(&["A"]))]), &qrels).0;
        assert_eq!(abstaining.n_abstained, 1);
        assert_eq!(wrong.n_abstained, 0);
        for (name, a, w) in [
            ("avg_score", abstaining.avg_score, wrong.avg_score),
            ("succ_2", abstaining.succ_2, wrong.succ_2),
            ("map_10", abstaining.map_10, wrong.map_10),
            ("mrr_10", abstaining.mrr_10, wrong.mrr_10),
        ] {
            assert_eq!(a, w, "{name}");
        }
        assert_eq!(abstaining.avg_score, 1.5);
        // An abstention on an unjudged question is not evaluated, so not counted either.
        let unjudged = score(&rankings(&[(1, Some(&["A"])), (9, None)]), &qrels).0;
        assert_eq!((unjudged.n_questions, unjudged.n_abstained), (1, 0));
    }

    #[test]
    fn nothing_judged_gives_zeros_not_nan() {
        let (metrics, outcomes) = score(&rankings(&[(7, Some(&["A"]))]), &qrels(&[(1, &[("A", 4)])]));
        check_metrics(
            &metrics,
            &Metrics {
                avg_score: 0.0,
                succ_2: 0.0,
                succ_3: 0.0,
                succ_4: 0.0,
                map_10: 0.0,
                mrr_10: 0.0,
                judged_top: 0.0,
                n_questions: 0,
                n_abstained: 0,
            },
        );
        assert!(outcomes.is_empty());
    }

    #[test]
    fn lay_scores_titles_case_insensitively_and_counts_abstentions() {
        let question = |id: &str, any: &[&str]| LayQuestion {
            id: id.into(),
            q: String::new(),
            any: any.iter().map(|n| (*n).to_owned()).collect(),
        };
        let questions = [
            question("a", &["edema", "swelling"]),
            question("b", &["hernia"]),
            question("c", &["lice"]),
            question("d", &["wart"]),
        ];
        let titles = |list: &[&str]| Some(list.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>());
        let (metrics, outcomes) = score_lay(
            &questions,
            &[
                titles(&["Leg Swelling"]),
                titles(&["Groin pain", "Cough", "Inguinal Hernia"]),
                None,
                titles(&["Skin", "Moles", "Freckles", "Warts"]),
            ],
        );
        assert_eq!(metrics.top_1, 0.25);
        assert_eq!(metrics.top_3, 0.5);
        assert_eq!((metrics.n_questions, metrics.n_abstained), (4, 1));
        assert_eq!(outcomes[0].titles, vec!["Leg Swelling"]);
        assert!(outcomes[0].top_1 && !outcomes[1].top_1);
    }
}
