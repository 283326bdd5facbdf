//! The word layer the matchers read: the normalized tokens of a report with the stems a
//! lexicon entry may match, each word pointing back to the original text.
//!
//! A report is tokenized once ([`rasd_arabic::tokens`]), and the stems of all its words are
//! written into one [`Stems`] buffer: the words borrow their text from the normalized view and
//! their stems from that buffer, so no string is allocated per word.

use rasd_arabic::{Clitics, DateParser, Normalized, NumberParser, Token, TokenKind, WordCache};
use rasd_core::Span;
use rasd_gazetteer::Gazetteer;

use crate::lexicon::FirstWords;

/// One token of the normalized text.
#[derive(Clone, Copy, Debug)]
pub struct Word<'a> {
    /// The token in the original text.
    pub span: Span,
    /// The normalized token.
    pub text: &'a str,
    /// The forms a lexicon entry may match (see [`Word::stems`]), each followed by
    /// [`STEM_END`].
    stems: &'a str,
    /// The numbers, in the analyzer's [`FirstWords`], of the lexicon first words its stems
    /// are or begin with: where a phrase may start.
    pub(crate) first_words: &'a [u32],
    /// The bits of the lexicons with an entry that may start here
    /// ([`FirstWords::lexicons_of`] of `first_words`).
    pub(crate) lexicons: u64,
    /// False for punctuation and symbols: phrases never run across them.
    pub is_word: bool,
}

impl<'a> Word<'a> {
    /// The forms a lexicon entry may match, the whole word first: the word without its
    /// proclitics (و ف ب ل ك ال), with «ال» restored after «لل» («للأمن» → «الأمن»), and
    /// without an enclitic suffix (`data/lexicon/enclitics.tsv`: «كميناً» → «كمين»,
    /// «طائرتها» → «طائره»). None for punctuation and symbols.
    pub fn stems(&self) -> StemIter<'a> {
        StemIter { rest: self.stems }
    }
}

/// Ends each stem in a [`Stems`] buffer. Words and numbers never hold it.
const STEM_END: char = '\0';

/// The stems of a word, one by one (see [`Word::stems`]).
#[derive(Clone, Debug)]
pub struct StemIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for StemIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // A plain byte loop: stems are a few letters long, too short for a searcher to pay.
        let end = self.rest.bytes().position(|b| b == STEM_END as u8)?;
        let stem = self.rest.get(..end)?;
        self.rest = self.rest.get(end + 1..)?;
        Some(stem)
    }
}

/// The stems of every word of a report, written one after another in one buffer.
#[derive(Debug, Default)]
pub struct Stems {
    text: String,
    /// Where each token's stems end in `text`, in token order.
    ends: Vec<u32>,
    /// The [`FirstWords`] numbers of each token's stems, one token after another.
    first_words: Vec<u32>,
    /// Where each token's numbers end in `first_words`, in token order.
    first_word_ends: Vec<u32>,
    /// Each token's lexicon bits ([`Word::lexicons`]).
    lexicons: Vec<u64>,
    /// The date and number parsers' phrase starts of each token (empty without parsers).
    pub starts: PhraseStarts,
    /// Each token's [`Gazetteer::name_start_bits`], for
    /// [`Gazetteer::find_in_tokens_with_starts`] (empty without a gazetteer; 0 for a token
    /// that is no word).
    pub name_starts: Vec<u32>,
}

/// What the word layer is built with: one analyzer's data.
#[derive(Clone, Copy, Debug)]
pub struct WordRules<'a> {
    /// The proclitics.
    pub clitics: &'a Clitics,
    /// The enclitic suffixes a lexicon word may carry.
    pub enclitics: &'a [String],
    /// The numbered first words of the lexicons.
    pub first_words: &'a FirstWords,
    /// The date and number parsers whose [`PhraseStarts`] are worked out with the stems.
    pub parsers: Option<(&'a DateParser, &'a NumberParser)>,
    /// The gazetteer whose [`Stems::name_starts`] are worked out with the stems.
    pub gazetteer: Option<&'a Gazetteer>,
}

