//! The JSONL export: the event contract ([`rasd_core::Event`]), one JSON object a line, in the
//! order of the stream; the same records `rasd analyze` prints.

use std::io::Write;

use rasd_core::Event;

use crate::{next_event, Error, ExportSummary};

/// Writes one JSON object per event, each followed by `\n`.
///
/// # Errors
/// The first error of the event stream or of the writer.
pub fn write_jsonl<I, E, W>(events: I, out: W) -> Result<ExportSummary, Error>
where
    I: IntoIterator<Item = Result<Event, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    W: Write,
{
    let mut out = std::io::BufWriter::new(out);
    let mut summary = ExportSummary::default();
    for item in events {
        let event = next_event(item)?;
        serde_json::to_writer(&mut out, &event).map_err(|source| Error::Json {
            event_id: event.event_id.clone(),
            source,
        })?;
        out.write_all(b"\n").map_err(Error::io("jsonl"))?;
        summary.written += 1;
    }
    out.flush().map_err(Error::io("jsonl"))?;
    Ok(summary)
}
