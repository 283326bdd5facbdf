#!/usr/bin/env python3
"""Re-read rasd's exports with the tools analysts use, and check them strictly.

    python3 scripts/check_exports.py --rows N [--features M] \
        [--csv FILE] [--csv-excel FILE] [--parquet FILE] [--geojson FILE] [--jsonl FILE]

- Parquet: pyarrow reads it (row count, column types: dates as date32, counts as int64,
  precision codes as int8, lists as lists, evidence as a list of structs); DuckDB reads it too
  and agrees on the types and the totals.
- CSV (and the Excel variant with a BOM): DuckDB and pyarrow read it; the header starts with
  ACLED's 31 columns in ACLED's order; numbers are numbers; dates are written as ACLED writes them.
- GeoJSON: a strict parse (no NaN or Infinity) and a structural RFC 7946 check of every feature.
- JSONL: one event object per line with the contract's fields.

Needs `pip install pyarrow duckdb`. Exits 1 on the first failed check, naming it.
"""

import argparse
import json
import math
import re
import sys

ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting "
    "iso region country admin1 admin2 admin3 location latitude longitude geo_precision source "
    "source_scale notes fatalities tags timestamp"
).split()

CONTRACT_FIELDS = [
    "event_id", "doc_id", "event_type", "sub_event_type", "disorder_type", "date",
    "date_precision", "actor1", "actor1_ar", "inter1", "actor2", "actor2_ar", "inter2",
    "interaction", "assoc_actors", "location", "location_ar", "admin1", "admin2", "admin3",
    "admin1_pcode", "latitude", "longitude", "geo_precision", "fatalities", "injured", "count",
    "modality", "sources", "evidence", "notes", "confidence",
]

ARABIC = re.compile("[\u0600-\u06FF]")
ACLED_DATE = re.compile(r"^\d{2} (January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{4}$")

checks = 0


def check(condition, what):
    global checks
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1


def check_parquet(path, rows):
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    check(table.num_rows == rows, f"parquet: {table.num_rows} rows, expected {rows}")
    meta = pq.ParquetFile(path).metadata
    check(meta.num_row_groups >= 1 or rows == 0, "parquet: no row group")
    s = table.schema
    expect = {
        "date": pa.date32(),
        "date_precision": pa.int8(),
        "geo_precision": pa.int8(),
        "inter1": pa.int8(),
        "interaction": pa.int8(),
        "fatalities_best": pa.int64(),
        "fatalities_low": pa.int64(),
        "count_best": pa.int64(),
        "fatalities_acled": pa.int64(),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "confidence": pa.float64(),
        "background": pa.bool_(),
        "event_id": pa.string(),
        "location_ar": pa.string(),
    }
    for name, typ in expect.items():
        check(s.field(name).type == typ, f"parquet: {name} is {s.field(name).type}, expected {typ}")
    for name in ["assoc_actors", "source_names", "report_ids"]:
        t = s.field(name).type
        check(pa.types.is_list(t) and t.value_type == pa.string(), f"parquet: {name} is {t}")
    ev = s.field("evidence").type
    check(pa.types.is_list(ev) and pa.types.is_struct(ev.value_type), f"parquet: evidence is {ev}")
    names = [ev.value_type.field(i).name for i in range(ev.value_type.num_fields)]
    check(names == ["doc_id", "start", "end", "text", "field"], f"parquet: evidence fields {names}")
    check(ev.value_type.field("start").type == pa.int64(), "parquet: evidence.start is not int64")
    src = s.field("sources").type
    check(pa.types.is_list(src) and pa.types.is_struct(src.value_type), f"parquet: sources is {src}")
    if rows:
        arabic = [v for v in table.column("location_ar").to_pylist() if v and ARABIC.search(v)]
        check(arabic, "parquet: no Arabic place name survived")
    spans = sum(len(v) for v in table.column("evidence").to_pylist())

    con = duckdb.connect()
    n, typ_date, typ_fat, typ_list, typ_prec, total_spans = con.execute(
        "SELECT count(*), any_value(typeof(date)), any_value(typeof(fatalities_best)), "
        "any_value(typeof(assoc_actors)), any_value(typeof(date_precision)), "
        "coalesce(sum(len(evidence)), 0) FROM read_parquet(?)",
        [path],
    ).fetchone()
    check(n == rows, f"duckdb parquet: {n} rows, expected {rows}")
    if rows:
        check(typ_date == "DATE", f"duckdb parquet: date is {typ_date}")
        check(typ_fat == "BIGINT", f"duckdb parquet: fatalities_best is {typ_fat}")
        check(typ_list == "VARCHAR[]", f"duckdb parquet: assoc_actors is {typ_list}")
        check(typ_prec == "TINYINT", f"duckdb parquet: date_precision is {typ_prec}")
        check(total_spans == spans, f"duckdb parquet: {total_spans} evidence spans, pyarrow {spans}")
        texts = con.execute(
            "SELECT count(*) FROM (SELECT unnest(evidence) AS e FROM read_parquet(?)) "
            "WHERE e.text IS NOT NULL AND length(e.text) > 0",
            [path],
        ).fetchone()[0]
        check(texts == spans, "duckdb parquet: evidence structs lost their text")


