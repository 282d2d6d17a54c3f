"""Protected graphs (issue 16, ``DROP ALL`` with the token removed all bundled data): an update
that may change a protected graph is refused by the guard before any engine sees it, however it
is spelt; every update the guard lets through leaves the protected graphs as they were when run
by the engine itself."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.errors import ForbiddenQuery
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.server.guard import check_update

BASE = "http://127.0.0.1/update"
PROTECTED = ["https://w3id.org/diplograph/graph/dataset/", "urn:keep"]
ATOP = "https://w3id.org/diplograph/graph/dataset/atop"
MINE = "https://w3id.org/diplograph/graph/file/mine"

REFUSED = [
    "DROP ALL",
    "drop silent all",
    "DROPALL",
    "DROP SILENTALL",
    "CLEAR NAMED",
    "CLEARNAMED",
    f"DROP GRAPH <{ATOP}>",
    f"CLEAR SILENT GRAPH<{ATOP}>",
    "BASE <https://w3id.org/diplograph/graph/> DROP GRAPH <dataset/atop>",
    "PREFIX d: <https://w3id.org/diplograph/graph/dataset/> CLEAR GRAPH d:atop",
    "PREFIXd:<https://w3id.org/diplograph/graph/dataset/> CLEAR GRAPH d:atop",
    f"INSERT DATA {{ GRAPH <{ATOP}> {{ <urn:s> <urn:p> 1 }} }}",
    f"INSERTDATA{{GRAPH<{ATOP}>{{<urn:s> <urn:p> 1}}}}",
    "PREFIX d: <https://w3id.org/diplograph/graph/dataset/> "
    "INSERT DATA { GRAPHd:atop { <urn:s> <urn:p> 1 } }",
    f"DELETE DATA {{ GRAPH <{ATOP}> {{ <urn:s> <urn:p> 1 }} }}",
    f"DELETE WHERE {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} }}",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"WITH <{ATOP}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    f"WITH<{ATOP}> INSERT {{ <urn:s> <urn:p> 1 }} WHERE {{}}",
    f"MOVE <{ATOP}> TO <{MINE}>",
    f"MOVE<{ATOP}>TO<{MINE}>",
    f"COPY <{MINE}> TO GRAPH <{ATOP}>",
    f"ADD DEFAULT TO <{ATOP}>",
    f"CREATE SILENT GRAPH <urn:keep:new> ; DROP GRAPH <{MINE}>",
    f"INSERT DATA {{ GRAPH <{MINE}> {{ <urn:s> <urn:p> 1 }} }} ; DROP GRAPH <{ATOP}>",
    "LOAD SILENT <http://x.example/d.ttl> INTO GRAPH <urn:keep>",
]

ALLOWED = [
    f"INSERT DATA {{ GRAPH <{MINE}> {{ <urn:s> <urn:p> 1 }} }}",
    f"DROP SILENT GRAPH <{MINE}>",
    "CLEAR DEFAULT",
    "DROP DEFAULT",
    f"COPY <{ATOP}> TO <{MINE}>",  # reads the protected graph, changes only the target
    f"INSERT {{ GRAPH <{MINE}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} }}",
    f"WITH <{MINE}> DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} }}",
    f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} }}",  # the default graph
    "INSERT DATA { <urn:s> <urn:p> 'GRAPH <urn:keep> DROP ALL' }",
]


def check(text: str) -> None:
    check_update(text, protected_graphs=PROTECTED, load_allowlist=["http://x.example/"], base=BASE)


@pytest.mark.parametrize("text", REFUSED)
def test_an_update_that_may_change_a_protected_graph_is_refused(text: str) -> None:
    with pytest.raises(ForbiddenQuery, match="protect"):
        check(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_updates_of_other_graphs_pass(text: str) -> None:
    check(text)


def test_no_protection_when_the_setting_is_empty() -> None:
    check_update("DROP ALL", protected_graphs=[])


def _store() -> ox.Store:
    store = ox.Store()
    for g in (ATOP, "urn:keep", MINE):
        store.add(
            ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(g), ox.NamedNode(g))
        )
    store.add(ox.Quad(ox.NamedNode("urn:d"), ox.NamedNode("urn:p"), ox.Literal("default")))
    return store


def _protected(store: ox.Store) -> set[str]:
    return {
        f"{q.graph_name} {q.subject} {q.object}"
        for q in store
        if not isinstance(q.graph_name, ox.DefaultGraph)
        and any(str(q.graph_name.value).startswith(p) for p in PROTECTED)
    }


@pytest.mark.parametrize("text", REFUSED + ALLOWED)
def test_whatever_the_guard_lets_through_leaves_protected_graphs_alone(text: str) -> None:
    """The engine itself runs each update the guard passes: protected graphs stay as they were
    (the guard's reading and the engine's agree for every case here)."""
    store = _store()
    before = _protected(store)
    try:
        check(text)
    except ForbiddenQuery:
        return
    with contextlib.suppress(SyntaxError, OSError):
        store.update(text, base_iri=BASE)
    assert _protected(store) == before


def test_drop_all_over_http_is_refused_and_the_data_stays(
    make_app: Callable[..., Flask], error_of: Callable[..., str]
) -> None:
    graph = open_graph("memory:")
    build(graph, parts=("ontology",))
    app = make_app(graph=graph, update_token="t0k", workers=0)
    client: FlaskClient = app.test_client()
    auth = {"Authorization": "Bearer t0k"}
    r = client.post("/update", data={"update": "DROP ALL"}, headers=auth)
    error_of(r, 403, "protected_graphs", "every named graph")
    r = client.post(
        "/sparql",
        data={
            "query": "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
            "'https://w3id.org/diplograph/graph/ontology')) }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.get_json()["boolean"] is True
