//! The JSON Lines reader: any bytes give, line by line, reports or errors naming the line;
//! never more items than lines; reports have text within the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_ingest::{read_stream, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // The reader sniffs JSON Lines from a leading `{`.
    let mut bytes = b"{".to_vec();
    bytes.extend_from_slice(data);
    let lines = bytes.split(|&b| b == b'\n').count();
    let opts = ReadOptions {
        max_document_bytes: 4096,
        ..ReadOptions::default()
    };
    let mut items = 0;
    for item in read_stream(std::io::Cursor::new(bytes), "fuzz.jsonl", opts) {
        items += 1;
        match item {
            Ok(doc) => {
                assert!(!doc.text.trim().is_empty() && doc.text.len() <= 4096);
                assert!(!doc.id.is_empty());
            }
            Err(e) => {
                let message = e.to_string();
                assert!(message.starts_with("fuzz.jsonl:"), "{message}");
            }
        }
    }
    assert!(items <= lines, "{items} items from {lines} lines");
});
