"""Issue 16, admission: a query whose client hung up stops running.

A real ``diplograph serve`` (waitress) with one query worker, no spare, and a timeout and queue
wait of ten minutes: a raw socket sends a query that would run for hours and closes once the
server has taken it. The worker must be killed and replaced (a new process id, the old one gone)
and the next query answered, long before the timeout could have freed the worker. The same for a
network export: its export process (stopped by the test, so that the export never ends) is killed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from tests.server.conftest import export_processes

pytestmark = pytest.mark.slow

VALUES = "VALUES ?{v} {{ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }}"
#: 20^8 rows to count: hours of work
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(VALUES.format(v=v) for v in "abcdefgh") + " }"
)
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#State> } ORDER BY ?s"


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 300  # far below the 600 s timeout, generous for a busy box
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=300) as r:
        return json.load(r)


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_a_query_whose_client_hung_up_is_stopped_and_its_worker_freed(
    serve_sample: Callable[..., Any],
) -> None:
    server = serve_sample(
        *("--workers", "1", "--spare-workers", "0", "--long-query", "0"),
        *("--query-timeout", "600", "--queue-wait", "600", "--result-cache", "0"),
    )
    health = f"{server.url}/-/health.json"
    wait_for(lambda: get_json(health)["workers_ready"] == 1, "the worker")
    (pid,) = get_json(health)["worker_pids"]
    body = urllib.parse.urlencode({"query": ENDLESS}).encode()
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=60) as client:
        client.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Accept: application/sparql-results+json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        # the request is running (counted by admission) on the only worker
        wait_for(lambda: get_json(health)["requests"]["running"] == 1, "the query to run")
    # the client has hung up: the worker is killed and a new one takes its place
    wait_for(lambda: gone(pid), "the worker of the abandoned query to be killed")
    wait_for(
        lambda: get_json(health)["workers_ready"] == 1 and get_json(health)["worker_pids"] != [pid],
        "a new worker",
    )
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": STATES})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=300) as r:
        rows = json.load(r)["results"]["bindings"]
    assert len(rows) == 3
    assert get_json(health)["requests"]["running"] == 0
    log = server.log.read_text(errors="replace")
    assert "its client hung up" in log


def test_an_export_whose_client_hung_up_is_stopped_with_its_process(
    serve_sample: Callable[..., Any],
) -> None:
    server = serve_sample(*("--workers", "1", "--query-timeout", "600", "--queue-wait", "600"))
    health = f"{server.url}/-/health.json"
    wait_for(lambda: get_json(health)["workers_ready"] == 1, "the worker")
    with urllib.request.urlopen(f"{server.url}/export/full.d3", timeout=300) as r:
        assert r.status == 200
    (pid,) = export_processes(server.pid)  # kept for the next export
    os.kill(pid, signal.SIGSTOP)  # the next export never ends by itself
    try:
        host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
        with socket.create_connection((host, int(port)), timeout=60) as client:
            client.sendall(b"GET /export/full.graphml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            wait_for(lambda: get_json(health)["exports"]["running"] == 1, "the export to run")
        # the client has hung up: the export process is killed, long before query_timeout
        wait_for(lambda: gone(pid), "the export process of the abandoned export to be killed")
        wait_for(lambda: get_json(health)["exports"]["running"] == 0, "the export slot")
    finally:
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)
    with urllib.request.urlopen(f"{server.url}/export/full.graphml", timeout=300) as r:
        assert r.status == 200  # drawn by a new process
    assert "its client hung up" in server.log.read_text(errors="replace")
