"""The worker pool: queries run where they can be stopped.

:class:`WorkerPool` keeps a few worker processes (:mod:`.worker`), each with an in-memory copy of
the store. A query goes to an idle worker; if no answer comes within the timeout the worker is
killed (SIGKILL), replaced, and the client gets 503; a worker that dies is replaced too and the
client gets 500. The whole result is built in the worker before the response starts, so a client
never gets a 200 with a cut-off body. Workers are started with ``subprocess`` (fork+exec), never
by forking the multi-threaded server.

Updates are evaluated in a worker too (:meth:`WorkerPool.changes`, :mod:`.update_delta`); writes
go to the durable store, one at a time, then reach the workers through the N-Quads snapshot the
workers load and a log of writes since (:mod:`.replicas`). A worker handles one message at a
time, so a query sees the store before a write or after it, never in between.
 :func:`make_executor` picks
this pool or the :class:`~.execution.InlineExecutor`.

A query still running after ``long_query`` seconds is a long query. The worker runs each query
in a thread of its own and moves that thread to the idle CPU class (``SCHED_IDLE``: it runs only
on CPU time nobody else wants), so heavy queries cannot slow the short ones on a busy machine;
the next query gets a new thread at normal priority (no privilege is needed: nothing is ever
raised back). And so that short queries keep finding workers, the pool may run a spare worker
for each long query (at most ``spare_workers`` in all): one is started when a query turns long
and no worker is idle, and spares are stopped when they become idle and are no longer needed.
"""

from __future__ import annotations

import logging
import queue
import subprocess
import threading
import time
import weakref
from collections.abc import Sequence

from diplograph.errors import QueryTimeout, StoreError
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.execution import (
    PREFIXES,
    Executor,
    InlineExecutor,
    Outcome,
    QueryCrashed,
    QueryRequest,
    UpdateRequest,
    raise_worker_error,
)
from diplograph.server.replicas import Replicas
from diplograph.server.worker import Answer, Changes, Failure, Hello, Reply, SyncOp
from diplograph.server.worker_handle import WorkerProcess, reap

log = logging.getLogger(__name__)


