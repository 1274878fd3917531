//! `factrules stats`: per-rule counts, dead and shadowed rules, overlapping
//! pairs, judged against goldens, on a tiny rule set.

use crate::fixture::{both, find, json, stdout, Fixture};

/// The fixture, plus a rule that never fires, one that always loses to
/// place.gazetteer, and a golden that calls b's date a false positive.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "rules/extra.yaml",
        "kind: location\nrules:\n  - id: place.never\n    gazetteer:\n      - name: Paris\n  - id: place.shadow\n    priority: -1\n    gazetteer:\n      - name: Moscow\n        aliases: [Moskva]\n",
    );
    f.edit("golden/b.snap", "- value: '2021'\n", "- value: '2021'\n  status: false_positive\n");
    f
}

#[test]
fn stats_find_dead_and_shadowed_rules_and_overlapping_pairs() {
    let f = fixture();
    let out = f.run(&["stats", "--rounds", "1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let s = json(&out);
    assert_eq!((s["articles"].as_u64(), s["judged"].as_u64()), (Some(2), Some(2)));
    let rules = &s["rules"];

    assert_eq!(find(rules, "rule", "place.never")["activity"]["activity"], "dead");
    let shadow = find(rules, "rule", "place.shadow");
    assert_eq!(shadow["activity"]["activity"], "shadowed", "{shadow:#}");
    assert_eq!(shadow["activity"]["by"][0], "place.gazetteer");
    // Moskva twice, and the Moscow inside Moscow State University.
    assert_eq!((shadow["matches"].as_u64(), shadow["kept"].as_u64()), (Some(3), Some(0)), "{shadow:#}");
    assert_eq!(shadow["worth"].as_f64(), Some(0.0), "a shadowed rule is worth nothing");

    let gazetteer = find(rules, "rule", "place.gazetteer");
    assert_eq!(gazetteer["activity"]["activity"], "active");
    assert_eq!((gazetteer["tp"].as_u64(), gazetteer["fp"].as_u64()), (Some(2), Some(0)), "{gazetteer:#}");
    assert_eq!(gazetteer["articles"].as_u64(), Some(2));
    assert!(gazetteer["worth"].as_f64().unwrap() > 0.0, "without it, Baku is lost: {gazetteer:#}");
    // Moskva twice in `a`, Baku once in `b`, Moscow lost once, Bakuvians at the boundary.
    assert_eq!(gazetteer["kept"].as_u64(), Some(3), "{gazetteer:#}");
    assert_eq!(gazetteer["lost_overlaps"].as_u64(), Some(1), "{gazetteer:#}");
    assert_eq!(gazetteer["rejected"].as_u64(), Some(1), "{gazetteer:#}");

    let year = find(rules, "rule", "date.year");
    assert_eq!((year["tp"].as_u64(), year["fp"].as_u64()), (Some(1), Some(1)), "{year:#}");
    assert_eq!(year["precision"].as_f64(), Some(0.5));
    assert!(find(rules, "rule", "place.never")["precision"].is_null());

    // Pairs are (written first, written later); files load in name order.
    let pair = |x: &str, y: &str| {
        s["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| (p["a"] == x && p["b"] == y) || (p["a"] == y && p["b"] == x))
            .unwrap_or_else(|| panic!("no pair {x} {y}: {:#}", s["pairs"]))
            .clone()
    };
    let kept =
        |p: &serde_json::Value, rule: &str| if p["a"] == rule { p["a_kept"].clone() } else { p["b_kept"].clone() };
    let agree = pair("place.gazetteer", "place.shadow");
    assert_eq!((agree["agree"].as_u64(), agree["conflict"].as_u64()), (Some(3), Some(0)), "{agree:#}");
    assert_eq!((kept(&agree, "place.gazetteer"), kept(&agree, "place.shadow")), (2.into(), 0.into()), "{agree:#}");
    let conflict = pair("place.gazetteer", "place.not-a-place");
    assert_eq!(conflict["conflict"].as_u64(), Some(1), "{conflict:#}");
    assert_eq!(kept(&conflict, "place.not-a-place"), 1, "{conflict:#}");
    let shares: f64 = rules.as_array().unwrap().iter().map(|r| r["time_share"].as_f64().unwrap()).sum();
    assert!(shares <= 1.0 + 1e-9, "shares of the time add up to at most 1: {shares}");
}

#[test]
fn the_stats_table_names_idle_rules_and_why() {
    let f = fixture();
    let out = f.run(&["stats", "--rounds", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let text = stdout(&out);
    let line = |rule: &str| text.lines().find(|l| l.trim_start().starts_with(rule) && l.contains(':')).unwrap_or("");
    assert!(line("place.never").contains("dead: never matches"), "{text}");
    assert!(line("place.shadow").contains("shadowed: always loses overlaps to place.gazetteer"), "{text}");
    assert!(text.contains("Rule pairs whose matches overlap"), "{text}");
}
