"""Parameter values are bound as RDF terms, never pasted into the query text: SPARQL in a string
parameter is only a string, it matches nothing it should not and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from diplograph import iri
from diplograph.errors import QueryParameterError
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.provenance import Source
from diplograph.queries import run_query

DG = iri.ONTOLOGY
ATTACKS = [
    'x" } ; DROP ALL ; SELECT * { "',
    "x' } ; DROP ALL ; SELECT * { '",
    '" ) } UNION { ?entity ?p ?match } #',
    "\\u0022 } DROP ALL",
]


@pytest.fixture
def small_graph() -> Iterator[DiploGraph]:
    russia = iri.entity("state", "russia")
    quoted = iri.entity("person", "quoted-name")
    triples = [
        (russia, RDF.type, DG.State),
        (russia, RDFS.label, Literal("Russia", lang="en")),
        (quoted, RDF.type, DG.Person),
        (quoted, RDFS.label, Literal('Someone called "x" } ; DROP ALL', lang="en")),
    ]
    g = open_graph("memory:")
    g.replace_graph(Source(iri.file_graph("injection"), "injection", "file", "test", "0"), triples)
    yield g
    g.close()


def _quads(graph: DiploGraph) -> int:
    return graph.count()


@pytest.mark.parametrize("attack", ATTACKS)
def test_sparql_in_a_string_parameter_is_a_literal(small_graph: DiploGraph, attack: str) -> None:
    before = _quads(small_graph)
    result = run_query(small_graph, "search-entities", text=attack)
    assert result.rows == []  # no label contains the whole text; a union would have matched all
    assert _quads(small_graph) == before
    assert sorted(small_graph.named_graphs()) == sorted(
        [iri.META_GRAPH, iri.file_graph("injection")]
    )
    # the value came back as the bound literal, unchanged
    assert result.variables[0] == "text"


def test_quotes_in_a_string_are_matched_literally(small_graph: DiploGraph) -> None:
    result = run_query(small_graph, "search-entities", text='"x" } ; DROP')
    assert [(str(r[1]), str(r[2])) for r in result.rows] == [
        (str(iri.entity("person", "quoted-name")), 'Someone called "x" } ; DROP ALL')
    ]
    assert result.rows[0][0] == Literal('"x" } ; DROP')
    assert run_query(small_graph, "search-entities", text="RUSS").column("entity") == [
        iri.entity("state", "russia")
    ]


@pytest.mark.parametrize(
    "value", ["state/russia> } ; DROP ALL ; #", "<state/russia> ?p ?o", "state/rus sia"]
)
def test_sparql_in_an_iri_parameter_is_refused(small_graph: DiploGraph, value: str) -> None:
    before = _quads(small_graph)
    with pytest.raises(QueryParameterError, match=r"parameter 'actor': .* is not an IRI"):
        run_query(small_graph, "claims-by-actor", actor=value)
    assert _quads(small_graph) == before
