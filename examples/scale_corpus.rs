//! Writes the scale corpus as JSON lines, the input of `extract --format jsonl`.
//!
//! ```sh
//! cargo run --release --example scale_corpus > target/scale.jsonl           # ~50 MB
//! cargo run --release --example scale_corpus -- 5000000 7 > target/small.jsonl  # bytes, seed
//! ```
//!
//! The corpus is built from the bundled articles (see `factrules::scale`),
//! so it is never committed: it is regenerated, identically, on demand.

use factrules::scale::{generate, ScaleConfig};
use factrules::Corpus;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut config = ScaleConfig::default();
    let parse = |what: &str, s: Option<String>| -> Result<Option<u64>, String> {
        s.map(|s| s.parse::<u64>().map_err(|e| format!("{what} `{s}`: {e}"))).transpose()
    };
    match (parse("bytes", args.next()), parse("seed", args.next())) {
        (Ok(bytes), Ok(seed)) => {
            config.bytes = bytes.map_or(config.bytes, |b| b as usize);
            config.seed = seed.unwrap_or(config.seed);
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("usage: scale_corpus [BYTES [SEED]]: {e}");
            return ExitCode::from(2);
        }
    }
    let corpus = match Corpus::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")]) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for article in generate(&corpus.articles, config) {
        let line = serde_json::json!({
            "id": article.id,
            "text": article.text,
            "published": article.published.map(|d| d.to_string()),
            "language": article.language,
        });
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
