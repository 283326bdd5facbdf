//! rasd's shared vocabulary: the event contract, ACLED's taxonomy, the [`Document`] being
//! analysed and the [`Span`]s that point into its original text. No I/O happens here.
//!
//! - [`Document`]: a report (id, original text, title, source, url, [`Published`], hash).
//! - [`Span`]: byte offsets into the original text; every annotation is one.
//! - [`Event`]: one record of the contract, serialized as one JSON line; its schema is
//!   [`event_schema`] (committed as `docs/event.schema.json`).
//! - [`EventType`], [`SubEventType`], [`DisorderType`]: the taxonomy, spelled as ACLED spells it.
//! - [`DataFiles`]: built-in language data with a user's overrides.
//!
//! ```
//! use rasd_core::{Document, Span, SubEventType, EventType};
//! let doc = Document::new("r1", "انشقاق خمسة عناصر في درعا");
//! let span = Span::checked(&doc.text, 0, 12).unwrap();
//! assert_eq!(&doc.text[span.start..span.end], "انشقاق");
//! assert_eq!(SubEventType::ChangeToGroupActivity.event_type(), EventType::StrategicDevelopments);
//! ```
#![deny(missing_docs)]

pub mod data;
mod document;
mod event;
mod span;
mod taxonomy;

pub use data::{DataFiles, DataText};
pub use document::{Document, Published, EARLIEST_PUBLISHED, LATEST_PUBLISHED};
pub use event::{
    event_id, interaction_code, ActorType, Count, CountWhat, DatePrecision, Estimate, Event,
    Evidence, GeoPrecision, Modality, ReviewStatus, SourceRef,
};
pub use span::Span;
pub use taxonomy::{DisorderType, EventType, SubEventType};

use sha2::{Digest, Sha256};

/// Errors of the core types.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A taxonomy or code name that is not in the list.
    #[error("unknown {kind} name «{name}»")]
    UnknownName {
        /// The type looked up.
        kind: &'static str,
        /// The name given.
        name: String,
    },
    /// A publication time that is neither an ISO date nor a date-time.
    #[error("«{0}» is not a date (expected YYYY-MM-DD or an ISO/RFC 2822 date-time)")]
    BadDate(String),
    /// A publication time outside the years a news report can have been published in.
    #[error(
        "«{0}» is out of range: a publication date must fall between {earliest} and {latest}",
        earliest = crate::document::EARLIEST_PUBLISHED,
        latest = crate::document::LATEST_PUBLISHED
    )]
    DateOutOfRange(String),
}

/// Lowercase hex SHA-256 of a text: the content hash of documents and the base of event ids.
pub fn content_hash(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

/// The JSON Schema of the event record, generated from the types.
pub fn event_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Event);
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_lowercase_hex_sha256() {
        // The published SHA-256 test vectors of "abc" and of the empty string.
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
