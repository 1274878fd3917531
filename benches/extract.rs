//! How fast the rule set runs, measured over the scale corpus.
//!
//! `cargo bench` generates the scale corpus in memory (`factrules::scale`,
//! about 50 MB from the bundled articles, seeded) and reports, in bytes per
//! second:
//!
//! - `whole/*`: the bundled rule set on one thread (`1-thread`, one
//!   `extract` call per article), through rayon with one and with two
//!   threads (`rayon-1-thread`, `rayon-2-threads`, batches of 1,024 articles
//!   as `extract --format jsonl` does), and `regex-reference`: one pass of one
//!   simple regex (capitalised words, `\p{Lu}\p{Ll}+`) over the same bytes, the
//!   cost floor of touching the text once, and `scan-only`: the rule set's
//!   automata (the DFA of each article's language walked from the starts
//!   where a match can count, then the aliases' Aho-Corasick) over the text
//!   with nothing done about their matches, which splits the whole set's
//!   time into finding matches and reading them;
//! - `rule-file/*` and `language/*`: each rule file alone (`RuleSet::subset`)
//!   and each language's articles, over the first 10 MB of the corpus;
//! - `rule-count/*`: the bundled rule set against one ten times larger
//!   (synthetic pattern rules and gazetteer entries, see [`tenfold`]);
//! - `load/bundled`: loading and compiling the bundled rules, examples
//!   checked.
//!
//! Criterion prints each benchmark's time and throughput; the bench then
//! prints a summary with the ratios the targets are stated in, from the
//! median time per iteration of the same samples, and each ratio measured
//! once more in alternating pairs (see [`summary::pair`]): on a shared
//! machine the load drifts over the seconds between two benches, and
//! weighs on both sides of a pair alike.
//!
//! ```sh
//! cargo bench --bench extract                    # everything, about 5 minutes
//! cargo bench --bench extract -- whole/          # one group
//! cargo bench --bench extract -- --save-baseline before   # before a rule change
//! cargo bench --bench extract -- --baseline before        # after it: criterion prints the change
//! ```

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use factrules::scale::{generate, ScaleConfig};
use factrules::{Article, Corpus, Language, RuleSet};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The per-file, per-language and rule-count benches run over this prefix of
/// the scale corpus: enough to time them, in a fifth of the time.
const SLICE_BYTES: usize = 10_000_000;

/// The one-pass reference: a simple regex with Unicode classes, like the
/// rules, that must look at every byte (no literal to skip ahead to).
const REFERENCE: &str = r"\p{Lu}\p{Ll}+";

/// Articles per rayon batch, as in `extract --format jsonl`.
const BATCH: usize = 1024;

fn root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The rule set and the scale corpus, built once for every bench.
struct Data {
    rules: RuleSet,
    corpus: Vec<Article>,
    /// How many articles of `corpus` make its first [`SLICE_BYTES`].
    slice: usize,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let rules = RuleSet::load(root("rules")).expect("the bundled rules load");
        let bundled = Corpus::load(&[root("corpus")]).expect("the bundled corpus loads");
        let corpus = generate(&bundled.articles, ScaleConfig::default());
        let mut bytes = 0;
        let slice = corpus.iter().take_while(|a| (bytes += a.text.len(), bytes <= SLICE_BYTES).1).count();
        Data { rules, corpus, slice }
    })
}

fn bytes<'a>(articles: impl IntoIterator<Item = &'a Article>) -> u64 {
    articles.into_iter().map(|a| a.text.len() as u64).sum()
}

/// Extracts every article, one `extract` call after the other, dropping the
/// results as it goes (as a stream would).
fn extract_each<'a>(rules: &RuleSet, articles: impl IntoIterator<Item = &'a Article>) {
    for article in articles {
        black_box(rules.extract(black_box(article)));
    }
}

/// Times `f` per iteration for the summary, and reports the time to
/// criterion.
fn timed(b: &mut criterion::Bencher, id: &str, mut f: impl FnMut()) {
    b.iter_custom(|iters| {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        let took = start.elapsed();
        summary::record(id, took / iters.max(1) as u32);
        took
    })
}

