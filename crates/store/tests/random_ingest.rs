//! Random ingest sequences: any split into batches, in any order, with repeats, gives the
//! dataset that merging all the reports at once gives, and the store stays sound.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rasd_core::{DatePrecision, Document, GeoPrecision, Modality, SourceRef, SubEventType};
use rasd_resolve::{resolve_dataset, MergeConfig};
use rasd_store::conformance::sample_event;
use rasd_store::{EventFilter, Report, RunInfo, SqliteStore, Store};

#[derive(Clone, Debug)]
struct Spec {
    sub: usize,
    day: u8,
    town: usize,
    jitter: i8,
    precision: u8,
    modality: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (0usize..2, 0u8..3, 0usize..3, -2i8..3, 0u8..3, 0u8..4).prop_map(
        |(sub, day, town, jitter, precision, modality)| Spec {
            sub,
            day,
            town,
            jitter,
            precision,
            modality,
        },
    )
}

fn report(i: usize, specs: &[Spec]) -> Report {
    let mut text = format!("تقرير رقم {i}:");
    for (k, _) in specs.iter().enumerate() {
        text.push_str(&format!(" حادثة{k} في المنطقة."));
    }
    let doc =
        Document::new(format!("r{i:02}"), text).with_source(Some(format!("outlet {}", i % 3)));
    let towns = [(32.738, 36.067), (32.76, 36.08), (32.62, 36.10)];
    let mut events = Vec::new();
    for (k, s) in specs.iter().enumerate() {
        let sub = [
            SubEventType::ArmedClash,
            SubEventType::ShellingArtilleryMissileAttack,
        ][s.sub];
        let (lat, lon) = towns[s.town];
        let date = format!("2024-12-{:02}", 5 + s.day);
        let mut e = sample_event(
            &doc,
            sub,
            &date,
            (lat + f64::from(s.jitter) * 0.01, lon),
            &format!("حادثة{k}"),
        );
        e.event_id = format!("ev-{i:02}-{k}");
        e.geo_precision = GeoPrecision::from_code(1 + s.precision % 3);
        e.date_precision = DatePrecision::from_code(1 + (s.precision + s.day) % 3);
        e.modality = [
            Modality::Asserted,
            Modality::Reported,
            Modality::Asserted,
            Modality::Hedged,
        ][s.modality as usize];
        events.push(e);
    }
    Report::new(doc).with_events(events)
}

fn expected(reports: &[Report]) -> Vec<rasd_core::Event> {
    let mut all = Vec::new();
    for r in reports {
        for e in &r.events {
            let mut e = e.clone();
            e.sources.push(SourceRef {
                name: r.document.source.clone().unwrap(),
                name_ar: None,
                kind: "outlet".into(),
                doc_id: r.document.id.clone(),
            });
            all.push(e);
        }
    }
    let mut out: Vec<_> = resolve_dataset(&all, &MergeConfig::default())
        .into_iter()
        .map(|m| m.event)
        .collect();
    out.retain(|e| e.modality.is_factual());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_batching_and_order_gives_the_merged_dataset(
        docs in proptest::collection::vec(proptest::collection::vec(spec(), 0..3), 1..12),
        order_seed in any::<u64>(),
        cuts in proptest::collection::vec(any::<bool>(), 24),
        repeat in any::<bool>(),
    ) {
        let reports: Vec<Report> = docs.iter().enumerate().map(|(i, s)| report(i, s)).collect();
        let mut order: Vec<usize> = (0..reports.len()).collect();
        let mut s = order_seed;
        for i in (1..order.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        if repeat {
            order.extend(order.clone());
        }
        let mut store = SqliteStore::open_in_memory().unwrap();
        let run = store.begin_run(&RunInfo::new(["random"])).unwrap();
        let mut batch = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            batch.push(reports[i].clone());
            if cuts[k % cuts.len()] {
                store.commit_batch(run, std::mem::take(&mut batch), &[]).unwrap();
            }
        }
        store.commit_batch(run, batch, &[]).unwrap();
        let problems = store.check_integrity().unwrap();
        prop_assert!(problems.is_empty(), "{:?}", problems);
        let got: Vec<_> = store.events(&EventFilter::default()).unwrap().map(Result::unwrap).collect();
        prop_assert_eq!(got, expected(&reports));
        prop_assert_eq!(store.counts().unwrap().documents as usize, reports.len());
    }
}
