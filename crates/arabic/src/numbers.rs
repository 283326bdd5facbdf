//! Numbers and quantities: digits, number words, vague quantities and their modifiers.
//!
//! [`NumberParser::find`] reads the tokens of a [`Normalized`] view and returns every
//! [`Quantity`] with its original span and a `{best, low, high}` [`Estimate`].
//!
//! # What is read
//! - **Digits**, with `,` thousands separators and `.` decimals (`2,000`, `٢٬٠٠٠`, `3.5`),
//!   optionally followed by a multiplier (`40 ألف`, `3.5 مليون`). A number that stays
//!   fractional (`3.5` alone) is not a count and is skipped.
//! - **Number words** from `data/arabic/number_words.tsv`, both genders and cases, joined as
//!   Arabic joins them: units before tens with `و` (`ثلاثة وعشرين` = 23), hundreds first
//!   (`مئة وخمسة وثلاثين` = 135), teens without `و` (`أحد عشر`, `اثنتا عشرة`), `ثلاث مئة`
//!   and `ثلاثمئة` (300), multipliers (`ثلاثة آلاف وخمسمئة` = 3500, `ألف` = 1000,
//!   `أحد عشر ألفاً` = 11000). A `و` joins only a place not yet filled, so `بين ثلاثة وخمسة`
//!   gives two numbers, not 8.
//! - **Definite forms**: `الـ 40`, `ال40`, `الأربعين`, `العشرات` (proclitics come off
//!   through [`Clitics::stems`]).
//! - **Vague quantities** from `data/arabic/vague_quantities.tsv` (`عشرات` 20–99,
//!   `مئات` 200–999, `آلاف` 2000–9999, `عشرات الآلاف`, `بضعة` 3–9, `عدد من` 3–10,
//!   `العديد` 3–20), with the low end as the best estimate (ACLED codes vague figures
//!   conservatively) and `vague: true`.
//! - **Modifiers** from `data/arabic/quantity_modifiers.tsv`, applied to the base
//!   `{best, low, high}` (N for an exact number):
//!
//!   | modifier | examples | low | best | high |
//!   |---|---|---|---|---|
//!   | [`QuantityModifier::AtLeast`] | ما لا يقل عن، على الأقل | low | best | max(high, 2·best) |
//!   | [`QuantityModifier::MoreThan`] | أكثر من، ما يزيد عن، تجاوز | low | best | max(high, ⌈1.5·best⌉, best+1) |
//!   | [`QuantityModifier::LessThan`] | أقل من | ⌊low/2⌋ | low−1 | low−1 |
//!   | [`QuantityModifier::About`] | نحو، حوالي، قرابة، زهاء، ما يقارب | round(0.9·low) | best | round(1.1·high) |
//!   | [`QuantityModifier::UpTo`] | حتى، ما يصل إلى | ⌊low/2⌋ | best | high |
//!
//!   `أكثر من 40` keeps best = 40 (not 41) so that the figure the report gives stays the
//!   best estimate.
//!
//! # What is not a count
//! Using `data/arabic/not_quantity.tsv` and the month names: a number right after a unit or
//! year word (`الفرقة 4`, `اللواء 52`, `عام 2018`, `للفرقة 4`), right before a share or year
//! mark (`40 بالمئة`, `2024م`), next to a month name (`6 كانون الأول 2024`), or inside a
//! digit date or time (`6/12/2024`, `2024-12-06`, `10:30`). Known failure: a year written
//! alone (`في 2011`) is read as a number.

use crate::data::rows;
use crate::phrases::{FirstWords, Phrases, Toks};
use crate::{
    normalize, normalize_key, tokens, Clitics, Error, NormSpan, Normalized, Token, TokenKind,
};
use rasd_core::{DataFiles, Estimate, Span};
use rustc_hash::FxHashMap as HashMap;

/// How a modifier qualifies a number (see the module docs for the ranges).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuantityModifier {
    /// «ما لا يقل عن N», «N على الأقل».
    AtLeast,
    /// «أكثر من N», «ما يزيد عن N».
    MoreThan,
    /// «أقل من N».
    LessThan,
    /// «نحو/حوالي/قرابة/زهاء/ما يقارب N».
    About,
    /// «حتى N», «ما يصل إلى N».
    UpTo,
}

