"""Fixtures of the dataset tests: one in-memory graph with every bundled dataset, built through
the real build path (``build(parts=("datasets",))``), and helpers to ask it questions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib.term import Node

from diplograph.graph.load.build import BuildReport, build
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.iri import ID

PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/diplograph/id/>
"""

#: "In effect on ?day": started on or before the day, and not ended before it. Dates of any
#: precision compare as ISO strings: a start "1999" is before "1999-11-19"; an end "1999" covers
#: the whole year (it is compared with the day cut to the end's length).
AS_OF = """
  VALUES ?day { "%s"^^xsd:date }
  ?rel dg:startDate ?start .
  OPTIONAL { ?rel dg:endDate ?end }
  FILTER(STR(?start) <= STR(?day))
  FILTER(!BOUND(?end) || STR(?end) >= SUBSTR(STR(?day), 1, STRLEN(STR(?end))))
"""


def short(term: Node | None) -> str | None:
    """A term as text: data IRIs without the base (``state/russia``), literals as their value."""
    if term is None:
        return None
    text = str(term)
    return text.removeprefix(str(ID))


def select(graph: DiploGraph, sparql: str, **bindings: Node) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT, each term shortened by :func:`short`."""
    result = graph.query(PREFIXES + sparql, bindings=bindings or None)
    return [tuple(short(t) for t in row) for row in result.rows]


@pytest.fixture(scope="session")
def datasets_build() -> Iterator[tuple[DiploGraph, BuildReport]]:
    g = open_graph("memory:")
    report = build(g, parts=("datasets",))
    yield g, report
    g.close()


@pytest.fixture(scope="session")
def dgraph(datasets_build: tuple[DiploGraph, BuildReport]) -> DiploGraph:
    """Every bundled dataset in one in-memory graph (read-only by convention)."""
    return datasets_build[0]


@pytest.fixture(scope="session")
def ask(dgraph: DiploGraph):  # type: ignore[no-untyped-def]
    """``ask(sparql, **bindings)``: rows of a SELECT over the datasets graph, terms shortened."""

    def run(sparql: str, **bindings: Node) -> list[tuple[str | None, ...]]:
        return select(dgraph, sparql, **bindings)

    return run


@pytest.fixture(scope="session")
def as_of():  # type: ignore[no-untyped-def]
    """``as_of("1999-11-19")``: the "in effect on that day" pattern over ?rel (:data:`AS_OF`)."""

    def pattern(day: str) -> str:
        assert len(day) == 10 and day[4] == "-" and day[7] == "-", day
        return AS_OF % day

    return pattern
