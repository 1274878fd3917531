//! Timing rule sets over a corpus, interleaved.
//!
//! Decision: every round runs each set once over the whole corpus on one
//! thread, and the order of the sets rotates from round to round. Whatever
//! the machine does meanwhile (frequency scaling, another build on the other
//! core) then falls on every set alike, and a ratio of two sets timed in the
//! same run means more than two runs timed minutes apart. One thread, because
//! the cost of the rules is the question, not rayon's scheduling.

use std::hint::black_box;
use std::time::Instant;

use crate::article::Article;
use crate::rules::RuleSet;

/// Seconds per pass over `articles`, per set, per round: `result[set][round]`.
///
/// Each set first makes one pass that is not timed, so lazily built DFA
/// states and caches are warm for all alike.
pub(crate) fn interleaved(sets: &[&RuleSet], articles: &[Article], rounds: usize) -> Vec<Vec<f64>> {
    for set in sets {
        pass(set, articles);
    }
    let mut times: Vec<Vec<f64>> = sets.iter().map(|_| Vec::with_capacity(rounds)).collect();
    for round in 0..rounds {
        for k in 0..sets.len() {
            let i = (k + round) % sets.len();
            let start = Instant::now();
            pass(sets[i], articles);
            times[i].push(start.elapsed().as_secs_f64());
        }
    }
    times
}

fn pass(set: &RuleSet, articles: &[Article]) {
    for article in articles {
        black_box(set.extract(black_box(article)));
    }
}

/// Bytes of text in the articles, for throughput.
pub(crate) fn bytes(articles: &[Article]) -> usize {
    articles.iter().map(|a| a.text.len()).sum()
}

/// Throughput in MiB/s of `bytes` done in `seconds`.
pub(crate) fn mib_per_s(bytes: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        bytes as f64 / (1024.0 * 1024.0) / seconds
    } else {
        0.0
    }
}
