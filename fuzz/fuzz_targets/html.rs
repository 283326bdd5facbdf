//! The HTML reader: any page is read or refused as too deep, never crashes; the text it keeps
//! is lines without outer white space, and a page's text is the same read twice.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rasd_ingest::{html, Boilerplate};

fn boilerplate() -> &'static Boilerplate {
    static B: OnceLock<Boilerplate> = OnceLock::new();
    B.get_or_init(Boilerplate::builtin)
}

fuzz_target!(|page: &str| {
    match html::extract(page, boilerplate()) {
        Ok(p) => {
            for line in p.text.lines() {
                assert!(!line.is_empty() && line.trim() == line, "{line:?}");
            }
            let again = html::extract(page, boilerplate()).map(|p| p.text);
            assert_eq!(again.as_deref(), Ok(p.text.as_str()));
        }
        Err(e) => assert!(e.depth > html::MAX_NESTING),
    }
    if let Ok(text) = html::fragment_text(page, boilerplate()) {
        assert!(text.lines().all(|l| !l.is_empty()));
    }
});
