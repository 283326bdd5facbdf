//! Which dataset events to return.

use chrono::NaiveDate;
use rasd_core::{Event, EventType, SubEventType};

/// Syria's ISO 3166-1 numeric code: the country of events that carry none (records written
/// before rasd kept the country are Syria's).
pub const SYRIA_ISO: u16 = 760;

/// A filter over dataset events; every field set must hold. `Default` selects every factual
/// event (asserted or reported).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    /// Only this event type.
    pub event_type: Option<EventType>,
    /// Only this sub-event type.
    pub sub_event_type: Option<SubEventType>,
    /// Only events on or after this day (undated events are left out).
    pub from: Option<NaiveDate>,
    /// Only events on or before this day (undated events are left out).
    pub to: Option<NaiveDate>,
    /// Only this governorate: its English name (case-insensitive) or P-code (`SY12`).
    pub admin1: Option<String>,
    /// Only events naming this actor: part of a canonical name (case-insensitive) or of the
    /// name as written (normalized like the reports).
    pub actor: Option<String>,
    /// Only events within `km` of (`lat`, `lon`).
    pub near: Option<(f64, f64, f64)>,
    /// Only events one of whose reports matches this full-text query.
    pub text: Option<String>,
    /// Also hedged, negated and planned events.
    pub include_non_factual: bool,
    /// Only events at least this confident (the chance, in 0..1, that an event is right).
    pub min_confidence: Option<f64>,
    /// Only events inside this box of coordinates.
    pub bbox: Option<BoundingBox>,
    /// Which events by their review: `None` leaves out rejected and merged events.
    pub review: Option<crate::ReviewChoice>,
    /// Only events in this country (ISO 3166-1 numeric; an event without one is in Syria,
    /// [`SYRIA_ISO`]); `None` for every country.
    pub country: Option<u16>,
    /// Leave out what reports recall from earlier years (`background` events).
    pub exclude_background: bool,
    /// Only events after this one in the stream's order (date, then `event_id`): where the
    /// previous page of a listing ended.
    pub after: Option<Cursor>,
}

/// The first and last day of a period written `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the CLI's
/// `--from`/`--to`); `None` for other text.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use rasd_store::day_range;
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(day_range("2024-02"), Some((day(2024, 2, 1), day(2024, 2, 29))));
/// assert_eq!(day_range("2024"), Some((day(2024, 1, 1), day(2024, 12, 31))));
/// assert_eq!(day_range("2024-03-15"), Some((day(2024, 3, 15), day(2024, 3, 15))));
/// assert_eq!(day_range("March"), None);
/// ```
pub fn day_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some((d, d));
    }
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = t.split('-').collect();
    let (year, month) = match parts.as_slice() {
        [y] => (number(y, 4)?, None),
        [y, m] => (number(y, 4)?, Some(number(m, 2)?)),
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    let (first_month, last_month) = month.map_or((1, 12), |m| (m, m));
    let first = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let next = if last_month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, last_month + 1, 1)
    };
    Some((first, next?.pred_opt()?))
}

/// A box of coordinates (WGS84 degrees), edges included; it does not cross the antimeridian.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoundingBox {
    /// Western edge (longitude).
    pub west: f64,
    /// Southern edge (latitude).
    pub south: f64,
    /// Eastern edge (longitude).
    pub east: f64,
    /// Northern edge (latitude).
    pub north: f64,
}

impl BoundingBox {
    /// A box from `west,south,east,north`, when its numbers are finite coordinates with
    /// `west <= east` and `south <= north`.
    ///
    /// # Examples
    /// ```
    /// use rasd_store::BoundingBox;
    /// let b = BoundingBox::parse("35.7,32.3,36.9,33.4").unwrap();
    /// assert!(b.contains(32.6, 36.1) && !b.contains(36.2, 37.1));
    /// assert!(BoundingBox::parse("36.9,32.3,35.7,33.4").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<BoundingBox> {
        let nums: Vec<f64> = text
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .ok()?;
        let [west, south, east, north] = nums.as_slice() else {
            return None;
        };
        let b = BoundingBox {
            west: *west,
            south: *south,
            east: *east,
            north: *north,
        };
        let lon_ok = |x: f64| x.is_finite() && x.abs() <= 180.0;
        let lat_ok = |x: f64| x.is_finite() && x.abs() <= 90.0;
        (lon_ok(b.west)
            && lon_ok(b.east)
            && lat_ok(b.south)
            && lat_ok(b.north)
            && b.west <= b.east
            && b.south <= b.north)
            .then_some(b)
    }

    /// True when the point lies inside the box or on its edge.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// A place in the order [`crate::Store::events`] streams events: the sort key (the date, or
