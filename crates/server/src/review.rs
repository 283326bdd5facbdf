//! Reviewers' corrections over the API: `POST /api/events/{id}/review` with a token, and the
//! audit log at `/api/events/{id}/history`.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::NaiveDate;
use rasd_core::SubEventType;
use rasd_store::{AuditEntry, Review, ReviewAction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::api::{detail_of, EventDetail};
use crate::auth::authenticate;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::EventSchema;
use crate::AppState;

/// What a reviewer does.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionName {
    /// The coding is right.
    Confirm,
    /// A false positive: the event leaves the dataset.
    Reject,
    /// Correct the fields given in `fields`.
    Edit,
    /// The same incident as the event `into`, which takes its evidence.
    Merge,
    /// Some of its reports tell another incident: the report events named in `events`, or
    /// those of the report `source`, leave it and form a new event.
    Split,
}

/// Fields a reviewer may correct; those left out keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditFields {
    /// The sub-event type (its event type and disorder type follow from it).
    pub sub_event_type: Option<String>,
    /// The day it happened (YYYY-MM-DD); its precision becomes the day.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The place, by its gazetteer key (a P-code such as `C6166`): name, hierarchy and
    /// coordinates follow from it.
    pub place: Option<String>,
    /// The first actor's canonical name.
    pub actor1: Option<String>,
    /// The second actor's canonical name.
    pub actor2: Option<String>,
    /// People killed.
    #[schema(minimum = 0, maximum = 1000000)]
    pub fatalities: Option<u64>,
    /// People injured.
    #[schema(minimum = 0, maximum = 1000000)]
    pub injured: Option<u64>,
}

/// A review of one event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// What is done.
    pub action: ActionName,
    /// Why, in the reviewer's words (kept in the audit log).
    pub comment: Option<String>,
    /// For `edit`: the corrected fields.
    pub fields: Option<EditFields>,
    /// For `merge`: the event this one joins.
    pub into: Option<String>,
    /// For `split`: the report events (members of this event, not its lead) that leave it.
    pub events: Option<Vec<String>>,
    /// For `split`, instead of `events`: the report (its `doc_id`) whose report events leave.
    pub source: Option<String>,
}

/// One entry of an event's audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryBody {
    /// `confirm`, `reject`, `edit`, `merge` or `split`.
    pub action: String,
    /// The reviewer's token name.
    pub who: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Why.
    pub comment: Option<String>,
    /// The event before.
    #[schema(value_type = EventSchema)]
    pub before: Value,
    /// The event after.
    #[schema(value_type = EventSchema)]
    pub after: Value,
}

impl From<AuditEntry> for AuditEntryBody {
    fn from(a: AuditEntry) -> AuditEntryBody {
        AuditEntryBody {
            action: a.action,
            who: a.who,
            at: a.at,
            comment: a.comment,
            before: a.before,
            after: a.after,
        }
    }
}

/// The largest number a count may be corrected to.
const MAX_COUNT: u64 = 1_000_000;

/// The contract's fields for the edit, checked.
fn edit_fields(f: &EditFields) -> Result<Map<String, Value>, ApiError> {
    let bad = |m: String| ApiError::BadRequest(m);
    let mut out = Map::new();
    if let Some(s) = f.sub_event_type.as_deref() {
        let sub: SubEventType = s.parse().map_err(|_| {
            bad(format!(
                "fields.sub_event_type: «{s}» is not a sub-event type"
            ))
        })?;
        out.insert("sub_event_type".into(), json!(sub.as_str()));
        out.insert("event_type".into(), json!(sub.event_type().as_str()));
        out.insert("disorder_type".into(), json!(sub.disorder_type()));
    }
    if let Some(d) = f.date.as_deref() {
        let day = NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| bad(format!("fields.date: «{d}» is not a date YYYY-MM-DD")))?;
        out.insert("date".into(), json!(day.to_string()));
        out.insert("date_precision".into(), json!(1));
    }
    if let Some(key) = f.place.as_deref() {
        let gazetteer = rasd_gazetteer::Gazetteer::builtin()
            .map_err(|e| ApiError::Internal(format!("gazetteer: {e}")))?;
        let p = gazetteer
            .by_key(key)
            .ok_or_else(|| bad(format!("fields.place: «{key}» is no gazetteer key")))?;
        let country = gazetteer.country_of(p);
        out.insert("location".into(), json!(p.name_en));
        out.insert("location_ar".into(), json!(p.name_ar));
        out.insert("location_pcode".into(), json!(p.pcode));
        out.insert("admin1".into(), json!(p.admin1));
        out.insert("admin2".into(), json!(p.admin2));
        out.insert("admin3".into(), json!(p.admin3));
        out.insert("admin1_pcode".into(), json!(p.admin1_pcode));
        out.insert("latitude".into(), json!(p.latitude));
        out.insert("longitude".into(), json!(p.longitude));
        out.insert("geo_precision".into(), json!(p.precision));
        out.insert("country".into(), json!(country.map(|c| c.name_en.clone())));
        out.insert("iso".into(), json!(country.map(|c| c.iso_numeric)));
    }
    for (name, value) in [("actor1", &f.actor1), ("actor2", &f.actor2)] {
        if let Some(v) = value {
            let v = v.trim();
            if v.is_empty() || v.chars().count() > 200 {
                return Err(bad(format!("fields.{name}: a name of 1 to 200 characters")));
            }
            out.insert(name.into(), json!(v));
        }
    }
    for (name, value) in [("fatalities", f.fatalities), ("injured", f.injured)] {
        if let Some(n) = value {
            if n > MAX_COUNT {
                return Err(bad(format!("fields.{name}: at most {MAX_COUNT}")));
            }
            out.insert(name.into(), json!({"best": n, "low": n, "high": n}));
        }
    }
    if out.is_empty() {
        return Err(bad("fields: an edit must correct at least one field".into()));
    }
    Ok(out)
}

