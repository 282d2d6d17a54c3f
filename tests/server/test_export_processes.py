"""Network exports are drawn in export processes (server/export_runner.py, server/export_proc.py),
not in the server: the same bytes as drawn in process, their queries still run by the server's
guarded executor, a process that dies or overruns costs only itself, and the server goes on."""

from __future__ import annotations

import io
import os
import signal
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from diplograph.graph.store import DiploGraph
from diplograph.server.sandbox import AUTO_BASE_MB
from tests.server.conftest import export_processes

EXPORTS = (
    "/export/actors.graphml",
    "/export/claims.cytoscape",
    "/export/full.d3?from=2014-01-01",
    "/export/actors.gexf?actor=person/sergey-lavrov",
    "/export/claims.csvzip?group=2&top=5",
)


def export_pids(app: Flask) -> list[int]:
    """The process ids of the app's idle export processes."""
    exports = app.extensions["diplograph"].exports
    return [] if exports is None else [p.pid for p in exports._idle]


def contents(data: bytes) -> object:
    """An export's bytes; a zip's members (its entries carry the time they were written)."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_exports_drawn_in_a_process_are_the_bytes_drawn_in_the_server(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1, result_cache=0)
    settings = app.extensions["diplograph"].settings
    there = app.test_client()
    for path in EXPORTS:
        b = there.get(path)
        settings["workers"] = 0  # the same app drawing in the server (its queries in its worker)
        try:
            a = there.get(path)
        finally:
            settings["workers"] = 1
        assert (a.status_code, b.status_code) == (200, 200), (path, b.data[:300])
        assert contents(a.data) == contents(b.data), path
        assert a.headers["X-Diplograph-Nodes"] == b.headers["X-Diplograph-Nodes"] != "0", path
        assert a.headers["Content-Type"] == b.headers["Content-Type"], path
    # the Cytoscape nodes link to this server's pages, asked of the server by the process
    nodes = there.get("/export/claims.cytoscape").json["elements"]["nodes"]
    assert any(n["data"].get("url") == "/id/person/sergey-lavrov" for n in nodes)
    (pid,) = export_pids(app)
    assert pid != os.getpid() and running(pid)


def test_an_unknown_actor_or_a_bad_filter_is_answered_from_the_process_as_in_the_server(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    client = make_app(graph=seed_graph, workers=1).test_client()
    r = client.get("/export/actors.graphml?actor=person/nobody-at-all")
    assert r.status_code == 404, r.data[:300]
    assert "nobody-at-all" in r.json["error"]
    r = client.get("/export/actors.graphml?from=1999-13-45")
    assert r.status_code == 400, r.data[:300]
    assert client.get("/export/actors.graphml").status_code == 200


def test_an_export_process_that_died_while_idle_is_replaced(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1)
    client = app.test_client()
    assert client.get("/export/actors.d3").status_code == 200
    (pid,) = export_pids(app)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    r = client.get("/export/claims.d3")
    assert r.status_code == 200, r.data[:300]
    (new,) = export_pids(app)
    assert new != pid


def test_an_export_that_overruns_stops_its_process_and_the_server_goes_on(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1, query_timeout=1e-9, result_cache=0)
    client = app.test_client()
    r = client.get("/export/full.d3", headers={"Accept": "application/json"})
    assert r.status_code == 503, r.data[:300]
    assert "query_timeout" in r.json["error"]
    assert export_pids(app) == []  # stopped mid-drawing: never given another export
    assert client.get("/-/health.json").json["ok"] is True


def address_space_limit(pid: int) -> list[str]:
    """The soft and hard address-space limits of ``pid``, in bytes, as /proc writes them."""
    limits = Path(f"/proc/{pid}/limits").read_text()
    (line,) = [x for x in limits.splitlines() if x.startswith("Max address space")]
    return line.split()[3:5]


def test_an_export_process_has_the_address_space_cap_of_a_query_worker(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1, worker_memory=3000)
    client = app.test_client()
    assert client.get("/export/actors.d3").status_code == 200
    (pid,) = export_pids(app)
    assert address_space_limit(pid) == [str(3000 * 1024 * 1024)] * 2


def test_unset_worker_memory_caps_an_export_process_by_the_store_size(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, tmp_path: Path
) -> None:
    # an in-memory store has no folder to measure: the base size (the settings' store, a folder
    # that does not exist here, is not the graph served)
    app = make_app(graph=seed_graph, workers=1, store=f"oxigraph:{tmp_path / 'none'}")
    assert app.test_client().get("/export/actors.d3").status_code == 200
    (pid,) = export_pids(app)
    assert address_space_limit(pid)[0] == str(AUTO_BASE_MB * 1024 * 1024)


def test_an_idle_export_process_is_stopped_after_spare_idle(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1, spare_idle=0.5)
    client = app.test_client()
    assert client.get("/export/actors.d3").status_code == 200
    deadline = time.monotonic() + 120
    while export_processes(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert export_processes(os.getpid()) == []
    assert export_pids(app) == []
    assert client.get("/export/actors.d3").status_code == 200  # a new one, started again


def test_a_view_over_the_row_cap_is_refused_with_422_before_it_is_built(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, monkeypatch
) -> None:
    """One query of the view returns more rows than an export may take: 422 at once, from the
    process and from the server alike, its process stopped; a smaller view is still drawn."""
    from diplograph.server import guarded_graph

    monkeypatch.setattr(guarded_graph, "EXPORT_ROWS", 5)
    for workers in (1, 0):
        app = make_app(graph=seed_graph, workers=workers, result_cache=0)
        client = app.test_client()
        r = client.get("/export/full.d3")
        assert r.status_code == 422, r.data[:300]
        assert "more than 5 rows from one of its queries" in r.json["error"]
        assert export_pids(app) == []
    monkeypatch.setattr(guarded_graph, "EXPORT_ROWS", 1_000_000)
    assert client.get("/export/full.d3").status_code == 200
