"""The attack catalogue of issue 10, against the real app: every case asserts the status code,
the error message and that the store did not change (quads and generation).

Runaway queries, nesting against real workers, outbound requests and file reads, hostile
uploads and the browser attacks each have their own module (``test_hazard_*.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

#: (query text, fragment of the error): malformed SPARQL is a 400 naming the position.
MALFORMED = [
    ("SELECT * WHERE { ?s ?p ?o", "SPARQL syntax error: error at 1:"),
    ("SELECT * WHERE { ?s ?p ?o }}", "SPARQL syntax error"),
    ("SELECT * WHERE ?s ?p ?o }", "SPARQL syntax error"),
    ("SELECT * WHERE { nope:a ?p ?o }", "SPARQL syntax error"),
    ("SELECT * WHERE { <http://a b> ?p ?o }", "SPARQL syntax error"),
    ("SELECT * WHERE { <http://a<b> ?p ?o }", "SPARQL syntax error"),
    ('SELECT * WHERE { ?s ?p "unterminated }', "SPARQL syntax error"),
    ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY", "SPARQL syntax error"),
    ("# only a comment", "not a SPARQL query"),
    ("", "not a SPARQL query"),
    ("ASK {\x00}", "SPARQL syntax error"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "send updates to /update"),
    ("DROP ALL", "send updates to /update"),
]


@pytest.mark.parametrize(("text", "fragment"), MALFORMED)
def test_malformed_sparql_is_a_400(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    text: str,
    fragment: str,
) -> None:
    before = fingerprint(graph)
    for r in (
        client.get("/sparql", query_string={"query": text}),
        client.post("/sparql", data={"query": text}),
        client.post("/sparql", data=text.encode("utf-8"), content_type=QUERY),
    ):
        error_of(r, 400, fragment)
    assert fingerprint(graph) == before


@pytest.mark.parametrize(
    ("content_type", "body", "status", "fragment"),
    [
        ("text/plain", b"ASK {}", 415, "the Content-Type was text/plain"),
        (None, b"ASK {}", 415, "the Content-Type was none"),
        ("application/json", b'{"query": "ASK {}"}', 415, "application/sparql-query"),
        (UPDATE, b"ASK {}", 415, "the Content-Type was application/sparql-update"),
        (FORM, b"nothing=here", 400, "no 'query' parameter"),
        (FORM, b"query=ASK%7B%7D&query=ASK%7B%7D", 400, "send exactly one"),
        (f"{QUERY}; charset=latin-1", b"ASK {}", 400, "must be UTF-8; got charset=latin-1"),
        (QUERY, b'ASK { "\xff\xfe" }', 400, "not valid UTF-8 (byte 7)"),
        (FORM, b"update=DROP+ALL", 400, "Updates go to /update"),
    ],
)
def test_wrong_and_missing_content_types(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    content_type: str | None,
    body: bytes,
    status: int,
    fragment: str,
) -> None:
    before = fingerprint(graph)
    headers = {"Content-Type": content_type} if content_type else {}
    error_of(client.post("/sparql", data=body, headers=headers), status, fragment)
    assert fingerprint(graph) == before


def test_invalid_utf8_and_nul_in_a_url_are_answered_cleanly(
    client: FlaskClient, graph: DiploGraph, fingerprint: Callable[..., object]
) -> None:
    before = fingerprint(graph)
    for url in ("/sparql?query=ASK%20%7B%20%FF%20%7D", "/sparql?query=ASK%20%7B%7D%00"):
        r = client.get(url)
        assert r.status_code == 400, url
        assert r.json["error"].startswith("SPARQL syntax error")
    assert fingerprint(graph) == before


def test_oversized_bodies_are_a_413(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    hostile: dict[str, str],
    auth: dict[str, str],
) -> None:
    before = fingerprint(graph)
    big = "ASK { " + "?s ?p ?o . " * int(hostile["max_body"]) + "}"
    for r in (
        client.post("/sparql", data=big.encode(), content_type=QUERY),
        client.post("/sparql", data={"query": big}),
        client.post(
            "/update",
            data=("INSERT DATA {" + big + "}").encode(),
            content_type=UPDATE,
            headers=auth,
        ),
    ):
        error_of(r, 413, "larger than this server accepts (setting max_body)")
    assert fingerprint(graph) == before


def test_overlong_query_in_a_url_is_refused_before_parsing(
    make_app: Callable[..., Flask], graph: DiploGraph, error_of: Callable[..., str]
) -> None:
    c = make_app(graph=graph, workers=0, max_query_length=500).test_client()
    q = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 600
    error_of(c.get("/sparql", query_string={"query": q}), 400, "at most 500 (setting max_query")


@pytest.mark.parametrize("depth", [65, 100, 2_000, 5_000, 9_000])
@pytest.mark.parametrize(
    ("opener", "inner", "closer"),
    [("{", "?s ?p ?o", "}"), ("(", "1", ")"), ("[:p ", "1", "]")],
)
def test_deep_nesting_is_refused_at_every_depth(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    depth: int,
    opener: str,
    inner: str,
    closer: str,
) -> None:
    before = fingerprint(graph)
    if opener == "{":
        q = "SELECT * WHERE " + opener * depth + inner + closer * depth
    elif opener == "(":
        q = "SELECT * WHERE { FILTER(" + opener * depth + inner + closer * depth + ") }"
    else:
        q = "PREFIX : <urn:> SELECT * { ?s :p " + opener * depth + inner + closer * depth + " }"
    error_of(
        client.post("/sparql", data=q.encode(), content_type=QUERY),
        400,
        "nests brackets deeper than 64 levels (line 1)",
    )
    assert fingerprint(graph) == before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
        "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:q { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "select*from<http://example.org/data.ttl>{?s ?p ?o}",
        "SELECT * FROM NAMED <https://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <file:///proc/self/environ> WHERE { ?s ?p ?o }",
        "ASK FROM <ftp://example.org/x> { ?s ?p ?o }",
    ],
)
def test_service_and_foreign_from_are_forbidden(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    text: str,
) -> None:
    before = fingerprint(graph)
    error_of(client.get("/sparql", query_string={"query": text}), 403, "allow-list")
    assert fingerprint(graph) == before


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://example.org/data.ttl>",
        "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
        "load <file:///etc/hostname>",
        "INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }",
        "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } } ; LOAD <file:///etc/passwd>",
    ],
)
def test_load_and_service_in_updates_are_forbidden_even_with_the_token(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    auth: dict[str, str],
    text: str,
) -> None:
    before = fingerprint(graph)
    r = client.post("/update", data=text.encode(), content_type=UPDATE, headers=auth)
    error_of(r, 403, "allow-list")
    assert fingerprint(graph) == before


DROP = "DROP SILENT GRAPH <https://w3id.org/diplograph/graph/file/xss>"


@pytest.mark.parametrize(
    ("headers", "status", "fragment"),
    [
        ({}, 401, "Authorization: Bearer <token>"),
        ({"Authorization": "Bearer "}, 401, "Authorization: Bearer <token>"),
        ({"Authorization": "Basic c2VjdXJpdHk6dG9rZW4="}, 401, "Authorization: Bearer"),
        ({"Authorization": "Bearer wrong-token"}, 403, "not valid for updates"),
        ({"Authorization": "Bearer security-token-9c1"}, 403, "not valid for updates"),
        ({"Cookie": "session=security-token-9c1e"}, 401, "Authorization: Bearer"),
        ({"Authorization": "Token security-token-9c1e"}, 401, "Authorization: Bearer"),
    ],
)
def test_update_without_or_with_wrong_credentials_changes_nothing(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    headers: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    before = fingerprint(graph)
    for r in (
        client.post("/update", data={"update": DROP}, headers=headers),
        client.post("/update", data=DROP.encode(), content_type=UPDATE, headers=headers),
    ):
        error_of(r, status, fragment)
        if status == 401:
            assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert fingerprint(graph) == before


def test_update_with_the_right_token_writes(
    make_app: Callable[..., Flask],
    empty_graph: DiploGraph,
    auth: dict[str, str],
    fingerprint: Callable[..., object],
) -> None:
    c = make_app(graph=empty_graph, workers=0, update_token=auth["Authorization"][7:])
    before = fingerprint(empty_graph)
    r = c.test_client().post(
        "/update",
        data=b'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c" } }',
        content_type=UPDATE,
        headers=auth,
    )
    assert r.status_code == 204, r.get_data(as_text=True)
    assert fingerprint(empty_graph) != before
    assert empty_graph.count() == 1


def test_read_only_server_refuses_every_update(
    make_app: Callable[..., Flask],
    graph: DiploGraph,
    auth: dict[str, str],
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    c = make_app(graph=graph, workers=0).test_client()
    before = fingerprint(graph)
    error_of(c.post("/update", data={"update": DROP}, headers=auth), 403, "read-only")
    assert fingerprint(graph) == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_updates_by_other_methods_are_a_405(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    auth: dict[str, str],
    method: str,
) -> None:
    before = fingerprint(graph)
    r = client.open("/update", method=method, query_string={"update": DROP}, headers=auth)
    error_of(r, 405, f"The method {method} is not allowed on /update; use ")
    assert set(r.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert fingerprint(graph) == before


def test_get_on_sparql_never_runs_an_update(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    before = fingerprint(graph)
    error_of(client.get("/sparql", query_string={"update": DROP}), 400, "Updates go to /update")
    error_of(client.get("/sparql", query_string={"query": DROP}), 400, "send updates to /update")
    assert fingerprint(graph) == before


@pytest.mark.parametrize(
    "path",
    [
        "/page/../../etc/passwd",
        "/page/..%2f..%2fetc%2fpasswd",
        "/page/%2e%2e/%2e%2e/etc/passwd",
        "/page/state%2f..%2f..%2fsettings.py",
        "/data/%2e%2e/%2e%2e/etc/passwd",
        "/data/..%5c..%5cetc%5cpasswd.ttl",
        "/id/http://evil.example/x",
        "/id/https:%2f%2fevil.example%2fx",
        "/id//etc/passwd",
        "/graph/..%2f..%2fsettings.py",
        "/picture/..%2f..%2fsettings.py",
        "/export/..%2f..%2fsettings.py",
        "/export/claims.ttl%2f..%2f..%2fsettings",
        "/static/../settings.py",
        "/static/..%2fsettings.py",
        "/static/%2e%2e/%2e%2e/settings.py",
        "/queries/..%2f..%2fsettings.py",
        "/queries/../../etc/passwd",
        "/ontology/../settings.py",
        "/class/..%2f..%2fsettings.py",
    ],
)
def test_paths_cannot_escape_their_space(
    client: FlaskClient,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    path: str,
) -> None:
    before = fingerprint(graph)
    r = client.get(path, headers={"Accept": "application/json"})
    if r.status_code == 308:  # Werkzeug merges slashes: the redirect stays in the same space
        assert r.headers["Location"].startswith("http://localhost" + path[:4]), r.headers
        r = client.get(r.headers["Location"], headers={"Accept": "application/json"})
    assert r.status_code in (400, 404), (path, r.status_code)
    body = r.get_data(as_text=True)
    assert r.json is not None and r.json["status"] == r.status_code, body[:300]
    for secret in ("root:", "Setting(", "update_token", "import "):
        assert secret not in body, (path, body[:300])
    assert fingerprint(graph) == before
