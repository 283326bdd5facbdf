//! The ingest pipeline: documents → dedup → analyze → store, in bounded batches.
//!
//! Three stages share the work, handing batches on in reading order:
//! - a reading thread reads documents, a batch at a time, and has the worker threads prepare
//!   each report (normalized text, content hash, stems, MinHash signature);
//! - the caller's thread screens a batch against the store (exact duplicates, taken ids), hands
//!   it to the analysis stage, then commits the batch analyzed before it;
//! - the analysis stage runs the analyzer on a pool of [`IngestOptions::threads`] worker
//!   threads, the reports of one batch at once; each report's events stay in its own slot.
//!   There too each report is prepared for the store ([`PreparedReport`]: checked, and packed
//!   when the store keeps reports packed), so that the thread that writes only writes.
//!
//! So the analyzer works on batch `k` while the store writes batch `k - 1` and the reader reads
//! batch `k + 1`. Batches are committed in the order they were read, and analysing a report
//! depends on nothing but the report, so the dataset is the one a single thread would make.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rasd_arabic::Normalized;
use rasd_core::{Document, Event};
use rasd_store::{Failure, Outcome, PreparedReport, Report, RunInfo, Store};
use rayon::prelude::*;

use crate::Error;

/// The analyzer the pipeline runs on its worker threads: a report's events, from the report
/// and the normalized view of its text the pipeline made to hash it ([`Report::new_normalized`];
/// `rasd_extract::Analyzer::analyze_normalized` reads it as it is).
pub type Analyze<'a> = dyn Fn(&Document, &Normalized) -> Vec<Event> + Sync + 'a;

/// Batch sizes of the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    /// Reports per transaction (default 1024: a larger batch writes each index page it
    /// touches once for more reports).
    pub batch_reports: usize,
    /// Text bytes per transaction (default 8 MiB): large reports make smaller batches, so
    /// memory stays bounded. At most five batches are held at once (being read, waiting,
    /// being analyzed, its result waiting, being written).
    pub batch_bytes: usize,
    /// Worker threads that analyse reports (default 0: one per available core). The dataset
    /// is the same whatever the number.
    pub threads: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch_reports: 1024,
            batch_bytes: 8 << 20,
            threads: 0,
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
/// are analyzed by `analyze` (on [`IngestOptions::threads`] worker threads) and committed in
/// reading order, in batches of [`IngestOptions`], one transaction each. A reader error, or an
/// analyzer panic, fails that report alone.
///
/// # Errors
/// Only when the store itself fails (disk full, database locked...), or the worker threads
/// cannot be started: what was committed so far stays.
pub fn ingest<I>(
    store: &mut dyn Store,
    documents: I,
    analyze: &Analyze<'_>,
    info: &RunInfo,
    opts: IngestOptions,
    observe: &mut dyn FnMut(Step<'_>, &Totals),
) -> Result<Summary, Error>
where
    I: IntoIterator<Item = Result<Document, Error>>,
    I::IntoIter: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .thread_name(|i| format!("rasd-analysis-{i}"))
        .start_handler(|_| yield_to_the_writer())
        .build()
        .map_err(|e| Error::Analyzer {
            input: "ingest".into(),
            message: format!("cannot start the analysis threads: {e}"),
        })?;
    let run_id = store.begin_run(info)?;
    let pack = store.packs_reports();
    let mut p = Pipeline {
        store,
        run_id,
        totals: Totals::default(),
        failures: Vec::new(),
        uncommitted_hashes: HashSet::new(),
        uncommitted_ids: HashMap::new(),
    };
    let documents = documents.into_iter();
    std::thread::scope(|scope| -> Result<(), Error> {
        // Capacity 1 each way: one batch waits at each hand-over while the next is worked on.
        let (to_store, prepared) = sync_channel::<Batch>(1);
        let (to_analyzer, batches) = sync_channel::<Batch>(1);
        let (to_commit, analyzed) = sync_channel::<Batch>(1);
        let pool = &pool;
        let reader = scope.spawn(move || reading_thread(documents, opts, &to_store, pool));
        scope.spawn(move || analysis_thread(&batches, &to_commit, analyze, pack, pool));
        let mut in_flight = false;
        for batch in prepared {
            let batch = p.screen(batch, observe)?;
            // Hand this batch on first, so that the analyzer moves on to it while the store
            // writes the previous one.
            to_analyzer.send(batch).map_err(|_| stopped("analysis"))?;
            if std::mem::replace(&mut in_flight, true) {
                let previous = analyzed.recv().map_err(|_| stopped("analysis"))?;
                p.commit(previous, observe)?;
            }
        }
        drop(to_analyzer);
        if in_flight {
            let last = analyzed.recv().map_err(|_| stopped("analysis"))?;
            p.commit(last, observe)?;
        }
        // The reader ends its channel when the documents run out, or when it panicked: tell
        // the two apart, so that a reader bug does not pass for the end of the input.
        reader.join().map_err(|_| stopped("reading"))
    })?;
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

/// How much less the analysis threads weigh with the scheduler than the thread that writes
/// (niceness added; 5 is about a third of the weight).
pub const ANALYSIS_NICENESS: i32 = 5;

/// Lowers the calling thread's priority by [`ANALYSIS_NICENESS`] (Linux, where a niceness is
/// a thread's own).
///
/// The store writes on one thread, and it is the ingest's slowest stage: when it shares the
/// cores evenly with the analysis threads, it writes at two thirds of its speed while batches
/// wait for it, and the analysis threads then wait for it in turn. Weighed less, they take
/// what the writer leaves, and an ingest of the 45 MB corpus took 4 to 12 % less time.
/// A thread that cannot be reniced (a sandbox may refuse) keeps its priority.
fn yield_to_the_writer() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        let lowered = rustix::process::getpriority_process(Some(tid)).and_then(|nice| {
            rustix::process::setpriority_process(Some(tid), (nice + ANALYSIS_NICENESS).min(19))
        });
        if let Err(e) = lowered {
            tracing::debug!(error = %e, "the analysis thread keeps its priority");
        }
    }
}

