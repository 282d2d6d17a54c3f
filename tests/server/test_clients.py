"""Real SPARQL clients against the real server (``diplograph serve`` under waitress):
SPARQLWrapper (JSON and XML results, CONSTRUCT) and rdflib's SPARQLStore."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.slow

STATE = "https://w3id.org/diplograph/id/state/"
DG = "https://w3id.org/diplograph/ontology#"
LABELS = f"""
PREFIX dg: <{DG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE {{ ?s a dg:State ; rdfs:label ?label }} ORDER BY ?s
"""


def test_sparqlwrapper_json(live_server: Any) -> None:
    sw = SPARQLWrapper(live_server.sparql)
    sw.setQuery(LABELS)
    sw.setReturnFormat(JSON)
    doc = sw.query().convert()
    assert isinstance(doc, dict)
    rows = [(b["s"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]]
    assert rows == [
        (STATE + "germany", "Germany"),
        (STATE + "russia", "Russia"),
        (STATE + "ukraine", "Ukraine"),
    ]


def test_sparqlwrapper_xml_by_post(live_server: Any) -> None:
    sw = SPARQLWrapper(live_server.sparql)
    sw.setQuery(LABELS)
    sw.setMethod(POST)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    literals = [el.firstChild.data for el in doc.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == ["Germany", "Russia", "Ukraine"]


def test_sparqlwrapper_construct(live_server: Any) -> None:
    sw = SPARQLWrapper(live_server.sparql)
    sw.setQuery(
        f"CONSTRUCT {{ ?s <{RDFS.label}> ?l }} WHERE {{ ?s a <{DG}State> ; <{RDFS.label}> ?l }}"
    )
    sw.setReturnFormat(TURTLE)
    data = sw.query().convert()
    g = Graph().parse(data=data, format="turtle")
    assert set(g.objects(None, RDFS.label)) == {
        Literal("Germany", lang="en"),
        Literal("Russia", lang="en"),
        Literal("Ukraine", lang="en"),
    }


def test_sparqlwrapper_ask_and_error(live_server: Any) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(live_server.sparql)
    sw.setReturnFormat(JSON)
    sw.setQuery(f"ASK {{ <{STATE}russia> ?p ?o }}")
    assert sw.query().convert()["boolean"] is True  # type: ignore[index]
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        sw.query()


def test_rdflib_sparqlstore(live_server: Any) -> None:
    store = SPARQLStore(query_endpoint=live_server.sparql, returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(LABELS))
    assert [(str(r[0]), str(r[1])) for r in rows] == [
        (STATE + "germany", "Germany"),
        (STATE + "russia", "Russia"),
        (STATE + "ukraine", "Ukraine"),
    ]
    labels = set(g.objects(URIRef(STATE + "russia"), RDFS.label))
    assert labels == {Literal("Russia", lang="en")}
    assert (URIRef(STATE + "germany"), RDFS.label, Literal("Germany", lang="en")) in g
    store.close()


def test_rdflib_sparqlupdatestore_with_the_token(live_server: Any) -> None:
    graph_iri = URIRef("urn:test:client-update")
    store = SPARQLUpdateStore(
        query_endpoint=live_server.sparql,
        update_endpoint=live_server.update,
        headers={"Authorization": f"Bearer {live_server.token}"},
        returnFormat="json",
    )
    g = Graph(store=store, identifier=graph_iri)
    g.add((URIRef("urn:test:s"), RDFS.label, Literal("written by rdflib")))
    found = Graph(store=SPARQLStore(query_endpoint=live_server.sparql)).query(
        f"SELECT ?l WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?l }} }}"
    )
    assert [str(r[0]) for r in found] == ["written by rdflib"]
    store.update(f"DROP GRAPH <{graph_iri}>")
    store.close()
