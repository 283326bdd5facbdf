//! Reviewers' corrections: what a reviewer may do to an event, how it is recorded, and how it
//! is laid over the analyzer's coding when events are read.
//!
//! A review never rewrites the analyzer's tables. Each reviewed event has one row of state
//! (its last verdict and the fields corrected so far, a partial event of the contract), and
//! every action appends an entry to the audit log with the event before and after. Reading an
//! event lays its state over the analyzer's event ([`apply`]): corrected fields replace the
//! machine's, `review` says the verdict, and an event merged into another lends it its
//! evidence, sources and reports.
//!
//! A split is the one correction that changes how the analyzer's report events are grouped:
//! the report events a reviewer moves out of a dataset event get a *part* of their own
//! (`review_splits`), and whenever merging groups report events again (ingest, re-analysis)
//! each group is cut along the parts ([`partition`]), so the split outlives both.

use rasd_core::{Event, ReviewStatus};
use serde_json::{Map, Value};

use crate::Error;

/// What a reviewer does to an event.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReviewAction {
    /// The machine's coding (with any corrections made before) is right.
    Confirm,
    /// The event did not happen as reported: a false positive. It leaves the dataset.
    Reject,
    /// These fields of the contract take these values (a partial event: `{"date": …}`).
    Edit(Map<String, Value>),
    /// The event is the same incident as the event `into`: it leaves the dataset, and `into`
    /// gains its evidence, sources and reports.
    Merge {
        /// The event it joins.
        into: String,
    },
    /// These report events (members of the event, not its lead) are another incident: they
    /// leave the event and form a new one, which the analyzer's merging keeps apart from now on.
    Split {
        /// The report events that leave, by id.
        events: Vec<String>,
    },
}

impl ReviewAction {
    /// The action's name in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            ReviewAction::Confirm => "confirm",
            ReviewAction::Reject => "reject",
            ReviewAction::Edit(_) => "edit",
            ReviewAction::Merge { .. } => "merge",
            ReviewAction::Split { .. } => "split",
        }
    }
}

/// One review: who does what to which event, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// The dataset event (or a report event merged into it).
    pub event_id: String,
    /// What is done.
    pub action: ReviewAction,
    /// The reviewer (a token's name).
    pub who: String,
    /// Why, in the reviewer's words.
    pub comment: Option<String>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    /// The dataset event reviewed.
    pub event_id: String,
    /// `confirm`, `reject`, `edit`, `merge` or `split`.
    pub action: String,
    /// The reviewer.
    pub who: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Why.
    pub comment: Option<String>,
    /// The event as read before.
    pub before: Value,
    /// The event as read after.
    pub after: Value,
}

/// The state of one reviewed event, as stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ReviewState {
    pub status: Option<ReviewStatus>,
    pub fields: Map<String, Value>,
    pub merged_into: Option<String>,
}

/// The status for a name in the `reviews` table.
pub(crate) fn status_of(name: &str) -> Option<ReviewStatus> {
    match name {
        "confirmed" => Some(ReviewStatus::Confirmed),
        "corrected" => Some(ReviewStatus::Corrected),
        "rejected" => Some(ReviewStatus::Rejected),
        "merged" => Some(ReviewStatus::Merged),
        _ => None,
    }
}

/// Fields a correction may not set: the event's identity, its evidence and its bookkeeping.
const FIXED_FIELDS: &[&str] = &[
    "event_id",
    "doc_id",
    "evidence",
    "sources",
    "corroboration",
    "review",
];

/// The state after `action`, or why the action cannot be taken.
pub(crate) fn next_state(
    event_id: &str,
    state: &ReviewState,
    action: &ReviewAction,
) -> Result<ReviewState, Error> {
    let refuse = |message: String| Error::Review {
        event_id: event_id.to_string(),
        message,
    };
    let mut next = state.clone();
    match action {
        ReviewAction::Confirm => next.status = Some(ReviewStatus::Confirmed),
        ReviewAction::Reject => next.status = Some(ReviewStatus::Rejected),
        ReviewAction::Edit(fields) => {
            if fields.is_empty() {
                return Err(refuse("an edit must change at least one field".into()));
            }
            if let Some(k) = fields.keys().find(|k| FIXED_FIELDS.contains(&k.as_str())) {
                return Err(refuse(format!("the field {k} cannot be corrected")));
            }
            next.fields.extend(fields.clone());
            next.status = Some(ReviewStatus::Corrected);
        }
        ReviewAction::Merge { into } => {
            if into == event_id {
                return Err(refuse("an event cannot be merged into itself".into()));
            }
            next.status = Some(ReviewStatus::Merged);
            next.merged_into = Some(into.clone());
        }
        ReviewAction::Split { events } => {
            if events.is_empty() {
                return Err(refuse("a split must move at least one report event".into()));
            }
            if state.merged_into.is_some() {
                return Err(refuse(
                    "an event merged into another cannot be split; split the other".into(),
                ));
            }
            next.status = Some(ReviewStatus::Corrected);
        }
    }
    Ok(next)
}

