//! Throughput of the bundled rule set over the bundled corpus.
//!
//! `cargo bench` reports bytes per second for one thread (the cost of the
//! rules themselves) and for rayon's default pool, and the time to load and
//! compile the rule set. Compare a rule change with criterion baselines:
//! `cargo bench -- --save-baseline before`, edit, then
//! `cargo bench -- --baseline before`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use factrules::{Corpus, RuleSet};
use std::hint::black_box;
use std::path::Path;

fn root(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn whole_rule_set(c: &mut Criterion) {
    let rules = RuleSet::load(root("rules")).expect("bundled rules load");
    let corpus = Corpus::load(&[root("corpus")]).expect("bundled corpus loads");
    let bytes: usize = corpus.articles.iter().map(|a| a.text.len()).sum();

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("bundled rules, bundled corpus, 1 thread", |b| {
        b.iter(|| {
            for article in &corpus.articles {
                black_box(rules.extract(black_box(article)));
            }
        })
    });
    group.bench_function("bundled rules, bundled corpus, rayon", |b| {
        b.iter(|| black_box(rules.extract_all(black_box(&corpus.articles))))
    });
    group.finish();

    c.bench_function("load and compile the bundled rules", |b| {
        b.iter(|| black_box(RuleSet::load(root("rules")).expect("bundled rules load")))
    });
}

criterion_group!(benches, whole_rule_set);
criterion_main!(benches);
