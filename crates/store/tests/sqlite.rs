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

/// Writes, with the SQL of schema versions 1 and 2, the database an earlier rasd left: one
/// report with an event, its two pieces of evidence, LSH bands and a full-text row. Its
/// signature and bands are those of an earlier MinHash scheme: values the current one never
/// computes for this text (here, those of another text).
fn write_version_2_database(path: &std::path::Path, report: &Report, event: &rasd_core::Event) {
    let stale = rasd_resolve::Signature::of_text(
        "وصلت قافلة مساعدات إلى المخيم بعد انتظار طويل ووزعت السلال الغذائية على العائلات",
    );
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
        .unwrap();
    conn.execute_batch(include_str!("../migrations/0002_narrow_windows.sql"))
        .unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    let doc = &report.document;
    conn.execute(
        "INSERT INTO runs (run_id, started_at, rasd_version, data_fingerprint, inputs)
         VALUES (1, '2026-01-01T00:00:00Z', '0.1.0', 'x', '[]')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO documents (doc_id, content_hash, text, story_id, signature, run_id)
         VALUES (?, ?, ?, ?, ?, 1)",
        rusqlite::params![doc.id, doc.content_hash, doc.text, doc.id, stale.to_bytes()],
    )
    .unwrap();
    for key in stale.bands() {
        conn.execute(
            "INSERT OR IGNORE INTO doc_bands (band_key, doc_id) VALUES (?, ?)",
            rusqlite::params![key, doc.id],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO documents_fts (rowid, title, body, stems) VALUES (1, NULL, ?, '')",
        [rasd_arabic::normalize(&doc.text).as_str()],
    )
    .unwrap();
    let mut bare = event.clone();
    bare.evidence.clear();
    let window = rasd_resolve::date_window(event).unwrap();
    conn.execute(
        "INSERT INTO report_events (event_id, doc_id, sub_event_type, factual, window_lo,
           window_hi, latitude, longitude, geo_rank, admin1_pcode, admin1_name, location_pcode,
           component, dataset_id, body)
         VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, 'SY12', 'dar''a', NULL, ?, ?, ?)",
        rusqlite::params![
            event.event_id,
            doc.id,
            event.sub_event_type.as_str(),
            window.0,
            window.1,
            event.latitude,
            event.longitude,
            rasd_resolve::geo_rank(event),
            event.event_id,
            event.event_id,
            serde_json::to_string(&bare).unwrap()
        ],
    )
    .unwrap();
    for (seq, ev) in event.evidence.iter().enumerate() {
        conn.execute(
            "INSERT INTO evidence (event_id, seq, doc_id, start, end, field, text)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            rusqlite::params![
                event.event_id,
                seq as i64,
                ev.doc_id,
                ev.start as i64,
                ev.end as i64,
                ev.field,
                ev.text
            ],
        )
        .unwrap();
    }
    let merged = rasd_resolve::merge(&[event]).event;
    conn.execute(
        "INSERT INTO dataset_events (event_id, sort_key, date, event_type, sub_event_type,
           admin1, admin1_pcode, latitude, longitude, factual, actors_key, corroboration,
           component, body)
         VALUES (?, ?, ?, ?, ?, ?, 'SY12', ?, ?, 1, '', 1, ?, ?)",
        rusqlite::params![
            merged.event_id,
            merged.date.unwrap().to_string(),
            merged.date.unwrap().to_string(),
            merged.event_type.as_str(),
            merged.sub_event_type.as_str(),
            merged.admin1,
            merged.latitude,
            merged.longitude,
            event.event_id,
            serde_json::to_string(&merged).unwrap()
        ],
    )
    .unwrap();
}

#[test]
fn a_version_2_database_is_migrated_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let text = "قصفت قوات النظام بلدة طفس بالمدفعية صباح اليوم وأصيب ثلاثة مدنيين بجروح، \
                وقال ناشطون إن القصف استمر ساعة كاملة واستهدف منازل في الحي الغربي من البلدة";
    let report = Report::new(Document::new("old-1", text));
    let mut event = rasd_store::conformance::sample_event(
        &report.document,
        rasd_core::SubEventType::ShellingArtilleryMissileAttack,
        "2024-03-02",
        (32.738, 36.067),
        "قصفت",
    );
    let at = text.find("طفس").unwrap();
    event.evidence.push(rasd_core::Evidence {
        doc_id: "old-1".into(),
        start: at,
        end: at + "طفس".len(),
        text: "طفس".into(),
        field: "location".into(),
    });
    write_version_2_database(&path, &report, &event);

    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), rasd_store::SCHEMA_VERSION);
    assert_eq!(store.check_integrity().unwrap(), Vec::<String>::new());
    let counts = store.counts().unwrap();
    assert_eq!(
        (counts.documents, counts.report_events, counts.evidence),
        (1, 1, 2)
    );
    assert_eq!(store.report_events("old-1").unwrap(), vec![event.clone()]);
    let dataset: Vec<_> = store
        .events(&EventFilter::default())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(dataset.len(), 1);
    assert_eq!(dataset[0].evidence, event.evidence);
    assert_eq!(store.search("طفس", 5).unwrap()[0].doc_id, "old-1");
    // Schema 11 indexed the old report's terms again, proclitic stems included
    // («بالمدفعية»), and compressed its text.
    assert_eq!(store.search("المدفعية", 5).unwrap()[0].doc_id, "old-1");
    assert_eq!(
        store.document("old-1").unwrap().unwrap().document.text,
        text
    );
    // Schema 15 indexed it again with its words alone: the stems are found through the query.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, documents_fts, 'row')",
        )
        .unwrap();
        let mut held: Vec<String> = conn
            .prepare("SELECT term FROM temp.vocab")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        held.sort();
        let mut words: Vec<String> =
            rasd_store::search_terms(None, rasd_arabic::normalize(text).as_str())
                .split(' ')
                .map(String::from)
                .collect();
        words.sort();
        assert_eq!(held, words);
    }

    // Schema 14 signed the report again: its bands find its near duplicates, although the
    // old ones were of another scheme; its hash still finds its duplicates.
    let run = store.begin_run(&RunInfo::new(["after"])).unwrap();
    let edited = Report::new(Document::new("new-1", format!("{text}، بحسب مصادر محلية")));
    let copy = Report::new(Document::new("new-2", text));
    let outcomes = store.commit_batch(run, vec![edited, copy], &[]).unwrap();
    assert_eq!(
        outcomes,
        vec![
            rasd_store::Outcome::New {
                doc_id: "new-1".into(),
                near_duplicate_of: Some("old-1".into()),
                events: 0
            },
            rasd_store::Outcome::Duplicate {
                doc_id: "new-2".into(),
                of: "old-1".into()
            }
        ]
    );
    assert_eq!(store.story("new-1").unwrap(), vec!["new-1", "old-1"]);
    assert_eq!(store.check_integrity().unwrap(), Vec::<String>::new());
}
