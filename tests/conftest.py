"""Fixtures shared by every test package.

- ``seed_graph``: an in-memory graph built through the real build path from the ontology, code
  lists, article records and links (no datasets); session-wide, read-only by convention.
- ``full_graph``: the same plus every bundled dataset (what ``make run`` serves); session-wide,
  read-only by convention.
- ``empty_graph``: a fresh in-memory graph for tests that write.

Tests that write must use their own graph; never write to the session graphs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from diplograph.graph.build import build
from diplograph.graph.store import DiploGraph, open_graph


@pytest.fixture(scope="session")
def seed_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    build(g, parts=("ontology", "codes", "articles", "links"))
    yield g
    g.close()


@pytest.fixture(scope="session")
def full_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    build(g)
    yield g
    g.close()


@pytest.fixture
def empty_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    yield g
    g.close()
