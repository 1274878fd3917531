//! The commands that inspect rules: compare, stats, explain, lint, profile.
//!
//! Each reads its inputs (rule folders or git revisions, articles, goldens),
//! hands them to [`factrules::inspect`], and prints what it computed as a
//! table or as JSON. Files and git are read here and only here: the library
//! gets rule sets, articles and goldens.

pub(crate) mod compare;
pub(crate) mod explain;
pub(crate) mod lint;
pub(crate) mod profile;
mod revision;
pub(crate) mod stats;

use clap::ValueEnum;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::{bundled, load_rules, usage, write_failure, Failure};
use factrules::eval::Golden;
use factrules::{Corpus, RuleSet};

/// The rules and the articles a command runs over.
#[derive(clap::Args)]
pub(crate) struct Workspace {
    /// Folder of rule files [default: ./rules, else the bundled rules].
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Folder of articles [default: ./corpus, else the bundled corpus].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

impl Workspace {
    fn rules_dir(&self) -> PathBuf {
        self.rules.clone().unwrap_or_else(|| bundled("rules"))
    }

    fn rules(&self) -> Result<RuleSet, Failure> {
        load_rules(Some(self.rules_dir()))
    }

    fn corpus(&self) -> Result<Corpus, Failure> {
        Ok(Corpus::load(&[self.corpus.clone().unwrap_or_else(|| bundled("corpus"))])?)
    }
}

/// The goldens the articles are judged against.
#[derive(clap::Args)]
pub(crate) struct Goldens {
    /// Folder of goldens [default: ./golden, else the bundled goldens].
    #[arg(long, value_name = "DIR")]
    golden: Option<PathBuf>,
}

impl Goldens {
    fn dir(&self) -> PathBuf {
        self.golden.clone().unwrap_or_else(|| bundled("golden"))
    }

    /// The goldens of the corpus's articles, by id; articles without one are
    /// said on standard error, since they count for nothing in the scores.
    fn read(&self, corpus: &Corpus) -> Result<BTreeMap<String, Golden>, Failure> {
        let goldens = Golden::read_all(&self.dir(), corpus.articles.iter().map(|a| a.id.as_str()))?;
        let missing: Vec<&str> =
            corpus.articles.iter().map(|a| a.id.as_str()).filter(|id| !goldens.contains_key(*id)).collect();
        if !missing.is_empty() {
            eprintln!("note: {} article(s) without a golden are not scored: {}", missing.len(), missing.join(", "));
        }
        Ok(goldens)
    }
}

/// How a command prints.
#[derive(Clone, Copy, Default, ValueEnum)]
pub(crate) enum Format {
    /// A table for people.
    #[default]
    Table,
    /// JSON for scripts.
    Json,
}

/// Prints `value` as a table (rendered only when asked for) or as JSON.
fn emit<T: serde::Serialize>(format: Format, value: &T, table: impl FnOnce(&T) -> String) -> Result<(), Failure> {
    let text = match format {
        Format::Table => table(value),
        Format::Json => {
            let mut json =
                serde_json::to_string_pretty(value).map_err(|e| usage(&format!("cannot write JSON: {e}")))?;
            json.push('\n');
            json
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(write_failure)
}
