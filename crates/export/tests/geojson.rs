//! The GeoJSON export parsed back with serde_json and checked against RFC 7946's structure.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use rasd_core::Event;
use rasd_export::{ok_events, write_geojson};
use serde_json::Value;

fn export(events: Vec<Event>) -> (Value, rasd_export::ExportSummary, String) {
    let mut out = Vec::new();
    let summary = write_geojson(ok_events(events), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    (serde_json::from_str(&text).unwrap(), summary, text)
}

/// RFC 7946 §3: a FeatureCollection of Features with Point geometries in WGS84, no `crs`.
fn check_rfc7946(doc: &Value) {
    let obj = doc.as_object().unwrap();
    assert_eq!(obj["type"], "FeatureCollection");
    assert!(!obj.contains_key("crs"), "RFC 7946 removed crs");
    for f in obj["features"].as_array().unwrap() {
        let f = f.as_object().unwrap();
        assert_eq!(f["type"], "Feature");
        assert!(f["id"].is_string() || f["id"].is_number());
        assert!(f["properties"].is_object());
        let g = f["geometry"].as_object().unwrap();
        assert_eq!(g["type"], "Point");
        let c = g["coordinates"].as_array().unwrap();
        assert_eq!(c.len(), 2);
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
    }
}

#[test]
fn features_are_points_in_lon_lat_order_with_the_contract_as_properties() {
    let (doc, summary, _) = export(common::sample());
    check_rfc7946(&doc);
    assert_eq!(summary.written as usize, common::SAMPLE_WITH_COORDINATES);
    assert_eq!(
        summary.skipped as usize,
        6 - common::SAMPLE_WITH_COORDINATES
    );
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), common::SAMPLE_WITH_COORDINATES);
    let first = &features[0];
    assert_eq!(
        first["geometry"]["coordinates"][0].as_f64(),
        Some(36.06729),
        "longitude first"
    );
    assert_eq!(first["geometry"]["coordinates"][1].as_f64(), Some(32.73814));
    let props: Event = serde_json::from_value(first["properties"].clone()).unwrap();
    assert_eq!(props, common::sample()[0], "properties are the whole event");
    assert_eq!(first["id"], first["properties"]["event_id"]);
    assert_eq!(first["properties"]["location_ar"], "طفس");
}

#[test]
fn events_without_valid_coordinates_are_counted_not_written() {
    let mut events = common::sample();
    events[0].longitude = Some(f64::NAN);
    events[1].latitude = Some(95.0);
    let (doc, summary, _) = export(events);
    check_rfc7946(&doc);
    assert_eq!(summary.written, 1);
    assert_eq!(summary.skipped, 5);
}

#[test]
fn an_empty_export_is_a_valid_collection() {
    let (doc, summary, _) = export(vec![]);
    check_rfc7946(&doc);
    assert_eq!(doc["features"].as_array().unwrap().len(), 0);
    assert_eq!(summary.written, 0);
}

#[test]
fn one_feature_per_line() {
    let (_, _, text) = export(common::sample());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"{\"type\":\"FeatureCollection\",\"features\":[")
    );
    assert_eq!(lines.last(), Some(&"]}"));
    for line in &lines[1..lines.len() - 1] {
        let line = line.strip_suffix(',').unwrap_or(line);
        let f: Value = serde_json::from_str(line).unwrap();
        assert_eq!(f["type"], "Feature");
    }
}
