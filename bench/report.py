"""The side-by-side benchmark's report: ratio tables, the ``compare`` section of
``bench/RESULTS.md`` (between ``<!-- compare:start -->`` and ``<!-- compare:end -->``; other
sections are left as they are) and the plot ``bench/latency-vs-size.png``.

Everything is read from the raw figures in ``bench/out/compare-<size>.json`` (one per size, the
latest run of each), so ``make bench`` after ``make bench-full`` keeps the larger sizes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.results import RESULTS, write_section
from bench.targets import notes, ratio, targets

PLOT = Path(__file__).with_name("latency-vs-size.png")
SYSTEMS = (
    "diplograph in-process",
    "diplograph HTTP",
    "Oxigraph server",
    "rdflib in-process",
    "rdflib-endpoint",
)
ORDER = ("100k", "1M", "5M")


def _ms(entry: dict[str, Any] | None, p95: bool = False) -> str:
    if not entry:
        return "not run"
    if "median" not in entry:
        return entry["status"] if entry["status"] != "timeout" else "timeout"
    value = entry["median"] * 1000
    text = f"{value:.1f}" if value < 100 else f"{value:,.0f}"
    if p95:
        p = entry["p95"] * 1000
        text += f" / {p:.1f}" if p < 100 else f" / {p:,.0f}"
    return text


def ratio_table(result: dict[str, Any]) -> str:
    lines = [
        f"### {result['size']} ({result['quads']:,} quads): median latency, ms "
        "(median / p95 for the HTTP servers)",
        "",
        "| query | diplograph in-process | diplograph HTTP | Oxigraph server | rdflib in-process "
        "| rdflib-endpoint | diplograph / Oxigraph | diplograph / rdflib-endpoint |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in result["queries"]:
        lat = result["latency"]
        cells = [
            _ms(lat.get("diplograph in-process", {}).get(key)),
            _ms(lat.get("diplograph HTTP", {}).get(key), p95=True),
            _ms(lat.get("Oxigraph server", {}).get(key), p95=True),
            _ms(lat.get("rdflib in-process", {}).get(key)),
            _ms(lat.get("rdflib-endpoint", {}).get(key), p95=True),
            ratio(result, key, "Oxigraph server")[0],
            ratio(result, key, "rdflib-endpoint")[0],
        ]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    if phase := result.get("phase_load"):
        cells = [
            f"{phase[name]:.1f}" if name in phase else ""
            for name in ("diplograph in-process", "diplograph HTTP", "Oxigraph server")
        ]
        cells += [f"{phase[name]:.1f}" if name in phase else "" for name in SYSTEMS[3:]]
        lines.append("| *load average when the system started* | " + " | ".join(cells) + " | | |")
    return "\n".join(lines) + "\n"


def _load_table(result: dict[str, Any]) -> list[str]:
    q = result["quads"]
    rows = ["| system | load s | quads/s | ready s | peak RSS MB |", "|---|---:|---:|---:|---:|"]
    for name, entry in result["load"].items():
        sec = f"{entry['seconds']:.1f}" if "seconds" in entry else ""
        rate = f"{q / entry['seconds']:,.0f}" if "seconds" in entry else ""
        ready = f"{entry['ready']:.1f}" if "ready" in entry else ""
        rows.append(f"| {name} | {sec} | {rate} | {ready} | {entry.get('rss', 0):,.0f} |")
    return rows


def _throughput_table(result: dict[str, Any]) -> list[str]:
    rows = ["| server | query | requests/s (c=8) | answered | other |", "|---|---|---:|---:|---:|"]
    for name, by_key in result["throughput"].items():
        for key, t in by_key.items():
            rows.append(f"| {name} | {key} | {t['rate']:,.0f} | {t['ok']:,} | {t['bad']:,} |")
    for key, c in result.get("result_cache", {}).items():
        rows.append(
            f"| diplograph HTTP, result cache hit | {key} | {c['rate']:,.0f} "
            f"(median {c['median'] * 1000:.2f} ms) | {c['ok']:,} | {c['bad']:,} |"
        )
    for key, c in result.get("cached", {}).items():
        rows.append(
            f"| diplograph HTTP, If-None-Match → {c['status']} | {key} | {c['rate']:,.0f} "
            f"(median {c['median'] * 1000:.2f} ms) | {c['ok']:,} | {c['bad']:,} |"
        )
    return rows


def _intro(first: dict[str, Any]) -> list[str]:
    """The section's heading, the method, and the machine of the latest size's run."""
    return [
        "## Side by side: diplograph, Oxigraph server, rdflib, rdflib-endpoint",
        "",
        "`make bench` (`python -m bench.compare --size 100k`; `make bench-full` adds 1M and 5M): "
        "generated diplomatic graphs in diplograph's own model (`bench/graphgen.py`, seeded, "
        "N-Quads, one named graph per batch of 20 articles), the query mix of `bench/mix.py` "
        "(named queries of the catalogue with their parameters as VALUES, plus ad hoc queries), "
        "each system in turn on the same file, one at a time. diplograph HTTP is "
        "`diplograph serve` with its defaults (waitress, 8 threads, 2 query workers each with "
        "an in-memory copy of the store) except `--result-cache 0 --max-results 0`, so every "
        "request is evaluated and every system returns the same rows; Oxigraph server is "
        "`oxigraph serve-read-only --union-default-graph` on a store loaded with "
        "`oxigraph load`. Latency: wall-clock per request by a kept-alive Python client (GET, "
        "whole body read), one warm-up, then up to the planned repetitions (at least 3); a "
        "query over the timeout counts as a timeout (rdflib-endpoint is not sent queries that "
        "rdflib's engine timed out on in process). Throughput: 8 client threads in this "
        "process for a bounded time and count. The client shares the two cores with the "
        "server, so requests/s are lower bounds for every system alike.",
        "",
        *first["machine"],
        "",
        "Figures are noisy: other engineers' test suites were running on the same two cores. "
        "Systems run one after another, so a burst of other work lands on one system only: "
        "the load average when each system started is in the last row of each latency table "
        "(runs before it was recorded give only the size's). Read the ratios of one run, and "
        "distrust single cheap figures measured under a high load average.",
        "",
    ]


def _plan_text(plan: dict[str, Any]) -> str:
    """How one size was run: timeout, repetitions, throughput runs, worker memory, rdflib."""
    return (
        f"Timeout {plan['timeout']:.0f} s per run; up to {plan['reps']} warm repetitions "
        f"(fewer once {plan['budget']:.0f} s are spent, at least 3); throughput runs of "
        f"{plan['tp_seconds']:.0f} s or {plan['tp_max']:,} requests."
        + (
            f" `diplograph serve --worker-memory {plan['worker_memory']}` (each worker "
            "holds the whole store in memory; the default limit is 4,096 MB)."
            if plan.get("worker_memory")
            else ""
        )
        + (
            ""
            if plan["rdflib"]
            else " rdflib and rdflib-endpoint are not run at this size "
            "(its in-memory graph would need well over 8 GB and an hour to load)."
        )
    )


def _size_lines(r: dict[str, Any]) -> list[str]:
    """One size's part: its run, load and memory, latency, queries, throughput, targets, notes."""
    lines = [
        f"### Size {r['size']}: {r['quads']:,} quads ({r['mb']:.0f} MB), run {r['date']}, "
        f"load average {r['loadavg']:.1f}",
        "",
        _plan_text(r["plan"]),
        "",
        "Load and memory:",
        "",
        *_load_table(r),
        "",
    ]
    table = ratio_table(r).splitlines()
    lines += [table[0].replace("### ", "Latency at "), "", *table[2:], ""]
    lines += ["Queries:", ""]
    lines += [f"- `{k}`: {v['what']}" for k, v in r["queries"].items()]
    lines += ["", "Throughput:", "", *_throughput_table(r), "", "Targets at this size:", ""]
    lines += [*targets(r), "", "Why, and what would close the gaps:", "", *notes(r), ""]
    return lines


