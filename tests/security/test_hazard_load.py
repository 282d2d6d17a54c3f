"""LOAD runs like every other update (issue 16): the server fetches the source (bounded: time,
size, allow-list at every redirect, http(s) only), a query worker parses and loads it in order
with the other operations; only the concrete changes are written. A real HTTP server on
127.0.0.1 serves the sources; ``workers = 0`` and a real worker are checked where both apply."""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from diplograph.graph.store import DiploGraph
from diplograph.graph.store.embedded import OxigraphGraph

SourceServer = Any  # the ``source`` fixture (conftest.py)

pytestmark = pytest.mark.slow

TOKEN = "load-t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
G = "urn:test:loaded"
TURTLE = b"""@prefix ex: <http://example.org/> .
ex:vienna ex:hosts ex:congress ; ex:name "Wien"@de , "Vienna"@en .
ex:congress ex:year 1815 ; ex:seeAlso <relative> ; ex:note [ ex:text "blank" ] .
"""
NTRIPLES = b'<http://example.org/a> <http://example.org/p> "from n-triples" .\n'
#: what the Turtle above holds, as (subject, predicate, object) values, relative IRI resolved
TURTLE_ROWS = 7


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp folder of this test: what a LOAD leaves behind shows there."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def wait_until_ready(c: FlaskClient, n: int) -> None:
    deadline = time.monotonic() + 300
    while c.get("/-/health.json").json["workers_ready"] < n:
        assert time.monotonic() < deadline, f"{n} workers were not ready within 300 s"
        time.sleep(0.05)


def client(
    make_app: Callable[..., Flask], graph: DiploGraph, source: SourceServer, workers: int,
    **settings: Any,
) -> FlaskClient:  # fmt: skip
    app = make_app(
        graph=graph,
        workers=workers,
        update_token=TOKEN,
        result_cache=0,
        **{"load_allowlist": [source.url + "ok/"], **settings},
    )
    c = app.test_client()
    if workers:
        wait_until_ready(c, workers)
    return c


def post(c: FlaskClient, text: str) -> TestResponse:
    return c.post("/update", data={"update": text}, headers=AUTH)


