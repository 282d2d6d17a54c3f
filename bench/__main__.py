"""``python -m bench [--size small|all] [--only NAME] [--no-write]``: run the benchmarks.

A plain dispatcher: each benchmark is a module of this package with ``main(argv)`` that writes
its own section of ``bench/RESULTS.md``: ``compare`` (diplograph side by side with Oxigraph
server, rdflib and rdflib-endpoint: load, latency per query, throughput, the cached path, ratio
tables and a plot), ``load`` (bulk load against ``oxigraph load``), ``network`` (network views
and exports) and ``memory`` (RSS and PSS of ``diplograph serve``, its zygote and workers).
``small`` is what ``make bench`` runs (the comparison at 100k quads); ``all`` (``make
bench-full``) adds 1M and 5M.
"""

from __future__ import annotations

import argparse
import importlib

#: benchmark module -> arguments per size
BENCHMARKS: dict[str, dict[str, list[list[str]]]] = {
    "compare": {
        "small": [["--size", "100k"]],
        "all": [["--size", "100k", "--size", "1M", "--size", "5M"]],
    },
    "load": {
        "small": [["--triples", "1000000", "--repeat", "1"]],
        "all": [["--triples", "1000000"], ["--triples", "5000000", "--repeat", "1"]],
    },
    "network": {
        "small": [["--triples", "500000"]],
        "all": [["--triples", "1000000"]],
    },
    "memory": {
        "small": [["--size", "100k"]],
        "all": [["--size", "1M", "--size", "5M"]],
    },
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "all"), default="small")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        for extra in BENCHMARKS[name][args.size]:
            module.main([*extra, *(["--no-write"] if args.no_write else [])])


if __name__ == "__main__":
    main()
