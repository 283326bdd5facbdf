//! The GeoJSON export: an RFC 7946 FeatureCollection in WGS84.
//!
//! Each event with valid coordinates is a `Feature` whose `id` is the `event_id`, whose
//! geometry is a `Point` `[longitude, latitude]` (GeoJSON's order), and whose `properties` are
//! the whole event contract (the same object as a line of the JSONL export). Events without
//! coordinates, or with coordinates outside [-180, 180] × [-90, 90], are left out and counted in
//! [`ExportSummary::skipped`]. Features are written one at a time, one per line:
//!
//! ```text
//! {"type":"FeatureCollection","features":[
//! {"type":"Feature","id":"ev-3f2a…","geometry":{"type":"Point","coordinates":[36.067,32.738]},"properties":{"event_id":"ev-3f2a…",…}}
//! ]}
//! ```

use std::io::Write;

use rasd_core::Event;
use serde::Serialize;

use crate::{next_event, Error, ExportSummary};

#[derive(Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Point,
    properties: &'a Event,
}

/// The `[longitude, latitude]` of an event, if both are present and valid WGS84.
pub(crate) fn position(event: &Event) -> Option<[f64; 2]> {
    match (event.longitude, event.latitude) {
        (Some(lon), Some(lat))
            if lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(&lon)
                && (-90.0..=90.0).contains(&lat) =>
        {
            Some([lon, lat])
        }
        _ => None,
    }
}

/// Writes an RFC 7946 FeatureCollection, feature by feature (see the module docs).
///
/// # Errors
/// The first error of the event stream or of the writer.
pub fn write_geojson<I, E, W>(events: I, out: W) -> Result<ExportSummary, Error>
where
    I: IntoIterator<Item = Result<Event, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    W: Write,
{
    let mut out = std::io::BufWriter::new(out);
    let io = Error::io;
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")
        .map_err(io("geojson"))?;
    let mut summary = ExportSummary::default();
    for item in events {
        let event = next_event(item)?;
        let Some(coordinates) = position(&event) else {
            tracing::debug!(event_id = %event.event_id, "no coordinates: left out of GeoJSON");
            summary.skipped += 1;
            continue;
        };
        out.write_all(if summary.written == 0 { b"\n" } else { b",\n" })
            .map_err(io("geojson"))?;
        let feature = Feature {
            kind: "Feature",
            id: &event.event_id,
            geometry: Point {
                kind: "Point",
                coordinates,
            },
            properties: &event,
        };
        serde_json::to_writer(&mut out, &feature).map_err(|source| Error::Json {
            event_id: event.event_id.clone(),
            source,
        })?;
        summary.written += 1;
    }
    out.write_all(b"\n]}\n").map_err(io("geojson"))?;
    out.flush().map_err(io("geojson"))?;
    Ok(summary)
}
