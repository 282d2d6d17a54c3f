"""All or nothing under SIGKILL: a real ``diplograph ingest`` of a large N-Triples file into an
on-disk store is killed mid-load; the reopened store holds the whole file or none of it (or,
when the graph existed, exactly its old version), and no staging graph is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from diplograph import iri
from diplograph.graph.store import STAGING_PREFIX, open_graph
from diplograph.graph.store.embedded import MARKER_GRAPH

TRIPLES = 400_000
DIPLOGRAPH = str(Path(sys.executable).with_name("diplograph"))


def write_ntriples(path: Path, n: int, *, tag: str = "v") -> None:
    dg = str(iri.ONTOLOGY)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f'<{iri.claim("crash-test", i)}> <{dg}paraphrase> "{tag} claim {i}"@en .\n')


def start_ingest(store: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [DIPLOGRAPH, "--store", f"oxigraph:{store}", "ingest", "--no-shacl", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_mid_load(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    assert line.endswith("loading...\n"), line
    time.sleep(1.0)  # well inside a load that takes several seconds here
    assert proc.poll() is None, "the load finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL


def leftovers(store: Path) -> list[str]:
    raw = ox.Store.read_only(str(store))
    found = [
        g.value
        for g in raw.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)
    ]
    del raw
    return found


@pytest.mark.slow
def test_a_killed_first_load_leaves_all_or_nothing(tmp_path: Path) -> None:
    store, data = tmp_path / "store", tmp_path / "big.nt"
    write_ntriples(data, TRIPLES)
    target = iri.file_graph("big")
    open_graph(f"oxigraph:{store}").close()
    kill_mid_load(start_ingest(store, data))

    # read-only, before any recovery: a partial graph is not visible
    with open_graph(f"oxigraph:{store}", read_only=True) as g:
        assert g.count(target) in (0, TRIPLES)
        seen = g.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        assert int(seen) in (0, TRIPLES + len(_meta_of(g, target)))  # type: ignore[arg-type]

    with open_graph(f"oxigraph:{store}") as g:  # opening for writing recovers
        n = g.count(target)
        assert n in (0, TRIPLES)
        assert (target in g.named_graphs()) == (n == TRIPLES)
        assert g.count() == (0 if n == 0 else n + len(_meta_of(g, target)))
    assert leftovers(store) == []
    assert MARKER_GRAPH.value not in leftovers(store)

    # and the store works: the same file loads completely afterwards
    done = subprocess.run(
        [DIPLOGRAPH, "--store", f"oxigraph:{store}", "ingest", "-q", "--no-shacl", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with open_graph(f"oxigraph:{store}", read_only=True) as g:
        assert g.count(target) == TRIPLES


@pytest.mark.slow
def test_a_killed_reload_keeps_the_old_version(tmp_path: Path) -> None:
    store, data = tmp_path / "store", tmp_path / "big.nt"
    target = iri.file_graph("big")
    write_ntriples(data, 25, tag="old")
    done = subprocess.run(
        [DIPLOGRAPH, "--store", f"oxigraph:{store}", "ingest", "-q", "--no-shacl", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    write_ntriples(data, TRIPLES, tag="new")
    kill_mid_load(start_ingest(store, data))

    with open_graph(f"oxigraph:{store}") as g:
        assert g.count(target) == 25
        labels = g.query(
            "SELECT DISTINCT (SUBSTR(STR(?t), 1, 3) AS ?tag) WHERE { GRAPH ?g { ?c ?p ?t } }",
            bindings={"g": target},
        ).rows
        assert [str(r[0]) for r in labels] == ["old"]
    assert leftovers(store) == []


def _meta_of(g: object, target: object) -> list[object]:
    rows = g.query(  # type: ignore[attr-defined]
        "SELECT ?p ?o WHERE { GRAPH ?m { ?g ?p ?o } }",
        bindings={"m": iri.META_GRAPH, "g": target},
    ).rows
    return list(rows)
