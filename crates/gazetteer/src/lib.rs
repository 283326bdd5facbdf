//! Syria's places and how rasd finds them in Arabic reports.
//!
//! - [`Gazetteer`] holds every place: the 14 governorates, 62 districts and 272 subdistricts
//!   (OCHA 2020 P-codes), 5,251 populated places and the Damascus neighbourhoods (OCHA 2015),
//!   and reviewed extras (landmarks, regions such as «ريف درعا الشرقي» or «الجيدور», Daraa
//!   neighbourhoods, foreign places), with Arabic names and aliases, the admin hierarchy,
//!   coordinates and a rank. The data lives in `data/gazetteer/` (see its `NOTICE`), is
//!   compiled in ([`Gazetteer::builtin`]) and extended by a user's files ([`Gazetteer::load`]).
//! - [`Gazetteer::find`] reads a report and returns [`PlaceMention`]s: where a place is named
//!   (a [`rasd_core::Span`] of the original text), which [`Place`] it is, the precision of the
//!   event's location, the cue words and the reason, for `rasd explain`.
//! - [`Gazetteer::lookup`] lists the candidates for a name (`rasd places QUERY`), printed as
//!   JSON lines ([`Place`] is `Serialize`) or by [`places_table`]; [`Gazetteer::explain`]
//!   writes one line per mention for `rasd explain`.
//!
//! # Matching
//! Every name and alias is normalized with [`rasd_arabic::normalize_key`] and put into one
//! Aho-Corasick automaton with `MatchKind::LeftmostLongest`. The report's normalized text is
//! read word by word; at each word the search is anchored at the word's start and after each
//! admissible proclitic split (و ف ب ل ك ال and their stacks, from `data/arabic`), and a match
//! must end at the end of a word. The longest match wins («بصرى الشام» over «بصرى», «دير
//! الزور» over «دير»), and matching resumes after it. «في», «من», «إلى» are separate words and
//! read as cues. A name that starts with «ال» is also found after a proclitic ending in the
//! article («للرقة»). Multi-word phrases of `traps.tsv` («تلفزيون سوريا», «جيش اليرموك») are
//! matched the same way and hide the place inside them.
//!
//! # Accepting a name
//! Many names are also words or people's names («نمر», «حضر», «صور», «جاسم»). A name is
//! rejected when a kunya or title stands right before it («أبو علي», «القيادي نمر») or a family
//! name right after it («نمر المقداد»). Otherwise it is accepted when:
//! 1. a strong cue stands before it (`cues.tsv`: «مدينة», «بلدة», «قرية», «حي», «محافظة»,
//!    «ريف», «قرب», «أطراف», «محيط», «شمال», «غربي» ...), or the previous name of a list
//!    («مدينتي حلب وحماة») has one;
//! 2. it is a common word (`common_words.tsv`, traps marked `common`) or a one-word name of at
//!    most [`SHORT_NAME_LETTERS`] letters that names no prominent place («نوى» but not
//!    «حمص»), and has a weak cue («في», «من», the proclitic «ب», or an accepted neighbour in a
//!    list) **and** a place of the same district, or its governorate, within [`NEARBY_BYTES`];
//! 3. it is not a common word and is safe: several words, a governorate, district, region,
//!    landmark or foreign place, a capital or district seat, or one word of at least
//!    [`LONG_NAME_LETTERS`] letters whose places all lie in one district;
//! 4. it is not a common word and has a weak cue, or another accepted place of the same
//!    governorate is named within [`NEARBY_BYTES`];
//! 5. it is listed with a name that may be a place of the same district («الهامة وقدسيا»):
//!    two such names support each other.
//!
//! A name that starts with a kunya («أبو زريق», «أم ولد») counts as a common word, and a name
//! with «و» on it («ووسط») takes no cue from the words before it, which belong to the previous
//! conjunct; it may take over the previous name's kind cue instead.
//!
//! # Resolving homonyms
//! A cue narrows the kind («محافظة درعا» is the governorate, «مدينة درعا» the city; with no
//! cue a town comes before an admin unit of the same name). Between places of the same kind,
//! the one that fits the report wins: accepted places of the same district or governorate,
//! nearer ones counting more, and most of all its governorate or capital named; then rank.
//! So «نوى» is the town in Daraa when Daraa is named, and «صيدا» the Daraa village, not
//! Sidon, among other Daraa places.
//!
//! # Precision (ACLED's `geo_precision`)
//! A town, neighbourhood or landmark named plainly: 1. Near it («قرب», «شمال مدينة»,
//! «غربي أوتوستراد درعا – دمشق»): 2, keeping the anchor place. A district or subdistrict, or
//! a small region («الجيدور», «وادي بردى»): 2. A governorate, or a large region («حوران»,
//! «ريف درعا الشرقي», «الجنوب السوري»): 3, coded to the governorate's capital or the region's
//! representative point. «ريف X» is X's governorate with 3 when X is a governorate or its
//! capital, and X with 2 otherwise. Relative names («المحافظة», «الريف الغربي», «المنطقة
//! الشرقية من المحافظة», «مركز المحافظة») take the governorate of the nearest accepted place:
//! the region of that direction when the data has one, else the governorate (3); its capital
//! (1) for «مركز المحافظة».
//!
//! # Example
//! ```
//! use rasd_gazetteer::{Gazetteer, PlaceKind};
//! let gaz = Gazetteer::builtin().unwrap();
//! let text = "اشتباكات في مدينة نوى بريف درعا الغربي";
//! let found = gaz.find(text, &rasd_arabic::normalize(text));
//! let nawa = gaz.place(found[0].place);
//! assert_eq!((&text[found[0].span], nawa.admin1_pcode.as_deref()), ("نوى", Some("SY12")));
//! assert_eq!(gaz.place(found[1].place).kind, PlaceKind::Region);
//! ```
#![deny(missing_docs)]

mod data;
mod find;
mod gazetteer;
mod lexicon;
mod place;
mod render;

#[cfg(test)]
mod tests;

pub use data::BUILTIN;
pub use find::{PlaceMention, RejectedName, LONG_NAME_LETTERS, NEARBY_BYTES, SHORT_NAME_LETTERS};
pub use gazetteer::{CountryChoice, Gazetteer, SYRIA};
pub use lexicon::{CueKind, TrapKind};
pub use place::{Country, Direction, Place, PlaceId, PlaceKind, Relative};
pub use render::places_table;

/// Errors of the gazetteer: bad rows in its data files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A data file row that cannot be read.
    #[error("{origin}:{line}: {message}")]
    Data {
        /// The file (`data/gazetteer/NAME` or the user's path).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the row.
        message: String,
    },
    /// The proclitic data of `rasd-arabic` could not be loaded.
    #[error("proclitics: {0}")]
    Arabic(String),
    /// The matcher could not be built from the names.
    #[error("building the name matcher: {0}")]
    Automaton(String),
    /// The built-in data failed to load (the message of the first error).
    #[error("built-in gazetteer: {0}")]
    Builtin(String),
}
