//! Readers: inputs in, a stream of [`Document`]s (or per-input errors) out.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rasd_core::{Document, Published};
use serde::Deserialize;

use crate::boilerplate::Boilerplate;
use crate::encoding::Undecodable;
use crate::html;
use crate::Error;

/// Limits and data the readers use.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The longest text one report may have, in bytes (default 8 MiB). A longer report is an
    /// error naming it, never a reason to run out of memory.
    pub max_document_bytes: usize,
    /// The largest page or feed file read whole, in bytes (default 64 MiB). JSONL files are
    /// streamed line by line and have no such limit.
    pub max_file_bytes: u64,
    /// The page furniture the HTML reader drops.
    pub boilerplate: Arc<Boilerplate>,
    /// When set, the readers add the bytes of each file they read here as they go (with
    /// [`input_bytes`], a progress bar can show how far a run is and how long it has left).
    pub bytes_read: Option<Arc<AtomicU64>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_document_bytes: 8 << 20,
            max_file_bytes: 64 << 20,
            boilerplate: Arc::new(Boilerplate::builtin()),
            bytes_read: None,
        }
    }
}

/// One input as given: a file, a directory (read recursively) or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file or directory.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// `-` is standard input; anything else a path.
    pub fn from_arg(arg: impl Into<OsString>) -> Input {
        let arg = arg.into();
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Path(p) => f.write_str(&shown(p)),
            Input::Stdin => f.write_str("<stdin>"),
        }
    }
}

/// How an input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text: one report.
    Text,
    /// A saved web page: one report, its main text extracted.
    Html,
    /// JSON Lines: one report per line (`id`, `text`, `title`, `source`, `url`, `published`).
    Jsonl,
    /// An RSS 2.0 or Atom feed: one report per item.
    Feed,
}

impl Format {
    /// The format a file name's extension names, if any; a gzip-compressed file
    /// (`reports.jsonl.gz`) has the format of the name under its `.gz`.
    pub fn from_path(path: &Path) -> Option<Format> {
        if is_gzip(path) {
            return Format::from_path(Path::new(path.file_stem()?));
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "html" | "htm" | "xhtml" | "shtml" => Format::Html,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xml" | "rss" | "atom" => Format::Feed,
            _ => return None,
        })
    }

    /// Guesses the format from the first bytes of an input without a known extension.
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(head.len());
        let lower: Vec<u8> = head[start..]
            .iter()
            .take(512)
            .map(u8::to_ascii_lowercase)
            .collect();
        let has = |s: &[u8]| lower.windows(s.len()).any(|w| w == s);
        if lower.starts_with(b"{") {
            Format::Jsonl
        } else if lower.starts_with(b"<") && (has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf")) {
            Format::Feed
        } else if lower.starts_with(b"<") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// True when the file name ends in `.gz`: the readers decompress it as they read.
fn is_gzip(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// A path made safe to print: control and bidirectional-override characters escaped, bytes
/// that are not UTF-8 replaced.
pub fn shown(path: &Path) -> String {
    sanitize(&path.to_string_lossy())
}

fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A reader that adds the bytes taken from it to a shared counter.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.counter.fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

/// The bytes [`read`] will take from these inputs: the sizes of the files, and of the files
/// of a kind rasd reads in the directories (walked as `read` walks them). `None` when one
/// input is standard input, whose size is not known.
pub fn input_bytes(inputs: &[Input]) -> Option<u64> {
    fn walk(dir: &Path, total: &mut u64) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                walk(&path, total);
            } else if Format::from_path(&path).is_some() {
                *total += std::fs::metadata(&path).map_or(0, |m| m.len());
            }
        }
    }
    let mut total = 0;
    for input in inputs {
        match input {
            Input::Stdin => return None,
            Input::Path(p) => match std::fs::metadata(p) {
                Ok(m) if m.is_dir() => walk(p, &mut total),
                Ok(m) => total += m.len(),
                Err(_) => {}
            },
        }
    }
    Some(total)
}

type DocIter = Box<dyn Iterator<Item = Result<Document, Error>> + Send>;

enum Pending {
    Arg(Input),
    InDir { path: PathBuf, root: PathBuf },
}

