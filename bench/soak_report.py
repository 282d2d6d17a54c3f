"""The soak's report (bench/soak.py): what the storm saw, judged against issue 10's limits, as
the ``soak`` section of bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.soak import Tally

Reference = list[tuple[str, tuple[float, float, float]]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)] if ordered else float("inf")


def _probe_line(probe_ms: list[float], idle: float) -> str:
    """What the paced user beside the storm saw."""
    line = "- a paced user beside the storm (one cheap query every 0.1 s, not judged): "
    if not probe_ms:
        return line + "no answer"
    median = statistics.median(probe_ms)
    return line + (
        f"median {median:.1f} ms ({median / idle:.2f}x idle), 90th percentile "
        f"{percentile(probe_ms, 0.9):.1f} ms, 99th {percentile(probe_ms, 0.99):.1f} ms"
    )


def report(
    args: argparse.Namespace,
    store_text: str,
    load_avg: float,
    tally: Tally,
    idle: float,
    rss: tuple[int, int, int],
    alive: bool,
    reference: Reference,
) -> tuple[list[str], bool]:
    """The report's lines and whether the run passed both verdicts: robustness (issues 10 and
    16: no unexpected 5xx, no dropped connection, flat memory, the server alive) and latency
    (issue 21: the cheap median in the storm within 3x idle)."""
    storm = statistics.median(tally.cheap_ms) if tally.cheap_ms else float("inf")
    flat = rss[2] <= rss[0] * 1.5 or rss[2] - rss[0] <= 100_000
    robust = not tally.unexpected and not tally.dropped and flat and alive
    fast = storm <= 3 * idle
    shed = (" busy", " full")  # the 503 rows counted again by why the load was shed
    offered = sum(n for (kind, _), n in tally.statuses.items() if not kind.endswith(shed))
    lines = [
        "## Soak: a bounded storm against `diplograph serve` (issues 10, 16, 21)",
        "",
        f"`make soak` (`python -m bench.soak --duration {args.duration:g}`): {args.clients} client "
        f"processes (cheap, heavy, malformed, export = {args.mix}) for {args.duration:g} s against "
        f"`diplograph serve --workers {args.workers} --query-timeout {args.timeout:g}` on "
        f"127.0.0.1, {store_text}. Cheap and malformed clients pause {args.think * 1000:g} ms "
        "on average after each request; heavy "
        "and export clients send back to back. Load average when the run started: "
        f"{load_avg:.1f}; {os.cpu_count()} cores.",
        "",
        "| answer | count |",
        "|---|---|",
        *(f"| {kind} {status} | {n:,} |" for (kind, status), n in sorted(tally.statuses.items())),
        "",
        f"- requests answered: {offered:,} ({offered / args.duration:.0f}/s)",
        f"- 5xx other than timeouts and busy: {len(tally.unexpected)}",
        f"- dropped connections: {len(tally.dropped)}",
        f"- idle connections held beside them: {args.idle} (half idle, half trickling); "
        f"{tally.idle_closed_by_server} closed by the server's idle timeout and reopened",
        f"- RSS of the server and its workers: {rss[0] / 1024:.0f} MB at the start, "
        f"{rss[1] / 1024:.0f} MB at the end, {rss[2] / 1024:.0f} MB once spare workers and "
        f"export processes were stopped ({'flat' if flat else 'GREW'})",
        f"- cheap queries: idle median {idle:.1f} ms; during the storm median {storm:.1f} ms "
        f"({storm / idle:.2f}x, limit 3x), 90th percentile "
        f"{percentile(tally.cheap_ms, 0.9):.1f} ms, "
        f"99th {percentile(tally.cheap_ms, 0.99):.1f} ms",
        _probe_line(tally.probe_ms, idle),
        f"- server alive after the storm: {alive}",
        "- result, robustness (no unexpected 5xx, no dropped connection, memory flat, server "
        f"alive): **{_verdict(robust)}**",
        f"- result, latency (cheap median in the storm within 3x idle): **{_verdict(fast)}**",
    ]
    return lines + _reference_lines(args.reference, reference), robust and fast


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _reference_lines(seconds: float, reference: Reference) -> list[str]:
    """The saturation reference's table (nothing when it was skipped)."""
    if not reference:
        return []
    return [
        "",
        f"Saturation reference (not judged): 4 cheap clients back to back for "
        f"{seconds:g} s, no storm, on the same machine.",
        "",
        "| server | idle median ms | median ms, 4 clients | ratio | requests/s |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {i:.2f} | {m:.2f} | {m / i:.1f}x | {rate:,.0f} |"
            for name, (i, m, rate) in reference
        ),
    ]
