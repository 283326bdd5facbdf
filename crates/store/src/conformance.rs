//! The behaviour every [`Store`] backend must show, as functions over `&mut dyn Store`.
//!
//! A backend's tests run the whole suite with one line, [`crate::store_conformance!`], given an
//! expression that opens a fresh, empty store:
//!
//! ```text
//! rasd_store::store_conformance!(rasd_store::SqliteStore::open_in_memory().unwrap());
//! ```
//!
//! Each check panics with a message when the backend misbehaves; it is test support, not a
//! runtime API.
#![allow(clippy::unwrap_used, missing_docs)]

use chrono::NaiveDate;
use rasd_core::{
    DatePrecision, Document, Estimate, Event, Evidence, GeoPrecision, Modality, Published,
    SubEventType,
};

use crate::{
    Coding, Error, EventFilter, Failure, Outcome, Report, ReportFilter, Review, ReviewAction,
    ReviewChoice, Role, RunInfo, Store,
};

/// Generates one `#[test]` per conformance check for a backend; `$make` opens a fresh store.
#[macro_export]
macro_rules! store_conformance {
    ($make:expr) => {
        $crate::store_conformance!(@tests $make;
            ingest_is_idempotent, spelling_variants_are_exact_duplicates,
            near_duplicates_form_one_story, events_merge_across_reports,
            events_stream_in_order_and_filter, search_finds_folded_spellings,
            issue_13_search_finds_words_stems_and_headlines_newest_first,
            a_bad_batch_stores_nothing, a_taken_doc_id_is_refused, run_log_records_batches,
            non_factual_events_are_kept_apart, show_finds_an_event_by_a_member_id,
            reviews_lie_over_the_coding_and_survive_reanalysis,
            merging_by_a_reviewer_lends_evidence_and_hides_the_merged_event,
            splitting_by_a_reviewer_makes_a_new_event_that_survives_reanalysis,
            pages_and_aggregates_agree_with_the_stream,
            box_pages_across_cells_are_a_full_scan_in_order,
            tokens_are_kept_by_name_with_their_hash,
            issue_17_a_report_keeps_the_encoding_it_came_in);
        #[test]
        fn merging_does_not_depend_on_the_order_of_reports() {
            $crate::conformance::merging_does_not_depend_on_the_order_of_reports(&mut || $make);
        }
        #[test]
        fn recoding_gives_the_dataset_a_fresh_ingest_gives() {
            $crate::conformance::recoding_gives_the_dataset_a_fresh_ingest_gives(&mut || $make);
        }
    };
    (@tests $make:expr; $($name:ident),+) => {
        $(
            #[test]
            fn $name() {
                let mut store = $make;
                $crate::conformance::$name(&mut store);
            }
        )+
    };
}

/// A report event at (`lat`, `lon`) whose trigger is the first occurrence of `trigger` in
/// `text`.
pub fn sample_event(
    doc: &Document,
    sub: SubEventType,
    date: &str,
    (lat, lon): (f64, f64),
    trigger: &str,
) -> Event {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let start = doc.text.find(trigger).unwrap();
    let place = format!("{lat:.3},{lon:.3}");
    Event {
        event_id: rasd_core::event_id(&doc.id, sub, &place, Some(day)),
        doc_id: doc.id.clone(),
        event_type: sub.event_type(),
        sub_event_type: sub,
        disorder_type: sub.disorder_type(),
        date: Some(day),
        date_precision: Some(DatePrecision::Day),
        actor1: None,
        actor1_ar: None,
        inter1: None,
        actor2: None,
        actor2_ar: None,
        inter2: None,
        interaction: None,
        assoc_actors: vec![],
        location: Some(place),
        location_ar: None,
        location_pcode: None,
        admin1: Some("Dar'a".into()),
        admin2: None,
        admin3: None,
        admin1_pcode: Some("SY12".into()),
        country: None,
        iso: None,
        latitude: Some(lat),
        longitude: Some(lon),
        geo_precision: Some(GeoPrecision::Place),
        fatalities: None,
        injured: None,
        count: None,
        modality: Modality::Asserted,
        background: false,
        sources: vec![],
        corroboration: 1,
        evidence: vec![Evidence {
            doc_id: doc.id.clone(),
            start,
            end: start + trigger.len(),
            text: trigger.to_string(),
            field: "trigger".into(),
        }],
        notes: format!("{} on {date}.", sub.as_str()),
        confidence: 0.5,
        review: None,
    }
}

const TAFAS: (f64, f64) = (32.738, 36.067);
const NEAR_TAFAS: (f64, f64) = (32.752, 36.070);
const IDLIB: (f64, f64) = (35.930, 36.633);

fn doc(id: &str, text: &str, published: &str) -> Document {
    Document::new(id, text)
        .with_published(Some(Published::parse(published).unwrap()))
        .with_source(Some(format!("Outlet {id}")))
}

/// Three reports: two of one clash in Tafas, one of a strike in Idlib.
fn sample_reports() -> Vec<Report> {
    let a = doc(
        "a.txt",
        "اندلعت اشتباكات عنيفة في بلدة طفس بريف درعا الغربي.",
        "2024-12-06",
    );
    let b = doc(
        "b.txt",
        "دارت اشتباكات قرب طفس غربي درعا وقتل فيها ثلاثة مقاتلين.",
        "2024-12-06",
    );
    let c = doc("c.txt", "قصفت طائرة حربية أطراف مدينة إدلب.", "2024-12-07");
    let ea = sample_event(
        &a,
        SubEventType::ArmedClash,
        "2024-12-06",
        TAFAS,
        "اشتباكات",
    );
    let mut eb = sample_event(
        &b,
        SubEventType::ArmedClash,
        "2024-12-06",
        NEAR_TAFAS,
        "اشتباكات",
    );
    eb.fatalities = Some(Estimate::exact(3));
    let mut ec = sample_event(
        &c,
        SubEventType::AirDroneStrike,
        "2024-12-07",
        IDLIB,
        "قصفت",
    );
    ec.admin1 = Some("Idleb".into());
    ec.admin1_pcode = Some("SY07".into());
    vec![
        Report::new(a).with_events(vec![ea]),
        Report::new(b).with_events(vec![eb]),
        Report::new(c).with_events(vec![ec]),
    ]
}

