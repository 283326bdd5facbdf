//! Throughput of the whole analysis (normalize, segment, mentions, events) on the bundled
//! sample corpus, written by the rasd team.

#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_core::{Document, Published};

fn corpus() -> Vec<Document> {
    include_str!("../../../data/samples/reports.jsonl")
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let published = v["published"]
                .as_str()
                .and_then(|p| Published::parse(p).ok());
            Document::new(
                v["id"].as_str().unwrap_or("x"),
                v["text"].as_str().unwrap_or(""),
            )
            .with_published(published)
        })
        .collect()
}

fn analyze(c: &mut Criterion) {
    let analyzer = rasd_extract::Analyzer::new().expect("built-in data loads");
    let docs = corpus();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    // Warm lazy statics before measuring.
    for doc in &docs {
        analyzer.analyze(doc);
    }
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("sample_corpus", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| analyzer.analyze(d).events.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
