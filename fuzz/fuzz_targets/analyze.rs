//! The analyzer never fails on text: every event names the report, every evidence span is a
//! span of the original text whose text it quotes, and the same text gives the same events.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rasd_core::{Document, Published};
use rasd_extract::Analyzer;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new().expect("the built-in data loads"))
}

fuzz_target!(|text: &str| {
    // Keep inputs short: the fuzzer looks for wrong answers, not for slow ones.
    if text.len() > 4096 {
        return;
    }
    let doc = Document::new("fuzz", text).with_published(Published::parse("2024-12-06").ok());
    let analysis = analyzer().analyze(&doc);
    for e in &analysis.events {
        assert_eq!(e.doc_id, "fuzz");
        for v in &e.evidence {
            let quoted = text.get(v.start..v.end);
            assert_eq!(quoted, Some(v.text.as_str()), "{e:?}");
        }
    }
    let again = analyzer().analyze(&doc);
    assert_eq!(
        analysis.events, again.events,
        "the same text gave other events"
    );
});