impl QuantityModifier {
    fn from_name(name: &str) -> Option<QuantityModifier> {
        Some(match name {
            "at_least" => QuantityModifier::AtLeast,
            "more_than" => QuantityModifier::MoreThan,
            "less_than" => QuantityModifier::LessThan,
            "about" => QuantityModifier::About,
            "up_to" => QuantityModifier::UpTo,
            _ => return None,
        })
    }

    /// The range this modifier gives to a base estimate.
    pub fn apply(self, b: Estimate) -> Estimate {
        // x × num / 10, rounded, in 128 bits so that no number overflows («نحو» before a
        // 19-digit number, found by fuzzing).
        let round = |x: u64, num: u64| {
            let tenths = (u128::from(x) * u128::from(num) + 5) / 10;
            u64::try_from(tenths).unwrap_or(u64::MAX)
        };
        match self {
            QuantityModifier::AtLeast => Estimate {
                low: b.low,
                best: b.best,
                high: b.high.max(b.best.saturating_mul(2)),
            },
            QuantityModifier::MoreThan => {
                let half_up = b.best.saturating_add(b.best.div_ceil(2));
                Estimate {
                    low: b.low,
                    best: b.best,
                    high: b.high.max(half_up).max(b.best.saturating_add(1)),
                }
            }
            QuantityModifier::LessThan => {
                let high = b.low.saturating_sub(1);
                Estimate {
                    low: (b.low / 2).min(high),
                    best: high,
                    high,
                }
            }
            QuantityModifier::About => Estimate {
                low: round(b.low, 9),
                best: b.best,
                high: round(b.high, 11),
            },
            QuantityModifier::UpTo => Estimate {
                low: b.low / 2,
                best: b.best,
                high: b.high,
            },
        }
    }
}

/// A number found in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// Where it is in the original text (modifier and article included).
    pub span: Span,
    /// Where it is in the normalized text.
    pub norm: NormSpan,
    /// Its value as `{best, low, high}`.
    pub estimate: Estimate,
    /// True for vague quantities (`عشرات`, `بضعة`).
    pub vague: bool,
    /// The modifier that qualified it, if any.
    pub modifier: Option<QuantityModifier>,
}

/// The role of a number word (`data/arabic/number_words.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Value,
    Pre,
    Teen,
    Hundred,
    Mult,
    Mults,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NotKind {
    Before,
    After,
    Never,
}

/// Where a modifier stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    Before,
    After,
}

/// The number parser, built from the data files.
///
/// # Examples
/// ```
/// use rasd_arabic::{normalize, NumberParser, QuantityModifier};
/// let parser = NumberParser::new().unwrap();
/// let text = "قُتل ثلاثة وعشرون عنصراً وأصيب ما لا يقل عن ٤٠ آخرين";
/// let found = parser.find(&normalize(text));
/// assert_eq!(&text[found[0].span], "ثلاثة وعشرون");
/// assert_eq!(found[0].estimate.best, 23);
/// assert_eq!(&text[found[1].span], "ما لا يقل عن ٤٠");
/// assert_eq!(found[1].modifier, Some(QuantityModifier::AtLeast));
/// assert_eq!((found[1].estimate.low, found[1].estimate.high), (40, 80));
/// ```
#[derive(Clone, Debug)]
pub struct NumberParser {
    words: HashMap<String, (u64, Role)>,
    vague: Phrases<Estimate>,
    modifiers: Phrases<(QuantityModifier, Position)>,
    not: Phrases<NotKind>,
    months: Phrases<(u32, bool)>,
    /// The first words of the tables matched through proclitics, under the bits below.
    first: FirstWords,
    clitics: Clitics,
}

/// The bits of the tables in [`NumberParser`]'s `first`.
const VAGUE: u8 = 1;
const MODIFIERS: u8 = 2;
const MONTHS: u8 = 4;
/// Number words («ثلاثة», «مئة»): a word none of whose stems is one starts no number in words.
const WORDS: u8 = 8;

/// A parsed number before context checks: tokens `start..end`, value, vagueness.
struct Core {
    start: usize,
    /// Bytes of the first token left out of the span (proclitics before the number, but not
    /// an article: `وعشرات` → `عشرات`, `والعشرات` → `العشرات`).
    skip: usize,
    end: usize,
    estimate: Estimate,
    vague: bool,
}

