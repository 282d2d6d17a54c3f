"""Fixtures for the fault tests (issue 10): real ``diplograph`` processes on on-disk stores.

- ``cli(*args, store=...)``: run the installed ``diplograph`` command to completion;
- ``start(*args, store=...)``: start it and return the process;
- ``kill_while_writing(proc, store, delay)``: SIGKILL ``proc`` ``delay`` seconds after its store
  directory starts to grow (the write has begun); returns whether it was still running;
- ``state(url)``: what a store holds, per named graph (triple count and a hash of the triples);
- ``fill_disk(folder)``: fill the file system of ``folder`` to the last byte; returns the file
  that does it (remove it and the space returns).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode

from diplograph.graph.store import open_graph

EXE = str(Path(sys.executable).with_name("diplograph"))

State = dict[str, tuple[int, str]]


def _size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # RocksDB renames as it goes
                total += os.stat(os.path.join(root, name)).st_size
    return total


def _n3(term: object) -> str:
    """A term as text, every blank node the same (their labels differ from load to load)."""
    return "_:" if isinstance(term, BNode) else str(term)


def _state(url: str) -> State:
    out: State = {}
    with open_graph(url) as g:  # opened for writing: leftovers of a killed load are dropped
        for name in g.named_graphs():
            lines = sorted(" ".join(_n3(t) for t in quad[:3]) for quad in g.quads(name))
            digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
            out[str(name)] = (len(lines), digest)
    return out


@pytest.fixture(scope="session")
def state() -> Callable[[str], State]:
    return _state


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(
        *args: str, store: Path, preexec_fn: Callable[[], None] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [EXE, "--store", f"oxigraph:{store}", *args],
            capture_output=True,
            text=True,
            preexec_fn=preexec_fn,
        )

    return run


@pytest.fixture(scope="session")
def start() -> Callable[..., subprocess.Popen[bytes]]:
    def run(*args: str, store: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [EXE, "--store", f"oxigraph:{store}", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    return run


@pytest.fixture(scope="session")
def kill_while_writing() -> Callable[[subprocess.Popen[bytes], Path, float], bool]:
    def kill(proc: subprocess.Popen[bytes], store: Path, delay: float) -> bool:
        base = _size(store)
        while proc.poll() is None and _size(store) <= base:
            time.sleep(0.005)
        time.sleep(delay)
        running = proc.poll() is None
        if running:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return running

    return kill


def _fill_disk(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (65536, 512, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    return filler


@pytest.fixture(scope="session")
def fill_disk() -> Callable[[Path], Path]:
    return _fill_disk
