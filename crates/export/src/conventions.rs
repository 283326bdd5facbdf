//! The data-driven parts of the ACLED mapping: vague fatality words and source scales from
//! `data/export/`, governorate names from the gazetteer's `data/gazetteer/admin.tsv`, and a
//! user's overrides.

use std::collections::BTreeMap;

use rasd_core::data::tsv_rows;
use rasd_core::{CountWhat, DataFiles, Estimate, Event, SourceRef};

use crate::Error;

const VAGUE_FATALITIES: &str = "export/vague_fatalities.tsv";
const SOURCE_SCALE: &str = "export/source_scale.tsv";
const GOVERNORATES: &str = "gazetteer/admin.tsv";

const VAGUE_FATALITIES_TEXT: &str = include_str!("../../../data/export/vague_fatalities.tsv");
const SOURCE_SCALE_TEXT: &str = include_str!("../../../data/export/source_scale.tsv");
const GOVERNORATES_TEXT: &str = include_str!("../../../data/gazetteer/admin.tsv");

/// ACLED's source scales, ordered from the narrowest to the widest; a pair is written
/// narrowest first (`Subnational-National`), with `Other` and `New media` before the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceScale {
    /// Other sources (organisations, unclassified).
    Other,
    /// Social media and new media.
    NewMedia,
    /// Local sources (residents, local activists, witnesses).
    Local,
    /// Sources covering part of the country.
    Subnational,
    /// National outlets and official statements.
    National,
    /// Regional outlets.
    Regional,
    /// International outlets and agencies.
    International,
}

impl SourceScale {
    /// Every scale, narrowest first.
    pub const ALL: &'static [SourceScale] = &[
        SourceScale::Other,
        SourceScale::NewMedia,
        SourceScale::Local,
        SourceScale::Subnational,
        SourceScale::National,
        SourceScale::Regional,
        SourceScale::International,
    ];

    /// The name as ACLED writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceScale::Other => "Other",
            SourceScale::NewMedia => "New media",
            SourceScale::Local => "Local",
            SourceScale::Subnational => "Subnational",
            SourceScale::National => "National",
            SourceScale::Regional => "Regional",
            SourceScale::International => "International",
        }
    }

    fn parse(name: &str) -> Option<SourceScale> {
        SourceScale::ALL
            .iter()
            .copied()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }
}

/// A governorate (admin1) with its OCHA P-code and names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Governorate {
    /// OCHA P-code, `SY01`..`SY14`.
    pub pcode: String,
    /// English name.
    pub name: String,
    /// Arabic name.
    pub name_ar: String,
}

/// The data-driven parts of the ACLED mapping.
///
/// - **Fatalities** ([`AcledConventions::fatalities`]): ACLED's conservative rule. The lowest
///   reported figure (`low` of the estimate); when the estimate is a range whose evidence holds
///   no digits but a vague word of `data/export/vague_fatalities.tsv` («عشرات» → 12, «مئات» →
///   100), that word's figure (the lowest, if several match); no fatalities → 0.
/// - **Source scale** ([`AcledConventions::source_scale`]): each source's scale from
///   `data/export/source_scale.tsv` (by kind and name, or kind and `*`); one scale is written
///   alone, several as the narrowest and widest joined by `-` (`Local-National`).
/// - **Governorates** ([`AcledConventions::governorate`]): English and Arabic names by P-code.
#[derive(Clone, Debug)]
pub struct AcledConventions {
    vague: Vec<(String, u64)>,
    scales: BTreeMap<(String, String), SourceScale>,
    governorates: BTreeMap<String, Governorate>,
}

impl Default for AcledConventions {
    fn default() -> AcledConventions {
        AcledConventions::new()
    }
}

