"""``python -m bench.soak`` (``make soak``): a bounded storm against a real ``diplograph serve``.

Issue 10's load test, widened by issues 16 and 21. It builds a store from the bundled data (or
takes ``--store``), starts ``diplograph serve`` on a free 127.0.0.1 port with a short query
timeout, measures cheap queries on the idle server, then runs ``--clients`` concurrent client
processes for ``--duration`` seconds, each of one kind (``--mix``: cheap queries, heavy queries
that hit the timeout, malformed requests, whole network exports; see bench/soak_clients.py),
with ``--idle`` connections held open beside them, half idle and half trickling a byte now and
then. Clients have roles because a client that sends a heavy query waits for the timeout: mixed
at random, heavy queries would take almost all of the clients' time. Cheap and malformed clients
pause after each request (``--think`` seconds on average, exponentially distributed; 0: back to
back). ``make soak`` runs issue 16's storm: back-to-back clients, 8 concurrent exports and 110
idle connections. It reports two verdicts, and exits 1 unless both pass. Robustness (issues 10
and 16):

- no 5xx other than the 503 of a query stopped at the timeout (503s that shed load with
  ``Retry-After``, every worker busy or every request thread taken, are counted apart and
  allowed);
- no dropped connection (a request that got no HTTP answer);
- the resident memory of the server and its workers at the start, at the end of the storm, and
  once the spare workers and export processes the storm started have been stopped (the server
  runs with ``spare_idle`` 10 s): flat means the last within 50 % or 100 MB of the first;
- the server alive after the storm.

Latency (issue 21):

- the median latency of cheap queries during the storm at most 3x the idle median. Cheap
  queries vary (a random constant) so that the result cache cannot answer them: they take the
  worker path like the heavy ones.

Beside the storm one more client, paced (a cheap query every tenth of a second), measures what a
user who takes no part in the storm sees; its median is reported and not judged.

Then, for context and not judged, a saturation reference: 4 cheap clients back to back and no
storm, against ``diplograph serve`` and against ``oxigraph serve-read-only`` on a copy of the
same store. On a 2-core machine that also runs the clients, back-to-back clients saturate the
CPU and every server's latency grows with the number of clients (the reference says by how much
for Oxigraph's own server). The results go to ``bench/RESULTS.md`` (section ``soak``) unless
``--no-write``.

Nothing here is asserted by pytest (timings belong in bench/, not in the test suite).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bench.memory import process_tree
from bench.results import write_section
from bench.soak_clients import Tally, cheap_request, hold_idle, probe, request, run_client
from bench.soak_report import report

EXE = str(Path(sys.executable).with_name("diplograph"))


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and every process below it (the zygote and the query workers
    it forks, which are grandchildren of the server), in kB."""
    pids = process_tree(pid)
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"diplograph serve exited with {proc.returncode}")
        try:
            status, body = request(port, "GET", "/-/health.json", {}, b"", 5)
            health = json.loads(body)
            if status == 200 and health.get("workers_ready") == health.get("workers", 0):
                return
        except (OSError, ValueError, http.client.HTTPException):
            pass
        time.sleep(0.2)


