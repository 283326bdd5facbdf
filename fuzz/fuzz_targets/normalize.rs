//! The normalizer keeps its way back: every character of the normalized text maps to a span
//! of the original on character boundaries, and the spans go forward (the map is monotone).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasd_arabic::{normalize, NormSpan};

fuzz_target!(|text: &str| {
    let n = normalize(text);
    let norm = n.as_str();
    assert_eq!(n.original_len(), text.len());
    let (mut last_start, mut last_end) = (0, 0);
    let bounds: Vec<usize> = norm
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(norm.len()))
        .collect();
    for pair in bounds.windows(2) {
        let span = n.to_original(NormSpan::new(pair[0], pair[1]));
        assert!(span.start <= span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(
            span.start >= last_start && span.end >= last_end,
            "spans go back"
        );
        (last_start, last_end) = (span.start, span.end);
    }
    let whole = n.to_original(NormSpan::new(0, norm.len()));
    assert!(whole.end <= text.len());
});
