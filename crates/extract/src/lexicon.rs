//! Phrase lexicons matched over words: the mechanism behind triggers, cues, actors, sources
//! and count nouns.
//!
//! A pattern is a sequence of words as Arabic is written; the loader normalizes it with the
//! normalizer the reports go through. A trailing `*` lets a word end freely (`اشتبك*` matches
//! اشتبكت، اشتبكوا، اشتباك…). Proclitics (و ف ب ل ك ال, per `data/arabic/proclitics.tsv`) may
//! stand before any word of a phrase without being written: «وبالطيران الحربي» matches
//! «الطيران الحربي». Matching is leftmost-longest over the words (as aho-corasick's
//! `MatchKind::LeftmostLongest`): «قصف مدفعي» wins over «قصف».
//!
//! A `…` between two words lets one to [`MAX_GAP`] words (no punctuation) stand there: Arabic
//! news puts the subject between a verb and its object («فجّرت [قوات النظام] منزل»), so
//! `فجر* … منزل*` finds the phrase whoever did it. A pattern cannot start or end with `…`.
//!
//! Known failure: a wildcard is a prefix match, so `حرق*` also matches the unrelated
//! «حرقة» (heartburn); keep wildcards on distinctive stems.

use rustc_hash::FxHashMap as HashMap;

use rasd_core::{DataFiles, Span};

use crate::words::Word;
use crate::Error;

#[derive(Clone, Debug, PartialEq, Eq)]
enum WordPattern {
    Exact(Forms),
    Prefix(Forms),
    /// `…`: one to [`MAX_GAP`] words.
    Gap,
}

/// A pattern word as written, and without its article when it has one
/// (see [`ARTICLE`]): worked out once, when the pattern is loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Forms {
    full: String,
    /// `full` without «ال», when at least two letters are left.
    bare: Option<String>,
}

impl Forms {
    fn new(full: String) -> Forms {
        let bare = full
            .strip_prefix(ARTICLE)
            .filter(|b| b.chars().nth(1).is_some())
            .map(str::to_string);
        Forms { full, bare }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.full.as_str()).chain(self.bare.as_deref())
    }
}

/// The most words a `…` in a pattern stands for.
pub const MAX_GAP: usize = 6;

/// How a gap is written in a pattern.
const GAP: &str = "…";

/// The definite article: a pattern word written with it also matches the bare word
/// («على المتظاهرين» matches «على متظاهرين»).
const ARTICLE: &str = "ال";

impl WordPattern {
    fn matches(&self, stem: &str) -> bool {
        match self {
            WordPattern::Exact(forms) => {
                stem == forms.full || forms.bare.as_deref().is_some_and(|bare| stem == bare)
            }
            WordPattern::Prefix(forms) => {
                stem.starts_with(&forms.full)
                    || forms
                        .bare
                        .as_deref()
                        .is_some_and(|bare| stem.starts_with(bare))
            }
            WordPattern::Gap => false,
        }
    }
}

/// A match of a lexicon entry: the words `start..end` and the entry's value.
#[derive(Clone, Copy, Debug)]
pub struct PhraseMatch<'a, T> {
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// The original text span from the first word's start to the last word's end.
    pub span: Span,
    /// The entry's value.
    pub value: &'a T,
}

/// A lexicon of phrases with values, matched over [`Word`]s.
///
/// A lexicon matches the words of a report only once its first words are numbered in the
/// [`FirstWords`] index those words were built with ([`FirstWords::add`]).
#[derive(Clone, Debug)]
pub struct PhraseLexicon<T> {
    patterns: Vec<(Vec<WordPattern>, T)>,
    by_key: HashMap<String, usize>,
    first_exact: HashMap<String, Vec<usize>>,
    first_prefix: HashMap<String, Vec<usize>>,
    /// The entries each numbered first word (of [`FirstWords`]) may start.
    by_first: HashMap<u32, Vec<usize>>,
    /// This lexicon's bit in the words' [`FirstWords::lexicons_of`] masks (none past the
    /// 64th lexicon of one index: its entries are then looked up at every word).
    bit: Option<u64>,
}

