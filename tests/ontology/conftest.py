"""Fixtures of the ontology tests: the hand-written sample and the seed article's data."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

SAMPLE = Path(__file__).with_name("data") / "sample.ttl"


@pytest.fixture
def sample() -> Graph:
    """A fresh copy of the hand-written sample (tests may change it)."""
    return Graph().parse(SAMPLE, format="turtle")


@pytest.fixture(scope="module")
def seed_data() -> Graph:
    """The bundled article records as one graph (no ontology, no code lists)."""
    from diplograph.graph.records import bundled_article_sources

    g = Graph()
    for _, triples in bundled_article_sources():
        for t in triples:
            g.add(t)
    assert len(g) > 100
    return g