/// Why a split of the dataset event `lead` (whose report events are `members`) moving `moved`
/// out cannot be made, if it cannot: every moved event must be a member, the lead stays (it
/// names the event), and at least one member besides it.
pub(crate) fn check_split(lead: &str, members: &[String], moved: &[String]) -> Result<(), Error> {
    let refuse = |message: String| Error::Review {
        event_id: lead.to_string(),
        message,
    };
    if let Some(stranger) = moved.iter().find(|m| !members.contains(m)) {
        return Err(refuse(format!(
            "{stranger} is not one of the report events the analyzer merged into this event"
        )));
    }
    if moved.iter().any(|m| m == lead) {
        return Err(refuse(format!(
            "{lead} is the event's lead and names it; move the other report events out instead"
        )));
    }
    Ok(())
}

/// The name of a new split part: unique, since each split logs a review (`seq`).
pub(crate) fn split_part(seq: i64) -> String {
    format!("split-{seq}")
}

/// Cuts a group of report events (indices into `events`, lead first, as
/// `rasd_resolve::cluster` gives them) along the split parts reviewers gave them: events of one
/// part stay together, events of no part with the group's first. Each piece keeps the group's
/// order, so its first event is its lead.
pub(crate) fn partition(
    group: Vec<usize>,
    events: &[&Event],
    parts: &std::collections::HashMap<String, String>,
) -> Vec<Vec<usize>> {
    if parts.is_empty() {
        return vec![group];
    }
    let mut pieces: Vec<(Option<&String>, Vec<usize>)> = Vec::new();
    for i in group {
        let part = parts.get(&events[i].event_id);
        match pieces.iter_mut().find(|(p, _)| *p == part) {
            Some((_, piece)) => piece.push(i),
            None => pieces.push((part, vec![i])),
        }
    }
    pieces.into_iter().map(|(_, piece)| piece).collect()
}

/// The event with a review's state laid over it, and the events merged into it.
///
/// # Errors
/// When the corrected fields do not make an event of the contract (a stored correction that
/// no longer fits it).
pub(crate) fn apply(
    mut event: Event,
    state: Option<&ReviewState>,
    merged: &[Event],
) -> Result<Event, Error> {
    if let Some(state) = state {
        if !state.fields.is_empty() {
            let id = event.event_id.clone();
            let mut value = serde_json::to_value(&event).map_err(|e| corrupt(&id, e))?;
            if let Value::Object(map) = &mut value {
                map.extend(state.fields.clone());
            }
            event = serde_json::from_value(value).map_err(|e| corrupt(&id, e))?;
        }
        event.review = state.status;
    }
    for m in merged {
        event.evidence.extend(m.evidence.iter().cloned());
        for s in &m.sources {
            if !event.sources.contains(s) {
                event.sources.push(s.clone());
            }
        }
        event.corroboration = event.corroboration.saturating_add(m.corroboration);
    }
    Ok(event)
}

fn corrupt(id: &str, e: impl std::fmt::Display) -> Error {
    Error::Corrupt {
        id: id.to_string(),
        message: format!("a correction does not fit the event: {e}"),
    }
}

/// Checks that corrected fields make an event of the contract, before they are stored.
pub(crate) fn check_fields(event: &Event, fields: &Map<String, Value>) -> Result<(), Error> {
    let mut value = serde_json::to_value(event).map_err(|e| corrupt(&event.event_id, e))?;
    if let Value::Object(map) = &mut value {
        map.extend(fields.clone());
    }
    serde_json::from_value::<Event>(value)
        .map(|_| ())
        .map_err(|e| Error::Review {
            event_id: event.event_id.clone(),
            message: format!("the corrected fields do not fit the event contract: {e}"),
        })
}

/// The review states a read lays over events: which events have one, which were merged into
/// which.
#[derive(Debug, Default)]
pub(crate) struct Overlay {
    pub states: std::collections::HashMap<String, ReviewState>,
    /// Event → the events merged into it.
    pub merged_into: std::collections::HashMap<String, Vec<String>>,
}

impl Overlay {
    /// True when no event has been reviewed.
    pub(crate) fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// Which events a listing returns by their review (see [`crate::EventFilter::review`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewChoice {
    /// Events no reviewer has looked at.
    Unreviewed,
    /// Events with this verdict.
    Status(ReviewStatus),
    /// Every event, rejected and merged ones included.
    Any,
}

