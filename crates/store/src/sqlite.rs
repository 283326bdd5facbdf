//! The embedded backend: one SQLite file in WAL mode, FTS5 over the normalized text.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use rasd_core::{Document, Event, Published, SourceRef};
use rasd_resolve::{MergeConfig, Merged, NearDuplicates, Signature, MAX_WINDOW_DAYS};
use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};

use crate::filter::{actor_needle, actors_key, SYRIA_ISO};
use crate::packed::{pack, pack_event, unpack};
use crate::page::{
    month_of, BoxPart, CellShare, EventsPage, Grid, GridCounts, MonthCount, MonthCounts,
};
use crate::review::{Overlay, ReviewState};
use crate::{
    AuditEntry, Coding, Counts, DatasetEvent, Error, EventFilter, Failure, Outcome, PreparedReport,
    Recoded, Report, ReportFilter, Review, ReviewAction, Role, RunInfo, RunRecord, SearchHit,
    Store, StoredDocument, TokenRecord,
};

/// One schema migration: its SQL, then, when it rewrites stored values in a way SQL cannot
/// (compressing them, cutting words as rasd does), a step in Rust; both in one transaction.
struct Migration {
    sql: &'static str,
    rewrite: Option<Rewrite>,
}

/// A migration's step in Rust, given the open transaction.
type Rewrite = fn(&Connection) -> Result<(), Error>;

impl Migration {
    const fn sql(sql: &'static str) -> Migration {
        Migration { sql, rewrite: None }
    }
}

/// The schema migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration::sql(include_str!("../migrations/0001_initial.sql")),
    Migration::sql(include_str!("../migrations/0002_narrow_windows.sql")),
    Migration::sql(include_str!("../migrations/0003_compact.sql")),
    Migration::sql(include_str!("../migrations/0004_coded_run.sql")),
    Migration::sql(include_str!("../migrations/0005_reviews.sql")),
    Migration::sql(include_str!("../migrations/0006_governorate_order.sql")),
    Migration::sql(include_str!("../migrations/0007_encoding.sql")),
    Migration::sql(include_str!("../migrations/0008_review_splits.sql")),
    Migration::sql(include_str!("../migrations/0009_pages_and_aggregates.sql")),
    Migration::sql(include_str!("../migrations/0010_box_points.sql")),
    Migration {
        sql: include_str!("../migrations/0011_packed_text_and_terms.sql"),
        rewrite: Some(pack_and_index_stored_values),
    },
    Migration::sql(include_str!("../migrations/0012_box_default_filter.sql")),
    Migration::sql(include_str!("../migrations/0013_fts_hash_size.sql")),
    Migration {
        sql: include_str!("../migrations/0014_one_permutation_signatures.sql"),
        rewrite: Some(sign_stored_reports_again),
    },
    Migration {
        sql: include_str!("../migrations/0015_word_terms.sql"),
        rewrite: Some(index_stored_reports_again),
    },
];

/// Report events whose date window is shorter than this many days (day- and week-precise) are
/// indexed apart from the longer (month-precise) ones; see migration 0002.
const NARROW_DAYS: i64 = 7;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Candidate reports examined per LSH band key; a key shared by more reports is boilerplate.
pub(crate) const MAX_BAND_CANDIDATES: usize = 64;

/// Candidate reports whose signatures are compared, those sharing the most bands first. A
/// report near-duplicating more reports than this is linked to the story through them.
pub(crate) const MAX_VERIFIED: usize = 16;

/// The most report events one merge component may hold. Compatibility chains (a town 4 km
/// from the next, day after day) could otherwise grow a component without bound, and each new
/// event re-clusters its whole component. A new event that would join components holding more
/// stays on its own, with a warning; only then does the order of reports matter.
pub const MAX_COMPONENT: i64 = 512;

/// SQLite's page cache, in MiB. Merging and near-duplicate checks read pages all over the
/// candidate indexes; a cache that holds them keeps an ingest from re-reading them from the file
/// at every batch. It bounds the store's memory: peak RSS stays near this plus a few batches.
const CACHE_MIB: i64 = 128;

/// The report whose text has this content hash, found through the index on the hash's first
/// 16 digits. (With the whole hash in the same WHERE clause, SQLite folds it into the indexed
/// expression and scans the table instead; so the rest is compared here.)
fn doc_with_hash(conn: &Connection, content_hash: &str) -> Result<Option<String>, Error> {
    let prefix: String = content_hash.chars().take(16).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT doc_id, content_hash FROM documents WHERE substr(content_hash, 1, 16) = ?",
    )?;
    let mut rows = stmt.query([prefix])?;
    while let Some(row) = rows.next()? {
        if row.get_ref(1)?.as_str().is_ok_and(|h| h == content_hash) {
            return Ok(Some(row.get(0)?));
        }
    }
    Ok(None)
}

/// Band rows gathered in `doc_bands_recent` before they are moved into `doc_bands` (about
/// 13,000 reports' worth): each page of `doc_bands` is then rewritten once per move rather
/// than once per batch.
const RECENT_BAND_ROWS: i64 = 1 << 18;

/// Band keys keep this many low bits, so that they fit SQLite's 4-byte integers.
pub(crate) const BAND_KEY_MASK: i64 = 0x7fff_ffff;

/// Dataset events fetched per page while streaming.
pub(crate) const PAGE: usize = 256;

/// The SQLite [`Store`]: one file (plus its `-wal` and `-shm` companions while open).
///
/// Opened in WAL mode with `synchronous = NORMAL`: a killed process never loses a committed
/// batch, and readers (the web page, an export) do not block the ingest.
pub struct SqliteStore {
    conn: Connection,
    path: String,
    merge: MergeConfig,
    near: NearDuplicates,
    /// [`RECENT_BAND_ROWS`], smaller in tests.
    recent_band_rows: i64,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    ///
    /// # Errors
    /// [`Error::Open`] when the file cannot be opened or is not a database,
    /// [`Error::NewerSchema`] when a newer rasd wrote it.
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| Error::Open {
            path: name.clone(),
            source,
        })?;
        SqliteStore::setup(conn, name)
    }

    /// A private database in memory, for tests and one-off runs.
    ///
    /// # Errors
    /// When SQLite cannot set it up.
    pub fn open_in_memory() -> Result<SqliteStore, Error> {
        let conn = Connection::open_in_memory().map_err(|source| Error::Open {
            path: ":memory:".into(),
            source,
        })?;
        SqliteStore::setup(conn, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: String) -> Result<SqliteStore, Error> {
        let open_err = |source| Error::Open {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        // Merging prepares one statement per number of components joined; keep them all.
        conn.set_prepared_statement_cache_capacity(64);
        // One plan per statement, whatever its arguments. Otherwise SQLite plans a statement
        // again whenever an argument its statistics looked at is bound anew, and the statement
        // cache clears a statement's arguments each time it takes it back: every page of a
        // filter or a box's part was parsed and planned again (a box's page eight times).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(open_err)?;
        // Checkpoint the log every 64 MiB rather than every 4 MiB: a batch writes a few MiB,
        // and checkpointing after nearly every batch copied the same index pages again and again.
        conn.pragma_update(None, "wal_autocheckpoint", 16384)
            .map_err(open_err)?;
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        // Foreign keys are turned on after the migrations: a migration that rebuilds a table
        // drops the old one while others still refer to it, then checks the references.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;",
        )
        .map_err(open_err)?;
        conn.pragma_update(None, "cache_size", -(CACHE_MIB * 1024))
            .map_err(open_err)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path,
                found,
                known: SCHEMA_VERSION,
            });
        }
        let mut rewritten = false;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            let tx = conn.transaction().map_err(open_err)?;
            tx.execute_batch(migration.sql).map_err(open_err)?;
            if let Some(rewrite) = migration.rewrite {
                rewrite(&tx)?;
            }
            let broken: Option<String> = tx
                .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                .optional()
                .map_err(open_err)?;
            if let Some(table) = broken {
                return Err(Error::Corrupt {
                    id: path,
                    message: format!(
                        "migration to schema version {} left rows of {table} without their parent",
                        i + 1
                    ),
                });
            }
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(open_err)?;
            tx.commit().map_err(open_err)?;
            tracing::info!(path = %path, version = i + 1, "migrated the database schema");
            rewritten |= migration.rewrite.is_some();
        }
        if rewritten {
            // The rewritten values left most of the old pages free: give them back.
            tracing::info!(path = %path, "compacting the database file");
            conn.execute_batch("VACUUM").map_err(open_err)?;
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        // The query planner picks the list's indexes by their statistics: gather them (from a
        // sample of each index) where they are missing or stale, as SQLite advises at open.
        // A file opened read-only, or locked by a writer, keeps the ones it has.
        if let Err(e) =
            conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
        {
            tracing::debug!(path = %path, error = %e, "the planner's statistics are not refreshed");
        }
        Ok(SqliteStore {
            conn,
            path,
            merge: MergeConfig::default(),
            near: NearDuplicates::default(),
            recent_band_rows: RECENT_BAND_ROWS,
        })
    }

    /// Uses other merge thresholds for the events stored from now on.
    pub fn with_merge_config(mut self, merge: MergeConfig) -> SqliteStore {
        self.merge = merge;
        self
    }

    /// Uses another near-duplicate threshold for the reports stored from now on.
    pub fn with_near_duplicates(mut self, near: NearDuplicates) -> SqliteStore {
        self.near = near;
        self
    }

    /// The database file's path (`:memory:` for a private one).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn schema_version(&self) -> Result<i64, Error> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn corrupt(id: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt {
        id: id.to_string(),
        message: e.to_string(),
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The FTS5 query for a user's words: each word required, as any of its terms
/// ([`crate::terms::query_terms`]), each quoted.
fn fts_query(query: &str) -> Result<String, Error> {
    let words: Vec<String> = crate::terms::query_terms(query)?
        .iter()
        .map(|any| {
            let quoted: Vec<String> = any.iter().map(|t| format!("\"{t}\"")).collect();
            format!("({})", quoted.join(" OR "))
        })
        .collect();
    Ok(words.join(" AND "))
}

/// A stored report as the migrations that rewrite what derives from its text read it: row id,
/// doc id, title, and the text as stored (plain before schema 11, packed since).
struct StoredRow {
    id: i64,
    doc_id: String,
    title: Option<String>,
    text: Vec<u8>,
}

