//! Store throughput: one batch of 256 reports (each with one event, a third of them merging
//! with an earlier report's event) committed into a fresh in-memory database. Reports
//! reports/s; the end-to-end figure with the analyzer is the `ingest_bench` example of
//! `rasd-ingest`.
#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rasd_core::{Document, SubEventType};
use rasd_store::conformance::sample_event;
use rasd_store::{Report, RunInfo, SqliteStore, Store};

const BATCH: usize = 256;

fn reports() -> Vec<Report> {
    (0..BATCH)
        .map(|i| {
            let town = i / 3;
            let text = format!(
                "قصفت المدفعية أطراف القرية رقم {town} صباح اليوم، وأفاد المراسل رقم {i} بسقوط قذائف على المنازل."
            );
            let doc = Document::new(format!("r{i:04}"), text);
            let e = sample_event(
                &doc,
                SubEventType::ShellingArtilleryMissileAttack,
                "2024-12-06",
                (32.0 + town as f64 * 0.1, 36.0),
                "قصفت",
            );
            Report::new(doc).with_events(vec![e])
        })
        .collect()
}

fn batch_insert(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("commit_batch_256_reports", |b| {
        b.iter_batched(
            || {
                let mut store = SqliteStore::open_in_memory().unwrap();
                let run = store.begin_run(&RunInfo::new(["bench"])).unwrap();
                (store, run, reports())
            },
            |(mut store, run, reports)| store.commit_batch(run, reports, &[]).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, batch_insert);
criterion_main!(benches);
