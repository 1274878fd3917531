//! Bad input: every broken rule file, article or golden gives an error that
//! names the file (and for rules the line, column and rule id), and nothing
//! panics.

use factrules::{Article, Corpus, RuleSet};
use std::path::Path;

/// Loads one rule file (beside a minimal valid one) and returns the errors.
fn errors_of(yaml: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), yaml).unwrap();
    match RuleSet::load(dir.path()) {
        Ok(_) => panic!("rule file should not load:\n{yaml}"),
        Err(e) => e.errors.iter().map(|e| e.to_string().replace(&*dir.path().to_string_lossy(), "DIR")).collect(),
    }
}

fn assert_error(yaml: &str, expected: &[&str]) {
    let errors = errors_of(yaml);
    let all = errors.join("\n");
    for part in expected {
        assert!(all.contains(part), "expected {part:?} in:\n{all}");
    }
}

#[test]
fn bad_yaml_names_file_line_and_column() {
    assert_error(
        "kind: date\nrules:\n  - id: a\n    pattern: 'unclosed\n  - id: b\n",
        &["DIR/broken.yaml:6:1: ", "quoted scalar"],
    );
    assert_error(
        "kind: date\nrules:\n  - id: a\n    pattern: [x]\n",
        &["DIR/broken.yaml:4:14: rules[0].pattern: invalid type: sequence, expected a string"],
    );
}

#[test]
fn unknown_keys_are_errors() {
    assert_error(
        "kind: date\nrules:\n  - id: a\n    pattern: 'x'\n    priorty: 3\n",
        &["DIR/broken.yaml:5:", "unknown field `priorty`"],
    );
    assert_error("kind: date\nmacroes: {}\n", &["DIR/broken.yaml:2:", "unknown field `macroes`"]);
}

#[test]
fn invalid_regex_names_the_rule_and_pattern_line() {
    assert_error(
        "kind: date\nrules:\n  - id: ok\n    pattern: 'a'\n  - id: date.broken\n    pattern: '(?P<year>[0-9]{4}'\n",
        &["DIR/broken.yaml:6:14: rule `date.broken`: invalid pattern"],
    );
}

#[test]
fn unknown_macro_suggests_a_close_name() {
    assert_error(
        "kind: date\nmacros:\n  year: '[0-9]{4}'\nrules:\n  - id: date.y\n    pattern: '(?P<year>{yaer})'\n",
        &["DIR/broken.yaml:6:14: rule `date.y`: unknown macro `{yaer}`"],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.yaml"),
        "kind: date\nmacros:\n  year: '[0-9]{4}'\nrules:\n  - id: date.y\n    pattern: '(?P<year>{yaer})'\n",
    )
    .unwrap();
    let err = RuleSet::load(dir.path()).unwrap_err();
    let help = miette::Diagnostic::help(&err.errors[0]).map(|h| h.to_string()).unwrap_or_default();
    assert!(help.contains("did you mean `{year}`?"), "{help}");
}

#[test]
fn duplicate_rule_ids_name_both_places() {
    assert_error(
        "kind: date\nrules:\n  - id: date.y\n    pattern: '(?P<year>[0-9]{4})'\n  - id: date.y\n    pattern: '(?P<year>1[0-9]{3})'\n",
        &["DIR/broken.yaml:5:9: rule `date.y`: duplicate rule id, first defined at DIR/broken.yaml:3:9"],
    );
}

#[test]
fn failing_examples_and_counterexamples_name_the_example_line() {
    let yaml = "kind: date\nrules:\n  - id: date.y\n    pattern: '(?P<year>[0-9]{4})'\n    examples:\n      - text: in 1992\n        value: '1993'\n    counterexamples:\n      - room 2048\n";
    assert_error(
        yaml,
        &["DIR/broken.yaml:6:9: rule `date.y`: example \"in 1992\" should give `1993`, but gave date 1992"],
    );
    assert_error(
        yaml,
        &["DIR/broken.yaml:9:9: rule `date.y`: counterexample \"room 2048\" must not match, but gave date 2048"],
    );
}

