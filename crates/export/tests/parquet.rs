//! The Parquet export re-read with the parquet crate's own reader: schema, types, row groups
//! and values.
#![allow(clippy::unwrap_used)] // Tests may unwrap.

mod common;

use std::fs::File;

use arrow::array::{
    Array, AsArray, BooleanArray, Date32Array, Float64Array, Int64Array, Int8Array, ListArray,
    StringArray, StructArray,
};
use arrow::datatypes::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rasd_export::{ok_events, parquet_schema, write_parquet, ParquetOptions};

fn write(events: impl Iterator<Item = rasd_core::Event>, group: usize) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    let options = ParquetOptions {
        row_group_size: group,
        ..ParquetOptions::default()
    };
    write_parquet(ok_events(events), file.reopen().unwrap(), &options).unwrap();
    file
}

#[test]
fn schema_has_typed_columns() {
    let file = write(common::sample().into_iter(), 100);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(File::open(file.path()).unwrap()).unwrap();
    let schema = builder.schema();
    let ty = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
    assert_eq!(ty("date"), DataType::Date32);
    assert_eq!(ty("date_precision"), DataType::Int8);
    assert_eq!(ty("geo_precision"), DataType::Int8);
    assert_eq!(ty("interaction"), DataType::Int8);
    assert_eq!(ty("fatalities_best"), DataType::Int64);
    assert_eq!(ty("count_low"), DataType::Int64);
    assert_eq!(ty("latitude"), DataType::Float64);
    assert_eq!(ty("background"), DataType::Boolean);
    assert!(matches!(ty("assoc_actors"), DataType::List(f) if f.data_type() == &DataType::Utf8));
    assert!(matches!(ty("report_ids"), DataType::List(f) if f.data_type() == &DataType::Utf8));
    match ty("evidence") {
        DataType::List(f) => match f.data_type() {
            DataType::Struct(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
                assert_eq!(names, ["doc_id", "start", "end", "text", "field"]);
                assert_eq!(fields[1].data_type(), &DataType::Int64);
            }
            other => panic!("evidence items are {other:?}"),
        },
        other => panic!("evidence is {other:?}"),
    }
    assert_eq!(schema.fields().len(), parquet_schema().fields().len());
}

#[test]
fn values_read_back() {
    let file = write(common::sample().into_iter(), 4);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(File::open(file.path()).unwrap()).unwrap();
    assert_eq!(
        builder.metadata().num_row_groups(),
        2,
        "six rows in groups of four"
    );
    let batches: Vec<_> = builder.build().unwrap().collect::<Result<_, _>>().unwrap();
    let batch = arrow::compute::concat_batches(&batches[0].schema(), &batches).unwrap();
    assert_eq!(batch.num_rows(), 6);
    let col = |name: &str| batch.column(batch.schema().index_of(name).unwrap()).clone();

    let date = col("date");
    let date = date.as_any().downcast_ref::<Date32Array>().unwrap();
    assert_eq!(
        date.value_as_date(0),
        chrono::NaiveDate::from_ymd_opt(2024, 12, 6)
    );
    assert!(date.is_null(4), "the hedged event has no date");

    let fat = col("fatalities_low");
    let fat = fat.as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!(fat.value(0), 3);
    assert!(fat.is_null(2));
    let acled = col("fatalities_acled");
    let acled = acled.as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!((acled.value(0), acled.value(1), acled.value(2)), (3, 12, 0));

    let inter = col("interaction");
    assert_eq!(
        inter.as_any().downcast_ref::<Int8Array>().unwrap().value(0),
        12
    );
    let lat = col("latitude");
    let lat = lat.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!(lat.value(0), 32.73814);
    assert!(lat.is_null(2));
    let bg = col("background");
    assert!(!bg.as_any().downcast_ref::<BooleanArray>().unwrap().value(0));

    let loc = col("location_ar");
    assert_eq!(
        loc.as_any().downcast_ref::<StringArray>().unwrap().value(0),
        "طفس"
    );

    let assoc = col("assoc_actors");
    let assoc = assoc.as_any().downcast_ref::<ListArray>().unwrap();
    let first = assoc.value(0);
    let names = first.as_string::<i32>();
    assert_eq!(
        (names.value(0), names.value(1)),
        ("Local militia", "Tribal fighters")
    );
    assert_eq!(assoc.value(1).len(), 0, "an empty list, not null");

    let reports = col("report_ids");
    let reports = reports.as_any().downcast_ref::<ListArray>().unwrap();
    assert_eq!(reports.value(0).len(), 2);

    let evidence = col("evidence");
    let evidence = evidence.as_any().downcast_ref::<ListArray>().unwrap();
    let spans = evidence.value(0);
    let spans = spans.as_any().downcast_ref::<StructArray>().unwrap();
    assert_eq!(spans.len(), 3);
    let text = spans.column_by_name("text").unwrap().as_string::<i32>();
    assert_eq!(text.value(1), "ثلاثة إلى خمسة قتلى");
    let start = spans.column_by_name("start").unwrap();
    assert_eq!(
        start
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .value(1),
        40
    );
    assert_eq!(evidence.value(4).len(), 0);

    let sources = col("sources");
    let sources = sources.as_any().downcast_ref::<ListArray>().unwrap();
    let s = sources.value(0);
    let s = s.as_any().downcast_ref::<StructArray>().unwrap();
    let name_ar = s.column_by_name("name_ar").unwrap().as_string::<i32>();
    assert!(name_ar.is_null(0));
    assert_eq!(name_ar.value(1), "مصادر محلية");
}

#[test]
fn many_row_groups_hold_every_row() {
    let file = write(common::stream(10_000), 1_000);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(File::open(file.path()).unwrap()).unwrap();
    assert_eq!(builder.metadata().num_row_groups(), 10);
    assert_eq!(builder.metadata().file_metadata().num_rows(), 10_000);
    let rows: usize = builder
        .build()
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(rows, 10_000);
}

#[test]
fn an_empty_export_is_a_readable_file() {
    let file = write(std::iter::empty(), 10);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(File::open(file.path()).unwrap()).unwrap();
    assert_eq!(builder.metadata().file_metadata().num_rows(), 0);
    assert_eq!(
        builder.schema().fields().len(),
        parquet_schema().fields().len()
    );
}

#[test]
fn a_count_too_large_for_int64_is_an_error_naming_the_event() {
    let mut events = common::sample();
    events[2].count = Some(rasd_core::Count::new(
        rasd_core::Estimate::exact(u64::MAX),
        rasd_core::CountWhat::Detainees,
    ));
    let id = events[2].event_id.clone();
    let err = write_parquet(ok_events(events), Vec::new(), &ParquetOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "event {id}: count.best = {} does not fit the export's column type",
            u64::MAX
        )
    );
}
