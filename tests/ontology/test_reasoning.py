"""HermiT (through owlready2) on the ontology, the sample, the seed data and wrong records."""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplograph import iri
from diplograph.graph.store import DiploGraph
from diplograph.ontology.namespace import DG
from diplograph.ontology.reasoning import check_consistency, explain

RUSSIA = iri.ID["state/russia"]
TENURE = iri.ID["tenure/sergey-lavrov-russia-minister-of-foreign-affairs"]


def test_ontology_alone_is_consistent_and_coherent() -> None:
    report = check_consistency()
    assert report.consistent and report.unsatisfiable == () and report.ok
    assert "consistent" in report.summary()


def test_sample_is_consistent(sample: Graph) -> None:
    report = check_consistency(sample)
    assert report.ok, report.summary()
    assert report.triples > len(sample)


def test_seed_data_is_consistent(seed_data: Graph) -> None:
    report = check_consistency(seed_data)
    assert report.ok, report.summary()


def test_state_typed_as_person_is_inconsistent(sample: Graph) -> None:
    sample.add((RUSSIA, RDF.type, DG.Person))
    report = check_consistency(sample)
    assert not report.consistent
    assert any(
        e.startswith("state/russia is a person (it is typed dg:Person) and a state")
        and "disjoint" in e
        for e in report.explanations
    ), report.explanations
    assert "inconsistent" in report.summary()


def test_state_as_holder_of_a_tenure_is_inconsistent(sample: Graph) -> None:
    """The range of dg:holder (Person) makes a state holding a post a contradiction."""
    sample.set((TENURE, DG.holder, iri.ID["state/ukraine"]))
    report = check_consistency(sample)
    assert not report.consistent
    assert report.explanations == (
        "state/ukraine is a person (it is the holder of "
        "tenure/sergey-lavrov-russia-minister-of-foreign-affairs) and a state (it is typed "
        "dg:State), but nothing can be both: the ontology declares person and state disjoint.",
    )


def test_treaty_and_political_commitment_are_disjoint(sample: Graph) -> None:
    charter = iri.ID["agreement/charter-for-european-security-1999"]
    sample.add((charter, RDF.type, DG.Treaty))
    report = check_consistency(sample)
    assert not report.consistent
    assert any("agreement/charter-for-european-security-1999" in e for e in report.explanations)


def test_two_cow_codes_are_inconsistent(sample: Graph) -> None:
    sample.add((RUSSIA, DG.cowCode, Literal(366)))
    report = check_consistency(sample)
    assert not report.consistent
    assert "state/russia has 2 values of COW code (365, 366), but it can have only one." in (
        report.explanations
    )


def test_dataset_input_leaves_out_non_data_graphs(sample: Graph) -> None:
    ds = Dataset()
    data = ds.graph(iri.article_graph("sample"))
    for t in sample:
        data.add(t)
    # a contradiction in the metadata graph is not data
    ds.graph(iri.META_GRAPH).add((RUSSIA, RDF.type, DG.Person))
    assert check_consistency(ds).consistent
    data.add((RUSSIA, RDF.type, DG.Person))
    assert not check_consistency(ds).consistent


def test_code_lists_can_be_included(sample: Graph) -> None:
    report = check_consistency(sample, include_codes=True)
    assert report.ok, report.summary()
    assert report.triples > 3000


def test_explain_finds_nothing_in_consistent_data(sample: Graph) -> None:
    from diplograph.ontology.load import ontology_graph

    g = Graph()
    for t in ontology_graph():
        g.add(t)
    for t in sample:
        g.add(t)
    assert explain(g) == []


def test_unsatisfiable_class_is_reported(sample: Graph) -> None:
    """A class below two disjoint classes can have no instance: consistent, but not ok."""
    odd = URIRef("https://example.org/StatePerson")
    sample.add((odd, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")))
    sample.add((odd, RDFS.subClassOf, DG.State))
    sample.add((odd, RDFS.subClassOf, DG.Person))
    report = check_consistency(sample)
    assert report.consistent and not report.ok
    assert report.unsatisfiable == (odd,)
    assert "class https://example.org/StatePerson is unsatisfiable" in report.summary()


def test_seed_graph_built_into_the_store_is_consistent(seed_graph: DiploGraph) -> None:
    """Ontology, articles and the owl:sameAs links, as built into the store."""
    ds = Dataset()
    for s, p, o, name in seed_graph.quads():
        ds.graph(name).add((s, p, o))
    assert iri.LINKS_GRAPH in {g.identifier for g in ds.graphs()}
    report = check_consistency(ds)
    assert report.ok, report.summary()


def test_range_inherited_from_a_super_property(sample: Graph) -> None:
    """dg:signatory is a kind of dg:party (range Actor): a place cannot sign an agreement."""
    charter = iri.ID["agreement/charter-for-european-security-1999"]
    sample.add((charter, DG.signatory, iri.ID["place/istanbul"]))
    report = check_consistency(sample)
    assert not report.consistent
    assert any(
        e.startswith("place/istanbul is an actor (it is the signatory of agreement/")
        and "declares actor and place disjoint" in e
        for e in report.explanations
    ), report.explanations


def test_official_statement_and_analyst_assessment_are_disjoint(sample: Graph) -> None:
    claim = iri.ID["claim/sample/1"]
    sample.add((claim, RDF.type, DG.AnalystAssessment))
    report = check_consistency(sample)
    assert not report.consistent
    assert any(e.startswith("claim/sample/1 is an analyst assessment") for e in report.explanations)


def test_explanations_name_the_record(seed_data: Graph) -> None:
    from diplograph.graph.records import locate

    g = Graph()
    for t in seed_data:
        g.add(t)
    g.add((RUSSIA, RDF.type, DG.Person))
    report = check_consistency(g, locate=lambda node: locate(str(node)))
    assert not report.consistent
    assert any(
        # several bundled articles mint state/russia: any of them is the place to look
        re.match(r"state/russia \(graph/data/articles/article-00\d\.yaml:\d+", e)
        and ": entity russia) is a person (it is typed dg:Person) and a state" in e
        for e in report.explanations
    ), report.explanations


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    from diplograph.errors import ReasonerError

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    with pytest.raises(ReasonerError, match="HermiT needs Java") as info:
        check_consistency()
    assert info.value.exit_code == 3
