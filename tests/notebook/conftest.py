"""The notebook tests' own store: the ontology, code lists, article records and links built into
an on-disk Oxigraph store through the real build path (what ``dg.open()`` reads there)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notebook") / "store"
    with open_graph(f"oxigraph:{path}") as g:
        build(g, parts=("ontology", "codes", "articles", "links"))
    gc.collect()  # the writer's RocksDB handle goes before the readers come
    return path
