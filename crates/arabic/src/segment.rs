//! Sentences (on the original text) and tokens (on the normalized view).
//!
//! # Sentences
//! [`sentences`] cuts the **original** text and returns trimmed spans that, together, cover
//! every character that is not whitespace or an invisible mark. The rules:
//!
//! 1. **Terminators** `.` `؟` `?` `!` `؛` `…` end a sentence; a run of them (`؟!`, `..`) and
//!    the closing brackets and quotes right after it stay with the sentence they end.
//!    `قتل ثلاثة. وأصيب آخرون` → two sentences.
//! 2. **Numbers and names**: a `.` between two digits (`3.5`, `٣.٥`) or followed directly by a
//!    Latin letter or digit (`sana.sy`) is not a terminator. Known failure: an abbreviation
//!    such as `د.` followed by a space ends a sentence.
//! 3. **Quotations**: inside `«…»`, `“…”` (either orientation, as Arabic typography uses
//!    both) or `"…"`, terminators do not end the sentence. The quotation ends the sentence
//!    only when, after it closes, a terminator or a line break follows; otherwise the
//!    sentence goes on (`قال: «انسحبنا. لن نعود» وأضاف أن…` is one sentence). A line break
//!    that ends a sentence also closes any open quotation; terminators inside a quotation do
//!    not count for rule 4, so an unmatched quote mark lasts at most until the next line
//!    break after a line without a terminator of its own. Known failure: a quotation closed
//!    right before a line break in hard-wrapped prose ends the sentence there.
//! 4. **Line breaks**: a blank line always ends a sentence. A single line break ends a
//!    sentence when the line before it has no terminator outside quotations (reports written one
//!    paragraph per line, titles) or is longer than [`LONG_LINE`] characters; a shorter line
//!    that contains a terminator is taken as hard-wrapped prose and its break as a space.
//!    Known failure: the first line of hard-wrapped prose, before any full stop, is cut.
//!
//! # Tokens
//! [`tokens`] splits the **normalized** view into words (letters and the marks attached to
//! them), numbers (ASCII digits, with `,` or `.` between digits: `2,000`, `3.5`),
//! punctuation (one token per character) and other symbols, skipping whitespace. Each token
//! carries its normalized span and the original span it maps back to, including the tashkeel
//! and tatweel written after its last letter ([`Normalized::to_original_with_marks`]).
//! `ال40` gives the word `ال` and the number `40`.

use crate::{NormSpan, Normalized};
use rasd_core::Span;

/// A single-line paragraph longer than this many characters always ends at its line break.
pub const LONG_LINE: usize = 100;

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '؟' | '?' | '!' | '؛' | '…' | '\u{06D4}' | '\u{203C}' | '\u{2047}'..='\u{2049}'
    )
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '»' | '”' | '’' | '"' | '›' | '\u{FD3E}' | '\u{FD3F}'
    )
}

fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Characters a sentence span never starts or ends with.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The state of quotation marks within the current line.
#[derive(Default)]
struct Quotes {
    /// The character that closes the open quotation, if one is open.
    closer: Option<char>,
}

impl Quotes {
    /// Feeds one character; returns true when it closed a quotation.
    fn feed(&mut self, c: char) -> bool {
        match self.closer {
            Some(close) if c == close => {
                self.closer = None;
                true
            }
            Some(_) => false,
            None => {
                self.closer = match c {
                    '«' => Some('»'),
                    '»' => Some('«'),
                    '“' => Some('”'),
                    '”' => Some('“'),
                    '„' => Some('“'),
                    '"' => Some('"'),
                    _ => None,
                };
                false
            }
        }
    }

    fn open(&self) -> bool {
        self.closer.is_some()
    }
}

