"""A query result made ready for a page: rows of rdflib terms, the labels of their IRIs, whether
it was cut at the result cap, and how long it took; and its terms as JSON for the JSON twins.

The query, and the one that finds the labels (:func:`diplograph.queries.labels_for`), run through
the guarded executor (:mod:`.guarded_graph`: the same checks, workers, timeout and cap as
``/sparql``); a CONSTRUCT result is shown as subject/predicate/object rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from diplograph.graph.store.results import QueryResult
from diplograph.queries import labels_for
from diplograph.server import urls
from diplograph.server.guarded_graph import GuardedGraph, page_graph


@dataclass
class PageResult:
    """A result ready for a page: columns, rows of rdflib terms, labels of their IRIs."""

    columns: list[str]
    rows: list[tuple[Node | None, ...]]
    labels: dict[URIRef, str]
    truncated: bool
    ms: float
    boolean: bool | None = None
    is_graph: bool = False


def run_for_page(
    sparql: str,
    bindings: Mapping[str, Node],
    run: Callable[[GuardedGraph, str, Mapping[str, Node]], QueryResult] | None = None,
) -> PageResult:
    """Run ``sparql`` through the guarded executor (:class:`~.guarded_graph.GuardedGraph`) and
    gather what a page shows: rows of rdflib terms and the labels of their IRIs. ``run(graph,
    sparql, bindings)``: how to run it (with other queries of the page), else on its own."""
    graph = page_graph()
    started = time.perf_counter()
    run = run or (lambda graph, text, values: graph.query(text, bindings=values))
    result = run(graph, sparql, bindings)
    ms = round((time.perf_counter() - started) * 1000, 1)
    boolean: bool | None = None
    rows: list[tuple[Node | None, ...]]
    if result.kind == "ASK":
        columns, boolean = ["answer"], bool(result.boolean)
        rows = [(Literal(boolean),)]
    elif result.kind == "SELECT":
        columns, rows = result.variables, result.rows
    else:
        columns = ["subject", "predicate", "object"]
        rows = [tuple(t) for t in sorted(result.triples, key=lambda t: tuple(str(x) for x in t))]
    iris = {t for row in rows for t in row if isinstance(t, URIRef)}
    labels = labels_for(graph, iris) if iris else {}
    kind_graph = result.kind == "CONSTRUCT"
    return PageResult(columns, rows, labels, result.truncated, ms, boolean, kind_graph)


def json_term(term: Node, labels: Mapping[URIRef, str]) -> dict[str, Any]:
    """A term of the JSON twin: SPARQL JSON's shape plus ``label`` and ``href`` for IRIs."""
    if isinstance(term, URIRef):
        out: dict[str, Any] = {"type": "uri", "value": str(term), "href": urls.resource_url(term)}
        if term in labels:
            out["label"] = labels[term]
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    lit: dict[str, Any] = {"type": "literal", "value": str(term)}
    if term.language:
        lit["xml:lang"] = term.language
    elif term.datatype is not None:
        lit["datatype"] = str(term.datatype)
    return lit