impl Stems {
    /// The stems of each of `tokens` (the tokens of `normalized`, the view of `original`),
    /// with the numbers of the lexicon first words that they are or begin with, and the
    /// parsers' phrase starts. `cache` keeps what a word gave from report to report; it must
    /// only ever be used with the same `rules` ([`StemCache::serve`]).
    pub fn new(
        original: &str,
        normalized: &Normalized,
        tokens: &[Token],
        rules: &WordRules,
        cache: &mut StemCache,
    ) -> Stems {
        let mut out = Stems {
            text: String::with_capacity(normalized.as_str().len() * 3),
            ends: Vec::with_capacity(tokens.len()),
            first_words: Vec::with_capacity(tokens.len()),
            first_word_ends: Vec::with_capacity(tokens.len()),
            lexicons: Vec::with_capacity(tokens.len()),
            starts: PhraseStarts::default(),
            name_starts: Vec::with_capacity(if rules.gazetteer.is_some() {
                tokens.len()
            } else {
                0
            }),
        };
        let mut scratch = Scratch::default();
        for token in tokens {
            let word = normalized.slice(token.norm);
            let (lexicons, starts, name_starts) =
                if matches!(token.kind, TokenKind::Word | TokenKind::Number) {
                    // «ة» is written «ه» or «ة» once normalized: only such a word may end with it.
                    let ta_marbuta = (word.ends_with('ه') || word.ends_with('ة'))
                        && ends_with_ta_marbuta(original.get(token.span.start..token.span.end));
                    let seen = &mut cache.words[usize::from(ta_marbuta)];
                    if let Some((key, known)) = seen.get_with_key(word) {
                        out.text.push_str(key.stems());
                        out.first_words
                            .extend_from_slice(known.first_words.as_slice());
                        (known.lexicons, known.starts, known.name_starts)
                    } else {
                        let from = out.text.len();
                        scratch.push_stems(&mut out.text, word, rules, ta_marbuta);
                        let numbers_from = out.first_words.len();
                        let stems = StemIter {
                            rest: &out.text[from..],
                        };
                        for stem in stems {
                            rules
                                .first_words
                                .numbers_of(stem, &mut out.first_words, numbers_from);
                        }
                        let known = KnownWord {
                            first_words: Numbers::new(&out.first_words[numbers_from..]),
                            lexicons: rules
                                .first_words
                                .lexicons_of(&out.first_words[numbers_from..]),
                            starts: phrase_starts(word, rules),
                            name_starts: rules
                                .gazetteer
                                .map_or(0, |gazetteer| gazetteer.name_start_bits(word)),
                        };
                        let found = (known.lexicons, known.starts, known.name_starts);
                        seen.insert(WordAndStems::new(word, &out.text[from..]), known);
                        found
                    }
                } else if let Some(&starts) = cache.others.get(word) {
                    (0, starts, 0)
                } else {
                    let starts = phrase_starts(word, rules);
                    cache.others.insert(word.into(), starts);
                    (0, starts, 0)
                };
            // A report is far below 4 GiB of stems; saturate rather than wrap if it is not.
            out.ends
                .push(u32::try_from(out.text.len()).unwrap_or(u32::MAX));
            out.first_word_ends
                .push(u32::try_from(out.first_words.len()).unwrap_or(u32::MAX));
            out.lexicons.push(lexicons);
            if rules.parsers.is_some() {
                out.starts.dates.push(starts[0]);
                out.starts.numbers.push(starts[1]);
            }
            if rules.gazetteer.is_some() {
                out.name_starts.push(name_starts);
            }
        }
        out
    }
}

/// The date and number parsers' phrase starts of a normalized token (none without parsers).
fn phrase_starts(word: &str, rules: &WordRules) -> [u8; 2] {
    rules.parsers.map_or([0, 0], |(dates, numbers)| {
        [dates.phrase_starts(word), numbers.phrase_starts(word)]
    })
}

