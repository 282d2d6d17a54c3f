"""Child processes that do not outlive their parent: :func:`die_with_parent` (Linux's
``PR_SET_PDEATHSIG``), used by the query workers and the zygote (:mod:`diplograph.server.sandbox`)
and by the Graphviz runs of the network exports (:mod:`diplograph.graph.network.export`), so that
a worker or a picture whose parent was killed at a timeout stops too.

Standard library only, so that a worker starts fast.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def die_with_parent() -> None:
    """Ask Linux to kill this process (``SIGKILL``) when the thread that started it ends (on
    other platforms: nothing)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_dies_with_parent() -> dict[str, Any]:
    """Keyword arguments for :mod:`subprocess` that make the child die with this process:
    :func:`die_with_parent` run in the child before it starts, when this process has one thread
    (``preexec_fn`` is not safe beside other threads; a multi-threaded caller, such as the server
    drawing without export processes, lives as long as its child's timeout anyway)."""
    return {"preexec_fn": die_with_parent} if threading.active_count() == 1 else {}
