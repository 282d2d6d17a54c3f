"""The server's end of the query workers: their processes and sockets (the other end is
:mod:`.worker`, and :mod:`.zygote` for the process that forks them).

Two kinds of worker, one interface (:class:`WorkerHandle`: ``send``, ``recv``, ``alive``,
``kill``):

- :class:`ForkedWorker`, the default on Linux: forked by the :class:`Zygote` with the store
  already loaded (its pages shared copy-on-write), ready at once. The server holds a pidfd of it,
  so it can kill it although it is not its child, and never signals a process that reused its pid;
- :class:`WorkerProcess`: ``python -m diplograph.server.worker`` started with ``subprocess``
  (fork+exec, never a fork of the multi-threaded server), which loads its own copy: where the
  platform has no ``fork``/pidfd, or with ``DIPLOGRAPH_ZYGOTE=0`` in the environment.

:mod:`.pool` keeps several and decides what they run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from diplograph.server.execution import QueryRequest, UpdateRequest
from diplograph.server.worker import Failure, Hello, Message, Reply, SyncOp
from diplograph.server.zygote import Forked


def zygote_available() -> bool:
    """Whether workers can be forked from a zygote here (Linux: ``fork``, pidfds, fd passing),
    unless ``DIPLOGRAPH_ZYGOTE=0`` asks for one process per worker."""
    wanted = os.environ.get("DIPLOGRAPH_ZYGOTE", "1") != "0"
    return wanted and all(
        (hasattr(os, "fork"), hasattr(os, "pidfd_open"), hasattr(signal, "pidfd_send_signal"))
    )


#: The thread that starts every worker and zygote process (see :class:`WorkerProcess`).
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diplograph-spawn")


class WorkerHandle:
    """One worker process and the server's end of its socket."""

    _ids = itertools.count(1)

    def __init__(self, conn: Connection, pid: int) -> None:
        self.id = next(self._ids)
        self.conn = conn
        self.pid = pid
        self.generation = -1
        self.ready = False
        self.isolation = "unknown"
        self.idle_since = 0.0  # monotonic time it last became idle (pool)

    def send(
        self,
        op: str,
        sync: list[SyncOp],
        request: QueryRequest | UpdateRequest | list[QueryRequest] | None = None,
    ) -> None:
        """Send a message; a list of queries is a ``"batch"`` (:mod:`.worker`)."""
        if isinstance(request, list):
            fields = {"queries": [dataclasses.asdict(r) for r in request]}
            self.conn.send(Message(op, sync, fields))
            return
        self.conn.send(Message(op, sync, None if request is None else dataclasses.asdict(request)))

    def recv(self) -> Reply:
        reply: Reply = self.conn.recv()
        return reply

    def alive(self) -> bool:
        raise NotImplementedError

    def status(self) -> str:
        """How the process stands, for the log."""
        raise NotImplementedError

    def kill(self) -> None:
        """Kill the process and wait until it has gone (idempotent). The socket is left to the
        garbage collector: another thread may still be reading it, and it then sees end-of-file,
        never a reused fd."""
        raise NotImplementedError


class WorkerProcess(WorkerHandle):
    """A worker (or, with ``module``, the zygote) started with ``subprocess``."""

    def __init__(
        self,
        prefixes: dict[str, str],
        memory_mb: int = 0,
        long_query: float = 0,
        network: str = "",
        module: str = "diplograph.server.worker",
    ) -> None:
        parent, child = socket.socketpair()
        args = [str(child.fileno()), json.dumps(prefixes), str(memory_mb), str(long_query)]
        args += [network] if network else []  # why it keeps the network (worker.start)
        try:
            # started from one thread that lives as long as the server: the process asks to be
            # killed when the thread that started it ends (PR_SET_PDEATHSIG), which must not be
            # a short-lived thread of the pool
            self.proc = _SPAWNER.submit(
                subprocess.Popen,
                [sys.executable, "-m", module, *args],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
            ).result()
        finally:
            child.close()
        super().__init__(Connection(parent.detach()), self.proc.pid)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def status(self) -> str:
        code = self.proc.poll()
        return "running" if code is None else f"exit {code}"

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()


