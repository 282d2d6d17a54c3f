"""The dated relations of one resource, for its page's timeline: memberships (of a state in an
organisation, or an organisation's members), alliance participations (a state's alliances, an
alliance's members) and offices (posts a person held, holders of a post).

Each :class:`Spell` keeps what the data says and no more: a start and an end as given (a year,
a month or a day), or None when the source leaves them out; an open spell (no end) is "still
held when the data was made", so it carries the end of its source's coverage when the metadata
graph states one (``dg:coverageEnd``), or the date up to which its source knew it
(``dg:knownUntil``): a page says "as of the data's end in 2014", never "to this day".

>>> from diplograph.graph.store import open_graph
>>> g = open_graph("memory:")
>>> g.update('''PREFIX dg: <https://w3id.org/diplograph/ontology#>
... INSERT DATA { GRAPH <urn:g> { <urn:m> dg:member <urn:fr> ; dg:ofOrganization <urn:nato> ;
...   dg:startDate "1949" } }''')
>>> [(s.kind, str(s.other), s.start, s.end) for s in history(g, URIRef("urn:fr"))]
[('member of', 'urn:nato', '1949', None)]
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.terms import to_oxigraph
from diplograph.iri import META_GRAPH, ONTOLOGY, prologue

DG = ONTOLOGY
#: Most spells gathered for one resource (a big organisation's members over 70 years).
MAX_SPELLS = 2000

#: (kind, the pattern from ``?this`` to ``?rel`` and ``?other``, the relation's role property)
_PATTERNS: tuple[tuple[str, str, str | None], ...] = (
    ("member of", "?rel dg:member ?this ; dg:ofOrganization ?other .", "dg:membershipStatus"),
    ("has member", "?rel dg:ofOrganization ?this ; dg:member ?other .", "dg:membershipStatus"),
    ("in alliance", "?rel dg:participant ?this ; dg:ofAgreement ?other . ?other a dg:Alliance .",
     None),
    ("alliance member", "?rel dg:ofAgreement ?this ; dg:participant ?other . "
     "?this a dg:Alliance .", None),
    ("held office", "?rel dg:holder ?this ; dg:ofPost ?other .", None),
    ("held by", "?rel dg:ofPost ?this ; dg:holder ?other .", None),
)  # fmt: skip


@dataclass(frozen=True)
class Spell:
    """One dated relation of the resource, as its source gives it."""

    kind: str  # "member of", "has member", "in alliance", "alliance member", "held office", …
    other: URIRef  # the organisation, member, alliance, post or holder
    role: URIRef | None  # the membership status, where given
    start: str | None  # as given: YYYY, YYYY-MM or YYYY-MM-DD
    end: str | None
    graph: URIRef | None  # the named graph (the source) that states it
    known_until: str | None = None  # open spell: the end of its source's coverage, or knownUntil
    observed: str | None = None  # dg:heldOn: held on this day, as an article says (no start/end)

    @property
    def open(self) -> bool:
        return self.end is None and self.start is not None

    @property
    def first_year(self) -> int | None:
        return _year(self.start) or _year(self.observed)

    @property
    def last_year(self) -> int | None:
        return _year(self.end) or _year(self.known_until) or _year(self.observed)


def _year(value: str | None) -> int | None:
    try:
        return int(value[:4]) if value else None
    except ValueError:
        return None


def _query(this: str) -> str:
    """The spells of ``this`` (an IRI written as SPARQL): the IRI is in the text, not bound
    by a VALUES block, so that each branch of the union starts from it (Oxigraph evaluates a
    union apart from a VALUES block before it: 10-20x slower)."""
    branches = []
    for kind, pattern, role in _PATTERNS:
        role_part = f"OPTIONAL {{ ?rel {role} ?role }}" if role else ""
        branches.append(f'{{ {pattern} {role_part} BIND("{kind}" AS ?kind) }}')
    union = "\n  UNION ".join(branches).replace("?this", this)
    return (
        prologue("dg")
        + f"""SELECT ?kind ?other ?role ?start ?end ?g ?known ?coverage ?on