/// `~` for undated events) and the event id of the last event seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The date as `YYYY-MM-DD`, or `~` for an undated event.
    pub sort_key: String,
    /// The event id.
    pub event_id: String,
}

impl Cursor {
    /// The cursor just after `e`.
    pub fn after(e: &Event) -> Cursor {
        Cursor {
            sort_key: e.date.map_or_else(|| "~".to_string(), |d| d.to_string()),
            event_id: e.event_id.clone(),
        }
    }

    /// The cursor as one opaque token for a URL (`sort_key,event_id`).
    pub fn token(&self) -> String {
        format!("{},{}", self.sort_key, self.event_id)
    }

    /// Reads a token made by [`Cursor::token`].
    ///
    /// # Examples
    /// ```
    /// use rasd_store::Cursor;
    /// let c = Cursor::parse("2024-12-06,ev-00ff").unwrap();
    /// assert_eq!(c.token(), "2024-12-06,ev-00ff");
    /// assert!(Cursor::parse("yesterday,ev-1").is_none());
    /// ```
    pub fn parse(token: &str) -> Option<Cursor> {
        let (key, id) = token.split_once(',')?;
        let dated = NaiveDate::parse_from_str(key, "%Y-%m-%d").is_ok() && key.len() == 10;
        (!id.is_empty() && (dated || key == "~")).then(|| Cursor {
            sort_key: key.to_string(),
            event_id: id.to_string(),
        })
    }
}

/// The lowercased names an actor filter looks in: canonical names and the normalized forms of
/// names as written, separated by `|`.
pub(crate) fn actors_key(e: &Event) -> String {
    let mut parts: Vec<String> = Vec::new();
    for name in [&e.actor1, &e.actor2].into_iter().flatten() {
        parts.push(name.to_lowercase());
    }
    for name in &e.assoc_actors {
        parts.push(name.to_lowercase());
    }
    for name in [&e.actor1_ar, &e.actor2_ar].into_iter().flatten() {
        parts.push(rasd_arabic::normalize_key(name));
    }
    format!("|{}|", parts.join("|"))
}

/// The needle an actor filter looks for in [`actors_key`].
pub(crate) fn actor_needle(query: &str) -> String {
    rasd_arabic::normalize_key(query).to_lowercase()
}

impl EventFilter {
    /// True when `e` passes every field but `text` (which needs the reports).
    ///
    /// # Examples
    /// ```
    /// use rasd_store::EventFilter;
    /// let f = EventFilter { admin1: Some("SY12".into()), ..EventFilter::default() };
    /// assert!(f.text.is_none() && !f.include_non_factual);
    /// ```
    pub fn matches(&self, e: &Event) -> bool {
        if !self.include_non_factual && !e.modality.is_factual() {
            return false;
        }
        if self.event_type.is_some_and(|t| t != e.event_type) {
            return false;
        }
        if self.sub_event_type.is_some_and(|t| t != e.sub_event_type) {
            return false;
        }
        if let Some(from) = self.from {
            if e.date.is_none_or(|d| d < from) {
                return false;
            }
        }
        if let Some(to) = self.to {
            if e.date.is_none_or(|d| d > to) {
                return false;
            }
        }
        if let Some(admin1) = &self.admin1 {
            let a = admin1.trim();
            let by_name = e
                .admin1
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(a));
            let by_code = e
                .admin1_pcode
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(a));
            if !(by_name || by_code) {
                return false;
            }
        }
        if let Some(actor) = &self.actor {
            if !actors_key(e).contains(&actor_needle(actor)) {
                return false;
            }
        }
        if !crate::ReviewChoice::matches(self.review, e.review) {
            return false;
        }
        if self.min_confidence.is_some_and(|m| e.confidence < m) {
            return false;
        }
        if self
            .country
            .is_some_and(|iso| e.iso.unwrap_or(SYRIA_ISO) != iso)
        {
            return false;
        }
        if self.exclude_background && e.background {
            return false;
        }
        if let Some(b) = self.bbox {
            match (e.latitude, e.longitude) {
                (Some(lat), Some(lon)) if b.contains(lat, lon) => {}
                _ => return false,
            }
        }
        if let Some((lat, lon, km)) = self.near {
            match (e.latitude, e.longitude) {
                (Some(a), Some(b)) if rasd_resolve::haversine_km(lat, lon, a, b) <= km => {}
                _ => return false,
            }
        }
        true
    }
}
