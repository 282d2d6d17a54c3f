"""Readable network views (graph/network/aggregate.py): groups of like leaf neighbours as one
node, and the node budget, on the seed data's neighbourhood of Russia and on built graphs."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from diplograph.graph.network import build_view
from diplograph.graph.network.aggregate import aggregate, edge_type, keep_best_connected
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph

RUSSIA = "https://w3id.org/diplograph/id/state/russia"


@pytest.fixture(scope="module")
def russia(seed_graph: DiploGraph) -> nx.MultiDiGraph:
    return build_view(seed_graph, "full", filters=Filters.of(actors=["state/russia"]))


def _groups(g: nx.MultiDiGraph, hub: str) -> Counter[tuple[str, str, str]]:
    """(direction, link type, class) of each neighbour of ``hub``, counted."""
    out: Counter[tuple[str, str, str]] = Counter()
    for u, v, d in g.edges(data=True):
        n, direction = (v, "out") if u == hub else (u, "in")
        out[(direction, edge_type(d), str(g.nodes[n].get("class", "other")))] += 1
    return out


def test_large_groups_become_one_node_with_their_count(russia):
    groups = _groups(russia, RUSSIA)
    limit = 5
    small = aggregate(russia, limit=limit)
    aggregates = {n: d for n, d in small.nodes(data=True) if d.get("aggregate")}
    expected = {k: n for k, n in groups.items() if n > limit}
    assert expected  # the seed data has groups this large (14 statements that target Russia)
    assert len(aggregates) == len(expected)
    for (_direction, link, cls), count in expected.items():
        node = next(d for d in aggregates.values() if d["class"] == cls and d["count"] == count)
        assert node["kind"] == "claim"
        assert len(node["sample"]) == 5
        edge = next(d for _, _, d in small.edges(data=True) if d.get("count") == count)
        assert edge["label"] == f"{link} ({count})"
    # nothing is lost: each aggregate stands for its members, the rest stay as they were
    members = sum(d["count"] for d in aggregates.values())
    assert small.number_of_nodes() - len(aggregates) + members == russia.number_of_nodes()
    assert small.number_of_edges() == russia.number_of_edges() - members + len(aggregates)
    assert RUSSIA in small


def test_labels_name_the_count_and_the_class(russia):
    small = aggregate(russia, limit=5)
    labels = sorted(d["label"] for _, d in small.nodes(data=True) if d.get("aggregate"))
    groups = _groups(russia, RUSSIA)
    big = sorted(n for (_, _, cls), n in groups.items() if n > 5 and cls == "OfficialStatement")
    assert labels == sorted(f"{n} official statements" for n in big)


def test_a_neighbour_with_other_links_is_never_folded_in():
    g = nx.MultiDiGraph()
    for i in range(10):
        g.add_node(f"m{i}", kind="organization", label=f"M{i}")
        g.add_edge("s", f"m{i}", relation="membership", start="2000", end="2001")
    g.add_edge("t", "m0", relation="membership", start="1990")  # m0 is shared with t
    small = aggregate(g, limit=3)
    assert "m0" in small and "m1" not in small
    node = next(d for _, d in small.nodes(data=True) if d.get("aggregate"))
    assert (node["label"], node["count"]) == ("9 organizations", 9)
    edge = next(d for _, _, d in small.edges(data=True) if d.get("count"))
    assert (edge["relation"], edge["start"], edge["end"]) == ("membership", "2000", "2001")


def test_an_open_interval_keeps_the_group_open():
    g = nx.MultiDiGraph()
    for i in range(5):
        g.add_edge("s", f"m{i}", relation="membership", start=f"{2000 + i}", end="2010")
    g.add_edge("s", "m9", relation="membership", start="1995")  # still a member
    edge = next(d for _, _, d in aggregate(g, limit=2).edges(data=True))
    assert edge["start"] == "1995" and "end" not in edge


def test_limit_zero_changes_nothing(russia):
    assert aggregate(russia, limit=0) is russia


def test_the_node_budget_keeps_the_focus_and_says_what_it_left_out(russia):
    kept = keep_best_connected(russia, 10, keep=[RUSSIA])
    assert kept.number_of_nodes() == 10
    assert RUSSIA in kept
    assert kept.graph["hidden_nodes"] == russia.number_of_nodes() - 10
    assert keep_best_connected(russia, 0) is russia
    assert keep_best_connected(russia, 1000) is russia
