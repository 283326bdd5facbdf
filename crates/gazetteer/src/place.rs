//! Places and their kinds.

use rasd_core::GeoPrecision;
use serde::Serialize;

/// The index of a [`Place`] in its [`crate::Gazetteer`]. Ids are stable for the same data
/// files: the built-in order is admin units, then populated places, then extra places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PlaceId(pub u32);

impl PlaceId {
    /// The id as an index into the gazetteer's places.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What sort of place an entry is (serialized in lowercase, as in the data files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A country (Syria, or one abroad).
    Country,
    /// A governorate (admin1, `SYgg`).
    Governorate,
    /// A district (admin2, `SYggdd`).
    District,
    /// A subdistrict (admin3, `SYggddss`).
    Subdistrict,
    /// A city, town or village (OCHA's populated place, `Cnnnn`).
    Community,
    /// A neighbourhood of a city.
    Neighbourhood,
    /// A prison, airport, border crossing, dam, highway, hill...
    Landmark,
    /// A region without a P-code («حوران», «ريف درعا الشرقي», «الغوطة الشرقية»).
    Region,
    /// A place outside Syria (a city, a province, a border).
    Foreign,
}

impl PlaceKind {
    /// The lowercase name used in the data files and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Governorate => "governorate",
            PlaceKind::District => "district",
            PlaceKind::Subdistrict => "subdistrict",
            PlaceKind::Community => "community",
            PlaceKind::Neighbourhood => "neighbourhood",
            PlaceKind::Landmark => "landmark",
            PlaceKind::Region => "region",
            PlaceKind::Foreign => "foreign",
        }
    }

    /// The kind for a name, if it is one.
    pub fn parse(name: &str) -> Option<PlaceKind> {
        Some(match name {
            "country" => PlaceKind::Country,
            "governorate" => PlaceKind::Governorate,
            "district" => PlaceKind::District,
            "subdistrict" => PlaceKind::Subdistrict,
            "community" => PlaceKind::Community,
            "neighbourhood" => PlaceKind::Neighbourhood,
            "landmark" => PlaceKind::Landmark,
            "region" => PlaceKind::Region,
            "foreign" => PlaceKind::Foreign,
            _ => return None,
        })
    }

    /// True for governorates, districts and subdistricts.
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            PlaceKind::Governorate | PlaceKind::District | PlaceKind::Subdistrict
        )
    }
}

impl std::fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A compass direction: the part of a governorate a region covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// North.
    North,
    /// South.
    South,
    /// East.
    East,
    /// West.
    West,
}

impl Direction {
    /// `n`, `s`, `e` or `w`.
    pub fn parse(code: &str) -> Option<Direction> {
        Some(match code {
            "n" => Direction::North,
            "s" => Direction::South,
            "e" => Direction::East,
            "w" => Direction::West,
            _ => return None,
        })
    }
}

/// What a relative entry («المحافظة», «مركز المحافظة», «الريف الغربي») stands for, once the
/// governorate in context is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relative {
    /// The governorate itself.
    Governorate,
    /// Its capital.
    Capital,
    /// A part of it: the region of that direction if the data has one, else the governorate.
    Part(Direction),
}