/// The value being built while reading number words.
#[derive(Default)]
struct Acc {
    total: f64,
    hundreds: u64,
    units: u64,
    tens: u64,
    /// A whole value that fills the group (digits, ألفين).
    other: Option<f64>,
    last: Last,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Last {
    #[default]
    None,
    Unit,
    Pre,
    Teen,
    Tens,
    Hundred,
    Other,
    Mult,
}

impl Acc {
    fn group(&self) -> f64 {
        self.other.unwrap_or(0.0) + (self.hundreds + self.units + self.tens) as f64
    }
    fn group_empty(&self) -> bool {
        self.other.is_none() && self.hundreds == 0 && self.units == 0 && self.tens == 0
    }
    fn value(&self) -> f64 {
        self.total + self.group()
    }

    /// Adds a value word; `conj` when it came with `و`. False when it cannot join.
    fn add(&mut self, v: u64, conj: bool) -> bool {
        let started = self.total > 0.0 || !self.group_empty();
        if conj && !started {
            return false;
        }
        if !conj && started {
            return false;
        }
        match v {
            1..=9 => {
                if self.units != 0 || self.tens != 0 || self.other.is_some() {
                    return false;
                }
                self.units = v;
                self.last = Last::Unit;
            }
            20..=90 if v % 10 == 0 => {
                if self.tens != 0 || self.units >= 10 || self.other.is_some() {
                    return false;
                }
                self.tens = v;
                self.last = Last::Tens;
            }
            100..=900 if v % 100 == 0 => {
                if !self.group_empty() {
                    return false;
                }
                self.hundreds = v;
                self.last = Last::Hundred;
            }
            _ => {
                if !self.group_empty() || (started && self.total <= v as f64) {
                    return false;
                }
                if v >= 1000 && v % 1000 == 0 {
                    // ألفين, مليونين: a finished group of thousands.
                    self.total += v as f64;
                    self.last = Last::Mult;
                } else {
                    self.other = Some(v as f64);
                    self.last = Last::Other;
                }
            }
        }
        true
    }
}

impl NumberParser {
    /// The parser with the built-in data.
    ///
    /// # Errors
    /// When a built-in data file is malformed (a bug caught by the tests).
    pub fn new() -> Result<NumberParser, Error> {
        NumberParser::from_data(&DataFiles::new())
    }

    /// The parser with the built-in data extended or replaced by the user's files
    /// (`arabic/number_words.tsv`, `arabic/vague_quantities.tsv`,
    /// `arabic/quantity_modifiers.tsv`, `arabic/not_quantity.tsv`, `arabic/months.tsv`,
    /// `arabic/proclitics.tsv`).
    ///
    /// # Errors
    /// A malformed row, named by file and line.
    pub fn from_data(files: &DataFiles) -> Result<NumberParser, Error> {
        let mut words = HashMap::default();
        for row in rows(files, "arabic/number_words.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let value: u64 = row.number(1, "value")?;
            let role = match row.field(2, "role")? {
                "n" => Role::Value,
                "pre" => Role::Pre,
                "teen" => Role::Teen,
                "hundred" => Role::Hundred,
                "mult" => Role::Mult,
                "mults" => Role::Mults,
                other => return Err(row.error(format!("unknown role «{other}»"))),
            };
            words.insert(form, (value, role));
        }
        let mut vague = Phrases::default();
        for row in rows(files, "arabic/vague_quantities.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let low = row.number(1, "low")?;
            let best = row.number(2, "best")?;
            let high = row.number(3, "high")?;
            if !(low <= best && best <= high) {
                return Err(row.error("expected low <= best <= high"));
            }
            vague.insert(form, Estimate { best, low, high });
        }
        let mut modifiers = Phrases::default();
        for row in rows(files, "arabic/quantity_modifiers.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let name = row.field(1, "modifier")?;
            let m = QuantityModifier::from_name(name)
                .ok_or_else(|| row.error(format!("unknown modifier «{name}»")))?;
            let position = match row.field(2, "position")? {
                "before" => Position::Before,
                "after" => Position::After,
                other => {
                    return Err(
                        row.error(format!("position must be before or after, not «{other}»"))
                    )
                }
            };
            modifiers.insert(form, (m, position));
        }
        let mut not = Phrases::default();
        for row in rows(files, "arabic/not_quantity.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let kind = match row.field(1, "kind")? {
                "before" => NotKind::Before,
                "after" => NotKind::After,
                "never" => NotKind::Never,
                other => return Err(row.error(format!("unknown kind «{other}»"))),
            };
            not.insert(form, kind);
        }
        tracing::debug!(number_words = words.len(), "loaded number data");
        let months = crate::dates::load_months(files)?;
        let mut first = FirstWords::default();
        first.add(&vague, VAGUE);
        first.add(&modifiers, MODIFIERS);
        first.add(&months, MONTHS);
        first.add_words(words.keys().map(String::as_str), WORDS);
        Ok(NumberParser {
            words,
            vague,
            modifiers,
            not,
            months,
            first,
            clitics: Clitics::from_data(files)?,
        })
    }

