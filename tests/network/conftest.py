"""Fixtures of the network tests: ``fiction``, a small fictional graph (tests/network/data) loaded
through the store's real write path, one named graph per source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Source, Triple, sha256_of

DATA = Path(__file__).parent / "data" / "fiction.trig"


def load_fiction(graph: DiploGraph) -> None:
    """Write each named graph of the TriG file as one source, through replace_graphs."""
    by_graph: dict[str, list[Triple]] = {}
    for q in ox.parse(path=str(DATA), format=ox.RdfFormat.TRIG):
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        by_graph.setdefault(q.graph_name.value, []).append(triple)  # type: ignore[union-attr]
    items = [
        (
            Source(
                graph=URIRef(name),
                title=f"test data {name}",
                kind="file",
                origin=str(DATA),
                content_hash=sha256_of([DATA]),
            ),
            triples,
        )
        for name, triples in sorted(by_graph.items())
    ]
    graph.replace_graphs(items)


@pytest.fixture(scope="session")
def fiction() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    load_fiction(g)
    yield g
    g.close()
