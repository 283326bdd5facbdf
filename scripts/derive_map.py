#!/usr/bin/env python3
"""Derives the offline map's boundaries (data/map/) from the team's OCHA boundary files.

Reads the simplified governorate (2020) and district (2015) polygons gathered under
../shared/data/gazetteer/ and writes, for the page that `rasd serve` compiles in:

  data/map/syria_adm1.geojson   14 governorates: pcode, name_en, name_ar
  data/map/syria_adm2.geojson   districts: pcode, name_en, name_ar, admin1_pcode

Coordinates are rounded to 3 decimals (about 100 m, finer than a pixel at the page's zoom)
and points that rounding makes repeat are dropped. Only run by hand when the sources change;
the build never reads ../shared.

Usage: python3 scripts/derive_map.py [SOURCE_DIR]
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/gazetteer"
OUT = ROOT / "data/map"


def ring(points):
    """A ring rounded to 3 decimals without consecutive repeats, closed."""
    out = []
    for lon, lat in points:
        p = [round(lon, 3), round(lat, 3)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def geometry(g):
    polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (ring(r) for r in polygon) if r]
        if rings:
            kept.append(rings)
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def write(name, features):
    features.sort(key=lambda f: f["properties"]["pcode"])
    doc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    (OUT / name).write_text(text + "\n", encoding="utf-8")
    print(f"{name}: {len(features)} features, {len(text)} bytes")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    adm1 = json.loads((SOURCE / "ocha_syr_adm1_2020_simplified.geojson").read_text("utf-8"))
    write("syria_adm1.geojson", [
        {"type": "Feature",
         "properties": {"pcode": f["properties"]["ADM1_PCODE"],
                        "name_en": f["properties"]["ADM1_EN"],
                        "name_ar": f["properties"]["ADM1_AR"]},
         "geometry": geometry(f["geometry"])}
        for f in adm1["features"]])
    adm2 = json.loads((SOURCE / "ocha_syr_adm2_2015_simplified.geojson").read_text("utf-8"))
    write("syria_adm2.geojson", [
        {"type": "Feature",
         "properties": {"pcode": f["properties"]["PCODE"],
                        "name_en": f["properties"]["NAME_EN"],
                        "name_ar": f["properties"]["NAME_ARA"],
                        "admin1_pcode": f["properties"]["ADMIN1_COD"]},
         "geometry": geometry(f["geometry"])}
        for f in adm2["features"]])


if __name__ == "__main__":
    main()
