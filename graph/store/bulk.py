"""Oxigraph's bulk loader, fed in parallel: a line-based file (N-Triples, N-Quads) is cut at line
boundaries into one slice per core, and each slice is bulk-loaded by its own thread (pyoxigraph
releases the GIL while it parses and writes). Other formats are loaded in one piece.

Oxigraph's parsers give each document's blank nodes fresh identities, so ``_:b1`` in two slices
would become two nodes: a file in which ``_:`` occurs anywhere is loaded in one piece. A syntax
error is reported with its line number in the whole file.
"""

from __future__ import annotations

import mmap
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

#: Files smaller than this are loaded by one thread.
PARALLEL_MIN_BYTES = 32 << 20

Wrap = Callable[[Any], Any]


class _Slice:
    """A read-only file object over ``[start, end)`` of a memory map."""

    def __init__(self, mm: mmap.mmap, start: int, end: int) -> None:
        self._mm, self._pos, self._end = mm, start, end

    def read(self, size: int = -1) -> bytes:
        stop = self._end if size is None or size < 0 else min(self._end, self._pos + size)
        data = self._mm[self._pos : stop]
        self._pos = stop
        return data

    def readinto(self, buf: Any) -> int:
        data = self.read(len(buf))
        buf[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True


def _cuts(mm: mmap.mmap, parts: int) -> list[int]:
    size = len(mm)
    cuts = [0]
    for i in range(1, parts):
        nl = mm.find(b"\n", max(cuts[-1], size * i // parts))
        if nl < 0:
            break
        cuts.append(nl + 1)
    cuts.append(size)
    return sorted(set(cuts))


def load(
    store: ox.Store,
    path: Path,
    rdf_format: ox.RdfFormat,
    target: ox.NamedNode,
    *,
    line_based: bool,
    wrap: Wrap | None = None,
    threads: int | None = None,
) -> None:
    """Bulk-load ``path`` into ``target`` (triples; quads keep their graphs). ``wrap`` may wrap
    each file object (a progress bar). Raises ``SyntaxError`` with the file's line number."""
    size = path.stat().st_size
    workers = threads or os.cpu_count() or 1
    if not line_based or workers < 2 or size < PARALLEL_MIN_BYTES:
        if wrap is None:
            store.bulk_load(path=str(path), format=rdf_format, to_graph=target)
        else:
            with open(path, "rb") as fh:
                store.bulk_load(wrap(fh), rdf_format, to_graph=target)
        return
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if mm.find(b"_:") >= 0:
            return load(store, path, rdf_format, target, line_based=False, wrap=wrap)
        cuts = _cuts(mm, workers)
        errors: list[tuple[int, BaseException]] = []

        def work(i: int) -> None:
            part: Any = _Slice(mm, cuts[i], cuts[i + 1])
            try:
                store.bulk_load(wrap(part) if wrap else part, rdf_format, to_graph=target)
            except BaseException as exc:  # re-raised in the calling thread
                errors.append((i, exc))

        pool = [threading.Thread(target=work, args=(i,)) for i in range(len(cuts) - 1)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        if errors:
            i, exc = min(errors, key=lambda e: e[0])
            if isinstance(exc, SyntaxError) and exc.lineno is not None:
                exc.lineno += mm[: cuts[i]].count(b"\n")
            raise exc
