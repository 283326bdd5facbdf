//! `--threads`: the same output, in the same order, whatever the number of worker threads.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rasd(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .current_dir(dir)
        .env_remove("RASD_DATA")
        .output()
        .expect("the rasd binary runs");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples/reports.jsonl")
}

#[test]
fn analyze_gives_the_same_lines_on_one_thread_or_several() {
    let dir = tempfile::tempdir().unwrap();
    // The sample corpus twice over, with a bad line between, so that a run spans chunks.
    let mut input = String::new();
    for _ in 0..10 {
        input.push_str(&std::fs::read_to_string(samples()).unwrap());
        input.push_str("{\"id\": \"bad\"}\n");
    }
    std::fs::write(dir.path().join("in.jsonl"), input).unwrap();
    let one = rasd(dir.path(), &["analyze", "in.jsonl", "--threads", "1"]);
    assert!(one.stdout.len() > 1000);
    assert_eq!(one.status.code(), Some(1), "the bad lines are failures");
    for threads in ["2", "3"] {
        let many = rasd(dir.path(), &["analyze", "in.jsonl", "--threads", threads]);
        assert!(
            one.stdout == many.stdout,
            "--threads {threads} changed the events"
        );
        assert_eq!(one.stderr, many.stderr, "--threads {threads}");
        assert_eq!(one.status.code(), many.status.code());
    }
}

#[test]
fn ingest_stores_the_same_dataset_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples().display().to_string();
    let mut exports = Vec::new();
    for threads in ["1", "2"] {
        let db = format!("t{threads}.db");
        rasd(
            dir.path(),
            &[
                "ingest",
                &samples,
                "--db",
                &db,
                "--threads",
                threads,
                "--batch",
                "5",
            ],
        );
        exports.push(rasd(dir.path(), &["export", "--db", &db, "-f", "jsonl"]).stdout);
    }
    assert!(exports[0].len() > 1000);
    assert!(exports[0] == exports[1], "--threads 2 changed the dataset");
}

#[test]
fn threads_must_be_a_positive_number() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["analyze", "x.txt", "--threads", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bench_prints_every_stage_on_a_small_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples().display().to_string();
    let out = rasd(
        dir.path(),
        &["bench", &samples, "--reports", "10", "--threads", "2"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("rasd bench: "), "{text}");
    assert!(text.contains(": 10 reports, "), "{text}");
    for stage in [
        "stage ",
        "\nanalysis                         1 ",
        "\nanalysis                         2 ",
        "\ningest (new database)            2 ",
        "\nbare scan (aho-corasick)         1 ",
        "\nanalysis per core at ",
        "\nanalysis on 2 threads: ",
        "round 1 of 3\n",
        "round 3 of 3\n",
        "\nmedian of 3 rounds\n",
        ", median of 3 rounds (",
    ] {
        assert!(text.contains(stage), "no «{stage}» in\n{text}");
    }
    // Every stage once a round, then once among the medians.
    assert_eq!(text.matches("\ningest (new database)").count(), 4, "{text}");
    let header: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("stage "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "stage",
            "threads",
            "wall",
            "s",
            "cpu",
            "s",
            "MB/s",
            "MB/s/core",
            "reports/s",
            "words/s",
            "peak",
            "MB"
        ]
    );
    // No database is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn bench_without_a_corpus_uses_the_bundled_samples() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["bench", "--no-ingest", "--threads", "1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("rasd bench: the bundled sample corpus: 34 reports"),
        "{text}"
    );
    assert!(!text.contains("ingest"), "{text}");
    assert!(text.contains("analysis per core at "), "{text}");
    let one = rasd(
        dir.path(),
        &["bench", "--no-ingest", "--threads", "1", "--rounds", "1"],
    );
    let one = String::from_utf8(one.stdout).unwrap();
    assert!(!one.contains("round") && !one.contains("median"), "{one}");
    assert_eq!(one.matches("\nbare scan").count(), 1, "{one}");
}

#[test]
fn reanalyze_recodes_the_same_way_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    // The user's data names a village the built-in gazetteer does not know: re-analysing
    // without it changes that report, and every report is analysed again.
    let data = dir.path().join("data/gazetteer");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("aliases.tsv"),
        "# test aliases\n# Columns: alias_ar\tplace\tnote\nالزيزفونة\tC6032\ta test village\n",
    )
    .unwrap();
    let mut input = std::fs::read_to_string(samples()).unwrap();
    input.push_str("{\"id\":\"z1\",\"published\":\"2024-03-10\",\"text\":\"قتل مدنيان أمس في قصف مدفعي استهدف قرية الزيزفونة بريف درعا الغربي.\"}\n");
    std::fs::write(dir.path().join("in.jsonl"), input).unwrap();
    let mut exports = Vec::new();
    for threads in ["1", "2"] {
        let db = format!("t{threads}.db");
        let ingest = ["--data", "data", "ingest", "in.jsonl", "--db", &db];
        rasd(dir.path(), &ingest);
        let out = rasd(
            dir.path(),
            &[
                "reanalyze",
                "--db",
                &db,
                "--batch",
                "4",
                "--threads",
                threads,
            ],
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("changed          1\n"), "{text}");
        exports.push(rasd(dir.path(), &["export", "--db", &db, "-f", "jsonl"]).stdout);
    }
    assert!(exports[0].len() > 1000);
    assert!(exports[0] == exports[1], "--threads 2 changed the dataset");
}
