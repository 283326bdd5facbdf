//! Crash safety: a child process ingesting into a database file is killed with SIGKILL in the
//! middle of the run; the database reopens sound, holds only whole reports, and re-running
//! the ingest completes it to the same dataset as an uninterrupted run.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rasd_core::{Document, Event};
use rasd_ingest::{ingest, Error, IngestOptions};
use rasd_store::{EventFilter, RunInfo, SqliteStore, Store};

const REPORTS: usize = 3000;
const CHILD_ENV: &str = "RASD_TEST_CRASH_CHILD_DB";

fn corpus() -> impl Iterator<Item = Result<Document, Error>> {
    let places = ["كفرنبل", "المزيريب", "السويداء"];
    (0..REPORTS).map(move |i| {
        let text = format!(
            "تقرير رقم {i}: قصف مدفعي على أطراف {} صباح اليوم، وأفاد مراسل بسقوط قذائف على الحي رقم {}.",
            places[i % 3],
            i * 7
        );
        // Two reports of each place and day: merges happen, components stay small.
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new((i / 6) as u64);
        Ok(Document::new(format!("report-{i:05}.txt"), text)
            .with_published(Some(rasd_core::Published::Date(day))))
    })
}

fn run_ingest(db: &Path) {
    let mut store = SqliteStore::open(db).unwrap();
    let opts = IngestOptions {
        batch_reports: 25,
        ..IngestOptions::default()
    };
    ingest(
        &mut store,
        corpus(),
        &common::analyze_stage,
        &RunInfo::new(["generated"]),
        opts,
        &mut |_, _| {},
    )
    .unwrap();
}

fn dataset(store: &dyn Store) -> Vec<Event> {
    store
        .events(&EventFilter::default())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn committed_batches(db: &Path) -> u64 {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return 0;
    };
    conn.query_row("SELECT coalesce(sum(batches), 0) FROM runs", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as u64)
    .unwrap_or(0)
}

#[test]
fn kill_9_mid_ingest_leaves_whole_reports_and_a_rerun_completes() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        // The child: ingest until killed.
        run_ingest(Path::new(&db));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "kill_9_mid_ingest_leaves_whole_reports_and_a_rerun_completes",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &db)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while committed_batches(&db) < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the child never committed"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child ended before it was killed: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.check_integrity().unwrap(), Vec::<String>::new());
    let counts = store.counts().unwrap();
    assert!(
        counts.documents > 0 && (counts.documents as usize) < REPORTS,
        "killed mid-run: {counts:?}"
    );
    assert_eq!(
        counts.report_events, counts.documents,
        "every stored report has its event"
    );
    assert_eq!(counts.documents % 25, 0, "whole batches only: {counts:?}");
    let runs = store.runs().unwrap();
    assert_eq!(
        runs[0].finished_at, None,
        "the killed run is not marked finished"
    );
    assert_eq!(runs[0].new_docs, counts.documents);
    drop(store);

    run_ingest(&db);
    let store = SqliteStore::open(&db).unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
    assert_eq!(store.counts().unwrap().documents as usize, REPORTS);

    let clean = dir.path().join("clean.db");
    run_ingest(&clean);
    let reference = SqliteStore::open(&clean).unwrap();
    assert_eq!(dataset(&store), dataset(&reference));
}
