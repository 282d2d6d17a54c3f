"""SHACL: the sample and the seed data conform; broken records fail with messages that name the
record and the field."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from diplograph import iri
from diplograph.graph.store import DiploGraph
from diplograph.ontology.namespace import DG
from diplograph.ontology.shacl import Violation, describe, describe_all, validate_shacl

CLAIM = iri.ID["claim/sample/1"]
TENURE = iri.ID["tenure/sergey-lavrov-russia-minister-of-foreign-affairs"]


def only(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, describe_all(violations)
    return violations[0]


def test_sample_conforms(sample: Graph) -> None:
    assert validate_shacl(sample) == []


def test_claim_without_speaker(sample: Graph) -> None:
    sample.remove((CLAIM, DG.speaker, None))
    v = only(validate_shacl(sample))
    assert (v.focus, v.path, v.component) == (CLAIM, DG.speaker, "MinCount")
    assert v.severity == "Violation"
    assert describe(v) == (
        "claim/sample/1: 'speaker' is missing: every claim has exactly one speaker, a person, "
        "state or organisation."
    )


def test_malformed_date(sample: Graph) -> None:
    sample.add((CLAIM, DG.date, Literal("2024-13-45", datatype=XSD.date)))
    v = only(validate_shacl(sample))
    assert (v.focus, v.path, v.value) == (CLAIM, DG.date, Literal("2024-13-45", datatype=XSD.date))
    text = describe(v)
    assert text.startswith(
        "claim/sample/1: 'date' value '2024-13-45'^^xsd:date is not a valid date: "
    )
    assert "xsd:gYearMonth" in text


@pytest.mark.parametrize(
    "value",
    [
        Literal("2024-11-19", datatype=XSD.date),
        Literal("2024-11", datatype=XSD.gYearMonth),
        Literal("2024", datatype=XSD.gYear),
    ],
)
def test_dates_at_every_precision_conform(sample: Graph, value: Literal) -> None:
    sample.add((CLAIM, DG.date, value))
    assert validate_shacl(sample) == []


def test_date_of_the_wrong_datatype(sample: Graph) -> None:
    sample.add((CLAIM, DG.date, Literal("19 November 1999")))
    v = only(validate_shacl(sample))
    assert "'date' value '19 November 1999' has the wrong datatype" in describe(v)


def test_event_type_must_be_a_cameo_code(sample: Graph) -> None:
    sample.set((CLAIM, DG.eventType, iri.cameo("9999")))
    v = only(validate_shacl(sample))
    assert (v.path, v.value, v.component) == (DG.eventType, iri.cameo("9999"), "Node")
    assert "'eventType' value cameo/9999 is not allowed here" in describe(v)
    # a PLOVER concept is a SKOS concept too, but not in the CAMEO scheme
    sample.set((CLAIM, DG.eventType, iri.plover("REJECT")))
    assert only(validate_shacl(sample)).value == iri.plover("REJECT")


def test_two_event_types(sample: Graph) -> None:
    sample.add((CLAIM, DG.eventType, iri.cameo("125")))
    v = only(validate_shacl(sample))
    assert describe(v).startswith("claim/sample/1: 'eventType' has more than 1 value(s)")


def test_claim_without_source(sample: Graph) -> None:
    sample.remove((CLAIM, DG.source, None))
    assert "'source' is missing" in describe(only(validate_shacl(sample)))


def test_subclass_targets_and_class_constraints(sample: Graph) -> None:
    """An OfficialStatement is a Claim (via the ontology); a speaker must be an Actor."""
    sample.set((CLAIM, DG.speaker, iri.ID["article/article-001"]))
    v = only(validate_shacl(sample))
    assert (v.focus, v.path, v.component) == (CLAIM, DG.speaker, "Class")


def test_tenure_needs_holder_and_post(sample: Graph) -> None:
    sample.remove((TENURE, DG.holder, None))
    sample.remove((TENURE, DG.ofPost, None))
    found = validate_shacl(sample)
    assert [(v.focus, v.field) for v in found] == [(TENURE, "holder"), (TENURE, "ofPost")]


def test_membership_and_agreement_shapes(sample: Graph) -> None:
    membership = iri.ID["membership/russia-osce"]
    sample.remove((membership, DG.ofOrganization, None))
    sample.set((membership, DG.membershipStatus, iri.concept("role-type", "ambassador")))
    charter = iri.ID["agreement/charter-for-european-security-1999"]
    sample.remove((charter, RDFS.label, None))
    found_list = validate_shacl(sample)
    found = {(v.focus, v.field, v.component) for v in found_list}
    assert (
        "agreement/charter-for-european-security-1999: every agreement has a title "
        "(rdfs:label or dcterms:title)."
    ) in describe_all(found_list)
    assert found == {
        (membership, "ofOrganization", "MinCount"),
        (membership, "membershipStatus", "Node"),
        (charter, None, "Or"),
    }


def test_locate_names_the_record() -> None:
    g = Graph()
    claim = URIRef(iri.ID["claim/article-001/7"])
    g.add((claim, RDF.type, DG.Claim))
    g.add((claim, DG.eventType, iri.cameo("0311")))
    g.add((claim, DG.paraphrase, Literal("x")))
    g.add((claim, DG.source, iri.ID["article/article-001"]))
    v = only(validate_shacl(g))

    def locate(node: URIRef) -> str | None:
        return "article-001.yaml:41: claim c7" if node == claim else None

    assert describe(v, locate=locate) == (
        "article-001.yaml:41: claim c7: 'speaker' is missing: every claim has exactly one "
        "speaker, a person, state or organisation."
    )


def test_dataset_input_skips_ontology_and_meta_graphs(sample: Graph) -> None:
    ds = Dataset()
    data = ds.graph(iri.article_graph("sample"))
    for t in sample:
        data.add(t)
    # a broken "claim" in the metadata graph is not data and is not validated
    ds.graph(iri.META_GRAPH).add((iri.ID["claim/x/1"], RDF.type, DG.Claim))
    assert validate_shacl(ds) == []
    data.remove((CLAIM, DG.speaker, None))
    assert only(validate_shacl(ds)).focus == CLAIM


def test_seed_data_conforms(seed_data: Graph) -> None:
    found = validate_shacl(seed_data)
    assert describe_all(found) == []


def test_seed_record_missing_speaker_names_file_line_and_field(seed_data: Graph) -> None:
    from diplograph.graph.records import locate

    g = Graph()
    for t in seed_data:
        g.add(t)
    claims = sorted(set(g.subjects(RDF.type, DG.Claim)), key=str)
    claim = next(c for c in claims if str(c).endswith("/article-001/1"))
    g.remove((claim, DG.speaker, None))
    g.add((claim, DG.date, Literal("2024-13-45", datatype=XSD.date)))
    texts = describe_all(validate_shacl(g), locate=locate)
    assert len(texts) == 2
    assert all(t.startswith("graph/data/articles/article-001.yaml:") for t in texts), texts
    assert any(": claim c1: 'speaker' is missing" in t for t in texts), texts
    assert any(
        ": claim c1: 'date' value '2024-13-45'^^xsd:date is not a valid date" in t for t in texts
    ), texts


def test_fast_datatype_check_gives_what_pyshacl_gives(sample: Graph) -> None:
    """The date shapes, checked natively, report exactly what pySHACL reports for them."""
    event = iri.ID["event/osce-istanbul-summit-1999"]
    sample.add((CLAIM, DG.date, Literal("2024-13-45", datatype=XSD.date)))
    sample.add((CLAIM, DG.date, Literal("2024", datatype=XSD.gYear)))
    sample.add((event, DG.endDate, Literal("late 1999")))
    sample.add((event, DG.startDate, Literal("1999-11", datatype=XSD.gYearMonth)))
    sample.add((event, DG.date, iri.ID["place/istanbul"]))
    fast = validate_shacl(sample)
    slow = validate_shacl(sample, fast=False)

    def key(v: Violation) -> tuple[str, str, str, str, str, str]:
        return (str(v.focus), str(v.path), str(v.value), v.component, v.message, str(v.limit))

    assert sorted(map(key, fast)) == sorted(map(key, slow))
    assert {(v.focus, v.field, v.component) for v in fast} == {
        (CLAIM, "date", "MaxCount"),
        (CLAIM, "date", "Or"),
        (event, "date", "Or"),
        (event, "endDate", "Or"),
        (event, "endDate", "MaxCount"),
        (event, "startDate", "MaxCount"),
    }


def test_inplace_adds_to_the_given_graph(sample: Graph) -> None:
    before = len(sample)
    assert validate_shacl(sample) == [] and len(sample) == before
    assert validate_shacl(sample, inplace=True) == []
    assert len(sample) > before + 3000  # the code lists and the ontology were added


def test_seed_graph_built_into_the_store_conforms(seed_graph: DiploGraph) -> None:
    """The real build path (ontology, code lists, articles, links) read back from the store."""
    ds = Dataset()
    for s, p, o, name in seed_graph.quads():
        ds.graph(name).add((s, p, o))
    assert iri.codes_graph("cameo") in {g.identifier for g in ds.graphs()}
    assert describe_all(validate_shacl(ds, include_codes=False)) == []


DATE_TYPES = [XSD.date, XSD.gYearMonth, XSD.gYear, XSD.string, XSD.dateTime]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.tuples(
            st.sampled_from([DG.date, DG.startDate, DG.endDate, DG.adoptionDate]),
            st.one_of(
                st.dates().map(lambda d: d.isoformat()),
                st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
                st.text(max_size=8),
            ),
            st.sampled_from(DATE_TYPES),
        ),
        max_size=4,
    )
)
def test_fast_and_pyshacl_date_checks_agree(values: list[tuple[URIRef, str, URIRef]]) -> None:
    """For any mix of date values, datatypes and counts, the native check reports what pySHACL
    reports for the date shapes."""
    g = Graph()
    node = iri.ID["event/x"]
    for prop, text, datatype in values:
        g.add((node, prop, Literal(text, datatype=datatype)))
    fast = validate_shacl(g, include_codes=False)
    slow = validate_shacl(g, include_codes=False, fast=False)

    def key(v: Violation) -> tuple[str, str, str, str]:
        return (str(v.path), str(v.value), v.component, v.message)

    assert sorted(map(key, fast)) == sorted(map(key, slow))
