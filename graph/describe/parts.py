"""The parts of a resource's description (:func:`~diplograph.graph.describe.describe`): each a
query and the reader of its result, gathered in a :class:`Batch` so that the queries that do
not depend on each other run together (:meth:`~diplograph.graph.store.DiploGraph.query_many`:
the server sends them to one query worker in one message).

The resource's IRI is bound as ``?this`` (a ``VALUES`` block), except where a union starts from
it: there it is written into each branch (:func:`~diplograph.graph.store.terms.to_oxigraph`
checks and writes it), since Oxigraph evaluates a union apart from a ``VALUES`` block before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from diplograph.graph.describe.labels import LABEL_PATTERN
from diplograph.graph.describe.model import (
    DG,
    MAX_IN_PER_PREDICATE,
    MAX_OUT,
    PROV_GENERATED,
    ClaimRow,
    Description,
    GraphInfo,
)
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.terms import to_oxigraph
from diplograph.iri import META_GRAPH, prologue

Reader = Callable[[QueryResult], Any]


class Batch:
    """Queries gathered with the reader of each result, then run together (:meth:`run`)."""

    def __init__(self) -> None:
        self._items: list[tuple[str, Mapping[str, Node] | None, Reader]] = []

    def add(self, sparql: str, bindings: Mapping[str, Node] | None, read: Reader) -> None:
        self._items.append((sparql, bindings, read))

    def run(self, graph: DiploGraph) -> None:
        """Run the queries gathered (one round), each result handed to its reader in order."""
        items, self._items = self._items, []
        if items:
            results = graph.query_many([(sparql, bindings) for sparql, bindings, _ in items])
            for (_, _, read), result in zip(items, results, strict=True):
                read(result)


def _nt(iri: Node | str) -> str:
    """An IRI written into a query's text, checked (N-Triples form: ``<…>``)."""
    return str(to_oxigraph(URIRef(str(iri))))


# -- outgoing and incoming -------------------------------------------------------------------

OUTGOING = (
    f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ ?this ?p ?o }} }} ORDER BY ?p ?o LIMIT {MAX_OUT + 1}"
)
INCOMING_COUNTS = (
    "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?this FILTER(isIRI(?s)) } "
    "GROUP BY ?p ORDER BY DESC(?n) ?p"
)


def read_outgoing(d: Description, result: QueryResult) -> None:
    """Every outgoing triple of ``d`` once (the same triple in two graphs: the first graph), its
    types and ``owl:sameAs`` links."""
    rows = result.rows
    d.truncated = len(rows) > MAX_OUT
    seen: set[tuple[Node, Node]] = set()
    for p, o, g in rows[:MAX_OUT]:
        if (p, o) in seen:
            continue
        seen.add((p, o))  # type: ignore[arg-type]
        d.outgoing.append((p, o, g))  # type: ignore[arg-type]
    d.types = [o for p, o, _ in d.outgoing if p == RDF.type and isinstance(o, URIRef)]
    d.same_as = [o for p, o, _ in d.outgoing if p == OWL.sameAs and isinstance(o, URIRef)]


def first_subjects(iri: URIRef, predicates: Iterable[Node]) -> str:
    """The query of the first few subjects linking to ``iri`` by each predicate (one sub-select
    per predicate, in order of the subject's IRI), each with its labels (:data:`LABEL_PATTERN`)."""
    this = _nt(iri)
    branches = [
        f"{{ SELECT DISTINCT ?s ({_nt(p)} AS ?p) WHERE {{ ?s {_nt(p)} {this} FILTER(isIRI(?s)) }}"
        f" ORDER BY ?s LIMIT {MAX_IN_PER_PREDICATE} }}"
        for p in predicates
    ]
    labels = LABEL_PATTERN.replace("?x", "?s")
    return (
        prologue("rdfs", "skos")
        + "SELECT ?p ?s ?label ?lang ?pref WHERE {\n  "
        + "\n  UNION ".join(branches)
        + f"\n  OPTIONAL {{ {labels} }}\n}} ORDER BY ?p ?s"
    )


def read_incoming(d: Description, counts: QueryResult, first: QueryResult | None) -> QueryResult:
    """The links to ``d``: per predicate (most subjects first), how many and the first few.
    Returns the labels of those subjects, as :func:`~.labels.read_labels` reads them."""
    subjects: dict[Node, list[URIRef]] = {}
    labels: list[tuple[Node | None, ...]] = []
    for p, s, label, lang, pref in first.rows if first is not None else []:
        if isinstance(s, URIRef):
            listed = subjects.setdefault(p, [])  # type: ignore[arg-type]
            if not listed or listed[-1] != s:  # one row per label
                listed.append(s)
            if label is not None:
                labels.append((s, label, lang, pref))
    for p, n in counts.rows:
        d.incoming.append((p, int(n), subjects.get(p, [])))  # type: ignore[arg-type, call-overload]
    return QueryResult("SELECT", ["x", "label", "lang", "pref"], labels)


SAME_AS_SOURCES = f"""SELECT DISTINCT ?t ?src WHERE {{ ?st <{RDF.subject}> ?this ;
  <{RDF.predicate}> <{OWL.sameAs}> ; <{RDF.object}> ?t ; <{DCTERMS.source}> ?src }}
ORDER BY ?t ?src"""


