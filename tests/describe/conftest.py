"""Fixtures of the linked-data tests (a resource's pages and documents, over HTTP); ``app``,
``client`` and ``parse_rdf`` are the shared ones of tests/conftest.py.

- ``evil_client``: an app over a small graph of its own whose labels hold markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from diplograph.graph.store import open_graph
from diplograph.provenance import Source

ID = "https://w3id.org/diplograph/id/"
DG = "https://w3id.org/diplograph/ontology#"
EVIL = '<script>alert("x")</script> & </script><b>bold</b>'


@pytest.fixture
def evil_client(make_app: Callable[..., Flask]) -> Iterator[FlaskClient]:
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
    yield make_app(graph=g, workers=0).test_client()
    g.close()
