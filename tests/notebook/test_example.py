"""docs/examples/notebook.ipynb runs end to end (nbclient, a Python kernel from this
interpreter) against the notebook tests' store, and shows what the store holds: each output is
checked against the same answer got through the lower layers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from diplograph.graph.describe.labels import labels_for
from diplograph.graph.network import build_view
from diplograph.graph.network.analysis import centrality
from diplograph.graph.store import open_graph
from diplograph.queries.run import run_query

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "notebook.ipynb"


def _text(cell: Any) -> str:
    """Everything a cell showed as text: printed lines and the plain form of its value."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            parts.append(out["data"].get("text/plain", ""))
    return "".join(parts)


def _cell(nb: Any, starts: str) -> Any:
    found = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts)]
    assert len(found) == 1, starts
    return found[0]


@pytest.fixture(scope="module")
def executed(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    nb = nbformat.read(EXAMPLE, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "the example is committed without outputs"
    )
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))  # the check
    mp = pytest.MonkeyPatch()
    mp.setenv("DIPLOGRAPH_STORE", f"oxigraph:{store_path}")  # the kernel inherits it
    try:
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=600,
            resources={"metadata": {"path": str(tmp_path_factory.mktemp("run"))}},
        )
        client.execute()
    finally:
        mp.undo()
    return nb


@pytest.mark.slow
def test_the_example_runs_in_this_interpreter(executed: Any) -> None:
    assert _text(executed.cells[-1]) == sys.executable + "\n"  # the kernel of this interpreter
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert _text(_cell(executed, "import diplograph")).strip().startswith("<diplograph.Graph ")


@pytest.mark.slow
def test_the_example_shows_what_the_store_holds(executed: Any, store_path: Path) -> None:
    with open_graph(f"oxigraph:{store_path}", read_only=True) as store:
        rejected = run_query(store, "rejected-proposals")
        labels = labels_for(store, [t for row in rejected.rows for t in row])
        claims = build_view(store, "claims")
        central = [c.label for c in centrality(claims, top=3)]
        lavrov_made = run_query(store, "claims-by-actor", actor="person/sergey-lavrov")
        top = store.query(
            "SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c <https://w3id.org/diplograph/ontology#speaker> "
            "?s } GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 3"
        ).rows
        top_labels = labels_for(store, [s for s, _ in top])
    shown = _text(_cell(executed, "rejected = "))
    assert shown.splitlines() == [
        f"{len(rejected.rows)} rejected proposals",
        str(tuple(rejected.variables)),
    ]
    table = _text(_cell(executed, "df = rejected"))
    for row in rejected.bindings():
        assert labels[row["rejectedBy"]] in table  # type: ignore[index]
        assert labels[row["proposal"]][:30] in table  # type: ignore[index]
    assert _text(_cell(executed, "from diplograph.graph.network")).splitlines() == [
        f"{claims.number_of_nodes()} nodes, {claims.number_of_edges()} edges",
        *central,
    ]
    described = _text(_cell(executed, "lavrov = "))
    claims_made = {str(row[3]) for row in lavrov_made.rows}
    assert described.splitlines()[0] == f"Sergey Lavrov {len(claims_made)}"
    assert "id:claim/article-001/1" in described
    speakers = _text(_cell(executed, "speakers = ")).splitlines()
    assert speakers[0].split() == ["speaker_label", "claims"]
    assert [line.strip().rsplit(None, 1) for line in speakers[1:]] == [
        [top_labels[s], str(n)]  # type: ignore[index]
        for s, n in top
    ]
