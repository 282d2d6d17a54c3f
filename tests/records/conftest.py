"""Fixtures for the claim-record tests: the bundled article-001 records, and a way to write a
changed copy of them (with the article text beside it) to check what the loader reports."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from diplograph.graph.records import ARTICLES_DIR

SEED_YAML = ARTICLES_DIR / "article-001.yaml"
SEED_TEXT = ARTICLES_DIR / "article-001.txt"

#: Writes the seed records with each ``(old, new)`` replacement applied (each must match once)
#: into a temporary directory and returns the path of the new file.
Variant = Callable[..., Path]


@pytest.fixture
def seed_text() -> str:
    return SEED_YAML.read_text(encoding="utf-8")


@pytest.fixture
def variant(tmp_path: Path, seed_text: str) -> Variant:
    shutil.copy(SEED_TEXT, tmp_path / SEED_TEXT.name)

    def write(*changes: tuple[str, str], name: str = "article.yaml") -> Path:
        text = seed_text
        for old, new in changes:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the seed"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _line_of(path: Path, needle: str, *, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, text in enumerate(lines) if after in text)
    return next(i for i, text in enumerate(lines) if i >= start and needle in text) + 1


@pytest.fixture
def line_of() -> Callable[..., int]:
    """``line_of(path, needle, after=None)``: the 1-based line of the first line of ``path``
    containing ``needle`` (after the first line containing ``after``, if given)."""
    return _line_of
