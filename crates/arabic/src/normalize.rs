//! Normalization of Arabic report text into a matching view, with a way back.
//!
//! The normalized view is what every matcher of rasd reads (gazetteer, lexicons, numbers,
//! dates); every annotation found in it is mapped back to the original through
//! [`Normalized::to_original`].
//!
//! # The rules, in order
//! Each rule is a small [`CharNormalizer`] with a cheap `should_normalize` test, applied to
//! one character at a time (charabia's design); the first rule whose test accepts a character
//! decides what becomes of it.
//!
//! | rule | example | known failure |
//! |---|---|---|
//! | invisible marks dropped: LRM, RLM, ALM, LRE..RLO, LRI..PDI, ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen | `درعا‏` → `درعا` | ZWNJ in Persian words is meaningful; we read Arabic |
//! | tashkeel dropped: harakat, tanween, shadda, sukun, superscript alef, Quranic marks | `عناصرُ` → `عناصر` | none known for matching |
//! | tatweel dropped | `الـ 40` → `ال 40` | — |
//! | alef forms `أ إ آ ٱ` → `ا` | `إدلب` → `ادلب` | `أن`/`إن` become one form |
//! | alef maqsura `ى` and Persian ya `ی` → `ي` | `مستشفى` → `مستشفي` | `على`/`علي` (the name) become one |
//! | ta marbuta `ة` → `ه` (optional) | `درعا المحطة` → `درعا المحطه` | `ة`/`ه` contrast lost |
//! | Persian kaf `ک` → `ك` | — | — |
//! | digits `٠-٩`, `۰-۹` → `0-9` | `٢٠٢٤` → `2024` | — |
//! | quotes `« » “ ” „ ‟ ‘ ’ ‚ ‛ ‹ › ″ ＂` → `"` | `«النصرة»` → `"النصره"` | apostrophes in Latin names become `"` |
//! | dashes `‐ ‑ ‒ – — ― − ﹘ ﹣ －` → `-` | `2011–2024` → `2011-2024` | — |
//! | ASCII letters lowercased | `SDF` → `sdf` | — |
//! | Arabic separators `٬` `٫` → `,` `.` between digits | `٣٫٥` → `3.5` | — |
//! | any run of whitespace (NBSP, newlines, tabs), with the hashtag marks `#` and `_` in it, → one space | `a \n\n b` → `a b`, `#غارات_جوية` → ` غارات جوية` | line breaks are not kept: [`crate::sentences`] reads the original |
//!
//! Leading and trailing whitespace are kept as one space each, so that the normalized text
//! stays aligned with the original; [`normalize_key`] trims.
//!
//! # The offset map
//! Every normalized character comes from one *unit* of the original: one character, or one
//! run of whitespace (with any dropped characters inside it). [`Normalized::to_original`] maps
//! a normalized span to the smallest original span holding the same units, and
//! [`Normalized::to_normalized`] maps an original span to the normalized span of the units it
//! touches. See `offsets.rs` for the representation.
//!
//! **The round-trip property** (checked by a proptest over random Arabic, Latin and mixed text
//! with tashkeel, tatweel, bidi marks, digits and whitespace runs): for every normalized span
//! `n` on char boundaries of the normalized text, `s = to_original(n)` lies on char
//! boundaries of the original, spans map monotonically, and
//! `fold(normalize(&original[s]).as_str()) == fold(&normalized[n])`, where `fold` maps
//! `٬`→`,` and `٫`→`.` (the only context-dependent rule: a separator cut off from its digits
//! is not converted).

use crate::offsets::{ceil_boundary, floor_boundary, OffsetMap};
use crate::NormSpan;
use rasd_core::Span;
use std::sync::OnceLock;