def rows(c: FlaskClient, query: str) -> list[tuple[str, ...]]:
    r = c.post("/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 200, r.get_data(as_text=True)
    bindings = r.json["results"]["bindings"]  # type: ignore[index]
    names = r.json["head"]["vars"]  # type: ignore[index]
    return sorted(tuple(b[n]["value"] if n in b else "" for n in names) for b in bindings)


def in_graph(c: FlaskClient, graph: str = G) -> list[tuple[str, ...]]:
    return rows(c, f"SELECT ?s ?p ?o {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def default_graph(graph: DiploGraph) -> set[tuple[str, str, str]]:
    assert isinstance(graph, OxigraphGraph)
    import pyoxigraph as ox

    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


@pytest.mark.parametrize("workers", [0, 1])
def test_load_turtle_and_ntriples_into_a_graph_and_the_default_graph(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    temp: Path,
    workers: int,
) -> None:
    c = client(make_app, own_graph, source, workers)
    ttl = source.serve("/ok/vienna.ttl", TURTLE)
    r = post(c, f"LOAD <{ttl}> INTO GRAPH <{G}>")
    assert r.status_code == 204, r.get_data(as_text=True)
    got = in_graph(c)
    assert len(got) == TURTLE_ROWS
    assert ("http://example.org/vienna", "http://example.org/name", "Wien") in got
    # a relative IRI of the source resolves against where it was read
    assert (
        "http://example.org/congress",
        "http://example.org/seeAlso",
        source.url + "ok/relative",
    ) in got
    nt = source.serve("/ok/a.nt", NTRIPLES, "application/n-triples")
    assert post(c, f"LOADSILENT <{nt}>").status_code == 204
    assert ("http://example.org/a", "http://example.org/p", "from n-triples") in {
        (s.strip("<>"), p.strip("<>"), o.strip('"')) for s, p, o in default_graph(own_graph)
    }
    # N-Triples by its extension when served as text/plain, into a graph named by a prefix
    source.serve("/ok/b.nt", NTRIPLES.replace(b"from", b"plain"), "text/plain")
    r = post(c, f"PREFIX src: <{source.url}ok/> LOAD src:b.nt INTO GRAPH <{G}>")
    assert r.status_code == 204, r.get_data(as_text=True)
    assert ("http://example.org/a", "http://example.org/p", "plain n-triples") in in_graph(c)
    assert list(temp.glob("diplograph-load-*")) == []  # every fetched file removed


@pytest.mark.parametrize("workers", [0, 1])
def test_operations_run_in_the_order_of_the_request(
    make_app: Callable[..., Flask], own_graph: DiploGraph, source: SourceServer, workers: int
) -> None:
    c = client(make_app, own_graph, source, workers)
    ttl = source.serve("/ok/vienna.ttl", TURTLE)
    text = (
        f"INSERT DATA {{ GRAPH <{G}> {{ <urn:old> <urn:p> 1 }} }} ;\n"
        f"CLEAR GRAPH <{G}> ;\n"
        f"LOAD <{ttl}> INTO GRAPH <{G}> ;\n"
        "PREFIX ex: <http://example.org/>\n"
        f"DELETE {{ GRAPH <{G}> {{ ?s ex:name ?n }} }}\n"
        f"INSERT {{ GRAPH <{G}> {{ ?s ex:label ?n }} }} WHERE {{ GRAPH <{G}> {{ ?s ex:name ?n }} }}"
    )
    r = post(c, text)
    assert r.status_code == 204, r.get_data(as_text=True)
    got = in_graph(c)
    assert len(got) == TURTLE_ROWS
    assert not any(s == "urn:old" for s, _, _ in got)  # cleared before the LOAD
    labels = sorted(o for _, p, o in got if p == "http://example.org/label")
    assert labels == ["Vienna", "Wien"]  # renamed after the LOAD
    assert not any(p == "http://example.org/name" for _, p, _ in got)


@pytest.mark.parametrize("workers", [0, 1])
def test_load_silent_of_a_missing_source_writes_nothing_and_without_silent_says_which(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    workers: int,
) -> None:
    closed = socket.socket()  # a port nobody listens on: connection refused
    closed.bind(("127.0.0.1", 0))
    refused = f"http://127.0.0.1:{closed.getsockname()[1]}/x.ttl"
    closed.close()
    c = client(make_app, own_graph, source, workers, load_allowlist=[source.url, refused])
    missing = source.url + "ok/missing.ttl"
    before = fingerprint(own_graph)
    error_of(post(c, f"LOAD <{refused}>"), 502, f"LOAD <{refused}>", "unreachable")
    assert post(c, f"LOAD SILENT <{missing}> INTO GRAPH <{G}>").status_code == 204
    assert fingerprint(own_graph) == before
    r = post(c, f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 1 }} }} ; LOAD <{missing}>")
    error_of(r, 502, f"LOAD <{missing}>", "404")
    assert fingerprint(own_graph) == before  # the INSERT before it is not written either
    # SILENT among other operations: they are written, the LOAD does nothing
    r = post(c, f"LOAD SILENT <{missing}> ; INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 1 }} }}")
    assert r.status_code == 204
    assert in_graph(c) == [("urn:a", "urn:b", "1")]


@pytest.mark.parametrize("workers", [0, 1])
def test_a_source_over_the_byte_cap_is_refused(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    temp: Path,
    workers: int,
) -> None:
    c = client(make_app, own_graph, source, workers, load_max_bytes=200)
    big = b"".join(b"<urn:s%d> <urn:p> <urn:o> .\n" % i for i in range(100))
    said = source.serve("/ok/big.nt", big, "application/n-triples")

    def unsaid(h: http.server.BaseHTTPRequestHandler) -> None:  # no Content-Length: read to EOF
        h.send_response(200)
        h.send_header("Content-Type", "application/n-triples")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(big)
        h.close_connection = True

    quiet = source.route("/ok/quiet.nt", unsaid)
    before = fingerprint(own_graph)
    for url in (said, quiet):
        error_of(post(c, f"LOAD <{url}>"), 413, f"LOAD <{url}>", "load_max_bytes")
        assert fingerprint(own_graph) == before
    small = source.serve(
        "/ok/small.nt", b"".join(big.splitlines(True)[:5]), "application/n-triples"
    )
    assert post(c, f"LOAD <{small}> INTO GRAPH <{G}>").status_code == 204
    assert list(temp.glob("diplograph-load-*")) == []


