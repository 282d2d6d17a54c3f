"""Every data IRI of the seed graph dereferences: its IRI answers 303, its page 200 with its
label, its Turtle parses and holds its triples; every link on a page leads somewhere that
answers; every ontology term has its anchor in the docs."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from diplograph.graph.store import DiploGraph
from diplograph.iri import ID, ONTOLOGY
from diplograph.ontology.load import ontology_graph

Parser = Callable[[bytes | str, str], Graph]


def _data_iris(graph: DiploGraph) -> list[URIRef]:
    rows = graph.query(
        "SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{ID}')) }} ORDER BY ?s"
    ).rows
    return [s for (s,) in rows if isinstance(s, URIRef)]


def test_every_data_iri_dereferences(
    client: FlaskClient, seed_graph: DiploGraph, parse_rdf: Parser
) -> None:
    iris = _data_iris(seed_graph)
    assert len(iris) > 400
    failures = []
    for iri in iris:
        path = str(iri)[len(str(ID)) :]
        r = client.get(f"/id/{path}", headers={"Accept": "text/html"})
        if r.status_code != 303 or r.headers["Location"] != f"/page/{path}":
            failures.append((path, "id", r.status_code))
            continue
        page = client.get(f"/page/{path}")
        if page.status_code != 200 or f"<code>{iri}</code>" not in page.get_data(as_text=True):
            failures.append((path, "page", page.status_code))
        doc = client.get(f"/data/{path}.ttl")
        g = parse_rdf(doc.data, "turtle")
        if doc.status_code != 200 or not ((iri, None, None) in g or (None, None, iri) in g):
            failures.append((path, "ttl", doc.status_code))
    assert failures == []


def test_links_on_a_page_answer(client: FlaskClient) -> None:
    for start in (
        "/page/person/sergey-lavrov",
        "/page/claim/article-001/9",
        "/page/agreement/charter-for-european-security-1999",
    ):
        html = client.get(start).get_data(as_text=True)
        hrefs = set(re.findall(r'href="(/[^"#]*)', html))
        assert len(hrefs) > 10
        for href in sorted(hrefs):
            href = href.replace("&amp;", "&")
            r = client.get(href, headers={"Accept": "text/html"})
            assert r.status_code in (200, 303), (start, href, r.status_code)


def test_every_ontology_term_has_its_anchor(client: FlaskClient) -> None:
    html = client.get("/ontology").get_data(as_text=True)
    onto = ontology_graph()
    terms = {
        str(s)[len(str(ONTOLOGY)) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in onto.subjects(RDF.type, kind)
        if str(s).startswith(str(ONTOLOGY))
    }
    assert len(terms) > 100
    missing = sorted(t for t in terms if f'<section class="onto-term" id="{t}">' not in html)
    assert missing == []
