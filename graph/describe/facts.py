"""The sources of a resource's facts: the ``rdf:Statement`` nodes that name, for one of its
triples, the page it was read from (``dcterms:source``), that page's title and the day it was
read (``dg:accessedOn``). Claim records write them for the facts an article does not state
(``sources:``, docs/claim-records.md); the links of ``diplograph link`` for ``owl:sameAs``.

>>> from diplograph.graph.store import open_graph
>>> from diplograph.graph.load.build import build
>>> g = open_graph("memory:"); _ = build(g, parts=("articles",))
>>> found = fact_sources(g, URIRef("https://w3id.org/diplograph/id/event/osce-istanbul-summit-1999"))
>>> sorted(str(p).rsplit("#", 1)[-1] for p, _ in found)
['endDate', 'startDate']
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult
from diplograph.iri import ONTOLOGY as DG


@dataclass(frozen=True)
class FactSource:
    """Where one fact was read: the page, its title and the day, as far as the store says."""

    url: URIRef
    title: str | None = None
    accessed: str | None = None


def fact_sources(graph: DiploGraph, iri: URIRef) -> dict[tuple[Node, Node], list[FactSource]]:
    """For each sourced triple ``iri p o``: ``(p, o)`` -> its sources, in URL order."""
    return read_fact_sources(graph.query(FACT_SOURCES, bindings={"this": iri}))


#: The query of :func:`fact_sources`, with ``?this`` bound to the resource
FACT_SOURCES = f"""SELECT DISTINCT ?p ?o ?src ?title ?day WHERE {{
  ?st <{RDF.subject}> ?this ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o ;
      <{DCTERMS.source}> ?src .
  OPTIONAL {{ ?src <{DCTERMS.title}> ?title }}
  OPTIONAL {{ ?st <{DG.accessedOn}> ?day }} }} ORDER BY ?p ?o ?src ?day"""


def read_fact_sources(result: QueryResult) -> dict[tuple[Node, Node], list[FactSource]]:
    """The sources in the result of :data:`FACT_SOURCES`, as :func:`fact_sources` gives them."""
    out: dict[tuple[Node, Node], list[FactSource]] = {}
    for p, o, src, title, day in result.rows:
        if not isinstance(src, URIRef) or p is None or o is None:
            continue
        found = FactSource(
            src,
            str(title) if isinstance(title, Literal) else None,
            str(day) if isinstance(day, Literal) else None,
        )
        sources = out.setdefault((p, o), [])
        if all(s.url != found.url for s in sources):  # one page titled twice: listed once
            sources.append(found)
    return out
