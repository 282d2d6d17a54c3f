"""SIGKILL during ``diplograph build`` and during a large ``diplograph ingest``, then a restart:
the store opens and holds the state before the transaction or after it, never a mix. The kill
comes while the store directory is growing (the write has begun), at several delays."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MARKER = "https://w3id.org/diplograph/graph/file/marker"
BIG = "https://w3id.org/diplograph/graph/file/big"
META = "https://w3id.org/diplograph/graph/meta"

StateOf = dict[str, tuple[int, str]]


def write_big(path: Path, n: int, tag: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f'<urn:s{i}> <urn:p{i % 7}> "{tag} {i}" .\n')


def without_meta(state: StateOf) -> StateOf:
    """The metadata graph records load times, so two loads differ there; it is written in the
    same transaction as the graphs it describes."""
    return {g: v for g, v in state.items() if g != META}


@pytest.fixture(scope="module")
def marker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("marker") / "marker.nt"
    path.write_text('<urn:marker> <urn:p> "before" .\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference_build(
    tmp_path_factory: pytest.TempPathFactory,
    cli: Callable[..., subprocess.CompletedProcess[str]],
    state: Callable[[str], StateOf],
    marker: Path,
) -> StateOf:
    """What the marker plus a complete build holds (made once, by the real commands)."""
    store = tmp_path_factory.mktemp("reference") / "store"
    assert cli("ingest", "-q", "--no-shacl", str(marker), store=store).returncode == 0
    r = cli("build", "-q", store=store)
    assert r.returncode == 0, r.stderr
    return without_meta(state(f"oxigraph:{store}"))


@pytest.mark.parametrize("delay", [0.0, 1.0])
def test_sigkill_during_build_leaves_before_or_after(
    tmp_path: Path,
    cli: Callable[..., subprocess.CompletedProcess[str]],
    start: Callable[..., subprocess.Popen[bytes]],
    kill_while_writing: Callable[[subprocess.Popen[bytes], Path, float], bool],
    state: Callable[[str], StateOf],
    reference_build: StateOf,
    marker: Path,
    delay: float,
) -> None:
    store = tmp_path / "store"
    assert cli("ingest", "-q", "--no-shacl", str(marker), store=store).returncode == 0
    before = without_meta(state(f"oxigraph:{store}"))
    assert list(before) == [MARKER]
    proc = start("build", "-q", store=store)
    kill_while_writing(proc, store, delay)
    after = without_meta(state(f"oxigraph:{store}"))  # the store opens
    assert after in (before, reference_build), sorted(set(after) ^ set(reference_build))[:5]
    # and the next build completes from there
    r = cli("build", "-q", store=store)
    assert r.returncode == 0, r.stderr
    assert without_meta(state(f"oxigraph:{store}")) == reference_build


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_sigkill_during_a_large_ingest_leaves_before_or_after(
    tmp_path: Path,
    cli: Callable[..., subprocess.CompletedProcess[str]],
    start: Callable[..., subprocess.Popen[bytes]],
    kill_while_writing: Callable[[subprocess.Popen[bytes], Path, float], bool],
    state: Callable[[str], StateOf],
    marker: Path,
    delay: float,
) -> None:
    store = tmp_path / "store"
    old, new = tmp_path / "v1" / "big.nt", tmp_path / "v2" / "big.nt"
    old.parent.mkdir()
    new.parent.mkdir()
    write_big(old, 20_000, "old")
    write_big(new, 300_000, "new")
    for path in (marker, old):
        assert cli("ingest", "-q", "--no-shacl", str(path), store=store).returncode == 0
    before = without_meta(state(f"oxigraph:{store}"))
    assert before[BIG][0] == 20_000
    proc = start("ingest", "-q", "--no-shacl", str(new), store=store)
    kill_while_writing(proc, store, delay)
    after = without_meta(state(f"oxigraph:{store}"))
    assert after[MARKER] == before[MARKER]
    assert after == before or after[BIG][0] == 300_000, after[BIG]
    r = cli("ingest", "-q", "--no-shacl", str(new), store=store)
    assert r.returncode == 0, r.stderr
    assert without_meta(state(f"oxigraph:{store}"))[BIG][0] == 300_000
    assert not list(store.glob("bulk-*.sst"))  # the killed load's files went at the next open
