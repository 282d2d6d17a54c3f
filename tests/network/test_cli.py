"""The export and analyze commands over an on-disk store holding the fictional test graph."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.graph.store import DiploGraph, open_graph


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, load_fiction: Callable[[DiploGraph], None]
) -> str:
    url = f"oxigraph:{tmp_path_factory.mktemp('store') / 'db'}"
    with open_graph(url) as g:
        load_fiction(g)
    return url


def run(store: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", store, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_export_graphml_to_a_file(store, tmp_path: Path):
    out = tmp_path / "actors.graphml"
    code, _, stderr = run(store, "export", "--view", "actors", "-o", str(out))
    assert code == 0, stderr
    assert stderr.strip() == (f"Wrote the actors view (7 nodes, 7 edges) as GraphML to {out}.")
    g = nx.read_graphml(out)
    assert g.number_of_nodes() == 7
    assert g.nodes["https://w3id.org/diplograph/id/state/ruritania"]["label"] == "Ruritania"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_export_with_filters_to_stdout(store):
    code, stdout, stderr = run(
        store, "export", "--view", "claims", "--format", "d3", "--from", "2021", "--to", "2021"
    )
    assert code == 0, stderr
    data = json.loads(stdout)
    assert sorted(link["iri"][-1] for link in data["links"]) == ["1", "2"]
    code, stdout, _ = run(
        store,
        "export",
        "--view",
        "claims",
        "--format",
        "gexf",
        "--actor",
        "state/syldavia",
        "--event-type",
        "13",
    )
    back = nx.read_gexf(io.StringIO(stdout))
    assert back.number_of_edges() == 1


def test_export_format_from_suffix(store, tmp_path: Path):
    out = tmp_path / "claims.dot"
    code, _, stderr = run(store, "export", "--view", "claims", "-o", str(out))
    assert code == 0, stderr
    assert out.read_text().startswith('digraph "claims" {')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xls"], "Error: Unknown network format 'xls'; choose one of: "),
        (["export", "--from", "yesterday"], "Error: The 'from' date 'yesterday' is not a date"),
        (["export", "--actor", "state/oz"], "Error: There is no resource <https://w3id.org/"),
        (["export", "--event-type", "12"], "Error: The actors view has no claims"),
    ],
)
def test_export_errors_exit_2_with_a_message(store, args, message):
    code, stdout, stderr = run(store, *args)
    assert code == 2
    assert stderr.startswith(message)
    assert stdout == ""


def test_analyze_centrality(store):
    code, stdout, stderr = run(store, "analyze", "centrality", "--top", "2")
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines[0].split() == [
        "label",
        "kind",
        "degree",
        "betweenness",
        "eigenvector",
        "pagerank",
        "iri",
    ]
    assert lines[2].startswith("Freedonia") and lines[3].startswith("Ruritania")
    assert len(lines) == 4
    code, stdout, _ = run(store, "analyze", "centrality", "--json")
    assert json.loads(stdout)[0]["label"] == "Freedonia"


def test_analyze_path(store):
    code, stdout, stderr = run(
        store, "analyze", "path", "person/rudolf-rassendyll", "organization/league"
    )
    assert code == 0, stderr
    assert stdout.splitlines() == [
        "1. Rassendyll praises Freedonia --speaker--> Rudolf Rassendyll",
        "2. Rassendyll praises Freedonia --invokes--> Charter of Zenda",
        "3. Charter of Zenda --adoptedBy--> League of Fictional Nations",
    ]
    code, _, stderr = run(store, "analyze", "path", "state/oz", "state/ruritania")
    assert code == 2 and "There is no resource <https://w3id.org/diplograph/id/state/oz>" in stderr


def test_analyze_balance(store):
    code, stdout, stderr = run(store, "analyze", "balance")
    assert code == 0, stderr
    assert "Freedonia  Syldavia   1       0     1         -7.0       -" in stdout
    assert "Borduria / Ruritania / Syldavia   + + -  unbalanced" in stdout
    assert "Freedonia / Ruritania / Syldavia  + - -  balanced" in stdout
    code, stdout, _ = run(store, "analyze", "balance", "--json")
    data = json.loads(stdout)
    assert [t["balanced"] for t in data["triads"]] == [False, True]


def test_analyze_communities_and_contested(store):
    code, stdout, stderr = run(store, "analyze", "communities", "--json")
    assert code == 0, stderr
    assert sum(len(c) for c in json.loads(stdout)) == 7
    code, stdout, stderr = run(store, "analyze", "contested")
    assert code == 0, stderr
    assert stdout.splitlines() == [
        "Syldavia courts Borduria (Syldavia)",
        "  contests",
        "Ruritania praises Borduria (Ruritania)",
    ]
