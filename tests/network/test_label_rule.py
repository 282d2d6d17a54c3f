"""One label rule: a page's description and a network export name an entity the same way
(language first, then skos:prefLabel before rdfs:label, then alphabetical)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from diplograph import iri
from diplograph.graph.describe import describe
from diplograph.graph.network import build_view
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.ontology.namespace import DG
from diplograph.provenance import Source

A, B = iri.entity("state", "a-land"), iri.entity("state", "b-land")
RIVALRY = iri.entity("rivalry", "a-b")


@pytest.fixture
def graph() -> DiploGraph:
    g = open_graph("memory:")
    triples = [
        (RIVALRY, DG.rival, A),
        (RIVALRY, DG.rival, B),
        # A: an English prefLabel and an English rdfs:label that sorts first
        (A, RDFS.label, Literal("Aaa Republic", lang="en")),
        (A, SKOS.prefLabel, Literal("Zed Land", lang="en")),
        # B: language counts before the kind of label
        (B, SKOS.prefLabel, Literal("Bé", lang="fr")),
        (B, RDFS.label, Literal("Bee Land", lang="en-GB")),
        (B, RDFS.label, Literal("Bee")),
    ]
    source = Source(iri.file_graph("labels"), "labels", "file", "labels.nt", "0" * 64)
    g.replace_graph(source, triples)
    return g


def test_a_page_and_an_export_name_an_entity_the_same_way(graph: DiploGraph) -> None:
    view = build_view(graph, "actors")
    for entity, expected in ((A, "Zed Land"), (B, "Bee Land")):
        d = describe(graph, URIRef(entity))
        assert d is not None
        assert d.label == expected
        assert view.nodes[str(entity)]["label"] == expected
