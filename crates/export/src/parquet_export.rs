//! The Parquet export: the event contract in typed columns, written in row groups.
//!
//! | column | type |
//! |---|---|
//! | `event_id`, `doc_id`, `event_type`, `sub_event_type`, `disorder_type` | Utf8 (not null) |
//! | `date` | Date32 |
//! | `date_precision`, `inter1`, `inter2`, `interaction`, `geo_precision` | Int8 |
//! | `actor1`, `actor1_ar`, `actor2`, `actor2_ar` | Utf8 |
//! | `assoc_actors` | `List<Utf8>` (not null, may be empty) |
//! | `location`, `location_ar`, `location_pcode`, `admin1`, `admin2`, `admin3`, `admin1_pcode` | Utf8 |
//! | `country` | Utf8 (`Syria` for events without one) |
//! | `iso` | Int64 (ISO 3166-1 numeric; 760 for events without one) |
//! | `latitude`, `longitude` | Float64 (WGS84) |
//! | `fatalities_best`, `_low`, `_high`, `injured_…`, `count_best`, `_low`, `_high` | Int64 |
//! | `count_what` | Utf8 |
//! | `fatalities_acled` | Int64 (not null): ACLED's conservative figure, as in the CSV |
//! | `modality` | Utf8 (not null) |
//! | `background` | Boolean (not null) |
//! | `source_names`, `report_ids` | `List<Utf8>` (not null) |
//! | `corroboration` | Int64 (not null): the reports that tell the event |
//! | `sources` | `List<Struct<name, name_ar, kind, doc_id: Utf8>>` |
//! | `evidence` | `List<Struct<doc_id: Utf8, start: Int64, end: Int64, text: Utf8, field: Utf8>>` |
//! | `notes` | Utf8 (not null) |
//! | `confidence` | Float64 (not null) |
//! | `review_status` | Utf8: a reviewer's verdict (`confirmed`, `corrected`, `rejected`, `merged`), null when unreviewed |
//!
//! Rows are buffered [`ParquetOptions::row_group_size`] at a time, written as one row group
//! and dropped, so memory stays flat however many events are exported. Pages are
//! Snappy-compressed.

use std::io::Write;
use std::sync::{Arc, OnceLock};

/// The country of events that carry none (written before rasd kept it).
const SYRIA_NAME: &str = "Syria";
/// Its ISO 3166-1 numeric code.
const SYRIA_ISO: u16 = 760;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, Int8Builder, ListArray,
    ListBuilder, StringBuilder, StructArray,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rasd_core::Event;

use crate::acled::{report_ids, source_names};
use crate::{next_event, AcledConventions, Error, ExportSummary, ParquetOptions};

fn list_item() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

fn source_fields() -> Fields {
    Fields::from(vec![
        Field::new("name", DataType::Utf8, false),
        Field::new("name_ar", DataType::Utf8, true),
        Field::new("kind", DataType::Utf8, false),
        Field::new("doc_id", DataType::Utf8, false),
    ])
}

fn evidence_fields() -> Fields {
    Fields::from(vec![
        Field::new("doc_id", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
        Field::new("text", DataType::Utf8, false),
        Field::new("field", DataType::Utf8, false),
    ])
}

fn struct_item(fields: Fields) -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Struct(fields), false))
}

/// The Arrow schema of the Parquet export (see the module docs).
pub fn parquet_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
            let int8 = |name: &str| Field::new(name, DataType::Int8, true);
            let int64 = |name: &str| Field::new(name, DataType::Int64, true);
            let list = |name: &str| Field::new(name, DataType::List(list_item()), false);
            Arc::new(Schema::new(vec![
                utf8("event_id", false),
                utf8("doc_id", false),
                utf8("event_type", false),
                utf8("sub_event_type", false),
                utf8("disorder_type", false),
                Field::new("date", DataType::Date32, true),
                int8("date_precision"),
                utf8("actor1", true),
                utf8("actor1_ar", true),
                int8("inter1"),
                utf8("actor2", true),
                utf8("actor2_ar", true),
                int8("inter2"),
                int8("interaction"),
                list("assoc_actors"),
                utf8("location", true),
                utf8("location_ar", true),
                utf8("location_pcode", true),
                utf8("admin1", true),
                utf8("admin2", true),
                utf8("admin3", true),
                utf8("admin1_pcode", true),
                utf8("country", true),
                int64("iso"),
                Field::new("latitude", DataType::Float64, true),
                Field::new("longitude", DataType::Float64, true),
                int8("geo_precision"),
                int64("fatalities_best"),
                int64("fatalities_low"),
                int64("fatalities_high"),
                int64("injured_best"),
                int64("injured_low"),
                int64("injured_high"),
                int64("count_best"),
                int64("count_low"),
                int64("count_high"),
                utf8("count_what", true),
                Field::new("fatalities_acled", DataType::Int64, false),
                utf8("modality", false),
                Field::new("background", DataType::Boolean, false),
                list("source_names"),
                list("report_ids"),
                Field::new("corroboration", DataType::Int64, false),
                Field::new(
                    "sources",
                    DataType::List(struct_item(source_fields())),
                    false,
                ),
                Field::new(
                    "evidence",
                    DataType::List(struct_item(evidence_fields())),
                    false,
                ),
                utf8("notes", false),
                Field::new("confidence", DataType::Float64, false),
                Field::new("review_status", DataType::Utf8, true),
            ]))
        })
        .clone()
}

