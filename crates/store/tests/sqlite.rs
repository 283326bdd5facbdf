//! The SQLite backend: the shared conformance suite, plus what only a file database shows.
#![allow(clippy::unwrap_used)]

use rasd_core::Document;
use rasd_store::{EventFilter, Report, RunInfo, SqliteStore, Store};

rasd_store::store_conformance!(SqliteStore::open_in_memory().unwrap());

#[test]
fn a_file_database_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rasd.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
        let r = Report::new(Document::new("r1", "قصف مدفعي على بلدة النعيمة شرق درعا"));
        store.commit_batch(run, vec![r], &[]).unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), rasd_store::SCHEMA_VERSION);
    assert_eq!(store.counts().unwrap().documents, 1);
    assert_eq!(store.search("النعيمه", 5).unwrap().len(), 1);
    assert!(store.check_integrity().unwrap().is_empty());
    let mode: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_rasd_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    SqliteStore::open(&path).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("future.db"), "{err}");
    assert!(err.to_string().contains("99"), "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "هذا ليس ملف قاعدة بيانات ".repeat(200)).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("notes.db"), "{err}");
}

#[test]
fn streaming_an_empty_dataset_yields_nothing() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert_eq!(store.events(&EventFilter::default()).unwrap().count(), 0);
}
