//! Exports stream: output reaches the writer while events are still being produced, so a
//! large export is never held in memory whole.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rasd_export::{export, ExportOptions, Format, ParquetOptions};

/// A writer that only counts bytes.
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::SeqCst);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Exports `n` events and returns (bytes written when the stream was half done, total bytes).
fn midway(format: Format, n: usize) -> (usize, usize) {
    let written = Arc::new(AtomicUsize::new(0));
    let at_half = Arc::new(AtomicUsize::new(0));
    let (w, h) = (written.clone(), at_half.clone());
    let events = common::stream(n).enumerate().map(move |(i, e)| {
        if i == n / 2 {
            h.store(w.load(Ordering::SeqCst), Ordering::SeqCst);
        }
        Ok::<_, std::convert::Infallible>(e)
    });
    let options = ExportOptions {
        parquet: ParquetOptions {
            row_group_size: 1_000,
            ..ParquetOptions::default()
        },
        ..ExportOptions::default()
    };
    let summary = export(format, events, Counter(written.clone()), &options).unwrap();
    assert_eq!(summary.written + summary.skipped, n as u64);
    (
        at_half.load(Ordering::SeqCst),
        written.load(Ordering::SeqCst),
    )
}

#[test]
fn every_format_writes_while_the_stream_is_still_running() {
    for format in Format::ALL {
        let (half, total) = midway(*format, 20_000);
        assert!(half > 0, "{format}: nothing written halfway through");
        assert!(half < total, "{format}: everything written before the end");
        let share = half as f64 / total as f64;
        assert!(
            (0.2..0.8).contains(&share),
            "{format}: {share:.2} written at half the stream"
        );
    }
}