/// A list-of-struct column built by hand: offsets plus one builder per struct field.
struct SourcesColumn {
    offsets: Vec<i32>,
    name: StringBuilder,
    name_ar: StringBuilder,
    kind: StringBuilder,
    doc_id: StringBuilder,
}

struct EvidenceColumn {
    offsets: Vec<i32>,
    doc_id: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
    text: StringBuilder,
    field: StringBuilder,
}

fn finish_list(
    item: Arc<Field>,
    offsets: &mut Vec<i32>,
    fields: Fields,
    children: Vec<ArrayRef>,
) -> Result<ArrayRef, Error> {
    let values = StructArray::try_new(fields, children, None)
        .map_err(|e| Error::parquet("building a struct column")(e.to_string()))?;
    let taken = std::mem::replace(offsets, vec![0]);
    let offsets = OffsetBuffer::new(taken.into());
    let list = ListArray::try_new(item, offsets, Arc::new(values), None)
        .map_err(|e| Error::parquet("building a list column")(e.to_string()))?;
    Ok(Arc::new(list))
}

fn next_offset(
    offsets: &[i32],
    len: usize,
    event_id: &str,
    field: &'static str,
) -> Result<i32, Error> {
    let last = offsets.last().copied().unwrap_or(0);
    i32::try_from(len)
        .ok()
        .and_then(|n| last.checked_add(n))
        .ok_or_else(|| Error::OutOfRange {
            event_id: event_id.to_string(),
            field,
            value: format!("{len} items in one row group"),
        })
}

