"""The command line's small promises (issue 20): one reader for graph names (``dump --graph``
and ``drop --graph`` take what ``export --graph`` takes), files written with the user's umask
(or the mode of the file they replace) and never half written, ``query --show`` without
parameters."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from diplograph import iri
from diplograph.cli import cli
from diplograph.cli.base import atomic_output

STATES_TTL = f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{iri.entity("state", "russia")}> rdfs:label "Russia"@en .
<{iri.entity("state", "ukraine")}> rdfs:label "Ukraine"@en .
"""
FILE_GRAPH = str(iri.file_graph("states"))


@pytest.fixture
def store(tmp_path: Path) -> str:
    states = tmp_path / "states.ttl"
    states.write_text(STATES_TTL, encoding="utf-8")
    url = f"oxigraph:{tmp_path / 'store'}"
    assert run(url, "ingest", "-q", "--no-shacl", str(states)).exit_code == 0
    return url


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


@pytest.mark.parametrize("name", ["file/states", "graph/file/states", f"<{FILE_GRAPH}>"])
def test_dump_takes_the_short_graph_names_export_takes(store: str, name: str) -> None:
    result = run(store, "dump", "--format", "ntriples", "--graph", name)
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.stdout_bytes, ox.RdfFormat.N_TRIPLES))
    assert {t.subject.value for t in triples} == {
        str(iri.entity("state", "russia")),
        str(iri.entity("state", "ukraine")),
    }


def test_dump_names_the_graph_it_did_not_find_in_full(store: str) -> None:
    result = run(store, "dump", "--format", "ntriples", "--graph", "file/nowhere")
    assert result.exit_code == 2
    assert f"no named graph <{iri.file_graph('nowhere')}>" in result.output
    result = run(store, "dump", "--format", "ntriples", "--graph", "not a graph")
    assert result.exit_code == 2
    assert "'not a graph' is not a named graph" in result.output


def test_drop_takes_a_short_graph_name(store: str) -> None:
    result = run(store, "drop", "--graph", "file/states")
    assert result.output == f"Dropped <{FILE_GRAPH}>.\n"


def test_export_and_dump_files_get_the_users_umask(store: str, tmp_path: Path, umask: int) -> None:
    exported, dumped = tmp_path / "actors.graphml", tmp_path / "states.nt"
    assert run(store, "export", "-o", str(exported)).exit_code == 0
    assert run(store, "dump", "--graph", "file/states", "-o", str(dumped)).exit_code == 0
    for path in (exported, dumped):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path  # 0666 less 027, not 0600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o604)
    with atomic_output(path) as fh:
        fh.write(b"new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(path) as fh:
        fh.write(b"half")
        raise RuntimeError("interrupted")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_query_show_needs_no_parameters(tmp_path: Path) -> None:
    missing = f"oxigraph:{tmp_path / 'nowhere'}"
    result = run(missing, "query", "leader-on-date", "--show")  # two required parameters
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# title: ")
    assert "#   - name: state" in result.output and "# parameters" not in result.output
    assert not (tmp_path / "nowhere").exists()


def test_query_show_with_parameters_shows_them_bound(tmp_path: Path) -> None:
    missing = f"oxigraph:{tmp_path / 'nowhere'}"
    result = run(
        missing, "query", "leader-on-date", "--show", "-p", "state=state/russia", "-p", "on=2014"
    )
    assert result.exit_code == 0, result.output
    assert "VALUES (?state ?on) { (<https://w3id.org/diplograph/id/state/russia> " in result.output
    assert '"2014"^^<http://www.w3.org/2001/XMLSchema#gYear>' in result.output
    bad = run(
        missing, "query", "leader-on-date", "--show", "-p", "state=state/x", "-p", "on=yesterday"
    )
    assert bad.exit_code == 2 and "parameter 'on': 'yesterday' is not a date" in bad.output
