"""Fixtures of the browser tests: the real server and real headless Chromium.

- ``ui_server``: the base URL of the app from :func:`~diplograph.server.app.create_app`, served by
  waitress (the production WSGI server) in a thread on a free loopback port, over an on-disk
  Oxigraph store built from the bundled data through the real build path, with its query workers.
  Every response carries a strict Content-Security-Policy (no ``'unsafe-inline'``, nothing but
  this origin), so a page that needs an inline script or a CDN fails here.
- ``fiction_server``: the same way of serving, over the fictional graph (``fiction``, answering in
  the request thread).
- ``browser``: Selenium driving Debian's ``/usr/bin/chromium`` through ``/usr/bin/chromedriver``,
  headless, with a fresh profile and background networking off.
- ``artifacts``: ``tests/artifacts/`` (gitignored), where screenshots are saved.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from diplograph.graph.load.build import build
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.server.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

#: What the seed graph holds (tests/conftest.py): ontology, code lists, article claims, links.
SEED_PARTS = ("ontology", "codes", "articles", "links")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

StartResponse = Callable[..., Any]


class StrictCSP:
    """WSGI middleware adding the strict Content-Security-Policy header to every response."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("Content-Security-Policy", CSP)], exc_info)

        return self.app(environ, start)


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An on-disk store holding the seed data, built through the real build path."""
    url = f"oxigraph:{tmp_path_factory.mktemp('ui-store') / 'store'}"
    with open_graph(url) as graph:
        build(graph, parts=SEED_PARTS)
    return url


@contextlib.contextmanager
def _serving(settings: dict[str, Any]) -> Iterator[str]:
    """An app with ``settings`` under waitress and the strict CSP, in a thread on a free loopback
    port; yields its base URL; closes the server and the app afterwards."""
    from waitress.server import create_server

    app = create_app(settings)
    server = create_server(StrictCSP(app), host="127.0.0.1", port=0, threads=4)
    port = server.effective_port  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, name="ui-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        thread.join(timeout=30)
        app.extensions["diplograph"].close()


@pytest.fixture(scope="session")
def ui_server(ui_store: str) -> Iterator[str]:
    with _serving({"store": ui_store, "workers": 1}) as url:
        yield url


@pytest.fixture(scope="session")
def fiction_server(fiction: DiploGraph) -> Iterator[str]:
    with _serving({"graph": fiction, "workers": 0}) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail(
            "Chromium and chromedriver are needed: apt-get install chromium chromium-driver"
        )
    profile = tempfile.mkdtemp(prefix="diplograph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _fresh_browser_log(request: pytest.FixtureRequest) -> None:
    """Each test reads only its own console messages: what an earlier test left in the shared
    browser's log (an expected 404, say) is read and dropped before the test starts."""
    if "browser" in request.fixturenames:
        request.getfixturevalue("browser").get_log("browser")
