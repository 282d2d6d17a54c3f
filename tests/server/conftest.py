"""Fixtures for the server tests.

- ``make_app(**settings)``: a fresh app from the factory (closed after the test);
- ``sample_app`` / ``client``: one app over ``data/sample.trig`` with one real query worker, per
  module (:func:`sample_graph` gives a fresh copy of that data to tests that write);
- ``serve_sample(*options)``: like ``live_server`` below, started per test with options;
- ``live_server``: a real ``diplograph serve`` (waitress) subprocess on a free loopback port
  over a tmp on-disk store holding ``data/sample.trig``, with an update token; session-wide,
  stopped by PID.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.app import create_app

TOKEN = "test-token-5f2c"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def make(**config: Any) -> Flask:
        app = create_app({"TESTING": True, **config})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["diplograph"].close()


@pytest.fixture
def sample() -> Iterator[DiploGraph]:
    """A fresh in-memory copy of ``data/sample.trig`` for a test that writes."""
    g = sample_graph()
    yield g
    g.close()


@pytest.fixture(scope="module")
def sample_app() -> Iterator[Flask]:
    """An app over ``data/sample.trig`` with one real query worker (read-only: no token)."""
    g = sample_graph()
    app = create_app({"TESTING": True, "graph": g, "workers": 1})
    yield app
    app.extensions["diplograph"].close()
    g.close()


@pytest.fixture
def client(sample_app: Flask) -> FlaskClient:
    return sample_app.test_client()


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


def start_server(
    store: Path, log: Path, *args: str, env: dict[str, str] | None = None
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
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"diplograph serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/-/health.json", timeout=5) as r:
                if r.status == 200:
                    return proc, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(f"diplograph serve did not answer on {base}:\n{log.read_text()}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("diplograph-serve")
    store = root / "store"
    subprocess.run([sys.executable, "-c", LOAD_SAMPLE, str(store), str(SAMPLE)], check=True)
    log = root / "serve.log"
    proc, base = start_server(
        store, log, "--workers", "2", "--threads", "8", env={"DIPLOGRAPH_UPDATE_TOKEN": TOKEN}
    )
    try:
        yield LiveServer(base, proc.pid, store, log)
    finally:
        stop(proc)


@pytest.fixture
def serve_sample(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """``serve_sample(*options)``: a fresh ``diplograph serve`` with those options over an
    on-disk copy of the sample (with the update token); stopped by PID after the test."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> LiveServer:
        root = tmp_path / f"serve-{len(procs)}"
        root.mkdir()
        store = root / "store"
        subprocess.run([sys.executable, "-c", LOAD_SAMPLE, str(store), str(SAMPLE)], check=True)
        log = root / "serve.log"
        proc, base = start_server(store, log, *args, env={"DIPLOGRAPH_UPDATE_TOKEN": TOKEN})
        procs.append(proc)
        return LiveServer(base, proc.pid, store, log)

    yield start
    for proc in procs:
        stop(proc)
