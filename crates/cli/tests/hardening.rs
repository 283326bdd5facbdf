//! Issue 15: hostile input and careless use, through the `rasd` binary in a temporary folder.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rasd"));
    c.args(args)
        .current_dir(dir)
        .env_remove("RASD_DATA")
        .env_remove("RASD_DB")
        .env_remove("RASD_LOG")
        .env_remove("NO_COLOR");
    c
}

fn rasd(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Reports of our own, one a line, some with hostile fields.
const REPORTS: &str = concat!(
    r#"{"id":"r1","title":"قصف\u001b]0;owned\u0007 على البلدة\u202e","source":"\u001b[31mوكالة","published":"2024-03-10","text":"قصفت قوات النظام بلدة طفس في ريف درعا الغربي أمس\u001b[2J وقتل مدنيان."}"#,
    "\n",
    r#"{"id":"r2","published":"2024-03-12","text":"اعتقلت دورية شابين في مدينة جاسم بريف درعا."}"#,
    "\n",
);

fn ingested() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("reports.jsonl"), REPORTS).unwrap();
    let out = rasd(dir.path(), &["ingest", "reports.jsonl", "--db", "t.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn active(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Issue 15, defect 5: `search` and `show` printed titles, snippets, sources and evidence
/// with raw ESC, BEL and bidi overrides.
#[test]
fn issue_15_search_and_show_print_no_escape_sequences() {
    let dir = ingested();
    let search = rasd(dir.path(), &["search", "طفس", "--db", "t.db"]);
    assert!(search.status.success(), "{}", stderr(&search));
    let text = stdout(&search);
    assert!(text.contains("r1"), "{text}");
    assert_eq!(active(&text), None, "{text:?}");
    let ids = rasd(dir.path(), &["events", "--db", "t.db", "--format", "jsonl"]);
    let mut shown = 0;
    for line in stdout(&ids).lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = event["event_id"].as_str().unwrap();
        let show = rasd(dir.path(), &["show", id, "--db", "t.db"]);
        assert!(show.status.success(), "{}", stderr(&show));
        let text = stdout(&show);
        assert_eq!(active(&text), None, "{text:?}");
        shown += 1;
    }
    assert!(shown > 0, "{}", stdout(&ids));
}

/// Issue 15, defect 12: `rasd export -f csv | head -1` exited 2 with "Broken pipe".
#[test]
fn issue_15_a_closed_pipe_ends_the_export_quietly() {
    let dir = ingested();
    // Enough events that the output outgrows a pipe's buffer.
    let one = rasd(dir.path(), &["events", "--db", "t.db", "--format", "jsonl"]);
    let line = stdout(&one).lines().next().unwrap().to_string();
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    let mut many = String::new();
    for i in 0..3000 {
        let mut e = event.clone();
        e["event_id"] = format!("ev-{i:016x}").into();
        many.push_str(&e.to_string());
        many.push('\n');
    }
    std::fs::write(dir.path().join("many.jsonl"), many).unwrap();
    for (format, args) in [
        ("csv", vec!["export", "--events", "many.jsonl", "-f", "csv"]),
        (
            "jsonl",
            vec!["export", "--events", "many.jsonl", "-f", "jsonl"],
        ),
        (
            "geojson",
            vec!["export", "--events", "many.jsonl", "-f", "geojson"],
        ),
        (
            "parquet",
            vec!["export", "--events", "many.jsonl", "-f", "parquet"],
        ),
        (
            "events",
            vec!["events", "--events", "many.jsonl", "--format", "jsonl"],
        ),
        ("table", vec!["events", "--events", "many.jsonl"]),
    ] {
        let mut child = command(dir.path(), &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        // The read end is closed here, like `head -c 64`.
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{format}: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert_eq!(stderr(&out), "", "{format}");
    }
}

/// Issue 15, defects 9 and 10: a wrong-typed optional field costs a warning, not the report,
/// and warnings written to a pipe or file carry no colour codes.
#[test]
fn issue_15_warnings_to_a_pipe_are_plain_and_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("typed.jsonl"),
        "{\"id\":\"t1\",\"title\":7,\"published\":20240101,\"text\":\"اعتقلت دورية شابين في مدينة جاسم.\"}\n",
    )
    .unwrap();
    let out = rasd(dir.path(), &["ingest", "typed.jsonl", "--db", "t.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(
        err.contains("typed.jsonl:1") && err.contains("\"title\""),
        "{err}"
    );
    assert!(err.contains("\"published\""), "{err}");
    assert!(
        stdout(&out).contains("new              1"),
        "{}",
        stdout(&out)
    );
}

/// Issue 15: `ingest` with a missing input still created the database.
#[test]
fn issue_15_ingest_of_missing_inputs_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["ingest", "nowhere.jsonl", "--db", "t.db"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nowhere.jsonl"), "{}", stderr(&out));
    assert!(!dir.path().join("t.db").exists());
}

/// Issue 15: `rasd ingest` had no `--published`: plain text was stored with no date.
#[test]
fn issue_15_ingest_takes_a_publication_date_for_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.txt"),
        "قصفت قوات النظام بلدة طفس في ريف درعا الغربي أمس وقتل مدنيان.",
    )
    .unwrap();
    let bad = rasd(
        dir.path(),
        &[
            "ingest",
            "r.txt",
            "--db",
            "t.db",
            "--published",
            "9999-12-31",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("out of range"), "{}", stderr(&bad));
    let out = rasd(
        dir.path(),
        &[
            "ingest",
            "r.txt",
            "--db",
            "t.db",
            "--published",
            "2024-03-10",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let events = rasd(dir.path(), &["events", "--db", "t.db", "--format", "jsonl"]);
    let text = stdout(&events);
    assert!(text.contains("\"date\":\"2024-03-09\""), "{text}");
}

/// Issue 15: `--from 2024-01` failed, `--admin1 Daraa` found nothing, and an unknown name
/// said nothing.
#[test]
fn issue_15_month_dates_and_governorate_spellings_filter_events() {
    let dir = ingested();
    let count = |args: &[&str]| {
        let mut all = vec!["events", "--db", "t.db", "--format", "jsonl"];
        all.extend_from_slice(args);
        let out = rasd(dir.path(), &all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out).lines().count()
    };
    let all = count(&[]);
    assert!(all >= 2, "{all}");
    assert_eq!(count(&["--from", "2024-03"]), all);
    assert_eq!(count(&["--from", "2024"]), all);
    assert_eq!(count(&["--to", "2024-02"]), 0);
    assert_eq!(count(&["--admin1", "Daraa"]), all);
    assert_eq!(count(&["--admin1", "sy12"]), all);
    assert_eq!(count(&["--admin1", "درعا"]), all);
    let bad = rasd(dir.path(), &["events", "--db", "t.db", "--from", "2024-3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("expected YYYY-MM-DD, YYYY-MM or YYYY"),
        "{}",
        stderr(&bad)
    );
    let unknown = rasd(
        dir.path(),
        &["events", "--db", "t.db", "--admin1", "Atlantis"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("«Atlantis» is not a governorate"),
        "{}",
        stderr(&unknown)
    );
}

/// Issue 15: `-o -` wrote a file named `-`; `-o out.xlsx` only said "say which format";
/// `explain --id` with an unknown id printed nothing and succeeded.
#[test]
fn issue_15_output_names_and_unknown_ids_are_understood() {
    let dir = ingested();
    let out = rasd(
        dir.path(),
        &["export", "--db", "t.db", "-f", "jsonl", "-o", "-"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"event_id\""));
    assert!(!dir.path().join("-").exists());
    let out = rasd(dir.path(), &["analyze", "reports.jsonl", "-o", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"event_id\""));
    assert!(!dir.path().join("-").exists());
    let xlsx = rasd(dir.path(), &["export", "--db", "t.db", "-o", "out.xlsx"]);
    assert_eq!(xlsx.status.code(), Some(2));
    assert!(
        stderr(&xlsx).contains("-o events.csv --excel"),
        "{}",
        stderr(&xlsx)
    );
    assert!(!dir.path().join("out.xlsx").exists());
    let explain = rasd(dir.path(), &["explain", "reports.jsonl", "--id", "r9"]);
    assert_eq!(explain.status.code(), Some(2));
    assert!(
        stderr(&explain).contains("no document with id «r9»"),
        "{}",
        stderr(&explain)
    );
    let known = rasd(dir.path(), &["explain", "reports.jsonl", "--id", "r2"]);
    assert!(known.status.success(), "{}", stderr(&known));
}

/// Issue 15: a store could not be analysed again after the data improved. `reanalyze` codes
/// the stored reports with the current data, is idempotent, records the coding, and `--stale`
/// takes only the reports coded by other data.
#[test]
fn issue_15_reanalyze_applies_new_data_to_stored_reports() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data/gazetteer");
    std::fs::create_dir_all(&data).unwrap();
    // A village the built-in gazetteer does not know, named by the user's data.
    std::fs::write(
        data.join("aliases.tsv"),
        "# test aliases\n# Columns: alias_ar\tplace\tnote\nالزيزفونة\tC6032\ta test village\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("z.jsonl"),
        "{\"id\":\"z1\",\"published\":\"2024-03-10\",\"text\":\"قتل مدنيان أمس في قصف مدفعي استهدف قرية الزيزفونة بريف درعا الغربي.\"}\n",
    )
    .unwrap();
    let out = rasd(dir.path(), &["ingest", "z.jsonl", "--db", "t.db"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let places = |dir: &Path| {
        let out = rasd(dir, &["events", "--db", "t.db", "--format", "jsonl"]);
        stdout(&out)
            .lines()
            .map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).unwrap();
                e["location_pcode"].as_str().unwrap_or("-").to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_ne!(places(dir.path()), ["C6032"]);

    let same = rasd(dir.path(), &["reanalyze", "--db", "t.db"]);
    assert!(same.status.success(), "{}", stderr(&same));
    assert!(
        stdout(&same).contains("changed          0"),
        "{}",
        stdout(&same)
    );

    let with_data = ["--data", "data", "reanalyze", "--db", "t.db"];
    let out = rasd(dir.path(), &with_data);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("changed          1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(places(dir.path()), ["C6032"]);
    let again = rasd(dir.path(), &with_data);
    assert!(
        stdout(&again).contains("changed          0"),
        "{}",
        stdout(&again)
    );
    assert_eq!(places(dir.path()), ["C6032"]);

    let stale = rasd(
        dir.path(),
        &["--data", "data", "reanalyze", "--db", "t.db", "--stale"],
    );
    assert!(
        stdout(&stale).contains("reanalyzed 0 reports"),
        "{}",
        stdout(&stale)
    );
    let stale = rasd(
        dir.path(),
        &["reanalyze", "--db", "t.db", "--stale", "--doc", "z1"],
    );
    assert!(
        stdout(&stale).contains("reanalyzed 1 reports"),
        "{}",
        stdout(&stale)
    );
    let ids = rasd(dir.path(), &["events", "--db", "t.db", "--format", "jsonl"]);
    let id = stdout(&ids).lines().next().map(|l| {
        let e: serde_json::Value = serde_json::from_str(l).unwrap();
        e["event_id"].as_str().unwrap().to_string()
    });
    let show = rasd(dir.path(), &["show", &id.unwrap(), "--db", "t.db"]);
    assert!(
        stdout(&show).contains("coded by\n  z1  rasd "),
        "{}",
        stdout(&show)
    );
    let missing = rasd(dir.path(), &["reanalyze", "--db", "none.db"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!dir.path().join("none.db").exists());
}

/// Issue 15, defect 5: messages about bad inputs quote what the input held (a publication
/// date that is not one); they reach the terminal inert too.
#[test]
fn issue_15_failure_messages_quote_no_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.jsonl"),
        "{\"id\":\"ok\",\"published\":\"\\u202e2024\\u001b[2J\",\"text\":\"اعتقلت دورية شابين في مدينة جاسم.\"}\n{\"text\":[\"\\u001b]0;owned\\u0007\"], \"x\":\"\\u001b[2J\"}\n",
    )
    .unwrap();
    for args in [
        vec!["ingest", "bad.jsonl", "--db", "t.db"],
        vec!["analyze", "bad.jsonl"],
    ] {
        let out = rasd(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("bad.jsonl:2"), "{all}");
        assert_eq!(active(&all), None, "{args:?}: {all:?}");
    }
}

/// Issue 15: Parquet written to a terminal is refused (`script` gives the command a terminal).
#[test]
fn issue_15_parquet_is_not_written_to_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipping: no `script` to give rasd a terminal");
        return;
    }
    let dir = ingested();
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("{} export --db t.db -f parquet", env!("CARGO_BIN_EXE_rasd")),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env("RASD_DB", "t.db")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("Parquet is binary"), "{text}");
    assert!(!text.contains("PAR1"), "{text}");
}

/// Issue 15, defect 9: colour on a terminal only, and never with `NO_COLOR` set.
#[test]
fn issue_15_no_color_turns_colour_off_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipping: no `script` to give rasd a terminal");
        return;
    }
    let dir = ingested();
    let on_terminal = |no_color: Option<&str>| {
        let mut c = Command::new("script");
        c.args([
            "-qec",
            &format!("{} search طفس --db t.db", env!("CARGO_BIN_EXE_rasd")),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        stdout(&c.output().unwrap())
    };
    assert!(
        on_terminal(None).contains("\u{1b}[1;33m"),
        "{:?}",
        on_terminal(None)
    );
    let plain = on_terminal(Some("1"));
    assert!(
        plain.contains("r1") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
    let piped = rasd(dir.path(), &["search", "طفس", "--db", "t.db"]);
    assert!(!stdout(&piped).contains('\u{1b}'));
}
