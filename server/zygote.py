"""The zygote: one process that loads the store once and forks the query workers from it.

Started by the server (:class:`.worker_handle.Zygote`) with ``python -m diplograph.server.zygote
FD PREFIXES MEMORY_MB LONG_QUERY`` (the arguments of :mod:`.worker`), it does what a worker does
first (:func:`.worker.start`: dies with the server, gives up the network, says
:class:`~.worker.Hello`), caps its address space, and then only:

- applies :class:`~.worker.SyncOp` steps (a snapshot to load, writes to replay), exactly as a
  worker would, so that it stays a copy of the store at some generation;
- forks a worker on request (:class:`~.worker.Message` ``("fork", sync, None)``: the steps first),
  and answers :class:`Forked` ``(pid, generation)`` followed by two file descriptors sent over
  the socket (``SCM_RIGHTS``): the server's end of a new socket to the worker and a pidfd of the
  worker (taken before the zygote can reap it, so the server signals exactly that process).

It never runs a query and never starts a thread, so a fork copies a process in a known state:
the worker starts with the zygote's copy of the store (its pages shared copy-on-write with the
zygote and every other worker) and the zygote's isolation and memory limit, and is ready at once.
A forked worker sets its own parent-death signal: it dies with the zygote, which dies with the
server. The zygote reaps its workers as they exit (``SIGCHLD``) and exits when the server closes its
socket.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import traceback
from typing import Any, NamedTuple

import pyoxigraph as ox

from diplograph.server import sandbox
from diplograph.server.worker import Answer, Failure, Hello, Message, apply_sync, serve, start


class Forked(NamedTuple):
    """The zygote's answer to a fork: the worker's process id and the generation of its copy
    (two file descriptors follow on the socket)."""

    pid: int
    generation: int


def _reap() -> None:
    """Collect the workers that have exited (a zombie keeps its pid taken)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _fork(
    conn: Any, store: ox.Store, generation: int, args: tuple[dict[str, str], float, int]
) -> None:
    """Fork one worker over ``store`` and hand its socket and pidfd to the server."""
    ours, theirs = socket.socketpair()
    # no reaping between the fork and the pidfd: the pid must still be our child's
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            ours.close()
            conn.close()
            parent = os.getppid()
            sandbox.die_with_parent()
            if os.getppid() != parent:  # the zygote died before the signal was asked for
                os._exit(1)
            from multiprocessing.connection import Connection

            mine = Connection(theirs.detach())
            mine.send(Hello(ISOLATION[0]))
            code = serve(mine, store, generation, *args)
        finally:
            os._exit(code)
    theirs.close()
    try:
        pidfd = os.pidfd_open(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    try:
        conn.send(Forked(pid, generation))
        with socket.socket(fileno=os.dup(conn.fileno())) as channel:
            socket.send_fds(channel, [b"w"], [ours.fileno(), pidfd])
    finally:
        ours.close()
        os.close(pidfd)


#: This zygote's network isolation (as its workers inherit it), set by :func:`main`.
ISOLATION = ["unknown"]


def main(argv: list[str]) -> int:
    conn, ISOLATION[0], prefixes, memory_mb, long_query = start(argv)
    sandbox.limit_memory(memory_mb)
    store, generation = ox.Store(), -1
    # a killed worker is reaped at once, so that it is gone (not a zombie) when its kill returns
    signal.signal(signal.SIGCHLD, lambda signum, frame: _reap())
    while True:
        _reap()
        try:
            if not conn.poll(1.0):
                continue
            op, sync, _ = Message(*conn.recv())
        except (EOFError, OSError):
            return 0
        try:
            if any(step.op == "load" for step in sync):
                store = ox.Store()  # the old copy goes first: the zygote never holds two
                sandbox.limit_memory(memory_mb, sync)
            store, generation = apply_sync(store, sync, generation)
        except Exception:
            conn.send(Failure("sync", traceback.format_exc(), generation))
            return 1
        if op == "fork":
            _fork(conn, store, generation, (prefixes, long_query, memory_mb))
        else:
            conn.send(Answer(generation, b"", "", False))


if __name__ == "__main__":  # pragma: no cover - runs in the zygote process
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # under its import name, so that Forked pickles as diplograph.server.zygote.Forked
    from diplograph.server import zygote as _imported

    sys.exit(_imported.main(sys.argv[1:]))
