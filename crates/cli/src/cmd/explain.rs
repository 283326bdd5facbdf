//! `rasd explain`: a report with each event, its fields and the evidence behind them
//! highlighted, and which place each mention got and why, so an analyst can see why the engine
//! decided what it did.

use std::io::{IsTerminal, Write};

use anyhow::Context as _;
use rasd_core::{Document, Event, Published};

use crate::term::inert;
use crate::{Context, Outcome};

/// Arguments of `rasd explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A report (`.txt`, `.html`, `.jsonl` documents, a feed) or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub input: std::ffi::OsString,
    /// Publication date (YYYY-MM-DD) of a `.txt` report.
    #[arg(long, value_name = "DATE", value_parser = parse_published)]
    pub published: Option<Published>,
    /// Only this document of a `.jsonl` file.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
}

fn parse_published(text: &str) -> Result<Published, String> {
    Published::parse(text).map_err(|e| e.to_string())
}

/// Runs `rasd explain`.
///
/// # Errors
/// When the analysis data cannot be loaded or standard output is closed.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let analyzer = context.analyzer()?;
    let color = crate::term::colour_wanted(std::io::stdout().is_terminal());
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let mut found = false;
    let inputs = std::slice::from_ref(&args.input);
    for read in crate::read_inputs(context, inputs, args.published)? {
        match read {
            Ok(doc) if args.id.as_ref().is_none_or(|id| *id == doc.id) => {
                found = true;
                explain(&mut out, analyzer, &doc, color).context("writing the explanation")?;
            }
            Ok(_) => {}
            Err(err) => {
                failed = true;
                eprintln!("rasd: {}", inert(&err.to_string()));
            }
        }
    }
    if let (Some(id), false) = (&args.id, found) {
        anyhow::bail!(
            "no document with id «{}» in {}",
            inert(id),
            inert(&args.input.to_string_lossy())
        );
    }
    Ok(if failed {
        Outcome::SomeInputsFailed
    } else {
        Outcome::Success
    })
}

/// ANSI colours per evidence field.
fn colour_of(field: &str) -> &'static str {
    match field {
        "trigger" => "\x1b[1;31m",
        "location" => "\x1b[1;32m",
        "date" => "\x1b[1;34m",
        "actor1" | "actor2" => "\x1b[1;35m",
        "count" | "fatalities" | "injured" => "\x1b[1;33m",
        "source" | "modality" => "\x1b[36m",
        _ => "",
    }
}

/// Writes the explanation of one report.
///
/// # Errors
/// When writing fails.
pub fn explain(
    out: &mut dyn Write,
    analyzer: &rasd_extract::Analyzer,
    doc: &Document,
    color: bool,
) -> std::io::Result<()> {
    let analysis = analyzer.analyze(doc);
    let published = doc
        .published
        .map(|p| p.to_string())
        .unwrap_or_else(|| "unknown".into());
    writeln!(
        out,
        "report {} (published {published}): {} events",
        inert(&doc.id),
        analysis.events.len()
    )?;
    for (n, event) in analysis.events.iter().enumerate() {
        writeln!(
            out,
            "\n[{}] {} / {}  ({})",
            n + 1,
            event.event_type,
            event.sub_event_type,
            event.modality.as_str()
        )?;
        write_fields(out, event)?;
        for sentence in event.evidence.iter().filter(|e| e.field == "sentence") {
            let marks: Vec<_> = event
                .evidence
                .iter()
                .filter(|e| {
                    e.field != "sentence" && e.start >= sentence.start && e.end <= sentence.end
                })
                .collect();
            writeln!(
                out,
                "    evidence: {}",
                highlight(&doc.text, sentence.start, sentence.end, &marks, color)
            )?;
        }
        for e in event.evidence.iter().filter(|e| e.field != "sentence") {
            writeln!(
                out,
                "      {:<10} {}..{}  «{}»",
                e.field,
                e.start,
                e.end,
                inert(&e.text)
            )?;
        }
    }
    let gazetteer = analyzer.gazetteer();
    let country = |p: &rasd_gazetteer::Place| {
        gazetteer
            .country_of(p)
            .map_or_else(|| p.country.clone(), |c| c.name_en.clone())
    };
    if !analysis.mentions.places.is_empty() {
        writeln!(out, "\nplaces found:")?;
        for mention in &analysis.mentions.places {
            let place = gazetteer.place(mention.place);
            let area = place.admin1.clone().unwrap_or_else(|| country(place));
            let scope = if place.foreign { "abroad" } else { "Syria" };
            writeln!(
                out,
                "  {}..{}  «{}» → {} ({area}; {scope}) precision {}: {}",
                mention.span.start,
                mention.span.end,
                inert(&doc.text[mention.span]),
                place.name_en,
                mention.geo_precision.code(),
                mention.reason
            )?;
        }
    }
    let (_, rejected) = gazetteer.find_explained(&doc.text, &rasd_arabic::normalize(&doc.text));
    if !rejected.is_empty() {
        writeln!(out, "\nnames not read as places:")?;
        for r in &rejected {
            let could: Vec<String> = r
                .candidates
                .iter()
                .take(3)
                .map(|&id| {
                    let p = gazetteer.place(id);
                    format!("{} ({})", p.name_en, country(p))
                })
                .collect();
            writeln!(
                out,
                "  {}..{}  «{}» (could be {}): {}",
                r.span.start,
                r.span.end,
                &doc.text[r.span],
                could.join(", "),
                r.reason
            )?;
        }
    }
    Ok(())
}