/// Splits the original `text` into sentences (see the module docs for the rules).
///
/// # Examples
/// ```
/// use rasd_arabic::sentences;
/// let text = "قتل 3.5 مدني. هل انسحبوا؟\nعنوان بلا نقطة\nوأضاف";
/// let got: Vec<&str> = sentences(text).into_iter().map(|s| &text[s]).collect();
/// assert_eq!(got, ["قتل 3.5 مدني.", "هل انسحبوا؟", "عنوان بلا نقطة", "وأضاف"]);
/// ```
pub fn sentences(text: &str) -> Vec<Span> {
    let mut cuts: Vec<usize> = Vec::new();
    let mut quotes = Quotes::default();
    let mut line_chars = 0usize;
    let mut line_has_terminator = false;
    // A quotation closed and nothing but spaces followed it yet.
    let mut closed_quote = false;
    let mut at = 0;
    while at < text.len() {
        // Letters and spaces, most of a text, decide nothing: a run of them is counted at once.
        let (run_end, run_chars, letters) = plain_run(text.as_bytes(), at);
        if run_end > at {
            line_chars += run_chars;
            closed_quote &= !letters;
            at = run_end;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if is_line_break(c) {
            // Take "\r\n" as one break; look ahead for a blank line.
            let mut next = at + len;
            if c == '\r' && text[next..].starts_with('\n') {
                next += 1;
            }
            let blank = text[next..]
                .chars()
                .find(|&d| !d.is_whitespace() || is_line_break(d))
                .is_none_or(is_line_break);
            if blank || closed_quote || !line_has_terminator || line_chars > LONG_LINE {
                cuts.push(at);
                quotes = Quotes::default();
            }
            line_chars = 0;
            line_has_terminator = false;
            closed_quote = false;
            at = next;
            continue;
        }
        line_chars += 1;
        if quotes.feed(c) {
            closed_quote = true;
            at += len;
            continue;
        }
        if !c.is_whitespace() && !is_blank(c) {
            closed_quote = false;
        }
        if is_terminator(c) {
            line_has_terminator |= !quotes.open();
            if c == '.' && !ends_sentence_dot(text, at) {
                at += len;
                continue;
            }
            // Take the whole run of terminators and closing marks.
            let was_quoted = quotes.open();
            let mut end = at + len;
            while let Some(d) = text[end..].chars().next() {
                if is_terminator(d) {
                } else if quotes.open() && quotes.feed(d) {
                    closed_quote = true;
                } else if !(is_closing(d) && d != '"') {
                    break;
                }
                end += d.len_utf8();
                line_chars += 1;
            }
            if !was_quoted && !quotes.open() {
                cuts.push(end);
                closed_quote = false;
            }
            at = end;
            continue;
        }
        at += len;
    }
    cuts.push(text.len());
    let mut out = Vec::with_capacity(cuts.len());
    let mut start = 0;
    for cut in cuts {
        if cut < start {
            continue;
        }
        if let Some(span) = trimmed(text, start, cut) {
            out.push(span);
        }
        start = cut;
    }
    out
}

/// The run of ASCII letters and digits, spaces, and Arabic letters, marks and digits
/// (U+0620..U+067F) from byte `at` of `text`, none of which ends a sentence or opens a
/// quotation: its end, its characters, and whether it has any but spaces.
fn plain_run(text: &[u8], mut at: usize) -> (usize, usize, bool) {
    let (mut chars, mut letters) = (0, false);
    loop {
        // The Arabic letters first: most of a report.
        if let Some(&[0xD8, 0xA0..=0xBF] | &[0xD9, 0x80..=0xBF]) = text.get(at..at + 2) {
            at += 2;
        } else {
            match text.get(at) {
                Some(b' ') => {
                    at += 1;
                    chars += 1;
                    continue;
                }
                Some(b) if b.is_ascii_alphanumeric() => at += 1,
                _ => break,
            }
        }
        letters = true;
        chars += 1;
    }
    (at, chars, letters)
}

/// Whether the `.` at byte `at` of `text` ends a sentence.
fn ends_sentence_dot(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let next = text[at + 1..].chars().next();
    match (prev, next) {
        (Some(p), Some(n)) if is_any_digit(p) && is_any_digit(n) => false,
        (_, Some(n)) if n.is_ascii_alphanumeric() => false,
        _ => true,
    }
}

fn trimmed(text: &str, start: usize, end: usize) -> Option<Span> {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start_matches(is_blank).len();
    let trail = piece.trim_end_matches(is_blank).len();
    (trail > lead).then(|| Span::new(start + lead, start + trail))
}

/// What a [`Token`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (any script), with the marks attached to them.
    Word,
    /// ASCII digits, with `,` or `.` between digits.
    Number,
    /// One punctuation character.
    Punct,
    /// Any other symbol (currency, emoji...).
    Other,
}

/// A token of the normalized view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    /// Where it is in the original text.
    pub span: Span,
    /// Where it is in the normalized text.
    pub norm: NormSpan,
    /// What it is.
    pub kind: TokenKind,
}

