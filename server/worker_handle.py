"""The server's end of one query worker: its process and socket (the other end is :mod:`.worker`).

:class:`WorkerProcess` starts ``python -m diplograph.server.worker`` with ``subprocess``
(fork+exec, never a fork of the multi-threaded server), and sends and receives the named tuples of
:mod:`.worker`'s protocol. :mod:`.pool` keeps several and decides what they run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import shutil
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from diplograph.server.execution import QueryRequest, UpdateRequest
from diplograph.server.worker import Message, Reply, SyncOp


class WorkerProcess:
    """One worker process (:mod:`.worker`) and the server's end of its socket."""

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

    def send(
        self, op: str, sync: list[SyncOp], request: QueryRequest | UpdateRequest | None = None
    ) -> None:
        self.conn.send(Message(op, sync, None if request is None else dataclasses.asdict(request)))

    def recv(self) -> Reply:
        reply: Reply = self.conn.recv()
        return reply

    def kill(self) -> None:
        """Kill the process (idempotent). The socket is left to the garbage collector: another
        thread may still be reading it, and it then sees end-of-file, never a reused fd."""
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()


def reap(procs: list[subprocess.Popen[bytes]], directory: Path) -> None:
    """Kill the worker processes ``procs`` and remove the snapshot folder ``directory`` (the pool
    is closed or dropped, or the interpreter exits)."""
    for proc in procs:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    shutil.rmtree(directory, ignore_errors=True)
