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
use rasd_store::{EventFilter, Store};

use crate::{Context, Outcome};

/// Which events to take from the store (shared by `export` and `stats`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// The database: a SQLite file, or a PostgreSQL URL (`postgres://user:password@host/db`).
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
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
    /// Only events on or after this day: YYYY-MM-DD, or YYYY-MM / YYYY for the first day of
    /// that month or year.
    #[arg(long, value_name = "DATE", value_parser = parse_from)]
    pub from: Option<NaiveDate>,
    /// Only events on or before this day: YYYY-MM-DD, or YYYY-MM / YYYY for the last day of
    /// that month or year.
    #[arg(long, value_name = "DATE", value_parser = parse_to)]
    pub to: Option<NaiveDate>,
    /// Only this governorate: its P-code (SY12), English name in a common spelling (Dar'a,
    /// Daraa, Deraa) or Arabic name (درعا).
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
    /// Only events at least this confident: `confidence` is the chance, in 0..1, that an event
    /// is right (raise it for precision, lower it for recall).
    #[arg(long, value_name = "P", value_parser = parse_confidence)]
    pub min_confidence: Option<f64>,
    /// Only events in this country: its English name, ISO 3166-1 code (alpha-2, alpha-3 or
    /// numeric), or `all`. Events abroad (in Lebanon's Arsal, in Iraq) are kept with their
    /// country; the Syria dataset is the default.
    #[arg(long, value_name = "COUNTRY|all", default_value = "Syria")]
    pub country: String,
    /// Only events with this review: unreviewed, confirmed, corrected, rejected, merged, or
    /// any. By default every event but those reviewers rejected or merged into another.
    #[arg(long, value_name = "STATUS")]
    pub review: Option<String>,
}

/// A confidence threshold in 0..1.
pub(crate) fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("«{s}» is not a chance between 0 and 1 (e.g. 0.6)")),
    }
}

/// The first and last day of a date written as YYYY-MM-DD, YYYY-MM or YYYY.
fn day_range(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    rasd_store::day_range(s).ok_or_else(|| {
        format!("«{s}» is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-03-15, 2024-03, 2024)")
    })
}

pub(crate) fn parse_from(s: &str) -> Result<NaiveDate, String> {
    day_range(s).map(|(first, _)| first)
}

pub(crate) fn parse_to(s: &str) -> Result<NaiveDate, String> {
    day_range(s).map(|(_, last)| last)
}

/// Letters of an English place name without articles, vowels, doubled letters or a final
/// `h`: «Dar'a», «Daraa» and «Deraa» all give `dr`, «Deir-ez-Zor» and «Deir al-Zour» `drzr`.
fn spelling_skeleton(name: &str) -> String {
    let mut letters = String::new();
    for word in name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        if !matches!(
            word,
            "al" | "el" | "ar" | "as" | "ad" | "ash" | "az" | "ez" | "es"
        ) {
            letters.push_str(word);
        }
    }
    let mut out = String::new();
    for c in letters.chars().filter(|c| !"aeiouy".contains(*c)) {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    if out.len() > 2 && out.ends_with('h') {
        out.pop();
    }
    out
}

/// The P-code of the governorate a user names: a P-code, an English name in a common
/// spelling, or an Arabic name the gazetteer knows.
///
/// # Errors
/// When no governorate goes by that name; the message lists them.
pub fn governorate_pcode(name: &str) -> anyhow::Result<String> {
    let gazetteer = rasd_gazetteer::Gazetteer::builtin()?;
    let governorates: Vec<&rasd_gazetteer::Place> = (1..=14)
        .filter_map(|n| gazetteer.governorate(&format!("SY{n:02}")))
        .collect();
    let wanted = name.trim();
    let pcode_of = |p: &rasd_gazetteer::Place| p.pcode.clone().unwrap_or_default();
    if let Some(p) = governorates.iter().find(|p| {
        p.pcode
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(wanted))
            || p.name_en.eq_ignore_ascii_case(wanted)
    }) {
        return Ok(pcode_of(p));
    }
    let skeleton = spelling_skeleton(wanted);
    if !skeleton.is_empty() {
        if let Some(p) = governorates
            .iter()
            .find(|p| spelling_skeleton(&p.name_en) == skeleton)
        {
            return Ok(pcode_of(p));
        }
    }
    if let Some(p) = gazetteer
        .lookup(wanted)
        .into_iter()
        .find(|p| governorates.iter().any(|g| g.id == p.id))
    {
        return Ok(pcode_of(p));
    }
    let known = governorates
        .iter()
        .map(|p| format!("{} ({})", p.name_en, pcode_of(p)))
        .collect::<Vec<_>>()
        .join(", ");
    bail!("--admin1: «{wanted}» is not a governorate rasd knows; use a P-code or one of: {known}")
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
            admin1: self.admin1.as_deref().map(governorate_pcode).transpose()?,
            actor: self.actor.clone(),
            near: self.near,
            text: self.text.clone(),
            include_non_factual: self.include_non_factual,
            min_confidence: self.min_confidence,
            bbox: None,
            // The CLI keeps every country and what reports recall, as it always has.
            country: None,
            exclude_background: false,
            review: self
                .review
                .as_deref()
                .map(|r| {
                    rasd_store::ReviewChoice::parse(r).ok_or_else(|| {
                        anyhow::anyhow!(
                            "--review: «{r}» is not one of unreviewed, confirmed, corrected, \
                             rejected, merged, any"
                        )
                    })
                })
                .transpose()?,
            after: None,
        })
    }

    /// Opens the store read from.
    ///
    /// # Errors
    /// When the database file does not exist or cannot be opened, or the server cannot be
    /// reached.
    pub fn open(&self) -> anyhow::Result<Box<dyn Store + Send>> {
        crate::context::open_existing_store(
            &self.db,
            "run `rasd ingest` first, pass --db PATH or --db postgres://…, or read events with \
             --events FILE",
        )
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
                let country = parse_country(&self.country)?;
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
                let country = parse_country(&self.country)?;
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
    /// Write to this file instead of standard output (`-` is standard output).
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
        Some("xlsx" | "xls" | "ods") => bail!(
            "rasd does not write spreadsheet files; write CSV for spreadsheets instead: \
             -o events.csv --excel (Excel, LibreOffice and Google Sheets open it with its Arabic)"
        ),
        Some("json") => bail!(
            "say which JSON: -o events.geojson (a GeoJSON FeatureCollection) or -o events.jsonl \
             (one event a line), or --format geojson|jsonl"
        ),
        Some(other) => bail!(
            "«.{other}» is not a format rasd writes: use .csv, .geojson, .jsonl or .parquet, or \
             say --format csv|geojson|jsonl|parquet"
        ),
        None => bail!("say which format: --format csv|geojson|jsonl|parquet (or -o FILE.csv …)"),
    }
}

