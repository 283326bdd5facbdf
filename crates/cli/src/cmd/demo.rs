//! `rasd demo`: the main job on the bundled sample corpus (reports written by the rasd team,
//! `data/samples/reports.jsonl`), analysed and summarised in a table.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context as _;
use rasd_core::{Document, Event, Published};
use serde::Deserialize;

use crate::{Context, Outcome};

/// The bundled sample corpus, one JSON document a line.
pub const SAMPLE_CORPUS: &str = include_str!("../../../../data/samples/reports.jsonl");

/// Arguments of `rasd demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also print every event as JSON lines after the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Deserialize)]
struct SampleDocument {
    id: String,
    text: String,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
    url: Option<String>,
}

/// The bundled sample reports as documents.
///
/// # Errors
/// When a line of the bundled corpus is malformed (a bug, caught by the tests).
pub fn sample_documents() -> anyhow::Result<Vec<Document>> {
    SAMPLE_CORPUS
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let raw: SampleDocument = serde_json::from_str(line)
                .with_context(|| format!("data/samples/reports.jsonl:{}", i + 1))?;
            let published = raw.published.as_deref().map(Published::parse).transpose()?;
            Ok(Document::new(raw.id, raw.text)
                .with_title(raw.title)
                .with_source(raw.source)
                .with_url(raw.url)
                .with_published(published))
        })
        .collect()
}

/// Runs `rasd demo`.
///
/// # Errors
/// When the analysis data cannot be loaded or standard output is closed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let analyzer = context.analyzer()?;
    let documents = sample_documents()?;
    let mut events: Vec<Event> = Vec::new();
    for doc in &documents {
        events.extend(analyzer.analyze(doc).events);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "rasd demo: {} sample reports (written by the rasd team) → {} events\n",
        documents.len(),
        events.len()
    )?;
    write_table(&mut out, &events)?;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events.iter().filter(|e| e.modality.is_factual()) {
        *by_type.entry(e.event_type.as_str()).or_default() += 1;
    }
    writeln!(out, "\nFactual events by type:")?;
    for (event_type, n) in by_type {
        writeln!(out, "  {n:>4}  {event_type}")?;
    }
    let not_factual = events.iter().filter(|e| !e.modality.is_factual()).count();
    writeln!(
        out,
        "  {not_factual:>4}  (negated, hedged or planned: kept, not counted)"
    )?;
    if args.json {
        for e in &events {
            writeln!(out, "{}", serde_json::to_string(e)?)?;
        }
    }
    Ok(Outcome::Success)
}

/// Writes events as an aligned terminal table.
///
/// # Errors
/// When writing fails.
pub fn write_table(out: &mut dyn Write, events: &[Event]) -> std::io::Result<()> {
    let rows: Vec<[String; 7]> = events
        .iter()
        .map(|e| {
            [
                e.doc_id.clone(),
                e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                e.sub_event_type.as_str().to_string(),
                match (&e.location, &e.admin1) {
                    (Some(l), Some(a)) if l != a => format!("{l}, {a}"),
                    (Some(l), _) => l.clone(),
                    _ => "-".into(),
                },
                e.actor1
                    .clone()
                    .or_else(|| e.actor1_ar.clone())
                    .unwrap_or_else(|| "-".into()),
                e.count
                    .map(|c| format!("{} {:?}", c.best, c.what).to_lowercase())
                    .or_else(|| e.fatalities.map(|f| format!("{} killed", f.best)))
                    .unwrap_or_else(|| "-".into()),
                e.modality.as_str().to_string(),
            ]
        })
        .collect();
    let header = [
        "report",
        "date",
        "sub-event type",
        "place",
        "actor 1",
        "count",
        "modality",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count().min(40));
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (cell, w) in cells.iter().zip(&widths) {
            let cell: String = cell.chars().take(40).collect();
            let pad = w.saturating_sub(cell.chars().count());
            text.push_str(&cell);
            text.push_str(&" ".repeat(pad + 2));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &header.map(String::from))?;
    line(
        out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    )?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}