/// The builders of one batch of rows.
struct Batch {
    rows: usize,
    event_id: StringBuilder,
    doc_id: StringBuilder,
    event_type: StringBuilder,
    sub_event_type: StringBuilder,
    disorder_type: StringBuilder,
    date: Date32Builder,
    date_precision: Int8Builder,
    actor1: StringBuilder,
    actor1_ar: StringBuilder,
    inter1: Int8Builder,
    actor2: StringBuilder,
    actor2_ar: StringBuilder,
    inter2: Int8Builder,
    interaction: Int8Builder,
    assoc_actors: ListBuilder<StringBuilder>,
    location: StringBuilder,
    location_ar: StringBuilder,
    location_pcode: StringBuilder,
    admin1: StringBuilder,
    admin2: StringBuilder,
    admin3: StringBuilder,
    admin1_pcode: StringBuilder,
    country: StringBuilder,
    iso: Int64Builder,
    latitude: Float64Builder,
    longitude: Float64Builder,
    geo_precision: Int8Builder,
    estimates: [Int64Builder; 9],
    count_what: StringBuilder,
    fatalities_acled: Int64Builder,
    modality: StringBuilder,
    background: BooleanBuilder,
    source_names: ListBuilder<StringBuilder>,
    report_ids: ListBuilder<StringBuilder>,
    corroboration: Int64Builder,
    sources: SourcesColumn,
    evidence: EvidenceColumn,
    notes: StringBuilder,
    confidence: Float64Builder,
    review_status: StringBuilder,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn to_i64(value: u64, event_id: &str, field: &'static str) -> Result<i64, Error> {
    i64::try_from(value).map_err(|_| Error::OutOfRange {
        event_id: event_id.to_string(),
        field,
        value: value.to_string(),
    })
}

fn to_i8(value: Option<u8>, event_id: &str, field: &'static str) -> Result<Option<i8>, Error> {
    value
        .map(|v| {
            i8::try_from(v).map_err(|_| Error::OutOfRange {
                event_id: event_id.to_string(),
                field,
                value: v.to_string(),
            })
        })
        .transpose()
}

impl Batch {
    fn new() -> Batch {
        let list = || ListBuilder::new(StringBuilder::new()).with_field(list_item());
        Batch {
            rows: 0,
            event_id: StringBuilder::new(),
            doc_id: StringBuilder::new(),
            event_type: StringBuilder::new(),
            sub_event_type: StringBuilder::new(),
            disorder_type: StringBuilder::new(),
            date: Date32Builder::new(),
            date_precision: Int8Builder::new(),
            actor1: StringBuilder::new(),
            actor1_ar: StringBuilder::new(),
            inter1: Int8Builder::new(),
            actor2: StringBuilder::new(),
            actor2_ar: StringBuilder::new(),
            inter2: Int8Builder::new(),
            interaction: Int8Builder::new(),
            assoc_actors: list(),
            location: StringBuilder::new(),
            location_ar: StringBuilder::new(),
            location_pcode: StringBuilder::new(),
            admin1: StringBuilder::new(),
            admin2: StringBuilder::new(),
            admin3: StringBuilder::new(),
            admin1_pcode: StringBuilder::new(),
            country: StringBuilder::new(),
            iso: Int64Builder::new(),
            latitude: Float64Builder::new(),
            longitude: Float64Builder::new(),
            geo_precision: Int8Builder::new(),
            estimates: std::array::from_fn(|_| Int64Builder::new()),
            count_what: StringBuilder::new(),
            fatalities_acled: Int64Builder::new(),
            modality: StringBuilder::new(),
            background: BooleanBuilder::new(),
            source_names: list(),
            report_ids: list(),
            corroboration: Int64Builder::new(),
            sources: SourcesColumn {
                offsets: vec![0],
                name: StringBuilder::new(),
                name_ar: StringBuilder::new(),
                kind: StringBuilder::new(),
                doc_id: StringBuilder::new(),
            },
            evidence: EvidenceColumn {
                offsets: vec![0],
                doc_id: StringBuilder::new(),
                start: Int64Builder::new(),
                end: Int64Builder::new(),
                text: StringBuilder::new(),
                field: StringBuilder::new(),
            },
            notes: StringBuilder::new(),
            confidence: Float64Builder::new(),
            review_status: StringBuilder::new(),
        }
    }

