"""Type stubs of rasd's native module (PyO3). Use the ``rasd`` package, which wraps it."""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

__version__: str

class RasdError(Exception):
    """An error of the rasd engine or of its database; the message names the input."""

def analyze_many(
    reports: Iterable[Union[str, Mapping[str, Any]]],
    *,
    published: Optional[str] = None,
    with_background: bool = False,
    country: str = "Syria",
    min_confidence: Optional[float] = None,
    threads: Optional[int] = None,
) -> List[Dict[str, Any]]:
    """Analyses reports on all cores (or ``threads``) with the GIL released; the events come
    back as dicts, in the reports' order."""

def places(name: str) -> List[Dict[str, Any]]:
    """The gazetteer's candidates for a place name, best first, as dicts."""

class Store:
    """A rasd dataset: a SQLite file or a PostgreSQL database (``postgres://…``)."""

    def __init__(self, path: str) -> None: ...
    @property
    def path(self) -> str:
        """The database as shown in messages."""
    def event_columns(
        self,
        *,
        date_from: Optional[str] = None,
        date_to: Optional[str] = None,
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
    ) -> Dict[str, List[Any]]:
        """The dataset events that pass the filters, as columns: a dict of equal-length
        lists."""
    def event(self, event_id: str) -> Optional[Dict[str, Any]]:
        """One dataset event with every field and its evidence; ``None`` when there is
        none."""
    def counts(self) -> Dict[str, int]:
        """How much the database holds."""
