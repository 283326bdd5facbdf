//! The `rasd` binary, run in a fresh temporary folder.

use std::path::Path;
use std::process::{Command, Output};

fn rasd(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .current_dir(dir)
        .env_remove("RASD_DATA")
        .output()
        .expect("the rasd binary runs")
}

fn events(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON event"))
        .collect()
}

const CLASH: &str =
    "اندلعت اشتباكات عنيفة أمس بين قوات النظام ومسلحين محليين في مدينة طفس بريف درعا الغربي.";

#[test]
fn analyze_a_text_file_names_the_event_after_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tafas.txt"), CLASH).unwrap();
    let out = rasd(
        dir.path(),
        &["analyze", "tafas.txt", "--published", "2024-03-10"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = events(&out);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["doc_id"], "tafas.txt");
    assert_eq!(e["sub_event_type"], "Armed clash");
    assert_eq!(e["date"], "2024-03-09");
    assert_eq!(e["admin1_pcode"], "SY12");
    // Every evidence span indexes the original text.
    for ev in e["evidence"].as_array().unwrap() {
        let (start, end) = (
            ev["start"].as_u64().unwrap() as usize,
            ev["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&CLASH[start..end], ev["text"].as_str().unwrap());
    }
}

#[test]
fn analyze_jsonl_and_directories_and_write_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("in/deeper");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("a.txt"), CLASH).unwrap();
    let doc =
        serde_json::json!({"id": "doc-7", "text": CLASH, "published": "2024-03-10T08:00:00+02:00"});
    std::fs::write(dir.path().join("in/docs.jsonl"), format!("{doc}\n\n")).unwrap();
    let out = rasd(dir.path(), &["analyze", "in", "-o", "events.jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap();
    let ids: Vec<String> = written
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // A file inside a directory is named by its path relative to the directory given.
    assert_eq!(ids, vec!["deeper/a.txt", "doc-7"]);
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("good.txt"), CLASH).unwrap();
    std::fs::write(p.join("binary.txt"), [0x7f, b'E', b'L', b'F', 0, 0, 1]).unwrap();
    std::fs::write(p.join("latin1.txt"), [b'a', 0xe9, b'b']).unwrap();
    std::fs::write(p.join("empty.txt"), "  \n").unwrap();
    std::fs::write(
        p.join("broken.jsonl"),
        "{\"id\": \"x\", \"text\": \n{\"id\": \"y\", \"text\": \"نص قصير\"}\n",
    )
    .unwrap();
    let out = rasd(
        p,
        &[
            "analyze",
            "binary.txt",
            "latin1.txt",
            "missing.txt",
            "empty.txt",
            "broken.jsonl",
            "good.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "some inputs failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "binary.txt: binary data",
        "latin1.txt: not UTF-8",
        "missing.txt: No such file",
        "empty.txt: empty",
        "broken.jsonl:1: not a JSON document",
    ] {
        assert!(
            stderr.contains(needle),
            "stderr lacks «{needle}»:\n{stderr}"
        );
    }
    assert_eq!(
        events(&out)
            .iter()
            .filter(|e| e["doc_id"] == "good.txt")
            .count(),
        1
    );
}

#[test]
fn a_bad_data_file_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("mydata/lexicon")).unwrap();
    std::fs::write(
        dir.path().join("mydata/lexicon/cues.tsv"),
        "# mine\nربما\thedged\teverywhere\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("r.txt"), CLASH).unwrap();
    let out = rasd(dir.path(), &["--data", "mydata", "analyze", "r.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lexicon/cues.tsv:2"), "{stderr}");
}

#[test]
fn demo_ingests_the_sample_corpus_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("sample reports"), "{stdout}");
    assert!(stdout.contains("Dataset events by type:"), "{stdout}");
    assert!(stdout.contains("sample-001"), "{stdout}");
    assert!(
        dir.path().join("rasd.db").exists(),
        "the demo stores into the default database"
    );
    // The bundled corpus holds lightly edited copies of one wire story.
    assert!(!stdout.contains("near-duplicate 0,"), "{stdout}");
    // A second run is idempotent: every report is a duplicate and the dataset is unchanged.
    let again = rasd(dir.path(), &["demo"]);
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(again.contains("new 0, duplicate 34"), "{again}");
    let size = |s: &str| {
        s.lines()
            .find(|l| l.contains("the dataset holds"))
            .map(str::to_owned)
    };
    let first = size(&stdout).and_then(|l| l.split("holds").nth(1).map(str::to_owned));
    let second = size(&again).and_then(|l| l.split("holds").nth(1).map(str::to_owned));
    assert!(first.is_some());
    assert_eq!(first, second);
}

