//! `factrules explain`: every match with why it was kept or dropped, and the
//! rules that came closest to a missed golden fact.

use crate::fixture::{both, json, stdout, Fixture};

#[test]
fn explain_gives_each_match_its_reason() {
    let f = Fixture::new();
    let out = f.run(&["explain", "a"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let text = stdout(&out);
    let line = |needle: &str| text.lines().filter(|l| l.contains(needle)).collect::<Vec<_>>().join("\n");
    assert!(line("\"Moskva\"").contains("kept: new fact"), "{text}");
    assert!(line("\"Moskva\"").contains("kept: same fact as an earlier match"), "{text}");
    assert!(line("\"Moscow\"").contains("dropped: lost an overlap to place.not-a-place"), "{text}");
    assert!(line("\"Moscow State University\"").contains("kept: claims the text, no fact"), "{text}");
    assert!(line("\"9/10/2020\"").contains("date 2020-10-09"), "{text}");
    assert!(line("\"31/02/2020\"").contains("dropped: not a value"), "{text}");
    assert!(line("\"Baku\"").contains("dropped: inside the word \"Bakuvians\""), "{text}");
    assert!(line("\"Moskva\"").contains("true"), "kept facts are judged against the golden:\n{text}");
    assert!(text.contains("The rules find every true fact of the golden."), "{text}");

    // Text order: spans never go backwards.
    let c = json(&f.run(&["explain", "a", "--format", "json"]));
    let starts: Vec<u64> = c["matches"].as_array().unwrap().iter().map(|m| m["start"].as_u64().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    let lost = c["matches"].as_array().unwrap().iter().find(|m| m["winner"] == "place.not-a-place").unwrap();
    assert_eq!(lost["outcome"], "lost_overlap");
    assert_eq!((&lost["winner"], &lost["value"]["value"]), (&"place.not-a-place".into(), &"Moscow".into()));
}

#[test]
fn a_missed_golden_fact_lists_the_rules_that_came_closest() {
    let f = Fixture::new();
    f.edit("golden/a.snap", "location:\n", "location:\n- value: Baku\n  status: missed\n  mentions:\n  - Baku\n");
    let out = f.run(&["explain", "a", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let c = json(&out);
    let miss = &c["missed"][0];
    assert_eq!((&miss["fact"]["value"], &miss["known"]), (&"Baku".into(), &true.into()), "{miss:#}");
    let near = &miss["closest"][0];
    assert_eq!(near["rule"], "place.gazetteer", "{miss:#}");
    assert!(near["how"].as_str().unwrap().contains("starts or ends inside a word"), "{near:#}");

    // A fact no rule can give has no closest rule, and the table says so.
    f.edit("golden/a.snap", "location:\n", "location:\n- value: Paris\n  status: missed\n  mentions:\n  - Paree\n");
    let text = stdout(&f.run(&["explain", "a"]));
    assert!(text.contains("location Paris") && text.contains("no rule came close"), "{text}");
}

#[test]
fn an_unknown_article_is_a_usage_error_naming_close_ids() {
    let f = Fixture::new();
    let out = f.run(&["explain", "c"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("closest ids"), "{}", both(&out));
}