fn whole(c: &mut Criterion) {
    let d = data();
    let mut group = c.benchmark_group("whole");
    // Ten iterations of the whole corpus: over a second each on one thread.
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(14));
    group.throughput(Throughput::Bytes(bytes(&d.corpus)));
    group.bench_function("1-thread", |b| timed(b, "whole/1-thread", || extract_each(&d.rules, &d.corpus)));
    let pools = [1, 2].map(|threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool"));
    let in_pool = |pool: &rayon::ThreadPool| {
        pool.install(|| {
            for batch in d.corpus.chunks(BATCH) {
                black_box(d.rules.extract_all(black_box(batch)));
            }
        })
    };
    for (pool, id) in pools.iter().zip(["rayon-1-thread", "rayon-2-threads"]) {
        group.bench_function(id, |b| timed(b, &format!("whole/{id}"), || in_pool(pool)));
    }
    group.bench_function("scan-only", |b| {
        timed(b, "whole/scan-only", || {
            for article in &d.corpus {
                black_box(d.rules.scan_matches(black_box(article)));
            }
        })
    });
    let reference = regex::Regex::new(REFERENCE).expect("a valid regex");
    let one_pass = || {
        for article in &d.corpus {
            black_box(reference.find_iter(black_box(&article.text)).count());
        }
    };
    group.bench_function("regex-reference", |b| timed(b, "whole/regex-reference", one_pass));
    group.finish();
    summary::pair("whole/1-thread", "whole/regex-reference", || extract_each(&d.rules, &d.corpus), one_pass);
    summary::pair("whole/rayon-1-thread", "whole/rayon-2-threads", || in_pool(&pools[0]), || in_pool(&pools[1]));
}

fn per_file_and_language(c: &mut Criterion) {
    let d = data();
    let slice = &d.corpus[..d.slice];
    let mut group = c.benchmark_group("rule-file");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(bytes(slice)));
    for file in d.rules.files() {
        let subset = d.rules.subset(|_, f| f == file).expect("a subset of valid rules compiles");
        if subset.is_empty() {
            continue; // a file of macros and lexicons only
        }
        let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
        group.bench_function(BenchmarkId::from_parameter(&name), |b| {
            timed(b, &format!("rule-file/{name}"), || extract_each(&subset, slice))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("language");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for language in [Language::En, Language::Vi] {
        let articles: Vec<&Article> = slice.iter().filter(|a| a.language == language).collect();
        group.throughput(Throughput::Bytes(bytes(articles.iter().copied())));
        group.bench_function(language.as_str(), |b| {
            timed(b, &format!("language/{language}"), || extract_each(&d.rules, articles.iter().copied()))
        });
    }
    group.finish();
}

fn rule_count(c: &mut Criterion) {
    let d = data();
    let slice = &d.corpus[..d.slice];
    let tenfold = RuleSet::from_sources(tenfold::sources()).unwrap_or_else(|e| panic!("the tenfold set loads:\n{e}"));
    println!("rule-count: bundled {} rules, tenfold {} rules", d.rules.len(), tenfold.len());
    let mut group = c.benchmark_group("rule-count");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes(slice)));
    group.bench_function("bundled", |b| timed(b, "rule-count/bundled", || extract_each(&d.rules, slice)));
    group.bench_function("tenfold", |b| timed(b, "rule-count/tenfold", || extract_each(&tenfold, slice)));
    group.finish();
    summary::pair(
        "rule-count/tenfold",
        "rule-count/bundled",
        || extract_each(&tenfold, slice),
        || extract_each(&d.rules, slice),
    );
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_function("bundled", |b| {
        timed(b, "load/bundled", || {
            black_box(RuleSet::load(root("rules")).expect("the bundled rules load"));
        })
    });
    group.finish();
}

