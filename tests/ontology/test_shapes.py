"""The shapes file itself: well-formed SHACL (checked against SHACL-SHACL), every rule stated in
English, every class it targets defined by the ontology."""

from __future__ import annotations

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

from diplograph import iri
from diplograph.ontology.load import ontology_graph, shapes_graph


def test_shapes_are_valid_shacl() -> None:
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_every_constrained_property_shape_has_an_english_message() -> None:
    g = shapes_graph()
    silent = []
    for shape in set(g.subjects(SH.path, None)):
        constrained = (
            any((shape, p, None) in g for p in (SH.minCount, SH.maxCount, SH["class"], SH.node))
            or (shape, SH["or"], None) in g
        )
        in_node_shape = (None, SH.property, shape) in g  # not a nested hasValue check
        messages = [m for m in g.objects(shape, SH.message) if isinstance(m, Literal)]
        if constrained and in_node_shape and not any(m.language == "en" for m in messages):
            silent.append(str(g.value(shape, SH.path)))
    assert silent == []


def test_targets_are_ontology_classes() -> None:
    onto = ontology_graph()
    targets = set(shapes_graph().objects(None, SH.targetClass))
    assert targets == {
        iri.ONTOLOGY[name]
        for name in [
            "Claim",
            "Actor",
            "State",
            "Post",
            "Tenure",
            "Membership",
            "Agreement",
            "Participation",
            "Principle",
            "Proposal",
            "Event",
            "NewsArticle",
            "DiplomaticMission",
            "Rivalry",
        ]
    }
    for cls in targets:
        assert isinstance(cls, URIRef) and str(cls).startswith(str(iri.ONTOLOGY))
        assert (cls, RDF.type, OWL.Class) in onto, cls