def test_a_source_that_trickles_is_stopped_at_the_timeout(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    stop = threading.Event()

    def trickle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/n-triples")
        h.end_headers()
        while not stop.is_set():
            try:
                h.wfile.write(b"#")
                h.wfile.flush()
            except OSError:
                return
            stop.wait(0.2)

    def slow_headers(h: http.server.BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            try:
                h.wfile.write(b"X: y\r\n")
                h.wfile.flush()
            except OSError:
                return
            stop.wait(0.2)

    c = client(make_app, own_graph, source, 1, update_timeout=2.0)
    before = fingerprint(own_graph)
    try:
        for url in (
            source.route("/ok/trickle.nt", trickle),
            source.route("/ok/h.nt", slow_headers),
        ):
            error_of(post(c, f"LOAD <{url}>"), 504, f"LOAD <{url}>", "update_timeout")
            assert fingerprint(own_graph) == before
    finally:
        stop.set()
    health = c.get("/-/health.json")
    assert health.status_code == 200 and health.json["workers_ready"] >= 1
    assert post(c, f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 2 }} }}").status_code == 204
    assert in_graph(c) == [("urn:a", "urn:b", "2")]


def test_redirects_are_followed_only_to_the_allow_list(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    c = client(make_app, own_graph, source, 1)
    source.serve("/elsewhere/x.ttl", TURTLE)
    source.serve("/ok/x.ttl", TURTLE)
    off = source.serve("/ok/off", b"", status=302, Location="/elsewhere/x.ttl")
    on = source.serve("/ok/on", b"", status=301, Location=source.url + "ok/x.ttl")
    before = fingerprint(own_graph)
    error_of(post(c, f"LOAD <{off}>"), 403, f"LOAD <{off}>", "/elsewhere/x.ttl", "load_allowlist")
    assert "/elsewhere/x.ttl" not in source.hits  # refused before any request
    assert fingerprint(own_graph) == before
    loop = source.serve("/ok/loop", b"", status=307, Location="/ok/loop")
    error_of(post(c, f"LOAD <{loop}>"), 502, f"LOAD <{loop}>", "redirects")
    r = post(c, f"LOAD <{on}> INTO GRAPH <{G}>")
    assert r.status_code == 204, r.get_data(as_text=True)
    assert len(in_graph(c)) == TURTLE_ROWS


@pytest.mark.parametrize("workers", [0, 1])
def test_an_invalid_source_is_a_4xx_with_the_parsers_message(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    workers: int,
) -> None:
    c = client(make_app, own_graph, source, workers)
    bad = source.serve("/ok/bad.ttl", TURTLE + b"ex:broken ex:p .\n")
    before = fingerprint(own_graph)
    text = f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 1 }} }} ; LOAD <{bad}> INTO GRAPH <{G}>"
    message = error_of(post(c, text), 422, f"LOAD <{bad}>", "not valid Turtle", "line 4")
    assert "Nothing was written" in message
    assert fingerprint(own_graph) == before
    # SILENT: the invalid source loads nothing, the rest is written
    assert post(c, text.replace("LOAD", "LOAD SILENT")).status_code == 204
    assert in_graph(c) == [("urn:a", "urn:b", "1")]
    odd = source.serve("/ok/data.bin", b"\x00\x01", "application/x-unknown")
    error_of(post(c, f"LOAD <{odd}>"), 415, f"LOAD <{odd}>", "Turtle")
    quads = source.serve("/ok/data.trig", b"<urn:g> { <urn:a> <urn:b> 1 }", "application/trig")
    error_of(post(c, f"LOAD <{quads}>"), 415, f"LOAD <{quads}>")
    gz = source.serve("/ok/z.ttl", b"\x1f\x8b\x08", **{"Content-Encoding": "gzip"})
    error_of(post(c, f"LOAD <{gz}>"), 415, f"LOAD <{gz}>", "Content-Encoding gzip")


