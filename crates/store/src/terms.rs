//! The terms full-text search finds a report by, and the terms of a query: one definition for
//! both backends, so that SQLite's FTS5 index and PostgreSQL's `tsvector` find the same reports.
//!
//! A report's terms are the words of its normalized title and text, each lowercased, once. A
//! query is an AND of its normalized, lowercased words, and a query word is found as it is or
//! behind a proclitic that splits off it (`درعا` finds `بدرعا` and `ودرعا`): the query asks
//! for any of [`rasd_arabic::Clitics::words_with_stem`] (two dozen terms at most) rather than
//! the index holding every word's stems, which made it half as large again (schema 15). Words
//! are cut at every character that is neither a letter nor a digit ([`rasd_resolve::words`]),
//! on both sides.
//!
//! Terms never hold ASCII punctuation or spaces, so joined by spaces they are cut back apart
//! by FTS5's `ascii` tokenizer, which does nothing else to them (they are lowercased already);
//! and since the index needs no positions (a query has no phrases), it keeps only which rows
//! hold each term (`detail = none`).

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use crate::Error;

/// Longest term indexed, in bytes (PostgreSQL refuses lexemes of 2 KiB).
const MAX_TERM: usize = 2000;

/// The proclitic data, loaded once; `None` (and a warning) when it cannot be.
fn clitics() -> Option<&'static rasd_arabic::Clitics> {
    static CLITICS: std::sync::OnceLock<Option<rasd_arabic::Clitics>> = std::sync::OnceLock::new();
    CLITICS
        .get_or_init(|| match rasd_arabic::Clitics::new() {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!("proclitic data not loaded, search matches whole words only: {e}");
                None
            }
        })
        .as_ref()
}

/// The stems of a normalized word with its proclitics split off (`بدرعا` → `درعا`), the word
/// itself excluded; empty when the proclitic data cannot be loaded.
pub(crate) fn proclitic_stems(word: &str) -> Vec<&str> {
    clitics().map_or_else(Vec::new, |c| {
        c.stem_iter(word).skip(1).map(|(_, stem)| stem).collect()
    })
}

/// The terms full-text search finds a report by, space-separated, in no particular order:
/// each word of its `title` and `text` (both through `rasd_arabic::normalize` already),
/// lowercased, once each.
///
/// # Examples
/// ```
/// let terms = rasd_store::search_terms(Some("Reuters"), "قصف مدفعي على بدرعا");
/// let mut terms: Vec<&str> = terms.split(' ').collect();
/// terms.sort();
/// assert_eq!(terms, ["reuters", "بدرعا", "على", "قصف", "مدفعي"]);
/// ```
pub fn search_terms<'a>(title: Option<&'a str>, text: &'a str) -> String {
    terms_of_words(title, &rasd_resolve::words(text).collect::<Vec<_>>())
}

/// [`search_terms`] of a title and the words of a normalized text ([`rasd_resolve::words`]),
/// for a caller that has cut the text into words already.
pub(crate) fn terms_of_words<'a>(title: Option<&'a str>, words: &[&'a str]) -> String {
    let mut terms: FxHashSet<Cow<'a, str>> =
        FxHashSet::with_capacity_and_hasher(words.len(), Default::default());
    let title_words = title.into_iter().flat_map(rasd_resolve::words);
    for word in title_words.chain(words.iter().copied()) {
        if word.len() <= MAX_TERM {
            terms.insert(lowercase(word));
        }
    }
    let mut joined = String::with_capacity(terms.iter().map(|t| t.len() + 1).sum());
    for term in &terms {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(term);
    }
    joined
}

/// The terms of a user's query: for each of its words (normalized and lowercased, in order),
/// the terms that find it, any one of which a report must hold: the word itself, then the word
/// behind each proclitic that splits off (`درعا`: `درعا`, `بدرعا`, `ودرعا`...).
///
/// # Errors
/// [`Error::Query`] when the query has no word.
pub(crate) fn query_terms(query: &str) -> Result<Vec<Vec<String>>, Error> {
    let normalized = rasd_arabic::normalize(query);
    let terms: Vec<Vec<String>> = rasd_resolve::words(normalized.as_str())
        .map(|w| {
            let word = lowercase(w).into_owned();
            let behind: Vec<String> = clitics()
                .map(|c| c.words_with_stem(&word).collect())
                .unwrap_or_default();
            std::iter::once(word).chain(behind).collect()
        })
        .collect();
    if terms.is_empty() {
        return Err(Error::Query {
            query: query.to_string(),
            message: "no words to search for".into(),
        });
    }
    Ok(terms)
}