    fn push(&mut self, e: &Event, conventions: &AcledConventions) -> Result<(), Error> {
        let id = e.event_id.as_str();
        self.event_id.append_value(id);
        self.doc_id.append_value(&e.doc_id);
        self.event_type.append_value(e.event_type.as_str());
        self.sub_event_type.append_value(e.sub_event_type.as_str());
        self.disorder_type.append_value(e.disorder_type.as_str());
        let days = e.date.map(|d| d.signed_duration_since(epoch()).num_days());
        let days = days
            .map(|n| {
                i32::try_from(n).map_err(|_| Error::OutOfRange {
                    event_id: id.to_string(),
                    field: "date",
                    value: n.to_string(),
                })
            })
            .transpose()?;
        self.date.append_option(days);
        self.date_precision.append_option(to_i8(
            e.date_precision.map(|p| p.code()),
            id,
            "date_precision",
        )?);
        self.actor1.append_option(e.actor1.as_deref());
        self.actor1_ar.append_option(e.actor1_ar.as_deref());
        self.inter1
            .append_option(to_i8(e.inter1.map(|a| a.code()), id, "inter1")?);
        self.actor2.append_option(e.actor2.as_deref());
        self.actor2_ar.append_option(e.actor2_ar.as_deref());
        self.inter2
            .append_option(to_i8(e.inter2.map(|a| a.code()), id, "inter2")?);
        self.interaction
            .append_option(to_i8(e.interaction, id, "interaction")?);
        for actor in &e.assoc_actors {
            self.assoc_actors.values().append_value(actor);
        }
        self.assoc_actors.append(true);
        self.location.append_option(e.location.as_deref());
        self.location_ar.append_option(e.location_ar.as_deref());
        self.location_pcode
            .append_option(e.location_pcode.as_deref());
        self.admin1.append_option(e.admin1.as_deref());
        self.admin2.append_option(e.admin2.as_deref());
        self.admin3.append_option(e.admin3.as_deref());
        self.admin1_pcode.append_option(e.admin1_pcode.as_deref());
        self.country
            .append_value(e.country.as_deref().unwrap_or(SYRIA_NAME));
        self.iso.append_value(i64::from(e.iso.unwrap_or(SYRIA_ISO)));
        self.latitude.append_option(e.latitude);
        self.longitude.append_option(e.longitude);
        self.geo_precision.append_option(to_i8(
            e.geo_precision.map(|p| p.code()),
            id,
            "geo_precision",
        )?);
        let count = e.count.map(|c| c.estimate());
        let values = [
            (e.fatalities.map(|x| x.best), "fatalities.best"),
            (e.fatalities.map(|x| x.low), "fatalities.low"),
            (e.fatalities.map(|x| x.high), "fatalities.high"),
            (e.injured.map(|x| x.best), "injured.best"),
            (e.injured.map(|x| x.low), "injured.low"),
            (e.injured.map(|x| x.high), "injured.high"),
            (count.map(|x| x.best), "count.best"),
            (count.map(|x| x.low), "count.low"),
            (count.map(|x| x.high), "count.high"),
        ];
        for (builder, (value, field)) in self.estimates.iter_mut().zip(values) {
            builder.append_option(value.map(|v| to_i64(v, id, field)).transpose()?);
        }
        let what = match e.count {
            Some(c) => match serde_json::to_value(c.what) {
                Ok(serde_json::Value::String(s)) => Some(s),
                Ok(other) => Some(other.to_string()),
                Err(source) => {
                    return Err(Error::Json {
                        event_id: id.to_string(),
                        source,
                    })
                }
            },
            None => None,
        };
        self.count_what.append_option(what);
        self.fatalities_acled
            .append_value(to_i64(conventions.fatalities(e), id, "fatalities")?);
        self.modality.append_value(e.modality.as_str());
        self.background.append_value(e.background);
        for name in source_names(e) {
            self.source_names.values().append_value(name);
        }
        self.source_names.append(true);
        for report in report_ids(e) {
            self.report_ids.values().append_value(report);
        }
        self.report_ids.append(true);
        self.corroboration.append_value(i64::from(e.corroboration));

        let s = &mut self.sources;
        for source in &e.sources {
            s.name.append_value(&source.name);
            s.name_ar.append_option(source.name_ar.as_deref());
            s.kind.append_value(&source.kind);
            s.doc_id.append_value(&source.doc_id);
        }
        let next = next_offset(&s.offsets, e.sources.len(), id, "sources")?;
        s.offsets.push(next);

        let v = &mut self.evidence;
        for ev in &e.evidence {
            v.doc_id.append_value(&ev.doc_id);
            v.start
                .append_value(to_i64(ev.start as u64, id, "evidence.start")?);
            v.end
                .append_value(to_i64(ev.end as u64, id, "evidence.end")?);
            v.text.append_value(&ev.text);
            v.field.append_value(&ev.field);
        }
        let next = next_offset(&v.offsets, e.evidence.len(), id, "evidence")?;
        v.offsets.push(next);

        self.notes.append_value(&e.notes);
        self.confidence.append_value(e.confidence);
        self.review_status
            .append_option(e.review.map(rasd_core::ReviewStatus::as_str));
        self.rows += 1;
        Ok(())
    }

