//! The dataset store: reports, their events and evidence, near-duplicate stories, merged
//! dataset events and a run log, behind one [`Store`] trait.
//!
//! - [`Report`]: a [`Document`] made ready to store (normalized text, content hash, MinHash
//!   [`Signature`]) with the events the analyzer found in it.
//! - [`Store::commit_batch`] writes a batch of reports in **one transaction**: exact duplicates
//!   are dropped, near duplicates linked into one story, each event merged into the dataset
//!   (see `rasd_resolve`'s merging rule), and the run's checkpoint advanced. A crash leaves the
//!   batch wholly written or wholly absent. [`Store::commit_prepared`] does the same with
//!   [`PreparedReport`]s, which an ingest makes (and packs, for SQLite) on its worker threads.
//! - [`Store::events`] streams the dataset in order of date, then `event_id`, filtered by an
//!   [`EventFilter`]; [`Store::search`] finds reports through the full-text index over the
//!   normalized Arabic, so «درعا» finds any spelling the normalizer folds.
//! - [`Store::recode_batch`] codes stored reports again (`rasd reanalyze`): their events are
//!   replaced by what the current analyzer finds, merged again, and the run that coded them is
//!   recorded ([`Store::coding`]); [`Store::report_ids`] selects reports by a [`ReportFilter`].
//! - Reviewers' corrections ([`Store::review`]: confirm, reject, edit, merge, split) are kept apart
//!   from the analyzer's coding and laid over it when events are read, so they survive
//!   re-ingest and re-analysis; each is logged with the event before and after
//!   ([`Store::history`]). API tokens are stored as hashes ([`Store::add_token`]).
//! - [`SqliteStore`] is the embedded backend (one file, WAL, FTS5, versioned migrations in
//!   `crates/store/migrations/`). [`PgStore`] is the shared one (PostgreSQL, migrations in
//!   `crates/store/migrations-pg/`), which many processes write at once; it also keeps a queue
//!   of reports for workers ([`PgStore::enqueue`], [`PgStore::work_batch`]). [`conformance`]
//!   holds the backend-independent test suite that both pass.
//!
//! ```
//! use rasd_core::Document;
//! use rasd_store::{EventFilter, Report, RunInfo, SqliteStore, Store};
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let run = store.begin_run(&RunInfo::new(["example"])).unwrap();
//! let report = Report::new(Document::new("r1", "تظاهر أهالي بلدة جاسم في ريف درعا"));
//! store.commit_batch(run, vec![report], &[]).unwrap();
//! let hits = store.search("درعا", 10).unwrap();
//! assert_eq!(hits[0].doc_id, "r1");
//! assert_eq!(store.events(&EventFilter::default()).unwrap().count(), 0);
//! ```
#![deny(missing_docs)]

pub mod conformance;
mod filter;
mod packed;
mod page;
mod pg;
mod review;
mod snippet;
mod sqlite;
mod terms;

use rasd_core::{Document, Event};
use rasd_resolve::Signature;

pub use filter::{day_range, BoundingBox, Cursor, EventFilter, SYRIA_ISO};
pub use page::{EventsPage, Grid, GridCount, MonthCount};
pub use pg::{is_postgres_url, redact_url, test_server, PgStore, Worked, PG_SCHEMA_VERSION};
pub use review::{AuditEntry, Review, ReviewAction, ReviewChoice};
pub use snippet::{snippet, Snippet};
pub use sqlite::{check_event, SqliteStore, SCHEMA_VERSION};

use sqlite::check_report;
pub use terms::search_terms;

/// The default database file, in the current directory (the CLI's `RASD_DB` overrides it).
pub const DEFAULT_DB: &str = "rasd.db";

