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

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from diplograph.graph.describe.facts import FactSource, fact_sources
from diplograph.graph.describe.history import Spell, history
from diplograph.graph.describe.labels import label_literals, labels_for
from diplograph.graph.store import DiploGraph
from diplograph.iri import ID, META_GRAPH, ONTOLOGY, prologue

DG = ONTOLOGY
WIKIDATA = "http://www.wikidata.org/entity/"
DBPEDIA = "http://dbpedia.org/resource/"
PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#generatedAtTime")
#: Most outgoing triples and incoming subjects gathered for one resource.
MAX_OUT = 2000
MAX_IN_PER_PREDICATE = 20


@functools.cache
def subclasses(root: URIRef) -> frozenset[URIRef]:
    """``root`` and every class below it in the ontology (``rdfs:subClassOf``, transitively):
    an ATOP alliance (``dg:Alliance``) is an agreement, a state an actor."""
    from diplograph.ontology.load import ontology_graph

    onto = ontology_graph()
    found = {root}
    todo = [root]
    while todo:
        for sub in onto.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return frozenset(found)


@dataclass(frozen=True)
class GraphInfo:
    """A named graph a triple comes from, as the metadata graph describes it."""

    iri: URIRef
    title: str | None = None
    citation: str | None = None
    license: str | None = None
    source: str | None = None
    loaded: str | None = None  # prov:generatedAtTime
    content_hash: str | None = None  # dg:contentHash of the input bytes


@dataclass(frozen=True)
class ClaimRow:
    """A claim as listed on an actor's or agreement's page, with its source."""

    claim: URIRef
    label: str | None
    date: Literal | None
    source: URIRef | None
    graph: URIRef | None


@dataclass
class Description:
    """Everything a resource's page shows (see the module docstring)."""

    iri: URIRef
    label: str | None = None
    types: list[URIRef] = field(default_factory=list)
    outgoing: list[tuple[URIRef, Node, URIRef]] = field(default_factory=list)  # p, o, graph
    incoming: list[tuple[URIRef, int, list[URIRef]]] = field(default_factory=list)  # p, n, first
    same_as: list[URIRef] = field(default_factory=list)
    same_as_sources: dict[URIRef, list[URIRef]] = field(default_factory=dict)  # link → verified by
    #: (predicate, object) of a sourced outgoing statement → where it was read (:mod:`.facts`)
    fact_sources: dict[tuple[Node, Node], list[FactSource]] = field(default_factory=dict)
    claims_made: list[ClaimRow] = field(default_factory=list)
    claims_about: list[ClaimRow] = field(default_factory=list)
    invoked_by: list[ClaimRow] = field(default_factory=list)
    provenance: list[tuple[str, Node]] = field(default_factory=list)  # step name, value
    agreement: dict[str, list[Node]] = field(default_factory=dict)
    graphs: list[GraphInfo] = field(default_factory=list)
    labels: dict[URIRef, str] = field(default_factory=dict)
    truncated: bool = False
    #: dated memberships, alliances and offices (:mod:`.history`), earliest first
    history: list[Spell] = field(default_factory=list)

    @property
    def is_actor(self) -> bool:
        return bool(subclasses(DG.Actor).intersection(self.types))

    @property
    def is_claim(self) -> bool:
        return bool(subclasses(DG.Claim).intersection(self.types))

    @property
    def is_agreement(self) -> bool:
        return bool(subclasses(DG.Agreement).intersection(self.types))

    def values(self, predicate: URIRef) -> list[Node]:
        """The objects of one outgoing predicate, in order."""
        return [o for p, o, _ in self.outgoing if p == predicate]


def exists(graph: DiploGraph, iri: URIRef) -> bool:
    """True if the store holds a triple with ``iri`` as subject or object."""
    result = graph.query("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", bindings={"this": iri})
    return bool(result.boolean)


def _claims(graph: DiploGraph, where: str, iri: URIRef, limit: int = 200) -> list[ClaimRow]:
    sparql = (
        prologue("dg")
        + f"""SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?date) (SAMPLE(?src) AS ?source)
       (SAMPLE(?g) AS ?graph)
WHERE {{ GRAPH ?g {{ {where} }}
  OPTIONAL {{ ?c <{RDFS.label}> ?l }} OPTIONAL {{ ?c dg:date ?d }}
  OPTIONAL {{ ?c dg:source ?src }} }}
GROUP BY ?c ORDER BY ?c LIMIT {int(limit)}"""
    )
    rows = graph.query(sparql, bindings={"this": iri}).rows
    out = []
    for c, label, date, src, g in rows:
        if isinstance(c, URIRef):
            out.append(
                ClaimRow(
                    c,
                    str(label) if label is not None else None,
                    date if isinstance(date, Literal) else None,
                    src if isinstance(src, URIRef) else None,
                    g if isinstance(g, URIRef) else None,
                )
            )
    return out


