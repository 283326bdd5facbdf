//! The word layer the matchers read: the normalized tokens of a report with the stems a
//! lexicon entry may match, each word pointing back to the original text.

use rasd_arabic::{Clitics, Normalized, TokenKind};
use rasd_core::Span;

/// One token of the normalized text.
#[derive(Clone, Debug)]
pub struct Word {
    /// The token in the original text.
    pub span: Span,
    /// The normalized token.
    pub text: String,
    /// The forms a lexicon entry may match, the whole word first: the word without its
    /// proclitics (و ف ب ل ك ال), with «ال» restored after «لل» («للأمن» → «الأمن»), and
    /// without an enclitic suffix (`data/lexicon/enclitics.tsv`: «كميناً» → «كمين»,
    /// «طائرتها» → «طائره»).
    pub stems: Vec<String>,
    /// False for punctuation and symbols: phrases never run across them.
    pub is_word: bool,
}

impl Word {
    /// The forms a lexicon entry may match, the whole word first.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.stems.iter().map(String::as_str)
    }
}

/// Shortest stem left after removing an enclitic suffix.
const MIN_STEM_CHARS: usize = 2;

/// Splits a normalized report into words.
pub fn words(
    original: &str,
    normalized: &Normalized,
    clitics: &Clitics,
    enclitics: &[String],
) -> Vec<Word> {
    rasd_arabic::tokens(normalized)
        .into_iter()
        .map(|token| {
            let text = normalized.slice(token.norm).to_string();
            let is_word = matches!(token.kind, TokenKind::Word | TokenKind::Number);
            let stems = if is_word {
                let ta_marbuta =
                    ends_with_ta_marbuta(original.get(token.span.start..token.span.end));
                stems_of(&text, clitics, enclitics, ta_marbuta)
            } else {
                Vec::new()
            };
            Word {
                span: token.span,
                text,
                stems,
                is_word,
            }
        })
        .collect()
}

/// Whether a word as written ends in «ة» (under any vowel marks): normalization folds it into
/// «ه», which must not then be taken for the pronoun «ه» («سيطرة» is not «سيطر» + «ه»).
fn ends_with_ta_marbuta(written: Option<&str>) -> bool {
    written.is_some_and(|w| {
        w.chars()
            .rev()
            .find(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
            == Some('ة')
    })
}

/// The pronoun suffix that «ة» folds into.
const PRONOUN_HA: &str = "ه";

fn stems_of(text: &str, clitics: &Clitics, enclitics: &[String], ta_marbuta: bool) -> Vec<String> {
    let mut bases: Vec<String> = vec![text.to_string()];
    for (k, rest) in clitics.stems(text) {
        if k == 0 {
            continue;
        }
        bases.push(rest.to_string());
        if text[..k].ends_with("لل") && !rest.starts_with("ال") {
            bases.push(format!("ال{rest}"));
        }
    }
    let mut out = bases.clone();
    for base in &bases {
        for suffix in enclitics {
            if ta_marbuta && suffix == PRONOUN_HA {
                continue;
            }
            let Some(bare) = base.strip_suffix(suffix.as_str()) else {
                continue;
            };
            if bare.chars().count() < MIN_STEM_CHARS {
                continue;
            }
            out.push(bare.to_string());
            if let Some(root) = bare.strip_suffix('ت') {
                out.push(format!("{root}ه"));
            }
        }
    }
    let mut seen = rustc_hash::FxHashSet::default();
    out.retain(|s| seen.insert(s.clone()));
    out
}

/// The index of the word that contains byte `offset` of the original text, or the first word
/// after it.
pub fn word_at(words: &[Word], offset: usize) -> usize {
    words.partition_point(|w| w.span.end <= offset)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        let normalized = rasd_arabic::normalize(text);
        let clitics = Clitics::new().unwrap();
        let enclitics = vec!["ه".to_string(), "ها".to_string()];
        words(text, &normalized, &clitics, &enclitics)[0]
            .stems
            .clone()
    }

    #[test]
    fn ta_marbuta_is_not_the_pronoun_ha() {
        assert!(!stems("السيطرةُ").iter().any(|s| s == "سيطر"));
        assert!(stems("قصفه").iter().any(|s| s == "قصف"));
    }
}
