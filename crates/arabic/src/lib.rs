//! Arabic text handling for rasd: a normalized view of a report with an offset map back to the
//! original, sentences, tokens, proclitics, numbers and dates.
//!
//! # Main types and how they connect
//! - [`normalize`] / [`ArabicNormalizer`] build a [`Normalized`] view: tashkeel, tatweel and
//!   invisible marks dropped, alef/ya/ta-marbuta folded, digits made ASCII, quotes and dashes
//!   unified, whitespace collapsed. Everything that matches reads this view; what it finds is
//!   a [`NormSpan`], and [`Normalized::to_original`] maps it back to a [`rasd_core::Span`] of
//!   the original text (the crate's invariant: normalization never loses the way back).
//! - [`sentences`] cuts the **original** text; [`tokens`] splits the normalized view into
//!   [`Token`]s that carry both spans.
//! - [`Clitics`] splits proclitics (`و ف ب ل ك ال` and their stacks) off a normalized word,
//!   keeping known lexicon words whole.
//! - [`NumberParser`] finds [`Quantity`]s (digits, number words, vague quantities and their
//!   [`QuantityModifier`]s) as `{best, low, high}` estimates.
//! - [`DateParser`] finds [`DateMention`]s, resolved against the publication date.
//!
//! Language knowledge lives in `data/arabic/*.tsv` (see [`data::BUILTIN`]), compiled in and
//! overridable through [`rasd_core::DataFiles`]; malformed rows give an [`Error`] naming
//! `file:line`.
//!
//! # Example
//! ```
//! use rasd_arabic::{normalize, sentences, tokens, NormSpan, NumberParser};
//! let report = "قُتِلَ ثلاثةُ عناصرَ في درعا. وأصيب آخرون";
//! let n = normalize(report);
//! assert_eq!(n.as_str(), "قتل ثلاثه عناصر في درعا. واصيب اخرون");
//! let at = n.as_str().find("درعا").unwrap();
//! let span = n.to_original(NormSpan::new(at, at + "درعا".len()));
//! assert_eq!(&report[span], "درعا");
//! assert_eq!(sentences(report).len(), 2);
//! assert_eq!(tokens(&n).len(), 8);
//! let counts = NumberParser::new().unwrap().find(&n);
//! assert_eq!((&report[counts[0].span], counts[0].estimate.best), ("ثلاثةُ", 3));
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
mod word_cache;

#[cfg(test)]
mod random_texts {
    /// `count` texts, each of fewer than `most` of `pieces` drawn by a fixed xorshift
    /// sequence: the same texts on every run, for tests that compare a fast path with a
    /// plain one.
    pub(crate) fn random_texts<'a>(
        pieces: &'a [&'a str],
        count: usize,
        most: u64,
    ) -> impl Iterator<Item = String> + 'a {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..count).map(move |_| {
            let len = next() % most;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        })
    }
}

pub use clitics::{Clitics, MIN_GUESSED_STEM, MIN_STEM};
pub use dates::{DateMention, DateParser};
pub use normalize::{
    default_normalizer, normalize, normalize_key, AlefForms, ArabicNormalizer,
    ArabicNormalizerBuilder, AsciiLower, CharAction, CharNormalizer, Dashes, Digits,
    InvisibleMarks, Normalized, Quotes, TaMarbuta, Tashkeel, Tatweel, YaKaf,
};
pub use numbers::{NumberParser, Quantity, QuantityModifier};
pub use offsets::NormSpan;
pub use segment::{is_word_char, sentences, tokens, Token, TokenKind, LONG_LINE};
pub use word_cache::WordCache;

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
