"""``python -m bench [--size small|all] [--only NAME] [--no-write]``: run the benchmarks.

A plain dispatcher: each benchmark is a module of this package with ``main(argv)``. ``small`` is
what ``make bench`` runs; ``all`` adds the larger sizes.
"""

from __future__ import annotations

import argparse
import importlib

#: benchmark module -> arguments per size
BENCHMARKS: dict[str, dict[str, list[list[str]]]] = {
    "load": {
        "small": [["--triples", "1000000"]],
        "all": [["--triples", "1000000"], ["--triples", "5000000", "--repeat", "1"]],
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
