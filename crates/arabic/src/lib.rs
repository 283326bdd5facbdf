//! Arabic text handling for rasd: a normalized view of a report with an offset map back to the
//! original, sentences, tokens, proclitics, numbers and dates.
//!
//! - [`normalize`] / [`ArabicNormalizer`] build a [`Normalized`] view: tashkeel, tatweel and
//!   invisible marks dropped, alef/ya/ta-marbuta folded, digits made ASCII, quotes and dashes
//!   unified, whitespace collapsed. [`Normalized::to_original`] maps a [`NormSpan`] found in
//!   the view back to a [`rasd_core::Span`] of the original.
//!
//! ```
//! use rasd_arabic::{normalize, NormSpan};
//! let report = "قُتِلَ ثلاثةُ عناصرَ في درعا";
//! let n = normalize(report);
//! assert_eq!(n.as_str(), "قتل ثلاثه عناصر في درعا");
//! let at = n.as_str().find("درعا").unwrap();
//! let span = n.to_original(NormSpan::new(at, at + "درعا".len()));
//! assert_eq!(&report[span], "درعا");
//! ```
#![deny(missing_docs)]

mod clitics;
pub mod data;
mod dates;
mod normalize;
mod numbers;
mod offsets;
mod phrases;
mod segment;

pub use clitics::{Clitics, MIN_GUESSED_STEM, MIN_STEM};
pub use dates::{DateMention, DateParser};
pub use normalize::{
    default_normalizer, normalize, normalize_key, AlefForms, ArabicNormalizer,
    ArabicNormalizerBuilder, AsciiLower, CharAction, CharNormalizer, Dashes, Digits,
    InvisibleMarks, Normalized, Quotes, TaMarbuta, Tashkeel, Tatweel, YaKaf,
};
pub use numbers::{NumberParser, Quantity, QuantityModifier};
pub use offsets::NormSpan;
pub use segment::{sentences, tokens, Token, TokenKind, LONG_LINE};

/// Errors of the Arabic crate: bad rows in its data files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A data file row that cannot be read.
    #[error("{origin}:{line}: {message}")]
    Data {
        /// The file (`data/arabic/NAME` or the user's path).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the row.
        message: String,
    },
}
