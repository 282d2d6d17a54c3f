"""Admission (issue 16): when every query worker is busy a query gets a prompt 503 with
``Retry-After`` (after ``queue_wait``, not after ``query_timeout``), and ``/-/health.json`` is
answered while every request slot serves a heavy query (``reserved_threads``)."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#State> } ORDER BY ?s"
VALUES = "VALUES ?{v} {{ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }}"
#: 20^8 rows to count: it runs until the timeout stops it
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(VALUES.format(v=v) for v in "abcdefgh") + " }"
)


def wait_for(condition: Callable[[], bool], what: str, deadline: float = 120) -> None:
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_query_finding_every_worker_busy_is_refused_before_the_timeout(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    # without queue_wait this request would wait for the 600 s timeout (the fast path off: it
    # would answer this small query in the server process, without a worker)
    app = make_app(graph=sample, workers=1, query_timeout=600, queue_wait=0.2, fast_path=False)
    c = app.test_client()
    wait_for(lambda: c.get("/-/health.json").json["workers_ready"] == 1, "the worker")
    pool = app.extensions["diplograph"].executor
    held = pool._take_idle(60)  # the only worker is taken, as by a long query
    out: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: out.update(r=c.get("/sparql", query_string={"query": STATES}))
    )
    t.start()
    t.join(timeout=120)
    finished = not t.is_alive()
    pool._put_idle(held)
    t.join()
    assert finished, "the query waited for a worker far beyond queue_wait"
    r = out["r"]
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert r.json["status"] == 503
    assert "busy" in r.json["error"] and "queue_wait" in r.json["error"]
    assert c.get("/sparql", query_string={"query": STATES}).status_code == 200


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _hold(url: str) -> None:
    """A heavy request, left running until the server is stopped under it."""
    # URLError and ConnectionError are OSErrors; a body cut by the shutdown is an IncompleteRead
    with contextlib.suppress(OSError, http.client.HTTPException):
        _get(url)


def _health(server: Any) -> dict[str, Any]:
    status, _, body = _get(server.url + "/-/health.json")
    assert status == 200
    return dict(json.loads(body))


@pytest.mark.slow
def test_health_is_answered_and_extra_requests_refused_when_every_slot_is_busy(
    serve_sample: Callable[..., Any],
) -> None:
    # 3 threads, 1 kept for health: two heavy requests take every other slot (one in the only
    # worker, one waiting for it)
    server = serve_sample(
        *("--threads", "3", "--reserved-threads", "1", "--workers", "1"),
        *("--spare-workers", "0", "--queue-wait", "600", "--query-timeout", "600"),
    )
    heavy = server.sparql + "?" + urllib.parse.urlencode({"query": CARTESIAN})
    threads = [threading.Thread(target=_hold, args=(heavy,), daemon=True) for _ in range(2)]
    for t in threads:
        t.start()

    wait_for(lambda: _health(server)["requests"]["running"] == 2, "two heavy requests admitted")
    status, headers, body = _get(server.sparql + "?" + urllib.parse.urlencode({"query": STATES}))
    assert status == 503, body[:300]
    assert headers["Retry-After"] == "5"
    error = json.loads(body)
    assert error["status"] == 503 and "try again" in error["error"]
    # the heavy ones are still running: the refusal did not wait for them
    assert all(t.is_alive() for t in threads)
    after = _health(server)
    assert after["requests"] == {"running": 2, "capacity": 2, "refused": 1}


@pytest.mark.slow
def test_exports_beyond_export_slots_are_refused_at_once_and_leave_slots_to_others(
    serve_sample: Callable[..., Any],
) -> None:
    # one worker, held by a heavy query; the first export waits for it inside its slot
    server = serve_sample(
        *("--threads", "8", "--reserved-threads", "1", "--workers", "1", "--export-slots", "1"),
        *("--spare-workers", "0", "--queue-wait", "600", "--query-timeout", "600"),
    )
    heavy = server.sparql + "?" + urllib.parse.urlencode({"query": CARTESIAN})
    export = server.url + "/export/full.d3"
    held = [threading.Thread(target=_hold, args=(url,), daemon=True) for url in (heavy, export)]
    held[0].start()

    wait_for(lambda: _health(server)["requests"]["running"] == 1, "the heavy query admitted")
    held[1].start()
    wait_for(lambda: _health(server)["exports"]["running"] == 1, "the first export admitted")
    status, headers, body = _get(server.url + "/export/actors.graphml")
    assert status == 503, body[:300]
    assert headers["Retry-After"] == "5"
    error = json.loads(body)
    assert "1 network exports already" in error["error"] and "export_slots" in error["error"]
    assert all(t.is_alive() for t in held)
    after = _health(server)
    assert after["exports"] == {"running": 1, "capacity": 1, "refused": 1}
    # the refused export gave its request slot back: two run, none refused
    assert after["requests"] == {"running": 2, "capacity": 7, "refused": 0}
