//! `rasd events`: the dataset in the database, filtered, as a table, JSON Lines, ACLED-style
//! CSV or GeoJSON. Events stream from the store in order of date, then `event_id`.

use std::io::{BufWriter, Write};

use anyhow::Context as _;
use rasd_core::Event;
use rasd_store::Store;

use crate::{Context, Outcome};

/// How `rasd events` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EventsFormat {
    /// One line per event: date, id, type, place, fatalities, reports.
    Table,
    /// The event contract, one JSON object a line.
    Jsonl,
    /// ACLED-style CSV (as `rasd export --format csv`).
    Csv,
    /// A GeoJSON FeatureCollection (as `rasd export --format geojson`).
    Geojson,
}

/// Arguments of `rasd events`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which events, and from where (the store, or a JSONL file with `--events`).
    #[command(flatten)]
    pub filter: crate::cmd::export::FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub format: EventsFormat,
}

/// Opens an existing database (a SQLite file or a `postgres://` URL), with a hint when there
/// is none.
///
/// # Errors
/// When the file does not exist or is not a rasd database, or the server cannot be reached.
pub fn open_existing(db: &std::path::Path) -> anyhow::Result<Box<dyn Store + Send>> {
    crate::context::open_existing_store(
        db,
        "run `rasd ingest INPUT...` first, or pass --db PATH or --db postgres://…",
    )
}

/// The number of distinct reports behind a dataset event.
pub fn reports(e: &Event) -> usize {
    let docs: std::collections::BTreeSet<&str> = e
        .evidence
        .iter()
        .map(|v| v.doc_id.as_str())
        .chain(e.sources.iter().map(|s| s.doc_id.as_str()))
        .chain(std::iter::once(e.doc_id.as_str()))
        .collect();
    docs.len()
}

/// The header of `rasd events --format table`.
const TABLE_HEADER: [&str; 7] = [
    "date",
    "event_id",
    "sub_event_type",
    "place (governorate)",
    "killed",
    "reports",
    "actor1",
];

fn table_row(e: &Event) -> Vec<String> {
    let date = e
        .date
        .map(|d| d.to_string())
        .unwrap_or_else(|| "----------".into());
    let place = e
        .location
        .as_deref()
        .or(e.location_ar.as_deref())
        .unwrap_or("-");
    let admin1 = e.admin1.as_deref().unwrap_or("-");
    let killed = e
        .fatalities
        .map(|f| f.best.to_string())
        .unwrap_or_else(|| "-".into());
    let actor = e.actor1.as_deref().unwrap_or("-");
    [
        date,
        e.event_id.clone(),
        e.sub_event_type.as_str().to_string(),
        format!("{place} ({admin1})"),
        killed,
        reports(e).to_string(),
        actor.to_string(),
    ]
    .into_iter()
    .map(|cell| crate::term::inert(&cell).into_owned())
    .collect()
}

/// Runs `rasd events`.
///
/// # Errors
/// When the database cannot be read, a filter is invalid, or stdout fails.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    args.filter
        .with_events(|events| write_events(events, args.format))?;
    Ok(Outcome::Success)
}

fn write_events(
    events: crate::cmd::export::EventStream<'_>,
    format: EventsFormat,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match format {
        EventsFormat::Table => {
            // The columns are as wide as their widest cell, so the table is laid out once
            // every row is read (`--format jsonl` streams).
            let rows = events
                .map(|e| e.map(|e| table_row(&e)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            write!(
                out,
                "{}",
                rasd_export::text_table(&TABLE_HEADER, &rows, None)
            )?;
            writeln!(out, "{} events", rows.len())?;
        }
        EventsFormat::Jsonl => {
            for e in events {
                serde_json::to_writer(&mut out, &e?)?;
                out.write_all(b"\n")?;
            }
        }
        EventsFormat::Csv | EventsFormat::Geojson => {
            let format = if format == EventsFormat::Csv {
                rasd_export::Format::Csv
            } else {
                rasd_export::Format::GeoJson
            };
            // The exporters want a `Send` writer: the unlocked handle, buffered.
            drop(out);
            let mut plain = BufWriter::new(std::io::stdout());
            rasd_export::export(
                format,
                events,
                &mut plain,
                &rasd_export::ExportOptions::default(),
            )
            .context("writing the events")?;
            plain.flush()?;
            return Ok(());
        }
    }
    out.flush()?;
    Ok(())
}
