//! The ACLED-style CSV export.
//!
//! # Columns
//! First ACLED's 31 columns in ACLED's order ([`ACLED_COLUMNS`]), then rasd's own
//! ([`RASD_COLUMNS`]). UTF-8, comma-separated, one header line, fields quoted when needed.
//!
//! | ACLED column | value |
//! |---|---|
//! | `event_id_cnty` | `SYR` + a number derived from rasd's `event_id` (the first 48 bits of its SHA-256, in decimal): stable across runs |
//! | `event_date` | as ACLED writes it: `06 December 2024`; empty without a date |
//! | `year`, `time_precision` | from `date` and `date_precision` |
//! | `disorder_type`, `event_type`, `sub_event_type` | ACLED's names |
//! | `actor1`, `actor2`, `inter1`, `inter2`, `interaction` | canonical names and ACLED's integer codes |
//! | `assoc_actor_1`, `assoc_actor_2` | rasd's `assoc_actors` joined by `; ` in `assoc_actor_1` (rasd does not side them); `assoc_actor_2` is empty |
//! | `civilian_targeting` | `Civilian targeting` for violence against civilians aimed at civilians (an actor of type 7, or no second actor), and for explosions or mob violence where an actor is of type 7 |
//! | `iso`, `region`, `country` | the event's ISO 3166-1 numeric code and country (`760`, `Syria` for events without one); `Middle East` for Syria and its region, else empty |
//! | `admin1`..`admin3`, `location` | English names |
//! | `latitude`, `longitude` | WGS84, 4 decimals |
//! | `geo_precision` | 1, 2, 3 |
//! | `source` | names of the outlets, agencies, organisations and officials, joined by `; ` (attributions to local sources or witnesses are listed only when nothing else is) |
//! | `source_scale` | from the sources' kinds ([`AcledConventions::source_scale`]) |
//! | `notes` | rasd's one-line summary |
//! | `fatalities` | ACLED's conservative figure ([`AcledConventions::fatalities`]) |
//! | `tags` | protests and riots: `crowd size=no report`, `crowd size=N` or `crowd size=around N` from `count` |
//! | `timestamp` | the event date at 00:00 UTC as a Unix time (ACLED's is its upload time; rasd's is deterministic so the same dataset gives the same file); empty without a date |
//!
//! rasd's columns: `event_id`, `modality`, `background`, `confidence`, `fatalities_best`,
//! `fatalities_low`, `fatalities_high`, `injured_best`, `injured_low`, `injured_high`,
//! `count_best`, `count_low`, `count_high`, `count_what`, `admin1_pcode`, `location_pcode`,
//! `location_ar`, `actor1_ar`, `actor2_ar`, `report_ids` (`; `-joined), `corroboration` (the
//! reports that tell the event), `sources_json` and `evidence_json` (the contract's `sources`
//! and `evidence` as JSON arrays), `review_status` (a reviewer's verdict: `confirmed`,
//! `corrected`, `rejected`, `merged`; empty when unreviewed; the row carries corrected values).
//!
//! Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return: a place, actor, source or report id as a hostile report wrote
//! it) get a leading `'`, as OWASP advises against CSV injection ([`defuse_formula`]); numeric
//! columns, such as a negative longitude, are left as they are.
//!
//! A row (header and rasd's columns shortened):
//!
//! ```text
//! event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,…
//! SYR253175478923645,06 December 2024,2024,1,Political violence,Battles,Armed clash,Military Forces of Syria (2000-2024),…
//! ```

use std::io::Write;

use chrono::{Datelike, NaiveTime};
use rasd_core::{ActorType, CountWhat, Event, EventType, SubEventType};
use serde::Serialize;

use crate::{next_event, AcledConventions, Error, ExportSummary};

/// ACLED's columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// rasd's own columns, written after ACLED's.
pub const RASD_COLUMNS: [&str; 24] = [
    "event_id",
    "modality",
    "background",
    "confidence",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "injured_best",
    "injured_low",
    "injured_high",
    "count_best",
    "count_low",
    "count_high",
    "count_what",
    "admin1_pcode",
    "location_pcode",
    "location_ar",
    "actor1_ar",
    "actor2_ar",
    "report_ids",
    "corroboration",
    "sources_json",
    "evidence_json",
    "review_status",
];

/// ISO 3166 numeric code of Syria.
const ISO_SYRIA: u16 = 760;

