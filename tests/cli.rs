//! The command line: the JSON contract, exit statuses, and errors.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::root;

fn factrules(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factrules"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `input` on standard input.
fn factrules_with_input(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factrules"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Written from another thread: a streaming child writes output while it
    // reads, and would block on a full pipe if nobody read it meanwhile.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("the input writer finishes").expect("input written");
    output
}

#[test]
fn extract_json_follows_the_contract() {
    let out = factrules(&["extract", "corpus", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let articles = json.as_array().unwrap();
    let on_disk = std::fs::read_dir(crate::root("corpus"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "txt"))
        .count();
    assert_eq!(articles.len(), on_disk, "one result per article");
    for a in articles {
        assert!(a["article"].is_string());
        for f in a["facts"].as_array().unwrap() {
            let kind = f["kind"].as_str().unwrap();
            match kind {
                "casualty" => {
                    assert!(f["value"].is_u64(), "{f}");
                    assert!(f["qualifier"].is_string() && f["outcome"].is_string(), "{f}");
                }
                "envoy" => assert!(f["value"].is_string() && f["role"].is_string(), "{f}"),
                "date" | "location" => assert!(f["value"].is_string(), "{f}"),
                other => panic!("unknown kind {other}"),
            }
            for m in f["mentions"].as_array().unwrap() {
                assert!(
                    m["text"].is_string() && m["start"].is_u64() && m["end"].is_u64() && m["rule"].is_string(),
                    "{m}"
                );
            }
        }
    }
    let a002 = articles.iter().find(|a| a["article"] == "002_2bfd0765ca70697a").unwrap();
    let casualty =
        a002["facts"].as_array().unwrap().iter().find(|f| f["kind"] == "casualty" && f["value"] == 30000).unwrap();
    assert_eq!(casualty["qualifier"], "about");
}

#[test]
fn eval_prints_the_accuracy_table_and_succeeds_on_the_bundled_corpus() {
    let out = factrules(&["eval", "--per-article"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Accuracy over "), "{stdout}");
    for group in ["dev", "test", "test en", "test vi"] {
        assert!(stdout.lines().any(|l| l.starts_with(&format!("{group} ("))), "no `{group}` group in\n{stdout}");
    }
    for kind in ["date", "envoy", "casualty", "location"] {
        assert!(stdout.contains(kind), "{stdout}");
    }
}

#[test]
fn eval_fails_with_status_1_when_a_rule_breaks() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    // Break the Vietnamese casualty rules by removing a file: its facts are lost.
    std::fs::remove_file(dir.path().join("casualties.yaml")).unwrap();
    let out = factrules(&["eval", "--rules", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("MISSED") && stdout.contains("casualty 30000"), "{stdout}");
}

#[test]
fn broken_rules_exit_with_status_2_and_name_the_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yaml"), "kind: date\nrules:\n  - id: d\n    pattern: '('\n").unwrap();
    let out = factrules(&["extract", "--rules", dir.path().to_str().unwrap(), "corpus"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("r.yaml:4:14: rule `d`: invalid pattern"), "{stderr}");
}

#[test]
fn jsonl_reads_standard_input_and_writes_a_line_per_article_in_order() {
    let input = concat!(
        r#"{"id": "b", "text": "Talks in Moscow on Friday.", "published": "2020-10-09"}"#,
        "\n\n",
        r#"{"id": "a", "text": "khoảng 30.000 người thiệt mạng", "language": "vi"}"#,
        "\n"
    );
    let out = factrules_with_input(&["extract", "--format", "jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["article"], "b");
    let values: Vec<&serde_json::Value> = lines[0]["facts"].as_array().unwrap().iter().map(|f| &f["value"]).collect();
    assert!(
        values.contains(&&serde_json::json!("2020-10-09")) && values.contains(&&serde_json::json!("Moscow")),
        "{values:?}"
    );
    assert_eq!(lines[1]["facts"][0]["value"], 30000);
}

#[test]
fn a_bad_json_line_names_its_line() {
    let out =
        factrules_with_input(&["extract", "--format", "jsonl"], b"{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": 3}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input, line 2"));
}

#[test]
fn jsonl_keeps_input_order_over_many_batches_and_shows_no_progress_off_a_terminal() {
    // Several batches of the stream, extracted in parallel: the output must
    // still follow the input line by line. Standard error is a pipe here,
    // not a terminal, so the progress bar must stay silent.
    let n = 2000;
    let input: String = (0..n)
        .map(|i| {
            let text =
                if i % 2 == 0 { "Talks in Moscow on Friday." } else { "khoảng 30.000 người thiệt mạng" };
            format!("{{\"id\": \"a{i}\", \"text\": \"{text}\", \"published\": \"2020-10-09\"}}\n")
        })
        .collect();
    let out = factrules_with_input(&["extract", "--format", "jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no progress off a terminal: {:?}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["article"], format!("a{i}"));
        let has_moscow = line["facts"].as_array().unwrap().iter().any(|f| f["value"] == "Moscow");
        assert_eq!(has_moscow, i % 2 == 0, "{line}");
    }
}
