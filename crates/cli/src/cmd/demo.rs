//! `rasd demo`: the main job on the bundled sample corpus (reports written by the rasd team,
//! `data/samples/reports.jsonl`): every report analysed and ingested into the store (the
//! embedded SQLite database, `rasd.db` by default), near duplicates linked, events of several
//! reports merged, and the dataset shown as a table. Running it again changes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use rasd_core::{Document, Event, Published};
use rasd_ingest::IngestOptions;
use rasd_store::{EventFilter, RunInfo, SqliteStore, Store};
use serde::Deserialize;

use crate::{Context, Outcome};

/// The bundled sample corpus, one JSON document a line.
pub const SAMPLE_CORPUS: &str = include_str!("../../../../data/samples/reports.jsonl");

/// Arguments of `rasd demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database file to ingest the sample corpus into.
    #[arg(long, value_name = "PATH", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Also print every dataset event as JSON lines after the table.
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
/// When the analysis data cannot be loaded, the database cannot be written or standard output
/// is closed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let analyzer = context.analyzer()?;
    let documents = sample_documents()?;
    let reports = documents.len();
    let mut store =
        SqliteStore::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let info = RunInfo {
        rasd_version: env!("CARGO_PKG_VERSION").to_string(),
        data_fingerprint: context.data.fingerprint(),
        inputs: vec!["data/samples/reports.jsonl (bundled)".to_string()],
    };
    let summary = rasd_ingest::ingest(
        &mut store,
        documents.into_iter().map(Ok),
        &|doc, normalized| analyzer.analyze_normalized(doc, normalized).events,
        &info,
        IngestOptions::default(),
        &mut |_, _| {},
    )
    .with_context(|| format!("ingesting the sample corpus into {}", args.db.display()))?;
    let stored: Vec<Event> = store
        .events(&EventFilter::default())
        .context("reading the dataset")?
        .collect::<Result<_, _>>()
        .context("reading the dataset")?;
    // Recollections of earlier years stay in the store, marked, but are not this news.
    let (recalled, events): (Vec<Event>, Vec<Event>) =
        stored.into_iter().partition(|e| e.background);
    let t = &summary.totals;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "rasd demo: {reports} sample reports (written by the rasd team) ingested into {}",
        args.db.display()
    )?;
    writeln!(
        out,
        "  new {}, duplicate {}, near-duplicate {}, events found {}; the dataset holds {} events \
         (and {} recalled from earlier years, not shown)\n",
        t.new,
        t.duplicates,
        t.near_duplicates,
        t.events,
        events.len(),
        recalled.len()
    )?;
    write_table(&mut out, &events)?;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        *by_type.entry(e.event_type.as_str()).or_default() += 1;
    }
    writeln!(out, "\nDataset events by type:")?;
    for (event_type, n) in by_type {
        writeln!(out, "  {n:>4}  {event_type}")?;
    }
    let corroborated = events.iter().filter(|e| report_count(e) > 1).count();
    writeln!(
        out,
        "  {corroborated:>4}  told by more than one report (merged)"
    )?;
    writeln!(
        out,
        "\nNext: rasd events --db {db}, rasd export --db {db} -o events.csv, rasd stats --db {db}",
        db = args.db.display()
    )?;
    if args.json {
        for e in &events {
            writeln!(out, "{}", serde_json::to_string(e)?)?;
        }
    }
    Ok(Outcome::Success)
}

/// How many reports an event rests on.
fn report_count(event: &Event) -> usize {
    let mut ids: Vec<&str> = event.evidence.iter().map(|e| e.doc_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
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
                match report_count(e) {
                    0 | 1 => e.doc_id.clone(),
                    n => format!("{} +{}", e.doc_id, n - 1),
                },
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
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|c| crate::term::inert(c).into_owned())
                .collect()
        })
        .collect();
    write!(out, "{}", rasd_export::text_table(&header, &rows, Some(40)))?;
    Ok(())
}
