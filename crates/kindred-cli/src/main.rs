//! `kindred`: the command-line front end. Glue only: parse arguments, call `kindred-app`, print.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kindred_app::community::CommunityLimits;
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
    /// The community database: `sqlite://…` or `postgres://user:password@host/db`. Default: SQLite
    /// in the data directory (`kindred.db`).
    #[arg(long, global = true, env = "KINDRED_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
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
        /// Allow replacing a source with one of another kind or with fewer than half its documents
        /// (without it, such an ingest stops and the library is unchanged).
        #[arg(long)]
        replace: bool,
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
        /// Mark cookies `Secure` (serve behind HTTPS).
        #[arg(long, env = "KINDRED_SECURE_COOKIES")]
        secure_cookies: bool,
        #[command(flatten)]
        community: CommunityArgs,
        #[command(flatten)]
        edge: EdgeArgs,
    },
    /// Administration of the community.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Add clearly-labelled synthetic members (handles `synthetic-…`, no password) for demos and
    /// benchmarks. They can appear as Alikes, labelled, and never count in member-reported outcomes.
    Demo {
        /// How many members to add.
        #[arg(long)]
        members: usize,
        /// Seed of the generator (same seed, same members).
        #[arg(long, default_value_t = 2013)]
        seed: u64,
    },
    /// Sources, documents, passages, conditions and copies found.
    Stats {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Timeouts and limits at the HTTP edge (`kindred serve`).
#[derive(Debug, clap::Args)]
struct EdgeArgs {
    /// Seconds a client has to send a request's head; also how long an idle keep-alive connection
    /// stays open.
    #[arg(long, env = "KINDRED_HEADER_READ_TIMEOUT", default_value_t = 10, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,
    /// Seconds a client has to send a request's body and get the answer (408 otherwise).
    #[arg(long, env = "KINDRED_REQUEST_TIMEOUT", default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout: u64,
    /// Most connections open at once; lowered to fit the open-file limit. At the cap, the oldest
    /// connection with no request in progress is closed to make room.
    #[arg(long, env = "KINDRED_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: u64,
}

impl EdgeArgs {
    fn limits(&self) -> kindred_web::EdgeLimits {
        kindred_web::EdgeLimits {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout),
            request_timeout: std::time::Duration::from_secs(self.request_timeout),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

#[derive(Debug, Subcommand)]
enum AdminAction {
    /// Create an administrator. The password is read from the first line of standard input (or
    /// KINDRED_ADMIN_PASSWORD), never from the command line.
    Create {
        /// The administrator's handle.
        handle: String,
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
    /// Conditions described in patients' own words without their name: top-1 and top-3.
    Lay {
        /// JSON lines `{"id", "q", "any": [names]}`.
        #[arg(long)]
        questions: PathBuf,
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
        // The reader of our output went away (`kindred stats | head -1`): what it wanted it has, and
        // there is nobody left to tell. Exit quietly, as ripgrep does.
        Err(error) if is_broken_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            note(&format!("error: {error:#}"));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes a line to standard error. Unlike `eprintln!`, it cannot panic when standard error is a
/// closed pipe: the note is then lost, which is all that can happen to it.
fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Standard output, buffered. Every command writes through it with `?`, so a closed pipe is an
/// error that [`main`] recognises rather than a panic in `println!`.
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Ingest { paths, replace } => {
            let options = kindred_app::IngestOptions { replace };
            let report = kindred_app::ingest_with(&cli.data_dir, &paths, options, &mut Bar { bar: None })?;
            let mut out = stdout();
            if report.built_default && !paths.is_empty() {
                note("built the bundled default library first");
            }
            for source in &report.ingested {
                writeln!(out, "ingested {} ({} items)", source.id, source.n_items)?;
            }
            writeln!(
                out,
                "library: {} documents, {} passages, {} conditions",
                report.stats.n_documents, report.stats.n_passages, report.stats.n_conditions
            )?;
            out.flush()?;
        }
        Command::Ask {
            json,
            limit,
            question,
        } => {
            let kindred = open_or_build(&cli.data_dir)?;
            let mut out = stdout();
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
            exit_without_freeing(kindred);
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
            let mut out = stdout();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                writeln!(
                    out,
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
                )?;
                for (name, m) in [
                    ("kindred", &report.kindred),
                    ("bm25-baseline", &report.bm25_baseline),
                ] {
                    writeln!(
                        out,
                        "{name:<14} {:>8.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9}",
                        m.avg_score,
                        m.succ_2,
                        m.succ_3,
                        m.succ_4,
                        m.map_10,
                        m.mrr_10,
                        m.judged_top,
                        m.n_abstained
                    )?;
                }
                writeln!(out, "questions: {}", report.kindred.n_questions)?;
            }
            out.flush()?;
        }
        Command::Eval {
            suite: EvalSuite::Lay { questions, json },
        } => {
            let kindred = open_or_build(&cli.data_dir)?;
            let report = kindred.eval_lay(&questions)?;
            let mut out = stdout();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                // Each question: Kindred's titles, then what plain BM25 cited first.
                for (outcome, baseline) in report.questions.iter().zip(&report.baseline_questions) {
                    let mark = if outcome.top_1 { "ok  " } else { "miss" };
                    let bm25 = if baseline.top_1 { "ok  " } else { "miss" };
                    let bm25_first = baseline.titles.first().map_or("", String::as_str);
                    writeln!(
                        out,
                        "{mark} {:<8} {}  [bm25 {bm25} {bm25_first}]",
                        outcome.id,
                        outcome.titles.join(" | ")
                    )?;
                }
                writeln!(
                    out,
                    "{:<14} {:>6} {:>6} {:>9}",
                    "system", "top-1", "top-3", "abstained"
                )?;
                for (name, m) in [
                    ("kindred", &report.kindred),
                    ("bm25-baseline", &report.bm25_baseline),
                ] {
                    writeln!(
                        out,
                        "{name:<14} {:>6.3} {:>6.3} {:>9}",
                        m.top_1, m.top_3, m.n_abstained
                    )?;
                }
                writeln!(out, "questions: {}", report.kindred.n_questions)?;
            }
            out.flush()?;
        }
        Command::Serve {
            addr,
            secure_cookies,
            community: community_args,
            edge,
        } => {
            let limits = community_args.limits();
            let kindred = open_or_build(&cli.data_dir)?;
            kindred.warm_up()?;
            let runtime = runtime()?;
            runtime.block_on(async {
                let community = open_community(&cli.data_dir, cli.database_url.as_deref(), limits).await?;
                let state = kindred_web::AppState::new(kindred, community)
                    .with_secure_cookies(secure_cookies)
                    .with_trusted_proxies(community_args.trusted_proxy);
                kindred_web::serve(addr, state, edge.limits())
                    .await
                    .with_context(|| format!("serving on {addr}"))
            })?;
        }
        Command::Admin {
            action: AdminAction::Create { handle },
        } => {
            let password = match std::env::var("KINDRED_ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    if std::io::stdin().is_terminal() {
                        let _ = write!(std::io::stderr(), "password for {handle}: ");
                    }
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            runtime()?.block_on(async {
                let community = open_community(
                    &cli.data_dir,
                    cli.database_url.as_deref(),
                    CommunityLimits::default(),
                )
                .await?;
                let admin = community.create_admin(&handle, &password).await?;
                let mut out = stdout();
                writeln!(out, "created administrator {}", admin.handle)?;
                out.flush()?;
                anyhow::Ok(())
            })?;
        }
        Command::Demo { members, seed } => {
            let kindred = open_or_build(&cli.data_dir)?;
            runtime()?.block_on(async {
                let community = open_community(&cli.data_dir, cli.database_url.as_deref(), CommunityLimits::default()).await?;
                let bar = if std::io::stderr().is_terminal() {
                    ProgressBar::new(members as u64)
                } else {
                    ProgressBar::hidden()
                };
                let added = community
                    .add_synthetic_members(&kindred, members, seed, |n| bar.set_position(n as u64))
                    .await?;
                bar.finish_and_clear();
                let mut out = stdout();
                writeln!(
                    out,
                    "added {added} synthetic members (handles synthetic-…; they cannot sign in); {} in the Alikes index",
                    community.n_matchable()
                )?;
                out.flush()?;
                anyhow::Ok(())
            })?;
        }
        Command::Stats { json } => {
            let kindred = Kindred::open(&cli.data_dir)?.with_context(|| {
                format!("{}: no library yet; run `kindred ingest`", cli.data_dir.display())
            })?;
            let stats = kindred.library().stats();
            let mut out = stdout();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
            } else {
                writeln!(out, "sources: {}", stats.sources.len())?;
                for source in &stats.sources {
                    writeln!(
                        out,
                        "  {:<32} {:>6} items  ingested {}",
                        source.id, source.n_items, source.ingested_at
                    )?;
                }
                writeln!(
                    out,
                    "documents: {} ({} with text)",
                    stats.n_documents, stats.n_documents_with_text
                )?;
                writeln!(
                    out,
                    "passages: {} ({} copies of another passage)",
                    stats.n_passages, stats.n_copied_passages
                )?;
                writeln!(out, "conditions: {}", stats.n_conditions)?;
                match kindred.phenotype_version() {
                    Some(version) => writeln!(
                        out,
                        "phenotypes: Human Phenotype Ontology {version}\n  {}",
                        kindred_app::hpo_acknowledgement(version)
                    )?,
                    None => writeln!(out, "phenotypes: none (ingest again to add them)")?,
                }
                writeln!(out, "copies found: {}", stats.copies.len())?;
                for group in &stats.copies {
                    writeln!(out, "  {}", group.join(" = "))?;
                }
            }
            out.flush()?;
            exit_without_freeing(kindred);
        }
    }
    Ok(())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Opens the community database (SQLite in the data directory unless a URL is given), migrating
/// it, and loads the in-memory Alikes index and outcome tallies.
async fn open_community(
    data_dir: &Path,
    database_url: Option<&str>,
    limits: CommunityLimits,
) -> anyhow::Result<kindred_app::community::Community> {
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => {
            std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
            kindred_store::sqlite_url(data_dir)
        }
    };
    let backend = kindred_store::Backend::of_url(&url)?;
    let store = kindred_store::Store::open(&url)
        .await
        .with_context(|| format!("opening the {} community database", backend.name()))?;
    Ok(kindred_app::community::Community::open_with(store, limits).await?)
}

/// Leaves the open library to the operating system, which reclaims a process's memory at once:
/// freeing its hundreds of thousands of allocations one by one (the catalog, the passages, the
/// question analyser's tables) would only delay a one-question `ask` or `stats` by tens of
/// milliseconds. Only for commands that end right after.
fn exit_without_freeing(kindred: Kindred) {
    std::mem::forget(kindred);
}

/// Opens the library, building the bundled one first when the data directory has none.
fn open_or_build(data_dir: &Path) -> anyhow::Result<Kindred> {
    match Kindred::open(data_dir) {
        Ok(Some(kindred)) => return Ok(kindred),
        Ok(None) => note(&format!(
            "no library in {} yet: building the bundled default library",
            data_dir.display()
        )),
        // A library written by another version of Kindred is rebuilt rather than misread.
        Err(kindred_app::Error::Library(kindred_app::LibraryError::Corrupt { .. })) => {
            note(&format!(
                "the library in {} is from another version of Kindred: rebuilding it",
                data_dir.display()
            ));
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

/// Who the community lets in and counts, under load and behind proxies (`kindred serve`).
#[derive(Debug, clap::Args)]
struct CommunityArgs {
    /// Proxies (addresses or CIDR ranges, e.g. `127.0.0.1/32,10.0.0.0/8`) whose
    /// `X-Forwarded-For` or `Forwarded` header names the client. Without any, the socket's peer
    /// is the client; set it when serving behind a reverse proxy, or every visitor shares the
    /// proxy's sign-in and registration allowance.
    #[arg(long, env = "KINDRED_TRUSTED_PROXY", value_delimiter = ',', num_args = 1..,
              value_parser = parse_proxy)]
    trusted_proxy: Vec<ipnet::IpNet>,
    /// Accounts one client address may register per hour.
    #[arg(long, env = "KINDRED_REGISTRATIONS_PER_HOUR", default_value_t = CommunityLimits::default().registrations_per_hour,
              value_parser = clap::value_parser!(u32).range(1..))]
    registrations_per_hour: u32,
    /// Accounts one client address may register per day.
    #[arg(long, env = "KINDRED_REGISTRATIONS_PER_DAY", default_value_t = CommunityLimits::default().registrations_per_day,
              value_parser = clap::value_parser!(u32).range(1..))]
    registrations_per_day: u32,
    /// A member's reports count in "What members report" only once their account is this many
    /// days old…
    #[arg(long, env = "KINDRED_AGGREGATE_MIN_ACCOUNT_DAYS", default_value_t = CommunityLimits::default().aggregate_min_account_days)]
    aggregate_min_account_days: u32,
    /// …and they have been active on this many different days.
    #[arg(long, env = "KINDRED_AGGREGATE_MIN_ACTIVE_DAYS", default_value_t = CommunityLimits::default().aggregate_min_active_days,
              value_parser = clap::value_parser!(u32).range(1..))]
    aggregate_min_active_days: u32,
    /// Password checks run at once (argon2id, 19 MiB each) [default: one fewer than the cores]
    #[arg(long, env = "KINDRED_PASSWORD_WORKERS", value_parser = clap::value_parser!(u32).range(1..256))]
    password_workers: Option<u32>,
    /// Sign-ins and registrations that may wait for a password worker; past them the answer is
    /// 429 with Retry-After [default: 8 per worker]
    #[arg(long, env = "KINDRED_PASSWORD_QUEUE", value_parser = clap::value_parser!(u32).range(0..4096))]
    password_queue: Option<u32>,
}

impl CommunityArgs {
    fn limits(&self) -> CommunityLimits {
        CommunityLimits {
            registrations_per_hour: self.registrations_per_hour,
            registrations_per_day: self.registrations_per_day,
            aggregate_min_account_days: self.aggregate_min_account_days,
            aggregate_min_active_days: self.aggregate_min_active_days,
            password_workers: self.password_workers,
            password_queue: self.password_queue,
        }
    }
}

/// A trusted proxy: a CIDR range, or one address (its own /32 or /128).
fn parse_proxy(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an address or a CIDR range such as 10.0.0.0/8"))
}
