//! Multi-word phrase tables matched over tokens (months, modifiers, vague quantities...).

use crate::{Clitics, Normalized, Token};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Phrases of normalized words (joined by one space), each with a value.
#[derive(Clone, Debug)]
pub(crate) struct Phrases<V> {
    map: HashMap<String, V>,
    /// The first words of the phrases, each with the most words of a phrase it starts: at
    /// most words, no phrase can start, and one lookup says so where building and looking up
    /// every key would take many.
    first_words: HashMap<String, usize>,
    max_words: usize,
}

impl<V> Default for Phrases<V> {
    fn default() -> Self {
        Phrases {
            map: HashMap::default(),
            first_words: HashMap::default(),
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
        let first = phrase.split(' ').next().unwrap_or_default();
        let longest = self.first_words.entry(first.to_string()).or_default();
        *longest = (*longest).max(words);
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
        // The most words of a phrase that `first[k]` begins (0: none).
        let longest: Vec<usize> = first
            .iter()
            .map(|(_, head)| self.first_words.get(*head).copied().unwrap_or(0))
            .collect();
        let max = longest
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .min(toks.len() - i);
        if max == 0 {
            return None;
        }
        let mut key = String::with_capacity(64);
        for words in (1..=max).rev() {
            for (k, &(prefix, head)) in first.iter().enumerate() {
                if longest[k] < words {
                    continue;
                }
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

    /// The longest phrase starting at token `i` of `toks`, its first word matched as itself
    /// or through its proclitic splits ([`Clitics::stems`]), when `toks` says that the word
    /// may begin a phrase of the table `table` (a bit of its [`FirstWords`]).
    pub(crate) fn longest_from<'a>(
        &'a self,
        clitics: &Clitics,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        table: u8,
    ) -> Option<PhraseMatch<'a, V>> {
        if !toks.may_begin(i, table) {
            return None;
        }
        let word = toks.get(i)?.text(n);
        self.longest(n, toks, i, &clitics.stems(word))
    }
}

/// The first words of a parser's phrase tables, each with a bit for every table whose
/// phrases it begins: one lookup per stem tells all the tables at once.
#[derive(Clone, Debug, Default)]
pub(crate) struct FirstWords(HashMap<String, u8>);

impl FirstWords {
    /// Adds the first words of `phrases` under the bit `table`.
    pub(crate) fn add<V>(&mut self, phrases: &Phrases<V>, table: u8) {
        self.add_words(phrases.first_words.keys().map(String::as_str), table);
    }

    /// Adds single `words` under the bit `table`.
    pub(crate) fn add_words<'w>(&mut self, words: impl Iterator<Item = &'w str>, table: u8) {
        for word in words {
            *self.0.entry(word.to_string()).or_default() |= table;
        }
    }

    /// The bits of the tables whose phrases `word` begins, as it is or through one of its
    /// proclitic splits.
    pub(crate) fn starts_of(&self, word: &str, clitics: &Clitics) -> u8 {
        let mut bits = 0;
        clitics.any_stem(word, |stem| {
            bits |= self.0.get(stem).copied().unwrap_or(0);
            false
        });
        bits
    }
}

/// The tokens of a text, with the phrase tables each token's word may begin (through its
/// proclitics or not), found once per token rather than once per token and table.
pub(crate) struct Toks<'t> {
    toks: &'t [Token],
    begins: Cow<'t, [u8]>,
}

impl<'t> Toks<'t> {
    /// The tokens `toks` of `n` ([`crate::tokens`]) and, for each, the bits of the tables of
    /// `first` that one of its stems begins; `known` gives them when it has one per token
    /// (a caller that keeps them from word to word).
    pub(crate) fn new(
        n: &Normalized,
        toks: &'t [Token],
        clitics: &Clitics,
        first: &FirstWords,
        known: Option<&'t [u8]>,
    ) -> Toks<'t> {
        let begins = match known {
            Some(bits) if bits.len() == toks.len() => Cow::Borrowed(bits),
            _ => toks
                .iter()
                .map(|t| first.starts_of(t.text(n), clitics))
                .collect(),
        };
        Toks { toks, begins }
    }

    /// True when token `i`'s word may begin a phrase of `table`.
    pub(crate) fn may_begin(&self, i: usize, table: u8) -> bool {
        self.begins.get(i).is_some_and(|bits| bits & table != 0)
    }

    /// True when token `i`'s word may begin a phrase of any table.
    pub(crate) fn may_begin_any(&self, i: usize) -> bool {
        self.begins.get(i).is_some_and(|&bits| bits != 0)
    }
}

impl std::ops::Deref for Toks<'_> {
    type Target = [Token];

    fn deref(&self) -> &[Token] {
        self.toks
    }
}
