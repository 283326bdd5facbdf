//! `rasd bench`: how fast this machine analyses and ingests a corpus, beside the speed of a
//! bare Aho-Corasick scan over the same text, measured in one process.
//!
//! The corpus is read into memory first (not timed), so the figures are those of the work
//! itself. Then, each stage on the same documents:
//! - **analysis** on 1 thread and on `--threads` threads (`Analyzer::analyze`, events
//!   counted, nothing written);
//! - **ingest** into a new database in a temporary folder, with the pipeline of `rasd ingest`;
//! - **bare scan**: one leftmost-longest Aho-Corasick pass over each report's normalized text
//!   (normalized before the clock starts), with every form of the lexicons (`data/lexicon`,
//!   their first column) and every place name and alias of the gazetteer, as the analyzer
//!   loads them (with `--data` overrides). It is the floor of a lexicon matcher: what reading
//!   the text once costs.
//!
//! Each stage prints wall-clock seconds and the CPU seconds the process spent in it (from
//! `/proc/self/stat`, in ticks of 1/100 s, so only for stages of a quarter second or more;
//! on a busy machine the wall clock counts other programs' time, the CPU time does not),
//! MB/s (of the original text, by wall clock), MB/s per core (by CPU time),
//! reports/s, words/s (whitespace-separated words of the original text), the peak resident
//! memory during the stage (`VmHWM` of `/proc/self/status`, reset before each stage where
//! the kernel allows it, otherwise the process's peak so far) and the threads it used.
//! The last lines give the analysis's speed per core as a fraction of the bare scan's (by CPU
//! time where both stages have it, otherwise by wall clock) and the speed-up of the threads.
//!
//! A shared machine's speed changes from one minute to the next, so the stages run in
//! `--rounds` rounds (3 by default), one after the other within each round: each round's
//! ratios compare stages measured side by side, and the summary gives each stage's median
//! and the median of each ratio over the rounds, with its range.

use std::io::Write;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::Context as _;
use rasd_core::Document;
use rasd_extract::Analyzer;
use rasd_ingest::{IngestOptions, Input, ReadOptions};
use rasd_store::{RunInfo, SqliteStore};
use rayon::prelude::*;

use crate::{Context, Outcome};

/// Arguments of `rasd bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus: JSON Lines of documents (`id`, `text`, optional `title`, `published`,
    /// `source`, `url`), plain or gzip-compressed (`.jsonl.gz`), or anything else `rasd
    /// analyze` reads. Default: the bundled sample corpus.
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<std::ffi::OsString>,
    /// Only the first N reports of the corpus.
    #[arg(long, value_name = "N")]
    pub reports: Option<usize>,
    /// Leave out the ingest stage.
    #[arg(long)]
    pub no_ingest: bool,
    /// Rounds of every stage, one after the other; the summary takes the medians.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub rounds: u32,
    /// Worker threads of the parallel stages.
    #[command(flatten)]
    pub threads: crate::Threads,
}

/// What one stage measured.
struct Stage {
    name: String,
    threads: usize,
    wall: f64,
    cpu: Option<f64>,
    peak_rss_mb: Option<f64>,
}

/// The corpus in memory, and its size.
struct Corpus {
    docs: Vec<Document>,
    bytes: usize,
    words: usize,
}

