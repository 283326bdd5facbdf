//! The character encoding of a text or HTML input, and its decoding.
//!
//! Arabic pages kept in archives are often in windows-1256 or ISO-8859-6, and text files
//! saved by Windows tools in UTF-16. [`decode`] decides in this order:
//!
//! 1. a byte-order mark: UTF-8, UTF-16LE or UTF-16BE;
//! 2. bytes that are valid UTF-8 are UTF-8 (a page that declares windows-1256 but holds valid
//!    UTF-8 Arabic was converted and its `<meta>` left behind; long legacy Arabic text is
//!    practically never valid UTF-8, and ASCII reads the same in all of them);
//! 3. for HTML, the encoding a `<meta charset>` or `<meta http-equiv="Content-Type">`
//!    declares in the first 4 KiB (any label of the WHATWG Encoding Standard);
//! 4. otherwise detection (chardetng), kept only when it finds windows-1256 or ISO-8859-6:
//!    rasd reads Arabic, and text in another legacy encoding holds none.
//!
//! A NUL byte (in the decoded text, for UTF-16), or many C0 control bytes in a legacy
//! encoding, mark binary data, which is refused. The text handed on is the decoded text,
//! so every evidence span indexes it.
//!
//! Known failure: a page with no `<meta>` whose Arabic is too short to tell windows-1256
//! from ISO-8859-6 may be read with the other one; the Arabic letters of both agree on most
//! bytes, so the words read the same, but the few letters they place differently do not.

use encoding_rs::{Encoding, ISO_8859_6, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1256};

/// How far into a page `<meta charset>` is looked for (the HTML standard's prescan reads
/// 1024 bytes; pages with long `<head>` scripts put it later).
const META_WINDOW: usize = 4096;

/// How far into an input binary data is looked for.
const BINARY_WINDOW: usize = 8192;

/// Bytes decoded: the text, and the encoding when it was not UTF-8.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The decoded text, without a byte-order mark.
    pub text: String,
    /// The encoding it came in, `None` for UTF-8.
    pub encoding: Option<&'static Encoding>,
}

/// Why bytes could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Undecodable {
    /// NUL bytes or control bytes: not text.
    Binary,
    /// Neither UTF-8 (invalid at `offset`) nor an Arabic legacy encoding.
    NotText {
        /// Offset of the first byte that is not UTF-8.
        offset: usize,
    },
    /// A UTF-16 text with a lone surrogate, or a declared encoding it does not follow.
    Malformed {
        /// The encoding.
        encoding: &'static str,
    },
}

/// Decodes one input's bytes (see the module docs); `html` enables the `<meta>` prescan.
pub(crate) fn decode(bytes: &[u8], html: bool) -> Result<Decoded, Undecodable> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if encoding == UTF_8 {
            return utf8(body);
        }
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or(Undecodable::Malformed {
                encoding: encoding.name(),
            })?;
        if text.chars().take(BINARY_WINDOW).any(|c| c == '\0') {
            return Err(Undecodable::Binary);
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: Some(encoding),
        });
    }
    if is_binary(bytes) {
        return Err(Undecodable::Binary);
    }
    let offset = match std::str::from_utf8(bytes) {
        Ok(_) => return utf8(bytes),
        Err(e) => e.valid_up_to(),
    };
    if has_control_bytes(bytes) {
        return Err(Undecodable::Binary);
    }
    let declared = if html { meta_charset(bytes) } else { None };
    let encoding = match declared {
        // UTF-16 cannot be declared in an ASCII <meta>: the standard reads it as UTF-8.
        Some(e) if e == UTF_8 || e == UTF_16LE || e == UTF_16BE => {
            return Err(Undecodable::NotText { offset })
        }
        Some(e) => e,
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
            if guess != WINDOWS_1256 && guess != ISO_8859_6 {
                return Err(Undecodable::NotText { offset });
            }
            guess
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        tracing::warn!(
            encoding = encoding.name(),
            "bytes that are not {} were read as U+FFFD",
            encoding.name()
        );
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: Some(encoding),
    })
}

