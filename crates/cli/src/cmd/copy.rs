//! `rasd copy`: moves a dataset from one store to another (a SQLite file to a PostgreSQL
//! database, or back, or between two of either).
//!
//! Each report is copied with the events the analyzer found in it, in the order the source
//! stored them, and the target merges them as it would have when ingesting: the dataset, the
//! near-duplicate stories and the full-text index come out the same. Reports already in the
//! target are skipped, so a copy can be run again after an interruption. The target's run log
//! gets one run per (rasd version, data) that coded the copied reports, so that
//! `rasd reanalyze --stale` still knows which reports to code again. API tokens are copied
//! (their hashes, under the same names and roles; a name the target holds is left as it is).
//! Reviewers' corrections and their audit log are not copied: they are kept only in the store
//! they were made in.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use rasd_store::{Report, ReportFilter, RunInfo, Store};

use crate::{Context, Outcome};

/// Arguments of `rasd copy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The store to copy from: a SQLite file or a PostgreSQL URL.
    #[arg(long, value_name = "PATH|URL")]
    pub from: PathBuf,
    /// The store to copy into (created if it is a missing SQLite file).
    #[arg(long, value_name = "PATH|URL")]
    pub to: PathBuf,
    /// Reports per transaction.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub batch: usize,
}

/// Runs `rasd copy`.
///
/// # Errors
/// When either store cannot be opened, read or written; what was committed stays.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let (from_shown, to_shown) = (
        crate::context::shown_db(&args.from),
        crate::context::shown_db(&args.to),
    );
    if from_shown == to_shown {
        anyhow::bail!("--from and --to name the same store ({from_shown})");
    }
    let from = crate::context::open_existing_store(&args.from, "nothing to copy")?;
    let mut to = crate::context::open_store(&args.to)?;
    let start = Instant::now();
    let ids = from
        .report_ids(&ReportFilter::default())
        .with_context(|| format!("listing the reports of {from_shown}"))?;
    // (rasd version, data fingerprint) → the target's run for reports coded so.
    let mut runs: HashMap<(String, String), i64> = HashMap::new();
    let mut batch: Vec<Report> = Vec::new();
    let mut batch_run = None;
    let (mut copied, mut skipped, mut events) = (0usize, 0usize, 0usize);
    // Reports the target holds under another id (the same text): counted, not stored.
    let mut duplicates = 0usize;
    for id in &ids {
        let Some(stored) = from.document(id)? else {
            continue;
        };
        match to.hash_of_doc(id)? {
            Some(hash) if hash == stored.document.content_hash => {
                skipped += 1;
                continue;
            }
            Some(_) => anyhow::bail!(
                "report {id} is in {to_shown} already, with another text; nothing more copied"
            ),
            None => {}
        }
        let coding = from
            .coding(id)?
            .with_context(|| format!("report {id} has no run"))?;
        let key = (coding.rasd_version, coding.data_fingerprint);
        let run = match runs.get(&key) {
            Some(run) => *run,
            None => {
                let info = RunInfo {
                    rasd_version: key.0.clone(),
                    data_fingerprint: key.1.clone(),
                    inputs: vec![format!("copy from {from_shown}")],
                };
                let run = to.begin_run(&info)?;
                runs.insert(key, run);
                run
            }
        };
        if batch_run.is_some_and(|r| r != run) || batch.len() >= args.batch.max(1) {
            duplicates += commit(&mut *to, batch_run, &mut batch, &to_shown)?;
        }
        batch_run = Some(run);
        let found = from.report_events(id)?;
        events += found.len();
        batch.push(Report::new(stored.document).with_events(found));
        copied += 1;
    }
    duplicates += commit(&mut *to, batch_run, &mut batch, &to_shown)?;
    let mut finished: Vec<i64> = runs.into_values().collect();
    finished.sort_unstable();
    for run in finished {
        to.finish_run(run)?;
    }
    let held: HashSet<String> = to.tokens()?.into_iter().map(|t| t.name).collect();
    let mut tokens = 0usize;
    for t in from.tokens()? {
        if !held.contains(&t.name) {
            to.add_token(&t.name, t.role, &t.hash)
                .with_context(|| format!("copying the token {} into {to_shown}", t.name))?;
            tokens += 1;
        }
    }
    let counts = to.counts()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "copied {from_shown} into {to_shown} in {:.1} s",
        start.elapsed().as_secs_f64()
    )?;
    writeln!(out, "  reports copied   {}", copied - duplicates)?;
    writeln!(out, "  already there    {}", skipped + duplicates)?;
    writeln!(out, "  report events    {events}")?;
    writeln!(out, "  dataset events   {}", counts.dataset_events)?;
    writeln!(out, "  tokens copied    {tokens}")?;
    Ok(Outcome::Success)
}

/// Writes the batch into the target; returns how many of its reports the target already
/// held under another id.
fn commit(
    to: &mut dyn Store,
    run: Option<i64>,
    batch: &mut Vec<Report>,
    shown: &str,
) -> anyhow::Result<usize> {
    let (Some(run), false) = (run, batch.is_empty()) else {
        return Ok(0);
    };
    let outcomes = to
        .commit_batch(run, std::mem::take(batch), &[])
        .with_context(|| format!("writing into {shown}"))?;
    Ok(outcomes
        .iter()
        .filter(|o| matches!(o, rasd_store::Outcome::Duplicate { .. }))
        .count())
}
