"""When the query workers' snapshot cannot be written (a full temp folder), committed updates are
reported as committed, queries see them (the copies replay the log from the last good snapshot),
health shows the fault, and all heals once space returns (issue 16, "faults that heal")."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import open_graph

pytestmark = pytest.mark.slow

TOKEN = "snap-t0k"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def small_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 2 MB tmpfs as the temp folder (the snapshots go there)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace').strip()}")
    monkeypatch.setattr(tempfile, "tempdir", str(disk))
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def wait_for(condition: Callable[[], bool], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"a condition did not hold within {seconds} s"
        time.sleep(0.1)


def values(c: FlaskClient) -> list[str]:
    r = c.post(
        "/sparql",
        data={"query": "SELECT ?o { ?s <urn:p> ?o } ORDER BY ?o"},
        headers=JSON,
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    return [b["o"]["value"] for b in r.json["results"]["bindings"]]  # type: ignore[index]


def test_a_snapshot_that_cannot_be_written_loses_nothing_and_heals(
    small_tmp: Path, make_app: Callable[..., Flask], fill_disk: Callable[[Path], Path]
) -> None:
    graph = open_graph("memory:")
    graph.update('INSERT DATA { GRAPH <urn:g> { _:s0 <urn:p> "a" ; <urn:q> "x" } }')
    app = make_app(graph=graph, update_token=TOKEN, workers=1, result_cache=0)
    c = app.test_client()
    wait_for(lambda: c.get("/-/health.json").json["workers_ready"] == 1)
    r = c.get("/-/health.json")
    assert r.status_code == 200 and r.json["fault"] is None
    filler = fill_disk(small_tmp)

    # deletes a triple of a blank node the store holds (SPARQL cannot name it: the update runs
    # as its own text) and makes a new one: this write would normally make a fresh snapshot,
    # which cannot be written
    r = c.post(
        "/update",
        data={
            "update": 'DELETE { GRAPH <urn:g> { ?x <urn:q> "x" } } '
            'INSERT { GRAPH <urn:g> { _:b <urn:p> "b" } } '
            'WHERE { GRAPH <urn:g> { ?x <urn:q> "x" } }'
        },
        headers=AUTH,
    )
    assert r.status_code == 204, r.get_data(as_text=True)  # committed, and said so
    r = c.get("/-/health.json")
    assert r.status_code == 503  # a load balancer reads the status: in fault, not healthy
    health = r.json
    assert health["ok"] is False
    assert "Cannot write the snapshot" in health["fault"]
    assert values(c) == ["a", "b"]  # the copy replayed the log
    r = c.post(
        "/update",
        data={"update": 'INSERT DATA { GRAPH <urn:g> { <urn:s2> <urn:p> "c" } }'},
        headers=AUTH,
    )
    assert r.status_code == 204
    assert values(c) == ["a", "b", "c"]

    filler.unlink()  # space returns: the next queries retry the snapshot and it is written

    def healed() -> bool:
        assert values(c) == ["a", "b", "c"]
        return c.get("/-/health.json").json["fault"] is None

    wait_for(healed)
    r = c.get("/-/health.json")
    assert r.status_code == 200 and r.json["ok"] is True
    assert list(small_tmp.glob("diplograph-snapshots-*/snapshot-*.nq"))
    graph.close()
