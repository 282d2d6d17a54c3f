"""Benchmark (not a test): the memory of ``diplograph serve`` with its default settings, server
plus zygote plus query workers, with the workers forked from the zygote (the default) and, for
comparison, each worker a process of its own with its own copy (``DIPLOGRAPH_ZYGOTE=0``).

For each size: a generated graph (:mod:`bench.graphgen`) loaded into an on-disk store
(:mod:`bench.loadquads`); the server started with its defaults (only ``--result-cache 0``, so
every query reaches a worker) and measured once ready, then after the query mix of
:mod:`bench.mix` (each query three times, in turn) and again at the end of eight clients running
the mix side by side for a while. Each figure is the sum over the process tree of ``Rss`` and
``Pss`` from ``/proc/PID/smaps_rollup`` (PSS divides each shared page among the processes that
map it, so its sum counts the shared store once); the peak is the largest sum sampled every
0.2 s.

    python -m bench.memory [--size 1M] [--size 5M] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.mix import query_mix
from bench.results import write_section
from bench.systems import HttpServer

SIZES = {"100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}
CLIENTS, STORM_SECONDS = 8, 20.0


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(_children(p))
    return found


def _role(pid: int, root: int) -> str:
    """``server``, ``zygote`` (the server's child that forks the workers) or ``worker``."""
    if pid == root:
        return "server"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return "gone"
    return "zygote" if b"diplograph.server.zygote" in cmd and parent == root else "worker"


def measure(root: int) -> dict[str, Any]:
    """RSS and PSS (MB) of every process of the tree under ``root``, by role, and their sums."""
    roles: dict[str, list[tuple[float, float]]] = {}
    for pid in process_tree(root):
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        kb = {ln.split()[0].rstrip(":"): int(ln.split()[1]) for ln in lines[1:]}
        roles.setdefault(_role(pid, root), []).append((kb["Rss"] / 1024, kb["Pss"] / 1024))
    rss = sum(r for figures in roles.values() for r, _ in figures)
    pss = sum(p for figures in roles.values() for _, p in figures)
    return {"rss": rss, "pss": pss, "roles": roles}


def _run_mix(server: HttpServer, rounds: int, until: float | None = None) -> int:
    done = 0
    mix = query_mix()
    while True:
        for q in mix:
            for _ in range(rounds):
                server.get(server.url(q.text), "application/sparql-results+json", timeout=600)
                done += 1
                if until is not None and time.monotonic() > until:
                    return done
        if until is None:
            return done


def _sample(root: int, stop: threading.Event, peak: list[float]) -> None:
    while not stop.wait(0.2):
        peak[0] = max(peak[0], measure(root)["pss"])


def _serve(label: str, store: Path, zygote: str) -> dict[str, Any]:
    """Start ``diplograph serve`` over ``store`` (``DIPLOGRAPH_ZYGOTE=zygote``), measure it ready,
    after the mix and after the storm, and stop it."""
    os.environ["DIPLOGRAPH_ZYGOTE"] = zygote
    dg = str(Path(sys.executable).with_name("diplograph"))
    command = [dg, "--store", f"oxigraph:{store}", "serve", "--result-cache", "0"]
    server = HttpServer(
        f"memory-{label}-{zygote}",
        lambda port: [*command, "--port", str(port), "--log-level", "warning"],
        "/sparql",
        ready_path="/-/health.json",
    )
    try:
        server.start()
    finally:
        os.environ.pop("DIPLOGRAPH_ZYGOTE", None)
    assert server.proc is not None
    root = server.proc.pid
    time.sleep(1)
    peak, stop = [0.0], threading.Event()
    sampler = threading.Thread(target=_sample, args=(root, stop, peak), daemon=True)
    sampler.start()
    row: dict[str, Any] = {"ready_s": server.start_seconds, "ready": measure(root)}
    _run_mix(server, 3)
    row["after mix"] = measure(root)
    until = time.monotonic() + STORM_SECONDS
    clients = [threading.Thread(target=_run_mix, args=(server, 1, until)) for _ in range(CLIENTS)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    row["end"] = measure(root)
    stop.set()
    sampler.join()
    row["peak_pss"] = peak[0]
    os.killpg(root, signal.SIGTERM)
    server.proc.wait(60)
    return row


def run_size(label: str, work: Path) -> dict[str, Any]:
    data = work / f"{label}.nq"
    store = work / f"store-{label}"
    if not data.exists():
        os.system(f"{sys.executable} -m bench.graphgen {data} --triples {SIZES[label]}")
    if not store.exists():
        os.system(f"{sys.executable} -m bench.loadquads {store} {data} > /dev/null")
    out: dict[str, Any] = {"mb": data.stat().st_size / 2**20}
    for mode, zygote in (("zygote", "1"), ("one process per worker", "0")):
        out[mode] = row = _serve(label, store, zygote)
        print(label, mode, {k: v for k, v in row.items()}, flush=True)
    return out


def report(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "## Memory of `diplograph serve` (`python -m bench.memory`)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f} (2 "
        "shared cores). Default settings (2 workers, spares as needed) except `--result-cache 0`; "
        "sums over the server's process tree (server, zygote, workers) of `Rss` and `Pss` from "
        "`/proc/PID/smaps_rollup`, in MB. *after mix*: after the query mix of `bench/mix.py`, "
        f"each query three times; *end*: after {CLIENTS} clients ran the mix side by side for "
        f"{STORM_SECONDS:g} s. Peak: the largest PSS sum sampled every 0.2 s.",
        "",
        "| size | workers | ready s | ready RSS / PSS | after mix RSS / PSS | end RSS / PSS "
        "| peak PSS | processes at the end (role: RSS / PSS) |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, out in results.items():
        for mode in ("zygote", "one process per worker"):
            row = out[mode]
            end = row["end"]
            procs = "; ".join(
                f"{role}: " + ", ".join(f"{r:,.0f} / {p:,.0f}" for r, p in figures)
                for role, figures in sorted(end["roles"].items())
            )
            lines.append(
                f"| {label} ({out['mb']:,.0f} MB N-Quads) | {mode} | {row['ready_s']:.1f} | "
                + " | ".join(
                    f"{row[k]['rss']:,.0f} / {row[k]['pss']:,.0f}"
                    for k in ("ready", "after mix", "end")
                )
                + f" | {row['peak_pss']:,.0f} | {procs} |"
            )
    lines += ["", *_notes(results)]
    return "\n".join(lines) + "\n"


def _notes(results: dict[str, dict[str, Any]]) -> list[str]:
    notes = []
    for label, out in results.items():
        z, own = out["zygote"], out["one process per worker"]
        ratio = own["ready"]["pss"] / z["ready"]["pss"]
        notes.append(
            f"- {label}: PSS with the zygote {z['ready']['pss']:,.0f} MB ready, "
            f"{z['end']['pss']:,.0f} MB at the end; with a process and a copy per worker "
            f"{own['ready']['pss']:,.0f} MB ready ({ratio:.1f}x), "
            f"{own['end']['pss']:,.0f} MB at the end. Without the zygote, a worker killed at the "
            "query timeout during the storm is replaced by one that loads its own copy, so the "
            "end figure may catch such copies half loaded (fewer MB, not less memory)."
        )
    if "5M" in results:
        end = results["5M"]["zygote"]["end"]["pss"]
        met = "met" if end <= 2560 else "not met"
        notes.append(f"- Issue 21 target, 5M quads within 2.5 GB at the end of the run: {met}.")
    notes += [
        "- What was tried: the workers are forked from one process that loaded the store "
        "(the zygote), so they share its pages copy-on-write and a spare is ready at once. A "
        "query that walks most of the store writes to the pages it reads (Oxigraph's reference "
        "counts: a full scan un-shared about 80% of a 1M-quad copy in a fork), so a worker "
        "whose private memory passes a quarter of the snapshot's size after a query of 0.1 s "
        "or more is replaced by a fresh fork; the peak PSS is that transient, the end figure "
        "what stays. RSS sums count each shared page once per process and overstate the "
        "zygote's case; PSS is the figure to read.",
    ]
    return notes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), action="append")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dg-memory")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = {label: run_size(label, args.work) for label in args.size or ["1M"]}
    text = report(results)
    print(text)
    if not args.no_write:
        write_section("memory", text)


if __name__ == "__main__":
    main()
