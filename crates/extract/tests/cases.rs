//! Table-driven extraction tests: `tests/cases/*.toml`, short Arabic written by the rasd team,
//! one phenomenon each. Every file is checked; failures are collected and printed together.
//!
//! A case lists the events it expects (`[[case.expect]]`, every key but `sub_event_type`
//! optional). Each expected event must be produced with the fields given; a case produces no
//! other asserted or reported event. An expectation with a non-factual modality (negated,
//! hedged, planned) must be produced with it.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use rasd_core::{Document, Event, Published};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    text: String,
    published: Option<String>,
    #[serde(default)]
    expect: Vec<Expect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    sub_event_type: String,
    admin1_pcode: Option<String>,
    location_pcode: Option<String>,
    geo_precision: Option<u8>,
    date: Option<String>,
    count_best: Option<u64>,
    fatalities_best: Option<u64>,
    actor1: Option<String>,
    actor2: Option<String>,
    modality: Option<String>,
}

fn mismatch(e: &Event, x: &Expect) -> Option<String> {
    let mut wrong = Vec::new();
    let mut check = |field: &str, want: Option<String>, got: Option<String>| {
        if let Some(want) = want {
            if Some(&want) != got.as_ref() {
                wrong.push(format!(
                    "{field}: want {want}, got {}",
                    got.unwrap_or("-".into())
                ));
            }
        }
    };
    check(
        "admin1_pcode",
        x.admin1_pcode.clone(),
        e.admin1_pcode.clone(),
    );
    check(
        "location_pcode",
        x.location_pcode.clone(),
        e.location_pcode.clone(),
    );
    check(
        "geo_precision",
        x.geo_precision.map(|g| g.to_string()),
        e.geo_precision.map(|g| g.code().to_string()),
    );
    check("date", x.date.clone(), e.date.map(|d| d.to_string()));
    check(
        "count_best",
        x.count_best.map(|n| n.to_string()),
        e.count
            .map(|c| c.best)
            .or(e.fatalities.map(|f| f.best))
            .map(|n| n.to_string()),
    );
    check(
        "fatalities_best",
        x.fatalities_best.map(|n| n.to_string()),
        e.fatalities.map(|f| f.best.to_string()),
    );
    check("actor1", x.actor1.clone(), e.actor1.clone());
    check("actor2", x.actor2.clone(), e.actor2.clone());
    check(
        "modality",
        x.modality.clone(),
        Some(e.modality.as_str().to_string()),
    );
    (!wrong.is_empty()).then(|| wrong.join("; "))
}

fn run_case(analyzer: &rasd_extract::Analyzer, case: &Case) -> Result<(), String> {
    let published = case
        .published
        .as_deref()
        .map(|p| Published::parse(p).unwrap());
    let doc = Document::new(&case.name, &case.text).with_published(published);
    let events = analyzer.analyze(&doc).events;
    let mut used = vec![false; events.len()];
    let mut problems = Vec::new();
    for x in &case.expect {
        let candidates: Vec<usize> = (0..events.len())
            .filter(|&i| !used[i] && events[i].sub_event_type.as_str() == x.sub_event_type)
            .collect();
        match candidates
            .iter()
            .find(|&&i| mismatch(&events[i], x).is_none())
        {
            Some(&i) => used[i] = true,
            None => match candidates.first() {
                Some(&i) => {
                    used[i] = true;
                    problems.push(format!(
                        "{}: {}",
                        x.sub_event_type,
                        mismatch(&events[i], x).unwrap_or_default()
                    ));
                }
                None => problems.push(format!("missing {}", x.sub_event_type)),
            },
        }
    }
    for (i, e) in events.iter().enumerate() {
        if !used[i] && e.modality.is_factual() {
            problems.push(format!(
                "unexpected {} at {:?}",
                e.sub_event_type, e.location
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join(" | "))
    }
}

/// Cases the engine gets wrong today, one name a line with a FIXME saying why. The test fails
/// when a case not listed fails, and when a listed case passes (so the list only shrinks).
const KNOWN_FAILURES: &str = include_str!("cases/known_failures.txt");

#[test]
fn extraction_cases() {
    let analyzer = rasd_extract::Analyzer::new().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let (mut total, mut failures): (usize, Vec<(String, String)>) = (0, Vec::new());
    for path in paths {
        let file: File = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.case {
            total += 1;
            if let Err(problem) = run_case(&analyzer, case) {
                failures.push((case.name.clone(), problem));
            }
        }
    }
    assert!(total >= 100, "only {total} cases");
    let known: Vec<&str> = KNOWN_FAILURES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let failed: Vec<&str> = failures.iter().map(|(name, _)| name.as_str()).collect();
    let mut problems = Vec::new();
    for (name, problem) in &failures {
        if !known.contains(&name.as_str()) {
            problems.push(format!("FAIL {name}: {problem}"));
        }
    }
    for name in &known {
        if !failed.contains(name) {
            problems.push(format!(
                "{name} passes now: remove it from tests/cases/known_failures.txt"
            ));
        }
    }
    eprintln!(
        "extraction cases: {}/{total} pass ({} known failures)",
        total - failures.len(),
        known.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