/// Runs `rasd bench`.
///
/// # Errors
/// When the corpus holds no readable report, the data files are malformed, or the
/// temporary database cannot be written.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let (name, corpus, failed) = load(context, &args)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "rasd bench: {name}: {} reports, {:.2} MB, {} words ({failed} unreadable, left out); read in {:.1} s",
        corpus.docs.len(),
        corpus.bytes as f64 / 1e6,
        corpus.words,
        started.elapsed().as_secs_f64()
    )?;
    let load_started = Instant::now();
    let analyzer = context.analyzer()?;
    // Warm what the analyzer builds lazily before any clock starts.
    let _ = analyzer.analyze(&corpus.docs[0]);
    writeln!(
        out,
        "analyzer loaded in {:.2} s; peak RSS figures include the corpus held in memory",
        load_started.elapsed().as_secs_f64()
    )?;
    writeln!(
        out,
        "\n{:<26} {:>7} {:>8} {:>8} {:>8} {:>10} {:>10} {:>11} {:>9}",
        "stage",
        "threads",
        "wall s",
        "cpu s",
        "MB/s",
        "MB/s/core",
        "reports/s",
        "words/s",
        "peak MB"
    )?;
    let threads = args.threads.count();
    let mut thread_counts = vec![1];
    if threads > 1 {
        thread_counts.push(threads);
    }
    let scan = BareScan::new(context, analyzer)?;
    let mut rounds: Vec<Vec<Stage>> = Vec::new();
    for round in 1..=args.rounds {
        if args.rounds > 1 {
            writeln!(out, "round {round} of {}", args.rounds)?;
        }
        let mut stages = Vec::new();
        let mut counts = Vec::new();
        for &n in &thread_counts {
            // A pool per stage: its threads' word caches go with it, out of the next stage's
            // peak memory.
            let pool = crate::Threads {
                threads: std::num::NonZeroUsize::new(n),
            }
            .pool()?;
            let (stage, found) = measure("analysis".into(), n, || {
                pool.install(|| {
                    corpus
                        .docs
                        .par_iter()
                        .map(|d| analyzer.analyze(d).events.len())
                        .sum::<usize>()
                })
            });
            print_stage(&mut out, &stage, &corpus)?;
            counts.push(found);
            stages.push(stage);
        }
        if counts.windows(2).any(|w| w[0] != w[1]) {
            anyhow::bail!("the analysis found {counts:?} events on 1 and {threads} threads");
        }
        let events = counts[0];
        if !args.no_ingest {
            let (stage, db_bytes) = ingest(context, analyzer, &corpus, threads)?;
            print_stage(&mut out, &stage, &corpus)?;
            writeln!(
                out,
                "  (the database holds {:.1} MB: {:.2}× the text)",
                db_bytes as f64 / 1e6,
                db_bytes as f64 / corpus.bytes.max(1) as f64
            )?;
            stages.push(stage);
        }
        let (stage, matches) = scan.measure(&corpus);
        print_stage(&mut out, &stage, &corpus)?;
        writeln!(
            out,
            "  ({} forms, {matches} matches; {events} events found by the analysis)",
            scan.forms
        )?;
        stages.push(stage);
        rounds.push(stages);
    }
    if rounds.len() > 1 {
        writeln!(
            out,
            "
median of {} rounds",
            rounds.len()
        )?;
        for i in 0..rounds[0].len() {
            let stage = median_stage(rounds.iter().map(|r| &r[i]));
            print_stage(&mut out, &stage, &corpus)?;
        }
    }
    // Each round's ratios, of stages measured side by side. Seconds of one core: CPU time
    // where both stages have it, otherwise the wall clock.
    let per_core: Vec<f64> = rounds
        .iter()
        .map(|r| {
            let (analysis, bare) = (&r[0], &r[r.len() - 1]);
            match (analysis.cpu, bare.cpu) {
                (Some(a), Some(b)) => b / a.max(1e-9),
                _ => bare.wall / analysis.wall.max(1e-9),
            }
        })
        .collect();
    let ratio = median(&per_core);
    writeln!(
        out,
        "\nanalysis per core at {ratio:.3} of the bare scan's speed (1/{:.1}){}",
        1.0 / ratio.max(1e-9),
        range_note(&per_core, 3)
    )?;
    if thread_counts.len() == 2 {
        let speedups: Vec<f64> = rounds
            .iter()
            .map(|r| r[0].wall / r[1].wall.max(1e-9))
            .collect();
        writeln!(
            out,
            "analysis on {threads} threads: {:.2}× the speed of 1 thread (wall clock){}",
            median(&speedups),
            range_note(&speedups, 2)
        )?;
    }
    Ok(Outcome::Success)
}