/// A normalized text with its offset map back to the original.
///
/// # Examples
/// ```
/// use rasd_arabic::{normalize, NormSpan};
/// let original = "قُتِلَ ٣ عناصرَ";
/// let n = normalize(original);
/// assert_eq!(n.as_str(), "قتل 3 عناصر");
/// let three = n.as_str().find('3').unwrap();
/// let span = n.to_original(NormSpan::new(three, three + 1));
/// assert_eq!(&original[span], "٣");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    map: OffsetMap,
    original_len: usize,
}

impl Normalized {
    /// The normalized text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length of the original text in bytes.
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// The smallest original span holding the letters of the normalized span `n`.
    ///
    /// Offsets of `n` that fall inside a normalized character are widened to it, and offsets
    /// past the end are clamped, so the result is always on char boundaries of the original.
    /// An empty `n` maps to an empty span at the original position of its offset.
    pub fn to_original(&self, n: NormSpan) -> Span {
        let a = floor_boundary(&self.text, n.start.min(n.end));
        let b = ceil_boundary(&self.text, n.end.max(a));
        self.map.to_original(a, b)
    }

    /// Like [`Normalized::to_original`], but when `n` ends at the end of a letter, the
    /// tashkeel and tatweel written right after that letter are taken along (`عنصراً`, not
    /// `عنصرا`): the span to highlight for a word.
    pub fn to_original_with_marks(&self, n: NormSpan) -> Span {
        let a = floor_boundary(&self.text, n.start.min(n.end));
        let b = ceil_boundary(&self.text, n.end.max(a));
        self.map.to_original_with_marks(a, b)
    }

    /// The normalized span of the units the original span `s` touches.
    ///
    /// A span covering only dropped characters (say a lone fatha) maps to an empty span at
    /// the next normalized character.
    pub fn to_normalized(&self, s: Span) -> NormSpan {
        let start = s.start.min(s.end).min(self.original_len);
        let end = s.end.max(start).min(self.original_len);
        let (a, b) = self.map.to_normalized(start, end, &self.text);
        NormSpan { start: a, end: b }
    }

    /// The normalized slice of a span.
    ///
    /// # Panics
    /// When `n` is not a valid range of char boundaries of the normalized text.
    #[inline]
    pub fn slice(&self, n: NormSpan) -> &str {
        &self.text[n.start..n.end]
    }

    /// A cursor mapping sorted normalized spans to the original (see `offsets::Cursor`).
    pub(crate) fn cursor(&self) -> crate::offsets::Cursor<'_> {
        self.map.cursor()
    }

    /// How many stretches the offset map needs (1 when only ASCII-identical text was seen).
    pub fn map_runs(&self) -> usize {
        self.map.runs().len()
    }
}

impl AsRef<str> for Normalized {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// What a [`CharNormalizer`] makes of a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharAction {
    /// Keep the character unchanged.
    Keep,
    /// Replace it by another character.
    Replace(char),
    /// Drop it.
    Drop,
}

/// One normalization rule working on single characters.
pub trait CharNormalizer: Send + Sync {
    /// A short name, for docs and debugging.
    fn name(&self) -> &'static str;
    /// A cheap test: may this rule change `c`?
    fn should_normalize(&self, c: char) -> bool;
    /// What becomes of `c` (only called when [`CharNormalizer::should_normalize`] is true).
    fn normalize(&self, c: char) -> CharAction;
    /// True when the characters this rule drops belong to the letter before them (tashkeel,
    /// tatweel), so that a token's original span takes them along.
    fn attaches(&self) -> bool {
        false
    }
}

/// Invisible format characters: bidi marks and embeddings, zero-width characters, BOM.
#[derive(Clone, Copy, Debug)]
pub struct InvisibleMarks;

impl CharNormalizer for InvisibleMarks {
    fn name(&self) -> &'static str {
        "invisible"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Drop
    }
}

/// Tashkeel: harakat, tanween, shadda, sukun, superscript alef, Quranic annotation marks.
#[derive(Clone, Copy, Debug)]
pub struct Tashkeel;

