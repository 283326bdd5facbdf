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
use rasd_core::{Document, Event};
use rasd_store::{Coding, ReportFilter, RunInfo, Store};
use rayon::prelude::*;

use crate::{Context, Outcome};

/// Arguments of `rasd reanalyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database: a SQLite file, or a PostgreSQL URL (`postgres://user:password@host/db`).
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
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

/// Reports changed, and events before and after, so far.
#[derive(Debug, Default)]
struct Tally {
    changed: usize,
    before: usize,
    after: usize,
}

impl Tally {
    /// Writes one analysed batch to the store and counts what changed.
    fn recode(
        &mut self,
        store: &mut dyn Store,
        run: i64,
        batch: Vec<(Document, Vec<Event>)>,
        shown: &str,
    ) -> anyhow::Result<()> {
        let recoded = store
            .recode_batch(run, batch)
            .with_context(|| format!("re-coding reports in {shown}"))?;
        for r in &recoded {
            self.changed += usize::from(r.changed);
            self.before += r.before;
            self.after += r.after;
        }
        Ok(())
    }

    /// Moves the progress bar on by `reports`.
    fn show(&self, bar: Option<&ProgressBar>, reports: usize) {
        if let Some(bar) = bar {
            bar.inc(reports as u64);
            bar.set_message(format!("{} changed", self.changed));
        }
    }
}

/// The result of a batch's analysis thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> anyhow::Result<T> {
    handle
        .join()
        .map_err(|_| anyhow::anyhow!("the analysis of a batch of reports failed (a bug in rasd)"))
}

/// Runs `rasd reanalyze`.
///
/// # Errors
/// When the database cannot be opened or written, a filter is invalid, or the data files are
/// malformed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let mut store: Box<dyn Store> = super::events::open_existing(&args.db)?;
    let shown = crate::context::shown_db(&args.db);
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
    let analyse = |documents: Vec<Document>| -> Vec<(Document, Vec<Event>)> {
        pool.install(|| {
            documents
                .into_par_iter()
                .map(|document| {
                    let span = tracing::debug_span!("reanalyze", doc_id = %document.id);
                    let _enter = span.enter();
                    let events = analyzer.analyze(&document).events;
                    (document, events)
                })
                .collect()
        })
    };
    let mut tally = Tally::default();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // The store is read and written on this thread, the batches in their order; a batch's
        // reports are analysed on every thread of the pool meanwhile: batch k is analysed
        // while batch k - 1 is written and batch k + 1 is read.
        let analyse = &analyse;
        let mut pending = None;
        for chunk in ids.chunks(args.batch.max(1)) {
            let mut documents = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(stored) = store.document(id)? {
                    documents.push(stored.document);
                }
            }
            let analysing = scope.spawn(move || analyse(documents));
            if let Some((reports, previous)) = pending.replace((chunk.len(), analysing)) {
                tally.recode(store.as_mut(), run, joined(previous)?, &shown)?;
                tally.show(bar.as_ref(), reports);
            }
        }
        if let Some((reports, last)) = pending {
            tally.recode(store.as_mut(), run, joined(last)?, &shown)?;
            tally.show(bar.as_ref(), reports);
        }
        Ok(())
    })?;
    let Tally {
        changed,
        before,
        after,
    } = tally;
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
        shown,
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
