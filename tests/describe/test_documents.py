"""Data documents: round-trips in every RDF format, compact JSON and the @context, VoID
linksets."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, VOID, XSD

from diplograph.graph.store import DiploGraph

Parser = Callable[[bytes | str, str], Graph]
ID = Namespace("https://w3id.org/diplograph/id/")
DG = Namespace("https://w3id.org/diplograph/ontology#")
LAVROV = ID["person/sergey-lavrov"]


def _stored(graph: DiploGraph, iri: URIRef) -> set[tuple[object, object, object]]:
    rows = graph.query("SELECT ?p ?o WHERE { ?s ?p ?o }", bindings={"s": iri}).rows
    return {(iri, p, o) for p, o in rows}


@pytest.mark.parametrize(
    ("suffix", "parser"),
    [(".ttl", "turtle"), (".nt", "nt"), (".rdf", "xml"), (".jsonld", "json-ld")],
)
@pytest.mark.parametrize(
    "path",
    [
        "person/sergey-lavrov",
        "claim/article-001/9",
        "agreement/charter-for-european-security-1999",
        "state/russia",
    ],
)
def test_document_parses_and_holds_every_outgoing_triple(
    parse_rdf: Parser,
    client: FlaskClient,
    seed_graph: DiploGraph,
    suffix: str,
    parser: str,
    path: str,
) -> None:
    r = client.get(f"/data/{path}{suffix}")
    assert r.status_code == 200
    g = parse_rdf(r.data, parser)
    expected = _stored(seed_graph, ID[path])
    assert expected, path
    assert expected <= set(g)  # type: ignore[operator]


def test_turtle_of_lavrov_has_incoming_links_and_labels(
    parse_rdf: Parser, client: FlaskClient
) -> None:
    g = parse_rdf(client.get("/data/person/sergey-lavrov.ttl").data, "turtle")
    claim = ID["claim/article-001/9"]
    assert (claim, DG.speaker, LAVROV) in g
    assert str(g.value(LAVROV, RDFS.label)) == "Sergey Lavrov"
    assert (claim, RDFS.label, None) in g  # labels of the neighbours come along
    org_holds = URIRef("http://www.w3.org/ns/org#holds")
    assert (LAVROV, org_holds, ID["post/russia-minister-of-foreign-affairs"]) in g


def test_links_keep_their_source_statement(parse_rdf: Parser, client: FlaskClient) -> None:
    g = parse_rdf(client.get("/data/state/russia.ttl").data, "turtle")
    wd = URIRef("http://www.wikidata.org/entity/Q159")
    assert (ID["state/russia"], OWL.sameAs, wd) in g
    stmt = g.value(predicate=RDF.object, object=wd)
    assert stmt is not None
    assert g.value(stmt, URIRef("http://purl.org/dc/terms/source")) == URIRef(
        "https://www.wikidata.org/wiki/Q159"
    )


def test_compact_json_uses_the_published_context(client: FlaskClient) -> None:
    r = client.get("/data/claim/article-001/9?format=json")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    data = r.json
    assert data["@context"] == "http://localhost/context.jsonld"
    nodes = data.get("@graph", [data])
    claim = next(n for n in nodes if n.get("id") == str(ID["claim/article-001/9"]))
    assert claim["speaker"] == str(LAVROV)
    assert str(ID["agreement/charter-for-european-security-1999"]) in claim["invokes"]
    assert claim["label"] == {
        "@language": "en",
        "@value": "Lavrov says security guarantees must comply with OSCE agreements",
    }
    same = client.get("/page/claim/article-001/9?format=json")
    assert same.json == data


def test_compact_json_expands_back_to_the_same_triples(
    parse_rdf: Parser, client: FlaskClient
) -> None:
    data = client.get("/data/person/sergey-lavrov.json").json
    ctx = client.get("/context.jsonld").json
    data["@context"] = ctx["@context"]
    compact = parse_rdf(json.dumps(data), "json-ld")
    full = parse_rdf(client.get("/data/person/sergey-lavrov.nt").data, "nt")
    assert set(full) == set(compact)


def test_context_maps_ontology_terms(client: FlaskClient) -> None:
    r = client.get("/context.jsonld")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/ld+json"
    ctx = r.json["@context"]
    assert ctx["speaker"] == {"@id": "dg:speaker", "@type": "@id"}
    assert ctx["paraphrase"] == "dg:paraphrase"
    assert ctx["Claim"] == "dg:Claim"
    assert ctx["dg"] == str(DG)
    assert ctx["sameAs"] == {"@id": "owl:sameAs", "@type": "@id"}


def test_void_has_linksets_with_counts(parse_rdf: Parser, client: FlaskClient) -> None:
    g = parse_rdf(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, "turtle")
    counts = {}
    for linkset in g.subjects(RDF.type, VOID.Linkset):
        target = g.value(linkset, VOID.objectsTarget)
        counts[str(g.value(target, VOID.uriSpace))] = g.value(linkset, VOID.triples)
        assert g.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert counts == {
        "http://www.wikidata.org/entity/": Literal(9, datatype=XSD.integer),
        "http://dbpedia.org/resource/": Literal(0, datatype=XSD.integer),
    }


def test_a_document_carries_the_sources_of_its_facts(
    parse_rdf: Parser, client: FlaskClient
) -> None:
    summit = ID["event/osce-istanbul-summit-1999"]
    g = parse_rdf(client.get("/data/event/osce-istanbul-summit-1999.ttl").data, "turtle")
    dcterms = Namespace("http://purl.org/dc/terms/")
    facts = {
        (g.value(st, RDF.predicate), g.value(st, RDF.object), g.value(st, dcterms.source))
        for st in g.subjects(RDF.subject, summit)
    }
    page = URIRef("https://www.osce.org/who/timeline/1990s/15")
    assert facts == {
        (DG.startDate, Literal("1999-11-18", datatype=XSD.date), page),
        (DG.endDate, Literal("1999-11-19", datatype=XSD.date), page),
    }
