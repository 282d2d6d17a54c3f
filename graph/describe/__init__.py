"""A resource's description, gathered with SPARQL from the store: what its linked-data page and
its data documents show (see docs/linked-data.md).

:func:`describe` answers, for one IRI: every outgoing triple with the named graph it sits in,
the incoming links counted by predicate (with a first few subjects), the ``owl:sameAs`` links
out, and by kind: for actors the claims they made and the claims about them, each with its
source; for claims the provenance chain (claim → source document → named graph → citation and
licence); for agreements their dates, place, organisation, principles, participating states and
the claims that invoke them. The named graphs the triples come from are described from the
metadata graph (title, citation, licence). :func:`document` is the RDF of the description (what
``/data/….ttl`` serves) and :func:`instances`/:func:`facets` list resources for class pages.

No HTTP here: the server renders what this module returns. :mod:`.labels` reads the IRIs people
type and finds the labels of resources, for descriptions, named queries and the CLI alike.

>>> from diplograph.graph.store import open_graph
>>> from diplograph.graph.load.build import build
>>> g = open_graph("memory:"); _ = build(g, parts=("articles",))
>>> d = describe(g, URIRef("https://w3id.org/diplograph/id/person/sergey-lavrov"))
>>> d.label, len(d.claims_made) > 0
('Sergey Lavrov', True)
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from diplograph.graph.describe import parts
from diplograph.graph.describe.facts import FACT_SOURCES, read_fact_sources
from diplograph.graph.describe.history import history_query, others_pattern, read_history
from diplograph.graph.describe.labels import (
    label_literals,
    label_queries,
    labels_where,
    read_labels,
)
from diplograph.graph.describe.model import (
    DG,
    MAX_OUT,
    ClaimRow,
    Description,
    GraphInfo,
    subclasses,
)
from diplograph.graph.describe.parts import Batch
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult
from diplograph.iri import ID


def exists(graph: DiploGraph, iri: URIRef) -> bool:
    """True if the store holds a triple with ``iri`` as subject or object."""
    result = graph.query("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", bindings={"this": iri})
    return bool(result.boolean)


def graph_info(graph: DiploGraph, graphs: Iterable[URIRef]) -> list[GraphInfo]:
    """Title, citation, licence and source of each named graph, from the metadata graph."""
    wanted = sorted(set(graphs), key=str)
    if not wanted:
        return []
    return parts.read_graph_info(wanted, graph.query(parts.graph_info_query(wanted)))


def describe(graph: DiploGraph, iri: URIRef) -> Description | None:
    """The description of ``iri``, or None when the store says nothing about it.

    Its queries run in three rounds, the queries of a round together
    (:meth:`~diplograph.graph.store.DiploGraph.query_many`): what the resource says and what
    points at it; what its kind adds (claims, agreement, provenance, history) and the first
    subjects of its links; then the named graphs and the labels of every IRI shown."""
    d = Description(iri)
    this = {"this": iri}
    batch = Batch()
    counts: list[QueryResult] = []
    batch.add(parts.OUTGOING, this, lambda r: parts.read_outgoing(d, r))
    batch.add(parts.INCOMING_COUNTS, this, counts.append)
    batch.add(FACT_SOURCES, this, lambda r: setattr(d, "fact_sources", read_fact_sources(r)))
    documents: list[QueryResult] = []  # a claim's source documents, asked before its kind is known
    batch.add(parts.SOURCE_DOCUMENTS, this, documents.append)
    batch.run(graph)
    predicates = [p for p, _ in counts[0].rows if isinstance(p, URIRef)]
    if not d.outgoing and not predicates:
        return None
    found: list[QueryResult] = []  # the labels, found in this round by pattern, and the next
    _by_kind(batch, d, found)
    sources = parts.source_steps(d, documents[0]) if d.is_claim else []
    if predicates:
        first = parts.first_subjects(iri, predicates)
        batch.add(first, None, lambda r: found.append(parts.read_incoming(d, counts[0], r)))
    batch.run(graph)
    labelled = {s for _, _, first in d.incoming for s in first} | {s.other for s in d.history}
    graphs = {g for _, _, g in d.outgoing}
    graphs |= {s.graph for s in d.history if s.graph}
    graphs |= {c.graph for c in d.claims_made + d.claims_about + d.invoked_by if c.graph}
    wanted = sorted(graphs, key=str)
    if wanted:
        batch.add(parts.graph_info_query(wanted), None, lambda r: _set_graphs(d, wanted, r))
    shown = _shown(d, sources)
    for query in label_queries(shown - labelled):
        batch.add(query, None, found.append)
    if d.is_claim and wanted:  # the chain names each graph's licence
        batch.add(labels_where(parts.licences_pattern(wanted)), None, found.append)
    batch.run(graph)
    if d.is_claim:
        d.provenance = sources + parts.graph_steps(d)
    d.labels = {s: str(label) for s, (_, label) in read_labels(found).items() if s in shown}
    d.label = d.labels.get(iri)
    return d


def _set_graphs(d: Description, wanted: list[URIRef], result: QueryResult) -> None:
    d.graphs = parts.read_graph_info(wanted, result)


def _by_kind(batch: Batch, d: Description, labels: list[QueryResult]) -> None:
    """Add to ``batch`` the queries of what ``d``'s kind adds (its types are known); the labels
    of the other sides of its spells go to ``labels``."""
    this = {"this": d.iri}
    if d.same_as:
        batch.add(parts.SAME_AS_SOURCES, this, lambda r: parts.read_same_as_sources(d, r))
    if d.is_actor:
        made = parts.claims_query("?c dg:speaker|dg:onBehalfOf ?this")
        about = parts.claims_query("?c dg:target|dg:about ?this")
        batch.add(made, this, lambda r: setattr(d, "claims_made", parts.read_claims(r)))
        batch.add(about, this, lambda r: setattr(d, "claims_about", parts.read_claims(r)))
    if d.is_agreement:
        invoked = parts.claims_query("?c dg:invokes ?this")
        batch.add(invoked, this, lambda r: setattr(d, "invoked_by", parts.read_claims(r)))
        batch.add(parts.AGREEMENT_STATES, this, lambda r: parts.read_agreement(d, r))
    if d.is_actor or d.is_agreement or DG.Post in d.types:
        batch.add(history_query(d.iri), None, lambda r: setattr(d, "history", read_history(r)))
        batch.add(labels_where(others_pattern(d.iri), "dg"), None, labels.append)


def _shown(d: Description, sources: list[tuple[str, Node]]) -> set[Node]:
    """Every IRI the page of ``d`` may show, for their labels."""
    iris: set[Node] = {d.iri, *d.types}
    iris |= {x for p, o, _ in d.outgoing for x in (p, o)}
    iris |= {x for p, _, first in d.incoming for x in (p, *first)}
    for row in d.claims_made + d.claims_about + d.invoked_by:
        iris |= {row.claim, *([row.source] if row.source else [])}
    iris |= {v for _, v in sources}
    iris |= {g for _, _, g in d.outgoing} if d.is_claim else set()
    iris |= {v for vs in d.agreement.values() for v in vs}
    iris |= {x for s in d.history for x in (s.other, s.role) if x is not None}
    return iris


def document(graph: DiploGraph, iri: URIRef, *, max_incoming: int = 500) -> Graph:
    """The RDF data document of ``iri``: its outgoing triples (with the blank nodes they reach),
    the triples pointing at it (up to ``max_incoming``), and a label of each IRI mentioned."""
    g = Graph()
    g.bind("dg", DG)
    g.bind("id", ID)
    # outgoing triples, the blank nodes they reach, and the statements about its links; and the
    # triples pointing at it: asked together
    this = {"this": iri}
    out, inc = graph.query_many(
        [
            (
                f"""CONSTRUCT {{ ?this ?p ?o . ?o ?p2 ?o2 . ?st ?sp ?so }} WHERE {{
  {{ ?this ?p ?o OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }}
  UNION {{ ?st <{RDF.subject}> ?this ; ?sp ?so }} }} LIMIT {MAX_OUT}""",
                this,
            ),
            (
                f"CONSTRUCT {{ ?s ?p ?this }} WHERE {{ ?s ?p ?this FILTER(isIRI(?s)) }} "
                f"LIMIT {int(max_incoming)}",
                this,
            ),
        ]
    )
    for t in out.triples:
        g.add(t)
    for t in inc.triples:
        g.add(t)
    mentioned = {x for t in g for x in (t[0], t[2]) if isinstance(x, URIRef) and x != iri}
    for other, (predicate, label) in label_literals(graph, mentioned).items():
        g.add((other, predicate, label))  # as the store holds it: its predicate, its language
    return g


# the lists of resources (class pages, facets) live in .lists
from diplograph.graph.describe.lists import (  # noqa: E402
    facets,
    has_instances,
    instances,
)

__all__ = [
    "ClaimRow",
    "Description",
    "GraphInfo",
    "describe",
    "document",
    "exists",
    "facets",
    "graph_info",
    "has_instances",
    "instances",
    "subclasses",
]