impl Token {
    /// The token's normalized text.
    pub fn text<'a>(&self, n: &'a Normalized) -> &'a str {
        n.slice(self.norm)
    }
}

/// Whether `c` belongs to a word token ([`tokens`]): a letter or a combining mark.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii_alphabetic() || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}') {
        return true;
    }
    let at = c as usize;
    match WORD_CHARS.get(at / 64) {
        Some(bits) => bits & (1 << (at % 64)) != 0,
        None => is_word_char_uncached(c),
    }
}

/// The characters below which [`is_word_char`] reads a table: Latin, Arabic, and the
/// punctuation blocks that reports are full of («،» is no letter, but Unicode's tables take
/// hundreds of instructions to say so).
const WORD_CHAR_TABLE: u32 = 0x3000;

/// [`is_word_char_uncached`] of every character below [`WORD_CHAR_TABLE`], a bit each.
static WORD_CHARS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; WORD_CHAR_TABLE as usize / 64];
    for (at, c) in (0..WORD_CHAR_TABLE).filter_map(|u| Some((u as usize, char::from_u32(u)?))) {
        if is_word_char_uncached(c) {
            bits[at / 64] |= 1 << (at % 64);
        }
    }
    bits
});

/// [`is_word_char`], worked out from Unicode's tables.
fn is_word_char_uncached(c: char) -> bool {
    c.is_alphabetic()
        || matches!(c,
            '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}'
            | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}' | '\u{200C}' | '\u{200D}' | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

/// The end of the word whose characters run on from byte `at` of `text` (a character
/// boundary).
fn word_end(text: &str, mut at: usize) -> usize {
    loop {
        at = common_letters_end(text.as_bytes(), at);
        if text.as_bytes().get(at).is_none_or(|&b| b == b' ') {
            return at;
        }
        match text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(d) if is_word_char(d) => at += d.len_utf8(),
            _ => return at,
        }
    }
}

/// The end of the run of ASCII letters and of the Arabic letters «ء» to «ي» (all word
/// characters) from byte `at` of `text`.
fn common_letters_end(text: &[u8], mut at: usize) -> usize {
    loop {
        match (text.get(at), text.get(at + 1)) {
            (Some(b), _) if b.is_ascii_alphabetic() => at += 1,
            (Some(0xD8), Some(0xA1..=0xBA)) | (Some(0xD9), Some(0x81..=0x8A)) => at += 2,
            _ => return at,
        }
    }
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
            | '\u{060C}' | '\u{060D}' | '\u{061B}' | '\u{061E}' | '\u{061F}' | '\u{066A}'..='\u{066D}'
            | '\u{06D4}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}' | '\u{3002}'
            | '\u{FD3E}' | '\u{FD3F}')
}