/// The median of `values` (the mean of the middle two when they are even in number).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// `, median of N rounds (LOW to HIGH)` for more than one value, else nothing.
fn range_note(values: &[f64], digits: usize) -> String {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.len() > 1 {
        format!(
            ", median of {} rounds ({low:.digits$} to {high:.digits$})",
            values.len()
        )
    } else {
        String::new()
    }
}

/// A stage's medians over the rounds: wall and CPU seconds (CPU only when every round has
/// it), and the highest peak memory.
fn median_stage<'a>(stages: impl Iterator<Item = &'a Stage>) -> Stage {
    let stages: Vec<&Stage> = stages.collect();
    let walls: Vec<f64> = stages.iter().map(|s| s.wall).collect();
    let cpus: Option<Vec<f64>> = stages.iter().map(|s| s.cpu).collect();
    Stage {
        name: stages.first().map_or_else(String::new, |s| s.name.clone()),
        threads: stages.first().map_or(1, |s| s.threads),
        wall: median(&walls),
        cpu: cpus.map(|c| median(&c)),
        peak_rss_mb: stages.iter().filter_map(|s| s.peak_rss_mb).reduce(f64::max),
    }
}

/// Reads the corpus into memory: its name, the documents, and how many inputs failed.
fn load(context: &Context, args: &Args) -> anyhow::Result<(String, Corpus, usize)> {
    let limit = args.reports.unwrap_or(usize::MAX);
    let (name, reads): (String, Vec<_>) = match &args.corpus {
        Some(path) => {
            let boilerplate = rasd_ingest::Boilerplate::load(&context.data)
                .context("loading the page furniture list")?;
            let opts = ReadOptions {
                boilerplate: std::sync::Arc::new(boilerplate),
                ..ReadOptions::default()
            };
            let reads = rasd_ingest::read([Input::from_arg(path.clone())], opts)
                .take(limit)
                .collect();
            (path.to_string_lossy().into_owned(), reads)
        }
        None => (
            "the bundled sample corpus".into(),
            crate::cmd::demo::sample_documents()?
                .into_iter()
                .take(limit)
                .map(Ok)
                .collect(),
        ),
    };
    let mut docs = Vec::with_capacity(reads.len());
    let mut failed = 0;
    for read in reads {
        match read {
            Ok(doc) => docs.push(doc),
            Err(err) => {
                failed += 1;
                tracing::warn!("{err}");
            }
        }
    }
    anyhow::ensure!(!docs.is_empty(), "{name}: no report to measure on");
    let bytes = docs.iter().map(|d| d.text.len()).sum();
    let words = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    Ok((name, Corpus { docs, bytes, words }, failed))
}

/// Runs `work` as one stage: its clocks and peak memory.
fn measure<T>(name: String, threads: usize, work: impl FnOnce() -> T) -> (Stage, T) {
    let peak_reset = reset_peak_rss();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let result = work();
    let wall = started.elapsed().as_secs_f64();
    // The clock ticks 100 times a second: a shorter stage has no CPU time worth showing.
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(a, b)| a - b)
        .filter(|&c| c >= 0.25);
    let peak = peak_rss_mb();
    let name = if peak_reset || peak.is_none() {
        name
    } else {
        format!("{name} (peak: process)")
    };
    let stage = Stage {
        name,
        threads,
        wall,
        cpu,
        peak_rss_mb: peak,
    };
    (stage, result)
}