#[test]
fn word_boundaries_in_patterns_are_refused_with_the_reason() {
    assert_error(
        "kind: date\nrules:\n  - id: date.b\n    pattern: '\\b(?P<year>[0-9]{4})\\b'\n",
        &["rule `date.b`: `\\b` and `\\B` are not allowed"],
    );
}

#[test]
fn patterns_that_match_nothing_at_all_are_refused() {
    assert_error(
        "kind: date\nrules:\n  - id: date.e\n    pattern: '(?P<year>[0-9]{4})?'\n",
        &["rule `date.e`: the pattern can match the empty string"],
    );
}

#[test]
fn captures_and_set_fields_must_mean_something_for_the_kind() {
    assert_error(
        "kind: date\nrules:\n  - id: d\n    pattern: '(?P<yr>[0-9]{4})'\n",
        &["capture `yr` means nothing for a date rule"],
    );
    assert_error(
        "kind: casualty\nlexicons:\n  outcome:\n    killed: [killed]\nrules:\n  - id: c\n    pattern: '(?P<count>[0-9]+) killed'\n    set:\n      outcome: murdered\n",
        &["rule `c`: set `outcome`: `murdered` is not a canonical value of lexicon `outcome`"],
    );
}

#[test]
fn capitals_apply_only_to_gazetteers_and_twin_captures_only_to_known_names() {
    assert_error(
        "kind: location\nrules:\n  - id: p\n    capitals: true\n    pattern: 'Moscow'\n",
        &["broken.yaml:4:15: rule `p`: `capitals` applies only to gazetteers"],
    );
    // `count2` is the second fact's `count`; `yr2` twins nothing.
    assert_error(
        "kind: date\nrules:\n  - id: d\n    pattern: '(?P<first>(?P<year>[0-9]{4})) and (?P<second>(?P<yr2>[0-9]{4}))'\n",
        &["capture `yr2` means nothing for a date rule"],
    );
}

#[test]
fn every_error_of_a_set_is_reported_not_just_the_first() {
    let errors =
        errors_of("kind: date\nrules:\n  - id: a\n    pattern: '('\n  - id: b\n    pattern: '{nope}'\n  - id: c\n");
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[2].contains("rule `c`: has neither `pattern` nor `gazetteer`"), "{errors:#?}");
}

#[test]
fn a_missing_rules_folder_names_it() {
    let err = RuleSet::load("/no/such/rules").unwrap_err();
    assert!(err.to_string().contains("/no/such/rules: cannot read"), "{err}");
}

#[test]
fn unreadable_and_non_utf8_articles_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"first line\nCaf\xe9 in Baku\n").unwrap();
    let err = Corpus::load(&[dir.path()]).unwrap_err().to_string();
    assert!(err.contains("latin1.txt:2: not valid UTF-8 (first bad byte at offset 14)"), "{err}");

    let err = Article::read(Path::new("/no/such/article.txt")).unwrap_err().to_string();
    assert!(err.contains("/no/such/article.txt: cannot read"), "{err}");
}

#[test]
fn metadata_for_a_missing_article_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "text").unwrap();
    std::fs::write(dir.path().join("metadata.yaml"), "b:\n  language: vi\n").unwrap();
    let err = Corpus::load(&[dir.path()]).unwrap_err().to_string();
    assert!(err.contains("metadata for `b`, but there is no b.txt"), "{err}");
    std::fs::write(dir.path().join("metadata.yaml"), "a:\n  langauge: vi\n").unwrap();
    let err = Corpus::load(&[dir.path()]).unwrap_err().to_string();
    assert!(err.contains("metadata.yaml:2:") && err.contains("unknown field `langauge`"), "{err}");
}

#[test]
fn a_broken_golden_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.snap"),
        "---\nsource: tests/golden.rs\n---\narticle: a\ndate:\n- value: '2020'\n  stauts: missed\n",
    )
    .unwrap();
    let err = factrules::eval::Golden::read(dir.path(), "a").unwrap_err().to_string();
    assert!(err.contains("a.snap:7:") && err.contains("unknown field `stauts`"), "{err}");
}
