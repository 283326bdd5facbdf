//! The `rasd` command line: subcommands over the rasd crates.
//!
//! `main.rs` only calls [`main`]. Each subcommand lives in `cmd/<name>.rs` with its clap `Args`
//! and a `run(&Context, Args) -> anyhow::Result<Outcome>`. Errors are reported here, once, on
//! stderr; a failed input is reported and the run goes on, and the exit code records it
//! (0 = all inputs fine, 1 = some input failed, 2 = the command itself failed).
#![deny(missing_docs)]

pub mod cmd;
pub mod context;
pub mod term;
pub mod threads;

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ColorChoice, Parser, Subcommand};

pub use context::{Context, Outcome};
pub use threads::Threads;

/// rasd (رصد): Arabic conflict reports in, ACLED-style events with evidence out.
#[derive(Debug, Parser)]
#[command(name = "rasd", version, about, long_about = None)]
pub struct Cli {
    /// A directory of data files (TSV/TOML) that extend or replace the built-in ones, by the
    /// same relative names as the repository's `data/` (e.g. `lexicon/triggers.tsv`).
    #[arg(long, global = true, value_name = "DIR", env = "RASD_DATA")]
    pub data: Option<PathBuf>,
    /// Colour: auto (on a terminal, unless `NO_COLOR` is set to a non-empty value), always,
    /// never.
    #[arg(long, global = true, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze reports (.txt files, directories, .jsonl documents) and print one event per line.
    Analyze(cmd::analyze::Args),
    /// Measure analysis and ingest on a corpus (MB/s, reports/s, words/s, peak memory), beside
    /// a bare Aho-Corasick scan of the same text.
    Bench(cmd::bench::Args),
    /// Run the main job on the bundled sample corpus and summarise it in a table.
    Demo(cmd::demo::Args),
    /// Show a report's events, their fields and the evidence behind each, highlighted.
    Explain(cmd::explain::Args),
    /// Look a place name up in the gazetteer: every candidate with its hierarchy and P-code.
    Places(cmd::places::Args),
    /// Export the dataset as ACLED-style CSV, GeoJSON, JSONL or Parquet.
    Export(cmd::export::Args),
    /// Monthly counts per governorate and event type, fatalities, top actors; and a chart.
    Stats(cmd::stats::Args),
    /// Ingest reports (files, directories, pages, feeds, JSONL, `-`) into the database.
    Ingest(cmd::ingest::Args),
    /// List the dataset's events, filtered, as a table, JSONL, CSV or GeoJSON.
    Events(cmd::events::Args),
    /// Full-text search over the stored reports, matches highlighted.
    Search(cmd::search::Args),
    /// Show one event: all fields, its reports and every piece of evidence.
    Show(cmd::show::Args),
    /// Make a token for reviewers' writes over the API (printed once, stored as a hash).
    Token(cmd::token::Args),
    /// Serve the JSON API, its OpenAPI document and the map page over a database.
    Serve(cmd::serve::Args),
    /// Run the current analyzer over the reports in the database again and update the
    /// dataset (after the lexicons or your `--data` changed).
    Reanalyze(cmd::reanalyze::Args),
    /// Analyse the reports `rasd ingest --queue` left in a PostgreSQL database, a batch per
    /// transaction, alongside any number of other workers.
    Worker(cmd::worker::Args),
    /// Copy a dataset between stores: a SQLite file and a PostgreSQL database, either way.
    Copy(cmd::copy::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(cmd::completions::Args),
    /// Print the manual page, or write one per subcommand with `--dir`.
    Man(cmd::man::Args),
}

/// Reads reports from command-line inputs with the ingest readers (every format `rasd ingest`
/// takes), giving `published` to the documents that carry no publication time.
///
/// # Errors
/// When the page-furniture data file is malformed.
pub fn read_inputs<'a>(
    context: &Context,
    inputs: &'a [std::ffi::OsString],
    published: Option<rasd_core::Published>,
) -> anyhow::Result<impl Iterator<Item = Result<rasd_core::Document, rasd_ingest::Error>> + Send + 'a>
{
    use anyhow::Context as _;
    let boilerplate =
        rasd_ingest::Boilerplate::load(&context.data).context("loading the page furniture list")?;
    let opts = rasd_ingest::ReadOptions {
        boilerplate: std::sync::Arc::new(boilerplate),
        ..rasd_ingest::ReadOptions::default()
    };
    let inputs = inputs.iter().cloned().map(rasd_ingest::Input::from_arg);
    Ok(rasd_ingest::read(inputs, opts).map(move |read| {
        read.map(|doc| {
            if doc.published.is_none() {
                doc.with_published(published)
            } else {
                doc
            }
        })
    }))
}

/// Parses the command line, runs it and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    term::set_colour_choice(cli.color);
    init_logging();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::SomeInputsFailed) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("rasd: error: {}", term::inert(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line.
///
/// # Errors
/// When the command cannot run at all (bad data files, unwritable output...). Failures of
/// single inputs are reported on stderr and give [`Outcome::SomeInputsFailed`].
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let context = Context::load(cli.data.as_deref())?;
    match cli.command {
        Command::Analyze(args) => cmd::analyze::run(&context, args),
        Command::Bench(args) => cmd::bench::run(&context, args),
        Command::Demo(args) => cmd::demo::run(&context, args),
        Command::Explain(args) => cmd::explain::run(&context, args),
        Command::Export(args) => cmd::export::run(&context, args),
        Command::Places(args) => cmd::places::run(&context, args),
        Command::Stats(args) => cmd::stats::run(&context, args),
        Command::Ingest(args) => cmd::ingest::run(&context, args),
        Command::Events(args) => cmd::events::run(&context, args),
        Command::Search(args) => cmd::search::run(&context, args),
        Command::Show(args) => cmd::show::run(&context, args),
        Command::Reanalyze(args) => cmd::reanalyze::run(&context, args),
        Command::Worker(args) => cmd::worker::run(&context, args),
        Command::Copy(args) => cmd::copy::run(&context, args),
        Command::Serve(args) => cmd::serve::run(&context, args),
        Command::Token(args) => cmd::token::run(&context, args),
        Command::Completions(args) => cmd::completions::run(&context, args),
        Command::Man(args) => cmd::man::run(&context, args),
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RASD_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let colour = term::colour_wanted(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// True when the command failed only because its reader went away (`rasd export | head -1`):
/// a closed pipe ends the command quietly, with success, as in other Unix tools.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<rasd_export::Error>()
                .is_some_and(rasd_export::Error::is_broken_pipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(ErrorKind::BrokenPipe))
    })
}
