"""Benchmark (not a test): diplograph side by side with Oxigraph server, rdflib's own engine and
rdflib-endpoint, on the same generated data (:mod:`bench.graphgen`) and the same query mix
(:mod:`bench.mix`).

For each size, in one run and one process tree: the N-Quads file is generated (seeded; kept in
``bench/out/`` for the next run), loaded by diplograph's bulk loader and by ``oxigraph load``
(each its own process: time, triples/s, peak RSS), then each system in turn answers the mix
(:mod:`bench.systems`): diplograph in process (its default on-disk store), ``diplograph serve``
over HTTP (its defaults, except no result cache and no result cap, so every request is
evaluated and every system returns the same rows), ``oxigraph serve-read-only
--union-default-graph`` over HTTP, rdflib's in-memory ``Dataset`` with its own engine in
process, and ``rdflib-endpoint serve`` over HTTP. The HTTP servers also get requests/s at
concurrency 8 on a lookup and a join, and diplograph's cached path (``If-None-Match`` → 304).
Only one system runs at a time.

Raw figures go to ``bench/out/compare-<size>.json``; :mod:`bench.report` turns every size found
there into the ``compare`` section of ``bench/RESULTS.md`` and the plot
``bench/latency-vs-size.png``.

    python -m bench.compare [--size 100k|1M|5M ...] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.graphgen import generate
from bench.load import _bin, _timed, machine
from bench.mix import THROUGHPUT, BenchQuery, query_mix
from bench.systems import HttpServer, InProcess, Outcome, throughput

OUT = Path(__file__).with_name("out")
SIZES = {"100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}


@dataclass(frozen=True)
class Plan:
    timeout: float  # seconds per query run
    reps: int  # warm repetitions at most
    budget: float  # seconds of warm runs after which a query stops repeating (at least 3 runs)
    tp_seconds: float  # length of each throughput run
    tp_max: int  # requests per throughput run at most
    rdflib: bool  # rdflib and rdflib-endpoint run at this size
    worker_memory: int | None = None  # diplograph serve --worker-memory, if not its default


PLANS = {
    "100k": Plan(timeout=10, reps=10, budget=2, tp_seconds=8, tp_max=40_000, rdflib=True),
    "1M": Plan(timeout=30, reps=7, budget=5, tp_seconds=20, tp_max=200_000, rdflib=True),
    "5M": Plan(
        timeout=60,
        reps=5,
        budget=5,
        tp_seconds=10,
        tp_max=200_000,
        rdflib=False,
        worker_memory=8192,
    ),
}


def _summary(out: Outcome) -> dict[str, Any]:
    times = sorted(out.times)
    d: dict[str, Any] = {"status": out.status, "runs": len(times), "size": out.size}
    if times:
        d["median"] = statistics.median(times)
        d["p95"] = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return d


def _peers() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("rdflib", "rdflib-endpoint", "uvicorn", "flask", "waitress"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return "- Peers and server stack: " + ", ".join(found)


def _log(msg: str) -> None:
    print(msg, flush=True)


def _queries(system: Any, mix: list[BenchQuery], plan: Plan, skip: set[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for q in mix:
        if q.key in skip:
            results[q.key] = {"status": "timeout", "runs": 0, "note": "same engine timed out"}
            continue
        out = system.run(q.text, q.kind, plan.reps, plan.budget, plan.timeout)
        results[q.key] = s = _summary(out)
        shown = f"{s['median'] * 1000:9.1f} ms" if "median" in s else f"{s['status'][:60]:>12}"
        _log(f"  {system.name:22} {q.key:22} {shown}  ({s['runs']} runs)")
    return results


def _throughput(server: HttpServer, mix: list[BenchQuery], plan: Plan) -> dict[str, Any]:
    by_key = {q.key: q for q in mix}
    out: dict[str, Any] = {}
    for key in THROUGHPUT:
        q = by_key[key]
        rate, ok, bad = throughput(
            server,
            q.text,
            q.kind,
            seconds=plan.tp_seconds,
            max_requests=plan.tp_max,
            timeout=plan.timeout,
        )
        out[key] = {"rate": rate, "ok": ok, "bad": bad}
        _log(f"  {server.name:22} {key + ' c=8':22} {rate:9.0f} req/s ({ok} ok, {bad} other)")
    return out


def _cached(server: HttpServer, mix: list[BenchQuery], plan: Plan) -> dict[str, Any]:
    """diplograph's cached path: GET with the ETag of the previous answer → 304."""
    out: dict[str, Any] = {}
    by_key = {q.key: q for q in mix}
    for key in THROUGHPUT:
        q = by_key[key]
        conn_target = server.url(q.text)
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=plan.timeout)
        conn.request("GET", conn_target, headers={"Accept": "application/sparql-results+json"})
        first = conn.getresponse()
        first.read()
        etag = first.getheader("ETag") or ""
        headers = {"If-None-Match": etag}
        times: list[float] = []
        status = 0
        for _ in range(50):
            start = time.perf_counter()
            status, _body = server.get(
                conn_target,
                "application/sparql-results+json",
                timeout=plan.timeout,
                conn=conn,
                headers=headers,
            )
            times.append(time.perf_counter() - start)
        conn.close()
        rate, ok, bad = throughput(
            server,
            q.text,
            q.kind,
            seconds=plan.tp_seconds,
            max_requests=plan.tp_max,
            timeout=plan.timeout,
            headers=headers,
            expect=304,
        )
        out[key] = {
            "status": status,
            "median": statistics.median(times),
            "rate": rate,
            "ok": ok,
            "bad": bad,
        }
        _log(
            f"  {'diplograph 304':22} {key:22} {out[key]['median'] * 1000:9.2f} ms, "
            f"{rate:.0f} req/s c=8 (status {status})"
        )
    return out