class WorkerPool(Executor):
    """``size`` worker processes answering queries from in-memory copies of the store."""

    def __init__(
        self,
        graph: OxigraphGraph,
        *,
        size: int,
        prefixes: dict[str, str] | None = None,
        memory_mb: int = 0,
        long_query: float = 0.0,
        spare_workers: int = 0,
        queue_wait: float = 0.0,
    ) -> None:
        super().__init__(graph)
        self.queue_wait = queue_wait  # 0: wait up to the query's timeout
        self.memory_mb = memory_mb
        self.size = max(size, 1)
        self.long_query = long_query  # 0: never demote, never start spares
        self.spare_workers = max(spare_workers, 0)
        self._long = 0  # queries running past long_query right now
        self._starting = 0  # workers decided on but not yet in _all
        self._first = 0  # updates waiting for a worker (they go first: _take_idle)
        self.prefixes = dict(PREFIXES if prefixes is None else prefixes)
        self._replicas = Replicas(graph)
        self._lock = threading.Lock()  # guards the snapshot, the log and the worker set
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._all: set[WorkerProcess] = set()
        self._closed = False
        self._procs: list[subprocess.Popen[bytes]] = []
        # if the pool is dropped or the interpreter exits without close(): no orphans, no litter
        self._finalizer = weakref.finalize(self, reap, self._procs, self._replicas.directory)
        with self._lock:
            self._replicas.take_snapshot()
        self._fill()

    @property
    def ready(self) -> int:
        """How many workers have loaded the store and can take queries."""
        with self._lock:
            return sum(1 for w in self._all if w.ready)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for /-/health.json and operators)."""
        with self._lock:
            return sorted(w.proc.pid for w in self._all)

    @property
    def fault(self) -> str | None:
        """Why the workers' snapshot cannot be written (None when all is well): the copies
        serve from the last snapshot plus the log of writes meanwhile (:mod:`.replicas`)."""
        with self._lock:
            return self._replicas.fault

    @property
    def network_isolation(self) -> list[str]:
        """Each ready worker's network isolation (``netns`` or why not), for /-/health.json."""
        with self._lock:
            return sorted({w.isolation for w in self._all if w.ready})

    # -- keeping copies up to date ---------------------------------------------------------
    def _sync_ops(self, w: WorkerProcess) -> list[SyncOp]:
        """What ``w`` must apply to reach the current generation (call with ``_lock`` held)."""
        return self._replicas.ops_for(w.generation, writing=self._write_lock.locked())

    def _resync(self) -> None:
        """A copy could not replay the log (it cannot tell an empty named graph, which N-Quads
        snapshots leave out, from none): start every copy from a fresh snapshot instead."""
        with self._lock:
            self._replicas.take_snapshot()

    def _after_write(self, sparql: str, *, replayable: bool) -> None:
        with self._lock:
            self._replicas.after_write(sparql, replayable=replayable)

    def _after_direct_write(self, graphs: Sequence[str] | None, before: int) -> None:
        with self._lock:
            self._replicas.after_load(graphs, before)

    # -- workers ---------------------------------------------------------------------------
    def _spawn(self) -> None:
        """Start a worker and load it in the background; it joins the idle queue when ready.
        Only :meth:`_fill` calls this, having counted the worker in ``_starting``."""
        try:
            if self._closed:
                return
            w = WorkerProcess(self.prefixes, self.memory_mb, self.long_query)
            with self._lock:
                self._all.add(w)
                self._procs[:] = [p for p in self._procs if p.poll() is None] + [w.proc]
        finally:
            with self._lock:
                self._starting -= 1
        threading.Thread(
            target=self._boot, args=(w,), name=f"diplograph-boot-{w.id}", daemon=True
        ).start()

    def _fill(self) -> None:
        """Start as many workers as the pool lacks to reach :meth:`_target`."""
        with self._lock:
            missing = self._target() - len(self._all) - self._starting
            if self._closed or missing <= 0:
                return
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._spawn, daemon=True).start()

    def _boot(self, w: WorkerProcess) -> None:
        try:
            hello = w.recv()
            if not isinstance(hello, Hello):
                raise RuntimeError(f"unexpected first message {hello!r}")
            w.isolation = hello.isolation
            if w.isolation != "netns":
                log.warning("query worker %s has network access: %s", w.id, w.isolation)
            with self._lock:
                ops = self._sync_ops(w)
            w.send("sync", ops)
            reply = w.recv()
            if not isinstance(reply, Answer):
                self._resync()
                raise RuntimeError(getattr(reply, "message", repr(reply)))
            w.generation = reply.generation
        except (EOFError, OSError, RuntimeError, StoreError) as exc:
            if not self._closed:
                log.error(
                    "query worker %s failed to load the store (exit %s): %s. A store larger "
                    "than the setting worker_memory (%s MB) cannot be loaded: raise it.",
                    w.id,
                    w.proc.poll(),
                    exc,
                    self.memory_mb or "no limit",
                )
                time.sleep(2)  # do not spin if something is badly wrong
            self._retire(w, replace=True)
            return
        if self._closed:
            self._retire(w, replace=False)
        else:
            w.ready = True
            self._idle.put(w)
            self._trim()  # a spare that came up after the long queries had ended

    def _target(self) -> int:
        """How many workers the pool wants now: its size, plus a spare for each long query
        running, at most ``spare_workers`` (call with ``_lock`` held)."""
        return self.size + min(self._long, self.spare_workers)

    def _retire(self, w: WorkerProcess, *, replace: bool) -> None:
        with self._lock:  # out of the count first, so no other thread decides on a stale one
            self._all.discard(w)
        w.kill()
        if replace:
            self._fill()

    def _release(self, w: WorkerProcess) -> None:
        """A worker is done with a query: back to the idle queue, or stopped if the pool has
        more workers than it needs (a spare after the long queries ended)."""
        with self._lock:
            surplus = len(self._all) > self._target()
            if surplus:
                self._all.discard(w)
        if surplus:
            w.kill()
        else:
            self._idle.put(w)

    def _went_long(self) -> None:
        """A query passed ``long_query`` (its worker demoted its thread): count it, and start a
        spare if no worker is idle (a spare loads the whole store: not for nothing)."""
        with self._lock:
            self._long += 1
            idle = not self._idle.empty()
        if not idle:
            self._fill()

    def _ended_long(self) -> None:
        with self._lock:
            self._long -= 1
        self._trim()

    def _trim(self) -> None:
        """Stop idle workers while the pool has more than it needs (spares of long queries that
        have ended); busy ones are stopped when they come back (:meth:`_release`)."""
        while True:
            with self._lock:
                if len(self._all) <= self._target():
                    return
                try:
                    w = self._idle.get_nowait()
                except queue.Empty:
                    return
                self._all.discard(w)
            w.kill()

    def _take_idle(self, timeout: float, *, first: bool = False) -> WorkerProcess:
        """An idle, live worker; one that died while idle (killed from outside, out of
        memory) is replaced and skipped, so no query is sent to a dead process. ``first`` (an
        update: the single writer waits) goes before queries, which give a worker back."""
        deadline = time.monotonic() + timeout
        self._first += first  # only the single writer changes it (one update at a time)
        try:
            while True:
                try:
                    w = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    busy = QueryTimeout(
                        f"Every query worker stayed busy for {timeout:g} s (setting "
                        "queue_wait); try again shortly."
                    )
                    busy.headers = {"Retry-After": "5"}  # type: ignore[attr-defined]
                    raise busy from None
                if not first and self._first and time.monotonic() < deadline:
                    self._idle.put(w)  # to the update waiting
                    time.sleep(0.001)
                    continue
                if w.proc.poll() is None:
                    return w
                log.warning("query worker %s died while idle (exit %s)", w.id, w.proc.poll())
                self._retire(w, replace=True)
        finally:
            self._first -= first

    def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        w, reply = self._exchange("query", request, timeout)
        return self._outcome(w, reply)

    def changes(self, request: UpdateRequest, *, timeout: float) -> Changes | None:
        """Evaluate an update in a worker (:class:`~.execution.Executor`), whose copy is left as
        it was; its errors raised (the worker replaced if its copy may have changed)."""
        w, reply = self._exchange("update", request, timeout)
        if isinstance(reply, Changes):
            w.generation = reply.generation  # synced before it evaluated
            self._release(w)
            return reply
        self._outcome(w, reply, update=True)  # raises (an update is never answered otherwise)
        return None

    def _exchange(
        self, op: str, request: QueryRequest | UpdateRequest, timeout: float
    ) -> tuple[WorkerProcess, Reply]:
        """Send ``request`` to an idle worker brought up to date; its reply (503 after
        ``timeout``, the worker killed; 500 if it dies). Busy workers: a query gets a prompt 503
        after queue_wait; an update (one at a time, behind its token) goes first and waits up to
        ``timeout``, as everything does while no worker is loaded yet (starting)."""
        if self._closed:
            raise StoreError("The server is shutting down.")
        update = op == "update"
        prompt = not update and self.queue_wait > 0 and self.ready > 0
        w = self._take_idle(min(self.queue_wait, timeout) if prompt else timeout, first=update)
        try:
            with self._lock:
                ops = self._sync_ops(w)
        except BaseException:
            self._idle.put(w)  # the worker is fine; the snapshot could not be written
            raise
        try:
            w.send(op, ops, request)
            return w, self._await(w, timeout)
        except (EOFError, OSError) as exc:
            log.error("query worker %s died (exit %s) on a %s: %s\n%s",
                w.id, w.proc.poll(), op, exc, request.sparql[:2000])  # fmt: skip
            self._retire(w, replace=True)
            raise QueryCrashed(
                f"The worker running this {op} died; it was replaced and the error logged. "
                + ("Nothing was written. " * (op == "update") + "Other queries are not affected.")
            ) from None

    def _await(self, w: WorkerProcess, timeout: float) -> Reply:
        """The reply of ``w`` to the query just sent; killed (and 503) after ``timeout``. A query
        that passes ``long_query`` is counted as long meanwhile (see the module docstring)."""
        long = 0 < self.long_query < timeout and not w.conn.poll(self.long_query)
        if long:
            self._went_long()
        try:
            answered = w.conn.poll(timeout - self.long_query if long else timeout)
        except BaseException:
            if long:
                self._ended_long()
            raise
        if not answered:
            log.warning("query worker %s killed after %g s", w.id, timeout)
            self._retire(w, replace=not long)
            if long:  # out of the count first, then the spare it no longer needs
                self._ended_long()
                self._fill()
            raise QueryTimeout(
                f"The query ran longer than {timeout:g} s and was stopped (setting "
                "query_timeout). Narrow it down, add a LIMIT, or ask for fewer joins."
            )
        if long:
            self._ended_long()
        return w.recv()

    def _outcome(self, w: WorkerProcess, reply: Reply, *, update: bool = False) -> Outcome:
        """The result of a reply, or its error raised; the worker back in the pool or replaced."""
        if isinstance(reply, Answer):
            w.generation = reply.generation
            self._release(w)
            return Outcome(reply.body, reply.truncated, reply.generation)
        if isinstance(reply, Failure) and reply.kind != "sync":
            w.generation = reply.generation  # the sync was applied even though the query failed
            self._release(w)
            raise_worker_error(reply.kind, reply.message, update=update)
        self._resync()
        self._retire(w, replace=True)
        raise_worker_error("bug", getattr(reply, "message", repr(reply)))

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
        self._finalizer()  # workers still booting, and the snapshots


def make_executor(
    graph: DiploGraph,
    *,
    workers: int,
    worker_memory: int = 0,
    long_query: float = 0.0,
    spare_workers: int = 0,
    queue_wait: float = 0.0,
) -> Executor:
    """A worker pool for an Oxigraph store, else (or with ``workers = 0``) inline execution."""
    if workers > 0 and isinstance(graph, OxigraphGraph):
        return WorkerPool(
            graph,
            size=workers,
            memory_mb=worker_memory,
            long_query=long_query,
            spare_workers=spare_workers,
            queue_wait=queue_wait,
        )
    return InlineExecutor(graph)
