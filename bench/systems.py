"""The systems the side-by-side benchmark measures, each behind the same small interface.

- :class:`InProcess`: a query engine inside a child process of the harness (diplograph's default
  store opened with :func:`diplograph.graph.store.open_graph`, or rdflib's in-memory ``Dataset``
  with its own SPARQL engine). The child loads (or opens) the data, then runs the queries it is
  sent and reports each repetition's time. A query that overruns the timeout is a timeout: for
  rdflib each query runs in a forked grandchild, which is killed; diplograph's child (RocksDB
  threads cannot be forked safely) is killed and started again.
- :class:`HttpServer`: a SPARQL server started as a subprocess on a free 127.0.0.1 port and
  stopped by PID: ``diplograph serve``, ``oxigraph serve-read-only``, ``rdflib-endpoint serve``.
  Queries go by GET (so the cached path can send ``If-None-Match``) over a kept-alive connection;
  a client timeout is a timeout, and the server is restarted so the abandoned query stops using
  the cores.

Timing: one warm-up run, then up to ``reps`` runs, stopping after 3 once ``budget`` seconds are
spent; wall-clock per run, including reading the whole result.
"""

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ACCEPT = {"SELECT": "application/sparql-results+json", "CONSTRUCT": "application/n-triples"}


@dataclass
class Outcome:
    times: list[float] = field(default_factory=list)  # seconds, warm runs only
    status: str = "ok"  # ok | timeout | error: ... | skipped: ...
    size: int = 0  # rows (in process) or bytes (HTTP) of the last run


def hwm_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of a process, MB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- in process ----------------------------------------------------------------------------------
def _open(kind: str, location: str) -> Callable[[str], int]:
    if kind == "diplograph":
        from diplograph.graph.store import open_graph

        graph = open_graph(location, read_only=True)
        return lambda text: len(graph.query(text))
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(location, format="nquads")

    def run(text: str) -> int:
        result = ds.query(text)
        if result.type == "SELECT":
            return len(list(result))
        return len(result.graph) if result.graph is not None else 0

    return run


def _repeat(run: Callable[[str], int], text: str, reps: int, budget: float, emit: Any) -> None:
    spent = 0.0
    for i in range(reps + 1):
        start = time.perf_counter()
        size = run(text)
        took = time.perf_counter() - start
        emit(("time", i == 0, took, size))
        spent += took if i else 0.0
        if i >= 3 and spent > budget:
            break


def _child(kind: str, location: str, conn: Connection, fork_each: bool) -> None:
    start = time.perf_counter()
    run = _open(kind, location)
    conn.send(("loaded", time.perf_counter() - start, hwm_mb(os.getpid())))
    while (msg := conn.recv()) is not None:
        text, reps, budget = msg
        try:
            if not fork_each:
                _repeat(run, text, reps, budget, conn.send)
            else:
                _forked(run, text, reps, budget, conn)
        except Exception as exc:  # reported as the query's outcome
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
        conn.send(("done",))
    conn.close()


def _forked(run: Callable[[str], int], text: str, reps: int, budget: float, conn: Any) -> None:
    import pickle

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # grandchild: run, write pickled messages, leave without cleanup
        os.close(r)
        out = os.fdopen(w, "wb")

        def emit(message: object) -> None:
            pickle.dump(message, out)
            out.flush()

        try:
            _repeat(run, text, reps, budget, emit)
        except Exception as exc:
            pickle.dump(("error", f"{type(exc).__name__}: {exc}"[:300]), out)
            out.flush()
        os._exit(0)
    os.close(w)
    conn.send(("pid", pid))
    with os.fdopen(r, "rb") as inp:
        while True:
            try:
                conn.send(pickle.load(inp))
            except EOFError:
                break
    os.waitpid(pid, 0)


class InProcess:
    """A query engine in a child process (see the module docstring)."""

    def __init__(self, name: str, kind: str, location: str) -> None:
        self.name, self.kind, self.location = name, kind, location
        self.fork_each = kind == "rdflib"
        self.proc: Any = None
        self.conn: Connection | None = None
        self.load_seconds = 0.0
        self.peak_mb = 0.0

    def start(self, timeout: float = 7200) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(
            target=_child, args=(self.kind, self.location, theirs, self.fork_each), daemon=True
        )
        self.proc.start()
        theirs.close()
        if not self.conn.poll(timeout):
            raise RuntimeError(f"{self.name} did not load in {timeout} s")
        _, self.load_seconds, rss = self.conn.recv()
        self.peak_mb = max(self.peak_mb, rss)

    def run(self, text: str, kind: str, reps: int, budget: float, timeout: float) -> Outcome:
        assert self.conn is not None
        out, grandchild = Outcome(), None
        self.conn.send((text, reps, budget))
        while True:
            if not self.conn.poll(timeout):
                out.status = "timeout"
                if grandchild is not None:
                    os.kill(grandchild, signal.SIGKILL)
                    self._drain()
                else:
                    self.stop()
                    self.start()
                return out
            msg = self.conn.recv()
            if msg[0] == "pid":
                grandchild = msg[1]
            elif msg[0] == "time":
                _, warm, took, out.size = msg
                if not warm:
                    out.times.append(took)
            elif msg[0] == "error":
                out.status = "error: " + msg[1]
            elif msg[0] == "done":
                return out

    def _drain(self) -> None:
        assert self.conn is not None
        while self.conn.poll(30):
            if self.conn.recv()[0] == "done":
                return

    def stop(self) -> float:
        if self.proc is not None:
            self.peak_mb = max(self.peak_mb, hwm_mb(self.proc.pid))
            self.proc.kill()
            self.proc.join()
            self.proc = None
        return self.peak_mb


