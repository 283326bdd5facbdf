//! Dates: absolute dates, dates relative to the publication date, and years.
//!
//! [`DateParser::find`] reads the tokens of a [`Normalized`] view and returns every
//! [`DateMention`], resolved against the publication date when one is given.
//!
//! # What is read
//! | form | example | date | precision |
//! |---|---|---|---|
//! | digits, day first | `6/12/2024`, `6-12-2024`, `6.12.2024`, `2024-12-06` | that day | 1 |
//! | day, month, year | `6 كانون الأول 2024`, `السادس من كانون الأول 2024` | that day | 1 |
//! | day and month | `6 كانون الأول`, `السادس من ديسمبر` | the latest such day not after publication | 1 |
//! | month and year | `كانون الأول 2024` | the 15th | 3 |
//! | month | `تشرين الأول الفائت`, `في نيسان` | the 15th of the latest such month (strictly before publication's with الماضي/الفائت; after it with المقبل) | 3 |
//! | day words | `اليوم`, `أمس`, `أمس الأول`, `مساء أمس` | publication − n days | 1 |
//! | day word + weekday | `أمس الجمعة`, `اليوم الثلاثاء` | as above if the weekday agrees; otherwise the weekday's latest date before publication (on or before it for `اليوم`) | 1 |
//! | weekday | `يوم الثلاثاء`, `الثلاثاء` | the latest such weekday on or before publication | 1 |
//! | weekday + past / next | `الثلاثاء الماضي`, `الخميس المقبل` | strictly before / after publication | 1 |
//! | weekday + date | `الجمعة 6 كانون الأول` | the date | 1 |
//! | week phrases | `الأسبوع الماضي`, `خلال الأيام القليلة الماضية` | the middle of the span (data) | 2 |
//! | ago | `منذ يومين`, `قبل ثلاثة أيام`, `منذ أسبوعين`, `منذ شهرين` | publication − n units | 1 (days), 2 (weeks), 3 (months, the 15th) |
//! | month phrases | `الشهر الماضي` | the 15th of that month | 3 |
//! | years | `عام 2018`, `منذ عام 2011`, `العام الماضي` | none; [`DateMention::year`] holds it | 3, `year_only` |
//!
//! Relative mentions (`relative: true`) keep `date: None` when no publication date is given;
//! so does a day and month without a year. Month names that are also common words (`آب`
//! «father», `مارس` «he practised») count only next to a day number, a year or a past/next
//! word. Known failures: `ليلة الجمعة` (Thursday night) is read as Friday; weekdays are not
//! checked against absolute dates; digit dates are read day first unless the first number
//! cannot be a month and the second can.

use crate::data::rows;
use crate::phrases::{FirstWords, Phrases, Toks};
use crate::{
    normalize_key, tokens, Clitics, Error, NormSpan, Normalized, NumberParser, Token, TokenKind,
};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rasd_core::{DataFiles, DatePrecision, Span};

/// Month names from `arabic/months.tsv`: phrase → (month 1-12, needs context).
pub(crate) fn load_months(files: &DataFiles) -> Result<Phrases<(u32, bool)>, Error> {
    let mut months = Phrases::default();
    for row in rows(files, "arabic/months.tsv") {
        let form = normalize_key(row.field(0, "form")?);
        let month: u32 = row.number(1, "month")?;
        if !(1..=12).contains(&month) {
            return Err(row.error(format!("month {month} is not in 1..=12")));
        }
        let needs = match row.field(2, "context")? {
            "free" => false,
            "needs" => true,
            other => return Err(row.error(format!("context must be free or needs, not «{other}»"))),
        };
        months.insert(form, (month, needs));
    }
    Ok(months)
}

/// A date found in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateMention {
    /// Where it is in the original text.
    pub span: Span,
    /// Where it is in the normalized text.
    pub norm: NormSpan,
    /// The date, when it can be resolved (relative mentions need the publication date).
    pub date: Option<NaiveDate>,
    /// How exactly the date is known.
    pub precision: DatePrecision,
    /// True when the mention is resolved against the publication date.
    pub relative: bool,
    /// True when only a year is named (`عام 2018`); `date` is then `None`.
    pub year_only: bool,
    /// The year of a year-only mention (and of any resolved date).
    pub year: Option<i32>,
}

/// The kinds of rows in `relative_dates.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rel {
    Day(u64),
    Week(u64),
    Month(u32),
    Year(i32),
    Ago,
    Unit(u64),
    Dual(u64),
    Past,
    Next,
    Lead,
    YearWord,
    Not,
}

