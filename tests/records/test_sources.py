"""Sources of background facts (``sources:`` on entities): each sourced fact becomes an
``rdf:Statement`` naming its page and the day it was read, and a wrong item is reported at its
line with the record and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from diplograph import iri
from diplograph.errors import ClaimError
from diplograph.graph.load.build import build
from diplograph.graph.records import bundled_article_files, load_records
from diplograph.graph.records.rdf import record_triples
from diplograph.graph.store import open_graph

DG = iri.ONTOLOGY
OSCE_1999 = "https://www.osce.org/who/timeline/1990s/15"
DOCPLAYER = (
    "https://docplayer.net/amp/21379387-astana-commemorative-declaration-towards-a-security"
    "-community.html"
)
CHARTER_SOURCE = (
    "      - field: adoption_date\n"
    "        url: https://fas.org/nuke/control/osce/news/1999-070-sg.htm\n"
)


def _problems(path: Path) -> list[str]:
    with pytest.raises(ClaimError) as info:
        load_records(path)
    return [str(p) for p in info.value.problems]


def test_each_sourced_fact_is_a_statement_with_its_page() -> None:
    triples = record_triples(load_records(bundled_article_files()[0]))
    summit = iri.ID["event/osce-istanbul-summit-1999"]
    statements = {s for s, p, o in triples if p == RDF.subject and o == summit}
    facts = {}
    for st in statements:
        props = {p: o for s, p, o in triples if s == st}
        facts[props[RDF.predicate]] = props
    assert set(facts) == {DG.startDate, DG.endDate}
    start = facts[DG.startDate]
    assert start[RDF.object] == Literal("1999-11-18", datatype=XSD.date)
    assert start[DCTERMS.source] == URIRef(OSCE_1999)
    assert start[DG.accessedOn] == Literal("2026-12-03", datatype=XSD.date)
    assert (
        URIRef(OSCE_1999),
        DCTERMS.title,
        Literal("Sixth Heads of State Summit, Istanbul"),
    ) in triples
    # a fact the article states (the summit's place) has no source of its own
    assert not any(p == RDF.predicate and o == DG.atPlace for s, p, o in triples)


def test_sparql_tells_a_sourced_fact_from_the_article() -> None:
    g = open_graph("memory:")
    build(g, parts=("articles",))
    rows = g.query(
        """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?value ?url ?title WHERE {
  ?this dg:documentNumber ?value .
  ?st rdf:subject ?this ; rdf:predicate dg:documentNumber ; rdf:object ?value ;
      dcterms:source ?url ; dg:accessedOn ?day .
  ?url dcterms:title ?title }""",
        bindings={"this": iri.ID["agreement/astana-commemorative-declaration-2010"]},
    ).rows
    assert [tuple(map(str, r)) for r in rows] == [
        (
            "SUM.DOC/1/10/Corr.1",
            DOCPLAYER,
            "Astana Commemorative Declaration Towards a Security Community",
        )
    ]


def test_a_source_without_url_is_reported_at_its_line(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant((CHARTER_SOURCE, "      - field: adoption_date\n"))
    line = line_of(path, "- field: adoption_date", after="charter-1999:")
    assert _problems(path) == [f"{path}:{line}: entity charter-1999: 'url' is required but missing"]


def test_a_source_naming_a_field_the_record_lacks_is_an_error(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant((CHARTER_SOURCE, CHARTER_SOURCE.replace("adoption_date", "end")))
    line = line_of(path, "- field: end", after="charter-1999:")
    [problem] = _problems(path)
    assert problem.startswith(
        f"{path}:{line}: entity charter-1999: 'sources' item 1: names the field 'end', which "
        "this record does not have"
    )
    assert "adoption_date" in problem  # the fields it could source are listed


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("ftp://example.org/x", "'sources' 'ftp://example.org/x' is not an http(s) URL"),
        ("not a url", "'sources' 'not a url' is not an http(s) URL"),
    ],
)
def test_a_source_url_must_be_http(
    variant: Callable[..., Path], line_of: Callable[..., int], new: str, message: str
) -> None:
    old = "        url: https://fas.org/nuke/control/osce/news/1999-070-sg.htm\n"
    path = variant((CHARTER_SOURCE, CHARTER_SOURCE.replace(old, f"        url: {new}\n")))
    line = line_of(path, f"url: {new}")
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:{line}: entity charter-1999: {message}")


def test_a_note_or_a_future_day_cannot_be_a_source(
    variant: Callable[..., Path], line_of: Callable[..., int]
) -> None:
    path = variant(
        (CHARTER_SOURCE, CHARTER_SOURCE.replace("adoption_date", "note")),
        (
            "        accessed: 2026-12-03\n  astana-declaration:",
            "        accessed: 2999-01-01\n  astana-declaration:",
        ),
    )
    problems = _problems(path)
    assert len(problems) == 2, problems
    assert "names the field 'note', which states no fact" in problems[0]
    assert "'accessed' 2999-01-01 is in the future" in problems[1]


def test_sources_need_format_2(variant: Callable[..., Path]) -> None:
    path = variant(("format: 2", "format: 1"))
    problems = [p for p in _problems(path) if "'sources'" in p]
    assert problems and all("write 'format: 2'" in p for p in problems)