/// Reports on their way to the store, with the failures met while reading or analyzing them.
#[derive(Default)]
struct Batch {
    /// The reports in reading order.
    reports: Vec<Slot>,
    /// Inputs that failed while this batch was read, in reading order.
    read_failures: Vec<Failure>,
    /// Events dropped as unfit to store (counted by the analysis thread).
    dropped_events: u64,
}

/// One report of a batch.
struct Slot {
    report: Form,
    /// The normalized view of its text, until it is analyzed.
    normalized: Option<Normalized>,
    /// Whether it is to be analyzed: exact duplicates are not.
    analyze: bool,
    /// Set by the analysis thread when the analyzer failed on it: it is not stored.
    failure: Option<Failure>,
}

/// A report as read, or as the analysis thread prepared it for the store.
enum Form {
    /// As read (and screened); analyzed, when it failed in the analyzer.
    Read(Report),
    /// Analyzed and prepared.
    Prepared(PreparedReport),
    /// It could not be prepared: storing it fails the batch with this error, as
    /// [`Store::commit_batch`] would have.
    Unfit(rasd_store::Error),
}

impl Form {
    /// The report, unless it could not be prepared.
    fn report(&self) -> Option<&Report> {
        match self {
            Form::Read(r) => Some(r),
            Form::Prepared(p) => Some(p.report()),
            Form::Unfit(_) => None,
        }
    }

    /// The report as read, before the analysis thread: screened and analyzed there.
    fn read_mut(&mut self) -> Option<&mut Report> {
        match self {
            Form::Read(r) => Some(r),
            _ => None,
        }
    }
}

/// Reads the documents and prepares their reports, in batches of `opts`, until the documents
/// run out or the store side stops listening. The reports of a batch are prepared on the
/// threads of `pool`.
fn reading_thread(
    documents: impl Iterator<Item = Result<Document, Error>>,
    opts: IngestOptions,
    to_store: &SyncSender<Batch>,
    pool: &rayon::ThreadPool,
) {
    let mut docs: Vec<Document> = Vec::new();
    let mut read_failures = Vec::new();
    let mut bytes = 0;
    for item in documents {
        match item {
            Ok(doc) => {
                bytes += doc.text.len();
                docs.push(doc);
            }
            Err(e) => read_failures.push(Failure {
                input: e.input().unwrap_or("input").to_string(),
                reason: e.to_string(),
            }),
        }
        if docs.len() >= opts.batch_reports.max(1) || bytes >= opts.batch_bytes {
            bytes = 0;
            let batch = prepare(
                std::mem::take(&mut docs),
                std::mem::take(&mut read_failures),
                pool,
            );
            if to_store.send(batch).is_err() {
                return;
            }
        }
    }
    if !docs.is_empty() || !read_failures.is_empty() {
        // An error here means the store side stopped; it reports why.
        let _ = to_store.send(prepare(docs, read_failures, pool));
    }
}

