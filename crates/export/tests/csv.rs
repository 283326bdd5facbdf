//! The ACLED-style CSV: header, ACLED's value conventions, rasd's columns, the Excel variant.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use rasd_export::{ok_events, write_csv, CsvOptions, ACLED_COLUMNS, RASD_COLUMNS};

/// ACLED's export columns in order, as listed in CODING.md (written out here, not taken
/// from the crate, so that a change to the crate's list fails this test).
const ACLED: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,\
sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,\
civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,\
geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

fn export(options: &CsvOptions) -> (Vec<u8>, u64) {
    let mut out = Vec::new();
    let summary = write_csv(ok_events(common::sample()), &mut out, options).unwrap();
    (out, summary.written)
}

fn records(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().unwrap().clone();
    let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
    (header, rows)
}

fn cell<'a>(header: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    row.get(i).unwrap()
}

#[test]
fn header_starts_with_acleds_columns_exactly() {
    let (bytes, _) = export(&CsvOptions::default());
    let (header, _) = records(&bytes);
    let acled: Vec<&str> = ACLED.split(',').collect();
    assert_eq!(acled.len(), 31);
    let head: Vec<&str> = header.iter().take(31).collect();
    assert_eq!(head, acled);
    assert_eq!(ACLED_COLUMNS.to_vec(), acled);
    let rest: Vec<&str> = header.iter().skip(31).collect();
    assert_eq!(rest, RASD_COLUMNS.to_vec());
}

#[test]
fn header_is_written_for_an_empty_export() {
    let mut out = Vec::new();
    let summary = write_csv(ok_events(vec![]), &mut out, &CsvOptions::default()).unwrap();
    assert_eq!(summary.written, 0);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.starts_with(ACLED));
}

#[test]
fn rows_follow_acleds_conventions() {
    let (bytes, written) = export(&CsvOptions::default());
    let (h, rows) = records(&bytes);
    assert_eq!(written, 6);
    assert_eq!(rows.len(), 6);
    let clash = &rows[0];
    let id = cell(&h, clash, "event_id_cnty");
    assert!(
        id.starts_with("SYR") && id[3..].parse::<u64>().is_ok(),
        "{id}"
    );
    assert_eq!(cell(&h, clash, "event_date"), "06 December 2024");
    assert_eq!(cell(&h, clash, "year"), "2024");
    assert_eq!(cell(&h, clash, "time_precision"), "1");
    assert_eq!(cell(&h, clash, "disorder_type"), "Political violence");
    assert_eq!(cell(&h, clash, "event_type"), "Battles");
    assert_eq!(cell(&h, clash, "sub_event_type"), "Armed clash");
    assert_eq!(
        cell(&h, clash, "assoc_actor_1"),
        "Local militia; Tribal fighters"
    );
    assert_eq!(cell(&h, clash, "inter1"), "1");
    assert_eq!(cell(&h, clash, "inter2"), "2");
    assert_eq!(cell(&h, clash, "interaction"), "12");
    assert_eq!(cell(&h, clash, "civilian_targeting"), "");
    assert_eq!(cell(&h, clash, "iso"), "760");
    assert_eq!(cell(&h, clash, "region"), "Middle East");
    assert_eq!(cell(&h, clash, "country"), "Syria");
    assert_eq!(cell(&h, clash, "latitude"), "32.7381");
    assert_eq!(cell(&h, clash, "longitude"), "36.0673");
    assert_eq!(cell(&h, clash, "geo_precision"), "1");
    assert_eq!(
        cell(&h, clash, "source"),
        "Sham Voice; Horan Echo",
        "attributions left out"
    );
    assert_eq!(cell(&h, clash, "source_scale"), "Local-National");
    assert_eq!(
        cell(&h, clash, "fatalities"),
        "3",
        "the lowest reported figure"
    );
    assert_eq!(
        cell(&h, clash, "timestamp"),
        "1733443200",
        "2024-12-06T00:00:00Z"
    );
    assert_eq!(cell(&h, clash, "tags"), "");
    assert_eq!(cell(&h, clash, "fatalities_best"), "4");
    assert_eq!(cell(&h, clash, "fatalities_high"), "5");
    assert_eq!(cell(&h, clash, "location_ar"), "طفس");
    assert_eq!(cell(&h, clash, "actor2_ar"), "مقاتلون معارضون");
    assert_eq!(cell(&h, clash, "report_ids"), "r1.txt; r7.txt");
    assert_eq!(cell(&h, clash, "modality"), "asserted");
    let evidence: serde_json::Value =
        serde_json::from_str(cell(&h, clash, "evidence_json")).unwrap();
    assert_eq!(evidence[1]["text"], "ثلاثة إلى خمسة قتلى");
    let sources: serde_json::Value = serde_json::from_str(cell(&h, clash, "sources_json")).unwrap();
    assert_eq!(sources.as_array().unwrap().len(), 3);

    let strike = &rows[1];
    assert_eq!(
        cell(&h, strike, "fatalities"),
        "12",
        "«عشرات» is ACLED's dozens"
    );
    assert_eq!(cell(&h, strike, "fatalities_low"), "20");
    assert_eq!(cell(&h, strike, "civilian_targeting"), "Civilian targeting");
    assert_eq!(cell(&h, strike, "interaction"), "78");
    assert_eq!(cell(&h, strike, "source_scale"), "International");
    assert_eq!(cell(&h, strike, "time_precision"), "2");
    assert_eq!(cell(&h, strike, "modality"), "reported");

    let arrests = &rows[2];
    assert_eq!(cell(&h, arrests, "latitude"), "");
    assert_eq!(cell(&h, arrests, "fatalities"), "0", "no deaths reported");
    assert_eq!(cell(&h, arrests, "count_best"), "12");
    assert_eq!(cell(&h, arrests, "count_what"), "detainees");
    assert_eq!(cell(&h, arrests, "interaction"), "10");
    assert_eq!(cell(&h, arrests, "event_date"), "15 January 2025");

    let protest = &rows[3];
    assert_eq!(cell(&h, protest, "tags"), "crowd size=around 200");
    assert_eq!(
        cell(&h, protest, "notes"),
        "وقفة احتجاجية، «سلمية» في \"ساحة\" السويداء"
    );
    assert_eq!(cell(&h, protest, "disorder_type"), "Demonstrations");

    let hedged = &rows[4];
    assert_eq!(cell(&h, hedged, "event_date"), "");
    assert_eq!(cell(&h, hedged, "year"), "");
    assert_eq!(cell(&h, hedged, "timestamp"), "");
    assert_eq!(cell(&h, hedged, "civilian_targeting"), "Civilian targeting");
    assert_eq!(cell(&h, hedged, "modality"), "hedged");

    let abduction = &rows[5];
    assert_eq!(
        cell(&h, abduction, "source"),
        "ناشطون",
        "only attributions: listed anyway"
    );
    assert_eq!(cell(&h, abduction, "source_scale"), "Local");
    assert_eq!(
        cell(&h, abduction, "civilian_targeting"),
        "Civilian targeting"
    );
}

