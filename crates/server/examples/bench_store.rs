//! Builds a store of synthetic events for the server's load benchmark
//! (`scripts/bench_serve.sh`): N one-event reports at the gazetteer's Syrian places (with
//! their governorates and P-codes), on days from 2012 to 2024, of eight sub-event types,
//! stored through `Store::commit_batch` like an ingest. Places, days and types are drawn so
//! that two events rarely share all three: nearly every report event stays a dataset event.
//!
//! Usage: `cargo run --release -p rasd-server --example bench_store -- N PATH`
#![allow(missing_docs)]

use anyhow::{bail, Context};
use chrono::NaiveDate;
use rasd_core::{Document, Estimate, Published, SubEventType};
use rasd_store::conformance::sample_event;
use rasd_store::{Report, RunInfo, SqliteStore, Store};

const SUBS: &[SubEventType] = &[
    SubEventType::ArmedClash,
    SubEventType::AirDroneStrike,
    SubEventType::ShellingArtilleryMissileAttack,
    SubEventType::RemoteExplosiveLandmineIed,
    SubEventType::Attack,
    SubEventType::AbductionForcedDisappearance,
    SubEventType::PeacefulProtest,
    SubEventType::Arrests,
];

/// A small deterministic generator (xorshift), so that the store is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, path] = args.as_slice() else {
        bail!("usage: bench_store N PATH");
    };
    let n: u64 = n.parse().context("N")?;
    let mut store = SqliteStore::open(std::path::Path::new(path))?;
    let run = store.begin_run(&RunInfo::new(["bench_store"]))?;
    let first = NaiveDate::from_ymd_opt(2012, 1, 1).context("date")?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let gazetteer = rasd_gazetteer::Gazetteer::builtin()?;
    let places: Vec<&rasd_gazetteer::Place> = gazetteer
        .places()
        .iter()
        .filter(|p| !p.foreign && p.admin1_pcode.is_some() && p.rank >= 3)
        .collect();
    eprintln!("{} places", places.len());
    let mut batch = Vec::new();
    for i in 0..n {
        let place = places[rng.below(places.len() as u64) as usize];
        let day = first + chrono::Days::new(rng.below(13 * 365));
        let sub = SUBS[rng.below(SUBS.len() as u64) as usize];
        let text = format!(
            "بلاغ رقم {i}: حادثة في {} يوم {day}، المرجع {}",
            place.name_ar,
            rng.next()
        );
        let doc = Document::new(format!("bench-{i:07}"), text)
            .with_published(Published::parse(&day.to_string()).ok());
        let point = (place.latitude, place.longitude);
        let mut e = sample_event(&doc, sub, &day.to_string(), point, "حادثة");
        e.location = Some(place.name_en.clone());
        e.location_ar = Some(place.name_ar.clone());
        e.admin1.clone_from(&place.admin1);
        e.admin1_pcode.clone_from(&place.admin1_pcode);
        e.fatalities = Some(Estimate::exact(rng.below(5)));
        e.confidence = 0.3 + rng.below(70) as f64 / 100.0;
        batch.push(Report::new(doc).with_events(vec![e]));
        if batch.len() == 5_000 {
            store.commit_batch(run, std::mem::take(&mut batch), &[])?;
            eprintln!("{} reports stored", i + 1);
        }
    }
    if !batch.is_empty() {
        store.commit_batch(run, batch, &[])?;
    }
    store.finish_run(run)?;
    let counts = store.counts()?;
    println!(
        "{}: {} reports, {} dataset events",
        path, counts.documents, counts.dataset_events
    );
    Ok(())
}
