"""A full disk fails a write cleanly: a clear message and exit code 3, no traceback, the store
unchanged and still usable (the failed load's files are removed, so the space comes back).
The disk is a 12 MB tmpfs mount when this machine allows mounting (root), and in any case a
size-limited store directory (RLIMIT_FSIZE on the writing process)."""

from __future__ import annotations

import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from rdflib import URIRef

from diplograph.graph.store import DiploGraph, open_graph

pytestmark = pytest.mark.slow

SMALL = "https://w3id.org/diplograph/graph/file/small"
LATER = "https://w3id.org/diplograph/graph/file/later"
BIG = "https://w3id.org/diplograph/graph/file/big"
META = "https://w3id.org/diplograph/graph/meta"


def write_big(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f'<urn:s{i}> <urn:p{i % 7}> "a value long enough to need space {i}" .\n')


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(disk)], capture_output=True
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def limited(megabytes: int) -> Callable[[], None]:
    """preexec_fn: no file written by the process may grow past ``megabytes``."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killing signal
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def graphs(store: Path) -> dict[str, int]:
    """The named graphs and their sizes, read without writing (a read-write open may replay the
    failed run's log into a new table file, which a disk that is still full cannot take)."""
    with open_graph(f"oxigraph:{store}", read_only=True) as g:
        return {str(n): g.count(n) for n in g.named_graphs() if str(n) != META}


def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    small, later, big = tmp_path / "small.nt", tmp_path / "later.nt", tmp_path / "big.nt"
    small.write_text('<urn:a> <urn:b> "small" .\n', encoding="utf-8")
    later.write_text('<urn:a> <urn:b> "later" .\n', encoding="utf-8")
    write_big(big, 400_000)
    return small, later, big


def check_clean_failure(r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode == 3, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("Error: Writing failed; the store is unchanged"), r.stderr[:500]
    assert "No space left on device" in r.stderr or "File too large" in r.stderr, r.stderr[:500]


def test_ingest_on_a_full_tmpfs_fails_cleanly(
    tmp_path: Path, tmpfs: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    store = tmpfs / "store"
    small, later, big = files(tmp_path)
    assert cli("ingest", "-q", "--no-shacl", str(small), store=store).returncode == 0
    r = cli("ingest", "-q", "--no-shacl", str(big), store=store)
    check_clean_failure(r)
    assert not list(store.glob("bulk-*.sst"))  # the space comes back
    assert graphs(store) == {SMALL: 1}
    r = cli("ingest", "-q", "--no-shacl", str(later), store=store)
    assert r.returncode == 0, r.stderr  # the store is still writable
    assert graphs(store) == {SMALL: 1, LATER: 1}


def test_build_on_a_full_tmpfs_fails_cleanly(
    tmp_path: Path, tmpfs: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    store = tmpfs / "store"
    small, _, _ = files(tmp_path)
    assert cli("ingest", "-q", "--no-shacl", str(small), store=store).returncode == 0
    r = cli("build", "-q", store=store)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "No space left on device" in r.stderr, r.stderr[-1000:]
    assert graphs(store) == {SMALL: 1}


def test_ingest_into_a_size_limited_store_fails_cleanly(
    tmp_path: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    store = tmp_path / "store"
    small, later, big = files(tmp_path)
    assert cli("ingest", "-q", "--no-shacl", str(small), store=store).returncode == 0
    r = cli("ingest", "-q", "--no-shacl", str(big), store=store, preexec_fn=limited(4))
    check_clean_failure(r)
    assert not list(store.glob("bulk-*.sst"))
    assert graphs(store) == {SMALL: 1}
    r = cli("ingest", "-q", "--no-shacl", str(later), store=store, preexec_fn=limited(4))
    assert r.returncode == 0, r.stderr
    assert graphs(store) == {SMALL: 1, LATER: 1}


def test_writes_recover_when_space_returns_without_a_restart(
    tmpfs: Path, make_app: Callable[..., Flask], fill_disk: Callable[[Path], Path]
) -> None:
    """RocksDB refuses every write after its first I/O error until the store is opened again:
    the server reopens it at the next write, so writes work again once space is freed."""
    graph = open_graph(f"oxigraph:{tmpfs / 'store'}")
    try:
        check_recovery(tmpfs, graph, make_app, fill_disk)
    finally:
        graph.close()
    with open_graph(f"oxigraph:{tmpfs / 'store'}", read_only=True) as again:
        assert again.count(URIRef("urn:g")) == 2  # durable, and nothing of the failed writes


def check_recovery(
    tmpfs: Path,
    graph: DiploGraph,
    make_app: Callable[..., Flask],
    fill_disk: Callable[[Path], Path],
) -> None:
    graph.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "before" } }')
    app = make_app(graph=graph, update_token="disk-t0k", workers=1, result_cache=0)
    c = app.test_client()
    auth = {"Authorization": "Bearer disk-t0k"}

    def values() -> list[str]:
        r = c.post(
            "/sparql",
            data={"query": "SELECT ?o { GRAPH <urn:g> { ?s <urn:p> ?o } } ORDER BY ?o"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.status_code == 200, r.get_data(as_text=True)
        return [b["o"]["value"] for b in r.json["results"]["bindings"]]  # type: ignore[index]

    filler = fill_disk(tmpfs)
    big = " ".join(f'<urn:s{i}> <urn:p> "{"x" * 200} {i}" .' for i in range(300))
    for _ in range(2):  # refused, and refused again while the disk is still full
        r = c.post("/update", data={"update": f"INSERT DATA {{ GRAPH <urn:g> {{ {big} }} }}"},
                   headers=auth)  # fmt: skip
        assert r.status_code == 503, r.get_data(as_text=True)
        assert "No space left on device" in r.json["error"], r.json  # type: ignore[index]
    assert values() == ["before"]
    filler.unlink()
    r = c.post(
        "/update",
        data={"update": 'INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "after" } }'},
        headers=auth,
    )
    assert r.status_code == 204, r.get_data(as_text=True)
    assert values() == ["after", "before"]
    app.extensions["diplograph"].close()