/// Calls `each` with the stored reports, 256 at a time, in id order.
fn for_each_stored_page(
    conn: &Connection,
    mut each: impl FnMut(Vec<StoredRow>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut after = 0i64;
    loop {
        let rows: Vec<StoredRow> = conn
            .prepare_cached(
                "SELECT id, doc_id, title, text FROM documents WHERE id > ? ORDER BY id LIMIT 256",
            )?
            .query_map([after], |r| {
                Ok(StoredRow {
                    id: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    // Text before schema 11, a blob since.
                    text: r.get_ref(3)?.as_bytes()?.to_vec(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id;
        each(rows)?;
    }
}

/// Schema 11's rewrite of a store made before it: every report's text and every event body
/// compressed ([`crate::packed`]), and the full-text index (emptied by the migration's SQL)
/// filled with each report's terms, as [`Report::new`] computes them now.
fn pack_and_index_stored_values(conn: &Connection) -> Result<(), Error> {
    for_each_stored_page(conn, |rows| {
        let mut text_rows = Vec::with_capacity(rows.len());
        for row in rows {
            let text = String::from_utf8(row.text).map_err(|e| corrupt(&row.doc_id, e))?;
            let normalized = rasd_arabic::normalize(&text);
            let title = row.title.as_deref().map(rasd_arabic::normalize);
            let terms =
                crate::search_terms(title.as_ref().map(|t| t.as_str()), normalized.as_str());
            conn.prepare_cached("UPDATE documents SET text = ? WHERE id = ?")?
                .execute(params![pack(&row.doc_id, &text)?, row.id])?;
            text_rows.push(TextRow {
                rowid: row.id,
                terms,
            });
        }
        index_texts(conn, &text_rows)
    })?;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String, String)> = conn
            .prepare_cached(
                "SELECT rowid, CAST(id AS TEXT), body FROM report_event_bodies
                 WHERE rowid > ? ORDER BY rowid LIMIT 1024",
            )?
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.0;
        let mut update =
            conn.prepare_cached("UPDATE report_event_bodies SET body = ? WHERE rowid = ?")?;
        for (rowid, id, body) in rows {
            update.execute(params![pack(&id, &body)?, rowid])?;
        }
    }
    // The dataset's bodies stay unpacked, as bytes like every stored value: pages read a
    // hundred of them at a time (see `packed::unpack`).
    conn.execute(
        "UPDATE dataset_events SET body = CAST(body AS BLOB) WHERE typeof(body) = 'text'",
        [],
    )?;
    Ok(())
}

/// Migration 14: signs every stored report again, from its text, with the current MinHash
/// scheme, and writes its band rows into `doc_bands` (emptied by the migration's SQL).
fn sign_stored_reports_again(conn: &Connection) -> Result<(), Error> {
    for_each_stored_page(conn, |rows| {
        for row in rows {
            let text = unpack(&row.doc_id, &row.text)?;
            let (signature, bands) = crate::signature_and_bands(&text);
            conn.prepare_cached("UPDATE doc_signatures SET signature = ? WHERE doc = ?")?
                .execute(params![signature.to_bytes(), row.id])?;
            let mut insert = conn
                .prepare_cached("INSERT OR IGNORE INTO doc_bands (band_key, doc) VALUES (?, ?)")?;
            for band in bands {
                insert.execute(params![band, row.id])?;
            }
        }
        Ok(())
    })
}

/// Migration 15: fills the full-text index (emptied by the migration's SQL) again with each
/// stored report's terms, as [`crate::search_terms`] computes them now.
fn index_stored_reports_again(conn: &Connection) -> Result<(), Error> {
    for_each_stored_page(conn, |rows| {
        let text_rows = rows
            .into_iter()
            .map(|row| {
                let text = unpack(&row.doc_id, &row.text)?;
                let terms = crate::stored_report_terms(row.title.as_deref(), &text);
                Ok(TextRow {
                    rowid: row.id,
                    terms,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        index_texts(conn, &text_rows)
    })
}

/// Checks that a report's events belong to it and that their evidence indexes its text.
pub(crate) fn check_report(report: &Report) -> Result<(), Error> {
    report
        .events
        .iter()
        .try_for_each(|e| check_event(&report.document, e))
}

/// Checks that an event names `doc`, has evidence, and that each evidence span lies on
/// character boundaries of the text and names `doc` too.
///
/// # Errors
/// [`Error::BadEvent`] naming the report, the event and the problem.
pub fn check_event(doc: &Document, e: &Event) -> Result<(), Error> {
    let bad = |message: String| Error::BadEvent {
        doc_id: doc.id.clone(),
        event_id: e.event_id.clone(),
        message,
    };
    if e.doc_id != doc.id {
        return Err(bad(format!("names report {}", e.doc_id)));
    }
    if e.evidence.is_empty() {
        return Err(bad("has no evidence".into()));
    }
    for ev in &e.evidence {
        if ev.doc_id != doc.id {
            return Err(bad(format!("has evidence in report {}", ev.doc_id)));
        }
        if rasd_core::Span::checked(&doc.text, ev.start, ev.end).is_none() {
            return Err(bad(format!(
                "evidence {}..{} is not a span of the {}-byte text",
                ev.start,
                ev.end,
                doc.text.len()
            )));
        }
    }
    Ok(())
}

impl Report {
    /// Checks that every event names this report, has evidence, and that each evidence span
    /// lies on character boundaries of the text. [`Store::commit_batch`] refuses a batch with
    /// a report that fails this, so callers check first.
    ///
    /// # Errors
    /// [`Error::BadEvent`] naming the report, the event and the problem.
    pub fn check(&self) -> Result<(), Error> {
        check_report(self)
    }
}

/// A report's events as they are stored: events with the same id are one (their evidence
/// joined), each names the report's outlet among its sources, and evidence is in text order
/// without repeats. Sorted by `event_id`.
pub(crate) fn prepare_events(doc: &Document, events: Vec<Event>) -> Vec<Event> {
    let mut by_id: BTreeMap<String, Event> = BTreeMap::new();
    for e in events {
        match by_id.get_mut(&e.event_id) {
            Some(first) => first.evidence.extend(e.evidence),
            None => {
                by_id.insert(e.event_id.clone(), e);
            }
        }
    }
    let outlet = SourceRef {
        name: doc.source.clone().unwrap_or_else(|| doc.id.clone()),
        name_ar: None,
        kind: "outlet".into(),
        doc_id: doc.id.clone(),
    };
    by_id
        .into_values()
        .map(|mut e| {
            if !e
                .sources
                .iter()
                .any(|s| s.doc_id == doc.id && s.kind == "outlet")
            {
                e.sources.push(outlet.clone());
            }
            e.evidence
                .sort_by(|a, b| (a.start, a.end, &a.field).cmp(&(b.start, b.end, &b.field)));
            e.evidence.dedup();
            e
        })
        .collect()
}

pub(crate) fn admin1_name(e: &Event) -> Option<String> {
    e.admin1.as_deref().map(|a| a.trim().to_ascii_lowercase())
}

/// The stored JSON body of a report event.
fn report_event_json(conn: &Connection, event_id: &str) -> Result<String, Error> {
    let body: Vec<u8> = conn
        .prepare_cached(
            "SELECT b.body FROM report_events r JOIN report_event_bodies b ON b.id = r.id
             WHERE r.event_id = ?",
        )?
        .query_row([event_id], |r| r.get(0))?;
    unpack(event_id, &body)
}

fn load_report_event(conn: &Connection, event_id: &str) -> Result<Event, Error> {
    serde_json::from_str(&report_event_json(conn, event_id)?).map_err(|err| corrupt(event_id, err))
}

fn insert_dataset_event(conn: &Connection, m: &Merged, component: &str) -> Result<(), Error> {
    let e = &m.event;
    let json = serde_json::to_string(e).map_err(|err| corrupt(&e.event_id, err))?;
    // The served table's bodies stay unpacked (see `packed::unpack`): a page reads a hundred.
    let body = json.into_bytes();
    let date = e.date.map(|d| d.to_string());
    conn.prepare_cached(
        "INSERT INTO dataset_events (event_id, sort_key, date, event_type, sub_event_type, admin1,
           admin1_pcode, latitude, longitude, factual, actors_key, corroboration, component, body,
           confidence, background, iso, fatalities, cell)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        e.event_id,
        date.clone().unwrap_or_else(|| "~".into()),
        date,
        e.event_type.as_str(),
        e.sub_event_type.as_str(),
        e.admin1,
        e.admin1_pcode,
        e.latitude,
        e.longitude,
        e.modality.is_factual(),
        actors_key(e),
        m.corroboration as i64,
        component,
        body,
        e.confidence,
        e.background,
        e.iso,
        e.fatalities.map(|f| f.best as i64),
        crate::page::cell_of(e.latitude, e.longitude),
    ])?;
    Ok(())
}

/// What one report added, for the run's counters.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) new_docs: i64,
    pub(crate) duplicates: i64,
    pub(crate) near_duplicates: i64,
    pub(crate) events: i64,
}

struct Writer<'a> {
    conn: &'a Connection,
    merge: &'a MergeConfig,
    near: &'a NearDuplicates,
    recent_band_rows: i64,
    /// Report events read or written in this batch, parsed.
    cache: RefCell<HashMap<String, Rc<Event>>>,
    /// The events stored in this batch, in order, with their date windows: merged at its end.
    stored: RefCell<Vec<StoredEvent>>,
    /// Full-text rows of the batch's documents, indexed at its end.
    text_rows: RefCell<Vec<TextRow>>,
    /// Report event → the split part a reviewer gave it ([`load_splits`]).
    splits: HashMap<String, String>,
    /// The band statements by number of bands ([`BandSql`]).
    band_sql: RefCell<HashMap<usize, Rc<BandSql>>>,
}

/// The two statements of a report's `n` LSH bands (keys `?1` to `?n`), one for all its bands
/// rather than one per band (a statement's run costs more than its rows here):
struct BandSql {
    /// Rows of `band index, settled, doc`: for each key, its first [`MAX_BAND_CANDIDATES`]
    /// documents in `doc_bands` (settled) and in `doc_bands_recent`, each in id order.
    select: String,
    /// Adds the report's band rows to `doc_bands_recent` (its id is `?n+1`).
    insert: String,
}

impl BandSql {
    fn new(n: usize) -> BandSql {
        let select = (0..n)
            .flat_map(|i| {
                [("doc_bands", 1), ("doc_bands_recent", 0)].map(|(table, settled)| {
                    format!(
                        "SELECT {i}, {settled}, doc FROM (SELECT doc FROM {table}
                           WHERE band_key = ?{} ORDER BY doc LIMIT {MAX_BAND_CANDIDATES})",
                        i + 1
                    )
                })
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows = (1..=n)
            .map(|i| format!("(?{i}, ?{})", n + 1))
            .collect::<Vec<_>>()
            .join(", ");
        BandSql {
            select,
            insert: format!("INSERT OR IGNORE INTO doc_bands_recent (band_key, doc) VALUES {rows}"),
        }
    }
}

/// The split parts reviewers gave report events (a few rows): merging cuts groups along them.
fn load_splits(conn: &Connection) -> Result<HashMap<String, String>, Error> {
    let mut stmt = conn.prepare_cached("SELECT event_id, part FROM review_splits")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A document's row in the full-text index: its terms, space-separated.
struct TextRow {
    rowid: i64,
    terms: String,
}

/// Full-text rows written per statement. FTS5 writes its pending terms to a new segment at
/// every statement of a transaction (one statement per report made a segment per report), and
/// merges segments as they pile up: a whole batch of the ingest's default size per statement
/// makes four times fewer segments than 256 reports did, and less merging.
const TEXT_ROWS_PER_STATEMENT: usize = 1024;

/// Adds documents to the full-text index, many rows per statement.
fn index_texts(conn: &Connection, rows: &[TextRow]) -> Result<(), Error> {
    for chunk in rows.chunks(TEXT_ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO documents_fts (rowid, terms) VALUES {}",
            vec!["(?, ?)"; chunk.len()].join(", ")
        );
        let args: Vec<&dyn rusqlite::ToSql> = chunk
            .iter()
            .flat_map(|r| [&r.rowid as &dyn rusqlite::ToSql, &r.terms])
            .collect();
        conn.prepare_cached(&sql)?.execute(args.as_slice())?;
    }
    Ok(())
}

/// An event stored in the open batch: its id and date window (days from CE).
pub(crate) type StoredEvent = (String, Option<(i64, i64)>);

/// Union-find over component ids: which stored components (and new events) a batch joins.
#[derive(Default)]
pub(crate) struct Unions {
    parent: HashMap<String, String>,
    /// Events per root.
    size: HashMap<String, i64>,
}

impl Unions {
    pub(crate) fn knows(&self, id: &str) -> bool {
        self.parent.contains_key(id)
    }

    pub(crate) fn add(&mut self, id: &str, size: i64) {
        if !self.knows(id) {
            self.parent.insert(id.to_string(), id.to_string());
            self.size.insert(id.to_string(), size);
        }
    }

    pub(crate) fn find(&mut self, id: &str) -> String {
        let mut root = id.to_string();
        while let Some(up) = self.parent.get(&root).filter(|up| **up != root) {
            root = up.clone();
        }
        // Path compression.
        let mut at = id.to_string();
        while at != root {
            let up = self
                .parent
                .insert(at, root.clone())
                .unwrap_or_else(|| root.clone());
            at = up;
        }
        root
    }

    pub(crate) fn size(&self, root: &str) -> i64 {
        self.size.get(root).copied().unwrap_or(0)
    }

    pub(crate) fn union(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let moved = self.size.remove(&rb).unwrap_or(0);
            *self.size.entry(ra.clone()).or_default() += moved;
            self.parent.insert(rb, ra);
        }
    }

    /// Root → its members, in id order.
    pub(crate) fn groups(&mut self) -> BTreeMap<String, Vec<String>> {
        let ids: Vec<String> = self.parent.keys().cloned().collect();
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for id in ids {
            let root = self.find(&id);
            groups.entry(root).or_default().push(id);
        }
        for members in groups.values_mut() {
            members.sort();
        }
        groups
    }
}

impl Writer<'_> {
    /// The band statements for `n` bands, made once per batch.
    fn band_sql(&self, n: usize) -> Rc<BandSql> {
        Rc::clone(
            self.band_sql
                .borrow_mut()
                .entry(n)
                .or_insert_with(|| Rc::new(BandSql::new(n))),
        )
    }

    fn insert_report(
        &self,
        run_id: i64,
        report: PreparedReport,
        tally: &mut Tally,
    ) -> Result<Outcome, Error> {
        let PreparedReport {
            report:
                Report {
                    document: doc,
                    terms,
                    signature,
                    events,
                },
            packed,
        } = report;
        let dup = doc_with_hash(self.conn, &doc.content_hash)?;
        if let Some(of) = dup {
            tally.duplicates += 1;
            tracing::debug!(doc_id = %doc.id, of = %of, "exact duplicate, not stored");
            return Ok(Outcome::Duplicate { doc_id: doc.id, of });
        }
        let taken: Option<String> = self
            .conn
            .prepare_cached("SELECT content_hash FROM documents WHERE doc_id = ?")?
            .query_row([&doc.id], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            return Err(Error::DocIdTaken { doc_id: doc.id });
        }

        // Near duplicates: candidates share an LSH band; the more bands a report shares, the
        // more similar it is likely to be, so those are verified first, and only the first
        // MAX_VERIFIED of them.
        let bands = crate::stored_bands(&signature);
        let mut shared: BTreeMap<i64, usize> = BTreeMap::new();
        let sql = self.band_sql(bands.len());
        if !bands.is_empty() {
            // A key's first MAX_BAND_CANDIDATES documents in id order: the recent rows all
            // name newer documents than doc_bands does, so those of doc_bands, then those of
            // doc_bands_recent while there is room. One statement reads every key's.
            let mut found = vec![0; bands.len()];
            let mut recent: Vec<(usize, i64)> = Vec::new();
            let mut stmt = self.conn.prepare_cached(&sql.select)?;
            let mut rows = stmt.query(params_from_iter(bands.iter()))?;
            while let Some(row) = rows.next()? {
                let (band, settled, doc): (i64, bool, i64) =
                    (row.get(0)?, row.get(1)?, row.get(2)?);
                let band = usize::try_from(band)
                    .ok()
                    .filter(|&b| b < bands.len())
                    .ok_or_else(|| corrupt("band candidates", "a band out of range"))?;
                if settled {
                    *shared.entry(doc).or_default() += 1;
                    found[band] += 1;
                } else {
                    recent.push((band, doc));
                }
            }
            for (band, doc) in recent {
                if found[band] < MAX_BAND_CANDIDATES {
                    *shared.entry(doc).or_default() += 1;
                    found[band] += 1;
                }
            }
        }
        let mut candidates: Vec<(usize, i64)> =
            shared.into_iter().map(|(doc, n)| (n, doc)).collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        candidates.truncate(MAX_VERIFIED);
        let mut best: Option<(f64, String)> = None;
        let mut stories: BTreeSet<String> = BTreeSet::new();
        {
            let mut read_signature = self
                .conn
                .prepare_cached("SELECT signature FROM doc_signatures WHERE doc = ?")?;
            let mut read_story = self
                .conn
                .prepare_cached("SELECT doc_id, story_id FROM documents WHERE id = ?")?;
            for (_, cand) in &candidates {
                let blob: Vec<u8> = read_signature.query_row([cand], |r| r.get(0))?;
                let other = Signature::from_bytes(&blob)
                    .ok_or_else(|| corrupt(&format!("document {cand}"), "bad signature"))?;
                let sim = signature.similarity(&other);
                if sim >= self.near.threshold {
                    let (doc_id, story): (String, String) =
                        read_story.query_row([cand], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    stories.insert(story);
                    if best.as_ref().is_none_or(|(s, _)| sim > *s) {
                        best = Some((sim, doc_id));
                    }
                }
            }
        }
        let story_id = stories
            .iter()
            .next()
            .map_or(doc.id.clone(), |s| s.min(&doc.id).clone());
        for old in &stories {
            if *old != story_id {
                self.conn
                    .prepare_cached("UPDATE documents SET story_id = ? WHERE story_id = ?")?
                    .execute(params![story_id, old])?;
            }
        }

        let (text, bodies) = match packed {
            Some(p) => (p.text, p.bodies),
            None => (pack(&doc.id, &doc.text)?, Vec::new()),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO documents (doc_id, content_hash, title, source, url, published, text,
                   story_id, run_id, encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                doc.id,
                doc.content_hash,
                doc.title,
                doc.source,
                doc.url,
                doc.published.map(|p| p.to_string()),
                text,
                story_id,
                run_id,
                doc.encoding,
            ])?;
        let rowid = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached("INSERT INTO doc_signatures (doc, signature) VALUES (?, ?)")?
            .execute(params![rowid, signature.to_bytes()])?;
        self.text_rows.borrow_mut().push(TextRow { rowid, terms });
        if !bands.is_empty() {
            let args = bands.iter().chain(std::iter::once(&rowid));
            self.conn
                .prepare_cached(&sql.insert)?
                .execute(params_from_iter(args))?;
        }

        // The events are in stored form already (`PreparedReport::new`).
        let count = events.len();
        let mut bodies = bodies.into_iter();
        for e in events {
            self.insert_event(e, bodies.next())?;
        }
        tally.new_docs += 1;
        tally.events += count as i64;
        let near_duplicate_of = best.map(|(_, d)| d);
        if near_duplicate_of.is_some() {
            tally.near_duplicates += 1;
        }
        tracing::debug!(doc_id = %doc.id, events = count, near = ?near_duplicate_of, "stored");
        Ok(Outcome::New {
            doc_id: doc.id,
            near_duplicate_of,
            events: count,
        })
    }

    /// Replaces a stored report's events with `events` (see [`Store::recode_batch`]); the
    /// components its old events were in are returned in `affected`, to be merged again.
    fn recode_report(
        &self,
        run_id: i64,
        doc: &Document,
        events: Vec<Event>,
        affected: &mut BTreeSet<String>,
    ) -> Result<Recoded, Error> {
        for e in &events {
            check_event(doc, e)?;
        }
        let new = prepare_events(doc, events);
        let old_ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM report_events WHERE doc_id = ? ORDER BY event_id",
            )?
            .query_map([&doc.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        self.conn
            .prepare_cached("UPDATE documents SET coded_run = ? WHERE doc_id = ?")?
            .execute(params![run_id, doc.id])?;
        // Compared as stored (JSON text), so that a float read back is not a reason to differ.
        let mut same = old_ids.len() == new.len();
        if same {
            for (id, e) in old_ids.iter().zip(&new) {
                let old = report_event_json(self.conn, id)?;
                if old != serde_json::to_string(e).map_err(|err| corrupt(id, err))? {
                    same = false;
                    break;
                }
            }
        }
        let recoded = Recoded {
            doc_id: doc.id.clone(),
            before: old_ids.len(),
            after: new.len(),
            changed: !same,
        };
        if same {
            return Ok(recoded);
        }
        let components: Vec<String> = self
            .conn
            .prepare_cached("SELECT DISTINCT component FROM report_events WHERE doc_id = ?")?
            .query_map([&doc.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        affected.extend(components);
        self.conn
            .prepare_cached(
                "DELETE FROM report_event_bodies
                 WHERE id IN (SELECT id FROM report_events WHERE doc_id = ?)",
            )?
            .execute([&doc.id])?;
        self.conn
            .prepare_cached("DELETE FROM report_events WHERE doc_id = ?")?
            .execute([&doc.id])?;
        for id in &old_ids {
            self.cache.borrow_mut().remove(id);
        }
        for e in new {
            self.insert_event(e, None)?;
        }
        Ok(recoded)
    }

    /// Merges again after [`Writer::recode_report`]: the other events of the components that
    /// lost events are taken apart (their dataset events deleted) and merged like new events,
    /// in `event_id` order, followed by the recoded reports' new events.
    fn remerge(&self, affected: &BTreeSet<String>) -> Result<(), Error> {
        let recoded = self.stored.take();
        let fresh: BTreeSet<&str> = recoded.iter().map(|(id, _)| id.as_str()).collect();
        let mut all: Vec<StoredEvent> = Vec::new();
        let list: Vec<&String> = affected.iter().collect();
        for chunk in list.chunks(500) {
            let members: Vec<String> = self
                .conn
                .prepare(&format!(
                    "SELECT event_id FROM report_events WHERE component IN ({}) ORDER BY event_id",
                    placeholders(chunk.len())
                ))?
                .query_map(params_from_iter(chunk.iter()), |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in members {
                if fresh.contains(id.as_str()) {
                    continue;
                }
                let window = rasd_resolve::date_window(&*self.load(&id)?);
                all.push((id, window));
            }
            let in_chunk = placeholders(chunk.len());
            self.conn
                .prepare(&format!(
                    "DELETE FROM dataset_events WHERE component IN ({in_chunk})"
                ))?
                .execute(params_from_iter(chunk.iter()))?;
            self.conn
                .prepare(&format!(
                    "UPDATE report_events SET component = event_id, dataset_id = event_id
                     WHERE component IN ({in_chunk})"
                ))?
                .execute(params_from_iter(chunk.iter()))?;
        }
        all.sort();
        all.extend(recoded);
        self.merge_batch(&all)
    }

    /// Moves the recent band rows into `doc_bands` once there are [`RECENT_BAND_ROWS`] of them.
    fn move_recent_bands(&self) -> Result<(), Error> {
        let recent: i64 =
            self.conn
                .query_row("SELECT count(*) FROM doc_bands_recent", [], |r| r.get(0))?;
        if recent >= self.recent_band_rows {
            self.conn.execute_batch(
                "INSERT OR IGNORE INTO doc_bands (band_key, doc)
                   SELECT band_key, doc FROM doc_bands_recent ORDER BY band_key, doc;
                 DELETE FROM doc_bands_recent;",
            )?;
            tracing::debug!(rows = recent, "moved the recent band rows");
        }
        Ok(())
    }

    /// Adds the batch's documents to the full-text index.
    fn index_texts(&self) -> Result<(), Error> {
        index_texts(self.conn, &self.text_rows.take())
    }

    /// Stores a report event (in stored form), with its packed body when made already.
    fn insert_event(&self, e: Event, body: Option<Vec<u8>>) -> Result<(), Error> {
        let exists: Option<String> = self
            .conn
            .prepare_cached("SELECT doc_id FROM report_events WHERE event_id = ?")?
            .query_row([&e.event_id], |r| r.get(0))
            .optional()?;
        if let Some(other) = exists {
            return Err(Error::BadEvent {
                doc_id: e.doc_id.clone(),
                event_id: e.event_id.clone(),
                message: format!("the id is already used by an event of report {other}"),
            });
        }
        let window = rasd_resolve::date_window(&e);
        self.conn
            .prepare_cached(
                "INSERT INTO report_events (event_id, doc_id, sub_event_type, factual, window_lo,
                   window_hi, latitude, longitude, geo_rank, admin1_pcode, admin1_name,
                   location_pcode, component, dataset_id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                e.event_id,
                e.doc_id,
                e.sub_event_type.as_str(),
                e.modality.is_factual(),
                window.map(|w| w.0),
                window.map(|w| w.1),
                e.latitude,
                e.longitude,
                rasd_resolve::geo_rank(&e),
                e.admin1_pcode,
                admin1_name(&e),
                e.location_pcode,
                e.event_id,
                e.event_id,
            ])?;
        let body = match body {
            Some(body) => body,
            None => pack_event(&e)?,
        };
        self.conn
            .prepare_cached(
                "INSERT INTO report_event_bodies (id, body, evidence) VALUES (?, ?, ?)",
            )?
            .execute(params![
                self.conn.last_insert_rowid(),
                body,
                e.evidence.len() as i64,
            ])?;
        self.stored.borrow_mut().push((e.event_id.clone(), window));
        self.cache
            .borrow_mut()
            .insert(e.event_id.clone(), Rc::new(e));
        Ok(())
    }

    /// The components of the stored events the event is compatible with: candidates come from
    /// the partial window indexes, then [`rasd_resolve::compatible`] decides. `visible` says
    /// which events of the open batch the event may see (those stored before it).
    fn compatible_components(
        &self,
        e: &Event,
        window: Option<(i64, i64)>,
        visible: &dyn Fn(&str) -> bool,
    ) -> Result<BTreeSet<String>, Error> {
        let mut components: BTreeSet<String> = BTreeSet::new();
        let rank = rasd_resolve::geo_rank(e);
        if let (true, Some((lo, hi)), true) = (e.modality.is_factual(), window, rank < 4) {
            let slack = i64::from(self.merge.day_slack);
            // Two scans, each answered from its own partial index: windows shorter than
            // NARROW_DAYS start at most NARROW_DAYS - 1 days before the new window starts (?5),
            // longer ones up to MAX_WINDOW_DAYS before (?3).
            let select = |place: &str| {
                let both = |width: &str, from: &str| {
                    format!(
                        "SELECT event_id, component FROM report_events
                         WHERE window_hi - window_lo {width} AND sub_event_type = ?1
                           AND factual = 1 AND event_id <> ?2
                           AND window_lo BETWEEN {from} AND ?4 AND window_hi >= ?5 AND {place}"
                    )
                };
                format!(
                    "{} UNION ALL {}",
                    both(
                        &format!("< {NARROW_DAYS}"),
                        &format!("?5 - {}", NARROW_DAYS - 1)
                    ),
                    both(&format!(">= {NARROW_DAYS}"), "?3")
                )
            };
            let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
            let mut args: Vec<Value> = vec![
                Value::Text(e.sub_event_type.as_str().to_string()),
                Value::Text(e.event_id.clone()),
                Value::Integer(lo - MAX_WINDOW_DAYS - slack),
                Value::Integer(hi + slack),
                Value::Integer(lo - slack),
            ];
            let place = match (e.latitude, e.longitude, rank <= 2) {
                (Some(lat), Some(lon), true) => {
                    // Within reach of a point: a box around it, or coarser places (or places
                    // without coordinates) in the same governorate.
                    let km = self.merge.near_km.max(self.merge.max_km);
                    let dlat = km / 110.5 + 1e-6;
                    let dlon = km / (111.3 * lat.to_radians().cos().abs().max(0.01)) + 1e-6;
                    args.extend([lat - dlat, lat + dlat, lon - dlon, lon + dlon].map(Value::Real));
                    args.extend([text(e.admin1_pcode.clone()), text(admin1_name(e))]);
                    "((latitude BETWEEN ?6 AND ?7 AND longitude BETWEEN ?8 AND ?9)
                       OR ((geo_rank = 3 OR latitude IS NULL)
                           AND (admin1_pcode = ?10 OR admin1_name = ?11)))"
                }
                _ => {
                    args.extend([
                        text(e.admin1_pcode.clone()),
                        text(admin1_name(e)),
                        text(e.location_pcode.clone()),
                    ]);
                    "(admin1_pcode = ?6 OR admin1_name = ?7 OR location_pcode = ?8)"
                }
            };
            let rows: Vec<(String, String)> = self
                .conn
                .prepare_cached(&select(place))?
                .query_map(params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<Result<_, _>>()?;
            for (id, component) in rows {
                if components.contains(&component) || !visible(&id) {
                    continue;
                }
                let other = self.load(&id)?;
                if rasd_resolve::compatible(e, &other, self.merge) {
                    components.insert(component);
                }
            }
        }
        Ok(components)
    }

    /// Merges the batch's new events into the dataset, in the order they were stored: each
    /// joins the components of the events it is compatible with (unless the union would hold
    /// [`MAX_COMPONENT`] events or more), then every component that changed is re-clustered
    /// once and its dataset events rewritten. The result is the one merging the events one at
    /// a time would give, with each component rewritten once per batch instead of once per
    /// event.
    fn merge_batch(&self, new: &[StoredEvent]) -> Result<(), Error> {
        let order: HashMap<&str, usize> = new
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        let mut unions = Unions::default();
        for (i, (id, window)) in new.iter().enumerate() {
            let e = self.load(id)?;
            let visible = |other: &str| order.get(other).is_none_or(|&j| j < i);
            let found = self.compatible_components(&e, *window, &visible)?;
            let mut roots: BTreeSet<String> = BTreeSet::new();
            for component in found {
                if !unions.knows(&component) {
                    let size: i64 = self
                        .conn
                        .prepare_cached("SELECT count(*) FROM report_events WHERE component = ?")?
                        .query_row([&component], |r| r.get(0))?;
                    // Events of this batch are stored as their own component until merged.
                    let size = if order.contains_key(component.as_str()) {
                        1
                    } else {
                        size
                    };
                    unions.add(&component, size);
                }
                roots.insert(unions.find(&component));
            }
            unions.add(id, 1);
            let size: i64 = roots.iter().map(|r| unions.size(r)).sum();
            if size >= MAX_COMPONENT {
                tracing::warn!(
                    event_id = %id,
                    size,
                    "merge component too large; the event is kept apart"
                );
                continue;
            }
            for root in &roots {
                unions.union(id, root);
            }
        }
        for (_, components) in unions.groups() {
            // Stored components that no new event joined (it was kept apart) are unchanged.
            if components.iter().any(|c| order.contains_key(c.as_str())) {
                self.recluster(&components, &order)?;
            }
        }
        Ok(())
    }

    /// Re-clusters the union of `components` (stored component ids, and ids of new events that
    /// are their own component) and rewrites the dataset events that changed.
    fn recluster(&self, components: &[String], new: &HashMap<&str, usize>) -> Result<(), Error> {
        if let [single] = components {
            if new.contains_key(single.as_str()) {
                let e = self.load(single)?;
                return insert_dataset_event(self.conn, &rasd_resolve::merge(&[&e]), single);
            }
        }
        let comps: Vec<&String> = components.iter().collect();
        let old: Vec<(String, String, String)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT event_id, component, dataset_id FROM report_events
                 WHERE component IN ({}) ORDER BY event_id",
                placeholders(comps.len())
            ))?
            .query_map(params_from_iter(comps.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let members: Vec<Rc<Event>> = old
            .iter()
            .map(|(id, _, _)| self.load(id))
            .collect::<Result<_, _>>()?;
        let Some(component) = old.first().map(|m| m.0.clone()) else {
            return Ok(());
        };
        // Old groups: dataset id -> members; a cluster that is an old group unchanged (and does
        // not hold the new event) keeps its dataset row.
        let mut old_groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut old_component: BTreeMap<&str, &str> = BTreeMap::new();
        for (id, comp, dataset) in &old {
            old_groups
                .entry(dataset.as_str())
                .or_default()
                .insert(id.as_str());
            old_component.insert(dataset.as_str(), comp.as_str());
        }
        let refs: Vec<&Event> = members.iter().map(|m| m.as_ref()).collect();
        let mut kept: BTreeSet<String> = BTreeSet::new();
        let mut changed: Vec<Merged> = Vec::new();
        let groups = rasd_resolve::cluster(&refs, self.merge)
            .into_iter()
            .flat_map(|c| crate::review::partition(c, &refs, &self.splits));
        for c in groups {
            let ids: BTreeSet<&str> = c.iter().map(|&i| refs[i].event_id.as_str()).collect();
            let lead = refs[c[0]].event_id.as_str();
            let same = !ids.iter().any(|id| new.contains_key(id))
                && old_groups.get(lead).is_some_and(|g| *g == ids);
            if same {
                kept.insert(lead.to_string());
                if old_component.get(lead).is_some_and(|oc| *oc != component) {
                    self.conn
                        .prepare_cached(
                            "UPDATE dataset_events SET component = ? WHERE event_id = ?",
                        )?
                        .execute(params![component, lead])?;
                    self.conn
                        .prepare_cached(
                            "UPDATE report_events SET component = ? WHERE dataset_id = ?",
                        )?
                        .execute(params![component, lead])?;
                }
            } else {
                let group: Vec<&Event> = c.iter().map(|&i| refs[i]).collect();
                changed.push(rasd_resolve::merge(&group));
            }
        }
        for dataset in old_groups.keys() {
            // A new event of this batch has no dataset row yet.
            if !kept.contains(*dataset) && !new.contains_key(dataset) {
                self.conn
                    .prepare_cached("DELETE FROM dataset_events WHERE event_id = ?")?
                    .execute([dataset])?;
            }
        }
        let mut update = self.conn.prepare_cached(
            "UPDATE report_events SET component = ?, dataset_id = ? WHERE event_id = ?",
        )?;
        // Members already in place (most of a grown cluster) are not rewritten: each rewrite
        // also rewrites their entries in the candidate and component indexes.
        let placed: HashMap<&str, (&str, &str)> = old
            .iter()
            .map(|(id, comp, dataset)| (id.as_str(), (comp.as_str(), dataset.as_str())))
            .collect();
        for merged in changed {
            insert_dataset_event(self.conn, &merged, &component)?;
            let dataset = merged.event.event_id.as_str();
            for id in &merged.members {
                if placed.get(id.as_str()) != Some(&(component.as_str(), dataset)) {
                    update.execute(params![component, dataset, id])?;
                }
            }
        }
        Ok(())
    }

    /// A report event, parsed once per batch.
    fn load(&self, id: &str) -> Result<Rc<Event>, Error> {
        if let Some(e) = self.cache.borrow().get(id) {
            return Ok(Rc::clone(e));
        }
        let e = Rc::new(load_report_event(self.conn, id)?);
        self.cache
            .borrow_mut()
            .insert(id.to_string(), Rc::clone(&e));
        Ok(e)
    }
}

/// A stored document, its story and run, from a row of `doc_id, content_hash, title, source,
/// url, published, text, story_id, run_id, encoding`; the text is unpacked by the caller.
fn read_document(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Document, Vec<u8>, String, i64)> {
    let published: Option<String> = row.get(5)?;
    let doc = Document {
        id: row.get(0)?,
        content_hash: row.get(1)?,
        title: row.get(2)?,
        source: row.get(3)?,
        url: row.get(4)?,
        published: published.and_then(|p| Published::parse(&p).ok()),
        text: String::new(),
        encoding: row.get(9)?,
    };
    Ok((doc, row.get(6)?, row.get(7)?, row.get(8)?))
}

/// True for a governorate P-code as OCHA writes them, in any case: `SY` and two digits.
pub(crate) fn is_governorate_pcode(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 4 && b[..2].eq_ignore_ascii_case(b"SY") && b[2..].iter().all(u8::is_ascii_digit)
}

/// The review states of every reviewed event (a few, next to the dataset).
fn load_overlay(conn: &Connection) -> Result<Overlay, Error> {
    let mut overlay = Overlay::default();
    let mut stmt =
        conn.prepare_cached("SELECT event_id, status, fields, merged_into FROM reviews")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, status, fields, merged_into) = row?;
        let status = crate::review::status_of(&status)
            .ok_or_else(|| corrupt(&id, format!("unknown review status {status}")))?;
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&fields).map_err(|e| corrupt(&id, e))?;
        if let Some(into) = &merged_into {
            overlay
                .merged_into
                .entry(into.clone())
                .or_default()
                .push(id.clone());
        }
        overlay.states.insert(
            id,
            ReviewState {
                status: Some(status),
                fields,
                merged_into,
            },
        );
    }
    Ok(overlay)
}

/// A dataset event as the analyzer made it (no review laid over it).
fn machine_event(conn: &Connection, id: &str) -> Result<Option<Event>, Error> {
    let row: Option<(Vec<u8>, i64)> = conn
        .prepare_cached("SELECT body, corroboration FROM dataset_events WHERE event_id = ?")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((body, corroboration)) = row else {
        return Ok(None);
    };
    let mut event: Event = serde_json::from_str(&unpack(id, &body)?).map_err(|e| corrupt(id, e))?;
    event.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
    Ok(Some(event))
}

/// The event with its review and the events merged into it laid over it.
fn reviewed(conn: &Connection, overlay: &Overlay, event: Event) -> Result<Event, Error> {
    if overlay.is_empty() {
        return Ok(event);
    }
    let mut merged = Vec::new();
    for id in overlay
        .merged_into
        .get(&event.event_id)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some(m) = machine_event(conn, id)? {
            merged.push(crate::review::apply(m, overlay.states.get(id), &[])?);
        }
    }
    let state = overlay.states.get(&event.event_id);
    crate::review::apply(event, state, &merged)
}

/// The dataset event a dataset or report event id names.
fn dataset_id_of(conn: &Connection, event_id: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT event_id FROM dataset_events WHERE event_id = ?
             UNION ALL SELECT dataset_id FROM report_events WHERE event_id = ? LIMIT 1",
        )?
        .query_row([event_id, event_id], |r| r.get(0))
        .optional()?)
}

impl SqliteStore {
    /// [`Store::review`] inside an open transaction.
    fn review_in_tx(&self, review: &Review) -> Result<DatasetEvent, Error> {
        let refuse = |message: String| Error::Review {
            event_id: review.event_id.clone(),
            message,
        };
        let id = dataset_id_of(&self.conn, &review.event_id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let before = self
            .event(&id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let overlay = load_overlay(&self.conn)?;
        let state = overlay.states.get(&id).cloned().unwrap_or_default();
        if let ReviewAction::Split { events } = &review.action {
            return self.split_in_tx(review, &id, &before, &state, events);
        }
        let action = match &review.action {
            ReviewAction::Merge { into } => {
                let target = dataset_id_of(&self.conn, into)?
                    .ok_or_else(|| refuse(format!("no event {into} to merge into")))?;
                if overlay
                    .states
                    .get(&target)
                    .is_some_and(|s| s.merged_into.is_some())
                {
                    return Err(refuse(format!(
                        "{target} is itself merged into another event"
                    )));
                }
                if overlay.merged_into.contains_key(&id) {
                    return Err(refuse("other events are merged into this one".into()));
                }
                ReviewAction::Merge { into: target }
            }
            other => other.clone(),
        };
        let next = crate::review::next_state(&id, &state, &action)?;
        if let ReviewAction::Edit(fields) = &action {
            let machine =
                machine_event(&self.conn, &id)?.ok_or_else(|| refuse("no such event".into()))?;
            let mut all = state.fields.clone();
            all.extend(fields.clone());
            crate::review::check_fields(&machine, &all)?;
        }
        let status = next.status.map_or("", rasd_core::ReviewStatus::as_str);
        let fields =
            serde_json::to_string(&next.fields).map_err(|e| refuse(format!("fields: {e}")))?;
        let at = now();
        self.conn
            .prepare_cached(
                "INSERT INTO reviews (event_id, status, fields, merged_into, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (event_id) DO UPDATE SET status = ?2, fields = ?3,
                   merged_into = ?4, updated_at = ?5, updated_by = ?6",
            )?
            .execute(params![id, status, fields, next.merged_into, at, review.who])?;
        let after = self
            .event(&id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let json = |e: &Event| serde_json::to_string(e).map_err(|err| corrupt(&id, err));
        self.conn
            .prepare_cached(
                "INSERT INTO review_log (event_id, action, who, at, comment, before, after)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                id,
                action.name(),
                review.who,
                at,
                review.comment,
                json(&before.event)?,
                json(&after.event)?
            ])?;
        Ok(after)
    }
}

impl SqliteStore {
    /// A split (see [`ReviewAction::Split`]) of the dataset event `id`, inside the review's
    /// transaction: the moved report events get a split part of their own, the event is merged
    /// again from the report events that stay and a new one from those that leave, and both
    /// log the split. Returns the new event.
    fn split_in_tx(
        &self,
        review: &Review,
        id: &str,
        before: &DatasetEvent,
        state: &ReviewState,
        moved: &[String],
    ) -> Result<DatasetEvent, Error> {
        let refuse = |message: String| Error::Review {
            event_id: review.event_id.clone(),
            message,
        };
        let next = crate::review::next_state(id, state, &review.action)?;
        let rows: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT event_id, component FROM report_events WHERE dataset_id = ?
                 ORDER BY event_id",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let members: Vec<String> = rows.iter().map(|(m, _)| m.clone()).collect();
        crate::review::check_split(id, &members, moved)?;
        let component = rows
            .first()
            .map(|(_, c)| c.clone())
            .ok_or_else(|| refuse("the event has no report events".into()))?;
        let seq: i64 = self.conn.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM review_log",
            [],
            |r| r.get(0),
        )?;
        let part = crate::review::split_part(seq);
        let events: Vec<Event> = members
            .iter()
            .map(|m| load_report_event(&self.conn, m))
            .collect::<Result<_, _>>()?;
        let (leaving, staying): (Vec<&Event>, Vec<&Event>) =
            events.iter().partition(|e| moved.contains(&e.event_id));
        let (kept, split) = (rasd_resolve::merge(&staying), rasd_resolve::merge(&leaving));
        self.conn
            .prepare_cached("DELETE FROM dataset_events WHERE event_id = ?")?
            .execute([id])?;
        insert_dataset_event(&self.conn, &kept, &component)?;
        insert_dataset_event(&self.conn, &split, &component)?;
        let new_id = split.event.event_id.clone();
        for m in &split.members {
            self.conn
                .prepare_cached(
                    "INSERT INTO review_splits (event_id, part) VALUES (?1, ?2)
                     ON CONFLICT (event_id) DO UPDATE SET part = ?2",
                )?
                .execute(params![m, part])?;
            self.conn
                .prepare_cached("UPDATE report_events SET dataset_id = ? WHERE event_id = ?")?
                .execute(params![new_id, m])?;
        }
        let fields =
            serde_json::to_string(&next.fields).map_err(|e| refuse(format!("fields: {e}")))?;
        let at = now();
        let status = rasd_core::ReviewStatus::Corrected.as_str();
        for (event, fields) in [(id, fields.as_str()), (new_id.as_str(), "{}")] {
            // The new event keeps corrections it may have had under its id, but is no longer
            // merged into anything.
            self.conn
                .prepare_cached(
                    "INSERT INTO reviews (event_id, status, fields, merged_into, updated_at,
                       updated_by)
                     VALUES (?1, ?2, ?3, NULL, ?4, ?5)
                     ON CONFLICT (event_id) DO UPDATE SET status = ?2, merged_into = NULL,
                       updated_at = ?4, updated_by = ?5",
                )?
                .execute(params![event, status, fields, at, review.who])?;
        }
        let json = |e: &Event| serde_json::to_string(e).map_err(|err| corrupt(id, err));
        let mut after_new = None;
        for event in [id, new_id.as_str()] {
            let after = self
                .event(event)?
                .ok_or_else(|| refuse(format!("{event} cannot be read after the split")))?;
            self.conn
                .prepare_cached(
                    "INSERT INTO review_log (event_id, action, who, at, comment, before, after)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )?
                .execute(params![
                    event,
                    review.action.name(),
                    review.who,
                    at,
                    review.comment,
                    json(&before.event)?,
                    json(&after.event)?
                ])?;
            after_new = Some(after);
        }
        after_new.ok_or_else(|| refuse("the split made no event".into()))
    }
}

impl SqliteStore {
    /// Runs `f` in one read transaction: the statements it runs read one snapshot of the
    /// database, and take and drop SQLite's shared lock once between them rather than once
    /// each (a box's page runs a hundred: its parts, then each of its bodies). Inside a
    /// transaction already, `f` runs in it.
    fn in_snapshot<T>(&self, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.prepare_cached("BEGIN")?.execute([])?;
        let out = f();
        // Nothing was written: ending the transaction only drops the lock. Should `f` have
        // failed, its error is the one to tell.
        let end = self
            .conn
            .prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]));
        let out = out?;
        end?;
        Ok(out)
    }

    /// The events a review touched that pass `filter` on their corrected values, past
    /// `after`, each with its stored sort key (see the `page` module).
    fn touched_events(
        &self,
        overlay: &Overlay,
        filter: &EventFilter,
        after: Option<&(String, String)>,
    ) -> Result<Vec<(String, Event)>, Error> {
        let mut out = Vec::new();
        if overlay.is_empty() {
            return Ok(out);
        }
        let ids: BTreeSet<&String> = overlay
            .states
            .keys()
            .chain(overlay.merged_into.keys())
            .collect();
        let mut sql = "SELECT sort_key, body, corroboration FROM dataset_events WHERE event_id = ?"
            .to_string();
        let text = text_condition(filter)?;
        if let Some((cond, _)) = &text {
            sql = format!("{sql} AND {cond}");
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for id in ids {
            let mut args = vec![Value::Text(id.clone())];
            args.extend(text.iter().map(|(_, arg)| arg.clone()));
            let row: Option<(String, Vec<u8>, i64)> = stmt
                .query_row(params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((key, body, corroboration)) = row else {
                continue;
            };
            if after.is_some_and(|(k, i)| (&key, id) <= (k, i)) {
                continue;
            }
            let mut e: Event =
                serde_json::from_str(&unpack(id, &body)?).map_err(|err| corrupt(id, err))?;
            e.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
            let e = reviewed(&self.conn, overlay, e)?;
            if filter.matches(&e) {
                out.push((key, e));
            }
        }
        Ok(out)
    }

    /// The conditions that keep the untouched events `filter` selects (text included), or
    /// `None` when no untouched event can pass (a filter on a review's verdict).
    fn untouched_conditions(
        &self,
        overlay: &Overlay,
        filter: &EventFilter,
    ) -> Result<Option<Conditions>, Error> {
        if !crate::ReviewChoice::matches(filter.review, None) {
            return Ok(None);
        }
        let (mut conds, mut args) = conditions(filter)?;
        if let Some((cond, arg)) = text_condition(filter)? {
            conds.push(cond);
            args.push(arg);
        }
        if !overlay.is_empty() {
            conds.push(UNTOUCHED.into());
        }
        conds.push("1".into());
        Ok(Some((conds, args)))
    }

    /// How many events of each of `cells` box `b` holds (`dataset_points`); cells without
    /// events are left out. The points inside are read along the box's narrower overlap
    /// with the cell (by latitude from the key, or by longitude from
    /// `dataset_points_by_longitude`), and the cell's events are counted only when the box
    /// holds some.
    fn cell_shares(&self, b: &crate::BoundingBox, cells: &[i64]) -> Result<Vec<CellShare>, Error> {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let mut out = Vec::new();
        for &cell in cells {
            let (south, west, north, east) = crate::page::cell_edges(cell);
            let rows = b.north.min(north) - b.south.max(south);
            let cols = b.east.min(east) - b.west.max(west);
            let sql = if rows <= cols {
                "SELECT coalesce(sum(events), 0), count(*) FROM dataset_points
                 WHERE cell = ?1 AND latitude BETWEEN ?2 AND ?3 AND +longitude BETWEEN ?4 AND ?5"
            } else {
                "SELECT coalesce(sum(events), 0), count(*)
                 FROM dataset_points INDEXED BY dataset_points_by_longitude
                 WHERE cell = ?1 AND +latitude BETWEEN ?2 AND ?3 AND longitude BETWEEN ?4 AND ?5"
            };
            let (held, points): (i64, i64) = self
                .conn
                .prepare_cached(sql)?
                .query_row(params![cell, b.south, b.north, b.west, b.east], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            if held == 0 {
                continue;
            }
            let events: i64 = self
                .conn
                .prepare_cached("SELECT sum(events) FROM dataset_points WHERE cell = ?")?
                .query_row([cell], |r| r.get(0))?;
            out.push(CellShare {
                cell,
                events: count(events),
                held: count(held),
                points: count(points),
            });
        }
        Ok(out)
    }

    /// The points (`dataset_points`) of `cells` inside box `b`.
    fn points_in(&self, b: &crate::BoundingBox, cells: &[i64]) -> Result<Vec<(f64, f64)>, Error> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT latitude, longitude FROM dataset_points
             WHERE cell = ? AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?",
        )?;
        let mut out = Vec::new();
        for &cell in cells {
            let rows = stmt.query_map(params![cell, b.south, b.north, b.west, b.east], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Up to `want` untouched events past `after` inside box `b`, read by its `parts`, in
    /// order, as `(sort_key, event_id, json)`: each part is read in order from its index
    /// (`conds`, with their `args`, applied to each event, and the box's test to those of a
    /// cell not held whole), the parts are merged by key, and only the page's own bodies are
    /// read.
    /// (Indexes named, since the planner would rather read the box from the covering points
    /// index and sort it all.)
    fn box_page(
        &self,
        b: &crate::BoundingBox,
        parts: &[BoxPart],
        conds: &[String],
        args: &[Value],
        after: &(String, String),
        want: usize,
    ) -> Result<Vec<(String, String, String)>, Error> {
        let [whole_cell, tested_cell, point] = box_part_statements(&conds.join(" AND "));
        let keys = crate::page::merge_parts(parts, after, want, |part, after, n| {
            let (sql, mut all) = match *part {
                BoxPart::Cell { cell, whole: true } => (&whole_cell, vec![Value::Integer(cell)]),
                BoxPart::Cell { cell, whole: false } => {
                    let mut all = vec![Value::Integer(cell)];
                    all.extend([b.south, b.north, b.west, b.east].map(Value::Real));
                    (&tested_cell, all)
                }
                BoxPart::Point {
                    latitude,
                    longitude,
                } => (&point, vec![Value::Real(latitude), Value::Real(longitude)]),
            };
            all.extend(args.iter().cloned());
            all.extend([
                Value::Text(after.0.clone()),
                Value::Text(after.1.clone()),
                Value::Integer(n as i64),
            ]);
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params_from_iter(all.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })?;
        // The page's bodies, in one statement (rows are looked up in rowid order).
        let rowids = serde_json::Value::from(keys.iter().map(|k| k.2).collect::<Vec<i64>>());
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid, body FROM dataset_events
             WHERE rowid IN (SELECT value FROM json_each(?))",
        )?;
        let mut bodies: HashMap<i64, Vec<u8>> = stmt
            .query_map([rowids.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        keys.into_iter()
            .map(|(key, id, rowid)| {
                let packed = bodies
                    .remove(&rowid)
                    .ok_or_else(|| corrupt(&id, "its row went missing while a page was read"))?;
                let json = unpack(&id, &packed)?;
                Ok((key, id, json))
            })
            .collect()
    }

    /// Up to `want` untouched events `filter` selects past `after`, in order, as
    /// `(sort_key, event_id, json)`, from the box's parts when it has a box (see
    /// [`crate::page::box_parts`]).
    fn untouched_page(
        &self,
        overlay: &Overlay,
        filter: &EventFilter,
        after: (String, String),
        want: usize,
    ) -> Result<Vec<(String, String, String)>, Error> {
        if let Some(b) = filter.bbox.filter(|_| filter.near.is_none()) {
            // A cell inside the box by its edges is read tested: SQLite tests an event on
            // its index entry for next to nothing, less than looking its points up costs.
            let parts = crate::page::box_parts(
                &b,
                want,
                false,
                |cells| self.cell_shares(&b, cells),
                |cells| self.points_in(&b, cells),
            )?;
            if let Some(parts) = parts {
                let unboxed = EventFilter {
                    bbox: None,
                    ..filter.clone()
                };
                return match self.untouched_conditions(overlay, &unboxed)? {
                    Some((conds, args)) => self.box_page(&b, &parts, &conds, &args, &after, want),
                    None => Ok(Vec::new()),
                };
            }
        }
        let Some((conds, args)) = self.untouched_conditions(overlay, filter)? else {
            return Ok(Vec::new());
        };
        let conds = conds.join(" AND ");
        let sql = format!(
            "SELECT sort_key, event_id, body FROM dataset_events
             WHERE {conds} AND (sort_key, event_id) > (?, ?)
             ORDER BY sort_key, event_id LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(want);
        let mut after = after;
        loop {
            let mut all = args.to_vec();
            all.extend([
                Value::Text(after.0.clone()),
                Value::Text(after.1.clone()),
                Value::Integer(want as i64),
            ]);
            let rows: Vec<(String, String, Vec<u8>)> = stmt
                .query_map(params_from_iter(all.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<Result<_, _>>()?;
            let fetched = rows.len();
            for (key, id, packed) in rows {
                after = (key.clone(), id.clone());
                let json = unpack(&id, &packed)?;
                // Only a distance is not decided by SQL (its box is): the event is read.
                if filter.near.is_some() {
                    let e: Event = serde_json::from_str(&json).map_err(|err| corrupt(&id, err))?;
                    if !filter.matches(&e) {
                        continue;
                    }
                }
                out.push((key, id, json));
                if out.len() == want {
                    return Ok(out);
                }
            }
            if fetched < want {
                return Ok(out);
            }
        }
    }
}

impl SqliteStore {
    /// The stored texts and event bodies (zstd frames since schema 11) that cannot be read
    /// back, and the report event bodies whose evidence is not as many as their row counts.
    fn unreadable_values(&self) -> Result<Vec<String>, Error> {
        let mut problems = Vec::new();
        let tables = [
            ("SELECT doc_id, text, NULL FROM documents", false),
            ("SELECT event_id, body, NULL FROM dataset_events", true),
            (
                "SELECT r.event_id, b.body, b.evidence FROM report_event_bodies b
                 JOIN report_events r ON r.id = b.id",
                true,
            ),
        ];
        for (sql, is_event) in tables {
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let evidence: Option<i64> = row.get(2)?;
                let read = row
                    .get::<_, Vec<u8>>(1)
                    .map_err(|e| corrupt(&id, e))
                    .and_then(|packed| unpack(&id, &packed));
                let checked = match read {
                    Ok(json) if is_event => serde_json::from_str::<Event>(&json)
                        .map_err(|e| corrupt(&id, e))
                        .map(|e| evidence.filter(|&n| n != e.evidence.len() as i64)),
                    Ok(_) => Ok(None),
                    Err(e) => Err(e),
                };
                match checked {
                    Ok(None) => {}
                    Ok(Some(n)) => {
                        problems.push(format!("report event {id}: its row counts {n} evidence"))
                    }
                    Err(e) => problems.push(e.to_string()),
                }
            }
        }
        Ok(problems)
    }
}

impl Store for SqliteStore {
    fn begin_run(&mut self, info: &RunInfo) -> Result<i64, Error> {
        let inputs = serde_json::to_string(&info.inputs).map_err(|e| corrupt("run", e))?;
        self.conn.execute(
            "INSERT INTO runs (started_at, rasd_version, data_fingerprint, inputs) VALUES (?, ?, ?, ?)",
            params![now(), info.rasd_version, info.data_fingerprint, inputs],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn commit_batch(
        &mut self,
        run_id: i64,
        reports: Vec<Report>,
        failures: &[Failure],
    ) -> Result<Vec<Outcome>, Error> {
        let reports = reports
            .into_iter()
            .map(PreparedReport::new)
            .collect::<Result<_, _>>()?;
        self.commit_prepared(run_id, reports, failures)
    }

    fn packs_reports(&self) -> bool {
        true
    }

    fn commit_prepared(
        &mut self,
        run_id: i64,
        reports: Vec<PreparedReport>,
        failures: &[Failure],
    ) -> Result<Vec<Outcome>, Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut tally = Tally::default();
        let mut outcomes = Vec::with_capacity(reports.len());
        {
            let writer = Writer {
                conn: &tx,
                merge: &self.merge,
                near: &self.near,
                recent_band_rows: self.recent_band_rows,
                cache: RefCell::new(HashMap::new()),
                stored: RefCell::new(Vec::new()),
                text_rows: RefCell::new(Vec::new()),
                splits: load_splits(&tx)?,
                band_sql: RefCell::new(HashMap::new()),
            };
            for report in reports {
                outcomes.push(writer.insert_report(run_id, report, &mut tally)?);
            }
            writer.index_texts()?;
            writer.move_recent_bands()?;
            let stored = writer.stored.take();
            writer.merge_batch(&stored)?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO run_failures (run_id, input, reason) VALUES (?, ?, ?)",
            )?;
            for f in failures {
                stmt.execute(params![run_id, f.input, f.reason])?;
            }
        }
        let updated = tx.execute(
            "UPDATE runs SET new_docs = new_docs + ?, duplicates = duplicates + ?,
               near_duplicates = near_duplicates + ?, failed = failed + ?, events = events + ?,
               batches = batches + 1 WHERE run_id = ?",
            params![
                tally.new_docs,
                tally.duplicates,
                tally.near_duplicates,
                failures.len() as i64,
                tally.events,
                run_id
            ],
        )?;
        if updated != 1 {
            return Err(Error::Query {
                query: format!("run {run_id}"),
                message: "no such run; call begin_run first".into(),
            });
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn finish_run(&mut self, run_id: i64) -> Result<RunRecord, Error> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ? WHERE run_id = ?",
            params![now(), run_id],
        )?;
        self.runs()?
            .into_iter()
            .find(|r| r.run_id == run_id)
            .ok_or_else(|| Error::Query {
                query: format!("run {run_id}"),
                message: "no such run".into(),
            })
    }

    fn report_ids(&self, filter: &ReportFilter) -> Result<Vec<String>, Error> {
        let mut sql = String::from(
            "SELECT d.doc_id FROM documents d JOIN runs r ON r.run_id = coalesce(d.coded_run, d.run_id)
             WHERE 1 = 1",
        );
        let mut args: Vec<Value> = Vec::new();
        if !filter.doc_ids.is_empty() {
            sql.push_str(&format!(
                " AND d.doc_id IN ({})",
                placeholders(filter.doc_ids.len())
            ));
            args.extend(filter.doc_ids.iter().cloned().map(Value::Text));
        }
        if let Some(from) = filter.published_from {
            sql.push_str(" AND substr(d.published, 1, 10) >= ?");
            args.push(Value::Text(from.to_string()));
        }
        if let Some(to) = filter.published_to {
            sql.push_str(" AND substr(d.published, 1, 10) <= ?");
            args.push(Value::Text(to.to_string()));
        }
        if let Some(query) = &filter.text {
            sql.push_str(
                " AND d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)",
            );
            args.push(Value::Text(fts_query(query)?));
        }
        if let Some(coding) = &filter.not_coded_by {
            sql.push_str(" AND NOT (r.rasd_version = ? AND r.data_fingerprint = ?)");
            args.push(Value::Text(coding.rasd_version.clone()));
            args.push(Value::Text(coding.data_fingerprint.clone()));
        }
        sql.push_str(" ORDER BY d.id");
        let ids = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn recode_batch(
        &mut self,
        run_id: i64,
        reports: Vec<(Document, Vec<Event>)>,
    ) -> Result<Vec<Recoded>, Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(reports.len());
        let mut events = 0i64;
        {
            let writer = Writer {
                conn: &tx,
                merge: &self.merge,
                near: &self.near,
                recent_band_rows: self.recent_band_rows,
                cache: RefCell::new(HashMap::new()),
                stored: RefCell::new(Vec::new()),
                text_rows: RefCell::new(Vec::new()),
                splits: load_splits(&tx)?,
                band_sql: RefCell::new(HashMap::new()),
            };
            let mut affected = BTreeSet::new();
            for (doc, found) in reports {
                let stored: Option<Vec<u8>> = tx
                    .prepare_cached("SELECT text FROM documents WHERE doc_id = ?")?
                    .query_row([&doc.id], |r| r.get(0))
                    .optional()?;
                let stored = stored.map(|t| unpack(&doc.id, &t)).transpose()?;
                if stored.as_deref() != Some(doc.text.as_str()) {
                    return Err(Error::Query {
                        query: doc.id.clone(),
                        message: "no stored report has this id and text".into(),
                    });
                }
                let recoded = writer.recode_report(run_id, &doc, found, &mut affected)?;
                events += recoded.after as i64;
                outcomes.push(recoded);
            }
            writer.remerge(&affected)?;
        }
        let updated = tx.execute(
            "UPDATE runs SET events = events + ?, batches = batches + 1 WHERE run_id = ?",
            params![events, run_id],
        )?;
        if updated != 1 {
            return Err(Error::Query {
                query: format!("run {run_id}"),
                message: "no such run; call begin_run first".into(),
            });
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn coding(&self, doc_id: &str) -> Result<Option<Coding>, Error> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT r.run_id, r.rasd_version, r.data_fingerprint FROM documents d
                 JOIN runs r ON r.run_id = coalesce(d.coded_run, d.run_id) WHERE d.doc_id = ?",
            )?
            .query_row([doc_id], |r| {
                Ok(Coding {
                    run_id: r.get(0)?,
                    rasd_version: r.get(1)?,
                    data_fingerprint: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn doc_with_hash(&self, content_hash: &str) -> Result<Option<String>, Error> {
        doc_with_hash(&self.conn, content_hash)
    }

    fn hash_of_doc(&self, doc_id: &str) -> Result<Option<String>, Error> {
        Ok(self
            .conn
            .prepare_cached("SELECT content_hash FROM documents WHERE doc_id = ?")?
            .query_row([doc_id], |r| r.get(0))
            .optional()?)
    }

    fn document(&self, doc_id: &str) -> Result<Option<StoredDocument>, Error> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT doc_id, content_hash, title, source, url, published, text, story_id, run_id,
                   encoding
                 FROM documents WHERE doc_id = ?",
            )?
            .query_row([doc_id], read_document)
            .optional()?;
        let Some((mut document, text, story_id, run_id)) = row else {
            return Ok(None);
        };
        document.text = unpack(doc_id, &text)?;
        Ok(Some(StoredDocument {
            document,
            story_id,
            run_id,
        }))
    }

    fn story(&self, doc_id: &str) -> Result<Vec<String>, Error> {
        let ids = self
            .conn
            .prepare_cached(
                "SELECT doc_id FROM documents WHERE story_id =
                   (SELECT story_id FROM documents WHERE doc_id = ?) ORDER BY doc_id",
            )?
            .query_map([doc_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn report_events(&self, doc_id: &str) -> Result<Vec<Event>, Error> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM report_events WHERE doc_id = ? ORDER BY event_id",
            )?
            .query_map([doc_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .map(|id| load_report_event(&self.conn, id))
            .collect()
    }

    fn events<'a>(
        &'a self,
        filter: &EventFilter,
    ) -> Result<Box<dyn Iterator<Item = Result<Event, Error>> + 'a>, Error> {
        let (mut conds, mut args) = conditions(filter)?;
        // A reviewer may have changed the fields the conditions above look at: reviewed
        // events pass them here and are judged on their corrected values by `matches`.
        let overlay = load_overlay(&self.conn)?;
        if !overlay.is_empty() && !conds.is_empty() {
            conds = vec![format!(
                "(({}) OR event_id IN (SELECT event_id FROM reviews))",
                conds.join(" AND ")
            )];
        }
        if let Some((cond, arg)) = text_condition(filter)? {
            conds.push(cond);
            args.push(arg);
        }
        conds.push("(sort_key, event_id) > (?, ?)".into());
        let sql = format!(
            "SELECT sort_key, event_id, body, corroboration FROM dataset_events WHERE {}
             ORDER BY sort_key, event_id LIMIT {PAGE}",
            conds.join(" AND ")
        );
        // Check the statement once now, so that a bad filter fails here rather than mid-stream.
        self.conn.prepare_cached(&sql)?;
        Ok(Box::new(EventPages {
            conn: &self.conn,
            sql,
            args,
            after: filter.after.as_ref().map_or_else(
                || (String::new(), String::new()),
                |c| (c.sort_key.clone(), c.event_id.clone()),
            ),
            buffer: VecDeque::new(),
            done: false,
            filter: filter.clone(),
            overlay,
        }))
    }

    fn events_page(&self, filter: &EventFilter, limit: usize) -> Result<EventsPage, Error> {
        self.in_snapshot(|| {
            let overlay = load_overlay(&self.conn)?;
            let after = filter.after.as_ref().map_or_else(
                || (String::new(), String::new()),
                |c| (c.sort_key.clone(), c.event_id.clone()),
            );
            let untouched = self.untouched_page(&overlay, filter, after.clone(), limit + 1)?;
            let touched = self.touched_events(&overlay, filter, Some(&after))?;
            crate::page::merge_page(untouched, touched, limit)
        })
    }

    fn monthly(&self, filter: &EventFilter) -> Result<Vec<MonthCount>, Error> {
        let mut counts = MonthCounts::default();
        if filter.near.is_some() {
            for e in self.events(filter)? {
                counts.add_event(&e?);
            }
            return Ok(counts.finish());
        }
        let overlay = load_overlay(&self.conn)?;
        if let Some((conds, args)) = self.untouched_conditions(&overlay, filter)? {
            // By day and type, in the order of `dataset_events_days` (no sort); days make months
            // here.
            let sql = format!(
                "SELECT sort_key, event_type, count(*), coalesce(sum(fatalities), 0)
                 FROM dataset_events WHERE {} AND sort_key <> '~'
                 GROUP BY sort_key, event_type",
                conds.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            for row in rows {
                let (day, event_type, events, dead): (String, String, i64, i64) = row?;
                counts.add_row(month_of(&day), event_type, events, dead);
            }
        }
        for (_, e) in self.touched_events(&overlay, filter, None)? {
            counts.add_event(&e);
        }
        Ok(counts.finish())
    }

    fn grid(&self, filter: &EventFilter, size: f64) -> Result<Grid, Error> {
        crate::page::check_cell_size(size)?;
        let mut grid = GridCounts::new(size);
        if filter.near.is_some() {
            for e in self.events(filter)? {
                grid.add_event(&e?);
            }
            return Ok(grid.finish());
        }
        let overlay = load_overlay(&self.conn)?;
        if let Some((conds, args)) = self.untouched_conditions(&overlay, filter)? {
            let conds = conds.join(" AND ");
            // By point and type, in the order of `dataset_events_points` (no sort); points make
            // cells here.
            let sql = format!(
                "SELECT latitude, longitude, event_type, count(*), min(event_id)
                 FROM dataset_events
                 WHERE {conds} AND latitude IS NOT NULL AND longitude IS NOT NULL
                 GROUP BY latitude, longitude, event_type"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            for row in rows {
                let (lat, lon, event_type, events, first): (f64, f64, String, i64, String) = row?;
                grid.add_point(lat, lon, event_type, events, first);
            }
            let unplaced: i64 = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM dataset_events
                 WHERE {conds} AND (latitude IS NULL OR longitude IS NULL)"
                ))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
            grid.add_unplaced(unplaced);
        }
        for (_, e) in self.touched_events(&overlay, filter, None)? {
            grid.add_event(&e);
        }
        Ok(grid.finish())
    }

    fn event(&self, event_id: &str) -> Result<Option<DatasetEvent>, Error> {
        let dataset_id: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM dataset_events WHERE event_id = ?
                 UNION ALL SELECT dataset_id FROM report_events WHERE event_id = ? LIMIT 1",
            )?
            .query_row([event_id, event_id], |r| r.get(0))
            .optional()?;
        let Some(id) = dataset_id else {
            return Ok(None);
        };
        let Some(event) = machine_event(&self.conn, &id)? else {
            return Ok(None);
        };
        let overlay = load_overlay(&self.conn)?;
        let event = reviewed(&self.conn, &overlay, event)?;
        let mut members: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM report_events WHERE dataset_id = ? ORDER BY event_id",
            )?
            .query_map([&id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if let Some(pos) = members.iter().position(|m| *m == id) {
            let lead = members.remove(pos);
            members.insert(0, lead);
        }
        for merged in overlay
            .merged_into
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            members.extend(
                self.conn
                    .prepare_cached(
                        "SELECT event_id FROM report_events WHERE dataset_id = ? ORDER BY event_id",
                    )?
                    .query_map([merged], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(Some(DatasetEvent {
            corroboration: event.corroboration as usize,
            event,
            members,
        }))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, Error> {
        let fts = fts_query(query)?;
        // The index keeps no term frequencies (detail = none: bm25 is 0 for every report), so
        // the newest reports come first. The texts of the page alone are read.
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.doc_id, d.title, d.id FROM documents_fts JOIN documents d
               ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ? ORDER BY d.published DESC, d.doc_id LIMIT ?",
        )?;
        let rows: Vec<(String, Option<String>, i64)> = stmt
            .query_map(params![fts, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut text = self
            .conn
            .prepare_cached("SELECT text FROM documents WHERE id = ?")?;
        let mut hits = Vec::with_capacity(rows.len());
        for (doc_id, title, id) in rows {
            let packed: Vec<u8> = text.query_row([id], |r| r.get(0))?;
            let text = unpack(&doc_id, &packed)?;
            hits.push(SearchHit {
                snippet: crate::snippet(&text, query),
                doc_id,
                title,
            });
        }
        Ok(hits)
    }

    fn counts(&self) -> Result<Counts, Error> {
        let one = |sql: &str| -> Result<u64, Error> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: one("SELECT count(*) FROM documents")?,
            stories: one("SELECT count(DISTINCT story_id) FROM documents")?,
            report_events: one("SELECT count(*) FROM report_events")?,
            evidence: one("SELECT coalesce(sum(evidence), 0) FROM report_event_bodies")?,
            dataset_events: one("SELECT count(*) FROM dataset_events")?,
            runs: one("SELECT count(*) FROM runs")?,
        })
    }

    fn runs(&self) -> Result<Vec<RunRecord>, Error> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT run_id, started_at, finished_at, rasd_version, data_fingerprint, inputs,
               new_docs, duplicates, near_duplicates, failed, events, batches
             FROM runs ORDER BY run_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let inputs: String = r.get(5)?;
            Ok(RunRecord {
                run_id: r.get(0)?,
                started_at: r.get(1)?,
                finished_at: r.get(2)?,
                rasd_version: r.get(3)?,
                data_fingerprint: r.get(4)?,
                inputs: serde_json::from_str(&inputs).unwrap_or_default(),
                new_docs: r.get::<_, i64>(6)? as u64,
                duplicates: r.get::<_, i64>(7)? as u64,
                near_duplicates: r.get::<_, i64>(8)? as u64,
                failed: r.get::<_, i64>(9)? as u64,
                events: r.get::<_, i64>(10)? as u64,
                batches: r.get::<_, i64>(11)? as u64,
                failures: Vec::new(),
            })
        })?;
        let mut runs: Vec<RunRecord> = rows.collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT input, reason FROM run_failures WHERE run_id = ? ORDER BY rowid",
        )?;
        for run in &mut runs {
            run.failures = stmt
                .query_map([run.run_id], |r| {
                    Ok(Failure {
                        input: r.get(0)?,
                        reason: r.get(1)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(runs)
    }

    fn review(&mut self, review: &Review) -> Result<DatasetEvent, Error> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match self.review_in_tx(review) {
            Ok(after) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(after)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK")?;
                Err(e)
            }
        }
    }

    fn history(&self, event_id: &str) -> Result<Vec<AuditEntry>, Error> {
        let Some(id) = dataset_id_of(&self.conn, event_id)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, action, who, at, comment, before, after FROM review_log
             WHERE event_id = ? ORDER BY seq",
        )?;
        let rows = stmt.query_map([&id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (event_id, action, who, at, comment, before, after) = row?;
            let parse = |text: &str| {
                serde_json::from_str::<serde_json::Value>(text).map_err(|e| corrupt(&event_id, e))
            };
            out.push(AuditEntry {
                before: parse(&before)?,
                after: parse(&after)?,
                event_id,
                action,
                who,
                at,
                comment,
            });
        }
        Ok(out)
    }

    fn add_token(&mut self, name: &str, role: Role, hash: &str) -> Result<(), Error> {
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM tokens WHERE name = ?)",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::Query {
                query: name.to_string(),
                message: "a token of this name exists already".into(),
            });
        }
        self.conn.execute(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
            params![name, role.as_str(), hash, now()],
        )?;
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, role, hash, created_at FROM tokens ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, hash, created_at) = row?;
            let role = Role::parse(&role)
                .ok_or_else(|| corrupt(&name, format!("unknown token role {role}")))?;
            out.push(TokenRecord {
                name,
                role,
                hash,
                created_at,
            });
        }
        Ok(out)
    }

    fn check_integrity(&self) -> Result<Vec<String>, Error> {
        let mut problems = Vec::new();
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            problems.push(format!("SQLite integrity check: {verdict}"));
        }
        let fk: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                Ok(format!(
                    "{} row {} breaks a reference",
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?
                ))
            })?
            .collect::<Result<_, _>>()?;
        problems.extend(fk);
        let checks: [(&str, &str); 11] = [
            (
                "report event without evidence",
                "SELECT r.event_id FROM report_events r
                 LEFT JOIN report_event_bodies b ON b.id = r.id
                 WHERE coalesce(b.evidence, 0) = 0",
            ),
            (
                "report event in no dataset event",
                "SELECT event_id FROM report_events re
                 WHERE NOT EXISTS (SELECT 1 FROM dataset_events d WHERE d.event_id = re.dataset_id)",
            ),
            (
                "dataset event without report events",
                "SELECT event_id FROM dataset_events d
                 WHERE NOT EXISTS (SELECT 1 FROM report_events re WHERE re.dataset_id = d.event_id)",
            ),
            (
                "dataset event whose corroboration is not its number of reports",
                "SELECT d.event_id FROM dataset_events d WHERE d.corroboration <>
                   (SELECT count(DISTINCT re.doc_id) FROM report_events re WHERE re.dataset_id = d.event_id)",
            ),
            (
                "document missing from the full-text index",
                "SELECT doc_id FROM documents d
                 WHERE NOT EXISTS (SELECT 1 FROM documents_fts f WHERE f.rowid = d.id)",
            ),
            (
                "document without a MinHash signature",
                "SELECT doc_id FROM documents d
                 WHERE NOT EXISTS (SELECT 1 FROM doc_signatures s WHERE s.doc = d.id)",
            ),
            (
                "MinHash signature naming no document",
                "SELECT 'document ' || s.doc FROM doc_signatures s
                 WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.doc)",
            ),
            (
                "report event body naming no report event",
                "SELECT 'report event ' || b.id FROM report_event_bodies b
                 WHERE NOT EXISTS (SELECT 1 FROM report_events r WHERE r.id = b.id)",
            ),
            (
                "point whose events dataset_points does not count",
                "SELECT 'cell ' || cell || ' at ' || latitude || ',' || longitude FROM (
                   SELECT cell, latitude, longitude, count(*) FROM dataset_events
                   WHERE cell IS NOT NULL GROUP BY cell, latitude, longitude
                   EXCEPT SELECT cell, latitude, longitude, events FROM dataset_points) p",
            ),
            (
                "dataset_points row that does not count its point's events",
                "SELECT 'cell ' || cell || ' at ' || latitude || ',' || longitude FROM (
                   SELECT cell, latitude, longitude, events FROM dataset_points
                   EXCEPT SELECT cell, latitude, longitude, count(*) FROM dataset_events
                   WHERE cell IS NOT NULL GROUP BY cell, latitude, longitude) p",
            ),
            (
                "near-duplicate band row naming no document",
                "SELECT DISTINCT 'document ' || b.doc FROM (SELECT doc FROM doc_bands
                   UNION ALL SELECT doc FROM doc_bands_recent) b
                 WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = b.doc)",
            ),
        ];
        for (what, sql) in checks {
            let ids: Vec<String> = self
                .conn
                .prepare(sql)?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            problems.extend(ids.into_iter().map(|id| format!("{what}: {id}")));
        }
        problems.extend(self.unreadable_values()?);
        let fts_rows: i64 = self
            .conn
            .query_row("SELECT count(*) FROM documents_fts", [], |r| r.get(0))?;
        let docs: i64 = self
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        if fts_rows != docs {
            problems.push(format!(
                "full-text index has {fts_rows} rows for {docs} documents"
            ));
        }
        if let Err(e) = self.conn.execute(
            "INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')",
            [],
        ) {
            problems.push(format!("full-text index: {e}"));
        }
        Ok(problems)
    }
}

