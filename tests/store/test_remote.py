"""What only the remote SPARQL backend does: store URLs, credentials, union modes, the Graph
Store Protocol path, staging clean-up, and connection errors. Against a real ``oxigraph serve``
(and, for the credentials, a real local HTTP server that records the headers it gets)."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from diplograph import iri
from diplograph.cli import cli
from diplograph.errors import QueryError, StoreError
from diplograph.graph.store import STAGING_PREFIX, DiploGraph, open_graph, remote
from diplograph.graph.store.remote import RemoteGraph
from diplograph.provenance import Source

RUSSIA = iri.entity("state", "russia")


def src(name: str) -> Source:
    return Source(iri.file_graph(name), f"Test {name}", "file", f"{name}.nt", "0" * 64)


def test_store_url_options() -> None:
    g = RemoteGraph.from_url(
        "sparql+https://alice:s%40cret@db.example.org:8443/ds/query?update=/ds/update"
        "&gsp=https://gsp.example.org/store&union=list&timeout=5&reasoning=false"
        "&graphs=https://w3id.org/diplograph/,urn:x:"
    )
    assert g.graph_prefixes == ("https://w3id.org/diplograph/", "urn:x:")
    assert g.query_url == "https://db.example.org:8443/ds/query?reasoning=false"
    assert g.update_url == "https://db.example.org:8443/ds/update"
    assert g.gsp_url == "https://gsp.example.org/store"
    assert (g.union, g.timeout) == ("list", 5.0)
    assert g._auth == "Basic " + base64.b64encode(b"alice:s@cret").decode()
    assert "s@cret" not in g.url and "alice" not in g.url
    plain = RemoteGraph.from_url("sparql+http://localhost:7878/query")
    assert plain.update_url == "http://localhost:7878/query"
    assert plain._auth is None


def test_a_bearer_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIPLOGRAPH_STORE_TOKEN", "t0ken")
    assert RemoteGraph.from_url("sparql+http://h/sparql")._auth == "Bearer t0ken"


def test_bad_store_urls() -> None:
    with pytest.raises(StoreError, match="union='everything'"):
        open_graph("sparql+http://h/sparql?union=everything")
    with pytest.raises(StoreError, match="timeout='soon'"):
        open_graph("sparql+http://h/sparql?timeout=soon")


def test_an_unreachable_server_is_a_store_error() -> None:
    g = open_graph("sparql+http://127.0.0.1:9/query?union=native&timeout=2")
    with pytest.raises(
        StoreError, match=r"Cannot reach the SPARQL server at http://127\.0\.0\.1:9"
    ):
        g.query("ASK {}")


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        _Recorder.seen.append({"auth": self.headers.get("Authorization", ""), **form})
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"u:p").decode():
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen = []
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_credentials_are_sent_and_refusals_are_clear(recorder: str) -> None:
    good = open_graph(f"sparql+http://u:p@{recorder}/sparql?union=native")
    assert good.query("ASK { ?s ?p ?o }").boolean is True
    assert _Recorder.seen[-1]["query"] == "ASK { ?s ?p ?o }"
    bad = open_graph(f"sparql+http://u:wrong@{recorder}/sparql?union=native")
    with pytest.raises(StoreError, match=r"refused access \(HTTP 401\): check the credentials"):
        bad.query("ASK {}")


def test_the_store_token_setting_on_the_command_line(recorder: str) -> None:
    store = f"sparql+http://{recorder}/sparql?union=native"
    result = CliRunner().invoke(cli, ["sparql", "--store", store, "--store-token", "t0k", "ASK {}"])
    assert result.exit_code == 3  # the recorder wants Basic u:p: refused, and said so
    assert "the store_token setting ($DIPLOGRAPH_STORE_TOKEN)" in result.output
    assert _Recorder.seen[-1]["auth"] == "Bearer t0k"
    env = {"DIPLOGRAPH_STORE_TOKEN": "fr0m-env"}
    CliRunner().invoke(cli, ["--store", store, "sparql", "ASK {}"], env=env)
    assert _Recorder.seen[-1]["auth"] == "Bearer fr0m-env"


def test_union_modes(remote_graph: DiploGraph, oxigraph_scratch_server: str) -> None:
    remote_graph.replace_graph(src("s"), [(RUSSIA, RDFS.label, Literal("Russia"))])
    text = "SELECT ?l WHERE { ?s ?p ?l }"
    bind = {"s": RUSSIA}
    assert remote_graph.query(text, bindings=bind).rows == [(Literal("Russia"),)]
    assert remote_graph.union == "param"  # auto-detected: an Oxigraph server
    listed = open_graph(f"sparql+{oxigraph_scratch_server}/query?union=list")
    assert listed.query(text, bindings=bind).rows == [(Literal("Russia"),)]
    # without help, Oxigraph's default graph is its own (empty) default graph
    native = open_graph(f"sparql+{oxigraph_scratch_server}/query?union=native")
    assert native.query(text, bindings=bind).rows == []


def test_bound_construct_where_agrees_with_the_embedded_store(remote_graph: DiploGraph) -> None:
    triples = [(RUSSIA, RDFS.label, Literal("Russia")), (URIRef("urn:x"), RDFS.label, Literal("x"))]
    remote_graph.replace_graph(src("s"), triples)
    local = open_graph("memory:")
    local.replace_graph(src("s"), triples)
    text = "CONSTRUCT WHERE { ?s ?p ?o }"
    for graph in (remote_graph, local):
        assert graph.query(text, bindings={"s": RUSSIA}).triples == [triples[0]]
        assert graph.query("DESCRIBE ?s", bindings={"s": RUSSIA}).triples == [triples[0]]


def test_an_xsd_string_is_a_plain_literal_on_either_store(remote_graph: DiploGraph) -> None:
    local = open_graph("memory:")
    text = 'SELECT ?o WHERE { VALUES ?o { "x"^^<http://www.w3.org/2001/XMLSchema#string> "y" } }'
    for graph in (remote_graph, local):
        assert graph.query(text).rows == [(Literal("x"),), (Literal("y"),)]


def test_large_graphs_go_through_the_graph_store_protocol(
    remote_graph: DiploGraph, monkeypatch: pytest.MonkeyPatch, oxigraph_scratch_server: str
) -> None:
    monkeypatch.setattr(remote, "GSP_THRESHOLD", 10)
    triples = [(iri.claim("gsp", i), RDFS.label, Literal(f"claim {i}")) for i in range(50)]
    assert remote_graph.replace_graph(src("big"), triples) == 50
    assert remote_graph.replace_graph(src("big"), triples) == 50
    assert remote_graph.count(iri.file_graph("big")) == 50
    assert remote_graph.named_graphs() == [iri.file_graph("big"), iri.META_GRAPH]
    assert not [g for g in remote_graph._all_graphs() if str(g).startswith(STAGING_PREFIX)]  # type: ignore[attr-defined]


def test_staging_left_by_a_killed_load_is_dropped_on_the_next_write(
    remote_graph: DiploGraph, oxigraph_scratch_server: str
) -> None:
    stale = f"{STAGING_PREFIX}{int(time.time()) - 7200}-dead"
    busy = f"{STAGING_PREFIX}{int(time.time())}-another-writers-load"
    body = urllib.parse.urlencode(
        {
            "update": f'INSERT DATA {{ GRAPH <{stale}> {{ <{RUSSIA}> <{RDFS.label}> "half" }} '
            f'GRAPH <{busy}> {{ <{RUSSIA}> <{RDFS.label}> "loading" }} }}'
        }
    ).encode()
    urllib.request.urlopen(f"{oxigraph_scratch_server}/update", data=body, timeout=10).close()
    fresh = open_graph(f"sparql+{oxigraph_scratch_server}/query?update=/update")
    assert fresh.named_graphs() == []  # never listed
    fresh.replace_graph(src("s"), [(RUSSIA, RDFS.label, Literal("Russia"))])
    left = fresh._all_graphs()  # type: ignore[attr-defined]
    assert left == [iri.file_graph("s"), iri.META_GRAPH, URIRef(busy)]


def test_server_errors_are_clear(remote_graph: DiploGraph, oxigraph_scratch_server: str) -> None:
    with pytest.raises(QueryError, match="rejected the request"):
        remote_graph.query("SELECT ?x WHERE { ?x ?p }")
    with pytest.raises(QueryError, match="SPARQL Update, not a query"):
        remote_graph.query("DROP ALL")
    ro = open_graph(f"sparql+{oxigraph_scratch_server}/query?update=/update", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.drop_graph(iri.file_graph("s"))
    wrong = open_graph(f"sparql+{oxigraph_scratch_server}/nothing-here?union=native")
    with pytest.raises(StoreError, match="answered HTTP 404"):
        wrong.query("ASK {}")