/// Whether a byte may be part of a word that lowercasing leaves as it is, whatever the bytes
/// around it: a continuation byte, the lead byte of a character in U+0600 to U+06FF (Arabic,
/// which has no case), or ASCII that is not upper case.
const ARABIC_OR_LOWER: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = matches!(byte, 0x80..=0xBF | 0xD8..=0xDB)
            || byte.is_ascii() && !byte.is_ascii_uppercase();
        b += 1;
    }
    table
};

/// `word` lowercased, borrowed when it is lowercase already (Arabic, which has no case, always
/// is).
fn lowercase(word: &str) -> Cow<'_, str> {
    // Most words: Arabic letters (U+0600 to U+06FF: a lead byte D8 to DB, then one continuation
    // byte) and ASCII that is not upper case, told from their bytes by a table, without a
    // branch per byte.
    if word
        .bytes()
        .fold(true, |all, b| all & ARABIC_OR_LOWER[b as usize])
    {
        return Cow::Borrowed(word);
    }
    let unchanged = |c: char| {
        if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
            true
        } else {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        }
    };
    if word.chars().all(unchanged) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The terms of [`search_terms`], sorted.
    fn sorted(terms: &str) -> Vec<&str> {
        let mut terms: Vec<&str> = terms.split(' ').collect();
        terms.sort_unstable();
        terms
    }

    #[test]
    fn a_report_is_found_by_its_words() {
        let text = rasd_arabic::normalize("قصفت الطائرات وبالمدينة خان شيخون قصفت");
        let terms = search_terms(Some("وبحمص"), text.as_str());
        let want = ["الطائرات", "خان", "شيخون", "قصفت", "وبالمدينه", "وبحمص"];
        assert_eq!(sorted(&terms), want);
    }

    /// A query word finds the report's words it is a stem of, in the title as in the text.
    #[test]
    fn a_query_word_asks_for_the_words_it_is_a_stem_of() {
        let text = rasd_arabic::normalize("قصفت الطائرات وبالمدينة خان شيخون");
        let terms = search_terms(Some("وبحمص"), text.as_str());
        let held: Vec<&str> = terms.split(' ').collect();
        let finds = |query: &str| {
            query_terms(query)
                .unwrap()
                .iter()
                .all(|any| any.iter().any(|t| held.contains(&t.as_str())))
        };
        for query in [
            "مدينة",
            "المدينة",
            "بالمدينة",
            "وبالمدينة",
            "طائرات",
            "حمص",
            "بحمص",
        ] {
            assert!(finds(query), "{query}");
        }
        for query in ["مدينتين", "وطائرات", "حماه", "لحمص"] {
            assert!(!finds(query), "{query}");
        }
        let asked = &query_terms("درعا").unwrap()[0];
        assert_eq!(asked[0], "درعا");
        for word in ["بدرعا", "ودرعا", "لدرعا"] {
            assert!(asked.iter().any(|t| t == word), "{word} in {asked:?}");
        }
    }

    #[test]
    fn latin_words_are_lowercased_on_both_sides() {
        let terms = search_terms(Some("Reuters"), "قالت ΣΟΦΙΑ وكالة AFP");
        let terms = sorted(&terms);
        assert!(terms.contains(&"reuters"), "{terms:?}");
        assert!(terms.contains(&"afp"), "{terms:?}");
        let query: Vec<String> = query_terms("AFP Reuters")
            .unwrap()
            .into_iter()
            .map(|any| any[0].clone())
            .collect();
        assert_eq!(query, ["afp", "reuters"]);
        // Greek final sigma: the query and the report fold the same way.
        let greek = query_terms("ΣΟΦΙΑ").unwrap();
        assert!(
            terms.contains(&greek[0][0].as_str()),
            "{greek:?} in {terms:?}"
        );
    }

    #[test]
    fn terms_hold_no_ascii_separator() {
        let terms = search_terms(Some("a-b c_d"), "x.y «درعا»، (حمص) e'f 3,5");
        for t in sorted(&terms) {
            assert!(
                !t.bytes()
                    .any(|b| b.is_ascii_punctuation() || b.is_ascii_whitespace()),
                "{t}"
            );
        }
    }

    #[test]
    fn only_words_with_case_are_copied_to_lowercase() {
        for word in ["درعا", "afp", "a1-b", "ابو٣"] {
            assert!(
                matches!(lowercase(word), Cow::Borrowed(w) if w == word),
                "{word}"
            );
        }
        for (word, lower) in [("درعاAFP", "درعاafp"), ("Zé", "zé"), ("ΣΟΦΙΑ", "σοφια")]
        {
            assert!(
                matches!(lowercase(word), Cow::Owned(w) if w == lower),
                "{word}"
            );
        }
        // Lower case outside Arabic and ASCII is borrowed too, after the slower look.
        assert!(matches!(lowercase("éa"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_query_without_words_is_refused() {
        assert!(query_terms(" ، ؟ ").is_err());
    }
}
