//! Cross-report merging: rule tables and the order-independence property.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use proptest::prelude::*;
use rasd_core::{
    ActorType, Count, CountWhat, DatePrecision, Estimate, Event, Evidence, GeoPrecision, Modality,
    SourceRef, SubEventType,
};
use rasd_resolve::{cluster, compatible, merge, resolve_dataset, MergeConfig};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A report event at a town of Dar'a governorate.
fn ev(id: &str, doc: &str, date: &str, lat: f64, lon: f64) -> Event {
    let sub = SubEventType::ArmedClash;
    Event {
        event_id: id.to_string(),
        doc_id: doc.to_string(),
        event_type: sub.event_type(),
        sub_event_type: sub,
        disorder_type: sub.disorder_type(),
        date: Some(day(date)),
        date_precision: Some(DatePrecision::Day),
        actor1: None,
        actor1_ar: None,
        inter1: None,
        actor2: None,
        actor2_ar: None,
        inter2: None,
        interaction: None,
        assoc_actors: vec![],
        location: Some("Tafas".into()),
        location_ar: Some("طفس".into()),
        location_pcode: None,
        admin1: Some("Dar'a".into()),
        admin2: Some("Dar'a".into()),
        admin3: None,
        admin1_pcode: Some("SY12".into()),
        country: None,
        iso: None,
        latitude: Some(lat),
        longitude: Some(lon),
        geo_precision: Some(GeoPrecision::Place),
        fatalities: None,
        injured: None,
        count: None,
        modality: Modality::Asserted,
        background: false,
        sources: vec![SourceRef {
            name: format!("outlet of {doc}"),
            name_ar: None,
            kind: "outlet".into(),
            doc_id: doc.to_string(),
        }],
        corroboration: 1,
        evidence: vec![Evidence {
            doc_id: doc.to_string(),
            start: 0,
            end: 16,
            text: "اشتباكات".into(),
            field: "trigger".into(),
        }],
        notes: "Armed clash in Tafas.".into(),
        confidence: 0.6,
        review: None,
    }
}

fn cfg() -> MergeConfig {
    MergeConfig::default()
}

#[test]
fn same_incident_from_two_reports_merges() {
    let a = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    let b = ev("ev-b", "r2", "2024-12-06", 32.750, 36.070);
    assert!(compatible(&a, &b, &cfg()));
    let out = resolve_dataset(&[a, b], &cfg());
    assert_eq!(out.len(), 1);
    let m = &out[0];
    assert_eq!(m.corroboration, 2);
    assert_eq!(
        m.event.corroboration, 2,
        "the dataset event says how many reports tell it"
    );
    assert_eq!(m.members, vec!["ev-a".to_string(), "ev-b".to_string()]);
    let docs: Vec<&str> = m.event.evidence.iter().map(|e| e.doc_id.as_str()).collect();
    assert_eq!(docs, vec!["r1", "r2"]);
    let docs: Vec<&str> = m.event.sources.iter().map(|e| e.doc_id.as_str()).collect();
    assert_eq!(docs, vec!["r1", "r2"]);
    assert_eq!(m.event.event_id, "ev-a");
    assert!(m.event.confidence > 0.6);
    assert!(
        m.event.notes.ends_with("Corroborated by 2 reports."),
        "{}",
        m.event.notes
    );
}

