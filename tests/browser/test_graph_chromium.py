"""The interactive graph page (server/export.py, static/js/graph.js) on the seed data, in headless
Chromium behind the strict CSP of ``ui_server``. The expected counts are the library's own view
of the same data (``seed_graph``), so the page shows exactly the network the library builds."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.support.ui import WebDriverWait

from diplograph.graph.network import build_view
from diplograph.graph.network.filters import Filters

ID = "https://w3id.org/diplograph/id/"


def _ready(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element("id", "graph").get_attribute("data-ready") in ("true", "error")
    )
    assert browser.find_element("id", "graph").get_attribute("data-ready") == "true"


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
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


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