def _result_cache(server: HttpServer, mix: list[BenchQuery], plan: Plan) -> dict[str, Any]:
    """diplograph with its result cache on (as ``make run`` starts it): repeated requests."""
    out: dict[str, Any] = {}
    by_key = {q.key: q for q in mix}
    for key in THROUGHPUT:
        q = by_key[key]
        s = _summary(server.run(q.text, q.kind, 50, plan.budget, plan.timeout))
        rate, ok, bad = throughput(
            server,
            q.text,
            q.kind,
            seconds=plan.tp_seconds,
            max_requests=plan.tp_max,
            timeout=plan.timeout,
        )
        out[key] = {"median": s.get("median", 0.0), "rate": rate, "ok": ok, "bad": bad}
        _log(
            f"  {'diplograph cache hit':22} {key:22} {out[key]['median'] * 1000:9.2f} ms, "
            f"{rate:.0f} req/s c=8"
        )
    return out


def _diplograph_command(dg_dir: Path, plan: Plan, *, cache: bool) -> Callable[[int], list[str]]:
    """``diplograph serve`` on the on-disk store, uncapped, with or without the result cache."""
    dg, store = _bin("diplograph"), f"oxigraph:{dg_dir}"
    options = [
        *([] if cache else ["--result-cache", "0"]),
        *(["--worker-memory", str(plan.worker_memory)] if plan.worker_memory else []),
        *("--max-results", "0", "--query-timeout", str(plan.timeout), "--log-level", "warning"),
    ]
    return lambda port: (
        [dg, "--store", store, "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    )


def _oxigraph_command(ox_dir: Path) -> Callable[[int], list[str]]:
    """Oxigraph's own server, read-only, with the union of the named graphs as default graph."""
    oxigraph, location = _bin("oxigraph"), str(ox_dir)
    return lambda port: [
        oxigraph,
        "serve-read-only",
        "--location",
        location,
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]


def _rdflib_command(data: Path) -> Callable[[int], list[str]]:
    """rdflib-endpoint serving the N-Quads file from memory."""
    py, served = sys.executable, str(data)
    return lambda port: [
        py,
        "-m",
        "rdflib_endpoint",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        served,
    ]


def _servers(dg_dir: Path, ox_dir: Path, data: Path, plan: Plan) -> dict[str, HttpServer]:
    health = "/-/health.json"
    servers = [
        HttpServer(
            "diplograph HTTP",
            _diplograph_command(dg_dir, plan, cache=False),
            "/sparql",
            ready_path=health,
        ),
        HttpServer(
            "diplograph HTTP, result cache",
            _diplograph_command(dg_dir, plan, cache=True),
            "/sparql",
            ready_path=health,
        ),
        HttpServer("Oxigraph server", _oxigraph_command(ox_dir), "/query"),
        HttpServer("rdflib-endpoint", _rdflib_command(data), "/"),
    ]
    return {server.name: server for server in servers}


def _graph_file(label: str) -> tuple[Path, int]:
    """The generated N-Quads file of size ``label`` (made once, kept in ``bench/out``) and its
    number of quads."""
    OUT.mkdir(exist_ok=True)
    data = OUT / f"graph-{label}.nq"
    count_file = data.with_suffix(".count")
    if not (data.exists() and count_file.exists()):
        _log(f"Generating {data} ...")
        count_file.write_text(str(generate(data, triples=SIZES[label])))
    return data, int(count_file.read_text())


def _new_result(label: str, data: Path, quads: int, mix: list[BenchQuery]) -> dict[str, Any]:
    """The record of one size's run, before any measurement: the data, machine and plan."""
    return {
        "size": label,
        "quads": quads,
        "mb": data.stat().st_size / 1e6,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg": os.getloadavg()[0],
        "machine": [*machine(), _peers()],
        "plan": asdict(PLANS[label]),
        "queries": {
            q.key: {"what": q.what, "group": q.group, "join": q.join_or_aggregate} for q in mix
        },
        "load": {},
        "latency": {},
        "throughput": {},
    }


def _load_stores(result: dict[str, Any], data: Path, dg_dir: Path, ox_dir: Path) -> None:
    """Bulk-load the data into diplograph's and Oxigraph's on-disk stores, timed."""
    quads = result["quads"]
    for name, cmd in (
        ("diplograph", [sys.executable, "-m", "bench.loadquads", str(dg_dir), str(data)]),
        ("Oxigraph", [_bin("oxigraph"), "load", "--location", str(ox_dir), "--file", str(data)]),
    ):
        seconds, rss, cpu = _timed(cmd)
        result["load"][name] = {"seconds": seconds, "rate": quads / seconds, "rss": rss, "cpu": cpu}
        _log(f"  load {name:17} {seconds:6.1f} s {quads / seconds:10,.0f} quads/s  {rss:,.0f} MB")


def _measure(
    result: dict[str, Any], system: Any, mix: list[BenchQuery], plan: Plan, skip: frozenset[str]
) -> dict[str, Any]:
    """Start ``system`` and run the query mix on it (but the queries ``skip`` names)."""
    system.start()
    result.setdefault("phase_load", {})[system.name] = os.getloadavg()[0]
    return _queries(system, mix, plan, set(skip))


def _measure_servers(
    result: dict[str, Any], servers: dict[str, HttpServer], mix: list[BenchQuery], plan: Plan
) -> None:
    """diplograph's and Oxigraph's servers: latency, throughput, the caches, memory."""
    for name in ("diplograph HTTP", "Oxigraph server"):
        server = servers[name]
        result["latency"][name] = _measure(result, server, mix, plan, frozenset())
        result["throughput"][name] = _throughput(server, mix, plan)
        if name == "diplograph HTTP":
            result["cached"] = _cached(server, mix, plan)
        result["load"].setdefault(name, {})["rss"] = server.stop()
        result["load"][name]["ready"] = server.start_seconds
    cached = servers["diplograph HTTP, result cache"]
    cached.start()
    result["result_cache"] = _result_cache(cached, mix, plan)
    cached.stop()


def _measure_rdflib(
    result: dict[str, Any], endpoint: HttpServer, data: Path, mix: list[BenchQuery], plan: Plan
) -> None:
    """rdflib in process, then rdflib-endpoint (without the queries that timed out in process)."""
    quads = result["quads"]
    rdf = InProcess("rdflib in-process", "rdflib", str(data))
    result["latency"][rdf.name] = _measure(result, rdf, mix, plan, frozenset())
    result["load"]["rdflib"] = {
        "seconds": rdf.load_seconds,
        "rate": quads / rdf.load_seconds,
        "rss": rdf.stop(),
    }
    timed_out = {k for k, v in result["latency"][rdf.name].items() if v["status"] == "timeout"}
    result["latency"][endpoint.name] = _measure(result, endpoint, mix, plan, frozenset(timed_out))
    result["throughput"][endpoint.name] = _throughput(endpoint, mix, plan)
    rss = endpoint.stop()
    result["load"]["rdflib-endpoint"] = {"rss": rss, "ready": endpoint.start_seconds}


def run_size(label: str, *, work: Path) -> dict[str, Any]:
    plan = PLANS[label]
    data, quads = _graph_file(label)
    mix = query_mix()
    result = _new_result(label, data, quads, mix)
    _log(f"{label}: {quads:,} quads, {result['mb']:.0f} MB; load average {result['loadavg']:.1f}")
    dg_dir, ox_dir = work / f"dg-{label}", work / f"ox-{label}"
    _load_stores(result, data, dg_dir, ox_dir)
    # diplograph in process, on its on-disk store
    dgp = InProcess("diplograph in-process", "diplograph", f"oxigraph:{dg_dir}")
    result["latency"][dgp.name] = _measure(result, dgp, mix, plan, frozenset())
    dgp.stop()
    servers = _servers(dg_dir, ox_dir, data, plan)
    _measure_servers(result, servers, mix, plan)
    if plan.rdflib:
        _measure_rdflib(result, servers["rdflib-endpoint"], data, mix, plan)
    shutil.rmtree(dg_dir, ignore_errors=True)
    shutil.rmtree(ox_dir, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), action="append")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    for label in args.size or ["100k"]:
        with tempfile.TemporaryDirectory(prefix="diplograph-bench-compare-", dir=OUT) as tmp:
            result = run_size(label, work=Path(tmp))
        (OUT / f"compare-{label}.json").write_text(json.dumps(result, indent=1))
        print(report.ratio_table(result))
    if not args.no_write:
        report.write_all(OUT)


if __name__ == "__main__":
    main()
