"""Content negotiation of resource IRIs and data documents: the 303 pattern, q-values,
wildcards, suffixes, ``?format=`` and 406."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

LAVROV = "/id/person/sergey-lavrov"
PAGE = "/page/person/sergey-lavrov"
DATA = "/data/person/sergey-lavrov"

# (Accept header, where /id/ sends the client)
ID_TABLE = [
    (None, PAGE),
    ("*/*", PAGE),
    ("text/html", PAGE),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGE),
    ("text/turtle", DATA + ".ttl"),
    ("application/x-turtle", DATA + ".ttl"),
    ("application/n-triples", DATA + ".nt"),
    ("application/rdf+xml", DATA + ".rdf"),
    ("application/ld+json", DATA + ".jsonld"),
    ("application/json", DATA + ".json"),
    ("text/turtle;q=0.5, application/ld+json", DATA + ".jsonld"),
    ("text/turtle;q=0.9, text/html;q=0.8", DATA + ".ttl"),
    ("text/html;q=0.1, application/rdf+xml;q=0.2", DATA + ".rdf"),
    ("text/*", PAGE),
    ("application/*", PAGE),  # application/xhtml+xml is the page
    ("application/json;q=0.4, text/turtle;q=0.6", DATA + ".ttl"),
    ("image/png, text/turtle;q=0.1", DATA + ".ttl"),
    ("text/turtle;q=0, */*;q=0.1", PAGE),
]


@pytest.mark.parametrize(("accept", "location"), ID_TABLE)
def test_resource_iri_answers_303_by_accept(
    client: FlaskClient, accept: str | None, location: str
) -> None:
    r = client.get(LAVROV, headers={"Accept": accept} if accept else {})
    assert r.status_code == 303
    assert r.headers["Location"] == location
    assert r.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    "accept", ["image/png", "text/csv", "application/pdf;q=1, text/turtle;q=0"]
)
def test_nothing_acceptable_is_406_with_the_offer(client: FlaskClient, accept: str) -> None:
    r = client.get(LAVROV, headers={"Accept": accept})
    assert r.status_code == 406
    assert "text/turtle" in r.json["error"] and r.json["status"] == 406


@pytest.mark.parametrize(
    ("suffix", "location"),
    [
        (".ttl", DATA + ".ttl"),
        (".nt", DATA + ".nt"),
        (".rdf", DATA + ".rdf"),
        (".jsonld", DATA + ".jsonld"),
        (".json", DATA + ".json"),
        (".html", PAGE),
    ],
)
def test_suffix_on_the_iri_names_the_document(
    client: FlaskClient, suffix: str, location: str
) -> None:
    r = client.get(LAVROV + suffix, headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["Location"] == location


@pytest.mark.parametrize(
    ("fmt", "location"),
    [("json", DATA + ".json"), ("ttl", DATA + ".ttl"), ("rdfxml", DATA + ".rdf")],
)
def test_format_parameter_on_the_iri(client: FlaskClient, fmt: str, location: str) -> None:
    r = client.get(f"{LAVROV}?format={fmt}", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"] == location


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        (".ttl", "text/turtle; charset=utf-8"),
        (".nt", "application/n-triples; charset=utf-8"),
        (".rdf", "application/rdf+xml; charset=utf-8"),
        (".jsonld", "application/ld+json; charset=utf-8"),
        (".json", "application/json"),
    ],
)
def test_documents_by_suffix_are_not_negotiated(
    client: FlaskClient, suffix: str, content_type: str
) -> None:
    r = client.get(DATA + suffix, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == content_type
    assert "Vary" not in r.headers


@pytest.mark.parametrize(
    ("accept", "content_type", "location"),
    [
        (None, "text/turtle; charset=utf-8", DATA + ".ttl"),
        ("*/*", "text/turtle; charset=utf-8", DATA + ".ttl"),
        (
            "application/ld+json;q=0.9, application/rdf+xml;q=0.3",
            "application/ld+json; charset=utf-8",
            DATA + ".jsonld",
        ),
        ("text/plain", "application/n-triples; charset=utf-8", DATA + ".nt"),
    ],
)
def test_document_without_suffix_is_negotiated(
    client: FlaskClient, accept: str | None, content_type: str, location: str
) -> None:
    r = client.get(DATA, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == content_type
    assert r.headers["Vary"] == "Accept"
    assert r.headers["Content-Location"] == location


def test_document_refuses_html_only_accept(client: FlaskClient) -> None:
    assert client.get(DATA, headers={"Accept": "image/png"}).status_code == 406


def test_link_headers_name_every_representation(client: FlaskClient) -> None:
    for url in (PAGE, DATA + ".ttl", LAVROV):
        link = client.get(url).headers["Link"]
        assert "<" + PAGE + '>; rel="alternate"; type="text/html"' in link
        for suffix, media in (
            (".ttl", "text/turtle"),
            (".nt", "application/n-triples"),
            (".rdf", "application/rdf+xml"),
            (".jsonld", "application/ld+json"),
        ):
            assert f'<{DATA}{suffix}>; rel="alternate"; type="{media}"' in link
        assert '</context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' in link


def test_unknown_format_parameter_is_406(client: FlaskClient) -> None:
    r = client.get(f"{DATA}?format=gif")
    assert r.status_code == 406 and "gif" in r.json["error"]


@pytest.mark.parametrize(
    "url", [LAVROV, DATA + ".ttl", "/context.jsonld", "/ontology.ttl", "/graph/links"]
)
def test_linked_data_is_readable_cross_origin(client: FlaskClient, url: str) -> None:
    assert client.get(url).headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url", [PAGE, DATA + ".ttl", DATA, "/picture/person/sergey-lavrov.svg", "/graph/links"]
)
def test_repeated_reads_cost_a_304(client: FlaskClient, url: str) -> None:
    first = client.get(url, headers={"Accept": "text/turtle"} if url == DATA else {})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    again = client.get(
        url, headers={"If-None-Match": etag, **({"Accept": "text/turtle"} if url == DATA else {})}
    )
    assert again.status_code == 304 and again.data == b""
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