class ForkedWorker(WorkerHandle):
    """A worker forked by the :class:`Zygote`, known by a pidfd (it is the zygote's child)."""

    def __init__(self, conn: Connection, pid: int, pidfd: int) -> None:
        super().__init__(conn, pid)
        self.pidfd = pidfd
        # closed only when no thread can use it any more: a closed fd number may be reused;
        # not at interpreter exit, where the server's own exit hook still stops the workers
        weakref.finalize(self, os.close, pidfd).atexit = False

    def _gone(self, timeout: float) -> bool:
        """Whether the process has exited (its pidfd is readable), waiting up to ``timeout``."""
        readable, _, _ = select.select([self.pidfd], [], [], timeout)
        return bool(readable)

    def alive(self) -> bool:
        return not self._gone(0)

    def status(self) -> str:
        return "exited" if self._gone(0) else "running"

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self._gone(30)  # exited: the kernel takes its memory back
        # and reaped by the zygote (at once, on SIGCHLD), so that no zombie is left behind
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                signal.pidfd_send_signal(self.pidfd, 0)
            except OSError:  # ProcessLookupError: reaped
                return
            time.sleep(0.005)


class Zygote:
    """The server's end of the zygote (:mod:`.zygote`): started when first needed, and again if
    it dies; :meth:`fork` brings its copy up to date and forks a worker from it."""

    def __init__(
        self, prefixes: dict[str, str], memory_mb: int, long_query: float, network: str = ""
    ) -> None:
        self.args = (prefixes, memory_mb, long_query, network)
        self.proc: WorkerProcess | None = None
        self.isolation = "unknown"
        self._lock = threading.Lock()  # one fork (and its sync) at a time

    @property
    def generation(self) -> int:
        return self.proc.generation if self.proc is not None else -1

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.alive() else None

    def _started(self) -> WorkerProcess:
        if self.proc is not None and self.proc.alive():
            return self.proc
        if self.proc is not None:
            self.proc.kill()
        self.proc = WorkerProcess(*self.args, module="diplograph.server.zygote")
        hello = self.proc.recv()
        if not isinstance(hello, Hello):
            raise RuntimeError(f"unexpected first message from the zygote {hello!r}")
        self.isolation = hello.isolation
        return self.proc

    def fork(self, ops_for: Callable[[int], list[SyncOp]]) -> ForkedWorker:
        """A new worker at the store's current generation: ``ops_for(generation)`` says what the
        zygote's copy lacks (a snapshot to load, writes to replay). Raises ``RuntimeError`` (or
        ``EOFError``/``OSError`` when the zygote died) if it cannot."""
        with self._lock:
            z = self._started()
            try:
                z.send("fork", ops_for(z.generation))
                reply = z.recv()
                if isinstance(reply, Failure):
                    raise RuntimeError(reply.message)
                if not isinstance(reply, Forked):
                    raise RuntimeError(f"unexpected reply from the zygote {reply!r}")
                with socket.socket(fileno=os.dup(z.conn.fileno())) as channel:
                    _, fds, _, _ = socket.recv_fds(channel, 1, 2)
                if len(fds) != 2:
                    raise RuntimeError(f"the zygote sent {len(fds)} file descriptors, not 2")
            except BaseException:
                z.kill()  # out of step with us: a fresh one next time
                raise
            z.generation = reply.generation
            conn_fd, pidfd = fds
            w = ForkedWorker(Connection(conn_fd), reply.pid, pidfd)
            w.generation = reply.generation  # its copy is the zygote's
            return w

    def kill(self) -> None:
        """Stop the zygote (its workers die with it), even while it loads a snapshot."""
        proc = self.proc
        if proc is not None:
            proc.kill()
