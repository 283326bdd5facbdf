//! What every subcommand shares: the data files and the analyzer built from them, and the
//! store a `--db` value names.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context as _;
use rasd_core::DataFiles;
use rasd_extract::Analyzer;
use rasd_store::{PgStore, SqliteStore, Store};

/// How a command ended when it did not fail outright.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went through.
    Success,
    /// Some inputs failed (each was reported); the others were processed.
    SomeInputsFailed,
}

/// Shared state of one run: the user's data overrides and a lazily built analyzer.
#[derive(Debug)]
pub struct Context {
    /// Built-in data plus the user's `--data DIR` files.
    pub data: DataFiles,
    analyzer: OnceLock<Analyzer>,
}

impl Context {
    /// Reads the user's data directory, if any.
    ///
    /// # Errors
    /// When the directory or one of its files cannot be read.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Context> {
        let mut data = DataFiles::new();
        if let Some(dir) = dir {
            let mut files = Vec::new();
            collect_files(dir, &mut files)
                .with_context(|| format!("reading data directory {}", dir.display()))?;
            for path in files {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading data file {}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let name = relative.to_string_lossy().replace('\\', "/");
                tracing::info!(file = %name, "data file overrides the built-in one");
                data.add_override(name, text);
            }
        }
        Ok(Context {
            data,
            analyzer: OnceLock::new(),
        })
    }

    /// The analyzer, built on first use from the data files.
    ///
    /// # Errors
    /// When a data file has a malformed row (the error names `file:line`).
    pub fn analyzer(&self) -> anyhow::Result<&Analyzer> {
        if let Some(analyzer) = self.analyzer.get() {
            return Ok(analyzer);
        }
        let analyzer = Analyzer::from_data(&self.data).context("loading the analysis data")?;
        Ok(self.analyzer.get_or_init(|| analyzer))
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("tsv" | "toml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// The PostgreSQL URL a `--db` value holds (`postgres://…` or `postgresql://…`), or `None`
/// for a SQLite file.
pub fn postgres_url(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| rasd_store::is_postgres_url(s))
}

/// A `--db` value as messages show it: a file's path, or a URL without its password.
pub fn shown_db(db: &Path) -> String {
    match postgres_url(db) {
        Some(url) => rasd_store::redact_url(url),
        None => db.display().to_string(),
    }
}

/// Opens the store a `--db` value names: a PostgreSQL database for a `postgres://` URL, else
/// a SQLite file, created when missing.
///
/// # Errors
/// When the server cannot be reached, or the file cannot be opened or is not a rasd database.
pub fn open_store(db: &Path) -> anyhow::Result<Box<dyn Store + Send>> {
    Ok(match postgres_url(db) {
        Some(url) => Box::new(open_postgres(url)?),
        None => {
            Box::new(SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?)
        }
    })
}

/// Opens the PostgreSQL database at `url` (migrating its schema when needed).
///
/// # Errors
/// When the server cannot be reached or the schema cannot be set up.
pub fn open_postgres(url: &str) -> anyhow::Result<PgStore> {
    PgStore::open(url).with_context(|| format!("opening {}", rasd_store::redact_url(url)))
}

/// Opens the store a `--db` value names for reading: as [`open_store`], but a SQLite file that
/// does not exist is an error whose message ends with `hint`, rather than a new database.
///
/// # Errors
/// When the file does not exist, or as [`open_store`].
pub fn open_existing_store(db: &Path, hint: &str) -> anyhow::Result<Box<dyn Store + Send>> {
    if postgres_url(db).is_none() && !db.exists() {
        anyhow::bail!("{}: no such database ({hint})", db.display());
    }
    open_store(db)
}
