"""The worker pool: queries run where they can be stopped.

:class:`WorkerPool` keeps a few worker processes (:mod:`.worker`), each with an in-memory copy of
the store. A query goes to an idle worker; if no answer comes within the timeout the worker is
killed (SIGKILL), replaced, and the client gets 503; a worker that dies is replaced too and the
client gets 500. The whole result is built in the worker before the response starts, so a client
never gets a 200 with a cut-off body. The set of workers (starting, idle, spares, recycling) is
:class:`.workers.WorkerSet`; this module runs queries on them.

Updates are evaluated in a worker too (:meth:`WorkerPool.changes`, :mod:`.update_delta`): the
worker answers the concrete changes and leaves its copy as it was. Writes go to the durable store,
one at a time, and then reach the workers: the pool keeps the N-Quads snapshot the workers load
and a log of writes since (:mod:`.replicas`); before its next query a worker applies what it
lacks. A worker handles one message at a time, so a query sees the
store before a write or after it, never in between. The messages are the named tuples of
:mod:`.worker`. Workers forked from the zygote (:mod:`.zygote`, the default on Linux) share one
copy of the store: the zygote loads each snapshot once, and a worker whose copy predates the
snapshot is replaced by a fresh fork instead of loading it.

:func:`make_executor` picks this pool or the :class:`~.execution.InlineExecutor`.

A query still running after ``long_query`` seconds is a long query. The worker runs each query
in a thread of its own and moves that thread to the idle CPU class (``SCHED_IDLE``: it runs only
on CPU time nobody else wants), so heavy queries cannot slow the short ones on a busy machine;
the next query gets a new thread at normal priority (no privilege is needed: nothing is ever
raised back). And so that short queries keep finding workers, the pool may run a spare worker
for each long query (at most ``spare_workers`` in all): one is started when a query turns long
and no worker is idle; spares the pool no longer needs are stopped after ``spare_idle`` seconds
idle.

A query whose client has hung up is stopped: :class:`.admission.Admission` puts the WSGI server's
``waitress.client_disconnected`` in :data:`CLIENT_GONE`, and the request thread, which polls it
while it waits for an idle worker and for the answer, kills the worker (replaced at once). An
update is not stopped so: it is the single writer's, and its evaluation writes nothing.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

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
from diplograph.server.sandbox import AUTO_MEMORY, NETWORK_FOR_SERVICE
from diplograph.server.worker import Answer, Changes, Failure, Reply, SyncOp
from diplograph.server.worker_handle import WorkerHandle
from diplograph.server.workers import CANCEL_POLL, ClientGone, WorkerSet

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Whether the client of the request this thread serves has hung up (None: cannot tell). Set
#: per request by :class:`.admission.Admission` from waitress's ``waitress.client_disconnected``.
CLIENT_GONE: contextvars.ContextVar[Callable[[], bool] | None] = contextvars.ContextVar(
    "diplograph_client_gone", default=None
)


class WorkerPool(WorkerSet, Executor):
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
        spare_idle: float = 0.0,
        network: bool = False,
    ) -> None:
        Executor.__init__(self, graph)
        self.queue_wait = queue_wait  # 0: wait up to the query's timeout
        WorkerSet.__init__(
            self,
            graph,
            size=size,
            prefixes=dict(PREFIXES if prefixes is None else prefixes),
            memory_mb=memory_mb,
            long_query=long_query,
            spare_workers=spare_workers,
            spare_idle=spare_idle,
            network=NETWORK_FOR_SERVICE if network else "",
        )

    def _writing(self) -> bool:
        return self._write_lock.locked()

    def _after_write(self, sparql: str, *, replayable: bool) -> None:
        with self._lock:
            self._replicas.after_write(sparql, replayable=replayable)

    def _after_direct_write(self, graphs: Sequence[str] | None, before: int) -> None:
        with self._lock:
            self._replicas.after_load(graphs, before)

    # -- running a query -------------------------------------------------------------------
    def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        w, reply, seconds = self._exchange("query", request, timeout)
        return self._outcome(w, reply, seconds)

    def run_batch(self, requests: list[QueryRequest], *, timeout: float) -> list[Outcome]:
        """Several queries in one message to a worker, which answers them in order (each as
        :meth:`run` would, capped) up to the first that fails; when another worker is idle at
        that moment, every second query goes to it, and both work at once. The batch is under
        one ``timeout``: past it, or when the client hangs up, its workers are killed and
        replaced (503), as for one query; a worker that dies is replaced (500). The first
        failure in the order of ``requests`` is raised."""
        if len(requests) == 1:
            return [self.run(requests[0], timeout=timeout)]
        if self._closed:
            raise StoreError("The server is shutting down.")
        gone = CLIENT_GONE.get()
        prompt = self.queue_wait > 0 and self.ready > 0
        parts = [self._checkout(min(self.queue_wait, timeout) if prompt else timeout, gone)]
        helper = self._idle_now()
        if helper is not None:
            parts.append(helper)
        shares = [requests[n :: len(parts)] for n in range(len(parts))]
        started = time.monotonic()
        replies = self._converse(parts, shares, timeout, gone)
        seconds = time.monotonic() - started
        merged: list[Answer | Failure | BaseException | None] = [None] * len(requests)
        for n, ((w, _), reply) in enumerate(zip(parts, replies, strict=True)):
            got = self._batch_answers(w, reply, seconds)
            share: list[Answer | Failure | BaseException | None] = []
            share += got if isinstance(got, list) else [got]
            merged[n :: len(parts)] = (share + [None] * len(shares[n]))[: len(shares[n])]
        outcomes = []
        for one in merged:  # in order: the first error is the one raised
            if isinstance(one, BaseException):
                raise one
            if isinstance(one, Failure):
                raise_worker_error(one.kind, one.message)
            if one is None:  # not asked after an earlier failure: raised above
                raise_worker_error("bug", "a batch was answered in part")
            outcomes.append(Outcome(one.body, one.truncated, one.generation))
        return outcomes

    def _converse(
        self,
        parts: list[tuple[WorkerHandle, list[SyncOp]]],
        shares: list[list[QueryRequest]],
        timeout: float,
        gone: Callable[[], bool] | None,
    ) -> list[Reply]:
        """Send each worker its share of a batch, then read each reply, all under one
        ``timeout``. On an error the worker at fault is killed or replaced (:meth:`_await`,
        :meth:`_talk`), those that answered go back to the pool and the others are stopped."""
        started = time.monotonic()
        replies: list[Reply] = []
        current = 0
        try:
            for n, ((w, ops), share) in enumerate(zip(parts, shares, strict=True)):
                current = n
                self._talk(w, "batch", share, functools.partial(w.send, "batch", ops, share))
            for n, ((w, _), share) in enumerate(zip(parts, shares, strict=True)):
                current = n
                left = max(timeout - (time.monotonic() - started), 0)
                wait = functools.partial(self._await, w, left, gone, timeout)
                replies.append(self._talk(w, "batch", share, wait))
        except BaseException:
            for n, (w, _) in enumerate(parts):
                if n < len(replies):
                    self._batch_answers(w, replies[n], time.monotonic() - started)
                elif n != current:
                    self._stop(w, False)  # its answer would never be read
            raise
        return replies

    def _idle_now(self) -> tuple[WorkerHandle, list[SyncOp]] | None:
        """A second worker for a batch: one idle right now, when no update waits for one."""
        with self._lock:
            if not self._idle or self._first:
                return None
        try:
            return self._checkout(0.0, None)
        except QueryTimeout:
            return None

    def _batch_answers(
        self, w: WorkerHandle, reply: Reply, seconds: float
    ) -> list[Answer | Failure | None] | BaseException:
        """The answers of one worker's share of a batch, the worker back in the pool (or
        replaced when its copy could not be brought up to date: that error returned)."""
        if not isinstance(reply, list):
            try:
                self._outcome(w, reply, seconds)  # raises for a Failure
                raise_worker_error("bug", f"a batch of queries was answered with {reply!r:.200}")
            except BaseException as exc:  # raised by the caller, in order
                return exc
        if reply:
            w.generation = reply[-1].generation
        self._release(w, seconds)
        return list(reply)

    def changes(self, request: UpdateRequest, *, timeout: float) -> Changes | None:
        """Evaluate an update in a worker (:class:`~.execution.Executor`), whose copy is left as
        it was; its errors raised (the worker replaced if its copy may have changed)."""
        w, reply, seconds = self._exchange("update", request, timeout)
        if isinstance(reply, Changes):
            w.generation = reply.generation  # synced before it evaluated
            self._release(w, seconds)
            return reply
        self._outcome(w, reply, seconds, update=True)  # raises (an update is never answered so)
        return None

    def _exchange(
        self, op: str, request: QueryRequest | UpdateRequest | list[QueryRequest], timeout: float
    ) -> tuple[WorkerHandle, Reply, float]:
        """Send ``request`` to an idle worker brought up to date; its reply and the seconds it
        took (503 after ``timeout`` or when a query's client hangs up, the worker killed; 500 if
        it dies). Busy workers: a query gets a prompt 503 after queue_wait; an update (one at a
        time, behind its token) goes first and waits up to ``timeout``, as everything does while
        no worker is loaded yet (starting)."""
        if self._closed:
            raise StoreError("The server is shutting down.")
        update = op == "update"
        prompt = not update and self.queue_wait > 0 and self.ready > 0
        gone = None if update else CLIENT_GONE.get()
        wait = min(self.queue_wait, timeout) if prompt else timeout
        w, ops = self._checkout(wait, gone, first=update)
        started = time.monotonic()
        self._talk(w, op, request, lambda: w.send(op, ops, request))
        reply = self._talk(w, op, request, lambda: self._await(w, timeout, gone))
        return w, reply, time.monotonic() - started

    def _talk(
        self,
        w: WorkerHandle,
        op: str,
        request: QueryRequest | UpdateRequest | list[QueryRequest],
        step: Callable[[], T],
    ) -> T:
        """``step`` (a send to ``w`` or the wait for its reply); when ``w`` dies meanwhile it is
        replaced and the error logged, and the client gets 500."""
        try:
            return step()
        except (EOFError, OSError) as exc:
            texts = [r.sparql for r in (request if isinstance(request, list) else [request])]
            log.error("query worker %s died (%s) running this %s: %s\n%s",
                w.id, w.status(), op, exc, "\n".join(texts)[:2000])  # fmt: skip
            self._retire(w, replace=True)
            update = op == "update"
            what = "update" if update else "query"
            raise QueryCrashed(
                f"The worker running this {what} died; it was replaced and the error logged. "
                + ("Nothing was written. " * update)
                + f"A {what} that needs more memory than the setting worker_memory allows "
                "(sized from the store unless set) ends so. Other queries are not affected."
            ) from None

    def _checkout(
        self, timeout: float, gone: Callable[[], bool] | None, *, first: bool = False
    ) -> tuple[WorkerHandle, list[SyncOp]]:
        """An idle worker (``first``: before queries, :meth:`~.workers.WorkerSet._take_idle`)
        and what it must apply before the query. A forked worker whose copy predates the
        snapshot is replaced by a fresh fork (it would load a copy of its own)."""
        deadline = time.monotonic() + timeout
        while True:
            w = self._take_idle(max(deadline - time.monotonic(), 0), gone, first=first)
            try:
                with self._lock:
                    ops = self._sync_ops(w)
            except BaseException:
                self._put_idle(w)  # the worker is fine; the snapshot could not be written
                raise
            if self._zygote is None or not any(op.op == "load" for op in ops):
                return w, ops
            self._retire(w, replace=True)

    def _await(
        self,
        w: WorkerHandle,
        timeout: float,
        gone: Callable[[], bool] | None,
        setting: float | None = None,
    ) -> Reply:
        """The reply of ``w`` to the query just sent; killed (and 503) after ``timeout`` (what
        is left of the ``setting`` the message names) or when the client hangs up. A query that
        passes ``long_query`` is counted as long meanwhile (see the module docstring)."""
        start = time.monotonic()
        long = False
        try:
            while True:
                elapsed = time.monotonic() - start
                if elapsed >= timeout:
                    log.warning("query worker %s killed after %g s", w.id, timeout)
                    self._stop(w, long)
                    long = False
                    limit = setting or timeout
                    raise QueryTimeout(
                        f"The query ran longer than {limit:g} s and was stopped (setting "
                        "query_timeout). Narrow it down, add a LIMIT, or ask for fewer joins."
                    )
                if gone is not None and gone():
                    log.info("query worker %s stopped: its client hung up", w.id)
                    self._stop(w, long)
                    long = False
                    raise ClientGone("The client disconnected; its query was stopped.")
                wait = timeout - elapsed
                if not long and 0 < self.long_query < timeout:
                    wait = min(wait, max(self.long_query - elapsed, 0))
                if gone is not None:
                    wait = min(wait, CANCEL_POLL)
                if w.conn.poll(wait):
                    return w.recv()
                if not long and 0 < self.long_query <= time.monotonic() - start < timeout:
                    long = True
                    self._went_long()
        finally:
            if long:
                self._ended_long()

    def _stop(self, w: WorkerHandle, long: bool) -> None:
        """Kill ``w`` (overran, or its client left) and start what the pool now lacks; a long
        query leaves the count first, so no spare is started for it."""
        with self._lock:
            self._all.discard(w)
            if long:
                self._long -= 1
        w.kill()
        self._fill()

    def _outcome(
        self, w: WorkerHandle, reply: Reply, seconds: float, *, update: bool = False
    ) -> Outcome:
        """The result of a reply, or its error raised; the worker back in the pool or replaced."""
        if isinstance(reply, Answer):
            w.generation = reply.generation
            self._release(w, seconds)
            return Outcome(reply.body, reply.truncated, reply.generation)
        if isinstance(reply, Failure) and reply.kind != "sync":
            w.generation = reply.generation  # the sync was applied even though the query failed
            self._release(w, seconds)
            raise_worker_error(reply.kind, reply.message, update=update)
        self._resync()
        self._retire(w, replace=True)
        raise_worker_error("bug", getattr(reply, "message", repr(reply)))


def make_executor(
    graph: DiploGraph,
    *,
    workers: int,
    worker_memory: int | None = 0,
    long_query: float = 0.0,
    spare_workers: int = 0,
    queue_wait: float = 0.0,
    spare_idle: float = 0.0,
    network: bool = False,
) -> Executor:
    """A worker pool for an Oxigraph store, else (or with ``workers = 0``) inline execution.
    ``worker_memory`` None: each worker's limit is sized from the store's snapshot. ``network``:
    the workers keep the network (a ``service_allowlist`` is set: SERVICE needs it)."""
    if workers > 0 and isinstance(graph, OxigraphGraph):
        return WorkerPool(
            graph,
            size=workers,
            memory_mb=AUTO_MEMORY if worker_memory is None else worker_memory,
            long_query=long_query,
            spare_workers=spare_workers,
            queue_wait=queue_wait,
            spare_idle=spare_idle,
            network=network,
        )
    return InlineExecutor(graph)
