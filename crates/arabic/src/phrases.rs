//! Multi-word phrase tables matched over tokens (months, modifiers, vague quantities...).

use crate::{Clitics, Normalized, Token};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Phrases of normalized words (joined by one space), each with a value.
#[derive(Clone, Debug)]
pub(crate) struct Phrases<V> {
    map: HashMap<String, V>,
    /// The first words of the phrases: at most words, no phrase can start, and one lookup
    /// says so where building and looking up every key would take many.
    first_words: HashSet<String>,
    /// The last letters of the first words. A word's stems all end as the word does, so a
    /// word whose last letter ends no first word begins no phrase, through any proclitic.
    last_letters: Letters,
    max_words: usize,
}

impl<V> Default for Phrases<V> {
    fn default() -> Self {
        Phrases {
            map: HashMap::default(),
            first_words: HashSet::default(),
            last_letters: Letters::default(),
            max_words: 0,
        }
    }
}

/// A set of letters: one bit for each of the 64 code points from U+0621 (the letters of
/// normalized Arabic), a list for the others.
#[derive(Clone, Debug, Default)]
struct Letters {
    arabic: u64,
    others: Vec<char>,
}

impl Letters {
    /// The bit of an Arabic letter, if `c` is one.
    fn bit(c: char) -> Option<u64> {
        let offset = u32::from(c).checked_sub(0x0621)?;
        (offset < 64).then(|| 1 << offset)
    }

    fn insert(&mut self, c: char) {
        match Letters::bit(c) {
            Some(bit) => self.arabic |= bit,
            None if !self.others.contains(&c) => self.others.push(c),
            None => {}
        }
    }

    fn contains(&self, c: char) -> bool {
        match Letters::bit(c) {
            Some(bit) => self.arabic & bit != 0,
            None => self.others.contains(&c),
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
        if let Some(last) = first.chars().next_back() {
            self.last_letters.insert(last);
        }
        self.first_words.insert(first.to_string());
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
        // Bit k: `first[k]` begins some phrase (heads past the 64th are always tried).
        let starts = first
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, (_, head))| self.first_words.contains(*head))
            .fold(0u64, |bits, (k, _)| bits | 1 << k);
        if starts == 0 && first.len() <= 64 {
            return None;
        }
        let max = self.max_words.min(toks.len() - i);
        let mut key = String::new();
        for words in (1..=max).rev() {
            for (k, &(prefix, head)) in first.iter().enumerate() {
                if k < 64 && starts & (1 << k) == 0 {
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

    /// The longest phrase starting at token `i`, its first word matched as itself or through
    /// its proclitic splits ([`Clitics::stems`]); the splits are only listed when one of them
    /// begins a phrase.
    pub(crate) fn longest_through<'a>(
        &'a self,
        clitics: &Clitics,
        n: &Normalized,
        toks: &[Token],
        i: usize,
    ) -> Option<PhraseMatch<'a, V>> {
        let word = toks.get(i)?.text(n);
        let last = word.chars().next_back()?;
        if !self.last_letters.contains(last)
            || !clitics.any_stem(word, |stem| self.first_words.contains(stem))
        {
            return None;
        }
        self.longest(n, toks, i, &clitics.stems(word))
    }
}
