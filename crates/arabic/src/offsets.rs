//! The offset map between a normalized text and its original.
//!
//! Normalization turns each *unit* of the original (one character, or one run of whitespace
//! with any dropped characters inside it) into exactly one character of the normalized text,
//! or drops it. The map stores the units as [`Run`]s, sorted in both texts, and answers each
//! question with one binary search (the idea of lindera's `Transformation` list with
//! `correct_offset`, written for our case).
//!
//! Consecutive units whose normalized and original characters have the same byte length and
//! touch each other in both texts are merged into one *linear* run, where offsets map by
//! adding a constant: `أحمد` folds to `احمد` (both 8 bytes) and stays one run with the text
//! around it. Everything else is an *atomic* run: `٣` (2 bytes) → `3` (1 byte), or three
//! spaces and a newline → one space. An offset inside an atomic run maps to the whole run.
//!
//! Example: original `ذهبَ  ٣` (bytes: `ذهب` 0..6, fatha 6..8, two spaces 8..10, `٣` 10..12)
//! normalizes to `ذهب 3` (`ذهب` 0..6, space 6..7, `3` 7..8), with runs
//! `linear 0..6 ↔ 0..6`, `atomic 6..7 ↔ 8..10`, `atomic 7..8 ↔ 10..12`. The fatha (6..8)
//! lies in a gap between runs: it belongs to no normalized character.

use rasd_core::Span;

/// A byte range in the **normalized** text of a [`crate::Normalized`].
///
/// Kept apart from [`rasd_core::Span`] (which always indexes the original) so that the two
/// cannot be mixed up; convert with [`crate::Normalized::to_original`] and
/// [`crate::Normalized::to_normalized`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NormSpan {
    /// Byte offset of the first byte in the normalized text.
    pub start: usize,
    /// Byte offset one past the last byte in the normalized text.
    pub end: usize,
}

impl NormSpan {
    /// Creates a normalized span.
    ///
    /// # Panics
    /// When `start > end`; spans are built by our own code, so this is an invariant.
    #[inline]
    pub fn new(start: usize, end: usize) -> NormSpan {
        assert!(
            start <= end,
            "normalized span start {start} is after its end {end}"
        );
        NormSpan { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: NormSpan) -> NormSpan {
        NormSpan {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl std::ops::Index<NormSpan> for str {
    type Output = str;
    fn index(&self, span: NormSpan) -> &str {
        &self[span.start..span.end]
    }
}

impl std::fmt::Display for NormSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "n{}..{}", self.start, self.end)
    }
}

/// One stretch of the map: `norm..norm+norm_len` in the normalized text came from
/// `orig..orig+orig_len` in the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub norm: usize,
    pub orig: usize,
    pub norm_len: usize,
    pub orig_len: usize,
    /// Offsets map linearly (same lengths, characters aligned); otherwise the run is atomic.
    pub linear: bool,
    /// Bytes of dropped marks (tashkeel, tatweel) right after the run, which belong to its
    /// last letter.
    pub trail: usize,
}

impl Run {
    fn norm_end(&self) -> usize {
        self.norm + self.norm_len
    }
    fn orig_end(&self) -> usize {
        self.orig + self.orig_len
    }
}

/// The map of one document, built unit by unit while normalizing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct OffsetMap {
    runs: Vec<Run>,
    orig_len: usize,
}

impl OffsetMap {
    pub(crate) fn with_capacity(n: usize) -> OffsetMap {
        OffsetMap {
            runs: Vec::with_capacity(n),
            orig_len: 0,
        }
    }

    /// Records that the normalized bytes `norm..norm+norm_len` (one character) came from the
    /// original bytes `orig..orig+orig_len`. `aligned` says the unit is one character in both
    /// texts, so that equal lengths mean aligned character boundaries.
    pub(crate) fn push(
        &mut self,
        norm: usize,
        norm_len: usize,
        orig: usize,
        orig_len: usize,
        aligned: bool,
    ) {
        let linear = aligned && norm_len == orig_len;
        if linear {
            if let Some(last) = self.runs.last_mut() {
                if last.linear && last.norm_end() == norm && last.orig_end() == orig {
                    last.norm_len += norm_len;
                    last.orig_len += orig_len;
                    return;
                }
            }
        }
        self.runs.push(Run {
            norm,
            orig,
            norm_len,
            orig_len,
            linear,
            trail: 0,
        });
    }

    /// Records a dropped mark at `orig..orig+len`; it belongs to the last unit when it
    /// follows it directly (possibly after other such marks).
    pub(crate) fn push_mark(&mut self, orig: usize, len: usize) {
        if let Some(last) = self.runs.last_mut() {
            if last.orig_end() + last.trail == orig {
                last.trail += len;
            }
        }
    }

    /// Like [`OffsetMap::to_original`], but a span ending at the end of a unit also takes
    /// the marks that follow that unit.
    pub(crate) fn to_original_with_marks(&self, a: usize, b: usize) -> Span {
        let mut span = self.to_original(a, b);
        if a < b {
            let i = self.runs.partition_point(|r| r.norm_end() < b);
            if let Some(r) = self.runs.get(i) {
                if r.norm_end() == b {
                    span.end = r.orig_end() + r.trail;
                }
            }
        }
        span
    }

