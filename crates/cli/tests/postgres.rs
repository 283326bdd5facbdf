//! rasd on PostgreSQL as a team runs it: the real binary, `ingest --queue`, several
//! `rasd worker` processes at once, a worker killed mid-batch, and `rasd copy` both ways.
//! Each test works in a schema of its own on the server named by `RASD_TEST_PG`; without one
//! the file is skipped with a note (or fails, under `RASD_REQUIRE_PG=1`).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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

/// A fresh schema on the server, dropped at the end of the test.
struct Schema {
    name: String,
    url: String,
}

impl Schema {
    fn new(tag: &str) -> Schema {
        let server = server();
        let name = format!("rasd_cli_{tag}_{}", std::process::id());
        let mut client = postgres::Client::connect(&server, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!(
                "SET client_min_messages = warning; DROP SCHEMA IF EXISTS {name} CASCADE;
                 CREATE SCHEMA {name}"
            ))
            .unwrap();
        let sep = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{sep}options=-csearch_path%3D{name}");
        Schema { name, url }
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        self.client()
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&server(), postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "SET client_min_messages = warning; DROP SCHEMA IF EXISTS {} CASCADE",
                self.name
            ));
        }
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rasd"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RASD_DB")
        .env_remove("RASD_DATA")
        .stdin(Stdio::null());
    cmd
}

