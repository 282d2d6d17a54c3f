"""The set of query workers behind a :class:`.pool.WorkerPool`: starting them, keeping idle ones,
spares, and replacing those that died, overran or grew.

Workers come from the zygote (:class:`.worker_handle.Zygote`, the default on Linux): it loads the
store's snapshot once, before any thread of its own could run, and forks each worker on request,
so a new worker is ready at once and all of them share the zygote's copy of the store
copy-on-write. Without the zygote (``DIPLOGRAPH_ZYGOTE=0``, or no ``fork``/pidfd) each worker is
a process of its own that loads its own copy.

A worker's pages stay shared until it writes to them, and Oxigraph writes to the parts of its
in-memory store that a query walks (reference counts), so a worker that has run a heavy query
holds a private copy of much of the store. After a query that ran at least
:data:`RECYCLE_CHECK_AFTER` seconds, the pool reads the worker's private memory
(``/proc/PID/smaps_rollup``) and, when it exceeds :data:`RECYCLE_SHARE` of the snapshot's size
(at least :data:`RECYCLE_MIN_MB`), replaces the worker by a fresh fork: the memory of the pool
stays about one copy of the store plus what the running queries use.

Idle workers are taken newest first, so spares (workers beyond ``size``, started for long
queries) that are not needed any more are the ones left idle; each is stopped once idle for
``spare_idle`` seconds (a background thread looks a few times a second), so a burst that
follows a short pause finds them warm.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from diplograph.errors import QueryTimeout, StoreError
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.replicas import Replicas
from diplograph.server.worker import Answer, Hello, SyncOp
from diplograph.server.worker_handle import (
    WorkerHandle,
    WorkerProcess,
    Zygote,
    zygote_available,
)

log = logging.getLogger(__name__)

#: Seconds between looks at whether the client is still there, while a query waits or runs.
CANCEL_POLL = 0.25
#: A query that ran at least this long may have un-shared much of the store: look.
RECYCLE_CHECK_AFTER = 0.1
#: A forked worker whose private memory exceeds this share of the snapshot's size is replaced.
RECYCLE_SHARE = 0.25
#: ... but never for less than this (MB): the interpreter's own pages, a small result.
RECYCLE_MIN_MB = 64


class ClientGone(QueryTimeout):
    """The client hung up while its query waited or ran: the query was stopped."""


def private_mb(pid: int) -> float:
    """Megabytes of memory process ``pid`` holds alone (not shared with any other process);
    0 when it cannot be read."""
    total = 0
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


class WorkerSet:
    """The workers of a pool (see the module docstring). Subclasses say whether a write is
    under way (:meth:`_writing`)."""

    def __init__(
        self,
        graph: OxigraphGraph,
        *,
        size: int,
        prefixes: dict[str, str],
        memory_mb: int,
        long_query: float,
        spare_workers: int,
        spare_idle: float,
        network: str = "",
    ) -> None:
        self.memory_mb = memory_mb
        self.network = network  # why the workers keep the network ("": they give it up)
        self.size = max(size, 1)
        self.long_query = long_query  # 0: never demote, never start spares
        self.spare_workers = max(spare_workers, 0)
        self.spare_idle = max(spare_idle, 0.0)
        self.prefixes = prefixes
        self._long = 0  # queries running past long_query right now
        self._starting = 0  # workers decided on but not yet in _all
        self._first = 0  # updates waiting for a worker (they go first: _take_idle)
        self._replicas = Replicas(graph)
        self._lock = threading.Lock()  # guards the snapshot, the log and the worker sets
        self._idle_ready = threading.Condition(self._lock)
        self._idle: list[WorkerHandle] = []  # oldest idle first; taken from the end
        self._all: set[WorkerHandle] = set()
        self._closed = False
        self._handles: list[WorkerHandle] = []
        self._zygote: Zygote | None = None
        if zygote_available():
            self._zygote = Zygote(prefixes, memory_mb, long_query, self.network)
        self._stop_janitor = threading.Event()
        # if the pool is dropped or the interpreter exits without close(): no orphans, no litter
        self._finalizer = weakref.finalize(
            self, _reap, self._handles, self._zygote, self._replicas.directory, self._stop_janitor
        )
        with self._lock:
            self._replicas.take_snapshot()
        every = min(max(self.spare_idle / 4, 0.05), 1.0) if self.spare_idle else 1.0
        threading.Thread(
            target=_janitor,
            args=(weakref.ref(self), self._stop_janitor, every),
            name="diplograph-janitor",
            daemon=True,
        ).start()
        self._fill()

    def _writing(self) -> bool:
        raise NotImplementedError

    @property
    def ready(self) -> int:
        """How many workers have loaded the store and can take queries."""
        with self._lock:
            return sum(1 for w in self._all if w.ready)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for /-/health.json and operators)."""
        with self._lock:
            return sorted(w.pid for w in self._all)

    @property
    def zygote_pid(self) -> int | None:
        """The process id of the zygote the workers are forked from (None: none)."""
        return self._zygote.pid if self._zygote is not None else None

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
    def _sync_ops(self, w: WorkerHandle | Zygote) -> list[SyncOp]:
        """What ``w`` must apply to reach the current generation (call with ``_lock`` held)."""
        return self._replicas.ops_for(w.generation, writing=self._writing())

    def _zygote_ops(self, generation: int) -> list[SyncOp]:
        with self._lock:
            return self._replicas.ops_for(generation, writing=self._writing())

    def _resync(self) -> None:
        """A copy could not replay the log (it cannot tell an empty named graph, which N-Quads
        snapshots leave out, from none): start every copy from a fresh snapshot instead."""
        with self._lock:
            self._replicas.take_snapshot()

    # -- starting and stopping workers -----------------------------------------------------
    def _new_worker(self) -> WorkerHandle:
        if self._zygote is not None:
            return self._zygote.fork(self._zygote_ops)
        return WorkerProcess(self.prefixes, self.memory_mb, self.long_query, self.network)

    def _spawn(self) -> None:
        """Start a worker and bring it up to date in the background; it joins the idle workers
        when ready. Only :meth:`_fill` calls this, having counted the worker in ``_starting``."""
        w: WorkerHandle | None = None
        try:
            if not self._closed:
                w = self._new_worker()
                with self._lock:
                    self._all.add(w)
                    self._handles[:] = [h for h in self._handles if h.alive()] + [w]
        except (EOFError, OSError, RuntimeError, StoreError) as exc:
            if not self._closed:
                log.error("%s", self._load_error(exc))
                time.sleep(2)  # do not spin if something is badly wrong
        finally:
            with self._lock:
                self._starting -= 1
        if w is None:
            self._fill()  # try again (nothing when closed)
            return
        threading.Thread(
            target=self._boot, args=(w,), name=f"diplograph-boot-{w.id}", daemon=True
        ).start()

    def _load_error(self, exc: BaseException, w: WorkerHandle | None = None) -> str:
        who = f"query worker {w.id} ({w.status()})" if w is not None else "the zygote"
        return (
            f"{who} failed to load the store: {exc}. A store larger than the setting "
            f"worker_memory ({self.memory_mb if self.memory_mb > 0 else 'sized from the store'}"
            " MB) cannot be loaded: raise it."
        )

    def _fill(self) -> None:
        """Start as many workers as the pool lacks to reach :meth:`_target`."""
        with self._lock:
            missing = self._target() - len(self._all) - self._starting
            if self._closed or missing <= 0:
                return
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._spawn, daemon=True).start()

    def _boot(self, w: WorkerHandle) -> None:
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
                log.error("%s", self._load_error(exc, w))
                time.sleep(2)  # do not spin if something is badly wrong
            self._retire(w, replace=True)
            return
        if self._closed:
            self._retire(w, replace=False)
        else:
            w.ready = True
            self._put_idle(w)
            self._trim()  # a spare that came up after the long queries had ended

    def _target(self) -> int:
        """How many workers the pool wants now: its size, plus a spare for each long query
        running, at most ``spare_workers`` (call with ``_lock`` held)."""
        return self.size + min(self._long, self.spare_workers)

    def _retire(self, w: WorkerHandle, *, replace: bool) -> None:
        with self._lock:  # out of the count first, so no other thread decides on a stale one
            self._all.discard(w)
            if w in self._idle:
                self._idle.remove(w)
        w.kill()
        if replace:
            self._fill()

    def _put_idle(self, w: WorkerHandle) -> None:
        with self._lock:
            w.idle_since = time.monotonic()
            self._idle.append(w)
            if self._first:  # the update waiting must wake, whoever else waits
                self._idle_ready.notify_all()
            else:
                self._idle_ready.notify()

    def _release(self, w: WorkerHandle, seconds: float) -> None:
        """A worker is done with a query: back to the idle workers, or replaced by a fresh fork
        when the query left it holding much of the store privately (module docstring)."""
        if self._zygote is not None and seconds >= RECYCLE_CHECK_AFTER:
            private = private_mb(w.pid)
            snapshot = Path(self._replicas.snapshot.arg)
            with contextlib.suppress(OSError):
                allowed = max(RECYCLE_MIN_MB, RECYCLE_SHARE * snapshot.stat().st_size / 2**20)
                if private > allowed:
                    log.info("query worker %s replaced: %.0f MB of its own", w.id, private)
                    self._retire(w, replace=True)
                    return
        self._put_idle(w)
        self._trim()

    def _went_long(self) -> None:
        """A query passed ``long_query`` (its worker demoted its thread): count it, and start a
        spare if no worker is idle."""
        with self._lock:
            self._long += 1
            idle = bool(self._idle)
        if not idle:
            self._fill()

    def _ended_long(self) -> None:
        with self._lock:
            self._long -= 1
        self._trim()

    def _trim(self) -> None:
        """Stop the workers the pool no longer needs (spares of long queries that have ended)
        once idle for ``spare_idle`` seconds, longest idle first; busy ones wait their turn."""
        now = time.monotonic()
        stopped: list[WorkerHandle] = []
        with self._lock:
            surplus = len(self._all) - self._target()
            for w in list(self._idle):
                if surplus <= 0 or now - w.idle_since < self.spare_idle:
                    break
                self._idle.remove(w)
                self._all.discard(w)
                stopped.append(w)
                surplus -= 1
        for w in stopped:
            w.kill()

    def _replace_dead(self) -> None:
        """Replace the idle workers that died (killed from outside, or with their zygote), so
        that health shows live workers and the next query does not find them first."""
        with self._lock:
            dead = [w for w in self._idle if not w.alive()]
        for w in dead:
            log.warning("query worker %s died while idle (%s)", w.id, w.status())
            self._retire(w, replace=True)

    def _take_idle(
        self, timeout: float, gone: Callable[[], bool] | None = None, *, first: bool = False
    ) -> WorkerHandle:
        """An idle, live worker (the one idle the shortest time); one that died while idle
        (killed from outside, out of memory) is replaced and skipped, so no query is sent to a
        dead process. Raises 503 after ``timeout``, or as soon as ``gone()`` says the client
        has hung up. ``first`` (an update: the single writer waits) goes before queries, which
        leave idle workers to it until their own ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._first += first
                try:
                    while not self._idle or (self._first and not first):
                        left = deadline - time.monotonic()
                        if left <= 0 and self._idle:
                            break  # waited long enough: the update gets the next one
                        if left <= 0:
                            busy = QueryTimeout(
                                f"Every query worker stayed busy for {timeout:g} s (setting "
                                "queue_wait); try again shortly."
                            )
                            busy.headers = {"Retry-After": "5"}  # type: ignore[attr-defined]
                            raise busy
                        if gone is not None and gone():
                            raise ClientGone("The client disconnected while its query waited.")
                        self._idle_ready.wait(min(left, CANCEL_POLL) if gone is not None else left)
                    w = self._idle.pop()
                finally:
                    self._first -= first
                    if first and self._idle:
                        self._idle_ready.notify_all()  # queries held back may go now
            if w.alive():
                return w
            log.warning("query worker %s died while idle (%s)", w.id, w.status())
            self._retire(w, replace=True)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        for w in workers:
            w.kill()
        self._finalizer()  # workers still booting, the zygote, and the snapshots


def _janitor(ref: weakref.ref[WorkerSet], stop: threading.Event, every: float) -> None:
    """Every ``every`` seconds until the pool closes or is dropped: stop spares idle for
    ``spare_idle`` seconds, and replace idle workers that died."""
    while not stop.wait(every):
        pool = ref()
        if pool is None or pool._closed:
            return
        pool._trim()
        pool._replace_dead()
        del pool


def _reap(
    handles: Sequence[WorkerHandle],
    zygote: Zygote | None,
    directory: Path,
    stop_janitor: threading.Event,
) -> None:
    stop_janitor.set()
    for w in handles:
        with contextlib.suppress(OSError):
            w.kill()
    if zygote is not None:
        zygote.kill()
    shutil.rmtree(directory, ignore_errors=True)