#[test]
fn rule_table() {
    let base = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    type Change = Box<dyn Fn(&mut Event)>;
    let cases: Vec<(&str, Change, bool)> = vec![
        ("two km away", Box::new(|e| e.latitude = Some(32.756)), true),
        (
            "twenty km away",
            Box::new(|e| e.latitude = Some(32.92)),
            false,
        ),
        (
            "next day",
            Box::new(|e| e.date = Some(day("2024-12-07"))),
            false,
        ),
        (
            "week-precise, two days later",
            Box::new(|e| {
                e.date = Some(day("2024-12-08"));
                e.date_precision = Some(DatePrecision::Week);
            }),
            true,
        ),
        (
            "month-precise, same month",
            Box::new(|e| {
                e.date = Some(day("2024-12-15"));
                e.date_precision = Some(DatePrecision::Month);
            }),
            true,
        ),
        (
            "month-precise, next month",
            Box::new(|e| {
                e.date = Some(day("2025-01-15"));
                e.date_precision = Some(DatePrecision::Month);
            }),
            false,
        ),
        ("undated", Box::new(|e| e.date = None), false),
        (
            "governorate-level, same governorate",
            Box::new(|e| {
                e.geo_precision = Some(GeoPrecision::Region);
                e.latitude = Some(32.9);
                e.longitude = Some(36.3);
            }),
            true,
        ),
        (
            "governorate-level, other governorate",
            Box::new(|e| {
                e.geo_precision = Some(GeoPrecision::Region);
                e.admin1_pcode = Some("SY13".into());
            }),
            false,
        ),
        (
            "near a town 8 km away",
            Box::new(|e| {
                e.geo_precision = Some(GeoPrecision::Near);
                e.latitude = Some(32.81);
            }),
            true,
        ),
        (
            "other sub-event type",
            Box::new(|e| e.sub_event_type = SubEventType::Attack),
            false,
        ),
        (
            "negated",
            Box::new(|e| e.modality = Modality::Negated),
            false,
        ),
        (
            "reported",
            Box::new(|e| e.modality = Modality::Reported),
            true,
        ),
        ("same report", Box::new(|e| e.doc_id = "r1".into()), false),
        (
            "different actors",
            Box::new(|e| e.actor1 = Some("Hay'at Tahrir al-Sham".into())),
            true, // the base names no actor: compatible
        ),
    ];
    for (name, change, expect) in cases {
        let mut other = ev("ev-b", "r2", "2024-12-06", 32.738, 36.067);
        change(&mut other);
        assert_eq!(compatible(&base, &other, &cfg()), expect, "{name}");
        assert_eq!(
            compatible(&other, &base, &cfg()),
            expect,
            "{name} (reversed)"
        );
    }
}

#[test]
fn actors_must_share_a_name_when_both_have_some() {
    let mut a = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    let mut b = ev("ev-b", "r2", "2024-12-06", 32.738, 36.067);
    a.actor1 = Some("Military Forces of Syria".into());
    b.actor1 = Some("Islamic State".into());
    assert!(!compatible(&a, &b, &cfg()));
    b.actor2 = Some("Military Forces of Syria".into());
    assert!(compatible(&a, &b, &cfg()));
}

#[test]
fn most_precise_place_and_date_win_and_counts_span_the_reports() {
    let mut coarse = ev("ev-a", "r1", "2024-12-06", 32.62, 36.1);
    coarse.geo_precision = Some(GeoPrecision::Region);
    coarse.location = Some("Dar'a".into());
    coarse.date_precision = Some(DatePrecision::Week);
    coarse.fatalities = Some(Estimate {
        best: 5,
        low: 5,
        high: 7,
    });
    coarse.actor1 = Some("Military Forces of Syria".into());
    coarse.inter1 = Some(ActorType::StateForces);
    let mut precise = ev("ev-z", "r2", "2024-12-05", 32.738, 36.067);
    precise.fatalities = Some(Estimate::exact(3));
    precise.actor1 = Some("Military Forces of Syria".into());
    precise.inter1 = Some(ActorType::StateForces);
    precise.actor2 = Some("Free Syrian Army".into());
    precise.inter2 = Some(ActorType::RebelGroup);
    precise.count = Some(Count::new(Estimate::exact(3), CountWhat::Killed));
    let mut third = ev("ev-m", "r3", "2024-12-05", 32.74, 36.06);
    third.fatalities = Some(Estimate::exact(3));
    third.actor1 = Some("Military Forces of Syria".into());
    third.inter1 = Some(ActorType::StateForces);
    let out = resolve_dataset(&[coarse, precise, third], &cfg());
    assert_eq!(out.len(), 1, "{out:#?}");
    let e = &out[0].event;
    assert_eq!(
        e.event_id, "ev-m",
        "the lead is the most precise, then by id"
    );
    assert_eq!(e.geo_precision, Some(GeoPrecision::Place));
    assert_eq!(e.date, Some(day("2024-12-05")));
    assert_eq!(e.date_precision, Some(DatePrecision::Day));
    assert_eq!(
        e.fatalities,
        Some(Estimate {
            best: 3,
            low: 3,
            high: 7
        })
    );
    assert_eq!(e.count.map(|c| c.best), Some(3));
    assert_eq!(e.actor1.as_deref(), Some("Military Forces of Syria"));
    assert_eq!(e.actor2.as_deref(), Some("Free Syrian Army"));
    assert_eq!(e.interaction, Some(12));
    assert_eq!(out[0].corroboration, 3);
}

#[test]
fn ties_in_counts_go_to_the_lowest() {
    let mut a = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    let mut b = ev("ev-b", "r2", "2024-12-06", 32.738, 36.067);
    a.fatalities = Some(Estimate::exact(4));
    b.fatalities = Some(Estimate::exact(6));
    let m = merge(&[&b, &a]);
    assert_eq!(
        m.event.fatalities,
        Some(Estimate {
            best: 4,
            low: 4,
            high: 6
        })
    );
}

