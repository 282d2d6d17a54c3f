"""Benchmark (not a test): time and memory to build and export each network view from a generated
graph of about a million triples.

The graph: claims from :mod:`bench.generate` (about 70% of the triples) plus generated relations
for the other views (memberships, tenures of posts, alliances with participations, diplomatic
missions, agreements with principles and invoking claims), each part in its own named graph,
loaded with the store's bulk loader. Every view is built, then written in every network format;
pictures (SVG/PNG) are drawn for a one-actor neighbourhood, since Graphviz is not asked to draw
more than a few thousand nodes.

Time is wall-clock; memory is the peak resident memory each step adds (Linux's VmHWM, reset before
the step through ``/proc/self/clear_refs``), measured in the same pass. Results go to a section of
``bench/RESULTS.md`` (between ``<!-- network:start -->`` and ``<!-- network:end -->``).

    python -m bench.network [--triples 1000000] [--no-write]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.results import write_section
from diplograph import __version__, formats, iri
from diplograph.graph.network import VIEWS, build_view
from diplograph.graph.network.export import export
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import open_graph
from diplograph.provenance import Source

_DG = str(iri.ONTOLOGY)
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _dg(name: str) -> str:
    return f"<{_DG}{name}>"


def _year(rng: random.Random) -> int:
    return rng.randint(1950, 2020)


def relations(path: Path, *, triples: int, seed: int = 7) -> int:
    """Write about ``triples`` N-Triples lines of relations among the generator's 200 states and
    2,000 persons (same IRIs as :mod:`bench.generate`); returns the number written."""
    rng = random.Random(seed)
    states = [f"<{iri.entity('state', f'state-{i:03d}')}>" for i in range(200)]
    persons = [f"<{iri.entity('person', f'person-{i:04d}')}>" for i in range(2000)]
    orgs = [f"<{iri.entity('organization', f'org-{i:03d}')}>" for i in range(300)]
    principles = [f"<{iri.entity('principle', f'principle-{i:02d}')}>" for i in range(40)]
    out: list[str] = []
    for i, o in enumerate(orgs):
        out += [f"{o} {_TYPE} {_dg('InternationalOrganization')} .", f'{o} {_LABEL} "Org {i}"@en .']
    for i, p in enumerate(principles):
        out += [f"{p} {_TYPE} {_dg('Principle')} .", f'{p} {_LABEL} "Principle {i}"@en .']
    posts = []
    for i, s in enumerate(states):
        post = f"<{iri.entity('post', f'state-{i:03d}-minister-of-foreign-affairs')}>"
        posts.append(post)
        out += [
            f"{post} {_TYPE} {_dg('Post')} .",
            f"{post} {_dg('postIn')} {s} .",
            f'{post} {_LABEL} "Minister of Foreign Affairs of State {i}"@en .',
        ]
    n = 0

    def spell(node: str, kind: str, links: list[str]) -> None:
        start = _year(rng)
        out.extend(
            [
                f"{node} {_TYPE} {_dg(kind)} .",
                *links,
                f'{node} {_dg("startDate")} "{start}"^^<{_XSD}gYear> .',
                f'{node} {_dg("endDate")} "{start + rng.randint(1, 30)}"^^<{_XSD}gYear> .',
            ]
        )

    alliances = [f"<{iri.entity('agreement', f'alliance-{i:03d}')}>" for i in range(400)]
    for i, a in enumerate(alliances):
        out += [
            f"{a} {_TYPE} {_dg('Alliance')} .",
            f'{a} {_LABEL} "Alliance {i}"@en .',
            f"{a} {_dg('containsPrinciple')} {rng.choice(principles)} .",
            f"{a} {_dg('adoptedBy')} {rng.choice(orgs)} .",
        ]
        for s in rng.sample(states, rng.randint(2, 12)):
            node = f"<{iri.entity('participation', f'p-{n}')}>"
            spell(
                node,
                "Participation",
                [f"{node} {_dg('participant')} {s} .", f"{node} {_dg('ofAgreement')} {a} ."],
            )
            n += 1
    while len(out) < triples:
        kind = rng.random()
        node = f"<{iri.entity('membership', f'x-{n}')}>"
        if kind < 0.5:
            spell(
                node,
                "Membership",
                [
                    f"{node} {_dg('member')} {rng.choice(states)} .",
                    f"{node} {_dg('ofOrganization')} {rng.choice(orgs)} .",
                ],
            )
        elif kind < 0.8:
            spell(
                node,
                "Tenure",
                [
                    f"{node} {_dg('holder')} {rng.choice(persons)} .",
                    f"{node} {_dg('ofPost')} {rng.choice(posts)} .",
                ],
            )
        elif kind < 0.95:
            spell(
                node,
                "DiplomaticMission",
                [
                    f"{node} {_dg('sendingState')} {rng.choice(states)} .",
                    f"{node} {_dg('receivingState')} {rng.choice(states)} .",
                ],
            )
        else:
            claim = f"<{iri.claim('bench-relations', n)}>"
            out += [
                f"{claim} {_TYPE} {_dg('OfficialStatement')} .",
                f"{claim} {_dg('speaker')} {rng.choice(persons)} .",
                f"{claim} {_dg('invokes')} {rng.choice(alliances + principles)} .",
                f'{claim} {_dg("date")} "{_year(rng)}-06-01"^^<{_XSD}date> .',
            ]
        n += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(out)


def _rss() -> dict[str, int]:
    """VmRSS and VmHWM (peak) of this process in bytes, from /proc (Linux); empty elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            fields = [line.partition(":") for line in fh]
    except OSError:
        return {}
    return {k: int(v.split()[0]) * 1024 for k, _, v in fields if k in ("VmRSS", "VmHWM")}