#[test]
fn event_id_cnty_is_stable_and_distinct() {
    let (a, _) = export(&CsvOptions::default());
    let (b, _) = export(&CsvOptions::default());
    assert_eq!(a, b, "the same events give the same bytes");
    let (h, rows) = records(&a);
    let mut ids: Vec<&str> = rows.iter().map(|r| cell(&h, r, "event_id_cnty")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rows.len());
}

#[test]
fn excel_variant_has_a_bom_and_crlf() {
    let (plain, _) = export(&CsvOptions::default());
    assert!(plain.starts_with(b"event_id_cnty,"));
    assert!(!plain.windows(2).any(|w| w == b"\r\n"));
    let (excel, _) = export(&CsvOptions {
        excel: true,
        ..CsvOptions::default()
    });
    assert!(excel.starts_with(b"\xEF\xBB\xBFevent_id_cnty,"));
    let text = std::str::from_utf8(&excel[3..]).unwrap();
    assert_eq!(
        text.matches("\r\n").count(),
        7,
        "header and six rows end with CRLF"
    );
    let (_, rows) = records(&excel[3..]);
    assert_eq!(rows.len(), 6);
}

#[test]
fn a_stream_error_stops_the_export_and_is_reported() {
    let items: Vec<Result<rasd_core::Event, std::io::Error>> = vec![
        Ok(common::sample().remove(0)),
        Err(std::io::Error::other("database is locked")),
    ];
    let mut out = Vec::new();
    let err = write_csv(items, &mut out, &CsvOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "reading events: database is locked");
}

/// An event whose text fields start with what a spreadsheet runs as a formula.
fn hostile() -> rasd_core::Event {
    let mut e = common::base("=cmd|' /C calc'!A0", rasd_core::SubEventType::ArmedClash, 1);
    e.actor1 = Some("=HYPERLINK(\"http://x\",\"y\")".into());
    e.actor2 = Some("+1+1".into());
    e.assoc_actors = vec!["@SUM(A1)".into()];
    e.location = Some("-2+3".into());
    e.location_ar = Some("\tمكان".into());
    e.admin1 = Some("=1".into());
    e.notes = "=notes".into();
    e.latitude = Some(-33.5);
    e.longitude = Some(-70.25);
    e.sources = vec![rasd_core::SourceRef {
        name: "@outlet".into(),
        name_ar: None,
        kind: "outlet".into(),
        doc_id: "=cmd|' /C calc'!A0".into(),
    }];
    e
}

/// Issue 15, defect 4: text cells starting with `=`, `+`, `-` or `@` were written as read, and
/// a spreadsheet would run them as formulas. They get a leading `'`; numbers stay numbers.
#[test]
fn issue_15_formula_cells_are_defused_in_csv_and_excel_csv() {
    for excel in [false, true] {
        let options = CsvOptions {
            excel,
            ..CsvOptions::default()
        };
        let mut out = Vec::new();
        write_csv(ok_events(vec![hostile()]), &mut out, &options).unwrap();
        let bytes = out.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&out);
        let (header, rows) = records(bytes);
        let row = &rows[0];
        for (column, want) in [
            ("actor1", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("actor2", "'+1+1"),
            ("assoc_actor_1", "'@SUM(A1)"),
            ("location", "'-2+3"),
            ("location_ar", "'\tمكان"),
            ("admin1", "'=1"),
            ("notes", "'=notes"),
            ("source", "'@outlet"),
            ("report_ids", "'=cmd|' /C calc'!A0"),
            ("latitude", "-33.5000"),
            ("longitude", "-70.2500"),
        ] {
            assert_eq!(cell(&header, row, column), want, "{column} (excel {excel})");
        }
        for (i, value) in row.iter().enumerate() {
            assert!(
                !value.starts_with(['=', '+', '@']),
                "column {} starts a formula: {value}",
                &header[i]
            );
        }
    }
}
