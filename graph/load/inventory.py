"""What is in a store: named graphs with their provenance, triples per graph, instances per
class, claims per source.

Read-only views over the metadata graph (:data:`diplograph.iri.META_GRAPH`) and the data,
used by ``diplograph sources`` and ``diplograph stats``; they work on every backend because they
only use SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Literal, Node

from diplograph.graph.store import DiploGraph
from diplograph.iri import META_GRAPH, prologue


@dataclass(frozen=True)
class SourceInfo:
    """One named graph and what the metadata graph says about it (absent values are None)."""

    graph: URIRef
    triples: int
    title: str | None = None
    kind: str | None = None
    origin: str | None = None
    citation: str | None = None
    license: str | None = None
    version: str | None = None
    loaded_at: str | None = None
    software_version: str | None = None
    content_hash: str | None = None


_SOURCES = (
    prologue("dg", "dcterms", "prov")
    + f"""
SELECT ?g ?title ?kind ?origin ?citation ?license ?version ?loaded ?sw ?hash WHERE {{
  GRAPH <{META_GRAPH}> {{
    ?g a dg:SourceGraph .
    OPTIONAL {{ ?g dcterms:title ?title }}
    OPTIONAL {{ ?g dg:sourceKind ?kind }}
    OPTIONAL {{ ?g dcterms:source ?origin }}
    OPTIONAL {{ ?g dcterms:bibliographicCitation ?citation }}
    OPTIONAL {{ ?g dcterms:license ?license }}
    OPTIONAL {{ ?g dcterms:hasVersion ?version }}
    OPTIONAL {{ ?g prov:generatedAtTime ?loaded }}
    OPTIONAL {{ ?g dg:softwareVersion ?sw }}
    OPTIONAL {{ ?g dg:contentHash ?hash }}
  }}
}} ORDER BY ?g
"""
)


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def sources(graph: DiploGraph) -> list[SourceInfo]:
    """Every named graph (the metadata graph excluded) with its provenance, sorted by IRI.

    A named graph written without a description (e.g. by a plain SPARQL update) is listed with
    its triple count only.
    """
    described: dict[URIRef, SourceInfo] = {}
    for row in graph.query(_SOURCES).rows:
        g = row[0]
        if not isinstance(g, URIRef) or g in described:
            continue
        described[g] = SourceInfo(g, 0, *(_text(t) for t in row[1:]))
    counts = triples_per_graph(graph)
    out = []
    for g, n in counts.items():
        info = described.get(g)
        if info is None:
            out.append(SourceInfo(g, n))
        else:
            out.append(SourceInfo(**{**info.__dict__, "triples": n}))
    return sorted(out, key=lambda s: str(s.graph))


def triples_per_graph(graph: DiploGraph) -> dict[URIRef, int]:
    """Triples in each named graph (the metadata graph excluded), sorted by IRI."""
    res = graph.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {
        row[0]: int(row[1])
        for row in res.rows
        if isinstance(row[0], URIRef) and isinstance(row[1], Literal)
    }
    named = set(graph.named_graphs())
    return {g: counts[g] for g in sorted(counts) if g != META_GRAPH and g in named}


def instances_per_class(graph: DiploGraph, *, limit: int | None = None) -> list[tuple[URIRef, int]]:
    """Distinct instances per ``rdf:type`` over the union (metadata graph excluded), largest
    first."""
    text = f"""
    SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
      GRAPH ?g {{ ?s a ?c }} FILTER (?g != <{META_GRAPH}>)
    }} GROUP BY ?c ORDER BY DESC(?n) ?c
    """
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return [
        (row[0], int(row[1]))
        for row in graph.query(text).rows
        if isinstance(row[0], URIRef) and isinstance(row[1], Literal)
    ]


def claims_per_source(graph: DiploGraph) -> list[tuple[URIRef, int]]:
    """Number of ``dg:Claim`` instances (any subclass) per named graph, largest first."""
    text = f"""{prologue("dg")}
    SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE {{
      VALUES ?cls {{ dg:Claim dg:OfficialStatement dg:AnalystAssessment dg:EditorialStatement }}
      GRAPH ?g {{ ?c a ?cls }}
    }} GROUP BY ?g ORDER BY DESC(?n) ?g
    """
    return [
        (row[0], int(row[1]))
        for row in graph.query(text).rows
        if isinstance(row[0], URIRef) and isinstance(row[1], Literal)
    ]


__all__ = ["SourceInfo", "claims_per_source", "instances_per_class", "sources", "triples_per_graph"]
