"""A result cut at ``max_results`` says so in its body, in the body's own format, as well as in
the ``X-Diplograph-Truncated`` header; the body still parses and holds exactly the cap."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph

CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
SELECT = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize(
    ("fmt", "ox_format", "marker"),
    [
        ("turtle", "TURTLE", b"# diplograph: cut at max_results = 2"),
        ("ntriples", "N_TRIPLES", b"# diplograph: cut at max_results = 2"),
        ("n3", "N3", b"# diplograph: cut at max_results = 2"),
        ("trig", "TRIG", b"# diplograph: cut at max_results = 2"),
        ("nquads", "N_QUADS", b"# diplograph: cut at max_results = 2"),
        ("rdfxml", "RDF_XML", b"<!-- diplograph: cut at max_results = 2"),
    ],
)
def test_graph_results_say_they_were_cut(
    make_app: Callable[..., Flask], sample: DiploGraph, fmt: str, ox_format: str, marker: bytes
) -> None:
    c = make_app(graph=sample, workers=1, max_results=2).test_client()
    r = c.get("/sparql", query_string={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200 and r.headers["X-Diplograph-Truncated"] == "true"
    assert marker in r.data
    assert len(list(ox.parse(r.data, format=getattr(ox.RdfFormat, ox_format)))) == 2
    whole = make_app(graph=sample, workers=1, max_results=100).test_client()
    r = whole.get("/sparql", query_string={"query": CONSTRUCT, "format": fmt})
    assert "X-Diplograph-Truncated" not in r.headers and b"diplograph: cut" not in r.data


def test_jsonld_and_select_bodies(make_app: Callable[..., Flask], sample: DiploGraph) -> None:
    c = make_app(graph=sample, workers=1, max_results=2).test_client()
    doc: Any = json.loads(
        c.get("/sparql", query_string={"query": CONSTRUCT, "format": "jsonld"}).data
    )
    marker = [n for n in doc if "https://w3id.org/diplograph/ontology#truncatedAt" in n]
    assert marker == [{"@id": "_:truncated", "https://w3id.org/diplograph/ontology#truncatedAt": 2}]
    assert len(doc) >= 2
    r = c.get("/sparql", query_string={"query": SELECT, "format": "json"})
    assert r.json["truncated"] is True and len(r.json["results"]["bindings"]) == 2
    r = c.get("/sparql", query_string={"query": SELECT, "format": "xml"})
    assert r.data.rstrip().endswith(
        b"<!-- diplograph: cut at max_results = 2; the full result has more -->"
    )
    rows = ox.parse_query_results(r.data, format=ox.QueryResultsFormat.XML)
    assert len(list(rows)) == 2
