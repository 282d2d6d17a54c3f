"""The endpoint in front of a remote SPARQL server (``sparql+http://``): queries run there
(inline, the remote server bounds the time), with the same protocol, dataset and bindings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from rdflib import Literal

from diplograph.graph.store import DiploGraph
from diplograph.server.context import run_query

pytestmark = pytest.mark.slow

G1, G2 = "urn:test:remote:g1", "urn:test:remote:g2"


def test_queries_go_to_the_remote_store(
    make_app: Callable[..., Flask], remote_graph: DiploGraph
) -> None:
    remote_graph.update(
        f'INSERT DATA {{ GRAPH <{G1}> {{ <urn:a> <urn:p> "one" }} '
        f'GRAPH <{G2}> {{ <urn:b> <urn:p> "two" }} }}'
    )
    app = make_app(graph=remote_graph)
    assert app.extensions["diplograph"].executor.__class__.__name__ == "InlineExecutor"
    c = app.test_client()
    q = "SELECT ?o WHERE { ?s <urn:p> ?o } ORDER BY ?o"
    r = c.get("/sparql", query_string={"query": q})
    assert [b["o"]["value"] for b in r.json["results"]["bindings"]] == ["one", "two"]
    r = c.get("/sparql", query_string={"query": q, "default-graph-uri": G2})
    assert [b["o"]["value"] for b in r.json["results"]["bindings"]] == ["two"]
    with app.test_request_context():
        body, fmt, _ = run_query(
            "SELECT ?s WHERE { ?s <urn:p> ?o }", fmt="csv", bindings={"o": Literal("one")}
        )
    assert fmt.key == "csv"
    assert body.decode().splitlines() == ["s", "urn:a"]
