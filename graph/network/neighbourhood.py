"""A small picture of one resource's neighbourhood: the resource in the middle, what it points
to on the right, what points to it on the left, drawn by Graphviz ``dot`` as SVG.

Takes a :class:`~diplograph.graph.describe.Description`; types, ``owl:sameAs`` and literals are
left out, and at most :data:`MAX_EDGES` links are drawn so the picture stays small. Colours
follow the network exports (:data:`diplograph.graph.network.export.COLOURS`).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from diplograph.errors import PictureError
from diplograph.graph.describe import Description
from diplograph.graph.network.export import COLOURS

MAX_EDGES = 30
MAX_IN_PER_PREDICATE = 4
TIMEOUT = 20


def _q(text: object) -> str:
    """A DOT double-quoted string."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", " ")
    return f'"{s[:60]}"'


def to_dot(d: Description, *, short: Callable[[str], str], kind_of: Callable[[str], str]) -> str:
    """The DOT text of ``d``'s neighbourhood (``short`` shortens IRIs, ``kind_of`` names the
    colour of a node)."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []

    def node(iri: URIRef) -> str:
        key = str(iri)
        if key not in nodes:
            colour = COLOURS.get(kind_of(key), COLOURS["other"])
            label = d.labels.get(iri, short(key))
            nodes[key] = (
                f"  {_q(key)} [label={_q(label)}, tooltip={_q(key)}, fillcolor={_q(colour)}];"
            )
        return key

    here = node(d.iri)
    for p, o, _ in d.outgoing:
        if len(edges) >= MAX_EDGES:
            break
        if isinstance(o, URIRef) and p not in (RDF.type, OWL.sameAs):
            edges.append((here, node(o), short(str(p))))
    for p, _, first in d.incoming:
        for s in first[:MAX_IN_PER_PREDICATE]:
            if len(edges) < MAX_EDGES:
                edges.append((node(s), here, short(str(p))))
    lines = [
        "digraph neighbourhood {",
        '  graph [rankdir=LR, nodesep=0.12, ranksep=0.5, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
        f"  {_q(here)} [penwidth=2.5];",
        *nodes.values(),
        *(f"  {_q(u)} -> {_q(v)} [label={_q(label)}];" for u, v, label in edges),
        "}",
    ]
    return "\n".join(lines) + "\n"


def svg(d: Description, *, short: Callable[[str], str], kind_of: Callable[[str], str]) -> bytes:
    """The neighbourhood of ``d`` drawn as SVG."""
    exe = shutil.which("dot")
    if exe is None:
        raise PictureError(
            "Graphviz's 'dot' is not installed; install the Debian package 'graphviz'."
        )
    try:
        done = subprocess.run(
            [exe, "-Tsvg"],
            input=to_dot(d, short=short, kind_of=kind_of).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PictureError(f"Graphviz took longer than {TIMEOUT} s to draw {d.iri}.") from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise PictureError(f"Graphviz dot failed (exit {done.returncode}): {err}")
    return done.stdout
