//! The ingest pipeline: documents → dedup → analyze → store, in bounded batches.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use rasd_core::{Document, Event};
use rasd_store::{Failure, Outcome, Report, RunInfo, Store};

use crate::Error;

/// Batch sizes of the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    /// Reports per transaction (default 256).
    pub batch_reports: usize,
    /// Text bytes per transaction (default 32 MiB): large reports make smaller batches, so
    /// memory stays bounded.
    pub batch_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch_reports: 256,
            batch_bytes: 32 << 20,
        }
    }
}

/// Running totals of one ingest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Reports read (stored, duplicate or failed in analysis).
    pub read: u64,
    /// Reports stored.
    pub new: u64,
    /// Exact duplicates dropped.
    pub duplicates: u64,
    /// Stored reports that are near duplicates of another.
    pub near_duplicates: u64,
    /// Report events stored.
    pub events: u64,
    /// Events the analyzer returned that were not fit to store (wrong report, no evidence).
    pub dropped_events: u64,
    /// Inputs, lines or items that failed.
    pub failed: u64,
    /// Transactions committed.
    pub batches: u64,
}

/// What the pipeline tells its observer.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<'a> {
    /// A report was read and analyzed.
    Read {
        /// Its id.
        doc_id: &'a str,
    },
    /// An input failed; the ingest goes on.
    Failed(&'a Failure),
    /// A batch was committed.
    Committed(&'a [Outcome]),
}

/// The end of an ingest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The run's id in the store's log.
    pub run_id: i64,
    /// The totals.
    pub totals: Totals,
    /// Every failure with its reason.
    pub failures: Vec<Failure>,
}

/// Ingests a stream of documents into `store`: each report is normalized and hashed; an exact
/// duplicate (of a stored report or of one earlier in the stream) is not analyzed; a report
/// whose id is taken by another text gets `#` and its hash's first 8 digits appended; the rest
/// are analyzed by `analyze` and committed in batches of [`IngestOptions`], one transaction
/// each. A reader error, or an analyzer panic, fails that report alone.
///
/// # Errors
/// Only when the store itself fails (disk full, database locked...): what was committed so far
/// stays.
pub fn ingest<I>(
    store: &mut dyn Store,
    documents: I,
    analyze: &mut dyn FnMut(&Document) -> Vec<Event>,
    info: &RunInfo,
    opts: IngestOptions,
    observe: &mut dyn FnMut(Step<'_>, &Totals),
) -> Result<Summary, Error>
where
    I: IntoIterator<Item = Result<Document, Error>>,
{
    let run_id = store.begin_run(info)?;
    let mut p = Pipeline {
        store,
        run_id,
        opts,
        totals: Totals::default(),
        failures: Vec::new(),
        batch: Vec::new(),
        batch_failures: Vec::new(),
        batch_bytes: 0,
        batch_hashes: HashSet::new(),
        batch_ids: HashMap::new(),
    };
    for item in documents {
        match item {
            Ok(doc) => p.add(doc, analyze, observe)?,
            Err(e) => p.fail(
                Failure {
                    input: e.input().unwrap_or("input").to_string(),
                    reason: e.to_string(),
                },
                observe,
            ),
        }
        if p.batch.len() >= p.opts.batch_reports.max(1) || p.batch_bytes >= p.opts.batch_bytes {
            p.commit(observe)?;
        }
    }
    p.commit(observe)?;
    let record = p.store.finish_run(run_id)?;
    tracing::info!(
        run = run_id,
        new = record.new_docs,
        duplicates = record.duplicates,
        near_duplicates = record.near_duplicates,
        failed = record.failed,
        events = record.events,
        "ingest finished"
    );
    Ok(Summary {
        run_id,
        totals: p.totals,
        failures: p.failures,
    })
}

struct Pipeline<'s> {
    store: &'s mut dyn Store,
    run_id: i64,
    opts: IngestOptions,
    totals: Totals,
    failures: Vec<Failure>,
    batch: Vec<Report>,
    batch_failures: Vec<Failure>,
    batch_bytes: usize,
    batch_hashes: HashSet<String>,
    /// doc_id → content hash of the reports in the open batch.
    batch_ids: HashMap<String, String>,
}

