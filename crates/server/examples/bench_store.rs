//! Builds a store of synthetic events for the server's load benchmark
//! (`scripts/bench_serve.sh`): N one-event reports at places spread over Syria's
//! governorates, on days from 2012 to 2024, of every sub-event type, stored through
//! `Store::commit_batch` like an ingest.
//!
//! Usage: `cargo run --release -p rasd-server --example bench_store -- N PATH`
#![allow(missing_docs)]

use anyhow::{bail, Context};
use chrono::NaiveDate;
use rasd_core::{Document, Estimate, Published, SubEventType};
use rasd_store::conformance::sample_event;
use rasd_store::{Report, RunInfo, SqliteStore, Store};

/// Governorates with a point inside each: P-code, English name, latitude, longitude.
const GOVERNORATES: &[(&str, &str, f64, f64)] = &[
    ("SY01", "Damascus", 33.513, 36.292),
    ("SY02", "Aleppo", 36.202, 37.134),
    ("SY03", "Rural Damascus", 33.60, 36.60),
    ("SY04", "Homs", 34.73, 36.71),
    ("SY05", "Hama", 35.13, 36.75),
    ("SY06", "Lattakia", 35.52, 35.79),
    ("SY07", "Idleb", 35.93, 36.63),
    ("SY08", "Al-Hasakeh", 36.50, 40.74),
    ("SY09", "Deir-ez-Zor", 35.33, 40.14),
    ("SY10", "Tartous", 34.89, 35.89),
    ("SY11", "Ar-Raqqa", 35.95, 39.01),
    ("SY12", "Dar'a", 32.62, 36.10),
    ("SY13", "As-Sweida", 32.71, 36.57),
    ("SY14", "Quneitra", 33.13, 35.82),
];

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
    let mut batch = Vec::new();
    for i in 0..n {
        let (pcode, name, lat, lon) = GOVERNORATES[rng.below(GOVERNORATES.len() as u64) as usize];
        let day = first + chrono::Days::new(rng.below(13 * 365));
        let sub = SUBS[rng.below(SUBS.len() as u64) as usize];
        let lat = lat + (rng.below(2000) as f64 - 1000.0) / 5000.0;
        let lon = lon + (rng.below(2000) as f64 - 1000.0) / 5000.0;
        let text = format!(
            "بلاغ رقم {i}: حادثة قرب النقطة {} في محافظة {name} يوم {day}",
            rng.next()
        );
        let doc = Document::new(format!("bench-{i:07}"), text)
            .with_published(Published::parse(&day.to_string()).ok());
        let mut e = sample_event(&doc, sub, &day.to_string(), (lat, lon), "حادثة");
        e.admin1 = Some(name.into());
        e.admin1_pcode = Some(pcode.into());
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
