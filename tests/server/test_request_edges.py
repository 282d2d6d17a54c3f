"""Smaller request edges of issue 16: HEAD on /sparql, query and update in one request, and a
Host header that is never reflected when ``public_url`` is unset."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

TOKEN = "edge-token-31"
ASK = "ASK { ?s ?p ?o }"


def test_head_on_sparql_answers_like_get_without_a_body(client: FlaskClient) -> None:
    get = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/json"})
    head = client.head(
        "/sparql", query_string={"query": ASK}, headers={"Accept": "application/json"}
    )
    assert get.status_code == head.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.data == b"" and get.json["boolean"] is True
    sd = client.head("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.data == b""
    assert sd.mimetype == "text/turtle"


def test_query_and_update_in_one_request_is_a_400(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    c = make_app(graph=sample, workers=0, update_token=TOKEN).test_client()
    before = len(list(sample.quads()))
    insert = "INSERT DATA { <urn:edge:s> <urn:edge:p> <urn:edge:o> }"
    r = c.post("/sparql", data={"query": ASK, "update": insert})
    assert r.status_code == 400, r.data[:300]
    assert "both 'query' and 'update'" in r.json["error"]
    r = c.post(
        "/update",
        data={"query": ASK, "update": insert},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 400, r.data[:300]
    assert "both 'update' and 'query'" in r.json["error"]
    assert len(list(sample.quads())) == before


def test_a_foreign_host_header_is_never_reflected(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    app = make_app(graph=sample, workers=0, host="127.0.0.1", port=8123)
    c = app.test_client()
    evil = {"Host": "evil.example:666"}
    sd = c.get("/sparql", headers={**evil, "Accept": "text/turtle"})
    void = c.get("/.well-known/void", headers={**evil, "Accept": "text/turtle"})
    page = c.get("/sparql", headers={**evil, "Accept": "text/html"})
    for r in (sd, void):
        assert r.status_code == 200
        text = r.get_data(as_text=True)
        assert "evil.example" not in text
        assert "<http://127.0.0.1:8123/sparql>" in text
    assert page.status_code == 303
    assert "evil.example" not in page.headers["Location"]
    # a loopback Host is this server: kept (a laptop on another port, a test client)
    local = c.get("/sparql", headers={"Host": "localhost:9000", "Accept": "text/turtle"})
    assert "<http://localhost:9000/sparql>" in local.get_data(as_text=True)
    # public_url wins over everything
    app2 = make_app(graph=sample, workers=0, public_url="https://data.example.org/")
    pub = app2.test_client().get("/sparql", headers={**evil, "Accept": "text/turtle"})
    assert "<https://data.example.org/sparql>" in pub.get_data(as_text=True)
