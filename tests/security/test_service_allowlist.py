"""An allow-listed SERVICE is answered, from a worker, and only that one (issue 16).

Query workers give up the network (tests/security/test_worker_network.py), so with a
``service_allowlist`` set they keep it: the engine calls the endpoint itself, from the worker.
Here a real SPARQL endpoint on 127.0.0.1 (a few lines of http.server answering SPARQL JSON) is
allow-listed: a federated query returns its row, a SERVICE to another endpoint is still a 403
and reaches nobody, and /-/health.json says why the workers have the network.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph
from diplograph.server.sandbox import NETWORK_FOR_SERVICE

ROWS = {
    "head": {"vars": ["o"]},
    "results": {"bindings": [{"o": {"type": "literal", "value": "from the remote endpoint"}}]},
}


class Endpoint:
    """A SPARQL endpoint on 127.0.0.1 that answers every query with :data:`ROWS` and counts
    the requests it got."""

    def __init__(self) -> None:
        self.hits = 0
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                endpoint.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.dumps(ROWS).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    e = Endpoint()
    yield e
    e.close()


def _ready(client: FlaskClient) -> dict:
    deadline = time.monotonic() + 300  # a worker loads the store first; generous on a busy box
    health = client.get("/-/health.json").json
    while health["workers_ready"] < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
        health = client.get("/-/health.json").json
    assert health["workers_ready"] >= 1
    return health


def test_an_allow_listed_service_is_called_from_the_worker(
    make_app: Callable[..., Flask], graph: DiploGraph, endpoint: Endpoint
) -> None:
    client = make_app(
        graph=graph, workers=1, fast_path=False, service_allowlist=[endpoint.url]
    ).test_client()
    health = _ready(client)
    assert health["worker_network"] == [f"none: {NETWORK_FOR_SERVICE}"]
    query = f"SELECT ?o WHERE {{ SERVICE <{endpoint.url}sparql> {{ ?s ?p ?o }} }}"
    got = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert got.status_code == 200, got.get_data(as_text=True)
    assert got.json["results"]["bindings"] == ROWS["results"]["bindings"]
    assert endpoint.hits == 1


def test_a_service_off_the_list_is_refused_and_reaches_nobody(
    make_app: Callable[..., Flask], graph: DiploGraph, endpoint: Endpoint
) -> None:
    client = make_app(
        graph=graph, workers=1, service_allowlist=["http://data.example/sparql"]
    ).test_client()
    _ready(client)
    query = f"SELECT ?o WHERE {{ SERVICE <{endpoint.url}sparql> {{ ?s ?p ?o }} }}"
    got = client.get("/sparql", query_string={"query": query})
    assert got.status_code == 403
    assert "service_allowlist" in got.json["error"]
    assert endpoint.hits == 0


def test_without_an_allow_list_the_workers_give_up_the_network(
    make_app: Callable[..., Flask], graph: DiploGraph
) -> None:
    client = make_app(graph=graph, workers=1).test_client()
    (isolation,) = _ready(client)["worker_network"]
    assert NETWORK_FOR_SERVICE not in isolation
    assert isolation == "netns" or isolation.startswith("none: "), isolation
