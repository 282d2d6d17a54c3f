"""How the default graph (the union of the named graphs) counts a triple held by two graphs:
pinned as docs/endpoint.md ("Counting") documents it."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from flask import Flask

from diplograph.graph.store.embedded import OxigraphGraph

RUSSIA = ox.NamedNode("https://w3id.org/diplograph/id/state/russia")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
NAME = ox.Literal("Russia", language="en")


def test_a_triple_in_two_graphs(make_app: Callable[..., Flask], sample: OxigraphGraph) -> None:
    holding = {q.graph_name for q in sample.store.quads_for_pattern(RUSSIA, LABEL, NAME)}
    other = next(g for g in sample.store.named_graphs() if g not in holding)
    sample.store.add(ox.Quad(RUSSIA, LABEL, NAME, other))
    c = make_app(graph=sample, workers=1).test_client()

    def count(query: str) -> int:
        r = c.get("/sparql", query_string={"query": query, "format": "json"})
        return int(r.json["results"]["bindings"][0]["n"]["value"])

    triple = f"<{RUSSIA.value}> <{LABEL.value}> ?l"
    # the union is a bag: once per graph holding the triple; DISTINCT makes it a set
    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {triple} }}") == len(holding) + 1 == 2
    assert count(f"SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE {{ {triple} }}") == 1
    # a graph is a set: CONSTRUCT and the Graph Store Protocol give the triple once
    r = c.get("/sparql", query_string={"query": f"CONSTRUCT WHERE {{ {triple} }}", "format": "nt"})
    assert len(list(ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES))) == 1
    r = c.get("/store?default", headers={"Accept": "application/n-triples"})
    got = [t for t in ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES) if t.subject == RUSSIA]
    assert sum(1 for t in got if t.predicate == LABEL) == 1
