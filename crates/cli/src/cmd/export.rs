//! `rasd export`: the dataset in a store as ACLED-style CSV, GeoJSON, JSONL or Parquet.
//!
//! Events stream from the store (or from a JSONL file of events, `--events FILE`, `-` for
//! standard input, e.g. the output of `rasd analyze`) to the output one at a time. With `-o FILE` the export is
//! written beside the file and renamed over it when complete, so a reader never sees half an
//! export; without it, the export goes to standard output.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use rasd_core::{Event, EventType, SubEventType};
use rasd_export::{AcledConventions, CsvOptions, ExportOptions, Format, ParquetOptions};
use rasd_store::{EventFilter, SqliteStore, Store};

use crate::{Context, Outcome};

/// Which events to take from the store (shared by `export` and `stats`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// The database file.
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Read events from this JSONL file (one event of the contract a line, as `rasd analyze`
    /// prints them; `-` for standard input) instead of the database.
    #[arg(long, value_name = "FILE", conflicts_with = "db")]
    pub events: Option<PathBuf>,
    /// Only this event type (e.g. "Battles").
    #[arg(long, value_name = "TYPE", visible_alias = "type")]
    pub event_type: Option<String>,
    /// Only this sub-event type (e.g. "Air/drone strike").
    #[arg(long, value_name = "SUBTYPE", visible_alias = "sub-type")]
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
    /// Only events within KM of a point: LAT,LON,KM.
    #[arg(long, value_name = "LAT,LON,KM", value_parser = parse_near)]
    pub near: Option<(f64, f64, f64)>,
    /// Only events one of whose reports matches this full-text query.
    #[arg(long, value_name = "QUERY")]
    pub text: Option<String>,
    /// Also hedged, negated and planned events (by default only asserted and reported ones).
    #[arg(long)]
    pub include_non_factual: bool,
    /// Also what reports recall from earlier years (`"background": true`), left out by default.
    #[arg(long)]
    pub include_background: bool,
    /// Only events in this country: its English name, ISO 3166-1 code (alpha-2, alpha-3 or
    /// numeric), or `all`. Events abroad (in Lebanon's Arsal, in Iraq) are kept with their
    /// country; the Syria dataset is the default.
    #[arg(long, value_name = "COUNTRY|all", default_value = "Syria")]
    pub country: String,
}

fn parse_near(s: &str) -> Result<(f64, f64, f64), String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let nums: Result<Vec<f64>, _> = parts.iter().map(|p| p.parse::<f64>()).collect();
    match nums.as_deref() {
        Ok([lat, lon, km]) if lat.abs() <= 90.0 && lon.abs() <= 180.0 && *km >= 0.0 => {
            Ok((*lat, *lon, *km))
        }
        _ => Err(format!("«{s}» is not LAT,LON,KM (e.g. 32.62,36.10,25)")),
    }
}

impl FilterArgs {
    /// The store filter these arguments describe.
    ///
    /// # Errors
    /// An unknown event or sub-event type name.
    pub fn filter(&self) -> anyhow::Result<EventFilter> {
        let event_type = self
            .event_type
            .as_deref()
            .map(str::parse::<EventType>)
            .transpose()
            .context("--event-type")?;
        let sub_event_type = self
            .sub_event_type
            .as_deref()
            .map(str::parse::<SubEventType>)
            .transpose()
            .context("--sub-event-type")?;
        Ok(EventFilter {
            event_type,
            sub_event_type,
            from: self.from,
            to: self.to,
            admin1: self.admin1.clone(),
            actor: self.actor.clone(),
            near: self.near,
            text: self.text.clone(),
            include_non_factual: self.include_non_factual,
        })
    }

    /// Opens the store read from.
    ///
    /// # Errors
    /// When the database file does not exist or cannot be opened.
    pub fn open(&self) -> anyhow::Result<SqliteStore> {
        if !self.db.exists() {
            bail!(
                "{}: no such database (run `rasd ingest` first, pass --db PATH, or read \
                 events with --events FILE)",
                self.db.display()
            );
        }
        SqliteStore::open(&self.db).with_context(|| format!("opening {}", self.db.display()))
    }

    /// Calls `f` with the filtered event stream: from the JSONL file given with `--events`,
    /// else from the store.
    ///
    /// # Errors
    /// When the source cannot be opened, the filter is invalid, or `f` fails.
    pub fn with_events<T>(
        &self,
        f: impl FnOnce(EventStream<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let filter = self.filter()?;
        match &self.events {
            Some(path) => {
                if filter.text.is_some() {
                    bail!("--text needs the reports: use it with --db, not --events");
                }
                let (name, reader): (String, Box<dyn BufRead>) = if path.as_os_str() == "-" {
                    ("<stdin>".into(), Box::new(BufReader::new(std::io::stdin())))
                } else {
                    let file =
                        File::open(path).with_context(|| format!("opening {}", path.display()))?;
                    (path.display().to_string(), Box::new(BufReader::new(file)))
                };
                let background = self.include_background;
                let country = CountryChoice::parse(&self.country)?;
                let events = jsonl_events(name, reader).filter(move |item| {
                    item.as_ref().map_or(true, |e| {
                        filter.matches(e) && (background || !e.background) && country.matches(e)
                    })
                });
                f(Box::new(events))
            }
            None => {
                let store = self.open()?;
                let events = store
                    .events(&filter)
                    .context("reading events from the store")?;
                let background = self.include_background;
                let country = CountryChoice::parse(&self.country)?;
                f(Box::new(
                    events
                        .map(|item| item.map_err(anyhow::Error::from))
                        .filter(move |item| {
                            item.as_ref().map_or(true, |e| {
                                (background || !e.background) && country.matches(e)
                            })
                        }),
                ))
            }
        }
    }
}

/// A stream of events from the store or a JSONL file.
pub type EventStream<'a> = Box<dyn Iterator<Item = anyhow::Result<Event>> + 'a>;

/// The events of a JSONL text, one a line (blank lines skipped); errors name `file:line`.
fn jsonl_events(
    name: String,
    reader: Box<dyn BufRead>,
) -> impl Iterator<Item = anyhow::Result<Event>> {
    reader.lines().enumerate().filter_map(move |(i, line)| {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                return Some(Err(
                    anyhow::Error::new(e).context(format!("{name}:{}", i + 1))
                ))
            }
        };
        if line.trim().is_empty() {
            return None;
        }
        Some(
            serde_json::from_str::<Event>(&line)
                .with_context(|| format!("{name}:{}: not an event of the contract", i + 1)),
        )
    })
}