impl CharNormalizer for Tashkeel {
    fn name(&self) -> &'static str {
        "tashkeel"
    }
    fn attaches(&self) -> bool {
        true
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(c,
            '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}'
            | '\u{06EA}'..='\u{06ED}' | '\u{08D3}'..='\u{08E1}' | '\u{08E3}'..='\u{08FF}')
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Drop
    }
}

/// Tatweel (kashida), the letter-stretching stroke.
#[derive(Clone, Copy, Debug)]
pub struct Tatweel;

impl CharNormalizer for Tatweel {
    fn name(&self) -> &'static str {
        "tatweel"
    }
    fn attaches(&self) -> bool {
        true
    }
    fn should_normalize(&self, c: char) -> bool {
        c == '\u{0640}'
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Drop
    }
}

/// Alef with hamza above or below, with madda, and alef wasla → bare alef.
#[derive(Clone, Copy, Debug)]
pub struct AlefForms;

impl CharNormalizer for AlefForms {
    fn name(&self) -> &'static str {
        "alef"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(
            c,
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        )
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Replace('\u{0627}')
    }
}

/// Alef maqsura and Persian/Urdu ya → ya; Persian kaf → kaf.
#[derive(Clone, Copy, Debug)]
pub struct YaKaf;

impl CharNormalizer for YaKaf {
    fn name(&self) -> &'static str {
        "ya-kaf"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(c, '\u{0649}' | '\u{06CC}' | '\u{06D2}' | '\u{06A9}')
    }
    fn normalize(&self, c: char) -> CharAction {
        match c {
            '\u{06A9}' => CharAction::Replace('\u{0643}'),
            _ => CharAction::Replace('\u{064A}'),
        }
    }
}

/// Ta marbuta → ha (for matching only).
#[derive(Clone, Copy, Debug)]
pub struct TaMarbuta;

impl CharNormalizer for TaMarbuta {
    fn name(&self) -> &'static str {
        "ta-marbuta"
    }
    fn should_normalize(&self, c: char) -> bool {
        c == '\u{0629}'
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Replace('\u{0647}')
    }
}

/// Arabic-Indic and Persian (extended Arabic-Indic) digits → ASCII digits.
#[derive(Clone, Copy, Debug)]
pub struct Digits;

impl CharNormalizer for Digits {
    fn name(&self) -> &'static str {
        "digits"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
    }
    fn normalize(&self, c: char) -> CharAction {
        let base = if c >= '\u{06F0}' { 0x06F0 } else { 0x0660 };
        let d = (c as u32).saturating_sub(base);
        match char::from_digit(d, 10) {
            Some(d) => CharAction::Replace(d),
            None => CharAction::Keep,
        }
    }
}

/// Quotation marks of every script → `"`.
#[derive(Clone, Copy, Debug)]
pub struct Quotes;

impl CharNormalizer for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(c,
            '\u{00AB}' | '\u{00BB}' | '\u{2018}'..='\u{201F}' | '\u{2039}' | '\u{203A}'
            | '\u{2033}' | '\u{301D}'..='\u{301F}' | '\u{FF02}')
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Replace('"')
    }
}

/// Hyphens, dashes and the minus sign → `-`.
#[derive(Clone, Copy, Debug)]
pub struct Dashes;

impl CharNormalizer for Dashes {
    fn name(&self) -> &'static str {
        "dashes"
    }
    fn should_normalize(&self, c: char) -> bool {
        matches!(
            c,
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
        )
    }
    fn normalize(&self, _: char) -> CharAction {
        CharAction::Replace('-')
    }
}

/// ASCII letters → lowercase.
#[derive(Clone, Copy, Debug)]
pub struct AsciiLower;

impl CharNormalizer for AsciiLower {
    fn name(&self) -> &'static str {
        "ascii-lower"
    }
    fn should_normalize(&self, c: char) -> bool {
        c.is_ascii_uppercase()
    }
    fn normalize(&self, c: char) -> CharAction {
        CharAction::Replace(c.to_ascii_lowercase())
    }
}

