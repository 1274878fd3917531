//! `factrules profile`: every rule file and rule timed, slowest first. Only
//! the shape is checked: timings vary from run to run.

use crate::fixture::{both, json, stdout, Fixture};

#[test]
fn profile_lists_every_file_and_rule_slowest_first() {
    let f = Fixture::new();
    let out = f.run(&["profile", "--rounds", "2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let p = json(&out);
    assert_eq!(p["articles"].as_u64(), Some(2));
    let names = |part: &str| -> Vec<String> {
        let mut n: Vec<String> =
            p[part].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap().to_string()).collect();
        n.sort();
        n
    };
    assert_eq!(names("rules"), ["date.dmy", "date.year", "place.gazetteer", "place.not-a-place"]);
    let files = names("files");
    assert_eq!(files.len(), 2);
    assert!(files[0].ends_with("dates.yaml") && files[1].ends_with("places.yaml"), "{files:?}");
    for part in ["files", "rules"] {
        let ms: Vec<f64> = p[part].as_array().unwrap().iter().map(|x| x["ms"].as_f64().unwrap()).collect();
        assert!(ms.windows(2).all(|w| w[0] >= w[1]), "{part} slowest first: {ms:?}");
        assert!(ms.iter().all(|&t| t >= 0.0));
        let shares: f64 = p[part].as_array().unwrap().iter().map(|x| x["share"].as_f64().unwrap()).sum();
        assert!(shares == 0.0 || (shares - 1.0).abs() < 1e-9, "{part} shares: {shares}");
    }

    let text = stdout(&f.run(&["profile", "--rounds", "1"]));
    assert!(
        text.contains("whole rule set") && text.contains("rule file") && text.contains("place.gazetteer"),
        "{text}"
    );
}
