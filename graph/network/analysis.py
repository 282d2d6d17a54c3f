"""Network analyses of the diplomatic graph with networkx, each over one view (graph/network/).

- :func:`centrality`: degree, betweenness, eigenvector and PageRank of the nodes of a view
  (the actors view by default);
- :func:`explain_path`: the shortest chain of triples between two resources in the full view,
  e.g. how Sergey Lavrov connects to NATO;
- :func:`balance`: cooperation/conflict between actors from signed claim edges (the sign of the
  summed Goldstein scores) and the structural balance of every signed triangle (Heider: a triad is
  balanced when the product of its three signs is positive);
- :func:`communities`: Louvain communities (seeded, so reproducible) or greedy modularity;
- :func:`contested`: pairs of claims where one contests or contradicts the other.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import networkx as nx
from rdflib import URIRef

from diplograph import iri as iris
from diplograph.errors import ExportError, NotFound
from diplograph.graph.load.progress import step
from diplograph.graph.network import build_view, fallback_label
from diplograph.graph.network.filters import Filters
from diplograph.graph.network.sparql import rows
from diplograph.graph.store import DiploGraph

DG = str(iris.ONTOLOGY)

#: Links an explanation path does not walk: they join everything to a few hubs (the article a
#: claim came from, its event-type code, a status concept) and explain nothing.
EXPLAIN_SKIP: frozenset[str] = frozenset(
    DG + p
    for p in (
        "source",
        "eventType",
        "ploverType",
        "datePrecision",
        "membershipStatus",
        "missionStatus",
        "roleType",
        "quadClass",
        "rivalryType",
        "obligation",
    )
) | {"http://www.w3.org/2004/02/skos/core#inScheme", "http://purl.org/dc/terms/source"}


# -- centrality ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Centrality:
    """The centralities of one node (networkx's normalised measures)."""

    iri: str
    label: str
    kind: str
    degree: float
    betweenness: float
    eigenvector: float
    pagerank: float


def pagerank(g: nx.DiGraph, *, alpha: float = 0.85, tol: float = 1e-10) -> dict[str, float]:
    """PageRank by power iteration (dangling nodes spread their rank evenly), without numpy."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    rank = dict.fromkeys(g, 1.0 / n)
    out = {u: g.out_degree(u) for u in g}
    for _ in range(1000):
        dangling = alpha * sum(rank[u] for u in g if out[u] == 0) / n
        new = dict.fromkeys(g, (1.0 - alpha) / n + dangling)
        for u, v in g.edges():
            new[v] += alpha * rank[u] / out[u]
        if sum(abs(new[u] - rank[u]) for u in g) < n * tol:
            return new
        rank = new
    return rank


#: Above this many nodes betweenness is estimated from :data:`BETWEENNESS_SAMPLE` sources.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLE = 500


def centrality(
    g: nx.MultiDiGraph, *, top: int | None = None, sample: int | None = None, seed: int = 42
) -> list[Centrality]:
    """Centralities of the nodes of a view, most between first (then by degree, label).

    Degree, betweenness and eigenvector are computed on the undirected simple graph (parallel
    links count once); PageRank on the directed one. Betweenness is exact up to
    :data:`EXACT_BETWEENNESS_LIMIT` nodes; above, or when ``sample`` is given, it is estimated
    from that many source nodes drawn with ``seed`` (Brandes and Pich), the same every run.
    """
    simple = nx.Graph(g)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    if sample is None and len(simple) > EXACT_BETWEENNESS_LIMIT:
        sample = BETWEENNESS_SAMPLE
    k = sample if sample is not None and sample < len(simple) else None
    between = nx.betweenness_centrality(simple, k=k, seed=seed if k else None)
    eigen: dict[str, float] = {}
    for part in nx.connected_components(simple):
        sub = simple.subgraph(part)
        if sub.number_of_edges() == 0:
            eigen.update(dict.fromkeys(part, 0.0))
            continue
        share = len(part) / max(len(simple), 1)  # weight each component by its size
        values = nx.eigenvector_centrality(sub, max_iter=5000, tol=1e-8)
        eigen.update({k: v * share for k, v in values.items()})
    pr = pagerank(nx.DiGraph(g))
    table = [
        Centrality(
            iri=n,
            label=str(d.get("label", fallback_label(n))),
            kind=str(d.get("kind", "other")),
            degree=round(degree[n], 6),
            betweenness=round(between[n], 6),
            eigenvector=round(eigen[n], 6),
            pagerank=round(pr[n], 6),
        )
        for n, d in g.nodes(data=True)
    ]
    table.sort(key=lambda c: (-c.betweenness, -c.degree, -c.pagerank, c.label))
    return table[:top] if top else table


# -- explanation paths -----------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One triple along a path, with labels: ``subject predicate object`` as stored."""

    subject: str
    predicate: str
    object: str
    subject_label: str
    predicate_label: str
    object_label: str
    graph: str

    def __str__(self) -> str:
        return f"{self.subject_label} --{self.predicate_label}--> {self.object_label}"


def explain_path(
    graph: DiploGraph,
    source: str,
    target: str,
    *,
    filters: Filters | None = None,
    skip: Iterable[str] = EXPLAIN_SKIP,
) -> list[Step]:
    """The shortest chain of triples linking ``source`` to ``target`` in the full view, links
    walked in either direction; each step is printed in its stored direction."""
    for x in (source, target):
        if not graph.query(
            "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": URIRef(x)}
        ).boolean:
            raise NotFound(f"There is no resource <{x}> in the graph.")
    full = build_view(graph, "full", filters=filters)
    step(f"the shortest chain among {full.number_of_edges()} links")
    skipped = set(skip)
    walk = nx.Graph()
    for u, v, d in full.edges(data=True):
        if d["predicate"] in skipped or walk.has_edge(u, v):
            continue
        walk.add_edge(u, v, triple=(u, v, d))
    if source not in walk or target not in walk:
        missing = source if source not in walk else target
        raise NotFound(f"<{missing}> has no links in the full view, so no path reaches it.")
    try:
        nodes = nx.shortest_path(walk, source, target)
    except nx.NetworkXNoPath as exc:
        raise NotFound(f"No chain of links joins <{source}> and <{target}>.") from exc
    steps: list[Step] = []
    for a, b in itertools.pairwise(nodes):
        s, o, d = walk.edges[a, b]["triple"]
        steps.append(
            Step(
                s,
                d["predicate"],
                o,
                full.nodes[s]["label"],
                d["label"],
                full.nodes[o]["label"],
                d["graph"],
            )
        )
    return steps