/// Runs `rasd export`.
///
/// # Errors
/// When the store cannot be read, a filter is invalid, or the output cannot be written.
pub fn run(context: &Context, mut args: Args) -> anyhow::Result<Outcome> {
    if args.output.as_deref() == Some(Path::new("-")) {
        args.output = None;
    }
    let format = format_of(&args)?;
    if format == Format::Parquet
        && args.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        bail!(
            "Parquet is binary and standard output is a terminal: give -o FILE.parquet, or \
             pipe the output (rasd export -f parquet > events.parquet)"
        );
    }
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

pub use rasd_gazetteer::CountryChoice;

/// Reads `--country`: `all`, an English country name (case-insensitive) or an ISO 3166-1
/// code of the gazetteer's countries.
///
/// # Errors
/// A name or code of no known country.
pub fn parse_country(text: &str) -> anyhow::Result<CountryChoice> {
    rasd_gazetteer::Gazetteer::builtin()?
        .country_choice(text)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--country: «{}» is no known country (or `all`)",
                text.trim()
            )
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Issue 15: `--from 2024-01` failed with chrono's "premature end of input".
    #[test]
    fn issue_15_months_and_years_are_dates_and_other_text_says_what_is_expected() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(parse_from("2024-01").unwrap(), day("2024-01-01"));
        assert_eq!(parse_to("2024-02").unwrap(), day("2024-02-29"));
        assert_eq!(parse_from("2024").unwrap(), day("2024-01-01"));
        assert_eq!(parse_to("2024").unwrap(), day("2024-12-31"));
        assert_eq!(parse_to("2024-12").unwrap(), day("2024-12-31"));
        assert_eq!(parse_from("2024-03-15").unwrap(), day("2024-03-15"));
        for bad in ["2024-1", "24", "2024-13", "March 2024", "2024-01-01-01", ""] {
            let err = parse_from(bad).unwrap_err();
            assert!(
                err.contains("expected YYYY-MM-DD, YYYY-MM or YYYY"),
                "{bad}: {err}"
            );
        }
    }

    /// Issue 15: `--admin1 Daraa` returned no events.
    #[test]
    fn issue_15_governorates_in_common_spellings_and_pcodes() {
        for (name, pcode) in [
            ("Daraa", "SY12"),
            ("Dar'a", "SY12"),
            ("deraa", "SY12"),
            ("sy12", "SY12"),
            ("درعا", "SY12"),
            ("Idlib", "SY07"),
            ("Deir ez-Zor", "SY09"),
            ("Deir al-Zour", "SY09"),
            ("Raqqa", "SY11"),
            ("Hasakah", "SY08"),
            ("Suwayda", "SY13"),
            ("Sweida", "SY13"),
            ("Latakia", "SY06"),
            ("Tartus", "SY10"),
            ("Rural Damascus", "SY03"),
            ("Damascus", "SY01"),
            ("Hama", "SY05"),
            ("Homs", "SY04"),
        ] {
            assert_eq!(governorate_pcode(name).unwrap(), pcode, "{name}");
        }
        let err = governorate_pcode("Atlantis").unwrap_err().to_string();
        assert!(
            err.contains("«Atlantis» is not a governorate") && err.contains("Dar'a (SY12)"),
            "{err}"
        );
        assert!(governorate_pcode("SY99").is_err());
    }
}