def read_same_as_sources(d: Description, result: QueryResult) -> None:
    """The sources of each owl:sameAs link of ``d`` (the reified statements that cite them)."""
    for t, src in result.rows:
        if isinstance(t, URIRef) and isinstance(src, URIRef):
            d.same_as_sources.setdefault(t, []).append(src)


# -- claims, agreements, provenance ------------------------------------------------------------


def claims_query(where: str, limit: int = 200) -> str:
    """The claims matching ``where`` (a pattern on ``?c`` and ``?this``), with their label,
    date, source and named graph."""
    return (
        prologue("dg")
        + f"""SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?date) (SAMPLE(?src) AS ?source)
       (SAMPLE(?g) AS ?graph)
WHERE {{ GRAPH ?g {{ {where} }}
  OPTIONAL {{ ?c <{RDFS.label}> ?l }} OPTIONAL {{ ?c dg:date ?d }}
  OPTIONAL {{ ?c dg:source ?src }} }}
GROUP BY ?c ORDER BY ?c LIMIT {int(limit)}"""
    )


def read_claims(result: QueryResult) -> list[ClaimRow]:
    out = []
    for c, label, date, src, g in result.rows:
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


AGREEMENT_STATES = (
    prologue("dg")
    + """SELECT DISTINCT ?state WHERE {
  { ?this dg:party|dg:signatory ?state }
  UNION { ?p dg:ofAgreement ?this ; dg:participant|dg:ofState ?state } } ORDER BY ?state"""
)


def read_agreement(d: Description, states: QueryResult) -> None:
    """Date, place, organisation, principles and participating states of an agreement."""
    d.agreement = {
        "Signed": d.values(DG.signatureDate),
        "Adopted": d.values(DG.adoptionDate),
        "Place": d.values(DG.atPlace),
        "Adopted at": d.values(DG.adoptedAt),
        "Organisation": d.values(DG.adoptedBy),
        "Principles": d.values(DG.containsPrinciple),
        "Participating states": [s for (s,) in states.rows if s is not None],
    }


SOURCE_DOCUMENTS = (
    prologue("dg")
    + f"""SELECT DISTINCT ?src ?p ?o WHERE {{ ?this dg:source ?src . ?src ?p ?o
  VALUES ?p {{ <{RDFS.label}> <{DCTERMS.identifier}> <http://schema.org/datePublished>
             <https://schema.org/datePublished> <https://schema.org/url>
             <https://schema.org/publisher> }} }}"""
)
_SOURCE_STEPS = {str(DCTERMS.identifier): "Source identifier", str(RDFS.label): "Source title"}


def source_steps(d: Description, result: QueryResult) -> list[tuple[str, Node]]:
    """The source documents of a claim in its provenance chain (each with its identifier,
    title, date, URL and publisher), from the result of :data:`SOURCE_DOCUMENTS` (asked in the
    first round, before the kind of ``d`` is known)."""
    about: dict[Node, list[tuple[str, Node]]] = {}
    for src, p, o in result.rows:
        step = _SOURCE_STEPS.get(str(p), str(p).rsplit("/", 1)[-1])
        about.setdefault(src, []).append((step, o))  # type: ignore[arg-type]
    chain: list[tuple[str, Node]] = []
    for src in d.values(DG.source):
        chain += [("Source document", src), *about.get(src, [])]
    return chain


def graph_steps(d: Description) -> list[tuple[str, Node]]:
    """The named graphs of a claim's triples in its provenance chain: each with its file,
    citation, licence, load time and content hash (from ``d.graphs``)."""
    chain: list[tuple[str, Node]] = []
    infos = {info.iri: info for info in d.graphs}
    for g in sorted({g for _, _, g in d.outgoing}, key=str):
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


# -- named graphs ----------------------------------------------------------------------------

_GRAPH_FIELDS = (
    DCTERMS.title,
    DCTERMS.bibliographicCitation,
    DCTERMS.license,
    DCTERMS.source,
    PROV_GENERATED,
    DG.contentHash,
)


def graph_info_query(wanted: Iterable[URIRef]) -> str:
    """The query of the metadata graph's description of the named graphs ``wanted``."""
    values = " ".join(_nt(g) for g in wanted)
    fields = " ".join(f"<{p}>" for p in _GRAPH_FIELDS)
    return f"""SELECT ?g ?p ?o WHERE {{ VALUES ?g {{ {values} }}
  GRAPH <{META_GRAPH}> {{ ?g ?p ?o }}
  VALUES ?p {{ {fields} }} }}"""


def licences_pattern(wanted: Iterable[URIRef]) -> str:
    """A pattern binding ``?x`` to the licence of each named graph ``wanted`` (for its label)."""
    values = " ".join(_nt(g) for g in wanted)
    return f"VALUES ?g {{ {values} }} GRAPH <{META_GRAPH}> {{ ?g <{DCTERMS.license}> ?x }}"


def read_graph_info(wanted: list[URIRef], result: QueryResult) -> list[GraphInfo]:
    """Title, citation, licence and source of each named graph ``wanted``, in order."""
    found: dict[URIRef, dict[URIRef, str]] = {g: {} for g in wanted}
    for g, p, o in result.rows:
        found[g][p] = str(o)  # type: ignore[index]
    return [GraphInfo(g, *(d.get(p) for p in _GRAPH_FIELDS)) for g, d in found.items()]
