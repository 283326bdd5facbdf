//! The shared backend: one PostgreSQL database (or one schema of it) that many `rasd`
//! processes read and write at once.
//!
//! It stores what the SQLite backend stores, merges by the same rule and passes the same
//! [`crate::conformance`] suite. What differs:
//! - every write transaction (a batch, a re-coding) takes one advisory lock of its schema
//!   before it reads what it merges with, so writers never interleave: the dataset is the one
//!   the same batches committed one after the other give, and merging does not depend on
//!   their order;
//! - full-text search reads a `tsvector` of the terms rasd cuts from the normalized text (see
//!   [`crate::search_terms`]), the terms SQLite's FTS5 index holds, so both find the same
//!   reports;
//! - reports can be queued ([`PgStore::enqueue`]) and analysed later by workers
//!   ([`PgStore::work_batch`]), which claim them with `FOR UPDATE SKIP LOCKED`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement, ToStatement, Transaction};
use rasd_core::{Document, Event, Published};
use rasd_resolve::{MergeConfig, Merged, NearDuplicates, Signature, MAX_WINDOW_DAYS};

use crate::filter::{actor_needle, actors_key, SYRIA_ISO};
use crate::page::{
    month_of, BoxPart, CellShare, EventsPage, Grid, GridCounts, MonthCount, MonthCounts,
};
use crate::review::{Overlay, ReviewState};
use crate::sqlite::{
    admin1_name, check_event, check_report, corrupt, is_governorate_pcode, now, prepare_events,
    StoredEvent, Tally, Unions, MAX_BAND_CANDIDATES, MAX_COMPONENT, MAX_VERIFIED, PAGE,
};
use crate::{
    AuditEntry, Coding, Counts, DatasetEvent, Error, EventFilter, Failure, Outcome, Recoded,
    Report, ReportFilter, Review, ReviewAction, Role, RunInfo, RunRecord, SearchHit, Store,
    StoredDocument, TokenRecord,
};

/// The PostgreSQL schema migrations, in order; migration `i` brings the schema to version
/// `i + 1`. They are numbered apart from SQLite's.
const MIGRATIONS: &[PgMigration] = &[
    PgMigration::sql(include_str!("../migrations-pg/0001_initial.sql")),
    PgMigration::sql(include_str!("../migrations-pg/0002_reviews.sql")),
    PgMigration::sql(include_str!("../migrations-pg/0003_encoding.sql")),
    PgMigration::sql(include_str!("../migrations-pg/0004_review_splits.sql")),
    PgMigration::sql(include_str!(
        "../migrations-pg/0005_pages_and_aggregates.sql"
    )),
    PgMigration::sql(include_str!("../migrations-pg/0006_box_points.sql")),
    PgMigration {
        sql: include_str!("../migrations-pg/0007_one_permutation_signatures.sql"),
        rewrite: Some(sign_stored_reports_again),
    },
    PgMigration {
        sql: include_str!("../migrations-pg/0008_word_terms.sql"),
        rewrite: Some(index_stored_reports_again),
    },
];

/// Migration 8: writes each stored report's full-text terms again, as
/// [`crate::search_terms`] computes them now.
fn index_stored_reports_again(tx: &mut postgres::Transaction) -> Result<(), postgres::Error> {
    for_each_stored_page(tx, |tx, rows| {
        for row in rows {
            let id: i64 = row.get(0);
            let terms = crate::stored_report_terms(row.get(1), row.get(2));
            let terms: Vec<&str> = terms.split(' ').filter(|t| !t.is_empty()).collect();
            tx.execute(
                "UPDATE documents SET terms = array_to_tsvector($2) WHERE id = $1",
                &[&id, &terms],
            )?;
        }
        Ok(())
    })
}

/// Calls `each` with the stored reports' rows of `id, title, text`, 256 at a time, in id
/// order: for the migrations that rewrite what derives from reports' texts.
fn for_each_stored_page(
    tx: &mut postgres::Transaction,
    mut each: impl FnMut(&mut postgres::Transaction, Vec<Row>) -> Result<(), postgres::Error>,
) -> Result<(), postgres::Error> {
    let mut after = 0i64;
    loop {
        let rows = tx.query(
            "SELECT id, title, text FROM documents WHERE id > $1 ORDER BY id LIMIT 256",
            &[&after],
        )?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.get(0);
        each(tx, rows)?;
    }
}

/// A PostgreSQL schema migration: its SQL, then, when it has one, a step in Rust given the
/// same transaction.
struct PgMigration {
    sql: &'static str,
    rewrite: Option<PgRewrite>,
}

/// A PostgreSQL migration's step in Rust, given the open transaction.
type PgRewrite = fn(&mut postgres::Transaction) -> Result<(), postgres::Error>;

impl PgMigration {
    const fn sql(sql: &'static str) -> PgMigration {
        PgMigration { sql, rewrite: None }
    }
}

/// Migration 7: signs every stored report again, from its text, with the current MinHash
/// scheme, and writes its band rows into `doc_bands` (emptied by the migration's SQL).
fn sign_stored_reports_again(tx: &mut postgres::Transaction) -> Result<(), postgres::Error> {
    for_each_stored_page(tx, |tx, rows| {
        for row in rows {
            let id: i64 = row.get(0);
            let (signature, bands) = crate::signature_and_bands(row.get(2));
            tx.execute(
                "WITH s AS (UPDATE doc_signatures SET signature = $2 WHERE doc = $1)
                 INSERT INTO doc_bands (band_key, doc)
                 SELECT DISTINCT k, $1 FROM unnest($3::bigint[]) k ON CONFLICT DO NOTHING",
                &[&id, &signature.to_bytes(), &bands],
            )?;
        }
        Ok(())
    })
}

/// The PostgreSQL schema version this build writes.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// First key of the advisory lock taken while migrating (the second is the schema's hash).
const MIGRATION_LOCK: i32 = 0x7261_7301;

/// First key of the advisory lock every write transaction takes (the second is the schema's
/// hash).
const WRITE_LOCK: i32 = 0x7261_7302;

/// Scratch schemas made by this process so far, for unique names.
static SCRATCH: AtomicU64 = AtomicU64::new(0);

/// One parameter of a statement.
type Param = Box<dyn ToSql + Sync>;

/// Prepared statements by their SQL. Statements prepared on a connection outlive the
/// transaction that prepared them, even when it is rolled back.
type Statements = HashMap<String, Statement>;

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// The `tsquery` for a user's words: each word required, as any of its terms, each quoted.
fn ts_query(query: &str) -> Result<String, Error> {
    let words: Vec<String> = crate::terms::query_terms(query)?
        .iter()
        .map(|any| {
            let quoted: Vec<String> = any
                .iter()
                .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
                .collect();
            format!("({})", quoted.join(" | "))
        })
        .collect();
    Ok(words.join(" & "))
}

/// A connection URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(u, _)| u);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}

/// Whether a `--db` value names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The PostgreSQL [`Store`], shared by every `rasd` process that opens the same URL.
///
/// Open it with [`PgStore::open`] (the schema named by the connection's `search_path`,
/// normally `public`) or [`PgStore::open_schema`] (a schema of its own, made if missing).
pub struct PgStore {
    client: RefCell<Client>,
    url: String,
    /// A scratch schema dropped with the store.
    scratch: Option<String>,
    /// The writer's prepared statements.
    statements: Statements,
    /// Statements of pages and aggregates, prepared once per connection.
    reads: RefCell<Statements>,
    merge: MergeConfig,
    near: NearDuplicates,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(schema) = &self.scratch {
            let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", quote_ident(schema));
            if let Err(e) = self.client.get_mut().batch_execute(&sql) {
                tracing::warn!(schema = %schema, "cannot drop the scratch schema: {e}");
            }
        }
    }
}