/// The first words of every phrase lexicon of an analyzer, numbered. Each stem of a report is
/// looked up here once, when the words are built ([`crate::words::Stems::new`]); a lexicon then
/// finds the entries a word may start by the word's numbers, without hashing the word again
/// for every lexicon.
#[derive(Clone, Debug, Default)]
pub struct FirstWords {
    exact: HashMap<String, u32>,
    prefix: HashMap<String, u32>,
    /// The keys of `prefix`, letter by letter: a stem's prefixes that are keys are found in
    /// one walk along it.
    prefix_trie: PrefixTrie,
    /// How the keys begin: a stem that begins otherwise is not looked up at all.
    starts: Starts,
    /// How many lexicons were numbered.
    lexicons: usize,
    /// By first-word number: the bits of the lexicons (the first 64) with entries it starts.
    masks: Vec<u64>,
}

impl FirstWords {
    /// Numbers the first words of `lexicon`'s entries and gives the lexicon its lookup by
    /// number. Call it after the lexicon's last insert.
    pub fn add<T>(&mut self, lexicon: &mut PhraseLexicon<T>) {
        let bit = (self.lexicons < 64).then(|| 1u64 << self.lexicons);
        self.lexicons += 1;
        let mut by_first: HashMap<u32, Vec<usize>> = HashMap::default();
        for (keys, prefix) in [(&lexicon.first_exact, false), (&lexicon.first_prefix, true)] {
            for (key, entries) in keys {
                let number = self.number(key, prefix);
                by_first.entry(number).or_default().extend(entries);
                let at = number as usize;
                if self.masks.len() <= at {
                    self.masks.resize(at + 1, 0);
                }
                self.masks[at] |= bit.unwrap_or(0);
            }
        }
        lexicon.by_first = by_first;
        lexicon.bit = bit;
    }

    /// The bits of the lexicons with entries that one of the first words `numbers` starts:
    /// a lexicon whose bit is not set has nothing to look up at that word.
    pub(crate) fn lexicons_of(&self, numbers: &[u32]) -> u64 {
        numbers
            .iter()
            .filter_map(|&n| self.masks.get(n as usize))
            .fold(0, |mask, m| mask | m)
    }

    /// The number of a first word (`prefix`: written with a trailing `*`), given on first use.
    fn number(&mut self, key: &str, prefix: bool) -> u32 {
        let next = u32::try_from(self.exact.len() + self.prefix.len()).unwrap_or(u32::MAX);
        self.starts.add(key);
        if prefix {
            let number = *self.prefix.entry(key.to_string()).or_insert(next);
            self.prefix_trie.add(key, number);
            number
        } else {
            *self.exact.entry(key.to_string()).or_insert(next)
        }
    }

    /// Appends to `out` the numbers of the first words that `stem` is or begins with, each
    /// once.
    pub(crate) fn numbers_of(&self, stem: &str, out: &mut Vec<u32>, from: usize) {
        if !self.starts.may_start(stem) {
            return;
        }
        let mut push = |number: u32| {
            if !out[from..].contains(&number) {
                out.push(number);
            }
        };
        if let Some(&number) = self.exact.get(stem) {
            push(number);
        }
        // The prefix keys the stem begins with, shortest first.
        self.prefix_trie.along(stem, push);
    }
}

/// Keys as a trie of letters (node 0 is the root), each key's node holding its number.
#[derive(Clone, Debug)]
struct PrefixTrie {
    edges: HashMap<(u32, char), u32>,
    numbers: Vec<Option<u32>>,
}

impl Default for PrefixTrie {
    fn default() -> Self {
        PrefixTrie {
            edges: HashMap::default(),
            numbers: vec![None],
        }
    }
}

impl PrefixTrie {
    /// Adds `key` with `number` (a key added twice keeps its first number).
    fn add(&mut self, key: &str, number: u32) {
        let mut node = 0u32;
        for c in key.chars() {
            let next = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
            node = *self.edges.entry((node, c)).or_insert_with(|| {
                self.numbers.push(None);
                next
            });
        }
        if let Some(slot) = self.numbers.get_mut(node as usize) {
            slot.get_or_insert(number);
        }
    }

    /// Calls `found` with the number of each key that `text` begins with (or is), shortest
    /// first.
    fn along(&self, text: &str, mut found: impl FnMut(u32)) {
        let mut node = 0u32;
        for c in text.chars() {
            let Some(&next) = self.edges.get(&(node, c)) else {
                return;
            };
            node = next;
            if let Some(Some(number)) = self.numbers.get(node as usize) {
                found(*number);
            }
        }
    }
}

