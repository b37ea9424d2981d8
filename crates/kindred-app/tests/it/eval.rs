//! The evaluation inputs: TREC LiveQA question XML and qrels, good and malformed.
//!
//! The metrics themselves are unit-tested beside `score` in `src/eval.rs`.

use std::path::{Path, PathBuf};

use kindred_app::{Error, read_liveqa_questions, read_qrels};
use tempfile::TempDir;

/// Writes `contents` to `name` in a fresh directory.
fn file(name: &str, contents: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// The message of an `EvalInput` error, after checking that it names `path`.
fn eval_input_message(err: Error, path: &Path) -> String {
    let display = err.to_string();
    match err {
        Error::EvalInput {
            path: at_fault,
            message,
        } => {
            assert_eq!(at_fault, path.display().to_string());
            assert_eq!(display, format!("{}: {message}", path.display()));
            message
        }
        other => panic!("expected Error::EvalInput, got {other:?}"),
    }
}

#[test]
fn qrels_map_questions_to_graded_answers() {
    let (_dir, path) = file(
        "qrels.txt",
        "1 4-Excellent ADAM_0003147_Sec1.txt\n\
         1 1-Incorrect NINDS_0000112_Sec2.txt\n\
         \n\
         \x20 \n\
         12 3-Incomplete GHR_0000457_Sec4.txt\n\
         12\t2-Related\tGARD_0000001_Sec1.txt extra fields are ignored\n",
    );
    let qrels = read_qrels(&path).unwrap();
    let mut flat: Vec<(u32, String, u8)> = qrels
        .iter()
        .flat_map(|(number, grades)| grades.iter().map(|(id, grade)| (*number, id.clone(), *grade)))
        .collect();
    flat.sort();
    assert_eq!(
        flat,
        vec![
            (1, "ADAM_0003147_Sec1".to_owned(), 4),
            (1, "NINDS_0000112_Sec2".to_owned(), 1),
            (12, "GARD_0000001_Sec1".to_owned(), 2),
            (12, "GHR_0000457_Sec4".to_owned(), 3),
        ]
    );
}

#[test]
fn a_malformed_qrels_line_is_named_by_its_number() {
    // Each bad line comes third, after a good line and a blank one: blank lines count.
    let bad_lines = [
        "1 5-Excellent ADAM_0003147_Sec1.txt",
        "1 0-Nothing ADAM_0003147_Sec1.txt",
        "TQ1 4-Excellent ADAM_0003147_Sec1.txt",
        "-1 4-Excellent ADAM_0003147_Sec1.txt",
        "1 Excellent ADAM_0003147_Sec1.txt",
        "1 4-Excellent",
        "1",
    ];
    for bad_line in bad_lines {
        let (_dir, path) = file(
            "qrels.txt",
            &format!("1 4-Excellent ADAM_0003147_Sec1.txt\n\n{bad_line}\n2 3-Incomplete X_1_Sec1.txt\n"),
        );
        let message = eval_input_message(read_qrels(&path).unwrap_err(), &path);
        assert_eq!(
            message, "line 3: expected \"QNUM GRADE-Label ANSWER_ID.txt\"",
            "{bad_line:?}"
        );
    }
}

#[test]
fn a_missing_qrels_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.txt");
    let message = eval_input_message(read_qrels(&path).unwrap_err(), &path);
    assert!(!message.is_empty());
}

const LIVEQA: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<LiveQA2017-Medical-TestQuestions>
<NLM-QUESTION qid="TQ1">
<Original-Question>
<SUBJECT>Dystonia &amp; botox</SUBJECT>
<MESSAGE>Does botulinum toxin
    help cervical   dystonia?</MESSAGE>
</Original-Question>
<NIST-PARAPHRASE>Is botox a treatment for cervical dystonia?</NIST-PARAPHRASE>
<NLM-Summary>What are the treatments for cervical dystonia?</NLM-Summary>
<ANNOTATIONS>
<FOCUS fid="1">cervical dystonia</FOCUS>
<TYPE tid="1" hasFocus="1" hasKeyword="">treatment</TYPE>
</ANNOTATIONS>
</NLM-QUESTION>
<NLM-QUESTION qid="TQ12">
<Original-Question>
<SUBJECT></SUBJECT>
<MESSAGE>What causes cirrhosis?</MESSAGE>
</Original-Question>
</NLM-QUESTION>
</LiveQA2017-Medical-TestQuestions>
"#;

#[test]
fn liveqa_questions_join_subject_and_message() {
    let (_dir, path) = file("TREC-2017-LiveQA-Medical-Test.xml", LIVEQA);
    let questions: Vec<(u32, String)> = read_liveqa_questions(&path)
        .unwrap()
        .into_iter()
        .map(|q| (q.number, q.text))
        .collect();
    assert_eq!(
        questions,
        vec![
            (
                1,
                "Dystonia & botox Does botulinum toxin help cervical dystonia?".to_owned()
            ),
            (12, "What causes cirrhosis?".to_owned()),
        ]
    );
}

#[test]
fn liveqa_files_without_questions_are_rejected() {
    // (case, contents, start of the message)
    let cases = [
        (
            "no question",
            "<LiveQA2017-Medical-TestQuestions></LiveQA2017-Medical-TestQuestions>",
            "no <NLM-QUESTION> with an <Original-Question> found",
        ),
        (
            "questions without an original question",
            "<LiveQA2017-Medical-TestQuestions><NLM-QUESTION qid=\"TQ1\"><NLM-Summary>x</NLM-Summary>\
             </NLM-QUESTION></LiveQA2017-Medical-TestQuestions>",
            "no <NLM-QUESTION> with an <Original-Question> found",
        ),
        (
            "empty file",
            "",
            "no <NLM-QUESTION> with an <Original-Question> found",
        ),
        (
            "no qid",
            "<NLM-QUESTION><Original-Question><SUBJECT>s</SUBJECT><MESSAGE>m</MESSAGE>\
             </Original-Question></NLM-QUESTION>",
            "a question has no qid=\"TQn\"",
        ),
        (
            "a qid that is not TQn",
            "<NLM-QUESTION qid=\"Q-one\"><Original-Question><MESSAGE>m</MESSAGE>\
             </Original-Question></NLM-QUESTION>",
            "a question has no qid=\"TQn\"",
        ),
        (
            "mismatched tags",
            "<NLM-QUESTION qid=\"TQ1\"><Original-Question><SUBJECT>s</MESSAGE>",
            "malformed XML at byte",
        ),
    ];
    for (case, contents, expected) in cases {
        let (_dir, path) = file("questions.xml", contents);
        let message = eval_input_message(read_liveqa_questions(&path).unwrap_err(), &path);
        assert!(message.starts_with(expected), "{case}: {message}");
    }
}