fn print_stage(out: &mut dyn Write, s: &Stage, corpus: &Corpus) -> anyhow::Result<()> {
    let wall = s.wall.max(1e-9);
    let mb = corpus.bytes as f64 / 1e6;
    let shown = |v: Option<f64>, digits: usize| {
        v.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
    };
    writeln!(
        out,
        "{:<26} {:>7} {:>8.2} {:>8} {:>8.2} {:>10} {:>10.0} {:>11.0} {:>9}",
        s.name,
        s.threads,
        s.wall,
        shown(s.cpu, 2),
        mb / wall,
        shown(s.cpu.map(|c| mb / c.max(1e-9)), 2),
        corpus.docs.len() as f64 / wall,
        corpus.words as f64 / wall,
        shown(s.peak_rss_mb, 0),
    )?;
    Ok(())
}

/// Ingests the corpus into a new database in a temporary folder: the stage and the
/// database's size in bytes.
fn ingest(
    context: &Context,
    analyzer: &Analyzer,
    corpus: &Corpus,
    threads: usize,
) -> anyhow::Result<(Stage, u64)> {
    let dir = tempfile::tempdir().context("creating a temporary folder")?;
    let path = dir.path().join("bench.db");
    let mut store =
        SqliteStore::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: vec!["rasd bench".to_string()],
    };
    let opts = IngestOptions {
        threads,
        ..IngestOptions::default()
    };
    let (stage, summary) = measure("ingest (new database)".into(), threads, || {
        rasd_ingest::ingest(
            &mut store,
            corpus.docs.iter().cloned().map(Ok),
            &|doc, normalized| analyzer.analyze_normalized(doc, normalized).events,
            &info,
            opts,
            &mut |_, _| {},
        )
    });
    summary.context("ingesting into the temporary database")?;
    drop(store);
    let db_bytes = std::fs::read_dir(dir.path())
        .context("measuring the temporary database")?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok((stage, db_bytes))
}

/// The bare scan, ready to run: its automaton.
struct BareScan {
    automaton: AhoCorasick,
    /// How many forms the automaton holds.
    forms: usize,
}

impl BareScan {
    /// Builds the automaton of every lexicon form and place name.
    fn new(context: &Context, analyzer: &Analyzer) -> anyhow::Result<BareScan> {
        let mut forms: Vec<String> = Vec::new();
        for (name, builtin) in rasd_extract::BUILTIN_LEXICONS {
            for text in context.data.texts(name, builtin) {
                for (_, fields) in rasd_core::data::tsv_rows(text.text) {
                    let Some(first) = fields.first() else {
                        continue;
                    };
                    let form = rasd_arabic::normalize_key(&first.replace('*', ""));
                    if form.chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)) {
                        forms.push(form);
                    }
                }
            }
        }
        for place in analyzer.gazetteer().places() {
            for name in std::iter::once(&place.name_ar).chain(&place.aliases_ar) {
                forms.push(rasd_arabic::normalize_key(name));
            }
        }
        forms.retain(|f| !f.trim().is_empty());
        forms.sort_unstable();
        forms.dedup();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&forms)
            .context("building the bare-scan automaton")?;
        Ok(BareScan {
            automaton,
            forms: forms.len(),
        })
    }

    /// One scan of every report's normalized text (normalized before the clock starts, and
    /// let go after, so that the other stages' peak memory does not hold it): the stage and
    /// the number of matches.
    fn measure(&self, corpus: &Corpus) -> (Stage, usize) {
        let texts: Vec<String> = corpus
            .docs
            .iter()
            .map(|d| rasd_arabic::normalize(&d.text).as_str().to_string())
            .collect();
        measure("bare scan (aho-corasick)".into(), 1, || {
            texts
                .iter()
                .map(|t| self.automaton.find_iter(t).count())
                .sum::<usize>()
        })
    }
}

/// The CPU time this process has used (user and system), from `/proc/self/stat`, in
/// seconds; `None` where there is no such file.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in clock
    // ticks, which Linux fixes at 100 a second for /proc.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// The peak resident memory (`VmHWM`) in MB, where `/proc/self/status` has it.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0 / 1e6)
}

/// Resets the peak resident memory to the current one (`5` to `/proc/self/clear_refs`);
/// false where the kernel does not allow it.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