/// The SQL conditions, with their arguments, that keep the dataset events `filter` selects,
/// judged on the analyzer's coding (a review may change what an event's fields are), all but
/// the full-text one ([`text_condition`]).
fn conditions(filter: &EventFilter) -> Result<(Vec<String>, Vec<Value>), Error> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if !filter.include_non_factual {
        conds.push("factual = 1".into());
    }
    if let Some(t) = filter.event_type {
        conds.push("event_type = ?".into());
        args.push(Value::Text(t.as_str().into()));
    }
    if let Some(t) = filter.sub_event_type {
        conds.push("sub_event_type = ?".into());
        args.push(Value::Text(t.as_str().into()));
    }
    // Dates bound the sort key (the date, or `~` after every date when undated), so that
    // the range is read from the indexes in the list's order.
    if let Some(d) = filter.from {
        conds.push("sort_key >= ? AND sort_key <> '~'".into());
        args.push(Value::Text(d.to_string()));
    }
    if let Some(d) = filter.to {
        conds.push("sort_key <= ?".into());
        args.push(Value::Text(d.to_string()));
    }
    if let Some(a) = &filter.admin1 {
        let a = a.trim();
        if is_governorate_pcode(a) {
            // A P-code is never a governorate's name: look it up in the index by P-code
            // (stored in upper case, as OCHA writes them).
            conds.push("admin1_pcode = ?".into());
            args.push(Value::Text(a.to_ascii_uppercase()));
        } else {
            conds.push("(admin1 = ? COLLATE NOCASE OR admin1_pcode = ? COLLATE NOCASE)".into());
            args.push(Value::Text(a.into()));
            args.push(Value::Text(a.into()));
        }
    }
    if let Some(a) = &filter.actor {
        conds.push("instr(actors_key, ?) > 0".into());
        args.push(Value::Text(actor_needle(a)));
    }
    if let Some((lat, lon, km)) = filter.near {
        let valid = lat.is_finite() && lon.is_finite() && km.is_finite() && km >= 0.0;
        if !valid || lat.abs() > 90.0 || lon.abs() > 180.0 {
            return Err(Error::Query {
                query: format!("{lat},{lon},{km}"),
                message: "expected a latitude, a longitude and a distance in km".into(),
            });
        }
        let dlat = km / 110.5 + 1e-6;
        let dlon = km / (111.3 * lat.to_radians().cos().abs().max(0.01)) + 1e-6;
        conds.push("latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?".into());
        args.extend([lat - dlat, lat + dlat, lon - dlon, lon + dlon].map(Value::Real));
    }
    if let Some(b) = filter.bbox {
        conds.push(BOX_TEST.into());
        args.extend([b.south, b.north, b.west, b.east].map(Value::Real));
    }
    if let Some(m) = filter.min_confidence {
        conds.push("confidence >= ?".into());
        args.push(Value::Real(m));
    }
    if let Some(iso) = filter.country {
        conds.push(format!("coalesce(iso, {SYRIA_ISO}) = ?"));
        args.push(Value::Integer(i64::from(iso)));
    }
    if filter.exclude_background {
        conds.push("background = 0".into());
    }
    Ok((conds, args))
}

