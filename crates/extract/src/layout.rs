//! The layout stage: what part of a news page each line of a report is. A report opens with a
//! headline that summarises what the body tells again; the body may open with a dateline
//! («دمشق -», «بيروت (أ ف ب) -»: where the story was filed, not where anything happened);
//! bylines, outlet names and «رابط الخبر» or «اقرأ أيضاً» lines are page furniture.
//!
//! Rules, each with its known failure:
//! - **Headline.** The first line with words, when more text follows it, it is at most
//!   [`HEADLINE_WORDS`] words long and does not end a sentence with a full stop. Fails on a
//!   report whose first paragraph is one short line.
//! - **Dateline.** At the start of one of the story's first two lines, at most
//!   [`DATELINE_WORDS`] words, optionally an agency in brackets, then a dash with a space on
//!   one side: «إدلب (الحل) –». A dash later in a line, or inside a word («أرض-أرض»), is prose.
//! - **Furniture.** A line that starts with a phrase of `data/lexicon/furniture.tsv`, or a
//!   short line of a few words around a dash («عين اليوم – جدة»: outlet and city).

use rasd_core::Span;

use crate::lexicon::PhraseLexicon;
use crate::words::{word_at, Word};

/// Longest headline, in words.
pub const HEADLINE_WORDS: usize = 25;

/// Longest dateline before its dash, in words.
pub const DATELINE_WORDS: usize = 3;

/// A dateline opens one of the story's first lines of more than a few words (the headline's
/// or the lede's).
const DATELINE_LINES: usize = 2;

/// Longest line, in words, that is furniture when it holds a dash («عين اليوم – جدة»).
const SHORT_LINE_WORDS: usize = 5;

/// The dashes that end a dateline.
const DASHES: &[char] = &['-', '–', '—', '_'];

/// The parts of one report's page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The headline, when the report opens with one.
    pub headline: Option<Span>,
    /// Datelines: where the story was filed.
    pub datelines: Vec<Span>,
    /// Lines that are not part of the story.
    pub furniture: Vec<Span>,
}

impl Layout {
    /// Whether `span` lies in the headline.
    pub fn in_headline(&self, span: Span) -> bool {
        self.headline.is_some_and(|h| h.contains(span))
    }

    /// Whether `span` lies in a dateline or in page furniture.
    pub fn off_story(&self, span: Span) -> bool {
        self.datelines
            .iter()
            .chain(&self.furniture)
            .any(|s| s.contains(span))
    }
}