#[test]
fn explain_highlights_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.txt"), CLASH).unwrap();
    let out = rasd(
        dir.path(),
        &[
            "explain",
            "r.txt",
            "--published",
            "2024-03-10",
            "--color",
            "never",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Battles / Armed clash"), "{stdout}");
    assert!(stdout.contains("[اشتباكات]"), "{stdout}");
    assert!(stdout.contains("places found:"), "{stdout}");
}

#[test]
fn places_lists_homonyms_with_their_hierarchy() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["places", "نوى"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The Daraa town and its homonyms in Homs and Hama.
    for admin in ["Dar'a", "Homs", "Hama"] {
        assert!(stdout.contains(admin), "no candidate in {admin}:\n{stdout}");
    }
    let json = rasd(dir.path(), &["places", "بصرى", "الشام", "--json"]);
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["admin1_pcode"], "SY12");
    let missing = rasd(dir.path(), &["places", "مكانلايوجد"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn background_recollections_are_left_out_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let text = "اندلعت اشتباكات عنيفة أمس في مدينة طفس بريف درعا. وكانت المدينة قد شهدت معارك مماثلة عام 2018.";
    std::fs::write(dir.path().join("r.txt"), text).unwrap();
    let plain = events(&rasd(
        dir.path(),
        &["analyze", "r.txt", "--published", "2024-03-10"],
    ));
    assert!(plain.iter().all(|e| e["background"] == false), "{plain:?}");
    assert!(!plain.is_empty());
    let all = events(&rasd(
        dir.path(),
        &[
            "analyze",
            "r.txt",
            "--published",
            "2024-03-10",
            "--with-background",
        ],
    ));
    let recalled: Vec<_> = all.iter().filter(|e| e["background"] == true).collect();
    assert_eq!(recalled.len(), 1, "{all:?}");
    assert_eq!(recalled[0]["date"].as_str().map(|d| &d[..4]), Some("2018"));
}

#[test]
fn min_confidence_keeps_only_events_at_least_that_sure() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tafas.txt"), CLASH).unwrap();
    let run = |p: &str| {
        rasd(
            dir.path(),
            &[
                "analyze",
                "tafas.txt",
                "--published",
                "2024-03-10",
                "--min-confidence",
                p,
            ],
        )
    };
    let all = events(&run("0"));
    assert_eq!(all.len(), 1);
    let sure = all[0]["confidence"].as_f64().unwrap();
    assert!(sure > 0.0 && sure < 1.0, "{sure}");
    assert_eq!(events(&run(&format!("{sure}"))).len(), 1);
    assert!(events(&run(&format!("{}", sure + 0.01))).is_empty());
    let bad = run("1.5");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("between 0 and 1"));
}

/// Issue 12: an event abroad keeps its country; the Syria dataset is the default.
const ARSAL: &str =
    "قصفت المدفعية السورية جرود بلدة عرسال اللبنانية على الحدود مع سوريا أمس، بحسب الجيش اللبناني.";

#[test]
fn issue_12_an_event_abroad_keeps_its_country_and_country_picks_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("arsal.txt"), ARSAL).unwrap();
    std::fs::write(dir.path().join("tafas.txt"), CLASH).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "analyze",
            "arsal.txt",
            "tafas.txt",
            "--published",
            "2015-08-02",
        ];
        args.extend_from_slice(extra);
        let out = rasd(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        events(&out)
    };
    let syria = run(&[]);
    assert_eq!(syria.len(), 1, "the Syria dataset by default");
    assert_eq!(syria[0]["doc_id"], "tafas.txt");
    let all = run(&["--country", "all"]);
    let abroad: Vec<_> = all.iter().filter(|e| e["doc_id"] == "arsal.txt").collect();
    assert_eq!(abroad.len(), 1);
    assert_eq!(abroad[0]["country"], "Lebanon");
    assert_eq!(abroad[0]["iso"], 422);
    assert!(abroad[0]["admin1_pcode"].is_null(), "no Syrian governorate");
    let lebanon = run(&["--country", "LB"]);
    assert_eq!(lebanon.len(), 1);
    assert_eq!(lebanon[0]["doc_id"], "arsal.txt");

    // Exported with its country in ACLED's columns.
    let out = rasd(
        dir.path(),
        &[
            "analyze",
            "arsal.txt",
            "--published",
            "2015-08-02",
            "--country",
            "all",
            "-o",
            "e.jsonl",
        ],
    );
    assert!(out.status.success());
    let csv = rasd(
        dir.path(),
        &[
            "export",
            "-f",
            "csv",
            "--events",
            "e.jsonl",
            "--country",
            "all",
        ],
    );
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8_lossy(&csv.stdout);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(row[col("iso")], "422");
    assert_eq!(row[col("country")], "Lebanon");

    let bad = rasd(
        dir.path(),
        &["analyze", "arsal.txt", "--country", "Atlantis"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Atlantis"));
}