/// The documents of a list of inputs, read lazily one input at a time: directories are walked
/// in name order (hidden entries and files of unknown kinds skipped, symbolic links to
/// directories not followed), JSONL is read line by line. Each item is a report or an error
/// naming the input (and line) that failed; the stream goes on after an error.
pub struct Documents {
    pending: VecDeque<Pending>,
    current: Option<DocIter>,
    opts: ReadOptions,
    skipped: usize,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

/// Reads the inputs (see [`Documents`]).
///
/// # Examples
/// ```
/// use rasd_ingest::{read, Input, ReadOptions};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("r1.txt"), "تظاهر أهالي مدينة السويداء").unwrap();
/// let docs: Vec<_> = read([Input::Path(dir.path().into())], ReadOptions::default()).collect();
/// assert_eq!(docs[0].as_ref().unwrap().id, "r1.txt");
/// ```
pub fn read(inputs: impl IntoIterator<Item = Input>, opts: ReadOptions) -> Documents {
    Documents {
        pending: inputs.into_iter().map(Pending::Arg).collect(),
        current: None,
        opts,
        skipped: 0,
    }
}

/// Reads one stream the way standard input is read: the format sniffed from its first bytes,
/// JSON Lines streamed, anything else read whole (up to the limits). `name` names it in errors
/// and, for a single report, is its id.
pub fn read_stream(
    reader: impl BufRead + Send + 'static,
    name: &str,
    opts: ReadOptions,
) -> Documents {
    let mut docs = read([], opts);
    let input = sanitize(name);
    match docs.open_stream(Box::new(reader), input.clone(), input, None) {
        Ok(iter) => docs.current = Some(iter),
        Err(e) => docs.current = Some(Box::new(std::iter::once(Err(e)))),
    }
    docs
}

impl Documents {
    /// Files skipped so far in directories because their kind is unknown.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    fn open(&mut self, p: Pending) -> Result<Option<DocIter>, Error> {
        match p {
            Pending::Arg(Input::Stdin) => {
                let stdin = BufReader::with_capacity(1 << 16, std::io::stdin());
                self.open_stream(Box::new(stdin), "<stdin>".into(), "stdin".into(), None)
                    .map(Some)
            }
            Pending::Arg(Input::Path(path)) => {
                let meta = std::fs::metadata(&path).map_err(|source| Error::Io {
                    input: shown(&path),
                    source,
                })?;
                if meta.is_dir() {
                    self.expand(&path, &path)?;
                    return Ok(None);
                }
                let id = path
                    .file_name()
                    .map_or_else(|| shown(&path), |n| sanitize(&n.to_string_lossy()));
                self.open_file(&path, id).map(Some)
            }
            Pending::InDir { path, root } => {
                let meta = std::fs::symlink_metadata(&path).map_err(|source| Error::Io {
                    input: shown(&path),
                    source,
                })?;
                if meta.is_dir() {
                    self.expand(&path, &root)?;
                    return Ok(None);
                }
                let rel = path.strip_prefix(&root).unwrap_or(&path);
                let id = rel
                    .components()
                    .map(|c| sanitize(&c.as_os_str().to_string_lossy()))
                    .collect::<Vec<_>>()
                    .join("/");
                self.open_file(&path, id).map(Some)
            }
        }
    }