/// A filter on how the first-word keys of the lexicons begin: their first letter (keys of one
/// letter) or their first two letters (longer keys), hashed into bit sets. A stem none of whose
/// beginnings is set matches no key; one that is set may (the maps decide).
#[derive(Clone, Debug, Default)]
struct Starts {
    one: Vec<u64>,
    two: Vec<u64>,
}

impl Starts {
    /// Bits in each set (a power of two).
    const BITS: usize = 1 << 14;

    fn slot(a: char, b: Option<char>) -> usize {
        let h = (a as usize)
            .wrapping_mul(31)
            .wrapping_add(b.map_or(0, |b| b as usize));
        h & (Self::BITS - 1)
    }

    fn get(set: &[u64], slot: usize) -> bool {
        set.get(slot / 64)
            .is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }

    fn set(set: &mut Vec<u64>, slot: usize) {
        if set.is_empty() {
            set.resize(Self::BITS / 64, 0);
        }
        if let Some(w) = set.get_mut(slot / 64) {
            *w |= 1 << (slot % 64);
        }
    }

    /// Records how a key begins (its first letter, or its first two).
    fn add(&mut self, key: &str) {
        let mut chars = key.chars();
        let Some(a) = chars.next() else { return };
        match chars.next() {
            None => Self::set(&mut self.one, Self::slot(a, None)),
            Some(b) => Self::set(&mut self.two, Self::slot(a, Some(b))),
        }
    }

    /// False when no key can equal `stem` or a beginning of it.
    fn may_start(&self, stem: &str) -> bool {
        let mut chars = stem.chars();
        let Some(a) = chars.next() else { return false };
        Self::get(&self.one, Self::slot(a, None))
            || chars
                .next()
                .is_some_and(|b| Self::get(&self.two, Self::slot(a, Some(b))))
    }
}

impl<T> Default for PhraseLexicon<T> {
    fn default() -> Self {
        PhraseLexicon {
            patterns: Vec::new(),
            by_key: HashMap::default(),
            first_exact: HashMap::default(),
            first_prefix: HashMap::default(),
            by_first: HashMap::default(),
            bit: None,
        }
    }
}