const ARABIC_THOUSANDS: char = '\u{066C}';
/// Marks of social-media hashtags, read as spaces: «ب ريف #إدلب», «#غارات_جوية_روسية».
const HASHTAG_MARKS: &[char] = &['#', '_'];

const ARABIC_DECIMAL: char = '\u{066B}';

/// The normalizer that every report goes through: an ordered list of [`CharNormalizer`]s plus
/// the two context rules (whitespace runs, separators between digits).
///
/// # Examples
/// ```
/// use rasd_arabic::ArabicNormalizer;
/// let keep_ta = ArabicNormalizer::builder().fold_ta_marbuta(false).build();
/// assert_eq!(keep_ta.normalize("مدينةُ").as_str(), "مدينة");
/// assert_eq!(ArabicNormalizer::new().normalize("مدينةُ").as_str(), "مدينه");
/// ```
pub struct ArabicNormalizer {
    steps: Vec<Box<dyn CharNormalizer>>,
    /// What the rules make of the characters that runs are made of.
    runs: RunTable,
}

/// What becomes of a character inside a run: the characters that normalizing keeps, or
/// replaces by one of the same width, on their own, whatever comes before or after them.
/// Such characters are copied a run at a time, and their offsets map one to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunChar {
    /// Not in a run: it is dropped, changes width, or depends on its neighbours.
    Stop,
    /// Written as it is.
    Same,
    /// Written as this character, of the same width in UTF-8.
    As(char),
}

/// [`RunChar`] of the ASCII characters and of U+0600..U+067F (the Arabic letters, marks and
/// punctuation of nearly every report), worked out from the rules when the normalizer is
/// built.
#[derive(Clone, Debug)]
struct RunTable {
    ascii: [RunChar; 128],
    /// Indexed by `(lead byte - 0xD8) << 6 | (continuation byte & 0x3F)`.
    arabic: [RunChar; 128],
}

impl RunTable {
    /// A table where every character stops a run.
    const EMPTY: RunTable = RunTable {
        ascii: [RunChar::Stop; 128],
        arabic: [RunChar::Stop; 128],
    };

    fn new(rules: &ArabicNormalizer) -> RunTable {
        let of = |c: char| -> RunChar {
            if c.is_whitespace()
                || HASHTAG_MARKS.contains(&c)
                || c.is_control()
                || c == ARABIC_DECIMAL
                || c == ARABIC_THOUSANDS
            {
                return RunChar::Stop;
            }
            match rules.apply(c).0 {
                CharAction::Keep => RunChar::Same,
                CharAction::Replace(r) if r == c => RunChar::Same,
                CharAction::Replace(r) if r.len_utf8() == c.len_utf8() => RunChar::As(r),
                CharAction::Replace(_) | CharAction::Drop => RunChar::Stop,
            }
        };
        let mut table = RunTable::EMPTY;
        for (slot, c) in table.ascii.iter_mut().zip('\0'..='\u{7F}') {
            *slot = of(c);
        }
        for (slot, c) in table.arabic.iter_mut().zip('\u{0600}'..='\u{067F}') {
            *slot = of(c);
        }
        table
    }

    /// The width of the character at byte `i` of `text` and what becomes of it, when it may
    /// stand in a run.
    #[inline]
    fn at(&self, text: &[u8], i: usize) -> Option<(usize, RunChar)> {
        let b = *text.get(i)?;
        let (width, run_char) = if b < 0x80 {
            (1, self.ascii[usize::from(b)])
        } else if b == 0xD8 || b == 0xD9 {
            let c = *text.get(i + 1)?;
            let slot = usize::from(b - 0xD8) << 6 | usize::from(c & 0x3F);
            (2, self.arabic[slot])
        } else {
            return None;
        };
        (run_char != RunChar::Stop).then_some((width, run_char))
    }
}

