//! A bounded cache of what a stage worked out for each word it has read.
//!
//! Words repeat from sentence to sentence and report to report: a stage that splits a word's
//! proclitics and looks its stems up in tables can keep the answer and read it back the next
//! time. [`WordCache`] keeps two generations: when the young one is full it becomes the old
//! one (the old one is dropped), and a word found in the old one moves back to the young one.
//! So the words every report uses stay, while memory stays bounded on any input.

use std::borrow::Borrow;
use std::cell::Cell;
use std::hash::Hash;

use rustc_hash::FxHashMap as HashMap;

/// Words (as normalized) → what a stage worked out for them, in two bounded generations.
///
/// The key is the word (`K` borrows as it): a stage may keep more text in the key's one
/// allocation, read with the word that found it ([`WordCache::get_with_key`]).
#[derive(Debug)]
pub struct WordCache<V, K = Box<str>> {
    /// Each word's value and the generation it was last read or written in.
    words: HashMap<K, (V, Cell<u32>)>,
    /// The young generation's number.
    generation: u32,
    /// How many words the young generation holds.
    young: usize,
}

impl<V, K> Default for WordCache<V, K> {
    fn default() -> Self {
        WordCache {
            words: HashMap::default(),
            generation: 0,
            young: 0,
        }
    }
}

impl<V, K: Borrow<str> + Hash + Eq> WordCache<V, K> {
    /// The most words of one generation: at most twice as many are kept.
    pub const GENERATION: usize = 32_768;

    /// What was kept for `word`, if anything; the word joins the young generation.
    pub fn get(&mut self, word: &str) -> Option<&V> {
        self.get_with_key(word).map(|(_, value)| value)
    }

    /// [`WordCache::get`], with the key it was kept under.
    pub fn get_with_key(&mut self, word: &str) -> Option<(&K, &V)> {
        let (key, (value, generation)) = self.words.get_key_value(word)?;
        if generation.get() != self.generation {
            generation.set(self.generation);
            self.young += 1;
        }
        Some((key, value))
    }

    /// Keeps `value` for `word` in the young generation. When that is full, it becomes the
    /// old one and the words of the one before are dropped.
    pub fn insert(&mut self, word: K, value: V) {
        if self.young >= Self::GENERATION {
            let old = self.generation;
            self.words
                .retain(|_, (_, generation)| generation.get() == old);
            self.generation = self.generation.wrapping_add(1);
            self.young = 0;
        }
        match self.words.insert(word, (value, Cell::new(self.generation))) {
            Some((_, generation)) if generation.get() == self.generation => {}
            _ => self.young += 1,
        }
    }

    /// Forgets every word.
    pub fn clear(&mut self) {
        self.words.clear();
        self.young = 0;
    }

    /// How many words are kept.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when no word is kept.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    #[test]
    fn a_word_in_use_survives_and_memory_stays_bounded() {
        let mut cache: WordCache<usize> = WordCache::default();
        cache.insert("درعا".into(), 1);
        for i in 0..3 * WordCache::<usize>::GENERATION {
            // A word read in every report is looked up between the others.
            if i % 1000 == 0 {
                assert_eq!(cache.get("درعا"), Some(&1), "after {i} other words");
            }
            cache.insert(format!("w{i}").into(), i);
            assert!(cache.len() <= 2 * WordCache::<usize>::GENERATION);
        }
        assert_eq!(cache.get("درعا"), Some(&1));
        // A word not read for two generations is gone.
        assert_eq!(cache.get("w0"), None);
        cache.clear();
        assert!(cache.is_empty());
    }
}
