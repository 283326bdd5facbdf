//! Which dataset events to return.

use chrono::NaiveDate;
use rasd_core::{Event, EventType, SubEventType};

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
        if self.min_confidence.is_some_and(|m| e.confidence < m) {
            return false;
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
