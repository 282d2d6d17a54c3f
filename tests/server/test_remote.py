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


def test_pages_run_on_the_remote_store(
    make_app: Callable[..., Flask], remote_graph: DiploGraph
) -> None:
    """The linked-data pages read a remote store through the same executor (inline there)."""
    iri = "https://w3id.org/diplograph/id/state/remote-land"
    remote_graph.update(
        f"INSERT DATA {{ GRAPH <{G1}> {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> "
        f'"Remote Land"@en ; a <https://w3id.org/diplograph/ontology#State> }} }}'
    )
    app = make_app(graph=remote_graph)
    c = app.test_client()
    page = c.get("/page/state/remote-land")
    assert page.status_code == 200
    assert "Remote Land" in page.get_data(as_text=True)
    assert c.get("/id/state/remote-land").status_code == 303  # found by an ASK
    assert c.get("/id/state/nowhere-land").status_code == 404
    assert c.get("/sparql", query_string={"query": f"ASK {{ <{iri}> ?p ?o }}"}).json == {
        "head": {},
        "boolean": True,
    }
    assert app.extensions["diplograph"].cache.misses > 0
