"""Issue 21 (memory) and issue 16 (spare workers): the query workers share one copy of the store.

Real processes over a generated store of 400,000 quads: the workers are forked from the zygote,
hold the store's pages shared (``Shared_Dirty`` in ``/proc/PID/smaps_rollup``: anonymous pages
written by the zygote before the fork) and little of their own; a query that walks the whole
store makes its worker hold much of it privately, so the pool replaces that worker by a fresh
fork; a killed zygote is started again and the pool serves; the address-space limit of a worker
is sized from the snapshot unless ``worker_memory`` is set.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.sandbox import auto_memory_mb
from diplograph.server.worker_handle import zygote_available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not zygote_available(), reason="no zygote on this platform"),
]

QUADS = 400_000
#: walks every quad and hashes every literal: far past RECYCLE_CHECK_AFTER on any machine
COUNT_ALL = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
ONE = "SELECT ?o WHERE { GRAPH ?g { <urn:s:17> <urn:p:17> ?o } }"


@pytest.fixture(scope="module")
def big() -> Iterator[DiploGraph]:
    """An in-memory store of :data:`QUADS` distinct quads in 10 named graphs."""
    g = open_graph("memory:")
    lines = (
        f'<urn:s:{i}> <urn:p:{i % 50}> "value {i} of the generated store" <urn:g:{i % 10}> .\n'
        for i in range(QUADS)
    )
    assert isinstance(g, OxigraphGraph)
    g.store.load(input="".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    yield g
    g.close()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 300  # generous: a busy machine waits, a hang fails
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def health(c: FlaskClient) -> dict[str, object]:
    body = c.get("/-/health.json").json
    assert body is not None
    return body


def ready(c: FlaskClient, n: int) -> list[int]:
    wait_for(
        lambda: health(c)["workers_ready"] == n and len(health(c)["worker_pids"]) == n, "workers"
    )  # type: ignore[arg-type]
    return list(health(c)["worker_pids"])  # type: ignore[call-overload]


def memory(pid: int) -> dict[str, int]:
    """The kB figures of ``/proc/PID/smaps_rollup``."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value, *_ = line.split()
        out[key.rstrip(":")] = int(value)
    return out


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def address_limit(pid: int) -> str:
    """The soft "Max address space" of process ``pid`` (bytes, or ``unlimited``)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            return line.split()[3]
    raise AssertionError("no address-space line")


def ask(c: FlaskClient, sparql: str) -> list[dict[str, dict[str, str]]]:
    r = c.get("/sparql", query_string={"query": sparql}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json["results"]["bindings"]  # type: ignore[index, no-any-return]


@pytest.fixture
def served(make_app: Callable[..., Flask], big: DiploGraph) -> FlaskClient:
    return make_app(graph=big, workers=2, result_cache=0, query_timeout=300).test_client()


def snapshot_mb(c: FlaskClient) -> float:
    pool = c.application.extensions["diplograph"].executor
    return os.path.getsize(pool._replicas.snapshot.arg) / 2**20


def test_workers_are_forks_of_one_zygote_and_share_its_copy(served: FlaskClient) -> None:
    pids = ready(served, 2)
    zygote = health(served)["zygote_pid"]
    assert isinstance(zygote, int)
    assert {parent(pid) for pid in pids} == {zygote}
    assert ask(served, ONE) == [
        {"o": {"type": "literal", "value": "value 17 of the generated store"}}
    ]
    size_kb = snapshot_mb(served) * 1024
    for pid in pids:
        m = memory(pid)
        # the store's pages: written by the zygote, shared with it (a copy of its own would be
        # Private_Dirty, and Shared_Dirty would be next to nothing)
        assert m["Shared_Dirty"] > size_kb, m
        assert m["Private_Clean"] + m["Private_Dirty"] < m["Shared_Dirty"] / 2, m


def test_a_worker_that_walked_the_whole_store_is_replaced_by_a_fresh_fork(
    served: FlaskClient,
) -> None:
    before = ready(served, 2)
    assert ask(served, COUNT_ALL) == [
        {"n": {"type": "literal", "value": str(QUADS), "datatype": XSD_INTEGER}}
    ]
    # the worker that answered un-shared much of the store: it goes, a fresh fork takes its place
    wait_for(lambda: len(set(ready(served, 2)) - set(before)) == 1, "the worker replaced")
    (fresh,) = set(ready(served, 2)) - set(before)
    m = memory(fresh)
    assert m["Private_Clean"] + m["Private_Dirty"] < m["Shared_Dirty"] / 2, m
    # a cheap query leaves its worker in place
    now = ready(served, 2)
    assert len(ask(served, ONE)) == 1
    assert ready(served, 2) == now


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_a_killed_zygote_is_started_again_and_the_pool_serves(served: FlaskClient) -> None:
    old = ready(served, 2)
    zygote = health(served)["zygote_pid"]
    assert isinstance(zygote, int)
    os.kill(zygote, signal.SIGKILL)
    # its workers die with it (parent-death signal); the pool forks new ones from a new zygote
    wait_for(lambda: not set(health(served)["worker_pids"]) & set(old), "the old workers gone")  # type: ignore[arg-type]
    new = ready(served, 2)
    assert not set(new) & set(old)
    assert health(served)["zygote_pid"] not in (None, zygote)
    assert len(ask(served, ONE)) == 1


def test_the_memory_limit_is_sized_from_the_snapshot_unless_set(
    served: FlaskClient, make_app: Callable[..., Flask], big: DiploGraph
) -> None:
    (pid, _) = ready(served, 2)
    pool = served.application.extensions["diplograph"].executor
    size = os.path.getsize(pool._replicas.snapshot.arg)
    assert address_limit(pid) == str(auto_memory_mb(size) * 2**20)
    assert address_limit(health(served)["zygote_pid"]) == str(auto_memory_mb(size) * 2**20)  # type: ignore[arg-type]
    fixed = make_app(graph=big, workers=1, worker_memory=3000).test_client()
    (pid,) = ready(fixed, 1)
    assert address_limit(pid) == str(3000 * 2**20)