def graph_info(graph: DiploGraph, graphs: Iterable[URIRef]) -> list[GraphInfo]:
    """Title, citation, licence and source of each named graph, from the metadata graph."""
    wanted = sorted(set(graphs), key=str)
    if not wanted:
        return []
    values = " ".join(f"<{g}>" for g in wanted)
    sparql = f"""SELECT ?g ?p ?o WHERE {{ VALUES ?g {{ {values} }}
  GRAPH <{META_GRAPH}> {{ ?g ?p ?o }}
  VALUES ?p {{ <{DCTERMS.title}> <{DCTERMS.bibliographicCitation}> <{DCTERMS.license}>
             <{DCTERMS.source}> <{PROV_GENERATED}> <{DG.contentHash}> }} }}"""
    found: dict[URIRef, dict[URIRef, str]] = {g: {} for g in wanted}
    for g, p, o in graph.query(sparql).rows:
        found[g][p] = str(o)  # type: ignore[index]
    return [
        GraphInfo(
            g,
            d.get(DCTERMS.title),
            d.get(DCTERMS.bibliographicCitation),
            d.get(DCTERMS.license),
            d.get(DCTERMS.source),
            d.get(PROV_GENERATED),
            d.get(DG.contentHash),
        )
        for g, d in found.items()
    ]


def describe(graph: DiploGraph, iri: URIRef) -> Description | None:
    """The description of ``iri``, or None when the store says nothing about it."""
    d = Description(iri)
    rows = graph.query(
        "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?this ?p ?o } } ORDER BY ?p ?o "
        f"LIMIT {MAX_OUT + 1}",
        bindings={"this": iri},
    ).rows
    d.truncated = len(rows) > MAX_OUT
    seen: set[tuple[Node, Node]] = set()
    for p, o, g in rows[:MAX_OUT]:
        if (p, o) in seen:  # the same triple in two graphs: listed once, first graph
            continue
        seen.add((p, o))  # type: ignore[arg-type]
        d.outgoing.append((p, o, g))  # type: ignore[arg-type]
    _incoming(graph, d)
    if not d.outgoing and not d.incoming:
        return None
    d.types = [o for p, o, _ in d.outgoing if p == RDF.type and isinstance(o, URIRef)]
    d.same_as = [o for p, o, _ in d.outgoing if p == OWL.sameAs and isinstance(o, URIRef)]
    if d.same_as:
        _same_as_sources(graph, d)
    d.fact_sources = fact_sources(graph, iri)
    if d.is_actor:
        d.claims_made = _claims(graph, "?c dg:speaker|dg:onBehalfOf ?this", iri)
        d.claims_about = _claims(graph, "?c dg:target|dg:about ?this", iri)
    if d.is_agreement:
        d.invoked_by = _claims(graph, "?c dg:invokes ?this", iri)
        d.agreement = _agreement(graph, d)
    if d.is_claim:
        d.provenance = _provenance(graph, d)
    if d.is_actor or d.is_agreement or DG.Post in d.types:
        d.history = history(graph, iri)
    graphs = {g for _, _, g in d.outgoing}
    graphs |= {s.graph for s in d.history if s.graph}
    graphs |= {c.graph for c in d.claims_made + d.claims_about + d.invoked_by if c.graph}
    d.graphs = graph_info(graph, graphs)
    iris: set[Node] = {iri, *d.types}
    iris |= {x for p, o, _ in d.outgoing for x in (p, o)}
    iris |= {x for p, _, first in d.incoming for x in (p, *first)}
    for row in d.claims_made + d.claims_about + d.invoked_by:
        iris |= {row.claim, *([row.source] if row.source else [])}
    iris |= {v for _, v in d.provenance}
    iris |= {v for vs in d.agreement.values() for v in vs}
    iris |= {x for s in d.history for x in (s.other, s.role) if x is not None}
    d.labels = labels_for(graph, iris)
    d.label = d.labels.get(iri)
    return d


def _incoming(graph: DiploGraph, d: Description) -> None:
    """The links to ``d.iri``: per predicate, how many subjects, and the first few."""
    counts = graph.query(
        "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?this FILTER(isIRI(?s)) } "
        "GROUP BY ?p ORDER BY DESC(?n) ?p",
        bindings={"this": d.iri},
    ).rows
    for p, n in counts:
        first = graph.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?this FILTER(isIRI(?s)) }} ORDER BY ?s "
            f"LIMIT {MAX_IN_PER_PREDICATE}",
            bindings={"this": d.iri, "p": p},  # type: ignore[dict-item]
        ).rows
        subjects = [s for (s,) in first if isinstance(s, URIRef)]
        d.incoming.append((p, int(n), subjects))  # type: ignore[arg-type, call-overload]


