//! The event record: rasd's contract with its users and their tools.
//!
//! One JSON object per event, one event per line (JSON Lines) in `rasd analyze` output and in
//! the `jsonl` export. Field names are exactly those of DESIGN.md. A record:
//!
//! ```json
//! {"event_id":"ev-3f2a…","doc_id":"report-1.txt","event_type":"Battles",
//!  "sub_event_type":"Armed clash","disorder_type":"Political violence",
//!  "date":"2024-12-06","date_precision":1,
//!  "actor1":"Military Forces of Syria (2000-2024)","actor1_ar":"قوات النظام","inter1":1,
//!  "actor2":null,"actor2_ar":null,"inter2":null,"interaction":10,"assoc_actors":[],
//!  "location":"Tafas","location_ar":"طفس","location_pcode":"C6166","admin1":"Dar'a",
//!  "admin2":"Dar'a","admin3":"Tafas","admin1_pcode":"SY12","country":"Syria","iso":760,
//!  "latitude":32.738,"longitude":36.067,
//!  "geo_precision":1,"fatalities":{"best":3,"low":3,"high":3},"injured":null,"count":null,
//!  "modality":"asserted","background":false,"sources":[],"evidence":[…],
//!  "notes":"Armed clash in Tafas (Dar'a) on 2024-12-06; 3 killed.","confidence":0.8}
//! ```

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::taxonomy::{DisorderType, EventType, SubEventType};

macro_rules! integer_code {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $code,)+
        }

        impl $name {
            /// The integer code as written in the contract.
            pub fn code(self) -> u8 {
                self as u8
            }

            /// The value for an integer code, if it is one.
            pub fn from_code(code: u8) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u8(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = u8::deserialize(d)?;
                $name::from_code(code).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{} {} is not a valid {}", stringify!($name), code, stringify!($name)
                    ))
                })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "integer",
                    "enum": [$($code,)+]
                })
            }
        }
    };
}

integer_code! {
    /// How exactly the date is known (ACLED's `time_precision`).
    DatePrecision {
        /// The actual day.
        Day = 1,
        /// Within a week (coded to the middle of it).
        Week = 2,
        /// Only the month or coarser (coded to the middle of the month).
        Month = 3,
    }
}

integer_code! {
    /// How exactly the place is known (ACLED's `geo_precision`).
    GeoPrecision {
        /// The town or village itself.
        Place = 1,
        /// Near a town, or a part of a district, coded to a nearby town.
        Near = 2,
        /// A governorate or larger region, coded to its centroid or capital.
        Region = 3,
    }
}

integer_code! {
    /// ACLED's actor type (`inter1`/`inter2`).
    ActorType {
        /// State forces.
        StateForces = 1,
        /// Rebel group.
        RebelGroup = 2,
        /// Political militia.
        PoliticalMilitia = 3,
        /// Identity (communal, ethnic, local) militia.
        IdentityMilitia = 4,
        /// Rioters.
        Rioters = 5,
        /// Protesters.
        Protesters = 6,
        /// Civilians.
        Civilians = 7,
        /// External or other forces.
        ExternalOrOther = 8,
    }
}

/// How sure the report is that the event happened. rasd's own field; the scorer and the
/// dataset count only `asserted` and `reported` events.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Stated as fact by the report itself.
    #[default]
    Asserted,
    /// Attributed to a source («أفادت مصادر»).
    Reported,
    /// Possible, rumoured or believed («ربما», «أنباء عن»).
    Hedged,
    /// Denied or said not to have happened («نفى», «لم»).
    Negated,
    /// Planned, threatened or called for («تعتزم», «دعوات إلى»).
    Planned,
}

impl Modality {
    /// True for the modalities that describe something that happened.
    pub fn is_factual(self) -> bool {
        matches!(self, Modality::Asserted | Modality::Reported)
    }

    /// The name as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Hedged => "hedged",
            Modality::Negated => "negated",
            Modality::Planned => "planned",
        }
    }
}

/// A reviewer's verdict on an event (`review` in the contract; absent when no reviewer has
/// looked at it, so the fields are the machine's coding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// A reviewer found the coding right.
    Confirmed,
    /// A reviewer corrected some fields; the record carries the corrected values.
    Corrected,
    /// A reviewer found it a false positive; it is left out of the dataset by default.
    Rejected,
    /// A reviewer found it the same incident as another event, which carries its evidence.
    Merged,
}