    fn expand(&mut self, dir: &Path, root: &Path) -> Result<(), Error> {
        let input = shown(dir);
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            input: input.clone(),
            source,
        })?;
        let mut children: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                input: input.clone(),
                source,
            })?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            // Follow links to files, not to directories (no cycles).
            let is_dir = kind.is_dir();
            let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
            if is_dir || (is_file && Format::from_path(&path).is_some()) {
                children.push(path);
            } else if is_file {
                self.skipped += 1;
                tracing::debug!(path = %shown(&path), "skipped: not a kind of file rasd reads");
            }
        }
        children.sort();
        for path in children.into_iter().rev() {
            self.pending.push_front(Pending::InDir {
                path,
                root: root.to_path_buf(),
            });
        }
        Ok(())
    }

    fn open_file(&mut self, path: &Path, id: String) -> Result<DocIter, Error> {
        let input = shown(path);
        let file = File::open(path).map_err(|source| Error::Io {
            input: input.clone(),
            source,
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let format = Format::from_path(path);
        // A compressed file is held to the limits as it is decompressed (`read_capped`).
        let whole_limit = match format {
            _ if is_gzip(path) => u64::MAX,
            Some(Format::Text) => self.opts.max_document_bytes as u64,
            Some(Format::Jsonl) => u64::MAX,
            _ => self.opts.max_file_bytes,
        };
        if size > whole_limit {
            if let Some(counter) = &self.opts.bytes_read {
                counter.fetch_add(size, Ordering::Relaxed);
            }
            return Err(Error::TooLarge {
                input,
                size,
                limit: whole_limit,
                what: "file",
            });
        }
        let reader = BufReader::with_capacity(1 << 16, file);
        // The counter counts the file's bytes, compressed or not, as `input_bytes` does.
        let reader: Box<dyn BufRead + Send> = match self.opts.bytes_read.clone() {
            Some(counter) => Box::new(Counting {
                inner: reader,
                counter,
            }),
            None => Box::new(reader),
        };
        let reader: Box<dyn BufRead + Send> = if is_gzip(path) {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::bufread::MultiGzDecoder::new(reader),
            ))
        } else {
            reader
        };
        self.open_stream(reader, input, id, format)
    }

    fn open_stream(
        &mut self,
        mut reader: Box<dyn BufRead + Send>,
        input: String,
        id: String,
        format: Option<Format>,
    ) -> Result<DocIter, Error> {
        let format = match format {
            Some(f) => f,
            None => {
                let head = reader.fill_buf().map_err(|source| Error::Io {
                    input: input.clone(),
                    source,
                })?;
                Format::sniff(head)
            }
        };
        let opts = self.opts.clone();
        match format {
            Format::Jsonl => Ok(Box::new(JsonlDocs {
                reader,
                input,
                id,
                line: 0,
                buf: Vec::new(),
                max_line: opts.max_document_bytes.saturating_mul(4),
                opts,
                done: false,
            })),
            Format::Text => {
                let bytes = read_capped(reader, opts.max_document_bytes as u64, &input, "report")?;
                let (text, encoding) = decode(&bytes, &input, false)?;
                Ok(Box::new(std::iter::once(Ok(
                    Document::new(id, text).with_encoding(encoding)
                ))))
            }
            Format::Html => {
                let bytes = read_capped(reader, opts.max_file_bytes, &input, "file")?;
                let (page, encoding) = decode(&bytes, &input, true)?;
                Ok(Box::new(std::iter::once(
                    html_document(&page, id, &input, &opts).map(|d| d.with_encoding(encoding)),
                )))
            }
            Format::Feed => {
                let bytes = read_capped(reader, opts.max_file_bytes, &input, "file")?;
                if crate::encoding::is_binary(&bytes) {
                    return Err(Error::Binary { input });
                }
                let items = feed_documents(&bytes, &id, &input, &opts)?;
                Ok(Box::new(items.into_iter()))
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let pending = self.pending.pop_front()?;
            match self.open(pending) {
                Ok(Some(iter)) => self.current = Some(iter),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

fn read_capped(
    reader: impl Read,
    limit: u64,
    input: &str,
    what: &'static str,
) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            input: input.to_string(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            input: input.to_string(),
            size: bytes.len() as u64,
            limit,
            what,
        });
    }
    Ok(bytes)
}

/// Checks and decodes one text or HTML input's bytes (see [`crate::encoding`]): not binary,
/// in UTF-8, UTF-16 or an Arabic legacy encoding, not blank. Returns the text and the name
/// of its encoding when it was not UTF-8.
fn decode(bytes: &[u8], input: &str, html: bool) -> Result<(String, Option<String>), Error> {
    let decoded = crate::encoding::decode(bytes, html).map_err(|e| match e {
        Undecodable::Binary => Error::Binary {
            input: input.to_string(),
        },
        Undecodable::NotText { offset } => Error::UnknownEncoding {
            input: input.to_string(),
            offset,
        },
        Undecodable::Malformed { encoding } => Error::Malformed {
            input: input.to_string(),
            encoding,
        },
    })?;
    if decoded.text.trim().is_empty() {
        return Err(Error::Empty {
            input: input.to_string(),
        });
    }
    Ok((decoded.text, decoded.encoding.map(|e| e.name().to_string())))
}

fn parse_published(value: Option<&str>, input: &str) -> Option<Published> {
    let value = value?.trim();
    if value.is_empty() {
        return None;
    }
    match Published::parse(value) {
        Ok(p) => Some(p),
        Err(e) => {
            let reason = sanitize(&e.to_string());
            tracing::warn!(input = %input, "publication time ignored: {reason}");
            None
        }
    }
}

fn html_document(
    page: &str,
    id: String,
    input: &str,
    opts: &ReadOptions,
) -> Result<Document, Error> {
    let p = html::extract(page, &opts.boilerplate).map_err(|e| Error::TooDeep {
        input: input.to_string(),
        depth: e.depth,
    })?;
    if p.text.trim().is_empty() {
        return Err(Error::NoText {
            input: input.to_string(),
        });
    }
    if p.text.len() > opts.max_document_bytes {
        return Err(Error::TooLarge {
            input: input.to_string(),
            size: p.text.len() as u64,
            limit: opts.max_document_bytes as u64,
            what: "report",
        });
    }
    Ok(Document::new(id, p.text)
        .with_title(p.title)
        .with_source(p.site_name)
        .with_url(p.url)
        .with_published(parse_published(p.published.as_deref(), input)))
}

/// The date text of each item as the feed writes it, in order: feed-rs gives times in UTC
/// only, and the report's own offset decides its day (and so what «أمس» means).
fn raw_item_dates(xml: &str) -> Vec<Option<String>> {
    let lower = xml.to_ascii_lowercase();
    let mut starts: Vec<usize> = Vec::new();
    for tag in ["<item", "<entry"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(tag) {
            let at = from + i;
            let next = lower
                .as_bytes()
                .get(at + tag.len())
                .copied()
                .unwrap_or(b'>');
            if next == b'>' || next.is_ascii_whitespace() || next == b'/' {
                starts.push(at);
            }
            from = at + tag.len();
        }
    }
    starts.sort_unstable();
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lower.len());
        let seg = &lower[s..end];
        let mut found = None;
        for tag in ["pubdate", "published", "dc:date", "updated"] {
            let open = format!("<{tag}>");
            let close = format!("</{tag}>");
            if let Some(a) = seg.find(&open) {
                let a = a + open.len();
                if let Some(b) = seg[a..].find(&close) {
                    let raw = xml[s + a..s + a + b].trim();
                    let raw = raw
                        .strip_prefix("<![CDATA[")
                        .and_then(|r| r.strip_suffix("]]>"))
                        .unwrap_or(raw);
                    found = Some(raw.trim().to_string());
                    break;
                }
            }
        }
        out.push(found);
    }
    out
}

