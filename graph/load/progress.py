"""Progress bars for loading files (``diplograph ingest`` without ``-q``): a tqdm bar, and a
reader that advances it as the store reads the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diplograph import formats


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
