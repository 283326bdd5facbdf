//! `rasd search`: full-text search over the stored reports, normalized as the reports are (so
//! «درعا» finds every spelling the normalizer folds), with the matches highlighted in the
//! report's own spelling. Titles, ids and snippets are printed inert ([`crate::term::inert`]).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;

use crate::term::inert;
use crate::{Context, Outcome};

/// Arguments of `rasd search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The words to find (all of them, in any order).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// The database: a SQLite file, or a PostgreSQL URL (`postgres://user:password@host/db`).
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
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
    let (open, close) = if crate::term::colour_wanted(std::io::stdout().is_terminal()) {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = std::io::stdout().lock();
    for hit in &hits {
        let id = inert(&hit.doc_id);
        match &hit.title {
            Some(title) => writeln!(out, "{id} — {}", inert(title))?,
            None => writeln!(out, "{id}")?,
        }
        let snippet = hit
            .snippet
            .render_with(open, close, |text| inert(text).into_owned());
        writeln!(out, "    {snippet}")?;
    }
    writeln!(out, "{} reports", hits.len())?;
    Ok(Outcome::Success)
}
