"""docs/notebook.md's first example runs as written, on the notebook tests' store."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import diplograph as dg

DOC = (Path(__file__).parents[2] / "docs" / "notebook.md").read_text(encoding="utf-8")


def test_the_first_example_runs(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = DOC.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("DIPLOGRAPH_STORE", f"oxigraph:{store_path}")
    names: dict[str, object] = {}
    exec(compile(code, "docs/notebook.md", "exec"), names)
    g = names["g"]
    assert isinstance(g, dg.Graph) and g.url == f"oxigraph:{store_path}"
    rejected = names["rejected"]
    assert isinstance(rejected, dg.Rows) and len(rejected) > 0
    assert isinstance(g.network("actors", actors="state/russia", start="2014"), nx.MultiDiGraph)
    g.close()


def test_every_public_method_is_documented() -> None:
    for name in ("query", "named", "queries", "network", "describe", "expand", "close"):
        assert f"`g.{name}(" in DOC, name
    for name in ("to_dataframe", "records", "column", "labels"):
        assert f"`rows.{name}(" in DOC, name
