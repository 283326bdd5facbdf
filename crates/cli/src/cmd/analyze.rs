//! `rasd analyze`: reports in, one event per line (the event contract) out.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use rasd_core::Published;

use crate::{Context, Outcome};

/// Arguments of `rasd analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Reports: `.txt`, `.html`, `.jsonl` documents (`id`, `text`, optional `title`,
    /// `published`, `source`, `url`), RSS/Atom feeds, directories of them, or `-` (stdin).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<std::ffi::OsString>,
    /// Write the events here instead of standard output (`-` is standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Publication date (YYYY-MM-DD) of reports that carry none (plain text), for relative
    /// dates such as «أمس».
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    pub published: Option<Published>,
    /// Also write what reports recall from earlier years (events marked `"background": true`,
    /// dated to their own time). Left out by default: they are old news, not this report's.
    #[arg(long)]
    pub with_background: bool,
    /// Only events at least this confident: `confidence` is the chance, in 0..1, that an event
    /// is right (raise it for precision, lower it for recall).
    #[arg(long, value_name = "P", value_parser = crate::cmd::export::parse_confidence)]
    pub min_confidence: Option<f64>,
    /// Only events in this country: its English name, ISO 3166-1 code, or `all` (events
    /// abroad keep their country). Syria by default.
    #[arg(long, value_name = "COUNTRY|all", default_value = "Syria")]
    pub country: String,
    /// Worker threads.
    #[command(flatten)]
    pub threads: crate::Threads,
}

fn parse_published(text: &str) -> Result<Published, String> {
    Published::parse(text).map_err(|e| e.to_string())
}

/// Runs `rasd analyze`.
///
/// # Errors
/// When the analysis data cannot be loaded or the output cannot be written.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let analyzer = context.analyzer()?;
    let country = crate::cmd::export::parse_country(&args.country)?;
    let mut out: Box<dyn Write> = match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let keep = |e: &rasd_core::Event| {
        (args.with_background || !e.background)
            && country.matches(e)
            && args.min_confidence.is_none_or(|m| e.confidence >= m)
    };
    // Each worker analyses a report and writes its events as lines; the lines are written in
    // the reports' order.
    // A failed input is `Err`; a failure to write JSON, `Ok(Err)`.
    let work = |read: Result<rasd_core::Document, rasd_ingest::Error>| {
        read.map(|doc| {
            let span = tracing::debug_span!("analyze", doc_id = %doc.id);
            let _enter = span.enter();
            let mut lines = Vec::new();
            for event in analyzer.analyze(&doc).events.iter().filter(|e| keep(e)) {
                serde_json::to_writer(&mut lines, event)?;
                lines.push(b'\n');
            }
            Ok::<_, serde_json::Error>(lines)
        })
    };
    let mut failed = 0usize;
    let pool = args.threads.pool()?;
    let reads = crate::read_inputs(context, &args.inputs, args.published)?;
    crate::threads::in_order(&pool, reads, work, |lines| {
        match lines {
            Ok(lines) => out
                .write_all(&lines.context("writing events")?)
                .context("writing events")?,
            Err(err) => {
                failed += 1;
                eprintln!("rasd: {}", crate::term::inert(&err.to_string()));
            }
        }
        Ok(())
    })?;
    out.flush().context("writing events")?;
    Ok(if failed > 0 {
        Outcome::SomeInputsFailed
    } else {
        Outcome::Success
    })
}