/// The tables of the date and number parsers that each token of a report may begin
/// ([`DateParser::phrase_starts`], [`NumberParser::phrase_starts`]), for their
/// `find_in_tokens_with_starts`: worked out with the stems, once per word, not once per
/// parser and report.
#[derive(Debug, Default)]
pub struct PhraseStarts {
    /// The date parser's, one per token.
    pub dates: Vec<u8>,
    /// The number parser's, one per token.
    pub numbers: Vec<u8>,
}

/// What [`Stems::new`] worked out for the words it has seen: words repeat from sentence to
/// sentence and report to report, and their stems need not be split again. One cache serves one analyzer's data ([`StemCache::serve`]).
#[derive(Debug, Default)]
pub struct StemCache {
    /// The analyzer whose data the words were stemmed with.
    owner: u64,
    /// Words as normalized, written without and with a final «ة».
    words: [WordCache<KnownWord, WordAndStems>; 2],
    /// The phrase starts of the tokens that are no words (punctuation, symbols).
    others: WordCache<[u8; 2]>,
}

/// What the word layer learnt of a word besides its stems (kept in its [`WordAndStems`]):
/// its first-word numbers, lexicon bits, phrase starts and name starts.
#[derive(Debug)]
struct KnownWord {
    first_words: Numbers,
    lexicons: u64,
    starts: [u8; 2],
    name_starts: u32,
}

/// A word and its stems (each followed by [`STEM_END`]) in one allocation: the key of a
/// [`StemCache`], compared and hashed as the word alone, so that finding a word brings its
/// stems along.
#[derive(Debug)]
struct WordAndStems {
    text: Box<str>,
    word_len: usize,
}

impl WordAndStems {
    fn new(word: &str, stems: &str) -> WordAndStems {
        let mut text = String::with_capacity(word.len() + stems.len());
        text.push_str(word);
        text.push_str(stems);
        WordAndStems {
            text: text.into_boxed_str(),
            word_len: word.len(),
        }
    }

    fn word(&self) -> &str {
        self.text.get(..self.word_len).unwrap_or_default()
    }

    fn stems(&self) -> &str {
        self.text.get(self.word_len..).unwrap_or_default()
    }
}

impl std::borrow::Borrow<str> for WordAndStems {
    fn borrow(&self) -> &str {
        self.word()
    }
}

impl std::hash::Hash for WordAndStems {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.word().hash(state);
    }
}

impl PartialEq for WordAndStems {
    fn eq(&self, other: &Self) -> bool {
        self.word() == other.word()
    }
}

impl Eq for WordAndStems {}

/// A word's first-word numbers: most words have none, one or two, kept without an
/// allocation of their own.
#[derive(Debug)]
enum Numbers {
    Few { len: u8, numbers: [u32; 3] },
    Many(Box<[u32]>),
}

impl Numbers {
    fn new(numbers: &[u32]) -> Numbers {
        match numbers.len() {
            len @ 0..=3 => {
                let mut few = [0; 3];
                few[..len].copy_from_slice(numbers);
                Numbers::Few {
                    len: len as u8,
                    numbers: few,
                }
            }
            _ => Numbers::Many(numbers.into()),
        }
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Numbers::Few { len, numbers } => &numbers[..usize::from(*len)],
            Numbers::Many(numbers) => numbers,
        }
    }
}

impl StemCache {
    /// Makes the cache serve the analyzer numbered `owner`, emptying it if it served another.
    pub fn serve(&mut self, owner: u64) {
        if self.owner != owner {
            self.owner = owner;
            self.words.iter_mut().for_each(WordCache::clear);
            self.others.clear();
        }
    }
}

