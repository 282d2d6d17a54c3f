"""A server that dies without closing (SIGKILL, a crash) leaves its workers' snapshot folder in
the temp folder, and a LOAD's download folder when it dies while fetching; the next server started
by the same user removes them (issue 16: "every server crash leaves its snapshot directory
behind"). A running server's folders are never touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_the_next_server_removes_the_folder_a_killed_server_left(
    tmp_path: Path,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    exe = Path(sys.executable).with_name("diplograph")
    env = {**os.environ, "TMPDIR": str(tmp)}

    def serve(name: str) -> subprocess.Popen[bytes]:
        port = free_port()
        log = tmp_path / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [str(exe), "--store", "memory:", "serve", "--port", str(port), "--workers", "1"],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        wait_until_ready(proc, f"http://127.0.0.1:{port}/-/health.json", name, 120, log)
        return proc

    first = serve("first")
    left = sorted(tmp.glob(f"diplograph-snapshots-{first.pid}-*"))
    assert len(left) == 1, sorted(tmp.iterdir())
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=60)
    assert left[0].exists()  # nothing removed it: the server had no chance
    # a live server's folder (here: this test process's own pid) is kept
    mine = tmp / f"diplograph-snapshots-{os.getpid()}-keep"
    mine.mkdir()
    # a LOAD's download folder of the killed server (killed while fetching), and a live one
    fetching = tmp / f"diplograph-load-{first.pid}-x1"
    fetching.mkdir()
    (fetching / "source-1").write_bytes(b"<urn:s> <urn:p> <urn:o> .\n")
    mine_fetching = tmp / f"diplograph-load-{os.getpid()}-keep"
    mine_fetching.mkdir()

    second = serve("second")
    try:
        assert not left[0].exists()
        assert mine.exists()
        assert not fetching.exists()
        assert mine_fetching.exists()
        assert len(list(tmp.glob(f"diplograph-snapshots-{second.pid}-*"))) == 1
    finally:
        stop_process(second, 15)
    assert not list(tmp.glob(f"diplograph-snapshots-{second.pid}-*"))  # closed: removed
