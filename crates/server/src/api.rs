//! The JSON API under `/api/`: its handlers and the bodies they answer with.
//!
//! Bodies are specified by their types (which the OpenAPI document is generated from); an
//! event is the event contract of `rasd_core::Event`, exactly as `rasd export -f jsonl`
//! writes it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rasd_core::Event;
use rasd_store::{EventsPage, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::openapi::EventSchema;
use crate::query::{EventQuery, PageQuery};
use crate::AppState;

/// Turns a query string axum could not read into a 400 with our error body.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

/// One page of events. (The handler writes it from the events' stored JSON, see
/// [`page_json`].)
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// The events, in order of date (undated last), then `event_id`.
    #[schema(value_type = Vec<EventSchema>)]
    pub events: Vec<Event>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The JSON of an [`EventPage`] from a page of the store, whose events are JSON already:
/// they are copied, not parsed and written again.
pub(crate) fn page_json(page: &EventsPage) -> Result<Vec<u8>, ApiError> {
    let size: usize = page.events.iter().map(|e| e.len() + 1).sum();
    let mut out = Vec::with_capacity(size + 64);
    out.extend_from_slice(b"{\"events\":[");
    for (i, e) in page.events.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(e.as_bytes());
    }
    out.push(b']');
    if let Some(c) = &page.next {
        out.extend_from_slice(b",\"next_cursor\":");
        serde_json::to_writer(&mut out, &c.token())
            .map_err(|e| ApiError::Internal(format!("a cursor: {e}")))?;
    }
    out.push(b'}');
    Ok(out)
}

/// The events matching the filters, one page at a time.
#[utoipa::path(get, path = "/api/events", tag = "events",
    params(EventQuery, PageQuery),
    responses(
        (status = 200, description = "A page of events", body = EventPage),
        (status = 400, description = "A parameter cannot be used", body = ErrorBody),
    ))]
pub(crate) async fn list_events(
    State(state): State<Arc<AppState>>,
    filters: Result<Query<EventQuery>, QueryRejection>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let mut filter = query(filters)?.filter()?;
    let (cursor, limit) = query(page)?.page()?;
    filter.after = cursor;
    let body = state
        .pool
        .run(move |store| page_json(&store.events_page(&filter, limit)?))
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A report behind an event, with its whole text (evidence spans index it, in bytes).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportText {
    /// The report's id.
    pub doc_id: String,
    /// Its headline.
    pub title: Option<String>,
    /// The outlet it came from.
    pub source: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published (ISO 8601).
    pub published: Option<String>,
    /// The original text, as read.
    pub text: String,
}

/// One event with everything behind it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetail {
    /// The event.
    #[schema(value_type = EventSchema)]
    pub event: Event,
    /// Distinct reports telling it.
    pub corroboration: u64,
    /// The report events merged into it, lead first.
    pub members: Vec<String>,
    /// The reports named by its evidence and sources, with their text.
    pub reports: Vec<ReportText>,
    /// Its reviews, oldest first.
    pub history: Vec<crate::review::AuditEntryBody>,
}

/// An event's detail: its reports (with their text) and its reviews.
pub(crate) fn detail_of(
    store: &dyn Store,
    found: rasd_store::DatasetEvent,
) -> Result<EventDetail, ApiError> {
    let mut doc_ids: Vec<&str> = std::iter::once(found.event.doc_id.as_str())
        .chain(found.event.evidence.iter().map(|v| v.doc_id.as_str()))
        .chain(found.event.sources.iter().map(|s| s.doc_id.as_str()))
        .collect();
    doc_ids.sort_unstable();
    doc_ids.dedup();
    let mut reports = Vec::new();
    for id in doc_ids {
        if let Some(stored) = store.document(id)? {
            let d = stored.document;
            reports.push(ReportText {
                doc_id: d.id,
                title: d.title,
                source: d.source,
                url: d.url,
                published: d.published.map(|p| p.to_string()),
                text: d.text,
            });
        }
    }
    let history = store
        .history(&found.event.event_id)?
        .into_iter()
        .map(crate::review::AuditEntryBody::from)
        .collect();
    Ok(EventDetail {
        corroboration: found.corroboration as u64,
        members: found.members,
        event: found.event,
        reports,
        history,
    })
}

