//! The ingest pipeline end to end on the fixtures: dedup, near-duplicate stories, merging,
//! idempotence, id collisions and analyzer failures.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rasd_core::{Document, Event};
use rasd_ingest::{ingest, read, IngestOptions, Input, ReadOptions, Summary};
use rasd_store::{EventFilter, RunInfo, SqliteStore, Store};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(store: &mut dyn Store, inputs: &[PathBuf], analyze: &rasd_ingest::Analyze<'_>) -> Summary {
    let docs = read(
        inputs.iter().cloned().map(Input::Path),
        ReadOptions::default(),
    );
    let info = RunInfo::new(inputs.iter().map(|p| p.display().to_string()));
    ingest(
        store,
        docs,
        analyze,
        &info,
        IngestOptions {
            batch_reports: 3,
            ..Default::default()
        },
        &mut |_, _| {},
    )
    .unwrap()
}

fn all_inputs() -> Vec<PathBuf> {
    [
        "corpus",
        "report.txt",
        "page.html",
        "feed.rss",
        "feed.atom",
        "reports.jsonl",
    ]
    .map(fixture)
    .to_vec()
}

fn dataset(store: &dyn Store) -> Vec<Event> {
    store
        .events(&EventFilter::default())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn fixtures_are_stored_with_stories_and_merged_events() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let s = run(&mut store, &all_inputs(), &common::analyze_stage);
    // corpus: 4 (page.htm duplicates page.html's text, so one of the two is a duplicate);
    // report.txt 1; page.html 1; rss 2 (+1 empty); atom 2; jsonl 4 (+2 bad lines).
    assert_eq!(s.totals.read, 14, "{s:#?}");
    assert_eq!((s.totals.new, s.totals.duplicates), (13, 1), "{s:#?}");
    assert_eq!(s.totals.failed, 3, "{:#?}", s.failures);
    assert_eq!(
        s.totals.near_duplicates, 1,
        "wire-2 is a near duplicate of wire-1"
    );
    assert_eq!(
        store.story("wire-1.txt").unwrap(),
        vec!["sub/wire-2.txt", "wire-1.txt"]
    );
    // Both wire reports describe the same shelling of Kafranbel: one dataset event, two reports.
    let events = dataset(&store);
    let kafranbel: Vec<&Event> = events
        .iter()
        .filter(|e| e.latitude == Some(35.614))
        .collect();
    assert_eq!(kafranbel.len(), 1);
    let shown = store.event(&kafranbel[0].event_id).unwrap().unwrap();
    assert_eq!(shown.corroboration, 2);
    let reasons: Vec<&str> = s.failures.iter().map(|f| f.input.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.ends_with("feed.rss#3")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.ends_with("reports.jsonl:4")),
        "{reasons:?}"
    );
    assert!(store.check_integrity().unwrap().is_empty());
    let log = store.runs().unwrap();
    assert_eq!(log[0].failures.len(), 3);
    assert_eq!(log[0].new_docs, 13);
}

#[test]
fn ingesting_twice_changes_nothing() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    run(&mut store, &all_inputs(), &common::analyze_stage);
    let counts = store.counts().unwrap();
    let before = dataset(&store);
    let calls = AtomicUsize::new(0);
    let s = run(&mut store, &all_inputs(), &|d, _| {
        calls.fetch_add(1, Ordering::Relaxed);
        common::analyze(d)
    });
    assert_eq!(calls.into_inner(), 0, "duplicates are not analyzed again");
    assert_eq!((s.totals.new, s.totals.duplicates), (0, 14));
    assert_eq!(dataset(&store), before);
    let after = store.counts().unwrap();
    assert_eq!(
        (after.documents, after.report_events, after.dataset_events),
        (
            counts.documents,
            counts.report_events,
            counts.dataset_events
        )
    );
}

#[test]
fn a_taken_id_gets_the_hash_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, text) in [
        ("a", "قصف على كفرنبل اليوم"),
        ("b", "تظاهر أهالي السويداء اليوم"),
    ] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("same.txt"), text).unwrap();
    }
    let mut store = SqliteStore::open_in_memory().unwrap();
    let inputs = [dir.path().join("a/same.txt"), dir.path().join("b/same.txt")];
    let s = run(&mut store, &inputs, &common::analyze_stage);
    assert_eq!(s.totals.new, 2);
    let second = rasd_store::Report::new(Document::new("x", "تظاهر أهالي السويداء اليوم"));
    let renamed = format!("same.txt#{}", &second.document.content_hash[..8]);
    assert!(
        store.document(&renamed).unwrap().is_some(),
        "stored as {renamed}"
    );
    assert_eq!(store.report_events(&renamed).unwrap()[0].doc_id, renamed);
}

