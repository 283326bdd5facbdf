//! Loading the places, their names and the matcher.

use crate::data::{rows, Row};
use crate::lexicon::Lexicon;
use crate::place::{Country, Direction, Place, PlaceId, PlaceKind, Relative};
use crate::Error;
use aho_corasick::{AhoCorasick, MatchKind, StartKind};
use rasd_arabic::{normalize_key, Clitics};
use rasd_core::{DataFiles, GeoPrecision};
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The Arabic definite article, as normalized.
pub(crate) const ARTICLE: &str = "ال";

/// Syria's ISO 3166-1 alpha-2 code: the country of every P-coded place.
pub const SYRIA: &str = "SY";

/// One normalized name and the places it names.
#[derive(Debug)]
pub(crate) struct Name {
    /// The normalized form.
    pub key: String,
    /// The places it names (empty for a trap phrase).
    pub places: Vec<PlaceId>,
    /// A common word or first name (`common_words.tsv`, `traps.tsv` common).
    pub common: bool,
    /// A family name (`traps.tsv` family).
    pub family: bool,
    /// A trap phrase: matched only to hide the place names inside it.
    pub phrase: bool,
    /// A well-known person's name (`people.tsv`): no place without a settlement cue.
    pub person: bool,
    /// The country a passage that uses this word is about (`country_words.tsv`: an adjective,
    /// a people or a party of one country), as ISO alpha-2.
    pub scope: Option<String>,
    /// A place's name of several words that says Syria («الساحل السوري»).
    pub syrian: bool,
    /// Letters, not counting spaces or a leading article.
    pub letters: usize,
    /// Words.
    pub words: usize,
}

/// All places, names and aliases, the cue and trap words, and the automaton that finds names
/// in normalized text.
///
/// The built-in data is compiled in ([`Gazetteer::builtin`]); [`Gazetteer::load`] adds a
/// user's files. See the crate docs for how [`Gazetteer::find`] matches and resolves.
pub struct Gazetteer {
    pub(crate) places: Vec<Place>,
    pub(crate) by_key: HashMap<String, PlaceId>,
    pub(crate) names: Vec<Name>,
    pub(crate) name_index: HashMap<String, u32>,
    /// The longest name, in bytes.
    pub(crate) longest_name: usize,
    pub(crate) automaton: AhoCorasick,
    /// The first words of the names (up to the first character that ends a word): a stem that
    /// is none of them starts no name, and the automaton is not searched from it.
    pub(crate) first_words: HashSet<String>,
    pub(crate) lexicon: Lexicon,
    pub(crate) clitics: Clitics,
    /// Governorate P-code → its place.
    pub(crate) governorates: HashMap<String, PlaceId>,
    /// Governorate P-code → its capital.
    pub(crate) capitals: HashMap<String, PlaceId>,
    /// (Governorate P-code, direction) → the region of that part («ريف درعا الغربي»).
    pub(crate) parts: HashMap<(String, Direction), PlaceId>,
    /// The countries, sorted by ISO alpha-2.
    pub(crate) countries: Vec<Country>,
    /// ISO alpha-2 → index in `countries`.
    pub(crate) country_index: HashMap<String, usize>,
    /// Neighbourhood → the city or town it is part of.
    pub(crate) towns: HashMap<PlaceId, PlaceId>,
    /// This gazetteer's number, unique in the process: what a thread's cache of name starts
    /// was worked out with ([`crate::find`]).
    pub(crate) id: u64,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("names", &self.names.len())
            .finish()
    }
}

/// True for a character that [`normalize_key`] leaves as it is: Arabic letters other than the
/// alef forms, alef maqsura, ta marbuta and tatweel that it folds or drops, ASCII lowercase
/// letters and digits, and `-`. (A test checks every one of them against the normalizer.)
pub(crate) fn is_stable(c: char) -> bool {
    matches!(c, '\u{0621}' | '\u{0624}' | '\u{0626}'..='\u{0628}' | '\u{062A}'..='\u{063A}'
        | '\u{0641}'..='\u{0648}' | '\u{064A}' | 'a'..='z' | '0'..='9' | '-')
}