/// Errors of the store. Messages name the database file, document or event concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database cannot be opened or set up.
    #[error("{path}: cannot open the database: {source}")]
    Open {
        /// The database file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was written by a newer rasd.
    #[error(
        "{path}: schema version {found} is newer than this rasd knows ({known}); upgrade rasd"
    )]
    NewerSchema {
        /// The database file.
        path: String,
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A statement failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server cannot be reached, or the database cannot be set up.
    #[error("{url}: cannot open the database: {source}")]
    Connect {
        /// The connection URL, without its password.
        url: String,
        /// What PostgreSQL said.
        source: postgres::Error,
    },
    /// A PostgreSQL statement failed.
    #[error("database error: {0}")]
    Postgres(#[from] postgres::Error),
    /// A stored record cannot be read back.
    #[error("stored record {id} cannot be read: {message}")]
    Corrupt {
        /// The record's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A report's id is already used by a report with another text.
    #[error("document {doc_id}: the id is already taken by a different text")]
    DocIdTaken {
        /// The id.
        doc_id: String,
    },
    /// An event of a report names another report, or its id is used by another event.
    #[error("document {doc_id}: event {event_id}: {message}")]
    BadEvent {
        /// The report.
        doc_id: String,
        /// The event.
        event_id: String,
        /// What is wrong.
        message: String,
    },
    /// A review that cannot be made (an unknown event, a field that does not fit).
    #[error("event {event_id}: {message}")]
    Review {
        /// The event.
        event_id: String,
        /// What is wrong.
        message: String,
    },
    /// A value cannot be compressed for storage.
    #[error("{id}: cannot compress for storage: {message}")]
    Compress {
        /// The report or event.
        id: String,
        /// What zstd said.
        message: String,
    },
    /// A query or filter that cannot be run.
    #[error("bad query «{query}»: {message}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong.
        message: String,
    },
}

/// A report ready to store: the document with its content hash set from the normalized text,
/// the terms full-text search finds it by, its MinHash signature, and its events. Building one is the CPU work of storing a report, so that it can be done on another
/// thread than the one writing to the store.
#[derive(Clone, Debug)]
pub struct Report {
    /// The document; `content_hash` is the hash of `normalized`.
    pub document: Document,
    /// The terms full-text search finds the report by, space-separated: [`search_terms`] of
    /// its normalized title and text.
    pub terms: String,
    /// MinHash signature of `normalized`.
    pub signature: Signature,
    /// The events the analyzer found in this report (all modalities).
    pub events: Vec<Event>,
}

/// A signature's LSH band keys as both backends store them: the low
/// [`sqlite::BAND_KEY_MASK`] bits.
pub(crate) fn stored_bands(signature: &Signature) -> Vec<i64> {
    signature
        .bands()
        .into_iter()
        .map(|k| k & sqlite::BAND_KEY_MASK)
        .collect()
}

/// The MinHash signature of a report's original text and its stored band keys
/// ([`stored_bands`]): for the migrations that sign stored reports again.
pub(crate) fn signature_and_bands(text: &str) -> (Signature, Vec<i64>) {
    let signature = Signature::of_normalized(rasd_arabic::normalize(text).as_str());
    let bands = stored_bands(&signature);
    (signature, bands)
}

/// The search terms of a stored report's original title and text, as [`Report::new`] makes
/// them: for the migrations that index stored reports again.
pub(crate) fn stored_report_terms(title: Option<&str>, text: &str) -> String {
    let title = title.map(rasd_arabic::normalize);
    search_terms(
        title.as_ref().map(|t| t.as_str()),
        rasd_arabic::normalize(text).as_str(),
    )
}

impl Report {
    /// Normalizes the document's text, sets its content hash, signature and search terms; no
    /// events yet.
    pub fn new(document: Document) -> Report {
        Report::new_normalized(document).0
    }

    /// [`Report::new`], with the normalized view of the text it was made from
    /// ([`rasd_arabic::normalize`]), for an analysis that reads it instead of normalizing the
    /// text again.
    pub fn new_normalized(mut document: Document) -> (Report, rasd_arabic::Normalized) {
        let view = rasd_arabic::normalize(&document.text);
        let normalized = view.as_str();
        document.content_hash = rasd_core::content_hash(normalized);
        // The words are read once, for the signature and the search terms.
        let words: Vec<&str> = rasd_resolve::words(normalized).collect();
        let signature = Signature::of_words(&words);
        let title = document.title.as_deref().map(rasd_arabic::normalize);
        let terms = terms::terms_of_words(title.as_ref().map(|t| t.as_str()), &words);
        let report = Report {
            document,
            terms,
            signature,
            events: Vec::new(),
        };
        (report, view)
    }

    /// Sets the events.
    pub fn with_events(mut self, events: Vec<Event>) -> Report {
        self.events = events;
        self
    }
}

/// A report checked and made ready to write: its events in stored form (one per id, the
/// report's outlet among their sources, evidence in text order), and, when made with
/// [`PreparedReport::packed`], the bytes the SQLite store keeps: the text and each event's
/// JSON body, zstd-compressed. Packing is most of the CPU a store spends on a report outside
/// the database, so an ingest does it on its worker threads rather than on the thread that
/// writes ([`Store::commit_prepared`]). Its parts cannot be changed once made, so the bytes
/// always match the report.
#[derive(Clone, Debug)]
pub struct PreparedReport {
    report: Report,
    /// The stored bytes, when packed.
    packed: Option<packed::PackedReport>,
}

impl PreparedReport {
    /// Checks the report ([`Report::check`]) and puts its events in stored form.
    ///
    /// # Errors
    /// [`Error::BadEvent`] for an event that does not belong to the report.
    pub fn new(mut report: Report) -> Result<PreparedReport, Error> {
        check_report(&report)?;
        report.events =
            sqlite::prepare_events(&report.document, std::mem::take(&mut report.events));
        Ok(PreparedReport {
            report,
            packed: None,
        })
    }

    /// As [`PreparedReport::new`], and compresses the report's text and its events' JSON
    /// bodies as the SQLite store keeps them.
    ///
    /// # Errors
    /// [`Error::BadEvent`] for an event that does not belong to the report, or
    /// [`Error::Compress`].
    pub fn packed(report: Report) -> Result<PreparedReport, Error> {
        let mut prepared = PreparedReport::new(report)?;
        prepared.packed = Some(packed::PackedReport::new(&prepared.report)?);
        Ok(prepared)
    }

    /// The report, its events in stored form.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Whether the stored bytes are made ([`PreparedReport::packed`]).
    pub fn is_packed(&self) -> bool {
        self.packed.is_some()
    }

    /// The report, its events in stored form (storing it with [`Store::commit_batch`] stores
    /// the same rows).
    pub fn into_report(self) -> Report {
        self.report
    }
}

/// What one run records: which rasd and data, on which inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInfo {
    /// The rasd version.
    pub rasd_version: String,
    /// `rasd_core::DataFiles::fingerprint` of the data used.
    pub data_fingerprint: String,
    /// The inputs as given on the command line.
    pub inputs: Vec<String>,
}

