//! Stored text, compressed: SQLite keeps each report's text and each event's JSON body as one
//! zstd frame (schema 11), since the text alone was a third of the database.
//!
//! Each value is a frame of its own, so that one report or event is read without the others;
//! at level 1 a corpus report shrinks about 2.5 times and an event body about 2.2 times.
//! Compressing and decompressing reuse one context per thread.

use std::cell::RefCell;

use crate::Error;

/// zstd's level: the fastest of the standard ones (the thread that writes bounds an ingest);
/// level 3 packs a report 4 % smaller, for half as much again of the time.
const LEVEL: i32 = 1;

/// The largest value unpacked, in bytes: a frame claiming more is not one `pack` wrote.
const MAX_UNPACKED: u64 = 1 << 31;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { RefCell::new(None) };
}

/// `text` as a zstd frame (which records its length), to store under `id`.
///
/// # Errors
/// [`Error::Compress`] naming `id` when zstd cannot set up or fails.
pub(crate) fn pack(id: &str, text: &str) -> Result<Vec<u8>, Error> {
    let failed = |e: std::io::Error| Error::Compress {
        id: id.to_string(),
        message: e.to_string(),
    };
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = match cell.as_mut() {
            Some(c) => c,
            None => cell.insert(zstd::bulk::Compressor::new(LEVEL).map_err(failed)?),
        };
        compressor.compress(text.as_bytes()).map_err(failed)
    })
}

/// The bytes a report is stored as: its text and each of its events' JSON body (the events
/// of its [`crate::PreparedReport`], in their order), each packed.
#[derive(Clone, Debug)]
pub(crate) struct PackedReport {
    /// The text, packed.
    pub(crate) text: Vec<u8>,
    /// Each event's JSON body, packed.
    pub(crate) bodies: Vec<Vec<u8>>,
}

impl PackedReport {
    /// Packs the report's text and its events' bodies (`report.events` are in stored form).
    ///
    /// # Errors
    /// [`Error::Compress`] when zstd fails, [`Error::Corrupt`] when an event cannot be written
    /// as JSON.
    pub(crate) fn new(report: &crate::Report) -> Result<PackedReport, Error> {
        let doc = &report.document;
        Ok(PackedReport {
            text: pack(&doc.id, &doc.text)?,
            bodies: report
                .events
                .iter()
                .map(pack_event)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// An event's JSON body, packed.
///
/// # Errors
/// [`Error::Corrupt`] when the event cannot be written as JSON, [`Error::Compress`] when zstd
/// fails.
pub(crate) fn pack_event(e: &rasd_core::Event) -> Result<Vec<u8>, Error> {
    let json = serde_json::to_string(e).map_err(|err| crate::sqlite::corrupt(&e.event_id, err))?;
    pack(&e.event_id, &json)
}

/// zstd's frame magic number, the first four bytes of every frame [`pack`] writes.
const FRAME_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// The text of the record `id`: a frame [`pack`] wrote, or plain UTF-8 JSON (the served
/// table's event bodies, kept unpacked so that a page of events is not unpacked event by
/// event; a JSON body begins with `{`, never with the frame's magic number).
///
/// # Errors
/// [`Error::Corrupt`] naming `id` when the value is neither such a frame nor a JSON object,
/// or not UTF-8.
pub(crate) fn unpack(id: &str, frame: &[u8]) -> Result<String, Error> {
    let corrupt = |message: String| Error::Corrupt {
        id: id.to_string(),
        message,
    };
    if frame.first() == Some(&b'{') {
        return String::from_utf8(frame.to_vec())
            .map_err(|e| corrupt(format!("a body that is no text: {e}")));
    }
    if !frame.starts_with(&FRAME_MAGIC) {
        return Err(corrupt("not a compressed text of this store".into()));
    }
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_UNPACKED => size as usize,
        _ => return Err(corrupt("not a compressed text of this store".into())),
    };
    let bytes = DECOMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let decompressor = match cell.as_mut() {
            Some(d) => d,
            None => {
                cell.insert(zstd::bulk::Decompressor::new().map_err(|e| corrupt(e.to_string()))?)
            }
        };
        decompressor
            .decompress(frame, size)
            .map_err(|e| corrupt(format!("cannot be decompressed: {e}")))
    })?;
    String::from_utf8(bytes).map_err(|e| corrupt(format!("decompressed to no text: {e}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The served table's bodies are kept plain: a JSON object reads as it is, and anything
    /// else that is no frame is named as corrupt.
    #[test]
    fn a_plain_json_body_reads_as_it_is() {
        let body = r#"{"event_id":"ev-1","notes":"قصف"}"#;
        assert_eq!(unpack("ev-1", body.as_bytes()).unwrap(), body);
        assert_eq!(unpack("ev-1", &pack("ev-1", body).unwrap()).unwrap(), body);
        let err = unpack("ev-1", b"plain words").unwrap_err().to_string();
        assert!(err.contains("ev-1"), "{err}");
        assert!(unpack("ev-1", &[b'{', 0xFF]).is_err());
    }

    #[test]
    fn a_packed_text_unpacks_to_itself() {
        for text in [
            "",
            "قصف مدفعي على بلدة النعيمة",
            &"اشتباك عنيف قرب الحدود ".repeat(500),
        ] {
            let frame = pack("r1", text).unwrap();
            assert_eq!(unpack("r1", &frame).unwrap(), text);
        }
        let long = "تظاهر الأهالي في الساحة ".repeat(200);
        assert!(pack("r1", &long).unwrap().len() * 10 < long.len());
    }

    #[test]
    fn a_value_that_is_no_frame_is_named_as_corrupt() {
        let err = unpack("doc-7", "نص غير مضغوط".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("doc-7"), "{err}");
        let mut frame = pack("doc-7", &"نص ".repeat(100)).unwrap();
        let last = frame.len() - 1;
        frame.truncate(last);
        assert!(unpack("doc-7", &frame).is_err());
    }
}