/// The most report events one split may name.
const MAX_SPLIT_EVENTS: usize = 1000;

/// What a request body asks the store to do: an action, or a split by report, whose report
/// events are looked up first.
enum Planned {
    Action(ReviewAction),
    SplitSource(String),
}

/// The store's action for a request body.
fn action_of(body: &ReviewBody) -> Result<Planned, ApiError> {
    let bad = |m: &str| ApiError::BadRequest(m.to_string());
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_string)
    };
    match body.action {
        ActionName::Confirm => Ok(Planned::Action(ReviewAction::Confirm)),
        ActionName::Reject => Ok(Planned::Action(ReviewAction::Reject)),
        ActionName::Edit => body
            .fields
            .as_ref()
            .ok_or_else(|| bad("fields: an edit needs the fields it corrects"))
            .and_then(edit_fields)
            .map(|f| Planned::Action(ReviewAction::Edit(f))),
        ActionName::Merge => trimmed(&body.into)
            .map(|into| Planned::Action(ReviewAction::Merge { into }))
            .ok_or_else(|| bad("into: a merge needs the event it joins")),
        ActionName::Split => match (&body.events, trimmed(&body.source)) {
            (Some(events), None) => {
                let events: Vec<String> = events
                    .iter()
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect();
                if events.is_empty() || events.len() > MAX_SPLIT_EVENTS {
                    return Err(bad(
                        "events: a split moves 1 to 1000 report events out of the event",
                    ));
                }
                Ok(Planned::Action(ReviewAction::Split { events }))
            }
            (None, Some(source)) => Ok(Planned::SplitSource(source)),
            _ => Err(bad(
                "events, source: a split needs either the report events that leave or the \
                 report whose events leave",
            )),
        },
    }
}

/// The report events of the report `source` among an event's members: what a split by
/// report moves out.
fn events_of_source(
    store: &dyn rasd_store::Store,
    members: &[String],
    source: &str,
) -> Result<Vec<String>, ApiError> {
    let events: Vec<String> = store
        .report_events(source)?
        .into_iter()
        .map(|e| e.event_id)
        .filter(|id| members.contains(id))
        .collect();
    if events.is_empty() {
        return Err(ApiError::BadRequest(format!(
            "source: the report «{source}» tells none of this event's report events"
        )));
    }
    Ok(events)
}

/// Reviews an event: confirm, reject, correct fields, merge it into another, or split some of
/// its reports off into a new event. Needs a reviewer's or admin's token; every review is kept
/// in the event's audit log (a split in both events' logs).
#[utoipa::path(post, path = "/api/events/{event_id}/review", tag = "review",
    params(("event_id" = String, Path, description = "The event's id")),
    request_body = ReviewBody,
    security(("token" = [])),
    responses(
        (status = 200, description = "The event as it now reads (after a split, the new event)", body = EventDetail),
        (status = 400, description = "A review that cannot be made", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "The body is not a review", body = ErrorBody),
    ))]
pub(crate) async fn review(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<ReviewBody>, JsonRejection>,
) -> Result<Json<EventDetail>, ApiError> {
    let bearer = state
        .pool
        .run(move |store| authenticate(store, &headers))
        .await?;
    let Json(body) = body.map_err(|e| ApiError::Status(e.status(), e.body_text()))?;
    let planned = action_of(&body)?;
    let detail = state
        .pool
        .run(move |store| {
            let Some(found) = store.event(&event_id)? else {
                return Err(ApiError::NotFound(format!("no event {event_id}")));
            };
            let action = match planned {
                Planned::Action(action) => action,
                Planned::SplitSource(source) => ReviewAction::Split {
                    events: events_of_source(store, &found.members, &source)?,
                },
            };
            let review = Review {
                event_id: event_id.clone(),
                action,
                who: bearer.name,
                comment: body.comment.filter(|c| !c.trim().is_empty()),
            };
            let after = store.review(&review)?;
            tracing::info!(event_id = %after.event.event_id, action = review.action.name(), who = %review.who, "reviewed");
            detail_of(store, after)
        })
        .await?;
    Ok(Json(detail))
}

/// The audit log of an event, oldest first.
#[utoipa::path(get, path = "/api/events/{event_id}/history", tag = "review",
    params(("event_id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The reviews made", body = Vec<AuditEntryBody>),
        (status = 404, description = "No such event", body = ErrorBody),
    ))]
pub(crate) async fn history(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
) -> Result<Json<Vec<AuditEntryBody>>, ApiError> {
    let entries = state
        .pool
        .run(move |store| {
            if store.event(&event_id)?.is_none() {
                return Err(ApiError::NotFound(format!("no event {event_id}")));
            }
            Ok(store.history(&event_id)?)
        })
        .await?;
    Ok(Json(
        entries.into_iter().map(AuditEntryBody::from).collect(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_type_brings_its_type_and_a_place_its_hierarchy() {
        let f = EditFields {
            sub_event_type: Some("Air/drone strike".into()),
            place: Some("SY12".into()),
            ..EditFields::default()
        };
        let m = edit_fields(&f).unwrap();
        assert_eq!(m["event_type"], "Explosions/Remote violence");
        assert_eq!(m["admin1_pcode"], "SY12");
        assert_eq!(m["iso"], 760);
        let f = EditFields {
            place: Some("nowhere".into()),
            ..EditFields::default()
        };
        assert!(edit_fields(&f).is_err());
        assert!(edit_fields(&EditFields::default()).is_err());
    }
}
