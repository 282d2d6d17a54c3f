"""Running named queries on a graph, and the labels that make their results readable.

:func:`run_query` looks a query up in the catalogue (or takes a :class:`NamedQuery`), parses and
checks its parameter values, and lets the store bind them as typed RDF terms (pyoxigraph
substitutions locally, a ``VALUES`` block on a remote store): the values never become query text.
:func:`labels_for` (from :mod:`diplograph.graph.describe.labels`, re-exported here) finds a human
label for each IRI of a result, English first.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef
from rdflib.term import Node

from diplograph.errors import UnknownEntity
from diplograph.graph.describe.labels import labels_for
from diplograph.graph.search import suggest
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult
from diplograph.iri import ID
from diplograph.queries.registry import NamedQuery, get

_MENTIONED = "ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"


def check_entities(
    graph: DiploGraph,
    query: NamedQuery,
    bindings: Mapping[str, Node],
    *,
    key: object = None,
    then: tuple[str, Mapping[str, Node] | None] | None = None,
) -> QueryResult | None:
    """Raise :class:`UnknownEntity` for the first ``iri`` parameter bound to an entity of the
    data base (``https://w3id.org/diplograph/id/...``) that ``graph`` does not mention: such a
    query would silently find nothing. The suggestions come from the search index (``key``: see
    :func:`~diplograph.graph.search.index_for`), same kind first. The checks run together
    (:meth:`~diplograph.graph.store.DiploGraph.query_many`), with the query ``then`` (``(sparql,
    bindings)``) when given, whose result is returned once every entity is known."""
    checked = [
        (param.name, value)
        for param in query.params
        if param.type == "iri"
        and isinstance(value := bindings.get(param.name), URIRef)
        and value.startswith(str(ID))
    ]
    asks: list[tuple[str, Mapping[str, Node] | None]] = [
        (_MENTIONED, {"entity": value}) for _, value in checked
    ]
    if not asks and then is None:
        return None
    results = graph.query_many(asks + ([then] if then is not None else []))
    for (name, value), known in zip(checked, results, strict=False):
        if not known.boolean:
            raise UnknownEntity(name, value, suggest(graph, str(value), limit=5, key=key))
    return results[-1] if then is not None else None


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
    check_entities(graph, named, bindings)
    return graph.query(named.text, bindings=bindings)


__all__ = ["check_entities", "labels_for", "prepare", "run_query"]