impl ReviewStatus {
    /// The name as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Confirmed => "confirmed",
            ReviewStatus::Corrected => "corrected",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::Merged => "merged",
        }
    }
}

/// A number as reports give it: a best estimate with the lowest and highest reliable values
/// (as UCDP codes `best`, `low`, `high`). «عشرات» is `{best: 20, low: 20, high: 99}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Estimate {
    /// The most likely value.
    pub best: u64,
    /// The lowest reliable value.
    pub low: u64,
    /// The highest reliable value.
    pub high: u64,
}

impl Estimate {
    /// An exact number.
    pub fn exact(n: u64) -> Estimate {
        Estimate {
            best: n,
            low: n,
            high: n,
        }
    }
}

/// What a counted number is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountWhat {
    /// People killed.
    Killed,
    /// People injured.
    Injured,
    /// Fighters or officials who defected.
    Defectors,
    /// People arrested or held.
    Detainees,
    /// People freed from detention.
    Released,
    /// Armed members, fighters.
    Fighters,
    /// Civilians (displaced, affected).
    Civilians,
    /// Abducted or missing people.
    Abducted,
    /// Anything else the report counts.
    Other,
}

/// The number an event is about, with what it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Count {
    /// The most likely value.
    pub best: u64,
    /// The lowest reliable value.
    pub low: u64,
    /// The highest reliable value.
    pub high: u64,
    /// What is counted.
    pub what: CountWhat,
}

impl Count {
    /// A count of `what` with the given estimate.
    pub fn new(estimate: Estimate, what: CountWhat) -> Count {
        Count {
            best: estimate.best,
            low: estimate.low,
            high: estimate.high,
            what,
        }
    }

    /// The estimate without what it counts.
    pub fn estimate(&self) -> Estimate {
        Estimate {
            best: self.best,
            low: self.low,
            high: self.high,
        }
    }
}

/// Who said so: an outlet, an agency, or an attribution in the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct SourceRef {
    /// Canonical name (English where the lexicon knows one, else as written).
    pub name: String,
    /// As written in the report, if the attribution is in the text.
    pub name_ar: Option<String>,
    /// `outlet` (the report's publisher), `agency`, `local` («مصادر محلية»), `official`,
    /// `witness`, `organisation` or `other`.
    pub kind: String,
    /// The report that carries the attribution.
    pub doc_id: String,
}

/// A piece of text supporting a field of an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// The report the span indexes.
    pub doc_id: String,
    /// Byte offset of the span's start in the report's original text.
    pub start: usize,
    /// Byte offset one past the span's end.
    pub end: usize,
    /// The original text of the span (`original[start..end]`).
    pub text: String,
    /// The field it supports: `trigger`, `sentence`, `actor1`, `actor2`, `location`, `date`,
    /// `count`, `fatalities`, `injured`, `source`, `modality`.
    pub field: String,
}

