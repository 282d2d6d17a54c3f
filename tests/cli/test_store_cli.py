"""The store commands: init, ingest, build, validate, stats, dump, sources, drop. Through click's
CliRunner, and a few runs of the installed ``diplograph`` script as a real subprocess."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from diplograph import __version__, iri
from diplograph.cli import cli
from diplograph.graph.records import bundled_article_files
from diplograph.graph.store import open_graph

COMMANDS = ("init", "ingest", "build", "validate", "stats", "dump", "sources", "drop")
DG = str(iri.ONTOLOGY)
RUSSIA = iri.entity("state", "russia")
STATES_TTL = f"""@prefix dg: <{DG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{RUSSIA}> a dg:State ; rdfs:label "Russia"@en ; dg:cowCode 365 .
<{iri.entity("state", "ukraine")}> a dg:State ; rdfs:label "Ukraine"@en .
"""
FILE_GRAPH = str(iri.file_graph("states"))


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"oxigraph:{tmp_path / 'store'}"


@pytest.fixture
def states(tmp_path: Path) -> Path:
    path = tmp_path / "states.ttl"
    path.write_text(STATES_TTL, encoding="utf-8")
    return path


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help(runner: CliRunner, command: str, flag: str) -> None:
    result = runner.invoke(cli, [command, flag])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {command} [OPTIONS]")


def test_the_group_documents_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "  2  invalid input: validation problems" in result.output
    assert "  3  store unavailable" in result.output
    for command in COMMANDS:
        assert f"  {command} " in result.output


def test_init(store: str, states: Path) -> None:
    first = run(store, "init")
    assert first.exit_code == 0
    assert first.output.startswith(f"Empty store ready at {store} (")
    run(store, "ingest", "-q", str(states))
    again = run(store, "init")
    assert "it already holds 16 triples in 2 named graphs" in again.output


def test_ingest_then_sources_stats_dump_drop(store: str, states: Path, tmp_path: Path) -> None:
    result = run(store, "ingest", str(states))
    assert result.exit_code == 0, result.output
    assert f"{states}: 5 triples into <{FILE_GRAPH}>" in result.stdout

    listed = run(store, "sources")
    lines = listed.output.splitlines()
    assert lines[0].split() == ["named", "graph", "kind", "triples", "loaded", "at", "title"]
    assert lines[2].split()[:3] == [FILE_GRAPH, "file", "5"]
    assert lines[2].endswith("RDF file states.ttl")
    long = run(store, "sources", "--long").output
    assert f"  origin:     {states.resolve()}" in long
    assert "  sha256:     " in long and f"  diplograph: {__version__}" in long

    stats = run(store, "stats").output
    rows = [line.split() for line in stats.splitlines()]
    assert [FILE_GRAPH, "5"] in rows
    assert "5 triples in 1 named graphs." in stats
    assert [f"{DG}State", "2"] in rows
    assert rows[-2:] == [["source", "claims"], ["------", "------"]]  # no claims in this file

    out = tmp_path / "out.ttl"
    dumped = run(store, "dump", "--format", "turtle", "--graph", FILE_GRAPH, "-o", str(out))
    assert dumped.exit_code == 0
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) == 5
    whole = run(store, "dump")  # N-Quads of every named graph, on stdout
    quads = list(ox.parse(whole.stdout_bytes, ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == {FILE_GRAPH, str(iri.META_GRAPH)}

    dropped = run(store, "drop", "--graph", FILE_GRAPH)
    assert dropped.output == f"Dropped <{FILE_GRAPH}>.\n"
    again = run(store, "drop", "--graph", FILE_GRAPH)
    assert again.exit_code == 2
    assert f"Error: The store has no named graph <{FILE_GRAPH}>; nothing was dropped." in (
        again.output
    )
    assert run(store, "sources").output.startswith("The store is empty")


def test_ingest_refuses_bad_input_and_writes_nothing(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(STATES_TTL + "<a> <b> .\n", encoding="utf-8")
    result = run(store, "ingest", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:5: " in result.output
    assert "Traceback" not in result.output
    assert run(store, "sources").output.startswith("The store is empty")
    result = run(store, "ingest", "--graph", "not an iri", str(bad))
    assert result.exit_code == 2
    assert "--graph 'not an iri' is not a named graph" in result.output
    result = run(store, "ingest", "--format", "excel", str(bad))
    assert result.exit_code == 2
    assert "Unknown format 'excel'" in result.output


def test_ingest_reads_graph_as_dump_and_drop_do(store: str, states: Path) -> None:
    """``--graph`` of ingest is read by iri.named_graph, as for dump and drop: a path under the
    graph base, a CURIE or an IRI."""
    other = str(iri.GRAPH["file/other-states"])
    assert run(store, "ingest", "-q", "--graph", "file/other-states", str(states)).exit_code == 0
    assert run(store, "ingest", "-q", "--graph", f"<{other}>", str(states)).exit_code == 0
    listed = run(store, "sources").output
    assert other in listed and FILE_GRAPH not in listed
    assert run(store, "drop", "--graph", "file/other-states").exit_code == 0
    assert run(store, "sources").output.startswith("The store is empty")


def test_dump_needs_a_graph_for_a_one_graph_format(store: str, states: Path) -> None:
    run(store, "ingest", "-q", str(states))
    result = run(store, "dump", "--format", "turtle")
    assert result.exit_code == 2
    assert "Turtle holds one graph: give --graph IRI" in result.output
    result = run(store, "dump", "--graph", "https://example.org/none")
    assert result.exit_code == 2
    assert "no named graph <https://example.org/none>" in result.output


def test_build_parts(store: str) -> None:
    result = run(store, "build", "--only", "ontology,articles")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # progress only on a terminal or with --progress
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[2:-1]}
    assert rows[str(iri.ONTOLOGY_GRAPH)][1] == "ontology"
    article = str(iri.article_graph("article-001"))
    assert rows[article][1] == "article"
    with open_graph(store, read_only=True) as g:
        assert g.count(iri.article_graph("article-001")) == int(rows[article][2])
    bad = run(store, "build", "--skip", "everything")
    assert bad.exit_code == 2
    assert "unknown part 'everything'" in bad.output


def test_build_reports_progress_per_dataset(store: str) -> None:
    result = run(store, "build", "--only", "datasets", "--progress")
    assert result.exit_code == 0, result.output
    lines = [re.sub(r" \[\d+\.\d s\]$", "", line) for line in result.stderr.splitlines()]
    assert lines == [
        "build: reading datasets",
        "build: dataset 1/8: cow-state-system",
        "build: dataset 2/8: cow-igo",
        "build: dataset 3/8: atop",
        "build: dataset 4/8: us-missions",
        "build: dataset 5/8: us-chiefs-of-mission",
        "build: dataset 6/8: archigos",
        "build: dataset 7/8: rivalries",
        "build: dataset 8/8: supplement",
    ]
    # 134088 facts and 12492 dg:knownUntil (memberships open at the end of its coverage)
    assert "dataset/cow-igo" in result.stdout and "146580" in result.stdout
    quiet = run(store, "build", "--only", "datasets", "--quiet", "--progress")
    assert (quiet.stdout, quiet.stderr) == ("", "")


@pytest.mark.slow
def test_validate_files_and_store(store: str, tmp_path: Path) -> None:
    article = bundled_article_files()[0]
    ok = run(store, "validate", str(article))
    assert (ok.exit_code, ok.stdout) == (0, "Valid.\n")
    bad = tmp_path / "claim.ttl"
    bad.write_text(
        f"@prefix dg: <{DG}> .\n<{iri.claim('x', 1)}> a dg:OfficialStatement .\n", "utf-8"
    )
    result = run(store, "validate", "--no-reasoning", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: <{iri.claim('x', 1)}>: 'speaker' is missing" in result.stdout
    assert "5 problem(s) found." in result.stderr or "problem(s) found." in result.stderr
    run(store, "build", "-q", "--only", "ontology,codes,articles")
    assert run(store, "validate").stdout == "Valid.\n"

    # OWL: a state that is also a person contradicts the ontology (HermiT)
    odd = tmp_path / "odd.ttl"
    atlantis = iri.entity("state", "atlantis")
    odd.write_text(
        f"@prefix dg: <{DG}> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<{atlantis}> a dg:State , dg:Person ; rdfs:label "Atlantis"@en .\n',
        encoding="utf-8",
    )
    result = run(store, "validate", str(odd))
    assert result.exit_code == 2
    assert "are inconsistent." in result.stdout
    assert "state/atlantis is a person" in result.stdout
    assert run(store, "ingest", "-q", str(odd)).exit_code == 0  # SHACL alone does not see it
    whole = run(store, "validate")
    assert whole.exit_code == 2
    assert "state/atlantis is a person" in whole.stdout


def test_user_mistakes_never_print_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--store", "mysql://db", "stats"])
    assert result.exit_code == 3
    assert result.output.startswith("Error: Unknown store URL 'mysql://db'")
    result = runner.invoke(cli, ["--store", f"oxigraph:{tmp_path / 'none'}", "stats"])
    assert result.exit_code == 3
    assert "There is no store at" in result.output
    # a store another process holds
    held = open_graph(f"oxigraph:{tmp_path / 'held'}")
    try:
        result = runner.invoke(cli, ["--store", f"oxigraph:{tmp_path / 'held'}", "init"])
        assert result.exit_code == 3
        assert "Is another process writing to it?" in result.output
    finally:
        held.close()


DIPLOGRAPH = str(Path(sys.executable).with_name("diplograph"))


@pytest.mark.slow
def test_the_installed_script(tmp_path: Path, states: Path) -> None:
    assert shutil.which(DIPLOGRAPH)
    version = subprocess.run([DIPLOGRAPH, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout == f"diplograph, version {__version__}\n"
    store = f"oxigraph:{tmp_path / 'store'}"
    done = subprocess.run(
        [DIPLOGRAPH, "--store", store, "ingest", str(states)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{states}: 5 triples into <{FILE_GRAPH}>\n"
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    failed = subprocess.run(
        [DIPLOGRAPH, "--store", store, "ingest", "-q", str(bad)], capture_output=True, text=True
    )
    assert failed.returncode == 2
    assert f"{bad}:1: " in failed.stderr and "Traceback" not in failed.stderr
    env_store = subprocess.run(
        [DIPLOGRAPH, "sources"],
        capture_output=True,
        text=True,
        env={"DIPLOGRAPH_STORE": store, "PATH": "/usr/bin:/bin"},
    )
    assert env_store.returncode == 0, env_store.stderr
    assert FILE_GRAPH in env_store.stdout
