"""Fixtures shared by every test package (the one conftest with the common ones; a package's
conftest only adds what is its own, or overrides ``app`` with an app over its own data).

Graphs:

- ``seed_graph``: an in-memory graph built through the real build path from the ontology, code
  lists, article records and links (no datasets); session-wide, read-only by convention.
- ``full_graph``: the same plus every bundled dataset (what ``make run`` serves); session-wide,
  read-only by convention.
- ``empty_graph``: a fresh in-memory graph for tests that write.
- ``fiction``: a small fictional graph (``tests/network/data/fiction.trig``) loaded through the
  store's real write path, one named graph per source; session-wide, read-only by convention.
  ``load_fiction(graph)`` writes the same into a graph of the test's own.

The app and the command line:

- ``make_app(**settings)``: a fresh app from the factory (``TESTING`` on), closed after the test.
- ``app``: the app over ``seed_graph`` answering in the request thread (``workers = 0``); a
  package's conftest may override it (tests/server: the sample data with a real worker;
  tests/security: a hostile graph with an update token).
- ``client``: Flask's test client of ``app``.
- ``runner``: click's ``CliRunner`` for the ``diplograph`` command in-process.
- ``parse_rdf(data, format)``: an RDF body parsed by rdflib.

Real processes:

- ``free_port()``: a free loopback TCP port; ``wait_until_ready(proc, url, what, seconds)``:
  poll ``url`` until it answers, failing if ``proc`` exits first or the deadline passes;
  ``stop_process(proc, seconds)``: SIGTERM by PID, then SIGKILL after ``seconds``.
- ``oxigraph_server`` / ``oxigraph_scratch_server`` / ``remote_graph``: a real ``oxigraph serve``.

Tests that write must use their own graph; never write to the session graphs. Test modules cannot
import a conftest (pytest's importlib mode), so shared helpers are fixtures.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from diplograph.graph.load.build import build
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Source, Triple, sha256_of
from diplograph.server.app import create_app

FICTION = Path(__file__).parent / "network" / "data" / "fiction.trig"


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


# -- the fictional graph ------------------------------------------------------------------------


def _load_fiction(graph: DiploGraph) -> None:
    """Write each named graph of the TriG file as one source, through replace_graphs."""
    by_graph: dict[str, list[Triple]] = {}
    for q in ox.parse(path=str(FICTION), format=ox.RdfFormat.TRIG):
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        by_graph.setdefault(q.graph_name.value, []).append(triple)  # type: ignore[union-attr]
    items = [
        (
            Source(
                graph=URIRef(name),
                title=f"test data {name}",
                kind="file",
                origin=str(FICTION),
                content_hash=sha256_of([FICTION]),
            ),
            triples,
        )
        for name, triples in sorted(by_graph.items())
    ]
    graph.replace_graphs(items)


@pytest.fixture(scope="session")
def load_fiction() -> Callable[[DiploGraph], None]:
    """``load_fiction(graph)``: write the fictional graph into ``graph`` (e.g. an on-disk store)."""
    return _load_fiction


@pytest.fixture(scope="session")
def fiction() -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    _load_fiction(g)
    yield g
    g.close()


# -- the app, its client, the command line --------------------------------------------------------


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        application = create_app({"TESTING": True, **settings})
        apps.append(application)
        return application

    yield make
    for application in apps:
        application.extensions["diplograph"].close()


@pytest.fixture
def app(make_app: Callable[..., Flask], seed_graph: DiploGraph) -> Flask:
    return make_app(graph=seed_graph, workers=0)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _parse_rdf(data: bytes | str, fmt: str) -> Graph:
    """``data`` parsed by rdflib. rdflib's JSON-LD parser warns about its own use of the
    deprecated ConjunctiveGraph; that warning is rdflib's, not ours, so it is silenced here."""
    import warnings

    g = Graph()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        g.parse(data=data, format=fmt)
    return g


@pytest.fixture(scope="session")
def parse_rdf() -> Callable[[bytes | str, str], Graph]:
    """The parser of RDF bodies (see :func:`_parse_rdf`)."""
    return _parse_rdf


# -- real processes: ports, readiness, stopping by PID ---------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_ready(
    proc: subprocess.Popen[bytes], url: str, what: str, seconds: float = 60, log: Path | None = None
) -> None:
    """Poll ``url`` until it answers with success; fail, showing ``log``, if ``proc`` exits first
    or nothing answers within ``seconds`` (generous: the machine may be busy)."""

    def shown() -> str:
        if log is None:
            return ""
        return f"; {log}:\n{log.read_text(errors='replace')[-4000:]}"

    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}{shown()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status < 500:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            _stop_process(proc)
            pytest.fail(f"{what} did not answer on {url} within {seconds:.0f} s{shown()}")
        time.sleep(0.1)


def _stop_process(proc: subprocess.Popen[Any], seconds: float = 30) -> None:
    """SIGTERM ``proc`` by its PID, SIGKILL it if it has not ended after ``seconds``."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    return _free_port


@pytest.fixture(scope="session")
def wait_until_ready() -> Callable[..., None]:
    return _wait_until_ready


@pytest.fixture(scope="session")
def stop_process() -> Callable[..., None]:
    return _stop_process


# -- a real Oxigraph server ------------------------------------------------------------------


def _oxigraph_binary() -> str:
    import shutil
    import sys

    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("The `oxigraph` binary is missing: pip install -e '.[test]' installs it.")
    return found


@contextlib.contextmanager
def _serving_oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port over a temp store; yield its base URL;
    stop it by PID."""
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
        _wait_until_ready(
            proc, f"{base}/query?query=ASK%7B%7D", "oxigraph serve", 60, Path(log.name)
        )
        yield base
    finally:
        _stop_process(proc, 10)
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
