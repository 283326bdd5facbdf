//! The JSONL export reads back into the same events.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use rasd_core::Event;
use rasd_export::{ok_events, write_jsonl};

#[test]
fn each_line_is_one_event_of_the_contract() {
    let events = common::sample();
    let mut out = Vec::new();
    let summary = write_jsonl(ok_events(events.clone()), &mut out).unwrap();
    assert_eq!(summary.written, 6);
    let text = String::from_utf8(out).unwrap();
    assert!(text.ends_with('\n'));
    let back: Vec<Event> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, events);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for key in [
        "event_id",
        "doc_id",
        "event_type",
        "sub_event_type",
        "date",
        "date_precision",
        "actor1",
        "actor1_ar",
        "assoc_actors",
        "location",
        "location_ar",
        "admin1_pcode",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "injured",
        "count",
        "modality",
        "sources",
        "evidence",
        "notes",
        "confidence",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["date"], "2024-12-06");
    assert_eq!(first["fatalities"]["low"], 3);
}