    /// A cursor for mapping many sorted spans in one forward walk.
    pub(crate) fn cursor(&self) -> Cursor<'_> {
        Cursor { map: self, i: 0 }
    }

    pub(crate) fn set_orig_len(&mut self, len: usize) {
        self.orig_len = len;
    }

    /// Number of runs (a measure of how much normalization changed).
    pub(crate) fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// Original start of the unit holding normalized byte `a` (`a` on a char boundary).
    fn orig_start_of(&self, a: usize) -> usize {
        // The run with norm <= a < norm_end.
        let i = self.runs.partition_point(|r| r.norm_end() <= a);
        match self.runs.get(i) {
            Some(r) if r.norm <= a => {
                if r.linear {
                    r.orig + (a - r.norm)
                } else {
                    r.orig
                }
            }
            Some(r) => r.orig,
            None => self.runs.last().map_or(self.orig_len, Run::orig_end),
        }
    }

    /// Original end of the unit holding normalized byte `b - 1` (`b` on a char boundary).
    fn orig_end_of(&self, b: usize) -> usize {
        if b == 0 {
            return self.runs.first().map_or(0, |r| r.orig);
        }
        let i = self.runs.partition_point(|r| r.norm_end() < b);
        match self.runs.get(i) {
            Some(r) if r.norm < b => {
                if r.linear {
                    r.orig + (b - r.norm)
                } else {
                    r.orig_end()
                }
            }
            _ => self.runs.last().map_or(self.orig_len, Run::orig_end),
        }
    }

    /// Maps a normalized range (already on normalized char boundaries) to the smallest
    /// original range holding the same units.
    pub(crate) fn to_original(&self, a: usize, b: usize) -> Span {
        if a >= b {
            let p = self.orig_start_of(a);
            return Span { start: p, end: p };
        }
        let start = self.orig_start_of(a);
        let end = self.orig_end_of(b).max(start);
        Span { start, end }
    }

    /// Normalized start for original offset `s`: the unit holding byte `s`, or the next unit
    /// when `s` falls among dropped characters. Linear results may need flooring to a char
    /// boundary by the caller.
    fn norm_start_of(&self, s: usize, norm_len: usize) -> usize {
        let i = self.runs.partition_point(|r| r.orig_end() <= s);
        match self.runs.get(i) {
            Some(r) if r.orig <= s => {
                if r.linear {
                    r.norm + (s - r.orig)
                } else {
                    r.norm
                }
            }
            Some(r) => r.norm,
            None => norm_len,
        }
    }

    /// Normalized end for original offset `e`: the end of the unit holding byte `e - 1`, or of
    /// the previous unit when `e - 1` falls among dropped characters.
    fn norm_end_of(&self, e: usize) -> usize {
        if e == 0 {
            return 0;
        }
        // Last run with orig < e.
        let i = self.runs.partition_point(|r| r.orig < e);
        if i == 0 {
            return 0;
        }
        let r = &self.runs[i - 1];
        if e >= r.orig_end() {
            r.norm_end()
        } else if r.linear {
            r.norm + (e - r.orig)
        } else {
            r.norm_end()
        }
    }

    /// Maps an original range to the normalized range of the units it touches.
    pub(crate) fn to_normalized(&self, s: usize, e: usize, norm: &str) -> (usize, usize) {
        let start = floor_boundary(norm, self.norm_start_of(s, norm.len()));
        if s >= e {
            return (start, start);
        }
        let end = ceil_boundary(norm, self.norm_end_of(e));
        (start, end.max(start))
    }
}

/// The largest char boundary of `text` at or before `i`.
pub(crate) fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `text` at or after `i`.
pub(crate) fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Maps spans given in increasing order with a forward walk over the runs instead of a
/// binary search per span; the results equal [`OffsetMap::to_original_with_marks`].
pub(crate) struct Cursor<'a> {
    map: &'a OffsetMap,
    i: usize,
}

impl Cursor<'_> {
    /// The original span of the normalized `a..b` (char boundaries, `a < b`), with the marks
    /// after its last letter.
    pub(crate) fn map_with_marks(&mut self, a: usize, b: usize) -> Span {
        let runs = &self.map.runs;
        if a >= b || runs.get(self.i).is_some_and(|r| r.norm > a) {
            return self.map.to_original_with_marks(a, b);
        }
        let mut i = self.i;
        while runs.get(i).is_some_and(|r| r.norm_end() <= a) {
            i += 1;
        }
        self.i = i;
        let last_end = runs.last().map_or(self.map.orig_len, Run::orig_end);
        let start = match runs.get(i) {
            Some(r) if r.linear => r.orig + (a - r.norm),
            Some(r) => r.orig,
            None => last_end,
        };
        let mut j = i;
        while runs.get(j).is_some_and(|r| r.norm_end() < b) {
            j += 1;
        }
        let end = match runs.get(j) {
            Some(r) if r.norm_end() == b => r.orig_end() + r.trail,
            Some(r) if r.linear => r.orig + (b - r.norm),
            Some(r) => r.orig_end(),
            None => last_end,
        };
        let span = Span {
            start,
            end: end.max(start),
        };
        debug_assert_eq!(span, self.map.to_original_with_marks(a, b));
        span
    }
}