/// The normalized form of a name from a data file: [`normalize_key`], skipped for the common
/// case of a form that is already normalized (single spaces between stable characters), which
/// keeps loading fast.
pub(crate) fn fold(form: &str) -> Cow<'_, str> {
    let stable = !form.starts_with(' ')
        && !form.ends_with(' ')
        && !form.contains("  ")
        && form.chars().all(|c| c == ' ' || is_stable(c));
    if stable {
        Cow::Borrowed(form)
    } else {
        Cow::Owned(normalize_key(form))
    }
}

/// The admin unit names and codes a place inherits.
#[derive(Clone, Default)]
struct Hierarchy {
    a1: Option<String>,
    a2: Option<String>,
    a3: Option<String>,
}

/// What distinguishes a P-coded row (an admin unit or a populated place) from the others.
struct Coded {
    kind: PlaceKind,
    hierarchy: Hierarchy,
    rank: u32,
    precision: GeoPrecision,
}

/// A place from a P-coded row: `pcode`, `name_ar` (column 2), `aliases_ar` (3), `name_en` (4),
/// and the latitude and longitude in columns `lat` and `lat + 1`. Returns the place and every
/// name it is matched by.
fn coded_place(
    row: &Row<'_>,
    id: PlaceId,
    pcode: &str,
    coded: Coded,
    lat: usize,
) -> Result<(Place, Vec<String>), Error> {
    let name_ar = row.field(2, "name_ar")?.to_string();
    let aliases: Vec<String> = row
        .list(3, "aliases_ar")?
        .into_iter()
        .map(String::from)
        .collect();
    let mut names = vec![name_ar.clone()];
    names.extend(aliases.iter().cloned());
    let place = Place {
        id,
        key: pcode.to_string(),
        pcode: Some(pcode.to_string()),
        name_en: row.field(4, "name_en")?.to_string(),
        name_ar,
        aliases_ar: aliases,
        kind: coded.kind,
        admin1: None,
        admin2: None,
        admin3: None,
        admin1_pcode: coded.hierarchy.a1,
        admin2_pcode: coded.hierarchy.a2,
        admin3_pcode: coded.hierarchy.a3,
        latitude: row.number(lat, "lat")?,
        longitude: row.number(lat + 1, "lon")?,
        rank: coded.rank,
        foreign: false,
        country: SYRIA.to_string(),
        precision: coded.precision,
        relative: None,
        direction: None,
    };
    Ok((place, names))
}

/// Every name that opens with a word of `joined_prefixes.tsv` and a space, written joined
/// («كفر زيتا» → «كفرزيتا»), for the same place.
fn joined_forms(
    files: &DataFiles,
    forms: &[(String, PlaceId)],
) -> Result<Vec<(String, PlaceId)>, Error> {
    let mut prefixes = Vec::new();
    for row in rows(files, "gazetteer/joined_prefixes.tsv", Some(0)) {
        prefixes.push(format!("{} ", row.field(0, "prefix_ar")?));
    }
    Ok(forms
        .iter()
        .filter_map(|(form, id)| {
            let prefix = prefixes.iter().find(|p| form.starts_with(p.as_str()))?;
            let rest = &form[prefix.len()..];
            // A prefix before a multi-word rest («كفر بطنا الغربية») joins its first word only.
            (!rest.is_empty()).then(|| (format!("{}{rest}", prefix.trim_end()), *id))
        })
        .collect())
}