impl ReviewChoice {
    /// Reads `unreviewed`, `confirmed`, `corrected`, `rejected`, `merged` or `any`.
    ///
    /// # Examples
    /// ```
    /// use rasd_store::ReviewChoice;
    /// assert_eq!(ReviewChoice::parse("any"), Some(ReviewChoice::Any));
    /// assert!(ReviewChoice::parse("maybe").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<ReviewChoice> {
        match text.trim() {
            "unreviewed" => Some(ReviewChoice::Unreviewed),
            "any" => Some(ReviewChoice::Any),
            other => status_of(other).map(ReviewChoice::Status),
        }
    }

    /// True when an event with this review passes.
    pub fn matches(choice: Option<ReviewChoice>, review: Option<ReviewStatus>) -> bool {
        match choice {
            None => !matches!(
                review,
                Some(ReviewStatus::Rejected) | Some(ReviewStatus::Merged)
            ),
            Some(ReviewChoice::Any) => true,
            Some(ReviewChoice::Unreviewed) => review.is_none(),
            Some(ReviewChoice::Status(s)) => review == Some(s),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn edits_accumulate_and_identity_fields_are_refused() {
        let mut fields = Map::new();
        fields.insert("date".into(), Value::from("2024-12-05"));
        let s1 = next_state("e", &ReviewState::default(), &ReviewAction::Edit(fields)).unwrap();
        let mut more = Map::new();
        more.insert("actor1".into(), Value::from("Hay'at Tahrir al-Sham"));
        let s2 = next_state("e", &s1, &ReviewAction::Edit(more)).unwrap();
        assert_eq!(s2.fields.len(), 2);
        let s3 = next_state("e", &s2, &ReviewAction::Confirm).unwrap();
        assert_eq!(s3.status, Some(ReviewStatus::Confirmed));
        assert_eq!(s3.fields.len(), 2, "confirming keeps the corrections");
        let mut bad = Map::new();
        bad.insert("event_id".into(), Value::from("ev-x"));
        assert!(next_state("e", &s3, &ReviewAction::Edit(bad)).is_err());
        assert!(next_state("e", &s3, &ReviewAction::Edit(Map::new())).is_err());
        let self_merge = ReviewAction::Merge { into: "e".into() };
        assert!(next_state("e", &s3, &self_merge).is_err());
        let empty_split = ReviewAction::Split { events: vec![] };
        assert!(next_state("e", &s3, &empty_split).is_err());
        let split = ReviewAction::Split {
            events: vec!["m".into()],
        };
        let s4 = next_state("e", &s3, &split).unwrap();
        assert_eq!(s4.status, Some(ReviewStatus::Corrected));
    }

    #[test]
    fn a_split_keeps_the_lead_and_moves_only_members() {
        let members: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert!(check_split("a", &members, &["b".into()]).is_ok());
        assert!(check_split("a", &members, &["a".into()]).is_err());
        assert!(check_split("a", &members, &["z".into()]).is_err());
    }

    #[test]
    fn groups_are_cut_along_split_parts_in_order() {
        let doc = rasd_core::Document::new("d", "x");
        let events: Vec<Event> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| {
                let mut e = crate::conformance::sample_event(
                    &doc,
                    rasd_core::SubEventType::ArmedClash,
                    "2024-01-01",
                    (33.0, 36.0),
                    "x",
                );
                e.event_id = (*id).to_string();
                e
            })
            .collect();
        let refs: Vec<&Event> = events.iter().collect();
        let none = std::collections::HashMap::new();
        assert_eq!(
            partition(vec![2, 0, 1, 3], &refs, &none),
            [vec![2, 0, 1, 3]]
        );
        let parts: std::collections::HashMap<String, String> =
            [("a", "split-1"), ("d", "split-1"), ("b", "split-2")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into();
        assert_eq!(
            partition(vec![2, 0, 1, 3], &refs, &parts),
            [vec![2], vec![0, 3], vec![1]]
        );
    }

    #[test]
    fn rejected_and_merged_events_leave_the_default_listing() {
        let default = |r| ReviewChoice::matches(None, r);
        assert!(default(None) && default(Some(ReviewStatus::Corrected)));
        assert!(!default(Some(ReviewStatus::Rejected)) && !default(Some(ReviewStatus::Merged)));
        assert!(ReviewChoice::matches(
            Some(ReviewChoice::Any),
            Some(ReviewStatus::Rejected)
        ));
        assert!(!ReviewChoice::matches(
            Some(ReviewChoice::Unreviewed),
            Some(ReviewStatus::Confirmed)
        ));
    }
}