/// One place: its names, hierarchy, point and how prominent it is.
///
/// Serialized (for `rasd places QUERY --json`) as one JSON object with these field names;
/// `geo_precision` is the integer code, and unknown values are `null`:
/// ```json
/// {"id":5461,"key":"C6124","pcode":"C6124","name_en":"Nawa","name_ar":"نوى","aliases_ar":[],
///  "kind":"community","admin1":"Dar'a","admin2":"Izra'","admin3":"Nawa",
///  "admin1_pcode":"SY12","admin2_pcode":"SY1203","admin3_pcode":"SY120303",
///  "latitude":32.89103,"longitude":36.04346,"rank":3,"foreign":false,"country":"SY",
///  "precision":1,"relative":null,"direction":null}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    /// Its id in the gazetteer.
    pub id: PlaceId,
    /// Its key in the data files: the P-code, or the key of an extra place.
    pub key: String,
    /// OCHA P-code (`SY12`, `SY1203`, `C6101`), if it has one.
    pub pcode: Option<String>,
    /// English name (OCHA's transliteration for P-coded places).
    pub name_en: String,
    /// Arabic name as written in the data.
    pub name_ar: String,
    /// Other Arabic names, as written.
    pub aliases_ar: Vec<String>,
    /// What it is.
    pub kind: PlaceKind,
    /// Governorate (English), if in Syria.
    pub admin1: Option<String>,
    /// District (English).
    pub admin2: Option<String>,
    /// Subdistrict (English).
    pub admin3: Option<String>,
    /// Governorate P-code (`SY01`..`SY14`).
    pub admin1_pcode: Option<String>,
    /// District P-code.
    pub admin2_pcode: Option<String>,
    /// Subdistrict P-code.
    pub admin3_pcode: Option<String>,
    /// WGS84 latitude (a governorate's is its capital's, as ACLED codes regions).
    pub latitude: f64,
    /// WGS84 longitude.
    pub longitude: f64,
    /// Prominence: 0 national capital, 1 governorate capital or a governorate, 2 district seat
    /// or district, 3 subdistrict seat or subdistrict, 4 other. Lower wins a tie.
    pub rank: u32,
    /// True for places outside Syria.
    pub foreign: bool,
    /// The country it lies in: ISO 3166-1 alpha-2 (`SY` for Syria's places).
    pub country: String,
    /// The precision an event gets when a report names this place plainly.
    pub precision: GeoPrecision,
    /// For relative entries, what they stand for in the governorate in context.
    pub relative: Option<Relative>,
    /// For a sub-region of one governorate, which part it is.
    pub direction: Option<Direction>,
}

/// The key prefix of Syria's borders with its neighbours in `extra_places.tsv`
/// («الحدود الأردنية»): places abroad that are also Syria's own edge.
const FRONTIER_KEY: &str = "border-";

impl Place {
    /// A place of country `country` outside Syria's admin units (a country, a city or province
    /// abroad): no P-code, no admin names, a point, its own precision. The names are empty,
    /// for the caller to fill.
    pub(crate) fn outside_admin(
        id: PlaceId,
        key: &str,
        country: &str,
        kind: PlaceKind,
        precision: GeoPrecision,
    ) -> Place {
        Place {
            id,
            key: key.to_string(),
            pcode: None,
            name_en: String::new(),
            name_ar: String::new(),
            aliases_ar: Vec::new(),
            kind,
            admin1: None,
            admin2: None,
            admin3: None,
            admin1_pcode: None,
            admin2_pcode: None,
            admin3_pcode: None,
            latitude: 0.0,
            longitude: 0.0,
            rank: 1,
            foreign: country != crate::gazetteer::SYRIA,
            country: country.to_string(),
            precision,
            relative: None,
            direction: None,
        }
    }

    /// Whether the place is Syria's border with a neighbour (a key starting with `border-`):
    /// it places an event at the frontier, and says nothing of a report being about elsewhere.
    pub fn is_frontier(&self) -> bool {
        self.foreign && self.key.starts_with(FRONTIER_KEY)
    }
}

/// A country of the world layer (`data/gazetteer/countries.tsv`), with the codes ACLED's
/// `iso` and `country` columns take.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 (`SY`).
    pub iso2: String,
    /// ISO 3166-1 numeric (760 for Syria), ACLED's `iso`.
    pub iso_numeric: u16,
    /// ISO 3166-1 alpha-3 (`SYR`).
    pub iso3: String,
    /// English name, ACLED's `country`.
    pub name_en: String,
    /// Arabic short name.
    pub name_ar: String,
    /// Its place in the gazetteer.
    pub place: PlaceId,
}