/// The date parser, built from the data files.
///
/// # Examples
/// ```
/// use chrono::NaiveDate;
/// use rasd_arabic::{normalize, DateParser};
/// let parser = DateParser::new().unwrap();
/// let text = "قُتل مدني أمس الجمعة في درعا";
/// let published = NaiveDate::from_ymd_opt(2024, 12, 7);
/// let found = parser.find(&normalize(text), published);
/// assert_eq!(&text[found[0].span], "أمس الجمعة");
/// assert_eq!(found[0].date, NaiveDate::from_ymd_opt(2024, 12, 6));
/// ```
#[derive(Clone, Debug)]
pub struct DateParser {
    months: Phrases<(u32, bool)>,
    weekdays: Phrases<Weekday>,
    ordinals: Phrases<u32>,
    relative: Phrases<Rel>,
    /// The first words of the four tables, under the bits below.
    first: FirstWords,
    numbers: NumberParser,
    clitics: Clitics,
}

/// The furthest back, in days, that a count of units ago («قبل ثلاثة أشهر») dates a report's
/// news: five years. A longer span («منذ عشرين عاماً») tells of history, not of the day.
const MAX_AGO_DAYS: u64 = 5 * 366;

/// The bits of the tables in [`DateParser`]'s `first`.
const MONTHS: u8 = 1;
const WEEKDAYS: u8 = 2;
const ORDINALS: u8 = 4;
const RELATIVE: u8 = 8;

/// A mention being built: tokens `start..end`.
struct Found {
    start: usize,
    end: usize,
    date: Option<NaiveDate>,
    precision: DatePrecision,
    relative: bool,
    year: Option<i32>,
    year_only: bool,
}

impl Found {
    fn day(start: usize, end: usize, date: Option<NaiveDate>, relative: bool) -> Found {
        Found {
            start,
            end,
            date,
            precision: DatePrecision::Day,
            relative,
            year: date.map(|d| d.year()),
            year_only: false,
        }
    }
}

/// What a match at one place gave: a mention, or tokens that look like a date but are not.
enum Hit {
    Mention(Found),
    Skip(usize),
}