def section(results: list[dict[str, Any]]) -> str:
    lines = _intro(results[-1])
    for r in results:
        lines += _size_lines(r)
    lines += [
        f"![latency vs size]({PLOT.name})",
        "",
        "The plot: geometric mean of the medians of each group of queries (heavy; lookups, "
        "i.e. `lookup` and `claims-by-actor`) per system and size, log-log; a timeout counts as "
        "the timeout (rdflib), so its points are lower bounds.",
        "",
    ]
    return "\n".join(lines)


def plot(results: list[dict[str, Any]]) -> bool:
    """Geometric mean of the heavy queries' medians (timeouts at the timeout) and the lookup's
    median, per system and size. False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, group, title in ((axes[0], "heavy", "heavy queries (geometric mean)"),
                             (axes[1], "lookup", "lookups (geometric mean)")):  # fmt: skip
        for system in SYSTEMS:
            xs, ys = [], []
            for r in results:
                lat = r["latency"].get(system)
                if not lat:
                    continue
                keys = [k for k, v in r["queries"].items() if v["group"] == group]
                vals = [
                    lat[k].get("median", r["plan"]["timeout"])
                    for k in keys
                    if k in lat and ("median" in lat[k] or lat[k]["status"] == "timeout")
                ]
                if vals:
                    xs.append(r["quads"])
                    ys.append(1000 * math.exp(sum(math.log(v) for v in vals) / len(vals)))
            if xs:
                ax.plot(xs, ys, marker="o", label=system)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("quads")
        ax.set_ylabel("median latency, ms")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)
    return True


def write_all(out: Path) -> None:
    results = [
        json.loads((out / f"compare-{s}.json").read_text())
        for s in ORDER
        if (out / f"compare-{s}.json").exists()
    ]
    if not results:
        return
    plot(results)
    write_section("compare", section(results))
    print(f"Written to {RESULTS} and {PLOT}.")


if __name__ == "__main__":  # regenerate RESULTS.md and the plot from bench/out/
    write_all(Path(__file__).with_name("out"))
