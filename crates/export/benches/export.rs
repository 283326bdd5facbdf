//! Export throughput: events per second and MB/s of output for each format, on a stream of
//! varied events built in memory (the same shapes as the tests' sample).
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_export::{export, ok_events, ExportOptions, Format};

#[path = "../tests/common/mod.rs"]
mod common;

const EVENTS: usize = 20_000;

fn bench_exports(c: &mut Criterion) {
    let events: Vec<_> = common::stream(EVENTS).collect();
    let options = ExportOptions::default();
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS as u64));
    for format in Format::ALL {
        group.bench_function(format.as_str(), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(16 << 20);
                export(
                    *format,
                    ok_events(events.iter().cloned()),
                    &mut out,
                    &options,
                )
                .unwrap();
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_exports);
criterion_main!(benches);
