"""Views of the diplomatic graph as networkx graphs: the projections that analyses and exports use.

A view is a :class:`networkx.MultiDiGraph` built with SPARQL through the store (Oxigraph's engine
does the joins). Nodes are keyed by IRI and carry ``label`` (their ``rdfs:label``), ``iri``,
``kind`` (person, state, organization, agreement, principle, claim, event, place, ...) and
``class`` (the most specific ``dg:`` class). Edges carry ``relation`` (what kind of link),
``label``, ``graph`` (the named graph the link was read from), time as ``start``/``end`` (an
interval) or ``date`` (a point), and ``iri`` when the link is itself a resource (a tenure, a
membership, a claim). See ``docs/network.md`` for each view and the filters.

The package's other modules: :mod:`.sparql` (the SPARQL behind each view), :mod:`.filters`,
:mod:`.analysis` (networkx analyses of a view), :mod:`.export` (a view in GraphML, GEXF,
Cytoscape.js, DOT...) and :mod:`.neighbourhood` (one resource's links drawn as SVG).

>>> from diplograph.graph.store import open_graph
>>> g = build_view(open_graph("memory:"), "actors")
>>> g.number_of_nodes()
0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import networkx as nx
from rdflib import URIRef

from diplograph import iri as iris
from diplograph.errors import ExportError, NotFound
from diplograph.graph.load.progress import step
from diplograph.graph.network import sparql as views
from diplograph.graph.network.filters import Filters, apply_filters
from diplograph.graph.network.sparql import event_code, rows, values
from diplograph.graph.store import DiploGraph

View = Literal["actors", "claims", "agreements", "full"]

#: Each view and what it holds (the CLI's --help, the server's index and the docs show these).
VIEWS: dict[str, str] = {
    "actors": "States, officials and organisations; edges for posts held, memberships, alliances "
    "(states in the same alliance), diplomatic missions, rivalries and government "
    "bodies, each with its type and time interval.",
    "claims": "Speaker to target, one edge per claim and target, with the claim's event type, "
    "CAMEO quad class, Goldstein weight, date and source.",
    "agreements": "Agreements, the organisations that adopted them, the principles they contain, "
    "the states that take part and the claims that invoke them (with speakers).",
    "full": "Every resource and every link between two resources in the data graphs (ontology, "
    "code lists and metadata left out unless named with a graph filter); rdf:type "
    "becomes the node's kind.",
}

DG = str(iris.ONTOLOGY)

# The most specific dg: classes first; each maps to a coarse kind.
_KINDS: tuple[tuple[str, str], ...] = (
    ("Official", "person"),
    ("Person", "person"),
    ("State", "state"),
    ("InternationalOrganization", "organization"),
    ("GovernmentBody", "organization"),
    ("ResearchOrganization", "organization"),
    ("NewsOrganization", "organization"),
    ("ArmedGroup", "organization"),
    ("Organization", "organization"),
    ("Actor", "actor"),
    ("Alliance", "agreement"),
    ("Treaty", "agreement"),
    ("Charter", "agreement"),
    ("Declaration", "agreement"),
    ("PoliticalCommitment", "agreement"),
    ("Agreement", "agreement"),
    ("Principle", "principle"),
    ("OfficialStatement", "claim"),
    ("AnalystAssessment", "claim"),
    ("EditorialStatement", "claim"),
    ("Claim", "claim"),
    ("Summit", "event"),
    ("Roundtable", "event"),
    ("Meeting", "event"),
    ("ArmedConflict", "event"),
    ("Event", "event"),
    ("Place", "place"),
    ("NewsArticle", "article"),
    ("Precondition", "proposal"),
    ("Demand", "proposal"),
    ("Offer", "proposal"),
    ("Proposal", "proposal"),
    ("Post", "post"),
    ("Tenure", "relation"),
    ("Membership", "relation"),
    ("Participation", "relation"),
    ("DiplomaticMission", "relation"),
    ("Rivalry", "relation"),
    ("SystemMembership", "relation"),
    ("MajorPowerStatus", "relation"),
    ("CapitalSpell", "relation"),
)
_TYPES = """SELECT ?x ?t WHERE { ?x rdf:type ?t }"""
_KIND_RANK = {DG + name: (rank, name, kind) for rank, (name, kind) in enumerate(_KINDS)}
_SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"


def _kinds(graph: DiploGraph, nodes: set[str]) -> dict[str, tuple[str, str]]:
    """(class, kind) of each node from its most specific dg: type."""
    if not nodes:
        return {}
    if len(nodes) <= 2000:
        found = rows(graph, f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {values(nodes)} }} ?x a ?t }}")
    else:
        found = [r for r in rows(graph, _TYPES) if str(r["x"]) in nodes]
    best: dict[str, tuple[int, str, str]] = {}
    for r in found:
        t = str(r["t"])
        cand = _KIND_RANK.get(t) or (
            (len(_KINDS), "Concept", "concept") if t == _SKOS_CONCEPT else None
        )
        x = str(r["x"])
        if cand is not None and (x not in best or cand < best[x]):
            best[x] = cand
    return {x: (name, kind) for x, (_, name, kind) in best.items()}


def fallback_label(iri: str) -> str:
    """A readable stand-in for a resource without a label: its short form, as the CLI and the
    pages show it (:func:`diplograph.iri.shorten`: ``id:claim/article-001/3``)."""
    return iris.shorten(iri)


def _describe(graph: DiploGraph, g: nx.MultiDiGraph) -> None:
    nodes = {str(n) for n in g.nodes}
    labels, kinds = views.labels(graph, nodes), _kinds(graph, nodes)
    for n in g.nodes:
        cls, kind = kinds.get(n, ("", "other"))
        g.nodes[n].update(label=labels.get(n) or fallback_label(n), iri=n, kind=kind)
        if cls:
            g.nodes[n]["class"] = cls


# -- entry point -----------------------------------------------------------------------------
def resolve(text: str) -> str:
    """The IRI a person typed (:func:`diplograph.iri.expand_iri`: a full IRI, a CURIE such as
    ``id:person/sergey-lavrov`` or a short path ``person/sergey-lavrov``); NotFound if none."""
    iri = iris.expand_iri(text)
    if iri is None:
        raise NotFound(
            f"There is no resource {text.strip()!r}: give an IRI, a CURIE (id:state/russia, "
            "dg:Claim) or a path such as state/russia."
        )
    return str(iri)


def build_view(
    graph: DiploGraph,
    view: str,
    *,
    filters: Filters | None = None,
) -> nx.MultiDiGraph:
    """Project ``graph`` into the network ``view`` (see :data:`VIEWS`), filtered.

    Raises :class:`~diplograph.errors.ExportError` for an unknown view or a filter that does not
    apply to it, :class:`~diplograph.errors.NotFound` for a focus resource not in the graph.
    """
    if view not in VIEWS:
        raise ExportError(f"Unknown network view {view!r}; choose one of: {', '.join(VIEWS)}.")
    filters = filters or Filters()
    if filters.event_types and view == "actors":
        raise ExportError(
            "The actors view has no claims, so an event-type filter cannot apply; "
            "use the claims, agreements or full view."
        )
    if filters.graphs:
        known = {str(n) for n in graph.named_graphs()}
        for name in filters.graphs:
            if name not in known:
                raise NotFound(f"There is no named graph <{name}> in the store.")
    for actor in filters.actors:
        if not graph.query(
            "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": URIRef(actor)}
        ).boolean:
            raise NotFound(f"There is no resource <{actor}> in the graph.")
    step(f"{view} view: reading the links")
    g = nx.MultiDiGraph(view=view)
    for i, (u, v, attrs) in enumerate(_links(graph, view, filters)):
        g.add_edge(u, v, key=f"e{i}", **attrs)
    step(f"{view} view: labels and kinds of {g.number_of_nodes()} nodes")
    _describe(graph, g)
    if view == "full":
        step(f"{view} view: dates of {g.number_of_nodes()} resources")
        _time_full(graph, g)
    step(f"{view} view: filtering {g.number_of_nodes()} nodes, {g.number_of_edges()} links")
    g = apply_filters(g, filters)
    g.graph.update(view=view, description=VIEWS[view])
    return g


def _links(
    graph: DiploGraph, view: str, filters: Filters
) -> list[tuple[str, str, dict[str, object]]]:
    """The links of ``view``, in a stable order (so that edge keys are the same every run)."""
    b = views.Builder(graph)
    if view == "actors":
        views.actors(b)
    elif view == "claims":
        views.claims(b)
    elif view == "agreements":
        views.agreements(b)
    else:
        views.full(b, filters)
    b.edges.sort(
        key=lambda e: (
            e[0],
            e[1],
            str(e[2].get("relation")),
            str(e[2].get("iri", "")),
            str(e[2].get("label", "")),
        )
    )
    return b.edges


_NODE_TIME = """SELECT ?x ?date ?start ?end ?type ?code WHERE {
  VALUES ?x { %s }
  OPTIONAL { ?x dg:date ?date } OPTIONAL { ?x dg:startDate ?start }
  OPTIONAL { ?x dg:endDate ?end }
  OPTIONAL { ?x dg:eventType ?type OPTIONAL { ?type skos:notation ?code } } }"""


def _time_full(graph: DiploGraph, g: nx.MultiDiGraph) -> None:
    """Give the full view's resources their own date/interval and event code, for the filters."""
    nodes = [n for n, d in g.nodes(data=True) if d.get("kind") in ("claim", "relation", "event")]
    for chunk in _chunks(sorted(nodes), 1000):
        for r in rows(graph, _NODE_TIME % values(chunk)):
            attrs = g.nodes[str(r["x"])]
            for key in ("date", "start", "end"):
                if key in r:
                    attrs.setdefault(key, str(r[key]))
            t, c = r.get("type"), r.get("code")
            code = event_code(str(t) if t else None, str(c) if c else None)
            if code:
                attrs.setdefault("event_code", code)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


__all__ = ["VIEWS", "Filters", "View", "build_view", "event_code", "fallback_label", "resolve"]
