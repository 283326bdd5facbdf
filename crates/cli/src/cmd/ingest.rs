//! `rasd ingest`: read reports from files, directories, pages, feeds, JSONL or standard input,
//! analyze them and store them with their events in the database, one transaction per batch.
//!
//! On a terminal a progress line shows reports, events and the rate; otherwise (a pipe, a log
//! file, CI) plain lines go to stderr: each failed input with its reason, and a progress line
//! every few seconds. The summary is printed on stdout at the end.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use rasd_core::Published;
use rasd_ingest::{Boilerplate, IngestOptions, Input, ReadOptions, Step, Totals};
use rasd_store::{Failure, RunInfo, Store};

use crate::{Context, Outcome};

/// Arguments of `rasd ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files (.txt, .html, .jsonl, RSS/Atom .xml), directories (read recursively), or `-` for
    /// standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,
    /// The database: a SQLite file (created if missing), or a PostgreSQL URL
    /// (`postgres://user:password@host/db`).
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Store the reports as pending for `rasd worker` rather than analysing them here
    /// (PostgreSQL only).
    #[arg(long)]
    pub queue: bool,
    /// Reports per transaction.
    #[arg(long, value_name = "N", default_value_t = IngestOptions::default().batch_reports)]
    pub batch: usize,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Publication date (YYYY-MM-DD, or a date-time) of the reports that carry none (plain
    /// text, standard input, JSONL lines without one), for relative dates such as «أمس».
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    pub published: Option<Published>,
    /// Worker threads.
    #[command(flatten)]
    pub threads: crate::Threads,
}

fn parse_published(text: &str) -> Result<Published, String> {
    Published::parse(text).map_err(|e| e.to_string())
}

/// Shows progress: a bar on a terminal, a line every few seconds otherwise. When the inputs'
/// size is known (files and directories, not standard input), the bar shows the bytes read of
/// the total and the time left; otherwise a spinner.
struct Progress {
    bar: Option<ProgressBar>,
    bytes: Arc<AtomicU64>,
    start: Instant,
    last_line: Instant,
}

impl Progress {
    fn new(enabled: bool, total_bytes: Option<u64>, bytes: Arc<AtomicU64>) -> Progress {
        let bar = enabled.then(|| {
            let (bar, template) = match total_bytes {
                Some(total) => (
                    ProgressBar::new(total),
                    "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} (ETA {eta}) {msg}",
                ),
                None => (
                    ProgressBar::new_spinner(),
                    "{spinner} {elapsed_precise} {msg}",
                ),
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_spinner())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            bytes,
            start: now,
            last_line: now,
        }
    }

    fn message(&self, t: &Totals) -> String {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        format!(
            "{} reports ({} new, {} duplicate, {} failed), {} events, {:.0} reports/s",
            t.read,
            t.new,
            t.duplicates,
            t.failed,
            t.events,
            t.read as f64 / secs
        )
    }

    fn step(&mut self, step: Step<'_>, totals: &Totals) {
        if let Step::Failed(f) = &step {
            let line = format!("rasd: {}", crate::term::inert(&f.reason));
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.bytes.load(Ordering::Relaxed));
                bar.set_message(self.message(totals));
            }
            None => {
                if matches!(step, Step::Committed(_))
                    && self.last_line.elapsed() >= Duration::from_secs(5)
                {
                    eprintln!("rasd: {}", self.message(totals));
                    self.last_line = Instant::now();
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs `rasd ingest`.
///
/// # Errors
/// When the database cannot be opened or written, or the data files are malformed. A bad
/// input is reported and counted, and gives [`Outcome::SomeInputsFailed`].
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let inputs: Vec<Input> = args.inputs.iter().cloned().map(Input::from_arg).collect();
    let missing: Vec<String> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Path(p) if std::fs::symlink_metadata(p).is_err() => Some(rasd_ingest::shown(p)),
            _ => None,
        })
        .collect();
    if missing.len() == inputs.len() {
        anyhow::bail!(
            "nothing to ingest: no such file or directory: {} (nothing written to {})",
            missing.join(", "),
            crate::context::shown_db(&args.db)
        );
    }
    if args.queue {
        return queue(context, args, inputs);
    }
    let analyzer = context.analyzer()?;
    let boilerplate =
        Boilerplate::load(&context.data).context("loading the page furniture list")?;
    let bytes = Arc::new(AtomicU64::new(0));
    let opts = ReadOptions {
        boilerplate: Arc::new(boilerplate),
        bytes_read: Some(bytes.clone()),
        ..ReadOptions::default()
    };
    let mut store = crate::context::open_store(&args.db)?;
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: args
            .inputs
            .iter()
            .map(|i| i.to_string_lossy().into_owned())
            .collect(),
    };
    let show_bar = !args.no_progress && std::io::stderr().is_terminal();
    let total_bytes = if show_bar {
        rasd_ingest::input_bytes(&inputs)
    } else {
        None
    };
    let published = args.published;
    let documents = rasd_ingest::read(inputs, opts).map(move |read| {
        read.map(|doc| {
            if doc.published.is_none() {
                doc.with_published(published)
            } else {
                doc
            }
        })
    });
    let mut progress = Progress::new(show_bar, total_bytes, bytes);
    let ingest_opts = IngestOptions {
        batch_reports: args.batch.max(1),
        threads: args.threads.count(),
        ..IngestOptions::default()
    };
    let summary = rasd_ingest::ingest(
        &mut *store,
        documents,
        &|doc, normalized| analyzer.analyze_normalized(doc, normalized).events,
        &info,
        ingest_opts,
        &mut |step, totals| progress.step(step, totals),
    );
    progress.finish();
    let shown = crate::context::shown_db(&args.db);
    let summary = summary.with_context(|| format!("ingesting into {shown}"))?;
    let t = &summary.totals;
    let secs = progress.start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "ingested into {shown} (run {}) in {secs:.1} s",
        summary.run_id
    )?;
    writeln!(out, "  reports read     {}", t.read)?;
    writeln!(out, "  new              {}", t.new)?;
    writeln!(out, "  duplicate        {}", t.duplicates)?;
    writeln!(out, "  near-duplicate   {}", t.near_duplicates)?;
    writeln!(out, "  events           {}", t.events)?;
    if t.dropped_events > 0 {
        writeln!(
            out,
            "  events dropped   {} (see the warnings)",
            t.dropped_events
        )?;
    }
    writeln!(out, "  failed           {}", t.failed)?;
    for f in &summary.failures {
        writeln!(out, "    {}", crate::term::inert(&f.reason))?;
    }
    Ok(if summary.failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::SomeInputsFailed
    })
}