impl<T> PhraseLexicon<T> {
    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The values of every pattern.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.patterns.iter().map(|(_, value)| value)
    }

    /// Adds a pattern; a pattern already present gets the new value (a user's row wins).
    /// Returns false when the pattern has no words.
    pub fn insert(&mut self, pattern: &str, value: T) -> bool {
        let words = parse_pattern(pattern);
        let gap_at_edge =
            words.first() == Some(&WordPattern::Gap) || words.last() == Some(&WordPattern::Gap);
        if words.is_empty() || gap_at_edge {
            return false;
        }
        let key = words
            .iter()
            .map(|w| match w {
                WordPattern::Exact(s) => s.full.clone(),
                WordPattern::Prefix(s) => format!("{}*", s.full),
                WordPattern::Gap => GAP.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(&index) = self.by_key.get(&key) {
            self.patterns[index].1 = value;
            return true;
        }
        let index = self.patterns.len();
        let (first, prefix) = match &words[0] {
            WordPattern::Exact(w) => (w, false),
            WordPattern::Prefix(p) => (p, true),
            WordPattern::Gap => return false,
        };
        for key in first.iter() {
            let keys = if prefix {
                &mut self.first_prefix
            } else {
                &mut self.first_exact
            };
            keys.entry(key.to_string()).or_default().push(index);
        }
        self.by_key.insert(key, index);
        self.patterns.push((words, value));
        true
    }

    /// How specific pattern `index` is: its exactly written words, then its written letters.
    /// Of two entries matching the same words the more specific wins, whatever the file order:
    /// «ضربات» (strikes) over «ضرب*» (beating).
    fn specificity(&self, index: usize) -> (usize, usize) {
        let (pattern, _) = &self.patterns[index];
        pattern.iter().fold((0, 0), |(exact, letters), w| match w {
            WordPattern::Exact(s) => (exact + 1, letters + s.full.chars().count()),
            WordPattern::Prefix(s) => (exact, letters + s.full.chars().count()),
            WordPattern::Gap => (exact, letters),
        })
    }

    /// The longest entry that starts at word `i`, as (end word, value); of entries of one
    /// length, the most specific (then the first in file order).
    #[inline]
    pub fn longest_at(&self, words: &[Word], i: usize) -> Option<(usize, &T)> {
        debug_assert!(
            self.patterns.is_empty() || !self.by_first.is_empty(),
            "a lexicon matched before its first words were numbered (FirstWords::add)"
        );
        let first = words.get(i)?;
        if !self.may_start(first) {
            return None;
        }
        self.longest_from(words, i, first)
    }

    /// False when no entry can start at `word`: it is no word, or none of its first words is
    /// one of this lexicon's (the word's lexicon bits say so at once).
    #[inline]
    fn may_start(&self, word: &Word) -> bool {
        word.is_word && self.bit.is_none_or(|bit| word.lexicons & bit != 0)
    }

    /// [`PhraseLexicon::longest_at`] at a word `first` (word `i`) that may start an entry.
    fn longest_from(&self, words: &[Word], i: usize, first: &Word) -> Option<(usize, &T)> {
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |index: usize| {
            let (pattern, _) = &self.patterns[index];
            // The first word's number says that one of its stems matches the entry's first
            // word (written as it is or without its article): only the rest is left to match.
            if let Some(end) = match_rest(&pattern[1..], words, i + 1) {
                let better = match best {
                    None => true,
                    Some((best_end, best_index)) => {
                        end > best_end
                            || (end == best_end
                                && (self.specificity(index), std::cmp::Reverse(index))
                                    > (self.specificity(best_index), std::cmp::Reverse(best_index)))
                    }
                };
                if better {
                    best = Some((end, index));
                }
            }
        };
        for number in first.first_words {
            if let Some(list) = self.by_first.get(number) {
                list.iter().copied().for_each(&mut consider);
            }
        }
        best.map(|(end, index)| (end, &self.patterns[index].1))
    }

    /// All leftmost-longest, non-overlapping matches in `words`.
    pub fn find_all<'a>(&'a self, words: &[Word<'_>]) -> Vec<PhraseMatch<'a, T>> {
        self.matches(words).collect()
    }

    /// [`PhraseLexicon::find_all`] one match at a time, found as they are asked for: a caller
    /// that wants only the first few does not pay for the rest of a long report.
    pub fn matches<'a, 'w>(
        &'a self,
        words: &'w [Word<'_>],
    ) -> impl Iterator<Item = PhraseMatch<'a, T>> + use<'a, 'w, T> {
        let mut i = 0;
        std::iter::from_fn(move || {
            while let Some(word) = words.get(i) {
                if !self.may_start(word) {
                    i += 1;
                    continue;
                }
                if let Some((end, value)) = self.longest_from(words, i, word) {
                    let span = Span::new(words[i].span.start, words[end - 1].span.end);
                    let found = PhraseMatch {
                        start: i,
                        end,
                        span,
                        value,
                    };
                    i = end;
                    return Some(found);
                }
                i += 1;
            }
            None
        })
    }
}

/// Matches the whole pattern from word `i`; returns the end word. A gap takes the fewest
/// words that let the rest match.
fn match_rest(pattern: &[WordPattern], words: &[Word], i: usize) -> Option<usize> {
    match pattern.split_first() {
        None => Some(i),
        Some((WordPattern::Gap, rest)) => (1..=MAX_GAP)
            .take_while(|&skip| words.get(i + skip - 1).is_some_and(|w| w.is_word))
            .find_map(|skip| match_rest(rest, words, i + skip)),
        Some((word_pattern, rest)) => {
            let word = words.get(i)?;
            if !word.is_word || !word.stems().any(|stem| word_pattern.matches(stem)) {
                return None;
            }
            match_rest(rest, words, i + 1)
        }
    }
}

fn parse_pattern(pattern: &str) -> Vec<WordPattern> {
    pattern
        .split_whitespace()
        .filter_map(|raw| {
            if raw == GAP {
                return Some(WordPattern::Gap);
            }
            let (body, prefix) = match raw.strip_suffix('*') {
                Some(body) => (body, true),
                None => (raw, false),
            };
            let key = rasd_arabic::normalize_key(body);
            if key.is_empty() {
                None
            } else if prefix {
                Some(WordPattern::Prefix(Forms::new(key)))
            } else {
                Some(WordPattern::Exact(Forms::new(key)))
            }
        })
        .collect()
}

