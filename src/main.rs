//! The `factrules` command line: wires rules, engine, evaluation and reports.
//!
//! Exit status: 0 success; 1 the rules disagree with the goldens in a way the
//! goldens do not record (or a golden is missing or unjudged), or `compare`
//! finds that accuracy dropped; 2 a usage error, an input that cannot be
//! loaded, or a `lint` error.

mod cli;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use factrules::eval::{evaluate, Golden, Score};
use factrules::{report, stream, Corpus, Extraction, LoadError, RuleSet};

#[derive(Parser)]
#[command(
    name = "factrules",
    version,
    about = "Extract dates, envoys, casualties and locations from news articles with YAML rules, and score the rules against hand-verified goldens"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract facts from articles (files or folders; default: the bundled corpus).
    Extract {
        /// Article files (*.txt) or folders of them.
        paths: Vec<PathBuf>,
        /// Folder of rule files [default: ./rules, else the bundled rules].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Output format; `jsonl` reads JSON lines {"id","text","published"?,"language"?} on standard input.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Yaml)]
        format: ExtractFormat,
    },
    /// Score the rules against the goldens: precision, recall and F1 per kind.
    Eval {
        /// Folder of rule files [default: ./rules, else the bundled rules].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Folder of articles [default: ./corpus, else the bundled corpus].
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Folder of goldens [default: ./golden, else the bundled goldens].
        #[arg(long, value_name = "DIR")]
        golden: Option<PathBuf>,
        /// Also print the scores of each article.
        #[arg(long)]
        per_article: bool,
        /// Also list the disagreements the goldens already record.
        #[arg(long)]
        known: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
    },
    /// Compare two versions of the rules: accuracy with confidence intervals, flipped facts and
    /// the rule to blame, speed. Exit status 1 when accuracy drops.
    Compare(cli::compare::Args),
    /// Per-rule statistics: matches, facts, true and false positives, dead and shadowed rules,
    /// overlapping pairs, and each rule's worth beside its share of the time.
    Stats(cli::stats::Args),
    /// Every match in one article, in text order, with why it was kept or dropped; for each
    /// missed golden fact, the rules that came closest.
    Explain(cli::explain::Args),
    /// Check the rule set: errors (exit status 2) and warnings.
    Lint(cli::lint::Args),
    /// Time per rule file and per rule over the corpus, slowest first.
    Profile(cli::profile::Args),
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Yaml,
    Json,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalFormat {
    Table,
    Json,
}

/// A failure with its exit status.
struct Failure {
    status: u8,
    report: miette::Report,
}

impl<E: miette::Diagnostic + Send + Sync + 'static> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure { status: 2, report: miette::Report::new(e) }
    }
}

/// Has glibc's allocator give large freed buffers back to the system.
///
/// Why: a run's memory is mostly a few large buffers (the DFAs' transition
/// tables, reserved zeroed and written as states are built; the batches of
/// a stream) and the load's short-lived syntax trees. glibc serves a large buffer with a mapping of its own, returned
/// when freed, until the first such free; it then raises that threshold and
/// serves the next ones from its heaps, which keep what is freed. Fixed
/// thresholds keep returning them: over the 50 MB scale corpus, `extract
/// --format jsonl` peaked at 54 MB instead of 63, at the same speed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_buffers() {
    const LARGE: libc::c_int = 128 * 1024;
    // SAFETY: `mallopt` only sets two of the allocator's parameters, and it
    // is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE);
        libc::mallopt(libc::M_TRIM_THRESHOLD, LARGE);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_buffers() {}

/// Has glibc's allocator give back the pages that loading used and freed.
///
/// Why: compiling a rule set builds large short-lived structures (syntax
/// trees, automata builders) from many small allocations, on the worker
/// threads. Freed, they stay in those threads' heaps, which only give back
/// their top; the run then takes its own buffers elsewhere. Trimmed, the
/// whole free pages go back: over the 50 MB scale corpus, `extract --format
/// jsonl` peaked about 3 MB lower, for about a millisecond.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_load_memory() {
    // SAFETY: `malloc_trim` only releases free memory; it takes the
    // allocator's locks like any allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_load_memory() {}

/// Loads rules, printing every error of the set with its own help.
fn load_rules(dir: Option<PathBuf>) -> Result<RuleSet, Failure> {
    let rules = RuleSet::load(dir.unwrap_or_else(|| bundled("rules"))).map_err(rules_failure);
    return_load_memory();
    rules
}

/// Prints every error of a rule set that did not load, each with its own help.
fn rules_failure(e: LoadError) -> Failure {
    let n = e.errors.len();
    for error in e.errors {
        eprintln!("{:?}", miette::Report::new(error));
    }
    Failure {
        status: 2,
        report: miette::miette!("the rule set did not load: {n} error{}", if n == 1 { "" } else { "s" }),
    }
}