    /// The value and role of a word through its proclitic splits: `(prefix bytes, value, role)`.
    fn word(&self, text: &str) -> Option<(usize, u64, Role)> {
        if matches!(self.not.get(text), Some(NotKind::Never | NotKind::After)) {
            return None;
        }
        let mut found = None;
        self.clitics.any_stem(text, |stem| {
            found = self.words.get(stem).map(|&(v, r)| (stem.len(), v, r));
            found.is_some()
        });
        // A stem is the end of the word: its proclitics are what comes before.
        found.map(|(stem_len, v, r)| (text.len() - stem_len, v, r))
    }

    /// Parses a number (digits or words) starting at token `i`.
    fn exact(&self, n: &Normalized, toks: &[Token], i: usize) -> Option<Core> {
        let mut j = i;
        let tok = toks.get(j)?;
        if tok.kind == TokenKind::Word
            && tok.text(n) == "ال"
            && toks.get(j + 1).is_some_and(|t| t.kind == TokenKind::Number)
        {
            j += 1;
        }
        let first = toks.get(j)?;
        let mut acc = Acc::default();
        let mut skip = 0;
        match first.kind {
            TokenKind::Number => {
                acc.other = Some(parse_digits(first.text(n))?);
                acc.last = Last::Other;
            }
            TokenKind::Word => {
                let (p, v, role) = self.word(first.text(n))?;
                skip = shown_prefix(first.text(n), p);
                match role {
                    Role::Value => {
                        acc.add(v, false);
                    }
                    Role::Pre => {
                        acc.units = v;
                        acc.last = Last::Pre;
                    }
                    Role::Teen => {
                        acc.units = v;
                        acc.last = Last::Teen;
                    }
                    Role::Hundred => {
                        acc.hundreds = v;
                        acc.last = Last::Hundred;
                    }
                    Role::Mult => {
                        acc.total = v as f64;
                        acc.last = Last::Mult;
                    }
                    Role::Mults => return None,
                }
            }
            _ => return None,
        }
        let mut end = j + 1;
        while let Some(t) = toks.get(end) {
            let mut next = end + 1;
            let (conj, value, role) = match t.kind {
                TokenKind::Word if t.text(n) == "و" => {
                    // «و200»: a lone و before digits.
                    match toks.get(end + 1) {
                        Some(d) if d.kind == TokenKind::Number && t.norm.end == d.norm.start => {
                            next = end + 2;
                            let Some(v) = parse_digits(d.text(n)) else {
                                break;
                            };
                            if v.fract() != 0.0 || v < 1.0 {
                                break;
                            }
                            (true, v as u64, Role::Value)
                        }
                        _ => break,
                    }
                }
                TokenKind::Word => match self.word(t.text(n)) {
                    Some((0, v, r)) => (false, v, r),
                    Some((p, v, r)) if &t.text(n)[..p] == "و" => (true, v, r),
                    _ => break,
                },
                _ => break,
            };
            let joined = match (conj, role) {
                (false, Role::Teen)
                    if matches!(acc.last, Last::Unit | Last::Pre) && acc.units < 10 =>
                {
                    acc.units += value;
                    acc.last = Last::Teen;
                    true
                }
                (false, Role::Hundred)
                    if acc.last == Last::Unit
                        && (3..=9).contains(&acc.units)
                        && acc.hundreds == 0 =>
                {
                    acc.hundreds = acc.units * value;
                    acc.units = 0;
                    acc.last = Last::Hundred;
                    true
                }
                (false, Role::Mult | Role::Mults) => {
                    let group = acc.group();
                    let plural_ok =
                        role == Role::Mult || acc.other.is_some() || (3.0..=10.0).contains(&group);
                    if !acc.group_empty() && acc.last != Last::Pre && plural_ok {
                        acc.total += group * value as f64;
                        acc = Acc {
                            total: acc.total,
                            last: Last::Mult,
                            ..Acc::default()
                        };
                        true
                    } else {
                        false
                    }
                }
                (true, Role::Value | Role::Hundred | Role::Mult) => {
                    acc.last != Last::Pre && acc.add(value, true)
                }
                _ => false,
            };
            if !joined {
                break;
            }
            end = next;
        }
        if acc.last == Last::Pre {
            return None;
        }
        let value = acc.value();
        if value.fract() != 0.0 || value < 0.0 || value > u64::MAX as f64 {
            return None;
        }
        Some(Core {
            start: i,
            skip,
            end,
            estimate: Estimate::exact(value as u64),
            vague: false,
        })
    }

