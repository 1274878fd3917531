//! Rule sets from a folder or from a git revision of the rules folder.
//!
//! `compare` takes either. A revision is read with `git ls-tree` and
//! `git cat-file` from the repository that holds the working rules folder,
//! at the same path inside it, without touching the working tree or the
//! index. An argument that names an existing folder is a folder; anything
//! else is a revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{rules_failure, Failure};
use factrules::RuleSet;

/// Errors reading rules from git, each with what to do.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub(crate) enum RevisionError {
    /// git cannot be run, or fails for a reason other than the revision.
    #[error("`git {command}` in {dir}: {message}")]
    #[diagnostic(
        code(factrules::compare::git),
        help("revisions are read with git from the repository of the rules folder; install git, or pass rule folders")
    )]
    Git { command: String, dir: PathBuf, message: String },
    /// The argument is not a folder, and there is no repository to read it from.
    #[error("`{spec}` is not a folder, and {dir} is in no git repository to read a revision from: {message}")]
    #[diagnostic(
        code(factrules::compare::no_repository),
        help("give two folders of rule files, or run in a git checkout (or pass --rules DIR inside one)")
    )]
    NoRepository { spec: String, dir: PathBuf, message: String },
    /// The argument is neither a folder nor a revision.
    #[error("`{spec}` is neither a folder nor a git revision of the repository of {dir}")]
    #[diagnostic(
        code(factrules::compare::revision),
        help("give a folder of rule files, or a revision such as HEAD, HEAD~1, main or a commit hash")
    )]
    UnknownRevision { spec: String, dir: PathBuf },
    /// The revision has no rule file at the rules folder's path.
    #[error("{at}: no rule file (*.yaml) at this revision")]
    #[diagnostic(
        code(factrules::compare::no_rules),
        help("the revision is read at the path the rules folder has now; pass --rules for another folder")
    )]
    NoRuleFiles { at: String },
    /// A rule file at the revision is not UTF-8.
    #[error("{at}: not valid UTF-8")]
    #[diagnostic(code(factrules::compare::not_utf8), help("rule files must be UTF-8"))]
    NotUtf8 { at: String },
}

/// Loads the rules `spec` names: a folder, or a revision of `rules_dir`'s
/// repository. Returns the label reports use and the set.
pub(crate) fn load(spec: &str, rules_dir: &Path) -> Result<(String, RuleSet), Failure> {
    if Path::new(spec).is_dir() {
        let set = RuleSet::load(spec).map_err(rules_failure)?;
        return Ok((spec.to_string(), set));
    }
    let (label, sources) = sources_at(spec, rules_dir)?;
    let set = RuleSet::from_sources(sources).map_err(rules_failure)?;
    Ok((label, set))
}

/// The rule files of `rules_dir` as they were at revision `rev`, as
/// (`REV:path`, text) pairs sorted by name, and the label `REV:path/`.
fn sources_at(rev: &str, rules_dir: &Path) -> Result<(String, Vec<(PathBuf, String)>), RevisionError> {
    let located = git(rules_dir, &["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(|e| match e {
        RevisionError::Git { message, .. } => {
            RevisionError::NoRepository { spec: rev.to_string(), dir: rules_dir.to_owned(), message }
        }
        other => other,
    })?;
    let located = String::from_utf8_lossy(&located);
    let mut lines = located.lines();
    let top = PathBuf::from(lines.next().unwrap_or("."));
    let prefix = lines.next().unwrap_or("").trim_end_matches('/').to_string();
    if git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).is_err() {
        return Err(RevisionError::UnknownRevision { spec: rev.to_string(), dir: rules_dir.to_owned() });
    }
    let label = format!("{rev}:{prefix}/");
    let listing = git(&top, &["ls-tree", "-z", &format!("{rev}:{prefix}")])
        .map_err(|_| RevisionError::NoRuleFiles { at: label.clone() })?;
    let mut names: Vec<String> = listing
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let entry = std::str::from_utf8(entry).ok()?;
            let (meta, name) = entry.split_once('\t')?;
            let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
            (meta.split(' ').nth(1) == Some("blob") && is_yaml).then(|| name.to_string())
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(RevisionError::NoRuleFiles { at: label });
    }
    let mut sources = Vec::with_capacity(names.len());
    for name in names {
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let at = format!("{rev}:{path}");
        let bytes = git(&top, &["cat-file", "blob", &at])?;
        let text = String::from_utf8(bytes).map_err(|_| RevisionError::NotUtf8 { at: at.clone() })?;
        sources.push((PathBuf::from(at), text));
    }
    Ok((label, sources))
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, RevisionError> {
    let fail = |message: String| RevisionError::Git { command: args.join(" "), dir: dir.to_owned(), message };
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| fail(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(fail(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}
