"""The "as of a date" rule on dates of mixed precision, and date ranges, on a small graph built
through the real store: each case checks which rows come back and which do not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from diplograph import iri
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.provenance import Source, Triple
from diplograph.queries import run_query

DG = iri.ONTOLOGY
ORG = iri.entity("organization", "test-org")


def _d(text: str) -> Literal:
    kind = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Literal(text, datatype=kind)


def _membership(n: int, state: str, start: str | None, end: str | None) -> list[Triple]:
    m = iri.entity("membership", f"test-{n}")
    out: list[Triple] = [
        (m, RDF.type, DG.Membership),
        (m, DG.ofOrganization, ORG),
        (m, DG.member, iri.entity("state", state)),
    ]
    if start:
        out.append((m, DG.startDate, _d(start)))
    if end:
        out.append((m, DG.endDate, _d(end)))
    return out


def _claim(n: int, date: str | None) -> list[Triple]:
    c = iri.claim("dates-test", n)
    out: list[Triple] = [
        (c, RDF.type, DG.OfficialStatement),
        (c, DG.speaker, iri.entity("person", "test-speaker")),
        (c, DG.onBehalfOf, iri.entity("state", "a")),
    ]
    if date:
        out.append((c, DG.date, _d(date)))
    return out


@pytest.fixture(scope="module")
def dated_graph() -> Iterator[DiploGraph]:
    triples: list[Triple] = [
        (DG.OfficialStatement, RDFS.subClassOf, DG.Claim),
        *_membership(1, "a", "1999", None),  # year precision, still a member
        *_membership(2, "b", "1949-04-04", "1999"),  # left some time in 1999
        *_membership(3, "c", "1999-11", "2000-03-15"),
        *_membership(4, "d", "2001", None),
        *_membership(5, "e", None, "1995"),  # start unknown
        *_membership(6, "f", None, None),  # undated: never placed on a date
        *_claim(1, "2025"),
        *_claim(2, "2025-08-15"),
        *_claim(3, None),
        *_claim(4, "2024-12-31"),
        *_claim(5, "2025-06"),
    ]
    source = Source(iri.file_graph("dates-test"), "dates test", "file", "test", "0")
    g = open_graph("memory:")
    g.replace_graph(source, triples)
    yield g
    g.close()


def _members(graph: DiploGraph, on: str) -> list[str]:
    result = run_query(graph, "members-on-date", organization=ORG, on=on)
    return sorted(str(m).rsplit("/", 1)[1] for m in result.column("member"))


@pytest.mark.parametrize(
    ("on", "members"),
    [
        ("1999-11-19", ["a", "b", "c"]),  # a from 1999 and b until 1999 count all year
        ("1999-10-31", ["a", "b"]),  # c joined in November 1999
        ("1999-11", ["a", "b", "c"]),
        ("1999", ["a", "b", "c"]),
        ("2000", ["a", "c"]),  # c until 2000-03-15 counts in 2000; b ended in 1999
        ("2000-04-01", ["a"]),
        ("1998", ["b"]),
        ("1990", ["b", "e"]),  # e: start unknown, ended 1995
        ("2001-01-01", ["a", "d"]),
    ],
)
def test_members_on_a_date_compare_at_shared_precision(
    dated_graph: DiploGraph, on: str, members: list[str]
) -> None:
    assert _members(dated_graph, on) == members


def _claims(graph: DiploGraph, **bounds: str) -> list[str]:
    result = run_query(graph, "claims-by-actor", actor="state/a", **bounds)
    return [str(c).rsplit("/", 1)[1] for c in result.column("claim")]


def test_claims_without_a_range_include_undated_ones(dated_graph: DiploGraph) -> None:
    # ORDER BY ?date: unbound (undated) first, then by date
    assert _claims(dated_graph) == ["3", "4", "1", "5", "2"]


@pytest.mark.parametrize(
    ("bounds", "claims"),
    [
        ({"start": "2025-03-01"}, ["1", "5", "2"]),  # 2025 is inside at year precision
        ({"end": "2025-06"}, ["4", "1", "5"]),  # 2025-08-15 is after June
        ({"start": "2025-01", "end": "2025-07-31"}, ["1", "5"]),
        ({"start": "2024-12-31", "end": "2024-12-31"}, ["4"]),
        ({"start": "2026"}, []),
    ],
)
def test_claims_in_a_date_range(
    dated_graph: DiploGraph, bounds: dict[str, str], claims: list[str]
) -> None:
    assert _claims(dated_graph, **bounds) == claims