fn write_fields(out: &mut dyn Write, e: &Event) -> std::io::Result<()> {
    let field = |name: &str, value: Option<String>| {
        value.map(|v| format!("    {name:<12} {}\n", inert(&v)))
    };
    let lines = [
        field(
            "date",
            e.date.map(|d| {
                format!(
                    "{d} (precision {})",
                    e.date_precision.map_or(0, |p| p.code())
                )
            }),
        ),
        field(
            "place",
            e.location.as_ref().map(|l| {
                format!(
                    "{l} «{}», {} [{}] ({:.4}, {:.4}) precision {}",
                    e.location_ar.as_deref().unwrap_or(""),
                    e.admin1.as_deref().unwrap_or("-"),
                    e.admin1_pcode.as_deref().unwrap_or("-"),
                    e.latitude.unwrap_or_default(),
                    e.longitude.unwrap_or_default(),
                    e.geo_precision.map_or(0, |g| g.code())
                )
            }),
        ),
        field("actor1", e.actor1.clone().or(e.actor1_ar.clone())),
        field("actor2", e.actor2.clone().or(e.actor2_ar.clone())),
        field(
            "count",
            e.count
                .map(|c| format!("{} ({}..{}) {:?}", c.best, c.low, c.high, c.what)),
        ),
        field(
            "fatalities",
            e.fatalities
                .map(|f| format!("{} ({}..{})", f.best, f.low, f.high)),
        ),
        field(
            "sources",
            (!e.sources.is_empty()).then(|| {
                e.sources
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        ),
        field("confidence", Some(format!("{:.2}", e.confidence))),
        field("notes", Some(e.notes.clone())),
    ];
    for line in lines.into_iter().flatten() {
        write!(out, "{line}")?;
    }
    Ok(())
}

/// The text of `start..end` with the marked spans wrapped in colours (or «» brackets without
/// colour).
fn highlight(
    text: &str,
    start: usize,
    end: usize,
    marks: &[&rasd_core::Evidence],
    color: bool,
) -> String {
    let mut marks: Vec<_> = marks.to_vec();
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out = String::new();
    let mut at = start;
    for m in marks {
        if m.start < at {
            continue;
        }
        out.push_str(&inert(&text[at..m.start]));
        if color {
            out.push_str(colour_of(&m.field));
            out.push_str(&inert(&text[m.start..m.end]));
            out.push_str("\x1b[0m");
        } else {
            out.push('[');
            out.push_str(&inert(&text[m.start..m.end]));
            out.push(']');
        }
        at = m.end;
    }
    out.push_str(&inert(&text[at..end]));
    out
}
