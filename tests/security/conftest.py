"""Fixtures for the security suite (issue 10).

- ``graph``: a fresh in-memory copy of the seed graph plus a hostile named graph (``XSS_GRAPH``)
  whose labels, literals and IRIs carry script payloads; per module. ``own_graph``: a copy of it
  that one test may write.
- ``app``: overrides the shared one (tests/conftest.py, whose ``client`` and ``make_app`` serve
  here too): an app over ``graph`` answering in the request thread (``workers = 0``) with an
  update token and a small body limit.
- ``worker_app``: an app with two real query workers and a short timeout, for runaway queries.
- ``fingerprint(graph)``: what must not change when a request is refused (every quad, the store
  generation); ``error_of(response, status, *fragments)``: assert a JSON error and return its
  message; ``auth``: the update token header; ``hostile``: the payloads of the hostile graph;
  ``listener`` / ``never_contacted``: a TCP server that must never receive a connection;
``canary``: a TCP listener that counts the connections made to it (``.url``, ``.hits``);
``source``: a real HTTP server on 127.0.0.1 serving what a test gives it (LOAD's sources).

Test modules cannot import this file (pytest's importlib mode), so helpers are fixtures.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from werkzeug.test import TestResponse

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph

TOKEN = "security-token-9c1e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_BODY = 100_000

DG = "https://w3id.org/diplograph/ontology#"
ID = "https://w3id.org/diplograph/id/"
XSS_GRAPH = "https://w3id.org/diplograph/graph/file/xss"
PAYLOAD = "<script>alert('xss')</script>"
#: A state whose label is a script, and one whose IRI tries to break out of an attribute.
XSS_STATE = ID + "state/xss-land"
XSS_IRI = ID + "state/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
XSS_TRIG = f"""
@prefix dg: <{DG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{XSS_GRAPH}> {{
  <{XSS_STATE}> a dg:State ; rdfs:label "{PAYLOAD}"@en ; skos:prefLabel "{PAYLOAD}"@en ;
      rdfs:comment "\\"><img src=x onerror=alert(2)>" ;
      dg:neighbour <{XSS_IRI}> .
  <{XSS_IRI}> a dg:State ; rdfs:label "<b onmouseover=alert(3)>bold</b>"@en .
}}
"""


def _fingerprint(graph: DiploGraph) -> tuple[int, int, str]:
    """(generation, quad count, hash of every quad): equal before and after means unchanged."""
    digest = hashlib.sha256()
    quads = sorted(f"{s} {p} {o} {g}" for s, p, o, g in graph.quads())
    for q in quads:
        digest.update(q.encode("utf-8"))
    return graph.generation, len(quads), digest.hexdigest()


def _error_of(r: TestResponse, status: int, *fragments: str) -> str:
    """Assert a JSON error with ``status`` whose message holds every fragment; return it."""
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:500])
    body = r.get_json()
    assert body is not None, r.get_data(as_text=True)[:500]
    assert body["status"] == status
    message = str(body["error"])
    for fragment in fragments:
        assert fragment in message, message
    assert "Traceback" not in message
    return message


@pytest.fixture(scope="module")
def graph(seed_graph: DiploGraph) -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    assert isinstance(g, OxigraphGraph) and isinstance(seed_graph, OxigraphGraph)
    g.store.extend(seed_graph.store)
    g.store.load(XSS_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    yield g
    g.close()


@pytest.fixture
def own_graph(graph: DiploGraph) -> Iterator[DiploGraph]:
    """A copy of ``graph`` that a test may write."""
    g = open_graph("memory:")
    assert isinstance(g, OxigraphGraph) and isinstance(graph, OxigraphGraph)
    g.store.extend(graph.store)
    yield g
    g.close()


@pytest.fixture
def app(make_app: Callable[..., Flask], graph: DiploGraph) -> Flask:
    return make_app(graph=graph, workers=0, update_token=TOKEN, max_body=MAX_BODY, result_cache=0)


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A local TCP server that must never be contacted."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.setblocking(False)
    yield srv, f"http://127.0.0.1:{srv.getsockname()[1]}/"
    srv.close()


def _never_contacted(srv: socket.socket) -> bool:
    """True when nobody connected to ``srv`` (checked after the requests were answered: a
    connection made during a request is waiting in the backlog by then)."""
    try:
        conn, _ = srv.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


@pytest.fixture
def never_contacted() -> Callable[[socket.socket], bool]:
    return _never_contacted


@pytest.fixture
def fingerprint() -> Callable[[DiploGraph], tuple[int, int, str]]:
    return _fingerprint


@pytest.fixture
def error_of() -> Callable[..., str]:
    return _error_of


@pytest.fixture
def auth() -> dict[str, str]:
    return dict(AUTH)


@pytest.fixture
def hostile() -> dict[str, str]:
    """The payloads of the hostile graph and where they are."""
    return {
        "payload": PAYLOAD,
        "state": XSS_STATE,
        "iri": XSS_IRI,
        "graph": XSS_GRAPH,
        "max_body": str(MAX_BODY),
    }


class Canary:
    """A TCP listener on 127.0.0.1 that counts the connections made to it (and closes each)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.hits = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._stop:
                conn.close()
                return
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        with socket.create_connection(self.sock.getsockname(), timeout=5):
            pass
        self._thread.join(30)
        self.sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


Route = tuple[int, dict[str, str], bytes] | Callable[[http.server.BaseHTTPRequestHandler], None]


class SourceServer:
    """A real HTTP server on 127.0.0.1: ``serve(path, body, ...)`` answers a path with a body
    (or ``route(path, fn)`` with a handler of its own); 404 elsewhere; ``hits``: paths asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                elif callable(route):
                    route(self)
                else:
                    status, headers, body = route
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(
        self, path: str, body: bytes, content_type: str = "text/turtle", status: int = 200,
        **headers: str,
    ) -> str:  # fmt: skip
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, body)
        return self.url + path.lstrip("/")

    def route(self, path: str, fn: Callable[[http.server.BaseHTTPRequestHandler], None]) -> str:
        self.routes[path] = fn
        return self.url + path.lstrip("/")


@pytest.fixture
def source() -> Iterator[SourceServer]:
    s = SourceServer()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()
