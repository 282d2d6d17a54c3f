"""Search latency on a store: ``python -m bench.search [STORE_URL] [--runs N]``.

Builds (or reuses) the store's search index, then times each query of :data:`QUERIES` ``--runs``
times and prints the median and the worst in milliseconds (the goal on the bundled store: every
answer within 100 ms). A benchmark, not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from diplograph.graph.search import refresh, search
from diplograph.graph.store import open_graph

#: Short and long texts, exact names, prefixes, words, common and rare.
QUERIES = ("lavr", "lavrov", "russia", "united states", "osce", "nato", "treaty", "a", "an", "min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store", nargs="?", default=None, help="Store URL (default: settings).")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with open_graph(args.store, read_only=True) as graph:
        started = time.perf_counter()
        refresh(graph)
        print(f"index ready in {(time.perf_counter() - started) * 1000:.0f} ms")
        worst_all = 0.0
        for text in QUERIES:
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                search(graph, text, limit=20)
                times.append((time.perf_counter() - t) * 1000)
            worst_all = max(worst_all, max(times))
            print(
                f"{text!r:>16}: median {statistics.median(times):6.2f} ms,"
                f" worst {max(times):6.2f} ms"
            )
        print(
            f"worst of all: {worst_all:.2f} ms ({'within' if worst_all <= 100 else 'over'} 100 ms)"
        )


if __name__ == "__main__":
    main()
