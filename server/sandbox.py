"""What a query worker (:mod:`.worker`) and the zygote (:mod:`.zygote`) do to themselves before
they take any work: die with the server, give up the network, cap their address space.

Standard library only, so that a worker starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

from diplograph.lifetime import die_with_parent as die_with_parent  # a worker dies with the server


class _Op(Protocol):
    @property
    def op(self) -> str: ...
    @property
    def arg(self) -> str: ...


#: Linux clone flags (sched.h)
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


#: Why workers keep the network when a ``service_allowlist`` is set: the engine calls an
#: allow-listed SERVICE itself, from the worker (the guard refuses every other SERVICE).
NETWORK_FOR_SERVICE = "service_allowlist is set (SERVICE calls are made from the workers)"


def isolate_network() -> str:
    """Cut this process off from every network (Linux: a new, empty network namespace, where
    not even loopback is up), so that a query or replayed update that names a remote service
    cannot open a socket, whatever reached the engine. Returns ``"netns"`` when isolated, else
    ``"none: <why>"``. Must run before any thread starts. As root, a network namespace alone;
    otherwise inside a new user namespace (no privilege needed where the kernel allows
    unprivileged user namespaces). The worker's socket to the server is already open and is not
    affected."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as exc:
        return f"none: no unshare() on this platform ({exc})"
    reasons = []
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if unshare(flags) == 0:
            return "netns"
        reasons.append(os.strerror(ctypes.get_errno()))
    return "none: unshare() refused (" + "; ".join(reasons) + ")"


#: ``memory_mb`` meaning "sized from the store" (the setting ``worker_memory`` unset).
AUTO_MEMORY = -1
#: The automatic address-space limit: this many megabytes of headroom (the interpreter, its
#: libraries, thread stacks and arenas, a query's own working memory) ...
AUTO_BASE_MB = 1024
#: ... plus this many times the N-Quads snapshot. Oxigraph's in-memory copy takes about 1.8x the
#: snapshot's size once loaded and about 3.7x while loading (bench/RESULTS.md, "Workers").
AUTO_FACTOR = 4


def auto_memory_mb(snapshot_bytes: int) -> int:
    """The address-space limit (MB) of a worker whose store comes from a snapshot of
    ``snapshot_bytes`` bytes (the setting ``worker_memory`` unset)."""
    return AUTO_BASE_MB + -(-AUTO_FACTOR * snapshot_bytes // (1024 * 1024))


def limit_memory(memory_mb: int, sync: Sequence[_Op] = ()) -> None:
    """Cap this process's address space: ``memory_mb`` megabytes, or for :data:`AUTO_MEMORY`
    :func:`auto_memory_mb` of the snapshot that ``sync`` loads (nothing when it loads none); 0:
    no cap. A query that wants more fails here (the worker dies and is replaced), instead of
    the kernel's out-of-memory killer choosing some other process. The automatic limit is a soft
    one, raised again for a larger snapshot; nothing a query can run changes it."""
    import resource

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        return
    loads = [op.arg for op in sync if op.op == "load"]
    if memory_mb == AUTO_MEMORY and loads:
        size = os.path.getsize(loads[-1])
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = auto_memory_mb(size) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard < 0 else min(soft, hard), hard))
