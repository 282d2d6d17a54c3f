"""Issue 16, defence in depth: a query worker has no network, whatever reaches it.

The worker (one started on its own, and one forked by the zygote) is driven directly, over its
socket, with no guard in front: a SERVICE query and a
replayed LOAD to a canary listening on 127.0.0.1 must fail inside the worker, the canary must see
no connection, and the worker must say (first message, then /-/health.json) that it runs in a
network namespace of its own. Where the kernel refuses namespaces the test is skipped with the
worker's reason, which health then reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph
from diplograph.server.execution import QueryRequest
from diplograph.server.worker import Answer, Failure, Hello, SyncOp
from diplograph.server.worker_handle import WorkerHandle, WorkerProcess, Zygote, zygote_available


@pytest.fixture(params=["process", "forked"])
def worker(request: pytest.FixtureRequest) -> Iterator[WorkerHandle]:
    """A worker started on its own, and one forked by the zygote (which sends its Hello)."""
    if request.param == "process":
        w: WorkerHandle = WorkerProcess({})
        yield w
        w.kill()
        return
    if not zygote_available():
        pytest.skip("no zygote on this platform")
    zygote = Zygote({}, 0, 0.0)
    w = zygote.fork(lambda generation: [])
    yield w
    w.kill()
    zygote.kill()


def test_a_worker_reached_without_the_guard_cannot_connect(
    worker: WorkerHandle, canary: Any
) -> None:
    hello = worker.recv()
    assert isinstance(hello, Hello)
    if hello.isolation != "netns":
        pytest.skip(f"this kernel gives no network namespace: {hello.isolation}")
    worker.send("sync", [])
    assert isinstance(worker.recv(), Answer)
    request = QueryRequest(
        sparql=f"SELECT * WHERE {{ SERVICE <{canary.url}sparql> {{ ?s ?p ?o }} }}",
        form="SELECT",
        fmt="json",
    )
    worker.send("query", [], request)
    reply = worker.recv()
    assert isinstance(reply, Failure) and reply.kind == "failed", reply
    # a write replayed into the worker's copy: LOAD from the canary
    worker.send("sync", [SyncOp("update", f"LOAD <{canary.url}data.ttl>", 1)])
    reply = worker.recv()
    assert isinstance(reply, Failure) and reply.kind == "sync", reply
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