impl Pipeline<'_> {
    fn fail(&mut self, f: Failure, observe: &mut dyn FnMut(Step<'_>, &Totals)) {
        tracing::warn!(input = %f.input, "{}", f.reason);
        self.totals.failed += 1;
        observe(Step::Failed(&f), &self.totals);
        self.failures.push(f.clone());
        self.batch_failures.push(f);
    }

    /// The id to store a report under: its own, unless another text has it.
    fn free_id(&self, report: &Report) -> Result<String, Error> {
        let hash = &report.document.content_hash;
        let mut id = report.document.id.clone();
        let mut n = 1;
        loop {
            let stored = self.store.hash_of_doc(&id)?;
            let batched = self.batch_ids.get(&id);
            let taken =
                stored.as_ref().is_some_and(|h| h != hash) || batched.is_some_and(|h| h != hash);
            if !taken {
                return Ok(id);
            }
            id = if n == 1 {
                format!("{}#{}", report.document.id, &hash[..8.min(hash.len())])
            } else {
                format!("{}#{}-{n}", report.document.id, &hash[..8.min(hash.len())])
            };
            n += 1;
        }
    }

    fn add(
        &mut self,
        doc: Document,
        analyze: &mut dyn FnMut(&Document) -> Vec<Event>,
        observe: &mut dyn FnMut(Step<'_>, &Totals),
    ) -> Result<(), Error> {
        let mut report = Report::new(doc);
        self.totals.read += 1;
        let hash = report.document.content_hash.clone();
        let known = self.batch_hashes.contains(&hash) || self.store.doc_with_hash(&hash)?.is_some();
        if !known {
            let id = self.free_id(&report)?;
            if id != report.document.id {
                tracing::warn!(doc_id = %report.document.id, new_id = %id, "another report has this id; stored under a new one");
                report.document.id = id;
            }
            let doc = &report.document;
            let events = match catch_unwind(AssertUnwindSafe(|| analyze(doc))) {
                Ok(events) => events,
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "panicked".into());
                    let input = doc.id.clone();
                    let err = Error::Analyzer { input, message };
                    self.fail(
                        Failure {
                            input: doc.id.clone(),
                            reason: err.to_string(),
                        },
                        observe,
                    );
                    return Ok(());
                }
            };
            report.events = Vec::with_capacity(events.len());
            for e in events {
                match rasd_store::check_event(&report.document, &e) {
                    Ok(()) => report.events.push(e),
                    Err(err) => {
                        tracing::warn!("event dropped: {err}");
                        self.totals.dropped_events += 1;
                    }
                }
            }
        }
        observe(
            Step::Read {
                doc_id: &report.document.id,
            },
            &self.totals,
        );
        self.batch_bytes += report.document.text.len();
        self.batch_hashes.insert(hash.clone());
        self.batch_ids.insert(report.document.id.clone(), hash);
        self.batch.push(report);
        Ok(())
    }

    fn commit(&mut self, observe: &mut dyn FnMut(Step<'_>, &Totals)) -> Result<(), Error> {
        if self.batch.is_empty() && self.batch_failures.is_empty() {
            return Ok(());
        }
        let reports = std::mem::take(&mut self.batch);
        let failures = std::mem::take(&mut self.batch_failures);
        self.batch_bytes = 0;
        self.batch_hashes.clear();
        self.batch_ids.clear();
        let outcomes = self.store.commit_batch(self.run_id, reports, &failures)?;
        self.totals.batches += 1;
        for o in &outcomes {
            match o {
                Outcome::New {
                    near_duplicate_of,
                    events,
                    ..
                } => {
                    self.totals.new += 1;
                    self.totals.events += *events as u64;
                    if near_duplicate_of.is_some() {
                        self.totals.near_duplicates += 1;
                    }
                }
                Outcome::Duplicate { .. } => self.totals.duplicates += 1,
                _ => {}
            }
        }
        observe(Step::Committed(&outcomes), &self.totals);
        Ok(())
    }
}