/// What [`PgStore::work_batch`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worked {
    /// Reports taken off the queue.
    pub claimed: usize,
    /// What happened to each report stored, in order.
    pub outcomes: Vec<Outcome>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host/db`) and brings its
    /// schema up to date.
    ///
    /// # Errors
    /// [`Error::Connect`] when the server cannot be reached or the schema set up (the message
    /// names the URL without its password), [`Error::NewerSchema`] when a newer rasd wrote it.
    pub fn open(url: &str) -> Result<PgStore, Error> {
        PgStore::connect(url, None, None)
    }

    /// Like [`PgStore::open`], in the schema `schema` of the database (made if missing): one
    /// database can hold several datasets.
    ///
    /// # Errors
    /// As [`PgStore::open`].
    pub fn open_schema(url: &str, schema: &str) -> Result<PgStore, Error> {
        PgStore::connect(url, Some(schema), None)
    }

    /// A new, empty store in a schema of its own that is dropped when the store is: for tests
    /// and benchmarks on a shared server.
    ///
    /// # Errors
    /// As [`PgStore::open`].
    pub fn scratch(url: &str) -> Result<PgStore, Error> {
        let n = SCRATCH.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let schema = format!("rasd_scratch_{}_{n}_{nanos}", std::process::id());
        PgStore::connect(url, Some(&schema), Some(schema.clone()))
    }

    fn connect(url: &str, schema: Option<&str>, scratch: Option<String>) -> Result<PgStore, Error> {
        let shown = redact_url(url);
        let open_err = |source| Error::Connect {
            url: shown.clone(),
            source,
        };
        let mut client = Client::connect(url, NoTls).map_err(open_err)?;
        client
            .batch_execute("SET client_min_messages = warning")
            .map_err(open_err)?;
        if let Some(schema) = schema {
            client
                .batch_execute(&format!("SET search_path TO {}", quote_ident(schema)))
                .map_err(open_err)?;
        }
        let mut tx = client.transaction().map_err(open_err)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext(current_schemas(false)::text))",
            &[&MIGRATION_LOCK],
        )
        .map_err(open_err)?;
        if let Some(schema) = schema {
            tx.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {}",
                quote_ident(schema)
            ))
            .map_err(open_err)?;
        }
        tx.batch_execute("CREATE TABLE IF NOT EXISTS rasd_schema (version BIGINT NOT NULL)")
            .map_err(open_err)?;
        let found: i64 = tx
            .query_one("SELECT coalesce(max(version), 0) FROM rasd_schema", &[])
            .map_err(open_err)?
            .get(0);
        if found > PG_SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: shown,
                found,
                known: PG_SCHEMA_VERSION,
            });
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            tx.batch_execute(migration.sql).map_err(open_err)?;
            if let Some(rewrite) = migration.rewrite {
                rewrite(&mut tx).map_err(open_err)?;
            }
            tx.execute(
                "INSERT INTO rasd_schema (version) VALUES ($1)",
                &[&(i as i64 + 1)],
            )
            .map_err(open_err)?;
            tracing::info!(url = %shown, version = i + 1, "migrated the database schema");
        }
        tx.commit().map_err(open_err)?;
        Ok(PgStore {
            client: RefCell::new(client),
            url: shown,
            scratch,
            statements: Statements::new(),
            reads: RefCell::new(Statements::new()),
            merge: MergeConfig::default(),
            near: NearDuplicates::default(),
        })
    }

    /// The database's URL, without its password.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn schema_version(&self) -> Result<i64, Error> {
        Ok(self
            .client
            .borrow_mut()
            .query_one("SELECT coalesce(max(version), 0) FROM rasd_schema", &[])?
            .get(0))
    }

    /// Queues documents for the workers, in one transaction: a document whose text is stored
    /// or queued already is skipped. Returns how many were queued.
    ///
    /// # Errors
    /// A database error: nothing of the call is queued then.
    pub fn enqueue(&mut self, run_id: i64, documents: Vec<Document>) -> Result<usize, Error> {
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        let mut queued = 0;
        for mut doc in documents {
            let normalized = rasd_arabic::normalize(&doc.text);
            doc.content_hash = rasd_core::content_hash(normalized.as_str());
            let stored = tx.query_opt(
                "SELECT 1 FROM documents WHERE content_hash = $1",
                &[&doc.content_hash],
            )?;
            if stored.is_some() {
                continue;
            }
            doc.id = free_id(&mut tx, &doc.id, &doc.content_hash)?;
            queued += tx.execute(
                "INSERT INTO pending_documents (doc_id, content_hash, title, source, url,
                   published, text, run_id, encoding) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (content_hash) DO NOTHING",
                &[
                    &doc.id,
                    &doc.content_hash,
                    &doc.title,
                    &doc.source,
                    &doc.url,
                    &doc.published.map(|p| p.to_string()),
                    &doc.text,
                    &run_id,
                    &doc.encoding,
                ],
            )? as usize;
        }
        tx.execute(
            "UPDATE runs SET batches = batches + 1 WHERE run_id = $1",
            &[&run_id],
        )?;
        tx.commit()?;
        Ok(queued)
    }

    /// Reports waiting in the queue (claimed ones included).
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn pending(&self) -> Result<u64, Error> {
        let n: i64 = self
            .client
            .borrow_mut()
            .query_one("SELECT count(*) FROM pending_documents", &[])?
            .get(0);
        Ok(n as u64)
    }

    /// Claims up to `limit` queued reports that no other worker holds, hands them to
    /// `analyze`, and stores what it returns (with the failures it met) as
    /// [`Store::commit_batch`] does, taking the claimed reports off the queue in the same
    /// transaction. A worker that dies before the commit leaves its reports in the queue, and
    /// another worker takes them. Returns `None` when no report was free to claim.
    ///
    /// # Errors
    /// A database error, or a report `analyze` returns that is not fit to store: the
    /// transaction is rolled back and the reports go back to the queue.
    pub fn work_batch(
        &mut self,
        run_id: i64,
        limit: usize,
        analyze: &mut dyn FnMut(Vec<Document>) -> (Vec<Report>, Vec<Failure>),
    ) -> Result<Option<Worked>, Error> {
        let merge = self.merge;
        let near = self.near;
        let client = self.client.get_mut();
        let statements = &mut self.statements;
        let mut tx = client.transaction()?;
        let rows = tx.query(
            "SELECT id, doc_id, title, source, url, published, text, content_hash, encoding
             FROM pending_documents ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
            &[&(limit.max(1) as i64)],
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut ids: Vec<i64> = Vec::with_capacity(rows.len());
        let mut claimed = Vec::with_capacity(rows.len());
        // `rasd ingest` may have stored another text under one of these ids since it was
        // queued: those few are given a free id.
        let wanted: Vec<String> = rows.iter().map(|r| r.get(1)).collect();
        let stored: BTreeSet<String> = tx
            .query(
                "SELECT doc_id FROM documents WHERE doc_id = ANY($1)",
                &[&wanted],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for row in &rows {
            ids.push(row.get(0));
            let published: Option<String> = row.get(5);
            let hash: String = row.get(7);
            let queued: String = row.get(1);
            let id = if stored.contains(&queued) {
                free_id(&mut tx, &queued, &hash)?
            } else {
                queued
            };
            let document = Document {
                id,
                content_hash: String::new(),
                title: row.get(2),
                source: row.get(3),
                url: row.get(4),
                published: published.and_then(|p| Published::parse(&p).ok()),
                text: row.get(6),
                encoding: row.get(8),
            };
            claimed.push(document);
        }
        tracing::debug!(reports = claimed.len(), "claimed a batch");
        let (reports, failures) = analyze(claimed);
        let outcomes = write_batch(
            &mut tx, statements, &merge, &near, run_id, reports, &failures,
        )?;
        tx.execute("DELETE FROM pending_documents WHERE id = ANY($1)", &[&ids])?;
        tx.commit()?;
        Ok(Some(Worked {
            claimed: ids.len(),
            outcomes,
        }))
    }
}

/// The id to store or queue a report with this content hash under: its own, unless a stored
/// or queued report with another text has it; then the id with `#` and the hash's first 8
/// digits appended (and `-2`, `-3`… if need be), as `rasd ingest` does.
fn free_id(tx: &mut Transaction<'_>, id: &str, hash: &str) -> Result<String, Error> {
    let short = &hash[..8.min(hash.len())];
    let mut candidate = id.to_string();
    for n in 1.. {
        let taken = tx.query_opt(
            "SELECT 1 FROM documents WHERE doc_id = $1 AND content_hash <> $2
             UNION ALL SELECT 1 FROM pending_documents WHERE doc_id = $1 AND content_hash <> $2
             LIMIT 1",
            &[&candidate, &hash],
        )?;
        if taken.is_none() {
            break;
        }
        candidate = if n == 1 {
            format!("{id}#{short}")
        } else {
            format!("{id}#{short}-{n}")
        };
    }
    if candidate != id {
        tracing::warn!(doc_id = %id, new_id = %candidate, "another report has this id; stored under a new one");
    }
    Ok(candidate)
}

/// Takes the schema's write lock for the rest of the transaction.
fn lock_writes(tx: &mut Transaction<'_>) -> Result<(), Error> {
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext(current_schemas(false)::text))",
        &[&WRITE_LOCK],
    )?;
    Ok(())
}

/// Stores a batch inside `tx` (see [`Store::commit_batch`]), under the write lock.
fn write_batch(
    tx: &mut Transaction<'_>,
    statements: &mut Statements,
    merge: &MergeConfig,
    near: &NearDuplicates,
    run_id: i64,
    reports: Vec<Report>,
    failures: &[Failure],
) -> Result<Vec<Outcome>, Error> {
    for r in &reports {
        check_report(r)?;
    }
    lock_writes(tx)?;
    let mut tally = Tally::default();
    let mut outcomes = Vec::with_capacity(reports.len());
    {
        let splits = load_splits(&mut *tx)?;
        let mut writer = Writer {
            splits,
            tx: &mut *tx,
            statements,
            merge,
            near,
            cache: HashMap::new(),
            stored: Vec::new(),
        };
        for report in reports {
            outcomes.push(writer.insert_report(run_id, report, &mut tally)?);
        }
        let stored = std::mem::take(&mut writer.stored);
        writer.merge_batch(&stored)?;
    }
    for f in failures {
        tx.execute(
            "INSERT INTO run_failures (run_id, input, reason) VALUES ($1, $2, $3)",
            &[&run_id, &f.input, &f.reason],
        )?;
    }
    let updated = tx.execute(
        "UPDATE runs SET new_docs = new_docs + $1, duplicates = duplicates + $2,
           near_duplicates = near_duplicates + $3, failed = failed + $4, events = events + $5,
           batches = batches + 1 WHERE run_id = $6",
        &[
            &tally.new_docs,
            &tally.duplicates,
            &tally.near_duplicates,
            &(failures.len() as i64),
            &tally.events,
            &run_id,
        ],
    )?;
    if updated != 1 {
        return Err(Error::Query {
            query: format!("run {run_id}"),
            message: "no such run; call begin_run first".into(),
        });
    }
    Ok(outcomes)
}

/// Writes a merged event into the dataset.
const INSERT_DATASET_EVENT: &str = "INSERT INTO dataset_events (event_id, sort_key, date,
    event_type, sub_event_type, admin1, admin1_pcode, latitude, longitude, factual, actors_key,
    corroboration, component, body, confidence, background, iso, fatalities, cell)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
      $19)";

/// Inserts a merged event into the dataset with `statement` ([`INSERT_DATASET_EVENT`], as text
/// or prepared).
fn insert_dataset_event<S: ToStatement + ?Sized>(
    client: &mut impl GenericClient,
    statement: &S,
    m: &Merged,
    component: &str,
) -> Result<(), Error> {
    let e = &m.event;
    let body = serde_json::to_string(e).map_err(|err| corrupt(&e.event_id, err))?;
    let date = e.date.map(|d| d.to_string());
    client.execute(
        statement,
        &[
            &e.event_id,
            &date.clone().unwrap_or_else(|| "~".into()),
            &date,
            &e.event_type.as_str(),
            &e.sub_event_type.as_str(),
            &e.admin1,
            &e.admin1_pcode,
            &e.latitude,
            &e.longitude,
            &e.modality.is_factual(),
            &actors_key(e),
            &(m.corroboration as i64),
            &component,
            &body,
            &e.confidence,
            &e.background,
            &e.iso.map(i32::from),
            &e.fatalities.map(|f| f.best as i64),
            &crate::page::cell_of(e.latitude, e.longitude).map(|c| c as i32),
        ],
    )?;
    Ok(())
}

