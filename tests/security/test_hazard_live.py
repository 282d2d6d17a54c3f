"""Slow and oversized bodies against a real ``diplograph serve`` (waitress) on 127.0.0.1:
clients that trickle their headers or body, or stop half-way, hold no request thread, so
others are served meanwhile; a body announced larger than ``max_body`` is a 413 before it is
read; the requests waitress refuses itself (413, 431, 400) have the app's JSON error body; the
server lives and its store is unchanged."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("diplograph"))
DATA = '<urn:s> <urn:p> "kept" .\n'


def port_free() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    root = tmp_path_factory.mktemp("live")
    data = root / "kept.nt"
    data.write_text(DATA, encoding="utf-8")
    store = f"oxigraph:{root / 'store'}"
    subprocess.run([EXE, "--store", store, "ingest", "-q", str(data)], check=True)
    port = port_free()
    log = root / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [EXE, "--store", store, "serve", "--port", str(port), "--threads", "4",
             "--workers", "1", "--max-body", "10000"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        while True:  # no time limit of our own: a server that never answers fails the run
            assert proc.poll() is None, log.read_text()
            try:
                status, body = get(port, "/-/health.json")
                if status == 200 and json.loads(body)["workers_ready"] == 1:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        yield port, log
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait()


def count_query(port: int) -> tuple[int, str]:
    q = urllib.parse.urlencode({"query": "SELECT ?o WHERE { ?s <urn:p> ?o }", "format": "json"})
    status, body = get(port, "/sparql?" + q)
    values = [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]]
    return status, ",".join(values)


def test_slow_and_stalled_clients_do_not_block_others(server: tuple[int, Path]) -> None:
    port, log = server
    stalled = []
    # more stalled clients than request threads: headers cut off, bodies announced and not sent
    for i in range(12):
        s = socket.create_connection(("127.0.0.1", port))
        if i % 2:
            s.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                b"\r\nContent-Length: 5000\r\n\r\nSELECT * WHERE {"
            )
        else:
            s.sendall(b"GET /sparql?query=ASK")  # no end of line, no end of headers
        stalled.append(s)
    try:
        for _ in range(5):
            assert count_query(port) == (200, "kept")
        # a trickling client still gets its answer
        s = socket.create_connection(("127.0.0.1", port))
        request = b"GET /sparql?query=ASK%7B%7D&format=json HTTP/1.1\r\nHost: x\r\n\r\n"
        for i, byte in enumerate(request):
            s.sendall(bytes([byte]))
            if i == len(request) // 2:  # half-way through, others are served
                assert count_query(port) == (200, "kept")
        s.settimeout(60)
        answer = b""
        while b"boolean" not in answer and (chunk := s.recv(65536)):
            answer += chunk
        s.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"boolean":true' in answer
    finally:
        for s in stalled:
            s.close()
    assert count_query(port) == (200, "kept")
    assert "Traceback" not in log.read_text()


def test_an_announced_oversized_body_is_a_413_before_it_is_sent(
    server: tuple[int, Path],
) -> None:
    port, log = server
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(60)
    s.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 50000000\r\n\r\nSELECT"
    )
    status, headers, body = read_refusal(s)
    assert status == 413, headers
    assert b"content-type: application/json" in headers.lower()
    assert json.loads(body) == {
        "error": "The request body is larger than this server accepts (setting max_body).",
        "status": 413,
    }
    assert count_query(port) == (200, "kept")
    assert "Traceback" not in log.read_text()


HEAD = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: "


def read_refusal(s: socket.socket) -> tuple[int, bytes, bytes]:
    """(status, header block, body) of the answer on ``s``, read until the server closes it."""
    answer = b""
    while chunk := s.recv(65536):
        answer += chunk
    s.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


@pytest.mark.parametrize(
    ("request_bytes", "status", "says"),
    [
        # headers reaching waitress's limit (256 KiB), and no more: a byte the server leaves
        # unread when it closes would turn its close into a reset that can lose the answer
        (HEAD.ljust(256 * 1024, b"a"), 431, "Request Header Fields Too Large"),
        # a request line waitress cannot read
        (b"GET /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", 400,
         "Bad Request"),
    ],
)  # fmt: skip
def test_requests_the_http_layer_refuses_get_the_json_error_body(
    server: tuple[int, Path], request_bytes: bytes, status: int, says: str
) -> None:
    port, log = server
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(60)
    with contextlib.suppress(ConnectionResetError, BrokenPipeError):
        s.sendall(request_bytes)
    got, headers, body = read_refusal(s)
    assert got == status, headers
    assert b"content-type: application/json" in headers.lower()
    answer = json.loads(body)
    assert answer["status"] == status
    assert answer["error"].startswith(says + ": "), answer
    assert count_query(port) == (200, "kept")
    assert "Traceback" not in log.read_text()