/// Splits the normalized view into tokens (see the module docs).
///
/// # Examples
/// ```
/// use rasd_arabic::{normalize, tokens, TokenKind};
/// let text = "قُتل ٢٬٠٠٠، وال40!";
/// let n = normalize(text);
/// let got: Vec<(&str, TokenKind)> = tokens(&n).iter().map(|t| (&text[t.span], t.kind)).collect();
/// assert_eq!(got, [
///     ("قُتل", TokenKind::Word), ("٢٬٠٠٠", TokenKind::Number), ("،", TokenKind::Punct),
///     ("وال", TokenKind::Word), ("40", TokenKind::Number), ("!", TokenKind::Punct),
/// ]);
/// ```
pub fn tokens(n: &Normalized) -> Vec<Token> {
    let text = n.as_str();
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut cursor = n.cursor();
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        // Most tokens are words of common letters after a single space: no need to decode
        // their first character.
        match bytes.get(start) {
            None => break,
            Some(b' ') => {
                start += 1;
                continue;
            }
            Some(_) => {}
        }
        let common_end = common_letters_end(bytes, start);
        if common_end > start {
            let norm = NormSpan::new(start, word_end(text, common_end));
            out.push(Token {
                span: cursor.map_with_marks(norm.start, norm.end),
                norm,
                kind: TokenKind::Word,
            });
            start = norm.end;
            continue;
        }
        let Some(c) = text.get(start..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c.is_whitespace() {
            start += c.len_utf8();
            continue;
        }
        let (end, kind) = if is_word_char(c) {
            (word_end(text, start + c.len_utf8()), TokenKind::Word)
        } else if c.is_ascii_digit() {
            let mut end = start + 1;
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_digit()
                    || ((b == b',' || b == b'.')
                        && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
                {
                    end += 1;
                } else {
                    break;
                }
            }
            (end, TokenKind::Number)
        } else if is_punct(c) {
            (start + c.len_utf8(), TokenKind::Punct)
        } else {
            (start + c.len_utf8(), TokenKind::Other)
        };
        let norm = NormSpan::new(start, end);
        out.push(Token {
            span: cursor.map_with_marks(start, end),
            norm,
            kind,
        });
        start = end;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;
    use crate::normalize;

    /// `input` splits into the sentences `expect`.
    fn check(input: &str, expect: &[&str]) {
        let got: Vec<&str> = sentences(input).into_iter().map(|s| &input[s]).collect();
        assert_eq!(got, expect, "sentences of «{input}»");
    }

    /// Tokens found one character at a time: what [`tokens`] must give.
    fn tokens_by_chars(n: &Normalized) -> Vec<(NormSpan, TokenKind)> {
        let text = n.as_str();
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(c) = text[start..].chars().next() {
            let len = c.len_utf8();
            if c.is_whitespace() {
                start += len;
                continue;
            }
            let (end, kind) = if is_word_char(c) {
                let mut end = start + len;
                while let Some(d) = text[end..].chars().next().filter(|&d| is_word_char(d)) {
                    end += d.len_utf8();
                }
                (end, TokenKind::Word)
            } else if c.is_ascii_digit() {
                let b = text.as_bytes();
                let mut end = start + 1;
                while end < b.len()
                    && (b[end].is_ascii_digit()
                        || ((b[end] == b',' || b[end] == b'.')
                            && b.get(end + 1).is_some_and(u8::is_ascii_digit)))
                {
                    end += 1;
                }
                (end, TokenKind::Number)
            } else if is_punct(c) {
                (start + len, TokenKind::Punct)
            } else {
                (start + len, TokenKind::Other)
            };
            out.push((NormSpan::new(start, end), kind));
            start = end;
        }
        out
    }

    #[test]
    fn tokens_are_those_found_one_character_at_a_time() {
        let pieces = [
            "ب", "ة", "أ", " ", "  ", "\n", "\u{064E}", "#", "A", "z", "1", "٣", ",", ".", "،",
            "«", "é", "ﻻ", "\u{200C}", "-", "x1", "ن", "\t",
        ];
        for text in crate::random_texts::random_texts(&pieces, 20_000, 12) {
            let n = crate::normalize(&text);
            let got: Vec<(NormSpan, TokenKind)> =
                tokens(&n).iter().map(|t| (t.norm, t.kind)).collect();
            assert_eq!(got, tokens_by_chars(&n), "{text:?}");
        }
    }

    #[test]
    fn plain_runs_are_letters_digits_and_spaces() {
        let pieces = [
            "ب", "ي", "،", "؟", " ", "\n", "a", "7", ".", "\u{064E}", "ة", "«", "é",
        ];
        for text in crate::random_texts::random_texts(&pieces, 5_000, 10) {
            let (end, chars, letters) = plain_run(text.as_bytes(), 0);
            // By definition: the longest prefix of spaces, ASCII letters and digits, and the
            // characters U+0620..U+067F.
            let run: Vec<char> = text
                .chars()
                .take_while(|&c| {
                    c == ' ' || c.is_ascii_alphanumeric() || ('\u{0620}'..='\u{067F}').contains(&c)
                })
                .collect();
            assert_eq!(
                end,
                run.iter().map(|c| c.len_utf8()).sum::<usize>(),
                "{text:?}"
            );
            assert_eq!(chars, run.len(), "{text:?}");
            assert_eq!(letters, run.iter().any(|&c| c != ' '), "{text:?}");
        }
    }

    #[test]
    fn the_word_character_table_agrees_with_unicode() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char_uncached(c), "{:?}", c);
        }
        assert!(!is_word_char('،') && is_word_char('ب') && is_word_char('é'));
    }

    #[test]
    fn sentence_rules() {
        check("", &[]);
        check("  \n ", &[]);
        check("قتل مدني. وأصيب آخر", &["قتل مدني.", "وأصيب آخر"]);
        check(
            "هل انسحبوا؟ نعم! انتهى؛ ثم…",
            &["هل انسحبوا؟", "نعم!", "انتهى؛", "ثم…"],
        );
        check("ماذا حدث؟! لا نعرف..", &["ماذا حدث؟!", "لا نعرف.."]);
        check(
            "بلغ 3.5 بالمئة و2,000 شخص. ثم",
            &["بلغ 3.5 بالمئة و2,000 شخص.", "ثم"],
        );
        check("بلغ ٣.٥ بالمئة.", &["بلغ ٣.٥ بالمئة."]);
        check(
            "نشر موقع sana.sy الخبر. ثم",
            &["نشر موقع sana.sy الخبر.", "ثم"],
        );
        check("انتهى.وبدأ", &["انتهى.", "وبدأ"]);
    }

    #[test]
    fn quotations() {
        check(
            "قال: «انسحبنا. لن نعود» وأضاف أنه بخير.",
            &["قال: «انسحبنا. لن نعود» وأضاف أنه بخير."],
        );
        check(
            "قال: «انسحبنا. لن نعود». ثم غادر",
            &["قال: «انسحبنا. لن نعود».", "ثم غادر"],
        );
        check(
            "قال \"لن نعود. أبدا\" وغادر. ثم",
            &["قال \"لن نعود. أبدا\" وغادر.", "ثم"],
        );
        check("قال «لن نعود.» ثم غادر.", &["قال «لن نعود.» ثم غادر."]);
        check(
            "قال »لن نعود. أبدا« ثم غادر.",
            &["قال »لن نعود. أبدا« ثم غادر."],
        );
        check(
            "سألنا: «هل تعودون؟»\nلا جواب",
            &["سألنا: «هل تعودون؟»", "لا جواب"],
        );
        // An unmatched quote lasts one line at most.
        check(
            "قال «لن نعود. أبدا\nثم غادر. وانتهى",
            &["قال «لن نعود. أبدا", "ثم غادر.", "وانتهى"],
        );
    }

    #[test]
    fn line_breaks() {
        check(
            "عنوان الخبر\nنص الخبر بلا نقاط\nسطر آخر",
            &["عنوان الخبر", "نص الخبر بلا نقاط", "سطر آخر"],
        );
        check(
            "قال المصدر. وأضاف أن\nالقوات انسحبت.",
            &["قال المصدر.", "وأضاف أن\nالقوات انسحبت."],
        );
        check(
            "قال المصدر. وأضاف أن\n\nالقوات انسحبت.",
            &["قال المصدر.", "وأضاف أن", "القوات انسحبت."],
        );
        check("أ. ب\r\n\r\nج", &["أ.", "ب", "ج"]);
        let words = "كلمة ".repeat(30);
        check(
            &format!("قال. {words}\nثم"),
            &["قال.", words.trim_end(), "ثم"],
        );
    }

    #[test]
    fn sentences_trim_invisible_marks() {
        check("\u{200F}قتل مدني.\u{200F} ", &["قتل مدني."]);
    }

    fn check_tokens(input: &str, expect: &[(&str, TokenKind)]) {
        let n = normalize(input);
        let got: Vec<(&str, TokenKind)> = tokens(&n)
            .iter()
            .map(|t| (&input[t.span], t.kind))
            .collect();
        assert_eq!(got, expect, "tokens of «{input}»");
    }

    #[test]
    fn token_rules() {
        use TokenKind::*;
        check_tokens(
            "الـ 40 عنصراً",
            &[("الـ", Word), ("40", Number), ("عنصراً", Word)],
        );
        check_tokens("ال٤٠", &[("ال", Word), ("٤٠", Number)]);
        check_tokens(
            "3.5% و1,250.",
            &[
                ("3.5", Number),
                ("%", Punct),
                ("و", Word),
                ("1,250", Number),
                (".", Punct),
            ],
        );
        check_tokens(
            "«قسد» € 😀",
            &[
                ("«", Punct),
                ("قسد", Word),
                ("»", Punct),
                ("€", Other),
                ("😀", Other),
            ],
        );
        check_tokens("SDF-2", &[("SDF", Word), ("-", Punct), ("2", Number)]);
        let n = normalize("مُدُنٌ");
        assert_eq!(tokens(&n)[0].text(&n), "مدن");
    }
}
