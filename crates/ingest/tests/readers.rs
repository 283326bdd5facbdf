//! Every reader on its fixture (tests/fixtures, Arabic written for these tests).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use rasd_core::{Document, Published};
use rasd_ingest::{read, read_stream, Error, Input, ReadOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_all(name: &str) -> Vec<Result<Document, Error>> {
    read([Input::Path(fixture(name))], ReadOptions::default()).collect()
}

fn ok(items: &[Result<Document, Error>]) -> Vec<&Document> {
    items.iter().filter_map(|d| d.as_ref().ok()).collect()
}

#[test]
fn text_file_is_one_report_named_by_its_file() {
    let docs = read_all("report.txt");
    assert_eq!(docs.len(), 1);
    let d = docs[0].as_ref().unwrap();
    assert_eq!(d.id, "report.txt");
    assert!(d.text.starts_with("انشق ثلاثة عناصر"));
    assert_eq!(
        d.text,
        std::fs::read_to_string(fixture("report.txt")).unwrap(),
        "kept as read"
    );
}

#[test]
fn html_page_keeps_the_article_and_its_metadata() {
    let docs = read_all("page.html");
    let d = docs[0].as_ref().unwrap();
    assert_eq!(d.id, "page.html");
    assert_eq!(
        d.text,
        "اشتباكات في ريف درعا الغربي\n\
         اندلعت اشتباكات بين مسلحين محليين ودورية أمنية قرب بلدة المزيريب صباح الجمعة.\n\
         وقال شاهد عيان إن الاشتباكات استمرت نحو ساعة، وأسفرت عن إصابة عنصرين.\n\
         ولم يصدر أي تعليق رسمي حتى الآن."
    );
    assert_eq!(d.title.as_deref(), Some("اشتباكات في ريف درعا الغربي"));
    assert_eq!(d.source.as_deref(), Some("شبكة الجنوب"));
    assert_eq!(d.url.as_deref(), Some("https://example.org/news/1234"));
    assert_eq!(
        d.published,
        Some(Published::parse("2024-12-06T10:15:00+03:00").unwrap())
    );
}

#[test]
fn rss_items_become_reports_with_their_own_offset() {
    let docs = read_all("feed.rss");
    assert_eq!(docs.len(), 3);
    let d = docs[0].as_ref().unwrap();
    assert_eq!(d.id, "https://example.net/a/1");
    assert_eq!(
        d.text,
        "استهدفت المدفعية أطراف مدينة سراقب بعدة قذائف ليلة أمس."
    );
    assert_eq!(d.title.as_deref(), Some("قصف مدفعي على أطراف سراقب"));
    assert_eq!(d.source.as_deref(), Some("وكالة الشمال للأنباء"));
    // 01:30 at +03:00 is still the 7th where it was published (the 6th in UTC).
    assert_eq!(d.published.unwrap().date().to_string(), "2024-12-07");
    assert_eq!(
        docs[1].as_ref().unwrap().text,
        "نظم عشرات المعلمين وقفة احتجاجية أمام مديرية التربية في مدينة إدلب."
    );
    let err = docs[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err}");
    assert!(err.to_string().contains("feed.rss#3"), "{err}");
}

#[test]
fn atom_entries_become_reports() {
    let docs = read_all("feed.atom");
    let docs = ok(&docs);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "https://example.com/e/1");
    assert_eq!(
        docs[0].text,
        "انفجر لغم أرضي بسيارة تقل رعاة في بادية الميادين، ما أدى إلى مقتل شخصين."
    );
    assert_eq!(
        docs[0].published,
        Some(Published::parse("2024-12-08T07:45:00+03:00").unwrap())
    );
    assert_eq!(docs[0].source.as_deref(), Some("مرصد الشرق"));
    assert_eq!(
        docs[1].id, "feed.atom#2",
        "no link: the feed and the item's number"
    );
    assert_eq!(
        docs[1].text,
        "أفرجت السلطات عن سبعة معتقلين من أبناء مدينة البوكمال."
    );
}

#[test]
fn jsonl_lines_are_reports_and_bad_lines_are_errors_naming_the_line() {
    let docs = read_all("reports.jsonl");
    assert_eq!(docs.len(), 6, "{docs:#?}");
    let d = docs[0].as_ref().unwrap();
    assert_eq!(
        (d.id.as_str(), d.source.as_deref()),
        ("j1", Some("موقع الوسط"))
    );
    assert_eq!(d.published, Some(Published::parse("2024-12-05").unwrap()));
    let d = docs[1].as_ref().unwrap();
    assert_eq!(
        (d.id.as_str(), d.title.as_deref()),
        ("42", Some("قذيفة على قمحانة"))
    );
    let err = docs[2].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Json { .. }) && err.to_string().contains("reports.jsonl:4"),
        "{err}"
    );
    assert_eq!(docs[3].as_ref().unwrap().id, "reports.jsonl:5");
    let err = docs[4].as_ref().unwrap_err();
    assert!(
        err.to_string().contains("reports.jsonl:6") && err.to_string().contains("text"),
        "{err}"
    );
    // Line 7: a bad date is dropped with a warning, the report kept.
    let d = docs[5].as_ref().unwrap();
    assert_eq!((d.id.as_str(), d.published), ("j6", None));
}