fn weekday_from(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// The latest `wd` on or before `day` (strictly before when `strict`).
fn latest_weekday(day: NaiveDate, wd: Weekday, strict: bool) -> Option<NaiveDate> {
    let mut d = if strict { day.pred_opt()? } else { day };
    for _ in 0..7 {
        if d.weekday() == wd {
            return Some(d);
        }
        d = d.pred_opt()?;
    }
    None
}

/// The first `wd` strictly after `day`.
fn next_weekday(day: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let mut d = day.succ_opt()?;
    for _ in 0..7 {
        if d.weekday() == wd {
            return Some(d);
        }
        d = d.succ_opt()?;
    }
    None
}

/// The 15th of the month `back` months before `day`'s.
fn mid_month(day: NaiveDate, back: u32) -> Option<NaiveDate> {
    let first = day.with_day(1)?.checked_sub_months(Months::new(back))?;
    first.with_day(15)
}

impl DateParser {
    /// The parser with the built-in data.
    ///
    /// # Errors
    /// When a built-in data file is malformed (a bug caught by the tests).
    pub fn new() -> Result<DateParser, Error> {
        DateParser::from_data(&DataFiles::new())
    }

    /// The parser with the built-in data extended or replaced by the user's files
    /// (`arabic/months.tsv`, `arabic/weekdays.tsv`, `arabic/ordinal_days.tsv`,
    /// `arabic/relative_dates.tsv`, and those of [`NumberParser::from_data`]).
    ///
    /// # Errors
    /// A malformed row, named by file and line.
    pub fn from_data(files: &DataFiles) -> Result<DateParser, Error> {
        let mut weekdays = Phrases::default();
        for row in rows(files, "arabic/weekdays.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let name = row.field(1, "weekday")?;
            let wd = weekday_from(name)
                .ok_or_else(|| row.error(format!("«{name}» is not one of mon..sun")))?;
            weekdays.insert(form, wd);
        }
        let mut ordinals = Phrases::default();
        for row in rows(files, "arabic/ordinal_days.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let day: u32 = row.number(1, "day")?;
            if !(1..=31).contains(&day) {
                return Err(row.error(format!("day {day} is not in 1..=31")));
            }
            ordinals.insert(form, day);
        }
        let mut relative = Phrases::default();
        for row in rows(files, "arabic/relative_dates.tsv") {
            let form = normalize_key(row.field(0, "form")?);
            let value: u64 = row.number(2, "value")?;
            let small =
                |v: u64| u32::try_from(v).map_err(|_| row.error(format!("value {v} is too large")));
            let rel = match row.field(1, "kind")? {
                "day" => Rel::Day(value),
                "week" => Rel::Week(value),
                "month" => Rel::Month(small(value)?),
                "year" => Rel::Year(small(value)? as i32),
                "ago" => Rel::Ago,
                "unit" => Rel::Unit(value),
                "dual" => Rel::Dual(value),
                "past" => Rel::Past,
                "next" => Rel::Next,
                "lead" => Rel::Lead,
                "year_word" => Rel::YearWord,
                "not" => Rel::Not,
                other => return Err(row.error(format!("unknown kind «{other}»"))),
            };
            relative.insert(form, rel);
        }
        tracing::debug!("loaded date data");
        let months = load_months(files)?;
        let mut first = FirstWords::default();
        first.add(&months, MONTHS);
        first.add(&weekdays, WEEKDAYS);
        first.add(&ordinals, ORDINALS);
        first.add(&relative, RELATIVE);
        Ok(DateParser {
            months,
            weekdays,
            ordinals,
            relative,
            first,
            numbers: NumberParser::from_data(files)?,
            clitics: Clitics::from_data(files)?,
        })
    }

    /// Every date mention in a normalized text, in order, not overlapping.
    pub fn find(&self, n: &Normalized, published: Option<NaiveDate>) -> Vec<DateMention> {
        self.find_in_tokens(n, &tokens(n), published)
    }

    /// [`DateParser::find`] over the [`tokens`] of `n`, already split by a caller that reads
    /// them too: a report is tokenized once for all layers.
    pub fn find_in_tokens(
        &self,
        n: &Normalized,
        tokens: &[Token],
        published: Option<NaiveDate>,
    ) -> Vec<DateMention> {
        self.find_in_tokens_with_starts(n, tokens, None, published)
    }

    /// What of its tables a normalized word may begin, through its proclitics or not: a
    /// caller that reads many reports can keep it from word to word and hand it back to
    /// [`DateParser::find_in_tokens_with_starts`].
    pub fn phrase_starts(&self, word: &str) -> u8 {
        self.first.starts_of(word, &self.clitics)
    }

    /// [`DateParser::find_in_tokens`] with the [`DateParser::phrase_starts`] of every token
    /// given (ignored unless there is one per token).
    pub fn find_in_tokens_with_starts(
        &self,
        n: &Normalized,
        tokens: &[Token],
        starts: Option<&[u8]>,
        published: Option<NaiveDate>,
    ) -> Vec<DateMention> {
        let toks = Toks::new(n, tokens, &self.clitics, &self.first, starts);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            // Every date begins with a number or a word of one of the tables.
            if toks[i].kind != TokenKind::Number && !toks.may_begin_any(i) {
                i += 1;
                continue;
            }
            match self.at(n, &toks, i, published) {
                Some(Hit::Mention(f)) => {
                    let norm = NormSpan::new(toks[f.start].norm.start, toks[f.end - 1].norm.end);
                    out.push(DateMention {
                        span: n.to_original_with_marks(norm),
                        norm,
                        date: f.date,
                        precision: f.precision,
                        relative: f.relative,
                        year_only: f.year_only,
                        year: f.year.or_else(|| f.date.map(|d| d.year())),
                    });
                    i = f.end.max(i + 1);
                }
                Some(Hit::Skip(end)) => i = end.max(i + 1),
                None => i += 1,
            }
        }
        out
    }

    /// A phrase of `table` at token `i`, its first word possibly behind proclitics.
    fn phrase<'a, V>(
        &self,
        (table, bit): (&'a Phrases<V>, u8),
        n: &Normalized,
        toks: &Toks,
        i: usize,
    ) -> Option<(usize, &'a V)> {
        let t = toks.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        table
            .longest_from(&self.clitics, n, toks, i, bit)
            .map(|m| (m.end, m.value))
    }

    fn rel(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<(usize, Rel)> {
        self.phrase((&self.relative, RELATIVE), n, toks, i)
            .map(|(e, r)| (e, *r))
    }

    /// A four-digit year (1900-2100) at token `i`, with a following `م` taken along.
    fn year_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<(usize, i32)> {
        let t = toks.get(i)?;
        let text = t.text(n);
        if t.kind != TokenKind::Number || text.len() != 4 {
            return None;
        }
        let y: i32 = text.parse().ok()?;
        if !(1900..=2100).contains(&y) {
            return None;
        }
        let mark = toks
            .get(i + 1)
            .is_some_and(|m| m.norm.start == t.norm.end && matches!(m.text(n), "م" | "ه"));
        Some((if mark { i + 2 } else { i + 1 }, y))
    }

    /// A day number (1-31, digits) at token `i`.
    fn day_number_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<u32> {
        let t = toks.get(i)?;
        let text = t.text(n);
        if t.kind != TokenKind::Number || text.len() > 2 {
            return None;
        }
        text.parse().ok().filter(|d| (1..=31).contains(d))
    }

    /// A date in digits at token `i`: `6/12/2024`, `2024-12-06`, `6.12.2024`.
    fn digit_date_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<Found> {
        let t = toks.get(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let (parts, end): (Vec<&str>, usize) = if t.text(n).matches('.').count() == 2 {
            (t.text(n).split('.').collect(), i + 1)
        } else {
            let sep = toks.get(i + 1)?;
            let sep_text = sep.text(n);
            if !matches!(sep_text, "/" | "-" | ".") {
                return None;
            }
            let chain = [i, i + 1, i + 2, i + 3, i + 4];
            let ok = chain.windows(2).all(|w| {
                matches!((toks.get(w[0]), toks.get(w[1])), (Some(a), Some(b)) if a.norm.end == b.norm.start)
            });
            if !ok || toks[i + 3].text(n) != sep_text {
                return None;
            }
            if toks[i + 2].kind != TokenKind::Number || toks[i + 4].kind != TokenKind::Number {
                return None;
            }
            (
                vec![t.text(n), toks[i + 2].text(n), toks[i + 4].text(n)],
                i + 5,
            )
        };
        let nums: Vec<u32> = parts
            .iter()
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [a, b, c] = nums[..] else { return None };
        // A Hijri date («1436/10/9 هـ», common in Gulf papers) is not a Gregorian one: years
        // outside the Gregorian range this parser reads are left out, not misread.
        let year = if parts[0].len() == 4 { a } else { c };
        if !(1900..=2100).contains(&year) {
            return None;
        }
        let date = if parts[0].len() == 4 {
            NaiveDate::from_ymd_opt(a as i32, b, c)
        } else if parts[2].len() == 4 {
            let (day, month) = if a <= 12 && b > 12 { (b, a) } else { (a, b) };
            NaiveDate::from_ymd_opt(c as i32, month, day)
        } else {
            None
        }?;
        Some(Found::day(i, end, Some(date), false))
    }

    /// A past/next word at token `i`.
    fn marker_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<(usize, Rel)> {
        match toks.get(i).filter(|t| t.kind == TokenKind::Word) {
            Some(t) => match self.relative.get(t.text(n)) {
                Some(r @ (Rel::Past | Rel::Next)) => Some((i + 1, *r)),
                _ => None,
            },
            None => None,
        }
    }

    /// A date with a month name at token `i`: `[day | ordinal [من]] month [year | past/next]`.
    fn month_date_at(
        &self,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        published: Option<NaiveDate>,
    ) -> Option<Found> {
        let mut j = i;
        let mut day = None;
        if let Some(d) = self.day_number_at(n, toks, i) {
            day = Some(d);
            j = i + 1;
        } else if let Some((end, &d)) = self.phrase((&self.ordinals, ORDINALS), n, toks, i) {
            day = Some(d);
            j = end;
        }
        if day.is_some() && toks.get(j).is_some_and(|t| t.text(n) == "من") {
            j += 1;
        }
        let (end, &(month, needs)) = self.phrase((&self.months, MONTHS), n, toks, j)?;
        let mut end = end;
        let year = self.year_at(n, toks, end);
        let marker = if year.is_none() {
            self.marker_at(n, toks, end)
        } else {
            None
        };
        if needs && day.is_none() && year.is_none() && marker.is_none() {
            return None;
        }
        if let Some((e, _)) = year.or(marker.map(|(e, _)| (e, 0))) {
            end = e;
        }
        let pub_ym = published.map(|p| (p.year(), p.month()));
        let resolved_year = match (year, marker, pub_ym) {
            (Some((_, y)), _, _) => Some(y),
            (None, Some((_, Rel::Past)), Some((py, pm))) => {
                Some(if month < pm { py } else { py - 1 })
            }
            (None, Some((_, Rel::Next)), Some((py, pm))) => {
                Some(if month > pm { py } else { py + 1 })
            }
            (None, _, Some((py, pm))) => Some(if month <= pm { py } else { py - 1 }),
            _ => None,
        };
        let relative = year.is_none();
        match day {
            Some(d) => {
                let mut date = resolved_year.and_then(|y| NaiveDate::from_ymd_opt(y, month, d));
                if year.is_none() {
                    // The latest such day not after publication.
                    if let (Some(dt), Some(p)) = (date, published) {
                        if dt > p {
                            date = NaiveDate::from_ymd_opt(dt.year() - 1, month, d);
                        }
                    }
                }
                if date.is_none() && year.is_some() {
                    return None; // «31 شباط 2024»
                }
                Some(Found {
                    relative,
                    ..Found::day(i, end, date, false)
                })
            }
            None => {
                let date = resolved_year.and_then(|y| NaiveDate::from_ymd_opt(y, month, 15));
                Some(Found {
                    start: i,
                    end,
                    date,
                    precision: DatePrecision::Month,
                    relative,
                    year: resolved_year,
                    year_only: false,
                })
            }
        }
    }

    /// An absolute date at token `i` (digits or with a month name).
    fn absolute_at(
        &self,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        published: Option<NaiveDate>,
    ) -> Option<Found> {
        self.digit_date_at(n, toks, i)
            .or_else(|| self.month_date_at(n, toks, i, published))
    }

    /// A weekday at token `i`, with what follows it.
    fn weekday_at(
        &self,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        published: Option<NaiveDate>,
    ) -> Option<Found> {
        let (end, &wd) = self.phrase((&self.weekdays, WEEKDAYS), n, toks, i)?;
        // «الجمعة 6 كانون الأول», «الجمعة، 6/12/2024»: the date decides.
        let after_comma = if toks
            .get(end)
            .is_some_and(|t| matches!(t.text(n), "،" | ","))
        {
            end + 1
        } else {
            end
        };
        if let Some(f) = self.absolute_at(n, toks, after_comma, published) {
            if f.precision == DatePrecision::Day {
                return Some(Found { start: i, ..f });
            }
        }
        let (end, date) = match self.marker_at(n, toks, end) {
            Some((e, Rel::Next)) => (e, published.and_then(|p| next_weekday(p, wd))),
            Some((e, _)) => (e, published.and_then(|p| latest_weekday(p, wd, true))),
            None => (end, published.and_then(|p| latest_weekday(p, wd, false))),
        };
        Some(Found::day(i, end, date, true))
    }

    /// A count of time units after «منذ/قبل» at token `i`: (end, days per unit, count).
    fn ago_count_at(&self, n: &Normalized, toks: &Toks, i: usize) -> Option<(usize, u64, u64)> {
        if let Some((end, Rel::Dual(days))) = self.rel(n, toks, i) {
            return Some((end, days / 2, 2));
        }
        let (end, count) = self.numbers.count_at(n, toks, i)?;
        match self.rel(n, toks, end) {
            Some((e, Rel::Unit(days))) => Some((e, days, count)),
            _ => None,
        }
    }

    fn at(
        &self,
        n: &Normalized,
        toks: &Toks,
        i: usize,
        published: Option<NaiveDate>,
    ) -> Option<Hit> {
        if let Some(f) = self.absolute_at(n, toks, i, published) {
            return Some(Hit::Mention(f));
        }
        if let Some(f) = self.weekday_at(n, toks, i, published) {
            return Some(Hit::Mention(f));
        }
        let (end, rel) = self.rel(n, toks, i)?;
        let back_days = |days: u64| published.and_then(|p| p.checked_sub_days(Days::new(days)));
        let found = match rel {
            Rel::Not => return Some(Hit::Skip(end)),
            Rel::Day(days) => {
                let date = back_days(days);
                // «أمس الجمعة»: the weekday must agree.
                if let Some((wend, &wd)) = self.phrase((&self.weekdays, WEEKDAYS), n, toks, end) {
                    let date = match date {
                        Some(d) if d.weekday() == wd => Some(d),
                        _ => published.and_then(|p| latest_weekday(p, wd, days > 0)),
                    };
                    Found::day(i, wend, date, true)
                } else {
                    Found::day(i, end, date, true)
                }
            }
            Rel::Week(days) => Found {
                precision: DatePrecision::Week,
                ..Found::day(i, end, back_days(days), true)
            },
            Rel::Month(back) => {
                let date = published.and_then(|p| mid_month(p, back));
                Found {
                    precision: DatePrecision::Month,
                    ..Found::day(i, end, date, true)
                }
            }
            Rel::Year(back) => Found {
                start: i,
                end,
                date: None,
                precision: DatePrecision::Month,
                relative: true,
                year: published.map(|p| p.year() - back),
                year_only: true,
            },
            Rel::Ago => {
                // «منذ عام 2011», «منذ 2011»: a year.
                let year_from = match self.rel(n, toks, end) {
                    Some((e, Rel::YearWord)) => e,
                    _ => end,
                };
                if let Some((yend, y)) = self.year_at(n, toks, year_from) {
                    Found {
                        year: Some(y),
                        ..year_only(i, yend, y)
                    }
                } else {
                    let (cend, unit, count) = self.ago_count_at(n, toks, end)?;
                    let total = unit.checked_mul(count)?;
                    // «قبل 707007 أيام» is no day of the news: the phrase is read, and dropped.
                    if total > MAX_AGO_DAYS {
                        return Some(Hit::Skip(cend));
                    }
                    match unit {
                        30.. => {
                            let back = u32::try_from(total / 30).ok()?;
                            Found {
                                precision: DatePrecision::Month,
                                ..Found::day(
                                    i,
                                    cend,
                                    published.and_then(|p| mid_month(p, back)),
                                    true,
                                )
                            }
                        }
                        7.. => Found {
                            precision: DatePrecision::Week,
                            ..Found::day(i, cend, back_days(total), true)
                        },
                        _ => Found::day(i, cend, back_days(total), true),
                    }
                }
            }
            Rel::YearWord => {
                let (yend, y) = self.year_at(n, toks, end)?;
                year_only(i, yend, y)
            }
            Rel::Lead => {
                let inner = self.weekday_at(n, toks, end, published).or_else(|| {
                    match self.at(n, toks, end, published) {
                        Some(Hit::Mention(f))
                            if f.relative && f.precision == DatePrecision::Day =>
                        {
                            Some(f)
                        }
                        _ => None,
                    }
                })?;
                Found { start: i, ..inner }
            }
            Rel::Unit(_) | Rel::Dual(_) | Rel::Past | Rel::Next => return None,
        };
        Some(Hit::Mention(found))
    }
}

fn year_only(start: usize, end: usize, year: i32) -> Found {
    Found {
        start,
        end,
        date: None,
        precision: DatePrecision::Month,
        relative: false,
        year: Some(year),
        year_only: true,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;
    use crate::normalize;

    fn parser() -> &'static DateParser {
        static P: std::sync::OnceLock<DateParser> = std::sync::OnceLock::new();
        P.get_or_init(|| DateParser::new().unwrap())
    }

    /// What a test expects of a mention: (original text, date, precision, relative,
    /// year of a year-only mention).
    type Want<'a> = (&'a str, Option<&'a str>, u8, bool, Option<i32>);
    type Got<'a> = (&'a str, Option<String>, u8, bool, Option<i32>);

    /// Saturday 7 December 2024.
    const PUB: &str = "2024-12-07";

    /// A count of days or months ago reaching further back than five years is no date.
    #[test]
    fn a_count_ago_further_than_five_years_is_no_date() {
        check(
            "وصلوا قبل ثلاثة أشهر",
            &[("قبل ثلاثة أشهر", Some("2024-09-15"), 3, true, None)],
        );
        check("قبل 707007 أيام", &[]);
        check("منذ 2500 يوم", &[]);
    }

    /// Phrase starts a caller kept are what the parser reads; a list of the wrong length is
    /// not, and the parser works them out itself.
    #[test]
    fn given_phrase_starts_are_used() {
        let p = parser();
        let n = normalize("وصلنا يوم الجمعة 6 كانون الأول، ثم في 8/12/2024");
        let toks = crate::tokens(&n);
        let published = PUB.parse::<NaiveDate>().ok();
        let starts: Vec<u8> = toks.iter().map(|t| p.phrase_starts(t.text(&n))).collect();
        let texts = |found: Vec<DateMention>| -> Vec<String> {
            found.iter().map(|m| n.slice(m.norm).to_string()).collect()
        };
        let all = texts(p.find_in_tokens(&n, &toks, published));
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(
            texts(p.find_in_tokens_with_starts(&n, &toks, Some(&starts), published)),
            all
        );
        // With no table begun anywhere, only the date in digits is left.
        let none = vec![0; toks.len()];
        let digits = texts(p.find_in_tokens_with_starts(&n, &toks, Some(&none), published));
        assert_eq!(digits, ["8/12/2024"]);
        let short = &starts[1..];
        assert_eq!(
            texts(p.find_in_tokens_with_starts(&n, &toks, Some(short), published)),
            all
        );
    }

    /// The mentions of `input` published on `published`: (original text, date, precision,
    /// relative, year-only year).
    fn check_on(input: &str, published: Option<&str>, expect: &[Want]) {
        let published = published.map(|p| p.parse::<NaiveDate>().unwrap());
        let got: Vec<Got> = parser()
            .find(&normalize(input), published)
            .iter()
            .map(|m| {
                (
                    &input[m.span],
                    m.date.map(|d| d.to_string()),
                    m.precision.code(),
                    m.relative,
                    m.year.filter(|_| m.year_only),
                )
            })
            .collect();
        let expect: Vec<Got> = expect
            .iter()
            .map(|&(t, d, p, r, y)| (t, d.map(String::from), p, r, y))
            .collect();
        assert_eq!(got, expect, "dates of «{input}»");
    }

    fn check(input: &str, expect: &[Want]) {
        check_on(input, Some(PUB), expect);
    }

    #[test]
    fn absolute_dates() {
        check(
            "في 6/12/2024 صباحاً",
            &[("6/12/2024", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "في ٦/١٢/٢٠٢٤",
            &[("٦/١٢/٢٠٢٤", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "بتاريخ 2024-12-06",
            &[("2024-12-06", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "بتاريخ 06.12.2024",
            &[("06.12.2024", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "بتاريخ 12/25/2024",
            &[("12/25/2024", Some("2024-12-25"), 1, false, None)],
        );
        check("في 31/2/2024", &[]);
        check(
            "في 6 كانون الأول 2024",
            &[("6 كانون الأول 2024", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "في 6 ديسمبر 2024م",
            &[("6 ديسمبر 2024م", Some("2024-12-06"), 1, false, None)],
        );
        check(
            "في السادس من كانون الأول",
            &[("السادس من كانون الأول", Some("2024-12-06"), 1, true, None)],
        );
        check(
            "في الحادي والعشرين من آذار 2023",
            &[(
                "الحادي والعشرين من آذار 2023",
                Some("2023-03-21"),
                1,
                false,
                None,
            )],
        );
        check(
            "في 20 كانون الأول",
            &[("20 كانون الأول", Some("2023-12-20"), 1, true, None)],
        );
        check(
            "في الأول من تشرين الثاني",
            &[("الأول من تشرين الثاني", Some("2024-11-01"), 1, true, None)],
        );
        check(
            "في 3 يوليه و4 يوليو و5 أغسطس و6 اغسطس",
            &[
                ("3 يوليه", Some("2024-07-03"), 1, true, None),
                ("4 يوليو", Some("2024-07-04"), 1, true, None),
                ("5 أغسطس", Some("2024-08-05"), 1, true, None),
                ("6 اغسطس", Some("2024-08-06"), 1, true, None),
            ],
        );
        check(
            "خلال شباط 2024",
            &[("شباط 2024", Some("2024-02-15"), 3, false, None)],
        );
    }

    #[test]
    fn months_alone() {
        check(
            "في تشرين الأول الفائت",
            &[("تشرين الأول الفائت", Some("2024-10-15"), 3, true, None)],
        );
        check(
            "في كانون الأول الماضي",
            &[("كانون الأول الماضي", Some("2023-12-15"), 3, true, None)],
        );
        check(
            "في آذار المقبل",
            &[("آذار المقبل", Some("2025-03-15"), 3, true, None)],
        );
        check("منذ نيسان", &[("نيسان", Some("2024-04-15"), 3, true, None)]);
        // «آب» and «مارس» are also common words: only with a day, a year or a marker.
        check("قال الأب إن آب العائلة مارس الضغط", &[]);
        check(
            "في آب الماضي",
            &[("آب الماضي", Some("2024-08-15"), 3, true, None)],
        );
        check("في 9 آب", &[("9 آب", Some("2024-08-09"), 1, true, None)]);
    }

    #[test]
    fn relative_days() {
        check("قتل اليوم", &[("اليوم", Some("2024-12-07"), 1, true, None)]);
        check("قتل أمس", &[("أمس", Some("2024-12-06"), 1, true, None)]);
        check(
            "قتل مساء أمس",
            &[("مساء أمس", Some("2024-12-06"), 1, true, None)],
        );
        check(
            "قتل يوم أمس",
            &[("يوم أمس", Some("2024-12-06"), 1, true, None)],
        );
        check(
            "قتل أمس الأول",
            &[("أمس الأول", Some("2024-12-05"), 1, true, None)],
        );
        check(
            "قتل أول أمس",
            &[("أول أمس", Some("2024-12-05"), 1, true, None)],
        );
        check(
            "قتل أمس الجمعة",
            &[("أمس الجمعة", Some("2024-12-06"), 1, true, None)],
        );
        // The weekday disagrees with «أمس»: the weekday wins.
        check(
            "قتل أمس الأربعاء",
            &[("أمس الأربعاء", Some("2024-12-04"), 1, true, None)],
        );
        check(
            "اليوم السبت",
            &[("اليوم السبت", Some("2024-12-07"), 1, true, None)],
        );
        check(
            "اليوم الخميس",
            &[("اليوم الخميس", Some("2024-12-05"), 1, true, None)],
        );
        check("في اليوم التالي", &[]);
        check("قتل أمس", &[("أمس", Some("2024-12-06"), 1, true, None)]);
    }

    #[test]
    fn weekdays() {
        check(
            "يوم الثلاثاء",
            &[("يوم الثلاثاء", Some("2024-12-03"), 1, true, None)],
        );
        check(
            "الثلاثاء الماضي",
            &[("الثلاثاء الماضي", Some("2024-12-03"), 1, true, None)],
        );
        check(
            "والثلاثاء الفائت",
            &[("والثلاثاء الفائت", Some("2024-12-03"), 1, true, None)],
        );
        check(
            "يوم السبت",
            &[("يوم السبت", Some("2024-12-07"), 1, true, None)],
        );
        check(
            "السبت الماضي",
            &[("السبت الماضي", Some("2024-11-30"), 1, true, None)],
        );
        check(
            "الخميس المقبل",
            &[("الخميس المقبل", Some("2024-12-12"), 1, true, None)],
        );
        check(
            "الجمعة، 6 كانون الأول 2024",
            &[(
                "الجمعة، 6 كانون الأول 2024",
                Some("2024-12-06"),
                1,
                false,
                None,
            )],
        );
    }

    #[test]
    fn spans_of_days() {
        check(
            "الأسبوع الماضي",
            &[("الأسبوع الماضي", Some("2024-12-03"), 2, true, None)],
        );
        check(
            "خلال الأيام القليلة الماضية",
            &[(
                "خلال الأيام القليلة الماضية",
                Some("2024-12-05"),
                2,
                true,
                None,
            )],
        );
        check(
            "منذ يومين",
            &[("منذ يومين", Some("2024-12-05"), 1, true, None)],
        );
        check(
            "قبل ثلاثة أيام",
            &[("قبل ثلاثة أيام", Some("2024-12-04"), 1, true, None)],
        );
        check(
            "منذ 10 أيام",
            &[("منذ 10 أيام", Some("2024-11-27"), 1, true, None)],
        );
        check(
            "منذ أسبوعين",
            &[("منذ أسبوعين", Some("2024-11-23"), 2, true, None)],
        );
        check(
            "منذ شهرين",
            &[("منذ شهرين", Some("2024-10-15"), 3, true, None)],
        );
        check(
            "الشهر الماضي",
            &[("الشهر الماضي", Some("2024-11-15"), 3, true, None)],
        );
        check("قبل الظهر", &[]);
    }

    #[test]
    fn years() {
        check(
            "انطلقت عام 2011",
            &[("عام 2011", None, 3, false, Some(2011))],
        );
        check(
            "منذ عام 2018",
            &[("منذ عام 2018", None, 3, false, Some(2018))],
        );
        check(
            "منذ العام 2018",
            &[("منذ العام 2018", None, 3, false, Some(2018))],
        );
        check(
            "في العام الماضي",
            &[("العام الماضي", None, 3, true, Some(2023))],
        );
        check("عام 2024م", &[("عام 2024م", None, 3, false, Some(2024))]);
        check("منذ عام", &[]);
    }

    #[test]
    fn hijri_dates_in_digits_are_not_gregorian() {
        check("الرياض 1436/10/9 هـ", &[]);
        check("في 9/10/1436 هـ", &[]);
        check(
            "الموافق 2015/7/26 م",
            &[("2015/7/26", Some("2015-07-26"), 1, false, None)],
        );
    }

    #[test]
    fn without_publication_date() {
        check_on(
            "قتل أمس الجمعة",
            None,
            &[("أمس الجمعة", None, 1, true, None)],
        );
        check_on(
            "الأسبوع الماضي",
            None,
            &[("الأسبوع الماضي", None, 2, true, None)],
        );
        check_on(
            "في السادس من كانون الأول",
            None,
            &[("السادس من كانون الأول", None, 1, true, None)],
        );
        check_on(
            "في 6 كانون الأول 2024",
            None,
            &[("6 كانون الأول 2024", Some("2024-12-06"), 1, false, None)],
        );
        check_on(
            "العام الماضي",
            None,
            &[("العام الماضي", None, 3, true, None)],
        );
    }

    #[test]
    fn helpers() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            latest_weekday(d("2024-12-07"), Weekday::Sat, false),
            Some(d("2024-12-07"))
        );
        assert_eq!(
            latest_weekday(d("2024-12-07"), Weekday::Sat, true),
            Some(d("2024-11-30"))
        );
        assert_eq!(
            next_weekday(d("2024-12-07"), Weekday::Sat),
            Some(d("2024-12-14"))
        );
        assert_eq!(mid_month(d("2024-01-31"), 1), Some(d("2023-12-15")));
    }
}
