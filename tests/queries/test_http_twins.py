"""The named queries' machine twins (JSON, CSV, TSV, SPARQL JSON/XML, graph formats), content
negotiation, "view and edit SPARQL", the result cap, CORS and ETags, through Flask's test client on
apps built by the factory. Every twin is checked against the library: the rows it gives are the
rows :func:`diplograph.queries.run_query` gives on the same graph.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from diplograph.graph.store import DiploGraph
from diplograph.iri import ID
from diplograph.queries import catalogue, run_query

HTML = {"Accept": "text/html"}
LAVROV = str(ID["person/sergey-lavrov"])


def lavrov_rows(seed_graph: DiploGraph) -> list[dict[str, str]]:
    result = run_query(seed_graph, "claims-by-actor", actor="person/sergey-lavrov")
    return [{k: str(v) for k, v in b.items()} for b in result.bindings()]


# -- one query: the machine twins ---------------------------------------------------------------


def test_json_twin_has_rows_with_labels_and_local_links(
    client: FlaskClient, seed_graph: DiploGraph
) -> None:
    expected = lavrov_rows(seed_graph)
    resp = client.get("/queries/claims-by-actor.json?actor=person/sergey-lavrov")
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    body = resp.json
    assert body["query"] == {
        "name": "claims-by-actor",
        "title": "Claims by an actor in a date range",
        "url": "/queries/claims-by-actor",
    }
    assert body["params"] == {
        "actor": {"type": "uri", "value": LAVROV, "href": "/id/person/sergey-lavrov"}
    }
    assert body["count"] == len(expected) == len(body["rows"])
    assert body["truncated"] is False
    assert body["columns"][:3] == ["actor", "start", "end"]
    got = [{k: v["value"] for k, v in row.items()} for row in body["rows"]]
    assert got == expected  # same rows, same order (the query has ORDER BY)
    speaker = body["rows"][0]["speaker"]
    assert speaker == {
        "type": "uri",
        "value": LAVROV,
        "href": "/id/person/sergey-lavrov",
        "label": "Sergey Lavrov",
    }


def test_json_twin_by_accept(client: FlaskClient) -> None:
    resp = client.get(
        "/queries/claims-by-actor?actor=person/sergey-lavrov",
        headers={"Accept": "application/json"},
    )
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    assert resp.json["query"]["name"] == "claims-by-actor"
    assert "Accept" in resp.headers["Vary"]


def test_csv_and_tsv_twins_are_standard_sparql_results(
    client: FlaskClient, seed_graph: DiploGraph
) -> None:
    expected = lavrov_rows(seed_graph)
    resp = client.get("/queries/claims-by-actor.csv?actor=person/sergey-lavrov")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == len(expected)
    assert [r["claim"] for r in rows] == [e["claim"] for e in expected]
    assert {r["speaker"] for r in rows} == {LAVROV}
    tsv = client.get("/queries/claims-by-actor.tsv?actor=person/sergey-lavrov")
    assert tsv.mimetype == "text/tab-separated-values"
    lines = tsv.get_data(as_text=True).splitlines()
    assert lines[0].split("\t")[:4] == ["?actor", "?start", "?end", "?claim"]
    assert len(lines) == len(expected) + 1
    assert f"<{LAVROV}>" in lines[1].split("\t")


def test_csv_twin_by_accept(client: FlaskClient) -> None:
    resp = client.get(
        "/queries/claims-by-actor?actor=person/sergey-lavrov", headers={"Accept": "text/csv"}
    )
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True).startswith("actor,start,end,claim,")


def test_sparql_json_and_xml_twins(client: FlaskClient, seed_graph: DiploGraph) -> None:
    expected = lavrov_rows(seed_graph)
    srj = client.get("/queries/claims-by-actor.srj?actor=person/sergey-lavrov")
    assert srj.status_code == 200
    assert srj.mimetype == "application/sparql-results+json"
    data = json.loads(srj.get_data(as_text=True))
    got = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    assert got == expected
    srx = client.get("/queries/claims-by-actor.srx?actor=person/sergey-lavrov")
    assert srx.status_code == 200
    assert srx.mimetype == "application/sparql-results+xml"
    assert srx.get_data(as_text=True).count("<result>") == len(expected)


def test_unacceptable_media_type_is_a_406(client: FlaskClient) -> None:
    resp = client.get(
        "/queries/claims-by-actor?actor=state/russia", headers={"Accept": "image/png"}
    )
    assert resp.status_code == 406
    assert resp.json["status"] == 406
    assert "image/png" in resp.json["error"]


def test_graph_query_page_and_twins(client: FlaskClient, seed_graph: DiploGraph) -> None:
    construct = [
        n for n, q in catalogue().items() if re.search(r"^\s*CONSTRUCT\b", q.body, re.M | re.I)
    ]
    assert construct, "the catalogue has a CONSTRUCT query (the neighbourhood of an entity)"
    name = construct[0]
    q = catalogue()[name]
    params = q.example_params()
    expected = run_query(seed_graph, name, **params)
    qs = "&".join(f"{k}={v}" for k, v in params.items())
    page = client.get(f"/queries/{name}?{qs}", headers=HTML)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    n = len(expected.triples)
    assert f'id="row-count">{n} triple{"" if n == 1 else "s"}</span>' in text
    ttl = client.get(f"/queries/{name}.ttl?{qs}")
    assert ttl.status_code == 200
    assert ttl.mimetype == "text/turtle"
    assert len(Graph().parse(data=ttl.get_data(as_text=True), format="turtle")) == n
    assert client.get(f"/queries/{name}.csv?{qs}").status_code == 406


# -- view and edit SPARQL -------------------------------------------------------------------------


def test_view_and_edit_opens_the_editor_on_an_equivalent_query(
    client: FlaskClient, seed_graph: DiploGraph
) -> None:
    body = client.get("/queries/claims-by-actor.json?actor=person/sergey-lavrov&start=2020").json
    url = urlsplit(body["editor_url"])
    assert url.path == "/"
    sparql = parse_qs(url.query)["query"][0]
    assert sparql.startswith("# Claims by an actor in a date range (named query claims-by-actor)\n")
    assert (
        f"VALUES (?actor ?start) {{ (<{LAVROV}> "
        '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>) }'
    ) in sparql
    # the text runs on its own and gives exactly the rows of the named query
    alone = seed_graph.query(sparql)
    bound = run_query(seed_graph, "claims-by-actor", actor="person/sergey-lavrov", start="2020")
    assert alone.rows == bound.rows
    # and the editor page opens on it
    editor = client.get(body["editor_url"])
    assert editor.status_code == 200
    assert "VALUES (?actor ?start) { (&lt;" + LAVROV + "&gt;" in editor.get_data(as_text=True)


# -- limits and CORS ------------------------------------------------------------------------------


def test_result_cap_is_reported_on_every_twin(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=0, max_results=2)
    client = app.test_client()
    url = "/queries/claims-by-actor{}?actor=person/sergey-lavrov"
    api = client.get(url.format(".json"))
    assert api.status_code == 200
    assert api.json["truncated"] is True
    assert api.json["count"] == 2
    assert api.headers["X-Diplograph-Truncated"] == "true"
    csv_resp = client.get(url.format(".csv"))
    assert csv_resp.headers["X-Diplograph-Truncated"] == "true"
    assert len(csv_resp.get_data(as_text=True).strip().splitlines()) == 3
    page = client.get(url.format(""), headers=HTML).get_data(as_text=True)
    assert '<div class="truncated">The result was cut at the server\'s row limit.</div>' in (page)
    assert 'id="row-count">2 rows</span>' in page


def test_queries_api_allows_cross_origin_reads(client: FlaskClient) -> None:
    origin = {"Origin": "https://example.org"}
    for url in ("/queries.json", "/queries/claims-by-actor.csv?actor=state/russia"):
        resp = client.get(url, headers=origin)
        assert resp.status_code == 200
        assert resp.headers["Access-Control-Allow-Origin"] == "*"


@pytest.fixture
def full_client(make_app: Callable[..., Flask], full_graph: DiploGraph) -> FlaskClient:
    return make_app(graph=full_graph, workers=0).test_client()


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_query_opens_in_the_editor_with_the_same_answer(
    name: str, full_graph: DiploGraph, full_client: FlaskClient
) -> None:
    """ "View and edit SPARQL" of each named query, with its example values, is a query that runs
    on its own and answers exactly what the named query answers (on the full bundled graph)."""
    q = catalogue()[name]
    params = q.example_params()
    body = full_client.get(f"/queries/{name}.json", query_string=params).json
    assert body["count"] == len(run_query(full_graph, name, **params))
    sparql = parse_qs(urlsplit(body["editor_url"]).query)["query"][0]
    alone = full_graph.query(sparql)
    bound = run_query(full_graph, name, **params)
    assert alone.kind == bound.kind
    if bound.kind == "CONSTRUCT":
        assert set(alone.triples) == set(bound.triples)
    else:
        assert sorted(map(str, alone.rows)) == sorted(map(str, bound.rows))


def test_results_carry_an_etag_and_answer_304_when_unchanged(client: FlaskClient) -> None:
    url = "/queries/claims-by-actor.csv?actor=person/sergey-lavrov"
    first = client.get(url)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    other = client.get(
        url.replace("sergey-lavrov", "dmitry-peskov"), headers={"If-None-Match": tag}
    )
    assert other.status_code == 200
    assert other.headers["ETag"] != tag
    page = client.get(url.replace(".csv", ""), headers=HTML)
    assert page.headers["ETag"] not in (tag, None)
    assert (
        client.get("/queries/claims-by-actor.json?actor=nope", headers=HTML).headers.get("ETag")
        is None
    )


def test_a_write_changes_the_etag_and_the_answer(
    make_app: Callable[..., Flask], empty_graph: DiploGraph
) -> None:
    app = make_app(graph=empty_graph, workers=0, update_token="s3")
    client = app.test_client()
    url = "/queries/search-entities.json?text=ostrom"
    before = client.get(url)
    assert before.json["count"] == 0
    tag = before.headers["ETag"]
    wrote = client.post(
        "/update",
        data={
            "update": f"INSERT DATA {{ GRAPH <urn:g> {{ <{ID}person/elinor-ostrom> "
            '<http://www.w3.org/2000/01/rdf-schema#label> "Elinor Ostrom" } }'
        },
        headers={"Authorization": "Bearer s3"},
    )
    assert wrote.status_code in (200, 204)
    after = client.get(url, headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["ETag"] != tag
    assert [r["entity"]["value"] for r in after.json["rows"]] == [f"{ID}person/elinor-ostrom"]
    assert after.json["rows"][0]["entity"]["label"] == "Elinor Ostrom"


def test_html_is_the_default_representation(client: FlaskClient) -> None:
    url = "/queries/claims-by-actor?actor=person/sergey-lavrov"
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "text/html,*/*;q=0.8"}):
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200
        assert resp.mimetype == "text/html"
    suffixed = client.get(url.replace("claims-by-actor", "claims-by-actor.html"))
    assert suffixed.mimetype == "text/html"
    assert client.get("/queries/claims-by-actor.xlsx?actor=state/russia").status_code == 404
