"""The Graph Store Protocol (read) and the whole-store dump, against a real ``diplograph serve``
and the Flask app: a graph read over HTTP is the graph ``diplograph dump --graph`` writes."""

from __future__ import annotations

import gzip
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import VOID

from tests.server.conftest import SAMPLE

ARTICLE = "https://w3id.org/diplograph/graph/article/test-one"
META = "https://w3id.org/diplograph/graph/meta"


def _get(url: str, accept: str | None = None, method: str = "GET") -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _cli_dump(store: Path, graph_iri: str) -> Graph:
    exe = Path(sys.executable).with_name("diplograph")
    out = subprocess.run(
        [
            str(exe),
            "--store",
            f"oxigraph:{store}",
            "dump",
            "--graph",
            graph_iri,
            "--format",
            "ntriples",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return Graph().parse(data=out, format="nt")


@pytest.mark.slow
@pytest.mark.parametrize("graph_iri", [ARTICLE, META])
@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")],
)
def test_gsp_named_graph_equals_cli_dump(
    live_server: Any, tmp_path: Path, graph_iri: str, accept: str, parser: str
) -> None:
    url = live_server.url + "/store?" + urllib.parse.urlencode({"graph": graph_iri})
    status, ctype, body = _get(url, accept)
    assert status == 200 and ctype.startswith(accept)
    got = Graph().parse(data=body, format=parser)
    expected = _cli_dump(live_server.store, graph_iri)
    assert len(expected) > 3
    assert isomorphic(got, expected)
    status, _, body = _get(url, accept, method="HEAD")
    assert (status, body) == (200, b"")


def test_gsp_default_graph_is_the_union_as_a_set(client: FlaskClient) -> None:
    r = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    local = ox.Store()
    local.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    union = {(q.subject, q.predicate, q.object) for q in local}
    got = list(ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES))
    assert len(got) == len(union)
    assert {(q.subject, q.predicate, q.object) for q in got} == union


def test_gsp_errors_and_format_parameter(client: FlaskClient) -> None:
    r = client.get("/store", query_string={"graph": "https://example.org/none"})
    assert r.status_code == 404 and "no named graph" in r.json["error"]
    assert client.get("/store").status_code == 400
    assert client.get("/store", query_string={"graph": ARTICLE, "default": ""}).status_code == 400
    r = client.get("/store", query_string={"graph": ARTICLE, "format": "xml"})
    assert r.mimetype == "application/rdf+xml"
    r = client.get("/store", query_string={"graph": ARTICLE}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    r = client.get("/store", query_string={"graph": ARTICLE})
    assert r.mimetype == "text/turtle"
    again = client.get(
        "/store", query_string={"graph": ARTICLE}, headers={"If-None-Match": r.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_dump_linked_from_void_holds_every_quad(client: FlaskClient, suffix: str) -> None:
    void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    dumps = sorted(str(o) for o in void.objects(None, VOID.dataDump))
    assert [urllib.parse.urlsplit(d).path for d in dumps] == ["/dump.nq", "/dump.nq.gz"]
    r = client.get("/dump.nq" + suffix)
    assert r.status_code == 200
    data = gzip.decompress(r.data) if suffix else r.data
    assert r.mimetype == ("application/gzip" if suffix else "application/n-quads")
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    local = ox.Store()
    local.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    assert len(quads) == len(local) == 20
    assert {str(q.graph_name.value) for q in quads} == {str(g.value) for g in local.named_graphs()}
    labels = [q for q in quads if q.graph_name == ox.NamedNode(ARTICLE)]
    assert labels and all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
