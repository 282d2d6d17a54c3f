"""What a resource's description is (:class:`Description`, its rows and named graphs), and
:func:`subclasses`, the ontology's class tree the kinds of resource are read from."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from diplograph.graph.describe.facts import FactSource
from diplograph.graph.describe.history import Spell
from diplograph.iri import ONTOLOGY

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