/// XML knows five named entities; feeds written by HTML tools use all of HTML's (`&nbsp;`,
/// `&hellip;`, `&rsquo;`), which the XML parser cannot expand, and the item's text or title
/// came out empty. This writes each HTML named entity outside CDATA sections as the character
/// reference XML understands (`&nbsp;` → `&#160;`), using html5ever's table of HTML entities;
/// unknown names are left for the parser to judge.
fn html_entities_as_references(xml: &str) -> Cow<'_, str> {
    if !xml.contains('&') {
        return Cow::Borrowed(xml);
    }
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while !rest.is_empty() {
        let (plain, tail) = rest.split_at(rest.find("<![CDATA[").unwrap_or(rest.len()));
        entities_as_references(plain, &mut out);
        let cdata_end = tail.find("]]>").map_or(tail.len(), |j| j + 3);
        out.push_str(&tail[..cdata_end]);
        rest = &tail[cdata_end..];
    }
    Cow::Owned(out)
}

fn entities_as_references(text: &str, out: &mut String) {
    use std::fmt::Write as _;
    let mut copied = 0;
    for (at, _) in text.match_indices('&') {
        let after = &text[at + 1..];
        let name_len = after
            .bytes()
            .take(40)
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len == 0 || after.as_bytes().get(name_len) != Some(&b';') {
            continue;
        }
        let name = &after[..=name_len];
        if matches!(name, "amp;" | "lt;" | "gt;" | "quot;" | "apos;") {
            continue;
        }
        let Some(&(first, second)) = html5ever::data::NAMED_ENTITIES.get(name) else {
            continue;
        };
        if first == 0 {
            continue;
        }
        out.push_str(&text[copied..at]);
        let _ = write!(out, "&#{first};");
        if second != 0 {
            let _ = write!(out, "&#{second};");
        }
        copied = at + 1 + name.len();
    }
    out.push_str(&text[copied..]);
}

