"""The ontology and shapes as build parts, and in a real store."""

from __future__ import annotations

import hashlib

from rdflib.namespace import OWL, RDF, SH

from diplograph import iri
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.ontology.load import ontology_sources, read_bytes, shapes_graph


def test_sources_carry_provenance() -> None:
    (onto, onto_triples), (shapes, shape_triples) = ontology_sources()
    assert onto.graph == iri.ONTOLOGY_GRAPH and shapes.graph == iri.SHAPES_GRAPH
    assert onto.kind == shapes.kind == "ontology"
    assert onto.license == "https://creativecommons.org/licenses/by/4.0/"
    assert onto.content_hash == hashlib.sha256(read_bytes("diplo.ttl")).hexdigest()
    assert onto.version == "0.1.0"
    assert (iri.ONTOLOGY_IRI, RDF.type, OWL.Ontology) in list(onto_triples)
    assert any(p == SH.targetClass for _, p, _ in shape_triples)


def test_build_writes_ontology_shapes_and_codes_into_named_graphs() -> None:
    with open_graph("memory:") as g:
        build(g, parts=("ontology", "codes"))
        graphs = set(g.named_graphs())
        assert {
            iri.ONTOLOGY_GRAPH,
            iri.SHAPES_GRAPH,
            iri.codes_graph("cameo"),
            iri.codes_graph("plover"),
            iri.codes_graph("schemes"),
        } <= graphs
        assert g.count(iri.SHAPES_GRAPH) == len(shapes_graph())
        rows = g.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?label WHERE { GRAPH ?g { ?c skos:notation '0311' ; "
            "skos:broader/skos:broader ?root . ?root skos:prefLabel ?label } }"
        ).rows
        assert [str(r[0]) for r in rows] == ["Express intent to cooperate"]
        kind = g.query(
            "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
            "SELECT ?g ?k WHERE { ?g dg:sourceKind ?k }",
            bindings={"g": iri.ONTOLOGY_GRAPH},
        ).rows
        assert [str(r[1]) for r in kind] == ["ontology"]