/// The full-text condition of `filter`, if it has one: events one of whose reports matches.
fn text_condition(filter: &EventFilter) -> Result<Option<(String, Value)>, Error> {
    let Some(text) = &filter.text else {
        return Ok(None);
    };
    Ok(Some((
        "event_id IN (SELECT re.dataset_id FROM report_events re JOIN documents d
       ON d.doc_id = re.doc_id WHERE d.id IN
       (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?))"
            .into(),
        Value::Text(fts_query(text)?),
    )))
}

/// The statements that read a box's parts in the list's order, each past a key and up to a
/// number of rows (see `SqliteStore::box_page`): a cell held whole, a cell whose events are
/// tested, a point; `conds` are the filter's other conditions. Each reads `(sort_key,
/// event_id, rowid)`.
fn box_part_statements(conds: &str) -> [String; 3] {
    let in_order = "(sort_key, event_id) > (?, ?) ORDER BY sort_key, event_id LIMIT ?";
    [
        format!(
            "SELECT sort_key, event_id, rowid FROM dataset_events INDEXED BY dataset_events_cell_order
             WHERE cell = ? AND {conds} AND {in_order}"
        ),
        format!(
            "SELECT sort_key, event_id, rowid FROM dataset_events INDEXED BY dataset_events_cell_order
             WHERE cell = ? AND {BOX_TEST} AND {conds} AND {in_order}"
        ),
        format!(
            "SELECT sort_key, event_id, rowid FROM dataset_events INDEXED BY dataset_events_point_order
             WHERE latitude = ? AND longitude = ? AND {conds} AND {in_order}"
        ),
    ]
}

