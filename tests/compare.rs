//! `factrules compare`: flipped facts with the rule to blame, the exit
//! status that gates a commit, deterministic intervals, git revisions.

use crate::fixture::{both, find, json, run_in, stdout, Fixture};

/// Quick statistics: these tests check what is reported, not how precisely.
const QUICK: &[&str] = &["--rounds", "2", "--resamples", "200"];

fn compare(f: &Fixture, args: &[&str]) -> std::process::Output {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    all.extend_from_slice(QUICK);
    f.run(&all)
}

#[test]
fn a_broken_rule_shows_as_a_lost_fact_blamed_on_it_and_exits_1() {
    let f = Fixture::new();
    f.copy_rules("head");
    f.edit("head/places.yaml", "aliases: [Moskva]", "aliases: []");

    let out = compare(&f, &["rules", "head"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let text = stdout(&out);
    let lost = text.lines().find(|l| l.contains("correct lost")).unwrap_or_else(|| panic!("{text}"));
    assert!(lost.contains("location Moscow") && lost.contains("place.gazetteer"), "{lost}");
    assert!(lost.contains("no longer matches \"Moskva\""), "{lost}");
    assert!(text.contains("Rules changed: place.gazetteer"), "{text}");
    assert!(text.contains("head/base time ratio"), "{text}");
    assert!(text.contains("Accuracy dropped"), "{text}");

    let out = compare(&f, &["rules", "head", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let c = json(&out);
    assert_eq!(c["regressed"], true);
    let flip = &find(&c["flips"], "article", "a")["flips"][0];
    assert_eq!((&flip["change"], &flip["rule"]), (&"correct_lost".into(), &"place.gazetteer".into()), "{flip:#}");
    assert_eq!(flip["fact"]["value"], "Moscow");
    let location =
        c["accuracy"].as_array().unwrap().iter().find(|d| d["group"] == "all" && d["kind"] == "location").unwrap();
    assert!(location["delta_f1"].as_f64().unwrap() < 0.0, "{location:#}");
    assert!(c["speed"]["ratio"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_rule_that_takes_a_fact_in_an_overlap_is_blamed_for_it() {
    let f = Fixture::new();
    f.copy_rules("head");
    f.write(
        "head/talks.yaml",
        "kind: location\nrules:\n  - id: place.talks\n    suppress: true\n    gazetteer:\n      - name: Talks in Moskva\n      - name: Moskva said\n",
    );
    let out = compare(&f, &["rules", "head", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let c = json(&out);
    assert_eq!(c["rules"]["added"][0], "place.talks");
    let flip = &find(&c["flips"], "article", "a")["flips"][0];
    assert_eq!(flip["rule"], "place.talks", "{flip:#}");
    assert!(flip["why"].as_str().unwrap().contains("place.gazetteer now loses"), "{flip:#}");
}

#[test]
fn an_improvement_exits_0_and_credits_the_rule_that_finds_the_fact() {
    let f = Fixture::new();
    f.copy_rules("base");
    f.edit("base/places.yaml", "aliases: [Moskva]", "aliases: []");
    let out = compare(&f, &["base", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let text = stdout(&out);
    let gained = text.lines().find(|l| l.contains("correct gained")).unwrap_or_else(|| panic!("{text}"));
    assert!(gained.contains("location Moscow") && gained.contains("place.gazetteer"), "{gained}");
    assert!(text.contains("No F1 dropped."), "{text}");
}

#[test]
fn the_same_seed_gives_the_same_intervals() {
    let f = Fixture::new();
    f.copy_rules("head");
    f.edit("head/dates.yaml", "pattern: '(?P<year>{year})'", "pattern: '(?P<year>2021)'");
    let intervals = |seed: &str| {
        let c = json(&compare(&f, &["rules", "head", "--format", "json", "--seed", seed]));
        c["accuracy"].as_array().unwrap().iter().map(|d| d["ci"].clone()).collect::<Vec<_>>()
    };
    let first = intervals("7");
    assert_eq!(first, intervals("7"));
    // Two articles: the interval of "all" must span the articles' own deltas.
    let c = json(&compare(&f, &["rules", "head", "--format", "json", "--seed", "7"]));
    let all = c["accuracy"].as_array().unwrap().iter().find(|d| d["group"] == "all" && d["kind"] == "date").unwrap();
    let (low, high, delta) =
        (all["ci"][0].as_f64().unwrap(), all["ci"][1].as_f64().unwrap(), all["delta_f1"].as_f64().unwrap());
    assert!(low <= delta && delta <= high && low < high, "{all:#}");
    // A group of one article has no interval.
    let test = c["accuracy"].as_array().unwrap().iter().find(|d| d["group"] == "test").unwrap();
    assert!(test["ci"].is_null(), "{test:#}");
}

#[test]
fn revisions_default_to_head_against_the_working_tree() {
    let f = Fixture::new();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(f.path(""))
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "rules"]);
    git(&["commit", "-q", "-m", "rules"]);

    let out = compare(&f, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let text = stdout(&out);
    assert!(text.contains("base HEAD:rules/") && text.contains("(working tree)"), "{text}");
    assert!(text.contains("Rules identical") && text.contains("No fact flipped."), "{text}");

    f.edit("rules/places.yaml", "aliases: [Moskva]", "aliases: []");
    let out = compare(&f, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(stdout(&out).contains("no longer matches \"Moskva\""), "{}", both(&out));

    // From a subfolder, revisions are still read at the rules folder's path.
    std::fs::create_dir_all(f.path("sub")).unwrap();
    let rules = f.path("rules");
    let corpus = f.path("corpus");
    let golden = f.path("golden");
    let out = run_in(
        &f.path("sub"),
        &[
            "compare",
            "HEAD",
            "HEAD",
            "--rules",
            rules.to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
            "--golden",
            golden.to_str().unwrap(),
            "--rounds",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(stdout(&out).contains("Rules identical"), "{}", both(&out));
}

#[test]
fn neither_a_folder_nor_a_revision_is_a_usage_error() {
    let f = Fixture::new();
    let out = compare(&f, &["no-such-thing", "rules"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    // The fixture is no git repository.
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-thing` is not a folder"), "{}", both(&out));
}