impl RunInfo {
    /// A run of this rasd version on built-in data.
    pub fn new<I, S>(inputs: I) -> RunInfo
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        RunInfo {
            rasd_version: env!("CARGO_PKG_VERSION").to_string(),
            data_fingerprint: rasd_core::DataFiles::new().fingerprint(),
            inputs: inputs.into_iter().map(Into::into).collect(),
        }
    }
}

/// An input that could not be read or analyzed, for the run log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The input (path, `path:line`, or feed item).
    pub input: String,
    /// Why.
    pub reason: String,
}

/// What [`Store::commit_batch`] did with one report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Stored.
    New {
        /// The report's id.
        doc_id: String,
        /// The most similar stored report of the same story, when it is a near duplicate.
        near_duplicate_of: Option<String>,
        /// How many events were stored.
        events: usize,
    },
    /// Not stored: the same normalized text is stored already.
    Duplicate {
        /// The report's id.
        doc_id: String,
        /// The stored report with the same text.
        of: String,
    },
}

/// A stored report.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDocument {
    /// The document as read.
    pub document: Document,
    /// Its near-duplicate story (the smallest doc_id in it).
    pub story_id: String,
    /// The run that stored it.
    pub run_id: i64,
}

/// Which rasd and which data files coded a report's events: the run that last analyzed it
/// (the ingest that stored it, or a later re-analysis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coding {
    /// The run.
    pub run_id: i64,
    /// Its rasd version.
    pub rasd_version: String,
    /// Its data fingerprint (`rasd_core::DataFiles::fingerprint`).
    pub data_fingerprint: String,
}

/// Which stored reports [`Store::report_ids`] returns; every field set must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only these reports (all when empty).
    pub doc_ids: Vec<String>,
    /// Only reports published on or after this day.
    pub published_from: Option<chrono::NaiveDate>,
    /// Only reports published on or before this day.
    pub published_to: Option<chrono::NaiveDate>,
    /// Only reports matching this full-text query.
    pub text: Option<String>,
    /// Only reports whose events were coded by another rasd version or other data than this.
    pub not_coded_by: Option<Coding>,
}

/// What [`Store::recode_batch`] did with one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recoded {
    /// The report.
    pub doc_id: String,
    /// Its events before.
    pub before: usize,
    /// Its events now.
    pub after: usize,
    /// Whether its events changed (when not, nothing but the coding run was written).
    pub changed: bool,
}

/// A dataset event with what stands behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetEvent {
    /// The merged event.
    pub event: Event,
    /// Distinct reports supporting it.
    pub corroboration: usize,
    /// The report events merged into it, lead first.
    pub members: Vec<String>,
}

/// One report found by [`Store::search`].
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// The report.
    pub doc_id: String,
    /// Its headline.
    pub title: Option<String>,
    /// A piece of the original text around the first match, matches marked.
    pub snippet: Snippet,
}

