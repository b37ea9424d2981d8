//! `kindred`: the command-line front end. Glue only: parse arguments, call `kindred-app`, print.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kindred_app::{AnswerJson, Kindred};

/// Kindred: a trusted health library and answer engine, deepest on dystonia.
#[derive(Debug, Parser)]
#[command(name = "kindred", version, about)]
struct Cli {
    /// Where the library and its index live.
    #[arg(
        long,
        global = true,
        env = "KINDRED_DATA_DIR",
        default_value = "./kindred-data"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the library: with no PATH the bundled default library (seed pages + MedQuAD); PATHs add or
    /// replace sources (directory, .tar.gz, .xml, .csv, .txt, .html).
    Ingest {
        /// Sources to add or replace.
        paths: Vec<PathBuf>,
    },
    /// Answer a question, or one question per line from standard input.
    Ask {
        /// One JSON object per answer (per line).
        #[arg(long)]
        json: bool,
        /// Cited passages per answer.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// The question; without it, questions are read from standard input.
        question: Option<String>,
    },
    /// Evaluate the answer engine.
    Eval {
        #[command(subcommand)]
        suite: EvalSuite,
    },
    /// Serve the web pages and the JSON API (builds the bundled library first if there is none).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KINDRED_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Sources, documents, passages, conditions and copies found.
    Stats {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum EvalSuite {
    /// TREC-2017 LiveQA medical questions graded with MedQuAD qrels.
    Liveqa {
        /// LiveQA test-set XML.
        #[arg(long)]
        questions: PathBuf,
        /// qrels: `QNUM GRADE ANSWER_ID.txt` lines.
        #[arg(long)]
        qrels: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Draws ingest progress on a terminal; silent otherwise.
struct Bar {
    bar: Option<ProgressBar>,
}

impl kindred_app::Progress for Bar {
    fn stage(&mut self, name: &str, total: Option<u64>) {
        if !std::io::stderr().is_terminal() {
            return;
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{msg:30} [{bar:40}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner(),
        };
        bar.set_message(name.to_owned());
        self.bar = Some(bar);
    }
    fn set(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }
    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Logs go to standard error. A server logs every request by default; the other commands only
    // warnings, so their output stays readable. KINDRED_LOG overrides either (e.g. `debug`).
    let default_level = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("KINDRED_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Ingest { paths } => {
            let report = kindred_app::ingest(&cli.data_dir, &paths, &mut Bar { bar: None })?;
            if report.built_default && !paths.is_empty() {
                eprintln!("built the bundled default library first");
            }
            for source in &report.ingested {
                println!("ingested {} ({} items)", source.id, source.n_items);
            }
            println!(
                "library: {} documents, {} passages, {} conditions",
                report.stats.n_documents, report.stats.n_passages, report.stats.n_conditions
            );
        }
        Command::Ask {
            json,
            limit,
            question,
        } => {
            let kindred = open_or_build(&cli.data_dir)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match question {
                Some(question) => print_answer(&mut out, &kindred.ask(&question, limit)?, json)?,
                None => {
                    for line in std::io::stdin().lock().lines() {
                        let line = line.context("reading questions from standard input")?;
                        if line.trim().is_empty() {
                            continue;
                        }
                        print_answer(&mut out, &kindred.ask(&line, limit)?, json)?;
                    }
                }
            }
            out.flush()?;
        }
        Command::Eval {
            suite:
                EvalSuite::Liveqa {
                    questions,
                    qrels,
                    json,
                },
        } => {
            let kindred = open_or_build(&cli.data_dir)?;
            let report = kindred.eval_liveqa(&questions, &qrels)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{:<14} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9}",
                    "system",
                    "avgScore",
                    "succ@2+",
                    "succ@3+",
                    "succ@4+",
                    "MAP@10",
                    "MRR@10",
                    "judged",
                    "abstained"
                );
                for (name, m) in [
                    ("kindred", &report.kindred),
                    ("bm25-baseline", &report.bm25_baseline),
                ] {
                    println!(
                        "{name:<14} {:>8.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9}",
                        m.avg_score,
                        m.succ_2,
                        m.succ_3,
                        m.succ_4,
                        m.map_10,
                        m.mrr_10,
                        m.judged_top,
                        m.n_abstained
                    );
                }
                println!("questions: {}", report.kindred.n_questions);
            }
        }
        Command::Serve { addr } => {
            let kindred = open_or_build(&cli.data_dir)?;
            kindred.warm_up()?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime
                .block_on(kindred_web::serve(addr, kindred_web::AppState::new(kindred)))
                .with_context(|| format!("serving on {addr}"))?;
        }
        Command::Stats { json } => {
            let kindred = Kindred::open(&cli.data_dir)?.with_context(|| {
                format!("{}: no library yet; run `kindred ingest`", cli.data_dir.display())
            })?;
            let stats = kindred.library().stats();
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!("sources: {}", stats.sources.len());
                for source in &stats.sources {
                    println!(
                        "  {:<32} {:>6} items  ingested {}",
                        source.id, source.n_items, source.ingested_at
                    );
                }
                println!(
                    "documents: {} ({} with text)",
                    stats.n_documents, stats.n_documents_with_text
                );
                println!(
                    "passages: {} ({} copies of another passage)",
                    stats.n_passages, stats.n_copied_passages
                );
                println!("conditions: {}", stats.n_conditions);
                println!("copies found: {}", stats.copies.len());
                for group in &stats.copies {
                    println!("  {}", group.join(" = "));
                }
            }
        }
    }
    Ok(())
}

/// Opens the library, building the bundled one first when the data directory has none.
fn open_or_build(data_dir: &Path) -> anyhow::Result<Kindred> {
    match Kindred::open(data_dir) {
        Ok(Some(kindred)) => return Ok(kindred),
        Ok(None) => eprintln!(
            "no library in {} yet: building the bundled default library",
            data_dir.display()
        ),
        // A library written by another version of Kindred is rebuilt rather than misread.
        Err(kindred_app::Error::Library(kindred_app::LibraryError::Corrupt { .. })) => {
            eprintln!(
                "the library in {} is from another version of Kindred: rebuilding it",
                data_dir.display()
            );
        }
        Err(e) => return Err(e.into()),
    }
    kindred_app::ingest(data_dir, &[], &mut Bar { bar: None })?;
    Kindred::open(data_dir)?.context("the library was built but cannot be opened")
}

fn print_answer(out: &mut impl Write, answer: &AnswerJson, json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, answer)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "Q: {}", answer.question)?;
    if let Some(notice) = &answer.safety_notice {
        writeln!(out, "!! {notice}")?;
    }
    if answer.abstained {
        writeln!(out, "No answer: {}", answer.reason.as_deref().unwrap_or(""))?;
    } else {
        if let Some(short) = &answer.short_answer {
            writeln!(out, "A: {short}")?;
        }
        for (rank, passage) in answer.answers.iter().enumerate() {
            let c = &passage.citation;
            writeln!(
                out,
                "  [{}] {} — {} ({}, {})",
                rank + 1,
                passage.id,
                c.title,
                c.source,
                c.section
            )?;
            if let Some(url) = &c.url {
                writeln!(out, "      {url}")?;
            }
        }
    }
    writeln!(out, "{}", answer.disclaimer)?;
    writeln!(out)?;
    Ok(())
}