/// One event: rasd's contract (DESIGN.md, "The event contract").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    /// Stable id: a hash of report, type, place and date.
    pub event_id: String,
    /// The report's id; for a file, its file name.
    pub doc_id: String,
    /// ACLED event type.
    pub event_type: EventType,
    /// ACLED sub-event type.
    pub sub_event_type: SubEventType,
    /// ACLED disorder type, derived from the sub-event type.
    pub disorder_type: DisorderType,
    /// ISO date of the event, when the report lets one fix it.
    pub date: Option<NaiveDate>,
    /// 1 = day, 2 = within a week, 3 = month or coarser.
    pub date_precision: Option<DatePrecision>,
    /// Canonical (English) name of the first actor.
    pub actor1: Option<String>,
    /// The first actor as written in the report.
    pub actor1_ar: Option<String>,
    /// ACLED actor type of the first actor.
    pub inter1: Option<ActorType>,
    /// Canonical (English) name of the second actor (target or opponent).
    pub actor2: Option<String>,
    /// The second actor as written.
    pub actor2_ar: Option<String>,
    /// ACLED actor type of the second actor.
    pub inter2: Option<ActorType>,
    /// ACLED interaction code: both actor types, the lower first (10 × a + b), or a × 10 alone.
    pub interaction: Option<u8>,
    /// Canonical names of associated actors.
    #[serde(default)]
    pub assoc_actors: Vec<String>,
    /// Place name (English).
    pub location: Option<String>,
    /// Place name as written in the report.
    pub location_ar: Option<String>,
    /// OCHA P-code of the place itself (community, subdistrict, district or governorate).
    pub location_pcode: Option<String>,
    /// Governorate (English).
    pub admin1: Option<String>,
    /// District (English).
    pub admin2: Option<String>,
    /// Subdistrict (English).
    pub admin3: Option<String>,
    /// OCHA P-code of the governorate, `SY01`..`SY14`.
    pub admin1_pcode: Option<String>,
    /// The country where it happened, in English as ACLED names it (`Syria`, `Lebanon`);
    /// absent in records written before rasd kept it, which are Syria's.
    #[serde(default)]
    pub country: Option<String>,
    /// The country's ISO 3166-1 numeric code, ACLED's `iso` (760 for Syria).
    #[serde(default)]
    pub iso: Option<u16>,
    /// WGS84 latitude.
    pub latitude: Option<f64>,
    /// WGS84 longitude.
    pub longitude: Option<f64>,
    /// 1 = the place itself, 2 = near it or part of a district, 3 = a governorate or region.
    pub geo_precision: Option<GeoPrecision>,
    /// People killed.
    pub fatalities: Option<Estimate>,
    /// People injured.
    pub injured: Option<Estimate>,
    /// The number the event is about (defectors, detainees, killed...).
    pub count: Option<Count>,
    /// How sure the report is.
    pub modality: Modality,
    /// True when the report recalls the event as background rather than news.
    #[serde(default)]
    pub background: bool,
    /// Outlets and attributions.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// How many reports tell the event: 1 for one report's event; for a dataset event, the
    /// number of reports merged into it.
    #[serde(default = "one_report")]
    pub corroboration: u32,
    /// Byte spans in the original report supporting the fields.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// A one-line English summary built from the fields.
    pub notes: String,
    /// Confidence in 0..1.
    pub confidence: f64,
    /// A reviewer's verdict; absent when no reviewer has looked at the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewStatus>,
}

fn one_report() -> u32 {
    1
}

/// ACLED's interaction code for two actor types: the lower code first (12 = state forces vs
/// rebels); one actor alone gives `a × 10`.
pub fn interaction_code(a: Option<ActorType>, b: Option<ActorType>) -> Option<u8> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (lo, hi) = if a.code() <= b.code() { (a, b) } else { (b, a) };
            Some(lo.code() * 10 + hi.code())
        }
        (Some(x), None) | (None, Some(x)) => Some(x.code() * 10),
        (None, None) => None,
    }
}

/// The stable id of an event: a short hash of report, sub-event type, place and date.
pub fn event_id(doc_id: &str, sub: SubEventType, place: &str, date: Option<NaiveDate>) -> String {
    let date = date.map(|d| d.to_string()).unwrap_or_default();
    let key = format!("{doc_id}\u{1f}{}\u{1f}{place}\u{1f}{date}", sub.as_str());
    format!("ev-{}", &crate::content_hash(&key)[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interaction_puts_the_lower_code_first() {
        let code = interaction_code(Some(ActorType::RebelGroup), Some(ActorType::StateForces));
        assert_eq!(code, Some(12));
        assert_eq!(interaction_code(Some(ActorType::Civilians), None), Some(70));
        assert_eq!(interaction_code(None, None), None);
    }

    #[test]
    fn codes_serialize_as_integers_and_reject_others() {
        assert_eq!(serde_json::to_string(&GeoPrecision::Region).unwrap(), "3");
        assert_eq!(
            serde_json::from_str::<DatePrecision>("2").unwrap(),
            DatePrecision::Week
        );
        assert!(serde_json::from_str::<DatePrecision>("7").is_err());
        assert_eq!(
            serde_json::to_string(&Modality::Hedged).unwrap(),
            "\"hedged\""
        );
    }

    #[test]
    fn event_ids_are_stable_and_distinct() {
        let day = NaiveDate::from_ymd_opt(2024, 12, 6);
        let a = event_id("r1", SubEventType::ArmedClash, "C1", day);
        assert_eq!(a, event_id("r1", SubEventType::ArmedClash, "C1", day));
        assert_ne!(a, event_id("r1", SubEventType::Attack, "C1", day));
        assert_ne!(a, event_id("r2", SubEventType::ArmedClash, "C1", day));
        assert!(a.starts_with("ev-") && a.len() == 19);
    }
}
