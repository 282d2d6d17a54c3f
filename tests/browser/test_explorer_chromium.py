"""The network explorer (/graph) as a reader meets it (issue 20), in headless Chromium behind the
strict CSP, on the seed data (``ui_server``): Russia's neighbourhood laid out with no two nodes
overlapping (boxes read from Cytoscape.js), a legend listing each kind and link type present,
filters by kind and link type, the time slider, node size by degree, and large groups drawn as
one node. Expected values come from the library's own view of the same data (``seed_graph``).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from diplograph.graph.network import build_view
from diplograph.graph.network.aggregate import aggregate, edge_type
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph

pytestmark = pytest.mark.slow

RUSSIA = "https://w3id.org/diplograph/id/state/russia"

#: The boxes of the visible nodes (without labels), as Cytoscape.js has them after the layout.
BOXES = """
return window.diplographGraph.nodes().filter(n => n.visible()).map(n => {
  const b = n.boundingBox({includeLabels: false, includeOverlays: false});
  return [n.id(), b.x1, b.y1, b.x2, b.y2];
});
"""


@pytest.fixture(scope="module")
def russia(seed_graph: DiploGraph) -> nx.MultiDiGraph:
    return build_view(seed_graph, "full", filters=Filters.of(actors=["state/russia"]))


def _ready(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.ID, "graph").get_attribute("data-ready") in ("true", "error")
    )
    assert browser.find_element(By.ID, "graph").get_attribute("data-ready") == "true"


def _overlaps(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    found = []
    for i, (a, ax1, ay1, ax2, ay2) in enumerate(boxes):
        for b, bx1, by1, bx2, by2 in boxes[i + 1 :]:
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                found.append((a, b))
    return found


def _legend(browser: Any, which: str) -> dict[str, int]:
    items = browser.find_elements(By.CSS_SELECTOR, f"#legend-{which}s li")
    return {
        li.get_attribute(f"data-{which}"): int(li.find_element(By.CLASS_NAME, "legend-count").text)
        for li in items
    }


def _shown(browser: Any) -> set[str]:
    return set(
        browser.execute_script(
            "return window.diplographGraph.nodes().filter(n => n.visible()).map(n => n.id())"
        )
    )


def _visible(browser: Any, expected: set[str] | None = None) -> set[str]:
    """The visible nodes, once they are ``expected`` (Cytoscape.js applies a change of style
    in its next frame) or after a generous deadline."""
    if expected is not None:
        # on a timeout, the assertion that follows shows the difference
        with contextlib.suppress(TimeoutException):
            WebDriverWait(browser, 20).until(lambda d: _shown(d) == expected)
    return _shown(browser)


def test_russia_neighbourhood_has_no_two_nodes_overlapping(browser, ui_server, russia, artifacts):
    _ready(browser, f"{ui_server}/graph?focus=state/russia")
    assert int(browser.find_element(By.ID, "graph").get_attribute("data-nodes")) == len(russia)
    boxes = browser.execute_script(BOXES)
    assert len(boxes) == russia.number_of_nodes() > 30
    assert _overlaps(boxes) == []
    browser.save_screenshot(str(artifacts / "explorer-russia.png"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_the_legend_shows_each_kind_and_link_type_present(browser, ui_server, russia):
    _ready(browser, f"{ui_server}/graph?focus=state/russia")
    kinds = Counter(d["kind"] for _, d in russia.nodes(data=True))
    types = Counter(edge_type(d) for _, _, d in russia.edges(data=True))
    assert len(kinds) > 3 and len(types) > 3
    assert _legend(browser, "kind") == dict(kinds)
    assert _legend(browser, "type") == dict(types)
    # each kind's swatch has the colour its nodes are drawn in
    colour = browser.execute_script(
        "return document.querySelector('#legend-kinds li[data-kind=state] circle')"
        ".getAttribute('fill')"
    )
    drawn = browser.execute_script(
        "return window.diplographGraph.getElementById(arguments[0]).style('background-color')",
        RUSSIA,
    )
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert drawn.replace(" ", "") == "rgb({},{},{})".format(*rgb)


def _toggle(browser: Any, selector: str) -> bool:
    """Click a legend checkbox (as a click on it does: toggle, then "change"); its new state."""
    return bool(
        browser.execute_script(
            "const box = document.querySelector(arguments[0]); box.click(); return box.checked",
            selector,
        )
    )


def test_filters_by_kind_and_by_link_type(browser, ui_server, russia):
    _ready(browser, f"{ui_server}/graph?focus=state/russia")
    claims = {n for n, d in russia.nodes(data=True) if d["kind"] == "claim"}
    assert _toggle(browser, "#legend-kinds li[data-kind=claim] input") is False
    assert _visible(browser, set(russia.nodes) - claims) == set(russia.nodes) - claims
    assert _toggle(browser, "#legend-kinds li[data-kind=claim] input") is True
    assert _visible(browser, set(russia.nodes)) == set(russia.nodes)
    linked: dict[str, set[str]] = {}
    for u, v, d in russia.edges(data=True):
        for n in (u, v):
            linked.setdefault(n, set()).add(edge_type(d))
    only_target = {n for n, types in linked.items() if types == {"target"}}
    assert only_target
    assert _toggle(browser, "#legend-types li[data-type=target] input") is False
    # the claims linked to Russia only as its target are left without a link, so hidden
    assert _visible(browser, set(russia.nodes) - only_target) == set(russia.nodes) - only_target
    assert _overlaps(browser.execute_script(BOXES)) == []


def _year_span(d: dict[str, Any]) -> tuple[int | None, int | None] | None:
    lo, hi = d.get("start", d.get("date")), d.get("end", d.get("date"))
    if not lo and not hi:
        return None
    return (int(str(lo)[:4]) if lo else None), (int(str(hi)[:4]) if hi else None)


def test_time_slider_hides_what_lies_outside_the_years(browser, ui_server, russia):
    _ready(browser, f"{ui_server}/graph?focus=state/russia")
    spans = {n: _year_span(d) for n, d in russia.nodes(data=True)}
    years = sorted({y for s in spans.values() if s for y in s if y is not None})
    assert len(years) > 1
    low, high = years[0], years[-1]
    slider = browser.find_element(By.ID, "time-from")
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == (str(low), str(high))
    browser.execute_script(
        "const s = document.getElementById('time-from'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('input'));",
        str(high),
    )
    assert browser.find_element(By.ID, "time-label").text == f"{high} – {high}"
    kept = {n for n, s in spans.items() if s is None or s[1] is None or s[1] >= high}
    assert _visible(browser, kept) == kept != set(russia.nodes)


def test_node_size_follows_degree(browser, ui_server, russia):
    _ready(browser, f"{ui_server}/graph?focus=state/russia")
    leaf = next(n for n in russia if russia.degree(n) == 1)
    sizes = browser.execute_script(
        "const cy = window.diplographGraph;"
        "return [cy.getElementById(arguments[0]).width(), cy.getElementById(arguments[1]).width()]",
        RUSSIA,
        leaf,
    )
    assert sizes[0] > sizes[1]


def test_large_groups_are_one_node(browser, ui_server, russia, artifacts: Path):
    _ready(browser, f"{ui_server}/graph?focus=state/russia&group=5")
    expected = aggregate(russia, limit=5)
    groups = sorted(d["label"] for _, d in expected.nodes(data=True) if d.get("aggregate"))
    assert groups  # e.g. "14 official statements"
    drawn = browser.execute_script(
        "return window.diplographGraph.nodes('[?aggregate]').map(n => n.data('label')).sort()"
    )
    assert drawn == groups
    assert int(browser.find_element(By.ID, "graph").get_attribute("data-nodes")) == len(expected)
    assert _overlaps(browser.execute_script(BOXES)) == []
    # the legend counts what the aggregates stand for
    assert _legend(browser, "kind") == dict(Counter(d["kind"] for _, d in russia.nodes(data=True)))
    assert _legend(browser, "type") == dict(
        Counter(edge_type(d) for _, _, d in russia.edges(data=True))
    )
    # clicking an aggregate lists some of its members; it has no page of its own
    node_id = next(n for n, d in expected.nodes(data=True) if d.get("aggregate"))
    browser.execute_script(
        "window.diplographGraph.getElementById(arguments[0]).emit('tap')", node_id
    )
    sample = browser.find_elements(By.CSS_SELECTOR, "#node-sample li")
    assert [li.text for li in sample][:5] == expected.nodes[node_id]["sample"]
    assert not browser.find_element(By.ID, "node-open").is_displayed()
    browser.save_screenshot(str(artifacts / "explorer-russia-grouped.png"))


def test_whole_full_view_has_no_two_nodes_overlapping(browser, ui_server, seed_graph):
    expected = build_view(seed_graph, "full")
    assert expected.number_of_nodes() > 100
    _ready(browser, f"{ui_server}/graph?view=full&group=0")
    boxes = browser.execute_script(BOXES)
    assert len(boxes) == expected.number_of_nodes()
    assert _overlaps(boxes) == []
    kinds = Counter(d["kind"] for _, d in expected.nodes(data=True))
    assert _legend(browser, "kind") == dict(kinds)
