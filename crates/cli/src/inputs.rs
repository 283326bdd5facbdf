//! Reading the inputs of `rasd analyze`: `.txt` files, `.jsonl` document files and
//! directories of them. Each bad input yields one error naming it; the others go on.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rasd_core::{Document, Published};
use serde::Deserialize;

/// The largest report read from one `.txt` file or one JSONL line (bytes).
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8 text.
    #[error("{path}: not UTF-8 text (byte {offset} is invalid); save it as UTF-8")]
    NotUtf8 {
        /// The input.
        path: String,
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// The file holds NUL bytes: a binary file, not a report.
    #[error("{path}: binary file (holds NUL bytes), not a text report")]
    Binary {
        /// The input.
        path: String,
    },
    /// Nothing but whitespace.
    #[error("{path}: empty report")]
    Empty {
        /// The input.
        path: String,
    },
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error(
        "{path}: {size} bytes is larger than the {MAX_DOCUMENT_BYTES}-byte limit of one report"
    )]
    TooLarge {
        /// The input.
        path: String,
        /// Its size.
        size: u64,
    },
    /// A JSONL line that is not a document object.
    #[error("{path}:{line}: not a document ({reason})")]
    BadJsonLine {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// An extension rasd does not read.
    #[error("{path}: unsupported input (expected .txt, .jsonl or a directory)")]
    Unsupported {
        /// The input.
        path: String,
    },
}

/// One JSONL document line.
#[derive(Debug, Deserialize)]
struct JsonDocument {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Expands the inputs into the files to read: directories recursively (their `.txt` and
/// `.jsonl` files, sorted), other paths as given.
pub fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut out);
        } else {
            out.push(input.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else if matches!(extension(&path).as_deref(), Some("txt" | "jsonl")) {
            out.push(path);
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
}

/// Reads one file into documents, calling `each` with every document or error. A `.txt` file is
/// one document whose id is its file name; a `.jsonl` file is one document a line.
pub fn read_file(
    path: &Path,
    published: Option<Published>,
    each: &mut dyn FnMut(Result<Document, InputError>),
) {
    let shown = path.display().to_string();
    match extension(path).as_deref() {
        Some("jsonl") => read_jsonl(path, &shown, each),
        Some("txt") => each(read_txt(path, &shown, published)),
        _ => each(Err(InputError::Unsupported { path: shown })),
    }
}

fn read_txt(
    path: &Path,
    shown: &str,
    published: Option<Published>,
) -> Result<Document, InputError> {
    let io = |source| InputError::Io {
        path: shown.to_string(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(InputError::TooLarge {
            path: shown.to_string(),
            size,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let text = decode(bytes, shown)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Document::new(name, text).with_published(published))
}

/// Checks that bytes are a non-empty UTF-8 text report (a leading BOM is dropped).
fn decode(bytes: Vec<u8>, shown: &str) -> Result<String, InputError> {
    if bytes.contains(&0) {
        return Err(InputError::Binary {
            path: shown.to_string(),
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        path: shown.to_string(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.trim().is_empty() {
        return Err(InputError::Empty {
            path: shown.to_string(),
        });
    }
    Ok(text)
}

fn read_jsonl(path: &Path, shown: &str, each: &mut dyn FnMut(Result<Document, InputError>)) {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(source) => {
            return each(Err(InputError::Io {
                path: shown.to_string(),
                source,
            }))
        }
    };
    let mut reader = BufReader::new(file);
    let mut line_no = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        line_no += 1;
        let read = (&mut reader)
            .take(MAX_DOCUMENT_BYTES + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(source) => {
                return each(Err(InputError::Io {
                    path: shown.to_string(),
                    source,
                }))
            }
        }
        if buf.len() as u64 > MAX_DOCUMENT_BYTES {
            each(Err(InputError::TooLarge {
                path: format!("{shown}:{line_no}"),
                size: buf.len() as u64,
            }));
            // Skip the rest of the over-long line.
            let mut rest = Vec::new();
            if buf.last() != Some(&b'\n') && reader.read_until(b'\n', &mut rest).is_err() {
                break;
            }
            continue;
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(line) => line.trim(),
            Err(e) => {
                each(Err(InputError::NotUtf8 {
                    path: format!("{shown}:{line_no}"),
                    offset: e.valid_up_to(),
                }));
                continue;
            }
        };
        if line.is_empty() {
            continue;
        }
        each(
            parse_json_document(line).map_err(|reason| InputError::BadJsonLine {
                path: shown.to_string(),
                line: line_no,
                reason,
            }),
        );
    }
}

fn parse_json_document(line: &str) -> Result<Document, String> {
    let raw: JsonDocument = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let id = match raw.id {
        serde_json::Value::String(s) if !s.trim().is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("`id` must be a non-empty string or a number".into()),
    };
    if raw.text.trim().is_empty() {
        return Err(format!("document {id} has an empty `text`"));
    }
    let published = match raw.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(Published::parse(p).map_err(|e| format!("document {id}: {e}"))?),
    };
    Ok(Document::new(id, raw.text)
        .with_title(raw.title)
        .with_source(raw.source)
        .with_url(raw.url)
        .with_published(published))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_documents_need_an_id_and_text() {
        let doc = parse_json_document(
            r#"{"id": 7, "text": "نص", "published": "2024-12-06", "source": null}"#,
        )
        .unwrap();
        assert_eq!(doc.id, "7");
        assert!(doc.published.is_some());
        assert!(parse_json_document(r#"{"id": "", "text": "نص"}"#).is_err());
        assert!(parse_json_document(r#"{"id": "a", "text": "  "}"#).is_err());
        assert!(parse_json_document(r#"{"id": "a", "text": "نص", "published": "أمس"}"#).is_err());
        assert!(parse_json_document("[1,2]").is_err());
    }

    #[test]
    fn decode_rejects_binary_empty_and_invalid_bytes() {
        assert!(matches!(
            decode(vec![0x41, 0, 0x42], "f"),
            Err(InputError::Binary { .. })
        ));
        assert!(matches!(
            decode(b" \n ".to_vec(), "f"),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            decode(vec![0xd8, 0xaf, 0xff], "f"),
            Err(InputError::NotUtf8 { offset: 2, .. })
        ));
        assert_eq!(decode("\u{feff}نص".as_bytes().to_vec(), "f").unwrap(), "نص");
    }
}