impl std::fmt::Debug for ArabicNormalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.steps.iter().map(|s| s.name()).collect();
        f.debug_struct("ArabicNormalizer")
            .field("steps", &names)
            .finish()
    }
}

impl Default for ArabicNormalizer {
    fn default() -> Self {
        ArabicNormalizer::new()
    }
}

/// Options for an [`ArabicNormalizer`]; every rule is on by default.
#[derive(Clone, Debug)]
pub struct ArabicNormalizerBuilder {
    ta_marbuta: bool,
    alef: bool,
    ya: bool,
    lowercase: bool,
}

impl Default for ArabicNormalizerBuilder {
    fn default() -> Self {
        ArabicNormalizerBuilder {
            ta_marbuta: true,
            alef: true,
            ya: true,
            lowercase: true,
        }
    }
}

impl ArabicNormalizerBuilder {
    /// Fold `ة` into `ه` (default true).
    pub fn fold_ta_marbuta(&mut self, yes: bool) -> &mut Self {
        self.ta_marbuta = yes;
        self
    }
    /// Fold `أ إ آ ٱ` into `ا` (default true).
    pub fn fold_alef(&mut self, yes: bool) -> &mut Self {
        self.alef = yes;
        self
    }
    /// Fold `ى` into `ي` (default true).
    pub fn fold_ya(&mut self, yes: bool) -> &mut Self {
        self.ya = yes;
        self
    }
    /// Lowercase ASCII letters (default true).
    pub fn lowercase_ascii(&mut self, yes: bool) -> &mut Self {
        self.lowercase = yes;
        self
    }
    /// Builds the normalizer; the builder can be reused.
    pub fn build(&self) -> ArabicNormalizer {
        let mut steps: Vec<Box<dyn CharNormalizer>> = vec![
            Box::new(InvisibleMarks),
            Box::new(Tashkeel),
            Box::new(Tatweel),
        ];
        if self.alef {
            steps.push(Box::new(AlefForms));
        }
        if self.ya {
            steps.push(Box::new(YaKaf));
        }
        if self.ta_marbuta {
            steps.push(Box::new(TaMarbuta));
        }
        steps.push(Box::new(Digits));
        steps.push(Box::new(Quotes));
        steps.push(Box::new(Dashes));
        if self.lowercase {
            steps.push(Box::new(AsciiLower));
        }
        let mut normalizer = ArabicNormalizer {
            steps,
            runs: RunTable::EMPTY,
        };
        normalizer.runs = RunTable::new(&normalizer);
        normalizer
    }
}

impl ArabicNormalizer {
    /// The default normalizer (every rule on).
    pub fn new() -> ArabicNormalizer {
        ArabicNormalizerBuilder::default().build()
    }

    /// Options for a normalizer.
    pub fn builder() -> ArabicNormalizerBuilder {
        ArabicNormalizerBuilder::default()
    }