/// Arguments of `rasd export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format: csv (ACLED-style), geojson, jsonl or parquet. Defaults to the output
    /// file's extension.
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<Format>,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for spreadsheets: a UTF-8 byte order mark and CRLF line ends.
    #[arg(long)]
    pub excel: bool,
    /// Rows per Parquet row group.
    #[arg(long, value_name = "N", default_value_t = 16_384)]
    pub row_group_size: usize,
    /// Which events.
    #[command(flatten)]
    pub filter: FilterArgs,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

fn format_of(args: &Args) -> anyhow::Result<Format> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let ext = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => Ok(Format::Csv),
        Some("geojson") => Ok(Format::GeoJson),
        Some("jsonl") | Some("ndjson") => Ok(Format::Jsonl),
        Some("parquet") => Ok(Format::Parquet),
        _ => bail!("say which format: --format csv|geojson|jsonl|parquet"),
    }
}

/// Runs `rasd export`.
///
/// # Errors
/// When the store cannot be read, a filter is invalid, or the output cannot be written.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let format = format_of(&args)?;
    if args.excel && format != Format::Csv {
        bail!("--excel applies to --format csv only");
    }
    let conventions = AcledConventions::from_data(&context.data)?;
    let options = ExportOptions {
        csv: CsvOptions {
            excel: args.excel,
            conventions: conventions.clone(),
        },
        parquet: ParquetOptions {
            row_group_size: args.row_group_size.max(1),
            conventions,
        },
    };
    let summary = args.filter.with_events(|events| match &args.output {
        Some(path) => {
            let tmp = partial_path(path);
            let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
            match rasd_export::export(format, events, BufWriter::new(file), &options) {
                Ok(summary) => {
                    std::fs::rename(&tmp, path)
                        .with_context(|| format!("writing {}", path.display()))?;
                    Ok(summary)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e).with_context(|| format!("exporting to {}", path.display()))
                }
            }
        }
        None => {
            let stdout = BufWriter::new(std::io::stdout());
            let summary = rasd_export::export(format, events, stdout, &options)?;
            std::io::stdout().flush()?;
            Ok(summary)
        }
    })?;
    if format == Format::GeoJson && summary.skipped > 0 {
        eprintln!(
            "rasd: {} event{} without coordinates left out of the GeoJSON",
            summary.skipped,
            if summary.skipped == 1 { "" } else { "s" }
        );
    }
    tracing::info!(format = %format, events = summary.written, skipped = summary.skipped, "export done");
    Ok(Outcome::Success)
}

/// `dir/.name.partial`: where an export is written before it is renamed over `path`.
fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// Which events `--country` keeps: all of them, or those of one country (events that carry
/// no country were written before rasd kept it, and are Syria's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountryChoice {
    /// Every country.
    All,
    /// One country, by its ISO 3166-1 numeric code.
    Iso(u16),
}

impl CountryChoice {
    /// Reads `all`, an English country name (case-insensitive) or an ISO 3166-1 code of the
    /// gazetteer's countries.
    ///
    /// # Errors
    /// A name or code of no known country.
    pub fn parse(text: &str) -> anyhow::Result<CountryChoice> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(CountryChoice::All);
        }
        let gazetteer = rasd_gazetteer::Gazetteer::builtin()?;
        gazetteer
            .countries()
            .iter()
            .find(|c| {
                c.name_en.eq_ignore_ascii_case(t)
                    || c.iso2.eq_ignore_ascii_case(t)
                    || c.iso3.eq_ignore_ascii_case(t)
                    || t.parse::<u16>().is_ok_and(|n| n == c.iso_numeric)
            })
            .map(|c| CountryChoice::Iso(c.iso_numeric))
            .ok_or_else(|| anyhow::anyhow!("--country: «{t}» is no known country (or `all`)"))
    }

    /// True when the event is in the chosen country.
    pub fn matches(&self, e: &Event) -> bool {
        match self {
            CountryChoice::All => true,
            CountryChoice::Iso(n) => e.iso.unwrap_or(SYRIA_ISO) == *n,
        }
    }
}

/// Syria's ISO 3166-1 numeric code: the country of events that carry none.
const SYRIA_ISO: u16 = 760;
