//! Cue words (`cues.tsv`) and traps (`traps.tsv`, `common_words.tsv`).

use crate::data::rows;
use crate::Error;
use rasd_arabic::normalize_key;
use rasd_core::DataFiles;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What a cue word before a name says (see `data/gazetteer/cues.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CueKind {
    /// «مدينة», «بلدة», «قرية», «حي», «مخيم»: a town, village or neighbourhood.
    Settlement,
    /// «محافظة»: the governorate.
    Governorate,
    /// «منطقة»: the district of that name.
    District,
    /// «ناحية»: the subdistrict of that name.
    Subdistrict,
    /// «ريف»: the countryside of a place.
    Rural,
    /// «قرب», «أطراف», «محيط»: near the place.
    Near,
    /// «شمال», «غربي»: north/west... of the place.
    Direction,
    /// «في», «من», «إلى»: weak support.
    Preposition,
    /// «أهالي», «فصائل», «مناطق»: prefers the governorate (weak support).
    Area,
    /// «الشمالي» after «ريف X».
    Suffix,
    /// «طريق», «أوتوستراد»: the place ends a road the event is on (precision 2).
    Road,
    /// «أبناء»: the home town of people the report names, not where the event is (weak, like
    /// `Area`).
    Origin,
    /// «شارع», «ساحة», «دوار»: a street or square named after a place («شارع بغداد» in
    /// Damascus), which is not that place.
    Street,
    /// «شبكة أخبار», «تنسيقية», «إذاعة»: an outlet or body named after a place («شبكة أخبار
    /// دمشق»), which is not where anything it reports happened.
    Namesake,
}

impl CueKind {
    fn parse(name: &str) -> Option<CueKind> {
        Some(match name {
            "settlement" => CueKind::Settlement,
            "governorate" => CueKind::Governorate,
            "district" => CueKind::District,
            "subdistrict" => CueKind::Subdistrict,
            "rural" => CueKind::Rural,
            "near" => CueKind::Near,
            "direction" => CueKind::Direction,
            "preposition" => CueKind::Preposition,
            "area" => CueKind::Area,
            "suffix" => CueKind::Suffix,
            "road" => CueKind::Road,
            "origin" => CueKind::Origin,
            "street" => CueKind::Street,
            "namesake" => CueKind::Namesake,
            _ => return None,
        })
    }

    /// True for cues that are enough on their own to accept a name.
    pub fn is_strong(self) -> bool {
        !matches!(
            self,
            CueKind::Preposition
                | CueKind::Area
                | CueKind::Origin
                | CueKind::Suffix
                | CueKind::Street
                | CueKind::Namesake
        )
    }

    /// True for cues that put the event near the place rather than in it.
    pub fn is_near(self) -> bool {
        matches!(self, CueKind::Near | CueKind::Direction | CueKind::Road)
    }
}

/// What a trap entry makes of a name (see `data/gazetteer/traps.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// «أبو», «ابن»: the next name is a person's.
    Kunya,
    /// «القيادي», «العقيد»: the next name is a person's.
    Title,
    /// A family name: the name before it is a first name.
    Family,
    /// A common word or first name: needs a strong cue.
    Common,
    /// A multi-word name of something else that hides the place inside it.
    Phrase,
}

impl TrapKind {
    fn parse(name: &str) -> Option<TrapKind> {
        Some(match name {
            "kunya" => TrapKind::Kunya,
            "title" => TrapKind::Title,
            "family" => TrapKind::Family,
            "common" => TrapKind::Common,
            "phrase" => TrapKind::Phrase,
            _ => return None,
        })
    }
}

/// Cue phrases and trap words, normalized.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    /// Normalized cue phrase → kind.
    pub cues: HashMap<String, CueKind>,
    /// The most words in a cue phrase.
    pub cue_words: usize,
    /// Normalized single words that make the next name a person's.
    pub person_before: HashSet<String>,
    /// Normalized family names.
    pub family: HashSet<String>,
    /// Normalized names that are common words.
    pub common: HashSet<String>,
    /// Normalized phrases that hide a place name.
    pub phrases: Vec<String>,
}

impl Lexicon {
    pub(crate) fn load(files: &DataFiles) -> Result<Lexicon, Error> {
        let mut lex = Lexicon::default();
        for row in rows(files, "gazetteer/cues.tsv", Some(0)) {
            let form = normalize_key(row.field(0, "cue_ar")?);
            let kind = row.field(1, "kind")?;
            let kind = CueKind::parse(kind)
                .ok_or_else(|| row.error(format!("unknown cue kind «{kind}»")))?;
            lex.cue_words = lex.cue_words.max(form.split(' ').count());
            lex.cues.insert(form, kind);
        }
        for row in rows(files, "gazetteer/traps.tsv", Some(0)) {
            let form = normalize_key(row.field(0, "form_ar")?);
            let kind = row.field(1, "kind")?;
            let kind = TrapKind::parse(kind)
                .ok_or_else(|| row.error(format!("unknown trap kind «{kind}»")))?;
            match kind {
                TrapKind::Kunya | TrapKind::Title => {
                    lex.person_before.insert(form);
                }
                TrapKind::Family => {
                    lex.family.insert(form);
                }
                TrapKind::Common => {
                    lex.common.insert(form);
                }
                TrapKind::Phrase => lex.phrases.push(form),
            }
        }
        for row in rows(files, "gazetteer/common_words.tsv", Some(0)) {
            lex.common.insert(normalize_key(row.field(0, "word")?));
        }
        Ok(lex)
    }
}
