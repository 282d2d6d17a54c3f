"""Hazards 1 and 2 of issue 10 against real worker processes: runaway queries (cross products,
unbounded property paths, regex bombs) are stopped at the timeout with a 503 and never a cut-off
200 while other clients are served; nesting is refused before any engine sees it, and a worker
that the engine crashes anyway (the check turned off) costs a 500, never the server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

pytestmark = pytest.mark.slow

QUERY = "application/sparql-query"
CHEAP = "ASK { ?s a <https://w3id.org/diplograph/ontology#State> }"

RUNAWAY = {
    "cross product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded property paths": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x>|!<urn:x>)* ?b . ?c (!<urn:y>)* ?d }"
    ),
    "regex bomb": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
        'FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?c)), "^(a|aa|.)*(b|bb|.)*x$", "i")) }'
    ),
    "ordered cross product": (
        "SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(CONCAT(STR(?c), STR(?f)))"
    ),
}


#: Long enough for the other worker to answer cheap queries meanwhile on a busy machine; every
#: runaway query below runs far longer than this.
TIMEOUT = 5


def wait_until_ready(client: FlaskClient, n: int) -> None:
    """Wait until ``n`` workers hold the store (a generous deadline: only a hang fails)."""
    deadline = time.monotonic() + 300
    while client.get("/-/health.json").json["workers_ready"] < n:
        assert time.monotonic() < deadline, f"{n} workers were not ready within 300 s"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def worker_app(graph: DiploGraph) -> Iterator[Flask]:
    from diplograph.server.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "graph": graph,
            "workers": 2,
            "query_timeout": float(TIMEOUT),
            "result_cache": 0,
            # the limit sized from this small store (1 GB and a little) can stop a cross
            # product by memory before the timeout (500, as a crash); these tests look at the
            # timeout, so the workers get room to reach it
            "worker_memory": 4096,
        }
    )
    wait_until_ready(app.test_client(), 2)
    yield app
    app.extensions["diplograph"].close()


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_query_is_a_503_and_others_are_served_meanwhile(
    worker_app: Flask,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    name: str,
) -> None:
    before = fingerprint(graph)
    c = worker_app.test_client()
    wait_until_ready(c, 2)
    pids = set(c.get("/-/health.json").json["worker_pids"])
    outcome: dict[str, object] = {}

    def runaway() -> None:
        r = worker_app.test_client().post(
            "/sparql", data=RUNAWAY[name].encode(), content_type=QUERY
        )
        outcome["response"] = r

    t = threading.Thread(target=runaway)
    t.start()
    served = 0
    while t.is_alive():  # the other worker keeps answering cheap queries
        r = c.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/json"})
        assert r.status_code in (200, 503), r.get_data(as_text=True)
        if r.status_code == 200:
            assert r.json["boolean"] is True
            served += 1
    t.join()
    r = outcome["response"]
    message = error_of(
        r, 503, f"ran longer than {TIMEOUT} s and was stopped (setting query_timeout)"
    )
    assert r.headers["Content-Type"] == "application/json"  # an error, never a cut-off result
    assert "head" not in r.get_data(as_text=True), message
    assert served >= 1
    # the overrunning worker was killed and replaced: two workers again, not all the old ones
    # (a spare may have come and gone meanwhile if a cheap query was slow too: see long_query)
    deadline = time.monotonic() + 300
    health = c.get("/-/health.json").json
    while health["workers_ready"] != 2 or len(health["worker_pids"]) != 2:
        assert time.monotonic() < deadline, health
        time.sleep(0.05)
        health = c.get("/-/health.json").json
    after = set(health["worker_pids"])
    assert len(after - pids) >= 1 and len(pids - after) >= 1
    assert fingerprint(graph) == before


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_a_worker_crashed_by_nesting_is_a_500_and_the_server_lives(
    make_app: Callable[..., Flask],
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    depth: int,
) -> None:
    """With the nesting check off (max_nesting = 0) Oxigraph's parser overflows its stack on
    deep nesting and the worker dies (SIGSEGV): the request is a 500, a new worker takes over."""
    before = fingerprint(graph)
    app = make_app(graph=graph, workers=1, max_nesting=0, max_query_length=0, max_body=10_000_000)
    c = app.test_client()
    wait_until_ready(c, 1)
    (pid,) = c.get("/-/health.json").json["worker_pids"]
    q = "SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth
    r = c.post("/sparql", data=q.encode(), content_type=QUERY)
    error_of(r, 500, "worker running this query died; it was replaced")
    wait_until_ready(c, 1)
    assert c.get("/-/health.json").json["worker_pids"] != [pid]
    r = c.get("/sparql", query_string={"query": CHEAP}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["boolean"] is True
    assert fingerprint(graph) == before


def test_nesting_is_refused_before_the_worker_sees_it(
    worker_app: Flask, error_of: Callable[..., str]
) -> None:
    c = worker_app.test_client()
    wait_until_ready(c, 2)
    pids = c.get("/-/health.json").json["worker_pids"]
    for depth in (65, 2_000, 5_000):
        q = "SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth
        error_of(c.post("/sparql", data=q.encode(), content_type=QUERY), 400, "deeper than 64")
    assert c.get("/-/health.json").json["worker_pids"] == pids  # no worker died
