"""Updates are bounded like queries (issue 16): an update is evaluated in a query worker under
``update_timeout`` and only its changes are written by the server's single writer. A runaway
update is a 503 that writes nothing, an update that crashes the engine costs a worker (500), not
the server, and the changes written are exactly the update's, blank nodes and clock included."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from diplograph.graph.store import DiploGraph
from diplograph.graph.store.embedded import OxigraphGraph

pytestmark = pytest.mark.slow

TOKEN = "upd-t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT = 5
#: The workers' memory limit here: the limit sized from this small store (1 GB and a little)
#: stops a cross product's update by memory before the timeout (500, nothing written, as for
#: the crash below); these tests look at the timeout, so the workers get room to reach it.
LIMIT_MB = 4096
CHEAP = "ASK { ?s a <https://w3id.org/diplograph/ontology#State> }"
G = "urn:test:updates"
#: a cross product over the named graphs (an update's WHERE reads the default graph, empty here)
RUNAWAY = (
    "INSERT { ?a ?b ?c } WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
    "GRAPH ?z { ?g ?h ?i } }"
)
RUNAWAY_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
    "GRAPH ?z { ?g ?h ?i } }"
)


def wait_until_ready(c: FlaskClient, n: int) -> None:
    deadline = time.monotonic() + 300
    while c.get("/-/health.json").json["workers_ready"] < n:
        assert time.monotonic() < deadline, f"{n} workers were not ready within 300 s"
        time.sleep(0.05)


@pytest.fixture
def upd_app(make_app: Callable[..., Flask], own_graph: DiploGraph) -> Flask:
    app = make_app(
        graph=own_graph,
        workers=1,
        update_token=TOKEN,
        update_timeout=float(TIMEOUT),
        result_cache=0,
        worker_memory=LIMIT_MB,
    )
    wait_until_ready(app.test_client(), 1)
    return app


def update_response(c: FlaskClient, text: str) -> TestResponse:
    return c.post("/update", data={"update": text}, headers=AUTH)


def update(c: FlaskClient, text: str) -> tuple[int, dict[str, object] | None]:
    r = update_response(c, text)
    return r.status_code, r.get_json(silent=True)


def rows(c: FlaskClient, query: str) -> list[dict[str, str]]:
    r = c.post("/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 200, r.get_data(as_text=True)
    return [
        {k: v["value"] for k, v in b.items()}
        for b in r.json["results"]["bindings"]  # type: ignore[index]
    ]


def test_a_runaway_update_is_stopped_writes_nothing_and_the_server_goes_on(
    upd_app: Flask,
    own_graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
) -> None:
    c = upd_app.test_client()
    before = fingerprint(own_graph)
    (pid,) = c.get("/-/health.json").json["worker_pids"]
    r = c.post(
        "/update",
        data={"update": RUNAWAY},
        headers=AUTH,
    )
    error_of(r, 503, f"update ran longer than {TIMEOUT} s and was stopped", "nothing was written")
    assert fingerprint(own_graph) == before  # generation and every quad
    wait_until_ready(c, 1)
    assert c.get("/-/health.json").json["worker_pids"] != [pid]  # killed and replaced
    r = c.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["boolean"] is True
    assert update(c, f'INSERT DATA {{ GRAPH <{G}> {{ <urn:s> <urn:p> "after" }} }}')[0] == 204
    assert rows(c, f"SELECT ?o {{ GRAPH <{G}> {{ <urn:s> <urn:p> ?o }} }}") == [{"o": "after"}]


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_an_update_that_crashes_the_engine_costs_a_worker_not_the_server(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    depth: int,
) -> None:
    """With the nesting check off, Oxigraph's parser overflows its stack on deep nesting: the
    worker evaluating the update dies, the server answers 500 and writes nothing."""
    app = make_app(
        graph=own_graph,
        workers=1,
        update_token=TOKEN,
        max_nesting=0,
        max_query_length=0,
        max_body=10_000_000,
    )
    c = app.test_client()
    wait_until_ready(c, 1)
    before = fingerprint(own_graph)
    text = "INSERT { <urn:s> <urn:p> 1 } WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth
    r = c.post(
        "/update", data=text.encode(), content_type="application/sparql-update", headers=AUTH
    )
    error_of(r, 500, "worker running this update died", "Nothing was written")
    assert fingerprint(own_graph) == before
    wait_until_ready(c, 1)
    assert update(c, f"INSERT DATA {{ GRAPH <{G}> {{ <urn:s> <urn:p> 2 }} }}")[0] == 204


def test_the_changes_written_are_the_updates_own(upd_app: Flask, own_graph: DiploGraph) -> None:
    c = upd_app.test_client()
    data = " ".join(f'<urn:s{i}> <urn:p> "v{i}" .' for i in range(5))
    assert update(c, f"INSERT DATA {{ GRAPH <{G}> {{ {data} }} }}")[0] == 204
    # DELETE/INSERT WHERE with a new blank node per solution, the clock and a counter
    status, body = update(
        c,
        f"DELETE {{ GRAPH <{G}> {{ ?s <urn:p> ?o }} }} "
        f"INSERT {{ GRAPH <{G}> {{ ?s <urn:q> [ <urn:was> ?o ; <urn:at> ?now ] }} }} "
        f'WHERE {{ GRAPH <{G}> {{ ?s <urn:p> ?o FILTER(?o != "v0") }} BIND(NOW() AS ?now) }}',
    )
    assert status == 204, body
    query = (
        f"SELECT ?s ?was ?at {{ GRAPH <{G}> {{ ?s <urn:q> ?b . ?b <urn:was> ?was ; "
        "<urn:at> ?at }} ORDER BY ?s"
    )
    seen = rows(c, query)  # from the worker's copy
    assert [(r["s"], r["was"]) for r in seen] == [(f"urn:s{i}", f"v{i}") for i in range(1, 5)]
    assert len({r["at"] for r in seen}) == 1  # one NOW() for the whole update
    assert isinstance(own_graph, OxigraphGraph)
    held = own_graph.store.query(query)  # the durable store holds the same, clock included
    assert [tuple(term.value for term in r) for r in held] == [  # type: ignore[union-attr]
        (r["s"], r["was"], r["at"]) for r in seen
    ]
    assert rows(c, f"SELECT ?s {{ GRAPH <{G}> {{ ?s <urn:p> ?o }} }}") == [{"s": "urn:s0"}]
    # an update that names blank nodes the store already held is run as its own text
    status, body = update(c, f"DELETE WHERE {{ GRAPH <{G}> {{ ?b <urn:was> ?o }} }}")
    assert status == 204, body
    assert rows(c, f"SELECT ?o {{ GRAPH <{G}> {{ ?b <urn:was> ?o }} }}") == []
    assert len(rows(c, f"SELECT ?at {{ GRAPH <{G}> {{ ?b <urn:at> ?at }} }}")) == 4


def test_graph_operations_and_errors_are_the_engines(upd_app: Flask) -> None:
    c = upd_app.test_client()
    empty = "urn:test:empty"
    assert update(c, f"CREATE GRAPH <{empty}>")[0] == 204
    status, body = update(c, f"CREATE GRAPH <{empty}>")  # exists (empty): the engine says so
    assert status == 400 and body is not None
    assert "nothing was written" in str(body["error"])
    # an empty source graph (which the workers' copies, made from N-Quads, lack) exists
    assert update(c, f"ADD GRAPH <{empty}> TO GRAPH <urn:test:other>")[0] == 204
    assert update(c, f"DROP GRAPH <{empty}>")[0] == 204
    status, body = update(c, f"DROP GRAPH <{empty}>")
    assert status == 400, body
    status, body = update(c, "INSERT { <urn:s> <urn:p> ?x } WHERE { BIND( }")
    assert status == 400 and body is not None
    assert str(body["error"]).startswith("SPARQL Update syntax error")
    data = f'INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:p> "a" }} }}'
    assert update(c, f"{data} ; COPY GRAPH <{G}> TO GRAPH <urn:test:copy>")[0] == 204
    assert rows(c, "SELECT ?o { GRAPH <urn:test:copy> { <urn:a> <urn:p> ?o } }") == [{"o": "a"}]


def test_small_writes_with_blank_nodes_and_the_clock_need_no_snapshot(
    make_app: Callable[..., Flask],
    own_graph: DiploGraph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The copies replay an update's concrete changes, so an update with new blank nodes,
    ``NOW()`` or ``UUID()`` reaches them without a dump of the whole store (which used to be
    made under the pool's lock for each such write), and they hold the very same values."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = make_app(graph=own_graph, workers=1, update_token=TOKEN, result_cache=0)
    c = app.test_client()
    wait_until_ready(c, 1)
    snapshots = sorted(tmp_path.glob("diplograph-snapshots-*/snapshot-*.nq"))
    assert len(snapshots) == 1
    for text in (
        f'INSERT DATA {{ GRAPH <{G}> {{ _:a <urn:p> "blank" ; <urn:q> [ <urn:r> "nested" ] }} }}',
        f"INSERT {{ GRAPH <{G}> {{ <urn:clock> <urn:at> ?now ; <urn:id> ?id }} }} "
        "WHERE { BIND(NOW() AS ?now) BIND(UUID() AS ?id) }",
        f"INSERT {{ GRAPH <{G}> {{ ?s <urn:seen> [ <urn:as> ?u ] }} }} "
        f"WHERE {{ GRAPH <{G}> {{ ?s <urn:at> ?at }} BIND(STRUUID() AS ?u) }}",
    ):
        status, body = update(c, text)
        assert status == 204, body
    query = (
        f"SELECT ?at ?id ?seen ?nested {{ GRAPH <{G}> {{ <urn:clock> <urn:at> ?at ; <urn:id> ?id "
        '; <urn:seen> [ <urn:as> ?seen ] . ?b <urn:p> "blank" ; <urn:q> ?n . ?n <urn:r> ?nested } }'
    )
    seen = rows(c, query)  # the worker's copy
    assert len(seen) == 1 and seen[0]["nested"] == "nested"
    assert isinstance(own_graph, OxigraphGraph)
    held = [{k: r[k].value for k in seen[0]} for r in own_graph.store.query(query)]  # type: ignore[union-attr]
    assert held == seen  # the same clock, UUID and string UUID in the store and in the copy
    assert sorted(tmp_path.glob("diplograph-snapshots-*/snapshot-*.nq")) == snapshots


def test_concrete_data_is_written_while_every_worker_is_busy(
    make_app: Callable[..., Flask], own_graph: DiploGraph
) -> None:
    """INSERT DATA and DELETE DATA have nothing to evaluate: they are written by the server at
    once (their length is bounded by max_query_length), even while a long query holds the only
    worker, and reach the copy afterwards."""
    app = make_app(
        graph=own_graph,
        workers=1,
        update_token=TOKEN,
        query_timeout=300.0,
        queue_wait=0.5,
        spare_workers=0,  # no spare takes the cheap queries: the one worker is busy
        result_cache=0,
        fast_path=False,  # it would answer the cheap query in process, without the worker
    )
    c = app.test_client()
    wait_until_ready(c, 1)
    box: dict[str, int] = {}

    def runaway() -> None:
        r = app.test_client().post("/sparql", data={"query": RUNAWAY_QUERY})
        box["status"] = r.status_code

    t = threading.Thread(target=runaway)
    t.start()
    deadline = time.monotonic() + 300
    while True:  # until a cheap query finds the only worker busy
        r = c.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/json"})
        if r.status_code == 503:
            break
        assert time.monotonic() < deadline
    data = '<urn:s> <urn:p> "busy" . <urn:s> <urn:p> "gone"'
    assert update(c, f"INSERT DATA {{ GRAPH <{G}> {{ {data} }} }}")[0] == 204
    assert update(c, f'DELETE DATA {{ GRAPH <{G}> {{ <urn:s> <urn:p> "gone" }} }}')[0] == 204
    assert t.is_alive()  # the worker is still busy: the writes did not wait for it
    held = own_graph.query(f"SELECT ?o {{ GRAPH <{G}> {{ <urn:s> <urn:p> ?o }} }}")
    assert [str(row[0]) for row in held] == ["busy"]
    app.extensions["diplograph"].close()  # ends the runaway query (its worker is killed)
    t.join()


def test_the_cross_product_of_the_issue_over_a_default_graph_is_stopped(
    make_app: Callable[..., Flask], own_graph: DiploGraph, error_of: Callable[..., str]
) -> None:
    """The update of issue 16 as it was sent, over a store whose default graph holds data."""
    assert isinstance(own_graph, OxigraphGraph)
    store = own_graph.store
    store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store])
    size = len(store)
    app = make_app(
        graph=own_graph,
        workers=1,
        update_token=TOKEN,
        update_timeout=float(TIMEOUT),
        worker_memory=LIMIT_MB,
    )
    c = app.test_client()
    wait_until_ready(c, 1)
    generation = own_graph.generation
    text = "INSERT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    error_of(update_response(c, text), 503, f"update ran longer than {TIMEOUT} s")
    assert (own_graph.generation, len(store)) == (generation, size)
    wait_until_ready(c, 1)
    r = c.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["boolean"] is True


def test_an_update_takes_the_next_idle_worker_before_queries_waiting_longer(
    make_app: Callable[..., Flask], own_graph: DiploGraph
) -> None:
    """The single writer waits for a worker: the one that comes back goes to the update, even
    though a query has waited for one longer."""
    app = make_app(
        graph=own_graph,
        workers=1,
        update_token=TOKEN,
        queue_wait=0.0,  # the query waits up to its timeout, as the update does
        spare_workers=0,
        result_cache=0,
        fast_path=False,  # the query must wait for the worker, not be answered in process
    )
    c = app.test_client()
    wait_until_ready(c, 1)
    pool = app.extensions["diplograph"].executor
    taken: list[str] = []  # who got a worker, in order
    checkout = pool._checkout

    def recorded(*args: object, first: bool = False) -> object:
        got = checkout(*args, first=first)
        taken.append("update" if first else "query")
        return got

    pool._checkout = recorded
    held = pool._take_idle(60)  # the only worker is taken, as by a long query
    statuses: dict[str, int] = {}

    def ask() -> None:
        r = app.test_client().get("/sparql", query_string={"query": CHEAP})
        statuses["query"] = r.status_code

    def write() -> None:
        text = f"INSERT {{ GRAPH <{G}> {{ <urn:s> <urn:p> ?n }} }} WHERE {{ BIND(7 AS ?n) }}"
        statuses["update"] = update_response(app.test_client(), text).status_code

    threads = [threading.Thread(target=ask), threading.Thread(target=write)]
    deadline = time.monotonic() + 120
    threads[0].start()
    while not pool._idle_ready._waiters:  # the query waits for a worker
        assert time.monotonic() < deadline, "the query did not wait for the worker"
        time.sleep(0.01)
    threads[1].start()
    while not pool._first:  # the update waits too
        assert time.monotonic() < deadline, "the update did not wait for the worker"
        time.sleep(0.01)
    pool._put_idle(held)
    for t in threads:
        t.join(timeout=300)
    assert taken == ["update", "query"]
    assert statuses == {"update": 204, "query": 200}
    assert rows(c, f"SELECT ?n {{ GRAPH <{G}> {{ <urn:s> <urn:p> ?n }} }}") == [{"n": "7"}]
