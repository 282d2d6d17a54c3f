"""A batch of queries (issue 21): a page's independent queries go to one worker in one message
(``context.run_queries``, ``WorkerPool.run_batch``), each still read by the guard and capped,
the batch under one ``query_timeout``.

Against real worker processes: the answers are those of the queries run one at a time; a batch
with a runaway query is stopped at the timeout (503), its worker replaced, the server healthy; a
failing query is its own error and the worker is kept; a page whose worker dies is a 500 and the
next request works.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.errors import QueryError, QueryTimeout
from diplograph.graph.store import DiploGraph
from diplograph.server.context import Query, current_state, run_queries, run_query
from diplograph.server.pool import WorkerPool

VALUES = "VALUES ?{v} {{ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }}"
#: 20^8 = 25.6 billion rows to count: far beyond any timeout
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(VALUES.format(v=v) for v in "abcdefgh") + " }"
)
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#State> } ORDER BY ?s"
PEOPLE = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#Person> } ORDER BY ?s"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PAGE = "/page/person/sergey-lavrov"
#: Long enough for a cheap batch on a busy machine; the runaway query runs far longer.
TIMEOUT = 5


def health(client: FlaskClient) -> dict[str, object]:
    body: dict[str, object] = client.get("/-/health.json").json
    return body


def wait_until_ready(client: FlaskClient, n: int) -> list[int]:
    """Wait until ``n`` workers hold the store (a generous deadline: only a hang fails)."""
    deadline = time.monotonic() + 300
    while True:
        h = health(client)
        pids = list(h["worker_pids"])  # type: ignore[call-overload]
        if h["workers_ready"] == n and len(pids) == n:
            return pids
        assert time.monotonic() < deadline, h
        time.sleep(0.05)


def batch_app(make_app: Callable[..., Flask], graph: DiploGraph, **settings: object) -> Flask:
    """An app whose every query goes to a worker (no fast path, no result cache)."""
    options = {"workers": 1, "spare_workers": 0, "fast_path": False, "result_cache": 0}
    return make_app(graph=graph, **{**options, **settings})


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])  # with two, each takes every second query
def test_a_batch_answers_what_its_queries_answer_one_at_a_time(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, workers: int
) -> None:
    app = batch_app(make_app, seed_graph, max_results=2, workers=workers)
    wait_until_ready(app.test_client(), workers)
    with app.test_request_context():
        queries = [
            Query(q, accept="application/sparql-results+json") for q in (STATES, PEOPLE, COUNT)
        ]
        one_by_one = [run_query(q.sparql, accept=q.accept) for q in queries]
        together = run_queries(queries)
    assert [r.body for r in together] == [r.body for r in one_by_one]
    assert b'"truncated":true' in together[0].body  # each query capped at max_results
    assert [r.headers.get("X-Diplograph-Truncated") for r in together] == ["true", "true", None]
    assert {r.headers["X-Diplograph-Path"] for r in together} == {"worker"}
    assert b'"n"' in together[2].body


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_with_a_runaway_query_is_stopped_and_its_worker_replaced(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, workers: int
) -> None:
    app = batch_app(make_app, seed_graph, query_timeout=TIMEOUT, workers=workers)
    client = app.test_client()
    before = wait_until_ready(client, workers)
    started = time.monotonic()
    with app.test_request_context(), pytest.raises(QueryTimeout, match="longer than 5 s"):
        run_queries([Query(STATES), Query(RUNAWAY), Query(PEOPLE), Query(COUNT)])
    assert time.monotonic() - started >= TIMEOUT  # the batch had one deadline
    after = wait_until_ready(client, workers)
    gone = set(before) - set(after)
    assert gone  # the worker running the runaway query was killed and replaced
    assert not any(_alive(pid) for pid in gone)
    assert health(client)["ok"] is True
    r = client.get("/sparql", query_string={"query": STATES})
    assert r.status_code == 200
    assert len(r.json["results"]["bindings"]) >= 3
    assert client.get(PAGE).status_code == 200  # a page's batch is answered again


@pytest.mark.slow
def test_a_failing_query_of_a_batch_is_its_error_and_the_worker_is_kept(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, caplog: pytest.LogCaptureFixture
) -> None:
    app = batch_app(make_app, seed_graph)
    client = app.test_client()
    wait_until_ready(client, 1)
    failing = "SELECT ?x WHERE { ?x ?y }"  # the engine's parser refuses it, in the worker
    with app.test_request_context(), pytest.raises(QueryError, match="syntax error"):
        run_queries([Query(STATES), Query(failing), Query(PEOPLE)])
    assert "killed" not in caplog.text and "died" not in caplog.text
    with app.test_request_context():
        assert len(run_queries([Query(STATES), Query(PEOPLE)])) == 2


@pytest.mark.slow
def test_a_page_whose_worker_does_not_answer_is_a_503_and_the_server_lives(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = batch_app(make_app, seed_graph, query_timeout=TIMEOUT)
    client = app.test_client()
    assert client.get(PAGE).status_code == 200
    pid = idle_worker(app, client)
    os.kill(pid, signal.SIGSTOP)  # a worker that never answers, as a runaway batch
    try:
        r = client.get(PAGE, headers={"Accept": "application/json"})
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed at the timeout, as it should be
            os.kill(pid, signal.SIGCONT)
    assert r.status_code == 503, r.data[:300]
    assert r.json["status"] == 503 and "query_timeout" in r.json["error"]
    assert pid not in wait_until_ready(client, 1)
    assert client.get(PAGE).status_code == 200


@pytest.mark.slow
def test_a_page_whose_worker_dies_is_a_500_and_the_next_request_works(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = batch_app(make_app, seed_graph, query_timeout=120)
    client = app.test_client()
    good = client.get(PAGE)
    assert good.status_code == 200
    pid = idle_worker(app, client)
    os.kill(pid, signal.SIGSTOP)  # holds the page's batch until it is killed below
    result: dict[str, object] = {}

    def visit() -> None:
        r = app.test_client().get(PAGE, headers={"Accept": "application/json"})
        result["status"], result["json"] = r.status_code, r.json

    thread = threading.Thread(target=visit)
    thread.start()
    deadline = time.monotonic() + 60
    while not awaiting_a_worker(thread):  # the batch was sent: the page waits for its answer
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    thread.join(120)
    assert result["status"] == 500, result
    assert "died" in result["json"]["error"]  # type: ignore[index]
    assert pid not in wait_until_ready(client, 1)
    again = client.get(PAGE)
    assert again.status_code == 200
    assert again.data == good.data


def awaiting_a_worker(thread: threading.Thread) -> bool:
    """Whether ``thread`` waits for a worker's answer to what it sent (``WorkerPool._await``)."""
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "_await" and frame.f_code.co_filename.endswith("pool.py"):
            return True
        frame = frame.f_back
    return False


def idle_worker(app: Flask, client: FlaskClient) -> int:
    """The pid of the one worker of ``app``, once that worker is idle (a worker
    replaced after a page is ready a moment before it is idle)."""
    (pid,) = wait_until_ready(client, 1)
    with app.app_context():
        pool = current_state().executor
    assert isinstance(pool, WorkerPool)
    deadline = time.monotonic() + 60
    while [w.pid for w in pool._idle] != [pid]:
        assert time.monotonic() < deadline, "the worker did not become idle"
        (pid,) = wait_until_ready(client, 1)
        time.sleep(0.01)
    return pid


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "State:\tZ" not in f.read()
    except OSError:
        return False


def test_an_executor_without_workers_runs_a_batch_one_query_at_a_time(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=0, result_cache=0)
    with app.test_request_context():
        got = run_queries([Query(STATES), Query(COUNT)])
        assert [r.body for r in got] == [run_query(STATES).body, run_query(COUNT).body]
        with pytest.raises(QueryError):
            run_queries([Query(STATES), Query("SELECT ?x WHERE { ?x ?y }")])
