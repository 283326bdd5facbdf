//! `rasd events`: the dataset in the database, filtered, as a table, JSON Lines, ACLED-style
//! CSV or GeoJSON. Events stream from the store in order of date, then `event_id`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use rasd_core::{Event, EventType, SubEventType};
use rasd_store::{EventFilter, SqliteStore, Store};

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
    /// The database file.
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Only this event type (e.g. "Battles").
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// Only this sub-event type (e.g. "Armed clash").
    #[arg(long = "sub-type", value_name = "SUBTYPE")]
    pub sub_event_type: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Only events on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Only this governorate: English name or P-code (SY12).
    #[arg(long, value_name = "NAME|PCODE")]
    pub admin1: Option<String>,
    /// Only events naming this actor (part of a canonical name, or as written in Arabic).
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only events within KM of a point.
    #[arg(long, value_name = "LAT,LON,KM", value_parser = parse_near)]
    pub near: Option<(f64, f64, f64)>,
    /// Only events one of whose reports matches this full-text query.
    #[arg(long, value_name = "QUERY")]
    pub text: Option<String>,
    /// Also hedged, negated and planned events.
    #[arg(long)]
    pub include_non_factual: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub format: EventsFormat,
}

/// Parses `LAT,LON,KM`.
///
/// # Errors
/// A text that is not three numbers in range.
pub fn parse_near(s: &str) -> Result<(f64, f64, f64), String> {
    let nums: Result<Vec<f64>, _> = s.split(',').map(|p| p.trim().parse::<f64>()).collect();
    match nums.as_deref() {
        Ok([lat, lon, km]) if lat.abs() <= 90.0 && lon.abs() <= 180.0 && *km >= 0.0 => {
            Ok((*lat, *lon, *km))
        }
        _ => Err(format!("«{s}» is not LAT,LON,KM (e.g. 32.62,36.10,25)")),
    }
}

impl Args {
    fn filter(&self) -> anyhow::Result<EventFilter> {
        Ok(EventFilter {
            event_type: self
                .event_type
                .as_deref()
                .map(str::parse::<EventType>)
                .transpose()
                .context("--type")?,
            sub_event_type: self
                .sub_event_type
                .as_deref()
                .map(str::parse::<SubEventType>)
                .transpose()
                .context("--sub-type")?,
            from: self.from,
            to: self.to,
            admin1: self.admin1.clone(),
            actor: self.actor.clone(),
            near: self.near,
            text: self.text.clone(),
            include_non_factual: self.include_non_factual,
        })
    }
}

/// Opens an existing database, with a hint when there is none.
///
/// # Errors
/// When the file does not exist or is not a rasd database.
pub fn open_existing(db: &std::path::Path) -> anyhow::Result<SqliteStore> {
    if !db.exists() {
        bail!(
            "{}: no such database (run `rasd ingest INPUT...` first, or pass --db PATH)",
            db.display()
        );
    }
    SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))
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

fn table_row(e: &Event) -> String {
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
    format!(
        "{date}  {:<19}  {:<34}  {:<28}  {:>6}  {:>7}  {actor}",
        e.event_id,
        e.sub_event_type.as_str(),
        format!("{place} ({admin1})"),
        killed,
        reports(e)
    )
}

/// Runs `rasd events`.
///
/// # Errors
/// When the database cannot be read, a filter is invalid, or stdout fails.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let filter = args.filter()?;
    let store = open_existing(&args.db)?;
    let events = store.events(&filter).context("reading events")?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        EventsFormat::Table => {
            writeln!(
                out,
                "date        event_id             sub_event_type                      place (governorate)           killed  reports  actor1"
            )?;
            let mut n = 0u64;
            for e in events {
                writeln!(out, "{}", table_row(&e?))?;
                n += 1;
            }
            writeln!(out, "{n} events")?;
        }
        EventsFormat::Jsonl => {
            for e in events {
                serde_json::to_writer(&mut out, &e?)?;
                out.write_all(b"\n")?;
            }
        }
        EventsFormat::Csv | EventsFormat::Geojson => {
            let format = if args.format == EventsFormat::Csv {
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
            return Ok(Outcome::Success);
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
