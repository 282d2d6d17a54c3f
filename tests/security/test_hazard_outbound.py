"""Hazard 3 of issue 10: no query or update opens a local file or a socket. A FIFO stands for
the local file: opening it for reading would block until a writer comes, so a request that
tried would never be answered; and afterwards no reader holds it (opening its write end without
blocking fails with ENXIO). A listening socket stands for the outside host: its backlog stays
empty. Both the request thread (``workers = 0``) and a real worker process are checked."""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph

UPDATE = "application/sparql-update"


def queries(fifo: str, url: str) -> list[str]:
    return [
        f"SELECT * FROM <file://{fifo}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <file://{fifo}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <file://{fifo}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX f: <file://{os.path.dirname(fifo)}/> SELECT * FROM f:{os.path.basename(fifo)} "
        "WHERE { ?s ?p ?o }",
        f"DESCRIBE <file://{fifo}>",
        f"ASK {{ GRAPH <file://{fifo}> {{ ?s ?p ?o }} }}",
    ]


def updates(fifo: str, url: str) -> list[str]:
    return [
        f"LOAD <file://{fifo}>",
        f"LOAD SILENT <file://{fifo}> INTO GRAPH <urn:x>",
        f"LOAD <{url}data.ttl>",
        f"INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def no_reader(fifo: Path) -> bool:
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        return exc.errno == errno.ENXIO
    os.close(fd)
    return False


def answered(run: Callable[[], None]) -> bool:
    """Run the requests in a thread; False if they hang (a blocked open of the FIFO)."""
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(120)  # a hang guard, not a timing assertion
    return not t.is_alive()


@pytest.mark.parametrize("workers", [0, 1])
def test_no_file_or_socket_is_opened(
    tmp_path: Path,
    make_app: Callable[..., Flask],
    graph: DiploGraph,
    auth: dict[str, str],
    fingerprint: Callable[..., object],
    listener: tuple[socket.socket, str],
    never_contacted: Callable[[socket.socket], bool],
    workers: int,
) -> None:
    srv, url = listener
    fifo = tmp_path / "secret.ttl"
    os.mkfifo(fifo)
    before = fingerprint(graph)
    token = auth["Authorization"].removeprefix("Bearer ")
    c = make_app(graph=graph, workers=workers, update_token=token).test_client()
    statuses: list[tuple[str, int, str]] = []

    def run() -> None:
        for q in queries(str(fifo), url):
            r = c.get("/sparql", query_string={"query": q})
            statuses.append((q, r.status_code, str((r.json or {}).get("error", ""))))
        for u in updates(str(fifo), url):
            r = c.post("/update", data=u.encode(), content_type=UPDATE, headers=auth)
            statuses.append((u, r.status_code, str((r.json or {}).get("error", ""))))

    assert answered(run), "a request blocked: something opened the FIFO"
    assert no_reader(fifo)
    assert never_contacted(srv)
    refused = [(text, code) for text, code, message in statuses if code == 403]
    assert all("allow-list" in message for _, code, message in statuses if code == 403)
    # every form that names the file or the host is refused, except a GRAPH pattern or a
    # DESCRIBE, which only match graph names and IRIs already in the store (no result)
    assert len(refused) == len(statuses) - 2, statuses
    rest = {text: code for text, code, _ in statuses if code != 403}
    assert set(rest.values()) == {200}, rest
    assert fingerprint(graph) == before
