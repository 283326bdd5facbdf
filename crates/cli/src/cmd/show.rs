//! `rasd show`: one dataset event with all its fields, the reports behind it and every piece
//! of evidence. Accepts a dataset event id or the id of a report event merged into one.
//! Text from reports is printed inert ([`crate::term::inert`]).

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;

use crate::term::inert;
use crate::{Context, Outcome};

/// Arguments of `rasd show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The event id (`ev-…`).
    #[arg(value_name = "EVENT_ID")]
    pub event_id: String,
    /// The database: a SQLite file, or a PostgreSQL URL (`postgres://user:password@host/db`).
    #[arg(long, value_name = "PATH|URL", env = "RASD_DB", default_value = rasd_store::DEFAULT_DB)]
    pub db: PathBuf,
    /// Print the event as one JSON object instead.
    #[arg(long)]
    pub json: bool,
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map(|x| inert(&x.to_string()).into_owned())
        .unwrap_or_else(|| "-".into())
}

/// Runs `rasd show`.
///
/// # Errors
/// When the database cannot be read or has no such event.
pub fn run(_context: &Context, args: Args) -> anyhow::Result<Outcome> {
    let store = super::events::open_existing(&args.db)?;
    let Some(shown) = store.event(&args.event_id)? else {
        bail!(
            "no event {} in {}",
            inert(&args.event_id),
            crate::context::shown_db(&args.db)
        );
    };
    let e = &shown.event;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, e)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    let est = |x: Option<rasd_core::Estimate>| {
        x.map(|f| format!("{} (low {}, high {})", f.best, f.low, f.high))
            .unwrap_or_else(|| "-".into())
    };
    writeln!(out, "event_id        {}", inert(&e.event_id))?;
    writeln!(
        out,
        "type            {} / {} ({})",
        e.event_type,
        e.sub_event_type,
        e.disorder_type.as_str()
    )?;
    writeln!(
        out,
        "date            {} (precision {})",
        opt(&e.date),
        e.date_precision
            .map(|p| p.code().to_string())
            .unwrap_or_else(|| "-".into())
    )?;
    writeln!(
        out,
        "actor1          {} «{}»",
        opt(&e.actor1),
        opt(&e.actor1_ar)
    )?;
    writeln!(
        out,
        "actor2          {} «{}»",
        opt(&e.actor2),
        opt(&e.actor2_ar)
    )?;
    if !e.assoc_actors.is_empty() {
        writeln!(out, "assoc_actors    {}", inert(&e.assoc_actors.join("; ")))?;
    }
    writeln!(out, "interaction     {}", opt(&e.interaction))?;
    writeln!(
        out,
        "location        {} «{}» [{}]",
        opt(&e.location),
        opt(&e.location_ar),
        opt(&e.location_pcode)
    )?;
    writeln!(
        out,
        "admin           {} / {} / {} [{}]",
        opt(&e.admin1),
        opt(&e.admin2),
        opt(&e.admin3),
        opt(&e.admin1_pcode)
    )?;
    writeln!(
        out,
        "coordinates     {}, {} (precision {})",
        opt(&e.latitude),
        opt(&e.longitude),
        e.geo_precision
            .map(|p| p.code().to_string())
            .unwrap_or_else(|| "-".into())
    )?;
    writeln!(out, "fatalities      {}", est(e.fatalities))?;
    writeln!(out, "injured         {}", est(e.injured))?;
    if let Some(c) = e.count {
        writeln!(
            out,
            "count           {} {:?} (low {}, high {})",
            c.best, c.what, c.low, c.high
        )?;
    }
    writeln!(
        out,
        "modality        {}{}",
        e.modality.as_str(),
        if e.background { " (background)" } else { "" }
    )?;
    writeln!(out, "confidence      {}", e.confidence)?;
    writeln!(out, "notes           {}", inert(&e.notes))?;
    writeln!(out, "corroboration   {} reports", shown.corroboration)?;
    writeln!(out, "report events   {}", inert(&shown.members.join(", ")))?;
    let mut reports: Vec<&str> = e
        .evidence
        .iter()
        .map(|v| v.doc_id.as_str())
        .chain(std::iter::once(e.doc_id.as_str()))
        .collect();
    reports.sort_unstable();
    reports.dedup();
    writeln!(out, "coded by")?;
    for doc in &reports {
        let doc = *doc;
        if let Some(c) = store.coding(doc)? {
            writeln!(
                out,
                "  {}  rasd {}, data {} (run {})",
                inert(doc),
                inert(&c.rasd_version),
                inert(&c.data_fingerprint),
                c.run_id
            )?;
        }
    }
    // Reports that came in another encoding than UTF-8 say which (their text, and the
    // evidence offsets, are the decoded text's).
    for doc in reports {
        if let Some(encoding) = store.document(doc)?.and_then(|d| d.document.encoding) {
            writeln!(out, "  {}  read from {}", inert(doc), inert(&encoding))?;
        }
    }
    writeln!(out, "sources")?;
    for s in &e.sources {
        let ar = s
            .name_ar
            .as_deref()
            .map(|a| format!(" «{}»", inert(a)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<12} {}{ar}  ({})",
            inert(&s.kind),
            inert(&s.name),
            inert(&s.doc_id)
        )?;
    }
    writeln!(out, "evidence")?;
    for v in &e.evidence {
        writeln!(
            out,
            "  {:<10} {}  {}..{}  «{}»",
            inert(&v.field),
            inert(&v.doc_id),
            v.start,
            v.end,
            inert(&v.text)
        )?;
    }
    Ok(Outcome::Success)
}
