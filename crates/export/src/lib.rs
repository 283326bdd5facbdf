//! rasd's exports and statistics: the dataset in the formats analysts' own tools read.
//!
//! Every writer takes a stream of events (`Result<Event, E>` items, as a store yields them, or
//! plain events through [`ok_events`]) and writes them one at a time, so exporting a million
//! events never holds them all in memory:
//!
//! - [`write_csv`]: ACLED-style CSV ([`ACLED_COLUMNS`] in ACLED's order and conventions, then
//!   rasd's own [`RASD_COLUMNS`]); [`CsvOptions::excel`] adds a BOM for spreadsheets.
//! - [`write_geojson`]: an RFC 7946 FeatureCollection, written feature by feature; events
//!   without coordinates are left out and counted in [`ExportSummary::skipped`].
//! - [`write_jsonl`]: the event contract, one event a line.
//! - [`write_parquet`]: typed columns ([`parquet_schema`]), written in row groups.
//! - [`Stats`]: counts per month × governorate × event type, fatalities per month and top
//!   actors, rendered as a table, CSV or JSON; [`chart`] draws them as SVG or PNG.
//!
//! [`AcledConventions`] holds the data-driven parts of the ACLED mapping (vague fatality words,
//! source scales, governorate names), loaded from `data/export/` and a user's overrides.
//!
//! ```
//! use rasd_core::{Event, EventType, SubEventType, Modality};
//! use rasd_export::{ok_events, write_csv, CsvOptions};
//!
//! let event = Event {
//!     event_id: "ev-0000000000000001".into(),
//!     doc_id: "r1".into(),
//!     event_type: EventType::StrategicDevelopments,
//!     sub_event_type: SubEventType::ChangeToGroupActivity,
//!     disorder_type: SubEventType::ChangeToGroupActivity.disorder_type(),
//!     date: chrono::NaiveDate::from_ymd_opt(2024, 12, 6),
//!     date_precision: None, actor1: None, actor1_ar: None, inter1: None,
//!     actor2: None, actor2_ar: None, inter2: None, interaction: None,
//!     assoc_actors: vec![], location: Some("Dar'a".into()), location_ar: Some("درعا".into()),
//!     location_pcode: None, admin1: Some("Dar'a".into()), admin2: None, admin3: None,
//!     admin1_pcode: Some("SY12".into()), latitude: Some(32.6189), longitude: Some(36.1021),
//!     country: None,
//!     iso: None,
//!     geo_precision: None, fatalities: None, injured: None, count: None,
//!     modality: Modality::Asserted, background: false, sources: vec![], corroboration: 1,
//!     evidence: vec![],
//!     notes: "انشقاق خمسة عناصر في درعا".into(), confidence: 0.7, review: None,
//! };
//! let mut out = Vec::new();
//! let summary = write_csv(ok_events([event]), &mut out, &CsvOptions::default()).unwrap();
//! assert_eq!(summary.written, 1);
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.lines().nth(1).unwrap().contains(",06 December 2024,2024,"));
//! assert!(text.contains("درعا"));
//! ```
#![deny(missing_docs)]

pub mod acled;
pub mod chart;
pub mod conventions;
pub mod geojson;
pub mod jsonl;
#[cfg(feature = "parquet")]
pub mod parquet_export;
pub mod stats;
mod table;

pub use acled::{
    acled_row, defuse_formula, write_csv, AcledRow, CsvOptions, ACLED_COLUMNS, RASD_COLUMNS,
};
pub use conventions::{AcledConventions, Governorate, SourceScale};
pub use geojson::write_geojson;
pub use jsonl::write_jsonl;
#[cfg(feature = "parquet")]
pub use parquet_export::{parquet_schema, write_parquet};
pub use stats::{ActorStat, CubeKey, CubeStat, GovernorateStat, MonthStat, Stats, StatsOptions};
pub use table::text_table;

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use rasd_core::Event;

