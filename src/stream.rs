//! Extraction as a stream stage: JSON lines in, JSON lines out.
//!
//! `extract --format jsonl` runs under batch engines over feeds of any size,
//! so memory must not grow with the number of articles, every core should
//! work, and the output must come in input order (a downstream stage pairs
//! lines by position).
//!
//! Decision: three stages joined by channels that hold nothing: a batch
//! passes from hand to hand. A reader thread cuts the input into batches of
//! at most [`BATCH_LINES`] lines and [`BATCH_BYTES`] bytes; the calling
//! thread parses, extracts and serialises each batch on rayon's threads,
//! which keeps the batch's order; a writer thread writes the serialised
//! lines while the next batch is extracted. At most two batches of input
//! (one being extracted, the next read and waiting) and two of output (one
//! being written, the next waiting) are alive at once, so peak memory
//! depends on the batch size and the longest article, never on the length
//! of the input. (Channels of one batch each held a third of each, about a
//! megabyte more, for no gain in speed: reading and writing take a fraction
//! of the time extraction does.)
//!
//! Errors stop the stream at the first bad line, in input order: every line
//! before it has been written.

use rayon::prelude::*;
use std::io::{BufRead, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::{Article, ArticleError, RuleSet};

/// Most lines in one batch: enough to keep every core busy between two
/// hand-overs, few enough that the batches in flight hold a few megabytes.
/// Over the scale corpus on two threads, 256 lines were no faster and took
/// 1.7 MB more; 64 lines took 1 MB less and ran a few percent slower.
pub const BATCH_LINES: usize = 128;

/// Most input bytes in one batch (a batch holds at least one line, however
/// long): bounds memory when articles are long.
pub const BATCH_BYTES: usize = 1 << 20;

/// How far a stream has got: articles written and input bytes read for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Articles extracted and written.
    pub articles: u64,
    /// Bytes of input consumed, line breaks and blank lines included.
    pub bytes: u64,
}

