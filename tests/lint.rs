//! `factrules lint`: each check, its severity and the exit status.

use crate::fixture::{both, find, json, stdout, Fixture};

/// Runs lint as JSON; returns the exit status and the findings.
fn lint(f: &Fixture) -> (Option<i32>, serde_json::Value, String) {
    let out = f.run(&["lint", "--format", "json"]);
    let status = out.status.code();
    let findings = json(&out)["findings"].clone();
    (status, findings, both(&out))
}

#[test]
fn the_fixture_is_clean() {
    let out = Fixture::new().run(&["lint"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(stdout(&out).contains("0 errors, 0 warnings"), "{}", both(&out));
}

#[test]
fn duplicate_ids_are_an_error() {
    let f = Fixture::new();
    f.write(
        "rules/more.yaml",
        "kind: location\nrules:\n  - id: place.gazetteer\n    gazetteer:\n      - name: Paris\n",
    );
    let (status, findings, all) = lint(&f);
    assert_eq!(status, Some(2), "{all}");
    let d = find(&findings, "check", "duplicate-id");
    assert_eq!((&d["severity"], &d["rule"]), (&"error".into(), &"place.gazetteer".into()), "{d:#}");
    // Files load in name order: the one in places.yaml is the second.
    assert!(d["at"]["path"].as_str().unwrap().ends_with("places.yaml"), "{d:#}");
    assert!(d["message"].as_str().unwrap().contains("first defined at rules/more.yaml:3:9"), "{d:#}");
}

#[test]
fn an_alias_of_two_canonical_names_is_an_error() {
    let f = Fixture::new();
    f.edit(
        "rules/places.yaml",
        "      - name: Baku\n",
        "      - name: Baku\n      - name: Mosca\n        aliases: [moskva]\n",
    );
    let (status, findings, all) = lint(&f);
    assert_eq!(status, Some(2), "{all}");
    let d = find(&findings, "check", "alias-conflict");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`moskva`") && message.contains("`Moscow`") && message.contains("`Mosca`"), "{d:#}");
    assert_eq!(d["at"]["line"].as_u64(), Some(8), "located at the second entry: {d:#}");
}

#[test]
fn a_pattern_that_can_match_nothing_is_an_error() {
    let f = Fixture::new();
    f.write("rules/empty.yaml", "kind: date\nrules:\n  - id: date.maybe\n    pattern: '(?P<year>{year})?'\n");
    let (status, findings, all) = lint(&f);
    assert_eq!(status, Some(2), "{all}");
    assert_eq!(find(&findings, "check", "empty-match")["rule"], "date.maybe", "{all}");
    let out = f.run(&["lint"]);
    assert!(stdout(&out).contains("dead rules were not looked for"), "{}", both(&out));
}

#[test]
fn warnings_print_and_exit_0() {
    let f = Fixture::new();
    f.write(
        "rules/more.yaml",
        "kind: location\nmacros:\n  unused: 'x+'\n  used_inside: 'y'\n  used: '{used_inside}z'\nrules:\n  - id: place.paris\n    gazetteer:\n      - name: Paris\n  - id: place.xyz\n    pattern: '{used}'\n    boundaries: none\n",
    );
    let (status, findings, all) = lint(&f);
    assert_eq!(status, Some(0), "{all}");
    for f in findings.as_array().unwrap() {
        assert_eq!(f["severity"], "warning", "{f:#}");
    }
    let of = |check: &str| -> Vec<String> {
        findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == check)
            .map(|f| f["rule"].as_str().unwrap_or(f["message"].as_str().unwrap()).to_string())
            .collect()
    };
    assert_eq!(of("no-examples"), ["place.paris", "place.xyz"], "{all}");
    assert_eq!(of("no-counterexamples"), ["place.paris", "place.xyz"], "{all}");
    assert_eq!(of("dead-rule"), ["place.paris", "place.xyz"], "{all}");
    assert_eq!(of("unreachable-macro"), ["macro `unused` is used by no rule"], "{all}");

    let text = stdout(&f.run(&["lint"]));
    assert!(text.contains("warning[dead-rule]: rule `place.paris` contributes nothing"), "{text}");
    assert!(text.contains("0 errors, 7 warnings"), "{text}");
}

#[test]
fn a_large_counted_repetition_is_a_warning() {
    let f = Fixture::new();
    f.write(
        "rules/header.yaml",
        "kind: date\nrules:\n  - id: date.first-lines\n    pattern: '\\A(?:[^\\n]{0,200}\\n){0,2}(?P<year>{year})'\n",
    );
    let (status, findings, all) = lint(&f);
    assert_eq!(status, Some(0), "{all}");
    let d = find(&findings, "check", "large-repetition");
    assert_eq!((&d["severity"], &d["rule"]), (&"warning".into(), &"date.first-lines".into()), "{d:#}");
    assert!(d["message"].as_str().unwrap().contains("up to 200 times"), "{d:#}");
}
