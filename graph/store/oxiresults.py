"""pyoxigraph query results as diplograph's :class:`~diplograph.graph.store.results.QueryResult`, or
serialised natively in a format of :mod:`diplograph.formats` (used by the embedded backend)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import QueryError
from diplograph.graph.store.results import QueryResult, ResultKind
from diplograph.graph.store.terms import to_rdflib


def kind_of(raw: Any) -> ResultKind:
    """SELECT, ASK or CONSTRUCT (DESCRIBE gives CONSTRUCT) for a pyoxigraph result."""
    if isinstance(raw, ox.QueryTriples):
        return "CONSTRUCT"
    return "ASK" if isinstance(raw, ox.QueryBoolean) else "SELECT"


def to_result(raw: Any) -> QueryResult:
    """The result as rdflib terms."""
    try:
        if isinstance(raw, ox.QuerySolutions):
            names = [v.value for v in raw.variables]
            # a term met again (a graph, a predicate, a kind of row) is converted once: making
            # rdflib terms, literals above all, is most of the cost of reading a result
            memo: dict[Any, Node] = {}
            rows: list[tuple[Node | None, ...]] = []
            for s in raw:
                row: list[Node | None] = []
                for i in range(len(names)):
                    term = s[i]
                    if term is None:
                        row.append(None)
                        continue
                    node = memo.get(term)
                    if node is None:
                        node = memo[term] = to_rdflib(term)
                    row.append(node)
                rows.append(tuple(row))
            return QueryResult("SELECT", names, rows)
        if isinstance(raw, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(raw))
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in raw]
        return QueryResult("CONSTRUCT", triples=triples)
    except OSError as exc:
        raise QueryError(f"The query failed while running: {exc}") from exc


def serialize(raw: Any, chosen: formats.Format) -> bytes | None:
    """The result in ``chosen`` by Oxigraph's own writers, or None when rdflib must write it
    (datasets, JSON-LD and N3, which pyoxigraph writes as plain triples)."""
    kind = kind_of(raw)
    if chosen.oxigraph is None:
        raise QueryError(f"A {kind} result cannot be written as {chosen.label}.")
    try:
        if kind == "CONSTRUCT":
            if chosen.kind not in ("graph", "dataset"):
                raise QueryError(f"A graph result cannot be written as {chosen.label}.")
            if chosen.kind == "dataset" or chosen.key in ("jsonld", "n3"):
                return None
            data = raw.serialize(format=getattr(ox.RdfFormat, chosen.oxigraph))
        else:
            if chosen.kind != "results":
                raise QueryError(f"A {kind} result cannot be written as {chosen.label}.")
            data = raw.serialize(format=getattr(ox.QueryResultsFormat, chosen.oxigraph))
    except OSError as exc:
        raise QueryError(f"The query failed while running: {exc}") from exc
    return bytes(data or b"")