/// A rule set ten times the bundled one, for the rule-count bench.
///
/// The bundled files are kept and, for each, a synthetic file adds nine
/// copies of each of its rules: a pattern rule's copy requires a word taken
/// from the corpus before the original pattern (`(?:talks)\s+(?:...)`), so
/// copies are real regexes over the same macros that match now and then; a
/// gazetteer's copy lists as many entries as the original, named by pairs of
/// capitalised words that follow each other in the corpus ("Foreign
/// Minister", "Prime Minister"), so the automaton grows tenfold with names
/// that do occur. Copies rank one priority below their original, and their
/// examples are not copied: the copies would not give them.
mod tenfold {
    use super::root;
    use serde_yaml::{Mapping, Value};
    use std::path::PathBuf;

    /// Copies added per bundled rule.
    const COPIES: usize = 9;

    pub fn sources() -> Vec<(PathBuf, String)> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root("rules"))
            .expect("the rules folder")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        let corpus = factrules::Corpus::load(&[root("corpus")]).expect("the bundled corpus loads");
        let text: String = corpus.articles.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join("\n");
        let files: Vec<(PathBuf, String, Value)> = paths
            .into_iter()
            .map(|path| {
                let yaml = std::fs::read_to_string(&path).expect("a readable rule file");
                let file: Value = serde_yaml::from_str(&yaml).expect("a valid rule file");
                (path, yaml, file)
            })
            .collect();
        // The bundled examples must still give what they say (they are
        // checked when the set loads): no synthetic name may occur in one.
        let examples: Vec<String> = files.iter().flat_map(|(_, _, file)| example_texts(file)).collect();
        let mut words = Cycle::new(words(&text));
        let names = name_pairs(&text).into_iter().filter(|n| !examples.iter().any(|e| e.contains(n.as_str())));
        let mut names = Cycle::new(names.collect());
        let mut sources = Vec::new();
        for (path, yaml, file) in files {
            let mut copies = Vec::new();
            for rule in file.get("rules").and_then(Value::as_sequence).into_iter().flatten() {
                for copy in 1..=COPIES {
                    copies.push(synthetic(rule, copy, &mut words, &mut names));
                }
            }
            if !copies.is_empty() {
                let mut out = Mapping::new();
                for key in ["kind", "language"] {
                    if let Some(v) = file.get(key) {
                        out.insert(key.into(), v.clone());
                    }
                }
                out.insert("rules".into(), Value::Sequence(copies));
                let name = format!("synthetic.{}", path.file_name().expect("a file name").to_string_lossy());
                let text = serde_yaml::to_string(&out).expect("YAML serialises");
                sources.push((path.with_file_name(name), text));
            }
            sources.push((path, yaml));
        }
        sources.sort_by(|a, b| a.0.cmp(&b.0));
        sources
    }

    fn synthetic(rule: &Value, copy: usize, words: &mut Cycle, names: &mut Cycle) -> Value {
        let mut out = Mapping::new();
        let id = rule.get("id").and_then(Value::as_str).unwrap_or("rule");
        out.insert("id".into(), format!("synthetic{copy}.{id}").into());
        let skip = ["id", "description", "examples", "counterexamples", "pattern", "gazetteer"];
        for (key, value) in rule.as_mapping().into_iter().flatten() {
            if !key.as_str().is_some_and(|k| skip.contains(&k)) {
                out.insert(key.clone(), value.clone());
            }
        }
        // Below the original, so that the bundled rules' examples still hold
        // (examples are checked when the set loads).
        let priority = rule.get("priority").and_then(Value::as_i64).unwrap_or(0);
        out.insert("priority".into(), (priority - 1).into());
        if let Some(pattern) = rule.get("pattern").and_then(Value::as_str) {
            out.insert("pattern".into(), format!(r"(?:{})\s+(?:{pattern})", words.next()).into());
        }
        if let Some(entries) = rule.get("gazetteer").and_then(Value::as_sequence) {
            let entries = entries
                .iter()
                .map(|entry| {
                    let mut e = Mapping::new();
                    e.insert("name".into(), names.next().into());
                    for key in ["role", "represents"] {
                        if let Some(v) = entry.get(key) {
                            e.insert(key.into(), v.clone());
                        }
                    }
                    Value::Mapping(e)
                })
                .collect();
            out.insert("gazetteer".into(), Value::Sequence(entries));
        }
        Value::Mapping(out)
    }

    /// The texts of every example and counterexample of a rule file.
    fn example_texts(file: &Value) -> Vec<String> {
        let rules = file.get("rules").and_then(Value::as_sequence).into_iter().flatten();
        let lists = rules.flat_map(|r| ["examples", "counterexamples"].map(|k| r.get(k).and_then(Value::as_sequence)));
        lists
            .flatten()
            .flatten()
            .filter_map(|e| e.as_str().or_else(|| e.get("text").and_then(Value::as_str)))
            .map(str::to_string)
            .collect()
    }

    /// Lower-case ASCII words of four letters or more, in order of first use.
    fn words(text: &str) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase()))
            .filter(|w| seen.insert(*w))
            .map(str::to_string)
            .collect()
    }

    /// Two capitalised ASCII words in a row, in order of first use.
    fn name_pairs(text: &str) -> Vec<String> {
        let capitalised = |w: &str| {
            w.len() > 1 && w.starts_with(|c: char| c.is_ascii_uppercase()) && w.bytes().all(|b| b.is_ascii_alphabetic())
        };
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let mut seen = std::collections::BTreeSet::new();
        tokens
            .windows(2)
            .filter(|w| capitalised(w[0]) && capitalised(w[1]))
            .map(|w| format!("{} {}", w[0], w[1]))
            .filter(|n| seen.insert(n.clone()))
            .collect()
    }

    /// Hands out the items in turn, numbering them once they run out so
    /// that every name stays distinct.
    pub struct Cycle {
        items: Vec<String>,
        next: usize,
    }

    impl Cycle {
        fn new(items: Vec<String>) -> Cycle {
            let items = if items.is_empty() { vec!["Synthetic".to_string()] } else { items };
            Cycle { items, next: 0 }
        }

        fn next(&mut self) -> String {
            let (round, i) = (self.next / self.items.len(), self.next % self.items.len());
            self.next += 1;
            match round {
                0 => self.items[i].clone(),
                _ => format!("{}{round}", self.items[i]),
            }
        }
    }
}

