"""Two writers at once: a second process that wants to write the store while another writes
is refused with a clear message (exit 3, nothing written, the first write complete); writes
through one server are serialised by its single writer (every one applied, in full)."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from diplograph.graph.store import open_graph
from diplograph.server.app import create_app

pytestmark = pytest.mark.slow

BIG = "https://w3id.org/diplograph/graph/file/big"
SMALL = "https://w3id.org/diplograph/graph/file/small"
META = "https://w3id.org/diplograph/graph/meta"


def _locked(lock_file: Path) -> bool:
    """True while another process holds the POSIX lock RocksDB takes on the store's LOCK file
    (asked with F_GETLK, which tests the lock without taking it)."""
    try:
        fd = os.open(lock_file, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        layout = "hh4xqqi4x"  # struct flock on Linux: type, whence, start, len, pid
        query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack(layout, answer)[0] != fcntl.F_UNLCK
    finally:
        os.close(fd)


def test_a_second_writing_process_is_refused_clearly(
    tmp_path: Path,
    cli: Callable[..., subprocess.CompletedProcess[str]],
    start: Callable[..., subprocess.Popen[bytes]],
) -> None:
    store = tmp_path / "store"
    big, small = tmp_path / "big.nt", tmp_path / "small.nt"
    with open(big, "w", encoding="utf-8") as out:
        for i in range(300_000):
            out.write(f'<urn:s{i}> <urn:p> "v{i}" .\n')
    small.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    assert cli("init", store=store).returncode == 0
    first = start("ingest", "-q", "--no-shacl", str(big), store=store)
    while first.poll() is None and not _locked(store / "LOCK"):
        time.sleep(0.01)  # the second writer must come after the first holds the store
    refused = None
    while first.poll() is None:  # try until the first writer is seen holding the store
        r = cli("ingest", "-q", "--no-shacl", str(small), store=store)
        if r.returncode != 0:
            refused = r
            break
    assert first.wait() == 0, first.stderr.read().decode() if first.stderr else ""
    assert refused is not None, "the second writer was never refused (the first ended first)"
    assert refused.returncode == 3
    assert "Cannot open the store at" in refused.stderr
    assert "Is another process writing to it?" in refused.stderr
    assert "Traceback" not in refused.stderr
    with open_graph(f"oxigraph:{store}") as g:
        counts = {str(n): g.count(n) for n in g.named_graphs() if str(n) != META}
    assert counts[BIG] == 300_000  # the first write is whole


def test_the_cli_cannot_write_under_a_running_server(
    tmp_path: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    store = tmp_path / "store"
    small = tmp_path / "small.nt"
    small.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    assert cli("init", store=store).returncode == 0
    app = create_app({"store": f"oxigraph:{store}", "workers": 0, "TESTING": True})
    try:
        r = cli("ingest", "-q", "--no-shacl", str(small), store=store)
        assert r.returncode == 3, r.stderr
        assert "Is another process writing to it?" in r.stderr
        assert app.test_client().get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D").json == {
            "head": {},
            "boolean": False,
        }
    finally:
        app.extensions["diplograph"].close()
    assert cli("ingest", "-q", "--no-shacl", str(small), store=store).returncode == 0


@pytest.mark.parametrize("workers", [0, 1])
def test_concurrent_updates_through_the_server_are_serialised(tmp_path: Path, workers: int) -> None:
    app: Flask = create_app(
        {
            "store": f"oxigraph:{tmp_path / 'store'}",
            "workers": workers,
            "update_token": "t",
            "TESTING": True,
            "result_cache": 0,
        }
    )
    try:
        statuses: list[int] = []

        def write(i: int) -> None:
            triples = " ".join(f"<urn:s{i}-{j}> <urn:p> {j} ." for j in range(200))
            upd = f"DROP SILENT GRAPH <urn:g> ; INSERT DATA {{ GRAPH <urn:g> {{ {triples} }} }}"
            r = app.test_client().post(
                "/update", data={"update": upd}, headers={"Authorization": "Bearer t"}
            )
            statuses.append(r.status_code)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [204] * 8
        q = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?d) { GRAPH <urn:g> { ?s ?p ?o } }"
        row = app.test_client().get("/sparql", query_string={"query": q}).json
        n = row["results"]["bindings"][0]
        # exactly one writer's graph: 200 triples, never a mix of two replacements
        assert (n["n"]["value"], n["d"]["value"]) == ("200", "200")
        subjects = (
            app.test_client()
            .get(
                "/sparql",
                query_string={
                    "query": "SELECT DISTINCT (STRBEFORE(STR(?s), '-') AS ?w) "
                    "WHERE { GRAPH <urn:g> { ?s ?p ?o } }"
                },
            )
            .json["results"]["bindings"]
        )
        assert len(subjects) == 1
    finally:
        app.extensions["diplograph"].close()