#[test]
fn an_ambiguous_coarse_report_is_not_guessed_into_one_incident() {
    // Two clashes 30 km apart in one governorate, and a governorate-level report of a clash.
    let a = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    let b = ev("ev-b", "r2", "2024-12-06", 32.62, 36.40);
    let mut c = ev("ev-c", "r3", "2024-12-06", 32.62, 36.1);
    c.geo_precision = Some(GeoPrecision::Region);
    let out = resolve_dataset(&[a, b, c], &cfg());
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|m| m.corroboration == 1));
}

#[test]
fn a_chain_is_split_so_no_cluster_spans_more_than_the_threshold() {
    // Three towns 4 km apart in a row: the ends are 8 km apart.
    let a = ev("ev-a", "r1", "2024-12-06", 32.700, 36.0);
    let b = ev("ev-b", "r2", "2024-12-06", 32.736, 36.0);
    let c = ev("ev-c", "r3", "2024-12-06", 32.772, 36.0);
    let events = [&a, &b, &c];
    let clusters = cluster(&events, &cfg());
    assert_eq!(clusters.len(), 2, "{clusters:?}");
    assert_eq!(clusters[0], vec![0, 1]);
}

#[test]
fn a_single_event_is_returned_as_it_is() {
    let a = ev("ev-a", "r1", "2024-12-06", 32.738, 36.067);
    let m = merge(&[&a]);
    assert_eq!(m.event, a);
    assert_eq!(m.corroboration, 1);
}

fn arb_event() -> impl Strategy<Value = Event> {
    (
        0usize..6, // doc
        0usize..3, // sub-event type
        0i64..4,   // day offset
        0u8..3,    // date precision
        0usize..4, // anchor town
        -3i32..4,  // jitter (km-ish)
        0u8..3,    // geo precision
        0usize..3, // actor
        0u64..5,   // fatalities
        0u8..5,    // modality
    )
        .prop_map(|(doc, sub, dd, dp, town, jit, gp, actor, fat, modality)| {
            let towns = [
                (32.738, 36.067),
                (32.77, 36.067),
                (32.62, 36.1),
                (35.93, 36.63),
            ];
            let (lat, lon) = towns[town];
            let date = day("2024-12-05") + chrono::Days::new(dd as u64);
            let mut e = ev(
                "x",
                &format!("r{doc}"),
                &date.to_string(),
                lat + f64::from(jit) * 0.02,
                lon,
            );
            e.sub_event_type = [
                SubEventType::ArmedClash,
                SubEventType::Attack,
                SubEventType::Arrests,
            ][sub];
            e.event_type = e.sub_event_type.event_type();
            e.disorder_type = e.sub_event_type.disorder_type();
            e.date_precision = DatePrecision::from_code(dp + 1);
            e.geo_precision = GeoPrecision::from_code(gp + 1);
            if town == 3 {
                e.admin1_pcode = Some("SY07".into());
            }
            e.actor1 = [None, Some("A".to_string()), Some("B".to_string())][actor].clone();
            e.fatalities = (fat > 0).then(|| Estimate::exact(fat));
            e.modality = [
                Modality::Asserted,
                Modality::Reported,
                Modality::Asserted,
                Modality::Hedged,
                Modality::Asserted,
            ][modality as usize];
            e.event_id = format!("ev-{doc}-{sub}-{dd}-{town}-{jit}-{gp}-{dp}");
            e
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Reports arriving in any order give the same dataset.
    #[test]
    fn merging_is_order_independent(
        events in proptest::collection::vec(arb_event(), 0..40),
        seed in any::<u64>(),
    ) {
        let mut events = events;
        events.sort_by(|a, b| a.event_id.cmp(&b.event_id));
        events.dedup_by(|a, b| a.event_id == b.event_id);
        let forward = resolve_dataset(&events, &cfg());
        let mut shuffled = events.clone();
        // A deterministic shuffle driven by the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let backward = resolve_dataset(&shuffled, &cfg());
        prop_assert_eq!(&forward, &backward);
        // Every report event lands in exactly one dataset event.
        let mut members: Vec<&String> = forward.iter().flat_map(|m| &m.members).collect();
        members.sort();
        prop_assert_eq!(members.len(), events.len());
        members.dedup();
        prop_assert_eq!(members.len(), events.len());
        // No dataset event holds two events of one report, or a non-factual one with others.
        for m in &forward {
            prop_assert_eq!(m.corroboration, m.members.len());
            if m.members.len() > 1 {
                prop_assert!(m.event.modality.is_factual());
            }
        }
    }
}
