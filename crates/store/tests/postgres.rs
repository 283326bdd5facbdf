//! The PostgreSQL backend: the shared conformance suite, search that finds what SQLite finds
//! on the sample corpus, and what only a server shows. Each test works in a scratch schema of
//! the server named by `RASD_TEST_PG`; without one the whole file is skipped with a note
//! (or fails, under `RASD_REQUIRE_PG=1`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::Write;

use rasd_core::{Document, Published};
use rasd_store::{EventFilter, PgStore, Report, ReportFilter, RunInfo, SqliteStore, Store};

/// The server's URL; without one, says so and ends this test binary with success.
fn server() -> String {
    match rasd_store::test_server() {
        Some(url) => url,
        None => {
            // Written past the test harness's capture, so that the note is seen.
            let _ = writeln!(
                std::io::stderr(),
                "note: RASD_TEST_PG is not set; the PostgreSQL tests are skipped"
            );
            std::process::exit(0);
        }
    }
}

fn scratch() -> PgStore {
    PgStore::scratch(&server()).unwrap()
}

rasd_store::store_conformance!(scratch());

/// The sample corpus's reports, without events.
fn sample_reports() -> Vec<Report> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/samples/reports.jsonl"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = |k: &str| v[k].as_str().map(str::to_string);
            let doc = Document::new(text("id").unwrap(), text("text").unwrap())
                .with_title(text("title"))
                .with_source(text("source"))
                .with_url(text("url"))
                .with_published(text("published").and_then(|p| Published::parse(&p).ok()));
            Report::new(doc)
        })
        .collect()
}