WHERE {{
  GRAPH ?g {{
  {union}
  OPTIONAL {{ ?rel dg:startDate ?start }}
  OPTIONAL {{ ?rel dg:endDate ?end }}
  OPTIONAL {{ ?rel dg:knownUntil ?known }}
  OPTIONAL {{ ?rel dg:heldOn ?on }}
  }}
  OPTIONAL {{ GRAPH <{META_GRAPH}> {{ ?g dg:coverageEnd ?coverage }} }}
  FILTER(isIRI(?other))
}}
ORDER BY ?start ?kind ?other
LIMIT {MAX_SPELLS}"""
    )


def history(graph: DiploGraph, iri: URIRef) -> list[Spell]:
    """The dated relations of ``iri`` (see the module docstring), earliest first; undated ones
    (neither start nor end) last."""
    return read_history(graph.query(history_query(iri)))


def history_query(iri: URIRef) -> str:
    """The query of :func:`history`, to run with others (read by :func:`read_history`)."""
    return _query(str(to_oxigraph(URIRef(iri))))  # validated and written as N-Triples: <…>


def others_pattern(iri: URIRef) -> str:
    """A graph pattern binding ``?x`` to the other side of every spell of ``iri`` (and maybe a
    few more: it ignores the named graph), for their labels in the same round as the spells."""
    this = str(to_oxigraph(URIRef(iri)))
    branches = [pattern.replace("?other", "?x") for _, pattern, _ in _PATTERNS]
    return "{ " + " }\n  UNION { ".join(branches).replace("?this", this) + " }"


def read_history(result: QueryResult) -> list[Spell]:
    """The spells in the result of :func:`history_query`, in the order of :func:`history`."""
    out: list[Spell] = []
    seen: set[tuple[object, ...]] = set()
    for kind, other, role, start, end, g, known, coverage, on in result.rows:
        if not isinstance(other, URIRef):
            continue
        key = (kind, other, role, start, end, on)
        if key in seen:  # the same relation stated by two graphs: the first one
            continue
        seen.add(key)
        limit = known if known is not None else coverage
        out.append(
            Spell(
                str(kind),
                other,
                role if isinstance(role, URIRef) else None,
                str(start) if start is not None else None,
                str(end) if end is not None else None,
                g if isinstance(g, URIRef) else None,
                str(limit) if limit is not None and end is None else None,
                str(on) if on is not None else None,
            )
        )
    out.sort(key=lambda s: (s.first_year is None, s.start or s.observed or s.end or "", s.kind))
    return out


@dataclass(frozen=True)
class Bar:
    """A spell placed on the drawn timeline: x and width in percent of the axis."""

    spell: Spell
    x: float
    width: float
    row: int


def timeline(spells: list[Spell], *, most: int = 60) -> tuple[int, int, list[Bar]]:
    """The years axis (first, last) and up to ``most`` dated spells as bars, one per row, in
    order of start: the latest ones when there are more (open spells and recent ends first). An
    open spell runs to its coverage end when known, else to the last year of the axis (drawn
    as open). Undated spells are not drawn (the table lists them)."""
    dated = [s for s in spells if s.first_year is not None]
    years = [y for s in dated for y in (s.first_year, s.last_year) if y is not None]
    if len(dated) > most:
        recent = sorted(dated, key=lambda s: 10_000 if s.open else (s.last_year or 0), reverse=True)
        kept = {id(s) for s in recent[:most]}
        dated = [s for s in dated if id(s) in kept]
    if not dated:
        return 0, 0, []
    first = min(s.first_year for s in dated if s.first_year is not None)
    last = max([*years, first + 1])  # open spells without a known end run to the data's last year
    span = max(last - first + 1, 1)
    bars = []
    for row, s in enumerate(dated):
        start = s.first_year or first
        end = s.last_year or last
        x = 100.0 * (start - first) / span
        width = max(100.0 * (end - start + 1) / span, 0.5)
        bars.append(Bar(s, round(x, 2), round(min(width, 100.0 - x), 2), row))
    return first, last, bars


__all__ = [
    "MAX_SPELLS",
    "Bar",
    "Spell",
    "history",
    "history_query",
    "others_pattern",
    "read_history",
    "timeline",
]