fn utf8(bytes: &[u8]) -> Result<Decoded, Undecodable> {
    if is_binary(bytes) {
        return Err(Undecodable::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            encoding: None,
        }),
        Err(e) => Err(Undecodable::NotText {
            offset: e.valid_up_to(),
        }),
    }
}

/// A NUL byte near the start.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(BINARY_WINDOW).any(|&b| b == 0)
}

/// More than one byte in a hundred is a C0 control other than tab, line ends and form feed:
/// no text encoding writes those, compressed and image data do.
fn has_control_bytes(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(BINARY_WINDOW)];
    let controls = window
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 100 > window.len()
}

/// The encoding a page's `<meta charset="…">` or `<meta http-equiv="Content-Type"
/// content="text/html; charset=…">` names in its first [`META_WINDOW`] bytes, when
/// encoding_rs knows the label.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_WINDOW)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&head[from..], b"<meta") {
        let start = from + at + b"<meta".len();
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(encoding) = Encoding::for_label(&rest[..len]) {
                    return Some(encoding);
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ARABIC: &str = "أعلنت مصادر محلية أن دورية للأمن العام اعتقلت ثلاثة شبان عند حاجز \
                          على مدخل بلدة المزيريب في ريف درعا الغربي صباح اليوم الأحد.";

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "{} cannot write the test text",
            encoding.name()
        );
        bytes.into_owned()
    }

    #[test]
    fn utf8_stays_utf8_and_its_bom_is_dropped() {
        let d = decode(ARABIC.as_bytes(), false).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (ARABIC, None));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), ARABIC.as_bytes()].concat();
        assert_eq!(decode(&with_bom, false).unwrap().text, ARABIC);
    }

    #[test]
    fn utf16_with_a_bom_either_way() {
        for (encoding, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut bytes = bom.to_vec();
            for unit in ARABIC.encode_utf16() {
                let pair = if encoding == UTF_16LE {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let d = decode(&bytes, false).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (ARABIC, Some(encoding)));
        }
    }

    #[test]
    fn legacy_arabic_is_detected() {
        for encoding in [WINDOWS_1256, ISO_8859_6] {
            let d = decode(&encoded(encoding, ARABIC), false).unwrap();
            assert_eq!(d.text, ARABIC, "{}", encoding.name());
            assert!(matches!(d.encoding, Some(e) if e == WINDOWS_1256 || e == ISO_8859_6));
        }
    }

    #[test]
    fn a_page_declares_its_encoding() {
        for (meta, encoding) in [
            ("<meta charset=\"windows-1256\">", WINDOWS_1256),
            ("<META CHARSET=iso-8859-6 />", ISO_8859_6),
            (
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=cp1256\">",
                WINDOWS_1256,
            ),
        ] {
            let page = format!("<html><head>{meta}</head><body><p>{ARABIC}</p></body></html>");
            let d = decode(&encoded(encoding, &page), true).unwrap();
            assert_eq!((d.text, d.encoding), (page, Some(encoding)), "{meta}");
        }
    }

    #[test]
    fn binary_and_other_encodings_are_refused() {
        assert_eq!(decode(b"ab\0cd", false).unwrap_err(), Undecodable::Binary);
        assert_eq!(
            decode(
                b"\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06IHDR\xff\xd8",
                false
            )
            .unwrap_err(),
            Undecodable::Binary
        );
        assert_eq!(
            decode(b"\xFF\xFEA\0\0\0", false).unwrap_err(),
            Undecodable::Binary
        );
        assert_eq!(
            decode(b"caf\xe9 au lait", false).unwrap_err(),
            Undecodable::NotText { offset: 3 }
        );
        let page = b"<meta charset=utf-8><p>caf\xe9</p>";
        assert_eq!(
            decode(page, true).unwrap_err(),
            Undecodable::NotText { offset: 26 }
        );
    }
}