/// Errors of the exports, statistics and charts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing the output failed.
    #[error("cannot write the {format} export: {source}")]
    Io {
        /// The export format being written.
        format: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV writer failed.
    #[error("cannot write CSV row for event {event_id}: {source}")]
    Csv {
        /// The event whose row failed (empty for the header).
        event_id: String,
        /// The underlying error.
        source: csv::Error,
    },
    /// Serializing an event to JSON failed.
    #[error("cannot serialize event {event_id} to JSON: {source}")]
    Json {
        /// The event.
        event_id: String,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// Building or writing Parquet failed.
    #[error("cannot write Parquet ({context}): {message}")]
    Parquet {
        /// What was being done.
        context: String,
        /// The arrow or parquet message.
        message: String,
    },
    /// A part of the export this build of rasd leaves out (a cargo feature turned off).
    #[error("{what} is not built into this rasd: build it with the cargo feature `{feature}`")]
    NotBuilt {
        /// What is missing.
        what: &'static str,
        /// The feature that builds it.
        feature: &'static str,
    },
    /// A value does not fit the typed column it goes to.
    #[error("event {event_id}: {field} = {value} does not fit the export's column type")]
    OutOfRange {
        /// The event.
        event_id: String,
        /// The field.
        field: &'static str,
        /// The value as text.
        value: String,
    },
    /// The event stream reported an error (a store or a reader).
    #[error("reading events: {0}")]
    Source(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A data file row is malformed.
    #[error("{origin}:{line}: {message}")]
    Data {
        /// The data file (`data/export/...` or the user's file).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An unknown export or statistics format name.
    #[error("unknown format «{0}» (expected one of: {1})")]
    UnknownFormat(String, &'static str),
    /// No installed font can draw Arabic, so the PNG chart cannot show governorate names.
    #[error(
        "no Arabic-capable font found among {faces} system font faces; install one \
         (e.g. Debian's fonts-noto-core or fonts-dejavu-core) or write an SVG chart instead"
    )]
    NoArabicFont {
        /// How many faces were looked at.
        faces: usize,
    },
    /// The chart could not be rendered.
    #[error("cannot render chart to {target}: {message}")]
    Chart {
        /// The output (file name or format).
        target: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// True when writing failed because the reader went away (a pipe closed early, as
    /// `rasd export | head -1` does): not a failure of the export.
    pub fn is_broken_pipe(&self) -> bool {
        let kind = match self {
            Error::Io { source, .. } => Some(source.kind()),
            Error::Csv { source, .. } => match source.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            },
            Error::Json { source, .. } => source.io_error_kind(),
            _ => None,
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    }
}

impl Error {
    pub(crate) fn io(format: &'static str) -> impl FnOnce(std::io::Error) -> Error {
        move |source| Error::Io { format, source }
    }

    #[cfg(feature = "parquet")]
    pub(crate) fn parquet(context: impl Into<String>) -> impl FnOnce(String) -> Error {
        let context = context.into();
        move |message| Error::Parquet { context, message }
    }
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Events written.
    pub written: u64,
    /// Events left out (GeoJSON: no valid coordinates).
    pub skipped: u64,
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// ACLED-style CSV.
    Csv,
    /// RFC 7946 GeoJSON FeatureCollection.
    GeoJson,
    /// The event contract, one JSON object a line.
    Jsonl,
    /// Apache Parquet with typed columns.
    Parquet,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: &'static [Format] =
        &[Format::Csv, Format::GeoJson, Format::Jsonl, Format::Parquet];

    /// The format's name as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::GeoJson => "geojson",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format, Error> {
        let wanted = s.trim().to_ascii_lowercase();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| Error::UnknownFormat(s.to_string(), "csv, geojson, jsonl, parquet"))
    }
}

/// Options for [`export`]: those of every format.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// CSV options.
    pub csv: CsvOptions,
    /// Parquet options.
    pub parquet: ParquetOptions,
}

/// Writes `events` to `out` in `format`.
///
/// # Errors
/// The first error of the stream or of the writer; what was written before stays written.
pub fn export<I, E, W>(
    format: Format,
    events: I,
    out: W,
    options: &ExportOptions,
) -> Result<ExportSummary, Error>
where
    I: IntoIterator<Item = Result<Event, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    W: std::io::Write + Send,
{
    match format {
        Format::Csv => write_csv(events, out, &options.csv),
        Format::GeoJson => write_geojson(events, out),
        Format::Jsonl => write_jsonl(events, out),
        #[cfg(feature = "parquet")]
        Format::Parquet => write_parquet(events, out, &options.parquet),
        #[cfg(not(feature = "parquet"))]
        Format::Parquet => Err(Error::NotBuilt {
            what: "Parquet export",
            feature: "parquet",
        }),
    }
}

/// Options of the Parquet export.
#[derive(Clone, Debug)]
pub struct ParquetOptions {
    /// Rows per row group (and per buffered batch); at least 1.
    pub row_group_size: usize,
    /// The conventions for the `fatalities_acled` column.
    pub conventions: AcledConventions,
}

impl Default for ParquetOptions {
    fn default() -> ParquetOptions {
        ParquetOptions {
            row_group_size: 16_384,
            conventions: AcledConventions::new(),
        }
    }
}

/// Wraps plain events as an infallible stream for the writers.
pub fn ok_events<I: IntoIterator<Item = Event>>(
    events: I,
) -> impl Iterator<Item = Result<Event, Infallible>> {
    events.into_iter().map(Ok)
}

/// Unwraps one item of an event stream into this crate's error.
pub(crate) fn next_event<E>(item: Result<Event, E>) -> Result<Event, Error>
where
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
{
    item.map_err(|e| Error::Source(e.into()))
}
