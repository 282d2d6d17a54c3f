"""Cheap requests side by side (issue 21): ``diplograph serve`` variants and Oxigraph server.

``python -m bench.cheap [--size 1M] [--variant NAME=OPTIONS ...]`` loads the generated graph of
:mod:`bench.compare` (``bench/out/graph-<size>.nq``, generated if missing) into a diplograph
store and an Oxigraph store, then in one run, one server at a time: the cheap queries of
:mod:`bench.mix` (point lookup, DESCRIBE of one node, and the other few-millisecond ones), their
median latency by one kept-alive client, and requests/s of the lookup and the DESCRIBE with 8
kept-alive clients. Each ``--variant`` is ``diplograph serve`` with extra options (default: the
fast path on, and off with ``--no-fast-path``, which is the state before issue 21), all with the
bench's settings of :mod:`bench.compare` (no result cache, no result cap), each on a copy of the
store. ``--source NAME=DIR`` adds ``diplograph serve`` run from another checkout of the package
(``DIR/diplograph``, e.g. ``git archive <commit>`` unpacked there, as in :mod:`bench.pages`),
with the first variant's options, to compare before and after a change in one run. The Flask
floor (:mod:`bench.floor`: a Flask app on waitress answering a fixed body, no store) runs beside
them unless ``--no-floor``: the least any Flask app on waitress costs per request here. Every
server runs at once (idle while another is timed) and the requests are interleaved across them,
ten at a time, so a burst of other work on the shared machine falls on all alike. The ratios of
one run are what to read: absolute figures move with the load. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.compare import OUT, PLANS, SIZES
from bench.graphgen import generate
from bench.load import _bin, _timed
from bench.mix import query_mix
from bench.systems import HttpServer, throughput

#: the queries timed: those Oxigraph server answers in a few milliseconds at 1M
CHEAP = ("lookup", "describe", "neighbourhood", "join3", "balance")
RATE = ("lookup", "describe")


def _diplograph(
    store: Path, timeout: float, extra: list[str], tree: Path | None = None
) -> HttpServer:
    dg = [_bin("diplograph")]
    if tree is not None:  # the package of another checkout first on the path
        dg = ["env", f"PYTHONPATH={tree}", sys.executable, "-m", "diplograph"]
    return HttpServer(
        f"diplograph {tree.name if tree else ''} " + " ".join(extra),
        lambda port: [
            *dg, "--store", f"oxigraph:{store}", "serve", "--host", "127.0.0.1", "--port",
            str(port), "--result-cache", "0", "--max-results", "0", "--query-timeout",
            str(timeout), "--log-level", "warning", "--no-local", *extra,
        ],
        "/sparql",
        ready_path="/-/health.json",
    )  # fmt: skip


def _oxigraph(store: Path) -> HttpServer:
    return HttpServer(
        "Oxigraph server",
        lambda port: [
            _bin("oxigraph"), "serve-read-only", "--location", str(store), "--bind",
            f"127.0.0.1:{port}", "--union-default-graph",
        ],
        "/query",
    )  # fmt: skip


def _floor() -> HttpServer:
    return HttpServer(
        "Flask floor",
        lambda port: [sys.executable, "-m", "bench.floor", "--port", str(port)],
        "/sparql",
    )


def interleaved(servers: list[HttpServer], seconds: float, reps: int) -> dict[str, dict]:
    """Every server started at once (idle while another is timed), then each query and each
    throughput run interleaved across them, so that a burst of other work on the shared
    machine falls on every server alike."""
    mix = {q.key: q for q in query_mix()}
    out: dict[str, dict] = {s.name: {"latency": {}, "rate": {}} for s in servers}
    for server in servers:
        server.start()
    try:
        for key in CHEAP:
            q = mix[key]
            times: dict[str, list[float]] = {s.name: [] for s in servers}
            for _ in range(reps // 10):
                for server in servers:
                    got = server.run(q.text, q.kind, 10, 1e9, 30)
                    times[server.name] += got.times
            for server in servers:
                t = times[server.name]
                median = statistics.median(t) * 1000 if t else None
                out[server.name]["latency"][key] = median
                print(f"  {server.name:32} {key:18} {median or 0:8.2f} ms", flush=True)
        for key in RATE:
            q = mix[key]
            done: dict[str, list[int]] = {s.name: [] for s in servers}
            for _ in range(4):  # four bursts each, alternated
                for server in servers:
                    rate, ok, _bad = throughput(
                        server, q.text, q.kind, seconds=seconds / 4, max_requests=10**7
                    )
                    done[server.name].append(ok)
            for server in servers:
                rate = sum(done[server.name]) / seconds
                out[server.name]["rate"][key] = rate
                print(f"  {server.name:32} {key + ' c=8':18} {rate:8.0f} req/s", flush=True)
        for server in servers:
            if server.ready_path:
                _status, body = server.get(server.ready_path, "application/json", timeout=10)
                out[server.name]["fast_path"] = json.loads(body).get("fast_path")
    finally:
        for server in servers:
            out[server.name]["rss_mb"] = server.stop()
    return out


def print_table(results: dict[str, dict], size: str, loadavg: float) -> None:
    """The run's Markdown table: each server's medians and rates, as ratios to Oxigraph's."""
    ox = results["Oxigraph server"]
    print(f"\n| {size} | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for key in CHEAP:
        cells = []
        for r in results.values():
            ms = r["latency"][key]  # type: ignore[index]
            base = ox["latency"][key]  # type: ignore[index]
            cells.append(f"{ms:.2f} ms ({ms / base:.1f}x)" if ms and base else "-")
        print(f"| {key} median | " + " | ".join(cells) + " |")
    for key in RATE:
        cells = []
        for r in results.values():
            rate = r["rate"][key]  # type: ignore[index]
            cells.append(f"{rate:,.0f} req/s ({rate / ox['rate'][key]:.2f}x)")  # type: ignore[index]
        print(f"| {key} c=8 | " + " | ".join(cells) + " |")
    print(f"load average at start: {loadavg:.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M", choices=sorted(SIZES))
    ap.add_argument("--variant", action="append", help="NAME=diplograph serve options")
    ap.add_argument("--source", action="append", help="NAME=DIR holding an older diplograph/")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    ap.add_argument("--reps", type=int, default=200, help="timed requests per query")
    ap.add_argument("--no-floor", action="store_true", help="leave out the Flask floor")
    args = ap.parse_args(argv)
    variants = dict(v.split("=", 1) for v in args.variant or []) or {
        "fast path on": "",
        "fast path off": "--no-fast-path",
    }
    trees = dict(t.split("=", 1) for t in args.source or [])
    OUT.mkdir(exist_ok=True)
    data = OUT / f"graph-{args.size}.nq"
    if not data.exists():
        generate(data, triples=SIZES[args.size])
    work = Path(tempfile.mkdtemp(prefix="bench-cheap-"))
    try:
        dg_dir, ox_dir = work / "dg", work / "ox"
        _timed([sys.executable, "-m", "bench.loadquads", str(dg_dir), str(data)])
        _timed([_bin("oxigraph"), "load", "--location", str(ox_dir), "--file", str(data)])
        timeout = PLANS[args.size].timeout
        servers = []
        runs = [(options, None) for options in variants.values()]
        runs += [(next(iter(variants.values())), Path(tree)) for tree in trees.values()]
        for n, (options, tree) in enumerate(runs):
            copy = work / f"dg-{n}"  # a store of its own: one server holds a store's lock
            shutil.copytree(dg_dir, copy)
            servers.append(_diplograph(copy, timeout, options.split(), tree))
        if not args.no_floor:
            servers.append(_floor())
        servers.append(_oxigraph(ox_dir))
        loadavg = os.getloadavg()[0]
        by_server = interleaved(servers, args.seconds, args.reps)
        names = [*variants, *trees, *([] if args.no_floor else ["Flask floor"]), "Oxigraph server"]
        results = dict(zip(names, by_server.values(), strict=True))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (OUT / f"cheap-{args.size}.json").write_text(json.dumps(results, indent=1))
    print_table(results, args.size, loadavg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