fn all_events(store: &dyn Store, filter: &EventFilter) -> Vec<Event> {
    store
        .events(filter)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

fn assert_sound(store: &dyn Store) {
    let problems = store.check_integrity().unwrap();
    assert!(problems.is_empty(), "integrity problems: {problems:#?}");
}

pub fn ingest_is_idempotent(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["first"])).unwrap();
    let out = store.commit_batch(run, sample_reports(), &[]).unwrap();
    assert!(
        out.iter().all(|o| matches!(o, Outcome::New { .. })),
        "{out:?}"
    );
    let counts = store.counts().unwrap();
    let dataset = all_events(store, &EventFilter::default());
    let run2 = store.begin_run(&RunInfo::new(["second"])).unwrap();
    let again = store.commit_batch(run2, sample_reports(), &[]).unwrap();
    assert!(
        again.iter().all(|o| matches!(o, Outcome::Duplicate { .. })),
        "{again:?}"
    );
    let after = store.counts().unwrap();
    assert_eq!(counts.documents, after.documents);
    assert_eq!(counts.report_events, after.report_events);
    assert_eq!(counts.dataset_events, after.dataset_events);
    assert_eq!(dataset, all_events(store, &EventFilter::default()));
    assert_sound(store);
}

pub fn spelling_variants_are_exact_duplicates(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    let a = Report::new(Document::new("one", "قُتِلَ مدنيٌّ في إدلب"));
    let b = Report::new(Document::new("two", "قتل مدني في ادلب"));
    assert_eq!(a.document.content_hash, b.document.content_hash);
    let out = store.commit_batch(run, vec![a, b], &[]).unwrap();
    assert_eq!(
        out[1],
        Outcome::Duplicate {
            doc_id: "two".into(),
            of: "one".into()
        }
    );
    assert_eq!(
        store
            .doc_with_hash(&rasd_core::content_hash("قتل مدني في ادلب"))
            .unwrap()
            .as_deref(),
        Some("one")
    );
    assert_eq!(store.counts().unwrap().documents, 1);
}

pub fn near_duplicates_form_one_story(store: &mut dyn Store) {
    let wire = "أفادت مصادر محلية بأن قوات النظام شنت حملة دهم واعتقال في مدينة الصنمين بريف درعا الشمالي واعتقلت خمسة شبان من أبناء المدينة واقتادتهم إلى جهة مجهولة";
    let copy = format!("{wire} بحسب ما نقل مراسل الموقع");
    let other =
        "افتتحت مديرية التربية في محافظة حماة مدرسة جديدة في حي الأربعين بعد ترميمها بالكامل";
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    let out = store
        .commit_batch(
            run,
            vec![
                Report::new(Document::new("site-b", copy)),
                Report::new(Document::new("site-c", other)),
                Report::new(Document::new("site-a", wire)),
            ],
            &[],
        )
        .unwrap();
    match &out[2] {
        Outcome::New {
            near_duplicate_of, ..
        } => {
            assert_eq!(near_duplicate_of.as_deref(), Some("site-b"))
        }
        o => panic!("expected a new report, got {o:?}"),
    }
    assert_eq!(store.story("site-b").unwrap(), vec!["site-a", "site-b"]);
    assert_eq!(store.story("site-c").unwrap(), vec!["site-c"]);
    assert_eq!(
        store.document("site-b").unwrap().unwrap().story_id,
        "site-a"
    );
    assert_eq!(store.counts().unwrap().stories, 2);
    let runs = store.runs().unwrap();
    assert_eq!(runs.last().unwrap().near_duplicates, 1);
}

pub fn events_merge_across_reports(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let events = all_events(store, &EventFilter::default());
    assert_eq!(events.len(), 2, "{events:#?}");
    let clash = &events[0];
    assert_eq!(clash.sub_event_type, SubEventType::ArmedClash);
    let docs: std::collections::BTreeSet<&str> =
        clash.evidence.iter().map(|e| e.doc_id.as_str()).collect();
    assert_eq!(docs.into_iter().collect::<Vec<_>>(), vec!["a.txt", "b.txt"]);
    let outlets: Vec<&str> = clash.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(outlets, vec!["Outlet a.txt", "Outlet b.txt"]);
    assert_eq!(clash.fatalities.map(|f| f.best), Some(3));
    assert_eq!(clash.corroboration, 2, "two reports tell the clash");
    assert_eq!(events[1].corroboration, 1);
    let shown = store.event(&clash.event_id).unwrap().unwrap();
    assert_eq!(shown.corroboration, 2);
    assert_eq!(shown.event.corroboration, 2);
    assert_eq!(shown.members.len(), 2);
    assert_eq!(shown.members[0], clash.event_id);
    assert_eq!(store.counts().unwrap().report_events, 3);
    assert_eq!(store.report_events("b.txt").unwrap().len(), 1);
    assert_sound(store);
}

