//! Byte spans into the original text of a report.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the **original** text of a [`crate::Document`].
///
/// Every annotation rasd makes is a `Span`, so that the text behind any field can be highlighted
/// exactly. Spans are `Copy`, and `&text[span]` works through the `Index` impl on `str`.
/// Offsets into a normalized view have their own type in `rasd-arabic` and come back to the
/// original only through its offset map.
///
/// # Examples
/// ```
/// use rasd_core::Span;
/// let text = "اشتباكات في درعا";
/// let span = Span::checked(text, 22, 30).unwrap();
/// assert_eq!(&text[span], "درعا");
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span.
    ///
    /// # Panics
    /// When `start > end`; spans are built by our own stages, so this is an invariant.
    #[inline]
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} is after its end {end}");
        Span { start, end }
    }

    /// Creates a span only if it is ordered, inside `text` and on `char` boundaries.
    pub fn checked(text: &str, start: usize, end: usize) -> Option<Span> {
        (start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end))
        .then_some(Span { start, end })
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl std::ops::Index<Span> for str {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self[span.start..span.end]
    }
}

impl std::ops::Index<Span> for String {
    type Output = str;
    fn index(&self, span: Span) -> &str {
        &self.as_str()[span]
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_rejects_spans_inside_a_letter() {
        let text = "درعا";
        assert!(Span::checked(text, 0, 2).is_some());
        assert!(Span::checked(text, 1, 2).is_none());
        assert!(Span::checked(text, 0, 9).is_none());
        assert!(Span::checked(text, 4, 2).is_none());
    }

    #[test]
    fn cover_and_overlap() {
        let a = Span::new(0, 4);
        let b = Span::new(3, 8);
        assert!(a.overlaps(b));
        assert_eq!(a.cover(b), Span::new(0, 8));
        assert!(!a.overlaps(Span::new(4, 6)));
        assert!(Span::new(0, 8).contains(b));
    }

    #[test]
    #[should_panic(expected = "after its end")]
    fn new_panics_on_reversed_span() {
        let _ = Span::new(5, 1);
    }
}