/// The ratios the performance targets are stated in, printed after
/// criterion's own report.
mod summary {
    use super::*;

    static TIMES: Mutex<BTreeMap<String, Vec<Duration>>> = Mutex::new(BTreeMap::new());

    /// Time ratios measured in pairs, by the ids of the two benches.
    static PAIRED: Mutex<BTreeMap<(&str, &str), Vec<f64>>> = Mutex::new(BTreeMap::new());

    /// Pairs of runs per paired ratio.
    const PAIRS: usize = 6;

    pub fn record(id: &str, per_iteration: Duration) {
        let mut times = TIMES.lock().unwrap_or_else(|e| e.into_inner());
        times.entry(id.to_string()).or_default().push(per_iteration);
    }

    /// Whether bench `id` was measured: it ran (a filter may leave it out)
    /// for more than the one iteration of `cargo test --benches`.
    fn measured(id: &str) -> bool {
        TIMES.lock().unwrap_or_else(|e| e.into_inner()).get(id).is_some_and(|t| t.len() > 1)
    }

    /// Measures the ratio of the times of `a` and `b` (benches `a_id` and
    /// `b_id`, when both were measured) in [`PAIRS`] pairs of runs, one
    /// right after the other, in the order A B, B A, A B...: each pair meets
    /// about the same load, and the order cancels a drift within pairs.
    pub fn pair(a_id: &'static str, b_id: &'static str, mut a: impl FnMut(), mut b: impl FnMut()) {
        if !(measured(a_id) && measured(b_id)) {
            return;
        }
        let time = |f: &mut dyn FnMut()| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        };
        let ratios = (0..PAIRS)
            .map(|i| {
                let (ta, tb) = if i % 2 == 0 {
                    let ta = time(&mut a);
                    (ta, time(&mut b))
                } else {
                    let tb = time(&mut b);
                    (time(&mut a), tb)
                };
                ta / tb
            })
            .collect();
        PAIRED.lock().unwrap_or_else(|e| e.into_inner()).insert((a_id, b_id), ratios);
    }

    /// The median, lowest and highest ratio of the pairs of `a` and `b`.
    fn paired(a: &str, b: &str) -> Option<(f64, f64, f64)> {
        let paired = PAIRED.lock().unwrap_or_else(|e| e.into_inner());
        let mut r = paired.get(&(a, b)).filter(|r| !r.is_empty())?.clone();
        r.sort_by(f64::total_cmp);
        let median = match r.len() % 2 {
            0 => (r[r.len() / 2 - 1] + r[r.len() / 2]) / 2.0,
            _ => r[r.len() / 2],
        };
        Some((median, r[0], r[r.len() - 1]))
    }

    /// The paired ratio of `a` to `b`, as printed after the medians'.
    fn paired_note(a: &str, b: &str) -> String {
        match paired(a, b) {
            Some((median, low, high)) => format!("; in {PAIRS} alternating pairs {median:.2}x ({low:.2} to {high:.2})"),
            None => String::new(),
        }
    }

    /// The median time per iteration of a bench that ran, in seconds.
    fn median(id: &str) -> Option<f64> {
        let times = TIMES.lock().unwrap_or_else(|e| e.into_inner());
        let mut t: Vec<f64> = times.get(id)?.iter().map(Duration::as_secs_f64).collect();
        t.sort_by(f64::total_cmp);
        t.get(t.len() / 2).copied()
    }

    pub fn print() {
        let d = data();
        let corpus = bytes(&d.corpus) as f64;
        let mut lines = Vec::new();
        let mbps = |id: &str, bytes: f64| median(id).map(|t| bytes / t / 1e6);
        if let Some(v) = mbps("whole/1-thread", corpus) {
            lines.push(format!("whole rule set, 1 thread: {v:.1} MB/s (target >= 150)"));
        }
        if let Some(v) = mbps("whole/regex-reference", corpus) {
            lines.push(format!("one-pass reference `{REFERENCE}`: {v:.1} MB/s"));
        }
        let ratio = |a: &str, b: &str| Some(median(a)? / median(b)?);
        if let Some(r) = ratio("whole/1-thread", "whole/regex-reference") {
            let pairs = paired_note("whole/1-thread", "whole/regex-reference");
            lines.push(format!("whole rule set / one-pass reference: {r:.2}x the time (target <= 3){pairs}"));
        }
        if let (Some(v), Some(r)) = (mbps("whole/scan-only", corpus), ratio("whole/scan-only", "whole/regex-reference"))
        {
            lines.push(format!("the scanner's passes alone: {v:.1} MB/s, {r:.2}x the reference's time"));
        }
        if let Some(r) = ratio("whole/scan-only", "whole/1-thread") {
            lines.push(format!("share of the whole rule set's time spent in that pass: {:.0}%", r * 100.0));
        }
        if let Some(r) = ratio("whole/rayon-1-thread", "whole/rayon-2-threads") {
            let pairs = paired_note("whole/rayon-1-thread", "whole/rayon-2-threads");
            lines.push(format!("2 threads / 1 thread: {r:.2}x the speed (target >= 1.8){pairs}"));
        }
        if let Some(r) = ratio("rule-count/tenfold", "rule-count/bundled") {
            let pairs = paired_note("rule-count/tenfold", "rule-count/bundled");
            lines.push(format!("tenfold rule set / bundled: {r:.2}x the time (target <= 2){pairs}"));
        }
        if let Some(t) = median("load/bundled") {
            lines.push(format!("load and compile the bundled rules: {:.1} ms (target <= 50)", t * 1e3));
        }
        if !lines.is_empty() {
            println!("\nSummary (median time per iteration; scale corpus {:.1} MB):", corpus / 1e6);
            for line in lines {
                println!("  {line}");
            }
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    whole(&mut c);
    per_file_and_language(&mut c);
    rule_count(&mut c);
    load(&mut c);
    c.final_summary();
    summary::print();
}