fn load(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["samples"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
}

fn found(store: &dyn Store, query: &str) -> BTreeSet<String> {
    store
        .search(query, 1000)
        .unwrap()
        .into_iter()
        .map(|h| h.doc_id)
        .collect()
}

#[test]
fn search_finds_what_sqlite_finds_on_the_sample_corpus() {
    let mut pg = scratch();
    let mut sqlite = SqliteStore::open_in_memory().unwrap();
    load(&mut pg);
    load(&mut sqlite);
    // Every word of every title, as written (with its proclitics and tashkeel), alone and
    // with the next word; plus spellings the normalizer folds.
    let mut queries: BTreeSet<String> = BTreeSet::new();
    for r in sample_reports() {
        let title = r.document.title.unwrap_or_default();
        // Words only: a dash has nothing to search for, on either backend.
        let words: Vec<&str> = title
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        for (i, w) in words.iter().enumerate() {
            queries.insert(w.to_string());
            if let Some(next) = words.get(i + 1) {
                queries.insert(format!("{w} {next}"));
            }
        }
    }
    queries.extend(
        [
            "درعا",
            "دَرعا",
            "إدلب",
            "ادلب",
            "قرية",
            "قريه",
            "٣",
            "Reuters",
        ]
        .map(String::from),
    );
    let mut hits = 0;
    for q in &queries {
        let (a, b) = (found(&pg, q), found(&sqlite, q));
        assert_eq!(a, b, "query «{q}»");
        hits += a.len();
        let filter = ReportFilter {
            text: Some(q.clone()),
            ..ReportFilter::default()
        };
        assert_eq!(
            pg.report_ids(&filter).unwrap(),
            sqlite.report_ids(&filter).unwrap(),
            "report filter «{q}»"
        );
    }
    assert!(queries.len() > 100 && hits > queries.len(), "{hits} hits");
}

#[test]
fn two_stores_on_one_url_share_the_dataset() {
    let url = server();
    let schema = format!("rasd_share_{}", std::process::id());
    {
        let mut a = PgStore::open_schema(&url, &schema).unwrap();
        load(&mut a);
        let b = PgStore::open_schema(&url, &schema).unwrap();
        assert_eq!(b.counts().unwrap().documents, sample_reports().len() as u64);
        assert_eq!(b.schema_version().unwrap(), rasd_store::PG_SCHEMA_VERSION);
        assert!(b.check_integrity().unwrap().is_empty());
    }
    // Left as the next test run would find it: gone.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .unwrap();
}

/// Schemas 7 and 8 sign the stored reports again and write their search terms again: a
/// database whose signatures and bands are of an earlier MinHash scheme finds near duplicates
/// of its reports once migrated, and its reports' terms are their words.
#[test]
fn reports_signed_by_an_earlier_scheme_are_signed_again() {
    let url = server();
    let schema = format!("rasd_resign_{}", std::process::id());
    let text = "قصفت قوات النظام بلدة طفس بالمدفعية صباح اليوم وأصيب ثلاثة مدنيين بجروح، \
                وقال ناشطون إن القصف استمر ساعة كاملة واستهدف منازل في الحي الغربي من البلدة";
    {
        let mut store = PgStore::open_schema(&url, &schema).unwrap();
        let run = store.begin_run(&RunInfo::new(["before"])).unwrap();
        store
            .commit_batch(run, vec![Report::new(Document::new("old-1", text))], &[])
            .unwrap();
    }
    // As an earlier rasd left it: schema 6, another scheme's signature and bands.
    let stale = rasd_resolve::Signature::of_text(
        "وصلت قافلة مساعدات إلى المخيم بعد انتظار طويل ووزعت السلال الغذائية على العائلات",
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let stale_bands: Vec<i64> = stale.bands().iter().map(|k| k & 0x7fff_ffff).collect();
    client
        .batch_execute(&format!(
            "SET search_path TO \"{schema}\"; DELETE FROM rasd_schema WHERE version >= 7;
             DELETE FROM doc_bands; UPDATE documents SET terms = to_tsvector('simple', 'قديم');"
        ))
        .unwrap();
    client
        .execute(
            &format!("UPDATE \"{schema}\".doc_signatures SET signature = $1"),
            &[&stale.to_bytes()],
        )
        .unwrap();
    client
        .execute(
            &format!(
                "INSERT INTO \"{schema}\".doc_bands (band_key, doc)
                 SELECT DISTINCT k, (SELECT id FROM \"{schema}\".documents) FROM unnest($1::bigint[]) k"
            ),
            &[&stale_bands],
        )
        .unwrap();
    {
        let mut store = PgStore::open_schema(&url, &schema).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            rasd_store::PG_SCHEMA_VERSION
        );
        let run = store.begin_run(&RunInfo::new(["after"])).unwrap();
        let edited = Report::new(Document::new("new-1", format!("{text}، بحسب مصادر محلية")));
        let outcomes = store.commit_batch(run, vec![edited], &[]).unwrap();
        assert_eq!(
            outcomes,
            vec![rasd_store::Outcome::New {
                doc_id: "new-1".into(),
                near_duplicate_of: Some("old-1".into()),
                events: 0
            }]
        );
        assert!(store.check_integrity().unwrap().is_empty());
    }
    // Schema 8 wrote the old report's terms again: its words, found also by their stems.
    let held: Vec<String> = client
        .query_one(
            &format!(
                "SELECT tsvector_to_array(terms) FROM \"{schema}\".documents WHERE doc_id = 'old-1'"
            ),
            &[],
        )
        .unwrap()
        .get(0);
    let mut held = held;
    held.sort();
    let mut words: Vec<String> =
        rasd_store::search_terms(None, rasd_arabic::normalize(text).as_str())
            .split(' ')
            .map(String::from)
            .collect();
    words.sort();
    assert_eq!(held, words);
    {
        let store = PgStore::open_schema(&url, &schema).unwrap();
        let hits = store.search("مدفعية", 5).unwrap();
        assert!(hits.iter().any(|h| h.doc_id == "old-1"), "{hits:?}");
    }
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .unwrap();
}

#[test]
fn a_database_from_a_newer_rasd_is_refused() {
    let url = server();
    let schema = format!("rasd_future_{}", std::process::id());
    drop(PgStore::open_schema(&url, &schema).unwrap());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("INSERT INTO \"{schema}\".rasd_schema VALUES (99)"))
        .unwrap();
    let err = PgStore::open_schema(&url, &schema).unwrap_err();
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .unwrap();
    assert!(err.to_string().contains("99"), "{err}");
}

#[test]
fn an_unreachable_server_is_named_without_its_password() {
    let err = PgStore::open("postgres://rasd:secret@127.0.0.1:9/rasd").unwrap_err();
    let message = err.to_string();
    assert!(message.contains("127.0.0.1:9"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn streaming_an_empty_dataset_yields_nothing() {
    let store = scratch();
    assert_eq!(store.events(&EventFilter::default()).unwrap().count(), 0);
}
