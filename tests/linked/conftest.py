"""Fixtures of the linked-data tests.

- ``app``/``client``: an app from the factory over the session's seed graph (no query workers).
- ``evil_client``: an app over a small graph of its own whose labels hold markup.
- ``ui_store``/``ui_server``/``browser``/``artifacts``: the browser fixtures of
  ``tests/browser/conftest.py`` (real waitress server under a strict CSP, real Chromium), loaded
  from that file so both packages share one server per session.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.provenance import Source
from diplograph.server.app import create_app

_spec = importlib.util.spec_from_file_location(
    "diplograph_tests_browser_conftest", Path(__file__).parents[1] / "browser" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_browser)
ui_store = _browser.ui_store
ui_server = _browser.ui_server
browser = _browser.browser
artifacts = _browser.artifacts

ID = "https://w3id.org/diplograph/id/"
DG = "https://w3id.org/diplograph/ontology#"
EVIL = '<script>alert("x")</script> & </script><b>bold</b>'


@pytest.fixture
def app(seed_graph: DiploGraph) -> Iterator[Flask]:
    application = create_app({"graph": seed_graph, "workers": 0, "TESTING": True})
    yield application
    application.extensions["diplograph"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def evil_client() -> Iterator[FlaskClient]:
    """A person whose label and comment are markup, in a graph with a licence IRI."""
    g = open_graph("memory:")
    person = URIRef(ID + "person/evil")
    source = Source(
        graph=URIRef("https://w3id.org/diplograph/graph/file/evil"),
        title=EVIL,
        kind="file",
        origin="tests",
        content_hash="0" * 64,
        citation=EVIL,
        license="https://creativecommons.org/licenses/by/4.0/",
    )
    g.replace_graph(
        source,
        [
            (person, RDF.type, URIRef(DG + "Person")),
            (person, RDFS.label, Literal(EVIL)),
            (person, RDFS.comment, Literal(EVIL)),
        ],
    )
    application = create_app({"graph": g, "workers": 0, "TESTING": True})
    yield application.test_client()
    application.extensions["diplograph"].close()
    g.close()


def _parse_rdf(data: bytes | str, fmt: str) -> Graph:
    """``data`` parsed by rdflib. rdflib's JSON-LD parser warns about its own use of the
    deprecated ConjunctiveGraph; that warning is rdflib's, not ours, so it is silenced here."""
    import warnings

    g = Graph()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        g.parse(data=data, format=fmt)
    return g


@pytest.fixture
def parse_rdf() -> Callable[[bytes | str, str], Graph]:
    """The parser of RDF bodies (see :func:`_parse_rdf`)."""
    return _parse_rdf
