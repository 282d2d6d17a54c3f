"""A child started with :func:`diplograph.lifetime.child_dies_with_parent` (Graphviz under an
export process) stops when its parent is killed: an export process killed at query_timeout
leaves no Graphviz drawing on (issue 16, every route bounded)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PARENT = textwrap.dedent(
    """
    import subprocess, sys
    from diplograph.lifetime import child_dies_with_parent
    child = subprocess.Popen(["sleep", "600"], **child_dies_with_parent())
    print(child.pid, flush=True)
    child.wait()
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_dies_with_its_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        assert _alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 60  # generous: a busy machine
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the child outlived its killed parent"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_beside_other_threads_no_preexec_is_asked() -> None:
    """preexec_fn is not safe beside threads: a multi-threaded caller gets no such argument."""
    import threading

    from diplograph.lifetime import child_dies_with_parent

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert child_dies_with_parent() == {}
    finally:
        stop.set()
        thread.join()
