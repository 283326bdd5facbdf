//! Ingest: read reports from files, pages, feeds, JSON Lines, directories or standard input,
//! and store them with their events, one transaction per batch.
//!
//! - [`read`] turns a list of [`Input`]s into [`Documents`], a lazy stream of
//!   `Result<Document, Error>`: one error per input (or JSONL line, or feed item) that cannot
//!   be read, naming it, while the rest goes on. Formats: [`Format`]; limits: [`ReadOptions`].
//! - [`html`] extracts a page's article text and metadata, dropping page furniture listed in
//!   `data/ingest/boilerplate.tsv` ([`Boilerplate`]).
//! - [`ingest`] drives documents through dedup, an analyzer (on its own thread) and a
//!   `rasd_store::Store`, in bounded batches, and returns a [`Summary`].
//!
//! ```
//! use rasd_core::Document;
//! use rasd_ingest::{ingest, IngestOptions};
//! use rasd_store::{RunInfo, SqliteStore, Store};
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let docs = vec![
//!     Ok(Document::new("a", "اعتقلت دورية شابين في مدينة جاسم")),
//!     Ok(Document::new("b", "اعتقلت دوريةٌ شابين في مدينة جاسم")), // the same text, with tashkeel
//! ];
//! let summary = ingest(&mut store, docs, &|_, _| Vec::new(), &RunInfo::new(["example"]),
//!     IngestOptions::default(), &mut |_, _| {}).unwrap();
//! assert_eq!((summary.totals.new, summary.totals.duplicates), (1, 1));
//! ```
#![deny(missing_docs)]

mod boilerplate;
mod encoding;
pub mod html;
mod pipeline;
mod read;

pub use boilerplate::{Boilerplate, BOILERPLATE_FILE};
pub use pipeline::{ingest, Analyze, IngestOptions, Step, Summary, Totals, ANALYSIS_NICENESS};
pub use read::{input_bytes, read, read_stream, shown, Documents, Format, Input, ReadOptions};

/// Errors of reading and ingesting. Each names the input: a path, `path:line` for JSON Lines,
/// `path#n` for a feed's n-th item, or `<stdin>`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input cannot be read.
    #[error("{input}: {source}")]
    Io {
        /// The input.
        input: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The input holds binary data: a NUL byte near its start (a NUL character, for UTF-16),
    /// or, in bytes that are not UTF-8, control bytes no text encoding writes.
    #[error("{input}: binary data, not a text report")]
    Binary {
        /// The input.
        input: String,
    },
    /// A JSON Lines line or feed that is not UTF-8.
    #[error("{input}: not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// The input.
        input: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A text or HTML input in no encoding rasd reads: not UTF-8, not UTF-16 with a
    /// byte-order mark, and neither declared by the page's `<meta>` nor detected as Arabic in
    /// windows-1256 or ISO-8859-6.
    #[error(
        "{input}: not UTF-8 text (invalid byte at offset {offset}), nor UTF-16 with a byte-order \
         mark, nor Arabic in windows-1256 or ISO-8859-6"
    )]
    UnknownEncoding {
        /// The input.
        input: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The input is not valid in the encoding it names (a UTF-16 text with a lone
    /// surrogate).
    #[error("{input}: not valid {encoding} text")]
    Malformed {
        /// The input.
        input: String,
        /// The encoding.
        encoding: &'static str,
    },
    /// The input has no text.
    #[error("{input}: empty, no text to read")]
    Empty {
        /// The input.
        input: String,
    },
    /// The input is over a size limit.
    #[error("{input}: {size} bytes is over the limit of {limit} bytes for one {what}")]
    TooLarge {
        /// The input.
        input: String,
        /// Its size in bytes (at least this).
        size: u64,
        /// The limit.
        limit: u64,
        /// What the limit is for: `file`, `report` or `JSON line`.
        what: &'static str,
    },
    /// A JSON Lines line that is not a document.
    #[error("{input}: not a JSON document: {message}")]
    Json {
        /// `path:line`.
        input: String,
        /// What is wrong.
        message: String,
    },
    /// A feed file that is not RSS or Atom.
    #[error("{input}: not a readable RSS or Atom feed: {message}")]
    Feed {
        /// The input.
        input: String,
        /// What the parser said.
        message: String,
    },
    /// A page or feed item whose elements nest deeper than [`html::MAX_NESTING`].
    #[error("{input}: HTML elements nested {depth} deep, over the limit of {limit}", limit = html::MAX_NESTING)]
    TooDeep {
        /// The input.
        input: String,
        /// How deep they nest (an estimate that errs upwards).
        depth: usize,
    },
    /// A page in which no article text was found.
    #[error("{input}: no article text found in the page")]
    NoText {
        /// The input.
        input: String,
    },
    /// The analyzer failed on a report.
    #[error("{input}: the analyzer failed: {message}")]
    Analyzer {
        /// The report's id.
        input: String,
        /// Its message.
        message: String,
    },
    /// A bad row in a data file.
    #[error("{origin}:{line}: {message}")]
    Data {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] rasd_store::Error),
}

impl Error {
    /// The input the error is about, when it is about one.
    pub fn input(&self) -> Option<&str> {
        match self {
            Error::Io { input, .. }
            | Error::Binary { input }
            | Error::NotUtf8 { input, .. }
            | Error::UnknownEncoding { input, .. }
            | Error::Malformed { input, .. }
            | Error::Empty { input }
            | Error::TooLarge { input, .. }
            | Error::Json { input, .. }
            | Error::Feed { input, .. }
            | Error::NoText { input }
            | Error::TooDeep { input, .. }
            | Error::Analyzer { input, .. } => Some(input),
            Error::Data { origin, .. } => Some(origin),
            Error::Store(_) => None,
        }
    }
}
