"""Fixtures shared by every test package.

- ``seed_graph``: an in-memory graph built through the real build path from the ontology, code
  lists, article records and links (no datasets); session-wide, read-only by convention.
- ``full_graph``: the same plus every bundled dataset (what ``make run`` serves); session-wide,
  read-only by convention.
- ``empty_graph``: a fresh in-memory graph for tests that write.

Tests that write must use their own graph; never write to the session graphs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from diplograph.graph.load.build import build
from diplograph.graph.store import DiploGraph, open_graph


@pytest.fixture(scope="session")
def seed_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    build(g, parts=("ontology", "codes", "articles", "links"))
    yield g
    g.close()


@pytest.fixture(scope="session")
def full_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    build(g)
    yield g
    g.close()


@pytest.fixture
def empty_graph() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    yield g
    g.close()


# -- a real Oxigraph server ------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph_binary() -> str:
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("The `oxigraph` binary is missing: pip install -e '.[test]' installs it.")
    return found


@contextlib.contextmanager
def _serving_oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port over a temp store; yield its base URL;
    stop it by PID."""
    import os
    import signal
    import subprocess
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    log = open(location.parent / f"oxigraph-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [_oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"oxigraph serve did not answer on {base} within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``oxigraph serve`` on 127.0.0.1 (free port, on-disk store in a temp dir), session
    wide and shared. Yields its base URL (``http://127.0.0.1:PORT``: ``/query``, ``/update``,
    ``/store``). Stopped by PID afterwards. Tests that need an empty store use ``remote_graph``,
    which has a server of its own."""
    with _serving_oxigraph(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="session")
def oxigraph_scratch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another ``oxigraph serve``, emptied by every ``remote_graph``: never share its data."""
    with _serving_oxigraph(tmp_path_factory) as base:
        yield base


@pytest.fixture
def remote_graph(oxigraph_scratch_server: str) -> Iterator[DiploGraph]:
    """A diplograph graph over ``oxigraph_scratch_server``, emptied before the test (store URL
    ``sparql+http://127.0.0.1:PORT/query?update=/update&gsp=/store``)."""
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode({"update": "DROP SILENT ALL"}).encode()
    with urllib.request.urlopen(f"{oxigraph_scratch_server}/update", data=body, timeout=30):
        pass
    g = open_graph(f"sparql+{oxigraph_scratch_server}/query?update=/update&gsp=/store")
    yield g
    g.close()
