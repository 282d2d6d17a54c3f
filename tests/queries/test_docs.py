"""docs/queries.md is generated from the headers and up to date; every documented example runs in
the data-driven tests (it is one of the cases with expected rows)."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.queries import NamedQuery, catalogue
from diplograph.queries.docs import render

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).parent / "expected"
ID = "https://w3id.org/diplograph/id/"


def test_docs_match_the_headers() -> None:
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert text == render(), (
        "docs/queries.md is out of date: python -m diplograph.queries.docs > docs/queries.md"
    )


def test_docs_name_every_query_with_an_example_command() -> None:
    text = render()
    for q in catalogue().values():
        assert f'<a id="{q.name}"></a>\n### {q.title}' in text
        assert f"$ diplograph query {q.name}" in text


@pytest.mark.parametrize("q", list(catalogue().values()), ids=list(catalogue()))
def test_the_documented_example_is_a_tested_case(q: NamedQuery) -> None:
    cases = json.loads((EXPECTED / f"{q.name}.json").read_text(encoding="utf-8"))["cases"]
    assert q.example_params() in [c["params"] for c in cases]


def test_the_python_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    store = tmp_path / "store"
    with open_graph(f"oxigraph:{store}") as g:
        build(g, parts=("ontology", "codes", "articles"))
    gc.collect()  # release the writer before the example opens the store again
    exec(code.replace("oxigraph:data/store", f"oxigraph:{store}"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{ID}person/sergey-lavrov {ID}group/european-states "
        "European troops are present in Ukraine after the conflict.",
        f"{ID}organization/kremlin {ID}group/european-states ",
    ]