#[test]
fn an_analyzer_panic_fails_that_report_alone() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let s = run(&mut store, &[fixture("corpus")], &|d, _| {
        if d.id.contains("protest") {
            panic!("the analyzer tripped on {}", d.id);
        }
        common::analyze(d)
    });
    assert_eq!(s.totals.new, 3);
    assert_eq!(s.failures.len(), 1);
    assert!(
        s.failures[0].reason.contains("tripped on sub/protest.txt"),
        "{:?}",
        s.failures
    );
}

#[test]
fn events_unfit_to_store_are_dropped_and_counted() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let s = run(&mut store, &[fixture("report.txt")], &|d, _| {
        let mut e =
            common::analyze(&Document::new(d.id.clone(), format!("{} اشتباكات", d.text))).remove(0);
        e.evidence[0].start = d.text.len() + 100;
        e.evidence[0].end = d.text.len() + 110;
        vec![e]
    });
    assert_eq!(
        (s.totals.new, s.totals.events, s.totals.dropped_events),
        (1, 0, 1)
    );
}

/// The pipeline prepares and packs reports on its worker threads: what it stores is what
/// storing each report, analyzed, through `commit_batch` on one thread stores.
#[test]
fn reports_packed_on_the_workers_are_stored_as_commit_batch_stores_them() {
    let mut piped = SqliteStore::open_in_memory().unwrap();
    let summary = run(&mut piped, &all_inputs(), &common::analyze_stage);
    assert!(summary.totals.events > 0);

    let mut direct = SqliteStore::open_in_memory().unwrap();
    let run_id = direct.begin_run(&RunInfo::new(["direct"])).unwrap();
    let reports: Vec<rasd_store::Report> = read(
        all_inputs().into_iter().map(Input::Path),
        ReadOptions::default(),
    )
    // Inputs that fail to read fail in the pipeline too.
    .filter_map(Result::ok)
    .map(|doc| {
        let report = rasd_store::Report::new(doc);
        let events = common::analyze(&report.document)
            .into_iter()
            .filter(|e| rasd_store::check_event(&report.document, e).is_ok())
            .collect();
        report.with_events(events)
    })
    .collect();
    let ids: Vec<String> = reports.iter().map(|r| r.document.id.clone()).collect();
    direct.commit_batch(run_id, reports, &[]).unwrap();

    assert_eq!(dataset(&piped), dataset(&direct));
    let (a, b) = (piped.counts().unwrap(), direct.counts().unwrap());
    assert_eq!(
        (a.documents, a.stories, a.report_events, a.evidence),
        (b.documents, b.stories, b.report_events, b.evidence)
    );
    for id in ids {
        let stored = |s: &SqliteStore| s.document(&id).unwrap().map(|d| (d.document, d.story_id));
        assert_eq!(stored(&piped), stored(&direct), "{id}");
        assert_eq!(
            piped.report_events(&id).unwrap(),
            direct.report_events(&id).unwrap(),
            "{id}"
        );
    }
}

/// The analysis threads weigh less with the scheduler than the thread that writes (Linux):
/// each runs at the caller's niceness plus `ANALYSIS_NICENESS`, up to the last one, 19.
#[cfg(target_os = "linux")]
#[test]
fn analysis_threads_yield_to_the_thread_that_writes() {
    let nice_of_this_thread =
        || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
    let caller = nice_of_this_thread();
    let seen = std::sync::Mutex::new(Vec::new());
    let analyze = |_: &Document, _: &rasd_arabic::Normalized| -> Vec<Event> {
        seen.lock().unwrap().push(nice_of_this_thread());
        Vec::new()
    };
    let mut store = SqliteStore::open_in_memory().unwrap();
    run(&mut store, &all_inputs(), &analyze);
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    let want = (caller + rasd_ingest::ANALYSIS_NICENESS).min(19);
    assert!(
        seen.iter().all(|&n| n == want),
        "caller {caller}, analysis {seen:?}"
    );
    assert_eq!(
        nice_of_this_thread(),
        caller,
        "the caller's own priority is unchanged"
    );
}