/// One event by its id (or the id of a report event merged into it).
#[utoipa::path(get, path = "/api/events/{event_id}", tag = "events",
    params(("event_id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event", body = EventDetail),
        (status = 404, description = "No such event", body = ErrorBody),
    ))]
pub(crate) async fn event_detail(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
) -> Result<Json<EventDetail>, ApiError> {
    let detail = state
        .pool
        .run(move |store| {
            let Some(found) = store.event(&event_id)? else {
                return Err(ApiError::NotFound(format!("no event {event_id}")));
            };
            detail_of(store, found)
        })
        .await?;
    Ok(Json(detail))
}

/// Parameters of the full-text search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words to find (all of them), normalized as the reports are.
    pub q: String,
    /// At most this many reports, 1..=100 (20 when not given).
    pub limit: Option<String>,
}

/// A report found by the search, with a piece of its text around the first match.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitBody {
    /// The report.
    pub doc_id: String,
    /// Its headline.
    pub title: Option<String>,
    /// A piece of the original text.
    pub snippet: String,
    /// Byte ranges `[start, end]` of the matches in `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// True when the snippet starts after the report's beginning.
    pub cut_before: bool,
    /// True when the snippet stops before the report's end.
    pub cut_after: bool,
}

/// Full-text search over the stored reports, best first.
#[utoipa::path(get, path = "/api/search", tag = "reports",
    params(SearchQuery),
    responses(
        (status = 200, description = "The reports found", body = Vec<SearchHitBody>),
        (status = 400, description = "No words to look for", body = ErrorBody),
    ))]
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<Vec<SearchHitBody>>, ApiError> {
    let q = query(q)?;
    let limit = match q.limit.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => 20,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "limit: «{v}» is not a number from 1 to 100"
                )))
            }
        },
    };
    if !q.q.chars().any(char::is_alphanumeric) {
        return Err(ApiError::BadRequest(format!(
            "q: «{}» has no word to look for",
            q.q
        )));
    }
    let hits = state
        .pool
        .run(move |store| Ok(store.search(&q.q, limit)?))
        .await?;
    Ok(Json(
        hits.into_iter()
            .map(|h| SearchHitBody {
                doc_id: h.doc_id,
                title: h.title,
                highlights: h
                    .snippet
                    .highlights
                    .iter()
                    .map(|s| [s.start, s.end])
                    .collect(),
                cut_before: h.snippet.cut_before,
                cut_after: h.snippet.cut_after,
                snippet: h.snippet.text,
            })
            .collect(),
    ))
}

/// Events and fatalities of one month and event type.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthStat {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The event type.
    pub event_type: String,
    /// Events.
    pub events: u64,
    /// Their best fatality estimates, summed.
    pub fatalities: u64,
}

/// Events per month and event type (undated events are left out), for the timeline.
#[utoipa::path(get, path = "/api/stats/monthly", tag = "events",
    params(EventQuery),
    responses(
        (status = 200, description = "One row per month and event type, by month", body = Vec<MonthStat>),
        (status = 400, description = "A parameter cannot be used", body = ErrorBody),
    ))]
pub(crate) async fn monthly(
    State(state): State<Arc<AppState>>,
    filters: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Json<Vec<MonthStat>>, ApiError> {
    let filter = query(filters)?.filter()?;
    let rows = state
        .pool
        .run(move |store| Ok(store.monthly(&filter)?))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| MonthStat {
                month: r.month,
                event_type: r.event_type,
                events: r.events,
                fatalities: r.fatalities,
            })
            .collect(),
    ))
}