/// SQL conditions and their arguments.
type Conditions = (Vec<String>, Vec<Value>);

/// The condition of a box, edges included; its arguments are south, north, west, east.
const BOX_TEST: &str = "latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?";

/// Keeps out of a query the events a review touched: reviewed ones and those others were
/// merged into (see the `page` module).
const UNTOUCHED: &str = "event_id NOT IN (SELECT event_id FROM reviews)
    AND event_id NOT IN (SELECT merged_into FROM reviews WHERE merged_into IS NOT NULL)";

/// Streams dataset events page by page (keyset pagination on `(sort_key, event_id)`), so
/// memory stays flat however large the dataset.
struct EventPages<'a> {
    conn: &'a Connection,
    sql: String,
    args: Vec<Value>,
    after: (String, String),
    /// Rows fetched and not yet read: (event id, body, corroboration). Bodies are parsed only
    /// when the reader gets to them, so a caller that stops early (a page of an API listing)
    /// does not pay for the rest.
    buffer: VecDeque<(String, Vec<u8>, i64)>,
    done: bool,
    filter: EventFilter,
    overlay: Overlay,
}

impl EventPages<'_> {
    fn fill(&mut self) -> Result<(), Error> {
        let mut stmt = self.conn.prepare_cached(&self.sql)?;
        let mut args = self.args.clone();
        args.push(Value::Text(self.after.0.clone()));
        args.push(Value::Text(self.after.1.clone()));
        let rows: Vec<(String, String, Vec<u8>, i64)> = stmt
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        if rows.len() < PAGE {
            self.done = true;
        }
        for (sort_key, id, body, corroboration) in rows {
            self.after = (sort_key, id.clone());
            self.buffer.push_back((id, body, corroboration));
        }
        Ok(())
    }

    /// The event of a fetched row, when it passes the filter.
    fn read(
        &self,
        (id, body, corroboration): (String, Vec<u8>, i64),
    ) -> Result<Option<Event>, Error> {
        let mut e: Event =
            serde_json::from_str(&unpack(&id, &body)?).map_err(|err| corrupt(&id, err))?;
        // The column is the count of record (bodies written before the field existed lack it).
        e.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
        let e = reviewed(self.conn, &self.overlay, e)?;
        Ok(self.filter.matches(&e).then_some(e))
    }
}