# -- cooperation and conflict ----------------------------------------------------------------
@dataclass(frozen=True)
class Pair:
    """Cooperation and conflict between two actors, from the claims between them (either way)."""

    a: str
    b: str
    a_label: str
    b_label: str
    claims: int
    cooperation: int  # claims with a positive Goldstein score
    conflict: int  # claims with a negative Goldstein score
    goldstein: float  # the sum of the scores
    sign: int  # +1 cooperative, -1 conflictual, 0 neither


@dataclass(frozen=True)
class Triad:
    """Three actors joined by signed relations; balanced when the product of the signs is +."""

    nodes: tuple[str, str, str]
    labels: tuple[str, str, str]
    signs: tuple[int, int, int]  # of the pairs (0,1), (0,2), (1,2)

    @property
    def balanced(self) -> bool:
        return self.signs[0] * self.signs[1] * self.signs[2] > 0


def balance(
    graph: DiploGraph,
    *,
    filters: Filters | None = None,
    by: Literal["state", "speaker"] = "state",
) -> tuple[list[Pair], list[Triad]]:
    """Signed relations between actors from the claims view, and the structural balance of every
    signed triangle. With ``by="state"`` a claim made on behalf of a state counts for that state
    (Lavrov speaking for Russia is Russia); ``by="speaker"`` keeps the speakers themselves.
    Claims without a Goldstein score are left out."""
    if by not in ("state", "speaker"):
        raise ExportError(f"Unknown grouping {by!r}; use 'state' or 'speaker'.")
    view = build_view(graph, "claims", filters=filters)
    sums: dict[tuple[str, str], list[float]] = {}
    for u, v, d in view.edges(data=True):
        if "goldstein" not in d:
            continue
        a = str(d.get("on_behalf_of", u)) if by == "state" else u
        if a == v:
            continue
        key = (a, v) if a < v else (v, a)
        sums.setdefault(key, []).append(float(d["goldstein"]))
    labels = _labels_of(graph, view, {n for key in sums for n in key})
    pairs: list[Pair] = []
    for (a, b), scores in sorted(sums.items()):
        total = round(sum(scores), 6)
        sign = (total > 0) - (total < 0)
        pairs.append(
            Pair(
                a,
                b,
                labels[a],
                labels[b],
                len(scores),
                sum(1 for s in scores if s > 0),
                sum(1 for s in scores if s < 0),
                total,
                sign,
            )
        )
    return pairs, triads(pairs)


