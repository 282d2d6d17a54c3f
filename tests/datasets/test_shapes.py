"""The dataset graphs conform to the SHACL shapes (``ontology/shapes.ttl``): run pySHACL over the
smaller datasets together with the states, organisations and persons they point at."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from diplograph.graph.datasets import import_dataset
from diplograph.graph.datasets.common import DG
from diplograph.ontology.shacl import describe_all, validate_shacl

EXCERPT = Path(__file__).parent / "data" / "icews_excerpt.tsv"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def context() -> list:  # type: ignore[type-arg]
    """The states (whole COW graph) and the type and label of IGOs and persons."""
    out = list(import_dataset("cow-state-system")[1])
    for name, cls in (
        ("cow-igo", DG.InternationalOrganization),
        ("archigos", DG.Person),
        ("us-chiefs-of-mission", DG.Person),
    ):
        triples = import_dataset(name)[1]
        subjects = {s for s, p, o in triples if p == RDF.type and o == cls}
        out += [t for t in triples if t[0] in subjects and t[1] in (RDF.type, RDFS.label)]
    return out


@pytest.mark.parametrize("name", ["cow-state-system", "us-missions", "rivalries", "icews"])
def test_dataset_conforms_to_the_shapes(name, context):
    files = [EXCERPT] if name == "icews" else None
    _, triples = import_dataset(name, files=files)
    g = Graph()
    for t in (*context, *triples):
        g.add(t)
    assert describe_all(validate_shacl(g)) == []


def test_shapes_do_catch_a_broken_spell(context):
    # the check can fail: a mission without a receiving state and with a made-up date
    _, triples = import_dataset("us-missions")
    broken = [
        t
        for t in triples
        if not (str(t[0]).endswith("/mission/us-russia-1933-12-13") and t[1] == DG.receivingState)
    ]
    g = Graph()
    for t in (*context, *broken):
        g.add(t)
    problems = describe_all(validate_shacl(g))
    assert len(problems) == 1
    assert "receiving state" in problems[0]
