"""The worker pool: queries run where they can be stopped.

:class:`WorkerPool` keeps a few worker processes (:mod:`.worker`), each with an in-memory copy of
the store. A query goes to an idle worker; if no answer comes within the timeout the worker is
killed (SIGKILL), replaced, and the client gets 503; a worker that dies is replaced too and the
client gets 500. The whole result is built in the worker before the response starts, so a client
never gets a 200 with a cut-off body. Workers are started with ``subprocess`` (fork+exec), never
by forking the multi-threaded server.

Writes go to the durable store, one at a time, and then reach the workers: the pool keeps the
N-Quads snapshot the workers load and a log of writes since; before its next query a worker loads
what it lacks. A worker handles one message at a time, so a query sees the store before a write
or after it, never in between. Writes that would not replay identically (blank nodes, ``NOW()``,
``RAND()``, ``UUID()``, ``LOAD``) and writes made behind the pool's back (the generation moved)
make a fresh snapshot instead.

A query still running after ``long_query`` seconds is a long query. The worker runs each query
in a thread of its own and moves that thread to the idle CPU class (``SCHED_IDLE``: it runs only
on CPU time nobody else wants), so heavy queries cannot slow the short ones on a busy machine;
the next query gets a new thread at normal priority (no privilege is needed: nothing is ever
raised back). And so that short queries keep finding workers, the pool may run a spare worker
for each long query (at most ``spare_workers`` in all): one is started when a query turns long
and no worker is idle, and spares are stopped when they become idle and are no longer needed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import logging
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from diplograph.errors import QueryTimeout, StoreError
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.execution import (
    PREFIXES,
    Executor,
    Outcome,
    QueryCrashed,
    QueryRequest,
    raise_worker_error,
)

log = logging.getLogger(__name__)

_NONDETERMINISTIC = re.compile(
    r"_:|\[|\bBNODE\s*\(|\bNOW\s*\(|\bRAND\s*\(|\bUUID\s*\(|"
    r"\bSTRUUID\s*\(|\bLOAD\b",
    re.I,
)
#: Writes replayed from the log before a fresh snapshot is cheaper.
MAX_LOG = 200


class _Worker:
    _ids = itertools.count(1)

    def __init__(self, prefixes: dict[str, str], memory_mb: int = 0, long_query: float = 0) -> None:
        self.id = next(self._ids)
        parent, child = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "diplograph.server.worker",
                    str(child.fileno()),
                    json.dumps(prefixes),
                    str(memory_mb),
                    str(long_query),
                ],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        finally:
            child.close()
        self.conn = Connection(parent.detach())
        self.generation = -1
        self.ready = False
        self.isolation = "unknown"

    def kill(self) -> None:
        """Kill the process (idempotent). The socket is left to the garbage collector: another
        thread may still be reading it, and it then sees end-of-file, never a reused fd."""
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()


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
    ) -> None:
        super().__init__(graph)
        self.memory_mb = memory_mb
        self.size = max(size, 1)
        self.long_query = long_query  # 0: never demote, never start spares
        self.spare_workers = max(spare_workers, 0)
        self._long = 0  # queries running past long_query right now
        self._starting = 0  # workers decided on but not yet in _all
        self.prefixes = dict(PREFIXES if prefixes is None else prefixes)
        self._dir = Path(tempfile.mkdtemp(prefix="diplograph-snapshots-"))
        self._lock = threading.Lock()  # guards the snapshot, the log and the worker set
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._closed = False
        self._procs: list[subprocess.Popen[bytes]] = []
        # if the pool is dropped or the interpreter exits without close(): no orphans, no litter
        self._finalizer = weakref.finalize(self, _reap, self._procs, self._dir)
        self._snapshot: tuple[str, int] = ("", -1)
        self._log: list[tuple[str, str, int]] = []
        self._known = -1
        self._old_snapshots: list[Path] = []
        with self._lock:
            self._take_snapshot()
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
    def network_isolation(self) -> list[str]:
        """Each ready worker's network isolation (``netns`` or why not), for /-/health.json."""
        with self._lock:
            return sorted({w.isolation for w in self._all if w.ready})

    @property
    def oxgraph(self) -> OxigraphGraph:
        assert isinstance(self.graph, OxigraphGraph)
        return self.graph

    # -- keeping copies up to date ---------------------------------------------------------
    def _take_snapshot(self) -> None:
        """Dump the durable store for the workers (call with ``_lock`` held)."""
        gen = self.graph.generation
        path = self._dir / f"snapshot-{gen}-{next(_Worker._ids)}.nq"
        try:
            self.oxgraph.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise StoreError(f"Cannot write the snapshot the query workers load: {exc}") from exc
        self._old_snapshots.append(path)
        while len(self._old_snapshots) > 3:  # a worker may still be loading the previous one
            self._old_snapshots.pop(0).unlink(missing_ok=True)
        self._snapshot, self._log, self._known = (str(path), gen), [], gen

    def _sync_ops(self, w: _Worker) -> list[tuple[str, str, int]]:
        """What ``w`` must apply to reach the current generation (call with ``_lock`` held)."""
        if self.graph.generation != self._known and not self._write_lock.locked():
            # written behind our back (not through update()): start from a fresh snapshot
            self._take_snapshot()
        path, snap_gen = self._snapshot
        if w.generation >= self._known:
            return []
        if w.generation < snap_gen:
            return [("load", path, snap_gen), *self._log]
        return [op for op in self._log if op[2] > w.generation]

    def _resync(self) -> None:
        """A copy could not replay the log (it cannot tell an empty named graph, which N-Quads
        snapshots leave out, from none): start every copy from a fresh snapshot instead."""
        with self._lock:
            self._take_snapshot()

    def _after_write(self, sparql: str) -> None:
        with self._lock:
            gen = self.graph.generation
            if (
                gen == self._known + 1
                and len(self._log) < MAX_LOG
                and not _NONDETERMINISTIC.search(sparql)
            ):
                self._log.append(("update", sparql, gen))
                self._known = gen
            else:
                self._take_snapshot()

    # -- workers ---------------------------------------------------------------------------
    def _spawn(self) -> None:
        """Start a worker and load it in the background; it joins the idle queue when ready.
        Only :meth:`_fill` calls this, having counted the worker in ``_starting``."""
        try:
            if self._closed:
                return
            w = _Worker(self.prefixes, self.memory_mb, self.long_query)
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

    def _boot(self, w: _Worker) -> None:
        try:
            hello = w.conn.recv()
            if hello[0] != "hello":
                raise RuntimeError(f"unexpected first message {hello[0]!r}")
            w.isolation = hello[1]
            if w.isolation != "netns":
                log.warning("query worker %s has network access: %s", w.id, w.isolation)
            with self._lock:
                ops = self._sync_ops(w)
            w.conn.send(("sync", ops, None))
            reply = w.conn.recv()
            if reply[0] != "ok":
                self._resync()
                raise RuntimeError(reply[2])
            w.generation = reply[1]
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

    def _retire(self, w: _Worker, *, replace: bool) -> None:
        with self._lock:  # out of the count first, so no other thread decides on a stale one
            self._all.discard(w)
        w.kill()
        if replace:
            self._fill()

    def _release(self, w: _Worker) -> None:
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

    def _take_idle(self, timeout: float) -> _Worker:
        """An idle, live worker; one that died while idle (killed from outside, out of
        memory) is replaced and skipped, so no query is sent to a dead process."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                w = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                busy = QueryTimeout(
                    f"Every query worker stayed busy for {timeout:g} s; try again shortly."
                )
                busy.headers = {"Retry-After": "5"}  # type: ignore[attr-defined]
                raise busy from None
            if w.proc.poll() is None:
                return w
            log.warning("query worker %s died while idle (exit %s)", w.id, w.proc.returncode)
            self._retire(w, replace=True)

    def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        if self._closed:
            raise StoreError("The server is shutting down.")
        w = self._take_idle(timeout)
        try:
            with self._lock:
                ops = self._sync_ops(w)
        except BaseException:
            self._idle.put(w)  # the worker is fine; the snapshot could not be written
            raise
        try:
            w.conn.send(("query", ops, dataclasses.asdict(request)))
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
            reply = w.conn.recv()
        except (EOFError, OSError) as exc:
            code = w.proc.poll()
            log.error(
                "query worker %s died (exit %s) on a query: %s\n%s",
                w.id,
                code,
                exc,
                request.sparql[:2000],
            )
            self._retire(w, replace=True)
            raise QueryCrashed(
                "The worker running this query died; it was replaced and the error logged. "
                "Other queries are not affected."
            ) from None
        if reply[0] == "error" and reply[1] == "sync":
            self._resync()
            self._retire(w, replace=True)
            raise_worker_error("bug", reply[2])
        if reply[0] == "ok":
            w.generation = reply[1]
            self._release(w)
            return Outcome(reply[2], reply[4], reply[1])
        w.generation = reply[3]  # the sync was applied even though the query failed
        self._release(w)
        raise_worker_error(reply[1], reply[2])
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()
        self._finalizer()  # workers still booting, and the snapshots


def _reap(procs: list[subprocess.Popen[bytes]], directory: Path) -> None:
    for proc in procs:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    shutil.rmtree(directory, ignore_errors=True)