fn rasd(dir: &Path, args: &[&str]) -> Output {
    let out = command(dir, args).output().unwrap();
    assert!(
        out.status.success(),
        "rasd {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Places the gazetteer knows, in several governorates.
const PLACES: [&str; 8] = [
    "طفس",
    "نوى",
    "جاسم",
    "أنخل",
    "سراقب",
    "الميادين",
    "شهبا",
    "اليادودة",
];

/// Ways to tell an incident, `{p}` the place and `{n}` a number.
const TOLD: [&str; 6] = [
    "قصفت قوات النظام بالمدفعية الثقيلة بلدة {p} صباح اليوم، ما أدى إلى مقتل {n} مدنيين \
     وإصابة آخرين بجروح، بحسب ما أفادت به مصادر محلية.",
    "قُتل {n} مدنيين جراء قصف مدفعي لقوات النظام استهدف الأحياء السكنية في {p} اليوم، وفق \
     ناشطين من أبناء المنطقة تحدثوا عن دمار في عدد من المنازل.",
    "اندلعت اشتباكات عنيفة بين مسلحين محليين وقوات النظام على أطراف {p} مساء اليوم، وأسفرت \
     عن مقتل {n} عناصر من الطرفين.",
    "دارت اشتباكات بالأسلحة الرشاشة اليوم قرب حاجز عسكري في {p}، وقال شهود إن {n} مقاتلين \
     قتلوا في المواجهات التي استمرت ساعات.",
    "شنت طائرة مسيرة غارة جوية على سيارة مدنية في محيط {p} اليوم، ما أسفر عن مقتل {n} أشخاص \
     كانوا بداخلها.",
    "اعتقلت قوات الأمن {n} شبان من أبناء {p} خلال حملة مداهمات للمنازل فجر اليوم، بحسب \
     مراسل محلي.",
];

/// Closing lines, so that two reports of one template differ by more than a word.
const CLOSINGS: [&str; 5] = [
    "ولم تعلق الجهات الرسمية على الحادثة حتى ساعة إعداد هذا التقرير.",
    "وتشهد المنطقة توتراً أمنياً متصاعداً منذ أسابيع.",
    "وناشد الأهالي المنظمات الإنسانية التدخل لمساعدة المتضررين.",
    "",
    "وأغلقت المحال التجارية أبوابها في السوق الرئيسي بعد الحادثة.",
];

/// `n` reports of our own: incidents at eight places over a month, each told by two outlets
/// in different words (so that merging across reports matters), as JSON Lines.
fn reports(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        // Two reports per incident, far apart in the queue (i and i + n/2), so that
        // different workers store them and merging across reports is raced.
        let half = (n / 2).max(1);
        let incident = i % half;
        let second = usize::from(i >= half);
        let place = PLACES[incident % PLACES.len()];
        let day = 1 + (incident / PLACES.len()) % 28;
        let kind = (incident * 7) % TOLD.len();
        let told = TOLD[(kind + second) % TOLD.len()];
        // A number of its own makes each incident's texts unlike any other's: no exact
        // duplicates, whose kept id would depend on the order of storing.
        let count = 2 + incident;
        let text = format!(
            "{} {}",
            told.replace("{p}", place)
                .replace("{n}", &count.to_string()),
            CLOSINGS[(i * 3 + incident) % CLOSINGS.len()]
        );
        let line = serde_json::json!({
            "id": format!("gen-{i:04}"),
            "title": format!("تقرير من {place}"),
            "published": format!("2024-03-{day:02}"),
            "source": format!("منفذ {}", i % 3 + 1),
            "text": text.trim(),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The dataset as `rasd events` prints it (every modality), and the store's counts.
fn dataset(dir: &Path, db: &str) -> String {
    let events = rasd(
        dir,
        &[
            "events",
            "--db",
            db,
            "--format",
            "jsonl",
            "--include-non-factual",
        ],
    );
    stdout(&events)
}

fn write_reports(dir: &Path, n: usize) -> String {
    let path = dir.join("reports.jsonl");
    std::fs::write(&path, reports(n)).unwrap();
    path.display().to_string()
}

#[test]
fn four_workers_make_the_dataset_one_worker_makes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_reports(dir.path(), 320);
    // The reference: one process ingesting into SQLite.
    let sqlite = dir.path().join("one.db").display().to_string();
    rasd(dir.path(), &["ingest", "--db", &sqlite, &input]);
    let reference = dataset(dir.path(), &sqlite);
    assert!(reference.lines().count() > 100, "{reference}");
    assert!(
        reference.contains("\"corroboration\":2"),
        "some incidents are told by two reports"
    );

    let one = Schema::new("one");
    rasd(dir.path(), &["ingest", "--db", &one.url, "--queue", &input]);
    rasd(dir.path(), &["worker", "--db", &one.url, "--threads", "1"]);
    assert_eq!(dataset(dir.path(), &one.url), reference);

    let four = Schema::new("four");
    rasd(
        dir.path(),
        &["ingest", "--db", &four.url, "--queue", &input],
    );
    let workers: Vec<Child> = (0..4)
        .map(|_| {
            command(
                dir.path(),
                &[
                    "worker",
                    "--db",
                    &four.url,
                    "--batch",
                    "8",
                    "--threads",
                    "1",
                ],
            )
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut claimed_by = Vec::new();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = stdout(&out);
        let claimed: usize = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("reports claimed"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        claimed_by.push(claimed);
    }
    assert_eq!(claimed_by.iter().sum::<usize>(), 320, "{claimed_by:?}");
    assert!(
        claimed_by.iter().filter(|&&c| c > 0).count() >= 2,
        "the workers shared the queue: {claimed_by:?}"
    );
    assert_eq!(dataset(dir.path(), &four.url), reference);
    assert_eq!(four.count("pending_documents"), 0);
    assert_eq!(four.count("documents"), one.count("documents"));
    assert_eq!(
        four.count("(SELECT DISTINCT story_id FROM documents) s"),
        one.count("(SELECT DISTINCT story_id FROM documents) s")
    );
}

#[test]
fn a_worker_killed_mid_batch_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_reports(dir.path(), 240);
    let sqlite = dir.path().join("one.db").display().to_string();
    rasd(dir.path(), &["ingest", "--db", &sqlite, &input]);
    let reference = dataset(dir.path(), &sqlite);

    let schema = Schema::new("killed");
    rasd(
        dir.path(),
        &["ingest", "--db", &schema.url, "--queue", &input],
    );
    let mut worker = command(
        dir.path(),
        &[
            "worker",
            "--db",
            &schema.url,
            "--batch",
            "80",
            "--threads",
            "1",
        ],
    )
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    // Wait until it holds a batch: queued rows locked by a live transaction. The probe reads
    // the rows' lockers without locking anything itself: a probe that locked the free rows
    // could leave the worker nothing to claim, and it would stop before ever holding a batch.
    let mut client = schema.client();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let held: i64 = client
            .query_one(
                "SELECT count(*) FROM pending_documents p WHERE EXISTS (SELECT 1 FROM pg_locks l \
                 WHERE l.locktype = 'transactionid' AND l.granted AND l.transactionid = p.xmax)",
                &[],
            )
            .unwrap()
            .get(0);
        if held > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the worker never claimed a batch"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    worker.kill().unwrap(); // SIGKILL
    worker.wait().unwrap();
    // Nothing half-written: every report is stored or still queued, none both.
    let stored = schema.count("documents");
    let pending = schema.count("pending_documents");
    assert_eq!(stored + pending, 240, "{stored} stored, {pending} pending");
    assert!(pending > 0, "killed before its batch was committed");
    assert_eq!(
        schema.count("report_events WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
        0
    );
    // Another worker takes up what was left, and the dataset is whole.
    rasd(
        dir.path(),
        &["worker", "--db", &schema.url, "--threads", "1"],
    );
    assert_eq!(schema.count("pending_documents"), 0);
    assert_eq!(schema.count("documents"), 240);
    assert_eq!(dataset(dir.path(), &schema.url), reference);
}

#[test]
fn copy_moves_a_dataset_to_postgresql_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_reports(dir.path(), 60);
    let first = dir.path().join("first.db").display().to_string();
    rasd(dir.path(), &["ingest", "--db", &first, &input]);
    let reference = dataset(dir.path(), &first);
    let schema = Schema::new("copy");
    let out = rasd(dir.path(), &["copy", "--from", &first, "--to", &schema.url]);
    assert!(
        stdout(&out).contains("reports copied   60"),
        "{}",
        stdout(&out)
    );
    assert_eq!(dataset(dir.path(), &schema.url), reference);
    let back = dir.path().join("back.db").display().to_string();
    rasd(dir.path(), &["copy", "--from", &schema.url, "--to", &back]);
    assert_eq!(dataset(dir.path(), &back), reference);
    // Searching and the coding runs came along.
    let search = |db: &str| stdout(&rasd(dir.path(), &["search", "--db", db, "سراقب"]));
    assert_eq!(search(&back), search(&first));
    let stale = rasd(dir.path(), &["reanalyze", "--db", &back, "--stale"]);
    assert!(
        stdout(&stale).starts_with("reanalyzed 0 reports"),
        "{}",
        stdout(&stale)
    );
    // Copying again adds nothing.
    let again = rasd(dir.path(), &["copy", "--from", &first, "--to", &schema.url]);
    assert!(
        stdout(&again).contains("already there    60"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn queueing_needs_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_reports(dir.path(), 2);
    let out = command(dir.path(), &["ingest", "--queue", "--db", "x.db", &input])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PostgreSQL"));
    let out = command(dir.path(), &["worker", "--db", "x.db"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!dir.path().join("x.db").exists());
}
