//! Every export re-read by a real consumer: `scripts/check_exports.py` reads the Parquet and
//! the CSV with pyarrow and DuckDB and checks the GeoJSON and JSONL strictly.
//!
//! Without python3, pyarrow or duckdb the test says so and passes, unless `RASD_REQUIRE_PY=1`
//! (CI sets it), where their absence fails it.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use rasd_export::{export, ok_events, CsvOptions, ExportOptions, Format, ParquetOptions};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check_exports.py")
}

/// True when python3 can import pyarrow and duckdb.
fn consumers_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import pyarrow, pyarrow.parquet, pyarrow.csv, duckdb"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("RASD_REQUIRE_PY").as_deref() != Ok("1"),
            "RASD_REQUIRE_PY=1 but python3 with pyarrow and duckdb is not available \
             (pip install pyarrow duckdb)"
        );
        eprintln!("skipping: python3 with pyarrow and duckdb not available");
    }
    ok
}

fn write_all(dir: &Path, n: usize) -> (u64, u64) {
    let options = ExportOptions {
        parquet: ParquetOptions {
            row_group_size: 1_000,
            ..ParquetOptions::default()
        },
        ..ExportOptions::default()
    };
    let mut features = 0;
    for format in Format::ALL {
        let file = File::create(dir.join(format!("events.{format}"))).unwrap();
        let summary = export(*format, ok_events(common::stream(n)), file, &options).unwrap();
        if *format == Format::GeoJson {
            features = summary.written;
        } else {
            assert_eq!(summary.written, n as u64);
        }
    }
    let excel = ExportOptions {
        csv: CsvOptions {
            excel: true,
            ..CsvOptions::default()
        },
        ..ExportOptions::default()
    };
    let file = File::create(dir.join("events-excel.csv")).unwrap();
    export(Format::Csv, ok_events(common::stream(n)), file, &excel).unwrap();
    (n as u64, features)
}

fn run_script(dir: &Path, rows: u64, features: u64) -> std::process::Output {
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    Command::new("python3")
        .arg(script())
        .args([
            "--rows",
            &rows.to_string(),
            "--features",
            &features.to_string(),
        ])
        .args([
            "--csv",
            &path("events.csv"),
            "--csv-excel",
            &path("events-excel.csv"),
        ])
        .args([
            "--parquet",
            &path("events.parquet"),
            "--geojson",
            &path("events.geojson"),
        ])
        .args(["--jsonl", &path("events.jsonl")])
        .output()
        .unwrap()
}

#[test]
fn pyarrow_and_duckdb_read_every_export() {
    if !consumers_available() {
        return;
    }
    for n in [0, 2_500] {
        let dir = tempfile::tempdir().unwrap();
        let (rows, features) = write_all(dir.path(), n);
        let out = run_script(dir.path(), rows, features);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{n} events: {stdout}{stderr}");
        assert!(stdout.contains("checks passed"), "{stdout}");
    }
}

#[test]
fn the_checker_catches_a_wrong_row_count() {
    if !consumers_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (rows, features) = write_all(dir.path(), 12);
    let out = run_script(dir.path(), rows + 1, features);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("FAILED: parquet: 12 rows, expected 13"),
        "{stderr}"
    );
}