/// ISO 3166-1 numeric codes of the countries ACLED puts in its `Middle East` region: Syria,
/// Bahrain, Iran, Iraq, Israel, Jordan, Kuwait, Lebanon, Oman, Palestine, Qatar, Saudi Arabia,
/// Turkey, the United Arab Emirates and Yemen.
const MIDDLE_EAST: &[u16] = &[
    48, 275, 364, 368, 376, 400, 414, 422, 512, 634, 682, 760, 784, 792, 887,
];

/// ACLED's region of a country, where rasd knows it.
fn region(iso: u16) -> &'static str {
    if MIDDLE_EAST.contains(&iso) {
        "Middle East"
    } else {
        ""
    }
}

/// Options of the CSV export.
#[derive(Clone, Debug, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark and end lines with CRLF, so that spreadsheet
    /// programs detect UTF-8 (and show Arabic) when the file is opened directly.
    pub excel: bool,
    /// The ACLED conventions to apply.
    pub conventions: AcledConventions,
}

/// One row of the ACLED-style CSV: ACLED's columns, then rasd's (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct AcledRow {
    pub event_id_cnty: String,
    pub event_date: String,
    pub year: Option<i32>,
    pub time_precision: Option<u8>,
    pub disorder_type: &'static str,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub actor1: Option<String>,
    pub assoc_actor_1: String,
    pub inter1: Option<u8>,
    pub actor2: Option<String>,
    pub assoc_actor_2: String,
    pub inter2: Option<u8>,
    pub interaction: Option<u8>,
    pub civilian_targeting: &'static str,
    pub iso: u16,
    pub region: &'static str,
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub admin3: Option<String>,
    pub location: Option<String>,
    pub latitude: String,
    pub longitude: String,
    pub geo_precision: Option<u8>,
    pub source: String,
    pub source_scale: String,
    pub notes: String,
    pub fatalities: u64,
    pub tags: String,
    pub timestamp: Option<i64>,
    pub event_id: String,
    pub modality: &'static str,
    pub background: bool,
    pub confidence: f64,
    pub fatalities_best: Option<u64>,
    pub fatalities_low: Option<u64>,
    pub fatalities_high: Option<u64>,
    pub injured_best: Option<u64>,
    pub injured_low: Option<u64>,
    pub injured_high: Option<u64>,
    pub count_best: Option<u64>,
    pub count_low: Option<u64>,
    pub count_high: Option<u64>,
    pub count_what: Option<String>,
    pub admin1_pcode: Option<String>,
    pub location_pcode: Option<String>,
    pub location_ar: Option<String>,
    pub actor1_ar: Option<String>,
    pub actor2_ar: Option<String>,
    pub report_ids: String,
    pub corroboration: u32,
    pub sources_json: String,
    pub evidence_json: String,
    pub review_status: &'static str,
}

/// ACLED's `event_id_cnty` for a rasd event id: `SYR` and a stable number.
pub(crate) fn event_id_cnty(event_id: &str) -> String {
    let hash = rasd_core::content_hash(event_id);
    let n = hash
        .get(..12)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0);
    format!("SYR{n}")
}

/// The distinct report ids of an event: its own, then those of its sources and evidence.
pub(crate) fn report_ids(event: &Event) -> Vec<&str> {
    let mut ids: Vec<&str> = vec![event.doc_id.as_str()];
    let more = event
        .sources
        .iter()
        .map(|s| s.doc_id.as_str())
        .chain(event.evidence.iter().map(|e| e.doc_id.as_str()));
    for id in more {
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The distinct source names ACLED's `source` column lists (see the module docs).
pub(crate) fn source_names(event: &Event) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let publishers = event
        .sources
        .iter()
        .filter(|s| !matches!(s.kind.as_str(), "local" | "witness"));
    for s in publishers {
        if !names.contains(&s.name.as_str()) {
            names.push(&s.name);
        }
    }
    if names.is_empty() {
        for s in &event.sources {
            if !names.contains(&s.name.as_str()) {
                names.push(&s.name);
            }
        }
    }
    names
}

fn civilian_targeting(event: &Event) -> bool {
    let civilians = |a: Option<ActorType>| a == Some(ActorType::Civilians);
    let aimed_at_civilians = civilians(event.inter1) || civilians(event.inter2);
    match event.sub_event_type.event_type() {
        EventType::ViolenceAgainstCivilians => aimed_at_civilians || event.inter2.is_none(),
        EventType::ExplosionsRemoteViolence => aimed_at_civilians,
        EventType::Riots => event.sub_event_type == SubEventType::MobViolence && aimed_at_civilians,
        _ => false,
    }
}

fn tags(event: &Event) -> String {
    if !matches!(event.event_type, EventType::Protests | EventType::Riots) {
        return String::new();
    }
    match event.count {
        Some(c)
            if !matches!(
                c.what,
                CountWhat::Killed
                    | CountWhat::Injured
                    | CountWhat::Detainees
                    | CountWhat::Released
                    | CountWhat::Abducted
                    | CountWhat::Defectors
            ) =>
        {
            if c.low < c.high {
                format!("crowd size=around {}", c.best)
            } else {
                format!("crowd size={}", c.best)
            }
        }
        _ => "crowd size=no report".to_string(),
    }
}

fn coordinate(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.4}"),
        _ => String::new(),
    }
}

