"""Running named queries on a graph, and the labels that make their results readable.

:func:`run_query` looks a query up in the catalogue (or takes a :class:`NamedQuery`), parses and
checks its parameter values, and lets the store bind them as typed RDF terms (pyoxigraph
substitutions locally, a ``VALUES`` block on a remote store): the values never become query text.
:func:`labels_for` finds a human label for each IRI of a result, English first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph.graph.results import QueryResult
from diplograph.graph.store import DiploGraph
from diplograph.queries.params import expand_iri
from diplograph.queries.registry import NamedQuery, get

_LABELS = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label ?pref WHERE {
  VALUES ?s { %s }
  { ?s skos:prefLabel ?label BIND(0 AS ?pref) }
  UNION
  { ?s rdfs:label ?label BIND(1 AS ?pref) }
}"""
_BATCH = 400


def prepare(
    query: str | NamedQuery, values: Mapping[str, str | int | Node | None]
) -> tuple[NamedQuery, dict[str, Node]]:
    """The named query and the typed bindings of ``values`` (raises on a bad parameter)."""
    named = get(query) if isinstance(query, str) else query
    return named, named.bind(values)


def run_query(
    graph: DiploGraph, query: str | NamedQuery, /, **params: str | int | Node | None
) -> QueryResult:
    """Run a named query by name (or a :class:`NamedQuery`) with parameter values.

    Values are text (``"state/russia"``, ``"1999-11-19"``), ints or rdflib terms; they are parsed by
    type, defaults are applied, and a :class:`~diplograph.errors.QueryParameterError` names any bad,
    unknown or missing parameter. Rows hold rdflib terms.
    """
    named, bindings = prepare(query, params)
    return graph.query(named.text, bindings=bindings)


def labels_for(graph: DiploGraph, iris: Iterable[Node | str | None]) -> dict[URIRef, str]:
    """A label for each IRI that has one: ``skos:prefLabel`` or ``rdfs:label``, English first,
    then a label without language, then any other; IRIs without a label are left out."""
    wanted: list[URIRef] = []
    seen: set[URIRef] = set()
    for item in iris:
        if isinstance(item, URIRef) or (isinstance(item, str) and not isinstance(item, Literal)):
            checked = expand_iri(str(item))
            if checked is not None and checked not in seen:
                seen.add(checked)
                wanted.append(checked)
    best: dict[URIRef, tuple[tuple[int, int, str], str]] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        values = " ".join(f"<{i}>" for i in chunk)
        result = graph.query(_LABELS % values)
        for row in result.rows:
            s, label, pref = row
            if not isinstance(s, URIRef) or not isinstance(label, Literal):
                continue
            lang = (label.language or "").lower()
            lang_rank = 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2
            rank = (lang_rank, int(cast(Literal, pref).toPython()), str(label))
            if s not in best or rank < best[s][0]:
                best[s] = (rank, str(label))
    return {s: label for s, (_, label) in best.items()}
