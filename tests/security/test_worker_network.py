"""Issue 16, defence in depth: a query worker has no network, whatever reaches it.

The worker is driven directly, over its socket, with no guard in front: a SERVICE query and a
replayed LOAD to a canary listening on 127.0.0.1 must fail inside the worker, the canary must see
no connection, and the worker must say (first message, then /-/health.json) that it runs in a
network namespace of its own. Where the kernel refuses namespaces the test is skipped with the
worker's reason, which health then reports.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph
from diplograph.server.execution import QueryRequest
from diplograph.server.pool import _Worker


@pytest.fixture
def worker() -> Iterator[_Worker]:
    w = _Worker({})
    yield w
    w.kill()


def test_a_worker_reached_without_the_guard_cannot_connect(worker: _Worker, canary: Any) -> None:
    kind, isolation = worker.conn.recv()
    assert kind == "hello"
    if isolation != "netns":
        pytest.skip(f"this kernel gives no network namespace: {isolation}")
    worker.conn.send(("sync", [], None))
    assert worker.conn.recv()[0] == "ok"
    request = QueryRequest(
        sparql=f"SELECT * WHERE {{ SERVICE <{canary.url}sparql> {{ ?s ?p ?o }} }}",
        form="SELECT",
        fmt="json",
    )
    worker.conn.send(("query", [], dataclasses.asdict(request)))
    reply = worker.conn.recv()
    assert reply[0] == "error" and reply[1] == "failed", reply
    # a write replayed into the worker's copy: LOAD from the canary
    worker.conn.send(("sync", [("update", f"LOAD <{canary.url}data.ttl>", 1)], None))
    reply = worker.conn.recv()
    assert reply[0] == "error" and reply[1] == "sync", reply
    assert canary.hits == 0


def test_health_reports_the_workers_network(
    make_app: Callable[..., Flask], graph: DiploGraph
) -> None:
    client = make_app(graph=graph, workers=1).test_client()
    deadline = time.monotonic() + 300  # a worker loads the store first; generous on a busy box
    health = client.get("/-/health.json").json
    while health["workers_ready"] < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
        health = client.get("/-/health.json").json
    assert health["workers_ready"] == 1
    (isolation,) = health["worker_network"]
    assert isolation == "netns" or isolation.startswith("none: "), isolation
