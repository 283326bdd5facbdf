//! The report being analysed.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::Error;

/// When a report was published: a day, or a moment with its UTC offset.
///
/// Relative dates in the text («أمس الجمعة») are resolved against [`Published::date`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Published {
    /// Only the day is known.
    Date(NaiveDate),
    /// The day and time are known.
    DateTime(DateTime<FixedOffset>),
}

/// The earliest publication day accepted (`1900-01-01`).
pub const EARLIEST_PUBLISHED: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The latest publication day accepted (`2100-12-31`): later ones, like `9999-12-31`, are
/// placeholders or mistakes, and would become event dates.
pub const LATEST_PUBLISHED: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

impl Published {
    /// Parses an ISO date (`2024-12-06`), an RFC 3339 date-time (`2024-12-06T09:30:00+03:00`),
    /// a date-time without offset (`2024-12-06 09:30[:00]`, read as UTC) or an RFC 2822
    /// date-time as feeds write it (`Fri, 06 Dec 2024 09:30:00 +0300`).
    ///
    /// # Errors
    /// [`Error::BadDate`] naming the text when it is none of these;
    /// [`Error::DateOutOfRange`] when its day is before [`EARLIEST_PUBLISHED`] or after
    /// [`LATEST_PUBLISHED`] (`-0001-01-01`, `9999-12-31`).
    pub fn parse(text: &str) -> Result<Published, Error> {
        let p = Published::parse_any(text)?;
        if (EARLIEST_PUBLISHED..=LATEST_PUBLISHED).contains(&p.date()) {
            Ok(p)
        } else {
            Err(Error::DateOutOfRange(text.trim().to_string()))
        }
    }

    fn parse_any(text: &str) -> Result<Published, Error> {
        let t = text.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(Published::Date(d));
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Ok(Published::DateTime(dt));
        }
        if let Ok(dt) = DateTime::parse_from_rfc2822(t) {
            return Ok(Published::DateTime(dt));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
                return Ok(Published::DateTime(naive.and_utc().fixed_offset()));
            }
        }
        Err(Error::BadDate(text.to_string()))
    }

    /// The publication day (in the report's own time zone).
    pub fn date(&self) -> NaiveDate {
        match self {
            Published::Date(d) => *d,
            Published::DateTime(dt) => dt.date_naive(),
        }
    }
}

impl std::fmt::Display for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Published::Date(d) => write!(f, "{d}"),
            Published::DateTime(dt) => write!(f, "{}", dt.to_rfc3339()),
        }
    }
}

impl Serialize for Published {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Published::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A report: its original text and what is known about it.
///
/// The text is kept exactly as read; every [`crate::Span`] indexes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The report's id (a file name, or the `id` of a JSONL document).
    pub id: String,
    /// The original text.
    pub text: String,
    /// The headline, if known.
    pub title: Option<String>,
    /// The outlet that published it.
    pub source: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published.
    pub published: Option<Published>,
    /// Hash of the text the analysis compares (see [`crate::content_hash`]); ingest sets it
    /// from the normalized text so that spelling variants of one report hash alike.
    pub content_hash: String,
    /// The character encoding the report came in, when it was not UTF-8 (`windows-1256`,
    /// `ISO-8859-6`, `UTF-16LE`, `UTF-16BE`, as the WHATWG Encoding Standard names them);
    /// `None` for UTF-8. [`Document::text`] is always the decoded text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl Document {
    /// A document with an id and text, its content hash taken over the text as given.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        let text = text.into();
        let content_hash = crate::content_hash(&text);
        Document {
            id: id.into(),
            text,
            title: None,
            source: None,
            url: None,
            published: None,
            content_hash,
            encoding: None,
        }
    }

    /// Sets the publication time.
    pub fn with_published(mut self, published: Option<Published>) -> Document {
        self.published = published;
        self
    }

    /// Sets the outlet.
    pub fn with_source(mut self, source: Option<String>) -> Document {
        self.source = source;
        self
    }

    /// Sets the headline.
    pub fn with_title(mut self, title: Option<String>) -> Document {
        self.title = title;
        self
    }

    /// Sets the URL.
    pub fn with_url(mut self, url: Option<String>) -> Document {
        self.url = url;
        self
    }

    /// Sets the encoding the report came in (`None` for UTF-8).
    pub fn with_encoding(mut self, encoding: Option<String>) -> Document {
        self.encoding = encoding;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_accepts_the_common_shapes() {
        let day = NaiveDate::from_ymd_opt(2024, 12, 6).unwrap();
        for text in [
            "2024-12-06",
            "2024-12-06T09:30:00+03:00",
            "2024-12-06T09:30:00Z",
            "2024-12-06 09:30",
            "2024-12-06T09:30:00.250",
            "Fri, 06 Dec 2024 09:30:00 +0300",
        ] {
            assert_eq!(Published::parse(text).unwrap().date(), day, "{text}");
        }
        assert!(Published::parse("أمس").is_err());
        assert!(Published::parse("2024-13-40").is_err());
    }

    /// Issue 15, defect 11: out-of-range publication dates were accepted and became event
    /// dates.
    #[test]
    fn issue_15_out_of_range_publication_dates_are_refused() {
        for text in [
            "-0001-01-01",
            "9999-12-31",
            "0000-01-01",
            "1899-12-31",
            "2101-01-01T00:00:00Z",
        ] {
            let err = Published::parse(text).unwrap_err();
            assert!(matches!(err, Error::DateOutOfRange(_)), "{text}: {err}");
            assert!(err
                .to_string()
                .contains("between 1900-01-01 and 2100-12-31"));
        }
        assert!(Published::parse("1900-01-01").is_ok());
        assert!(Published::parse("2100-12-31").is_ok());
    }

    #[test]
    fn published_round_trips_through_json() {
        let p = Published::parse("2024-12-06").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"2024-12-06\"");
        assert_eq!(serde_json::from_str::<Published>(&json).unwrap(), p);
    }
}