    /// The buffered rows as a record batch; the builders are left empty.
    fn finish(&mut self) -> Result<RecordBatch, Error> {
        let a = |array: ArrayRef| array;
        let s = &mut self.sources;
        let sources = finish_list(
            struct_item(source_fields()),
            &mut s.offsets,
            source_fields(),
            vec![
                a(Arc::new(s.name.finish())),
                a(Arc::new(s.name_ar.finish())),
                a(Arc::new(s.kind.finish())),
                a(Arc::new(s.doc_id.finish())),
            ],
        )?;
        let v = &mut self.evidence;
        let evidence = finish_list(
            struct_item(evidence_fields()),
            &mut v.offsets,
            evidence_fields(),
            vec![
                a(Arc::new(v.doc_id.finish())),
                a(Arc::new(v.start.finish())),
                a(Arc::new(v.end.finish())),
                a(Arc::new(v.text.finish())),
                a(Arc::new(v.field.finish())),
            ],
        )?;
        let [fb, fl, fh, ib, il, ih, cb, cl, ch] = &mut self.estimates;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.event_id.finish()),
            Arc::new(self.doc_id.finish()),
            Arc::new(self.event_type.finish()),
            Arc::new(self.sub_event_type.finish()),
            Arc::new(self.disorder_type.finish()),
            Arc::new(self.date.finish()),
            Arc::new(self.date_precision.finish()),
            Arc::new(self.actor1.finish()),
            Arc::new(self.actor1_ar.finish()),
            Arc::new(self.inter1.finish()),
            Arc::new(self.actor2.finish()),
            Arc::new(self.actor2_ar.finish()),
            Arc::new(self.inter2.finish()),
            Arc::new(self.interaction.finish()),
            Arc::new(self.assoc_actors.finish()),
            Arc::new(self.location.finish()),
            Arc::new(self.location_ar.finish()),
            Arc::new(self.location_pcode.finish()),
            Arc::new(self.admin1.finish()),
            Arc::new(self.admin2.finish()),
            Arc::new(self.admin3.finish()),
            Arc::new(self.admin1_pcode.finish()),
            Arc::new(self.country.finish()),
            Arc::new(self.iso.finish()),
            Arc::new(self.latitude.finish()),
            Arc::new(self.longitude.finish()),
            Arc::new(self.geo_precision.finish()),
            Arc::new(fb.finish()),
            Arc::new(fl.finish()),
            Arc::new(fh.finish()),
            Arc::new(ib.finish()),
            Arc::new(il.finish()),
            Arc::new(ih.finish()),
            Arc::new(cb.finish()),
            Arc::new(cl.finish()),
            Arc::new(ch.finish()),
            Arc::new(self.count_what.finish()),
            Arc::new(self.fatalities_acled.finish()),
            Arc::new(self.modality.finish()),
            Arc::new(self.background.finish()),
            Arc::new(self.source_names.finish()),
            Arc::new(self.report_ids.finish()),
            Arc::new(self.corroboration.finish()),
            sources,
            evidence,
            Arc::new(self.notes.finish()),
            Arc::new(self.confidence.finish()),
            Arc::new(self.review_status.finish()),
        ];
        self.rows = 0;
        RecordBatch::try_new(parquet_schema(), columns)
            .map_err(|e| Error::parquet("assembling a row group")(e.to_string()))
    }
}

/// Writes the events as Parquet (see the module docs), one row group per
/// [`ParquetOptions::row_group_size`] events.
///
/// # Errors
/// The first error of the event stream, of a value that does not fit its column, or of the
/// writer.
pub fn write_parquet<I, E, W>(
    events: I,
    out: W,
    options: &ParquetOptions,
) -> Result<ExportSummary, Error>
where
    I: IntoIterator<Item = Result<Event, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    W: Write + Send,
{
    let group = options.row_group_size.max(1);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(group))
        .set_created_by(format!("rasd {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = ArrowWriter::try_new(out, parquet_schema(), Some(props))
        .map_err(written("starting the file"))?;
    let mut batch = Batch::new();
    let mut summary = ExportSummary::default();
    for item in events {
        let event = next_event(item)?;
        batch.push(&event, &options.conventions)?;
        summary.written += 1;
        if batch.rows >= group {
            write_batch(&mut writer, &mut batch)?;
        }
    }
    if batch.rows > 0 {
        write_batch(&mut writer, &mut batch)?;
    }
    writer.close().map_err(written("closing the file"))?;
    Ok(summary)
}

/// A Parquet writer's error: an output error as [`Error::Io`] (so that a closed pipe is
/// recognised), anything else as [`Error::Parquet`].
fn written(context: &'static str) -> impl FnOnce(parquet::errors::ParquetError) -> Error {
    move |e| match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<std::io::Error>() {
                Ok(io) => Error::Io {
                    format: "parquet",
                    source: *io,
                },
                Err(other) => Error::parquet(context)(other.to_string()),
            }
        }
        other => Error::parquet(context)(other.to_string()),
    }
}

fn write_batch<W: Write + Send>(
    writer: &mut ArrowWriter<W>,
    batch: &mut Batch,
) -> Result<(), Error> {
    let records = batch.finish()?;
    writer
        .write(&records)
        .map_err(written("writing a row group"))?;
    writer.flush().map_err(written("flushing a row group"))
}
