//! `rasd copy` between two SQLite files (PostgreSQL is covered in `postgres.rs`): the real
//! binary in a fresh temporary folder.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

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

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = rasd(dir, args);
    assert!(
        out.status.success(),
        "rasd {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/samples/reports.jsonl")
        .display()
        .to_string()
}

fn events(dir: &Path, db: &str) -> String {
    ok(
        dir,
        &[
            "events",
            "--db",
            db,
            "--format",
            "jsonl",
            "--include-non-factual",
        ],
    )
}

#[test]
fn a_copy_holds_the_same_dataset_and_a_second_copy_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["ingest", "--db", "a.db", &samples()]);
    ok(
        dir.path(),
        &[
            "token", "add", "alice", "--role", "reviewer", "--db", "a.db",
        ],
    );
    let out = ok(dir.path(), &["copy", "--from", "a.db", "--to", "b.db"]);
    assert!(out.contains("reports copied   34"), "{out}");
    assert!(out.contains("tokens copied    1"), "{out}");
    assert_eq!(events(dir.path(), "b.db"), events(dir.path(), "a.db"));
    let again = ok(dir.path(), &["copy", "--from", "a.db", "--to", "b.db"]);
    assert!(again.contains("reports copied   0"), "{again}");
    assert!(again.contains("already there    34"), "{again}");
    assert!(again.contains("tokens copied    0"), "{again}");
}

#[test]
fn a_report_whose_id_the_target_gives_another_text_stops_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("one.txt"),
        "قصفت طائرة حربية أطراف بلدة سراقب شرق إدلب صباح اليوم.",
    )
    .unwrap();
    ok(dir.path(), &["ingest", "--db", "a.db", "one.txt"]);
    std::fs::write(
        dir.path().join("one.txt"),
        "تظاهر العشرات في ساحة مدينة شهبا مطالبين بتحسين الخدمات.",
    )
    .unwrap();
    ok(dir.path(), &["ingest", "--db", "b.db", "one.txt"]);
    let out = rasd(dir.path(), &["copy", "--from", "a.db", "--to", "b.db"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("one.txt") && err.contains("another text"),
        "{err}"
    );
}

#[test]
fn copying_a_store_onto_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["ingest", "--db", "a.db", &samples()]);
    let out = rasd(dir.path(), &["copy", "--from", "a.db", "--to", "a.db"]);
    assert!(!out.status.success());
    let missing = rasd(dir.path(), &["copy", "--from", "none.db", "--to", "c.db"]);
    assert!(!missing.status.success());
    assert!(!dir.path().join("c.db").exists());
}
