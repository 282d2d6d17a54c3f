"""Fixtures for the server tests.

- ``app``: overrides the shared one (tests/conftest.py): one app over ``data/sample.trig`` with
  one real query worker, per module, so the shared ``client`` talks to it (:func:`sample_graph`
  gives a fresh copy of that data to tests that write);
- ``serve_sample(*options)``: like ``live_server`` below, started per test with options;
- ``live_server``: a real ``diplograph serve`` (waitress) subprocess on a free loopback port
  over a tmp on-disk store holding ``data/sample.trig``, with an update token; session-wide,
  stopped by PID.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.app import create_app

TOKEN = "test-token-5f2c"


@pytest.fixture
def sample() -> Iterator[DiploGraph]:
    """A fresh in-memory copy of ``data/sample.trig`` for a test that writes."""
    g = sample_graph()
    yield g
    g.close()


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    """An app over ``data/sample.trig`` with one real query worker (read-only: no token)."""
    g = sample_graph()
    app = create_app({"TESTING": True, "graph": g, "workers": 1})
    yield app
    app.extensions["diplograph"].close()
    g.close()


@dataclass
class LiveServer:
    url: str
    pid: int
    store: Path
    log: Path
    token: str = TOKEN

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    @property
    def update(self) -> str:
        return self.url + "/update"


SAMPLE = Path(__file__).with_name("data") / "sample.trig"

#: Loads the sample into an on-disk store in its own process (the store lock goes with it).
LOAD_SAMPLE = """
import sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TRIG)
store.flush()
"""


def sample_graph() -> DiploGraph:
    """A fresh in-memory graph holding ``data/sample.trig``."""
    import pyoxigraph as ox

    g = open_graph("memory:")
    assert isinstance(g, OxigraphGraph)
    g.store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    return g


def export_processes(parent: int) -> list[int]:
    """The live export processes (server/export_proc.py) that process ``parent`` started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[0] not in "ZX" and int(fields[1]) == parent and b"export_proc" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _start_server(
    store: Path,
    log: Path,
    *args: str,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``diplograph serve`` and wait until it answers; returns the process and base URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("diplograph")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(exe), "--store", f"oxigraph:{store}", "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(proc, f"{base}/-/health.json", "diplograph serve", 120, log)
    return proc, base


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("diplograph-serve")
    store = root / "store"
    subprocess.run([sys.executable, "-c", LOAD_SAMPLE, str(store), str(SAMPLE)], check=True)
    log = root / "serve.log"
    proc, base = _start_server(
        store,
        log,
        "--workers",
        "2",
        "--threads",
        "8",
        free_port=free_port,
        wait_until_ready=wait_until_ready,
        env={"DIPLOGRAPH_UPDATE_TOKEN": TOKEN},
    )
    try:
        yield LiveServer(base, proc.pid, store, log)
    finally:
        stop_process(proc, 15)


@pytest.fixture
def serve_sample(
    tmp_path: Path,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> Iterator[Callable[..., LiveServer]]:
    """``serve_sample(*options)``: a fresh ``diplograph serve`` with those options over an
    on-disk copy of the sample (with the update token); stopped by PID after the test."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> LiveServer:
        root = tmp_path / f"serve-{len(procs)}"
        root.mkdir()
        store = root / "store"
        subprocess.run([sys.executable, "-c", LOAD_SAMPLE, str(store), str(SAMPLE)], check=True)
        log = root / "serve.log"
        proc, base = _start_server(
            store,
            log,
            *args,
            free_port=free_port,
            wait_until_ready=wait_until_ready,
            env={"DIPLOGRAPH_UPDATE_TOKEN": TOKEN},
        )
        procs.append(proc)
        return LiveServer(base, proc.pid, store, log)

    yield start
    for proc in procs:
        stop_process(proc, 15)
