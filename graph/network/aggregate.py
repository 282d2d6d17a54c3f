"""A network view made readable: large groups of like neighbours as one node, and a node budget.

A hub with hundreds of neighbours of one kind (a state's 212 memberships, a minister's 300
claims) draws as an unreadable fan. :func:`aggregate` replaces every such group, neighbours of
one hub linked to it in the same direction by the same type of link and of the same class, that
have no other link, by one node labelled with the count (``212 memberships``), once the group
holds more than ``limit`` members. The aggregate keeps what a reader needs: ``kind`` and
``class`` of its members, ``count``, a few member labels (``sample``), and the time its members
and their links span (``start``/``end``, open when one of them is open), on the node and on its
edge, so date filters and the explorer's time slider still place it.
:func:`keep_best_connected` then bounds the whole view: beyond ``max_nodes`` only the
best-connected nodes stay (the focus always does), and the view says how many were left out.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("s", label="S", kind="state", iri="s")
>>> for i in range(30):
...     g.add_node(f"m{i}", label=f"M{i}", kind="relation", iri=f"m{i}", **{"class": "Membership"})
...     _ = g.add_edge("s", f"m{i}", relation="link", label="member of", start=f"{1990 + i}",
...                    end=f"{2000 + i}")
>>> small = aggregate(g, limit=20)
>>> sorted(d["label"] for _, d in small.nodes(data=True))
['30 memberships', 'S']
>>> [(d["label"], d["start"], d["end"]) for _, _, d in small.edges(data=True)]
[('member of (30)', '1990', '2029')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from diplograph.graph.network.filters import bounds

#: Groups of like neighbours larger than this become one node (the explorer's default).
GROUP_LIMIT = 20
#: The explorer draws at most this many nodes by default.
MAX_NODES = 400
#: Member labels an aggregate node keeps, to show what it holds.
SAMPLE = 5


def edge_type(d: dict[str, Any]) -> str:
    """What kind of link an edge is: its relation (``membership``, ``claim``...), or for the
    full view's generic links, the property's label (``on behalf of``); an aggregate's edge
    keeps the type of the links it stands for."""
    if d.get("type"):
        return str(d["type"])
    relation = str(d.get("relation") or "link")
    return str(d.get("label") or relation) if relation == "link" else relation


def plural(name: str) -> str:
    """``Membership`` → ``memberships``, ``OfficialStatement`` → ``official statements``.

    >>> plural("Treaty"), plural("MajorPowerStatus"), plural("claim")
    ('treaties', 'major power statuses', 'claims')
    """
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    if re.search(r"[^aeiou]y$", words):
        return words[:-1] + "ies"
    if words.endswith(("s", "x", "ch", "sh")):
        return words + "es"
    return words + "s"


def _span(edges: Iterable[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The time edges' dates and intervals cover together: the earliest start and the latest
    end, either open (None) when an edge's bound is unknown or no edge has a time."""
    starts: list[tuple[Any, str]] = []
    ends: list[tuple[Any, str]] = []
    open_start = open_end = False
    for d in edges:
        lo, hi = d.get("start", d.get("date")), d.get("end", d.get("date"))
        b_lo, b_hi = bounds(str(lo)) if lo else None, bounds(str(hi)) if hi else None
        if not (b_lo or b_hi):
            continue
        if b_lo:
            starts.append((b_lo[0], str(lo)))
        open_start = open_start or not b_lo
        if b_hi:
            ends.append((b_hi[1], str(hi)))
        open_end = open_end or not b_hi
    start = None if open_start or not starts else min(starts)[1]
    end = None if open_end or not ends else max(ends)[1]
    return start, end


