//! Issue 17: a CLI that fits a shell — completion scripts, manual pages, `--color` — and
//! legacy encodings through the real binary, in a fresh temporary folder.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn rasd(dir: &Path, args: &[&str], no_color: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rasd"));
    c.args(args)
        .current_dir(dir)
        .env_remove("RASD_DATA")
        .env_remove("RASD_DB")
        .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        c.env("NO_COLOR", v);
    }
    c.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const CLASH: &str =
    "اندلعت اشتباكات عنيفة أمس بين قوات النظام ومسلحين محليين في مدينة طفس بريف درعا الغربي.";

#[test]
fn issue_17_completion_scripts_for_each_shell_know_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_rasd()"),
        ("zsh", "#compdef rasd"),
        ("fish", "complete -c rasd"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = rasd(dir.path(), &["completions", shell], None);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: no {marker}");
        for word in ["analyze", "ingest", "completions", "published"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let bad = rasd(dir.path(), &["completions", "cmd.exe"], None);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn issue_17_man_pages_for_rasd_and_each_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["man"], None);
    assert!(out.status.success(), "{out:?}");
    let page = stdout(&out);
    assert!(page.contains(".TH rasd 1"), "{page}");
    assert!(
        page.contains("analyze") && page.contains("\\-\\-color"),
        "{page}"
    );
    let written = rasd(dir.path(), &["man", "--dir", "man1"], None);
    assert!(written.status.success(), "{written:?}");
    let analyze = std::fs::read_to_string(dir.path().join("man1/rasd-analyze.1")).unwrap();
    assert!(analyze.contains(".TH rasd-analyze 1"), "{analyze}");
    assert!(analyze.contains("\\-\\-published"), "{analyze}");
    assert!(dir.path().join("man1/rasd.1").is_file());
    assert!(dir.path().join("man1/rasd-man.1").is_file());
}

#[test]
fn issue_17_color_is_chosen_by_flag_then_no_color_then_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.txt"), CLASH).unwrap();
    let explain = |color: Option<&str>, no_color: Option<&str>| {
        let mut args = vec!["explain", "r.txt", "--published", "2024-03-10"];
        if let Some(c) = color {
            args.extend(["--color", c]);
        }
        let out = rasd(dir.path(), &args, no_color);
        assert!(out.status.success(), "{out:?}");
        stdout(&out).contains('\u{1b}')
    };
    assert!(explain(Some("always"), None));
    assert!(
        explain(Some("always"), Some("1")),
        "an explicit --color always wins"
    );
    assert!(!explain(Some("never"), None));
    assert!(!explain(Some("auto"), None), "a pipe is no terminal");
    assert!(!explain(None, None));
    // The flag is global: before the subcommand too.
    let out = rasd(
        dir.path(),
        &[
            "--color",
            "always",
            "explain",
            "r.txt",
            "--published",
            "2024-03-10",
        ],
        None,
    );
    assert!(stdout(&out).contains('\u{1b}'));
    let bad = rasd(
        dir.path(),
        &["explain", "r.txt", "--color", "sometimes"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn issue_17_a_windows_1256_report_is_analysed_and_stored_with_its_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let (legacy, _, unmappable) = encoding_rs::WINDOWS_1256.encode(CLASH);
    assert!(!unmappable);
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    std::fs::write(dir.path().join("a/r.txt"), CLASH).unwrap();
    std::fs::write(dir.path().join("b/r.txt"), &legacy).unwrap();
    let utf8 = rasd(
        dir.path(),
        &["analyze", "a/r.txt", "--published", "2024-03-10"],
        None,
    );
    let cp1256 = rasd(
        dir.path(),
        &["analyze", "b/r.txt", "--published", "2024-03-10"],
        None,
    );
    assert!(cp1256.status.success(), "{cp1256:?}");
    assert!(!stdout(&utf8).is_empty());
    assert_eq!(stdout(&cp1256), stdout(&utf8));

    let ingest = rasd(
        dir.path(),
        &[
            "ingest",
            "b/r.txt",
            "--published",
            "2024-03-10",
            "--db",
            "t.db",
        ],
        None,
    );
    assert!(ingest.status.success(), "{ingest:?}");
    let event: serde_json::Value =
        serde_json::from_str(stdout(&cp1256).lines().next().unwrap()).unwrap();
    let shown = rasd(
        dir.path(),
        &["show", "--db", "t.db", event["event_id"].as_str().unwrap()],
        None,
    );
    assert!(
        stdout(&shown).contains("r.txt  read from windows-1256"),
        "{shown:?}"
    );
}