/// Each neighbourhood's town: the most prominent community of its subdistrict that is a seat
/// (a city's neighbourhoods lie in the subdistrict the city is the seat of), the nearest one
/// on a tie.
fn towns_of_neighbourhoods(places: &[Place]) -> HashMap<PlaceId, PlaceId> {
    let mut seats: HashMap<&str, Vec<&Place>> = HashMap::default();
    for p in places {
        if p.kind == PlaceKind::Community && p.rank <= 3 {
            if let Some(a3) = &p.admin3_pcode {
                seats.entry(a3.as_str()).or_default().push(p);
            }
        }
    }
    let mut towns = HashMap::default();
    for n in places.iter().filter(|p| p.kind == PlaceKind::Neighbourhood) {
        let Some(candidates) = n.admin3_pcode.as_deref().and_then(|a3| seats.get(a3)) else {
            continue;
        };
        let distance = |p: &Place| (p.latitude - n.latitude).hypot(p.longitude - n.longitude);
        let town = candidates.iter().min_by(|a, b| {
            a.rank
                .cmp(&b.rank)
                .then(distance(a).total_cmp(&distance(b)))
        });
        if let Some(town) = town {
            towns.insert(n.id, town.id);
        }
    }
    towns
}

fn parse_precision(row: &Row<'_>, i: usize) -> Result<GeoPrecision, Error> {
    let code: u8 = row.number(i, "geo_precision")?;
    GeoPrecision::from_code(code)
        .ok_or_else(|| row.error(format!("geo_precision {code} is not 1, 2 or 3")))
}