/// A batch of the documents' reports (normalized, hashed, signed), in their order.
fn prepare(docs: Vec<Document>, read_failures: Vec<Failure>, pool: &rayon::ThreadPool) -> Batch {
    let reports = pool.install(|| {
        docs.into_par_iter()
            .map(|doc| {
                let (report, normalized) = Report::new_normalized(doc);
                Slot {
                    report: Form::Read(report),
                    normalized: Some(normalized),
                    analyze: false,
                    failure: None,
                }
            })
            .collect()
    });
    Batch {
        reports,
        read_failures,
        dropped_events: 0,
    }
}

/// Analyzes the batches it receives, in order, until the channel closes: the reports of a
/// batch on the threads of `pool`, each into its own slot, then prepared for the store
/// (packed when `pack`).
fn analysis_thread(
    batches: &Receiver<Batch>,
    to_store: &SyncSender<Batch>,
    analyze: &Analyze<'_>,
    pack: bool,
    pool: &rayon::ThreadPool,
) {
    for mut batch in batches {
        let (reports, dropped): (Vec<Slot>, Vec<u64>) = pool.install(|| {
            std::mem::take(&mut batch.reports)
                .into_par_iter()
                .map(|slot| analyze_slot(slot, analyze, pack))
                .unzip()
        });
        batch.reports = reports;
        batch.dropped_events += dropped.iter().sum::<u64>();
        if to_store.send(batch).is_err() {
            // The store side stopped (it failed); nothing more to do.
            return;
        }
    }
}

/// A slot analyzed (when it is to be) and prepared for the store (packed when `pack`; a
/// report not analyzed, an exact duplicate, is only checked), with the events unfit to store.
/// A report the analyzer failed on is left as read, with its failure.
fn analyze_slot(mut slot: Slot, analyze: &Analyze<'_>, pack: bool) -> (Slot, u64) {
    let Form::Read(mut report) = slot.report else {
        return (slot, 0);
    };
    let mut dropped = 0;
    // Analyzed or not, the view is not needed past here.
    let normalized = slot.normalized.take();
    if slot.analyze {
        let normalized =
            normalized.unwrap_or_else(|| rasd_arabic::normalize(&report.document.text));
        match analyze_report(&mut report, &normalized, analyze) {
            Ok(n) => dropped = n,
            Err(failure) => {
                slot.failure = Some(failure);
                slot.report = Form::Read(report);
                return (slot, 0);
            }
        }
    }
    let prepared = if pack && slot.analyze {
        PreparedReport::packed(report)
    } else {
        PreparedReport::new(report)
    };
    slot.report = match prepared {
        Ok(p) => Form::Prepared(p),
        Err(e) => Form::Unfit(e),
    };
    (slot, dropped)
}

/// Sets the report's events; returns how many were unfit to store, or the failure when the
/// analyzer panicked.
fn analyze_report(
    report: &mut Report,
    normalized: &Normalized,
    analyze: &Analyze<'_>,
) -> Result<u64, Failure> {
    let doc = &report.document;
    let events = catch_unwind(AssertUnwindSafe(|| analyze(doc, normalized))).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panicked".into());
        let err = Error::Analyzer {
            input: doc.id.clone(),
            message,
        };
        Failure {
            input: doc.id.clone(),
            reason: err.to_string(),
        }
    })?;
    let mut dropped = 0;
    let mut kept = Vec::with_capacity(events.len());
    for e in events {
        match rasd_store::check_event(doc, &e) {
            Ok(()) => kept.push(e),
            Err(err) => {
                tracing::warn!("event dropped: {err}");
                dropped += 1;
            }
        }
    }
    report.events = kept;
    Ok(dropped)
}

/// A pipeline thread stopped early: it panicked outside the analyzer, which is a bug,
/// reported as a failure of the run.
fn stopped(thread: &str) -> Error {
    Error::Analyzer {
        input: "ingest".into(),
        message: format!("the {thread} thread stopped"),
    }
}

