"""Fixtures of the store tests: the same behavioural suite runs on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from diplograph.graph.store import DiploGraph, open_graph

BACKENDS = ("memory", "disk", "remote")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DiploGraph]:
    """An empty graph on each backend: in-memory Oxigraph, on-disk Oxigraph, `oxigraph serve`."""
    if request.param == "remote":
        yield request.getfixturevalue("remote_graph")
        return
    url = "memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}"
    g = open_graph(url)
    yield g
    g.close()