def _same_as_sources(graph: DiploGraph, d: Description) -> None:
    """The sources of each owl:sameAs link of ``d`` (the reified statements that cite them)."""
    rows = graph.query(
        f"""SELECT DISTINCT ?t ?src WHERE {{ ?st <{RDF.subject}> ?this ;
  <{RDF.predicate}> <{OWL.sameAs}> ; <{RDF.object}> ?t ; <{DCTERMS.source}> ?src }}
ORDER BY ?t ?src""",
        bindings={"this": d.iri},
    ).rows
    for t, src in rows:
        if isinstance(t, URIRef) and isinstance(src, URIRef):
            d.same_as_sources.setdefault(t, []).append(src)


def _agreement(graph: DiploGraph, d: Description) -> dict[str, list[Node]]:
    """Date, place, organisation, principles and participating states of an agreement."""
    out = {
        "Signed": d.values(DG.signatureDate),
        "Adopted": d.values(DG.adoptionDate),
        "Place": d.values(DG.atPlace),
        "Adopted at": d.values(DG.adoptedAt),
        "Organisation": d.values(DG.adoptedBy),
        "Principles": d.values(DG.containsPrinciple),
    }
    rows = graph.query(
        prologue("dg")
        + """SELECT DISTINCT ?state WHERE {
  { ?this dg:party|dg:signatory ?state }
  UNION { ?p dg:ofAgreement ?this ; dg:participant|dg:ofState ?state } } ORDER BY ?state""",
        bindings={"this": d.iri},
    ).rows
    out["Participating states"] = [s for (s,) in rows if s is not None]
    return out


def _provenance(graph: DiploGraph, d: Description) -> list[tuple[str, Node]]:
    """The chain from a claim to where it was read: source document, named graph, its file,
    citation and licence."""
    chain: list[tuple[str, Node]] = []
    for src in d.values(DG.source):
        chain.append(("Source document", src))
        rows = graph.query(
            f"""SELECT DISTINCT ?p ?o WHERE {{ ?this ?p ?o
  VALUES ?p {{ <{RDFS.label}> <{DCTERMS.identifier}> <http://schema.org/datePublished>
             <https://schema.org/datePublished> <https://schema.org/url>
             <https://schema.org/publisher> }} }}""",
            bindings={"this": src},
        ).rows
        for p, o in rows:
            name = {
                str(DCTERMS.identifier): "Source identifier",
                str(RDFS.label): "Source title",
            }.get(str(p), str(p).rsplit("/", 1)[-1])
            chain.append((name, o))  # type: ignore[arg-type]
    graphs = sorted({g for _, _, g in d.outgoing}, key=str)
    infos = {info.iri: info for info in graph_info(graph, graphs)}  # one query for all
    for g in graphs:
        chain.append(("Named graph", g))
        if (info := infos.get(g)) is not None:
            if info.source:
                chain.append(("Read from", Literal(info.source)))
            if info.citation:
                chain.append(("Citation", Literal(info.citation)))
            if info.license:
                chain.append(("Licence", URIRef(info.license)))
            if info.loaded:
                chain.append(("Loaded", Literal(info.loaded)))
            if info.content_hash:
                chain.append(("Content hash (SHA-256)", Literal(info.content_hash)))
    return chain


def document(graph: DiploGraph, iri: URIRef, *, max_incoming: int = 500) -> Graph:
    """The RDF data document of ``iri``: its outgoing triples (with the blank nodes they reach),
    the triples pointing at it (up to ``max_incoming``), and a label of each IRI mentioned."""
    g = Graph()
    g.bind("dg", DG)
    g.bind("id", ID)
    # outgoing triples, the blank nodes they reach, and the statements about its links
    out = graph.query(
        f"""CONSTRUCT {{ ?this ?p ?o . ?o ?p2 ?o2 . ?st ?sp ?so }} WHERE {{
  {{ ?this ?p ?o OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }}
  UNION {{ ?st <{RDF.subject}> ?this ; ?sp ?so }} }} LIMIT {MAX_OUT}""",
        bindings={"this": iri},
    )
    for t in out.triples:
        g.add(t)
    inc = graph.query(
        f"CONSTRUCT {{ ?s ?p ?this }} WHERE {{ ?s ?p ?this FILTER(isIRI(?s)) }} "
        f"LIMIT {int(max_incoming)}",
        bindings={"this": iri},
    )
    for t in inc.triples:
        g.add(t)
    mentioned = {x for t in g for x in (t[0], t[2]) if isinstance(x, URIRef) and x != iri}
    for other, (predicate, label) in label_literals(graph, mentioned).items():
        g.add((other, predicate, label))  # as the store holds it: its predicate, its language
    return g


# the lists of resources (class pages, facets) live in .lists; imported here last,
# since they use subclasses() above
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