impl AcledConventions {
    /// The built-in conventions.
    ///
    /// The built-in files are checked by this crate's tests; should one still fail to parse,
    /// the error is logged and the conventions are loaded from the rows that did parse.
    pub fn new() -> AcledConventions {
        match AcledConventions::from_data(&DataFiles::new()) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("built-in export data: {e}");
                AcledConventions::lenient(&DataFiles::new())
            }
        }
    }

    /// The conventions from the built-in files and a user's overrides
    /// (`export/vague_fatalities.tsv`, `export/source_scale.tsv`, `gazetteer/admin.tsv`).
    ///
    /// # Errors
    /// [`Error::Data`] naming `file:line` for a malformed row.
    pub fn from_data(files: &DataFiles) -> Result<AcledConventions, Error> {
        let mut out = AcledConventions::empty();
        let mut first_error = None;
        out.load(files, &mut |e| {
            first_error.get_or_insert(e);
        });
        match first_error {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    fn lenient(files: &DataFiles) -> AcledConventions {
        let mut out = AcledConventions::empty();
        out.load(files, &mut |e| tracing::warn!("skipped: {e}"));
        out
    }

    fn empty() -> AcledConventions {
        AcledConventions {
            vague: Vec::new(),
            scales: BTreeMap::new(),
            governorates: BTreeMap::new(),
        }
    }

    fn load(&mut self, files: &DataFiles, report: &mut dyn FnMut(Error)) {
        let bad = |origin: &str, line: usize, message: String| Error::Data {
            origin: origin.to_string(),
            line,
            message,
        };
        let mut vague = BTreeMap::new();
        for text in files.texts(VAGUE_FATALITIES, VAGUE_FATALITIES_TEXT) {
            for (line, fields) in tsv_rows(text.text) {
                match fields.as_slice() {
                    [word, n] if !word.is_empty() => match n.parse::<u64>() {
                        Ok(n) => {
                            vague.insert(fold_arabic(word), n);
                        }
                        Err(_) => report(bad(text.origin, line, format!("«{n}» is not a number"))),
                    },
                    _ => report(bad(
                        text.origin,
                        line,
                        "expected: word<TAB>fatalities".into(),
                    )),
                }
            }
        }
        self.vague = vague.into_iter().collect();
        for text in files.texts(SOURCE_SCALE, SOURCE_SCALE_TEXT) {
            for (line, fields) in tsv_rows(text.text) {
                match fields.as_slice() {
                    [kind, name, scale] if !kind.is_empty() && !name.is_empty() => {
                        match SourceScale::parse(scale) {
                            Some(s) => {
                                self.scales.insert((kind.to_string(), name.to_string()), s);
                            }
                            None => report(bad(
                                text.origin,
                                line,
                                format!("«{scale}» is not an ACLED source scale"),
                            )),
                        }
                    }
                    _ => report(bad(
                        text.origin,
                        line,
                        "expected: kind<TAB>name<TAB>scale".into(),
                    )),
                }
            }
        }
        for text in files.texts(GOVERNORATES, GOVERNORATES_TEXT) {
            for (line, fields) in tsv_rows(text.text) {
                // pcode, level, name_ar, aliases_ar, name_en, ...: governorates are level 1.
                match fields.as_slice() {
                    [pcode, level, name_ar, _, name, ..] if !pcode.is_empty() => {
                        if *level == "1" {
                            self.governorates.insert(
                                pcode.to_string(),
                                Governorate {
                                    pcode: pcode.to_string(),
                                    name: name.to_string(),
                                    name_ar: name_ar.to_string(),
                                },
                            );
                        }
                    }
                    _ => report(bad(
                        text.origin,
                        line,
                        "expected: pcode<TAB>level<TAB>name_ar<TAB>aliases_ar<TAB>name_en…".into(),
                    )),
                }
            }
        }
    }

    /// The `fatalities` figure ACLED would record for this event (see the type's docs).
    ///
    /// When the event has no `fatalities` but its `count` counts the killed, the count is used.
    pub fn fatalities(&self, event: &Event) -> u64 {
        let (estimate, field): (Estimate, &str) = match (event.fatalities, event.count) {
            (Some(e), _) => (e, "fatalities"),
            (None, Some(c)) if c.what == CountWhat::Killed => (c.estimate(), "count"),
            _ => return 0,
        };
        let low = estimate.low.min(estimate.best);
        if estimate.low >= estimate.high {
            return low;
        }
        let texts: Vec<&str> = event
            .evidence
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.text.as_str())
            .collect();
        if texts.is_empty() || texts.iter().any(|t| t.chars().any(is_digit)) {
            return low;
        }
        texts
            .iter()
            .filter_map(|t| self.vague_figure(t))
            .min()
            .unwrap_or(low)
    }

    /// The lowest figure of the vague words in `text`, if any.
    pub fn vague_figure(&self, text: &str) -> Option<u64> {
        let folded = fold_arabic(text);
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .filter_map(|word| {
                self.lookup_vague(word).or_else(|| {
                    let mut chars = word.chars();
                    match chars.next() {
                        Some('و' | 'ف' | 'ب' | 'ل' | 'ك') => self.lookup_vague(chars.as_str()),
                        _ => None,
                    }
                })
            })
            .min()
    }

    fn lookup_vague(&self, word: &str) -> Option<u64> {
        self.vague
            .binary_search_by(|(w, _)| w.as_str().cmp(word))
            .ok()
            .and_then(|i| self.vague.get(i))
            .map(|(_, n)| *n)
    }

    /// The scale of one source, by kind and name, else by kind; unknown kinds are `Other`.
    pub fn scale_of(&self, source: &SourceRef) -> SourceScale {
        self.scales
            .get(&(source.kind.clone(), source.name.clone()))
            .or_else(|| self.scales.get(&(source.kind.clone(), "*".to_string())))
            .copied()
            .unwrap_or(SourceScale::Other)
    }

    /// ACLED's `source_scale` of a list of sources (empty when there are none).
    pub fn source_scale(&self, sources: &[SourceRef]) -> String {
        let mut scales: Vec<SourceScale> = sources.iter().map(|s| self.scale_of(s)).collect();
        scales.sort();
        scales.dedup();
        match scales.as_slice() {
            [] => String::new(),
            [one] => one.as_str().to_string(),
            [first, .., last] => format!("{}-{}", first.as_str(), last.as_str()),
        }
    }

    /// The governorate with this P-code.
    pub fn governorate(&self, pcode: &str) -> Option<&Governorate> {
        self.governorates.get(pcode)
    }

    /// Every known governorate, by P-code.
    pub fn governorates(&self) -> impl Iterator<Item = &Governorate> {
        self.governorates.values()
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

/// Folds the spelling variants that do not change an Arabic word: diacritics and tatweel are
/// removed, alef forms become bare alef, ta marbuta becomes ha, alef maqsura becomes ya.
/// («عدّة» and «عده» both fold to «عده».)
fn fold_arabic(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            other => other,
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;
    use rasd_core::data::tsv_rows;

    fn check_sorted_unique(text: &str, key_cols: usize) {
        let keys: Vec<Vec<&str>> = tsv_rows(text)
            .map(|(_, f)| f.into_iter().take(key_cols).collect())
            .collect();
        for pair in keys.windows(2) {
            assert!(
                pair[0] < pair[1],
                "rows not sorted and unique: {:?} then {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn data_files_are_sorted_unique_and_parse() {
        check_sorted_unique(VAGUE_FATALITIES_TEXT, 1);
        check_sorted_unique(SOURCE_SCALE_TEXT, 2);
        let c = AcledConventions::from_data(&DataFiles::new()).unwrap();
        assert_eq!(c.governorates().count(), 14);
        assert_eq!(c.governorate("SY12").unwrap().name_ar, "درعا");
    }

    #[test]
    fn vague_words_match_as_whole_words_with_a_proclitic() {
        let c = AcledConventions::new();
        assert_eq!(c.vague_figure("سقوط عشرات القتلى"), Some(12));
        assert_eq!(c.vague_figure("مقتل العشرات"), Some(12));
        assert_eq!(
            c.vague_figure("وبمئات"),
            None,
            "two proclitics are not split"
        );
        assert_eq!(c.vague_figure("ومئات الجرحى"), Some(100));
        assert_eq!(
            c.vague_figure("عدّة قتلى"),
            Some(10),
            "a shadda does not hide the word"
        );
        assert_eq!(
            c.vague_figure("عدد قليل من القتلى"),
            Some(3),
            "the lowest figure wins"
        );
        assert_eq!(
            c.vague_figure("قصف قاعدة عسكرية"),
            None,
            "«قاعدة» holds «عدة» but is not it"
        );
    }

    #[test]
    fn user_rows_are_checked_and_extend_the_built_in_ones() {
        let mut files = DataFiles::new();
        files.add_override(SOURCE_SCALE, "outlet\tEnab Baladi\tSubnational\n");
        let c = AcledConventions::from_data(&files).unwrap();
        let src = |kind: &str, name: &str| SourceRef {
            name: name.into(),
            name_ar: None,
            kind: kind.into(),
            doc_id: "d".into(),
        };
        assert_eq!(
            c.source_scale(&[src("outlet", "Enab Baladi")]),
            "Subnational"
        );
        assert_eq!(
            c.source_scale(&[
                src("outlet", "Enab Baladi"),
                src("agency", "AFP"),
                src("local", "x")
            ]),
            "Local-International"
        );
        assert_eq!(c.source_scale(&[]), "");
        assert_eq!(c.source_scale(&[src("rumour", "x")]), "Other");

        let mut files = DataFiles::new();
        files.add_override(VAGUE_FATALITIES, "# x\nعشرات\tmany\n");
        let err = AcledConventions::from_data(&files).unwrap_err().to_string();
        assert_eq!(err, "export/vague_fatalities.tsv:2: «many» is not a number");
    }
}