def _groups(g: nx.MultiDiGraph, hub: str, taken: set[str]) -> dict[tuple[str, ...], list[str]]:
    """The hub's leaf neighbours (linked to nothing else) by direction, link type and class."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for n in set(g.successors(hub)) | set(g.predecessors(hub)):
        if n == hub or n in taken or set(nx.all_neighbors(g, n)) != {hub}:
            continue
        out = g.get_edge_data(hub, n) or {}
        inc = g.get_edge_data(n, hub) or {}
        if bool(out) == bool(inc):
            continue  # linked both ways: left as it is
        types = {edge_type(d) for d in (out or inc).values()}
        if len(types) != 1:
            continue
        d = g.nodes[n]
        what = str(d.get("class") or d.get("kind") or "resource")
        groups[("out" if out else "in", types.pop(), what)].append(n)
    return groups


def _collapse(g: nx.MultiDiGraph, hub: str, key: tuple[str, ...], members: list[str]) -> None:
    direction, kind_of_link, what = key
    links = [
        d for m in members for d in (g.get_edge_data(hub, m) or g.get_edge_data(m, hub)).values()
    ]
    first = g.nodes[members[0]]
    node = f"group:{hub} {direction} {kind_of_link} {what}"
    start, end = _span([*links, *(g.nodes[m] for m in members)])
    noun = "resources" if what in ("other", "resource") else plural(what)
    labels = sorted(str(g.nodes[m].get("label", m)) for m in members)
    attrs: dict[str, Any] = {
        "label": f"{len(members)} {noun}",
        "kind": first.get("kind", "other"),
        "aggregate": True,
        "count": len(members),
        "sample": labels[:SAMPLE],
    }
    if first.get("class"):
        attrs["class"] = first["class"]
    for k, v in (("start", start), ("end", end)):
        if v:
            attrs[k] = v
    edge: dict[str, Any] = {
        "relation": links[0].get("relation", "link"),
        "label": f"{edge_type(links[0])} ({len(members)})",
        "type": edge_type(links[0]),
        "count": len(members),
    }
    for k, v in (("start", start), ("end", end)):
        if v:
            edge[k] = v
    g.remove_nodes_from(members)
    g.add_node(node, **attrs)
    u, v = (hub, node) if direction == "out" else (node, hub)
    g.add_edge(u, v, key=f"{node} edge", **edge)


def aggregate(g: nx.MultiDiGraph, *, limit: int = GROUP_LIMIT) -> nx.MultiDiGraph:
    """A copy of ``g`` with every group of more than ``limit`` like leaf neighbours of a node
    as one node (see the module docstring). ``limit`` 0 leaves ``g`` as it is."""
    if limit <= 0:
        return g
    out = g.copy()
    taken: set[str] = set()
    for hub in sorted(g.nodes, key=lambda n: (-g.degree(n), n)):
        if hub not in out:
            continue
        for key, members in sorted(_groups(out, hub, taken).items()):
            if len(members) > limit:
                _collapse(out, hub, key, sorted(members))
        taken.add(hub)
    return out


def keep_best_connected(
    g: nx.MultiDiGraph, max_nodes: int = MAX_NODES, *, keep: Iterable[str] = ()
) -> nx.MultiDiGraph:
    """``g`` if it has at most ``max_nodes`` nodes, else the ``max_nodes`` best-connected ones
    (those in ``keep`` first) with the edges between them; ``hidden_nodes`` in the graph's
    attributes says how many were left out. ``max_nodes`` 0 means no bound."""
    if max_nodes <= 0 or g.number_of_nodes() <= max_nodes:
        return g
    pinned = [n for n in keep if n in g]
    ranked = sorted(g.nodes, key=lambda n: (-int(g.nodes[n].get("count", 1)) * g.degree(n), n))
    chosen = list(dict.fromkeys([*pinned, *ranked]))[:max_nodes]
    # nodes and edges in g's order (a subgraph view would list them in the order of a set,
    # which changes with the interpreter's hash seed: exports would differ run to run)
    kept = set(chosen)
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in kept)
    out.add_edges_from(
        (u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in kept and v in kept
    )
    out.graph.update(g.graph, hidden_nodes=g.number_of_nodes() - len(chosen))
    return out


__all__ = ["GROUP_LIMIT", "MAX_NODES", "aggregate", "edge_type", "keep_best_connected", "plural"]
