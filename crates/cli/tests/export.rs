//! `rasd export` and `rasd stats` on a store built in a temporary folder.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use rasd_core::{
    interaction_code, ActorType, Count, CountWhat, DatePrecision, Document, Estimate, Event,
    Evidence, GeoPrecision, Modality, SubEventType,
};
use rasd_store::{Report, RunInfo, SqliteStore, Store};

fn rasd(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(args)
        .current_dir(dir)
        .env_remove("RASD_DATA")
        .env_remove("RASD_DB")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

struct Spec {
    doc: &'static str,
    text: &'static str,
    trigger: &'static str,
    sub: SubEventType,
    date: (i32, u32, u32),
    place: Option<(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        f64,
        f64,
    )>,
    fatalities: Option<(Estimate, &'static str)>,
    modality: Modality,
}

fn event(spec: &Spec) -> Event {
    let span = |needle: &str, field: &str| {
        let start = spec.text.find(needle).unwrap();
        Evidence {
            doc_id: spec.doc.into(),
            start,
            end: start + needle.len(),
            text: needle.into(),
            field: field.into(),
        }
    };
    let date = NaiveDate::from_ymd_opt(spec.date.0, spec.date.1, spec.date.2);
    let place = spec.place.map(|p| p.0).unwrap_or("");
    let mut evidence = vec![span(spec.trigger, "trigger")];
    if let Some((_, text)) = spec.fatalities {
        evidence.push(span(text, "fatalities"));
    }
    let (inter1, inter2) = (Some(ActorType::StateForces), Some(ActorType::RebelGroup));
    Event {
        event_id: rasd_core::event_id(spec.doc, spec.sub, place, date),
        doc_id: spec.doc.into(),
        event_type: spec.sub.event_type(),
        sub_event_type: spec.sub,
        disorder_type: spec.sub.disorder_type(),
        date,
        date_precision: Some(DatePrecision::Day),
        actor1: Some("Military Forces of Syria (2000-2024)".into()),
        actor1_ar: Some("قوات النظام".into()),
        inter1,
        actor2: Some("Opposition fighters".into()),
        actor2_ar: None,
        inter2,
        interaction: interaction_code(inter1, inter2),
        assoc_actors: vec![],
        location: spec.place.map(|p| p.0.to_string()),
        location_ar: spec.place.map(|p| p.1.to_string()),
        location_pcode: None,
        admin1: spec.place.map(|p| p.2.to_string()),
        admin2: None,
        admin3: None,
        admin1_pcode: spec.place.map(|p| p.3.to_string()),
        country: None,
        iso: None,
        latitude: spec.place.and_then(|p| (p.4 != 0.0).then_some(p.4)),
        longitude: spec.place.and_then(|p| (p.5 != 0.0).then_some(p.5)),
        geo_precision: spec.place.map(|_| GeoPrecision::Place),
        fatalities: spec.fatalities.map(|f| f.0),
        injured: None,
        count: (spec.sub == SubEventType::Arrests)
            .then(|| Count::new(Estimate::exact(10), CountWhat::Detainees)),
        modality: spec.modality,
        background: false,
        sources: vec![],
        corroboration: 1,
        evidence,
        notes: format!("{} test event", spec.sub.as_str()),
        confidence: 0.8,
        review: None,
    }
}

/// A store with three factual events (two with coordinates) and one hedged event.
fn make_db(dir: &Path) {
    let specs = [
        Spec {
            doc: "r1.txt",
            text: "اشتباكات بين قوات النظام ومقاتلين في طفس أسفرت عن مقتل ثلاثة عناصر",
            trigger: "اشتباكات",
            sub: SubEventType::ArmedClash,
            date: (2024, 12, 6),
            place: Some(("Tafas", "طفس", "Dar'a", "SY12", 32.7381, 36.0673)),
            fatalities: Some((Estimate::exact(3), "مقتل ثلاثة عناصر")),
            modality: Modality::Asserted,
        },
        Spec {
            doc: "r2.txt",
            text: "غارة جوية على مدينة إدلب أدت إلى مقتل عشرات المدنيين",
            trigger: "غارة جوية",
            sub: SubEventType::AirDroneStrike,
            date: (2024, 12, 20),
            place: Some(("Idleb", "إدلب", "Idleb", "SY07", 35.932, 36.6349)),
            fatalities: Some((
                Estimate {
                    best: 20,
                    low: 20,
                    high: 99,
                },
                "مقتل عشرات المدنيين",
            )),
            modality: Modality::Reported,
        },
        Spec {
            doc: "r3.txt",
            text: "اعتقال عشرة شبان في مدينة حمص",
            trigger: "اعتقال",
            sub: SubEventType::Arrests,
            date: (2025, 1, 15),
            place: Some(("Homs", "حمص", "Homs", "SY04", 0.0, 0.0)),
            fatalities: None,
            modality: Modality::Asserted,
        },
        Spec {
            doc: "r4.txt",
            text: "أنباء عن هجوم محتمل على قرية في ريف الرقة",
            trigger: "هجوم",
            sub: SubEventType::Attack,
            date: (2025, 1, 20),
            place: None,
            fatalities: None,
            modality: Modality::Hedged,
        },
    ];
    let mut store = SqliteStore::open(&dir.join("rasd.db")).unwrap();
    let run = store.begin_run(&RunInfo::new(["test"])).unwrap();
    let reports: Vec<Report> = specs
        .iter()
        .map(|s| Report::new(Document::new(s.doc, s.text)).with_events(vec![event(s)]))
        .collect();
    store.commit_batch(run, reports, &[]).unwrap();
    store.finish_run(run).unwrap();
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    make_db(dir.path());
    dir
}

#[test]
fn export_csv_to_a_file_has_acleds_header_and_factual_rows() {
    let dir = setup();
    let out = rasd(
        dir.path(),
        &["export", "--format", "csv", "-o", "events.csv"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("events.csv")).unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("event_id_cnty,event_date,year,time_precision,"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "the hedged event is not exported by default");
    assert!(rows[0].contains(",06 December 2024,2024,1,Political violence,Battles,Armed clash,"));
    assert!(
        rows[1].contains(",12,"),
        "«عشرات» is 12 fatalities: {}",
        rows[1]
    );
    assert!(!dir.path().join(".events.csv.partial").exists());

    let all = rasd(
        dir.path(),
        &["export", "-o", "all.csv", "--include-non-factual"],
    );
    assert!(all.status.success(), "{}", stderr(&all));
    let text = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    assert_eq!(
        text.lines().count(),
        5,
        "format from the extension; hedged included"
    );
}

#[test]
fn export_geojson_counts_events_without_coordinates_on_stderr() {
    let dir = setup();
    let out = rasd(dir.path(), &["export", "--format", "geojson"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(doc["features"].as_array().unwrap().len(), 2);
    assert_eq!(doc["features"][0]["geometry"]["coordinates"][0], 36.0673);
    assert!(
        stderr(&out).contains("1 event without coordinates left out of the GeoJSON"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_jsonl_applies_filters() {
    let dir = setup();
    let out = rasd(dir.path(), &["export", "-f", "jsonl", "--admin1", "SY12"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["location_ar"], "طفس");
    let out = rasd(
        dir.path(),
        &[
            "export",
            "-f",
            "jsonl",
            "--event-type",
            "Battles",
            "--from",
            "2024-12-07",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 0);
    let out = rasd(
        dir.path(),
        &["export", "-f", "jsonl", "--sub-event-type", "Skirmish"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Skirmish"), "{}", stderr(&out));
}

#[test]
fn export_parquet_is_a_parquet_file() {
    let dir = setup();
    let out = rasd(
        dir.path(),
        &["export", "-o", "events.parquet", "--row-group-size", "2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("events.parquet")).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let available = Command::new("python3")
        .args(["-c", "import pyarrow, duckdb"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !available {
        assert!(
            std::env::var("RASD_REQUIRE_PY").as_deref() != Ok("1"),
            "RASD_REQUIRE_PY=1 but python3 with pyarrow and duckdb is not available"
        );
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check_exports.py");
    let check = Command::new("python3")
        .arg(script)
        .args(["--rows", "3", "--parquet"])
        .arg(dir.path().join("events.parquet"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn excel_csv_has_a_bom_and_excel_needs_csv() {
    let dir = setup();
    let out = rasd(dir.path(), &["export", "-o", "x.csv", "--excel"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(dir.path().join("x.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFevent_id_cnty"));
    let out = rasd(dir.path(), &["export", "-f", "geojson", "--excel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--excel applies to --format csv only"));
}

#[test]
fn a_missing_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = rasd(dir.path(), &["export", "-f", "csv", "--db", "nowhere.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nowhere.db: no such database"),
        "{}",
        stderr(&out)
    );
    assert!(
        !dir.path().join("nowhere.db").exists(),
        "no empty database is created"
    );
    let out = rasd(dir.path(), &["export", "-o", "events.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--format csv|geojson|jsonl|parquet"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stats_as_table_csv_and_json() {
    let dir = setup();
    let out = rasd(dir.path(), &["stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.starts_with("3 events counted"), "{table}");
    assert!(table.contains("Top actors"));

    let out = rasd(dir.path(), &["stats", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["events"], 3);
    assert_eq!(json["months"][0]["month"], "2024-12");
    assert_eq!(json["months"][0]["fatalities"], 15);

    let out = rasd(
        dir.path(),
        &["stats", "--format", "csv", "--include-non-factual"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(csv.starts_with(
        "section,month,admin1_pcode,admin1,event_type,sub_event_type,actor,events,fatalities"
    ));
    assert_eq!(csv.lines().filter(|l| l.starts_with("cube,")).count(), 4);
}

#[test]
fn stats_chart_writes_svg_and_png() {
    let dir = setup();
    let out = rasd(dir.path(), &["stats", "--chart", "chart.svg"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(dir.path().join("chart.svg")).unwrap();
    assert!(svg.contains(">درعا</text>") && svg.contains(">Dar&apos;a</text>"));
    let out = rasd(dir.path(), &["stats", "--chart", "chart.png"]);
    if out.status.success() {
        let png = std::fs::read(dir.path().join("chart.png")).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    } else {
        assert!(
            std::env::var("RASD_REQUIRE_FONTS").as_deref() != Ok("1"),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("no Arabic-capable font"),
            "{}",
            stderr(&out)
        );
    }
    let out = rasd(dir.path(), &["stats", "--chart", "chart.gif"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn events_can_come_from_a_jsonl_file_instead_of_the_store() {
    let dir = setup();
    let out = rasd(
        dir.path(),
        &["export", "-o", "all.jsonl", "--include-non-factual"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(dir.path().join("rasd.db")).unwrap();

    let out = rasd(
        dir.path(),
        &["stats", "--events", "all.jsonl", "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (json["events"].as_u64(), json["skipped"].as_u64()),
        (Some(3), Some(0))
    );

    let out = rasd(
        dir.path(),
        &[
            "export",
            "--events",
            "all.jsonl",
            "-f",
            "csv",
            "--admin1",
            "Homs",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).lines().count(),
        2,
        "header and the Homs arrests"
    );

    let out = rasd(
        dir.path(),
        &["stats", "--events", "all.jsonl", "--text", "حمص"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--text needs the reports"),
        "{}",
        stderr(&out)
    );

    std::fs::write(dir.path().join("bad.jsonl"), "\n{\"event_id\": 1}\n").unwrap();
    let out = rasd(
        dir.path(),
        &["export", "--events", "bad.jsonl", "-f", "jsonl"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.jsonl:2: not an event of the contract"),
        "{}",
        stderr(&out)
    );
}
