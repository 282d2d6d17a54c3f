"""Page latency: linked-data pages and named-query pages of ``diplograph serve`` (issue 21).

``python -m bench.pages [--store oxigraph:data/store]`` starts ``diplograph serve`` on the store
(the bundled one of ``make build`` by default), waits until its workers are ready, and times
each page with one kept-alive client, one request at a time: first with the result cache off
(``--result-cache 0``: every request runs every query of the page, what a first visit costs),
then with the default settings (repeat visits hit the result cache). It prints the median and
p95 in milliseconds per page, and which path answered the page's queries (the
``fast_path`` counters of ``/-/health.json``). Not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.soak import free_port, start_server, stop, wait_ready

#: (label, path) of the pages timed: a state, a claim, an organisation, named-query pages
PAGES = (
    ("page: Russia", "/page/state/russia"),
    ("page: a claim", "/page/claim/article-001/1"),
    ("page: NATO", "/page/organization/nato"),
    ("query page: claims-by-actor", "/queries/claims-by-actor"),
    ("query page: members-on-date", "/queries/members-on-date"),
    ("query page: threats", "/queries/threats"),
)


def time_page(conn: http.client.HTTPConnection, path: str, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, status) of ``runs`` GETs of ``path`` after one warm-up."""
    times = []
    status = 0
    for i in range(runs + 1):
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "text/html"})
        resp = conn.getresponse()
        resp.read()
        status = resp.status
        if i:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], status


def health(conn: http.client.HTTPConnection) -> dict[str, object]:
    conn.request("GET", "/-/health.json")
    data: dict[str, object] = json.loads(conn.getresponse().read())
    return data


def run(store: str, extra: list[str], runs: int) -> list[tuple[str, float, float, int]]:
    port = free_port()
    exe = Path(sys.executable).with_name("diplograph")
    cmd = [str(exe), "--store", store, "serve", "--port", str(port), "--no-local", *extra]
    log = Path(tempfile.gettempdir()) / f"bench-pages-{os.getpid()}.log"
    proc = start_server(cmd, log)
    try:
        wait_ready(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        out = []
        for label, path in PAGES:
            median, p95, status = time_page(conn, path, runs)
            out.append((label, median, p95, status))
        print(f"  health fast_path: {health(conn).get('fast_path')}")
        return out
    finally:
        stop(proc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default="oxigraph:data/store")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--extra", default="", help="more `diplograph serve` options, space-separated")
    args = ap.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"store {args.store}; load average {load:.1f}; {args.runs} runs per page")
    for title, extra in (
        ("result cache off", ["--result-cache", "0"]),
        ("default settings (result cache on)", []),
    ):
        rows = run(args.store, extra + args.extra.split(), args.runs)
        print(f"\n{title}\n| page | median ms | p95 ms | status |\n|---|---:|---:|---:|")
        for label, median, p95, status in rows:
            print(f"| {label} | {median:.1f} | {p95:.1f} | {status} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