/// A run as the log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRecord {
    /// Its id.
    pub run_id: i64,
    /// When it started (RFC 3339, UTC).
    pub started_at: String,
    /// When it finished; `None` for a run that crashed or is going on.
    pub finished_at: Option<String>,
    /// The rasd version.
    pub rasd_version: String,
    /// The data fingerprint.
    pub data_fingerprint: String,
    /// The inputs.
    pub inputs: Vec<String>,
    /// Reports stored.
    pub new_docs: u64,
    /// Exact duplicates dropped.
    pub duplicates: u64,
    /// Near duplicates linked.
    pub near_duplicates: u64,
    /// Inputs that failed.
    pub failed: u64,
    /// Report events stored.
    pub events: u64,
    /// Batches committed.
    pub batches: u64,
    /// The failures, with reasons.
    pub failures: Vec<Failure>,
}

/// How much the store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Reports.
    pub documents: u64,
    /// Near-duplicate stories (a report alone is a story of one).
    pub stories: u64,
    /// Events of single reports.
    pub report_events: u64,
    /// Evidence spans of report events.
    pub evidence: u64,
    /// Merged dataset events (all modalities).
    pub dataset_events: u64,
    /// Runs.
    pub runs: u64,
}

/// What an API token lets its bearer do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Reviews events: confirms, rejects, corrects, merges.
    Reviewer,
    /// Everything a reviewer does, and more to come (managing tokens).
    Admin,
}

impl Role {
    /// `reviewer` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// The role named `reviewer` or `admin`.
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A stored API token: its name, role and hash (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    /// Who holds it (recorded in the audit log).
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The SHA-256 of the token, in hex.
    pub hash: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
}

/// Where reports and the dataset live. One backend per database kind; every backend passes
/// the [`conformance`] suite.
///
/// Reports are written by [`Store::commit_batch`] (or [`Store::commit_prepared`], the same
/// with [`PreparedReport`]s), one transaction per call: documents, events,
/// evidence, story links, merges and the run checkpoint together.
pub trait Store {
    /// Starts a run in the log.
    ///
    /// # Errors
    /// When the database cannot be written.
    fn begin_run(&mut self, info: &RunInfo) -> Result<i64, Error>;

    /// Stores a batch of reports and the failures met while reading them, in one transaction.
    ///
    /// Returns what happened to each report, in order. Ingesting a report twice stores it once.
    ///
    /// # Errors
    /// A database error, a report whose id is taken by another text ([`Error::DocIdTaken`]) or
    /// an event that does not belong to its report ([`Error::BadEvent`]): nothing of the batch
    /// is stored then.
    fn commit_batch(
        &mut self,
        run_id: i64,
        reports: Vec<Report>,
        failures: &[Failure],
    ) -> Result<Vec<Outcome>, Error>;

    /// Whether this store keeps reports packed: then reports made with
    /// [`PreparedReport::packed`] (on any thread) spare [`Store::commit_prepared`] that work.
    /// By default, no.
    fn packs_reports(&self) -> bool {
        false
    }

    /// Stores a batch of prepared reports, as [`Store::commit_batch`] stores the same reports:
    /// the same rows, outcomes and errors (the reports are checked already). The default
    /// implementation passes them to [`Store::commit_batch`].
    ///
    /// # Errors
    /// As [`Store::commit_batch`].
    fn commit_prepared(
        &mut self,
        run_id: i64,
        reports: Vec<PreparedReport>,
        failures: &[Failure],
    ) -> Result<Vec<Outcome>, Error> {
        let reports = reports
            .into_iter()
            .map(PreparedReport::into_report)
            .collect();
        self.commit_batch(run_id, reports, failures)
    }

    /// The ids of the stored reports `filter` selects, in the order they were stored.
    ///
    /// # Errors
    /// A bad full-text query, or a database error.
    fn report_ids(&self, filter: &ReportFilter) -> Result<Vec<String>, Error>;

    /// Codes stored reports again, in one transaction: each report's events are replaced by
    /// the given ones (found by the current analyzer in its stored text), the dataset events
    /// they were merged into are merged again, and `run_id` is recorded as the run that coded
    /// the report. A report whose events are unchanged keeps them untouched, so coding again
    /// with the same analyzer changes no event. Only the analyzer's output is rewritten:
    /// reports, stories and the full-text index stay as they are.
    ///
    /// # Errors
    /// A report that is not stored with this id and text ([`Error::Query`]), an event that
    /// does not belong to its report ([`Error::BadEvent`]), or a database error: nothing of
    /// the batch is written then.
    fn recode_batch(
        &mut self,
        run_id: i64,
        reports: Vec<(Document, Vec<Event>)>,
    ) -> Result<Vec<Recoded>, Error>;

