//! A stand-in analyzer for the ingest tests: one event per report from a small table of
//! trigger and place words, so that tests do not depend on the real extractor.
#![allow(dead_code, clippy::unwrap_used)]

use rasd_core::{Document, Event, SubEventType};
use rasd_store::conformance::sample_event;

const TRIGGERS: &[(&str, SubEventType)] = &[
    ("اشتباكات", SubEventType::ArmedClash),
    ("قصفت", SubEventType::ShellingArtilleryMissileAttack),
    ("قصف", SubEventType::ShellingArtilleryMissileAttack),
    ("تظاهر", SubEventType::PeacefulProtest),
    ("اعتقلت", SubEventType::Arrests),
];

const PLACES: &[(&str, (f64, f64))] = &[
    ("كفرنبل", (35.614, 36.561)),
    ("المزيريب", (32.711, 35.969)),
    ("السويداء", (32.709, 36.566)),
];

/// One event for a report that has a trigger word, placed at the first known place (or a
/// point derived from its id), dated by its publication day (or 2024-12-06).
pub fn analyze(doc: &Document) -> Vec<Event> {
    let Some((trigger, sub)) = TRIGGERS.iter().find(|(t, _)| doc.text.contains(t)) else {
        return Vec::new();
    };
    let place = PLACES
        .iter()
        .find(|(p, _)| doc.text.contains(p))
        .map(|(_, c)| *c)
        .unwrap_or_else(|| {
            let h = rasd_core::content_hash(&doc.id);
            let a = u64::from_str_radix(&h[..6], 16).unwrap() as f64 / 16_777_216.0;
            let b = u64::from_str_radix(&h[6..12], 16).unwrap() as f64 / 16_777_216.0;
            (32.5 + a * 4.0, 36.0 + b * 4.0)
        });
    let date = doc
        .published
        .map(|p| p.date().to_string())
        .unwrap_or_else(|| "2024-12-06".into());
    vec![sample_event(doc, *sub, &date, place, trigger)]
}

/// [`analyze`] as the pipeline calls it, with the normalized view of the report's text: it
/// checks that the view is the text's.
pub fn analyze_stage(doc: &Document, normalized: &rasd_arabic::Normalized) -> Vec<Event> {
    assert_eq!(
        normalized.as_str(),
        rasd_arabic::normalize(&doc.text).as_str(),
        "the view handed to the analyzer is of {}",
        doc.id
    );
    analyze(doc)
}