/// The CSV row of one event.
///
/// # Errors
/// [`Error::Json`] if the sources or evidence cannot be serialized.
pub fn acled_row(event: &Event, conventions: &AcledConventions) -> Result<AcledRow, Error> {
    let json = |source| Error::Json {
        event_id: event.event_id.clone(),
        source,
    };
    let count_what = match event.count {
        Some(c) => match serde_json::to_value(c.what).map_err(json)? {
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        },
        None => None,
    };
    let timestamp = event
        .date
        .map(|d| d.and_time(NaiveTime::MIN).and_utc().timestamp());
    Ok(AcledRow {
        event_id_cnty: event_id_cnty(&event.event_id),
        event_date: event
            .date
            .map(|d| d.format("%d %B %Y").to_string())
            .unwrap_or_default(),
        year: event.date.map(|d| d.year()),
        time_precision: event.date_precision.map(|p| p.code()),
        disorder_type: event.disorder_type.as_str(),
        event_type: event.event_type.as_str(),
        sub_event_type: event.sub_event_type.as_str(),
        actor1: event.actor1.clone(),
        assoc_actor_1: event.assoc_actors.join("; "),
        inter1: event.inter1.map(|a| a.code()),
        actor2: event.actor2.clone(),
        assoc_actor_2: String::new(),
        inter2: event.inter2.map(|a| a.code()),
        interaction: event.interaction,
        civilian_targeting: if civilian_targeting(event) {
            "Civilian targeting"
        } else {
            ""
        },
        iso: event.iso.unwrap_or(ISO_SYRIA),
        region: region(event.iso.unwrap_or(ISO_SYRIA)),
        country: event.country.clone().unwrap_or_else(|| "Syria".to_string()),
        admin1: event.admin1.clone(),
        admin2: event.admin2.clone(),
        admin3: event.admin3.clone(),
        location: event.location.clone(),
        latitude: coordinate(event.latitude),
        longitude: coordinate(event.longitude),
        geo_precision: event.geo_precision.map(|p| p.code()),
        source: source_names(event).join("; "),
        source_scale: conventions.source_scale(&event.sources),
        notes: event.notes.clone(),
        fatalities: conventions.fatalities(event),
        tags: tags(event),
        timestamp,
        event_id: event.event_id.clone(),
        modality: event.modality.as_str(),
        background: event.background,
        confidence: event.confidence,
        fatalities_best: event.fatalities.map(|e| e.best),
        fatalities_low: event.fatalities.map(|e| e.low),
        fatalities_high: event.fatalities.map(|e| e.high),
        injured_best: event.injured.map(|e| e.best),
        injured_low: event.injured.map(|e| e.low),
        injured_high: event.injured.map(|e| e.high),
        count_best: event.count.map(|c| c.best),
        count_low: event.count.map(|c| c.low),
        count_high: event.count.map(|c| c.high),
        count_what,
        admin1_pcode: event.admin1_pcode.clone(),
        location_pcode: event.location_pcode.clone(),
        location_ar: event.location_ar.clone(),
        actor1_ar: event.actor1_ar.clone(),
        actor2_ar: event.actor2_ar.clone(),
        report_ids: report_ids(event).join("; "),
        corroboration: event.corroboration,
        sources_json: serde_json::to_string(&event.sources).map_err(json)?,
        evidence_json: serde_json::to_string(&event.evidence).map_err(json)?,
        review_status: event.review.map_or("", |r| r.as_str()),
    })
}

/// A text cell made safe for spreadsheets: one that starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (which Excel, LibreOffice and Google Sheets may run as a formula) gets a
/// leading `'`, following OWASP's advice on CSV injection. Apply it to text cells only: a
/// negative number in a numeric column is not a formula.
///
/// # Examples
/// ```
/// use rasd_export::defuse_formula;
/// assert_eq!(defuse_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(defuse_formula("قوات النظام"), "قوات النظام");
/// ```
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn defuse_in_place(cell: &mut String) {
    if let std::borrow::Cow::Owned(safe) = defuse_formula(cell) {
        *cell = safe;
    }
}

