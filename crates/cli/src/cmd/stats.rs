//! `rasd stats`: counts per month × governorate × event type (and sub-event type), fatalities
//! per month and the top actors of the dataset in a store, as a table, CSV or JSON, and
//! optionally a chart (`--chart FILE.svg|png`). Events come from the store or, with
//! `--events FILE`, from a JSONL file of events (`rasd analyze … | rasd stats --events -`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context as _};
use rasd_export::chart::{write_chart, ChartOptions};
use rasd_export::{AcledConventions, Stats, StatsOptions};

use crate::cmd::export::FilterArgs;
use crate::{Context, Outcome};

/// Output formats of `rasd stats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// Aligned tables for a terminal.
    Table,
    /// One long CSV table with a `section` column (cube, month, actor).
    Csv,
    /// One JSON object.
    Json,
}

/// Arguments of `rasd stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// Also draw events per month by event type and events per governorate (with Arabic
    /// names) to this file; .svg or .png.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    /// The chart's title.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Events per month by event type"
    )]
    pub title: String,
    /// How many actors to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Which events.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Runs `rasd stats`.
///
/// # Errors
/// When the store cannot be read, a filter is invalid, or the output or chart cannot be
/// written.
pub fn run(context: &Context, args: Args) -> anyhow::Result<Outcome> {
    if let Some(chart) = &args.chart {
        rasd_export::chart::ChartFormat::from_path(chart)?;
    }
    let options = StatsOptions {
        factual_only: !args.filter.include_non_factual,
        include_background: args.filter.include_background,
        top_actors: args.top,
        conventions: AcledConventions::from_data(&context.data)?,
    };
    let stats = args
        .filter
        .with_events(|events| Ok(Stats::from_events(events, options)?))?;

    let mut out = std::io::stdout().lock();
    match args.format {
        StatsFormat::Table => out.write_all(stats.render_table().as_bytes())?,
        StatsFormat::Csv => stats.write_csv(&mut out)?,
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &stats.to_json())?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.chart {
        if path.as_os_str().is_empty() {
            bail!("--chart needs a file name");
        }
        let options = ChartOptions {
            title: args.title.clone(),
            ..ChartOptions::default()
        };
        write_chart(&stats, path, &options)
            .with_context(|| format!("drawing the chart {}", path.display()))?;
        eprintln!("rasd: chart written to {}", path.display());
    }
    Ok(Outcome::Success)
}
