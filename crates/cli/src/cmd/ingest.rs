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
use rasd_store::{RunInfo, SqliteStore};

use crate::{Context, Outcome};

/// Arguments of `rasd ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files (.txt, .html, .jsonl, RSS/Atom .xml), directories (read recursively), or `-` for
    /// standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,
    /// The database file (created if missing).
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
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
            args.db.display()
        );
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
    let mut store =
        SqliteStore::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
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
        &mut store,
        documents,
        &|doc| analyzer.analyze(doc).events,
        &info,
        ingest_opts,
        &mut |step, totals| progress.step(step, totals),
    );
    progress.finish();
    let summary = summary.with_context(|| format!("ingesting into {}", args.db.display()))?;
    let t = &summary.totals;
    let secs = progress.start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "ingested into {} (run {}) in {secs:.1} s",
        args.db.display(),
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