/// Parameters of the map.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapQuery {
    /// The side of a grid cell in degrees, 0.001..=10 (0.25 when not given); the page asks
    /// for smaller cells as it zooms in.
    pub cell: Option<String>,
}

/// Events of one grid cell.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapCell {
    /// The mean latitude of its events.
    pub latitude: f64,
    /// The mean longitude of its events.
    pub longitude: f64,
    /// Events.
    pub count: u64,
    /// The most frequent event type.
    pub event_type: String,
    /// Events per event type.
    pub by_type: BTreeMap<String, u64>,
    /// The event's id when the cell holds one event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

/// The map's points: events aggregated on a grid.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapBody {
    /// Cells holding events.
    pub cells: Vec<MapCell>,
    /// Events with coordinates.
    pub placed: u64,
    /// Events without coordinates (not on the map).
    pub unplaced: u64,
}

/// The filtered events aggregated on a grid of cells, for the map: the page draws one marker
/// per cell whatever the number of events.
#[utoipa::path(get, path = "/api/map", tag = "events",
    params(EventQuery, MapQuery),
    responses(
        (status = 200, description = "Cells holding events", body = MapBody),
        (status = 400, description = "A parameter cannot be used", body = ErrorBody),
    ))]
pub(crate) async fn map(
    State(state): State<Arc<AppState>>,
    filters: Result<Query<EventQuery>, QueryRejection>,
    cell: Result<Query<MapQuery>, QueryRejection>,
) -> Result<Json<MapBody>, ApiError> {
    let filter = query(filters)?.filter()?;
    let size = match query(cell)?
        .cell
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => 0.25,
        Some(v) => match v.parse::<f64>() {
            Ok(x) if (0.001..=10.0).contains(&x) => x,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "cell: «{v}» is not a number of degrees from 0.001 to 10"
                )))
            }
        },
    };
    let grid = state
        .pool
        .run(move |store| Ok(store.grid(&filter, size)?))
        .await?;
    Ok(Json(map_body(grid)))
}

/// The map's cells from the store's counts per cell and event type.
fn map_body(grid: rasd_store::Grid) -> MapBody {
    let mut cells: BTreeMap<(i64, i64), MapCell> = BTreeMap::new();
    let mut placed = 0;
    for c in grid.counts {
        placed += c.events;
        let cell = cells.entry((c.row, c.col)).or_insert_with(|| MapCell {
            latitude: 0.0,
            longitude: 0.0,
            count: 0,
            event_type: String::new(),
            by_type: BTreeMap::new(),
            event_id: None,
        });
        // Sums of coordinates until every type is in; then their means.
        cell.latitude += c.latitude_sum;
        cell.longitude += c.longitude_sum;
        cell.count += c.events;
        *cell.by_type.entry(c.event_type).or_default() += c.events;
        cell.event_id = Some(c.first_event);
    }
    let cells = cells
        .into_values()
        .map(|mut cell| {
            let n = cell.count.max(1) as f64;
            cell.latitude /= n;
            cell.longitude /= n;
            cell.event_type = cell
                .by_type
                .iter()
                .max_by_key(|(t, n)| (**n, std::cmp::Reverse(t.as_str())))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            if cell.count != 1 {
                cell.event_id = None;
            }
            cell
        })
        .collect();
    MapBody {
        cells,
        placed,
        unplaced: grid.unplaced,
    }
}

/// Parameters of the place lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacesQuery {
    /// A place name as a user types it (Arabic); without it, the fourteen governorates.
    pub q: Option<String>,
}

/// A place of the gazetteer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceBody {
    /// Its gazetteer key (the P-code, or the key of an extra place): what a correction names.
    pub key: String,
    /// Its OCHA P-code.
    pub pcode: Option<String>,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// What it is (`governorate`, `district`, `town`…).
    pub kind: String,
    /// Its governorate (English).
    pub admin1: Option<String>,
    /// Its governorate's P-code.
    pub admin1_pcode: Option<String>,
    /// Latitude.
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
}

