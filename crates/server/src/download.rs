//! Downloads of the filtered dataset in every export format, streamed.
//!
//! The exporter runs on a blocking thread and writes into a channel in chunks; the response
//! body reads the channel. So a download of a million events holds one chunk at a time, and a
//! client that goes away stops the export at its next chunk.

use std::io::Write;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rasd_export::{ExportOptions, Format};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::api::query;
use crate::error::{ApiError, ErrorBody};
use crate::query::EventQuery;
use crate::AppState;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;

/// A writer that sends what it is given down a channel, in chunks.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::GeoJson => "application/geo+json",
        Format::Jsonl => "application/x-ndjson",
        Format::Parquet => "application/vnd.apache.parquet",
    }
}

/// The filtered events as a file: `csv` (ACLED-style), `geojson`, `jsonl` or `parquet`.
#[utoipa::path(get, path = "/api/export/{format}", tag = "events",
    params(("format" = String, Path, description = "csv, geojson, jsonl or parquet"), EventQuery),
    responses(
        (status = 200, description = "The events in the format asked for", content(
            (String = "text/csv"),
            (String = "application/geo+json"),
            (String = "application/x-ndjson"),
            (Vec<u8> = "application/vnd.apache.parquet"),
        )),
        (status = 400, description = "An unknown format or a bad parameter", body = ErrorBody),
    ))]
pub(crate) async fn export(
    State(state): State<Arc<AppState>>,
    Path(format): Path<String>,
    filters: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let format: Format = format
        .parse()
        .map_err(|e: rasd_export::Error| ApiError::BadRequest(format!("format: {e}")))?;
    let filter = query(filters)?.filter()?;
    // Check the filter in the store before answering 200, so that a bad one gets its 400.
    state
        .pool
        .run({
            let filter = filter.clone();
            move |store| {
                drop(store.events(&filter)?);
                Ok(())
            }
        })
        .await?;
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let pool = Arc::clone(&state.pool);
    let options = ExportOptions::default();
    tokio::task::spawn_blocking(move || {
        let errors = tx.clone();
        let result = pool.with(|store| {
            let events = store.events(&filter)?;
            let mut out = ChannelWriter {
                tx,
                buffer: Vec::with_capacity(CHUNK),
            };
            rasd_export::export(format, events, &mut out, &options)
                .and_then(|summary| {
                    out.flush()
                        .map(|()| summary)
                        .map_err(|source| rasd_export::Error::Io {
                            format: format.as_str(),
                            source,
                        })
                })
                .map_err(|e| ApiError::Internal(e.to_string()))
        });
        match result {
            Ok(summary) => tracing::info!(%format, written = summary.written, "download done"),
            Err(e) => {
                tracing::warn!(%format, error = ?e, "download stopped");
                let _ = errors.blocking_send(Err(std::io::Error::other("export failed")));
            }
        }
    });
    let name = format!("rasd-events.{}", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, content_type(format).to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(ReceiverStream::new(rx)),
    )
        .into_response())
}
