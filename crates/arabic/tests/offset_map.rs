//! Property: the offset map round-trips.
//!
//! For random Arabic, Latin and mixed text (with tashkeel, tatweel, bidi marks, Arabic-Indic
//! digits and separators, quotes, dashes and whitespace runs) and every normalized span `n`
//! whose ends are char boundaries of the normalized text:
//! 1. `s = to_original(n)` is ordered, inside the original and on its char boundaries;
//! 2. `fold(normalize(&original[s.start..s.end]).as_str()) == fold(&normalized[n])`, where `fold` maps
//!    `٬`→`,` and `٫`→`.` (separators are converted only between digits, the one rule that
//!    looks at neighbours);
//! 3. the map is monotone: `n1 <= n2` (both ends) implies `to_original(n1) <= to_original(n2)`;
//! 4. `to_normalized(to_original(n)) == n` for non-empty `n`;
//! 5. for every original span `s` on char boundaries, `to_normalized(s)` is on normalized
//!    char boundaries and keeps the letters of `s`: normalizing `original[s]` and trimming
//!    gives a substring of `normalized[to_normalized(s)]`.

use proptest::prelude::*;
use rasd_arabic::{normalize, NormSpan};
use rasd_core::Span;

fn fold(s: &str) -> String {
    s.replace('\u{066C}', ",").replace('\u{066B}', ".")
}

fn piece() -> impl Strategy<Value = String> {
    let alphabet: Vec<&str> = vec![
        "ا", "أ", "إ", "آ", "ٱ", "ب", "ة", "ى", "ي", "ل", "م", "ن", "د", "ر", "ع", "\u{064E}",
        "\u{064F}", "\u{0650}", "\u{0651}", "\u{0652}", "\u{064B}", "\u{0670}", "\u{0640}",
        "\u{200F}", "\u{200E}", "\u{061C}", "\u{202B}", "\u{202C}", "\u{2067}", "\u{2069}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "٠", "٣", "٩", "۴", "0", "7", "٫", "٬",
        ".", ",", "،", "؟", "!", "«", "»", "“", "”", "–", "—", "-", " ", "  ", "\n", "\n\n", "\t",
        "\u{00A0}", "\r\n", "a", "Z", "q", "é", "😀", "ک", "ی",
    ];
    proptest::sample::select(alphabet).prop_map(str::to_string)
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

fn boundaries(s: &str) -> Vec<usize> {
    let mut b: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    b.push(s.len());
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalized_spans_round_trip(original in text()) {
        let n = normalize(&original);
        let norm = n.as_str();
        let nb = boundaries(norm);
        let mut last: Option<(NormSpan, Span)> = None;
        for (i, &a) in nb.iter().enumerate() {
            for &b in &nb[i..] {
                let ns = NormSpan::new(a, b);
                let s = n.to_original(ns);
                prop_assert!(Span::checked(&original, s.start, s.end).is_some(),
                    "{ns} -> {s} not on char boundaries of {original:?}");
                if a < b {
                    prop_assert_eq!(fold(normalize(&original[s.start..s.end]).as_str()), fold(&norm[a..b]),
                        "{} -> {} in {:?}", ns, s, original);
                    prop_assert_eq!(n.to_normalized(s), ns);
                }
                if let Some((pn, ps)) = last {
                    if pn.start <= ns.start && pn.end <= ns.end {
                        prop_assert!(ps.start <= s.start && ps.end <= s.end);
                    }
                }
                last = Some((ns, s));
            }
        }
    }

    #[test]
    fn original_spans_keep_their_letters(original in text()) {
        let n = normalize(&original);
        let ob = boundaries(&original);
        for (i, &s) in ob.iter().enumerate() {
            for &e in &ob[i..] {
                let ns = n.to_normalized(Span::new(s, e));
                prop_assert!(n.as_str().is_char_boundary(ns.start) && n.as_str().is_char_boundary(ns.end));
                let piece = fold(normalize(&original[s..e]).as_str());
                let got = fold(&n.as_str()[ns.start..ns.end]);
                prop_assert!(got.contains(piece.trim()), "{s}..{e} of {original:?}: {piece:?} not in {got:?}");
            }
        }
    }
}