/// Loads a TSV lexicon: each data row's first column is the pattern and `parse` turns the other
/// columns into the value. Built-in rows first, then the user's (which win on the same pattern).
///
/// # Errors
/// [`Error::Data`] naming `file:line` when a row has the wrong shape or a bad value.
pub fn load_tsv<T>(
    files: &DataFiles,
    name: &str,
    builtin: &str,
    columns: usize,
    parse: impl Fn(&[&str]) -> Result<T, String>,
) -> Result<PhraseLexicon<T>, Error> {
    let mut lexicon = PhraseLexicon::default();
    for data in files.texts(name, builtin) {
        for (line, fields) in rasd_core::data::tsv_rows(data.text) {
            let bad = |reason: String| Error::Data {
                file: data.origin.to_string(),
                line,
                reason,
            };
            if fields.len() < columns {
                return Err(bad(format!("expected {columns} tab-separated columns")));
            }
            let value = parse(&fields[1..]).map_err(bad)?;
            if !lexicon.insert(fields[0], value) {
                return Err(bad(format!(
                    "empty pattern, or one that starts or ends with {GAP}"
                )));
            }
        }
    }
    Ok(lexicon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_arabic::{normalize, Clitics};

    fn lexicon(entries: &[(&str, u32)]) -> PhraseLexicon<u32> {
        let mut lex = PhraseLexicon::default();
        for (pattern, value) in entries {
            assert!(lex.insert(pattern, *value));
        }
        lex
    }

    fn found(lex: &PhraseLexicon<u32>, text: &str) -> Vec<(String, u32)> {
        let normalized = normalize(text);
        let clitics = Clitics::new().unwrap();
        let enclitics = vec!["ا".to_string(), "ها".to_string()];
        let tokens = rasd_arabic::tokens(&normalized);
        let mut lex = lex.clone();
        let mut first_words = FirstWords::default();
        first_words.add(&mut lex);
        let stems = crate::words::Stems::new(
            text,
            &normalized,
            &tokens,
            &crate::words::WordRules {
                clitics: &clitics,
                enclitics: &enclitics,
                first_words: &first_words,
                parsers: None,
                gazetteer: None,
            },
            &mut crate::words::StemCache::default(),
        );
        let words = crate::words::words(&normalized, &tokens, &stems);
        lex.find_all(&words)
            .iter()
            .map(|m| (text[m.span].to_string(), *m.value))
            .collect()
    }

    /// Lexicons numbered in one index each find their own entries, and only theirs, at a
    /// word that begins entries of some of them.
    #[test]
    fn a_stems_first_words_are_every_key_it_is_or_begins_with_shortest_first() {
        let mut lex = PhraseLexicon::default();
        for (i, pattern) in ["قصف*", "قص*", "قصف", "قصفت", "ق*", "قصفته*", "قتل*", "ال*"]
            .iter()
            .enumerate()
        {
            lex.insert(pattern, i);
        }
        let mut first_words = FirstWords::default();
        first_words.add(&mut lex);
        for stem in ["قصفت", "قصف", "قصفتها", "قص", "ق", "قتلى", "مقتل", ""]
        {
            let mut got = Vec::new();
            first_words.numbers_of(stem, &mut got, 0);
            // By definition: the exact key, then the prefix keys it begins with, by length.
            let mut want: Vec<u32> = first_words.exact.get(stem).copied().into_iter().collect();
            let mut prefixes: Vec<(&String, &u32)> = first_words
                .prefix
                .iter()
                .filter(|(key, _)| stem.starts_with(key.as_str()))
                .collect();
            prefixes.sort_by_key(|(key, _)| key.len());
            want.extend(prefixes.into_iter().map(|(_, &n)| n));
            assert_eq!(got, want, "{stem}");
        }
        let mut got = Vec::new();
        first_words.numbers_of("قصفتها", &mut got, 0);
        assert_eq!(got.len(), 4, "ق* قص* قصف* قصفت*... {got:?}");
    }

    #[test]
    fn lexicons_sharing_an_index_find_their_own_entries() {
        let mut lexicons = [
            lexicon(&[("قصف مدفعي", 1)]),
            lexicon(&[("قصف", 2), ("اشتباكات عنيف*", 3)]),
            lexicon(&[("مدفعي", 4)]),
        ];
        let mut first_words = FirstWords::default();
        lexicons.iter_mut().for_each(|l| first_words.add(l));
        let text = "قصف مدفعي واشتباكات عنيفة";
        let normalized = normalize(text);
        let clitics = Clitics::new().unwrap();
        let tokens = rasd_arabic::tokens(&normalized);
        let rules = crate::words::WordRules {
            clitics: &clitics,
            enclitics: &[],
            first_words: &first_words,
            parsers: None,
            gazetteer: None,
        };
        let stems = crate::words::Stems::new(
            text,
            &normalized,
            &tokens,
            &rules,
            &mut crate::words::StemCache::default(),
        );
        let words = crate::words::words(&normalized, &tokens, &stems);
        let at = |l: usize, i: usize| lexicons[l].longest_at(&words, i).map(|(e, v)| (e, *v));
        assert_eq!(at(0, 0), Some((2, 1)));
        assert_eq!(at(1, 0), Some((1, 2)));
        assert_eq!(at(2, 0), None);
        assert_eq!(at(2, 1), Some((2, 4)));
        assert_eq!(at(0, 2), None);
        assert_eq!(at(1, 2), Some((4, 3)));
    }

    #[test]
    fn a_gap_lets_a_subject_stand_between_verb_and_object() {
        let lex = lexicon(&[("فجر* … منزل*", 1), ("قصف", 2)]);
        assert_eq!(
            found(&lex, "فجّرت قوات النظام منزل قيادي سابق"),
            vec![("فجّرت قوات النظام منزل".to_string(), 1)]
        );
        // Punctuation ends the gap, and so does a gap longer than MAX_GAP words.
        assert!(found(&lex, "فجّرت قوات النظام، ثم منزل").is_empty());
        assert!(found(&lex, "فجّرت واحد اثنان ثلاثة أربعة خمسة ستة سبعة منزل").is_empty());
        // A pattern cannot start or end with a gap.
        let mut bad = PhraseLexicon::default();
        assert!(!bad.insert("… منزل", 1));
        assert!(!bad.insert("فجر* …", 1));
    }

    #[test]
    fn longest_phrase_wins_and_clitics_are_allowed() {
        let lex = lexicon(&[("قصف", 1), ("قصف مدفعي", 2), ("الطيران الحربي", 3)]);
        assert_eq!(
            found(&lex, "وقصف مدفعي عنيف ثم قصف وبالطيران الحربي"),
            vec![
                ("وقصف مدفعي".to_string(), 2),
                ("قصف".to_string(), 1),
                ("وبالطيران الحربي".to_string(), 3)
            ]
        );
    }

    #[test]
    fn wildcards_end_words_freely_and_spelling_is_folded() {
        let lex = lexicon(&[("اشتبك*", 1), ("اشتباك*", 1), ("أُسقِطت طائرة", 2)]);
        assert_eq!(
            found(&lex, "اشتبكت القوات واشتباكات ثم اسقطت طائرة"),
            vec![
                ("اشتبكت".to_string(), 1),
                ("واشتباكات".to_string(), 1),
                ("اسقطت طائرة".to_string(), 2)
            ]
        );
    }

    #[test]
    fn enclitics_and_the_article_after_lil_are_matched() {
        let lex = lexicon(&[("كمين", 1), ("طائرة مسيرة", 2), ("الأمن العسكري", 3)]);
        assert_eq!(
            found(&lex, "نصبوا كميناً وطائرتها المسيرة ودورية للأمن العسكري"),
            vec![
                ("كميناً".to_string(), 1),
                ("وطائرتها المسيرة".to_string(), 2),
                ("للأمن العسكري".to_string(), 3)
            ]
        );
    }

    #[test]
    fn phrases_do_not_run_across_punctuation_and_user_rows_replace() {
        let mut lex = lexicon(&[("وقف إطلاق النار", 1)]);
        assert!(found(&lex, "وقف، إطلاق النار").is_empty());
        lex.insert("وقف  إطلاق النار", 9);
        assert_eq!(lex.len(), 1);
        assert_eq!(found(&lex, "وقف إطلاق النار")[0].1, 9);
    }
}