/// A feed item's title as text: entities decoded and tags dropped when it holds HTML, white
/// space folded.
fn item_title(title: &str, opts: &ReadOptions) -> String {
    let text = if title.contains(['&', '<']) {
        html::fragment_text(title, &opts.boilerplate).unwrap_or_else(|_| title.to_string())
    } else {
        title.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn feed_documents(
    bytes: &[u8],
    id: &str,
    input: &str,
    opts: &ReadOptions,
) -> Result<Vec<Result<Document, Error>>, Error> {
    let rewritten = std::str::from_utf8(bytes).map(html_entities_as_references);
    let xml = match &rewritten {
        Ok(text) => text.as_bytes(),
        Err(_) => bytes,
    };
    let feed = feed_rs::parser::parse(xml).map_err(|e| Error::Feed {
        input: input.to_string(),
        message: e.to_string(),
    })?;
    let source = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let raw_dates = raw_item_dates(&String::from_utf8_lossy(bytes));
    let aligned = raw_dates.len() == feed.entries.len();
    let mut out = Vec::with_capacity(feed.entries.len());
    for (n, entry) in feed.entries.into_iter().enumerate() {
        let item = format!("{input}#{}", n + 1);
        let link = entry
            .links
            .first()
            .map(|l| l.href.trim().to_string())
            .filter(|l| !l.is_empty());
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()));
        let text = match body {
            Some(b) if b.contains('<') => match html::fragment_text(&b, &opts.boilerplate) {
                Ok(text) => text,
                Err(e) => {
                    out.push(Err(Error::TooDeep {
                        input: item,
                        depth: e.depth,
                    }));
                    continue;
                }
            },
            Some(b) => b.trim().to_string(),
            None => String::new(),
        };
        if text.trim().is_empty() {
            out.push(Err(Error::Empty { input: item }));
            continue;
        }
        if text.len() > opts.max_document_bytes {
            out.push(Err(Error::TooLarge {
                input: item,
                size: text.len() as u64,
                limit: opts.max_document_bytes as u64,
                what: "report",
            }));
            continue;
        }
        let raw = if aligned {
            raw_dates[n].as_deref()
        } else {
            None
        };
        let published = parse_published(raw, &item).or_else(|| {
            entry
                .published
                .or(entry.updated)
                .map(|t| Published::DateTime(t.fixed_offset()))
        });
        let title = entry.title.map(|t| item_title(&t.content, opts));
        let doc_id = link.clone().unwrap_or_else(|| format!("{id}#{}", n + 1));
        out.push(Ok(Document::new(doc_id, text)
            .with_title(title.filter(|t| !t.is_empty()))
            .with_source(source.clone())
            .with_url(link)
            .with_published(published)));
    }
    Ok(out)
}

/// One JSON Lines document, as `rasd analyze` reads it. Only `text` must be a string; the
/// optional fields are taken as any JSON value, so that a wrong-typed one (`"title": 7`) costs
/// a warning about that field, not the report.
#[derive(Deserialize)]
struct JsonDoc {
    id: Option<serde_json::Value>,
    #[serde(alias = "content", alias = "body")]
    text: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
    url: Option<serde_json::Value>,
    #[serde(alias = "date")]
    published: Option<serde_json::Value>,
}

/// An optional text field: a string, or nothing (null or missing); any other type is left
/// out with a warning naming the line and the field.
fn optional_text(value: Option<serde_json::Value>, field: &str, at: &str) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Null => None,
        other => {
            tracing::warn!(
                input = %at,
                "\"{field}\" left out: it must be a string, not {}",
                json_type(&other)
            );
            None
        }
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

struct JsonlDocs {
    reader: Box<dyn BufRead + Send>,
    input: String,
    id: String,
    line: usize,
    buf: Vec<u8>,
    max_line: usize,
    opts: ReadOptions,
    done: bool,
}

enum Line {
    Eof,
    Ok,
    TooLong(u64),
}

/// Reads one line into `buf` (without its newline), keeping at most `cap` bytes in memory: a
/// longer line is consumed and reported by its length.
fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let avail = reader.fill_buf()?;
        if avail.is_empty() {
            return Ok(match (total, too_long) {
                (0, _) => Line::Eof,
                (_, true) => Line::TooLong(total),
                _ => Line::Ok,
            });
        }
        let (chunk, used, end) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        if !too_long {
            if buf.len() + chunk.len() > cap {
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        total += used as u64;
        reader.consume(used);
        if end {
            return Ok(if too_long {
                Line::TooLong(total)
            } else {
                Line::Ok
            });
        }
    }
}