    /// The names of the character rules, in order.
    pub fn step_names(&self) -> Vec<&'static str> {
        self.steps.iter().map(|s| s.name()).collect()
    }

    /// What becomes of `c`, and whether a dropped `c` belongs to the letter before it.
    fn apply(&self, c: char) -> (CharAction, bool) {
        if c.is_ascii() && !c.is_ascii_uppercase() {
            return (CharAction::Keep, false);
        }
        // Arabic letters that no rule touches (most of a report): skip the rule list.
        if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
            && !matches!(
                c,
                '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0629}' | '\u{0649}'
            )
        {
            return (CharAction::Keep, false);
        }
        for step in &self.steps {
            if step.should_normalize(c) {
                return (step.normalize(c), step.attaches());
            }
        }
        (CharAction::Keep, false)
    }

    /// Normalizes `text`, keeping the offset map.
    pub fn normalize(&self, text: &str) -> Normalized {
        self.normalize_by(text, true)
    }

    /// [`ArabicNormalizer::normalize`]; `by_runs` copies runs of characters no rule touches
    /// at once, which the tests check gives what going character by character gives.
    fn normalize_by(&self, text: &str, by_runs: bool) -> Normalized {
        let mut out = String::with_capacity(text.len());
        let mut map = OffsetMap::with_capacity(16);
        // A pending run of whitespace: (original start, original end).
        let mut space: Option<(usize, usize)> = None;
        let mut pos = 0;
        while pos < text.len() {
            // Most of a report is letters that keep their width: copied a run at a time.
            if by_runs && self.runs.at(text.as_bytes(), pos).is_some() {
                if let Some((s, e)) = space.take() {
                    map.push(out.len(), 1, s, e - s, e - s == 1);
                    out.push(' ');
                }
                let from = out.len();
                let run_end = self.copy_run(text, pos, &mut out);
                map.push(from, run_end - pos, pos, run_end - pos, true);
                pos = run_end;
                continue;
            }
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            let (i, len) = (pos, c.len_utf8());
            pos += len;
            if c.is_whitespace() || HASHTAG_MARKS.contains(&c) {
                space = Some(match space {
                    Some((s, _)) => (s, i + len),
                    None => (i, i + len),
                });
                continue;
            }
            let action = if c == ARABIC_DECIMAL || c == ARABIC_THOUSANDS {
                let before =
                    space.is_none() && out.as_bytes().last().is_some_and(u8::is_ascii_digit);
                let after = text[i + len..].chars().next().is_some_and(is_any_digit);
                if before && after {
                    (
                        CharAction::Replace(if c == ARABIC_DECIMAL { '.' } else { ',' }),
                        false,
                    )
                } else {
                    (CharAction::Keep, false)
                }
            } else {
                self.apply(c)
            };
            let produced = match action {
                (CharAction::Drop, attaches) => {
                    if attaches && space.is_none() {
                        map.push_mark(i, len);
                    }
                    continue;
                }
                (CharAction::Keep, _) => c,
                (CharAction::Replace(r), _) => r,
            };
            if let Some((s, e)) = space.take() {
                map.push(out.len(), 1, s, e - s, e - s == 1);
                out.push(' ');
            }
            map.push(out.len(), produced.len_utf8(), i, len, true);
            out.push(produced);
        }
        if let Some((s, e)) = space.take() {
            map.push(out.len(), 1, s, e - s, e - s == 1);
            out.push(' ');
        }
        map.set_orig_len(text.len());
        Normalized {
            text: out,
            map,
            original_len: text.len(),
        }
    }

    /// Writes to `out` the run of characters from byte `start` of `text` that normalize to
    /// characters of the same width ([`RunTable`]), and returns its end. A single space
    /// between two of them is part of the run: a lone space is written as it is.
    fn copy_run(&self, text: &str, start: usize, out: &mut String) -> usize {
        let bytes = text.as_bytes();
        let mut i = start;
        // `text[copied..i]` is still to be written as it is.
        let mut copied = start;
        loop {
            match self.runs.at(bytes, i) {
                Some((width, RunChar::Same)) => i += width,
                Some((width, RunChar::As(r))) => {
                    out.push_str(text.get(copied..i).unwrap_or_default());
                    out.push(r);
                    i += width;
                    copied = i;
                }
                _ if i > start
                    && bytes.get(i) == Some(&b' ')
                    && self.runs.at(bytes, i + 1).is_some() =>
                {
                    i += 1
                }
                _ => break,
            }
        }
        out.push_str(text.get(copied..i).unwrap_or_default());
        i
    }
}

fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// The default normalizer, built once.
pub fn default_normalizer() -> &'static ArabicNormalizer {
    static DEFAULT: OnceLock<ArabicNormalizer> = OnceLock::new();
    DEFAULT.get_or_init(ArabicNormalizer::new)
}