impl Iterator for EventPages<'_> {
    type Item = Result<Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            while self.buffer.is_empty() && !self.done {
                if let Err(e) = self.fill() {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            let row = self.buffer.pop_front()?;
            match self.read(row) {
                Ok(Some(e)) => return Some(Ok(e)),
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn band_rows(store: &SqliteStore, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_band_row_naming_no_document_is_found_by_the_integrity_check() {
        let store = SqliteStore::open_in_memory().unwrap();
        store
            .conn
            .execute(
                "INSERT INTO doc_bands_recent (band_key, doc) VALUES (7, 99)",
                [],
            )
            .unwrap();
        assert_eq!(
            store.check_integrity().unwrap(),
            vec!["near-duplicate band row naming no document: document 99".to_string()]
        );
    }

    /// Schema 13: a batch whose pending terms pass FTS5's default hash size (1 MiB) is still
    /// written to the index as one segment, and found.
    #[test]
    fn issue_13_a_batch_is_one_segment_of_the_full_text_index() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
        // 24,000 distinct terms: about 3 MiB pending in FTS5's hash table.
        let reports: Vec<Report> = (0..120)
            .map(|r| {
                let words: Vec<String> = (0..200).map(|w| format!("w{r}x{w}")).collect();
                Report::new(Document::new(format!("r{r}"), words.join(" ")))
            })
            .collect();
        store.commit_batch(run, reports, &[]).unwrap();
        let segments: i64 = store
            .conn
            .query_row(
                "SELECT count(DISTINCT segid) FROM documents_fts_idx",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(segments, 1);
        let hits = store.search("w119x199", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].doc_id, "r119");
    }

    /// Every stored row but the run's times, table by table.
    fn stored_rows(store: &SqliteStore) -> Vec<(String, Vec<Vec<Value>>)> {
        let tables: Vec<String> = store
            .conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                   AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts%' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables
            .into_iter()
            .map(|table| {
                let mut stmt = store
                    .conn
                    .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                    .unwrap();
                let names: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
                let rows = stmt
                    .query_map([], |r| {
                        (0..names.len())
                            .filter(|&i| !names[i].ends_with("_at"))
                            .map(|i| r.get::<_, Value>(i))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                (table, rows)
            })
            .collect()
    }

    /// Reports packed ahead (`PreparedReport::packed`), prepared without packing, or given to
    /// `commit_batch` as they are, are stored as the same rows with the same outcomes.
    #[test]
    fn issue_13_a_prepared_report_stores_the_rows_commit_batch_stores() {
        let text = "قصفت قوات النظام بالمدفعية بلدة اليادودة غرب درعا صباح اليوم، وقتل مدنيان. ";
        let sub = rasd_core::SubEventType::ShellingArtilleryMissileAttack;
        let sample = crate::conformance::sample_event;
        let reports: Vec<Report> = ["r1", "r2", "r3", "r4"]
            .iter()
            .map(|id| {
                let text = match *id {
                    "r3" => text.repeat(3),
                    "r4" => "تظاهر أهالي بلدة جاسم في ريف درعا".to_string(),
                    _ => format!("{}{id}", text.repeat(3)),
                };
                let doc = Document::new(*id, text);
                let events = match *id {
                    // Two events with one id (their evidence joined) and another.
                    "r1" => vec![
                        sample(&doc, sub, "2024-03-02", (32.674, 36.056), "درعا"),
                        sample(&doc, sub, "2024-03-02", (32.674, 36.056), "قصفت"),
                        sample(&doc, sub, "2024-03-03", (32.6, 36.1), "بالمدفعية"),
                    ],
                    "r4" => Vec::new(),
                    _ => vec![sample(&doc, sub, "2024-03-02", (32.674, 36.056), "قصفت")],
                };
                Report::new(doc).with_events(events)
            })
            .collect();
        // r3 again: an exact duplicate.
        let mut again = reports[2].clone();
        again.document.id = "r5".into();
        again.events.clear();
        let reports = [reports, vec![again]].concat();

        let store = |commit: &dyn Fn(&mut SqliteStore, i64) -> Vec<Outcome>| {
            let mut store = SqliteStore::open_in_memory().unwrap();
            let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
            let outcomes = commit(&mut store, run);
            (store, outcomes)
        };
        let (plain, plain_outcomes) =
            store(&|s, run| s.commit_batch(run, reports.clone(), &[]).unwrap());
        assert!(matches!(plain_outcomes[4], Outcome::Duplicate { .. }));
        assert!(stored_rows(&plain)
            .iter()
            .any(|(t, rows)| t == "report_event_bodies" && rows.len() == 4));
        let prepared: Vec<PreparedReport> = reports
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let p = if i % 2 == 0 {
                    PreparedReport::packed(r.clone()).unwrap()
                } else {
                    PreparedReport::new(r.clone()).unwrap()
                };
                assert_eq!(p.is_packed(), i % 2 == 0);
                p
            })
            .collect();
        for (name, prepared) in [
            (
                "packed",
                prepared
                    .iter()
                    .map(|p| PreparedReport::packed(p.report().clone()).unwrap())
                    .collect(),
            ),
            ("some packed", prepared.clone()),
            (
                "unpacked",
                prepared
                    .iter()
                    .map(|p| PreparedReport::new(p.report().clone()).unwrap())
                    .collect::<Vec<_>>(),
            ),
            (
                "back to reports",
                prepared
                    .iter()
                    .map(|p| PreparedReport::new(p.clone().into_report()).unwrap())
                    .collect(),
            ),
        ] {
            let (other, outcomes) =
                store(&|s, run| s.commit_prepared(run, prepared.clone(), &[]).unwrap());
            assert_eq!(outcomes, plain_outcomes, "{name}");
            assert_eq!(stored_rows(&other), stored_rows(&plain), "{name}");
            assert_eq!(
                other.search("درعا", 10).unwrap(),
                plain.search("درعا", 10).unwrap(),
                "{name}"
            );
        }
    }

    /// A report whose event is not its own is refused when prepared, as `commit_batch`
    /// refuses it.
    #[test]
    fn issue_13_a_bad_event_is_refused_when_prepared() {
        let doc = Document::new("r1", "قصفت قوات النظام بلدة اليادودة");
        let mut e = crate::conformance::sample_event(
            &doc,
            rasd_core::SubEventType::ShellingArtilleryMissileAttack,
            "2024-03-02",
            (32.674, 36.056),
            "قصفت",
        );
        e.doc_id = "r2".into();
        let report = Report::new(doc).with_events(vec![e]);
        for result in [
            PreparedReport::new(report.clone()).map(|_| ()),
            PreparedReport::packed(report.clone()).map(|_| ()),
        ] {
            assert!(matches!(result, Err(Error::BadEvent { .. })), "{result:?}");
        }
        let mut store = SqliteStore::open_in_memory().unwrap();
        let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
        assert!(matches!(
            store.commit_batch(run, vec![report], &[]),
            Err(Error::BadEvent { .. })
        ));
    }

    #[test]
    fn issue_13_texts_and_event_bodies_are_stored_compressed_and_read_back() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
        let text = "قصفت قوات النظام بالمدفعية بلدة اليادودة غرب درعا صباح اليوم، ".repeat(20);
        let document = Document::new("r1", text.clone());
        let event = crate::conformance::sample_event(
            &document,
            rasd_core::SubEventType::ShellingArtilleryMissileAttack,
            "2024-03-02",
            (32.674, 36.056),
            "قصفت",
        );
        let report = Report::new(document).with_events(vec![event.clone()]);
        store.commit_batch(run, vec![report], &[]).unwrap();
        for (table, column) in [
            ("documents", "text"),
            ("report_event_bodies", "body"),
            ("dataset_events", "body"),
        ] {
            let (kind, bytes): (String, i64) = store
                .conn
                .query_row(
                    &format!("SELECT typeof({column}), length({column}) FROM {table}"),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(kind, "blob", "{table}.{column}");
            assert!(bytes > 0, "{table}.{column}");
        }
        let stored: i64 = store
            .conn
            .query_row("SELECT length(text) FROM documents", [], |r| r.get(0))
            .unwrap();
        assert!((stored as usize) * 5 < text.len(), "{stored} bytes");
        assert_eq!(store.document("r1").unwrap().unwrap().document.text, text);
        let events = store.report_events("r1").unwrap();
        assert_eq!(events[0].evidence, event.evidence);
        let dataset = store.event(&event.event_id).unwrap().unwrap();
        assert_eq!(dataset.event.evidence, event.evidence);
        assert_eq!(
            store.counts().unwrap().evidence,
            event.evidence.len() as u64
        );
        assert!(store.check_integrity().unwrap().is_empty());

        // A body that is no frame of this store is named by the integrity check.
        store
            .conn
            .execute("UPDATE dataset_events SET body = '{}'", [])
            .unwrap();
        let problems = store.check_integrity().unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains(&event.event_id), "{problems:?}");
    }

    #[test]
    fn exact_duplicates_are_looked_up_through_the_hash_index() {
        let store = SqliteStore::open_in_memory().unwrap();
        let plan: String = store
            .conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT doc_id, content_hash FROM documents
                 WHERE substr(content_hash, 1, 16) = ?",
                ["0123456789abcdef"],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("USING INDEX documents_hash"), "{plan}");
    }

    #[test]
    fn near_duplicates_are_found_before_and_after_their_bands_move() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        // Two reports' band rows fill the recent table.
        store.recent_band_rows = 40;
        let story = "قصفت قوات النظام بالمدفعية بلدة اليادودة غرب درعا صباح اليوم ما أدى إلى \
                     إصابة أربعة مدنيين بينهم طفلان ونقل المصابون إلى مشفى ميداني قريب";
        let other = "تظاهر المئات في مدينة السويداء للمطالبة بتحسين الخدمات والإفراج عن \
                     المعتقلين ورفعوا لافتات تندد بالفساد وانقطاع الكهرباء لساعات طويلة";
        let texts = [
            ("a", story.to_string()),
            ("b", other.to_string()),
            ("c", format!("{story} بحسب ناشطين")),
            ("d", format!("{other} وفق مراسل محلي")),
            ("e", format!("{story} في ريف المحافظة")),
        ];
        let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
        let mut near = Vec::new();
        for (id, text) in texts {
            let report = Report::new(Document::new(id, text));
            let outcome = store.commit_batch(run, vec![report], &[]).unwrap();
            if let Outcome::New {
                near_duplicate_of, ..
            } = &outcome[0]
            {
                near.push((id, near_duplicate_of.clone()));
            }
            // Never more than a batch past the limit.
            assert!(band_rows(&store, "doc_bands_recent") < 40 + 20);
        }
        assert!(band_rows(&store, "doc_bands") > 0, "rows were moved");
        assert_eq!(
            near,
            vec![
                ("a", None),
                ("b", None),
                ("c", Some("a".to_string())),
                ("d", Some("b".to_string())),
                ("e", Some("a".to_string())),
            ]
        );
        assert_eq!(store.story("e").unwrap(), vec!["a", "c", "e"]);
        assert!(store.check_integrity().unwrap().is_empty());
    }

    #[test]
    fn a_page_runs_in_one_read_transaction_and_ends_it() {
        let store = SqliteStore::open_in_memory().unwrap();
        let boxed = EventFilter {
            bbox: crate::BoundingBox::parse("36.0,35.5,37.0,36.5"),
            ..Default::default()
        };
        store.events_page(&boxed, 10).unwrap();
        assert!(store.conn.is_autocommit());
        // A page that fails (a query with no word) ends its transaction too.
        let bad = EventFilter {
            text: Some("\"\"".into()),
            ..boxed
        };
        assert!(store.events_page(&bad, 10).is_err());
        assert!(store.conn.is_autocommit());
    }

    #[test]
    fn a_cached_statement_keeps_its_plan_whatever_its_arguments() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        // Statistics with samples of the governorates, which the planner could look at.
        let reports = (0..40)
            .map(|i| {
                let d = Document::new(format!("d{i}"), format!("قصف رقم {i}"));
                let mut e = crate::conformance::sample_event(
                    &d,
                    rasd_core::SubEventType::ArmedClash,
                    "2024-01-02",
                    (33.0 + f64::from(i) * 0.01, 36.0),
                    "قصف",
                );
                e.admin1_pcode = Some(if i % 4 == 0 { "SY07" } else { "SY12" }.into());
                Report::new(d).with_events(vec![e])
            })
            .collect();
        let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
        store.commit_batch(run, reports, &[]).unwrap();
        store.conn.execute_batch("ANALYZE").unwrap();
        let sql = "SELECT event_id FROM dataset_events WHERE admin1_pcode = ? AND event_type = ?
                   ORDER BY sort_key, event_id LIMIT 5";
        for (admin1, event_type) in [("SY12", "Battles"), ("SY07", "Protests"), ("SY12", "Riots")] {
            let mut stmt = store.conn.prepare_cached(sql).unwrap();
            let mut rows = stmt.query(params![admin1, event_type]).unwrap();
            rows.next().unwrap();
        }
        let stmt = store.conn.prepare_cached(sql).unwrap();
        assert_eq!(stmt.get_status(rusqlite::StatementStatus::RePrepare), 0);
        drop(stmt);
        // Without the setting, each use after the first is planned again.
        store.conn.flush_prepared_statement_cache();
        store
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, false)
            .unwrap();
        for admin1 in ["SY12", "SY07"] {
            let mut stmt = store.conn.prepare_cached(sql).unwrap();
            let mut rows = stmt.query(params![admin1, "Battles"]).unwrap();
            rows.next().unwrap();
        }
        let stmt = store.conn.prepare_cached(sql).unwrap();
        assert!(stmt.get_status(rusqlite::StatementStatus::RePrepare) > 0);
    }

    #[test]
    fn a_box_part_under_the_api_default_filter_reads_its_index_alone() {
        let store = SqliteStore::open_in_memory().unwrap();
        // What the API asks by default: factual events of Syria, background left out.
        let filter = EventFilter {
            country: Some(crate::SYRIA_ISO),
            exclude_background: true,
            ..Default::default()
        };
        let (mut conds, args) = conditions(&filter).unwrap();
        conds.push("1".into());
        for sql in box_part_statements(&conds.join(" AND ")) {
            let mut all = vec![Value::Integer(0)];
            if sql.contains(BOX_TEST) {
                all.extend([0.0, 1.0, 0.0, 1.0].map(Value::Real));
            } else if sql.contains("latitude = ?") {
                all.push(Value::Integer(0));
            }
            all.extend(args.iter().cloned());
            all.extend([Value::Text(String::new()), Value::Text(String::new())]);
            all.push(Value::Integer(10));
            let plan: Vec<String> = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(params_from_iter(all.iter()), |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(
                plan.iter().all(|p| p.contains("COVERING INDEX")),
                "{plan:?}"
            );
        }
    }
}
