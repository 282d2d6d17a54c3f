"""The code lists: CAMEO and PLOVER as SKOS, the crosswalk, and the small schemes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from diplograph import iri
from diplograph.ontology import codes
from diplograph.ontology.namespace import DG


@pytest.fixture(scope="module")
def code_graphs() -> dict[URIRef, Graph]:
    out = {}
    for source, triples in codes.code_sources():
        g = Graph()
        for t in triples:
            g.add(t)
        out[source.graph] = g
    return out


@pytest.fixture(scope="module")
def cameo(code_graphs: dict[URIRef, Graph]) -> Graph:
    return code_graphs[iri.codes_graph("cameo")]


@pytest.fixture(scope="module")
def plover(code_graphs: dict[URIRef, Graph]) -> Graph:
    return code_graphs[iri.codes_graph("plover")]


def test_sources_and_licences() -> None:
    by_graph = {s.graph: s for s, _ in codes.code_sources()}
    assert set(by_graph) == {
        iri.codes_graph("cameo"),
        iri.codes_graph("plover"),
        iri.codes_graph("schemes"),
        iri.codes_graph("topics"),
    }
    assert by_graph[iri.codes_graph("topics")].origin == "diplograph/ontology/data/topics.ttl"
    assert by_graph[iri.codes_graph("plover")].license == codes.CC_BY_SA
    assert by_graph[iri.codes_graph("cameo")].license == codes.GPL_3
    assert all(s.kind == "codes" and len(s.content_hash) == 64 for s in by_graph.values())
    assert by_graph[iri.codes_graph("schemes")].origin == "diplograph/ontology/schemes.py"
    assert by_graph[iri.codes_graph("cameo")].content_hash == (
        "50fb93254ba296a2d1841ef35b30a1298fd34df86585862824da19969b7b80aa"  # as in SOURCE.md
    )
    assert by_graph[iri.codes_graph("plover")].content_hash == (
        "524512a777756e90f6721724d7c5cab4eac2c35178a50ad2ad09bdb3edefbe7e"
    )


def test_every_cameo_code_is_a_concept(cameo: Graph) -> None:
    table = codes.cameo_codes()
    assert len(table) == 320
    concepts = set(cameo.subjects(SKOS.inScheme, codes.CAMEO_SCHEME))
    assert len(concepts) == 320
    for code in table.values():
        c = iri.cameo(code.code)
        assert (c, RDF.type, SKOS.Concept) in cameo
        assert cameo.value(c, SKOS.notation) == Literal(code.code)
        assert cameo.value(c, SKOS.prefLabel).language == "en"
        assert cameo.value(c, DG.goldsteinScore).datatype == XSD.decimal
        assert cameo.value(c, DG.quadClass) is not None


def test_hierarchy_0311_031_03(cameo: Graph) -> None:
    assert cameo.value(iri.cameo("0311"), SKOS.broader) == iri.cameo("031")
    assert cameo.value(iri.cameo("031"), SKOS.broader) == iri.cameo("03")
    assert cameo.value(iri.cameo("03"), SKOS.broader) is None
    assert (iri.cameo("03"), SKOS.topConceptOf, codes.CAMEO_SCHEME) in cameo
    tops = set(cameo.objects(codes.CAMEO_SCHEME, SKOS.hasTopConcept))
    assert tops == {iri.cameo(f"{n:02d}") for n in range(1, 21)}
    # leading zeros are kept in the notation
    assert str(cameo.value(iri.cameo("0311"), SKOS.notation)) == "0311"


def test_labels_and_goldstein_scores(cameo: Graph) -> None:
    assert str(cameo.value(iri.cameo("1211"), SKOS.prefLabel)) == "Reject economic cooperation"
    assert cameo.value(iri.cameo("1211"), DG.goldsteinScore).toPython() == Decimal("-4.0")
    assert str(cameo.value(iri.cameo("0311"), SKOS.prefLabel)) == (
        "Express intent to cooperate economically"
    )
    assert cameo.value(iri.cameo("0311"), DG.goldsteinScore).toPython() == Decimal("5.2")
    assert cameo.value(iri.cameo("204"), DG.goldsteinScore).toPython() == Decimal("-10.0")
    # upper-case root labels become sentence case; the original stays as an altLabel
    assert str(cameo.value(iri.cameo("12"), SKOS.prefLabel)) == "Reject"
    assert str(cameo.value(iri.cameo("12"), SKOS.altLabel)) == "REJECT"


def test_quad_classes(cameo: Graph) -> None:
    verbal_conflict = codes.QUAD_CLASS["verbal-conflict"]
    for code in ("12", "120", "1211", "1246", "129"):
        assert cameo.value(iri.cameo(code), DG.quadClass) == verbal_conflict
    assert cameo.value(iri.cameo("0311"), DG.quadClass) == codes.QUAD_CLASS["verbal cooperation"]
    assert cameo.value(iri.cameo("073"), DG.quadClass) == codes.QUAD_CLASS["material-cooperation"]
    assert cameo.value(iri.cameo("190"), DG.quadClass) == codes.QUAD_CLASS["material-conflict"]
    assert codes.cameo_codes()["1212"].quad_class == 3
    assert (codes.QUAD_CLASS["verbal-conflict"], SKOS.inScheme, codes.QUAD_CLASS.iri) in cameo


def test_plover_types_and_crosswalk(plover: Graph) -> None:
    assert len(codes.plover_types()) == 16
    agree = iri.plover("AGREE")
    assert (agree, RDF.type, SKOS.Concept) in plover
    assert (agree, SKOS.inScheme, codes.PLOVER_SCHEME) in plover
    assert str(plover.value(agree, SKOS.notation)) == "AGREE"
    assert (iri.cameo("0311"), SKOS.broadMatch, agree) in plover
    assert (iri.cameo("0311"), DG.ploverContext, Literal("economic")) in plover
    assert (iri.cameo("1211"), SKOS.broadMatch, iri.plover("REJECT")) in plover
    assert (iri.cameo("1211"), DG.ploverMode, Literal("assist")) in plover
    # a context listing two values gives two triples
    assert set(plover.objects(iri.cameo("091"), DG.ploverContext)) == {
        Literal("crime"),
        Literal("corruption"),
    }
    # root 08 is listed twice in the table
    assert set(plover.objects(iri.cameo("08"), SKOS.broadMatch)) == {
        iri.plover("CONCEDE"),
        iri.plover("RETREAT"),
    }
    # no crosswalk for the statement codes
    assert plover.value(iri.cameo("010"), SKOS.broadMatch) is None


def test_cameo_code_records() -> None:
    table = codes.cameo_codes()
    c = table["0311"]
    assert (c.label, c.parent, c.plover, c.quad_class_name) == (
        "Express intent to cooperate economically",
        "031",
        "AGREE",
        "verbal-cooperation",
    )
    assert table["08"].plover is None and table["08"].plover_types == ("CONCEDE", "RETREAT")
    assert table["13y"].parent == "13"
    assert table["0811i"].parent == "081"
    assert codes.is_cameo_code("0311") and not codes.is_cameo_code("311")
    assert not codes.is_cameo_code("9999")


def test_every_crosswalk_code_is_in_the_cameo_table() -> None:
    from diplograph.ontology.codes import _crosswalk

    assert set(_crosswalk()) - set(codes.cameo_codes()) == set()


def test_small_schemes(code_graphs: dict[URIRef, Graph]) -> None:
    g = code_graphs[iri.codes_graph("schemes")]
    full = codes.MEMBERSHIP_STATUS["full"]
    assert str(full) == "https://w3id.org/diplograph/id/concept/membership-status/full"
    assert codes.MEMBERSHIP_STATUS["1"] == full
    assert (full, SKOS.inScheme, iri.scheme("membership-status")) in g
    assert str(g.value(full, SKOS.prefLabel)) == "Full"
    assert codes.MISSION_STATUS["Ambassador Nonresident"] == iri.concept(
        "mission-status", "ambassador-nonresident"
    )
    assert len(codes.MISSION_STATUS) == 9
    assert list(codes.ALLIANCE_OBLIGATION) == [
        "defence",
        "offence",
        "neutrality",
        "non-aggression",
        "consultation",
    ]
    assert set(codes.RIVALRY_TYPE) == {"positional", "spatial", "ideological", "interventionary"}
    for role in (
        "head-of-state",
        "head-of-government",
        "foreign-minister",
        "ambassador",
        "spokesperson",
        "secretary-of-state",
    ):
        assert (codes.ROLE_TYPE[role], RDF.type, SKOS.Concept) in g
    with pytest.raises(KeyError, match="not a concept of the role type scheme"):
        _ = codes.ROLE_TYPE["king"]