impl JsonlDocs {
    fn parse_line(&self, at: &str) -> Result<Document, Error> {
        let mut bytes: &[u8] = &self.buf;
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if bytes.contains(&0) {
            return Err(Error::Binary {
                input: at.to_string(),
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
            input: at.to_string(),
            offset: e.valid_up_to(),
        })?;
        if !text.trim_start().starts_with('{') {
            return Err(Error::Json {
                input: at.to_string(),
                message: "a line must be a JSON object with a \"text\" field".into(),
            });
        }
        let doc: JsonDoc = serde_json::from_str(text).map_err(|e| Error::Json {
            input: at.to_string(),
            message: e.to_string(),
        })?;
        let body = match doc.text {
            Some(serde_json::Value::String(body)) => body,
            None | Some(serde_json::Value::Null) => {
                return Err(Error::Json {
                    input: at.to_string(),
                    message: "no \"text\" field".into(),
                })
            }
            Some(other) => {
                return Err(Error::Json {
                    input: at.to_string(),
                    message: format!("\"text\" must be a string, not {}", json_type(&other)),
                })
            }
        };
        if body.trim().is_empty() {
            return Err(Error::Empty {
                input: at.to_string(),
            });
        }
        if body.len() > self.opts.max_document_bytes {
            return Err(Error::TooLarge {
                input: at.to_string(),
                size: body.len() as u64,
                limit: self.opts.max_document_bytes as u64,
                what: "report",
            });
        }
        let id = match doc.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => sanitize(s.trim()),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            None | Some(serde_json::Value::Null) => format!("{}:{}", self.id, self.line),
            Some(other) => {
                tracing::warn!(
                    input = %at,
                    "\"id\" must be a string or a number, not {}: the report is named by its line",
                    json_type(&other)
                );
                format!("{}:{}", self.id, self.line)
            }
        };
        let published = optional_text(doc.published, "published", at);
        Ok(Document::new(id, body)
            .with_title(optional_text(doc.title, "title", at))
            .with_source(optional_text(doc.source, "source", at))
            .with_url(optional_text(doc.url, "url", at))
            .with_published(parse_published(published.as_deref(), at)))
    }
}