impl PlaceBody {
    fn of(p: &rasd_gazetteer::Place) -> PlaceBody {
        PlaceBody {
            key: p.key.clone(),
            pcode: p.pcode.clone(),
            name_en: p.name_en.clone(),
            name_ar: p.name_ar.clone(),
            kind: p.kind.as_str().to_string(),
            admin1: p.admin1.clone(),
            admin1_pcode: p.admin1_pcode.clone(),
            latitude: p.latitude,
            longitude: p.longitude,
        }
    }
}

/// Places of the gazetteer by name, best first; the governorates without a name.
#[utoipa::path(get, path = "/api/places", tag = "places",
    params(PlacesQuery),
    responses(
        (status = 200, description = "The places", body = Vec<PlaceBody>),
        (status = 400, description = "A parameter cannot be used", body = ErrorBody),
    ))]
pub(crate) async fn places(
    q: Result<Query<PlacesQuery>, QueryRejection>,
) -> Result<Json<Vec<PlaceBody>>, ApiError> {
    let q = query(q)?;
    let gazetteer = rasd_gazetteer::Gazetteer::builtin()
        .map_err(|e| ApiError::Internal(format!("gazetteer: {e}")))?;
    let places: Vec<PlaceBody> = match q.q.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => (1..=14)
            .filter_map(|n| gazetteer.governorate(&format!("SY{n:02}")))
            .map(PlaceBody::of)
            .collect(),
        Some(name) => gazetteer
            .lookup(name)
            .into_iter()
            .take(50)
            .map(PlaceBody::of)
            .collect(),
    };
    Ok(Json(places))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_stored_json_reads_as_the_page_schema() {
        let doc = rasd_core::Document::new("d", "اشتباكات في طفس");
        let e = rasd_store::conformance::sample_event(
            &doc,
            rasd_core::SubEventType::ArmedClash,
            "2024-12-06",
            (32.7, 36.0),
            "اشتباكات",
        );
        let stored = serde_json::to_string(&e).unwrap();
        let next = rasd_store::Cursor::after(&e);
        let page = EventsPage {
            events: vec![stored.clone(), stored],
            next: Some(next.clone()),
        };
        let written: serde_json::Value =
            serde_json::from_slice(&page_json(&page).unwrap()).unwrap();
        let typed = serde_json::to_value(EventPage {
            events: vec![e.clone(), e],
            next_cursor: Some(next.token()),
        })
        .unwrap();
        assert_eq!(written, typed);
        let last = page_json(&EventsPage::default()).unwrap();
        assert_eq!(last, br#"{"events":[]}"#);
    }

    #[test]
    fn map_cells_join_the_types_of_a_cell() {
        let count = |row, col, t: &str, n, lat: f64, id: &str| rasd_store::GridCount {
            row,
            col,
            event_type: t.into(),
            events: n,
            latitude_sum: lat * n as f64,
            longitude_sum: 36.0 * n as f64,
            first_event: id.into(),
        };
        let grid = rasd_store::Grid {
            counts: vec![
                count(130, 144, "Battles", 2, 32.6, "ev-a"),
                count(130, 144, "Protests", 3, 32.6, "ev-b"),
                count(131, 144, "Riots", 1, 32.8, "ev-c"),
            ],
            unplaced: 4,
        };
        let body = map_body(grid);
        assert_eq!((body.placed, body.unplaced, body.cells.len()), (6, 4, 2));
        assert_eq!(body.cells[0].count, 5);
        assert_eq!(body.cells[0].event_type, "Protests");
        assert!((body.cells[0].latitude - 32.6).abs() < 1e-9);
        assert!(body.cells[0].event_id.is_none());
        assert_eq!(body.cells[1].event_id.as_deref(), Some("ev-c"));
    }
}
