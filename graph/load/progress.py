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
import threading
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


class _Display:
    """The step line of one job: redrawn in place on a terminal (also every ``tick`` seconds, so
    that the time keeps moving during a long step), one line per step elsewhere."""

    def __init__(self, title: str, out: IO[str], clock: Callable[[], float]) -> None:
        self.title, self.out, self.clock = title, out, clock
        self.live = out.isatty()
        self.start, self.text, self.width = clock(), "", 0
        self.lock = threading.Lock()

    def show(self, text: str) -> None:
        with self.lock:
            self.text = text
            self._draw()

    def redraw(self) -> None:
        with self.lock:
            if self.text:
                self._draw()

    def _draw(self) -> None:
        line = f"{self.title}: {self.text} [{self.clock() - self.start:.1f} s]"
        if self.live:
            self.out.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def clear(self) -> None:
        with self.lock:
            if self.live and self.width:
                self.out.write("\r" + " " * self.width + "\r")
                self.out.flush()
            self.text, self.width = "", 0


@contextlib.contextmanager
def reporting(
    title: str,
    *,
    enabled: bool,
    stream: IO[str] | None = None,
    clock: Callable[[], float] = time.monotonic,
    tick: float = 1.0,
) -> Iterator[None]:
    """Show the steps of the job ``title`` on ``stream`` (stderr) while the block runs, if
    ``enabled``: on a terminal one line redrawn at each step and every ``tick`` seconds, cleared
    at the end; elsewhere one line per step."""
    if not enabled:
        yield
        return
    display = _Display(title, stream if stream is not None else sys.stderr, clock)
    done = threading.Event()
    ticker = threading.Thread(target=lambda: _tick(display, done, tick), daemon=True)
    if display.live:
        ticker.start()
    token = _LISTENER.set(display.show)
    try:
        yield
    finally:
        _LISTENER.reset(token)
        done.set()
        if ticker.is_alive():
            ticker.join()
        display.clear()


def _tick(display: _Display, done: threading.Event, every: float) -> None:
    while not done.wait(every):
        display.redraw()


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
