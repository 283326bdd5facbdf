//! Statistics: the cube, months, governorates and actors, and their table, CSV and JSON forms.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use rasd_core::{EventType, SubEventType};
use rasd_export::{ok_events, Stats, StatsOptions};

fn stats(options: StatsOptions) -> Stats {
    Stats::from_events(ok_events(common::sample()), options).unwrap()
}

#[test]
fn only_factual_news_is_counted_by_default() {
    let s = stats(StatsOptions::default());
    assert_eq!(
        (s.events, s.skipped),
        (5, 1),
        "the hedged event is left out"
    );
    let all = stats(StatsOptions {
        factual_only: false,
        ..StatsOptions::default()
    });
    assert_eq!((all.events, all.skipped), (6, 0));
    let mut events = common::sample();
    events[0].background = true;
    let s = Stats::from_events(ok_events(events), StatsOptions::default()).unwrap();
    assert_eq!(
        (s.events, s.skipped),
        (4, 2),
        "background recalls are left out too"
    );
}

#[test]
fn cube_counts_month_governorate_type_and_sub_type() {
    let s = stats(StatsOptions::default());
    let cells: Vec<_> = s.cube().collect();
    assert_eq!(cells.len(), 5);
    let clash = cells
        .iter()
        .find(|(k, _)| k.sub_event_type == SubEventType::ArmedClash)
        .unwrap();
    assert_eq!(clash.0.month.as_deref(), Some("2024-12"));
    assert_eq!(clash.0.admin1_pcode.as_deref(), Some("SY12"));
    assert_eq!(clash.0.event_type, EventType::Battles);
    assert_eq!((clash.1.events, clash.1.fatalities), (1, 3));
    let abduction = cells
        .iter()
        .find(|(k, _)| k.sub_event_type == SubEventType::AbductionForcedDisappearance)
        .unwrap();
    assert_eq!(
        abduction.0.admin1.as_deref(),
        Some("Rural Damascus"),
        "name from the P-code"
    );
}

#[test]
fn months_sum_fatalities_by_acleds_rule() {
    let s = stats(StatsOptions::default());
    let months: Vec<(Option<String>, u64, u64)> = s
        .months()
        .into_iter()
        .map(|m| (m.month, m.events, m.fatalities))
        .collect();
    assert_eq!(
        months,
        vec![
            (Some("2024-11".into()), 1, 0),
            (Some("2024-12".into()), 2, 15),
            (Some("2025-01".into()), 2, 0),
        ]
    );
    let by_type = s.month_by_type();
    assert_eq!(by_type["2024-12"][&EventType::ExplosionsRemoteViolence], 1);
}

#[test]
fn governorates_carry_arabic_names_and_actors_are_ranked() {
    let s = stats(StatsOptions {
        top_actors: 2,
        ..StatsOptions::default()
    });
    let govs = s.governorates();
    assert_eq!(govs.len(), 5);
    let daraa = govs
        .iter()
        .find(|g| g.admin1_pcode.as_deref() == Some("SY12"))
        .unwrap();
    assert_eq!(daraa.admin1_ar.as_deref(), Some("درعا"));
    let actors = s.top_actors();
    assert_eq!(actors.len(), 2);
    assert_eq!(
        actors[0].actor, "Civilians (Syria)",
        "ties broken by fatalities"
    );
    assert_eq!((actors[0].events, actors[0].fatalities), (1, 12));
}

#[test]
fn json_table_and_csv_agree() {
    let s = stats(StatsOptions::default());
    let json = s.to_json();
    assert_eq!(json["events"], 5);
    assert_eq!(json["cube"].as_array().unwrap().len(), 5);
    assert_eq!(json["cube"][0]["month"], "2024-11");
    assert_eq!(
        json["cube"][0]["sub_event_type"],
        "Abduction/forced disappearance"
    );
    assert_eq!(json["months"][1]["fatalities"], 15);
    assert_eq!(json["governorates"].as_array().unwrap().len(), 5);

    let table = s.render_table();
    assert!(table.starts_with("5 events counted, 1 left out"));
    assert!(table.contains("Fatalities per month"));
    let row = table
        .lines()
        .find(|l| l.starts_with("2024-12") && l.contains("Armed clash"))
        .unwrap();
    assert!(
        row.contains("SY12") && row.ends_with(" 1           3"),
        "{row:?}"
    );

    let mut out = Vec::new();
    s.write_csv(&mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "section",
            "month",
            "admin1_pcode",
            "admin1",
            "event_type",
            "sub_event_type",
            "actor",
            "events",
            "fatalities"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let count = |section: &str| rows.iter().filter(|r| &r[0] == section).count();
    assert_eq!((count("cube"), count("month"), count("actor")), (5, 3, 8));
}

#[test]
fn empty_statistics_still_render() {
    let s = Stats::default();
    assert!(s.render_table().contains("(none)"));
    let mut out = Vec::new();
    s.write_csv(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);
    assert_eq!(s.to_json()["events"], 0);
}

/// Issue 15, defect 4: names in the statistics CSV are defused like the export's.
#[test]
fn issue_15_formula_names_are_defused_in_the_stats_csv() {
    let mut e = common::base("r1", SubEventType::ArmedClash, 1);
    e.actor1 = Some("=HYPERLINK(\"http://x\")".into());
    e.admin1 = Some("@Dar'a".into());
    let s = Stats::from_events(ok_events(vec![e]), StatsOptions::default()).unwrap();
    let mut out = Vec::new();
    s.write_csv(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'@Dar'a"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",@"), "{text}");
}