/// The lines of `text` with words, as spans without their line breaks.
fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    // Both breaks are ASCII, so they are found as bytes.
    for at in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()) {
        if text[start..at].trim().chars().any(char::is_alphanumeric) {
            out.push(Span::new(start, at));
        }
        start = at + 1;
    }
    if text[start..].trim().chars().any(char::is_alphanumeric) {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// Words of `line`, counted from the word layer.
fn words_in(words: &[Word], line: Span) -> usize {
    let first = word_at(words, line.start);
    words[first..]
        .iter()
        .take_while(|w| w.span.end <= line.end)
        .filter(|w| w.is_word)
        .count()
}

/// Finds the headline, datelines and furniture of a report.
pub fn layout(text: &str, words: &[Word], furniture: &PhraseLexicon<()>) -> Layout {
    let lines = lines(text);
    let mut out = Layout::default();
    let mut story: Vec<Span> = Vec::new();
    // Story lines of more than a few words so far.
    let mut long_story_lines = 0;
    for &line in &lines {
        let first = word_at(words, line.start);
        let count = words_in(words, line);
        let has_dash = first_dash(&text[line]).is_some();
        if furniture.longest_at(words, first).is_some()
            || (count <= SHORT_LINE_WORDS && has_dash)
            || (count <= 2 && story.is_empty())
        {
            out.furniture.push(line);
            continue;
        }
        // A byline or an outlet's name on a short line of its own does not push the lede
        // out of reach.
        if long_story_lines < DATELINE_LINES {
            if let Some(dateline) = dateline(text, line) {
                out.datelines.push(dateline);
            }
        }
        if count > SHORT_LINE_WORDS {
            long_story_lines += 1;
        }
        story.push(line);
    }
    if let [first, _, ..] = story.as_slice() {
        let count = words_in(words, *first);
        let ends_sentence = text[*first].trim_end().ends_with(['.', '!', '؟', '?']);
        if count <= HEADLINE_WORDS && !ends_sentence {
            out.headline = Some(*first);
        }
    }
    out
}

/// The first of [`DASHES`] in `text`, and where it is. Their first bytes are looked for
/// (the first byte of «–» and «—» is 0xE2) and each hit checked.
fn first_dash(text: &str) -> Option<(usize, char)> {
    memchr::memchr3_iter(b'-', b'_', 0xE2, text.as_bytes()).find_map(|at| {
        let c = text.get(at..)?.chars().next()?;
        DASHES.contains(&c).then_some((at, c))
    })
}

/// The dateline at the start of `line`: a few words, an optional bracket, then a dash.
fn dateline(text: &str, line: Span) -> Option<Span> {
    let body = &text[line];
    let lead = body.len() - body.trim_start().len();
    let (dash_at, dash) = first_dash(body)?;
    // «أرض-أرض» joins two words; a dateline's dash stands apart from a word on one side.
    let spaced = body[..dash_at].ends_with(char::is_whitespace)
        || body[dash_at + dash.len_utf8()..].starts_with(char::is_whitespace);
    if !spaced {
        return None;
    }
    let before = &body[lead..dash_at];
    let without_bracket = match (before.find('('), before.rfind(')')) {
        (Some(open), Some(close)) if open < close && before[close + 1..].trim().is_empty() => {
            &before[..open]
        }
        (None, None) => before,
        _ => return None,
    };
    let words = without_bracket.split_whitespace().count();
    let plain = !without_bracket.contains(['.', '،', ',', ':', '"']);
    let after = body[dash_at + dash.len_utf8()..].trim_start();
    ((1..=DATELINE_WORDS).contains(&words) && plain && !after.is_empty())
        .then(|| Span::new(line.start + lead, line.start + dash_at + dash.len_utf8()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    fn layout_of(text: &str) -> Layout {
        let normalized = rasd_arabic::normalize(text);
        let clitics = rasd_arabic::Clitics::new().unwrap();
        let tokens = rasd_arabic::tokens(&normalized);
        let mut furniture = PhraseLexicon::default();
        assert!(furniture.insert("رابط الخبر", ()));
        let mut first_words = crate::lexicon::FirstWords::default();
        first_words.add(&mut furniture);
        let stems = crate::words::Stems::new(
            text,
            &normalized,
            &tokens,
            &crate::words::WordRules {
                clitics: &clitics,
                enclitics: &[],
                first_words: &first_words,
                parsers: None,
                gazetteer: None,
            },
            &mut Default::default(),
        );
        let words = crate::words::words(&normalized, &tokens, &stems);
        layout(text, &words, &furniture)
    }

    /// Other characters that begin with the byte of «–» and «—» («…», «“») are no dashes.
    #[test]
    fn the_first_dash_of_every_kind_is_found() {
        assert_eq!(first_dash("حلب … “خاص” — وكالات"), Some((24, '—')));
        assert_eq!(first_dash("درعا – خاص"), Some((9, '–')));
        assert_eq!(first_dash("a_b-c"), Some((1, '_')));
        assert_eq!(first_dash("قال … “نعم”"), None);
    }

    #[test]
    fn a_short_first_line_before_the_story_is_its_headline() {
        let text = "غارات على ريف حماة\n\nشنت طائرات حربية غارات على بلدة كفرزيتا صباح اليوم.";
        let found = layout_of(text);
        assert_eq!(&text[found.headline.unwrap()], "غارات على ريف حماة");
    }

    #[test]
    fn a_report_of_one_paragraph_has_no_headline() {
        assert_eq!(
            layout_of("شنت طائرات حربية غارات على بلدة كفرزيتا.").headline,
            None
        );
    }

    #[test]
    fn a_city_and_agency_before_a_dash_are_a_dateline() {
        let text = "عنوان الخبر هنا\nحلب (وكالات) - قصفت قوات النظام حي الشعار.";
        let found = layout_of(text);
        assert_eq!(found.datelines.len(), 1);
        assert_eq!(&text[found.datelines[0]], "حلب (وكالات) -");
    }

    #[test]
    fn a_byline_and_an_outlet_line_do_not_hide_the_dateline() {
        let text = "قوات النظام تقصف حي الشعار في مدينة حلب بالمدفعية\nسمير الأحمد\nالمرصد\nدمشق – قصفت قوات النظام حي الشعار في مدينة حلب بالمدفعية الثقيلة صباح اليوم.";
        let found = layout_of(text);
        assert_eq!(found.datelines.len(), 1);
        assert_eq!(&text[found.datelines[0]], "دمشق –");
    }

    #[test]
    fn a_dash_inside_a_word_is_prose() {
        let text = "سقط صاروخ أرض-أرض على أطراف المدينة فجر اليوم.";
        assert!(layout_of(text).datelines.is_empty());
    }

    #[test]
    fn link_lines_and_outlet_lines_are_furniture() {
        let text =
            "عنوان الخبر هنا\nالموقع – بيروت\nقصفت قوات النظام حي الشعار.\nرابط الخبر: عنوان آخر";
        let found = layout_of(text);
        assert_eq!(found.furniture.len(), 2);
        assert_eq!(&text[found.furniture[0]], "الموقع – بيروت");
        assert!(text[found.furniture[1]].starts_with("رابط الخبر"));
    }
}