/// Normalizes `text` with the default [`ArabicNormalizer`].
///
/// # Examples
/// ```
/// use rasd_arabic::normalize;
/// assert_eq!(normalize("إدلبُ ــ «الشمال»").as_str(), "ادلب \"الشمال\"");
/// ```
pub fn normalize(text: &str) -> Normalized {
    default_normalizer().normalize(text)
}

/// The normalized form of a lexicon key: the same rules as [`normalize`], trimmed.
///
/// # Examples
/// ```
/// use rasd_arabic::normalize_key;
/// assert_eq!(normalize_key("  دير   الزُّور "), "دير الزور");
/// ```
pub fn normalize_key(text: &str) -> String {
    normalize(text).as_str().trim().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    /// `input` normalizes to `expect`.
    fn check(input: &str, expect: &str) {
        assert_eq!(normalize(input).as_str(), expect, "normalizing «{input}»");
    }

    /// In `input`, the normalized occurrence of `needle` maps back to `original`.
    fn check_back(input: &str, needle: &str, original: &str) {
        let n = normalize(input);
        let at = n
            .as_str()
            .find(needle)
            .unwrap_or_else(|| panic!("«{needle}» not in «{}»", n.as_str()));
        let span = n.to_original(NormSpan::new(at, at + needle.len()));
        assert_eq!(
            &input[span], original,
            "mapping «{needle}» back in «{input}»"
        );
        assert_eq!(n.to_normalized(span), NormSpan::new(at, at + needle.len()));
    }

    #[test]
    fn rules() {
        check("عناصرُ الأمنِ", "عناصر الامن");
        check("قوّاتٌ", "قوات");
        check("مُسلَّحةٍ", "مسلحه");
        check("الرحمٰن", "الرحمن");
        check("الـــفرقة", "الفرقه");
        check("أإآٱ", "اااا");
        check("مستشفى", "مستشفي");
        check("کردی", "كردي");
        check("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789");
        check(
            "«قسد» “قسد” „x‟ ‘y’ ‹z›",
            "\"قسد\" \"قسد\" \"x\" \"y\" \"z\"",
        );
        check("2011–2024 — ‒ ― − ‐ ‑", "2011-2024 - - - - - -");
        check(
            "درعا\u{200F} \u{200E}حماة\u{202B}x\u{202C}\u{2067}y\u{2069}\u{FEFF}",
            "درعا حماهxy",
        );
        check("ب\u{200C}ك\u{200D}م\u{200B}", "بكم");
        check("a \t\n\u{00A0}\u{2009} b\r\n\r\nc", "a b c");
        check("SDF و YPG", "sdf و ypg");
        check("٣٫٥ و٢٬٠٠٠ ، ٫x 3٬", "3.5 و2,000 ، ٫x 3٬");
        check("  درعا  ", " درعا ");
    }

    #[test]
    fn builder_turns_rules_off() {
        let n = ArabicNormalizer::builder()
            .fold_alef(false)
            .fold_ya(false)
            .lowercase_ascii(false)
            .build();
        assert_eq!(n.normalize("إلى SDF").as_str(), "إلى SDF");
        assert_eq!(ArabicNormalizer::new().step_names()[0], "invisible");
    }

    #[test]
    fn offsets_back_to_the_original() {
        check_back("قُتِلَ ٣ عناصرَ", "3", "٣");
        check_back("قُتِلَ ٣ عناصرَ", "عناصر", "عناصرَ".trim_end_matches('\u{064E}'));
        check_back("في   مدينةِ درعا", " مدينه", "   مدينة");
        check_back("الـ ٤٠ عنصراً", "ال 40", "الـ ٤٠");
        check_back("«النصرة»", "\"النصره\"", "«النصرة»");
        check_back("x\u{200F}\u{200F}y", "xy", "x\u{200F}\u{200F}y");
        check_back("SDF", "df", "DF");
    }

    #[test]
    fn dropped_only_spans_map_to_an_empty_span() {
        let text = "بَ";
        let n = normalize(text);
        assert_eq!(n.to_normalized(Span::new(2, 4)), NormSpan::new(2, 2));
        assert_eq!(n.to_original(NormSpan::new(2, 2)), Span::new(2, 2));
        assert_eq!(n.to_original(NormSpan::new(0, 0)), Span::new(0, 0));
        // Out-of-range and mid-character offsets are clamped and widened.
        assert_eq!(n.to_original(NormSpan::new(1, 99)), Span::new(0, 2));
        let empty = normalize("");
        assert_eq!(empty.to_original(NormSpan::new(0, 0)), Span::new(0, 0));
        assert_eq!(empty.to_normalized(Span::new(0, 0)), NormSpan::new(0, 0));
    }

    /// Runs of untouched letters are copied at once: each character of them must still map
    /// back to exactly the original text it came from, marks between them included.
    #[test]
    fn every_character_maps_back_to_its_own_text() {
        let text = "قالت abc-12 الوكالةُ: إنّ «درعا»\u{200F}، والـ٤٠ عنصراً في #ريف_حمص Xy";
        let n = normalize(text);
        let norm = n.as_str();
        for (at, c) in norm.char_indices().filter(|(_, c)| *c != ' ') {
            let span = n.to_original(NormSpan::new(at, at + c.len_utf8()));
            let back = normalize(&text[span]);
            assert_eq!(
                back.as_str(),
                c.to_string(),
                "«{c}» at {at} came from {span:?}"
            );
        }
    }

    #[test]
    fn hashtag_marks_are_spaces() {
        let text = "بريف #إدلب في #غارات_جوية";
        let n = normalize(text);
        assert_eq!(n.as_str(), "بريف ادلب في غارات جويه");
        // «ادلب» maps back to the name without its mark.
        let at = n.as_str().find("ادلب").unwrap();
        assert_eq!(&text[n.to_original(NormSpan::new(at, at + 8))], "إدلب");
    }

    #[test]
    fn a_whitespace_run_is_one_unit() {
        let text = "ا \u{064E}\n  ب";
        let n = normalize(text);
        assert_eq!(n.as_str(), "ا ب");
        assert_eq!(n.to_original(NormSpan::new(2, 3)), Span::new(2, 8));
        // An original span starting inside the run widens to the whole space.
        assert_eq!(n.to_normalized(Span::new(5, 10)), NormSpan::new(2, 5));
    }

    #[test]
    fn runs_normalize_as_characters_one_by_one_do() {
        // Every kind of character the fast path must stop at, or may take, in every order.
        let pieces = [
            "ب", "ة", "أ", "ى", " ", "  ", "\n", "\u{064E}", "\u{0640}", "#", "_", "A", "a", "1",
            "٣", "\u{066B}", "\u{066C}", "،", "«", "\u{200F}", "é", "—", "", "ٱ", "ک", "ی", "؟",
            "\t", "\u{7F}", "\u{0660}", "\u{06F3}",
        ];
        let normalizers = [
            ArabicNormalizer::new(),
            ArabicNormalizer::builder()
                .fold_alef(false)
                .fold_ta_marbuta(false)
                .lowercase_ascii(false)
                .build(),
        ];
        for (n, text) in crate::random_texts::random_texts(&pieces, 40_000, 9).enumerate() {
            let normalizer = &normalizers[n % 2];
            let fast = normalizer.normalize_by(&text, true);
            let slow = normalizer.normalize_by(&text, false);
            assert_eq!(fast.as_str(), slow.as_str(), "{text:?}");
            assert_eq!(
                format!("{:?}", fast.map),
                format!("{:?}", slow.map),
                "{text:?}"
            );
        }
    }

    #[test]
    fn plain_text_is_one_run() {
        let n = normalize("اشتباكات عنيفة في ريف درعا الشرقي");
        assert_eq!(n.map_runs(), 1);
        assert_eq!(normalize_key("  دير   الزُّور "), "دير الزور");
    }
}
