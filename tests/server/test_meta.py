"""Service Description, VoID, and the one error renderer."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from diplograph.errors import NotFound, QueryTimeout

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ONE = URIRef("https://w3id.org/diplograph/graph/article/test-one")
TWO = URIRef("https://w3id.org/diplograph/graph/article/test-two")
META = URIRef("https://w3id.org/diplograph/graph/meta")


def parse(body: bytes, fmt: str = "turtle") -> Graph:
    return Graph().parse(data=body, format=fmt)


def test_service_description(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    g = parse(r.data)
    service = URIRef("http://localhost/sparql#service")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, URIRef("http://localhost/sparql")) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g  # no token
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    names = set(g.objects(None, SD.name))
    assert names == {ONE, TWO, META}
    xml = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert xml.mimetype == "application/rdf+xml"
    assert (service, RDF.type, SD.Service) in parse(xml.data, "xml")


def test_service_description_says_update_when_enabled(
    make_app: Callable[..., Flask],
) -> None:
    c = make_app(store="memory:", workers=0, update_token="t").test_client()
    g = parse(c.get("/sparql", query_string={"format": "ttl"}).data)
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in g


def test_void_lists_graphs_counts_licences_and_vocabularies(client: FlaskClient) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    g = parse(r.data)
    dataset = URIRef("http://localhost/.well-known/void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in g
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in g
    graphs = {s for s in g.objects(dataset, VOID.subset) if (s, RDF.type, VOID.Linkset) not in g}
    assert graphs == {ONE, TWO, META}
    assert g.value(ONE, VOID.triples) == Literal(8, datatype=XSD.integer)
    assert g.value(TWO, VOID.triples) == Literal(4, datatype=XSD.integer)
    assert g.value(dataset, VOID.triples) == Literal(20, datatype=XSD.integer)
    assert g.value(ONE, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert set(g.objects(dataset, DCTERMS.license)) == {
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
        URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),
    }
    assert g.value(TWO, DCTERMS.title) == Literal("Test article two", lang="en")
    vocabularies = set(g.objects(dataset, VOID.vocabulary))
    assert URIRef("https://w3id.org/diplograph/ontology#") in vocabularies
    assert URIRef("http://rdfs.org/ns/void#") in vocabularies
    nt = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert nt.mimetype == "application/n-triples"
    assert len(parse(nt.data, "nt")) == len(g)


def test_void_format_is_named_as_for_a_construct_on_sparql(
    client: FlaskClient, parse_rdf: Callable[[bytes | str, str], Graph]
) -> None:
    """``?format=`` on VoID and the Service Description reads as it does on /sparql for a
    graph: a key, a media type, or the JSON family name (JSON-LD); a results format is a 406."""
    turtle = parse(client.get("/.well-known/void").data)
    for name in ("json", "jsonld", "application/ld+json"):
        r = client.get("/.well-known/void", query_string={"format": name})
        assert r.status_code == 200 and r.mimetype == "application/ld+json", name
        assert len(parse_rdf(r.data, "json-ld")) == len(turtle)
    sd = client.get("/sparql", query_string={"format": "ttl"}, headers={"Accept": "*/*"})
    assert sd.mimetype == "text/turtle" and (None, RDF.type, SD.Service) in parse(sd.data)
    refused = client.get("/.well-known/void", query_string={"format": "csv"})
    assert refused.status_code == 406 and "csv" in refused.json["error"]


def test_errors_are_json_for_clients_and_html_for_browsers(client: FlaskClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.json == {"error": "Nothing is served at /no/such/page.", "status": 404}
    page = client.post(  # a GET would be sent to the editor
        "/sparql",
        data={"query": "ASK {"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "SPARQL syntax error" in text
    assert "<h1>" in text


def test_our_errors_keep_their_status_and_bugs_are_logged_500s(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(store="memory:", workers=0)

    @app.route("/-/test-bug")
    def bug() -> str:
        raise KeyError("oops")

    @app.route("/-/test-missing")
    def missing() -> str:
        raise NotFound("No state called <atlantis> is in the graph.")

    @app.route("/-/test-timeout")
    def slow() -> str:
        raise QueryTimeout("The query ran longer than 1 s and was stopped.")

    c = app.test_client()
    with caplog.at_level(logging.ERROR, logger="diplograph.server"):
        r = c.get("/-/test-bug")
    assert r.status_code == 500
    assert r.json["status"] == 500
    assert "oops" not in r.json["error"]
    assert "KeyError: 'oops'" in caplog.text
    r = c.get("/-/test-missing")
    assert r.status_code == 404
    assert r.json["error"] == "No state called <atlantis> is in the graph."
    r = c.get("/-/test-timeout")
    assert r.status_code == 503
    html = c.get("/-/test-missing", headers={"Accept": "text/html"})
    assert html.status_code == 404
    assert "No state called &lt;atlantis&gt; is in the graph." in html.get_data(as_text=True)
