"""What the query workers' copies of the store are made from: a snapshot and a log of writes.

:class:`Replicas` keeps the N-Quads snapshot of the durable store that a new worker loads and the
writes made since (replayed in order; a load through the graph layer as the update that rewrites
the graphs it touched, :meth:`Replicas.after_load`), and tells each worker what it must apply to
reach the store's current generation (:meth:`Replicas.ops_for`). An update evaluated in a worker
is logged as the concrete changes it made (:mod:`.update_delta`: its ``NOW()``, ``UUID()`` and
new blank nodes as data), so it replays identically; an update run as its own text that would
not (blank nodes, ``NOW()``, ``RAND()``, ``UUID()``, ``LOAD``) and writes made behind the pool's
back (the generation moved) make a fresh snapshot instead. The caller (:mod:`.pool`) holds
its lock around every call.

When a snapshot cannot be written (a full temp folder), nothing a client did is lost: the write
is committed in the durable store and stays reported as committed; it goes into the log anyway
(a write that does not replay identically then gives the copies equivalent data with their own
blank nodes or clock), the copies keep serving from the last good snapshot plus the log, and
:attr:`Replicas.fault` says what went wrong (``/-/health.json`` shows it) until a snapshot is
written again, which is retried at most every :data:`RETRY_SECONDS`.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from diplograph.errors import StoreError
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.worker import SyncOp

log = logging.getLogger(__name__)

_NONDETERMINISTIC = re.compile(
    r"_:|\[|\bBNODE\s*\(|\bNOW\s*\(|\bRAND\s*\(|\bUUID\s*\(|"
    r"\bSTRUUID\s*\(|\bLOAD\b",
    re.I,
)
#: Writes replayed from the log before a fresh snapshot is cheaper.
MAX_LOG = 200
#: Snapshots kept on disk: a worker may still be loading the one before the newest.
KEEP_SNAPSHOTS = 3
#: Seconds between attempts to write a snapshot after one failed.
RETRY_SECONDS = 5.0
#: A snapshot folder is named ``diplograph-snapshots-<pid of the server>-<random>``.
FOLDER_PREFIX = "diplograph-snapshots-"
#: The folder a LOAD's sources are fetched to (:mod:`.fetch`), also named by its server's pid.
LOAD_FOLDER_PREFIX = "diplograph-load-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove the snapshot folders (and LOAD's download folders) that servers which died without
    closing (a crash, SIGKILL) left in the temp folder: those of this user whose server process
    is gone. Returns them."""
    removed: list[Path] = []
    base = Path(root or tempfile.gettempdir())
    found = [(p, f) for p in (FOLDER_PREFIX, LOAD_FOLDER_PREFIX) for f in base.glob(f"{p}*-*")]
    for prefix, folder in found:
        pid_text = folder.name[len(prefix) :].split("-", 1)[0]
        try:
            pid, owner = int(pid_text), folder.stat().st_uid
        except (ValueError, OSError):
            continue  # not ours to judge (an older name, or gone already)
        if owner == os.getuid() and pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


#: Most triples a load through the graph layer may leave in the graphs it wrote and still be
#: replayed as an update; a larger one makes a fresh snapshot.
MAX_REPLAY = 50_000


class Replicas:
    """The snapshot and write log of ``graph``, in a temporary folder of their own."""

    _names = itertools.count(1)

    def __init__(self, graph: OxigraphGraph) -> None:
        self.graph = graph
        remove_stale_folders()
        self.directory = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self.snapshot: SyncOp = SyncOp("load", "", -1)
        self.log: list[SyncOp] = []
        self.known = -1  # the generation the snapshot and log reach
        self._old: list[Path] = []
        #: why the last snapshot could not be written (None: the copies are in step)
        self.fault: str | None = None
        self._failed_at = 0.0

    def take_snapshot(self) -> None:
        """Dump the durable store for the workers and start a new log."""
        gen = self.graph.generation
        path = self.directory / f"snapshot-{gen}-{next(self._names)}.nq"
        try:
            self.graph.store.dump(str(path), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise StoreError(f"Cannot write the snapshot the query workers load: {exc}") from exc
        self._old.append(path)
        while len(self._old) > KEEP_SNAPSHOTS:
            self._old.pop(0).unlink(missing_ok=True)
        self.snapshot, self.log, self.known = SyncOp("load", str(path), gen), [], gen
        if self.fault is not None:
            log.warning("the query workers' snapshot is written again; fault cleared")
        self.fault = None

    def _try_snapshot(self) -> bool:
        """Take a snapshot, or record the fault (False) when it cannot be written. After a
        failure, attempts wait :data:`RETRY_SECONDS` (False meanwhile)."""
        if self.fault is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
            return False
        try:
            self.take_snapshot()
        except StoreError as exc:
            if self.fault is None:
                log.error("%s; serving from the last snapshot plus the log of writes", exc)
            self.fault, self._failed_at = str(exc), time.monotonic()
            return False
        return True

    def ops_for(self, generation: int, *, writing: bool) -> list[SyncOp]:
        """What a copy at ``generation`` must apply to reach the store's current one.
        ``writing``: a write through the pool is under way (its log entry follows)."""
        if not writing and (self.graph.generation != self.known or self.fault is not None):
            # written behind our back (not through the pool), or the last snapshot failed:
            # start from a fresh snapshot (when it fails, the last one plus the log serve)
            self._try_snapshot()
        if generation >= self.known:
            return []
        if generation < self.snapshot.generation:
            return [self.snapshot, *self.log]
        return [op for op in self.log if op.generation > generation]

    def after_write(self, sparql: str, *, replayable: bool = False) -> None:
        """Log a write just made through the pool, or take a fresh snapshot when it would not
        replay identically, the log is long, or another write slipped in. ``replayable``: the
        text is concrete changes (:mod:`.update_delta`): its new blank nodes are new in every
        copy too, as after any load, so it is logged even though it names some."""
        gen = self.graph.generation
        if (
            gen == self.known + 1
            and len(self.log) < MAX_LOG
            and (replayable or not _NONDETERMINISTIC.search(sparql))
        ) or not self._try_snapshot():
            self.log.append(SyncOp("update", sparql, gen))
            self.known = gen

    def after_load(self, graphs: Sequence[str] | None, before: int) -> None:
        """Log a write made through the graph layer (an ingest, a drop: no SPARQL text) as the
        update that gives the copies the same ``graphs`` (their contents now, whole), or take a
        fresh snapshot when the graphs are not known, too large, would not replay identically,
        or another write slipped in since ``before``."""
        ops: list[str] = []
        size = 0
        for name in graphs or ():
            node = ox.NamedNode(name)
            quads = list(self.graph.store.quads_for_pattern(None, None, None, node))
            size += len(quads)
            if size > MAX_REPLAY:
                break
            ops.append(f"DROP SILENT GRAPH <{name}>")
            if quads:
                data = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
                ops.append(f"INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")
        text = " ;\n".join(ops)
        gen = self.graph.generation
        if (
            not graphs
            or size > MAX_REPLAY
            or before != self.known
            or len(self.log) >= MAX_LOG
            or _NONDETERMINISTIC.search(text)
        ) and (self._try_snapshot() or not text):
            return  # a fresh snapshot; or it failed and there is nothing to replay (the fault)
        self.log.append(SyncOp("update", text, gen))
        self.known = gen

    def remove(self) -> None:
        """Delete the snapshots (the pool is closing)."""
        shutil.rmtree(self.directory, ignore_errors=True)
