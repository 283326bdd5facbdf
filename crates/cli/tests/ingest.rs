//! `rasd ingest`, `events`, `search` and `show` run as a user would: the real binary in a fresh
//! temporary folder, with the real analyzer.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rasd_core::Event;
use rasd_store::{SqliteStore, Store};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ingest/tests/fixtures")
}

fn rasd(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .current_dir(dir)
        .env_remove("RASD_DB")
        .env_remove("RASD_DATA")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ingest_fixtures(dir: &Path) -> Output {
    let f = fixtures();
    let inputs: Vec<String> = [
        "corpus",
        "report.txt",
        "page.html",
        "feed.rss",
        "feed.atom",
        "reports.jsonl",
    ]
    .iter()
    .map(|n| f.join(n).display().to_string())
    .collect();
    let mut args = vec!["ingest"];
    args.extend(inputs.iter().map(String::as_str));
    rasd(dir, &args)
}

#[test]
fn ingest_reports_a_summary_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let first = ingest_fixtures(dir.path());
    assert_eq!(
        first.status.code(),
        Some(1),
        "some inputs fail: {}",
        stderr(&first)
    );
    let out = stdout(&first);
    assert!(out.contains("new              13"), "{out}");
    assert!(out.contains("duplicate        1"), "{out}");
    assert!(out.contains("near-duplicate   1"), "{out}");
    assert!(out.contains("failed           3"), "{out}");
    assert!(
        out.contains("reports.jsonl:4: not a JSON document"),
        "{out}"
    );
    assert!(
        stderr(&first).contains("feed.rss#3"),
        "each failure is logged as it happens"
    );
    assert!(
        dir.path().join("rasd.db").exists(),
        "the default database in the current folder"
    );

    let events1 = stdout(&rasd(dir.path(), &["events", "--format", "jsonl"]));
    let again = ingest_fixtures(dir.path());
    let out = stdout(&again);
    assert!(out.contains("new              0"), "{out}");
    assert!(out.contains("duplicate        14"), "{out}");
    let events2 = stdout(&rasd(dir.path(), &["events", "--format", "jsonl"]));
    assert_eq!(events1, events2, "a second ingest changes nothing");
}

#[test]
fn events_search_and_show_read_the_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data.db");
    let db_arg = db.display().to_string();
    let f = fixtures();
    let page = f.join("page.html").display().to_string();
    let jsonl = f.join("reports.jsonl").display().to_string();
    let corpus = f.join("corpus").display().to_string();
    rasd(
        dir.path(),
        &["ingest", "--db", &db_arg, &page, &jsonl, &corpus],
    );

    let jsonl_out = rasd(
        dir.path(),
        &["events", "--db", &db_arg, "--format", "jsonl"],
    );
    assert!(jsonl_out.status.success(), "{}", stderr(&jsonl_out));
    let events: Vec<Event> = stdout(&jsonl_out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        !events.is_empty(),
        "the analyzer found events in the fixtures"
    );
    let dates: Vec<_> = events
        .iter()
        .map(|e| (e.date, e.event_id.clone()))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
    assert_eq!(dates, sorted);

    let table = stdout(&rasd(dir.path(), &["events", "--db", &db_arg]));
    assert!(
        table.contains(&format!("{} events", events.len())),
        "{table}"
    );
    let csv = stdout(&rasd(
        dir.path(),
        &["events", "--db", &db_arg, "--format", "csv"],
    ));
    assert_eq!(csv.lines().count(), events.len() + 1, "{csv}");
    let geojson = stdout(&rasd(
        dir.path(),
        &["events", "--db", &db_arg, "--format", "geojson"],
    ));
    let v: serde_json::Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(v["type"], "FeatureCollection");

    let none = stdout(&rasd(
        dir.path(),
        &[
            "events",
            "--db",
            &db_arg,
            "--format",
            "jsonl",
            "--from",
            "2031-01-01",
        ],
    ));
    assert!(none.is_empty());
    let bad = rasd(dir.path(), &["events", "--db", &db_arg, "--type", "Picnic"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("Picnic"));

    // «المزيريب» is in the page; the query without the article's exact letters still finds it.
    let found = rasd(dir.path(), &["search", "--db", &db_arg, "المزيريب"]);
    let text = stdout(&found);
    assert!(text.contains("page.htm"), "{text}");
    assert!(text.contains("[المزيريب]"), "{text}");
    let folded = stdout(&rasd(dir.path(), &["search", "--db", &db_arg, "ادلب"]));
    assert!(folded.contains("[إدلب]"), "alef with hamza folds: {folded}");

    let id = &events[0].event_id;
    let shown = rasd(dir.path(), &["show", "--db", &db_arg, id]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let s = stdout(&shown);
    assert!(
        s.contains(&format!("event_id        {id}"))
            && s.contains("evidence")
            && s.contains("corroboration"),
        "{s}"
    );
    let missing = rasd(dir.path(), &["show", "--db", &db_arg, "ev-doesnotexist"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn reading_a_missing_database_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["events"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("rasd ingest"), "{}", stderr(&out));
    assert!(
        !dir.path().join("rasd.db").exists(),
        "reading does not create a database"
    );
}

#[test]
fn kill_9_of_the_binary_mid_ingest_loses_no_stored_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let places = ["درعا", "طفس", "إدلب", "حمص", "السويداء"];
    let mut lines = String::new();
    for i in 0..3000 {
        let day = 1 + i % 28;
        lines.push_str(&serde_json::json!({
            "id": format!("r{i:05}"),
            "text": format!("قصفت قوات النظام أطراف {} يوم أمس وقتل {} مدنيين في الحي رقم {i}.", places[i % 5], 2 + i % 4),
            "published": format!("2024-02-{day:02}"),
        }).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let db = dir.path().join("crash.db");
    let args = [
        "ingest",
        "--batch",
        "20",
        "--db",
        db.to_str().unwrap(),
        input.to_str().unwrap(),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let batches = |db: &Path| {
        SqliteStore::open(db)
            .ok()
            .and_then(|s| s.runs().ok())
            .map_or(0, |r| r.iter().map(|r| r.batches).sum::<u64>())
    };
    while batches(&db) < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the child never committed"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child finished before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.check_integrity().unwrap(), Vec::<String>::new());
    let partial = store.counts().unwrap();
    assert!(
        partial.documents > 0 && partial.documents < 3000,
        "{partial:?}"
    );
    assert_eq!(partial.documents % 20, 0, "whole batches only");
    drop(store);

    let rerun = rasd(dir.path(), &args);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let store = SqliteStore::open(&db).unwrap();
    assert!(store.check_integrity().unwrap().is_empty());
    assert_eq!(store.counts().unwrap().documents, 3000);
}
