//! Issue 17: reports saved in windows-1256, ISO-8859-6 or UTF-16 are decoded, and give the
//! events their UTF-8 forms give; evidence indexes the decoded text. The files are made here,
//! from Arabic written for these tests.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use encoding_rs::{Encoding, ISO_8859_6, WINDOWS_1256};
use rasd_core::{DataFiles, Document, Event, Published};
use rasd_extract::Analyzer;
use rasd_ingest::{read, Error, Input, ReadOptions};

/// A page's article: a strike with a toll, and an arrest, in places of Idlib and Dar'a.
const ARTICLE: [&str; 2] = [
    "قُتل أربعة مدنيين وأصيب آخرون، صباح أمس الخميس، بقصف مدفعي لقوات النظام على بلدة سرمين في ريف إدلب الشرقي.",
    "وفي درعا، اعتقلت دورية للأمن العسكري شابين عند حاجز على مدخل مدينة نوى، بحسب ناشطين.",
];

fn page(charset: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head>\n<meta charset=\"{charset}\">\n\
         <title>قصف على سرمين</title>\n\
         <meta property=\"article:published_time\" content=\"2024-05-17T09:00:00+03:00\">\n\
         </head><body><main><article><h1>قصف على سرمين</h1>\n<p>{}</p>\n<p>{}</p>\n\
         </article></main></body></html>\n",
        ARTICLE[0], ARTICLE[1]
    )
}

fn text_report() -> String {
    ARTICLE.join("\n")
}

fn in_encoding(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot write the report", encoding.name());
    bytes.into_owned()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

/// Writes `bytes` as `dir/name` and reads it back as one document.
fn read_one(dir: &Path, name: &str, bytes: &[u8]) -> Result<Document, Error> {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut docs: Vec<_> = read([Input::Path(path)], ReadOptions::default()).collect();
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn events(doc: &Document) -> Vec<Event> {
    let analyzer = Analyzer::from_data(&DataFiles::new()).unwrap();
    let doc = doc.clone().with_published(
        doc.published
            .or_else(|| Some(Published::parse("2024-05-17").unwrap())),
    );
    let events = analyzer.analyze(&doc).events;
    for e in &events {
        for ev in &e.evidence {
            assert_eq!(
                doc.text.get(ev.start..ev.end),
                Some(ev.text.as_str()),
                "{ev:?}"
            );
        }
    }
    events
}

#[test]
fn issue_17_a_windows_1256_page_gives_the_events_of_its_utf8_form() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = read_one(
        &dir.path().join("utf8"),
        "page.html",
        page("utf-8").as_bytes(),
    )
    .unwrap();
    let legacy = read_one(
        &dir.path().join("legacy"),
        "page.html",
        &in_encoding(WINDOWS_1256, &page("windows-1256")),
    )
    .unwrap();
    assert_eq!(utf8.encoding, None);
    assert_eq!(legacy.encoding.as_deref(), Some("windows-1256"));
    assert_eq!(legacy.text, utf8.text);
    assert_eq!(legacy.title, utf8.title);
    assert_eq!(legacy.published, utf8.published);
    let expected = events(&utf8);
    assert!(expected.len() >= 2, "{expected:#?}");
    assert_eq!(events(&legacy), expected);
}

#[test]
fn issue_17_a_utf16_text_file_gives_the_events_of_its_utf8_form() {
    let dir = tempfile::tempdir().unwrap();
    let report = text_report();
    let utf8 = read_one(&dir.path().join("utf8"), "report.txt", report.as_bytes()).unwrap();
    let utf16 = read_one(
        &dir.path().join("utf16"),
        "report.txt",
        &utf16le_with_bom(&report),
    )
    .unwrap();
    assert_eq!(utf16.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(utf16.text, report);
    let expected = events(&utf8);
    assert!(!expected.is_empty());
    assert_eq!(events(&utf16), expected);
}

#[test]
fn issue_17_legacy_arabic_without_a_declaration_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let report = text_report();
    for encoding in [WINDOWS_1256, ISO_8859_6] {
        let doc = read_one(
            &dir.path().join(encoding.name()),
            "report.txt",
            &in_encoding(encoding, &report),
        )
        .unwrap();
        assert_eq!(doc.text, report, "{}", encoding.name());
        let name = doc.encoding.unwrap();
        assert!(
            name == "windows-1256" || name == "ISO-8859-6",
            "{}: read as {name}",
            encoding.name()
        );
    }
}

#[test]
fn issue_17_binary_and_foreign_encodings_are_still_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let gzip = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9,
    ];
    let err = read_one(dir.path(), "data.txt", &gzip).unwrap_err();
    assert!(matches!(err, Error::Binary { .. }), "{err}");
    assert!(err.to_string().contains("data.txt: binary data"), "{err}");
    let latin = read_one(dir.path(), "latin.txt", b"r\xe9sum\xe9 du caf\xe9").unwrap_err();
    assert!(
        latin.to_string().contains("latin.txt: not UTF-8 text")
            && latin.to_string().contains("windows-1256"),
        "{latin}"
    );
    let mut odd = vec![0xFF, 0xFE];
    odd.extend_from_slice(&[0x00, 0xD8, 0x41, 0x00]); // a lone surrogate, then «A»
    let err = read_one(dir.path(), "odd.txt", &odd).unwrap_err();
    assert!(
        err.to_string().contains("odd.txt: not valid UTF-16LE"),
        "{err}"
    );
}