#[test]
fn directories_are_walked_in_order_with_relative_ids() {
    let docs = read_all("corpus");
    let ids: Vec<&str> = ok(&docs).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "sub/page.htm",
            "sub/protest.txt",
            "sub/wire-2.txt",
            "wire-1.txt"
        ]
    );
    assert_eq!(docs.len(), 4, "hidden files and unknown kinds are skipped");
}

#[test]
fn a_stream_is_sniffed() {
    let jsonl =
        "{\"id\":\"s1\",\"text\":\"قصف على حلب\"}\n{\"id\":\"s2\",\"text\":\"قصف على حمص\"}\n";
    let docs: Vec<_> = read_stream(
        std::io::Cursor::new(jsonl),
        "<stdin>",
        ReadOptions::default(),
    )
    .collect();
    assert_eq!(
        ok(&docs).iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        vec!["s1", "s2"]
    );
    let html = std::fs::read(fixture("page.html")).unwrap();
    let docs: Vec<_> = read_stream(
        std::io::Cursor::new(html),
        "<stdin>",
        ReadOptions::default(),
    )
    .collect();
    assert!(docs[0].as_ref().unwrap().text.contains("المزيريب"));
    let text = "خبر عاجل من درعا".as_bytes().to_vec();
    let docs: Vec<_> = read_stream(
        std::io::Cursor::new(text),
        "<stdin>",
        ReadOptions::default(),
    )
    .collect();
    assert_eq!(docs[0].as_ref().unwrap().id, "<stdin>");
}

#[test]
fn a_missing_input_is_an_error_naming_it_and_the_rest_is_read() {
    let docs: Vec<_> = read(
        [
            Input::Path(fixture("no-such-file.txt")),
            Input::Path(fixture("report.txt")),
        ],
        ReadOptions::default(),
    )
    .collect();
    assert_eq!(docs.len(), 2);
    let err = docs[0].as_ref().unwrap_err();
    assert!(err.to_string().contains("no-such-file.txt"), "{err}");
    assert_eq!(docs[1].as_ref().unwrap().id, "report.txt");
}

/// Issue 15: the progress bar's total and position. The bytes read add up to the inputs' size.
#[test]
fn issue_15_bytes_read_reach_the_inputs_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "قصف على البلدة").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let jsonl = "{\"id\":\"b1\",\"text\":\"اشتباكات\"}\n{\"id\":\"b2\",\"text\":\"اعتقال\"}\n";
    std::fs::write(dir.path().join("sub/b.jsonl"), jsonl).unwrap();
    std::fs::write(dir.path().join("sub/skip.bin"), [0u8; 100]).unwrap();
    let inputs = [rasd_ingest::Input::Path(dir.path().to_path_buf())];
    let total = rasd_ingest::input_bytes(&inputs).unwrap();
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let opts = rasd_ingest::ReadOptions {
        bytes_read: Some(counter.clone()),
        ..rasd_ingest::ReadOptions::default()
    };
    let docs: Vec<_> = rasd_ingest::read(inputs.clone(), opts).collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), total);
    assert_eq!(total as usize, "قصف على البلدة".len() + jsonl.len());
    assert_eq!(rasd_ingest::input_bytes(&[rasd_ingest::Input::Stdin]), None);
}

#[test]
fn gzip_compressed_jsonl_reads_as_the_plain_file() {
    use std::io::Write as _;
    let plain = std::fs::read(fixture("reports.jsonl")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("reports.jsonl.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), Default::default());
    encoder.write_all(&plain).unwrap();
    encoder.finish().unwrap();
    let want = read_all("reports.jsonl");
    let got: Vec<_> = read([Input::Path(gz)], ReadOptions::default()).collect();
    assert_eq!(got.len(), want.len(), "the same reports and failures");
    for (g, w) in ok(&got).into_iter().zip(ok(&want)) {
        // A line without an id is named after its file, `.gz` and all.
        assert_eq!(
            (g.id.replace(".jsonl.gz:", ".jsonl:"), &g.text, &g.published),
            (w.id.clone(), &w.text, &w.published)
        );
    }
    // In a directory, `.jsonl.gz` files are read as JSON Lines too.
    let in_dir: Vec<_> = read(
        [Input::Path(dir.path().to_path_buf())],
        ReadOptions::default(),
    )
    .filter_map(Result::ok)
    .collect();
    assert_eq!(in_dir.len(), ok(&want).len());
}