/// The words of a report: its `tokens` (of `normalized`) with their `stems` (built by
/// [`Stems::new`] from the same tokens).
pub fn words<'a>(normalized: &'a Normalized, tokens: &[Token], stems: &'a Stems) -> Vec<Word<'a>> {
    let mut from = 0;
    let mut numbers_from = 0;
    tokens
        .iter()
        .zip(stems.ends.iter().zip(&stems.first_word_ends))
        .zip(&stems.lexicons)
        .map(|((token, (&end, &numbers_end)), &lexicons)| {
            let end = (end as usize).min(stems.text.len());
            let numbers_end = (numbers_end as usize).min(stems.first_words.len());
            let word = Word {
                span: token.span,
                text: normalized.slice(token.norm),
                stems: stems.text.get(from..end).unwrap_or(""),
                first_words: stems
                    .first_words
                    .get(numbers_from..numbers_end)
                    .unwrap_or(&[]),
                lexicons,
                is_word: matches!(token.kind, TokenKind::Word | TokenKind::Number),
            };
            from = end;
            numbers_from = numbers_end;
            word
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

/// Where one word's stems are while they are written, reused from word to word.
#[derive(Default)]
struct Scratch {
    /// Byte ranges in the buffer of the stems written so far, in order.
    stems: Vec<(usize, usize)>,
    /// How many of them are bases (the word and its proclitic splits).
    bases: usize,
    /// A base without its enclitic, copied out of the buffer before it is written again.
    piece: String,
}

impl Scratch {
    /// Writes the stems of one word to `buf`, each once, in the order of the old per-word
    /// lists: the bases, then what each base leaves without an enclitic.
    fn push_stems(&mut self, buf: &mut String, text: &str, rules: &WordRules, ta_marbuta: bool) {
        let (clitics, enclitics) = (rules.clitics, rules.enclitics);
        self.stems.clear();
        self.add(buf, |b| b.push_str(text));
        for (k, rest) in clitics.stem_iter(text) {
            if k == 0 {
                continue;
            }
            self.add(buf, |b| b.push_str(rest));
            if text[..k].ends_with("لل") && !rest.starts_with("ال") {
                self.add(buf, |b| {
                    b.push_str("ال");
                    b.push_str(rest);
                });
            }
        }
        self.bases = self.stems.len();
        for base in 0..self.bases {
            for suffix in enclitics {
                if ta_marbuta && suffix == PRONOUN_HA {
                    continue;
                }
                let (from, to) = self.stems[base];
                let Some(bare) = buf[from..to].strip_suffix(suffix.as_str()) else {
                    continue;
                };
                if bare.chars().count() < MIN_STEM_CHARS {
                    continue;
                }
                let mut piece = std::mem::take(&mut self.piece);
                piece.clear();
                piece.push_str(bare);
                self.add(buf, |b| b.push_str(&piece));
                if let Some(root) = piece.strip_suffix('ت') {
                    self.add(buf, |b| {
                        b.push_str(root);
                        b.push('ه');
                    });
                }
                self.piece = piece;
            }
        }
    }

    /// Writes one stem with `write`, keeping it only if this word does not have it yet.
    fn add(&mut self, buf: &mut String, write: impl FnOnce(&mut String)) {
        let from = buf.len();
        write(buf);
        let new = &buf[from..];
        if self.stems.iter().any(|&(a, b)| &buf[a..b] == new) {
            buf.truncate(from);
            return;
        }
        self.stems.push((from, buf.len()));
        buf.push(STEM_END);
    }
}

/// Shortest stem left after removing an enclitic suffix.
const MIN_STEM_CHARS: usize = 2;

/// The index of the word that contains byte `offset` of the original text, or the first word
/// after it.
pub fn word_at(words: &[Word<'_>], offset: usize) -> usize {
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
        let tokens = rasd_arabic::tokens(&normalized);
        let stems = Stems::new(
            text,
            &normalized,
            &tokens,
            &WordRules {
                clitics: &clitics,
                enclitics: &enclitics,
                first_words: &FirstWords::default(),
                parsers: None,
                gazetteer: None,
            },
            &mut StemCache::default(),
        );
        words(&normalized, &tokens, &stems)[0]
            .stems()
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_cached_word_gives_back_its_stems_and_numbers() {
        let mut cache: WordCache<Numbers, WordAndStems> = WordCache::default();
        for n in 0..6u32 {
            let numbers: Vec<u32> = (0..n).map(|i| i * 7 + n).collect();
            let word = format!("كلمة{n}");
            let stems = format!("كلمه{n}{STEM_END}لمه{n}{STEM_END}");
            cache.insert(WordAndStems::new(&word, &stems), Numbers::new(&numbers));
            let (key, found) = cache.get_with_key(&word).unwrap();
            assert_eq!((key.word(), key.stems()), (word.as_str(), stems.as_str()));
            assert_eq!(found.as_slice(), numbers.as_slice());
        }
        assert!(cache.get("كلمة").is_none());
    }

    #[test]
    fn name_starts_are_the_gazetteers_and_find_the_same_places() {
        // Our own sentence: proclitics on names («وبدرعا», «للرقة»), a name of two words, a
        // repeated word (served from the cache the second time), punctuation and a number.
        let text = "قصفت الطائرات مدينة درعا وبدرعا، ثم اتجهت للرقة ودير الزور. قتل 3 في درعا";
        let normalized = rasd_arabic::normalize(text);
        let tokens = rasd_arabic::tokens(&normalized);
        let clitics = Clitics::new().unwrap();
        let gazetteer = Gazetteer::builtin().unwrap();
        let rules = WordRules {
            clitics: &clitics,
            enclitics: &[],
            first_words: &FirstWords::default(),
            parsers: None,
            gazetteer: Some(gazetteer),
        };
        let mut cache = StemCache::default();
        for pass in 0..2 {
            let stems = Stems::new(text, &normalized, &tokens, &rules, &mut cache);
            let expected: Vec<u32> = tokens
                .iter()
                .map(|t| match t.kind {
                    TokenKind::Word | TokenKind::Number => {
                        gazetteer.name_start_bits(normalized.slice(t.norm))
                    }
                    _ => 0,
                })
                .collect();
            assert_eq!(stems.name_starts, expected, "pass {pass}");
            assert!(
                expected.iter().any(|&bits| bits > 1),
                "a name behind a proclitic"
            );
            let with = gazetteer.find_in_tokens_with_starts(
                text,
                &normalized,
                &tokens,
                &stems.name_starts,
            );
            let without = gazetteer.find_in_tokens(text, &normalized, &tokens);
            assert_eq!(format!("{with:?}"), format!("{without:?}"));
            assert!(with.len() >= 4, "{with:?}");
        }
    }

    #[test]
    fn the_cache_serves_one_analyzers_data_at_a_time() {
        let text = "قصفه";
        let normalized = rasd_arabic::normalize(text);
        let clitics = Clitics::new().unwrap();
        let tokens = rasd_arabic::tokens(&normalized);
        let mut cache = StemCache::default();
        let mut stems_with = |owner: u64, enclitics: &[String]| -> Vec<String> {
            cache.serve(owner);
            let stems = Stems::new(
                text,
                &normalized,
                &tokens,
                &WordRules {
                    clitics: &clitics,
                    enclitics,
                    first_words: &FirstWords::default(),
                    parsers: None,
                    gazetteer: None,
                },
                &mut cache,
            );
            words(&normalized, &tokens, &stems)[0]
                .stems()
                .map(String::from)
                .collect()
        };
        let pronoun = ["ه".to_string()];
        assert!(stems_with(1, &pronoun).iter().any(|s| s == "قصف"));
        // Cached for analyzer 1, the word must be worked out again for analyzer 2's data.
        assert!(!stems_with(2, &[]).iter().any(|s| s == "قصف"));
        assert!(stems_with(2, &[]).iter().any(|s| s == "قصفه"));
    }

    #[test]
    fn ta_marbuta_is_not_the_pronoun_ha() {
        assert!(!stems("السيطرةُ").iter().any(|s| s == "سيطر"));
        assert!(stems("قصفه").iter().any(|s| s == "قصف"));
    }
}
