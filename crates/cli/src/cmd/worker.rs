//! `rasd worker`: takes the reports `rasd ingest --queue` left in a PostgreSQL database,
//! analyses them and stores their events, one transaction per batch, until the queue is empty
//! (or, with `--follow`, for as long as it runs).
//!
//! Any number of workers, on any number of machines, can work on one database: each claims a
//! batch with `FOR UPDATE SKIP LOCKED`, so no report is analysed twice, and the batch leaves
//! the queue in the transaction that stores its events. A worker that is killed leaves its
//! batch in the queue for the others. The dataset is the one a single worker would make.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rasd_core::Document;
use rasd_extract::Analyzer;
use rasd_store::{Failure, Outcome as Stored, Report, RunInfo, Store};
use rayon::prelude::*;

use crate::{Context, Outcome};

/// Arguments of `rasd worker`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database (`postgres://user:password@host/db`).
    #[arg(long, value_name = "URL", env = "RASD_DB")]
    pub db: String,
    /// Reports claimed per transaction.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub batch: usize,
    /// When the queue is empty, wait for more reports, looking every SECS seconds, rather
    /// than stop.
    #[arg(long, value_name = "SECS")]
    pub follow: Option<u64>,
    /// Worker threads.
    #[command(flatten)]
    pub threads: crate::Threads,
}

/// What one worker did.
#[derive(Default)]
struct Tally {
    claimed: usize,
    new: usize,
    duplicates: usize,
    events: usize,
    failed: usize,
    batches: usize,
}

/// Runs `rasd worker`.
///
/// # Errors
/// When the database cannot be reached or written, or the data files are malformed: the batch
/// being worked on goes back to the queue.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    if !rasd_store::is_postgres_url(&args.db) {
        anyhow::bail!(
            "rasd worker needs a PostgreSQL database (--db postgres://…); {} is not one",
            args.db
        );
    }
    let analyzer = context.analyzer()?;
    let pool = args.threads.pool()?;
    let mut store = crate::context::open_postgres(&args.db)?;
    let shown = store.url().to_string();
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: vec!["worker".to_string()],
    };
    let run = store.begin_run(&info)?;
    tracing::info!(run, db = %shown, "worker started");
    let start = Instant::now();
    let mut tally = Tally::default();
    let mut failures: Vec<Failure> = Vec::new();
    loop {
        let worked = store
            .work_batch(run, args.batch, &mut |claimed| {
                analyze(analyzer, &pool, claimed, &mut failures)
            })
            .with_context(|| format!("working on the queue of {shown}"))?;
        let Some(worked) = worked else {
            match args.follow {
                Some(secs) => {
                    std::thread::sleep(Duration::from_secs(secs.max(1)));
                    continue;
                }
                None => break,
            }
        };
        tally.batches += 1;
        tally.claimed += worked.claimed;
        for outcome in &worked.outcomes {
            match outcome {
                Stored::New { events, .. } => {
                    tally.new += 1;
                    tally.events += events;
                }
                Stored::Duplicate { .. } => tally.duplicates += 1,
                _ => {}
            }
        }
        tally.failed = failures.len();
        tracing::debug!(claimed = worked.claimed, "batch committed");
    }
    store.finish_run(run)?;
    let secs = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(out, "worked on {shown} (run {run}) in {secs:.1} s")?;
    writeln!(out, "  reports claimed  {}", tally.claimed)?;
    writeln!(out, "  new              {}", tally.new)?;
    writeln!(out, "  duplicate        {}", tally.duplicates)?;
    writeln!(out, "  events           {}", tally.events)?;
    writeln!(out, "  failed           {}", tally.failed)?;
    writeln!(out, "  batches          {}", tally.batches)?;
    writeln!(
        out,
        "  reports/s        {:.1}",
        tally.claimed as f64 / secs.max(1e-3)
    )?;
    for f in &failures {
        writeln!(out, "    {}", crate::term::inert(&f.reason))?;
    }
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::SomeInputsFailed
    })
}

/// Analyses a claimed batch on the threads of `pool`: each report with the events fit to
/// store; a report the analyzer panics on is a failure, also added to `failed_so_far`.
fn analyze(
    analyzer: &Analyzer,
    pool: &rayon::ThreadPool,
    claimed: Vec<Document>,
    failed_so_far: &mut Vec<Failure>,
) -> (Vec<Report>, Vec<Failure>) {
    let results: Vec<Result<Report, Failure>> = pool.install(|| {
        claimed
            .into_par_iter()
            .map(|c| {
                let mut report = Report::new(c);
                let doc = &report.document;
                let span = tracing::debug_span!("worker", doc_id = %doc.id);
                let _enter = span.enter();
                let events = catch_unwind(AssertUnwindSafe(|| analyzer.analyze(doc).events))
                    .map_err(|_| Failure {
                        input: doc.id.clone(),
                        reason: format!("{}: the analyzer failed on this report", doc.id),
                    })?;
                let events = events
                    .into_iter()
                    .filter(|e| match rasd_store::check_event(doc, e) {
                        Ok(()) => true,
                        Err(err) => {
                            tracing::warn!("event dropped: {err}");
                            false
                        }
                    })
                    .collect();
                report.events = events;
                Ok(report)
            })
            .collect()
    });
    let mut reports = Vec::with_capacity(results.len());
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(report) => reports.push(report),
            Err(f) => failures.push(f),
        }
    }
    failed_so_far.extend(failures.iter().cloned());
    (reports, failures)
}
