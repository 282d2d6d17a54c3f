"""The interactive graph page (server/export.py, static/js/graph.js) in headless Chromium behind the
strict CSP (tests/browser/conftest.py): on the seed data (``ui_server``), where the expected counts
are the library's own view of the same data (``seed_graph``), so the page shows exactly the
network the library builds; and on the fictional graph (``fiction_server``): focus, expand,
escaping, the whole view, the Cytoscape.js export and an unknown focus."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from diplograph.graph.network import build_view
from diplograph.graph.network.filters import Filters

pytestmark = pytest.mark.slow

ID = "https://w3id.org/diplograph/id/"
XSS_LABEL = '<script>alert("x")</script> & Land'


def _ready(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element("id", "graph").get_attribute("data-ready") in ("true", "error")
    )
    assert browser.find_element("id", "graph").get_attribute("data-ready") == "true"


def _severe(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _count(browser: Any, what: str) -> int:
    return int(browser.execute_script(f"return window.diplographGraph.{what}().length"))


def test_lavrov_neighbourhood(browser, ui_server, seed_graph, artifacts):
    expected = build_view(seed_graph, "full", filters=Filters.of(actors=["person/sergey-lavrov"]))
    assert expected.number_of_nodes() == 10  # Lavrov, his tenure and the claims he made
    _ready(browser, f"{ui_server}/graph?focus=person/sergey-lavrov")
    assert _count(browser, "nodes") == expected.number_of_nodes()
    assert _count(browser, "edges") == expected.number_of_edges()
    assert browser.find_element("id", "graph-title").text == "Sergey Lavrov"
    browser.save_screenshot(str(artifacts / "graph-lavrov.png"))
    assert _severe(browser) == []


def test_claims_view_and_its_cytoscape_json(browser, ui_server, seed_graph):
    expected = build_view(seed_graph, "claims")
    _ready(browser, f"{ui_server}/graph")
    assert _count(browser, "nodes") == expected.number_of_nodes() == 16  # actors of 3 articles
    loaded = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.json()).then(body => {
          const cy = cytoscape({headless: true, elements: body.elements});
          done([cy.nodes().length, cy.edges().length]);
        }).catch(e => done(String(e)));
        """,
        f"{ui_server}/export/claims.cytoscape",
    )
    assert loaded == [expected.number_of_nodes(), expected.number_of_edges()]


# -- the fictional graph ---------------------------------------------------------------------------


def test_focus_page_draws_the_neighbourhood(browser, fiction_server):
    _ready(browser, f"{fiction_server}/graph?focus=person/rudolf-rassendyll")
    assert browser.execute_script("return window.diplographGraph.nodes().length") == 3
    assert browser.find_element("id", "graph-status").text == "3 nodes, 2 edges"
    ids = browser.execute_script("return window.diplographGraph.nodes().map(n => n.id()).sort()")
    assert ids == [
        ID + "claim/fiction-news/1",
        ID + "person/rudolf-rassendyll",
        ID + "tenure/rassendyll-mfa",
    ]
    # the canvas was drawn: cytoscape made its layers inside the box
    assert browser.execute_script("return document.querySelectorAll('#graph canvas').length") >= 1
    assert _severe(browser) == []  # no CSP violation, no script error


def test_expand_adds_the_neighbours_and_links_the_page(browser, fiction_server):
    _ready(browser, f"{fiction_server}/graph?focus=state/freedonia&view=actors")
    assert browser.execute_script("return window.diplographGraph.nodes().length") == 5
    browser.execute_script(
        "window.diplographGraph.getElementById(arguments[0]).emit('tap')", ID + "state/ruritania"
    )
    assert browser.find_element("id", "node-label").text == "Ruritania"
    link = browser.find_element("id", "node-open").get_attribute("href")
    assert link == f"{fiction_server}/id/state/ruritania"
    browser.find_element("id", "node-expand").click()
    # Ruritania adds Rassendyll and the League
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script("return window.diplographGraph.nodes().length") == 7
    )
    assert browser.find_element("id", "graph").get_attribute("data-nodes") == "7"
    assert browser.find_element("id", "node-expand").get_attribute("disabled") == "true"


def test_labels_are_text_never_markup(browser, fiction_server):
    _ready(browser, f"{fiction_server}/graph?focus=state/xss&view=actors")
    label = browser.execute_script(
        "return window.diplographGraph.getElementById(arguments[0]).data('label')", ID + "state/xss"
    )
    assert label == XSS_LABEL
    browser.execute_script(
        "window.diplographGraph.getElementById(arguments[0]).emit('tap')", ID + "state/xss"
    )
    heading = browser.find_element("id", "node-label")
    assert heading.text == XSS_LABEL
    assert (
        heading.get_attribute("innerHTML") == '&lt;script&gt;alert("x")&lt;/script&gt; &amp; Land'
    )
    assert browser.find_element("id", "graph-title").text == XSS_LABEL
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0


def test_whole_view_without_focus(browser, fiction_server):
    _ready(browser, f"{fiction_server}/graph")
    assert browser.execute_script("return window.diplographGraph.nodes().length") == 5
    assert browser.execute_script("return window.diplographGraph.edges().length") == 5


def test_cytoscape_json_export_loads_in_cytoscape_js(browser, fiction_server):
    _ready(browser, f"{fiction_server}/graph")
    counts = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.json()).then(body => {
          const cy = cytoscape({headless: true, elements: body.elements});
          done([cy.nodes().length, cy.edges().length,
                cy.getElementById(arguments[1]).data('label')]);
        }).catch(e => done(String(e)));
        """,
        f"{fiction_server}/export/agreements.cytoscape",
        ID + "agreement/charter",
    )
    assert counts == [9, 9, "Charter of Zenda"]


def test_unknown_focus_is_an_error_page(browser, fiction_server):
    browser.get(f"{fiction_server}/graph?focus=state/oz")
    text = browser.find_element("tag name", "main").text
    assert "There is no resource <https://w3id.org/diplograph/id/state/oz> in the graph." in text


def test_screenshot_shows_a_drawn_graph(browser, fiction_server, tmp_path):
    _ready(browser, f"{fiction_server}/graph?focus=state/freedonia&view=actors")
    shot = tmp_path / "graph.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