# -- over HTTP -----------------------------------------------------------------------------------
class HttpServer:
    """A SPARQL server in a subprocess on 127.0.0.1 (see the module docstring)."""

    def __init__(
        self, name: str, cmd: Callable[[int], list[str]], path: str, ready_path: str | None = None
    ) -> None:
        self.name, self.cmd, self.path = name, cmd, path
        self.ready_path = ready_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.start_seconds = 0.0
        self.peak_mb = 0.0
        self.log = Path(f"/tmp/diplograph-bench-{name.replace(' ', '-')}-{os.getpid()}.log")

    def start(self, timeout: float = 7200) -> None:
        self.port = free_port()
        begin = time.perf_counter()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.cmd(self.port), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        probe = self.ready_path or self.url("ASK {}")
        while time.perf_counter() - begin < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                status, body = self.get(probe, "application/json", timeout=5)
                if status == 200 and (self.ready_path is None or self._ready(body)):
                    self.start_seconds = time.perf_counter() - begin
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s; see {self.log}")

    @staticmethod
    def _ready(body: bytes) -> bool:
        import json

        health = json.loads(body)
        return bool(health.get("workers_ready", 1)) and health.get("workers_ready", 0) >= 1

    def url(self, text: str) -> str:
        return f"{self.path}?{urllib.parse.urlencode({'query': text})}"

    def get(
        self,
        target: str,
        accept: str,
        *,
        timeout: float,
        conn: http.client.HTTPConnection | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        own = conn is None
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request("GET", target, headers={"Accept": accept, **(headers or {})})
            response = c.getresponse()
            return response.status, response.read()
        finally:
            if own:
                c.close()

    def run(self, text: str, kind: str, reps: int, budget: float, timeout: float) -> Outcome:
        out = Outcome()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        target, spent = self.url(text), 0.0
        try:
            for i in range(reps + 1):
                start = time.perf_counter()
                status, body = self.get(target, ACCEPT[kind], timeout=timeout, conn=conn)
                took = time.perf_counter() - start
                if status != 200:
                    if status in (500, 503) and b"timeout" in body.lower():
                        out.status = "timeout"
                    else:
                        out.status = f"error: HTTP {status} {body[:200]!r}"
                    return out
                out.size = len(body)
                if i:
                    out.times.append(took)
                    spent += took
                if i >= 3 and spent > budget:
                    break
        except TimeoutError:
            out.status = "timeout"
            conn.close()
            self.stop()
            self.start()
        except (OSError, http.client.HTTPException) as exc:
            out.status = f"error: {type(exc).__name__}: {exc}"
        finally:
            conn.close()
        return out

    def stop(self) -> float:
        if self.proc is not None:
            pids = tree(self.proc.pid)
            self.peak_mb = max(self.peak_mb, sum(hwm_mb(p) for p in pids))
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for p in pids[1:]:  # workers that outlived their parent
                with contextlib.suppress(ProcessLookupError):
                    os.kill(p, signal.SIGKILL)
            self.proc = None
        return self.peak_mb


def throughput(
    server: HttpServer,
    text: str,
    kind: str,
    *,
    seconds: float,
    max_requests: int,
    concurrency: int = 8,
    timeout: float = 30,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> tuple[float, int, int]:
    """Requests/s at ``concurrency`` kept-alive clients for at most ``seconds`` and
    ``max_requests``: (rate, answered as expected, other answers or failures)."""
    target = server.url(text)
    lock = threading.Lock()
    counts = {"ok": 0, "bad": 0, "sent": 0}
    deadline = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        while time.perf_counter() < deadline:
            with lock:
                if counts["sent"] >= max_requests:
                    break
                counts["sent"] += 1
            try:
                status, _ = server.get(
                    target, ACCEPT[kind], timeout=timeout, conn=conn, headers=headers
                )
                key = "ok" if status == expect else "bad"
            except (OSError, http.client.HTTPException):
                key = "bad"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
            with lock:
                counts[key] += 1
        conn.close()

    start = time.perf_counter()
    pool = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    return counts["ok"] / elapsed, counts["ok"], counts["bad"]
