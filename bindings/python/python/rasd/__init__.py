"""rasd (رصد): Arabic conflict reports in, ACLED-style events with evidence out.

The engine is the rasd Rust crates, compiled into ``rasd._rasd``; this module gives it a
Python shape:

- :func:`analyze` analyses one report and returns its events as dicts (the event contract of
  ``docs/event.schema.json``, as ``rasd analyze`` writes it: types, actors, place with P-codes
  and coordinates, date, counts, modality, and evidence spans into the text);
- :func:`analyze_many` does the same for many reports on all cores, the GIL released;
- :class:`Store` opens a database made by ``rasd ingest`` (a SQLite file or a
  ``postgres://`` URL) and :meth:`Store.events` returns its dataset as a pandas DataFrame
  (or a Polars one);
- :func:`places` gives the gazetteer's candidates for a place name.

Errors name their input: ``ValueError`` for a wrong report or argument (``report 2 (id
'b'): published '2024-13-01': …``), ``TypeError`` for an item of the wrong type,
``FileNotFoundError`` for a missing database, :class:`RasdError` for what the engine or the
database says.

>>> import rasd
>>> events = rasd.analyze("قتل ثلاثة مدنيين بقصف مدفعي على بلدة كفرنبل", published="2024-03-02")
>>> events[0]["sub_event_type"], events[0]["location"]
('Shelling/artillery/missile attack', 'Kafr Nobol')
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _rasd
from ._rasd import RasdError

__all__ = ["RasdError", "Store", "analyze", "analyze_many", "places", "__version__"]

__version__: str = _rasd.__version__

Published = Union[str, _dt.date, _dt.datetime, None]
"""A publication time: ISO text (``2024-03-02``, ``2024-03-02T09:30:00+03:00``) or a date."""

Report = Union[str, Mapping[str, Any]]
"""A report: its text, or a mapping with ``text`` and optional ``id``, ``title``,
``source``, ``url`` and ``published``."""


def _iso(value: Published, name: str) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{name}: a date, a datetime or ISO text, not {type(value).__name__}")


def _report(item: Report) -> Report:
    if isinstance(item, Mapping) and not isinstance(item.get("published"), (str, type(None))):
        item = dict(item)
        item["published"] = _iso(item["published"], "published")
    return item


def analyze(
    text: str,
    *,
    published: Published = None,
    source: Optional[str] = None,
    title: Optional[str] = None,
    url: Optional[str] = None,
    id: str = "report",
    with_background: bool = False,
    country: str = "Syria",
    min_confidence: Optional[float] = None,
) -> List[Dict[str, Any]]:
    """The events of one report, as dicts, in text order.

    ``published`` resolves relative dates («أمس الجمعة»); ``source`` names the outlet;
    ``id`` becomes the events' ``doc_id``. ``with_background`` keeps what the report
    recalls from earlier years; ``country`` keeps one country's events (a name, an ISO code,
    or ``"all"``; Syria by default); ``min_confidence`` drops less confident events.

    Evidence spans (``e["evidence"]``) give ``start`` and ``end`` as UTF-8 byte offsets into
    the text, as the event contract does: ``text.encode()[start:end].decode()`` is the span.

    Raises ``ValueError`` (naming the report) for empty text or a bad ``published``.
    """
    if not isinstance(text, str):
        raise TypeError(f"report {id!r}: the text must be a string, not {type(text).__name__}")
    report = {
        "id": id,
        "text": text,
        "published": _iso(published, "published"),
        "source": source,
        "title": title,
        "url": url,
    }
    return _rasd.analyze_many(
        [report],
        with_background=with_background,
        country=country,
        min_confidence=min_confidence,
        threads=1,
    )


def analyze_many(
    reports: Iterable[Report],
    *,
    published: Published = None,
    with_background: bool = False,
    country: str = "Syria",
    min_confidence: Optional[float] = None,
    threads: Optional[int] = None,
) -> List[Dict[str, Any]]:
    """The events of many reports, as one list of dicts in the reports' order.

    Each report is a string (its id is then ``report-N``, N counting from 1) or a mapping
    with ``text`` and optional ``id``, ``title``, ``source``, ``url``, ``published``.
    ``published`` is the publication time of reports that give none. The reports are read
    first, then analysed on all cores (``threads`` sets how many) without holding the GIL;
    the result does not depend on ``threads``. Other options as :func:`analyze`.

    Raises ``ValueError`` or ``TypeError`` naming the first report that cannot be read
    (``report 3 (id 'x'): no "text"``); nothing is analysed then.
    """
    return _rasd.analyze_many(
        (_report(r) for r in reports),
        published=_iso(published, "published"),
        with_background=with_background,
        country=country,
        min_confidence=min_confidence,
        threads=threads,
    )


def places(name: str) -> List[Dict[str, Any]]:
    """The gazetteer's candidates for a place name as written («نوى», «ريف درعا»), best
    first: key, P-code, English and Arabic names, kind, governorate, district,
    subdistrict, coordinates and rank. An empty list when no place has that name."""
    return _rasd.places(name)


class Store:
    """A rasd dataset: a SQLite file made by ``rasd ingest``, or a ``postgres://`` URL.

    Raises ``FileNotFoundError`` when the file does not exist, :class:`RasdError` when it is
    not a rasd database or the server cannot be reached.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self._store = _rasd.Store(str(path) if not isinstance(path, str) else path)

    @property
    def path(self) -> str:
        """The database's path, or its URL without the password."""
        return self._store.path

    def __repr__(self) -> str:
        return repr(self._store)

    def counts(self) -> Dict[str, int]:
        """How much is stored: reports, stories, report events, evidence spans, dataset
        events and runs."""
        return self._store.counts()

    def event(self, event_id: str) -> Optional[Dict[str, Any]]:
        """One dataset event with all its fields, sources and evidence; ``None`` if the id
        (or the id of a report event merged into it) is unknown."""
        return self._store.event(event_id)

    def events(
        self,
        *,
        date_from: Published = None,
        date_to: Published = None,
        admin1: Optional[str] = None,
        event_type: Optional[str] = None,
        sub_event_type: Optional[str] = None,
        actor: Optional[str] = None,
        near: Optional[Tuple[float, float, float]] = None,
        text: Optional[str] = None,
        include_non_factual: bool = False,
        include_background: bool = False,
        min_confidence: Optional[float] = None,
        country: str = "Syria",
        frame: Optional[str] = None,
    ) -> Any:
        """The dataset's events as a DataFrame, one row per event, ordered by date then id.

        Filters are those of ``rasd events``: ``date_from``/``date_to`` (a date, or text
        ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``), ``admin1`` (a P-code such as ``SY12`` or an
        English name), ``event_type``, ``sub_event_type``, ``actor``, ``near=(lat, lon, km)``,
        ``text`` (full-text over the reports), ``include_non_factual``,
        ``include_background``, ``min_confidence``, ``country``.

        Columns: the event's fields (``fatalities`` is the best estimate, with
        ``fatalities_low``/``fatalities_high``; lists joined by ``"; "``; evidence is in
        :meth:`event`), ``date`` as a date type. ``frame`` is ``"pandas"`` or ``"polars"``;
        by default pandas when installed, else Polars.
        """
        columns = self._store.event_columns(
            date_from=_iso(date_from, "date_from"),
            date_to=_iso(date_to, "date_to"),
            admin1=admin1,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actor=actor,
            near=near,
            text=text,
            include_non_factual=include_non_factual,
            include_background=include_background,
            min_confidence=min_confidence,
            country=country,
        )
        return _frame(columns, frame)


def _frame(columns: Dict[str, List[Any]], frame: Optional[str]) -> Any:
    if frame not in (None, "pandas", "polars"):
        raise ValueError(f'frame: {frame!r} is neither "pandas" nor "polars"')
    if frame in (None, "pandas"):
        try:
            import pandas as pd
        except ImportError:
            if frame == "pandas":
                raise
        else:
            df = pd.DataFrame(columns)
            df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
            return df
    try:
        import polars as pl
    except ImportError as e:
        raise ImportError("Store.events needs pandas or polars: pip install pandas") from e
    df = pl.DataFrame(columns, strict=False)
    return df.with_columns(pl.col("date").cast(pl.Utf8).str.to_date("%Y-%m-%d"))
