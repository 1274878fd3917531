//! The integration tests, linked as one binary: on two cores every extra
//! test binary is another link step.

mod cli;
mod errors;
mod golden;
mod properties;

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