fn main() -> ExitCode {
    return_large_buffers();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { paths, rules, format } => extract(paths, rules, format),
        Command::Eval { rules, corpus, golden, per_article, known, format } => {
            eval(rules, corpus, golden, per_article, known, format)
        }
        Command::Compare(args) => cli::compare::run(args),
        Command::Stats(args) => cli::stats::run(args),
        Command::Explain(args) => cli::explain::run(args),
        Command::Lint(args) => cli::lint::run(args),
        Command::Profile(args) => cli::profile::run(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(f) => {
            eprintln!("{:?}", f.report);
            ExitCode::from(f.status)
        }
    }
}

/// A bundled folder: `./NAME` when run from a checkout, else the one beside
/// the crate's manifest.
fn bundled(name: &str) -> PathBuf {
    let local = PathBuf::from(name);
    if local.is_dir() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }
}

fn usage(message: &str) -> Failure {
    Failure { status: 2, report: miette::miette!("{message}") }
}

fn write_failure(e: std::io::Error) -> Failure {
    Failure { status: 2, report: miette::miette!("cannot write output: {e}") }
}

fn extract(paths: Vec<PathBuf>, rules: Option<PathBuf>, format: ExtractFormat) -> Result<u8, Failure> {
    let rules = load_rules(rules)?;
    if let ExtractFormat::Jsonl = format {
        if !paths.is_empty() {
            return Err(usage("--format jsonl reads articles from standard input; give no PATH"));
        }
        extract_jsonl(&rules)?;
        return Ok(0);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let paths = if paths.is_empty() { vec![bundled("corpus")] } else { paths };
    let corpus = Corpus::load(&paths)?;
    let extractions = rules.extract_all(&corpus.articles);
    match format {
        ExtractFormat::Yaml => {
            let yaml = serde_yaml::to_string(&extractions).map_err(|e| usage(&e.to_string()))?;
            out.write_all(yaml.as_bytes()).map_err(write_failure)?;
        }
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &extractions).map_err(|e| usage(&e.to_string()))?;
            out.write_all(b"\n").map_err(write_failure)?;
        }
        ExtractFormat::Jsonl => unreachable!("handled above"),
    }
    out.flush().map_err(write_failure)?;
    Ok(0)
}

/// Streams standard input to standard output (see `factrules::stream`),
/// with a progress bar on standard error when it is a terminal: a batch
/// engine that captures standard error gets nothing there but errors.
fn extract_jsonl(rules: &RuleSet) -> Result<(), Failure> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg} articles, {bytes} read ({bytes_per_sec}), {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
    let output = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let result = stream::extract_jsonl(rules, input, output, |done| {
        if let Some(bar) = &bar {
            bar.set_position(done.bytes);
            bar.set_message(done.articles.to_string());
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result?;
    Ok(())
}

fn eval(
    rules: Option<PathBuf>,
    corpus: Option<PathBuf>,
    golden: Option<PathBuf>,
    per_article: bool,
    known: bool,
    format: EvalFormat,
) -> Result<u8, Failure> {
    let rules = load_rules(rules)?;
    let corpus = Corpus::load(&[corpus.unwrap_or_else(|| bundled("corpus"))])?;
    let golden_dir = golden.unwrap_or_else(|| bundled("golden"));
    let extractions: Vec<Extraction> = rules.extract_all(&corpus.articles);
    let mut problems = Vec::new();
    let mut articles = Vec::new();
    for (article, extraction) in corpus.articles.iter().zip(&extractions) {
        match Golden::read(&golden_dir, &article.id)? {
            Some(g) => articles.push(evaluate(article, extraction, &g)),
            None => problems.push(format!("{}: no golden (run `cargo test`, then `cargo insta review`)", article.id)),
        }
    }
    let score = Score { articles };
    match format {
        EvalFormat::Table => {
            print!("{}", report::accuracy_table(&score));
            if per_article {
                println!();
                print!("{}", report::article_table(&score));
            }
            let listing = report::disagreements(&score, known);
            if !listing.is_empty() {
                println!();
                println!(
                    "{}",
                    if known {
                        "Disagreements with the goldens:"
                    } else {
                        "Unexpected disagreements with the goldens:"
                    }
                );
                print!("{listing}");
            }
        }
        EvalFormat::Json => {
            let json = serde_json::to_string_pretty(&score).map_err(|e| usage(&e.to_string()))?;
            println!("{json}");
        }
    }
    for p in &problems {
        eprintln!("error: {p}");
    }
    Ok(if problems.is_empty() && score.total().unexpected() == 0 { 0 } else { 1 })
}
