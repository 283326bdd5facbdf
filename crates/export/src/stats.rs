//! Statistics over a stream of events: counts per month × governorate × event type and
//! sub-event type, fatalities per month, and the most active actors.
//!
//! Only the aggregates are kept (one entry per distinct key), never the events, so a stream
//! of any length is summarised in flat memory. Fatalities are ACLED's conservative figures
//! ([`crate::AcledConventions::fatalities`]), the same as the CSV's `fatalities` column.
//!
//! By default only events that happened are counted: `asserted` or `reported`, and not
//! recalled as background ([`StatsOptions`]); the others are counted in [`Stats::skipped`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;

use chrono::Datelike;
use rasd_core::{Event, EventType, SubEventType};
use serde::Serialize;

use crate::{next_event, AcledConventions, Error};

/// Which events the statistics count.
#[derive(Clone, Debug)]
pub struct StatsOptions {
    /// Count only `asserted` and `reported` events (default true).
    pub factual_only: bool,
    /// Count events the report recalls as background (default false).
    pub include_background: bool,
    /// How many actors the top-actors list keeps (default 10).
    pub top_actors: usize,
    /// The conventions (fatalities rule, governorate names).
    pub conventions: AcledConventions,
}

impl Default for StatsOptions {
    fn default() -> StatsOptions {
        StatsOptions {
            factual_only: true,
            include_background: false,
            top_actors: 10,
            conventions: AcledConventions::new(),
        }
    }
}

/// The key of one cell of the month × governorate × type cube.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CubeKey {
    /// `YYYY-MM`, or `None` for events without a date.
    pub month: Option<String>,
    /// The governorate's P-code, when known.
    pub admin1_pcode: Option<String>,
    /// The governorate's English name, when known.
    pub admin1: Option<String>,
    /// The event type.
    pub event_type: EventType,
    /// The sub-event type.
    pub sub_event_type: SubEventType,
}

/// One cell of the cube.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CubeStat {
    /// Events.
    pub events: u64,
    /// ACLED-rule fatalities.
    pub fatalities: u64,
}

/// One month's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthStat {
    /// `YYYY-MM`, or `None` for events without a date.
    pub month: Option<String>,
    /// Events.
    pub events: u64,
    /// ACLED-rule fatalities.
    pub fatalities: u64,
}

/// One actor's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorStat {
    /// Canonical actor name.
    pub actor: String,
    /// Events the actor takes part in (as actor1, actor2 or associated).
    pub events: u64,
    /// ACLED-rule fatalities of those events.
    pub fatalities: u64,
}

/// One governorate's totals, with its names for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GovernorateStat {
    /// P-code, when known.
    pub admin1_pcode: Option<String>,
    /// English name (`unknown` when the events name none).
    pub admin1: String,
    /// Arabic name, when the P-code is known.
    pub admin1_ar: Option<String>,
    /// Events.
    pub events: u64,
    /// ACLED-rule fatalities.
    pub fatalities: u64,
}

/// Aggregates of an event stream (see the module docs).
#[derive(Clone, Debug)]
pub struct Stats {
    options: StatsOptions,
    cube: BTreeMap<CubeKey, CubeStat>,
    actors: HashMap<String, CubeStat>,
    /// Events counted.
    pub events: u64,
    /// Events left out by the options (not factual, or background).
    pub skipped: u64,
}

#[derive(Serialize)]
struct CubeRow<'a> {
    #[serde(flatten)]
    key: &'a CubeKey,
    #[serde(flatten)]
    stat: CubeStat,
}

#[derive(Serialize)]
struct StatsJson<'a> {
    events: u64,
    skipped: u64,
    cube: Vec<CubeRow<'a>>,
    months: Vec<MonthStat>,
    governorates: Vec<GovernorateStat>,
    top_actors: Vec<ActorStat>,
}

#[derive(Serialize)]
struct CsvRow<'a> {
    section: &'static str,
    month: Option<&'a str>,
    admin1_pcode: Option<&'a str>,
    admin1: Option<&'a str>,
    event_type: Option<&'static str>,
    sub_event_type: Option<&'static str>,
    actor: Option<&'a str>,
    events: u64,
    fatalities: u64,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats::new(StatsOptions::default())
    }
}

impl Stats {
    /// Empty statistics with these options.
    pub fn new(options: StatsOptions) -> Stats {
        Stats {
            options,
            cube: BTreeMap::new(),
            actors: HashMap::new(),
            events: 0,
            skipped: 0,
        }
    }

    /// The statistics of a whole stream.
    ///
    /// # Errors
    /// The first error of the stream.
    pub fn from_events<I, E>(events: I, options: StatsOptions) -> Result<Stats, Error>
    where
        I: IntoIterator<Item = Result<Event, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    {
        let mut stats = Stats::new(options);
        for item in events {
            stats.add(&next_event(item)?);
        }
        Ok(stats)
    }

