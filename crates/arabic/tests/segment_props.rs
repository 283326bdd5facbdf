//! Properties of sentences and tokens on random mixed text.
//!
//! - sentences are ordered, disjoint, non-empty, trimmed spans of the original on char
//!   boundaries, and every character outside them is whitespace or an invisible mark;
//! - tokens are ordered and disjoint in both texts, and each token's original span
//!   normalizes (trimmed) to the token's normalized text.

use proptest::prelude::*;
use rasd_arabic::{normalize, sentences, tokens};

fn piece() -> impl Strategy<Value = String> {
    let alphabet: Vec<&str> = vec![
        "ا", "أ", "ب", "ة", "ى", "ل", "م", "ن", "د", "ر", "ع", "\u{064E}", "\u{0651}", "\u{064B}",
        "\u{0640}", "\u{200F}", "\u{2067}", "\u{2069}", "\u{FEFF}", "٣", "٩", "0", "7", "٫", "٬",
        ".", ",", "،", "؟", "?", "!", "؛", "…", "«", "»", "“", "”", "\"", "(", ")", "-", " ", "  ",
        "\n", "\n\n", "\r\n", "\t", "\u{00A0}", "a", "Z", "😀", "€",
    ];
    proptest::sample::select(alphabet).prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

fn blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn sentences_cover_the_text(original in text()) {
        let spans = sentences(&original);
        let mut last = 0;
        for s in &spans {
            prop_assert!(s.start >= last && s.start < s.end);
            prop_assert!(original.is_char_boundary(s.start) && original.is_char_boundary(s.end));
            let piece = &original[s.start..s.end];
            prop_assert!(!piece.starts_with(blank) && !piece.ends_with(blank), "{piece:?}");
            prop_assert!(original[last..s.start].chars().all(blank), "lost text before {s}");
            last = s.end;
        }
        prop_assert!(original[last..].chars().all(blank));
    }

    #[test]
    fn tokens_map_back(original in text()) {
        let n = normalize(&original);
        let mut last_end = 0;
        let mut last_norm = 0;
        for t in tokens(&n) {
            prop_assert!(t.span.start >= last_end && t.norm.start >= last_norm);
            last_end = t.span.end;
            last_norm = t.norm.end;
            let again = normalize(&original[t.span.start..t.span.end]);
            prop_assert_eq!(again.as_str().trim(), t.text(&n));
        }
    }
}