    /// Which run (rasd version and data) coded a stored report's events.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn coding(&self, doc_id: &str) -> Result<Option<Coding>, Error>;

    /// Marks a run finished and returns its record.
    ///
    /// # Errors
    /// When the run does not exist or the database cannot be written.
    fn finish_run(&mut self, run_id: i64) -> Result<RunRecord, Error>;

    /// The id of the stored report with this content hash, if any.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn doc_with_hash(&self, content_hash: &str) -> Result<Option<String>, Error>;

    /// The content hash of the stored report with this id, if any.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn hash_of_doc(&self, doc_id: &str) -> Result<Option<String>, Error>;

    /// A stored report.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn document(&self, doc_id: &str) -> Result<Option<StoredDocument>, Error>;

    /// The reports of the story `doc_id` belongs to, sorted; empty for an unknown report.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn story(&self, doc_id: &str) -> Result<Vec<String>, Error>;

    /// The events found in one report, with their evidence, sorted by `event_id`.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn report_events(&self, doc_id: &str) -> Result<Vec<Event>, Error>;

    /// The dataset events matching `filter`, streamed, ordered by date (undated last) then
    /// `event_id`.
    ///
    /// # Errors
    /// A filter that cannot be run (say a bad `text` query); read errors come through the
    /// iterator.
    fn events<'a>(
        &'a self,
        filter: &EventFilter,
    ) -> Result<Box<dyn Iterator<Item = Result<Event, Error>> + 'a>, Error>;

    /// One page of [`Store::events`] from `filter.after` on: at most `limit` events as the
    /// contract's JSON, and the cursor after the last when more follow. Each filter is served
    /// by an index in the stream's order, so a page reads about its own events.
    ///
    /// # Errors
    /// A filter that cannot be run, or a database error.
    fn events_page(&self, filter: &EventFilter, limit: usize) -> Result<EventsPage, Error>;

    /// The events `filter` selects, counted per month and event type (undated events left
    /// out), in SQL from an index.
    ///
    /// # Errors
    /// A filter that cannot be run, or a database error.
    fn monthly(&self, filter: &EventFilter) -> Result<Vec<MonthCount>, Error>;

    /// The events `filter` selects, counted on a grid of cells of `size` degrees (0.001 to
    /// 10) per event type, in SQL from an index.
    ///
    /// # Errors
    /// A bad cell size or filter ([`Error::Query`]), or a database error.
    fn grid(&self, filter: &EventFilter, size: f64) -> Result<Grid, Error>;

    /// One dataset event by its id, or by the id of a report event merged into it.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn event(&self, event_id: &str) -> Result<Option<DatasetEvent>, Error>;

    /// Reports matching a full-text query (words, all required; normalized like the reports,
    /// and found with their proclitics too: «درعا» finds «بدرعا»), newest first (by
    /// publication; undated reports last), then by id.
    ///
    /// # Errors
    /// An empty query, or a database error.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, Error>;

    /// How much is stored.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn counts(&self) -> Result<Counts, Error>;

    /// The run log, oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn runs(&self) -> Result<Vec<RunRecord>, Error>;

    /// Reviews a dataset event (named by its id or a member's) in one transaction: the action
    /// is applied to the event's review state and logged with the event before and after.
    /// Returns the event as read afterwards; for a split, the new event (both events log the
    /// split, with the event before it).
    ///
    /// # Errors
    /// [`Error::Review`] for an unknown event (or merge target) or corrected fields that do
    /// not fit the contract; a database error. Nothing is written then.
    fn review(&mut self, review: &Review) -> Result<DatasetEvent, Error>;

    /// The audit log of a dataset event (named by its id or a member's), oldest first.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn history(&self, event_id: &str) -> Result<Vec<AuditEntry>, Error>;

    /// Stores an API token's hash under a new name.
    ///
    /// # Errors
    /// [`Error::Query`] when the name is taken; a database error.
    fn add_token(&mut self, name: &str, role: Role, hash: &str) -> Result<(), Error>;

    /// Every stored token.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn tokens(&self) -> Result<Vec<TokenRecord>, Error>;

    /// Checks the store's own invariants (and the database file's); returns the problems found,
    /// empty when all is well: every event has its report and evidence, every report event is
    /// in exactly one dataset event, every dataset event has members, the index matches.
    ///
    /// # Errors
    /// When the database cannot be read.
    fn check_integrity(&self) -> Result<Vec<String>, Error>;
}
