"""Labels for result tables: skos:prefLabel or rdfs:label, English first; and the table itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from diplograph import iri
from diplograph.errors import NotFound
from diplograph.graph.network import fallback_label, resolve
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.results import select
from diplograph.iri import expand_iri, shorten
from diplograph.provenance import Source
from diplograph.queries import labels_for
from diplograph.queries.table import render_table
from diplograph.server.urls import curie

A = iri.entity("state", "a")
B = iri.entity("state", "b")
C = iri.entity("state", "c")
D = iri.entity("state", "d")
NONE = iri.entity("state", "unlabelled")


@pytest.fixture
def labelled() -> Iterator[DiploGraph]:
    triples = [
        (A, RDFS.label, Literal("Aland", lang="de")),
        (A, RDFS.label, Literal("A-land", lang="en")),
        (B, RDFS.label, Literal("Bee")),
        (B, RDFS.label, Literal("Biland", lang="fr")),
        (C, RDFS.label, Literal("C by rdfs", lang="en")),
        (C, SKOS.prefLabel, Literal("C by skos", lang="en")),
        (D, RDFS.label, Literal("Dland", lang="en-GB")),
    ]
    g = open_graph("memory:")
    g.replace_graph(Source(iri.file_graph("labels"), "labels", "file", "test", "0"), triples)
    yield g
    g.close()


def test_english_first_then_plain_then_any(labelled: DiploGraph) -> None:
    assert labels_for(labelled, [A, B, C, D, NONE, Literal("not an IRI")]) == {
        A: "A-land",
        B: "Bee",
        C: "C by skos",
        D: "Dland",
    }


def test_strings_are_iris_and_bad_ones_are_skipped(labelled: DiploGraph) -> None:
    assert labels_for(labelled, [str(A), "state/b", "x> } ; DROP ALL", None]) == {
        A: "A-land",
        B: "Bee",
    }
    assert labelled.count() > 0


def test_table_uses_labels_and_short_forms(labelled: DiploGraph) -> None:
    result = select(
        ["state", "other", "n"],
        [(A, URIRef("https://example.org/x"), Literal(3)), (NONE, None, None)],
    )
    table = render_table(result, labels_for(labelled, [A, NONE]))
    assert table.splitlines() == [
        "state                other                  n",
        "-------------------  ---------------------  -",
        "A-land               https://example.org/x  3",
        "id:state/unlabelled",
        "(2 rows)",
    ]
    # one short form on the CLI, the pages and the exports; expand_iri reads it back
    for full, short in (
        ("http://www.w3.org/2004/02/skos/core#Concept", "skos:Concept"),
        ("https://w3id.org/diplograph/id/state/russia", "id:state/russia"),
        ("https://w3id.org/diplograph/graph/links", "https://w3id.org/diplograph/graph/links"),
    ):
        assert shorten(full) == curie(full) == fallback_label(full) == short
        assert expand_iri(short) == URIRef(full)
    # the network commands (analyze, export --focus) read typed IRIs the same way
    for typed in (
        "state/russia",
        "id:state/russia",
        "<https://w3id.org/diplograph/id/state/russia>",
    ):
        assert resolve(typed) == "https://w3id.org/diplograph/id/state/russia"
    with pytest.raises(NotFound, match="state/russia"):
        resolve("Russia")


def test_long_cells_are_cut() -> None:
    result = select(["text"], [(Literal("word " * 30),)])
    line = render_table(result, width=20).splitlines()[2]
    assert line == "word word word word…"
