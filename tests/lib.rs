//! The integration tests, linked as one binary: on two cores every extra
//! test binary is another link step.

mod cli;
mod compare;
mod conformance;
mod errors;
mod explain;
mod fixture;
mod golden;
mod lint;
mod profile;
mod properties;
mod stats;

use factrules::RuleSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A folder of the crate (`rules`, `corpus`, `golden`).
pub fn root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// The bundled rule set, loaded once (loading also checks every rule's
/// examples and counterexamples: a failing example fails every test here).
pub fn bundled() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(root("rules")).unwrap_or_else(|e| panic!("the bundled rules do not load:\n{e}")))
}

#[test]
fn bundled_rules_load_and_pass_their_examples() {
    assert!(bundled().len() > 20, "expected the bundled rule set, got {} rules", bundled().len());
}

#[test]
fn a_subset_finds_only_what_its_rules_find() {
    use factrules::{Article, Kind};
    let article = Article::from_text("a", "Sergei Lavrov flew to Baku on October 9, 2020.");
    let kinds = |set: &factrules::RuleSet| -> Vec<Kind> {
        let mut k: Vec<Kind> = set.extract(&article).facts.iter().map(|f| f.key.kind).collect();
        k.dedup();
        k
    };
    assert_eq!(kinds(bundled()), [Kind::Date, Kind::Envoy, Kind::Location]);
    let locations = bundled().subset(|_, file| file.ends_with("locations.yaml")).unwrap();
    assert!(locations.len() < bundled().len());
    assert_eq!(kinds(&locations), [Kind::Location]);
    let no_dates = bundled().subset(|id, _| !id.starts_with("date.")).unwrap();
    assert_eq!(kinds(&no_dates), [Kind::Envoy, Kind::Location]);
}
