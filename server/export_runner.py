"""The server's end of the export processes (:mod:`.export_proc`): network exports drawn out of
the server process.

:class:`ExportProcesses` keeps the processes, started when first needed (about a second: they
import networkx and rdflib) and kept for the next export; at most ``export_slots`` draw at once
(:mod:`.admission` refuses one more), so at most that many are kept, each for ``spare_idle``
seconds after its last export. :meth:`ExportProcesses.draw`
hands one a :class:`~.export_proc.Job` and answers its questions from the request's thread: each
of its queries runs through :func:`~.context.run_query` like a page's (the guard, a query worker,
``query_timeout``), so the server holds no more than one query's result at a time and the
interpreter lock only to pass bytes on. Between two questions the process has ``query_timeout``
seconds to draw; one that takes longer is killed (503), one that dies (its address space is
capped at ``worker_memory``, or a bug) costs only itself (500), and a query that fails (timeout,
busy workers) ends the export with that query's error, the process killed mid-drawing, and so
does a client that hangs up (as a query's, :data:`.pool.CLIENT_GONE`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from diplograph import formats
from diplograph.errors import DiplographError, QueryCrashed, QueryTimeout
from diplograph.server.export_proc import Job
from diplograph.server.guarded_graph import GuardedGraph
from diplograph.server.pool import CLIENT_GONE
from diplograph.server.worker import Hello
from diplograph.server.worker_handle import WorkerProcess
from diplograph.server.workers import CANCEL_POLL, ClientGone

log = logging.getLogger("diplograph.server.exports")

#: Seconds a new export process may take to say hello (it imports networkx and rdflib).
START_TIMEOUT = 120.0

Urls = Callable[[list[str]], list[str]]


class ExportProcesses:
    """Export processes of one server: ``memory_mb`` caps each one's address space (0: none)."""

    def __init__(self, memory_mb: int, idle_for: float = 0.0) -> None:
        self.memory_mb = memory_mb
        self.idle_for = idle_for  # seconds an idle process is kept (0: stopped at once)
        self._idle: list[WorkerProcess] = []
        self._lock = threading.Lock()
        self._closed = False
        self._stop = threading.Event()
        if idle_for > 0:
            threading.Thread(
                target=_expire,
                args=(weakref.ref(self), self._stop, min(idle_for, 5.0)),
                name="diplograph-exports-janitor",
                daemon=True,
            ).start()

    def draw(
        self, job: Job, graph: GuardedGraph, urls: Urls, timeout: float
    ) -> tuple[bytes, int, int]:
        """``job`` drawn by an export process: (bytes, nodes, edges). Its questions are answered
        from ``graph`` (queries, graph names) and ``urls`` (where this server shows IRIs);
        ``timeout``: the seconds it may draw between two of them."""
        proc = self._take()
        done = False
        gone = CLIENT_GONE.get()
        try:
            proc.conn.send(tuple(job))
            while True:
                if not _answered(proc, timeout, gone):
                    raise QueryTimeout(
                        f"Drawing the export ran longer than {timeout:g} s and was stopped "
                        "(setting query_timeout). Narrow it down: a shorter period, one actor, "
                        "group=N or top=M."
                    )
                message = proc.conn.recv()
                if message[0] == "done":
                    done = True
                    return message[1], message[2], message[3]
                if message[0] == "error":
                    done = True
                    error: DiplographError = message[1]
                    raise error
                proc.conn.send(_answer(message, graph, urls))
        except (EOFError, OSError):
            raise QueryCrashed(
                "The process drawing the export ended without an answer: it may have needed more "
                "memory than the setting worker_memory allows. Narrow the export down."
            ) from None
        finally:
            if done:
                self._give_back(proc)
            else:  # mid-drawing: its state is unknown, never reuse it
                proc.kill()

    def _take(self) -> WorkerProcess:
        while True:
            with self._lock:
                idle = self._idle.pop() if self._idle else None
            if idle is None:
                break
            if idle.alive():
                return idle
            log.warning("export process %s died while idle (%s)", idle.pid, idle.status())
            idle.kill()
        proc = WorkerProcess({}, self.memory_mb, 0, module="diplograph.server.export_proc")
        try:
            if not proc.conn.poll(START_TIMEOUT):
                raise EOFError
            hello = proc.conn.recv()
            if not isinstance(hello, Hello):
                raise EOFError
        except (EOFError, OSError):
            proc.kill()
            raise QueryCrashed(
                f"No export process could be started ({proc.status()}); see the server's log."
            ) from None
        log.info("export process %s started (network: %s)", proc.pid, hello.isolation)
        return proc

    def _give_back(self, proc: WorkerProcess) -> None:
        proc.idle_since = time.monotonic()
        with self._lock:
            if not self._closed and self.idle_for > 0:
                self._idle.append(proc)
                return
        proc.kill()

    def _stop_expired(self) -> None:
        """Stop the processes idle for ``idle_for`` seconds (their memory goes back)."""
        now = time.monotonic()
        with self._lock:
            expired = [p for p in self._idle if now - p.idle_since >= self.idle_for]
            self._idle = [p for p in self._idle if p not in expired]
        for proc in expired:
            log.info("export process %s stopped after %g s idle", proc.pid, self.idle_for)
            proc.kill()

    def close(self) -> None:
        """Stop the idle processes (idempotent); one drawing is stopped when it gives back."""
        self._stop.set()
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for proc in idle:
            with contextlib.suppress(OSError):
                proc.conn.close()
            proc.kill()


def _expire(ref: weakref.ref[ExportProcesses], stop: threading.Event, every: float) -> None:
    """Every ``every`` seconds until the processes are closed or dropped: stop expired ones."""
    while not stop.wait(every):
        processes = ref()
        if processes is None:
            return
        processes._stop_expired()
        del processes


def _answered(proc: WorkerProcess, timeout: float, gone: Callable[[], bool] | None) -> bool:
    """Whether ``proc`` says something within ``timeout`` seconds; :class:`ClientGone` as soon
    as the client has hung up (the export is then stopped like a query)."""
    deadline = time.monotonic() + timeout
    step = CANCEL_POLL if gone is not None else timeout
    while (left := deadline - time.monotonic()) > 0:
        if gone is not None and gone():
            log.info("export process %s stopped: its client hung up", proc.pid)
            raise ClientGone("The client disconnected; its export was stopped.")
        if proc.conn.poll(min(left, step)):
            return True
    return proc.conn.poll(0)


def _answer(message: tuple[Any, ...], graph: GuardedGraph, urls: Urls) -> Any:
    """The server's answer to an export process's question (:mod:`.export_proc` lists them)."""
    if message[0] == "run":
        _, text, accept, key, default_graphs, named_graphs = message
        ran = graph.run_text(
            text,
            accept=accept,
            fmt=formats.get(key) if key else None,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        return ran.body, ran.fmt.key, ran.truncated
    if message[0] == "named_graphs":
        return [str(g) for g in graph.named_graphs()]
    if message[0] == "urls":
        return urls(message[1])
    raise ValueError(f"an export process asked {message[0]!r}")  # a bug: 500