    /// A vague quantity starting at token `i`.
    fn vague_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<Core> {
        let t = toks.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let m = self.vague.longest_from(&self.clitics, n, toks, i, VAGUE)?;
        let skip = shown_prefix(t.text(n), m.prefix);
        Some(Core {
            start: i,
            skip,
            end: m.end,
            estimate: *m.value,
            vague: true,
        })
    }

    /// A modifier of `position` starting at token `i`.
    fn modifier_at(
        &self,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        position: Position,
    ) -> Option<(usize, QuantityModifier)> {
        let t = toks.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let m = self
            .modifiers
            .longest_from(&self.clitics, n, toks, i, MODIFIERS)?;
        (m.value.1 == position).then_some((m.end, m.value.0))
    }

    /// When the number in tokens `start..end` is a year, a unit's number, a share, or part
    /// of a date or time: the token to go on from.
    fn not_a_count(&self, n: &Normalized, toks: &Toks, start: usize, end: usize) -> Option<usize> {
        if let Some(prev) = start.checked_sub(1).and_then(|p| toks.get(p)) {
            if prev.kind == TokenKind::Word
                && self
                    .clitics
                    .any_stem(prev.text(n), |s| self.not.get(s) == Some(&NotKind::Before))
            {
                return Some(end);
            }
            // A month right before: «كانون الأول 2024».
            if (1..=2).any(|w| {
                start >= w
                    && self
                        .months
                        .longest(n, toks, start - w, &[(0, toks[start - w].text(n))])
                        .is_some_and(|m| m.end == start)
            }) {
                return Some(end);
            }
        }
        if let Some(next) = toks.get(end) {
            let first = [(0, next.text(n))];
            if let Some(m) = self.not.longest(n, toks, end, &first) {
                if *m.value == NotKind::After {
                    return Some(m.end);
                }
            }
            if self
                .months
                .longest_from(&self.clitics, n, toks, end, MONTHS)
                .is_some()
            {
                return Some(end);
            }
        }
        // Digit dates and times: 6/12/2024, 2024-12-06, 10:30.
        let joined = |a: &Token, b: &Token| a.norm.end == b.norm.start;
        let is_sep =
            |t: &Token| t.kind == TokenKind::Punct && matches!(t.text(n), "/" | "-" | ":" | ".");
        if end == start + 1 && toks[start].kind == TokenKind::Number {
            let before = start >= 2
                && is_sep(&toks[start - 1])
                && joined(&toks[start - 1], &toks[start])
                && toks[start - 2].kind == TokenKind::Number
                && joined(&toks[start - 2], &toks[start - 1]);
            let after = toks.get(end + 1).is_some_and(|d| {
                d.kind == TokenKind::Number
                    && is_sep(&toks[end])
                    && joined(&toks[start], &toks[end])
                    && joined(&toks[end], d)
            });
            if before || after {
                return Some(end);
            }
        }
        None
    }

    /// Every quantity in a normalized text, in order, not overlapping.
    pub fn find(&self, n: &Normalized) -> Vec<Quantity> {
        self.find_in_tokens(n, &tokens(n))
    }

    /// [`NumberParser::find`] over the [`tokens`] of `n`, already split by a caller that reads
    /// them too: a report is tokenized once for all layers.
    pub fn find_in_tokens(&self, n: &Normalized, tokens: &[Token]) -> Vec<Quantity> {
        self.find_in_tokens_with_starts(n, tokens, None)
    }

    /// What of its tables a normalized word may begin, through its proclitics or not: a
    /// caller that reads many reports can keep it from word to word and hand it back to
    /// [`NumberParser::find_in_tokens_with_starts`].
    pub fn phrase_starts(&self, word: &str) -> u8 {
        self.first.starts_of(word, &self.clitics)
    }

