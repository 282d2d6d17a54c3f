"""Pictures of network views are sized sensibly (issue 20): Graphviz draws at most 40 inches
(3840 px) a side, and a hub with a wide fan of neighbours (Ukraine's 2024 neighbourhood came out
25,053 x 275 px) is laid out in a disc instead of one endless row. Real Graphviz, real PNG and SVG
headers read back."""

from __future__ import annotations

import networkx as nx
import pytest

from diplograph.graph.network import build_view
from diplograph.graph.network.export import (
    MAX_ASPECT,
    PICTURE_DPI,
    PICTURE_INCHES,
    export,
    picture_size,
)
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph

MAX_PX = PICTURE_INCHES * PICTURE_DPI
MAX_PT = PICTURE_INCHES * 72


def star(leaves: int) -> nx.MultiDiGraph:
    """A state with ``leaves`` claims about it, each with a long label."""
    g = nx.MultiDiGraph(view="star")
    g.add_node("ua", label="Ukraine", kind="state")
    for i in range(leaves):
        g.add_node(f"c{i}", label=f"A claim about Ukraine, number {i}, by someone", kind="claim")
        g.add_edge(f"c{i}", "ua", label="about", relation="link")
    return g


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("leaves", [3, 40, 400])
def test_png_of_a_fan_is_capped_and_not_a_strip(leaves):
    w, h = png_size(export(star(leaves), "png"))
    assert 0 < w <= MAX_PX and 0 < h <= MAX_PX, (w, h)
    assert max(w, h) / min(w, h) <= MAX_ASPECT, (w, h)


def test_svg_of_a_fan_is_capped_and_not_a_strip():
    svg = export(star(200), "svg")
    w, h = picture_size(svg, "svg")
    assert 0 < w <= MAX_PT and 0 < h <= MAX_PT, (w, h)
    assert max(w, h) / min(w, h) <= MAX_ASPECT
    assert svg.decode().count('class="node"') == 201  # every node is still drawn


def test_a_long_chain_is_not_a_strip_either():
    g = nx.MultiDiGraph(view="chain")
    for i in range(60):
        g.add_edge(f"n{i}", f"n{i + 1}", label="next")
    for n in g.nodes:
        g.nodes[n].update(label=n, kind="event")
    w, h = png_size(export(g, "png"))
    assert w <= MAX_PX and h <= MAX_PX
    assert max(w, h) / min(w, h) <= MAX_ASPECT, (w, h)


def test_picture_of_a_real_neighbourhood(seed_graph: DiploGraph):
    view = build_view(seed_graph, "full", filters=Filters.of(actors=["state/russia"]))
    assert view.number_of_nodes() > 30
    w, h = png_size(export(view, "png"))
    assert w <= MAX_PX and h <= MAX_PX
    assert max(w, h) / min(w, h) <= MAX_ASPECT, (w, h)


def test_png_over_http_is_capped(make_app, seed_graph: DiploGraph):
    client = make_app(graph=seed_graph, workers=0).test_client()
    for query in ("actor=state/russia", "actor=state/ukraine&group=5", ""):
        r = client.get(f"/export/full.png?{query}")
        assert r.status_code == 200 and r.mimetype == "image/png"
        w, h = png_size(r.data)
        assert w <= MAX_PX and h <= MAX_PX, (query, w, h)
        assert max(w, h) / min(w, h) <= MAX_ASPECT, (query, w, h)