    /// Adds one event (or counts it as skipped).
    pub fn add(&mut self, event: &Event) {
        if (self.options.factual_only && !event.modality.is_factual())
            || (!self.options.include_background && event.background)
        {
            self.skipped += 1;
            return;
        }
        self.events += 1;
        let fatalities = self.options.conventions.fatalities(event);
        let admin1 = event.admin1.clone().or_else(|| {
            let pcode = event.admin1_pcode.as_deref()?;
            Some(self.options.conventions.governorate(pcode)?.name.clone())
        });
        let key = CubeKey {
            month: event
                .date
                .map(|d| format!("{:04}-{:02}", d.year(), d.month())),
            admin1_pcode: event.admin1_pcode.clone(),
            admin1,
            event_type: event.sub_event_type.event_type(),
            sub_event_type: event.sub_event_type,
        };
        let cell = self.cube.entry(key).or_default();
        cell.events += 1;
        cell.fatalities += fatalities;
        let mut seen: Vec<&str> = Vec::new();
        let names = event
            .actor1
            .iter()
            .chain(event.actor2.iter())
            .chain(event.assoc_actors.iter());
        for name in names {
            let name = name.trim();
            if name.is_empty() || seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let actor = self.actors.entry(name.to_string()).or_default();
            actor.events += 1;
            actor.fatalities += fatalities;
        }
    }

    /// The cube cells, by month, governorate, type and sub-type.
    pub fn cube(&self) -> impl Iterator<Item = (&CubeKey, CubeStat)> {
        self.cube.iter().map(|(k, v)| (k, *v))
    }

    /// Totals per month, in order (events without a date first, as `None`).
    pub fn months(&self) -> Vec<MonthStat> {
        let mut months: BTreeMap<Option<&str>, CubeStat> = BTreeMap::new();
        for (key, stat) in &self.cube {
            let m = months.entry(key.month.as_deref()).or_default();
            m.events += stat.events;
            m.fatalities += stat.fatalities;
        }
        months
            .into_iter()
            .map(|(month, s)| MonthStat {
                month: month.map(str::to_string),
                events: s.events,
                fatalities: s.fatalities,
            })
            .collect()
    }

    /// Events per month and event type, for dated events.
    pub fn month_by_type(&self) -> BTreeMap<String, BTreeMap<EventType, u64>> {
        let mut out: BTreeMap<String, BTreeMap<EventType, u64>> = BTreeMap::new();
        for (key, stat) in &self.cube {
            if let Some(month) = &key.month {
                *out.entry(month.clone())
                    .or_default()
                    .entry(key.event_type)
                    .or_default() += stat.events;
            }
        }
        out
    }

