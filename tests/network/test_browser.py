"""The interactive graph page in headless Chromium (Selenium, Debian's chromium-driver), served by
a real HTTP server (werkzeug in a thread, on a free loopback port) over the fictional graph."""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from diplograph.graph.store import DiploGraph
from diplograph.server.app import create_app

pytestmark = pytest.mark.slow

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ID = "https://w3id.org/diplograph/id/"
XSS_LABEL = '<script>alert("x")</script> & Land'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(fiction: DiploGraph) -> Iterator[str]:
    app = create_app({"graph": fiction, "workers": 0})
    server = make_server("127.0.0.1", _free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium and chromium-driver (Debian) are needed for browser tests")
    profile = tempfile.mkdtemp(prefix="diplograph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_script_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_graph_page(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element("id", "graph").get_attribute("data-ready") in ("true", "error")
    )
    assert browser.find_element("id", "graph").get_attribute("data-ready") == "true"


def severe_logs(browser: Any) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_focus_page_draws_the_neighbourhood(browser, base_url):
    open_graph_page(browser, f"{base_url}/graph?focus=person/rudolf-rassendyll")
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
    assert severe_logs(browser) == []  # no CSP violation, no script error


def test_expand_adds_the_neighbours_and_links_the_page(browser, base_url):
    open_graph_page(browser, f"{base_url}/graph?focus=state/freedonia&view=actors")
    assert browser.execute_script("return window.diplographGraph.nodes().length") == 5
    browser.execute_script(
        "window.diplographGraph.getElementById(arguments[0]).emit('tap')", ID + "state/ruritania"
    )
    assert browser.find_element("id", "node-label").text == "Ruritania"
    link = browser.find_element("id", "node-open").get_attribute("href")
    assert link == f"{base_url}/id/state/ruritania"
    browser.find_element("id", "node-expand").click()
    # Ruritania adds Rassendyll and the League
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return window.diplographGraph.nodes().length") == 7
    )
    assert browser.find_element("id", "graph").get_attribute("data-nodes") == "7"
    assert browser.find_element("id", "node-expand").get_attribute("disabled") == "true"


def test_labels_are_text_never_markup(browser, base_url):
    open_graph_page(browser, f"{base_url}/graph?focus=state/xss&view=actors")
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


def test_whole_view_without_focus(browser, base_url):
    open_graph_page(browser, f"{base_url}/graph")
    assert browser.execute_script("return window.diplographGraph.nodes().length") == 5
    assert browser.execute_script("return window.diplographGraph.edges().length") == 5


def test_cytoscape_json_export_loads_in_cytoscape_js(browser, base_url):
    open_graph_page(browser, f"{base_url}/graph")
    counts = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.json()).then(body => {
          const cy = cytoscape({headless: true, elements: body.elements});
          done([cy.nodes().length, cy.edges().length,
                cy.getElementById(arguments[1]).data('label')]);
        }).catch(e => done(String(e)));
        """,
        f"{base_url}/export/agreements.cytoscape",
        ID + "agreement/charter",
    )
    assert counts == [9, 9, "Charter of Zenda"]


def test_unknown_focus_is_an_error_page(browser, base_url):
    browser.get(f"{base_url}/graph?focus=state/oz")
    text = browser.find_element("tag name", "main").text
    assert "There is no resource <https://w3id.org/diplograph/id/state/oz> in the graph." in text


def test_screenshot_shows_a_drawn_graph(browser, base_url, tmp_path):
    open_graph_page(browser, f"{base_url}/graph?focus=state/freedonia&view=actors")
    shot = tmp_path / "graph.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
