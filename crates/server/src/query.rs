//! The filters of the event endpoints, as query parameters, and how they are read.
//!
//! Every parameter arrives as text and is checked here, so that a bad value gets a 400 with a
//! message naming it (never a 500, never a silent default). The values reach the store as
//! typed fields of an [`EventFilter`]; no SQL is built from them.

use chrono::NaiveDate;
use rasd_core::{EventType, SubEventType};
use rasd_store::{BoundingBox, Cursor, EventFilter, SYRIA_ISO};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// Events per page when the request does not say.
pub(crate) const DEFAULT_LIMIT: usize = 100;
/// The most events one page may hold.
pub(crate) const MAX_LIMIT: usize = 1000;

/// The filters shared by the event list, the map, the statistics and the downloads.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events on or after this day (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
    /// Only this event type, as ACLED names it (`Battles`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Only this sub-event type (`Air/drone strike`).
    pub sub_type: Option<String>,
    /// Only this governorate: its P-code (`SY12`), English name (`Dar'a`) or Arabic name.
    pub admin1: Option<String>,
    /// Only events naming this actor (part of a canonical name, or as written in Arabic).
    pub actor: Option<String>,
    /// Only events in this country (English name or ISO 3166-1 code), or `all`; Syria when
    /// not given.
    pub country: Option<String>,
    /// Only events one of whose reports matches these words (full-text, all required).
    pub text: Option<String>,
    /// Only events inside `west,south,east,north` (degrees).
    pub bbox: Option<String>,
    /// Only events at least this confident (0..1).
    pub min_confidence: Option<String>,
    /// `true` to include hedged, negated and planned events.
    pub include_non_factual: Option<String>,
    /// `true` to include what reports recall from earlier years.
    pub include_background: Option<String>,
    /// Only events with this review: `unreviewed`, `confirmed`, `corrected`, `rejected`,
    /// `merged` or `any`; without it, every event but the rejected and merged ones.
    pub review: Option<String>,
}

fn bad(param: &str, value: &str, expected: &str) -> ApiError {
    ApiError::BadRequest(format!("{param}: «{value}» is not {expected}"))
}

fn flag(param: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(bad(param, other, "true or false")),
    }
}

fn day(param: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(param, v, "a date YYYY-MM-DD")),
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The P-code of a governorate named by P-code, English name or Arabic name.
fn governorate(name: &str) -> Result<String, ApiError> {
    let gazetteer = rasd_gazetteer::Gazetteer::builtin()
        .map_err(|e| ApiError::Internal(format!("gazetteer: {e}")))?;
    let governorates = || (1..=14).filter_map(|n| gazetteer.governorate(&format!("SY{n:02}")));
    let found = governorates()
        .find(|p| {
            p.pcode
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(name))
                || p.name_en.eq_ignore_ascii_case(name)
        })
        .or_else(|| {
            gazetteer
                .lookup(name)
                .into_iter()
                .find(|p| governorates().any(|g| g.id == p.id))
        });
    found.and_then(|p| p.pcode.clone()).ok_or_else(|| {
        bad(
            "admin1",
            name,
            "a governorate (a P-code SY01..SY14, or its name)",
        )
    })
}

/// The ISO numeric code of a country named in English or by an ISO 3166-1 code; `None` for
/// `all`.
fn country(name: &str) -> Result<Option<u16>, ApiError> {
    if name.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    let gazetteer = rasd_gazetteer::Gazetteer::builtin()
        .map_err(|e| ApiError::Internal(format!("gazetteer: {e}")))?;
    gazetteer
        .countries()
        .iter()
        .find(|c| {
            c.name_en.eq_ignore_ascii_case(name)
                || c.iso2.eq_ignore_ascii_case(name)
                || c.iso3.eq_ignore_ascii_case(name)
                || name.parse::<u16>().is_ok_and(|n| n == c.iso_numeric)
        })
        .map(|c| Some(c.iso_numeric))
        .ok_or_else(|| bad("country", name, "a country (English name, ISO code) or all"))
}

