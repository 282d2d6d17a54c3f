"""The query mix of the side-by-side benchmark: named queries from the catalogue, with their
parameters written into the text as a ``VALUES`` block (as "view and edit SPARQL" does, so every
system gets the same text), plus a few ad hoc queries for what the catalogue has no query for
(a point lookup, a plain aggregation, a three-pattern join with two constants, a full-text scan
of quotes, DESCRIBE). Parameter values name entities of :mod:`bench.graphgen`'s data.

Each query has a ``group``: ``lookup`` (cheap; targets: within 2x of Oxigraph server's latency)
or ``heavy`` (aggregation, joins, paths, text filter, CONSTRUCT/DESCRIBE; target: at least as
fast as Oxigraph server over HTTP, and 10x faster than rdflib-endpoint on joins and
aggregations), and a ``kind`` (SELECT or CONSTRUCT) that picks the result format asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.graphgen import organization, person, state
from diplograph import iri
from diplograph.graph.store.sparqltext import bind_values
from diplograph.queries.registry import get

_PREFIXES = iri.prologue("dg", "rdfs", "skos")


@dataclass(frozen=True)
class BenchQuery:
    key: str
    group: str  # lookup | heavy
    kind: str  # SELECT | CONSTRUCT
    what: str  # one line for RESULTS.md
    text: str
    #: counts as a join or aggregation for the 10x-over-rdflib-endpoint target
    join_or_aggregate: bool = False


def _named(name: str, limit: int | None = None, **params: str) -> str:
    named = get(name)
    text = bind_values(named.body, named.bind(params))
    return text.rstrip() + (f"\nLIMIT {limit}\n" if limit else "\n")


def query_mix() -> list[BenchQuery]:
    """The mix, in the order it is run."""
    s7, s10 = state(7), state(10)
    claim = iri.claim("bench-00001-03", 7)
    return [
        BenchQuery(
            "lookup",
            "lookup",
            "SELECT",
            "point lookup: every property of one state (ad hoc)",
            f"SELECT ?p ?o WHERE {{ <{s7}> ?p ?o }}",
        ),
        BenchQuery(
            "claims-by-actor",
            "lookup",
            "SELECT",
            "named `claims-by-actor`, a state, 2010-2015, ORDER BY, LIMIT 100",
            _named("claims-by-actor", 100, actor=s7, start="2010", end="2015"),
        ),
        BenchQuery(
            "join3",
            "heavy",
            "SELECT",
            "three-pattern join, constants in two (claims by one state about another; ad hoc)",
            _PREFIXES + "SELECT ?claim ?speaker ?date WHERE {\n"
            f"  ?claim dg:onBehalfOf <{s7}> .\n  ?claim dg:target <{s10}> .\n"
            "  ?claim dg:speaker ?speaker .\n  ?claim dg:date ?date .\n} ORDER BY ?date",
            True,
        ),
        BenchQuery(
            "aggregate",
            "heavy",
            "SELECT",
            "claims counted by state and event type, top 100 (ad hoc)",
            _PREFIXES + "SELECT ?state ?type (COUNT(?claim) AS ?claims) WHERE {\n"
            "  ?claim dg:onBehalfOf ?state ; dg:eventType ?type .\n"
            "} GROUP BY ?state ?type ORDER BY DESC(?claims) ?state ?type LIMIT 100",
            True,
        ),
        BenchQuery(
            "balance",
            "heavy",
            "SELECT",
            "named `cooperation-conflict-balance` of two states (joins, UNION, SUM)",
            _named("cooperation-conflict-balance", a=s7, b=s10),
            True,
        ),
        BenchQuery(
            "threats",
            "heavy",
            "SELECT",
            "named `threats` (skos:broader* path, 8 OPTIONALs), LIMIT 100",
            _named("threats", 100),
            True,
        ),
        BenchQuery(
            "rejected-proposals",
            "heavy",
            "SELECT",
            "named `rejected-proposals` (3 joins, subClassOf*, FILTER NOT EXISTS), LIMIT 100",
            _named("rejected-proposals", 100),
            True,
        ),
        BenchQuery(
            "event-type-path",
            "heavy",
            "SELECT",
            "named `claims-by-event-type` 04 (consult; skos:broader* path), LIMIT 100",
            _named("claims-by-event-type", 100, code="04"),
        ),
        BenchQuery(
            "members-on-date",
            "heavy",
            "SELECT",
            "named `members-on-date` (as-of-date membership of one organisation)",
            _named("members-on-date", organization=organization(7), on="2000-01-01"),
            True,
        ),
        BenchQuery(
            "post-holder-on-date",
            "heavy",
            "SELECT",
            "named `post-holder-on-date` (as-of tenure, NOT EXISTS)",
            _named(
                "post-holder-on-date",
                post=str(iri.post("state-007", "minister-of-foreign-affairs")),
                on="2000-01-01",
            ),
            True,
        ),
        BenchQuery(
            "quote-text",
            "heavy",
            "SELECT",
            "text filter: quotes containing two words, counted (a full scan; ad hoc)",
            _PREFIXES + "SELECT (COUNT(?claim) AS ?claims) WHERE {\n  ?claim dg:quote ?quote .\n"
            '  FILTER(CONTAINS(LCASE(STR(?quote)), "ceasefire guarantees"))\n}',
        ),
        BenchQuery(
            "search-entities",
            "heavy",
            "SELECT",
            "named `search-entities` 'person 123' (text filter over labels, GROUP BY)",
            _named("search-entities", text="person 123"),
        ),
        BenchQuery(
            "neighbourhood",
            "heavy",
            "CONSTRUCT",
            "named `entity-neighbourhood` of a person (CONSTRUCT)",
            _named("entity-neighbourhood", entity=person(42)),
        ),
        BenchQuery(
            "describe",
            "heavy",
            "CONSTRUCT",
            "DESCRIBE of one claim (ad hoc)",
            f"DESCRIBE <{claim}>",
        ),
    ]


#: the two queries of the concurrency-8 throughput runs
THROUGHPUT = ("lookup", "join3")
