//! Proclitic splitting: `وبالمدينة` → `وبال` + `مدينه`.
//!
//! The proclitics and their stacks (`و ف ب ل ك ال`, `وال بال فال لل ولل وبال فبال كال ...`)
//! come from `data/arabic/proclitics.tsv`, each marked `always` (article stacks, split even
//! when the stem is unknown) or `known` (single letters and their pairs, split only when the
//! rest is a known word, because they also begin many stems: `بلده`, `ولد`, `فرع`).
//!
//! # Rules of [`Clitics::split`]
//! 1. A known word (given with [`Clitics::with_known_words`]) is never split: lexicon entries
//!    win, so `البانيا` or a family name `الحسن`, once known, keep their `ال`.
//! 2. Otherwise the shortest proclitic whose rest is a known word of at least
//!    [`MIN_STEM`] (2) letters is split off: `بدرعا` → `ب` + `درعا` when `درعا` is known,
//!    and `والباب` → `و` + `الباب` when the town `الباب` is known (even if `باب` is too:
//!    the letters of the longer known word stay with it).
//! 3. Otherwise the longest `always` proclitic whose rest has at least [`MIN_GUESSED_STEM`] (3)
//!    letters: `والمدينه` → `وال` + `مدينه`. The longer minimum keeps `والده` (`his father`)
//!    and `وكالات` (`agencies`) whole.
//! 4. Otherwise the word is returned whole.
//!
//! Known false positives: an unknown word that begins with `ال` as part of its stem (the
//! country `البانيا`) loses it, as in charabia's segmenter; teach such words with
//! [`Clitics::with_known_words`].
//!
//! [`Clitics::stems`] lists every admissible split instead (the whole word first, then
//! shorter to longer proclitics, each leaving at least [`MIN_STEM`] letters), for a caller
//! that looks each candidate up itself.

use crate::data::rows;
use crate::{normalize_key, Error};
use rasd_core::DataFiles;
use rustc_hash::FxHashSet as HashSet;

/// The fewest letters a stem keeps after splitting.
pub const MIN_STEM: usize = 2;
/// The fewest letters a stem that is not a known word keeps after an `always` split.
pub const MIN_GUESSED_STEM: usize = 3;

/// When a proclitic is split off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strip {
    Always,
    Known,
}

/// The data-driven proclitic splitter.
///
/// # Examples
/// ```
/// use rasd_arabic::{normalize_key, Clitics};
/// let clitics = Clitics::new().unwrap().with_known_words(["درعا".to_string()]);
/// assert_eq!(clitics.split(&normalize_key("وبالمدينة")), ("وبال", "مدينه"));
/// assert_eq!(clitics.split("بدرعا"), ("ب", "درعا"));
/// assert_eq!(clitics.split("بلده"), ("", "بلده"));
/// ```
#[derive(Clone, Debug)]
pub struct Clitics {
    /// Proclitics, longest first.
    prefixes: Vec<(String, Strip)>,
    /// The proclitics by their first letter, each group shortest first (the order of
    /// [`Clitics::stems`]): a word is compared only with the proclitics of its first letter.
    by_initial: Vec<(char, Vec<String>)>,
    known: HashSet<String>,
}

impl Clitics {
    /// The built-in proclitics.
    ///
    /// # Errors
    /// When the built-in data file is malformed (a bug caught by the tests).
    pub fn new() -> Result<Clitics, Error> {
        Clitics::from_data(&DataFiles::new())
    }

