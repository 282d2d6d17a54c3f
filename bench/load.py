"""Benchmark (not a test): loading N-Triples into a fresh on-disk store.

Generates (seeded, :mod:`bench.generate`) a file of claims in diplograph's claim model, then in the
same run, each in its own process and its own fresh store directory:

- ``diplograph ingest`` (the CLI, i.e. the library's bulk path: Oxigraph's bulk loader into the
  named graph, then the commit of its description), and
- ``oxigraph load --location DIR --file F`` (Oxigraph's own command line, same pyoxigraph/RocksDB
  version),

printing wall-clock triples/s and the peak RSS of each process. Results go to a section of
``bench/RESULTS.md`` (between ``<!-- load:start -->`` and ``<!-- load:end -->``) with the machine
description. The goal: diplograph at least as fast as ``oxigraph load``; target 200,000 triples/s.

    python -m bench.load [--triples 1000000] [--repeat 2] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import generate
from bench.results import RESULTS, write_section
from diplograph import iri

TARGET = 200_000


@dataclass(frozen=True)
class Run:
    tool: str
    triples: int
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.triples / self.seconds


def _bin(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"`{name}` not found: run `make setup` first.")
    return found


def _timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def run_diplograph(data: Path, store: Path, triples: int) -> Run:
    cmd = [_bin("diplograph"), "--store", f"oxigraph:{store}", "ingest", "-q", str(data)]
    return Run("diplograph ingest", triples, *_timed(cmd))


def run_oxigraph(data: Path, store: Path, triples: int) -> Run:
    cmd = [_bin("oxigraph"), "load", "--location", str(store), "--file", str(data)]
    return Run("oxigraph load", triples, *_timed(cmd))


def run_oxigraph_graph(data: Path, store: Path, triples: int) -> Run:
    """The same work as diplograph: into a named graph (6 quad indexes instead of 3)."""
    graph = str(iri.file_graph(data.stem))
    cmd = [_bin("oxigraph"), "load", "--location", str(store), "--file", str(data)]
    return Run("oxigraph load --graph", triples, *_timed([*cmd, "--graph", graph]))


def machine() -> list[str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        ram = "RAM unknown"
    import pyoxigraph

    from diplograph import __version__

    oxi = subprocess.run([_bin("oxigraph"), "--version"], capture_output=True, text=True).stdout
    load = os.getloadavg()
    return [
        f"- Machine: {cpu}, {os.cpu_count()} logical cores, {ram}, {platform.system()} "
        f"{platform.release()}",
        f"- Load average when the run started: {load[0]:.1f} (the cores were shared with other "
        "work, so figures vary run to run)",
        f"- Versions: diplograph {__version__}, pyoxigraph {pyoxigraph.__version__}, "
        f"{oxi.strip() or 'oxigraph CLI'}, Python {platform.python_version()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


def report(runs: list[Run], triples: int, size_mb: float, header: list[str]) -> str:
    best = {
        tool: max((r for r in runs if r.tool == tool), key=lambda r: r.rate)
        for tool in dict.fromkeys(r.tool for r in runs)
    }
    lines = [
        "## Load: N-Triples into a fresh on-disk store",
        "",
        f"`make bench` (`python -m bench.load`): {triples:,} triples of generated claims "
        f"({size_mb:.0f} MB of N-Triples, seeded), each tool in its own process and its own "
        "fresh store directory, runs alternated. diplograph's figure is the whole "
        "`diplograph ingest` command: start-up, checksum, parallel bulk load into the named "
        "graph, count and the commit of the graph's description.",
        "",
        *header,
        "",
        "| tool | run | wall s | triples/s (wall) | CPU s | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(runs):
        lines.append(
            f"| {r.tool} | {i // len(best) + 1} | {r.seconds:.1f} | {r.rate:,.0f} | "
            f"{r.cpu_seconds:.1f} | {r.peak_rss_mb:,.0f} |"
        )
    d, o, og = (
        best.get(k) for k in ("diplograph ingest", "oxigraph load", "oxigraph load --graph")
    )
    if d and o and og:
        lines += [
            "",
            f"Best runs: diplograph {d.rate:,.0f} triples/s; `oxigraph load` {o.rate:,.0f} "
            f"triples/s into the default graph ({d.rate / o.rate:.2f}x) and {og.rate:,.0f} "
            f"triples/s into a named graph ({d.rate / og.rate:.2f}x), the same work as "
            "diplograph, which keeps every source in its own named graph (Oxigraph indexes "
            "named-graph quads six ways, default-graph triples three ways). "
            f"Target {TARGET:,} triples/s: {'met' if d.rate >= TARGET else 'not met'} here.",
            "",
            f"CPU time (less sensitive to the shared cores): diplograph {d.cpu_seconds:.1f} s, "
            f"`oxigraph load --graph` {og.cpu_seconds:.1f} s, `oxigraph load` "
            f"{o.cpu_seconds:.1f} s. The bulk load itself costs diplograph what it costs "
            "`oxigraph load --graph` (same pyoxigraph engine); the difference is the command's "
            "Python start-up, the checksum of the file and the count of the loaded graph. Peak "
            "RSS includes the memory-mapped input file, read by one thread per core.",
        ]
    return "\n".join(lines) + "\n"


def write_results(section: str) -> None:
    write_section("load", section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each tool, alternated")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    header = machine()
    with tempfile.TemporaryDirectory(prefix="diplograph-bench-load-") as tmp:
        work = Path(tmp)
        data = work / "claims.nt"
        triples = generate(data, triples=args.triples)
        size_mb = data.stat().st_size / 1e6
        print(f"{triples:,} triples ({size_mb:.0f} MB) in {data}")
        runs: list[Run] = []
        for i in range(args.repeat):
            for tool in (run_diplograph, run_oxigraph, run_oxigraph_graph):
                store = work / f"store-{tool.__name__}-{i}"
                r = tool(data, store, triples)
                shutil.rmtree(store, ignore_errors=True)
                runs.append(r)
                print(
                    f"{r.tool:22} {r.seconds:6.1f} s  {r.rate:>10,.0f} triples/s  "
                    f"CPU {r.cpu_seconds:6.1f} s  peak RSS {r.peak_rss_mb:,.0f} MB",
                    flush=True,
                )
    section = report(runs, triples, size_mb, header)
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"Written to {RESULTS}.")


if __name__ == "__main__":
    main()
