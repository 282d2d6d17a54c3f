"""The topic scheme: every concept labelled and defined, aliases unambiguous, related entities
real, and the scheme written to its own code-list graph."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from diplograph import iri
from diplograph.graph.store import DiploGraph
from diplograph.iri import fold
from diplograph.ontology.topics import TOPIC_SCHEME, find_topic, topic_triples, topics

REQUIRED = (
    "nato-enlargement",
    "security-guarantees",
    "territorial-integrity",
    "sanctions",
    "trade",
    "arms-control",
    "energy",
    "ceasefire",
    "prisoner-exchange",
)


def test_every_topic_has_a_label_a_definition_and_aliases() -> None:
    found = topics()
    assert set(REQUIRED) <= set(found)
    for t in found.values():
        assert t.label and t.aliases, t.key
        assert len(t.definition) > 40 and t.definition.endswith("."), t.key
        assert t.iri == iri.entity("topic", t.key)


def test_names_are_unambiguous_and_found_in_any_case() -> None:
    names = Counter(fold(n) for t in topics().values() for n in (t.label, *t.aliases))
    assert [n for n, k in names.items() if k > 1] == []
    assert find_topic("nato expansion") == find_topic("NATO's enlargement")
    assert find_topic("NATO Expansion") == iri.entity("topic", "nato-enlargement")
    assert find_topic("Cessation of hostilities") == iri.entity("topic", "ceasefire")
    assert find_topic("nato") is None


def test_the_scheme_as_skos() -> None:
    triples = set(topic_triples())
    nato = iri.entity("topic", "nato-enlargement")
    assert (nato, SKOS.inScheme, TOPIC_SCHEME) in triples
    assert (TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme) in triples
    assert (nato, SKOS.related, iri.entity("organization", "nato")) in triples


def test_related_entities_exist_in_the_bundled_graph(full_graph: DiploGraph) -> None:
    related = {
        r for t in topics().values() for r in t.related if not r.startswith(str(iri.ID["topic/"]))
    }
    missing = [
        r
        for r in sorted(related)
        if not full_graph.query("ASK { ?s ?p ?o }", bindings={"s": URIRef(r)}).boolean
    ]
    assert missing == []
