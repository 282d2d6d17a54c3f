"""Page latency: linked-data pages and named-query pages of ``diplograph serve`` (issue 21).

``python -m bench.pages [--store oxigraph:data/store] [--variant NAME=OPTIONS ...]
[--source NAME=DIR]`` copies the store (the bundled one of ``make build`` by default) once per
server, starts every server at once (``diplograph serve`` with each variant's options, and for
each ``--source`` the package found in ``DIR/diplograph``, e.g. an older checkout, with the
default options), waits until their workers are ready, and times each page with one kept-alive
client per server, the servers interleaved five requests at a time, so that a burst of other
work on the shared machine falls on every server alike. The default variants: the result cache
off (every request runs every query of the page: a first visit) with the fast path on and off.
Prints the median and p95 in milliseconds per page and server, and the ``fast_path`` counts of
``/-/health.json``. Not a test: figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.soak import free_port, stop, wait_ready

#: (label, path) of the pages timed: a state, a claim, an organisation, named-query pages
PAGES = (
    ("page: Russia", "/page/state/russia"),
    ("page: a claim", "/page/claim/article-001/1"),
    ("page: NATO", "/page/organization/nato"),
    ("query page: claims-by-actor", "/queries/claims-by-actor"),
    ("query page: members-on-date", "/queries/members-on-date"),
    ("query page: threats", "/queries/threats"),
    ("query page: claims-by-actor, Russia", "/queries/claims-by-actor?actor=state/russia"),
    (
        "query page: members-on-date, NATO",
        "/queries/members-on-date?organization=organization/nato&on=1999-03-12",
    ),
)


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    import time

    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    resp.read()
    return (time.perf_counter() - start) * 1000, resp.status


class Server:
    def __init__(self, name: str, store: Path, options: list[str], source: str | None) -> None:
        self.name = name
        self.port = free_port()
        env = dict(os.environ)
        if source:  # an older checkout: its package first on the path
            env["PYTHONPATH"] = source
        cmd = [sys.executable, "-m", "diplograph", "--store", f"oxigraph:{store}", "serve"]
        cmd += ["--port", str(self.port), "--no-local", *options]
        log = open(Path(tempfile.gettempdir()) / f"bench-pages-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tempfile.gettempdir()
        )
        self.conn: http.client.HTTPConnection | None = None

    def ready(self) -> None:
        wait_ready(self.port, self.proc)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def get(self, path: str) -> tuple[float, int]:
        assert self.conn is not None
        return _get(self.conn, path)

    def health(self) -> object:
        assert self.conn is not None
        self.conn.request("GET", "/-/health.json")
        return json.loads(self.conn.getresponse().read()).get("fast_path")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default="oxigraph:data/store")
    ap.add_argument("--runs", type=int, default=30, help="timed requests per page and server")
    ap.add_argument("--variant", action="append", help="NAME=diplograph serve options")
    ap.add_argument("--source", action="append", help="NAME=DIR holding an older diplograph/")
    args = ap.parse_args(argv)
    variants = [v.split("=", 1) for v in args.variant or []] or [
        ["fast path on", "--result-cache 0"],
        ["fast path off", "--result-cache 0 --no-fast-path"],
    ]
    plans = [(n, o.split(), None) for n, o in variants]
    plans += [
        (n, ["--result-cache", "0"], d) for n, d in (s.split("=", 1) for s in args.source or [])
    ]
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    servers: list[Server] = []
    try:
        for n, (name, options, source) in enumerate(plans):
            copy = work / f"store-{n}"  # one server holds a store's lock
            shutil.copytree(args.store.removeprefix("oxigraph:"), copy)
            servers.append(Server(name, copy, options, source))
        for server in servers:
            server.ready()
        print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs per page and server")
        print("| page | " + " | ".join(f"{s.name}: median / p95 ms" for s in servers) + " |")
        print("|---|" + "---:|" * len(servers))
        for label, path in PAGES:
            times: dict[str, list[float]] = {s.name: [] for s in servers}
            for server in servers:
                server.get(path)  # warm-up
            for _ in range(max(args.runs // 5, 1)):
                for server in servers:
                    for _ in range(5):
                        ms, status = server.get(path)
                        if status != 200:
                            raise SystemExit(f"{server.name} {path}: {status}")
                        times[server.name].append(ms)
            cells = []
            for server in servers:
                t = sorted(times[server.name])
                cells.append(f"{statistics.median(t):.1f} / {t[int(0.95 * (len(t) - 1))]:.1f}")
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
        for server in servers:
            print(f"{server.name}: fast_path {server.health()}")
    finally:
        for server in servers:
            stop(server.proc)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
