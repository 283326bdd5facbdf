//! Analysis time and memory of long and hostile reports at 10 KB, 100 KB, 1 MB and 8 MB: one
//! run-on sentence of killings, many short lines, and one word repeated. Linear time shows as a
//! steady MB/s from size to size.
//!
//! `cargo run --release -p rasd-extract --example long_reports [SHAPE] [BYTES…]`
//!
//! SHAPE (`run-on`, `lines` or `word`) times one shape only, and BYTES other sizes. Peak RSS is
//! the process's peak so far: run one shape and one size per process to read each one's own.

use std::time::Instant;

use rasd_core::{Document, Published};

/// Kilobytes of resident memory at its peak so far (Linux), if known.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `unit` repeated up to about `bytes` bytes.
fn text_of(unit: &str, bytes: usize) -> String {
    unit.repeat((bytes / unit.len()).max(1))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let analyzer = rasd_extract::Analyzer::new()?;
    let published = Published::parse("2024-01-01").ok();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.first().filter(|a| a.parse::<usize>().is_err());
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![10_000, 100_000, 1_000_000, 8_000_000];
    }
    let shapes = [
        (
            "run-on",
            "run-on sentence",
            "قتل مدنيين في قصف على بلدة تلبيسة و ",
        ),
        ("lines", "short lines", "قتل\n"),
        ("word", "one word", "قصف "),
    ];
    // Load the lazily built data (the gazetteer) before the baseline is read.
    analyzer.analyze(&Document::new("warm", "قصف على مدينة حلب").with_published(published));
    println!(
        "baseline RSS {} MB (analyzer and gazetteer loaded)",
        peak_rss_kb().map_or("?".to_string(), |kb| (kb / 1024).to_string())
    );
    println!("shape            size      seconds   MB/s   events  peak RSS");
    for (key, name, unit) in shapes {
        if only.is_some_and(|o| o != key) {
            continue;
        }
        for &size in &sizes {
            let text = text_of(unit, size);
            let doc = Document::new("long", text.as_str()).with_published(published);
            let started = Instant::now();
            let events = analyzer.analyze(&doc).events.len();
            let seconds = started.elapsed().as_secs_f64();
            let mb = text.len() as f64 / 1e6;
            println!(
                "{name:<16} {:>6} KB  {seconds:>7.3}  {:>5.1}  {events:>6}  {} MB",
                text.len() / 1000,
                mb / seconds.max(1e-9),
                peak_rss_kb().map_or("?".to_string(), |kb| (kb / 1024).to_string()),
            );
        }
    }
    Ok(())
}