/// `rasd ingest --queue`: reads the inputs and queues their reports for the workers, a batch
/// per transaction; a report whose text is stored or queued already is skipped.
fn queue(context: &Context, args: Args, inputs: Vec<Input>) -> anyhow::Result<Outcome> {
    let Some(url) = crate::context::postgres_url(&args.db) else {
        anyhow::bail!(
            "--queue needs a PostgreSQL database (--db postgres://…), where workers take the \
             reports from; {} is a SQLite file",
            args.db.display()
        );
    };
    let mut store = crate::context::open_postgres(url)?;
    let shown = store.url().to_string();
    let boilerplate =
        Boilerplate::load(&context.data).context("loading the page furniture list")?;
    let opts = ReadOptions {
        boilerplate: Arc::new(boilerplate),
        ..ReadOptions::default()
    };
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: args
            .inputs
            .iter()
            .map(|i| format!("queue {}", i.to_string_lossy()))
            .collect(),
    };
    let start = Instant::now();
    let run = store.begin_run(&info)?;
    let (mut read, mut queued) = (0usize, 0usize);
    let mut failures: Vec<Failure> = Vec::new();
    let mut batch = Vec::new();
    for item in rasd_ingest::read(inputs, opts) {
        match item {
            Ok(doc) => {
                read += 1;
                batch.push(if doc.published.is_none() {
                    doc.with_published(args.published)
                } else {
                    doc
                });
            }
            Err(e) => {
                eprintln!("rasd: {}", crate::term::inert(&e.to_string()));
                failures.push(Failure {
                    input: e.input().unwrap_or("input").to_string(),
                    reason: e.to_string(),
                });
            }
        }
        if batch.len() >= args.batch.max(1) {
            queued += store
                .enqueue(run, std::mem::take(&mut batch))
                .with_context(|| format!("queueing reports in {shown}"))?;
        }
    }
    queued += store
        .enqueue(run, batch)
        .with_context(|| format!("queueing reports in {shown}"))?;
    if !failures.is_empty() {
        store
            .commit_batch(run, Vec::new(), &failures)
            .with_context(|| format!("recording the failed inputs in {shown}"))?;
    }
    store.finish_run(run)?;
    let waiting = store.pending()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "queued in {shown} (run {run}) in {:.1} s",
        start.elapsed().as_secs_f64()
    )?;
    writeln!(out, "  reports read     {read}")?;
    writeln!(out, "  queued           {queued}")?;
    writeln!(out, "  already there    {}", read - queued)?;
    writeln!(out, "  failed           {}", failures.len())?;
    writeln!(out, "  pending now      {waiting}")?;
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::SomeInputsFailed
    })
}