impl Iterator for JsonlDocs {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            self.line += 1;
            let at = format!("{}:{}", self.input, self.line);
            match read_line_capped(&mut *self.reader, &mut self.buf, self.max_line) {
                Err(source) => {
                    self.done = true;
                    return Some(Err(Error::Io { input: at, source }));
                }
                Ok(Line::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(size)) => {
                    return Some(Err(Error::TooLarge {
                        input: at,
                        size,
                        limit: self.max_line as u64,
                        what: "JSON line",
                    }))
                }
                Ok(Line::Ok) => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(self.parse_line(&at));
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(Format::sniff(b"  {\"id\":1}"), Format::Jsonl);
        assert_eq!(Format::sniff(b"<?xml version=\"1.0\"?><rss>"), Format::Feed);
        assert_eq!(
            Format::sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Format::Feed
        );
        assert_eq!(Format::sniff(b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::sniff("قصف على حلب".as_bytes()), Format::Text);
    }

    #[test]
    fn hostile_names_are_escaped() {
        assert_eq!(sanitize("a\nb\u{202E}txt.exe"), "a\\nb\\u{202e}txt.exe");
    }

    #[test]
    fn capped_lines_never_hold_more_than_the_cap() {
        let data = format!("{}\nshort\n", "x".repeat(10_000));
        let mut r = std::io::Cursor::new(data.into_bytes());
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 100).unwrap(),
            Line::TooLong(10_001)
        ));
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 100).unwrap(),
            Line::Ok
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_line_capped(&mut r, &mut buf, 100).unwrap(),
            Line::Eof
        ));
    }

    fn jsonl(text: &[u8]) -> Vec<Result<Document, Error>> {
        read_stream(
            std::io::Cursor::new(text.to_vec()),
            "r.jsonl",
            ReadOptions::default(),
        )
        .collect()
    }

    /// Issue 15, defect 7: one NUL byte near the start of a JSONL file rejected the whole
    /// file as binary; only its line is bad.
    #[test]
    fn issue_15_a_nul_byte_costs_only_its_line() {
        let docs = jsonl(
            "{\"id\":\"a\",\"text\":\"قصف على البلدة\"}\n\
             {\"id\":\"b\",\"text\":\"نص\u{0}ثنائي\"}\n\
             {\"id\":\"c\",\"text\":\"اشتباكات في الريف\"}\n"
                .as_bytes(),
        );
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].as_ref().unwrap().id, "a");
        let err = docs[1].as_ref().unwrap_err();
        assert!(matches!(err, Error::Binary { .. }), "{err}");
        assert!(err.to_string().starts_with("r.jsonl:2: binary"), "{err}");
        assert_eq!(docs[2].as_ref().unwrap().id, "c");
    }

    /// Issue 15, defect 10: a wrong-typed optional field cost the whole line.
    #[test]
    fn issue_15_a_wrong_typed_optional_field_keeps_the_report() {
        let docs = jsonl(
            "{\"id\":\"a\",\"text\":\"قصف على البلدة\",\"title\":7,\"published\":20240101,\
              \"source\":[\"x\"],\"url\":{\"u\":1}}\n\
             {\"id\":{\"x\":1},\"text\":\"اشتباكات\",\"published\":\"2024-12-06\"}\n\
             {\"id\":\"c\",\"text\":42}\n"
                .as_bytes(),
        );
        let a = docs[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.text.as_str()), ("a", "قصف على البلدة"));
        assert!(a.title.is_none() && a.published.is_none() && a.source.is_none());
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.id, "r.jsonl:2");
        assert_eq!(
            b.published.map(|p| p.date().to_string()).as_deref(),
            Some("2024-12-06")
        );
        let err = docs[2].as_ref().unwrap_err().to_string();
        assert!(
            err.contains("r.jsonl:3") && err.contains("\"text\" must be a string"),
            "{err}"
        );
    }

    /// Issue 15, defect 6: HTML's named entities in a feed emptied the item's text and dropped
    /// its title.
    #[test]
    fn issue_15_html_entities_in_a_feed_keep_the_text_and_title() {
        let xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>نشرة</title>\
            <item><title>قصف&nbsp;على&nbsp;البلدة&hellip;</title><link>https://e.org/1</link>\
            <description>قصف مدفعي&nbsp;على بلدة&rsquo;s caf&eacute; &amp; &#1575;</description></item>\
            <item><title><![CDATA[اعتقال &amp; مداهمة]]></title><link>https://e.org/2</link>\
            <description><![CDATA[<p>نص&nbsp;آخر</p>]]></description></item></channel></rss>";
        let docs = feed_documents(xml.as_bytes(), "f", "f", &ReadOptions::default()).unwrap();
        let first = docs[0].as_ref().unwrap();
        assert_eq!(first.text, "قصف مدفعي\u{a0}على بلدة\u{2019}s caf\u{e9} & ا");
        assert_eq!(first.title.as_deref(), Some("قصف على البلدة\u{2026}"));
        let second = docs[1].as_ref().unwrap();
        assert_eq!(second.text, "نص آخر");
        assert_eq!(second.title.as_deref(), Some("اعتقال & مداهمة"));
    }

    #[test]
    fn entities_in_cdata_and_unknown_names_are_left_alone() {
        assert_eq!(
            html_entities_as_references("a&nbsp;b<![CDATA[&nbsp;]]>&bogus;&amp;&#33;&lang;"),
            "a&#160;b<![CDATA[&nbsp;]]>&bogus;&amp;&#33;&#10216;"
        );
    }

    #[test]
    fn raw_dates_follow_the_items() {
        let xml = "<rss><channel><pubDate>x</pubDate><item><title>a</title>\
                   <pubDate>Fri, 06 Dec 2024 01:30:00 +0300</pubDate></item><item></item></channel></rss>";
        assert_eq!(
            raw_item_dates(xml),
            vec![Some("Fri, 06 Dec 2024 01:30:00 +0300".to_string()), None]
        );
    }
}
#[cfg(test)]
mod send_check {
    fn is_send<T: Send>() {}
    #[test]
    fn documents_are_send() {
        is_send::<super::Documents>();
    }
}
