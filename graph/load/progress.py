"""Progress for long jobs: a tqdm bar and a reader that advances it as the store reads a file
(``diplograph ingest``), and the steps of a job in several parts (``export``, ``analyze``,
``extract``, ``build``).

Steps: the library says where a job is with :func:`step` (``step("claims view: labels of 120
nodes")``), which costs nothing unless a caller listens. A command listens with
:func:`reporting`: on a terminal one line on stderr, redrawn at each step with the time spent;
elsewhere (``--progress`` with stderr in a file or a pipe) one line per step.

>>> import io
>>> out = io.StringIO()
>>> with reporting("export", enabled=True, stream=out, clock=iter([0.0, 1.5, 2.0]).__next__):
...     step("actors view: links")
...     step("writing GraphML")
>>> print(out.getvalue(), end="")
export: actors view: links [1.5 s]
export: writing GraphML [2.0 s]
>>> step("nobody listens")  # a no-op
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any

from diplograph import formats

_LISTENER: ContextVar[Callable[[str], None] | None] = ContextVar("progress", default=None)


def step(text: str) -> None:
    """Say that the running job has reached ``text`` (nothing happens unless a caller listens
    with :func:`reporting`)."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(text)


@contextlib.contextmanager
def reporting(
    title: str,
    *,
    enabled: bool,
    stream: IO[str] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[None]:
    """Show the steps of the job ``title`` on ``stream`` (stderr) while the block runs, if
    ``enabled``: redrawn in place on a terminal (and cleared at the end), else one line each."""
    if not enabled:
        yield
        return
    out = stream if stream is not None else sys.stderr
    live = out.isatty()
    start = clock()
    width = 0

    def show(text: str) -> None:
        nonlocal width
        line = f"{title}: {text} [{clock() - start:.1f} s]"
        if live:
            out.write("\r" + line.ljust(width))
            width = len(line)
        else:
            out.write(line + "\n")
        out.flush()

    token = _LISTENER.set(show)
    try:
        yield
    finally:
        _LISTENER.reset(token)
        if live and width:
            out.write("\r" + " " * width + "\r")
            out.flush()


class CountingReader:
    """A binary file wrapper that advances a tqdm bar: by lines for line-based formats (one
    triple per line), by bytes otherwise."""

    def __init__(self, fh: Any, bar: Any, by_lines: bool) -> None:
        self._fh, self._bar, self._lines = fh, bar, by_lines

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._bar.update(data.count(b"\n") if self._lines else len(data))
        return data

    def readinto(self, buf: Any) -> int:
        n = self._fh.readinto(buf)
        self._bar.update(bytes(memoryview(buf)[:n]).count(b"\n") if self._lines else n)
        return n

    def readable(self) -> bool:
        return True


def bar(path: Path, fmt: formats.Format, enabled: bool) -> Any:
    from tqdm import tqdm

    by_lines = fmt.key in ("ntriples", "nquads")
    return tqdm(
        desc=path.name,
        unit=" triples" if by_lines else "B",
        unit_scale=True,
        total=None if by_lines else path.stat().st_size,
        disable=not enabled,
        leave=False,
    )
