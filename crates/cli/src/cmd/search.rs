//! `rasd search`: full-text search over the stored reports, normalized as the reports are (so
//! «درعا» finds every spelling the normalizer folds), with the matches highlighted in the
//! report's own spelling.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use rasd_store::Store;

use crate::{Context, Outcome};

/// Arguments of `rasd search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The words to find (all of them, in any order).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// The database file.
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// At most this many reports.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

/// Runs `rasd search`.
///
/// # Errors
/// When the database cannot be read or the query has no words.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let store = super::events::open_existing(&args.db)?;
    let query = args.query.join(" ");
    let hits = store
        .search(&query, args.limit)
        .with_context(|| format!("searching for «{query}»"))?;
    let (open, close) = if std::io::stdout().is_terminal() {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = std::io::stdout().lock();
    for hit in &hits {
        match &hit.title {
            Some(title) => writeln!(out, "{} — {title}", hit.doc_id)?,
            None => writeln!(out, "{}", hit.doc_id)?,
        }
        writeln!(out, "    {}", hit.snippet.render(open, close))?;
    }
    writeln!(out, "{} reports", hits.len())?;
    Ok(Outcome::Success)
}
