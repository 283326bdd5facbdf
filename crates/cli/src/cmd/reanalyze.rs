//! `rasd reanalyze`: run the current analyzer (this rasd and its data files, with `--data`)
//! over reports already in the database, and replace their events where they changed.
//!
//! After the lexicons improve or a user's `--data` fixes a place, the stored dataset can be
//! brought up to date without re-reading the sources. Reports whose events do not change are
//! left as they are, so running it twice changes nothing the second time. Each report records
//! the run that coded it (rasd version and data fingerprint, see `rasd show`), and `--stale`
//! takes only the reports coded by another version or other data. Only the analyzer's output
//! is replaced: reports, stories and the search index stay.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use rasd_store::{Coding, ReportFilter, RunInfo, Store};
use rayon::prelude::*;

use crate::{Context, Outcome};

/// Arguments of `rasd reanalyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database file.
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Only this report (repeat for more).
    #[arg(long = "doc", value_name = "ID")]
    pub doc_ids: Vec<String>,
    /// Only reports published on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE", value_parser = crate::cmd::export::parse_from)]
    pub from: Option<NaiveDate>,
    /// Only reports published on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE", value_parser = crate::cmd::export::parse_to)]
    pub to: Option<NaiveDate>,
    /// Only reports matching this full-text query.
    #[arg(long, value_name = "QUERY")]
    pub text: Option<String>,
    /// Only reports coded by another rasd version or other data than this run's.
    #[arg(long)]
    pub stale: bool,
    /// Reports per transaction.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub batch: usize,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// How many reports are analysed at once.
    #[command(flatten)]
    pub threads: crate::threads::Threads,
}

/// Runs `rasd reanalyze`.
///
/// # Errors
/// When the database cannot be opened or written, a filter is invalid, or the data files are
/// malformed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let mut store = super::events::open_existing(&args.db)?;
    let analyzer = context.analyzer()?;
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: vec!["reanalyze".to_string()],
    };
    let filter = ReportFilter {
        doc_ids: args.doc_ids.clone(),
        published_from: args.from,
        published_to: args.to,
        text: args.text.clone(),
        not_coded_by: args.stale.then(|| Coding {
            run_id: 0,
            rasd_version: info.rasd_version.clone(),
            data_fingerprint: info.data_fingerprint.clone(),
        }),
    };
    let ids = store.report_ids(&filter).context("selecting the reports")?;
    let start = Instant::now();
    let bar = (!args.no_progress && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(ids.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} reports (ETA {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let pool = args.threads.pool()?;
    let run = store.begin_run(&info)?;
    let (mut changed, mut before, mut after) = (0usize, 0usize, 0usize);
    for chunk in ids.chunks(args.batch.max(1)) {
        // The store is read and written on this thread; a batch's reports are analysed on
        // every thread of the pool, and come back in their order.
        let mut documents = Vec::with_capacity(chunk.len());
        for id in chunk {
            if let Some(stored) = store.document(id)? {
                documents.push(stored.document);
            }
        }
        let batch: Vec<_> = pool.install(|| {
            documents
                .into_par_iter()
                .map(|document| {
                    let span = tracing::debug_span!("reanalyze", doc_id = %document.id);
                    let _enter = span.enter();
                    let events = analyzer.analyze(&document).events;
                    (document, events)
                })
                .collect()
        });
        let recoded = store
            .recode_batch(run, batch)
            .with_context(|| format!("re-coding reports in {}", args.db.display()))?;
        for r in &recoded {
            changed += usize::from(r.changed);
            before += r.before;
            after += r.after;
        }
        if let Some(bar) = &bar {
            bar.inc(chunk.len() as u64);
            bar.set_message(format!("{changed} changed"));
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    store.finish_run(run)?;
    let counts = store.counts()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "reanalyzed {} reports in {} (run {run}) in {:.1} s",
        ids.len(),
        args.db.display(),
        start.elapsed().as_secs_f64()
    )?;
    writeln!(out, "  changed          {changed}")?;
    writeln!(out, "  unchanged        {}", ids.len() - changed)?;
    writeln!(out, "  events before    {before}")?;
    writeln!(out, "  events now       {after}")?;
    writeln!(out, "  dataset events   {}", counts.dataset_events)?;
    writeln!(
        out,
        "  coded by         rasd {}, data {}",
        info.rasd_version, info.data_fingerprint
    )?;
    Ok(Outcome::Success)
}