def test_the_source_is_parsed_in_a_worker_not_the_server(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    """With its only worker stopped (SIGSTOP), a LOAD is fetched by the server but never
    loaded: its evaluation waits for the worker, which is killed at update_timeout (503),
    nothing is written, and a new worker takes the next update."""
    c = client(make_app, own_graph, source, 1, update_timeout=5.0)
    ttl = source.serve("/ok/vienna.ttl", TURTLE)
    (pid,) = c.get("/-/health.json").json["worker_pids"]
    before = fingerprint(own_graph)
    os.kill(pid, signal.SIGSTOP)
    try:
        r = post(c, f"LOAD <{ttl}> INTO GRAPH <{G}>")
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed by then
            os.kill(pid, signal.SIGCONT)
    error_of(r, 503, "ran longer than 5 s", "nothing was written")
    assert "/ok/vienna.ttl" in source.hits  # fetched by the server
    assert fingerprint(own_graph) == before
    wait_until_ready(c, 1)
    assert c.get("/-/health.json").json["worker_pids"] != [pid]
    assert post(c, f"LOAD <{ttl}> INTO GRAPH <{G}>").status_code == 204
    assert len(in_graph(c)) == TURTLE_ROWS


def test_loaded_data_reaches_every_worker_as_concrete_changes(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    temp: Path,
) -> None:
    c = client(make_app, own_graph, source, 2)
    snapshots = sorted(temp.glob("diplograph-snapshots-*/snapshot-*.nq"))
    ttl = source.serve("/ok/vienna.ttl", TURTLE)
    assert post(c, f"LOAD <{ttl}> INTO GRAPH <{G}>").status_code == 204
    for _ in range(6):  # whichever worker answers holds the same, blank node included
        got = in_graph(c)
        assert len(got) == TURTLE_ROWS
        assert ("http://example.org/vienna", "http://example.org/name", "Vienna") in got
    # replayed from the log, without a dump of the store
    assert sorted(temp.glob("diplograph-snapshots-*/snapshot-*.nq")) == snapshots


@pytest.mark.parametrize("workers", [0, 1])
def test_load_with_changes_to_blank_nodes_the_store_held(
    make_app: Callable[..., Flask], own_graph: DiploGraph, source: SourceServer, workers: int
) -> None:
    """Changes that name old blank nodes are not concrete data: the update runs as its own
    text, written by the worker with the source as INSERT DATA (the server parses none)."""
    c = client(make_app, own_graph, source, workers)
    nt = source.serve("/ok/a.nt", NTRIPLES, "application/n-triples")
    assert post(c, f'INSERT DATA {{ GRAPH <{G}> {{ _:b <urn:p> "old" }} }}').status_code == 204
    r = post(
        c, f"DELETE WHERE {{ GRAPH <{G}> {{ ?b <urn:p> ?o }} }} ; LOAD <{nt}> INTO GRAPH <{G}>"
    )
    assert r.status_code == 204, r.get_data(as_text=True)
    assert in_graph(c) == [("http://example.org/a", "http://example.org/p", "from n-triples")]


def test_a_load_that_is_not_an_operation_of_its_own_is_refused_unfetched(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    source: SourceServer,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    c = client(make_app, own_graph, source, 0)
    ttl = source.serve("/ok/vienna.ttl", TURTLE)
    before = fingerprint(own_graph)
    for text in (
        f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:b> 1 }} }} LOAD <{ttl}>",
        f"LOAD <{ttl}> LOAD <{ttl}>",
        f"LOAD <{ttl}> INTO <{G}>",
    ):
        error_of(post(c, text), 400, "SPARQL Update syntax error", "LOAD")
    assert source.hits == []
    assert fingerprint(own_graph) == before