impl AcledRow {
    /// Applies [`defuse_formula`] to every text cell (not to the numeric ones: `latitude` and
    /// `longitude` may be negative).
    pub fn defuse_formulas(&mut self) {
        for cell in [
            &mut self.event_id_cnty,
            &mut self.event_date,
            &mut self.assoc_actor_1,
            &mut self.assoc_actor_2,
            &mut self.source,
            &mut self.source_scale,
            &mut self.notes,
            &mut self.tags,
            &mut self.event_id,
            &mut self.report_ids,
            &mut self.sources_json,
            &mut self.evidence_json,
        ] {
            defuse_in_place(cell);
        }
        for cell in [
            &mut self.actor1,
            &mut self.actor2,
            &mut self.admin1,
            &mut self.admin2,
            &mut self.admin3,
            &mut self.location,
            &mut self.count_what,
            &mut self.admin1_pcode,
            &mut self.location_pcode,
            &mut self.location_ar,
            &mut self.actor1_ar,
            &mut self.actor2_ar,
        ]
        .into_iter()
        .flatten()
        {
            defuse_in_place(cell);
        }
    }
}

/// Writes the ACLED-style CSV (see the module docs for the columns), one row per event.
///
/// # Errors
/// The first error of the event stream or of the writer.
pub fn write_csv<I, E, W>(
    events: I,
    mut out: W,
    options: &CsvOptions,
) -> Result<ExportSummary, Error>
where
    I: IntoIterator<Item = Result<Event, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    W: Write,
{
    if options.excel {
        out.write_all("\u{FEFF}".as_bytes())
            .map_err(Error::io("csv"))?;
    }
    let mut builder = csv::WriterBuilder::new();
    builder.has_headers(false);
    if options.excel {
        builder.terminator(csv::Terminator::CRLF);
    }
    let mut writer = builder.from_writer(out);
    let header = ACLED_COLUMNS.iter().chain(RASD_COLUMNS.iter());
    writer.write_record(header).map_err(|source| Error::Csv {
        event_id: String::new(),
        source,
    })?;
    let mut summary = ExportSummary::default();
    for item in events {
        let event = next_event(item)?;
        let mut row = acled_row(&event, &options.conventions)?;
        row.defuse_formulas();
        writer.serialize(&row).map_err(|source| Error::Csv {
            event_id: event.event_id.clone(),
            source,
        })?;
        summary.written += 1;
    }
    writer.flush().map_err(Error::io("csv"))?;
    Ok(summary)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;
    use rasd_core::{Modality, SubEventType};

    #[test]
    fn row_fields_are_in_column_order() {
        let sub = SubEventType::Agreement;
        let event = Event {
            event_id: "ev-1".into(),
            doc_id: "d".into(),
            event_type: sub.event_type(),
            sub_event_type: sub,
            disorder_type: sub.disorder_type(),
            date: None,
            date_precision: None,
            actor1: None,
            actor1_ar: None,
            inter1: None,
            actor2: None,
            actor2_ar: None,
            inter2: None,
            interaction: None,
            assoc_actors: vec![],
            location: None,
            location_ar: None,
            location_pcode: None,
            admin1: None,
            admin2: None,
            admin3: None,
            admin1_pcode: None,
            country: None,
            iso: None,
            latitude: None,
            longitude: None,
            geo_precision: None,
            fatalities: None,
            injured: None,
            count: None,
            modality: Modality::Asserted,
            background: false,
            sources: vec![],
            corroboration: 1,
            evidence: vec![],
            notes: String::new(),
            confidence: 0.5,
            review: None,
        };
        let row = acled_row(&event, &AcledConventions::new()).unwrap();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(&row).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let expected: Vec<&str> = ACLED_COLUMNS
            .iter()
            .chain(RASD_COLUMNS.iter())
            .copied()
            .collect();
        assert_eq!(header, expected);
    }

    #[test]
    fn event_id_cnty_has_at_most_15_digits() {
        for id in ["ev-1", "ev-ffffffffffffffff", ""] {
            let cnty = event_id_cnty(id);
            assert!(cnty.starts_with("SYR") && cnty.len() <= 18, "{cnty}");
        }
        assert_eq!(event_id_cnty("ev-1"), event_id_cnty("ev-1"));
    }
}