    /// Totals per governorate, most events first (then by name).
    pub fn governorates(&self) -> Vec<GovernorateStat> {
        let mut by: BTreeMap<(Option<&str>, Option<&str>), CubeStat> = BTreeMap::new();
        for (key, stat) in &self.cube {
            let g = by
                .entry((key.admin1_pcode.as_deref(), key.admin1.as_deref()))
                .or_default();
            g.events += stat.events;
            g.fatalities += stat.fatalities;
        }
        let mut out: Vec<GovernorateStat> = by
            .into_iter()
            .map(|((pcode, name), s)| {
                let known = pcode.and_then(|p| self.options.conventions.governorate(p));
                GovernorateStat {
                    admin1_pcode: pcode.map(str::to_string),
                    admin1: name
                        .map(str::to_string)
                        .or_else(|| known.map(|g| g.name.clone()))
                        .unwrap_or_else(|| "unknown".to_string()),
                    admin1_ar: known.map(|g| g.name_ar.clone()),
                    events: s.events,
                    fatalities: s.fatalities,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.events
                .cmp(&a.events)
                .then_with(|| a.admin1.cmp(&b.admin1))
        });
        out
    }

    /// The most active actors (most events first, then most fatalities, then by name).
    pub fn top_actors(&self) -> Vec<ActorStat> {
        let mut out: Vec<ActorStat> = self
            .actors
            .iter()
            .map(|(actor, s)| ActorStat {
                actor: actor.clone(),
                events: s.events,
                fatalities: s.fatalities,
            })
            .collect();
        out.sort_by(|a, b| {
            b.events
                .cmp(&a.events)
                .then_with(|| b.fatalities.cmp(&a.fatalities))
                .then_with(|| a.actor.cmp(&b.actor))
        });
        out.truncate(self.options.top_actors);
        out
    }

    /// All the statistics as one JSON object: `events`, `skipped`, `cube` (rows of month,
    /// admin1_pcode, admin1, event_type, sub_event_type, events, fatalities), `months`,
    /// `governorates` and `top_actors`.
    pub fn to_json(&self) -> serde_json::Value {
        let value = StatsJson {
            events: self.events,
            skipped: self.skipped,
            cube: self
                .cube
                .iter()
                .map(|(key, stat)| CubeRow { key, stat: *stat })
                .collect(),
            months: self.months(),
            governorates: self.governorates(),
            top_actors: self.top_actors(),
        };
        serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
    }

    /// Writes the statistics as one long CSV table with a `section` column:
    /// `cube` rows (month × governorate × type × sub-type), `month` rows and `actor` rows, under
    /// the header `section,month,admin1_pcode,admin1,event_type,sub_event_type,actor,events,fatalities`.
    /// Empty cells are not applicable; a `cube` or `month` row with an empty month counts the
    /// events without a date. Names that a spreadsheet would run as a formula get a leading `'`
    /// ([`crate::defuse_formula`]).
    ///
    /// # Errors
    /// A write error.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<(), Error> {
        let mut w = csv::Writer::from_writer(out);
        let err = |source| Error::Csv {
            event_id: String::new(),
            source,
        };
        let blank = CsvRow {
            section: "",
            month: None,
            admin1_pcode: None,
            admin1: None,
            event_type: None,
            sub_event_type: None,
            actor: None,
            events: 0,
            fatalities: 0,
        };
        for (key, stat) in &self.cube {
            let admin1_pcode = key.admin1_pcode.as_deref().map(crate::defuse_formula);
            let admin1 = key.admin1.as_deref().map(crate::defuse_formula);
            w.serialize(CsvRow {
                section: "cube",
                month: key.month.as_deref(),
                admin1_pcode: admin1_pcode.as_deref(),
                admin1: admin1.as_deref(),
                event_type: Some(key.event_type.as_str()),
                sub_event_type: Some(key.sub_event_type.as_str()),
                events: stat.events,
                fatalities: stat.fatalities,
                ..blank
            })
            .map_err(err)?;
        }
        for m in self.months() {
            w.serialize(CsvRow {
                section: "month",
                month: m.month.as_deref(),
                events: m.events,
                fatalities: m.fatalities,
                ..blank
            })
            .map_err(err)?;
        }
        for a in self.top_actors() {
            let actor = crate::defuse_formula(&a.actor);
            w.serialize(CsvRow {
                section: "actor",
                actor: Some(&actor),
                events: a.events,
                fatalities: a.fatalities,
                ..blank
            })
            .map_err(err)?;
        }
        if self.cube.is_empty() && self.actors.is_empty() {
            w.write_record([
                "section",
                "month",
                "admin1_pcode",
                "admin1",
                "event_type",
                "sub_event_type",
                "actor",
                "events",
                "fatalities",
            ])
            .map_err(err)?;
        }
        w.flush().map_err(Error::io("stats csv"))
    }

    /// The statistics as plain-text tables for a terminal.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} events counted, {} left out (not factual or background)\n",
            self.events, self.skipped
        );
        let month = |m: &Option<String>| m.clone().unwrap_or_else(|| "no date".to_string());
        let cube: Vec<Vec<String>> = self
            .cube
            .iter()
            .map(|(k, s)| {
                vec![
                    month(&k.month),
                    k.admin1_pcode.clone().unwrap_or_default(),
                    k.admin1.clone().unwrap_or_else(|| "unknown".into()),
                    k.event_type.as_str().into(),
                    k.sub_event_type.as_str().into(),
                    s.events.to_string(),
                    s.fatalities.to_string(),
                ]
            })
            .collect();
        out.push_str("Events per month, governorate and type\n");
        table(
            &mut out,
            &[
                "month",
                "pcode",
                "governorate",
                "event type",
                "sub-event type",
                "events",
                "fatalities",
            ],
            &cube,
        );
        let months: Vec<Vec<String>> = self
            .months()
            .iter()
            .map(|m| {
                vec![
                    month(&m.month),
                    m.events.to_string(),
                    m.fatalities.to_string(),
                ]
            })
            .collect();
        out.push_str("\nFatalities per month\n");
        table(&mut out, &["month", "events", "fatalities"], &months);
        let actors: Vec<Vec<String>> = self
            .top_actors()
            .iter()
            .map(|a| {
                vec![
                    a.actor.clone(),
                    a.events.to_string(),
                    a.fatalities.to_string(),
                ]
            })
            .collect();
        out.push_str("\nTop actors\n");
        table(&mut out, &["actor", "events", "fatalities"], &actors);
        out
    }

    /// The conventions these statistics use.
    pub fn conventions(&self) -> &AcledConventions {
        &self.options.conventions
    }
}

/// Appends an aligned table ([`crate::text_table`]).
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str(&crate::text_table(header, rows, None));
}
