//! Search snippets: a piece of the **original** text around the matches of a query.
//!
//! The full-text index holds the normalized text, so a match is found there and carried back
//! to the original through the normalizer's offset map: the snippet shows the report as it was
//! written (with its hamzas and tashkeel), the match marked.

use rasd_arabic::NormSpan;
use rasd_core::Span;

/// Context kept before the first match, in characters.
const BEFORE: usize = 60;
/// Length of the snippet after the first match, in characters.
const AFTER: usize = 160;

/// A piece of a report with the matches marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The text (original spelling; line breaks made spaces).
    pub text: String,
    /// Byte spans of the matches in `text`, sorted.
    pub highlights: Vec<Span>,
    /// True when the snippet starts after the report's beginning.
    pub cut_before: bool,
    /// True when the snippet stops before the report's end.
    pub cut_after: bool,
}

impl Snippet {
    /// The snippet with each match between `open` and `close`, and `…` where it was cut.
    ///
    /// # Examples
    /// ```
    /// let s = rasd_store::snippet("قصفٌ على إدلب صباحاً", "ادلب");
    /// assert_eq!(s.render("[", "]"), "قصفٌ على [إدلب] صباحاً");
    /// ```
    pub fn render(&self, open: &str, close: &str) -> String {
        self.render_with(open, close, str::to_string)
    }

    /// As [`Snippet::render`], passing each piece of the report's text through `escape` (and
    /// not the marks), e.g. to make control characters inert before a terminal sees them.
    ///
    /// # Examples
    /// ```
    /// let s = rasd_store::snippet("قصفٌ\u{7} على إدلب", "ادلب");
    /// assert_eq!(s.render_with("[", "]", |t| t.replace('\u{7}', "^G")), "قصفٌ^G على [إدلب]");
    /// ```
    pub fn render_with(&self, open: &str, close: &str, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        if self.cut_before {
            out.push('…');
        }
        let mut at = 0;
        for h in &self.highlights {
            if h.start < at || h.end > self.text.len() {
                continue;
            }
            out.push_str(&escape(&self.text[at..h.start]));
            out.push_str(open);
            out.push_str(&escape(&self.text[h.start..h.end]));
            out.push_str(close);
            at = h.end;
        }
        out.push_str(&escape(&self.text[at..]));
        if self.cut_after {
            out.push('…');
        }
        out
    }
}

/// The words of a normalized text with their byte ranges.
fn word_spans(normalized: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in normalized.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, normalized.len()));
    }
    out
}

/// Finds the words of `query` in `original` (both normalized the same way; a word also
/// matches with proclitics attached, `بدرعا` for `درعا`) and cuts a snippet around the first
/// match; without a match, the report's beginning.
pub fn snippet(original: &str, query: &str) -> Snippet {
    let q = rasd_arabic::normalize(query);
    let wanted: Vec<&str> = rasd_resolve::words(q.as_str()).collect();
    let n = rasd_arabic::normalize(original);
    let norm = n.as_str();
    let mut matches: Vec<Span> = word_spans(norm)
        .into_iter()
        .filter(|&(s, e)| {
            let w = &norm[s..e];
            wanted.contains(&w)
                || crate::terms::proclitic_stems(w)
                    .iter()
                    .any(|stem| wanted.contains(stem))
        })
        .map(|(s, e)| n.to_original(NormSpan::new(s, e)))
        .collect();
    matches.sort();
    let anchor = matches.first().map(|s| s.start).unwrap_or(0);
    let start = back_chars(original, anchor, BEFORE);
    let end = forward_chars(original, anchor, AFTER);
    let text: String = original[start..end]
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    // Whitespace replaced one for one may change byte lengths (a no-break space is 2 bytes);
    // only keep the highlights when the lengths agree.
    let same_len = text.len() == end - start;
    let highlights = matches
        .into_iter()
        .filter(|s| same_len && s.start >= start && s.end <= end)
        .map(|s| Span::new(s.start - start, s.end - start))
        .collect();
    Snippet {
        text,
        highlights,
        cut_before: start > 0,
        cut_after: end < original.len(),
    }
}

fn back_chars(text: &str, from: usize, n: usize) -> usize {
    let mut at = from;
    for (count, (i, _)) in text[..from].char_indices().rev().enumerate() {
        if count >= n {
            break;
        }
        at = i;
    }
    // Start at a word's beginning when one is near.
    if at > 0 {
        if let Some(space) = text[at..from].find(char::is_whitespace) {
            let next = at + space;
            let skip = text[next..].chars().next().map_or(0, char::len_utf8);
            return next + skip;
        }
    }
    at
}

fn forward_chars(text: &str, from: usize, n: usize) -> usize {
    match text[from..].char_indices().nth(n) {
        Some((i, _)) => {
            let cut = from + i;
            // Stop at the end of a word when one is near.
            match text[..cut].rfind(char::is_whitespace) {
                Some(space) if space > from => space,
                _ => cut,
            }
        }
        None => text.len(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn marks_every_spelling_the_normalizer_folds() {
        let s = snippet("خرجت مظاهرة في درعا، وفي دَرْعا البلد", "درعا");
        assert_eq!(
            s.render("<", ">"),
            "خرجت مظاهرة في <درعا>، وفي <دَرْعا> البلد"
        );
        assert!(!s.cut_before && !s.cut_after);
    }

    #[test]
    fn cuts_around_the_first_match() {
        let long = format!("{}قصف على إدلب {}", "كلام ".repeat(40), "نص ".repeat(100));
        let s = snippet(&long, "إدلب");
        assert!(s.cut_before && s.cut_after);
        assert!(s.render("[", "]").contains("[إدلب]"));
        assert!(s.text.chars().count() < 240);
    }

    #[test]
    fn a_word_with_proclitics_matches_its_stem() {
        let s = snippet("وصلت التعزيزات إلى مدينة حمص وبحمص انتشرت", "حمص");
        assert_eq!(
            s.render("[", "]"),
            "وصلت التعزيزات إلى مدينة [حمص] [وبحمص] انتشرت"
        );
    }

    #[test]
    fn without_a_match_shows_the_beginning() {
        let s = snippet("نص قصير", "حلب");
        assert_eq!(s.render("[", "]"), "نص قصير");
        assert!(s.highlights.is_empty());
    }
}