def start_server(cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait()


def idle_median(port: int, path: str = "/sparql") -> float:
    """Median of 180 cheap queries one after another (after 20 to warm up), in ms."""
    times = []
    for i in range(200):
        url, headers = cheap_request(path)
        start = time.perf_counter()
        status, _ = request(port, "GET", url, headers, b"", 60)
        if status != 200:
            raise SystemExit(f"cheap query on port {port} answered {status}")
        if i >= 20:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _saturate(port: int, path: str, stop_at: float) -> list[float]:
    times = []
    while time.time() < stop_at:
        url, headers = cheap_request(path)
        start = time.perf_counter()
        status, _ = request(port, "GET", url, headers, b"", 60)
        if status == 200:
            times.append((time.perf_counter() - start) * 1000)
    return times


def saturation(port: int, path: str, clients: int, seconds: float) -> tuple[float, float, float]:
    """(idle median ms, median ms with ``clients`` back-to-back clients, requests/s)."""
    idle = idle_median(port, path)
    stop_at = time.time() + seconds
    with ProcessPoolExecutor(clients, mp_context=get_context("fork")) as pool:
        runs = list(pool.map(_saturate, [port] * clients, [path] * clients, [stop_at] * clients))
    times = [t for run in runs for t in run]
    return idle, statistics.median(times), len(times) / seconds


#: The server's ``spare_idle`` in the soak: the seconds after which the spare workers and export
#: processes the storm started are stopped; memory is measured again once they are.
SETTLE = 10


def storm(port: int, args: argparse.Namespace, roles: list[int]) -> Tally:
    """Run the storm's clients (and the paced probe, and the idle connections) to the end."""
    tally = Tally()
    stop_at = time.time() + args.duration
    names = ("cheap", "heavy", "malformed", "export")
    kinds = [kind for kind, n in zip(names, roles, strict=False) for _ in range(n)]
    with ProcessPoolExecutor(len(kinds) + 2, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(run_client, k, port, stop_at, args.timeout * 10 + 30, args.think)
            for k in kinds
        ]
        futures.append(pool.submit(probe, port, stop_at))
        if args.idle:
            futures.append(pool.submit(hold_idle, port, args.idle, stop_at))
        for f in futures:
            tally.merge(f.result())
    return tally


def _arguments() -> argparse.ArgumentParser:
    """The command line of ``python -m bench.soak``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", help="store URL to serve (default: build one in a temp dir)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=2.0, help="the server's query_timeout")
    ap.add_argument("--workers", type=int, default=2, help="the server's query workers")
    ap.add_argument(
        "--think",
        type=float,
        default=0.02,
        help="mean pause in seconds after each request of a cheap or malformed client "
        "(0: back to back, which measures a saturated machine rather than the server)",
    )
    ap.add_argument(
        "--mix",
        default="4,2,2",
        help="clients sending cheap, heavy, malformed requests and (a fourth number, 0 if left "
        "out) whole network exports; their sum is --clients",
    )
    ap.add_argument(
        "--idle",
        type=int,
        default=0,
        help="connections held open beside the clients, half idle and half trickling a byte "
        "every few seconds (slowloris)",
    )
    ap.add_argument(
        "--reference",
        type=float,
        default=10.0,
        help="seconds of the saturation reference (0: skip it)",
    )
    ap.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    return ap


def _oxigraph_reference(store: str, tmp: str, seconds: float) -> tuple[float, float, float] | None:
    """The saturation reference of Oxigraph's own server on a copy of the store, if it is here."""
    oxigraph = Path(sys.executable).with_name("oxigraph")
    if not (seconds > 0 and store.startswith("oxigraph:") and oxigraph.exists()):
        return None
    copy = Path(tmp) / "oxigraph-copy"
    subprocess.run(["cp", "-r", store.removeprefix("oxigraph:"), str(copy)], check=True)
    ox_port = free_port()
    ox = start_server(
        [str(oxigraph), "serve-read-only", "--location", str(copy), "--bind",
         f"127.0.0.1:{ox_port}", "--union-default-graph"],
        Path(tmp) / "oxigraph.log",
    )  # fmt: skip
    try:
        while True:
            if ox.poll() is not None:
                raise SystemExit(f"oxigraph serve-read-only exited with {ox.returncode}")
            try:
                request(ox_port, "GET", "/", {}, b"", 5)
                break
            except OSError:
                time.sleep(0.2)
        return saturation(ox_port, "/query", 4, seconds)
    finally:
        stop(ox)


def main(argv: list[str] | None = None) -> int:
    ap = _arguments()
    args = ap.parse_args(argv)
    roles = [int(x) for x in args.mix.split(",")] + [0]
    if sum(roles) != args.clients:
        ap.error(f"--mix {args.mix} does not add up to --clients {args.clients}")
    load_avg = os.getloadavg()[0]
    store_text = f"store `{args.store}`" if args.store else "the bundled data, no datasets"
    reference: list[tuple[str, tuple[float, float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="diplograph-soak-") as tmp:
        store = args.store
        if store is None:
            store = f"oxigraph:{tmp}/store"
            print("building a store from the bundled data (datasets left out) ...", flush=True)
            subprocess.run([EXE, "--store", store, "build", "-q", "--skip", "datasets"], check=True)
        port = free_port()
        proc = start_server(
            [EXE, "--store", store, "serve", "--port", str(port), "--threads", "16",
             "--workers", str(args.workers), "--query-timeout", str(args.timeout),
             "--result-cache", "0", "--spare-idle", str(SETTLE)],
            Path(tmp) / "serve.log",
        )  # fmt: skip
        try:
            wait_ready(port, proc)
            idle = idle_median(port)
            rss_start = rss_kb(proc.pid)
            tally = storm(port, args, roles)
            rss_end = rss_kb(proc.pid)
            time.sleep(SETTLE + 10)  # spare workers and export processes stopped meanwhile
            rss_settled = rss_kb(proc.pid)
            alive = proc.poll() is None
            if args.reference > 0 and alive:
                reference.append(
                    ("diplograph serve", saturation(port, "/sparql", 4, args.reference))
                )
        finally:
            stop(proc)
        ox_reference = _oxigraph_reference(store, tmp, args.reference)
        if ox_reference is not None:
            reference.append(("Oxigraph server", ox_reference))
    lines, ok = report(
        args, store_text, load_avg, tally, idle, (rss_start, rss_end, rss_settled), alive, reference
    )
    for line in tally.unexpected[:10] + tally.dropped[:10]:
        print("    " + line)
    print(text := "\n".join(lines) + "\n")
    if not args.no_write:
        write_section("soak", text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
