"""Issue 16, section 5: spare workers are kept warm for ``spare_idle`` seconds, not churned.

One regular worker and one spare, real processes: a long query (one that finishes) holds the
regular worker, the pool forks a spare, which answers the short queries meanwhile. After the
burst and a pause the spare is still there, and a second burst is served by the same two
processes (no new process id at any point); once ``spare_idle`` is short, the spare goes and
the pool is back to its size, and answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

pytestmark = pytest.mark.slow

QUERY = "application/sparql-query"
JSON = {"Accept": "application/sparql-results+json"}
CHEAP = "ASK { ?s a <https://w3id.org/diplograph/ontology#State> }"
#: a long query that finishes (about a second on the seed graph, far past long_query): a join
#: of every triple with every typed node, counted
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d a ?f } }"


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 300
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def health(c: FlaskClient) -> dict[str, Any]:
    body = c.get("/-/health.json").json
    assert body is not None
    return body


def pids(c: FlaskClient) -> set[int]:
    return set(health(c)["worker_pids"])


def burst(app: Flask, seen: set[int]) -> tuple[int, int]:
    """Run SLOW in a thread and short queries beside it until it ends, noting every worker pid
    seen; returns SLOW's status and how many short queries were answered."""
    c = app.test_client()
    out: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: out.update(
            r=app.test_client().post("/sparql", data=SLOW, content_type=QUERY, headers=JSON)
        )
    )
    t.start()
    served = 0
    while t.is_alive():
        seen |= pids(c)
        r = c.post("/sparql", data=CHEAP, content_type=QUERY, headers=JSON)
        assert r.status_code == 200, r.get_data(as_text=True)
        served += 1
    t.join()
    seen |= pids(c)
    return out["r"].status_code, served


def test_a_spare_stays_warm_for_the_next_burst_and_goes_after_spare_idle(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(
        graph=seed_graph,
        workers=1,
        spare_workers=1,
        spare_idle=600.0,
        long_query=0.05,
        query_timeout=600.0,
        result_cache=0,
    )
    c = app.test_client()
    wait_for(lambda: health(c)["workers_ready"] == 1, "the worker")
    seen: set[int] = set()
    status, _ = burst(app, seen)
    assert status == 200
    assert len(seen) == 2, "no spare was started for the long query"
    # the burst is over, a pause: the spare is kept (spare_idle is 600 s)
    time.sleep(0.5)
    assert pids(c) == seen and health(c)["workers_ready"] == 2
    status, served = burst(app, seen)
    assert status == 200 and served > 0
    assert len(seen) == 2, f"the second burst started new workers: {sorted(seen)}"
    # with a short spare_idle the spare goes; the pool is back to its size and answers
    app.extensions["diplograph"].executor.spare_idle = 0.5
    wait_for(lambda: len(pids(c)) == 1 and health(c)["workers_ready"] == 1, "the spare to go")
    assert pids(c) < seen
    r = c.post("/sparql", data=CHEAP, content_type=QUERY, headers=JSON)
    assert r.status_code == 200 and r.json == {"head": {}, "boolean": True}
