"""A query result made ready for a page: rows of rdflib terms, the labels of their IRIs, whether
it was cut at the result cap, and how long it took; and its terms as JSON for the JSON twins.

The query runs through :func:`diplograph.server.context.run_query` (the same checks, workers,
timeout and cap as ``/sparql``), asked for SPARQL JSON (SELECT/ASK) or N-Triples (CONSTRUCT,
shown as subject/predicate/object rows). Labels come from :func:`diplograph.queries.labels_for`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from diplograph.graph.store.terms import from_sparql_json
from diplograph.queries import labels_for
from diplograph.server import urls
from diplograph.server.context import TRUNCATED_HEADER, current_state, run_query

# what a page asks the endpoint for: a table, or a graph it then shows as triples
_PAGE_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


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


def run_for_page(sparql: str, bindings: Mapping[str, Node]) -> PageResult:
    """Run ``sparql`` the safe way (:func:`~diplograph.server.context.run_query`) and gather
    what a page shows: rows of rdflib terms and the labels of their IRIs."""
    started = time.perf_counter()
    body, fmt, headers = run_query(sparql, accept=_PAGE_ACCEPT, bindings=bindings)
    ms = round((time.perf_counter() - started) * 1000, 1)
    truncated = headers.get(TRUNCATED_HEADER, "").lower() == "true"
    boolean: bool | None = None
    rows: list[tuple[Node | None, ...]]
    if fmt.kind == "results":
        data = json.loads(body)
        if "boolean" in data:
            columns, boolean = ["answer"], bool(data["boolean"])
            rows = [(Literal(boolean),)]
        else:
            columns = list(data["head"].get("vars", []))
            rows = [
                tuple(from_sparql_json(b[c]) if c in b else None for c in columns)
                for b in data["results"]["bindings"]
            ]
        is_graph = False
    else:
        g = Graph()
        g.parse(data=body.decode("utf-8"), format="nt")
        columns = ["subject", "predicate", "object"]
        rows = [tuple(t) for t in sorted(g, key=lambda t: tuple(str(x) for x in t))]
        is_graph = True
    iris = {t for row in rows for t in row if isinstance(t, URIRef)}
    labels = labels_for(current_state().graph, iris) if iris else {}
    return PageResult(columns, rows, labels, truncated, ms, boolean, is_graph)


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