impl Gazetteer {
    /// The gazetteer of the built-in data, loaded once on first use.
    ///
    /// # Errors
    /// When the built-in data is malformed (a bug the crate's tests catch).
    pub fn builtin() -> Result<&'static Gazetteer, Error> {
        static BUILTIN: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Gazetteer::load(&DataFiles::new()).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Builtin(e.clone()))
    }

    /// The built-in data extended or replaced by the user's files (`gazetteer/places.tsv`,
    /// `gazetteer/extra_places.tsv`, `gazetteer/aliases.tsv`, `gazetteer/cues.tsv`, ...): a
    /// user's row with the key of a built-in row replaces it.
    ///
    /// # Errors
    /// A malformed row names its file and line; a reference to an unknown place names it too.
    pub fn load(files: &DataFiles) -> Result<Gazetteer, Error> {
        let lexicon = Lexicon::load(files)?;
        let clitics = Clitics::from_data(files).map_err(|e| Error::Arabic(e.to_string()))?;
        let mut places: Vec<Place> = Vec::new();
        let mut by_key: HashMap<String, PlaceId> = HashMap::default();
        let mut admin_en: HashMap<String, String> = HashMap::default();
        let mut seats: Vec<(String, String)> = Vec::new();
        let mut forms: Vec<(String, PlaceId)> = Vec::new();
        let country_rows = rows(files, "gazetteer/countries.tsv", Some(0));
        let mut iso2s: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for row in &country_rows {
            iso2s.insert(row.field(0, "iso2")?);
        }

        fn push(
            place: Place,
            names: Vec<String>,
            places: &mut Vec<Place>,
            by_key: &mut HashMap<String, PlaceId>,
            forms: &mut Vec<(String, PlaceId)>,
        ) {
            let id = place.id;
            by_key.insert(place.key.clone(), id);
            for n in names {
                forms.push((n, id));
            }
            places.push(place);
        }

        // Admin units.
        let mut hierarchy: HashMap<String, Hierarchy> = HashMap::default();
        let admin_rows = rows(files, "gazetteer/admin.tsv", Some(0));
        for row in &admin_rows {
            admin_en.insert(
                row.field(0, "pcode")?.to_string(),
                row.field(4, "name_en")?.to_string(),
            );
        }
        for row in &admin_rows {
            let pcode = row.field(0, "pcode")?;
            let level: u8 = row.number(1, "level")?;
            let kind = match level {
                1 => PlaceKind::Governorate,
                2 => PlaceKind::District,
                3 => PlaceKind::Subdistrict,
                _ => return Err(row.error(format!("level {level} is not 1, 2 or 3"))),
            };
            let h = Hierarchy {
                a1: Some(pcode[..4.min(pcode.len())].to_string()),
                a2: (level >= 2).then(|| pcode[..6.min(pcode.len())].to_string()),
                a3: (level >= 3).then(|| pcode.to_string()),
            };
            hierarchy.insert(pcode.to_string(), h.clone());
            if let Some(seat) = row.optional(8, "seat_pcode")? {
                if level == 1 {
                    seats.push((pcode.to_string(), seat.to_string()));
                }
            }
            let precision = if level == 1 {
                GeoPrecision::Region
            } else {
                GeoPrecision::Near
            };
            let coded = Coded {
                kind,
                hierarchy: h,
                rank: u32::from(level),
                precision,
            };
            let (place, names) = coded_place(row, PlaceId(places.len() as u32), pcode, coded, 6)?;
            push(place, names, &mut places, &mut by_key, &mut forms);
        }

        // Populated places and neighbourhoods.
        for row in rows(files, "gazetteer/places.tsv", Some(0)) {
            let pcode = row.field(0, "pcode")?;
            let kind_name = row.field(1, "kind")?;
            let kind = PlaceKind::parse(kind_name)
                .filter(|k| matches!(k, PlaceKind::Community | PlaceKind::Neighbourhood))
                .ok_or_else(|| {
                    row.error(format!(
                        "kind «{kind_name}» is not community or neighbourhood"
                    ))
                })?;
            let h = Hierarchy {
                a3: Some(row.field(5, "adm3_pcode")?.to_string()),
                a2: Some(row.field(6, "adm2_pcode")?.to_string()),
                a1: Some(row.field(7, "adm1_pcode")?.to_string()),
            };
            for code in [&h.a1, &h.a2, &h.a3].into_iter().flatten() {
                if !admin_en.contains_key(code) {
                    return Err(row.error(format!("admin P-code {code} is not in admin.tsv")));
                }
            }
            let rank = match row.optional(10, "capital_level")? {
                Some(_) => row.number(10, "capital_level")?,
                None => 4,
            };
            let coded = Coded {
                kind,
                hierarchy: h,
                rank,
                precision: GeoPrecision::Place,
            };
            let (place, names) = coded_place(&row, PlaceId(places.len() as u32), pcode, coded, 8)?;
            push(place, names, &mut places, &mut by_key, &mut forms);
        }

        // Extra places.
        for row in rows(files, "gazetteer/extra_places.tsv", Some(0)) {
            let key = row.field(0, "key")?;
            let kind_name = row.field(1, "kind")?;
            let kind = PlaceKind::parse(kind_name)
                .filter(|k| !k.is_admin())
                .ok_or_else(|| {
                    row.error(format!("kind «{kind_name}» is not a kind of extra place"))
                })?;
            let within = row.optional(5, "within")?;
            let country = match (kind, within) {
                (PlaceKind::Foreign, Some(cc)) if iso2s.contains(cc) => cc,
                (PlaceKind::Foreign, _) => {
                    return Err(row.error(
                        "a foreign place's `within` must be its country's ISO alpha-2 code",
                    ))
                }
                _ => SYRIA,
            };
            let h = match within.filter(|_| kind != PlaceKind::Foreign) {
                None => Hierarchy::default(),
                Some(code) => match hierarchy.get(code) {
                    Some(h) => h.clone(),
                    None => {
                        let p = by_key
                            .get(code)
                            .map(|id| &places[id.index()])
                            .filter(|p| p.pcode.is_some())
                            .ok_or_else(|| {
                                row.error(format!("«{code}» (within) is not a known P-code"))
                            })?;
                        Hierarchy {
                            a1: p.admin1_pcode.clone(),
                            a2: p.admin2_pcode.clone(),
                            a3: p.admin3_pcode.clone(),
                        }
                    }
                },
            };
            let relative = match (
                row.optional(10, "relative")?,
                row.optional(11, "direction")?,
            ) {
                (None, _) => None,
                (Some("yes"), None) => Some(Relative::Governorate),
                (Some("yes"), Some("capital")) => Some(Relative::Capital),
                (Some("yes"), Some(d)) => Some(Relative::Part(
                    Direction::parse(d).ok_or_else(|| row.error(format!("direction «{d}»")))?,
                )),
                (Some(other), _) => {
                    return Err(row.error(format!("relative «{other}» is not yes or -")))
                }
            };
            let direction = match (relative, row.optional(11, "direction")?) {
                (None, Some(d)) => {
                    Some(Direction::parse(d).ok_or_else(|| row.error(format!("direction «{d}»")))?)
                }
                _ => None,
            };
            let name_ar = row.field(2, "name_ar")?.to_string();
            let aliases: Vec<String> = row
                .list(3, "aliases_ar")?
                .into_iter()
                .map(String::from)
                .collect();
            let mut names = vec![name_ar.clone()];
            names.extend(aliases.iter().cloned());
            let place = Place {
                id: PlaceId(places.len() as u32),
                key: key.to_string(),
                pcode: None,
                name_en: row.field(4, "name_en")?.to_string(),
                name_ar,
                aliases_ar: aliases,
                kind,
                admin1: None,
                admin2: None,
                admin3: None,
                admin1_pcode: h.a1,
                admin2_pcode: h.a2,
                admin3_pcode: h.a3,
                latitude: row.number(6, "lat")?,
                longitude: row.number(7, "lon")?,
                rank: row.number(9, "rank")?,
                foreign: kind == PlaceKind::Foreign,
                country: country.to_string(),
                precision: parse_precision(&row, 8)?,
                relative,
                direction,
            };
            if let Some(existing) = by_key.get(key) {
                return Err(row.error(format!(
                    "key «{key}» is also {}",
                    places[existing.index()].name_en
                )));
            }
            push(place, names, &mut places, &mut by_key, &mut forms);
        }

        // Countries, with the short names of `country_words.tsv`; then the scope words.
        let mut country_names: HashMap<String, Vec<String>> = HashMap::default();
        let mut scope_words: Vec<(String, String)> = Vec::new();
        for row in rows(files, "gazetteer/country_words.tsv", Some(0)) {
            let form = row.field(0, "form_ar")?;
            let cc = row.field(1, "country")?;
            if !iso2s.contains(cc) {
                return Err(row.error(format!("«{cc}» is not a country of countries.tsv")));
            }
            match row.field(2, "kind")? {
                "name" => country_names
                    .entry(cc.to_string())
                    .or_default()
                    .push(form.to_string()),
                "adjective" => scope_words.push((form.to_string(), cc.to_string())),
                other => return Err(row.error(format!("kind «{other}» is not name or adjective"))),
            }
        }
        let mut countries: Vec<Country> = Vec::new();
        for row in &country_rows {
            let iso2 = row.field(0, "iso2")?;
            let id = PlaceId(places.len() as u32);
            let name_ar = row.field(4, "name_ar")?.to_string();
            let aliases = country_names.remove(iso2).unwrap_or_default();
            let mut names = vec![name_ar.clone()];
            names.extend(aliases.iter().cloned());
            countries.push(Country {
                iso2: iso2.to_string(),
                iso_numeric: row.number(1, "iso_numeric")?,
                iso3: row.field(2, "iso3")?.to_string(),
                name_en: row.field(3, "name_en")?.to_string(),
                name_ar: name_ar.clone(),
                place: id,
            });
            let place = Place {
                name_en: row.field(3, "name_en")?.to_string(),
                name_ar,
                aliases_ar: aliases,
                latitude: row.number(5, "lat")?,
                longitude: row.number(6, "lon")?,
                ..Place::outside_admin(id, iso2, iso2, PlaceKind::Country, GeoPrecision::Region)
            };
            push(place, names, &mut places, &mut by_key, &mut forms);
        }
        countries.sort_by(|a, b| a.iso2.cmp(&b.iso2));
        let country_index: HashMap<String, usize> = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso2.clone(), i))
            .collect();

        // The world layer: cities and provinces abroad.
        let mut world_common: Vec<String> = Vec::new();
        for row in rows(files, "gazetteer/world.tsv", Some(0)) {
            let key = row.field(0, "key")?;
            let precision = match row.field(1, "kind")? {
                "city" => GeoPrecision::Place,
                "admin1" => GeoPrecision::Region,
                other => return Err(row.error(format!("kind «{other}» is not city or admin1"))),
            };
            let cc = row.field(2, "country")?;
            if !iso2s.contains(cc) {
                return Err(row.error(format!("«{cc}» is not a country of countries.tsv")));
            }
            if let Some(existing) = by_key.get(key) {
                return Err(row.error(format!(
                    "key «{key}» is also {}",
                    places[existing.index()].name_en
                )));
            }
            let name_ar = row.field(3, "name_ar")?.to_string();
            let aliases: Vec<String> = row
                .list(4, "aliases_ar")?
                .into_iter()
                .map(String::from)
                .collect();
            let mut names = vec![name_ar.clone()];
            names.extend(aliases.iter().cloned());
            if row.optional(9, "common")?.is_some() {
                world_common.extend(names.iter().filter(|n| !n.contains(' ')).cloned());
            }
            let id = PlaceId(places.len() as u32);
            let place = Place {
                name_en: row.field(5, "name_en")?.to_string(),
                name_ar,
                aliases_ar: aliases,
                latitude: row.number(6, "lat")?,
                longitude: row.number(7, "lon")?,
                rank: row.number(8, "rank")?,
                ..Place::outside_admin(id, key, cc, PlaceKind::Foreign, precision)
            };
            push(place, names, &mut places, &mut by_key, &mut forms);
        }

        // Reviewed aliases.
        for row in rows(files, "gazetteer/aliases.tsv", Some(0)) {
            let alias = row.field(0, "alias_ar")?;
            let target = row.field(1, "place")?;
            let id = *by_key
                .get(target)
                .ok_or_else(|| row.error(format!("«{target}» is not a known place key")))?;
            places[id.index()].aliases_ar.push(alias.to_string());
            forms.push((alias.to_string(), id));
        }

        for place in &mut places {
            place.admin1 = place
                .admin1_pcode
                .as_ref()
                .and_then(|c| admin_en.get(c).cloned());
            place.admin2 = place
                .admin2_pcode
                .as_ref()
                .and_then(|c| admin_en.get(c).cloned());
            place.admin3 = place
                .admin3_pcode
                .as_ref()
                .and_then(|c| admin_en.get(c).cloned());
        }
        let mut governorates = HashMap::default();
        for p in &places {
            if p.kind == PlaceKind::Governorate {
                if let Some(code) = &p.pcode {
                    governorates.insert(code.clone(), p.id);
                }
            }
        }
        let mut parts = HashMap::default();
        for p in &places {
            if let (Some(dir), None, Some(gov)) = (p.direction, p.relative, &p.admin1_pcode) {
                if p.kind == PlaceKind::Region {
                    parts.entry((gov.clone(), dir)).or_insert(p.id);
                }
            }
        }
        let mut capitals = HashMap::default();
        for (gov, seat) in seats {
            if let Some(&id) = by_key.get(&seat) {
                capitals.insert(gov, id);
            }
        }

        // Names.
        let mut names: Vec<Name> = Vec::new();
        let mut name_index: HashMap<String, u32> = HashMap::default();
        let mut name_of = |key: &str, names: &mut Vec<Name>| -> usize {
            if let Some(&i) = name_index.get(key) {
                return i as usize;
            }
            let body = key
                .strip_prefix(ARTICLE)
                .filter(|b| b.chars().count() >= 2)
                .unwrap_or(key);
            let name = Name {
                letters: body.chars().filter(|c| !c.is_whitespace()).count(),
                words: key.split(' ').count(),
                // A name that starts with a kunya («أبو زريق», «أم ولد») reads as a person's
                // name too.
                common: lexicon.common.contains(key)
                    || key
                        .split(' ')
                        .next()
                        .is_some_and(|w| key.contains(' ') && lexicon.person_before.contains(w)),
                family: lexicon.family.contains(key),
                phrase: false,
                person: false,
                scope: None,
                syrian: false,
                places: Vec::new(),
                key: key.to_string(),
            };
            name_index.insert(key.to_string(), names.len() as u32);
            names.push(name);
            names.len() - 1
        };
        let joined = joined_forms(files, &forms)?;
        for (form, id) in forms.into_iter().chain(joined) {
            let key = fold(&form);
            if key.is_empty() {
                continue;
            }
            let i = name_of(&key, &mut names);
            if !names[i].places.contains(&id) {
                names[i].places.push(id);
            }
        }
        for phrase in &lexicon.phrases {
            let i = name_of(phrase, &mut names);
            names[i].phrase = true;
        }
        for form in &world_common {
            let i = name_of(&fold(form), &mut names);
            names[i].common = true;
        }
        for (form, cc) in &scope_words {
            let i = name_of(&fold(form), &mut names);
            // An adjective that is also a place's name («السويدية») wants a cue like a word.
            names[i].common |= !names[i].places.is_empty();
            names[i].scope = Some(cc.clone());
        }
        // A place's name that says Syria («الساحل السوري», «جنوب سوريا») anchors a report in
        // Syria like the word itself.
        let syrian_words: std::collections::HashSet<String> = scope_words
            .iter()
            .filter(|(_, cc)| cc == SYRIA)
            .map(|(f, _)| fold(f).into_owned())
            .chain(
                places
                    .iter()
                    .filter(|p| p.kind == PlaceKind::Country && p.country == SYRIA)
                    .flat_map(|p| std::iter::once(&p.name_ar).chain(&p.aliases_ar))
                    .map(|f| fold(f).into_owned()),
            )
            .collect();
        for name in &mut names {
            if name.scope.is_none() && !name.places.is_empty() && name.words >= 2 {
                let says_syria = name.key.split(' ').any(|w| syrian_words.contains(w));
                name.syrian = says_syria;
            }
        }
        for row in rows(files, "gazetteer/people.tsv", Some(0)) {
            let key = fold(row.field(0, "name_ar")?);
            let i = name_of(&key, &mut names);
            names[i].person = true;
        }

        // The automaton: pattern i is name i.
        let texts: Vec<&str> = names.iter().map(|n| n.key.as_str()).collect();
        let longest_name = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&texts)
            .map_err(|e| Error::Automaton(e.to_string()))?;
        tracing::debug!(
            places = places.len(),
            names = names.len(),
            "gazetteer loaded"
        );
        let first_words = names
            .iter()
            .filter_map(|n| n.key.split(|c| !rasd_arabic::is_word_char(c)).next())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let towns = towns_of_neighbourhoods(&places);
        static GAZETTEERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Gazetteer {
            id: GAZETTEERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            places,
            by_key,
            names,
            name_index,
            longest_name,
            automaton,
            first_words,
            lexicon,
            clitics,
            governorates,
            capitals,
            parts,
            countries,
            country_index,
            towns,
        })
    }

    /// The city or town a neighbourhood is part of («الشيخ مقصود» → «حلب»); `None` for any
    /// other place. An incident told in two neighbourhoods of one city may be one event.
    pub fn town_of(&self, id: PlaceId) -> Option<&Place> {
        self.towns.get(&id).map(|&t| self.place(t))
    }

    /// The country with this ISO 3166-1 alpha-2 code (`SY`, `LB`).
    pub fn country(&self, iso2: &str) -> Option<&Country> {
        self.country_index.get(iso2).map(|&i| &self.countries[i])
    }

    /// Every country of the world layer, sorted by ISO alpha-2 code.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country filter a user names: `all`, or an English country name
    /// (case-insensitive), an ISO 3166-1 alpha-2, alpha-3 or numeric code of the world
    /// layer's countries; `None` for anything else.
    ///
    /// # Examples
    /// ```
    /// use rasd_gazetteer::{CountryChoice, Gazetteer};
    /// let gaz = Gazetteer::builtin().unwrap();
    /// assert_eq!(gaz.country_choice("lebanon"), Some(CountryChoice::Iso(422)));
    /// assert_eq!(gaz.country_choice("SYR"), Some(CountryChoice::Iso(760)));
    /// assert_eq!(gaz.country_choice("All"), Some(CountryChoice::All));
    /// assert_eq!(gaz.country_choice("Atlantis"), None);
    /// ```
    pub fn country_choice(&self, text: &str) -> Option<CountryChoice> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Some(CountryChoice::All);
        }
        self.countries
            .iter()
            .find(|c| {
                c.name_en.eq_ignore_ascii_case(t)
                    || c.iso2.eq_ignore_ascii_case(t)
                    || c.iso3.eq_ignore_ascii_case(t)
                    || t.parse::<u16>().is_ok_and(|n| n == c.iso_numeric)
            })
            .map(|c| CountryChoice::Iso(c.iso_numeric))
    }

    /// The country a place lies in.
    pub fn country_of(&self, place: &Place) -> Option<&Country> {
        self.country(&place.country)
    }

    /// The place with this id.
    ///
    /// # Panics
    /// When the id does not come from this gazetteer.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.index()]
    }

    /// All places, in id order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with this data key (a P-code, or the key of an extra place).
    pub fn by_key(&self, key: &str) -> Option<&Place> {
        self.by_key.get(key).map(|&id| self.place(id))
    }

    /// The governorate with this P-code (`SY01`..`SY14`).
    pub fn governorate(&self, pcode: &str) -> Option<&Place> {
        self.governorates.get(pcode).map(|&id| self.place(id))
    }

    /// The candidates for a name as a user types it (`rasd places QUERY`): every place whose
    /// name or alias is the query once normalized, or, failing that, the query without its
    /// proclitics («بدرعا» → «درعا»). Sorted by rank, then id.
    ///
    /// # Examples
    /// ```
    /// use rasd_gazetteer::Gazetteer;
    /// let gaz = Gazetteer::builtin().unwrap();
    /// let nawa: Vec<_> = gaz.lookup("نوى").iter().map(|p| p.admin1_pcode.clone().unwrap()).collect();
    /// assert!(nawa.contains(&"SY12".to_string()) && nawa.len() >= 3);
    /// ```
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        let key = normalize_key(name);
        let mut ids: Vec<PlaceId> = self.ids_for(&key);
        if ids.is_empty() && !key.contains(' ') {
            for (_, stem) in self.clitics.stems(&key).into_iter().skip(1) {
                ids = self.ids_for(stem);
                if ids.is_empty() {
                    if let Some(rest) = stem.strip_prefix(ARTICLE) {
                        ids = self.ids_for(rest);
                    }
                }
                if !ids.is_empty() {
                    break;
                }
            }
        }
        let mut out: Vec<&Place> = ids.into_iter().map(|id| self.place(id)).collect();
        out.sort_by_key(|p| (p.rank, p.id));
        out
    }

    fn ids_for(&self, key: &str) -> Vec<PlaceId> {
        self.name_index
            .get(key)
            .map(|&i| self.names[i as usize].places.clone())
            .unwrap_or_default()
    }
}

/// Syria's ISO 3166-1 numeric code: the country of events that carry none.
const SYRIA_ISO: u16 = 760;

/// Which events a country filter (`--country`, the Python package's `country=`) keeps: all
/// of them, or those of one country. Events that carry no country were written before rasd
/// kept it, and are Syria's. Made by [`Gazetteer::country_choice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryChoice {
    /// Every country.
    All,
    /// One country, by its ISO 3166-1 numeric code.
    Iso(u16),
}

impl CountryChoice {
    /// True when the event is in the chosen country.
    pub fn matches(&self, e: &rasd_core::Event) -> bool {
        match self {
            CountryChoice::All => true,
            CountryChoice::Iso(n) => e.iso.unwrap_or(SYRIA_ISO) == *n,
        }
    }
}
