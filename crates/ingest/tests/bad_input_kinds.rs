//! Issue 15: a generator of bad inputs. Each kind of bad input (48 of them, from broken bytes
//! to hostile markup) is written beside good inputs in shuffled batches, and every batch is
//! ingested and checked: every good report is stored, every bad input gets exactly one message
//! that names it and says what is wrong, and nothing else is lost: a report stored before is
//! untouched and the store passes its integrity check.
#![allow(clippy::unwrap_used)]

mod common;

use rasd_core::Document;
use rasd_ingest::{ingest, read, IngestOptions, Input, ReadOptions};
use rasd_store::{Report, RunInfo, SqliteStore, Store};

/// Small limits, so that "too large" inputs stay small.
const MAX_DOC: usize = 16 << 10;
const MAX_FILE: u64 = 64 << 10;

/// One kind of input: the file written, the reports it must give (ids), and the failures it
/// must give: (the input as named, relative to the batch's folder, and what the message says).
struct Kind {
    file: String,
    bytes: Vec<u8>,
    good: Vec<String>,
    bad: Vec<(String, &'static str)>,
}

fn text(n: usize) -> String {
    format!("اعتقلت دورية شابا عند حاجز على طريق البلدة في الحادثة رقم {n}")
}

fn good(file: &str, bytes: impl Into<Vec<u8>>, ids: &[&str]) -> Kind {
    Kind {
        file: file.into(),
        bytes: bytes.into(),
        good: ids.iter().map(|s| s.to_string()).collect(),
        bad: Vec::new(),
    }
}

fn bad(file: &str, bytes: impl Into<Vec<u8>>, reason: &'static str) -> Kind {
    Kind {
        file: file.into(),
        bytes: bytes.into(),
        good: Vec::new(),
        bad: vec![(file.into(), reason)],
    }
}

fn rss(items: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>نشرة</title>{items}</channel></rss>")
}

fn item(link: &str, description: &str) -> String {
    format!("<item><title>خبر</title><link>{link}</link><description>{description}</description></item>")
}

fn nested(depth: usize) -> String {
    format!(
        "{}<p>{}</p>{}",
        "<div>".repeat(depth),
        text(900),
        "</div>".repeat(depth)
    )
}

/// Every kind, good and bad.
fn kinds() -> Vec<Kind> {
    let mut k = vec![
        // Good inputs, some of them odd.
        good("plain.txt", text(1), &["plain.txt"]),
        good("crlf-bom.txt", format!("\u{feff}{}\r\n", text(2)), &["crlf-bom.txt"]),
        good(
            "page.html",
            format!("<html><head><title>خبر&nbsp;عاجل</title></head><body><article><p>{}</p></article></body></html>", text(3)),
            &["page.html"],
        ),
        good(
            "entities.rss",
            rss(&format!(
                "{}{}",
                item("https://example.org/e1", &format!("{}&nbsp;&hellip;", text(4))),
                item("https://example.org/e2", &format!("&lt;p&gt;{}&rsquo;&lt;/p&gt;", text(5)))
            )),
            &["https://example.org/e1", "https://example.org/e2"],
        ),
        good(
            "feed.atom",
            format!(
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>\
                 <entry><title>caf&eacute;</title><id>urn:a1</id><link href=\"https://example.org/a1\"/>\
                 <updated>2024-12-06T10:00:00Z</updated><summary>{}</summary></entry></feed>",
                text(6)
            ),
            &["https://example.org/a1"],
        ),
        good(
            "typed.jsonl",
            format!(
                "{{\"id\":\"typed-1\",\"title\":7,\"published\":20240101,\"source\":[1],\"text\":\"{}\"}}\n\
                 {{\"id\":{{\"a\":1}},\"text\":\"{}\"}}\n",
                text(7),
                text(8)
            ),
            &["typed-1", "typed.jsonl:2"],
        ),
        good(
            "dates.jsonl",
            format!(
                "{{\"id\":\"date-1\",\"published\":\"9999-12-31\",\"text\":\"{}\"}}\n\
                 {{\"id\":\"date-2\",\"published\":\"-0001-01-01\",\"text\":\"{}\"}}\n\
                 {{\"id\":\"date-3\",\"published\":\"أمس\",\"text\":\"{}\"}}\n",
                text(9),
                text(10),
                text(11)
            ),
            &["date-1", "date-2", "date-3"],
        ),
        good("\u{202e}txt.exe.txt", text(12), &["\\u{202e}txt.exe.txt"]),
        good("-rf.txt", text(13), &["-rf.txt"]),
        good("new\nline.txt", text(14), &["new\\nline.txt"]),
        good(
            "nested-ok.html",
            format!("{}<p>{}</p>{}", "<div>".repeat(300), text(15), "</div>".repeat(300)),
            &["nested-ok.html"],
        ),
        // Bad files.
        bad("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(), "binary data"),
        bad("latin1.txt", b"caf\xe9 au lait".to_vec(), "not UTF-8"),
        bad("empty.txt", Vec::new(), "empty"),
        bad("blank.txt", b" \n\t\r\n ".to_vec(), "empty"),
        bad("bom-only.txt", b"\xef\xbb\xbf".to_vec(), "empty"),
        bad("bom-nul.txt", b"\xef\xbb\xbfab\x00cd".to_vec(), "binary data"),
        // Issue 17: UTF-16 with a byte-order mark is text; NUL characters in it are not.
        bad("utf16-nul.txt", b"\xff\xfeA\x00\x00\x00B\x00".to_vec(), "binary data"),
        bad("nul.txt", format!("{}\u{0}", text(20)), "binary data"),
        bad("long.txt", "ق".repeat(MAX_DOC), "over the limit"),
        bad(
            "scripts.html",
            "<html><body><script>var a = 1;</script><nav><a>قائمة</a></nav></body></html>",
            "no article text",
        ),
        bad("deep.html", nested(5_000), "nested 5"),
        bad(
            "bold.html",
            format!("{}{}{}", "<b>".repeat(8_000), text(901), "</b>".repeat(8_000)),
            "over the limit of 512",
        ),
        bad(
            "tables.html",
            format!("{}{}", "<table><tr><td>".repeat(1_000), text(902)),
            "over the limit of 512",
        ),
        bad("comment.html", "<!-- لا شيء هنا --><html><body><!-- x --></body></html>", "no article text"),
        bad("empty.html", Vec::new(), "empty"),
        bad("binary.html", b"<html>\x00\x01\x02".to_vec(), "binary data"),
        bad("blank-body.html", "<html><body>   </body></html>", "no article text"),
        bad(
            "big.html",
            format!("<html><body><p>{}</p></body></html>", "ق ".repeat(MAX_FILE as usize)),
            "over the limit",
        ),
        bad(
            "big-text.html",
            format!("<html><body><p>{}</p></body></html>", "ق ".repeat(MAX_DOC)),
            "over the limit",
        ),
        bad(
            "truncated.xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>a</ti",
            "RSS or Atom",
        ),
        bad("words.rss", "هذا نص عادي وليس خلاصة", "RSS or Atom"),
        bad("html.xml", "<html><body><p>نص</p></body></html>", "RSS or Atom"),
        bad("binary.rss", b"<rss>\x00\x00".to_vec(), "binary data"),
        bad("empty.rss", Vec::new(), "RSS or Atom"),
        // A feed whose bytes are not UTF-8 (and that declares no other encoding) is refused
        // whole: feed-rs 3 no longer drops the text it cannot decode.
        bad(
            "latin1.rss",
            b"<rss version=\"2.0\"><channel><title>t</title><item><description>caf\xe9</description></item></channel></rss>".to_vec(),
            "cannot decode input using UTF-8",
        ),
        bad("big.rss", rss(&item("https://example.org/big", &"ق ".repeat(MAX_FILE as usize))), "over the limit"),
    ];
    // Bad feed items: the feed is read, the item fails alone.
    let items = [
        (
            "empty-item.rss",
            item("https://example.org/i1", ""),
            "empty",
        ),
        (
            "script-item.rss",
            item("https://example.org/i2", "&lt;script&gt;x()&lt;/script&gt;"),
            "empty",
        ),
        (
            "deep-item.rss",
            item(
                "https://example.org/i3",
                &nested(2_000).replace('<', "&lt;").replace('>', "&gt;"),
            ),
            "over the limit of 512",
        ),
        (
            "long-item.rss",
            item("https://example.org/i4", &"ق ".repeat(MAX_DOC)),
            "over the limit",
        ),
        (
            "title-only.rss",
            "<item><title>عنوان فقط</title></item>".to_string(),
            "empty",
        ),
    ];
    for (n, (file, bad_item, reason)) in items.into_iter().enumerate() {
        let good_item = item(&format!("https://example.org/ok-{file}"), &text(30 + n));
        k.push(Kind {
            file: file.into(),
            bytes: rss(&format!("{good_item}{bad_item}")).into_bytes(),
            good: vec![format!("https://example.org/ok-{file}")],
            bad: vec![(format!("{file}#2"), reason)],
        });
    }
    // Bad JSON lines: the line fails alone, between good ones.
    let lines: [(&str, String, &str); 14] = [
        (
            "trailing.jsonl",
            format!("{{\"text\":\"{}\"}} بقية", text(42)),
            "not a JSON document",
        ),
        (
            "twice.jsonl",
            format!("{{\"text\":\"{}\",\"text\":\"ب\"}}", text(43)),
            "duplicate field",
        ),
        (
            "huge-number.jsonl",
            format!("{{\"id\":1e999,\"text\":\"{}\"}}", text(44)),
            "not a JSON document",
        ),
        (
            "cut.jsonl",
            "{\"id\":\"x\",\"text\":".into(),
            "not a JSON document",
        ),
        ("array.jsonl", "[1,2,3]".into(), "must be a JSON object"),
        ("string.jsonl", "\"نص\"".into(), "must be a JSON object"),
        (
            "no-text.jsonl",
            "{\"id\":\"x\"}".into(),
            "no \"text\" field",
        ),
        (
            "number-text.jsonl",
            "{\"text\":42}".into(),
            "must be a string",
        ),
        ("blank-text.jsonl", "{\"text\":\"  \\n \"}".into(), "empty"),
        (
            "nul.jsonl",
            format!("{{\"text\":\"{}\u{0}\"}}", text(40)),
            "binary data",
        ),
        (
            "bom-line.jsonl",
            format!("\u{feff}{{\"text\":\"{}\"}}", text(41)),
            "not a JSON document",
        ),
        (
            "long-text.jsonl",
            format!("{{\"text\":\"{}\"}}", "ق".repeat(MAX_DOC)),
            "over the limit",
        ),
        (
            "long-line.jsonl",
            format!("{{\"text\":\"{}\"}}", "ق".repeat(2 * MAX_DOC)),
            "over the limit",
        ),
        (
            "deep-json.jsonl",
            format!("{}{}", "{\"a\":".repeat(1000), "}".repeat(1000)),
            "not a JSON document",
        ),
    ];
    for (n, (file, line, reason)) in lines.into_iter().enumerate() {
        let first = format!("{file}-a");
        let last = format!("{file}-b");
        let body = format!(
            "{{\"id\":\"{first}\",\"text\":\"{}\"}}\n{line}\n{{\"id\":\"{last}\",\"text\":\"{}\"}}\n",
            text(100 + 2 * n),
            text(101 + 2 * n)
        );
        k.push(Kind {
            file: file.into(),
            bytes: body.into_bytes(),
            good: vec![first, last],
            bad: vec![(format!("{file}:2"), reason)],
        });
    }
    let mut latin = format!("{{\"id\":\"latin-a\",\"text\":\"{}\"}}\n", text(200)).into_bytes();
    latin.extend_from_slice(b"{\"text\":\"caf\xe9\"}\n");
    k.push(Kind {
        file: "latin1-line.jsonl".into(),
        bytes: latin,
        good: vec!["latin-a".into()],
        bad: vec![("latin1-line.jsonl:2".into(), "not UTF-8")],
    });
    k
}

/// A reproducible shuffle (a linear congruential generator: no randomness crate needed).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (state >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

fn check_batch(batch: &[&Kind], seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for kind in batch {
        std::fs::write(d.join(&kind.file), &kind.bytes).unwrap();
    }
    let mut store = SqliteStore::open_in_memory().unwrap();
    let run = store.begin_run(&RunInfo::new(["earlier"])).unwrap();
    let earlier = Document::new("earlier.txt", "تظاهر أهالي مدينة السويداء في ساحة الكرامة");
    let events = common::analyze(&earlier);
    store
        .commit_batch(run, vec![Report::new(earlier).with_events(events)], &[])
        .unwrap();
    // Two more inputs that cannot be opened at all, named on the command line.
    let missing = d.join("missing.txt");
    let dangling = d.join("dangling.txt");
    std::os::unix::fs::symlink(d.join("nowhere"), &dangling).unwrap();
    let opts = ReadOptions {
        max_document_bytes: MAX_DOC,
        max_file_bytes: MAX_FILE,
        ..ReadOptions::default()
    };
    let inputs = [
        Input::Path(d.to_path_buf()),
        Input::Path(missing.clone()),
        Input::Path(dangling.clone()),
    ];
    let summary = ingest(
        &mut store,
        read(inputs, opts),
        &common::analyze_stage,
        &RunInfo::new(["batch"]),
        IngestOptions {
            batch_reports: 3,
            ..IngestOptions::default()
        },
        &mut |_, _| {},
    )
    .unwrap();

    let shown = |name: &str| rasd_ingest::shown(&d.join(name));
    let mut expected: Vec<(String, &str)> = vec![
        (shown("missing.txt"), "No such file"),
        (shown("dangling.txt"), "No such file"),
    ];
    for kind in batch {
        for (input, reason) in &kind.bad {
            expected.push((shown(input), reason));
        }
    }
    let names: Vec<&str> = batch.iter().map(|k| k.file.as_str()).collect();
    for (input, reason) in &expected {
        let hits: Vec<_> = summary
            .failures
            .iter()
            .filter(|f| f.input == *input)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "seed {seed} {names:?}: {input}: {:#?}",
            summary.failures
        );
        let f = hits[0];
        assert!(
            f.reason.contains(reason),
            "{input}: «{}» does not say {reason}",
            f.reason
        );
        assert!(
            f.reason.starts_with(input.as_str()),
            "the message names the input: {}",
            f.reason
        );
    }
    assert_eq!(
        summary.failures.len(),
        expected.len(),
        "seed {seed} {names:?}: {:#?}",
        summary.failures
    );
    let good: Vec<&String> = batch.iter().flat_map(|k| &k.good).collect();
    for id in &good {
        assert!(
            store.document(id).unwrap().is_some(),
            "seed {seed} {names:?}: {id} not stored; failures {:#?}",
            summary.failures
        );
    }
    assert_eq!(
        summary.totals.new as usize,
        good.len(),
        "seed {seed} {names:?}"
    );
    let earlier = store.document("earlier.txt").unwrap().unwrap();
    assert_eq!(
        earlier.document.text,
        "تظاهر أهالي مدينة السويداء في ساحة الكرامة"
    );
    assert_eq!(store.counts().unwrap().documents as usize, 1 + good.len());
    let problems = store.check_integrity().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn issue_15_every_kind_of_bad_input_fails_alone_in_every_batch() {
    let kinds = kinds();
    let bad_kinds = kinds.iter().filter(|k| !k.bad.is_empty()).count() + 2;
    assert!(bad_kinds >= 40, "{bad_kinds} kinds of bad input");
    for seed in 0..3 {
        let mut order: Vec<&Kind> = kinds.iter().collect();
        shuffle(&mut order, seed);
        for batch in order.chunks(9) {
            check_batch(batch, seed);
        }
    }
}

#[test]
fn the_kinds_have_distinct_files_and_reports() {
    let kinds = kinds();
    let mut files: Vec<&str> = kinds.iter().map(|k| k.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    assert_eq!(files.len(), kinds.len());
    let mut ids: Vec<&String> = kinds.iter().flat_map(|k| &k.good).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}
