"""The query editor page "/" (issue 5, "Query UI") through Flask's test client: what the page
carries (prefixes, examples, endpoint, IRI bases), that every asset is served by the package (no
CDN, no inline script), and the helpers behind it (URLs, the VALUES block of "view and edit").
The editor's behaviour in a real browser is tested in ``tests/browser/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.sparqltext import bind_values
from diplograph.ontology.namespace import PREFIXES
from diplograph.queries import catalogue, expand_iri, get
from diplograph.server import ui, urls

SERVER_DIR = Path(ui.__file__).parent


@pytest.fixture
def app(make_app: Callable[..., Flask], empty_graph: DiploGraph) -> Flask:
    """The shared ``client`` talks to an app over an empty graph."""
    return make_app(graph=empty_graph, workers=0)


class Page(HTMLParser):
    """The scripts, stylesheets, links and JSON data blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.anchors: list[str] = []
        self.data: dict[str, str] = {}
        self.handlers: list[str] = []
        self.textarea = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.handlers += [k for k in a if k.startswith("on")]
        if tag == "script":
            self.scripts.append(a)
            self._in = f"script#{a.get('id')}" if a.get("type") == "application/json" else "script"
            self.data.setdefault(self._in, "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "a" and a.get("href"):
            self.anchors.append(a["href"] or "")
        elif tag == "textarea":
            self._in = "textarea"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "textarea"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "textarea":
            self.textarea += data
        elif self._in is not None:
            self.data[self._in] = self.data.get(self._in, "") + data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def test_editor_page_declares_the_prefixes_and_offers_the_named_queries(
    client: FlaskClient,
) -> None:
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    page = parse(resp.get_data(as_text=True))
    for prefix, ns in PREFIXES.items():
        assert re.search(rf"^PREFIX {prefix}:\s+<{re.escape(ns)}>$", page.textarea, re.M)
    assert "?claim a/rdfs:subClassOf* dg:Claim" in page.textarea
    examples = json.loads(page.data["script#examples-data"])
    assert [e["name"] for e in examples] == [
        q.name for q in sorted(catalogue().values(), key=lambda q: q.title.lower())
    ]
    by_name = {e["name"]: e for e in examples}
    actor = by_name["claims-by-actor"]
    assert actor["title"] == "Claims by an actor in a date range"
    example = catalogue()["claims-by-actor"].example_params()
    assert actor["url"] == "/queries/claims-by-actor?" + urlencode(example, safe="/")
    assert f"VALUES (?actor ?start ?end) {{ (<{expand_iri(example['actor'])}> " in actor["sparql"]
    assert json.loads(page.data["script#prefixes-data"]) == PREFIXES
    html = resp.get_data(as_text=True)
    assert 'data-endpoint="/sparql"' in html
    assert 'data-id-base="https://w3id.org/diplograph/id/"' in html
    assert 'data-local-id-base="/id/"' in html
    for name in catalogue():
        assert f'<option value="{name}">' in html


def test_every_asset_is_served_by_the_package_and_no_script_is_inline(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    page = parse(html)
    sources = [s["src"] for s in page.scripts if s.get("src")]
    assert sources == [
        "/static/vendor/codemirror/lib/codemirror.js",
        "/static/vendor/codemirror/mode/sparql/sparql.js",
        "/static/vendor/codemirror/addon/edit/matchbrackets.js",
        "/static/vendor/codemirror/addon/hint/show-hint.js",
        "/static/js/results.js",
        "/static/js/chart.js",
        "/static/js/complete.js",
        "/static/js/editor.js",
    ]
    # scripts without src are JSON data blocks, never executed (a CSP without 'unsafe-inline')
    assert all(s.get("src") or s.get("type") == "application/json" for s in page.scripts)
    assert page.handlers == []
    assert "style=" not in html
    stylesheets = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
    assert stylesheets == [
        "/static/css/site.css",
        "/static/vendor/codemirror/lib/codemirror.css",
        "/static/vendor/codemirror/addon/hint/show-hint.css",
    ]
    for url in [*sources, *stylesheets, "/static/favicon.svg"]:
        assert url.startswith("/static/")
        got = client.get(url)
        assert got.status_code == 200, url
        assert len(got.data) > 100
        got.close()
    assert not re.search(r"""(src|href)=["']https?://""", html.split("<main>")[0])


def test_vendored_editor_ships_with_its_licence_and_source() -> None:
    vendor = SERVER_DIR / "static" / "vendor" / "codemirror"
    licence = (vendor / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    source = (vendor / "SOURCE.md").read_text(encoding="utf-8")
    assert "codemirror" in source and "5.65.21" in source and "MIT" in source
    assert 'CodeMirror.version = "5.65.21"' in (vendor / "lib" / "codemirror.js").read_text()


def test_editor_opens_on_the_query_of_its_url_escaped(client: FlaskClient) -> None:
    query = 'SELECT * { ?s ?p "</textarea><script>alert(1)</script>" }'
    resp = client.get("/", query_string={"query": query})
    html = resp.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert parse(html).textarea == query


def test_header_navigation_links_the_pages_this_app_serves(client: FlaskClient) -> None:
    html = client.get("/queries", headers={"Accept": "text/html"}).get_data(as_text=True)
    nav = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav is not None
    links = re.findall(
        r'<a href="([^"]*)"( class="active" aria-current="page")?>([^<]*)</a>', nav.group(1)
    )
    assert links[:2] == [
        ("/", "", "Query"),
        ("/queries", ' class="active" aria-current="page"', "Queries"),
    ]


def test_editor_page_is_linked_from_the_sparql_endpoint_for_browsers(client: FlaskClient) -> None:
    # a browser that opens /sparql with no query is sent to the editor (SERVER-CORE's view)
    resp = client.get("/sparql", headers={"Accept": "text/html"})
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/"


# -- URLs ---------------------------------------------------------------------------------------


def test_resource_urls_map_data_iris_to_local_pages(app: Flask) -> None:
    with app.test_request_context("/"):
        assert (
            urls.resource_url("https://w3id.org/diplograph/id/state/russia") == "/id/state/russia"
        )
        assert (
            urls.resource_url("https://w3id.org/diplograph/id/claim/article-001/3")
            == "/id/claim/article-001/3"
        )
        assert urls.resource_url("https://w3id.org/diplograph/id/person/a b") == "/id/person/a%20b"
        assert urls.resource_url("https://w3id.org/diplograph/id/") == (
            "https://w3id.org/diplograph/id/"
        )
        assert urls.resource_url("http://www.w3.org/2004/02/skos/core#Concept") == (
            "http://www.w3.org/2004/02/skos/core#Concept"
        )
        assert urls.query_url("claims-by-actor", {"actor": "state/russia", "start": ""}, "csv") == (
            "/queries/claims-by-actor.csv?actor=state/russia"
        )
        assert urls.editor_url("ASK {}") == "/?query=ASK+%7B%7D"
        assert urls.curie("https://w3id.org/diplograph/ontology#Claim") == "dg:Claim"
    with app.test_request_context("/", base_url="http://localhost/dg/"):
        assert urls.resource_url("https://w3id.org/diplograph/id/state/russia") == (
            "/dg/id/state/russia"
        )


# -- the VALUES block of "view and edit SPARQL" -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE {\n  VALUES"),
        ("SELECT * { ?s ?p ?o }", "SELECT * {\n  VALUES"),
        ("ASK { ?s ?p '{' }", "ASK {\n  VALUES"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } {\n  VALUES"),
        (
            "# a { comment\nPREFIX a: <urn:a#> SELECT ?where { ?s a:where '''}''' }",
            "# a { comment\nPREFIX a: <urn:a#> SELECT ?where {\n  VALUES",
        ),
    ],
)
def test_values_block_goes_at_the_start_of_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, {"s": URIRef("urn:x")}).startswith(expected)


def test_construct_where_is_written_out_as_the_remote_store_does() -> None:
    # one rule for CONSTRUCT WHERE { P }: the editor and the remote store both expand it
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert bind_values(query, {"s": URIRef("urn:x")}) == (
        "CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s) { (<urn:x>) }\n  ?s ?p ?o }"
    )
    assert bind_values("DESCRIBE ?s", {"s": URIRef("urn:x")}) == (
        "DESCRIBE ?s\nVALUES (?s) { (<urn:x>) }\n"
    )


def test_editable_text_names_the_query_and_binds_its_parameters() -> None:
    q = get("claims-by-actor")
    text = q.editable(q.bind({"actor": "state/russia"}))
    assert text.startswith("# " + q.title + " (named query claims-by-actor)\n")
    assert "VALUES (?actor" in text and "<https://w3id.org/diplograph/id/state/russia>" in text
    assert "# parameters" in text


def test_values_block_binds_like_the_store_and_cannot_be_escaped() -> None:
    graph = open_graph("memory:")
    try:
        graph.update(
            'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> "2020"^^<'
            + str(XSD.gYear)
            + '> , "x\\" } ; DROP ALL ; SELECT * { \\"" } }'
        )
        query = "SELECT ?s ?o ?want WHERE { ?s <urn:p> ?o FILTER(STR(?o) = STR(?want)) }"
        hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
        for value in (hostile, Literal("2020", datatype=XSD.gYear)):
            inline = graph.query(bind_values(query, {"want": value}))
            bound = graph.query(query, bindings={"want": value})
            assert inline.rows == bound.rows
            assert len(inline.rows) == 1
            assert inline.rows[0][1] is not None and str(inline.rows[0][1]) == str(value)
        assert graph.count() == 2
    finally:
        graph.close()