    /// [`NumberParser::find_in_tokens`] with the [`NumberParser::phrase_starts`] of every
    /// token given (ignored unless there is one per token).
    pub fn find_in_tokens_with_starts(
        &self,
        n: &Normalized,
        tokens: &[Token],
        starts: Option<&[u8]>,
    ) -> Vec<Quantity> {
        let toks = Toks::new(n, tokens, &self.clitics, &self.first, starts);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            // A word that begins no phrase of the tables (through its proclitics) begins no
            // quantity, unless it is the «ال» of «الـ 40».
            let t = &toks[i];
            if t.kind == TokenKind::Word && t.text(n) != "ال" && !toks.may_begin_any(i) {
                i += 1;
                continue;
            }
            let mut modifier = None;
            let mut core = None;
            if let Some((after_mod, m)) = self.modifier_at(n, &toks, i, Position::Before) {
                if let Some(c) = self.core_at(n, &toks, after_mod) {
                    modifier = Some(m);
                    core = Some(c);
                }
            }
            let core = match core.or_else(|| self.core_at(n, &toks, i)) {
                Some(c) => c,
                None => {
                    i += 1;
                    continue;
                }
            };
            let start = if modifier.is_some() { i } else { core.start };
            let mut end = core.end;
            if !core.vague {
                if let Some(next) = self.not_a_count(n, &toks, core.start, core.end) {
                    i = next.max(i + 1);
                    continue;
                }
            }
            if modifier.is_none() {
                if let Some((after, m)) = self.modifier_at(n, &toks, end, Position::After) {
                    modifier = Some(m);
                    end = after;
                }
            }
            let estimate = modifier.map_or(core.estimate, |m| m.apply(core.estimate));
            let skip = if modifier.is_some() { 0 } else { core.skip };
            let norm = NormSpan::new(toks[start].norm.start + skip, toks[end - 1].norm.end);
            out.push(Quantity {
                span: n.to_original_with_marks(norm),
                norm,
                estimate,
                vague: core.vague,
                modifier,
            });
            i = end;
        }
        out
    }

    /// An exact number (digits or words, no context checks) at token `i`: (end token, value).
    pub(crate) fn count_at(
        &self,
        n: &Normalized,
        toks: &[Token],
        i: usize,
    ) -> Option<(usize, u64)> {
        self.exact(n, toks, i).map(|c| (c.end, c.estimate.best))
    }

    fn core_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<Core> {
        // A word that is no number word (through its proclitics) and not the «ال» of «الـ 40»
        // begins no exact number: the word table is not searched for it.
        let no_number = toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && t.text(n) != "ال")
            && !toks.may_begin(i, WORDS);
        if no_number {
            return self.vague_at(n, toks, i);
        }
        self.exact(n, toks, i).or_else(|| self.vague_at(n, toks, i))
    }

    /// The estimate of the first quantity in `phrase` (any text; it is normalized here).
    ///
    /// # Examples
    /// ```
    /// use rasd_arabic::NumberParser;
    /// let p = NumberParser::new().unwrap();
    /// assert_eq!(p.parse("مئة وخمسة وثلاثون").map(|e| e.best), Some(135));
    /// assert_eq!(p.parse("العشرات").map(|e| (e.low, e.high)), Some((20, 99)));
    /// assert_eq!(p.parse("لا أحد"), None);
    /// ```
    pub fn parse(&self, phrase: &str) -> Option<Estimate> {
        self.find(&normalize(phrase)).first().map(|q| q.estimate)
    }
}

/// How many bytes of a `prefix`-byte proclitic to leave out of a number's span: all of it,
/// except an article at its end (`وال` → keep `ال`).
fn shown_prefix(word: &str, prefix: usize) -> usize {
    match word.get(..prefix) {
        Some(p) if p.ends_with("ال") => prefix - "ال".len(),
        _ => prefix,
    }
}