    /// Proclitics from the built-in file, extended or replaced by the user's
    /// `arabic/proclitics.tsv`.
    ///
    /// # Errors
    /// A row without a form, or with a `strip` column other than `always`/`known`, names its
    /// file and line.
    pub fn from_data(files: &DataFiles) -> Result<Clitics, Error> {
        let mut prefixes: Vec<(String, Strip)> = Vec::new();
        for row in rows(files, "arabic/proclitics.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let strip = match row.field(1, "strip")? {
                "always" => Strip::Always,
                "known" => Strip::Known,
                other => {
                    return Err(
                        row.error(format!("strip must be `always` or `known`, not «{other}»"))
                    )
                }
            };
            if form.is_empty() || form.contains(' ') {
                return Err(row.error("a proclitic is one word"));
            }
            prefixes.retain(|(f, _)| *f != form);
            prefixes.push((form, strip));
        }
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        tracing::debug!(proclitics = prefixes.len(), "loaded proclitics");
        let mut by_initial: Vec<(char, Vec<String>)> = Vec::new();
        for (p, _) in prefixes.iter().rev() {
            let Some(initial) = p.chars().next() else {
                continue;
            };
            match by_initial.iter_mut().find(|(c, _)| *c == initial) {
                Some((_, group)) => group.push(p.clone()),
                None => by_initial.push((initial, vec![p.clone()])),
            }
        }
        Ok(Clitics {
            prefixes,
            by_initial,
            known: HashSet::default(),
        })
    }

    /// Adds words that must never be split (lexicon entries), and that confirm a split when
    /// they are what remains. Words are normalized with [`normalize_key`].
    pub fn with_known_words<I: IntoIterator<Item = String>>(mut self, words: I) -> Self {
        self.known
            .extend(words.into_iter().map(|w| normalize_key(&w)));
        self
    }

    /// True when `word` (normalized) is a known word.
    pub fn is_known(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// `(proclitics, stem)` of a normalized word (see the module docs for the rules).
    pub fn split<'a>(&self, word: &'a str) -> (&'a str, &'a str) {
        if self.known.contains(word) {
            return ("", word);
        }
        let candidates = || {
            self.prefixes
                .iter()
                .filter(move |(p, _)| word.starts_with(p.as_str()))
                .map(move |(p, strip)| (p.len(), *strip))
        };
        for (len, _) in candidates().rev() {
            let stem = &word[len..];
            if stem.chars().count() >= MIN_STEM && self.known.contains(stem) {
                return word.split_at(len);
            }
        }
        for (len, strip) in candidates() {
            if strip == Strip::Always && word[len..].chars().count() >= MIN_GUESSED_STEM {
                return word.split_at(len);
            }
        }
        ("", word)
    }

    /// Every admissible split of a normalized word: `(proclitic byte length, rest)`, the
    /// whole word first, then shorter to longer proclitics leaving at least [`MIN_STEM`]
    /// letters. A known word is only itself.
    pub fn stems<'a>(&self, word: &'a str) -> Vec<(usize, &'a str)> {
        self.stem_iter(word).collect()
    }

    /// [`Clitics::stems`] one by one, with nothing allocated: for the hot paths that read
    /// every word of a report.
    pub fn stem_iter<'s, 'w>(
        &'s self,
        word: &'w str,
    ) -> impl Iterator<Item = (usize, &'w str)> + use<'s, 'w> {
        std::iter::once((0, word)).chain(self.splits(word))
    }

    /// True when `pred` holds for one of the [`Clitics::stems`] of `word`, tried in their
    /// order; nothing is allocated. A caller that looks stems up in a table can ask this
    /// first, and build the list only for the few words that can match.
    pub fn any_stem(&self, word: &str, mut pred: impl FnMut(&str) -> bool) -> bool {
        pred(word) || self.splits(word).any(|(_, stem)| pred(stem))
    }

    /// The words that [`Clitics::stems`] splits into `stem` behind a proclitic: `stem` after
    /// each proclitic that would be split back off it (`درعا` → `بدرعا`, `ودرعا`, `لدرعا`...),
    /// for a search that finds a word by its stem without indexing every word's stems.
    pub fn words_with_stem<'s>(&'s self, stem: &'s str) -> impl Iterator<Item = String> + 's {
        self.prefixes
            .iter()
            .map(move |(p, _)| format!("{p}{stem}"))
            .filter(move |word| self.splits(word).any(|(_, s)| s == stem))
    }

    /// The stems of [`Clitics::stems`] after the whole word.
    fn splits<'s, 'w>(
        &'s self,
        word: &'w str,
    ) -> impl Iterator<Item = (usize, &'w str)> + use<'s, 'w> {
        let group: &'s [String] = word
            .chars()
            .next()
            .and_then(|c| self.by_initial.iter().find(|(i, _)| *i == c))
            .filter(|_| !self.known.contains(word))
            .map_or(&[], |(_, group)| group.as_slice());
        group
            .iter()
            .filter(move |p| {
                word.starts_with(p.as_str())
                    && word[p.len()..].chars().take(MIN_STEM).count() >= MIN_STEM
            })
            .map(move |p| (p.len(), &word[p.len()..]))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    fn clitics() -> Clitics {
        Clitics::new().unwrap().with_known_words(
            ["درعا", "الباب", "البانيا", "حماة", "الحسكة", "باب"].map(String::from),
        )
    }

    /// The written `input` splits into the normalized `(proclitics, stem)`.
    fn check(input: &str, expect: (&str, &str)) {
        let c = clitics();
        let word = normalize_key(input);
        assert_eq!(c.split(&word), expect, "splitting «{input}»");
    }

    /// `words_with_stem` is the inverse of `stems`: a word is among the words of each of its
    /// stems, and each word it gives has the stem among its stems.
    #[test]
    fn words_with_a_stem_are_those_split_into_it() {
        let c = Clitics::new().unwrap();
        let text = normalize_key(
            "وبالمدينة قصفت الطائرات بلدة ولدرعا فالقوات كالعادة للمدنيين وللأهالي بالأمس والبلدة",
        );
        for word in text.split(' ') {
            for (_, stem) in c.stem_iter(word).skip(1) {
                let words: Vec<String> = c.words_with_stem(stem).collect();
                assert!(
                    words.iter().any(|w| w == word),
                    "{word} not in {words:?} of {stem}"
                );
                for w in &words {
                    assert!(
                        c.stem_iter(w).any(|(_, s)| s == stem),
                        "{stem} not a stem of {w}"
                    );
                }
            }
        }
        // A stem too short to split off gives no word.
        assert_eq!(c.words_with_stem("ب").count(), 0);
    }

    #[test]
    fn split_rules() {
        check("والمدينة", ("وال", "مدينه"));
        check("بالمدينة", ("بال", "مدينه"));
        check("فالمدينة", ("فال", "مدينه"));
        check("للمدينة", ("لل", "مدينه"));
        check("وللمدينة", ("ولل", "مدينه"));
        check("وبالمدينة", ("وبال", "مدينه"));
        check("فبالمدينة", ("فبال", "مدينه"));
        check("كالمدينة", ("كال", "مدينه"));
        check("المدينة", ("ال", "مدينه"));
        check("بدرعا", ("ب", "درعا"));
        check("وبدرعا", ("وب", "درعا"));
        check("لحماة", ("ل", "حماه"));
        check("وحماة", ("و", "حماه"));
        check("فحماة", ("ف", "حماه"));
        check("كحماة", ("ك", "حماه"));
        check("وبالحسكة", ("وب", "الحسكه"));
    }

    #[test]
    fn known_words_win() {
        check("البانيا", ("", "البانيا"));
        check("الباب", ("", "الباب"));
        check("والباب", ("و", "الباب"));
        check("درعا", ("", "درعا"));
        // Unknown words keep their first letters unless an article stack is split.
        check("بلدة", ("", "بلده"));
        check("ولد", ("", "ولد"));
        check("والده", ("", "والده"));
        check("وكالات", ("", "وكالات"));
        check("الله", ("", "الله"));
        // FIXME: an unknown name beginning with ال loses it (the charabia false positive).
        check("الجزائر", ("ال", "جزائر"));
    }

    #[test]
    fn stems_lists_every_split() {
        let c = clitics();
        let want = vec![
            (0, "وبالمدينه"),
            (2, "بالمدينه"),
            (4, "المدينه"),
            (8, "مدينه"),
        ];
        assert_eq!(c.stems("وبالمدينه"), want);
        assert_eq!(c.stems("الباب"), vec![(0, "الباب")]);
        assert_eq!(c.stems("بلد"), vec![(0, "بلد"), (2, "لد")]);
        assert_eq!(c.stems("بل"), vec![(0, "بل")]);
        assert_eq!(c.stems("مدينه"), vec![(0, "مدينه")]);
        assert!(c.any_stem("وبالمدينه", |s| s == "مدينه"));
        assert!(
            !c.any_stem("الباب", |s| s == "باب"),
            "a known word is only itself"
        );
        assert!(!c.any_stem("مدينه", |s| s == "دينه"));
    }

    #[test]
    fn user_data_extends_and_errors_name_the_line() {
        let mut files = DataFiles::new();
        files.add_override(
            "arabic/proclitics.tsv",
            "# form\tstrip\tgloss\nس\talways\tfuture\n",
        );
        let c = Clitics::from_data(&files).unwrap();
        assert_eq!(c.split("سيقاتلون"), ("س", "يقاتلون"));
        files.add_override("arabic/proclitics.tsv", "#!replace\n# c\nو\tsometimes\tx\n");
        let err = Clitics::from_data(&files).unwrap_err().to_string();
        assert!(
            err.starts_with("arabic/proclitics.tsv (user data):3:"),
            "{err}"
        );
    }
}
