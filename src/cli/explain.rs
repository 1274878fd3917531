//! `factrules explain ARTICLE`: one article, match by match.

use std::path::Path;

use super::{emit, Format, Goldens, Workspace};
use crate::{usage, Failure};
use factrules::eval::Golden;
use factrules::inspect::explain::explain;
use factrules::{report, Article, Corpus};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// An article id of the corpus (or a prefix of one that only it has), or a path to a .txt file.
    #[arg(value_name = "ARTICLE")]
    article: String,
    #[command(flatten)]
    workspace: Workspace,
    #[command(flatten)]
    goldens: Goldens,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules = args.workspace.rules()?;
    let article = find(&args)?;
    let golden = Golden::read(&args.goldens.dir(), &article.id)?;
    let explanation = explain(&rules, &article, golden.as_ref());
    emit(args.format, &explanation, report::explain_table)?;
    Ok(0)
}

/// The article a file path, an id or a unique id prefix names.
fn find(args: &Args) -> Result<Article, Failure> {
    let path = Path::new(&args.article);
    if path.is_file() {
        return Ok(Article::read(path)?);
    }
    let corpus: Corpus = args.workspace.corpus()?;
    let wanted = args.article.as_str();
    if let Some(a) = corpus.articles.iter().find(|a| a.id == wanted) {
        return Ok(a.clone());
    }
    let prefixed: Vec<&Article> = corpus.articles.iter().filter(|a| a.id.starts_with(wanted)).collect();
    match prefixed.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let mut close: Vec<(f64, &str)> =
                corpus.articles.iter().map(|a| (strsim::jaro_winkler(wanted, &a.id), a.id.as_str())).collect();
            close.sort_by(|a, b| b.0.total_cmp(&a.0));
            let close: Vec<&str> = close.iter().take(3).map(|c| c.1).collect();
            Err(usage(&format!(
                "no article `{wanted}` in the corpus ({} articles) and no such file; closest ids: {}",
                corpus.articles.len(),
                close.join(", ")
            )))
        }
        many => Err(usage(&format!(
            "`{wanted}` starts {} article ids: {}; give more of the id",
            many.len(),
            many.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}
