//! Throughput of the Arabic front end: normalize, then sentences and tokens, on a short
//! sentence and on a long report (our own ~3.6 KB paragraph, repeated 30 times).
//!
//! Run: `cargo bench -p rasd-arabic -- --warm-up-time 1 --measurement-time 3`.

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SHORT: &str = "قُتل ثلاثةُ عناصر وأصيب ٧ آخرون في اشتباكاتٍ بريف درعا الشرقي أمس.";
const PARAGRAPH: &str = include_str!("report.txt");

fn texts() -> Vec<(&'static str, String)> {
    vec![("short", SHORT.to_string()), ("long", PARAGRAPH.repeat(30))]
}

fn bench(c: &mut Criterion) {
    // Warm the lazily built default normalizer.
    let _ = rasd_arabic::normalize("تسخين");
    let mut group = c.benchmark_group("arabic");
    for (name, text) in texts() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("normalize/{name}"), |b| {
            b.iter(|| rasd_arabic::normalize(black_box(&text)))
        });
        let n = rasd_arabic::normalize(&text);
        group.bench_function(format!("sentences/{name}"), |b| {
            b.iter(|| rasd_arabic::sentences(black_box(&text)))
        });
        group.bench_function(format!("tokens/{name}"), |b| {
            b.iter(|| rasd_arabic::tokens(black_box(&n)))
        });
        group.bench_function(format!("normalize+sentences+tokens/{name}"), |b| {
            b.iter(|| {
                let n = rasd_arabic::normalize(black_box(&text));
                let s = rasd_arabic::sentences(black_box(&text));
                let t = rasd_arabic::tokens(&n);
                (s.len(), t.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
