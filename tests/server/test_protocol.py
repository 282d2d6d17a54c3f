"""The query side of the SPARQL 1.1 Protocol on /sparql, through the app factory and a real
query worker (``client`` serves ``data/sample.trig``)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib.namespace import RDFS

STATE = "https://w3id.org/diplograph/id/state/"
ONE = "https://w3id.org/diplograph/graph/article/test-one"
TWO = "https://w3id.org/diplograph/graph/article/test-two"
LABELS = "SELECT ?s ?label WHERE { ?s a <https://w3id.org/diplograph/ontology#State> ; "
LABELS += "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def states(body: bytes) -> list[str]:
    doc = json.loads(body)
    return [b["s"]["value"].rsplit("/", 1)[1] for b in doc["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_rows(client: FlaskClient) -> None:
    by_get = client.get("/sparql", query_string={"query": LABELS})
    by_form = client.post("/sparql", data={"query": LABELS})
    by_body = client.post("/sparql", data=LABELS, content_type="application/sparql-query")
    for r in (by_get, by_form, by_body):
        assert r.status_code == 200
        assert r.mimetype == "application/sparql-results+json"
        assert states(r.data) == ["germany", "russia", "ukraine"]


def test_form_posted_query_is_decoded_once(client: FlaskClient) -> None:
    q = 'SELECT ?x WHERE { BIND("100%41" AS ?x) }'
    body = "query=" + quote(q, safe="")
    r = client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200
    assert r.json["results"]["bindings"][0]["x"]["value"] == "100%41"
    r = client.post(
        "/sparql", data={"query": 'ASK { ?c ?p "100%41 of the <script>alert(1)</script> text" }'}
    )
    assert r.json["boolean"] is True


def test_union_default_graph_and_protocol_dataset(client: FlaskClient) -> None:
    q = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#State> } ORDER BY ?s"
    assert states(client.get("/sparql", query_string={"query": q}).data) == [
        "germany",
        "russia",
        "ukraine",
    ]
    only_one = client.get("/sparql", query_string={"query": q, "default-graph-uri": ONE})
    assert states(only_one.data) == ["russia", "ukraine"]
    both = client.get(
        "/sparql",
        query_string=[("query", q), ("default-graph-uri", ONE), ("default-graph-uri", TWO)],
    )
    assert states(both.data) == ["germany", "russia", "ukraine"]


def test_named_graph_uri_restricts_graph_patterns(client: FlaskClient) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = client.post("/sparql", data={"query": q, "named-graph-uri": TWO})
    assert [b["g"]["value"] for b in r.json["results"]["bindings"]] == [TWO]
    # default-graph-uri alone: no named graphs at all (Protocol §2.1.4)
    r = client.get("/sparql", query_string={"query": q, "default-graph-uri": ONE})
    assert r.json["results"]["bindings"] == []


def test_from_clause_of_a_graph_in_the_store(client: FlaskClient) -> None:
    q = f"SELECT ?s FROM <{TWO}> WHERE {{ ?s a <https://w3id.org/diplograph/ontology#State> }}"
    assert states(client.get("/sparql", query_string={"query": q}).data) == ["germany"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client: FlaskClient, accept: str, media_type: str) -> None:
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media_type
    assert r.headers["Vary"] == "Accept"


def test_select_bodies_in_each_format(client: FlaskClient) -> None:
    def get(fmt: str) -> str:
        r = client.get("/sparql", query_string={"query": LABELS, "format": fmt})
        assert r.status_code == 200
        return r.get_data(as_text=True)

    rows = list(csv.reader(io.StringIO(get("csv"))))
    assert rows[0] == ["s", "label"]
    assert rows[1] == [STATE + "germany", "Germany"]
    tsv = get("tsv").splitlines()
    assert tsv[0] == "?s\t?label"
    assert tsv[2] == f'<{STATE}russia>\t"Russia"@en'
    root = ET.fromstring(get("xml"))
    literals = [el.text for el in root.iter(SRX + "literal")]
    assert literals == ["Germany", "Russia", "Ukraine"]
    assert {
        el.get("{http://www.w3.org/XML/1998/namespace}lang") for el in root.iter(SRX + "literal")
    } == {"en"}
    doc = json.loads(get("json"))
    assert doc["head"]["vars"] == ["s", "label"]
    assert doc["results"]["bindings"][2]["label"] == {
        "type": "literal",
        "value": "Ukraine",
        "xml:lang": "en",
    }
    assert "truncated" not in doc


def test_ask_formats(client: FlaskClient) -> None:
    q = f"ASK {{ <{STATE}russia> ?p ?o }}"
    r = client.get(
        "/sparql",
        query_string={"query": q},
        headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml"},
    )
    assert r.mimetype == "application/sparql-results+xml"
    assert ET.fromstring(r.data).find(SRX + "boolean").text == "true"  # type: ignore[union-attr]
    # CSV/TSV have no boolean form: named, the bare word (as Oxigraph writes it); by wildcard, JSON
    r = client.get("/sparql", query_string={"query": q, "format": "csv"})
    assert (r.status_code, r.mimetype, r.data) == (200, "text/csv", b"true")
    r = client.get(
        "/sparql", query_string={"query": q}, headers={"Accept": "text/tab-separated-values"}
    )
    assert (r.status_code, r.mimetype, r.data) == (200, "text/tab-separated-values", b"true")
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/*"})
    assert (r.status_code, r.mimetype) == (200, "application/sparql-results+json")


@pytest.mark.parametrize(
    ("accept", "media_type", "ox_format"),
    [
        ("text/turtle", "text/turtle", "TURTLE"),
        ("application/n-triples", "application/n-triples", "N_TRIPLES"),
        ("application/rdf+xml", "application/rdf+xml", "RDF_XML"),
        ("application/ld+json", "application/ld+json", "JSON_LD"),
        ("application/trig", "application/trig", "TRIG"),
        ("application/n-quads", "application/n-quads", "N_QUADS"),
        (None, "text/turtle", "TURTLE"),
    ],
)
def test_construct_and_describe_formats(
    client: FlaskClient, accept: str | None, media_type: str, ox_format: str
) -> None:
    q = (
        "CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { ?s "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", query_string={"query": q}, headers=headers)
    assert r.status_code == 200
    assert r.mimetype == media_type
    parsed = ox.parse(r.data, format=getattr(ox.RdfFormat, ox_format))
    triples = {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed}
    assert len(triples) == 4
    assert (f"<{STATE}germany>", f"<{RDFS.label}>", '"Germany"@en') in triples
    d = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{STATE}russia>"},
        headers={"Accept": "application/n-triples"},
    )
    assert d.status_code == 200
    assert f'<{STATE}russia> <{RDFS.label}> "Russia"@en .' in d.get_data(as_text=True)


def test_syntax_error_is_400_with_the_parser_message(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.json["status"] == 400
    assert r.json["error"].startswith("SPARQL syntax error: error at 1:")


def test_nothing_acceptable_is_406(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "image/png" in r.json["error"]
    r = client.get("/sparql", query_string={"query": LABELS, "format": "turtle"})
    assert r.status_code == 406


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_wrong_content_type_is_415(client: FlaskClient, content_type: str | None) -> None:
    r = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert r.status_code == 415
    assert "application/sparql-query" in r.json["error"]


def test_bad_requests_are_400(client: FlaskClient) -> None:
    two = client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400
    assert "2 'query' parameters" in two.json["error"]
    utf16 = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert utf16.status_code == 400
    latin = client.post(
        "/sparql",
        data='ASK { FILTER("é") }'.encode("latin-1"),
        content_type="application/sparql-query",
    )
    assert latin.status_code == 400
    assert "not valid UTF-8" in latin.json["error"]
    empty_form = client.post("/sparql", data={"nothing": "here"})
    assert empty_form.status_code == 400
    put = client.put("/sparql", query_string={"query": "ASK {}"})
    assert put.status_code == 405
    assert "PUT" in put.json["error"]


def test_an_update_sent_to_sparql_is_refused(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 400
    assert "/update" in r.json["error"]
    r = client.get("/sparql", query_string={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 400


def test_etag_and_304(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": LABELS})
    tag = r.headers["ETag"]
    assert r.headers["Cache-Control"] == "no-cache"
    again = client.get("/sparql", query_string={"query": LABELS}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    other = client.get(
        "/sparql",
        query_string={"query": LABELS},
        headers={"If-None-Match": tag, "Accept": "text/csv"},
    )
    assert other.status_code == 200
    assert other.headers["ETag"] != tag


def test_cors_on_sparql_never_with_credentials(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"}
    )
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers
    pre = client.options(
        "/sparql",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    upd = client.options("/update", headers={"Origin": "http://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in upd.headers


def test_cors_can_be_turned_off(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(store="memory:", workers=0, cors=False)
    r = app.test_client().get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"}
    )
    assert r.status_code == 200
    assert "Access-Control-Allow-Origin" not in r.headers


def test_request_body_over_the_limit_is_413(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(store="memory:", workers=0, max_body=200)
    c = app.test_client()
    big = "ASK {} #" + "x" * 500
    r = c.post("/sparql", data=big, content_type="application/sparql-query")
    assert r.status_code == 413
    assert "max_body" in r.json["error"]
    r = c.post("/sparql", data={"query": big})
    assert r.status_code == 413
    assert c.post("/sparql", data={"query": "ASK {}"}).status_code == 200


def test_repeated_queries_come_from_the_result_cache(make_app, sample) -> None:  # type: ignore[no-untyped-def]
    app = make_app(graph=sample, workers=1, update_token="t")
    c = app.test_client()
    q = {"query": LABELS}
    first = c.get("/sparql", query_string=q)
    second = c.get("/sparql", query_string=q)
    assert second.data == first.data
    cache = c.get("/-/health.json").json["cache"]
    assert cache == {"hits": 1, "misses": 1}
    # a write makes the cached result stale: the next answer is computed afresh
    upd = (
        f"INSERT DATA {{ GRAPH <urn:g> {{ <{STATE}x> a "
        "<https://w3id.org/diplograph/ontology#State> ;"
        ' <http://www.w3.org/2000/01/rdf-schema#label> "X" } }'
    )
    assert (
        c.post("/update", data={"update": upd}, headers={"Authorization": "Bearer t"}).status_code
        == 204
    )
    third = c.get("/sparql", query_string=q)
    assert states(third.data) == ["germany", "russia", "ukraine", "x"]
    assert c.get("/-/health.json").json["cache"] == {"hits": 1, "misses": 2}
    off = make_app(graph=sample, workers=0, result_cache=0).test_client()
    off.get("/sparql", query_string=q)
    off.get("/sparql", query_string=q)
    assert off.get("/-/health.json").json["cache"] == {"hits": 0, "misses": 0}


def test_a_browser_following_a_query_link_gets_the_editor(client: FlaskClient) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers=browser)
    if "ui.index" in client.application.view_functions:
        assert r.status_code == 303
        assert r.headers["Location"].endswith("/?query=ASK+%7B%7D")
    else:
        assert r.status_code == 200
    # fetch() and SPARQL clients are not browsers navigating
    assert (
        client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "*/*"}).json[
            "boolean"
        ]
        is True
    )
    r = client.get("/sparql", query_string={"query": "ASK {}", "format": "json"}, headers=browser)
    assert r.json["boolean"] is True
