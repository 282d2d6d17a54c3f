"""An ETag is never served with two different bodies, even while writes land (issue 16): a tag
names the store generation its answer was computed at, not the one current when the request
began (a worker may answer from a write that landed in between)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask

from diplograph.graph.store import open_graph

pytestmark = pytest.mark.slow

TOKEN = "etag-t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G = "urn:test:etags"
QUERY = f"SELECT ?o {{ GRAPH <{G}> {{ ?s <urn:p> ?o }} }} ORDER BY ?o"


@pytest.mark.parametrize("result_cache", [0, 1_000_000])
def test_each_etag_has_one_body_while_writes_land(
    make_app: Callable[..., Flask], result_cache: int
) -> None:
    graph = open_graph("memory:")
    graph.update(f'INSERT DATA {{ GRAPH <{G}> {{ <urn:s> <urn:p> "0" }} }}')
    app = make_app(graph=graph, workers=2, update_token=TOKEN, result_cache=result_cache)
    c = app.test_client()
    deadline = time.monotonic() + 300
    while c.get("/-/health.json").json["workers_ready"] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    requests = [
        ("/sparql", {"query": QUERY}, {"Accept": "application/sparql-results+json"}),
        ("/store", {"graph": G}, {"Accept": "application/n-triples"}),
    ]
    seen: dict[str, set[bytes]] = {}
    lock = threading.Lock()
    writes = 0
    stop = threading.Event()
    errors: list[str] = []

    def read() -> None:
        reader = app.test_client()
        while not stop.is_set():
            for path, args, headers in requests:
                r = reader.get(path, query_string=args, headers=headers)
                if r.status_code == 503 and "Retry-After" in r.headers:
                    continue  # every worker busy on a crowded machine: not what is tested
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code} {r.get_data(as_text=True)[:200]}")
                    continue
                tag = r.headers.get("ETag")
                if tag is not None:
                    with lock:
                        seen.setdefault(f"{path} {tag}", set()).add(r.get_data())

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for i in range(1, 41):
            r = c.post(
                "/update",
                data={"update": f'INSERT DATA {{ GRAPH <{G}> {{ <urn:s> <urn:p> "{i}" }} }}'},
                headers=AUTH,
            )
            assert r.status_code == 204, r.get_data(as_text=True)
            writes += 1
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert errors == []
    assert writes == 40
    assert len(seen) > 10  # the readers read through the writes
    twice = {tag: len(bodies) for tag, bodies in seen.items() if len(bodies) > 1}
    assert twice == {}
    graph.close()
