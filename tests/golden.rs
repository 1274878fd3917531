//! The golden suite: every article of `corpus/` against its golden in
//! `golden/`, through insta, so `cargo insta review` shows and records any
//! change fact by fact.
//!
//! Extraction runs in parallel (rayon); the snapshot assertions run on this
//! thread, because insta's settings do not follow work onto other threads.

use factrules::eval::{evaluate, recorded, Golden, Score, Status};
use factrules::{report, Corpus};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{bundled, root};

#[test]
fn corpus_matches_goldens() {
    let corpus = Corpus::load(&[root("corpus")]).unwrap_or_else(|e| panic!("{e}"));
    let golden_dir = root("golden");
    let extractions = bundled().extract_all(&corpus.articles);

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&golden_dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description("hand-verified facts; see the README's `Goldens` section before accepting");

    let mut failures = Vec::new();
    let mut scores = Vec::new();
    for (article, extraction) in corpus.articles.iter().zip(&extractions) {
        let previous = Golden::read(&golden_dir, &article.id).unwrap_or_else(|e| panic!("{e}"));
        let rendered = Golden::render(extraction, previous.as_ref());
        match &previous {
            Some(golden) => {
                let now = evaluate(article, extraction, golden);
                if rendered != *golden {
                    // What the change does to this article's accuracy, shown
                    // before insta's diff so the reviewer sees what accepting means.
                    let _ = write!(std::io::stderr(), "{}", report::review_summary(&recorded(article, golden), &now));
                }
                scores.push(now);
            }
            None => {
                failures.push(format!("{}: no golden; review the new snapshot with `cargo insta review`", article.id))
            }
        }
        let unverified = Status::Unverified;
        let pending: Vec<_> =
            rendered.keyed().filter(|(_, f)| f.status == Some(unverified)).map(|(k, _)| k.to_string()).collect();
        if !pending.is_empty() && previous.is_some() {
            failures.push(format!(
                "{}: facts not judged yet: {}. Read the article; delete `status: unverified` for a true fact, write `status: false_positive` for a wrong one",
                article.id,
                pending.join("; ")
            ));
        }
        let id = article.id.as_str();
        let yaml = rendered.to_yaml();
        let outcome = catch_unwind(AssertUnwindSafe(|| settings.bind(|| insta::assert_snapshot!(id, yaml))));
        if outcome.is_err() {
            failures.push(format!("{id}: the facts differ from the golden (see the diff above)"));
        }
    }

    // A golden whose article is gone is a test nobody runs.
    let ids: Vec<&str> = corpus.articles.iter().map(|a| a.id.as_str()).collect();
    for entry in std::fs::read_dir(&golden_dir).expect("golden/ exists") {
        let path = entry.expect("readable golden/").path();
        if path.extension().is_some_and(|e| e == "snap") {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            if !ids.contains(&stem.as_str()) {
                failures.push(format!("{}: golden without an article in corpus/", path.display()));
            }
        }
    }

    let score = Score { articles: scores };
    // Written past the test harness's capture, so `cargo test` always shows it.
    let _ = write!(std::io::stderr(), "\n{}", report::accuracy_table(&score));
    assert!(failures.is_empty(), "{} golden failure(s):\n  {}", failures.len(), failures.join("\n  "));
}
