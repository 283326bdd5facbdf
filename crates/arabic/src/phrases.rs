//! Multi-word phrase tables matched over tokens (months, modifiers, vague quantities...).

use crate::{Normalized, Token};
use rustc_hash::FxHashMap as HashMap;

/// Phrases of normalized words (joined by one space), each with a value.
#[derive(Clone, Debug)]
pub(crate) struct Phrases<V> {
    map: HashMap<String, V>,
    max_words: usize,
}

impl<V> Default for Phrases<V> {
    fn default() -> Self {
        Phrases {
            map: HashMap::default(),
            max_words: 0,
        }
    }
}

/// A match: the token range `start..end` and the value.
pub(crate) struct PhraseMatch<'a, V> {
    pub end: usize,
    pub value: &'a V,
    /// Bytes of proclitics stripped off the first word.
    pub prefix: usize,
}

impl<V> Phrases<V> {
    /// Adds a phrase (already normalized; words separated by single spaces). A later entry
    /// for the same phrase replaces the earlier one.
    pub(crate) fn insert(&mut self, phrase: String, value: V) {
        let words = phrase.split(' ').count();
        self.max_words = self.max_words.max(words);
        self.map.insert(phrase, value);
    }

    /// The value of exactly this phrase.
    pub(crate) fn get(&self, phrase: &str) -> Option<&V> {
        self.map.get(phrase)
    }

    /// The longest phrase starting at token `i`. The first word may be matched through one
    /// of `first` (the word itself, then its proclitic splits, as `(prefix bytes, rest)`);
    /// later words must match as they are.
    pub(crate) fn longest<'a>(
        &'a self,
        n: &Normalized,
        toks: &[Token],
        i: usize,
        first: &[(usize, &str)],
    ) -> Option<PhraseMatch<'a, V>> {
        if self.max_words == 0 || i >= toks.len() {
            return None;
        }
        let max = self.max_words.min(toks.len() - i);
        let mut key = String::new();
        for words in (1..=max).rev() {
            for &(prefix, head) in first {
                key.clear();
                key.push_str(head);
                for t in &toks[i + 1..i + words] {
                    key.push(' ');
                    key.push_str(t.text(n));
                }
                if let Some(value) = self.map.get(&key) {
                    return Some(PhraseMatch {
                        end: i + words,
                        value,
                        prefix,
                    });
                }
            }
        }
        None
    }
}
