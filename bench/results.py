"""``bench/RESULTS.md``: each benchmark owns one section, between ``<!-- NAME:start -->`` and
``<!-- NAME:end -->``, and rewrites only that section (appended at the end the first time).
The writer is the package's own (``diplograph eval-extract --save`` writes a section too)."""

from __future__ import annotations

from pathlib import Path

from diplograph.graph.extract.evaluate import save_section

RESULTS = Path(__file__).with_name("RESULTS.md")


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace section ``name`` of ``path`` with ``body``."""
    save_section(path, body, name=name)
