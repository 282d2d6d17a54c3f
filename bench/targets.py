"""The targets of the side-by-side benchmark (issues 5 and 9) checked on one size's figures, and
the notes on why a missed target was missed and what would close it (read by :mod:`bench.report`).
"""

from __future__ import annotations

import math
from typing import Any


def ratio(result: dict[str, Any], key: str, peer: str) -> tuple[str, float | None]:
    """diplograph HTTP / ``peer`` for one query: (text, value or None)."""
    lat = result["latency"]
    ours, theirs = lat.get("diplograph HTTP", {}).get(key), lat.get(peer, {}).get(key)
    if not ours or not theirs:
        return "n/a", None
    if "median" in ours and "median" in theirs:
        r = ours["median"] / theirs["median"]
        return (f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"), r
    if "median" in ours and theirs["status"] == "timeout":
        r = ours["median"] / result["plan"]["timeout"]
        return f"< {r:.2g}", r
    if ours["status"] == "timeout" and "median" in theirs:
        return "timeout", math.inf
    return "n/a", None


def targets(result: dict[str, Any]) -> list[str]:
    """Each target of issues 5 and 9 checked on one size."""
    out: list[str] = []
    heavy = [k for k, v in result["queries"].items() if v["group"] == "heavy"]
    lookups = [k for k, v in result["queries"].items() if v["group"] == "lookup"]
    joins = [k for k, v in result["queries"].items() if v["join"]]
    slow = [
        (k, r) for k in heavy if (r := ratio(result, k, "Oxigraph server")[1]) is not None and r > 1
    ]
    out.append(
        "- heavy queries at least as fast as Oxigraph server (ratio <= 1.0): "
        + (
            "met on all"
            if not slow
            else "missed on " + ", ".join(f"{k} ({r:.2f})" for k, r in slow)
        )
        + f" of {len(heavy)}"
    )
    far = [
        (k, r)
        for k in lookups
        if (r := ratio(result, k, "Oxigraph server")[1]) is not None and r > 2
    ]
    out.append(
        "- lookups within 2x of Oxigraph server's latency: "
        + ("met" if not far else "missed on " + ", ".join(f"{k} ({r:.2f})" for k, r in far))
    )
    tp = result["throughput"]
    ours, theirs = tp.get("diplograph HTTP", {}), tp.get("Oxigraph server", {})
    for key in ours:
        if key in theirs and theirs[key]["rate"]:
            share = ours[key]["rate"] / theirs[key]["rate"]
            out.append(
                f"- {key} throughput at concurrency 8 at least half of Oxigraph server's: "
                f"{'met' if share >= 0.5 else 'missed'} ({ours[key]['rate']:,.0f} vs "
                f"{theirs[key]['rate']:,.0f} requests/s, {share:.2f}x)"
            )
    if "rdflib-endpoint" in result["latency"]:
        weak = []
        for k in joins:
            r = ratio(result, k, "rdflib-endpoint")[1]
            if r is not None and r > 0.1:
                weak.append(f"{k} ({r:.2f})")
        out.append(
            "- joins and aggregations at least 10x faster than rdflib-endpoint: "
            + ("met on all" if not weak else "missed on " + ", ".join(weak))
        )
    rate = result["load"].get("diplograph", {}).get("rate", 0)
    out.append(
        f"- load at least 200,000 triples/s: {'met' if rate >= 200_000 else 'missed'} "
        f"({rate:,.0f} quads/s; Oxigraph's own `oxigraph load` "
        f"{result['load'].get('Oxigraph', {}).get('rate', 0):,.0f})"
    )
    rss = result["load"].get("diplograph HTTP", {}).get("rss", 0)
    out.append(
        f"- peak RSS of `diplograph serve` (server and workers): {rss:,.0f} MB "
        "(target at 5M: within 8,192 MB)"
    )
    return out


def _median(result: dict[str, Any], system: str, key: str) -> float | None:
    entry = result["latency"].get(system, {}).get(key, {})
    value = entry.get("median")
    return float(value) if value is not None else None


def _note_fixed_cost(result: dict[str, Any]) -> str | None:
    """Cheap queries: the fixed cost per request, from the in-process, HTTP and 304 figures."""
    lookup_ours = _median(result, "diplograph HTTP", "lookup")
    lookup_inproc = _median(result, "diplograph in-process", "lookup")
    lookup_ox = _median(result, "Oxigraph server", "lookup")
    cached = result.get("cached", {}).get("lookup")
    if not (lookup_ours and lookup_ox and lookup_inproc and cached):
        return None
    return (
        f"- Cheap queries (lookups, and at this size every query Oxigraph answers in about "
        f"a millisecond) are bound by a fixed cost per request, not by the engine: the "
        f"lookup takes {lookup_inproc * 1000:.2f} ms in process but "
        f"{lookup_ours * 1000:.2f} ms through `diplograph serve` (Oxigraph server "
        f"{lookup_ox * 1000:.2f} ms), and even a 304 that never reaches a query worker "
        f"takes {cached['median'] * 1000:.2f} ms and tops out at {cached['rate']:,.0f} "
        "requests/s: that ceiling is the Python HTTP layer (waitress, Flask, the request "
        "checks), and the rest is the round trip to a worker process (pipe, pickling). "
        "What would close it: answer more requests before any of that work (304s and "
        "the result cache already skip the worker"
        + (
            f"; a result-cache hit took {hit['median'] * 1000:.2f} ms, "
            f"{hit['rate']:,.0f} requests/s"
            if (hit := result.get("result_cache", {}).get("lookup"))
            else ""
        )
        + "), and serve the HTTP layer from several processes (pre-forked workers "
        "sharing the in-memory store) so that requests/s scale past one GIL; the engine "
        "itself is not the limit."
    )


def _note_heavy_wins(result: dict[str, Any]) -> str | None:
    """Heavy queries diplograph wins: why (the workers' in-memory copy)."""
    heavy = [k for k, v in result["queries"].items() if v["group"] == "heavy"]
    wins = [
        k
        for k in heavy
        if (r := ratio(result, k, "Oxigraph server")[1]) is not None
        and r <= 1
        and (_median(result, "Oxigraph server", k) or 0) > 0.01
    ]
    if not wins:
        return None
    return (
        "- Where the work is real (over 10 ms on Oxigraph server: "
        + ", ".join(wins)
        + "), diplograph's workers answer from an in-memory copy of the store, which is "
        "why they beat the disk-backed Oxigraph server; the same engine on the on-disk store "
        "in process (first column) is in Oxigraph server's range or slower, since it also "
        "turns every row into rdflib terms."
    )


def _note_load(result: dict[str, Any]) -> str | None:
    """A bulk load under 200k quads/s: why, beside `oxigraph load` on the same file."""
    rate = result["load"].get("diplograph", {}).get("rate", 0)
    theirs = result["load"].get("Oxigraph", {}).get("rate", 0)
    if rate >= 200_000:
        return None
    return (
        f"- Load ({rate:,.0f} quads/s; `oxigraph load` {theirs:,.0f} on the same file, "
        "same engine): both are far from 200k/s on two shared cores, where quads in named "
        "graphs are indexed six ways in RocksDB. diplograph's bulk loader cuts the file "
        "into one slice per core, and its peak RSS counts the memory-mapped input; where it "
        "trails `oxigraph load`, the slices compete for the same two busy cores. What would "
        "close it: more cores, loading without the slicing when the cores are few, and "
        "building the read copy straight in memory (the server's workers build one anyway)."
    )


def _note_rdflib(result: dict[str, Any]) -> str | None:
    """Against rdflib-endpoint: why cheap joins cannot show a 10x gap, and rdflib's timeouts."""
    if "rdflib-endpoint" not in result["latency"]:
        return None
    stuck = [
        k
        for k, v in result["latency"].get("rdflib in-process", {}).items()
        if v["status"] == "timeout"
    ]
    return (
        "- Against rdflib-endpoint, joins that rdflib answers in a few milliseconds (few "
        "rows, constants in the patterns) cannot show a 10x gap while diplograph's fixed "
        "cost per request is about a millisecond; where rdflib has real work (aggregation, "
        "paths, text filters) the gap is far larger"
        + (
            f", and rdflib's engine timed out on {', '.join(stuck)} (its join order "
            "builds a cross product)."
            if stuck
            else "."
        )
    )


def notes(result: dict[str, Any]) -> list[str]:
    """Why a missed target was missed and what would close it, from this run's own figures."""
    found = (_note_fixed_cost, _note_heavy_wins, _note_load, _note_rdflib)
    return [note for make in found if (note := make(result)) is not None]
