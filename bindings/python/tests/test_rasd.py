"""The rasd Python package, against the wheel maturin built (``.ci/run``).

The reports are short Arabic sentences written for these tests. The store tests make their
database with the ``rasd`` binary: ``RASD_BIN`` names it, else ``target/debug/rasd`` of the
repository is used (``cargo test`` builds it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import rasd

CLASH = "اندلعت اشتباكات عنيفة أمس بين قوات النظام ومسلحين محليين في مدينة طفس بريف درعا الغربي."
SHELLING = "قُتل ثلاثة مدنيين بقصف مدفعي لقوات النظام على بلدة سرمين في ريف إدلب الشرقي، صباح اليوم."
PROTEST = "تظاهر العشرات من أهالي مدينة السويداء في ساحة الكرامة مطالبين بالإفراج عن المعتقلين."
NOTHING = "ارتفعت أسعار الخبز والوقود في الأسواق خلال الأسبوع الماضي."

REPO = Path(__file__).resolve().parents[3]


def test_analyze_returns_the_events_of_the_contract_as_dicts():
    events = rasd.analyze(CLASH, published="2024-03-10", source="شبكة محلية", id="tafas")
    assert len(events) == 1
    e = events[0]
    assert list(e)[:4] == ["event_id", "doc_id", "event_type", "sub_event_type"]  # contract order
    assert e["doc_id"] == "tafas"
    assert e["event_type"] == "Battles"
    assert e["sub_event_type"] == "Armed clash"
    assert e["date"] == "2024-03-09"  # «أمس», the day before publication
    assert e["admin1_pcode"] == "SY12"
    assert {ev["field"] for ev in e["evidence"]} >= {"trigger", "location"}


def test_evidence_offsets_are_utf8_byte_offsets_into_the_text():
    (e,) = rasd.analyze(CLASH, published=dt.date(2024, 3, 10))
    raw = CLASH.encode()
    for ev in e["evidence"]:
        assert raw[ev["start"] : ev["end"]].decode() == ev["text"]


def test_a_date_object_and_iso_text_are_the_same_publication_day():
    assert rasd.analyze(CLASH, published=dt.date(2024, 3, 10)) == rasd.analyze(
        CLASH, published="2024-03-10"
    )


def test_analyze_many_keeps_the_reports_order_and_matches_analyze():
    reports = [
        CLASH,
        {"id": "sarmin", "text": SHELLING, "published": "2024-05-17"},
        NOTHING,
        {"id": "sweida", "text": PROTEST, "published": dt.date(2024, 2, 1)},
    ]
    events = rasd.analyze_many(reports, published="2024-03-10")
    assert [e["doc_id"] for e in events] == ["report-1", "sarmin", "sweida"]
    one_by_one = (
        rasd.analyze(CLASH, published="2024-03-10", id="report-1")
        + rasd.analyze(SHELLING, published="2024-05-17", id="sarmin")
        + rasd.analyze(PROTEST, published="2024-02-01", id="sweida")
    )
    assert events == one_by_one


def test_analyze_many_gives_the_same_events_on_one_thread_or_all():
    reports = [{"id": f"r{i}", "text": t} for i, t in enumerate([CLASH, SHELLING, PROTEST] * 20)]
    all_cores = rasd.analyze_many(reports, published="2024-05-17")
    assert len(all_cores) == 60
    assert rasd.analyze_many(iter(reports), published="2024-05-17", threads=1) == all_cores


def test_errors_name_the_report():
    with pytest.raises(ValueError, match=r'report 2 \(id "b"\): published "2024-13-01"'):
        rasd.analyze_many([CLASH, {"id": "b", "text": CLASH, "published": "2024-13-01"}])
    with pytest.raises(ValueError, match=r'report 3 \(id "c"\): no "text"'):
        rasd.analyze_many([CLASH, PROTEST, {"id": "c", "body": CLASH}])
    with pytest.raises(ValueError, match=r"report 1: empty, no text to read"):
        rasd.analyze_many(["  \n"])
    with pytest.raises(TypeError, match=r"report 2: a report is a string or a mapping"):
        rasd.analyze_many([CLASH, 42])
    with pytest.raises(TypeError, match=r'report 1 \(id "x"\): "title" must be a string, not int'):
        rasd.analyze_many([{"id": "x", "text": CLASH, "title": 7}])
    with pytest.raises(ValueError, match=r'report 1 \(id "tafas"\): published "yesterday"'):
        rasd.analyze(CLASH, published="yesterday", id="tafas")
    with pytest.raises(ValueError, match=r"country: \"Atlantis\""):
        rasd.analyze(CLASH, country="Atlantis")


def test_places_lists_the_gazetteers_candidates():
    candidates = rasd.places("نوى")
    assert len(candidates) >= 3
    assert candidates[0]["name_en"] == "Nawa"
    assert {c["admin1"] for c in candidates} >= {"Dar'a", "Homs", "Hama"}
    assert rasd.places("مكانلايوجد") == []


def _rasd_bin() -> str:
    path = os.environ.get("RASD_BIN") or str(REPO / "target" / "debug" / "rasd")
    if not os.path.exists(path):
        pytest.fail(f"{path}: no rasd binary to make the test database (set RASD_BIN)")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    lines = [
        {"id": "tafas", "text": CLASH, "published": "2024-03-10"},
        {"id": "sarmin", "text": SHELLING, "published": "2024-05-17"},
        {"id": "sweida", "text": PROTEST, "published": "2024-02-01"},
    ]
    reports = folder / "reports.jsonl"
    reports.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    path = folder / "rasd.db"
    subprocess.run(
        [_rasd_bin(), "ingest", str(reports), "--db", str(path)],
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k not in ("RASD_DB", "RASD_DATA")},
    )
    return path


def test_store_events_is_a_pandas_dataframe(db):
    store = rasd.Store(db)
    df = store.events()
    assert isinstance(df, pd.DataFrame)
    assert sorted(df["doc_id"]) == ["sarmin", "sweida", "tafas"]
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert list(df["date"]) == sorted(df["date"])
    sarmin = df[df["doc_id"] == "sarmin"].iloc[0]
    assert sarmin["sub_event_type"] == "Shelling/artillery/missile attack"
    assert sarmin["fatalities"] == 3
    assert sarmin["admin1"] == "Idleb"
    assert store.counts()["reports"] == 3
    assert list(df.columns[:4]) == ["event_id", "doc_id", "event_type", "sub_event_type"]
    assert {"fatalities_low", "fatalities_high", "actor1_ar", "sources"} <= set(df.columns)
    assert "evidence" not in df.columns


def test_store_filters_are_the_clis(db):
    store = rasd.Store(str(db))
    assert list(store.events(admin1="SY12")["doc_id"]) == ["tafas"]
    assert list(store.events(event_type="Protests")["doc_id"]) == ["sweida"]
    assert sorted(store.events(date_from="2024-03", date_to=dt.date(2024, 12, 31))["doc_id"]) == [
        "sarmin",
        "tafas",
    ]
    empty = store.events(date_from="2030")
    assert len(empty) == 0 and "event_id" in empty.columns
    with pytest.raises(ValueError, match=r'date_from: "March"'):
        store.events(date_from="March")
    with pytest.raises(ValueError, match=r"event_type"):
        store.events(event_type="Picnics")


def test_store_event_has_the_evidence(db):
    store = rasd.Store(db)
    event_id = store.events(admin1="SY12")["event_id"].iloc[0]
    event = store.event(event_id)
    assert event["event_id"] == event_id
    assert event["evidence"], event
    assert store.event("ev-none") is None


def test_store_errors_name_the_database(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(FileNotFoundError, match=str(missing)):
        rasd.Store(missing)
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("not a database")
    with pytest.raises(rasd.RasdError, match=str(not_a_db)):
        rasd.Store(not_a_db)


def test_store_events_as_polars_when_asked(db):
    pl = pytest.importorskip("polars")
    df = rasd.Store(db).events(frame="polars")
    assert isinstance(df, pl.DataFrame)
    assert df.height == 3
    assert df.schema["date"] == pl.Date


def test_the_package_is_typed():
    package = Path(rasd.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_rasd.pyi").exists()
    assert rasd.analyze.__doc__ and rasd.Store.events.__doc__