def triads(pairs: Iterable[Pair]) -> list[Triad]:
    """Every triangle of actors whose three pairs all have a sign (+1 or -1)."""
    signed = nx.Graph()
    labels: dict[str, str] = {}
    for p in pairs:
        if p.sign:
            signed.add_edge(p.a, p.b, sign=p.sign)
            labels[p.a], labels[p.b] = p.a_label, p.b_label
    out: list[Triad] = []
    for x, y in signed.edges():
        for z in set(signed[x]) & set(signed[y]):
            a, b, c = sorted((x, y, z))
            if (a, b, c) in {t.nodes for t in out}:
                continue
            signs = (signed[a][b]["sign"], signed[a][c]["sign"], signed[b][c]["sign"])
            out.append(Triad((a, b, c), (labels[a], labels[b], labels[c]), signs))
    return sorted(out, key=lambda t: t.labels)


def _labels_of(graph: DiploGraph, view: nx.MultiDiGraph, nodes: set[str]) -> dict[str, str]:
    from diplograph.graph.network.sparql import labels

    missing = {n for n in nodes if n not in view}
    found = labels(graph, missing)
    return {
        n: str(view.nodes[n]["label"]) if n in view else found.get(n) or fallback_label(n)
        for n in nodes
    }


# -- communities -----------------------------------------------------------------------------
def communities(
    g: nx.MultiDiGraph,
    *,
    method: Literal["louvain", "greedy"] = "louvain",
    seed: int = 42,
) -> list[list[tuple[str, str]]]:
    """Communities of a view's undirected simple graph, largest first, each as sorted
    ``(iri, label)``; Louvain is seeded so the same graph gives the same communities."""
    simple = nx.Graph(g)
    if method == "louvain":
        found = nx.community.louvain_communities(simple, seed=seed)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(simple)
    else:
        raise ExportError(f"Unknown community method {method!r}; use 'louvain' or 'greedy'.")
    out = [
        sorted(((n, str(g.nodes[n].get("label", n))) for n in part), key=lambda x: (x[1], x[0]))
        for part in found
    ]
    return sorted(out, key=lambda c: (-len(c), c[0][1] if c else ""))


# -- contested claims ------------------------------------------------------------------------
@dataclass(frozen=True)
class Contest:
    """A claim that contests (or contradicts) another, with who said each and what."""

    relation: str  # "contests" or "contradicts"
    claim: str
    other: str
    claim_label: str
    other_label: str
    claim_speaker: str
    other_speaker: str
    claim_text: str
    other_text: str
    graph: str


_CONTESTS = """SELECT ?rel ?a ?b ?g ?al ?bl ?as ?bs ?at ?bt WHERE {
  VALUES (?p ?rel) { (dg:contests "contests") (dg:contradicts "contradicts") }
  GRAPH ?g { ?a ?p ?b }
  OPTIONAL { ?a rdfs:label ?al } OPTIONAL { ?b rdfs:label ?bl }
  OPTIONAL { ?a dg:speaker/rdfs:label ?as } OPTIONAL { ?b dg:speaker/rdfs:label ?bs }
  OPTIONAL { ?a dg:paraphrase ?at } OPTIONAL { ?b dg:paraphrase ?bt }
} ORDER BY ?a ?b"""


def contested(graph: DiploGraph, *, filters: Filters | None = None) -> list[Contest]:
    """Every pair of claims where one contests or contradicts the other. A contradiction (which
    is symmetric, and also a contest) is listed once. Graph filters keep the links stated in
    those graphs."""
    f = filters or Filters()
    found = rows(graph, _CONTESTS)
    # a contradiction is also a contest (dg:contradicts is a sub-property): say it once, as the
    # stronger relation, whichever way round it was stated
    contradictions = {frozenset((str(r["a"]), str(r["b"]))) for r in found
                      if str(r["rel"]) == "contradicts"}  # fmt: skip
    seen: set[tuple[str, frozenset[str]] | tuple[str, str, str]] = set()
    out: list[Contest] = []
    for r in found:
        a, b, rel, g = str(r["a"]), str(r["b"]), str(r["rel"]), str(r["g"])
        if rel == "contests" and frozenset((a, b)) in contradictions:
            continue
        key = (rel, frozenset((a, b))) if rel == "contradicts" else (rel, a, b)
        if key in seen or (f.graphs and g not in f.graphs):
            continue
        seen.add(key)
        out.append(
            Contest(
                rel,
                a,
                b,
                str(r.get("al", fallback_label(a))),
                str(r.get("bl", fallback_label(b))),
                str(r.get("as", "")),
                str(r.get("bs", "")),
                str(r.get("at", "")),
                str(r.get("bt", "")),
                g,
            )
        )
    return out


__all__ = [
    "BETWEENNESS_SAMPLE",
    "EXACT_BETWEENNESS_LIMIT",
    "EXPLAIN_SKIP",
    "Centrality",
    "Contest",
    "Pair",
    "Step",
    "Triad",
    "balance",
    "centrality",
    "communities",
    "contested",
    "explain_path",
    "pagerank",
    "triads",
]
