"""The VALUES injection that binds variables on remote servers and in "view and edit SPARQL":
it finds the outermost WHERE group past strings, IRIs and comments, and writes terms escaped;
every result parses and runs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from diplograph.errors import QueryError
from diplograph.graph.store.sparqltext import bind_values, query_form

X = URIRef("http://example.org/x")
#: the block bind_values writes for ?s = X
V = "\n  VALUES (?s) { (<http://example.org/x>) }\n  "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * {" + V + "?s ?p ?o }"),
        (
            "PREFIX select: <http://e/#>\n# a { comment\nASK WHERE { ?s select:p '{' }",
            "PREFIX select: <http://e/#>\n# a { comment\nASK WHERE {" + V + "?s select:p '{' }",
        ),
        (
            'CONSTRUCT { ?s ?p "}" } WHERE { ?s ?p ?o FILTER(?o < 3) }',
            'CONSTRUCT { ?s ?p "}" } WHERE {' + V + "?s ?p ?o FILTER(?o < 3) }",
        ),
        (
            "CONSTRUCT WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE {" + V + "?s ?p ?o }",
        ),
        (
            'SELECT ?construct WHERE { ?s ?p """a } b""" }',
            "SELECT ?construct WHERE {" + V + '?s ?p """a } b""" }',
        ),
        (
            "DESCRIBE ?s WHERE { ?s ?p ?o }",
            "DESCRIBE ?s WHERE {" + V + "?s ?p ?o }",
        ),
        (
            "CONSTRUCT FROM <urn:g> WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE {" + V + "?s ?p ?o }",
        ),
        (
            "PREFIX e: <urn:e#> SELECT ?s WHERE { ?s e:p ?o FILTER(?o<'>{') }",
            "PREFIX e: <urn:e#> SELECT ?s WHERE {" + V + "?s e:p ?o FILTER(?o<'>{') }",
        ),
        ("DESCRIBE ?s", "DESCRIBE ?s\nVALUES (?s) { (<http://example.org/x>) }\n"),
    ],
)
def test_values_go_at_the_start_of_the_where_group(text: str, expected: str) -> None:
    bound = bind_values(text, {"s": X})
    assert bound == expected
    ox.Store().query(bound)  # it is still a valid query


def test_literals_are_escaped() -> None:
    store = ox.Store()
    evil = Literal('a" } ; DROP ALL ; SELECT * { "\n\\')
    text = bind_values(
        "SELECT * WHERE { }", {"v": evil, "n": Literal(3), "l": Literal("x", lang="fr")}
    )
    rows = list(store.query(text))  # type: ignore[call-overload]
    assert len(rows) == 1
    assert rows[0]["v"].value == str(evil)
    assert rows[0]["n"] == ox.Literal(
        "3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert rows[0]["l"] == ox.Literal("x", language="fr")


def test_what_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="blank node"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(QueryError, match="not a SPARQL variable"):
        bind_values("SELECT * { ?s ?p ?o }", {"s) } DROP ALL": X})
    with pytest.raises(QueryError, match="unbalanced"):
        bind_values("CONSTRUCT { ?s ?p ?o WHERE { ?s ?p ?o }", {"s": X})
    with pytest.raises(QueryError, match="not a SPARQL query"):
        query_form("PREFIX a: <http://a/>")


def test_query_forms() -> None:
    assert query_form("BASE <http://x/> select * {}") == "SELECT"
    assert query_form("# SELECT\nASK {}") == "ASK"
    assert query_form("PREFIX ask: <http://x/> DESCRIBE ask:x") == "DESCRIBE"
    assert query_form("INSERT DATA { <a> <b> <c> }") == "UPDATE"