def _measure(fn: Callable[[], Any]) -> tuple[float, Any, int | None]:
    """Seconds, the value, and the peak resident memory above the start (bytes) while ``fn``
    ran: the kernel's high-water mark is reset first (``/proc/self/clear_refs``), so the peak
    counts every allocation (Python's, the store's), at no cost to the time."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        before = _rss().get("VmRSS")
    except OSError:
        before = None
    t = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - t
    peak = _rss().get("VmHWM")
    return seconds, value, (peak - before if peak is not None and before is not None else None)


def _mib(n: int | None) -> str:
    return "" if n is None else f"{n / 2**20:.0f}"


def run(triples: int) -> tuple[list[list[str]], dict[str, str]]:
    from bench.generate import generate

    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        claims_file, relations_file = Path(tmp, "claims.nt"), Path(tmp, "relations.nt")
        n_claims = generate(claims_file, triples=int(triples * 0.7))
        relations(relations_file, triples=triples - n_claims)
        graph = open_graph("memory:")
        loader: Any = graph  # an OxigraphGraph: load_file is not part of DiploGraph
        nt = formats.get("ntriples")
        load_s, _, _ = _measure(
            lambda: [
                loader.load_file(
                    Source(iri.file_graph(p.stem), f"bench {p.stem}", "file", str(p), "-"), p, nt
                )
                for p in (claims_file, relations_file)
            ]
        )
        info = {"triples": f"{graph.count():,}", "load": f"{load_s:.1f} s"}
        print(f"loaded {info['triples']} triples in {info['load']}", file=sys.stderr)
        for view in VIEWS:
            seconds, g, peak = _measure(partial(build_view, graph, view))
            size = f"{g.number_of_nodes():,} / {g.number_of_edges():,}"
            rows.append([view, "build", size, f"{seconds:.2f}", _mib(peak), ""])
            print(view, "build", size, f"{seconds:.2f}s", file=sys.stderr)
            for fmt in formats.of_kind("network"):
                if fmt.key in ("svg", "png"):
                    continue
                seconds, data, peak = _measure(partial(export, g, fmt))
                rows.append(
                    [
                        view,
                        fmt.key,
                        size,
                        f"{seconds:.2f}",
                        _mib(peak),
                        f"{len(data) / 2**20:.1f}",
                    ]
                )
                print(view, fmt.key, f"{seconds:.2f}s", file=sys.stderr)
        focus = Filters.of(actors=["state/state-001"])
        seconds, g, peak = _measure(lambda: build_view(graph, "full", filters=focus))
        size = f"{g.number_of_nodes():,} / {g.number_of_edges():,}"
        rows.append(
            ["full, one state's neighbourhood", "build", size, f"{seconds:.2f}", _mib(peak), ""]
        )
        small = build_view(graph, "actors", filters=focus)
        small_size = f"{small.number_of_nodes():,} / {small.number_of_edges():,}"
        for key in ("svg", "png"):
            seconds, data, peak = _measure(partial(export, small, key))
            rows.append(
                [
                    "actors, one state",
                    key,
                    small_size,
                    f"{seconds:.2f}",
                    _mib(peak),
                    f"{len(data) / 2**20:.1f}",
                ]
            )
        graph.close()
    return rows, info


def markdown(rows: list[list[str]], info: dict[str, str]) -> str:
    head = ["view", "step", "nodes / edges", "seconds", "peak MiB", "output MiB"]
    lines = [
        "## Network views and exports (`python -m bench.network`)",
        "",
        f"diplograph {__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"in-memory store of {info['triples']} generated triples (loaded in {info['load']}). "
        "Time is wall-clock on a shared 2-core machine, so take it as an order of magnitude. "
        "Peak MiB is the resident memory a step added at its peak (the kernel's high-water "
        "mark, reset before each step): Python objects, the store's buffers, everything.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    write_section("network", section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args(argv)
    rows, info = run(args.triples)
    section = markdown(rows, info)
    print(section)
    if not args.no_write:
        write(section)


if __name__ == "__main__":
    main()