pub fn events_stream_in_order_and_filter(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    // Many more events, to cross page boundaries, on days in reverse order.
    let mut more = Vec::new();
    for i in 0..600u32 {
        let day =
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(u64::from(600 - i));
        let d = Document::new(
            format!("bulk-{i:04}"),
            format!("قصف مدفعي على قرية رقم {i} في ريف درعا"),
        );
        let e = sample_event(
            &d,
            SubEventType::ShellingArtilleryMissileAttack,
            &day.to_string(),
            (32.5 + f64::from(i) * 0.01, 36.0),
            "قصف",
        );
        more.push(Report::new(d).with_events(vec![e]));
    }
    store.commit_batch(run, more, &[]).unwrap();
    let all = all_events(store, &EventFilter::default());
    assert_eq!(all.len(), 602);
    let keys: Vec<_> = all.iter().map(|e| (e.date, e.event_id.clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "ordered by date then event_id");
    let f = |f: EventFilter| all_events(store, &f).len();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    assert_eq!(
        f(EventFilter {
            sub_event_type: Some(SubEventType::ArmedClash),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            event_type: Some(rasd_core::EventType::ExplosionsRemoteViolence),
            ..Default::default()
        }),
        601
    );
    assert_eq!(
        f(EventFilter {
            from: day("2024-12-06"),
            to: day("2024-12-06"),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            admin1: Some("sy07".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            admin1: Some("idleb".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            near: Some((IDLIB.0, IDLIB.1, 3.0)),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            near: Some((32.5, 36.0, 2.0)),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        f(EventFilter {
            text: Some("طفس".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            text: Some("ادلب".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(EventFilter {
            actor: Some("nobody".into()),
            ..Default::default()
        }),
        0
    );
    // A box around the bulk events' first ten places, and a box around nothing.
    let bbox = crate::BoundingBox::parse("35.99,32.495,36.01,32.595");
    assert_eq!(
        f(EventFilter {
            bbox,
            ..Default::default()
        }),
        10
    );
    assert_eq!(
        f(EventFilter {
            bbox: crate::BoundingBox::parse("10,10,11,11"),
            ..Default::default()
        }),
        0
    );
    // Reading on from a cursor gives the rest of the stream, across page boundaries.
    for cut in [0, 1, 255, 256, 300, 601] {
        let rest = all_events(
            store,
            &EventFilter {
                after: Some(crate::Cursor::after(&all[cut])),
                ..Default::default()
            },
        );
        assert_eq!(rest.as_slice(), &all[cut + 1..], "after event {cut}");
    }
    assert!(matches!(
        store
            .events(&EventFilter {
                near: Some((200.0, 0.0, 1.0)),
                ..Default::default()
            })
            .err(),
        Some(Error::Query { .. })
    ));
    assert!(matches!(
        store
            .events(&EventFilter {
                text: Some(" … ".into()),
                ..Default::default()
            })
            .err(),
        Some(Error::Query { .. })
    ));
}

pub fn search_finds_folded_spellings(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    // «إدلب» is stored with a hamza; the query without it must find it, and the snippet
    // shows the original spelling.
    let hits = store.search("ادلب", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].doc_id, "c.txt");
    assert!(
        hits[0].snippet.render("[", "]").contains("[إدلب]"),
        "{:?}",
        hits[0].snippet
    );
    assert_eq!(store.search("طفس درعا", 10).unwrap().len(), 2);
    // A word with a proclitic attached is found by its stem: «بريف» for «ريف».
    let hits = store.search("ريف", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].snippet.render("[", "]").contains("[بريف]"),
        "{:?}",
        hits[0].snippet
    );
    assert!(store.search("حلب", 10).unwrap().is_empty());
    // FTS syntax in a query is searched as words, not run.
    assert!(store.search("طفس OR \"NEAR(", 10).unwrap().is_empty());
    assert!(store.search("", 10).is_err());
}

/// Issue 13: one column of distinct terms per report. A word is found in the text as it is, or
/// behind its proclitics; in the headline as it is; Latin words in any case; and every report
/// that holds all the words is found, the newest first, undated ones last.
pub fn issue_13_search_finds_words_stems_and_headlines_newest_first(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    let reports = [
        doc(
            "old",
            "وصلت قافلة مساعدات إلى مدينة حمص صباح اليوم",
            "2023-05-01",
        ),
        doc(
            "new",
            "قال مراسل Reuters إن القصف طال وبحمص أحياء عدة",
            "2024-02-03",
        ),
        Document::new("undated", "انقطعت الكهرباء عن أحياء في حمص لساعات")
            .with_title(Some("أزمة الكهرباء في المدينة".into())),
        doc("other", "تظاهر طلاب الجامعة في دمشق", "2024-06-01"),
    ];
    let reports = reports.into_iter().map(Report::new).collect();
    store.commit_batch(run, reports, &[]).unwrap();
    let ids = |q: &str| -> Vec<String> {
        store
            .search(q, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.doc_id)
            .collect()
    };
    // «وبحمص» is found by its stem, and the newest report comes first.
    assert_eq!(ids("حمص"), ["new", "old", "undated"]);
    assert_eq!(ids("REUTERS"), ["new"]);
    assert_eq!(ids("reuters حمص"), ["new"]);
    // A headline word is a word of the report.
    assert_eq!(ids("أزمة"), ["undated"]);
    assert_eq!(ids("حمص دمشق"), Vec::<String>::new());
    assert_eq!(ids("أحياء"), ["new", "undated"]);
}

pub fn a_bad_batch_stores_nothing(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store
        .commit_batch(run, sample_reports()[..1].to_vec(), &[])
        .unwrap();
    let before = store.counts().unwrap();
    let good = Report::new(Document::new("good", "تظاهر العشرات في بصرى الشام"));
    let d = Document::new("bad", "نص قصير");
    let mut e = sample_event(
        &d,
        SubEventType::PeacefulProtest,
        "2024-12-06",
        TAFAS,
        "قصير",
    );
    e.evidence[0].end = 1; // inside a letter
    let bad = Report::new(d).with_events(vec![e]);
    let err = store.commit_batch(run, vec![good, bad], &[]).unwrap_err();
    assert!(matches!(err, Error::BadEvent { .. }), "{err}");
    assert!(err.to_string().contains("bad"), "{err}");
    assert_eq!(store.counts().unwrap(), before);
    assert!(store.document("good").unwrap().is_none());
    assert_sound(store);
}

pub fn a_taken_doc_id_is_refused(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store
        .commit_batch(run, vec![Report::new(Document::new("same", "نص أول"))], &[])
        .unwrap();
    let err = store
        .commit_batch(
            run,
            vec![Report::new(Document::new("same", "نص ثان مختلف"))],
            &[],
        )
        .unwrap_err();
    assert!(matches!(err, Error::DocIdTaken { .. }), "{err}");
    assert_eq!(
        store.hash_of_doc("same").unwrap(),
        Some(rasd_core::content_hash("نص اول"))
    );
}

pub fn run_log_records_batches(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["in/a", "in/b"])).unwrap();
    let fail = Failure {
        input: "in/b: bytes 10..".into(),
        reason: "not UTF-8".into(),
    };
    store
        .commit_batch(run, sample_reports(), std::slice::from_ref(&fail))
        .unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let rec = store.finish_run(run).unwrap();
    assert_eq!(rec.inputs, vec!["in/a", "in/b"]);
    assert_eq!(
        (
            rec.new_docs,
            rec.duplicates,
            rec.failed,
            rec.events,
            rec.batches
        ),
        (3, 3, 1, 3, 2)
    );
    assert_eq!(rec.failures, vec![fail]);
    assert!(rec.finished_at.is_some());
    assert_eq!(store.runs().unwrap().len(), 1);
}

pub fn non_factual_events_are_kept_apart(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    let mut reports = sample_reports();
    let d = Document::new("denial.txt", "نفى مصدر عسكري وقوع اشتباكات في طفس");
    let mut e = sample_event(
        &d,
        SubEventType::ArmedClash,
        "2024-12-06",
        TAFAS,
        "اشتباكات",
    );
    e.modality = Modality::Negated;
    reports.push(Report::new(d).with_events(vec![e]));
    store.commit_batch(run, reports, &[]).unwrap();
    assert_eq!(all_events(store, &EventFilter::default()).len(), 2);
    let with = all_events(
        store,
        &EventFilter {
            include_non_factual: true,
            ..Default::default()
        },
    );
    assert_eq!(with.len(), 3);
    assert!(with
        .iter()
        .any(|e| e.modality == Modality::Negated && e.doc_id == "denial.txt"));
}

pub fn show_finds_an_event_by_a_member_id(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let b = store.report_events("b.txt").unwrap();
    let shown = store.event(&b[0].event_id).unwrap().unwrap();
    assert_eq!(shown.corroboration, 2);
    assert!(shown.members.contains(&b[0].event_id));
    assert!(store.event("ev-none").unwrap().is_none());
}

/// Issue 17: a report decoded from windows-1256 says so when read back; a UTF-8 one says
/// nothing.
pub fn issue_17_a_report_keeps_the_encoding_it_came_in(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    let legacy = doc(
        "legacy.html",
        "قصفت طائرة حربية بلدة سرمين في ريف إدلب.",
        "2024-12-07",
    )
    .with_encoding(Some("windows-1256".into()));
    let plain = doc(
        "plain.txt",
        "تظاهر العشرات في ساحة مدينة السويداء.",
        "2024-12-07",
    );
    store
        .commit_batch(run, vec![Report::new(legacy), Report::new(plain)], &[])
        .unwrap();
    let read = |id: &str| store.document(id).unwrap().unwrap().document.encoding;
    assert_eq!(read("legacy.html").as_deref(), Some("windows-1256"));
    assert_eq!(read("plain.txt"), None);
}

/// Stores the same reports one batch at a time in several orders and compares the datasets.
pub fn merging_does_not_depend_on_the_order_of_reports<S: Store>(make: &mut dyn FnMut() -> S) {
    let base = {
        let mut r = sample_reports();
        let d = doc("d.txt", "تجددت الاشتباكات في طفس اليوم", "2024-12-06");
        let mut e = sample_event(
            &d,
            SubEventType::ArmedClash,
            "2024-12-06",
            (32.745, 36.06),
            "الاشتباكات",
        );
        e.fatalities = Some(Estimate::exact(4));
        r.push(Report::new(d).with_events(vec![e]));
        r
    };
    let orders: [[usize; 4]; 4] = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
    let mut datasets = Vec::new();
    for order in orders {
        let mut store = make();
        let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
        for i in order {
            store.commit_batch(run, vec![base[i].clone()], &[]).unwrap();
        }
        assert_sound(&store);
        datasets.push(all_events(&store, &EventFilter::default()));
    }
    assert_eq!(datasets[0].len(), 2);
    assert_eq!(datasets[0][0].evidence.len(), 3);
    for d in &datasets[1..] {
        assert_eq!(&datasets[0], d);
    }
}

/// The sample reports as a newer analyzer codes them: `b.txt`'s clash is now a strike in
/// Idlib (so the Tafas event loses a report and the Idlib one gains it), `c.txt` gains a second
/// event, `a.txt` is unchanged.
fn recoded_reports() -> Vec<Report> {
    let mut reports = sample_reports();
    let b = reports[1].document.clone();
    let mut eb = sample_event(&b, SubEventType::AirDroneStrike, "2024-12-07", IDLIB, "قتل");
    eb.admin1 = Some("Idleb".into());
    eb.admin1_pcode = Some("SY07".into());
    reports[1].events = vec![eb];
    let c = reports[2].document.clone();
    let extra = sample_event(&c, SubEventType::ArmedClash, "2024-12-07", IDLIB, "أطراف");
    reports[2].events.push(extra);
    reports
}

/// Re-analysis (issue 15): coding stored reports again with a newer analyzer gives the
/// dataset that ingesting them with it gives; coding again with the same analyzer changes no
/// event; the coding run is recorded and selects stale reports.
pub fn recoding_gives_the_dataset_a_fresh_ingest_gives<S: Store>(make: &mut dyn FnMut() -> S) {
    let mut fresh = make();
    let run = fresh.begin_run(&RunInfo::new(["new"])).unwrap();
    fresh.commit_batch(run, recoded_reports(), &[]).unwrap();
    let want = all_events(&fresh, &EventFilter::default());

    let mut store = make();
    let old = RunInfo {
        data_fingerprint: "older-data".into(),
        ..RunInfo::new(["old"])
    };
    let run = store.begin_run(&old).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    assert_eq!(all_events(&store, &EventFilter::default()).len(), 2);
    let current = RunInfo::new(["reanalyze"]);
    let stale = ReportFilter {
        not_coded_by: Some(Coding {
            run_id: 0,
            rasd_version: current.rasd_version.clone(),
            data_fingerprint: current.data_fingerprint.clone(),
        }),
        ..ReportFilter::default()
    };
    assert_eq!(
        store.report_ids(&stale).unwrap(),
        ["a.txt", "b.txt", "c.txt"]
    );

    let recode = |store: &mut S| {
        let run = store.begin_run(&current).unwrap();
        let batch = recoded_reports()
            .into_iter()
            .map(|r| (r.document, r.events))
            .collect();
        let out = store.recode_batch(run, batch).unwrap();
        store.finish_run(run).unwrap();
        (run, out)
    };
    let (run, out) = recode(&mut store);
    let changed: Vec<(&str, usize, usize, bool)> = out
        .iter()
        .map(|r| (r.doc_id.as_str(), r.before, r.after, r.changed))
        .collect();
    assert_eq!(
        changed,
        [
            ("a.txt", 1, 1, false),
            ("b.txt", 1, 1, true),
            ("c.txt", 1, 2, true)
        ]
    );
    assert_sound(&store);
    assert_eq!(all_events(&store, &EventFilter::default()), want);
    let coding = store.coding("b.txt").unwrap().unwrap();
    assert_eq!(coding.run_id, run);
    assert_eq!(coding.data_fingerprint, current.data_fingerprint);
    assert!(store.report_ids(&stale).unwrap().is_empty());

    let (_, again) = recode(&mut store);
    assert!(again.iter().all(|r| !r.changed), "{again:?}");
    assert_eq!(all_events(&store, &EventFilter::default()), want);
    assert_sound(&store);

    let mut unknown = recoded_reports();
    unknown[0].document.id = "z.txt".into();
    let run = store.begin_run(&current).unwrap();
    let err = store
        .recode_batch(run, vec![(unknown[0].document.clone(), vec![])])
        .unwrap_err();
    assert!(matches!(err, Error::Query { .. }), "{err}");
    let only_b = ReportFilter {
        doc_ids: vec!["b.txt".into()],
        ..ReportFilter::default()
    };
    assert_eq!(store.report_ids(&only_b).unwrap(), ["b.txt"]);
    let by_text = ReportFilter {
        text: Some("ادلب".into()),
        ..ReportFilter::default()
    };
    assert_eq!(store.report_ids(&by_text).unwrap(), ["c.txt"]);
}

fn review(event_id: &str, action: ReviewAction) -> Review {
    Review {
        event_id: event_id.to_string(),
        action,
        who: "alice".into(),
        comment: Some("checked against a second outlet".into()),
    }
}

fn edit(pairs: &[(&str, serde_json::Value)]) -> ReviewAction {
    ReviewAction::Edit(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The ids of the Tafas clash and the Idlib strike of [`sample_reports`].
fn clash_and_strike(store: &dyn Store) -> (String, String) {
    let all = all_events(store, &EventFilter::default());
    let id = |sub: SubEventType| {
        all.iter()
            .find(|e| e.sub_event_type == sub)
            .map(|e| e.event_id.clone())
            .unwrap()
    };
    (
        id(SubEventType::ArmedClash),
        id(SubEventType::AirDroneStrike),
    )
}

pub fn reviews_lie_over_the_coding_and_survive_reanalysis(store: &mut dyn Store) {
    use rasd_core::ReviewStatus;
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let (clash, strike) = clash_and_strike(store);
    let fatalities = serde_json::json!({"best": 4, "low": 4, "high": 4});
    let after = store
        .review(&review(
            &clash,
            edit(&[
                ("date", "2024-12-05".into()),
                ("fatalities", fatalities.clone()),
            ]),
        ))
        .unwrap();
    assert_eq!(after.event.review, Some(ReviewStatus::Corrected));
    assert_eq!(after.event.fatalities, Some(Estimate::exact(4)));
    // Filters judge the corrected values, not the machine's.
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let on = |d: &str| EventFilter {
        from: day(d),
        to: day(d),
        ..Default::default()
    };
    let found = all_events(store, &on("2024-12-05"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event_id, clash);
    assert!(all_events(store, &on("2024-12-06")).is_empty());
    // A rejected event leaves the default listing, not the store.
    store
        .review(&review(&strike, ReviewAction::Reject))
        .unwrap();
    assert_eq!(all_events(store, &EventFilter::default()).len(), 1);
    let with = |choice| EventFilter {
        review: Some(choice),
        ..Default::default()
    };
    assert_eq!(all_events(store, &with(ReviewChoice::Any)).len(), 2);
    assert_eq!(
        all_events(store, &with(ReviewChoice::Status(ReviewStatus::Rejected)))[0].event_id,
        strike
    );
    assert!(all_events(store, &with(ReviewChoice::Unreviewed)).is_empty());
    // The audit log keeps who, when, why, before and after.
    let log = store.history(&clash).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action.as_str(), log[0].who.as_str()),
        ("edit", "alice")
    );
    assert_eq!(log[0].before["date"], "2024-12-06");
    assert_eq!(log[0].after["date"], "2024-12-05");
    assert!(!log[0].at.is_empty() && log[0].comment.is_some());
    // Refused reviews write nothing.
    for bad in [
        edit(&[("event_id", "ev-other".into())]),
        edit(&[("date", "tomorrow".into())]),
        edit(&[]),
    ] {
        assert!(matches!(
            store.review(&review(&clash, bad)),
            Err(Error::Review { .. })
        ));
    }
    assert!(matches!(
        store.review(&review("ev-nothing", ReviewAction::Confirm)),
        Err(Error::Review { .. })
    ));
    assert_eq!(store.history(&clash).unwrap().len(), 1);
    // Ingesting again and coding again keep the corrections.
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let again: Vec<_> = sample_reports()
        .into_iter()
        .map(|r| (r.document, r.events))
        .collect();
    store.recode_batch(run, again).unwrap();
    let shown = store.event(&clash).unwrap().unwrap();
    assert_eq!(shown.event.date, day("2024-12-05"));
    assert_eq!(shown.event.review, Some(ReviewStatus::Corrected));
    assert_eq!(all_events(store, &with(ReviewChoice::Any)).len(), 2);
    assert_sound(store);
}

pub fn merging_by_a_reviewer_lends_evidence_and_hides_the_merged_event(store: &mut dyn Store) {
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let (clash, strike) = clash_and_strike(store);
    let before = store.event(&clash).unwrap().unwrap();
    let merge = ReviewAction::Merge {
        into: clash.clone(),
    };
    store.review(&review(&strike, merge)).unwrap();
    let after = store.event(&clash).unwrap().unwrap();
    assert_eq!(after.corroboration, before.corroboration + 1);
    assert!(after.event.evidence.iter().any(|v| v.doc_id == "c.txt"));
    assert!(after.members.len() > before.members.len());
    let listed = all_events(store, &EventFilter::default());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].corroboration, after.event.corroboration);
    // An event merged into another cannot take merges itself, nor merge into itself.
    let into_merged = ReviewAction::Merge {
        into: strike.clone(),
    };
    assert!(store.review(&review(&clash, into_merged)).is_err());
    let itself = ReviewAction::Merge {
        into: clash.clone(),
    };
    assert!(store.review(&review(&clash, itself)).is_err());
    assert_eq!(store.history(&strike).unwrap().len(), 1);
}

pub fn splitting_by_a_reviewer_makes_a_new_event_that_survives_reanalysis(store: &mut dyn Store) {
    use rasd_core::ReviewStatus;
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let (clash, _) = clash_and_strike(store);
    let before = store.event(&clash).unwrap().unwrap();
    assert_eq!(before.members.len(), 2);
    let (lead, other) = (before.members[0].clone(), before.members[1].clone());
    assert_eq!(lead, clash);
    // Refused splits write nothing: the lead, a stranger, nothing at all.
    for bad in [vec![lead.clone()], vec!["ev-stranger".to_string()], vec![]] {
        let split = ReviewAction::Split { events: bad };
        assert!(matches!(
            store.review(&review(&clash, split)),
            Err(Error::Review { .. })
        ));
    }
    assert!(store.history(&clash).unwrap().is_empty());
    let split = ReviewAction::Split {
        events: vec![other.clone()],
    };
    let new = store.review(&review(&clash, split)).unwrap();
    assert_eq!(new.event.event_id, other);
    assert_eq!(new.members, vec![other.clone()]);
    assert_eq!(new.corroboration, 1);
    assert_eq!(new.event.review, Some(ReviewStatus::Corrected));
    assert!(new.event.evidence.iter().all(|v| v.doc_id == "b.txt"));
    let kept = store.event(&clash).unwrap().unwrap();
    assert_eq!(kept.members, vec![lead.clone()]);
    assert_eq!(kept.corroboration, 1);
    assert_eq!(kept.event.review, Some(ReviewStatus::Corrected));
    assert!(kept.event.evidence.iter().all(|v| v.doc_id == "a.txt"));
    assert_eq!(all_events(store, &EventFilter::default()).len(), 3);
    // Both events log the split, with the event before it.
    for id in [&clash, &other] {
        let log = store.history(id).unwrap();
        assert_eq!(log.len(), 1, "{id}");
        assert_eq!(log[0].action, "split");
        assert_eq!(log[0].before["event_id"], clash.as_str());
        assert_eq!(log[0].before["corroboration"], 2);
        assert_eq!(log[0].after["event_id"], id.as_str());
    }
    assert_sound(store);
    // A third report of the clash joins the event that kept the lead, not the split-off one;
    // coding the reports again (a's event changes, so its component is merged again) keeps
    // the split.
    let d = doc("d.txt", "تجددت الاشتباكات في طفس اليوم", "2024-12-06");
    let ed = sample_event(
        &d,
        SubEventType::ArmedClash,
        "2024-12-06",
        (32.745, 36.06),
        "الاشتباكات",
    );
    store
        .commit_batch(run, vec![Report::new(d).with_events(vec![ed])], &[])
        .unwrap();
    let mut again: Vec<_> = sample_reports()
        .into_iter()
        .map(|r| (r.document, r.events))
        .collect();
    again[0].1[0].fatalities = Some(Estimate::exact(2));
    store.recode_batch(run, again).unwrap();
    // (The report event that led the clash is found whichever member leads it now.)
    let kept = store.event(&lead).unwrap().unwrap();
    assert_eq!(kept.members.len(), 2, "{:?}", kept.members);
    assert!(!kept.members.contains(&other));
    assert_eq!(kept.event.fatalities, Some(Estimate::exact(2)));
    let new = store.event(&other).unwrap().unwrap();
    assert_eq!(new.event.event_id, other);
    assert_eq!(new.members, vec![other.clone()]);
    assert_eq!(new.event.review, Some(ReviewStatus::Corrected));
    assert_eq!(all_events(store, &EventFilter::default()).len(), 3);
    assert_sound(store);
}

/// Pages ([`Store::events_page`]) and aggregates ([`Store::monthly`], [`Store::grid`]) give
/// what reading the stream ([`Store::events`]) and counting gives, for every filter, before
/// and after reviews touch events (an edit that moves one, a rejection, a merge).
pub fn pages_and_aggregates_agree_with_the_stream(store: &mut dyn Store) {
    use crate::page::{GridCounts, MonthCounts};
    let run = store.begin_run(&RunInfo::new(["x"])).unwrap();
    store.commit_batch(run, sample_reports(), &[]).unwrap();
    let mut reports = Vec::new();
    for i in 0..40u32 {
        let day = format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
        let d = doc(
            &format!("bulk-{i:02}.txt"),
            &format!("قصف مدفعي على قرية رقم {i} في ريف درعا"),
            &day,
        );
        let place = (32.4 + f64::from(i) * 0.05, 35.9 + f64::from(i % 7) * 0.3);
        let mut e = sample_event(
            &d,
            SubEventType::ShellingArtilleryMissileAttack,
            &day,
            place,
            "قصف",
        );
        e.confidence = f64::from(i % 10) / 10.0;
        e.fatalities = Some(Estimate::exact(u64::from(i % 3)));
        e.background = i % 11 == 0;
        if i % 13 == 0 {
            e.iso = Some(422);
        }
        if i % 9 == 0 {
            (e.latitude, e.longitude) = (None, None);
        }
        reports.push(Report::new(d).with_events(vec![e]));
    }
    store.commit_batch(run, reports, &[]).unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let filters = [
        EventFilter::default(),
        EventFilter {
            sub_event_type: Some(SubEventType::ShellingArtilleryMissileAttack),
            from: day("2023-03-01"),
            to: day("2023-09-30"),
            ..Default::default()
        },
        EventFilter {
            admin1: Some("SY12".into()),
            min_confidence: Some(0.45),
            country: Some(crate::SYRIA_ISO),
            exclude_background: true,
            ..Default::default()
        },
        EventFilter {
            bbox: crate::BoundingBox::parse("35.9,32.4,37.0,33.5"),
            ..Default::default()
        },
        EventFilter {
            text: Some("قرية".into()),
            review: Some(ReviewChoice::Any),
            ..Default::default()
        },
        EventFilter {
            review: Some(ReviewChoice::Status(rasd_core::ReviewStatus::Corrected)),
            ..Default::default()
        },
    ];
    let check = |store: &dyn Store| {
        for filter in &filters {
            let want = all_events(store, filter);
            for limit in [1, 7, 100] {
                let mut got: Vec<Event> = Vec::new();
                let mut f = filter.clone();
                loop {
                    let page = store.events_page(&f, limit).unwrap();
                    assert!(page.events.len() <= limit);
                    got.extend(
                        page.events
                            .iter()
                            .map(|j| serde_json::from_str::<Event>(j).unwrap()),
                    );
                    match page.next {
                        Some(c) => f.after = Some(c),
                        None => break,
                    }
                }
                assert_eq!(got, want, "{filter:?}, pages of {limit}");
            }
            let mut months = MonthCounts::default();
            let mut grid = GridCounts::new(0.25);
            for e in &want {
                months.add_event(e);
                grid.add_event(e);
            }
            assert_eq!(
                store.monthly(filter).unwrap(),
                months.finish(),
                "{filter:?}"
            );
            let (got, want) = (store.grid(filter, 0.25).unwrap(), grid.finish());
            assert_eq!(got.unplaced, want.unplaced, "{filter:?}");
            assert_eq!(got.counts.len(), want.counts.len(), "{filter:?}");
            for (g, w) in got.counts.iter().zip(&want.counts) {
                assert_eq!(
                    (g.row, g.col, &g.event_type, g.events, &g.first_event),
                    (w.row, w.col, &w.event_type, w.events, &w.first_event),
                    "{filter:?}"
                );
                assert!((g.latitude_sum - w.latitude_sum).abs() < 1e-9);
            }
        }
    };
    check(store);
    let (clash, strike) = clash_and_strike(store);
    let bulk = all_events(store, &EventFilter::default())
        .into_iter()
        .find(|e| e.doc_id == "bulk-05.txt")
        .unwrap();
    store
        .review(&review(
            &bulk.event_id,
            edit(&[("date", "2023-01-02".into()), ("confidence", 0.95.into())]),
        ))
        .unwrap();
    store
        .review(&review(&strike, ReviewAction::Merge { into: clash }))
        .unwrap();
    let other = all_events(store, &EventFilter::default())
        .into_iter()
        .find(|e| e.doc_id == "bulk-06.txt")
        .unwrap();
    store
        .review(&review(&other.event_id, ReviewAction::Reject))
        .unwrap();
    check(store);
}

/// A box's pages, followed by their cursors, hold exactly the events a full scan of the
/// dataset finds inside the box, in the stream's order, whether the box holds a cell whole,
/// grazes one along its edge (points on the edge are inside), holds a few of a crowded
/// cell's events or most of them; undated events, ties on the date and other filters too.
pub fn box_pages_across_cells_are_a_full_scan_in_order(store: &mut dyn Store) {
    // (point, events there): cells are half a degree, counted from 90° S and 180° W.
    let points: [((f64, f64), u32); 10] = [
        ((35.7, 36.2), 30), // inside the first box, in a cell it holds whole
        ((36.2, 36.7), 20), // inside, in another cell it holds whole
        ((35.5, 36.0), 2),  // on its south-western corner
        ((36.5, 36.3), 3),  // on its northern edge, in a cell it grazes...
        ((36.8, 36.3), 40), // ...whose other events are outside
        ((36.1, 37.0), 2),  // on its eastern edge, in a cell it grazes...
        ((36.45, 37.0), 2), // ...
        ((36.1, 37.2), 40), // ...whose other events are outside
        ((35.4, 36.2), 5),  // south of it, in a cell it does not touch
        ((36.2, 36.95), 2), // inside; outside the second box, which holds most of its cell
    ];
    let subs = [
        SubEventType::ArmedClash,
        SubEventType::ShellingArtilleryMissileAttack,
        SubEventType::AirDroneStrike,
    ];
    let mut reports = Vec::new();
    for (p, &(point, n)) in points.iter().enumerate() {
        for i in 0..n {
            // Days repeat at each point (ties broken by the event id); every seventh event
            // is undated, every eleventh hedged.
            let day = format!("2023-{:02}-{:02}", i % 5 + 1, i % 4 + 1);
            let d = doc(
                &format!("box-{p}-{i:02}.txt"),
                &format!("قصف على الموقع {p} رقم {i}"),
                &day,
            );
            let mut e = sample_event(&d, subs[i as usize % 3], &day, point, "قصف");
            if i % 7 == 6 {
                (e.date, e.date_precision) = (None, None);
            }
            if i % 11 == 10 {
                e.modality = Modality::Hedged;
            }
            reports.push(Report::new(d).with_events(vec![e]));
        }
    }
    let run = store.begin_run(&RunInfo::new(["box"])).unwrap();
    store.commit_batch(run, reports, &[]).unwrap();
    let everything = all_events(
        store,
        &EventFilter {
            include_non_factual: true,
            ..Default::default()
        },
    );
    for (bbox, sub_event_type, at_least) in [
        ("36.0,35.5,37.0,36.5", None, 50),
        ("36.0,35.5,36.9,36.5", None, 40),
        ("36.0,35.5,37.0,36.5", Some(SubEventType::ArmedClash), 15),
        ("36.25,36.05,36.75,36.5", None, 15),
        ("37.0,36.0,37.0,36.5", None, 4),
        ("36.0,36.5,36.5,37.0", None, 40),
        ("35.9,35.4,37.1,36.6", None, 60),
    ] {
        let b = crate::BoundingBox::parse(bbox).unwrap();
        let filter = EventFilter {
            bbox: Some(b),
            sub_event_type,
            ..Default::default()
        };
        // The full scan: every event, judged here.
        let want: Vec<&Event> = everything
            .iter()
            .filter(|e| e.modality.is_factual())
            .filter(|e| sub_event_type.is_none_or(|t| e.sub_event_type == t))
            .filter(|e| b.contains(e.latitude.unwrap(), e.longitude.unwrap()))
            .collect();
        assert!(want.len() >= at_least, "{bbox}: {} events", want.len());
        for limit in [1, 2, 5, 13, 100] {
            let mut got: Vec<Event> = Vec::new();
            let mut f = filter.clone();
            loop {
                let page = store.events_page(&f, limit).unwrap();
                assert!(page.events.len() <= limit);
                let events: Vec<Event> = page
                    .events
                    .iter()
                    .map(|j| serde_json::from_str(j).unwrap())
                    .collect();
                match page.next {
                    Some(c) => {
                        assert_eq!(events.len(), limit, "{bbox}, pages of {limit}");
                        assert_eq!(Some(&c), events.last().map(crate::Cursor::after).as_ref());
                        f.after = Some(c);
                        got.extend(events);
                    }
                    None => {
                        got.extend(events);
                        break;
                    }
                }
            }
            let got: Vec<&Event> = got.iter().collect();
            assert_eq!(got, want, "{bbox}, pages of {limit}");
        }
    }
    assert_sound(store);
}

pub fn tokens_are_kept_by_name_with_their_hash(store: &mut dyn Store) {
    assert!(store.tokens().unwrap().is_empty());
    store.add_token("alice", Role::Reviewer, "00ff").unwrap();
    store.add_token("root", Role::Admin, "ff00").unwrap();
    assert!(matches!(
        store.add_token("alice", Role::Admin, "0000"),
        Err(Error::Query { .. })
    ));
    let tokens = store.tokens().unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        (
            tokens[0].name.as_str(),
            tokens[0].role,
            tokens[0].hash.as_str()
        ),
        ("alice", Role::Reviewer, "00ff")
    );
}
