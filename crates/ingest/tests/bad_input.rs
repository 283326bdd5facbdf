//! Bad inputs: each fails alone with an error naming it; the rest of the batch is stored and
//! nothing stored before is lost or changed.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use rasd_core::Document;
use rasd_ingest::{ingest, read, Error, IngestOptions, Input, ReadOptions};
use rasd_store::{EventFilter, Report, RunInfo, SqliteStore, Store};

fn write(dir: &Path, name: impl AsRef<std::ffi::OsStr>, bytes: &[u8]) {
    fs::write(dir.join(name.as_ref()), bytes).unwrap();
}

fn big_feed(items: usize) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>نشرة</title>");
    for i in 0..items {
        xml.push_str(&format!(
            "<item><title>خبر {i}</title><link>https://example.org/big/{i}</link>\
             <pubDate>Mon, 02 Dec 2024 10:00:00 +0300</pubDate>\
             <description>اعتقلت دورية الشاب رقم {i} عند حاجز على طريق المدينة.</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

#[test]
fn each_bad_input_fails_alone_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "binary.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    write(d, "latin1.txt", b"caf\xe9 au lait \xff\xfe");
    write(d, "empty.txt", b"");
    write(d, "blank.txt", b"  \n\t \n");
    // 200 MB without writing 200 MB: a sparse file.
    let huge = fs::File::create(d.join("huge.txt")).unwrap();
    huge.set_len(200 << 20).unwrap();
    write(
        d,
        "scripts-only.html",
        b"<html><body><script>var a = 1;</script><nav><a>menu</a></nav></body></html>",
    );
    write(d, "broken.jsonl", "{\"id\":\"ok-1\",\"text\":\"تظاهر أهالي السويداء\"}\n{\"id\":\"bad\",\"text\":\n[1,2,3]\n\u{feff}\n{\"id\":\"ok-2\",\"text\":\"قصف على كفرنبل\"}\n".as_bytes());
    write(
        d,
        "truncated.xml",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>a</ti",
    );
    write(d, "not-a-feed.rss", "هذا نص عادي وليس خلاصة".as_bytes());
    write(d, "big-feed.rss", big_feed(3000).as_bytes());
    write(d, "binary.jsonl", b"\x00\x01\x02{\"id\":1}");
    // Hostile names: a newline, a right-to-left override, a leading dash, a long name, bytes
    // that are not UTF-8.
    write(d, "new\nline.txt", "تظاهر طلاب في مدينة السلمية".as_bytes());
    write(
        d,
        "\u{202E}txt.exe.txt",
        "اعتقلت دورية شابا في حي الميدان".as_bytes(),
    );
    write(d, "-rf.txt", "قصف مدفعي على تل رفعت".as_bytes());
    write(
        d,
        format!("{}.txt", "ن".repeat(120)),
        "تظاهر العشرات في بلدة كناكر".as_bytes(),
    );
    {
        use std::os::unix::ffi::OsStrExt;
        write(
            d,
            std::ffi::OsStr::from_bytes(b"caf\xe9.txt"),
            "اشتباكات في محيط بلدة المزيريب".as_bytes(),
        );
    }
    write(
        d,
        "good.txt",
        "اشتباكات في ريف المزيريب الغربي صباح اليوم".as_bytes(),
    );

    // Something stored before must come through untouched.
    let mut store = SqliteStore::open_in_memory().unwrap();
    let run = store.begin_run(&RunInfo::new(["earlier"])).unwrap();
    let earlier = Document::new("earlier.txt", "تظاهر أهالي مدينة السويداء في ساحة الكرامة");
    let events = common::analyze(&earlier);
    store
        .commit_batch(run, vec![Report::new(earlier).with_events(events)], &[])
        .unwrap();
    let before: Vec<_> = store
        .events(&EventFilter::default())
        .unwrap()
        .map(Result::unwrap)
        .collect();

    let docs = read([Input::Path(d.to_path_buf())], ReadOptions::default());
    let info = RunInfo::new([d.display().to_string()]);
    let summary = ingest(
        &mut store,
        docs,
        &common::analyze_stage,
        &info,
        IngestOptions::default(),
        &mut |_, _| {},
    )
    .unwrap();

    let failed = |name: &str, reason: &str| {
        let hit = summary.failures.iter().find(|f| f.input.contains(name));
        let f = hit.unwrap_or_else(|| panic!("no failure for {name}: {:#?}", summary.failures));
        assert!(f.reason.contains(reason), "{name}: {}", f.reason);
        assert!(
            f.reason.contains(name),
            "the reason names the input: {}",
            f.reason
        );
    };
    failed("binary.txt", "binary");
    failed("latin1.txt", "not UTF-8");
    failed("empty.txt", "empty");
    failed("blank.txt", "empty");
    failed("huge.txt", "over the limit");
    failed("scripts-only.html", "no article text");
    failed("broken.jsonl:2", "not a JSON document");
    failed("broken.jsonl:3", "not a JSON document");
    failed("truncated.xml", "RSS or Atom");
    failed("not-a-feed.rss", "RSS or Atom");
    failed("binary.jsonl", "binary");
    assert_eq!(summary.failures.len(), 12, "{:#?}", summary.failures);
    // Line 4 holds only a byte-order mark: a JSON error too (it is not the first line).
    failed("broken.jsonl:4", "not a JSON document");

    // Stored: 2 JSONL lines, 3000 feed items, 5 hostile names, good.txt.
    assert_eq!(
        summary.totals.new,
        2 + 3000 + 5 + 1,
        "{:#?}",
        summary.totals
    );
    let counts = store.counts().unwrap();
    assert_eq!(counts.documents, 1 + 3008);
    for id in [
        "new\\nline.txt",
        "\\u{202e}txt.exe.txt",
        "-rf.txt",
        "caf\u{fffd}.txt",
        "https://example.org/big/2999",
    ] {
        assert!(store.document(id).unwrap().is_some(), "{id} stored");
    }
    let earlier_now = store.document("earlier.txt").unwrap().unwrap();
    assert_eq!(
        earlier_now.document.text,
        "تظاهر أهالي مدينة السويداء في ساحة الكرامة"
    );
    let after: Vec<_> = store
        .events(&EventFilter::default())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for e in &before {
        let now = after.iter().find(|a| {
            a.event_id == e.event_id || a.evidence.iter().any(|v| v.doc_id == "earlier.txt")
        });
        assert!(now.is_some(), "the earlier event is still in the dataset");
    }
    assert!(store.check_integrity().unwrap().is_empty());
}

#[test]
fn a_200_mb_line_is_refused_without_being_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.jsonl");
    {
        let mut f = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        f.write_all(b"{\"id\":\"x\",\"text\":\"").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all("\"}\n{\"id\":\"after\",\"text\":\"قصف على كفرنبل\"}\n".as_bytes())
            .unwrap();
    }
    let opts = ReadOptions {
        max_document_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let docs: Vec<_> = read([Input::Path(path)], opts).collect();
    assert_eq!(docs.len(), 2);
    let err = docs[0].as_ref().unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("one-line.jsonl:1"), "{err}");
    assert_eq!(docs[1].as_ref().unwrap().id, "after");
}

#[test]
fn a_report_over_the_limit_in_a_feed_or_page_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let long = "قصف ".repeat(1000);
    write(
        dir.path(),
        "long.html",
        format!("<html><body><p>{long}</p></body></html>").as_bytes(),
    );
    let opts = ReadOptions {
        max_document_bytes: 2000,
        ..ReadOptions::default()
    };
    let docs: Vec<_> = read([Input::Path(dir.path().join("long.html"))], opts).collect();
    let err = docs[0].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { what: "report", .. }),
        "{err}"
    );
}