impl EventQuery {
    /// Checks every parameter and builds the store's filter.
    pub(crate) fn filter(&self) -> Result<EventFilter, ApiError> {
        let event_type = non_empty(&self.event_type)
            .map(|t| {
                t.parse::<EventType>()
                    .map_err(|_| bad("type", t, "an event type"))
            })
            .transpose()?;
        let sub_event_type = non_empty(&self.sub_type)
            .map(|t| {
                t.parse::<SubEventType>()
                    .map_err(|_| bad("sub_type", t, "a sub-event type"))
            })
            .transpose()?;
        let min_confidence = non_empty(&self.min_confidence)
            .map(|v| match v.parse::<f64>() {
                Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
                _ => Err(bad("min_confidence", v, "a number between 0 and 1")),
            })
            .transpose()?;
        let bbox = non_empty(&self.bbox)
            .map(|v| {
                BoundingBox::parse(v)
                    .ok_or_else(|| bad("bbox", v, "west,south,east,north in degrees"))
            })
            .transpose()?;
        let text = non_empty(&self.text).map(str::to_string);
        if let Some(t) = &text {
            if !t.chars().any(char::is_alphanumeric) {
                return Err(bad("text", t, "a query with at least one word"));
            }
        }
        Ok(EventFilter {
            event_type,
            sub_event_type,
            from: day("from", self.from.as_deref())?,
            to: day("to", self.to.as_deref())?,
            admin1: non_empty(&self.admin1).map(governorate).transpose()?,
            actor: non_empty(&self.actor).map(str::to_string),
            near: None,
            text,
            include_non_factual: flag("include_non_factual", self.include_non_factual.as_deref())?,
            min_confidence,
            bbox,
            review: non_empty(&self.review)
                .map(|r| {
                    rasd_store::ReviewChoice::parse(r).ok_or_else(|| {
                        bad(
                            "review",
                            r,
                            "unreviewed, confirmed, corrected, rejected, merged or any",
                        )
                    })
                })
                .transpose()?,
            after: None,
            country: match non_empty(&self.country) {
                Some(c) => country(c)?,
                None => Some(SYRIA_ISO),
            },
            exclude_background: !flag("include_background", self.include_background.as_deref())?,
        })
    }
}

/// Where a page starts and how long it is.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page; the first page without it.
    pub cursor: Option<String>,
    /// Events per page, 1..=1000 (100 when not given).
    pub limit: Option<String>,
}

impl PageQuery {
    /// The cursor and the page length.
    pub(crate) fn page(&self) -> Result<(Option<Cursor>, usize), ApiError> {
        let cursor = non_empty(&self.cursor)
            .map(|c| Cursor::parse(c).ok_or_else(|| bad("cursor", c, "a cursor from a page")))
            .transpose()?;
        let limit = match non_empty(&self.limit) {
            None => DEFAULT_LIMIT,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => return Err(bad("limit", v, "a number from 1 to 1000")),
            },
        };
        Ok((cursor, limit))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> EventQuery {
        let text = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        serde_json::from_value(serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect(),
        ))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn governorates_are_named_by_pcode_english_or_arabic() {
        for name in ["SY12", "sy12", "Dar'a", "درعا"] {
            let s = query(&[("admin1", name)]).filter().unwrap();
            assert_eq!(s.admin1.as_deref(), Some("SY12"), "{name}");
        }
        assert!(query(&[("admin1", "Atlantis")]).filter().is_err());
    }

    #[test]
    fn every_bad_value_is_refused_with_its_name() {
        for (param, value) in [
            ("from", "yesterday"),
            ("type", "Picnics"),
            ("sub_type", "Armed"),
            ("min_confidence", "2"),
            ("bbox", "1,2,3"),
            ("include_background", "maybe"),
            ("country", "Narnia"),
            ("text", "…"),
            ("review", "maybe"),
        ] {
            match query(&[(param, value)]).filter() {
                Err(ApiError::BadRequest(m)) => assert!(m.starts_with(param), "{m}"),
                other => panic!("{param}={value}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_country_defaults_to_syria_and_all_lifts_it() {
        assert_eq!(query(&[]).filter().unwrap().country, Some(760));
        assert_eq!(query(&[("country", "all")]).filter().unwrap().country, None);
        assert_eq!(
            query(&[("country", "LB")]).filter().unwrap().country,
            Some(422)
        );
    }

    #[test]
    fn pages_are_bounded() {
        let page = |limit: &str| {
            PageQuery {
                cursor: None,
                limit: Some(limit.into()),
            }
            .page()
        };
        assert_eq!(page("5").unwrap().1, 5);
        assert!(page("0").is_err() && page("1001").is_err() && page("x").is_err());
    }
}
