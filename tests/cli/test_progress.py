"""The ingest progress bar: shown (triples/s) on a terminal, silenced by --quiet and when stderr
is not a terminal. A real ``diplograph ingest`` with its stderr on a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from diplograph import iri

DIPLOGRAPH = str(Path(sys.executable).with_name("diplograph"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "claims.nt"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    path.write_text(
        "".join(f'<{iri.claim("bar", i)}> {label} "claim {i}" .\n' for i in range(20_000)),
        encoding="utf-8",
    )
    return path


def ingest_on_a_terminal(store: Path, data: Path, *flags: str) -> tuple[int, str]:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [DIPLOGRAPH, "--store", f"oxigraph:{store}", "ingest", "--no-shacl", *flags, str(data)],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_progress_bar_on_a_terminal(tmp_path: Path, data: Path) -> None:
    code, shown = ingest_on_a_terminal(tmp_path / "store", data)
    assert code == 0
    assert f"{data.name}: " in shown and " triples/s]" in shown


@pytest.mark.slow
def test_quiet_silences_it(tmp_path: Path, data: Path) -> None:
    code, shown = ingest_on_a_terminal(tmp_path / "store", data, "--quiet")
    assert code == 0
    assert shown == ""


@pytest.mark.slow
def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path, data: Path) -> None:
    done = subprocess.run(
        [
            DIPLOGRAPH,
            "--store",
            f"oxigraph:{tmp_path / 'store'}",
            "ingest",
            "--no-shacl",
            str(data),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stderr == f"{data}: loading...\n"