/// Digits with `,` thousands separators (groups of three) and a `.` decimal point.
fn parse_digits(s: &str) -> Option<f64> {
    let mut parts = s.split(',');
    let head = parts.next()?;
    let mut whole = String::from(head);
    let mut decimal_comma = false;
    for p in parts {
        let digits = p.split('.').next().unwrap_or("");
        if digits.len() == 3 {
            whole.push_str(p);
        } else {
            // «3,5»: a decimal comma.
            decimal_comma = true;
            whole.push('.');
            whole.push_str(p);
        }
    }
    if decimal_comma && whole.matches('.').count() > 1 {
        return None;
    }
    whole.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;
    use QuantityModifier::*;

    fn parser() -> &'static NumberParser {
        static P: std::sync::OnceLock<NumberParser> = std::sync::OnceLock::new();
        P.get_or_init(|| NumberParser::new().unwrap())
    }

    /// The quantities of `input`: (original text, low, best, high).
    fn check(input: &str, expect: &[(&str, u64, u64, u64)]) {
        let got: Vec<(&str, u64, u64, u64)> = parser()
            .find(&normalize(input))
            .iter()
            .map(|q| {
                (
                    &input[q.span],
                    q.estimate.low,
                    q.estimate.best,
                    q.estimate.high,
                )
            })
            .collect();
        assert_eq!(got, expect, "quantities of «{input}»");
    }

    /// The single quantity of `input` is exactly `n`.
    fn exact(input: &str, n: u64) {
        check(input, &[(input, n, n, n)]);
    }

    #[test]
    fn digits() {
        check("قتل 5 عناصر", &[("5", 5, 5, 5)]);
        check(
            "نزح ٢٬٠٠٠ شخص و1,250 آخرون",
            &[("٢٬٠٠٠", 2000, 2000, 2000), ("1,250", 1250, 1250, 1250)],
        );
        check("بلغ 40 ألف نازح", &[("40 ألف", 40000, 40000, 40000)]);
        check(
            "نحو 3.5 مليون لاجئ",
            &[("نحو 3.5 مليون", 3150000, 3500000, 3850000)],
        );
        check("بنسبة 3.5 فقط", &[]);
    }

    /// A fuzzer's find: «نحو» before a 19-digit number overflowed the range's rounding.
    #[test]
    fn about_a_huge_number_keeps_an_ordered_range() {
        let e = QuantityModifier::About.apply(Estimate::exact(7_707_000_752_710_397_811));
        assert!(e.low <= e.best && e.best <= e.high, "{e:?}");
        assert!(e.high > e.best && e.low < e.best, "{e:?}");
    }

    #[test]
    fn number_words() {
        exact("واحد", 1);
        exact("واحدة", 1);
        exact("اثنان", 2);
        exact("اثنتين", 2);
        exact("ثلاثة", 3);
        exact("ثمانيَ", 8);
        exact("عشرة", 10);
        exact("عشر", 10);
        exact("أحد عشر", 11);
        exact("إحدى عشرة", 11);
        exact("اثنا عشر", 12);
        exact("اثنتي عشرة", 12);
        exact("تسعة عشر", 19);
        exact("عشرون", 20);
        exact("تسعين", 90);
        exact("ثلاثة وعشرين", 23);
        exact("خمسٌ وأربعون", 45);
        exact("مئة", 100);
        exact("مائة", 100);
        exact("مئتان", 200);
        exact("مائتي", 200);
        exact("ثلاثمئة", 300);
        exact("ثلاث مئة", 300);
        exact("مئة وخمسة وثلاثين", 135);
        exact("ألف", 1000);
        exact("ألفين", 2000);
        exact("ثلاثة آلاف", 3000);
        exact("عشرة آلاف", 10000);
        exact("أحد عشر ألفاً", 11000);
        exact("ألفين وخمسمئة", 2500);
        exact("ثلاثة آلاف وخمسمائة", 3500);
        exact("ثلاثمئة وخمسين ألفا", 350000);
        exact("مليون", 1000000);
        exact("مليون و200 ألف", 1200000);
        exact("مليونين", 2000000);
    }

    #[test]
    fn definite_forms() {
        check("بلغ الـ 40 عنصراً", &[("الـ 40", 40, 40, 40)]);
        check("بلغ ال40 عنصراً", &[("ال40", 40, 40, 40)]);
        check("الأربعين منشقاً", &[("الأربعين", 40, 40, 40)]);
        check("العشرات من العناصر", &[("العشرات", 20, 20, 99)]);
        // Proclitics stay out of the span, the article stays in.
        check(
            "والعشرات وعشرات بعشرات",
            &[
                ("العشرات", 20, 20, 99),
                ("عشرات", 20, 20, 99),
                ("عشرات", 20, 20, 99),
            ],
        );
        check("وبالأربعين", &[("الأربعين", 40, 40, 40)]);
    }

    #[test]
    fn joins_only_open_places() {
        check("بين ثلاثة وخمسة", &[("ثلاثة", 3, 3, 3), ("خمسة", 5, 5, 5)]);
        check("أحد العناصر", &[]);
        check(
            "ثلاثة أطفال وعشرون امرأة",
            &[("ثلاثة", 3, 3, 3), ("عشرون", 20, 20, 20)],
        );
    }

    #[test]
    fn vague() {
        check("عشرات القتلى", &[("عشرات", 20, 20, 99)]);
        check("المئات من المنشقين", &[("المئات", 200, 200, 999)]);
        check("آلاف النازحين", &[("آلاف", 2000, 2000, 9999)]);
        check("عشرات الآلاف", &[("عشرات الآلاف", 20000, 20000, 99999)]);
        check("مئات الآلاف", &[("مئات الآلاف", 200000, 200000, 999999)]);
        check("بضعة عناصر", &[("بضعة", 3, 3, 9)]);
        check("بضع ساعات", &[("بضع", 3, 3, 9)]);
        check("اعتقل عدد من الشبان", &[("عدد من", 3, 3, 10)]);
        check("العديد من القرى", &[("العديد", 3, 3, 20)]);
        let q = parser().find(&normalize("بعشرات"));
        assert!(q[0].vague && q[0].modifier.is_none());
    }

    #[test]
    fn modifiers() {
        check("ما لا يقل عن 40 عنصراً", &[("ما لا يقل عن 40", 40, 40, 80)]);
        check("أكثر من ١٥٠ حالة", &[("أكثر من ١٥٠", 150, 150, 225)]);
        check("أقل من عشرة", &[("أقل من عشرة", 5, 9, 9)]);
        check("نحو 20 شاباً", &[("نحو 20", 18, 20, 22)]);
        check("حوالي 20", &[("حوالي 20", 18, 20, 22)]);
        check("قرابة ثلاثين", &[("قرابة ثلاثين", 27, 30, 33)]);
        check("زهاء مئة", &[("زهاء مئة", 90, 100, 110)]);
        check("ما يقارب 50", &[("ما يقارب 50", 45, 50, 55)]);
        check("حتى 50 شخصاً", &[("حتى 50", 25, 50, 50)]);
        check("ما يصل إلى 50", &[("ما يصل إلى 50", 25, 50, 50)]);
        check("قتل 12 على الأقل", &[("12 على الأقل", 12, 12, 24)]);
        check("أكثر من عشرات", &[("أكثر من عشرات", 20, 20, 99)]);
        check("تجاوز الـ 40 عنصراً", &[("تجاوز الـ 40", 40, 40, 60)]);
        check("حتى اليوم", &[]);
        let q = parser().find(&normalize("أكثر من 40"));
        assert_eq!(q[0].modifier, Some(MoreThan));
        let q = parser().find(&normalize("نحو 40"));
        assert_eq!(q[0].modifier, Some(About));
        assert_eq!(AtLeast.apply(Estimate::exact(1)).high, 2);
        assert_eq!(LessThan.apply(Estimate::exact(1)), Estimate::exact(0));
        assert_eq!(UpTo.apply(Estimate::exact(9)).low, 4);
    }

    #[test]
    fn not_counts() {
        check("انطلقت عام 2011", &[]);
        check("منذ العام 2018", &[]);
        check("عناصر الفرقة 4", &[]);
        check("في اللواء 52 وقتل 3", &[("3", 3, 3, 3)]);
        check("من الفوج ١٥٦", &[]);
        check("للفرقة 4", &[]);
        check("بنسبة 40 بالمئة", &[]);
        check("بنسبة 40 في المئة", &[]);
        check("بنسبة 40%", &[]);
        check("في 6/12/2024 و2024-12-06 الساعة 10:30", &[]);
        check("في 6 كانون الأول 2024", &[]);
        check("يوم الاثنين", &[]);
        check("عام 2024م", &[]);
    }

    #[test]
    fn parse_phrases() {
        let p = parser();
        assert_eq!(p.parse("ثلاثة وعشرون"), Some(Estimate::exact(23)));
        assert_eq!(p.parse("ثلاثةٌ وعشرونَ"), Some(Estimate::exact(23)));
        assert_eq!(p.parse("لا شيء"), None);
    }

    #[test]
    fn user_data_errors_name_the_line() {
        let mut files = DataFiles::new();
        files.add_override("arabic/vague_quantities.tsv", "# c\nكثير\t10\t5\t20\n");
        let err = NumberParser::from_data(&files).unwrap_err().to_string();
        assert_eq!(
            err,
            "arabic/vague_quantities.tsv (user data):2: expected low <= best <= high"
        );
        files.add_override("arabic/vague_quantities.tsv", "# c\nكثير\t10\t10\t30\n");
        let p = NumberParser::from_data(&files).unwrap();
        assert_eq!(p.parse("كثير من الناس").map(|e| e.high), Some(30));
    }
}
