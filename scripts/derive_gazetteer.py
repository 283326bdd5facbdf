#!/usr/bin/env python3
"""Derive rasd's compact gazetteer files from the public source data.

Reads the OCHA 2015 populated places, the OpenSyria admin units (2020 P-codes), the P-code
crosswalk and the Damascus neighbourhoods from SOURCE (default: ../shared/data/gazetteer next to
the repository), applies the reviewed fixes in data/gazetteer/corrections.tsv and the Arabic
names in data/gazetteer/damascus_neighbourhoods_ar.tsv, and writes:

  data/gazetteer/admin.tsv         governorates, districts, subdistricts (2020 P-codes)
  data/gazetteer/places.tsv        communities and Damascus neighbourhoods
  data/gazetteer/common_words.tsv  single-word place names that are frequent Arabic words

Every output row is sorted by its key (byte order) and unique, and each file opens with `#`
lines naming its columns, source and licence. The run is deterministic: the same inputs and the
same wordfreq version give the same bytes. rasd compiles the outputs in; it never needs SOURCE.

Usage:  python3 scripts/derive_gazetteer.py [--source DIR] [--check]
        --check  exit 1 when the committed files differ from what the script would write.
Needs:  Python 3.9+, wordfreq 3.1 (`pip install wordfreq==3.1.1`).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "gazetteer"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "gazetteer"

# A single-word name whose Zipf frequency in Arabic (wordfreq) reaches this is also a common
# word (or a first name): the matcher then wants a strong cue before it. 3.5 = about 3 per
# million words; below it the flagged names become mostly real places only.
COMMON_ZIPF = 3.5

# Aliases of admin units that start with one of these words are dropped: the matcher reads
# «محافظة درعا», «منطقة الصنمين» or «ناحية جاسم» as a cue word before a name.
CUE_PREFIXES = ("محافظة ", "منطقة ", "ناحية ", "مركز ", "مدينة ", "مركزها ")

COMPOUND_SPLIT = re.compile(r"\s*[_/]\s*|\s*-\s*")
TASHKEEL = re.compile("[\u064b-\u065f\u0670\u0640]")


def fold(text: str) -> str:
    """The same folding as rasd-arabic's normalize_key, for comparing names here."""
    text = TASHKEEL.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text)
    text = text.replace("ى", "ي").replace("ة", "ه")
    return " ".join(text.split())


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_data_rows(path: Path) -> list[list[str]]:
    """Rows of one of our own data files (comment lines skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


def fmt(x: float, nd: int = 5) -> str:
    return f"{x:.{nd}f}"


def write(path: Path, header: list[str], rows: list[list[str]], check: bool) -> bool:
    rows = sorted(rows, key=lambda r: r[0].encode("utf-8"))
    keys = [r[0] for r in rows]
    dup = {k for k in keys if keys.count(k) > 1} if len(set(keys)) != len(keys) else set()
    if dup:
        sys.exit(f"{path.name}: duplicate keys {sorted(dup)[:5]}")
    text = "\n".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        if not same:
            print(f"{path.relative_to(REPO)} differs from a fresh derivation", file=sys.stderr)
        return same
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}: {len(rows)} rows")
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    src: Path = args.source
    if not (src / "SOURCES.md").exists():
        sys.exit(f"{src}: no SOURCES.md; pass --source DIR")

    # P-code crosswalk 2015 -> 2020 (Qadmous).
    xwalk: dict[str, str] = {}
    for r in read_tsv(src / "pcode_crosswalk_2015_2020.tsv"):
        old = r["pcode_2015"].split()[0]
        if r["level"] == "3":
            xwalk[old] = r["pcode_2020"]
    to2020 = {old: new for old, new in xwalk.items()}
    adm2_of_new3 = {new: new[:6] for new in xwalk.values()}

    # ---- populated places -------------------------------------------------------------
    places = read_tsv(src / "ocha_syr_pplp_adm4_2015.tsv")
    by_pcode = {p["pcode"]: p for p in places}
    for pcode, field, old, new, *_ in read_data_rows(DATA / "corrections.tsv"):
        p = by_pcode.get(pcode)
        if p is None:
            sys.exit(f"corrections.tsv: no place {pcode}")
        if p[field] != old:
            sys.exit(f"corrections.tsv: {pcode} {field} is «{p[field]}», not «{old}»")
        p[field] = new

    # ---- admin units -----------------------------------------------------------------
    units = read_tsv(src / "opensyria_admin_units.tsv")
    en_from_ocha: dict[str, str] = {}
    for p in places:
        a3 = to2020.get(p["adm3_pcode"], p["adm3_pcode"])
        a2 = adm2_of_new3.get(a3, p["adm2_pcode"])
        en_from_ocha.setdefault(p["adm1_pcode"], p["adm1_en"])
        en_from_ocha.setdefault(a2, p["adm2_en"] if a2 == p["adm2_pcode"] else "")
        en_from_ocha.setdefault(a3, p["adm3_en"])
    primary_names = {fold(u["name_ar"]) for u in units}
    hand_names = set()  # names and aliases of our reviewed extra places win over admin aliases
    for r in read_data_rows(DATA / "extra_places.tsv"):
        hand_names.add(fold(r[2]))
        hand_names.update(fold(a) for a in r[3].split("|") if a != "-")
    seat_names = {fold(p["name_ar"]) for p in places if p["capital_level"] in ("0", "1", "2")}

    def place_admin(p: dict[str, str]) -> tuple[str, str, str]:
        a3 = to2020.get(p["adm3_pcode"], p["adm3_pcode"])
        a2 = adm2_of_new3.get(a3, p["adm2_pcode"])
        return a3, a2, p["adm1_pcode"]

    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in places:
        for code in place_admin(p):
            members[code].append(p)

    def seat(code: str, max_level: int) -> dict[str, str] | None:
        best = None
        for p in members.get(code, []):
            lvl = p["capital_level"]
            if lvl != "" and int(lvl) <= max_level:
                if best is None or int(lvl) < int(best["capital_level"]):
                    best = p
        return best

    admin_rows = []
    for u in units:
        level = int(u["level"])
        code = u["ocha_pcode"]
        name_ar = u["name_ar"]
        aliases = []
        for a in u["aliases_ar"].split("|"):
            a = a.strip()
            if not a or a.startswith(CUE_PREFIXES) or fold(a) == fold(name_ar):
                continue
            if fold(a) in primary_names:  # another unit's own name («ريف دمشق» on SY0301)
                continue
            if fold(a) in hand_names:  # a region of our own («الغوطة الشرقية» on SY030103)
                continue
            if fold(a) in {fold(p["name_ar"]) for p in members.get(code, [])} and level == 2:
                continue  # a village inside the district («حيالين» on SY0502)
            aliases.append(a)
        if level == 3 and name_ar.startswith("مركز "):
            aliases.append(name_ar[len("مركز "):])
        s = seat(code, {1: 1, 2: 2, 3: 3}[level])
        if s is not None:
            lat, lon = float(s["lat"]), float(s["lon"])
        elif level == 3 or not members.get(code):
            lat, lon = float(u["lat"]), float(u["lon"])
        else:  # no seat in the data (Rural Damascus): the mean of its populated places
            pts = members[code]
            lat = sum(float(p["lat"]) for p in pts) / len(pts)
            lon = sum(float(p["lon"]) for p in pts) / len(pts)
        parent = {1: "-", 2: code[:4], 3: code[:6]}[level]
        name_en = en_from_ocha.get(code) or u["name_en"]
        admin_rows.append([
            code, str(level), name_ar, "|".join(sorted(set(aliases))) or "-", name_en, parent,
            fmt(lat), fmt(lon), s["pcode"] if s is not None else "-",
        ])
    admin_codes = {r[0] for r in admin_rows}

    # ---- communities: split compounds ------------------------------------------------
    place_rows = []
    skipped_parts = []
    for p in places:
        a3, a2, a1 = place_admin(p)
        for code in (a3, a2, a1):
            if code not in admin_codes:
                sys.exit(f"{p['pcode']}: admin code {code} not in the 2020 admin units")
        raw = p["name_ar"].strip().strip("/").strip()
        parts = [x.strip() for x in COMPOUND_SPLIT.split(raw) if x.strip()]
        name_ar = parts[0]
        aliases = []
        if len(parts) > 1:
            for part in parts[1:]:
                f = fold(part)
                if f in primary_names or f in seat_names:
                    skipped_parts.append((p["pcode"], part))
                    continue
                aliases.append(part)
        name_en = re.split(r"\s+-\s+|\s*/\s*", p["name_en"].strip())[0].strip()
        place_rows.append([
            p["pcode"], "community", name_ar, "|".join(aliases) or "-", name_en,
            a3, a2, a1, fmt(float(p["lat"])), fmt(float(p["lon"])), p["capital_level"] or "-",
        ])

    # ---- Damascus neighbourhoods ------------------------------------------------------
    hoods = {r["hay_pcode"]: r for r in read_tsv(src / "ocha_syr_adm5_damascus_neighbourhoods_2015.tsv")}
    dam = by_pcode["C1001"]
    d3, d2, d1 = place_admin(dam)
    for row in read_data_rows(DATA / "damascus_neighbourhoods_ar.tsv"):
        hay, name_ar, aliases = row[0], row[1], row[2]
        h = hoods.get(hay)
        if h is None:
            sys.exit(f"damascus_neighbourhoods_ar.tsv: no neighbourhood {hay}")
        place_rows.append([
            hay, "neighbourhood", name_ar, aliases, h["name_en"].strip().replace("  ", " "),
            d3, d2, d1, fmt(float(h["lat"])), fmt(float(h["lon"])), "-",
        ])

    # ---- common words -----------------------------------------------------------------
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        sys.exit("needs wordfreq: pip install wordfreq==3.1.1")

    # Left out: names of governorates, districts, their capitals and seats (capital_level <= 2),
    # and every name of extra_places.tsv and country_words.tsv (reviewed by hand: a reviewer who finds one of them
    # ambiguous adds it to traps.tsv as `common`).
    exempt = set()
    for r in admin_rows:
        if r[1] in ("1", "2"):
            exempt.add(fold(r[2]))
    for r in place_rows:
        if r[10] in ("0", "1", "2"):
            exempt.add(fold(r[2]))
    forms: set[str] = set()
    for r in admin_rows:
        forms.add(r[2])
        forms.update(a for a in r[3].split("|") if a != "-")
    for r in place_rows:
        forms.add(r[2])
        forms.update(a for a in r[3].split("|") if a != "-")
    for r in read_data_rows(DATA / "extra_places.tsv"):
        exempt.add(fold(r[2]))
        exempt.update(fold(a) for a in r[3].split("|"))
    # Countries' names and adjectives (country_words.tsv) are reviewed by hand too.
    for r in read_data_rows(DATA / "country_words.tsv"):
        exempt.add(fold(r[0]))
    for r in read_data_rows(DATA / "aliases.tsv"):
        forms.add(r[0])
    common: dict[str, float] = {}
    for form in forms:
        if " " in form or fold(form) in exempt:
            continue
        variants = {form, form.replace("ة", "ه"), re.sub("[أإآ]", "ا", form)}
        if form.endswith("ه"):
            variants.add(form[:-1] + "ة")
        z = max(zipf_frequency(v, "ar") for v in variants)
        if z >= COMMON_ZIPF:
            key = fold(form)
            common[key] = max(z, common.get(key, 0.0))
    # Write each folded word once, in its folded form (the loader folds it again: idempotent).
    common_rows = [[w, f"{z:.2f}"] for w, z in common.items()]

    lic_ocha = ("# Licence: CC BY 3.0 IGO. Attribution: OCHA Syria / UN Cartographic Section, Syria "
                "Common Operational Datasets; see NOTICE.")
    ok = True
    ok &= write(DATA / "admin.tsv", [
        "# admin.tsv — Syria's governorates (level 1), districts (2) and subdistricts (3), 2020 P-codes.",
        "# Derived by scripts/derive_gazetteer.py from OpenSyria data-geography (names, aliases,",
        "# centroids; CC BY 4.0) and OCHA's populated places (English names, seats). Do not edit.",
        "# Point: the unit's seat (capital_level <= level) when the data has one, else the OpenSyria",
        "# centroid (subdistricts) or the mean of its populated places (Rural Damascus).",
        lic_ocha,
        "# Columns: pcode	level	name_ar	aliases_ar	name_en	parent_pcode	lat	lon	seat_pcode",
    ], admin_rows, args.check)
    ok &= write(DATA / "places.tsv", [
        "# places.tsv — Syria's populated places (OCHA COD 2015) and Damascus neighbourhoods (admin5).",
        "# Derived by scripts/derive_gazetteer.py (corrections.tsv and damascus_neighbourhoods_ar.tsv",
        "# applied; compound names split into aliases; 2015 admin P-codes mapped to 2020). Do not edit.",
        "# capital_level: 0 national capital, 1 governorate capital, 2 district seat, 3 subdistrict",
        "# seat, - other. aliases_ar: `|`-separated, or -.",
        lic_ocha,
        "# Columns: pcode	kind	name_ar	aliases_ar	name_en	adm3_pcode	adm2_pcode	adm1_pcode	lat	lon	capital_level",
    ], place_rows, args.check)
    ok &= write(DATA / "common_words.tsv", [
        "# common_words.tsv — single-word place names that are also frequent Arabic words or first",
        f"# names (Zipf frequency >= {COMMON_ZIPF} in wordfreq 3.1's Arabic list); the matcher wants a",
        "# strong cue before them. Names of governorates, districts and their seats, and the names in",
        "# extra_places.tsv, are left out. Derived by scripts/derive_gazetteer.py; do not edit (add",
        "# to traps.tsv instead).",
        "# Source: wordfreq (Robyn Speer et al.); only our own place names and their rounded frequency",
        "# are kept. Licence: wordfreq's data is CC BY-SA 4.0; see NOTICE. Words are folded (alef,",
        "# ya, ta marbuta).",
        "# Columns: word	zipf",
    ], common_rows, args.check)
    if not args.check:
        for pcode, part in skipped_parts:
            print(f"  kept out of {pcode}'s aliases: «{part}» (an admin unit or seat name)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