/// Why a stream stopped.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum StreamError {
    /// The input could not be read, or a line is not UTF-8.
    #[error("standard input, line {line}: {source}")]
    #[diagnostic(code(factrules::stream::read), help("the input must be UTF-8 JSON lines"))]
    Read {
        /// The 1-based line that could not be read.
        line: usize,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not a valid article.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Article(#[from] ArticleError),
    /// The output could not be written.
    #[error("cannot write output: {0}")]
    #[diagnostic(code(factrules::stream::write), help("check that the output is writable and not closed early"))]
    Write(std::io::Error),
}

/// Lines of input: (1-based line number, text), blank lines left out.
struct Batch {
    lines: Vec<(usize, String)>,
    /// Input bytes the batch covers, blank lines included.
    bytes: u64,
}

/// Reads JSON lines `{"id", "text", "published"?, "language"?}` from
/// `input`, extracts each article's facts with `rules`, and writes each
/// extraction to `output` as one JSON line, in input order. Blank lines are
/// skipped. `progress` is called after each batch.
pub fn extract_jsonl<R, W>(
    rules: &RuleSet,
    input: R,
    output: W,
    mut progress: impl FnMut(Progress),
) -> Result<Progress, StreamError>
where
    R: BufRead + Send,
    W: Write + Send,
{
    std::thread::scope(|scope| {
        let (batches, read) = sync_channel(0);
        let (write, written) = sync_channel(0);
        let reader = scope.spawn(move || read_batches(input, batches));
        let writer = scope.spawn(move || write_batches(output, written));

        let mut done = Progress::default();
        let mut failure = None;
        for batch in &read {
            let batch = match batch {
                Ok(batch) => batch,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            let results: Vec<Result<Vec<u8>, StreamError>> =
                batch.lines.par_iter().map(|(line, json)| extract_line(rules, json, *line)).collect();
            let mut lines = Vec::with_capacity(results.len());
            for result in results {
                match result {
                    Ok(bytes) => lines.push(bytes),
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            done.articles += lines.len() as u64;
            // A send fails only once the writer has stopped on an error,
            // which joining it reports.
            if write.send(lines).is_err() || failure.is_some() {
                break;
            }
            done.bytes += batch.bytes;
            progress(done);
        }
        // Closing both channels stops the reader (its next send fails) and
        // lets the writer finish what it was given.
        drop(read);
        drop(write);
        let wrote = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        wrote.map_err(StreamError::Write)?;
        match failure {
            Some(e) => Err(e),
            None => Ok(done),
        }
    })
}

/// One article: parsed, extracted and serialised, with its line break.
fn extract_line(rules: &RuleSet, json: &str, line: usize) -> Result<Vec<u8>, StreamError> {
    let article = Article::from_json_line(json, line)?;
    let extraction = rules.extract(&article);
    let mut out = serde_json::to_vec(&extraction).map_err(|e| StreamError::Write(e.into()))?;
    out.push(b'\n');
    Ok(out)
}

/// Cuts `input` into batches; the last item sent is an error, if any.
fn read_batches(mut input: impl BufRead, batches: SyncSender<Result<Batch, StreamError>>) {
    let mut line_number = 0;
    loop {
        let mut batch = Batch { lines: Vec::new(), bytes: 0 };
        let mut text_bytes = 0;
        while batch.lines.len() < BATCH_LINES && text_bytes < BATCH_BYTES {
            let mut line = String::new();
            line_number += 1;
            match input.read_line(&mut line) {
                Ok(0) => break,
                Ok(n) => {
                    batch.bytes += n as u64;
                    if !line.trim().is_empty() {
                        text_bytes += n;
                        batch.lines.push((line_number, line));
                    }
                }
                Err(source) => {
                    // Whatever was read before the bad line goes first.
                    if !batch.lines.is_empty() {
                        let _ = batches.send(Ok(batch));
                    }
                    let _ = batches.send(Err(StreamError::Read { line: line_number, source }));
                    return;
                }
            }
        }
        let end = batch.lines.len() < BATCH_LINES && text_bytes < BATCH_BYTES;
        // A batch of blank lines only is sent too, for the bytes it covers.
        if batch.bytes > 0 && batches.send(Ok(batch)).is_err() {
            return; // the stream stopped
        }
        if end {
            return;
        }
    }
}

/// Writes each batch's lines in the order received, then flushes.
fn write_batches(mut output: impl Write, batches: Receiver<Vec<Vec<u8>>>) -> std::io::Result<()> {
    for lines in batches {
        for line in lines {
            output.write_all(&line)?;
        }
    }
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        let yaml =
            "kind: location\nrules:\n  - id: place\n    gazetteer:\n      - name: Moscow\n        aliases: [Moskva]\n";
        RuleSet::from_sources(vec![("places.yaml".into(), yaml.into())]).expect("the rules compile")
    }

    fn run(input: &str) -> (Result<Progress, StreamError>, String, Vec<Progress>) {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        let result = extract_jsonl(&rules(), input.as_bytes(), &mut out, |p| seen.push(p));
        (result, String::from_utf8(out).expect("UTF-8 output"), seen)
    }

    #[test]
    fn many_batches_come_out_in_input_order() {
        let n = BATCH_LINES * 3 + 17;
        let input: String = (0..n)
            .map(|i| {
                let text = if i % 3 == 0 { "talks in Moscow" } else { "nothing here" };
                format!("{{\"id\": \"a{i}\", \"text\": \"{text}\", \"language\": \"en\"}}\n")
            })
            .collect();
        let (result, out, seen) = run(&input);
        let done = result.expect("the stream completes");
        assert_eq!(done, Progress { articles: n as u64, bytes: input.len() as u64 });
        assert_eq!(seen.len(), 4, "progress after each batch");
        let ids: Vec<String> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line")["article"].to_string())
            .collect();
        let expected: Vec<String> = (0..n).map(|i| format!("\"a{i}\"")).collect();
        assert_eq!(ids, expected);
        assert!(out.lines().nth(3).is_some_and(|l| l.contains("Moscow")));
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let input = "\n{\"id\": \"a\", \"text\": \"Moskva\"}\n\n";
        let (result, out, _) = run(input);
        assert_eq!(result.expect("the stream completes"), Progress { articles: 1, bytes: input.len() as u64 });
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn a_bad_line_stops_the_stream_after_the_lines_before_it() {
        let good = "{\"id\": \"a\", \"text\": \"Moskva\"}\n";
        let input = format!("{good}{good}{{\"id\": 3}}\n{good}");
        let (result, out, _) = run(&input);
        let err = result.expect_err("line 3 is not an article");
        assert!(err.to_string().starts_with("standard input, line 3:"), "{err}");
        assert_eq!(out.lines().count(), 2);
    }

    #[test]
    fn input_that_is_not_utf8_names_its_line() {
        let mut out = Vec::new();
        let input: &[u8] = b"{\"id\": \"a\", \"text\": \"x\"}\n\xff\n";
        let err = extract_jsonl(&rules(), input, &mut out, |_| {}).expect_err("line 2 is not UTF-8");
        assert!(matches!(err, StreamError::Read { line: 2, .. }), "{err}");
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
    }
}
