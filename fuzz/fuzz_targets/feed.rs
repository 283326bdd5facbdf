//! The RSS/Atom reader: any feed gives reports or errors naming the feed or its item, never a
//! crash; reports have text within the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_ingest::{read_stream, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // The reader sniffs a feed from a leading `<` and an `<rss` or `<feed` tag.
    let mut bytes = b"<rss version=\"2.0\">".to_vec();
    bytes.extend_from_slice(data);
    let opts = ReadOptions {
        max_document_bytes: 4096,
        ..ReadOptions::default()
    };
    for item in read_stream(std::io::Cursor::new(bytes), "fuzz.rss", opts) {
        match item {
            Ok(doc) => assert!(!doc.text.trim().is_empty() && doc.text.len() <= 4096),
            Err(e) => {
                let message = e.to_string();
                assert!(message.starts_with("fuzz.rss"), "{message}");
            }
        }
    }
});
