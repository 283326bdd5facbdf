//! Property tests: whatever the text, `find` returns mentions whose spans are ordered, do not
//! overlap, lie on char boundaries of the original and hold letters; it never panics.

#![allow(clippy::unwrap_used)] // tests may unwrap

use proptest::prelude::*;
use rasd_gazetteer::Gazetteer;

/// Pieces reports are made of: names, cues, traps, proclitics, marks, punctuation, digits.
const PIECES: &[&str] = &[
    "درعا",
    "بدرعا",
    "للرقة",
    "مدينة",
    "بلدة",
    "ريف",
    "قرب",
    "شمال",
    "في",
    "من",
    "و",
    "وال",
    "ب",
    "نمر",
    "أبو",
    "المقداد",
    "بصرى الشام",
    "بصرى",
    "دير الزور",
    "دير",
    "الهامة",
    "الكسوة",
    "المحافظة",
    "مركز المحافظة",
    "الريف الغربي",
    "حلب اليوم",
    "عمان",
    "صيدا",
    "ـ",
    "ً",
    "ُ",
    "«",
    "»",
    "،",
    ".",
    "\n",
    " ",
    "  ",
    "–",
    "-",
    "٣",
    "12",
    "a",
    "😀",
    "جيش اليرموك",
    "إزرع",
    "سجن",
];

fn report() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_are_ordered_valid_and_hold_letters(text in report()) {
        let gaz = Gazetteer::builtin().unwrap();
        let found = gaz.find(&text, &rasd_arabic::normalize(&text));
        let mut last_end = 0;
        for m in &found {
            prop_assert!(m.span.start >= last_end, "overlap in «{text}»");
            prop_assert!(m.span.start < m.span.end && m.span.end <= text.len());
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            prop_assert!(text[m.span].chars().any(char::is_alphabetic));
            if let Some(cue) = m.cue_span {
                prop_assert!(text.is_char_boundary(cue.start) && text.is_char_boundary(cue.end));
            }
            prop_assert!(m.place.index() < gaz.places().len());
            prop_assert!(!m.alternatives.contains(&m.place));
            last_end = m.span.end;
        }
    }
}
