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


class _Relations:
    """The lines written so far and the generator's random choices (see :func:`relations`)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[str] = []
        self.n = 0  # the number in the next relation's IRI
        self.states = [f"<{iri.entity('state', f'state-{i:03d}')}>" for i in range(200)]
        self.persons = [f"<{iri.entity('person', f'person-{i:04d}')}>" for i in range(2000)]
        self.orgs = [f"<{iri.entity('organization', f'org-{i:03d}')}>" for i in range(300)]
        self.principles = [f"<{iri.entity('principle', f'principle-{i:02d}')}>" for i in range(40)]
        self.posts: list[str] = []
        self.alliances = [f"<{iri.entity('agreement', f'alliance-{i:03d}')}>" for i in range(400)]

    def named(self) -> None:
        """The organisations, principles and each state's foreign minister's post."""
        for i, o in enumerate(self.orgs):
            self.out += [
                f"{o} {_TYPE} {_dg('InternationalOrganization')} .",
                f'{o} {_LABEL} "Org {i}"@en .',
            ]
        for i, p in enumerate(self.principles):
            self.out += [f"{p} {_TYPE} {_dg('Principle')} .", f'{p} {_LABEL} "Principle {i}"@en .']
        for i, s in enumerate(self.states):
            post = f"<{iri.entity('post', f'state-{i:03d}-minister-of-foreign-affairs')}>"
            self.posts.append(post)
            self.out += [
                f"{post} {_TYPE} {_dg('Post')} .",
                f"{post} {_dg('postIn')} {s} .",
                f'{post} {_LABEL} "Minister of Foreign Affairs of State {i}"@en .',
            ]

    def spell(self, node: str, kind: str, links: list[str]) -> None:
        """A relation of class ``kind`` with its links and a random start and end year."""
        start = _year(self.rng)
        self.out.extend(
            [
                f"{node} {_TYPE} {_dg(kind)} .",
                *links,
                f'{node} {_dg("startDate")} "{start}"^^<{_XSD}gYear> .',
                f'{node} {_dg("endDate")} "{start + self.rng.randint(1, 30)}"^^<{_XSD}gYear> .',
            ]
        )

    def alliance(self, i: int, a: str) -> None:
        """Alliance ``a`` with a principle, an adopting organisation and 2-12 participants."""
        rng = self.rng
        self.out += [
            f"{a} {_TYPE} {_dg('Alliance')} .",
            f'{a} {_LABEL} "Alliance {i}"@en .',
            f"{a} {_dg('containsPrinciple')} {rng.choice(self.principles)} .",
            f"{a} {_dg('adoptedBy')} {rng.choice(self.orgs)} .",
        ]
        for s in rng.sample(self.states, rng.randint(2, 12)):
            node = f"<{iri.entity('participation', f'p-{self.n}')}>"
            links = [f"{node} {_dg('participant')} {s} .", f"{node} {_dg('ofAgreement')} {a} ."]
            self.spell(node, "Participation", links)
            self.n += 1

    def one_more(self) -> None:
        """A random membership, tenure, mission (or, one time in twenty, an invoking claim)."""
        rng, node = self.rng, f"<{iri.entity('membership', f'x-{self.n}')}>"
        kind = rng.random()
        spell: tuple[str, tuple[str, list[str]], tuple[str, list[str]]] | None = None
        if kind < 0.5:
            spell = ("Membership", ("member", self.states), ("ofOrganization", self.orgs))
        elif kind < 0.8:
            spell = ("Tenure", ("holder", self.persons), ("ofPost", self.posts))
        elif kind < 0.95:
            spell = (
                "DiplomaticMission",
                ("sendingState", self.states),
                ("receivingState", self.states),
            )
        if spell is not None:
            kind_name, (p1, o1), (p2, o2) = spell
            links = [
                f"{node} {_dg(p1)} {rng.choice(o1)} .",
                f"{node} {_dg(p2)} {rng.choice(o2)} .",
            ]
            self.spell(node, kind_name, links)
        else:
            claim = f"<{iri.claim('bench-relations', self.n)}>"
            self.out += [
                f"{claim} {_TYPE} {_dg('OfficialStatement')} .",
                f"{claim} {_dg('speaker')} {rng.choice(self.persons)} .",
                f"{claim} {_dg('invokes')} {rng.choice(self.alliances + self.principles)} .",
                f'{claim} {_dg("date")} "{_year(rng)}-06-01"^^<{_XSD}date> .',
            ]
        self.n += 1


def relations(path: Path, *, triples: int, seed: int = 7) -> int:
    """Write about ``triples`` N-Triples lines of relations among the generator's 200 states and
    2,000 persons (same IRIs as :mod:`bench.generate`); returns the number written."""
    made = _Relations(random.Random(seed))
    made.named()
    for i, a in enumerate(made.alliances):
        made.alliance(i, a)
    while len(made.out) < triples:
        made.one_more()
    path.write_text("\n".join(made.out) + "\n", encoding="utf-8")
    return len(made.out)


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


def _load(graph: Any, tmp: str, triples: int) -> dict[str, str]:
    """Generate the claims (70%) and the relations, bulk-load both into ``graph``."""
    from bench.generate import generate

    claims_file, relations_file = Path(tmp, "claims.nt"), Path(tmp, "relations.nt")
    n_claims = generate(claims_file, triples=int(triples * 0.7))
    relations(relations_file, triples=triples - n_claims)
    nt = formats.get("ntriples")
    load_s, _, _ = _measure(
        lambda: [
            graph.load_file(  # an OxigraphGraph: load_file is not part of DiploGraph
                Source(iri.file_graph(p.stem), f"bench {p.stem}", "file", str(p), "-"), p, nt
            )
            for p in (claims_file, relations_file)
        ]
    )
    info = {"triples": f"{graph.count():,}", "load": f"{load_s:.1f} s"}
    print(f"loaded {info['triples']} triples in {info['load']}", file=sys.stderr)
    return info


def _size(g: Any) -> str:
    return f"{g.number_of_nodes():,} / {g.number_of_edges():,}"


def _views(graph: Any) -> list[list[str]]:
    """Every view built, then exported in every network format but the pictures."""
    rows: list[list[str]] = []
    for view in VIEWS:
        seconds, g, peak = _measure(partial(build_view, graph, view))
        size = _size(g)
        rows.append([view, "build", size, f"{seconds:.2f}", _mib(peak), ""])
        print(view, "build", size, f"{seconds:.2f}s", file=sys.stderr)
        for fmt in formats.of_kind("network"):
            if fmt.key in ("svg", "png"):
                continue
            seconds, data, peak = _measure(partial(export, g, fmt))
            mib = f"{len(data) / 2**20:.1f}"
            rows.append([view, fmt.key, size, f"{seconds:.2f}", _mib(peak), mib])
            print(view, fmt.key, f"{seconds:.2f}s", file=sys.stderr)
    return rows


def _neighbourhood(graph: Any) -> list[list[str]]:
    """One state's neighbourhood: the full view built, the actors view drawn (SVG, PNG)."""
    focus = Filters.of(actors=["state/state-001"])
    seconds, g, peak = _measure(lambda: build_view(graph, "full", filters=focus))
    name = "full, one state's neighbourhood"
    rows = [[name, "build", _size(g), f"{seconds:.2f}", _mib(peak), ""]]
    small = build_view(graph, "actors", filters=focus)
    for key in ("svg", "png"):
        seconds, data, peak = _measure(partial(export, small, key))
        mib = f"{len(data) / 2**20:.1f}"
        rows.append(["actors, one state", key, _size(small), f"{seconds:.2f}", _mib(peak), mib])
    return rows


def run(triples: int) -> tuple[list[list[str]], dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        graph = open_graph("memory:")
        info = _load(graph, tmp, triples)
        rows = _views(graph) + _neighbourhood(graph)
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