struct Pipeline<'s> {
    store: &'s mut dyn Store,
    run_id: i64,
    totals: Totals,
    failures: Vec<Failure>,
    /// Content hashes of the reports read but not yet committed.
    uncommitted_hashes: HashSet<String>,
    /// doc_id → content hash of the reports read but not yet committed.
    uncommitted_ids: HashMap<String, String>,
}

impl Pipeline<'_> {
    fn fail(&mut self, f: &Failure, observe: &mut dyn FnMut(Step<'_>, &Totals)) {
        // The observer and the summary report it; a warning here would say it twice.
        tracing::debug!(input = %f.input, "{}", f.reason);
        self.totals.failed += 1;
        observe(Step::Failed(f), &self.totals);
        self.failures.push(f.clone());
    }

    /// The id to store a report under: its own, unless another text has it.
    fn free_id(&self, report: &Report) -> Result<String, Error> {
        let hash = &report.document.content_hash;
        let mut id = report.document.id.clone();
        let mut n = 1;
        loop {
            let stored = self.store.hash_of_doc(&id)?;
            let pending = self.uncommitted_ids.get(&id);
            let taken =
                stored.as_ref().is_some_and(|h| h != hash) || pending.is_some_and(|h| h != hash);
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

    /// Marks the reports of a prepared batch that need analysis (those not stored already,
    /// nor earlier in the stream) and gives a report whose id another text has a free one.
    fn screen(
        &mut self,
        mut batch: Batch,
        observe: &mut dyn FnMut(Step<'_>, &Totals),
    ) -> Result<Batch, Error> {
        for f in &batch.read_failures {
            self.fail(f, observe);
        }
        for slot in &mut batch.reports {
            let Some(report) = slot.report.read_mut() else {
                continue;
            };
            let hash = report.document.content_hash.clone();
            let known = self.uncommitted_hashes.contains(&hash)
                || self.store.doc_with_hash(&hash)?.is_some();
            if !known {
                let id = self.free_id(report)?;
                if id != report.document.id {
                    tracing::warn!(doc_id = %report.document.id, new_id = %id, "another report has this id; stored under a new one");
                    report.document.id = id;
                }
            }
            slot.analyze = !known;
            self.uncommitted_hashes.insert(hash.clone());
            self.uncommitted_ids
                .insert(report.document.id.clone(), hash);
        }
        Ok(batch)
    }

    fn commit(
        &mut self,
        batch: Batch,
        observe: &mut dyn FnMut(Step<'_>, &Totals),
    ) -> Result<(), Error> {
        let Batch {
            reports,
            mut read_failures,
            dropped_events,
            ..
        } = batch;
        self.totals.dropped_events += dropped_events;
        let mut committed: Vec<(String, String)> = Vec::with_capacity(reports.len());
        let mut stored = Vec::with_capacity(reports.len());
        let mut forms = Vec::with_capacity(reports.len());
        for slot in reports {
            // A report that could not be prepared fails the batch before anything is written.
            if let Form::Unfit(e) = slot.report {
                return Err(e.into());
            }
            forms.push((slot.report, slot.failure));
        }
        for (form, failure) in forms {
            self.totals.read += 1;
            if let Some(report) = form.report() {
                let doc = &report.document;
                committed.push((doc.id.clone(), doc.content_hash.clone()));
            }
            if let Some(f) = failure {
                self.fail(&f, observe);
                read_failures.push(f);
                continue;
            }
            let prepared = match form {
                Form::Prepared(p) => p,
                Form::Read(r) => PreparedReport::new(r)?,
                Form::Unfit(e) => return Err(e.into()),
            };
            observe(
                Step::Read {
                    doc_id: &prepared.report().document.id,
                },
                &self.totals,
            );
            stored.push(prepared);
        }
        let outcomes = self
            .store
            .commit_prepared(self.run_id, stored, &read_failures)?;
        // The store knows these now (or, for a report the analyzer failed on, never will);
        // reports read since with the same hash or id were already judged against them.
        for (id, hash) in committed {
            if self.uncommitted_ids.get(&id) == Some(&hash) {
                self.uncommitted_ids.remove(&id);
            }
            self.uncommitted_hashes.remove(&hash);
        }
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
