"""Filters of the network views: date range, named graph (source), actor and event type.

Dates in the graph come at the precision their source gives (``xsd:date``, ``xsd:gYearMonth``,
``xsd:gYear``), so each is read as the range of days it covers: ``1999`` is 1999-01-01 to
1999-12-31. An edge passes a date filter when what is known of its time overlaps the range:

- a claim (or a link derived from one) by its ``date``;
- a time-bounded relation (tenure, membership, participation, mission, rivalry, alliance) by its
  ``start``..``end`` interval, an unknown bound counting as open;
- a timed edge with no date at all is left out (its time is unknown, so it cannot be placed);
- structural links (contains principle, adopted by, government of, and the full view's links) have
  no time and always pass; in the full view, resources with their own date or interval (claims,
  memberships, events ...) are dropped, with their links, when it lies outside the range.

>>> Filters.of(start="1999", end="2010-06").start_day, Filters.of(end="2010-06").end_day
(datetime.date(1999, 1, 1), datetime.date(2010, 6, 30))
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import networkx as nx

from diplograph import iri as iris
from diplograph.errors import ExportError

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CODE = re.compile(r"^\d{2,4}$")

#: Relations whose edges have a time; the others are structural and pass any date filter.
TIMED = frozenset(
    {
        "post",
        "membership",
        "alliance",
        "mission",
        "rivalry",
        "claim",
        "participation",
        "invokes",
        "speaker",
    }
)


@functools.lru_cache(maxsize=65536)
def bounds(text: str | None) -> tuple[date, date] | None:
    """The first and last day a lexical date covers (``"2025-08"`` is the whole of August)."""
    if not text:
        return None
    m = _DATE.match(text)
    if m is None:
        return None
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if day is not None:
            d = date(year, int(month), int(day))
            return d, d
        if month is not None:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def later(a: str | None, b: str | None) -> str | None:
    """The later of two start dates (by first day), either may be unknown."""
    if a and b:
        ba, bb = bounds(a), bounds(b)
        if ba and bb:
            return a if ba[0] >= bb[0] else b
    return a or b


def earlier(a: str | None, b: str | None) -> str | None:
    """The earlier of two end dates (by last day), either may be unknown."""
    if a and b:
        ba, bb = bounds(a), bounds(b)
        if ba and bb:
            return a if ba[1] <= bb[1] else b
    return a or b


def disjoint(start: str | None, end: str | None) -> bool:
    """True when a known start lies after a known end (an empty interval)."""
    s, e = bounds(start), bounds(end)
    return bool(s and e and s[0] > e[1])


def _day(text: str | None, field: str, *, last: bool) -> date | None:
    if text is None or text == "":
        return None
    b = bounds(text)
    if b is None or _DATE.fullmatch(text) is None:
        raise ExportError(
            f"The {field!r} date {text!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD."
        )
    return b[1] if last else b[0]


@dataclass(frozen=True)
class Filters:
    """What to keep of a view. Build with :meth:`of`, which checks and normalises the values."""

    start: str | None = None
    end: str | None = None
    graphs: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        start: str | None = None,
        end: str | None = None,
        graphs: Iterable[str] = (),
        actors: Iterable[str] = (),
        event_types: Iterable[str] = (),
    ) -> Filters:
        """Filters from user input: dates as YYYY[-MM[-DD]], graphs and actors as IRIs or paths
        under the graph/data base (``article/article-001``, ``state/russia``), event types as
        CAMEO codes (a code keeps its sub-codes: ``12`` keeps ``120``..``129x``)."""
        from diplograph.graph.network import resolve

        f = cls(
            start=start or None,
            end=end or None,
            graphs=tuple(_graph_iri(g) for g in graphs if g),
            actors=tuple(resolve(a) for a in actors if a),
            event_types=tuple(c.strip() for c in event_types if c and c.strip()),
        )
        lo, hi = f.start_day, f.end_day
        if lo and hi and lo > hi:
            raise ExportError(f"The date range is empty: 'from' {start} is after 'to' {end}.")
        for code in f.event_types:
            if not _CODE.match(code):
                raise ExportError(
                    f"The event type {code!r} is not a CAMEO code (2 to 4 digits, e.g. 12 or 1231)."
                )
        return f

    @functools.cached_property
    def start_day(self) -> date | None:
        return _day(self.start, "from", last=False)

    @functools.cached_property
    def end_day(self) -> date | None:
        return _day(self.end, "to", last=True)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def overlaps(self, start: str | None, end: str | None) -> bool:
        """Whether an interval (either bound may be unknown, not both) meets the date range."""
        lo, hi = self.start_day, self.end_day
        s, e = bounds(start), bounds(end)
        if s is None and e is None:
            return False
        return not (
            (hi is not None and s is not None and s[0] > hi)
            or (lo is not None and e is not None and e[1] < lo)
        )

    def matches_code(self, code: object) -> bool:
        return isinstance(code, str) and any(code.startswith(c) for c in self.event_types)


def _graph_iri(text: str) -> str:
    found = iris.expand_graph(text)
    if found is None:
        raise ExportError(
            f"{text.strip()!r} is not a named graph: give an IRI or a path such as "
            "article/article-001 or dataset/cow-igo."
        )
    return str(found)


def _edge_time(d: dict[str, object]) -> tuple[str | None, str | None]:
    if "date" in d:
        return str(d["date"]), str(d["date"])
    s, e = d.get("start"), d.get("end")
    return (str(s) if s else None), (str(e) if e else None)


def _keep_node(f: Filters, d: dict[str, object]) -> bool:
    if f.dated and any(k in d for k in ("date", "start", "end")):
        s, e = _edge_time(d)
        if not f.overlaps(s, e):
            return False
    return not (
        f.event_types and d.get("kind") == "claim" and not f.matches_code(d.get("event_code"))
    )


def _keep_edge(f: Filters, u: str, v: str, d: dict[str, object]) -> bool:
    if f.graphs and d.get("graph") not in f.graphs:
        return False
    if (
        f.actors
        and u not in f.actors
        and v not in f.actors
        and d.get("on_behalf_of") not in f.actors
    ):
        return False
    if f.dated and d.get("relation") in TIMED and not f.overlaps(*_edge_time(d)):
        return False
    return not (
        f.event_types
        and d.get("relation") in ("claim", "invokes", "speaker")
        and not f.matches_code(d.get("event_code"))
    )


def apply_filters(g: nx.MultiDiGraph, f: Filters) -> nx.MultiDiGraph:
    """A copy of ``g`` with the edges that pass ``f`` and their endpoints (plus the focus
    actors themselves when they are in ``g``)."""
    if f == Filters():
        return g
    nodes = {n for n, d in g.nodes(data=True) if _keep_node(f, d)}
    out = nx.MultiDiGraph(**g.graph)
    for u, v, k, d in g.edges(keys=True, data=True):
        if u in nodes and v in nodes and _keep_edge(f, u, v, d):
            for n in (u, v):
                if n not in out:
                    out.add_node(n, **g.nodes[n])
            out.add_edge(u, v, key=k, **d)
    for a in f.actors:
        if a in g and a not in out:
            out.add_node(a, **g.nodes[a])
    return out


__all__ = ["TIMED", "Filters", "apply_filters", "bounds", "disjoint", "earlier", "later"]