/// The split parts reviewers gave report events (a few rows): merging cuts groups along them.
fn load_splits(client: &mut impl GenericClient) -> Result<HashMap<String, String>, Error> {
    Ok(client
        .query("SELECT event_id, part FROM review_splits", &[])?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Writes one batch or one re-coding inside a transaction that holds the write lock: the
/// PostgreSQL twin of the SQLite writer, with the same merging steps.
struct Writer<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    /// Statements prepared on this connection, by their SQL: each is parsed once per process.
    statements: &'t mut Statements,
    merge: &'t MergeConfig,
    near: &'t NearDuplicates,
    /// Report events read or written in this batch, parsed.
    cache: HashMap<String, Rc<Event>>,
    /// The events stored in this batch, in order, with their date windows: merged at its end.
    stored: Vec<StoredEvent>,
    /// Report event → the split part a reviewer gave it.
    splits: HashMap<String, String>,
}

impl Writer<'_, '_> {
    fn prepared(&mut self, sql: &str) -> Result<Statement, Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, Error> {
        let statement = self.prepared(sql)?;
        Ok(self.tx.query(&statement, params)?)
    }

    fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, Error> {
        let statement = self.prepared(sql)?;
        Ok(self.tx.query_one(&statement, params)?)
    }

    fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, Error> {
        let statement = self.prepared(sql)?;
        Ok(self.tx.execute(&statement, params)?)
    }

    fn insert_dataset_event(&mut self, m: &Merged, component: &str) -> Result<(), Error> {
        let statement = self.prepared(INSERT_DATASET_EVENT)?;
        insert_dataset_event(&mut *self.tx, &statement, m, component)
    }

    fn insert_report(
        &mut self,
        run_id: i64,
        report: Report,
        tally: &mut Tally,
    ) -> Result<Outcome, Error> {
        let Report {
            document: doc,
            terms,
            signature,
            events,
        } = report;
        // The stored report with this text, or with this id: one round trip for both.
        let known = self.query(
            "SELECT doc_id, true FROM documents WHERE content_hash = $1
             UNION ALL SELECT doc_id, false FROM documents WHERE doc_id = $2",
            &[&doc.content_hash, &doc.id],
        )?;
        if let Some(row) = known.iter().find(|r| r.get::<_, bool>(1)) {
            let of: String = row.get(0);
            tally.duplicates += 1;
            tracing::debug!(doc_id = %doc.id, of = %of, "exact duplicate, not stored");
            return Ok(Outcome::Duplicate { doc_id: doc.id, of });
        }
        if !known.is_empty() {
            return Err(Error::DocIdTaken { doc_id: doc.id });
        }

        // Near duplicates, as in SQLite: candidates share an LSH band, those sharing the most
        // bands are verified first, and only the first MAX_VERIFIED of them.
        let bands = crate::stored_bands(&signature);
        let mut shared: BTreeMap<i64, usize> = BTreeMap::new();
        // Every band at once: one round trip rather than one per band.
        let rows = self.query(
            "SELECT b.doc FROM unnest($1::bigint[]) AS k(key), LATERAL
               (SELECT doc FROM doc_bands WHERE band_key = k.key ORDER BY doc LIMIT $2) b",
            &[&bands, &(MAX_BAND_CANDIDATES as i64)],
        )?;
        for row in rows {
            *shared.entry(row.get(0)).or_default() += 1;
        }
        let mut candidates: Vec<(usize, i64)> =
            shared.into_iter().map(|(doc, n)| (n, doc)).collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        candidates.truncate(MAX_VERIFIED);
        let mut best: Option<(f64, String)> = None;
        let mut stories: BTreeSet<String> = BTreeSet::new();
        let wanted: Vec<i64> = candidates.iter().map(|c| c.1).collect();
        let mut found: HashMap<i64, Row> = HashMap::new();
        for row in self.query(
            "SELECT s.doc, s.signature, d.doc_id, d.story_id FROM doc_signatures s
             JOIN documents d ON d.id = s.doc WHERE s.doc = ANY($1)",
            &[&wanted],
        )? {
            found.insert(row.get(0), row);
        }
        for (_, cand) in &candidates {
            let row = found
                .get(cand)
                .ok_or_else(|| corrupt(&format!("document {cand}"), "no signature"))?;
            let blob: Vec<u8> = row.get(1);
            let other = Signature::from_bytes(&blob)
                .ok_or_else(|| corrupt(&format!("document {cand}"), "bad signature"))?;
            let sim = signature.similarity(&other);
            if sim >= self.near.threshold {
                let doc_id: String = row.get(2);
                stories.insert(row.get(3));
                if best.as_ref().is_none_or(|(s, _)| sim > *s) {
                    best = Some((sim, doc_id));
                }
            }
        }
        let story_id = stories
            .iter()
            .next()
            .map_or(doc.id.clone(), |s| s.min(&doc.id).clone());
        for old in &stories {
            if *old != story_id {
                self.execute(
                    "UPDATE documents SET story_id = $1 WHERE story_id = $2",
                    &[&story_id, old],
                )?;
            }
        }
        // The document, its signature and its band rows in one statement.
        self.execute(
            "WITH d AS (
               INSERT INTO documents (doc_id, content_hash, title, source, url, published, text,
                 story_id, run_id, terms, encoding)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, array_to_tsvector($10), $13)
               RETURNING id),
             s AS (INSERT INTO doc_signatures (doc, signature) SELECT id, $11 FROM d)
             INSERT INTO doc_bands (band_key, doc)
             SELECT DISTINCT k, d.id FROM d, unnest($12::bigint[]) k ON CONFLICT DO NOTHING",
            &[
                &doc.id,
                &doc.content_hash,
                &doc.title,
                &doc.source,
                &doc.url,
                &doc.published.map(|p| p.to_string()),
                &doc.text,
                &story_id,
                &run_id,
                &terms
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<&str>>(),
                &signature.to_bytes(),
                &bands,
                &doc.encoding,
            ],
        )?;

        let prepared = prepare_events(&doc, events);
        let count = prepared.len();
        for e in prepared {
            self.insert_event(e)?;
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

    /// Replaces a stored report's events (see [`Store::recode_batch`]); the components its
    /// old events were in are added to `affected`, to be merged again.
    fn recode_report(
        &mut self,
        run_id: i64,
        doc: &Document,
        events: Vec<Event>,
        affected: &mut BTreeSet<String>,
    ) -> Result<Recoded, Error> {
        for e in &events {
            check_event(doc, e)?;
        }
        let new = prepare_events(doc, events);
        let old: Vec<(String, String)> = self
            .query(
                "SELECT event_id, body FROM report_events WHERE doc_id = $1 ORDER BY event_id",
                &[&doc.id],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        self.execute(
            "UPDATE documents SET coded_run = $1 WHERE doc_id = $2",
            &[&run_id, &doc.id],
        )?;
        // Compared as stored (JSON text), so that a float read back is not a reason to differ.
        let mut same = old.len() == new.len();
        if same {
            for ((id, body), e) in old.iter().zip(&new) {
                if *body != serde_json::to_string(e).map_err(|err| corrupt(id, err))? {
                    same = false;
                    break;
                }
            }
        }
        let recoded = Recoded {
            doc_id: doc.id.clone(),
            before: old.len(),
            after: new.len(),
            changed: !same,
        };
        if same {
            return Ok(recoded);
        }
        let components = self.query(
            "SELECT DISTINCT component FROM report_events WHERE doc_id = $1",
            &[&doc.id],
        )?;
        affected.extend(components.iter().map(|r| r.get::<_, String>(0)));
        self.tx
            .execute("DELETE FROM report_events WHERE doc_id = $1", &[&doc.id])?;
        for (id, _) in &old {
            self.cache.remove(id);
        }
        for e in new {
            self.insert_event(e)?;
        }
        Ok(recoded)
    }

    /// Merges again after [`Writer::recode_report`], as the SQLite writer does: the other
    /// events of the affected components are taken apart and merged like new events, in
    /// `event_id` order, followed by the recoded reports' new events.
    fn remerge(&mut self, affected: &BTreeSet<String>) -> Result<(), Error> {
        let recoded = std::mem::take(&mut self.stored);
        let fresh: BTreeSet<&str> = recoded.iter().map(|(id, _)| id.as_str()).collect();
        let list: Vec<String> = affected.iter().cloned().collect();
        let members: Vec<String> = self
            .query(
                "SELECT event_id FROM report_events WHERE component = ANY($1) ORDER BY event_id",
                &[&list],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut all: Vec<StoredEvent> = Vec::new();
        for id in members {
            if fresh.contains(id.as_str()) {
                continue;
            }
            let window = rasd_resolve::date_window(&*self.load(&id)?);
            all.push((id, window));
        }
        self.execute(
            "DELETE FROM dataset_events WHERE component = ANY($1)",
            &[&list],
        )?;
        self.execute(
            "UPDATE report_events SET component = event_id, dataset_id = event_id
             WHERE component = ANY($1)",
            &[&list],
        )?;
        all.sort();
        all.extend(recoded.iter().cloned());
        self.merge_batch(&all)
    }

    fn insert_event(&mut self, e: Event) -> Result<(), Error> {
        let window = rasd_resolve::date_window(&e);
        let body = serde_json::to_string(&e).map_err(|err| corrupt(&e.event_id, err))?;
        let inserted = self.execute(
            "INSERT INTO report_events (event_id, doc_id, sub_event_type, factual, window_lo,
               window_hi, latitude, longitude, geo_rank, admin1_pcode, admin1_name,
               location_pcode, component, dataset_id, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $1, $1, $13)
             ON CONFLICT (event_id) DO NOTHING",
            &[
                &e.event_id,
                &e.doc_id,
                &e.sub_event_type.as_str(),
                &e.modality.is_factual(),
                &window.map(|w| w.0),
                &window.map(|w| w.1),
                &e.latitude,
                &e.longitude,
                &i64::from(rasd_resolve::geo_rank(&e)),
                &e.admin1_pcode,
                &admin1_name(&e),
                &e.location_pcode,
                &body,
            ],
        )?;
        if inserted == 0 {
            let other: String = self
                .query_one(
                    "SELECT doc_id FROM report_events WHERE event_id = $1",
                    &[&e.event_id],
                )?
                .get(0);
            return Err(Error::BadEvent {
                doc_id: e.doc_id.clone(),
                event_id: e.event_id.clone(),
                message: format!("the id is already used by an event of report {other}"),
            });
        }
        self.stored.push((e.event_id.clone(), window));
        self.cache.insert(e.event_id.clone(), Rc::new(e));
        Ok(())
    }

    /// The components of the stored events the event is compatible with, found as the SQLite
    /// writer finds them (same sub-event type, overlapping date windows, within reach of the
    /// place), then decided by [`rasd_resolve::compatible`].
    fn compatible_components(
        &mut self,
        e: &Event,
        window: Option<(i64, i64)>,
        visible: &dyn Fn(&str) -> bool,
    ) -> Result<BTreeSet<String>, Error> {
        let mut components: BTreeSet<String> = BTreeSet::new();
        let rank = rasd_resolve::geo_rank(e);
        let (true, Some((lo, hi)), true) = (e.modality.is_factual(), window, rank < 4) else {
            return Ok(components);
        };
        let slack = i64::from(self.merge.day_slack);
        let mut args: Vec<Param> = vec![
            Box::new(e.sub_event_type.as_str().to_string()),
            Box::new(e.event_id.clone()),
            Box::new(lo - MAX_WINDOW_DAYS - slack),
            Box::new(hi + slack),
            Box::new(lo - slack),
        ];
        let place = match (e.latitude, e.longitude, rank <= 2) {
            (Some(lat), Some(lon), true) => {
                let km = self.merge.near_km.max(self.merge.max_km);
                let dlat = km / 110.5 + 1e-6;
                let dlon = km / (111.3 * lat.to_radians().cos().abs().max(0.01)) + 1e-6;
                for v in [lat - dlat, lat + dlat, lon - dlon, lon + dlon] {
                    args.push(Box::new(v));
                }
                args.push(Box::new(e.admin1_pcode.clone()));
                args.push(Box::new(admin1_name(e)));
                "((latitude BETWEEN $6 AND $7 AND longitude BETWEEN $8 AND $9)
                   OR ((geo_rank = 3 OR latitude IS NULL)
                       AND (admin1_pcode = $10 OR admin1_name = $11)))"
            }
            _ => {
                args.push(Box::new(e.admin1_pcode.clone()));
                args.push(Box::new(admin1_name(e)));
                args.push(Box::new(e.location_pcode.clone()));
                "(admin1_pcode = $6 OR admin1_name = $7 OR location_pcode = $8)"
            }
        };
        let sql = format!(
            "SELECT event_id, component FROM report_events
             WHERE sub_event_type = $1 AND factual AND event_id <> $2
               AND window_lo BETWEEN $3 AND $4 AND window_hi >= $5 AND {place}"
        );
        let rows = self.query(&sql, &refs(&args))?;
        for row in rows {
            let (id, component): (String, String) = (row.get(0), row.get(1));
            if components.contains(&component) || !visible(&id) {
                continue;
            }
            let other = self.load(&id)?;
            if rasd_resolve::compatible(e, &other, self.merge) {
                components.insert(component);
            }
        }
        Ok(components)
    }

    /// Merges the batch's new events into the dataset in the order they were stored, with the
    /// SQLite writer's steps (see its `merge_batch`).
    fn merge_batch(&mut self, new: &[StoredEvent]) -> Result<(), Error> {
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
                    // Events of this batch are stored as their own component until merged.
                    let size = if order.contains_key(component.as_str()) {
                        1
                    } else {
                        self.tx
                            .query_one(
                                "SELECT count(*) FROM report_events WHERE component = $1",
                                &[&component],
                            )?
                            .get(0)
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
            if components.iter().any(|c| order.contains_key(c.as_str())) {
                self.recluster(&components, &order)?;
            }
        }
        Ok(())
    }

    /// Re-clusters the union of `components` and rewrites the dataset events that changed.
    fn recluster(
        &mut self,
        components: &[String],
        new: &HashMap<&str, usize>,
    ) -> Result<(), Error> {
        if let [single] = components {
            if new.contains_key(single.as_str()) {
                let e = self.load(single)?;
                return self.insert_dataset_event(&rasd_resolve::merge(&[&e]), single);
            }
        }
        let old: Vec<(String, String, String)> = self
            .query(
                "SELECT event_id, component, dataset_id FROM report_events
                 WHERE component = ANY($1) ORDER BY event_id",
                &[&components],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let members: Vec<Rc<Event>> = old
            .iter()
            .map(|(id, _, _)| self.load(id))
            .collect::<Result<_, _>>()?;
        let Some(component) = old.first().map(|m| m.0.clone()) else {
            return Ok(());
        };
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
        let groups: Vec<Vec<usize>> = rasd_resolve::cluster(&refs, self.merge)
            .into_iter()
            .flat_map(|c| crate::review::partition(c, &refs, &self.splits))
            .collect();
        for c in groups {
            let ids: BTreeSet<&str> = c.iter().map(|&i| refs[i].event_id.as_str()).collect();
            let lead = refs[c[0]].event_id.as_str();
            let same = !ids.iter().any(|id| new.contains_key(id))
                && old_groups.get(lead).is_some_and(|g| *g == ids);
            if same {
                kept.insert(lead.to_string());
                if old_component.get(lead).is_some_and(|oc| *oc != component) {
                    self.execute(
                        "UPDATE dataset_events SET component = $1 WHERE event_id = $2",
                        &[&component, &lead],
                    )?;
                    self.execute(
                        "UPDATE report_events SET component = $1 WHERE dataset_id = $2",
                        &[&component, &lead],
                    )?;
                }
            } else {
                let group: Vec<&Event> = c.iter().map(|&i| refs[i]).collect();
                changed.push(rasd_resolve::merge(&group));
            }
        }
        for dataset in old_groups.keys() {
            if !kept.contains(*dataset) && !new.contains_key(dataset) {
                self.tx
                    .execute("DELETE FROM dataset_events WHERE event_id = $1", &[dataset])?;
            }
        }
        let placed: HashMap<&str, (&str, &str)> = old
            .iter()
            .map(|(id, comp, dataset)| (id.as_str(), (comp.as_str(), dataset.as_str())))
            .collect();
        for merged in changed {
            self.insert_dataset_event(&merged, &component)?;
            let dataset = merged.event.event_id.as_str();
            let moved: Vec<&String> = merged
                .members
                .iter()
                .filter(|id| placed.get(id.as_str()) != Some(&(component.as_str(), dataset)))
                .collect();
            if !moved.is_empty() {
                self.execute(
                    "UPDATE report_events SET component = $1, dataset_id = $2
                     WHERE event_id = ANY($3)",
                    &[&component, &dataset, &moved],
                )?;
            }
        }
        Ok(())
    }

    /// A report event, parsed once per batch.
    fn load(&mut self, id: &str) -> Result<Rc<Event>, Error> {
        if let Some(e) = self.cache.get(id) {
            return Ok(Rc::clone(e));
        }
        let body: String = self
            .query_one("SELECT body FROM report_events WHERE event_id = $1", &[&id])?
            .get(0);
        let e = Rc::new(serde_json::from_str(&body).map_err(|err| corrupt(id, err))?);
        self.cache.insert(id.to_string(), Rc::clone(&e));
        Ok(e)
    }
}

fn read_document(row: &postgres::Row) -> (Document, String, i64) {
    let published: Option<String> = row.get(5);
    let doc = Document {
        id: row.get(0),
        content_hash: row.get(1),
        title: row.get(2),
        source: row.get(3),
        url: row.get(4),
        published: published.and_then(|p| Published::parse(&p).ok()),
        text: row.get(6),
        encoding: row.get(9),
    };
    (doc, row.get(7), row.get(8))
}

/// The review states of every reviewed event (a few, next to the dataset).
fn load_overlay(client: &mut Client) -> Result<Overlay, Error> {
    let mut overlay = Overlay::default();
    let rows = client.query(
        "SELECT event_id, status, fields, merged_into FROM reviews",
        &[],
    )?;
    for r in &rows {
        let (id, status, fields, merged_into): (String, String, String, Option<String>) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
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
fn machine_event(client: &mut Client, id: &str) -> Result<Option<Event>, Error> {
    let Some(row) = client.query_opt(
        "SELECT body, corroboration FROM dataset_events WHERE event_id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let (body, corroboration): (String, i64) = (row.get(0), row.get(1));
    let mut event: Event = serde_json::from_str(&body).map_err(|e| corrupt(id, e))?;
    event.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
    Ok(Some(event))
}

/// The event with its review and the events merged into it laid over it.
fn reviewed(client: &mut Client, overlay: &Overlay, event: Event) -> Result<Event, Error> {
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
        if let Some(m) = machine_event(client, id)? {
            merged.push(crate::review::apply(m, overlay.states.get(id), &[])?);
        }
    }
    let state = overlay.states.get(&event.event_id);
    crate::review::apply(event, state, &merged)
}

/// The dataset event a dataset or report event id names.
fn dataset_id_of(client: &mut Client, event_id: &str) -> Result<Option<String>, Error> {
    Ok(client
        .query_opt(
            "SELECT event_id FROM dataset_events WHERE event_id = $1
             UNION ALL SELECT dataset_id FROM report_events WHERE event_id = $1 LIMIT 1",
            &[&event_id],
        )?
        .map(|r| r.get(0)))
}

impl PgStore {
    /// [`Store::review`] inside an open transaction.
    fn review_in_tx(&self, review: &Review) -> Result<DatasetEvent, Error> {
        let refuse = |message: String| Error::Review {
            event_id: review.event_id.clone(),
            message,
        };
        let id = dataset_id_of(&mut self.client.borrow_mut(), &review.event_id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let before = self
            .event(&id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let overlay = load_overlay(&mut self.client.borrow_mut())?;
        let state = overlay.states.get(&id).cloned().unwrap_or_default();
        if let ReviewAction::Split { events } = &review.action {
            return self.split_in_tx(review, &id, &before, &state, events);
        }
        let action = match &review.action {
            ReviewAction::Merge { into } => {
                let target = dataset_id_of(&mut self.client.borrow_mut(), into)?
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
            let machine = machine_event(&mut self.client.borrow_mut(), &id)?
                .ok_or_else(|| refuse("no such event".into()))?;
            let mut all = state.fields.clone();
            all.extend(fields.clone());
            crate::review::check_fields(&machine, &all)?;
        }
        let status = next.status.map_or("", rasd_core::ReviewStatus::as_str);
        let fields =
            serde_json::to_string(&next.fields).map_err(|e| refuse(format!("fields: {e}")))?;
        let at = now();
        self.client.borrow_mut().execute(
            "INSERT INTO reviews (event_id, status, fields, merged_into, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (event_id) DO UPDATE SET status = $2, fields = $3,
               merged_into = $4, updated_at = $5, updated_by = $6",
            &[&id, &status, &fields, &next.merged_into, &at, &review.who],
        )?;
        let after = self
            .event(&id)?
            .ok_or_else(|| refuse("no such event".into()))?;
        let json = |e: &Event| serde_json::to_string(e).map_err(|err| corrupt(&id, err));
        self.client.borrow_mut().execute(
            "INSERT INTO review_log (event_id, action, who, at, comment, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &action.name(),
                &review.who,
                &at,
                &review.comment,
                &json(&before.event)?,
                &json(&after.event)?,
            ],
        )?;
        Ok(after)
    }
}

impl PgStore {
    /// A split of the dataset event `id` inside the review's transaction, as the SQLite store
    /// makes it (see its `split_in_tx`). Returns the new event.
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
        let (component, events, part) = {
            let mut client = self.client.borrow_mut();
            let rows = client.query(
                "SELECT event_id, component, body FROM report_events WHERE dataset_id = $1
                 ORDER BY event_id",
                &[&id],
            )?;
            let members: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            crate::review::check_split(id, &members, moved)?;
            let component: String = rows
                .first()
                .map(|r| r.get(1))
                .ok_or_else(|| refuse("the event has no report events".into()))?;
            let events: Vec<Event> = rows
                .iter()
                .map(|r| {
                    let body: &str = r.get(2);
                    serde_json::from_str(body).map_err(|err| corrupt(r.get(0), err))
                })
                .collect::<Result<_, _>>()?;
            let seq: i64 = client
                .query_one("SELECT coalesce(max(seq), 0) + 1 FROM review_log", &[])?
                .get(0);
            (component, events, crate::review::split_part(seq))
        };
        let (leaving, staying): (Vec<&Event>, Vec<&Event>) =
            events.iter().partition(|e| moved.contains(&e.event_id));
        let (kept, split) = (rasd_resolve::merge(&staying), rasd_resolve::merge(&leaving));
        let new_id = split.event.event_id.clone();
        let fields =
            serde_json::to_string(&next.fields).map_err(|e| refuse(format!("fields: {e}")))?;
        let at = now();
        let status = rasd_core::ReviewStatus::Corrected.as_str();
        {
            let mut client = self.client.borrow_mut();
            client.execute("DELETE FROM dataset_events WHERE event_id = $1", &[&id])?;
            insert_dataset_event(&mut *client, INSERT_DATASET_EVENT, &kept, &component)?;
            insert_dataset_event(&mut *client, INSERT_DATASET_EVENT, &split, &component)?;
            client.execute(
                "INSERT INTO review_splits (event_id, part) SELECT unnest($1::text[]), $2
                 ON CONFLICT (event_id) DO UPDATE SET part = EXCLUDED.part",
                &[&split.members, &part],
            )?;
            client.execute(
                "UPDATE report_events SET dataset_id = $1 WHERE event_id = ANY($2)",
                &[&new_id, &split.members],
            )?;
            for (event, fields) in [(id, fields.as_str()), (new_id.as_str(), "{}")] {
                client.execute(
                    "INSERT INTO reviews (event_id, status, fields, merged_into, updated_at,
                       updated_by)
                     VALUES ($1, $2, $3, NULL, $4, $5)
                     ON CONFLICT (event_id) DO UPDATE SET status = $2, merged_into = NULL,
                       updated_at = $4, updated_by = $5",
                    &[&event, &status, &fields, &at, &review.who],
                )?;
            }
        }
        let json = |e: &Event| serde_json::to_string(e).map_err(|err| corrupt(id, err));
        let mut after_new = None;
        for event in [id, new_id.as_str()] {
            let after = self
                .event(event)?
                .ok_or_else(|| refuse(format!("{event} cannot be read after the split")))?;
            self.client.borrow_mut().execute(
                "INSERT INTO review_log (event_id, action, who, at, comment, before, after)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &event,
                    &review.action.name(),
                    &review.who,
                    &at,
                    &review.comment,
                    &json(&before.event)?,
                    &json(&after.event)?,
                ],
            )?;
            after_new = Some(after);
        }
        after_new.ok_or_else(|| refuse("the split made no event".into()))
    }
}

/// Adds an argument and names its placeholder.
fn arg(args: &mut Vec<Param>, v: Param) -> String {
    args.push(v);
    format!("${}", args.len())
}

/// The SQL conditions that keep the dataset events `filter` selects, judged on the analyzer's
/// coding, all but the full-text one ([`text_condition`]); their arguments are added to
/// `args`.
fn conditions(filter: &EventFilter, args: &mut Vec<Param>) -> Result<Vec<String>, Error> {
    let mut conds: Vec<String> = Vec::new();
    if !filter.include_non_factual {
        conds.push("factual".into());
    }
    if let Some(t) = filter.event_type {
        let p = arg(args, Box::new(t.as_str().to_string()));
        conds.push(format!("event_type = {p}"));
    }
    if let Some(t) = filter.sub_event_type {
        let p = arg(args, Box::new(t.as_str().to_string()));
        conds.push(format!("sub_event_type = {p}"));
    }
    // Dates bound the sort key (the date, or `~` after every date when undated), so that
    // the range is read from the indexes in the list's order.
    if let Some(d) = filter.from {
        let p = arg(args, Box::new(d.to_string()));
        conds.push(format!("sort_key >= {p} AND sort_key <> '~'"));
    }
    if let Some(d) = filter.to {
        let p = arg(args, Box::new(d.to_string()));
        conds.push(format!("sort_key <= {p}"));
    }
    if let Some(a) = &filter.admin1 {
        let a = a.trim();
        if is_governorate_pcode(a) {
            // A P-code is never a governorate's name: look it up in the index by P-code
            // (stored in upper case, as OCHA writes them).
            let p = arg(args, Box::new(a.to_ascii_uppercase()));
            conds.push(format!("admin1_pcode = {p}"));
        } else {
            let p = arg(args, Box::new(a.to_lowercase()));
            conds.push(format!(
                "(lower(admin1) = {p} OR lower(admin1_pcode) = {p})"
            ));
        }
    }
    if let Some(a) = &filter.actor {
        let p = arg(args, Box::new(actor_needle(a)));
        conds.push(format!("strpos(actors_key, {p}) > 0"));
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
        let [a, b, c, d] =
            [lat - dlat, lat + dlat, lon - dlon, lon + dlon].map(|v| arg(args, Box::new(v)));
        conds.push(format!(
            "latitude BETWEEN {a} AND {b} AND longitude BETWEEN {c} AND {d}"
        ));
    }
    if let Some(b) = filter.bbox {
        let [a, b, c, d] = [b.south, b.north, b.west, b.east].map(|v| arg(args, Box::new(v)));
        conds.push(format!(
            "latitude BETWEEN {a} AND {b} AND longitude BETWEEN {c} AND {d}"
        ));
    }
    if let Some(m) = filter.min_confidence {
        let p = arg(args, Box::new(m));
        conds.push(format!("confidence >= {p}"));
    }
    if let Some(iso) = filter.country {
        let p = arg(args, Box::new(i32::from(iso)));
        conds.push(format!("coalesce(iso, {SYRIA_ISO}) = {p}"));
    }
    if filter.exclude_background {
        conds.push("NOT background".into());
    }
    Ok(conds)
}

/// The full-text condition of `filter`, if it has one; its argument is added to `args`.
fn text_condition(filter: &EventFilter, args: &mut Vec<Param>) -> Result<Option<String>, Error> {
    let Some(text) = &filter.text else {
        return Ok(None);
    };
    let p = arg(args, Box::new(ts_query(text)?));
    Ok(Some(format!(
        "event_id IN (SELECT re.dataset_id FROM report_events re JOIN documents d
           ON d.doc_id = re.doc_id WHERE d.terms @@ CAST({p}::text AS tsquery))"
    )))
}

/// SQL conditions and their arguments.
type Conditions = (Vec<String>, Vec<Param>);

/// Keeps out of a query the events a review touched (see the `page` module).
const UNTOUCHED: &str = "event_id NOT IN (SELECT event_id FROM reviews)
    AND event_id NOT IN (SELECT merged_into FROM reviews WHERE merged_into IS NOT NULL)";

impl PgStore {
    /// A statement prepared once per connection.
    fn statement(&self, sql: &str) -> Result<Statement, Error> {
        if let Some(s) = self.reads.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.borrow_mut().prepare(sql)?;
        self.reads.borrow_mut().insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// The events a review touched that pass `filter` on their corrected values, past
    /// `after`, each with its stored sort key.
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
        let ids: Vec<String> = overlay
            .states
            .keys()
            .chain(overlay.merged_into.keys())
            .cloned()
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        let mut args: Vec<Param> = vec![Box::new(ids)];
        let mut sql = "SELECT sort_key, event_id, body, corroboration FROM dataset_events
                       WHERE event_id = ANY($1)"
            .to_string();
        if let Some(cond) = text_condition(filter, &mut args)? {
            sql = format!("{sql} AND {cond}");
        }
        let statement = self.statement(&sql)?;
        let rows = self.client.borrow_mut().query(&statement, &refs(&args))?;
        for r in &rows {
            let (key, id, body, corroboration): (String, String, String, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            if after.is_some_and(|(k, i)| (&key, &id) <= (k, i)) {
                continue;
            }
            let mut e: Event = serde_json::from_str(&body).map_err(|err| corrupt(&id, err))?;
            e.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
            let e = reviewed(&mut self.client.borrow_mut(), overlay, e)?;
            if filter.matches(&e) {
                out.push((key, e));
            }
        }
        Ok(out)
    }

    /// How many events of each of `cells` box `b` holds (`dataset_points`); cells without
    /// events are left out.
    fn cell_shares(&self, b: &crate::BoundingBox, cells: &[i64]) -> Result<Vec<CellShare>, Error> {
        let cells: Vec<i32> = cells
            .iter()
            .filter_map(|&c| i32::try_from(c).ok())
            .collect();
        let statement = self.statement(
            "SELECT cell, sum(events)::bigint, coalesce(sum(events) FILTER (WHERE inside), 0)::bigint,
               count(*) FILTER (WHERE inside)
             FROM (SELECT cell, events, latitude BETWEEN $2 AND $3 AND longitude BETWEEN $4 AND $5
                     AS inside
                   FROM dataset_points WHERE cell = ANY($1)) p
             GROUP BY cell",
        )?;
        let rows = self
            .client
            .borrow_mut()
            .query(&statement, &[&cells, &b.south, &b.north, &b.west, &b.east])?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(rows
            .iter()
            .map(|r| CellShare {
                cell: i64::from(r.get::<_, i32>(0)),
                events: count(r.get(1)),
                held: count(r.get(2)),
                points: count(r.get(3)),
            })
            .collect())
    }

    /// The points (`dataset_points`) of `cells` inside box `b`.
    fn points_in(&self, b: &crate::BoundingBox, cells: &[i64]) -> Result<Vec<(f64, f64)>, Error> {
        let cells: Vec<i32> = cells
            .iter()
            .filter_map(|&c| i32::try_from(c).ok())
            .collect();
        let statement = self.statement(
            "SELECT latitude, longitude FROM dataset_points
             WHERE cell = ANY($1) AND latitude BETWEEN $2 AND $3 AND longitude BETWEEN $4 AND $5",
        )?;
        let rows = self
            .client
            .borrow_mut()
            .query(&statement, &[&cells, &b.south, &b.north, &b.west, &b.east])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Up to `want` untouched events past `after` inside box `b`, read by its `parts` (see
    /// [`crate::page::box_parts`]), in order, as `(sort_key, event_id, json)`: each part is
    /// read in order from its index up to `want` events (`conds`, with their `args`, applied
    /// to each event, and the box's test to those of a cell not held whole), and the first
    /// `want` of them all make the page.
    fn box_page(
        &self,
        b: &crate::BoundingBox,
        parts: &[BoxPart],
        conds: &[String],
        mut args: Vec<Param>,
        after: &(String, String),
        want: usize,
    ) -> Result<Vec<(String, String, String)>, Error> {
        let (mut whole, mut tested) = (Vec::<i32>::new(), Vec::<i32>::new());
        let (mut lats, mut lons) = (Vec::<f64>::new(), Vec::<f64>::new());
        for part in parts {
            match *part {
                BoxPart::Cell { cell, whole: true } => whole.extend(i32::try_from(cell).ok()),
                BoxPart::Cell { cell, whole: false } => tested.extend(i32::try_from(cell).ok()),
                BoxPart::Point {
                    latitude,
                    longitude,
                } => {
                    lats.push(latitude);
                    lons.push(longitude);
                }
            }
        }
        let conds = conds.join(" AND ");
        let [k, i, n] = [
            arg(&mut args, Box::new(after.0.clone())),
            arg(&mut args, Box::new(after.1.clone())),
            arg(&mut args, Box::new(want as i64)),
        ];
        let [south, north, west, east] =
            [b.south, b.north, b.west, b.east].map(|v| arg(&mut args, Box::new(v)));
        let [whole, tested, lats, lons] = [
            arg(&mut args, Box::new(whole)),
            arg(&mut args, Box::new(tested)),
            arg(&mut args, Box::new(lats)),
            arg(&mut args, Box::new(lons)),
        ];
        let part_page = |part: &str| {
            format!(
                "SELECT sort_key, event_id FROM dataset_events
                 WHERE {part} AND {conds} AND (sort_key, event_id) > ({k}, {i})
                 ORDER BY sort_key, event_id LIMIT {n}"
            )
        };
        let sql = format!(
            "SELECT e.sort_key, e.event_id, e.body FROM (
               SELECT s.sort_key, s.event_id FROM unnest({whole}::integer[]) AS part(part_cell)
               CROSS JOIN LATERAL ({whole_cell}) s
               UNION ALL
               SELECT s.sort_key, s.event_id FROM unnest({tested}::integer[]) AS part(part_cell)
               CROSS JOIN LATERAL ({tested_cell}) s
               UNION ALL
               SELECT s.sort_key, s.event_id
               FROM unnest({lats}::double precision[], {lons}::double precision[])
                 AS part(part_lat, part_lon)
               CROSS JOIN LATERAL ({point}) s
               ORDER BY 1, 2 LIMIT {n}
             ) page JOIN dataset_events e ON e.event_id = page.event_id
             ORDER BY e.sort_key, e.event_id",
            whole_cell = part_page("cell = part.part_cell"),
            tested_cell = part_page(&format!(
                "cell = part.part_cell AND latitude BETWEEN {south} AND {north}
                 AND longitude BETWEEN {west} AND {east}"
            )),
            point = part_page("latitude = part.part_lat AND longitude = part.part_lon"),
        );
        let statement = self.statement(&sql)?;
        let rows = self.client.borrow_mut().query(&statement, &refs(&args))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    /// The conditions that keep the untouched events `filter` selects (text included), with
    /// their arguments, or `None` when no untouched event can pass.
    fn untouched_conditions(
        &self,
        overlay: &Overlay,
        filter: &EventFilter,
    ) -> Result<Option<Conditions>, Error> {
        if !crate::ReviewChoice::matches(filter.review, None) {
            return Ok(None);
        }
        let mut args: Vec<Param> = Vec::new();
        let mut conds = conditions(filter, &mut args)?;
        if let Some(cond) = text_condition(filter, &mut args)? {
            conds.push(cond);
        }
        if !overlay.is_empty() {
            conds.push(UNTOUCHED.into());
        }
        conds.push("true".into());
        Ok(Some((conds, args)))
    }
}

impl Store for PgStore {
    fn begin_run(&mut self, info: &RunInfo) -> Result<i64, Error> {
        let inputs = serde_json::to_string(&info.inputs).map_err(|e| corrupt("run", e))?;
        Ok(self
            .client
            .get_mut()
            .query_one(
                "INSERT INTO runs (started_at, rasd_version, data_fingerprint, inputs)
                 VALUES ($1, $2, $3, $4) RETURNING run_id",
                &[&now(), &info.rasd_version, &info.data_fingerprint, &inputs],
            )?
            .get(0))
    }

    fn commit_batch(
        &mut self,
        run_id: i64,
        reports: Vec<Report>,
        failures: &[Failure],
    ) -> Result<Vec<Outcome>, Error> {
        let merge = self.merge;
        let near = self.near;
        let mut tx = self.client.get_mut().transaction()?;
        let outcomes = write_batch(
            &mut tx,
            &mut self.statements,
            &merge,
            &near,
            run_id,
            reports,
            failures,
        )?;
        tx.commit()?;
        Ok(outcomes)
    }

    fn report_ids(&self, filter: &ReportFilter) -> Result<Vec<String>, Error> {
        let mut sql = String::from(
            "SELECT d.doc_id FROM documents d
             JOIN runs r ON r.run_id = coalesce(d.coded_run, d.run_id) WHERE true",
        );
        let mut args: Vec<Param> = Vec::new();
        if !filter.doc_ids.is_empty() {
            args.push(Box::new(filter.doc_ids.clone()));
            sql.push_str(&format!(" AND d.doc_id = ANY(${})", args.len()));
        }
        if let Some(from) = filter.published_from {
            args.push(Box::new(from.to_string()));
            sql.push_str(&format!(
                " AND substr(d.published, 1, 10) >= ${}",
                args.len()
            ));
        }
        if let Some(to) = filter.published_to {
            args.push(Box::new(to.to_string()));
            sql.push_str(&format!(
                " AND substr(d.published, 1, 10) <= ${}",
                args.len()
            ));
        }
        if let Some(query) = &filter.text {
            args.push(Box::new(ts_query(query)?));
            sql.push_str(&format!(
                " AND d.terms @@ CAST(${}::text AS tsquery)",
                args.len()
            ));
        }
        if let Some(coding) = &filter.not_coded_by {
            args.push(Box::new(coding.rasd_version.clone()));
            args.push(Box::new(coding.data_fingerprint.clone()));
            sql.push_str(&format!(
                " AND NOT (r.rasd_version = ${} AND r.data_fingerprint = ${})",
                args.len() - 1,
                args.len()
            ));
        }
        sql.push_str(" ORDER BY d.id");
        Ok(self
            .client
            .borrow_mut()
            .query(&sql, &refs(&args))?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn recode_batch(
        &mut self,
        run_id: i64,
        reports: Vec<(Document, Vec<Event>)>,
    ) -> Result<Vec<Recoded>, Error> {
        let merge = self.merge;
        let near = self.near;
        let mut tx = self.client.get_mut().transaction()?;
        lock_writes(&mut tx)?;
        let mut outcomes = Vec::with_capacity(reports.len());
        let mut events = 0i64;
        {
            let splits = load_splits(&mut tx)?;
            let mut writer = Writer {
                splits,
                tx: &mut tx,
                statements: &mut self.statements,
                merge: &merge,
                near: &near,
                cache: HashMap::new(),
                stored: Vec::new(),
            };
            let mut affected = BTreeSet::new();
            for (doc, found) in reports {
                let stored: Option<String> = writer
                    .tx
                    .query_opt("SELECT text FROM documents WHERE doc_id = $1", &[&doc.id])?
                    .map(|r| r.get(0));
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
            "UPDATE runs SET events = events + $1, batches = batches + 1 WHERE run_id = $2",
            &[&events, &run_id],
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
            .client
            .borrow_mut()
            .query_opt(
                "SELECT r.run_id, r.rasd_version, r.data_fingerprint FROM documents d
                 JOIN runs r ON r.run_id = coalesce(d.coded_run, d.run_id) WHERE d.doc_id = $1",
                &[&doc_id],
            )?
            .map(|r| Coding {
                run_id: r.get(0),
                rasd_version: r.get(1),
                data_fingerprint: r.get(2),
            }))
    }

    fn finish_run(&mut self, run_id: i64) -> Result<RunRecord, Error> {
        self.client.get_mut().execute(
            "UPDATE runs SET finished_at = $1 WHERE run_id = $2",
            &[&now(), &run_id],
        )?;
        self.runs()?
            .into_iter()
            .find(|r| r.run_id == run_id)
            .ok_or_else(|| Error::Query {
                query: format!("run {run_id}"),
                message: "no such run".into(),
            })
    }

    fn doc_with_hash(&self, content_hash: &str) -> Result<Option<String>, Error> {
        Ok(self
            .client
            .borrow_mut()
            .query_opt(
                "SELECT doc_id FROM documents WHERE content_hash = $1",
                &[&content_hash],
            )?
            .map(|r| r.get(0)))
    }

    fn hash_of_doc(&self, doc_id: &str) -> Result<Option<String>, Error> {
        Ok(self
            .client
            .borrow_mut()
            .query_opt(
                "SELECT content_hash FROM documents WHERE doc_id = $1",
                &[&doc_id],
            )?
            .map(|r| r.get(0)))
    }

    fn document(&self, doc_id: &str) -> Result<Option<StoredDocument>, Error> {
        let row = self.client.borrow_mut().query_opt(
            "SELECT doc_id, content_hash, title, source, url, published, text, story_id, run_id,
               encoding
             FROM documents WHERE doc_id = $1",
            &[&doc_id],
        )?;
        Ok(row.map(|row| {
            let (document, story_id, run_id) = read_document(&row);
            StoredDocument {
                document,
                story_id,
                run_id,
            }
        }))
    }

    fn story(&self, doc_id: &str) -> Result<Vec<String>, Error> {
        Ok(self
            .client
            .borrow_mut()
            .query(
                "SELECT doc_id FROM documents WHERE story_id =
                   (SELECT story_id FROM documents WHERE doc_id = $1) ORDER BY doc_id",
                &[&doc_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn report_events(&self, doc_id: &str) -> Result<Vec<Event>, Error> {
        let rows = self.client.borrow_mut().query(
            "SELECT event_id, body FROM report_events WHERE doc_id = $1 ORDER BY event_id",
            &[&doc_id],
        )?;
        rows.iter()
            .map(|r| {
                let (id, body): (String, String) = (r.get(0), r.get(1));
                serde_json::from_str(&body).map_err(|err| corrupt(&id, err))
            })
            .collect()
    }

    fn events<'a>(
        &'a self,
        filter: &EventFilter,
    ) -> Result<Box<dyn Iterator<Item = Result<Event, Error>> + 'a>, Error> {
        let mut args: Vec<Param> = Vec::new();
        let mut conds = conditions(filter, &mut args)?;
        // A reviewer may have changed the fields the conditions above look at: reviewed
        // events pass them here and are judged on their corrected values by `matches`.
        let overlay = load_overlay(&mut self.client.borrow_mut())?;
        if !overlay.is_empty() && !conds.is_empty() {
            conds = vec![format!(
                "(({}) OR event_id IN (SELECT event_id FROM reviews))",
                conds.join(" AND ")
            )];
        }
        if let Some(cond) = text_condition(filter, &mut args)? {
            conds.push(cond);
        }
        let after_key = args.len() + 1;
        conds.push(format!(
            "(sort_key, event_id) > (${after_key}, ${})",
            after_key + 1
        ));
        let sql = format!(
            "SELECT sort_key, event_id, body, corroboration FROM dataset_events WHERE {}
             ORDER BY sort_key, event_id LIMIT {PAGE}",
            conds.join(" AND ")
        );
        // Prepare the statement once now, so that a bad filter fails here rather than
        // mid-stream.
        let statement = self.client.borrow_mut().prepare(&sql)?;
        Ok(Box::new(EventPages {
            client: &self.client,
            statement,
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
        let overlay = load_overlay(&mut self.client.borrow_mut())?;
        let after = filter.after.as_ref().map_or_else(
            || (String::new(), String::new()),
            |c| (c.sort_key.clone(), c.event_id.clone()),
        );
        let mut untouched: Vec<(String, String, String)> = Vec::new();
        let want = limit + 1;
        if let Some(b) = filter.bbox.filter(|_| filter.near.is_none()) {
            // Cells inside the box by their edges are proved whole, so that their events are
            // read untested: given the test, the planner expects few of them and sorts them
            // all rather than read the cell's index in order.
            let parts = crate::page::box_parts(
                &b,
                want,
                true,
                |cells| self.cell_shares(&b, cells),
                |cells| self.points_in(&b, cells),
            )?;
            if let Some(parts) = parts {
                let unboxed = EventFilter {
                    bbox: None,
                    ..filter.clone()
                };
                if let Some((conds, args)) = self.untouched_conditions(&overlay, &unboxed)? {
                    untouched = self.box_page(&b, &parts, &conds, args, &after, want)?;
                }
                let touched = self.touched_events(&overlay, filter, Some(&after))?;
                return crate::page::merge_page(untouched, touched, limit);
            }
        }
        if let Some((conds, mut args)) = self.untouched_conditions(&overlay, filter)? {
            let [k, i, n] = [
                arg(&mut args, Box::new(after.0.clone())),
                arg(&mut args, Box::new(after.1.clone())),
                arg(&mut args, Box::new(want as i64)),
            ];
            let sql = format!(
                "SELECT sort_key, event_id, body FROM dataset_events
                 WHERE {} AND (sort_key, event_id) > ({k}, {i})
                 ORDER BY sort_key, event_id LIMIT {n}",
                conds.join(" AND ")
            );
            let statement = self.statement(&sql)?;
            let (key_at, id_at) = (args.len() - 3, args.len() - 2);
            loop {
                let rows = self.client.borrow_mut().query(&statement, &refs(&args))?;
                let fetched = rows.len();
                for r in &rows {
                    let (key, id, json): (String, String, String) = (r.get(0), r.get(1), r.get(2));
                    args[key_at] = Box::new(key.clone());
                    args[id_at] = Box::new(id.clone());
                    // Only a distance is not decided by SQL (its box is): the event is read.
                    if filter.near.is_some() {
                        let e: Event =
                            serde_json::from_str(&json).map_err(|err| corrupt(&id, err))?;
                        if !filter.matches(&e) {
                            continue;
                        }
                    }
                    untouched.push((key, id, json));
                }
                if fetched < want || untouched.len() >= want {
                    break;
                }
            }
            untouched.truncate(want);
        }
        let touched = self.touched_events(&overlay, filter, Some(&after))?;
        crate::page::merge_page(untouched, touched, limit)
    }

    fn monthly(&self, filter: &EventFilter) -> Result<Vec<MonthCount>, Error> {
        let mut counts = MonthCounts::default();
        if filter.near.is_some() {
            for e in self.events(filter)? {
                counts.add_event(&e?);
            }
            return Ok(counts.finish());
        }
        let overlay = load_overlay(&mut self.client.borrow_mut())?;
        if let Some((conds, args)) = self.untouched_conditions(&overlay, filter)? {
            let sql = format!(
                "SELECT sort_key, event_type, count(*), coalesce(sum(fatalities), 0)::bigint
                 FROM dataset_events WHERE {} AND sort_key <> '~'
                 GROUP BY sort_key, event_type",
                conds.join(" AND ")
            );
            let statement = self.statement(&sql)?;
            for r in self.client.borrow_mut().query(&statement, &refs(&args))? {
                let day: String = r.get(0);
                counts.add_row(month_of(&day), r.get(1), r.get(2), r.get(3));
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
        let overlay = load_overlay(&mut self.client.borrow_mut())?;
        if let Some((conds, args)) = self.untouched_conditions(&overlay, filter)? {
            let conds = conds.join(" AND ");
            let unplaced = self.statement(&format!(
                "SELECT count(*) FROM dataset_events
                 WHERE {conds} AND (latitude IS NULL OR longitude IS NULL)"
            ))?;
            let n: i64 = self
                .client
                .borrow_mut()
                .query_one(&unplaced, &refs(&args))?
                .get(0);
            grid.add_unplaced(n);
            let sql = format!(
                "SELECT latitude, longitude, event_type, count(*), min(event_id)
                 FROM dataset_events
                 WHERE {conds} AND latitude IS NOT NULL AND longitude IS NOT NULL
                 GROUP BY latitude, longitude, event_type"
            );
            let statement = self.statement(&sql)?;
            for r in self.client.borrow_mut().query(&statement, &refs(&args))? {
                grid.add_point(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            }
        }
        for (_, e) in self.touched_events(&overlay, filter, None)? {
            grid.add_event(&e);
        }
        Ok(grid.finish())
    }

    fn event(&self, event_id: &str) -> Result<Option<DatasetEvent>, Error> {
        let mut client = self.client.borrow_mut();
        let Some(id) = dataset_id_of(&mut client, event_id)? else {
            return Ok(None);
        };
        let Some(event) = machine_event(&mut client, &id)? else {
            return Ok(None);
        };
        let overlay = load_overlay(&mut client)?;
        let event = reviewed(&mut client, &overlay, event)?;
        let members_of = |client: &mut Client, id: &str| -> Result<Vec<String>, Error> {
            Ok(client
                .query(
                    "SELECT event_id FROM report_events WHERE dataset_id = $1 ORDER BY event_id",
                    &[&id],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect())
        };
        let mut members = members_of(&mut client, &id)?;
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
            members.extend(members_of(&mut client, merged)?);
        }
        Ok(Some(DatasetEvent {
            corroboration: event.corroboration as usize,
            event,
            members,
        }))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, Error> {
        let q = ts_query(query)?;
        let rows = self.client.borrow_mut().query(
            "SELECT doc_id, title, text FROM documents WHERE terms @@ CAST($1::text AS tsquery)
             ORDER BY published DESC NULLS LAST, doc_id LIMIT $2",
            &[&q, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| {
                let text: String = r.get(2);
                SearchHit {
                    doc_id: r.get(0),
                    title: r.get(1),
                    snippet: crate::snippet(&text, query),
                }
            })
            .collect())
    }

    fn counts(&self) -> Result<Counts, Error> {
        let mut client = self.client.borrow_mut();
        let mut one = |sql: &str| -> Result<u64, Error> {
            let n: i64 = client.query_one(sql, &[])?.get(0);
            Ok(n as u64)
        };
        Ok(Counts {
            documents: one("SELECT count(*) FROM documents")?,
            stories: one("SELECT count(DISTINCT story_id) FROM documents")?,
            report_events: one("SELECT count(*) FROM report_events")?,
            evidence: one(
                "SELECT coalesce(sum(json_array_length(body::json -> 'evidence')), 0)::bigint
                 FROM report_events",
            )?,
            dataset_events: one("SELECT count(*) FROM dataset_events")?,
            runs: one("SELECT count(*) FROM runs")?,
        })
    }

    fn runs(&self) -> Result<Vec<RunRecord>, Error> {
        let mut client = self.client.borrow_mut();
        let rows = client.query(
            "SELECT run_id, started_at, finished_at, rasd_version, data_fingerprint, inputs,
               new_docs, duplicates, near_duplicates, failed, events, batches
             FROM runs ORDER BY run_id",
            &[],
        )?;
        let mut runs: Vec<RunRecord> = rows
            .iter()
            .map(|r| {
                let inputs: String = r.get(5);
                RunRecord {
                    run_id: r.get(0),
                    started_at: r.get(1),
                    finished_at: r.get(2),
                    rasd_version: r.get(3),
                    data_fingerprint: r.get(4),
                    inputs: serde_json::from_str(&inputs).unwrap_or_default(),
                    new_docs: r.get::<_, i64>(6) as u64,
                    duplicates: r.get::<_, i64>(7) as u64,
                    near_duplicates: r.get::<_, i64>(8) as u64,
                    failed: r.get::<_, i64>(9) as u64,
                    events: r.get::<_, i64>(10) as u64,
                    batches: r.get::<_, i64>(11) as u64,
                    failures: Vec::new(),
                }
            })
            .collect();
        for run in &mut runs {
            run.failures = client
                .query(
                    "SELECT input, reason FROM run_failures WHERE run_id = $1 ORDER BY id",
                    &[&run.run_id],
                )?
                .iter()
                .map(|r| Failure {
                    input: r.get(0),
                    reason: r.get(1),
                })
                .collect();
        }
        Ok(runs)
    }

    fn review(&mut self, review: &Review) -> Result<DatasetEvent, Error> {
        // The client's own BEGIN and COMMIT, so that reads through `self` (`event`) see the
        // transaction's writes; the write lock keeps merges from renaming events meanwhile.
        self.client.get_mut().batch_execute("BEGIN")?;
        let locked = self.client.get_mut().execute(
            "SELECT pg_advisory_xact_lock($1, hashtext(current_schemas(false)::text))",
            &[&WRITE_LOCK],
        );
        let done = locked
            .map_err(Error::from)
            .and_then(|_| self.review_in_tx(review));
        let client = self.client.get_mut();
        match done {
            Ok(after) => {
                client.batch_execute("COMMIT")?;
                Ok(after)
            }
            Err(e) => {
                client.batch_execute("ROLLBACK")?;
                Err(e)
            }
        }
    }

    fn history(&self, event_id: &str) -> Result<Vec<AuditEntry>, Error> {
        let mut client = self.client.borrow_mut();
        let Some(id) = dataset_id_of(&mut client, event_id)? else {
            return Ok(Vec::new());
        };
        let rows = client.query(
            "SELECT event_id, action, who, at, comment, before, after FROM review_log
             WHERE event_id = $1 ORDER BY seq",
            &[&id],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let event_id: String = r.get(0);
            let parse = |text: &str| {
                serde_json::from_str::<serde_json::Value>(text).map_err(|e| corrupt(&event_id, e))
            };
            let before = parse(r.get(5))?;
            let after = parse(r.get(6))?;
            out.push(AuditEntry {
                event_id,
                action: r.get(1),
                who: r.get(2),
                at: r.get(3),
                comment: r.get(4),
                before,
                after,
            });
        }
        Ok(out)
    }

    fn add_token(&mut self, name: &str, role: Role, hash: &str) -> Result<(), Error> {
        let inserted = self.client.get_mut().execute(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING",
            &[&name, &role.as_str(), &hash, &now()],
        )?;
        if inserted == 0 {
            return Err(Error::Query {
                query: name.to_string(),
                message: "a token of this name exists already".into(),
            });
        }
        Ok(())
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>, Error> {
        let rows = self.client.borrow_mut().query(
            "SELECT name, role, hash, created_at FROM tokens ORDER BY name COLLATE \"C\"",
            &[],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let name: String = r.get(0);
            let role: String = r.get(1);
            let role = Role::parse(&role)
                .ok_or_else(|| corrupt(&name, format!("unknown token role {role}")))?;
            out.push(TokenRecord {
                name,
                role,
                hash: r.get(2),
                created_at: r.get(3),
            });
        }
        Ok(out)
    }

    fn check_integrity(&self) -> Result<Vec<String>, Error> {
        let mut problems = Vec::new();
        let checks: [(&str, &str); 7] = [
            (
                "report event without evidence",
                "SELECT event_id FROM report_events
                 WHERE coalesce(json_array_length(body::json -> 'evidence'), 0) = 0",
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
                   (SELECT count(DISTINCT re.doc_id) FROM report_events re
                    WHERE re.dataset_id = d.event_id)",
            ),
            (
                "document without a MinHash signature",
                "SELECT doc_id FROM documents d
                 WHERE NOT EXISTS (SELECT 1 FROM doc_signatures s WHERE s.doc = d.id)",
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
        ];
        let mut client = self.client.borrow_mut();
        for (what, sql) in checks {
            let ids: Vec<String> = client.query(sql, &[])?.iter().map(|r| r.get(0)).collect();
            problems.extend(ids.into_iter().map(|id| format!("{what}: {id}")));
        }
        Ok(problems)
    }
}

/// Streams dataset events page by page (keyset pagination on `(sort_key, event_id)`).
struct EventPages<'a> {
    client: &'a RefCell<Client>,
    statement: postgres::Statement,
    args: Vec<Param>,
    after: (String, String),
    buffer: VecDeque<Event>,
    done: bool,
    filter: EventFilter,
    overlay: Overlay,
}

impl EventPages<'_> {
    fn fill(&mut self) -> Result<(), Error> {
        let mut params = refs(&self.args);
        params.push(&self.after.0);
        params.push(&self.after.1);
        let rows = self.client.borrow_mut().query(&self.statement, &params)?;
        if rows.len() < PAGE {
            self.done = true;
        }
        let mut last = None;
        for r in &rows {
            let (sort_key, id, body, corroboration): (String, String, String, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            let mut e: Event = serde_json::from_str(&body).map_err(|err| corrupt(&id, err))?;
            e.corroboration = u32::try_from(corroboration).unwrap_or(u32::MAX);
            let e = reviewed(&mut self.client.borrow_mut(), &self.overlay, e)?;
            if self.filter.matches(&e) {
                self.buffer.push_back(e);
            }
            last = Some((sort_key, id));
        }
        if let Some(last) = last {
            self.after = last;
        }
        Ok(())
    }
}

impl Iterator for EventPages<'_> {
    type Item = Result<Event, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.buffer.is_empty() && !self.done {
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}

/// The PostgreSQL server that tests needing one use: the URL in `RASD_TEST_PG`. When it is
/// unset, `None`, so that the caller skips with a note; unless `RASD_REQUIRE_PG=1` (as CI
/// sets it), when a missing server is a failure.
///
/// # Panics
/// When `RASD_REQUIRE_PG=1` and `RASD_TEST_PG` is unset or empty.
pub fn test_server() -> Option<String> {
    match std::env::var("RASD_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("RASD_REQUIRE_PG").as_deref() != Ok("1"),
                "RASD_REQUIRE_PG=1 but RASD_TEST_PG is not set: start PostgreSQL and set \
                 RASD_TEST_PG=postgres://USER:PASSWORD@127.0.0.1/DB (see .ci/run)"
            );
            None
        }
    }
}
