"""Resource pages (entities, claims, agreements, named graphs) and the ontology docs, as HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from diplograph.graph.store import DiploGraph

Parser = Callable[[bytes | str, str], Graph]
SCHEMA = "https://schema.org/"
ID = "https://w3id.org/diplograph/id/"


def _jsonld(html: str) -> str:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD block"
    return m.group(1)


def test_lavrov_page(client: FlaskClient) -> None:
    r = client.get("/page/person/sergey-lavrov")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<h1 id="label">Sergey Lavrov</h1>' in html
    # claims he made, each with its source, linked to its page
    assert 'href="/id/claim/article-001/9"' in html
    assert "Lavrov says security guarantees must comply with OSCE agreements" in html
    assert 'href="/id/article/article-001"' in html
    # values linked to their pages, labels not bare IRIs
    assert 'href="/id/post/russia-minister-of-foreign-affairs"' in html
    # incoming links with counts, leading to a filtered list
    assert re.search(
        r'<a class="count" href="/list\?p=https://w3id.org/diplograph/ontology%23speaker'
        r'&amp;o=https://w3id.org/diplograph/id/person/sergey-lavrov">5</a>',
        html,
    )
    # view in the SPARQL editor, picture, sources
    assert "View in SPARQL editor" in html and 'href="/?query=SELECT' in html
    assert 'src="/picture/person/sergey-lavrov.svg"' in html
    assert "Claim records of article-001" in html
    assert 'href="/graph?focus=https' in html


def test_embedded_jsonld_parses_with_rdflib(parse_rdf: Parser, client: FlaskClient) -> None:
    html = client.get("/page/person/sergey-lavrov").get_data(as_text=True)
    g = parse_rdf(_jsonld(html), "json-ld")
    me = URIRef(ID + "person/sergey-lavrov")
    assert (me, RDF.type, URIRef(SCHEMA + "Person")) in g
    assert (me, URIRef(SCHEMA + "name"), Literal("Sergey Lavrov")) in g
    assert (me, URIRef(SCHEMA + "url"), URIRef("http://localhost/page/person/sergey-lavrov")) in g


def test_state_page_links_out_to_wikidata(parse_rdf: Parser, client: FlaskClient) -> None:
    html = client.get("/page/state/russia").get_data(as_text=True)
    assert (
        '<a class="external" rel="external" href="http://www.wikidata.org/entity/Q159">'
        "Wikidata Q159</a>" in html
    )
    assert (
        'Licence: <a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">'
        in html
    )
    g = parse_rdf(_jsonld(html), "json-ld")
    me = URIRef(ID + "state/russia")
    assert (me, URIRef(SCHEMA + "sameAs"), URIRef("http://www.wikidata.org/entity/Q159")) in g
    assert (me, RDF.type, URIRef(SCHEMA + "Country")) in g


def test_claim_page_shows_the_provenance_chain(parse_rdf: Parser, client: FlaskClient) -> None:
    html = client.get("/page/claim/article-001/9").get_data(as_text=True)
    chain = re.search(r'<section class="provenance">(.*?)</section>', html, re.S)
    assert chain
    text = unescape(re.sub(r"<[^>]+>", " ", chain.group(1)))
    for expected in (
        "Source document",
        "Putin's Right Hand Man Gives Middle Finger",
        "Named graph",
        "graph/data/articles/article-001.yaml",
        "Citation",
    ):
        assert expected in text
    assert 'href="/id/agreement/charter-for-european-security-1999"' in html
    g = parse_rdf(_jsonld(html), "json-ld")
    claim = URIRef(ID + "claim/article-001/9")
    assert (claim, URIRef(SCHEMA + "author"), URIRef(ID + "person/sergey-lavrov")) in g


def test_agreement_page(client: FlaskClient) -> None:
    html = client.get("/page/agreement/charter-for-european-security-1999").get_data(as_text=True)
    section = re.search(r'<section class="agreement">(.*?)</section>', html, re.S)
    assert section
    text = unescape(re.sub(r"<[^>]+>", " ", section.group(1)))
    assert "1999-11-19" in text and "Istanbul" in text and "indivisible" in text.lower()
    assert "Organization for Security and Co-operation in Europe" in text or "OSCE" in text
    assert 'href="/id/claim/article-001/9"' in section.group(1)


def test_every_value_is_escaped(parse_rdf: Parser, evil_client: FlaskClient) -> None:
    r = evil_client.get("/page/person/evil")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    block = _jsonld(html)  # the data block cannot be closed early by a literal
    assert "</script>" not in block and "\\u003cscript\\u003e" in block
    g = parse_rdf(block, "json-ld")
    assert (URIRef(ID + "person/evil"), URIRef(SCHEMA + "name"), None) in g
    assert str(g.value(URIRef(ID + "person/evil"), URIRef(SCHEMA + "name"))).startswith("<script>")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/id/../sparql", 404),
        ("/id/person/../../sparql", 404),
        ("/id/./person/sergey-lavrov", 404),
        ("/id/person//sergey-lavrov", 404),
        ("/id/person%2Fsergey-lavrov", 400),
        ("/id/person%2fsergey-lavrov", 400),
        ("/page/..%2F..%2Fetc/passwd", 400),
        ("/data/person/%2e%2e/x.ttl", 404),
        ("/id/person\\sergey-lavrov", 400),
    ],
)
def test_paths_cannot_leave_the_iri_space(client: FlaskClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, url
    assert r.json["status"] == status


def test_unknown_resource_is_404_with_suggestions(client: FlaskClient) -> None:
    r = client.get("/id/person/lavrov", headers={"Accept": "text/html"})
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "diplograph has nothing about https://w3id.org/diplograph/id/person/lavrov." in html
    assert '<a href="/id/person/sergey-lavrov">Sergey Lavrov</a>' in html
    j = client.get("/page/person/lavrov", headers={"Accept": "application/json"}).json
    assert {"label": "Sergey Lavrov", "url": "/id/person/sergey-lavrov"} in j["suggestions"]


def test_ontology_dereferences(parse_rdf: Parser, client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["Vary"] == "Accept"
    text = html.get_data(as_text=True)
    assert '<section class="onto-term" id="Claim">' in text
    assert '<section class="onto-term" id="speaker">' in text
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = parse_rdf(ttl.data, "turtle")
    assert (
        URIRef("https://w3id.org/diplograph/ontology"),
        RDF.type,
        URIRef("http://www.w3.org/2002/07/owl#Ontology"),
    ) in g
    for suffix, parser in ((".rdf", "xml"), (".jsonld", "json-ld"), (".nt", "nt")):
        other = parse_rdf(client.get("/ontology" + suffix).data, parser)
        assert len(other) == len(g)
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_terms_link_to_their_anchor(client: FlaskClient) -> None:
    html = client.get("/page/claim/article-001/9").get_data(as_text=True)
    assert 'href="/ontology#speaker"' in html
    assert 'href="/class/Claim"' in html


def test_picture_is_svg_of_the_neighbourhood(client: FlaskClient) -> None:
    r = client.get("/picture/person/sergey-lavrov.svg")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    svg = r.get_data(as_text=True)
    assert "<svg" in svg and "Sergey Lavrov" in svg and "Minister of Foreign Affairs" in svg


def test_settings_base_is_configurable(seed_graph: object) -> None:
    from diplograph.server.app import create_app

    app = create_app({"graph": seed_graph, "workers": 0, "id_base": "https://example.org/x/"})
    try:
        c = app.test_client()
        # the store holds w3id IRIs, so under another base nothing is found
        assert c.get("/id/person/sergey-lavrov").status_code == 404
        with app.test_request_context():
            from diplograph.server import urls

            assert urls.resource_url("https://example.org/x/state/a") == "/id/state/a"
            assert urls.resource_url(ID + "state/russia") == ID + "state/russia"
    finally:
        app.extensions["diplograph"].close()
    assert json.dumps(1) == "1"


def test_named_graphs_dereference_with_licence_and_citation(
    client: FlaskClient, parse_rdf: Parser
) -> None:
    html = client.get("/graph/links", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["Vary"] == "Accept"
    text = html.get_data(as_text=True)
    assert '<h1 id="label">Links to Wikidata</h1>' in text
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in text
    ttl = client.get("/graph/links", headers={"Accept": "text/turtle"})
    g = parse_rdf(ttl.data, "turtle")
    me = URIRef("https://w3id.org/diplograph/graph/links")
    assert (
        me,
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),
    ) in g
    # a claim's provenance links to its graph's page
    claim = client.get("/page/claim/article-001/9").get_data(as_text=True)
    assert 'href="/graph/article/article-001"' in claim
    missing = client.get("/graph/article/nope", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    assert {"label": "article/article-001", "url": "/graph/article/article-001"} in (
        missing.json["suggestions"]
    )
    assert client.get("/graph/../sparql").status_code == 404


def test_alliance_page_on_the_full_graph(full_graph: DiploGraph, parse_rdf: Parser) -> None:
    """An ATOP alliance is a dg:Agreement through dg:Treaty: its page lists the participating
    states (from its participations) and its schema.org type."""
    from diplograph.server.app import create_app

    app = create_app({"graph": full_graph, "workers": 0})
    try:
        html = app.test_client().get("/page/alliance/atop-6065").get_data(as_text=True)
    finally:
        app.extensions["diplograph"].close()
    section = re.search(r'<section class="agreement">(.*?)</section>', html, re.S)
    assert section, "an alliance is shown as an agreement"
    states = re.search(r"<dt>Participating states</dt>\s*<dd>(.*?)</dd>", section.group(1), re.S)
    assert states
    assert 'href="/id/state/russia"' in states.group(1)
    assert 'href="/id/state/guyana"' in states.group(1)
    g = parse_rdf(_jsonld(html), "json-ld")
    assert (URIRef(ID + "alliance/atop-6065"), RDF.type, URIRef(SCHEMA + "CreativeWork")) in g


def test_picture_of_markup_labels_is_escaped(evil_client: FlaskClient) -> None:
    r = evil_client.get("/picture/person/evil.svg")
    assert r.status_code == 200
    svg = r.get_data(as_text=True)
    assert "<script>" not in svg and "&lt;script&gt;alert(&quot;x&quot;)" in svg


def test_same_as_shows_the_page_that_verifies_it(client: FlaskClient) -> None:
    html = client.get("/page/state/russia").get_data(as_text=True)
    assert (
        '<span class="verified">verified by <a href="https://www.wikidata.org/wiki/Q159" '
        'rel="external">https://www.wikidata.org/wiki/Q159</a></span>'
    ) in html
    # statements about links are blank nodes: not counted as incoming links
    assert "rdf:subject" not in html.split('<section class="incoming">')[-1].split("</section>")[0]


def test_provenance_names_when_and_what_was_loaded(client: FlaskClient) -> None:
    html = client.get("/page/claim/article-001/9").get_data(as_text=True)
    chain = re.search(r'<section class="provenance">(.*?)</section>', html, re.S)
    assert chain and "<dt>Loaded</dt>" in chain.group(1)
    assert re.search(
        r"<dt>Content hash \(SHA-256\)</dt><dd><span class=\"term-literal\">"
        r"[0-9a-f]{64}</span>",
        chain.group(1),
    )


def test_another_base_resolves_on_this_host() -> None:
    """A store whose data is minted under another base serves it at /id/ when id_base says so."""
    from rdflib.namespace import RDFS

    from diplograph.graph.store import open_graph
    from diplograph.provenance import Source
    from diplograph.server.app import create_app

    base = "https://data.example.org/dg/"
    g = open_graph("memory:")
    me = URIRef(base + "person/ada")
    g.replace_graph(
        Source(URIRef("https://data.example.org/graph/t"), "t", "file", "tests", "0" * 64),
        [(me, RDFS.label, Literal("Ada")), (me, RDFS.seeAlso, URIRef(base + "person/bob"))],
    )
    app = create_app({"graph": g, "workers": 0, "id_base": base})
    try:
        c = app.test_client()
        r = c.get("/id/person/ada", headers={"Accept": "text/turtle"})
        assert r.status_code == 303 and r.headers["Location"] == "/data/person/ada.ttl"
        html = c.get("/page/person/ada").get_data(as_text=True)
        assert '<h1 id="label">Ada</h1>' in html and 'href="/id/person/bob"' in html
        nt = c.get("/data/person/ada.nt").get_data(as_text=True)
        assert f'<{me}> <{RDFS.label}> "Ada" .' in nt.splitlines()
    finally:
        app.extensions["diplograph"].close()
        g.close()


def test_a_sourced_fact_shows_its_source_beside_it(client: FlaskClient) -> None:
    html = client.get("/page/agreement/astana-commemorative-declaration-2010").get_data(
        as_text=True
    )
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    [number] = [r for r in rows if "SUM.DOC/1/10/Corr.1" in r]
    assert 'class="fact-source">source: <a class="external" rel="external" href="' in number
    assert (
        'href="https://docplayer.net/amp/21379387-astana-commemorative-declaration-towards-a-'
        'security-community.html">Astana Commemorative Declaration Towards a Security '
        "Community</a>" in number
    )
    assert "(read 2026-12-03)" in number
    # what the article itself says (the principle it contains) carries no source of its own
    [principle] = [r for r in rows if "indivisible security" in r and "containsPrinciple" in r]
    assert "fact-source" not in principle