def check_csv(path, rows, bom):
    import duckdb
    import pyarrow.csv as pcsv

    with open(path, "rb") as f:
        head = f.read(3)
    check((head == b"\xef\xbb\xbf") == bom, f"csv {path}: BOM {'missing' if bom else 'unexpected'}")
    table = pcsv.read_csv(path)
    check(table.num_rows == rows, f"pyarrow csv: {table.num_rows} rows, expected {rows}")
    check(table.column_names[:31] == ACLED_COLUMNS,
          f"pyarrow csv: header starts {table.column_names[:31]}")
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv('{path}', header = true, auto_detect = true)")
    check(rel.columns[:31] == ACLED_COLUMNS, f"duckdb csv: header starts {rel.columns[:31]}")
    types = dict(zip(rel.columns, [str(t) for t in rel.types]))
    n = con.execute(f"SELECT count(*) FROM read_csv('{path}', header = true)").fetchone()[0]
    check(n == rows, f"duckdb csv: {n} rows, expected {rows}")
    if not rows:
        return
    for name in ["fatalities", "iso", "year", "timestamp", "fatalities_best", "count_best"]:
        check(types[name] == "BIGINT", f"duckdb csv: {name} is {types[name]}, expected BIGINT")
    for name in ["latitude", "longitude", "confidence"]:
        check(types[name] == "DOUBLE", f"duckdb csv: {name} is {types[name]}, expected DOUBLE")
    isos = con.execute(
        f"SELECT DISTINCT iso, region, country FROM read_csv('{path}', header = true)"
    ).fetchall()
    check(isos == [(760, "Middle East", "Syria")], f"duckdb csv: iso/region/country {isos}")
    dates = [d for d in table.column("event_date").to_pylist() if d]
    check(dates and all(ACLED_DATE.match(d) for d in dates), f"csv: event_date not ACLED's: {dates[:3]}")
    ids = table.column("event_id_cnty").to_pylist()
    check(all(re.match(r"^SYR\d+$", i) for i in ids), "csv: event_id_cnty not SYR + digits")
    check(len(set(ids)) == len(ids), "csv: event_id_cnty not unique")
    lats = [v for v in table.column("latitude").to_pylist() if v is not None]
    check(all(-90 <= v <= 90 for v in lats), "csv: latitude out of range")
    arabic = [v for v in table.column("location_ar").to_pylist() if v and ARABIC.search(v)]
    check(arabic, "csv: no Arabic place name survived")
    for v in table.column("evidence_json").to_pylist():
        check(isinstance(json.loads(v), list), "csv: evidence_json is not a JSON array")


def reject_constant(name):
    raise ValueError(f"non-standard JSON constant {name}")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_geojson(path, features):
    with open(path, "rb") as f:
        raw = f.read()
    check(not raw.startswith(b"\xef\xbb\xbf"), "geojson: RFC 7946 forbids a BOM")
    doc = json.loads(raw.decode("utf-8"), parse_constant=reject_constant)
    check(isinstance(doc, dict) and doc.get("type") == "FeatureCollection",
          "geojson: not a FeatureCollection")
    check("crs" not in doc, "geojson: RFC 7946 removed crs")
    check(isinstance(doc.get("features"), list), "geojson: features is not an array")
    check(set(doc) <= {"type", "features", "bbox"}, f"geojson: unexpected members {set(doc)}")
    feats = doc["features"]
    if features is not None:
        check(len(feats) == features, f"geojson: {len(feats)} features, expected {features}")
    for i, f in enumerate(feats):
        where = f"geojson feature {i}"
        check(isinstance(f, dict) and f.get("type") == "Feature", f"{where}: not a Feature")
        check("id" not in f or isinstance(f["id"], (str, int, float)), f"{where}: bad id")
        g = f.get("geometry")
        check(isinstance(g, dict) and g.get("type") == "Point", f"{where}: geometry not a Point")
        c = g.get("coordinates")
        check(isinstance(c, list) and len(c) in (2, 3) and all(is_number(x) for x in c),
              f"{where}: bad coordinates {c}")
        lon, lat = c[0], c[1]
        check(-180 <= lon <= 180 and -90 <= lat <= 90, f"{where}: {c} outside WGS84")
        p = f.get("properties")
        check(isinstance(p, dict), f"{where}: properties not an object")
        check(p.get("longitude") == lon and p.get("latitude") == lat,
              f"{where}: coordinates are not [longitude, latitude] of the event")
        check(f.get("id") == p.get("event_id"), f"{where}: id is not the event_id")
        missing = [k for k in CONTRACT_FIELDS if k not in p]
        check(not missing, f"{where}: properties lack {missing}")


def check_jsonl(path, rows):
    n = 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            event = json.loads(line, parse_constant=reject_constant)
            missing = [k for k in CONTRACT_FIELDS if k not in event]
            check(not missing, f"jsonl line {line_no}: lacks {missing}")
            n += 1
    check(n == rows, f"jsonl: {n} lines, expected {rows}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="events in every export but GeoJSON")
    ap.add_argument("--features", type=int, help="features expected in the GeoJSON")
    ap.add_argument("--csv")
    ap.add_argument("--csv-excel")
    ap.add_argument("--parquet")
    ap.add_argument("--geojson")
    ap.add_argument("--jsonl")
    args = ap.parse_args()
    if args.parquet:
        check_parquet(args.parquet, args.rows)
    if args.csv:
        check_csv(args.csv, args.rows, bom=False)
    if args.csv_excel:
        check_csv(args.csv_excel, args.rows, bom=True)
    if args.geojson:
        check_geojson(args.geojson, args.features)
    if args.jsonl:
        check_jsonl(args.jsonl, args.rows)
    print(f"check_exports: all {checks} checks passed")


if __name__ == "__main__":
    main()
