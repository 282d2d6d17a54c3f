"""Write a network view in the formats of kind ``network`` of :mod:`diplograph.formats`.

- ``graphml``: GraphML for Gephi, yEd and Cytoscape desktop (every attribute typed);
- ``gexf``: GEXF 1.2 for Gephi; time-bounded edges get ``start``/``end`` as full dates (a year is
  read as its whole span), so Gephi's timeline can play them; the lexical dates stay as attributes;
- ``cytoscape``: Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``), what the
  server's graph page loads;
- ``d3``: D3's node-link JSON (``nodes`` and ``links``, as :func:`networkx.node_link_data`);
- ``dot``: Graphviz DOT; ``svg``/``png``: the view drawn by Graphviz (``dot`` for up to
  :data:`DOT_LIMIT` nodes without a fan wider than :data:`FAN_LIMIT`, ``sfdp`` for the others),
  at most :data:`PICTURE_INCHES` inches (3840 px) a side with a sensible aspect;
- ``csvzip``: a zip of ``nodes.csv`` and ``edges.csv`` (one row per node and per edge, a column per
  attribute): one download that keeps the two lists together.

Node ids are IRIs; ``label`` is the human label and ``iri`` the IRI again (some tools show only
attributes). See ``docs/network.md``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable

import networkx as nx

from diplograph import formats
from diplograph.errors import ExportError, ExportTooLarge, UnsupportedFormat
from diplograph.graph.network.filters import bounds
from diplograph.lifetime import child_dies_with_parent

#: Above this many nodes pictures are laid out with ``sfdp`` (force-directed) instead of ``dot``.
DOT_LIMIT = 300
#: Graphviz is not asked to draw views larger than this; filter the view or export GEXF.
DRAW_LIMIT = 5000
#: Seconds Graphviz may take to draw a picture.
DRAW_TIMEOUT = 120
#: The longest side of a picture, in inches (Graphviz scales a larger drawing down to fit) and
#: the resolution of PNGs: at most 40 x 96 = 3840 px a side (an SVG: 40 x 72 = 2880 pt).
PICTURE_INCHES = 40
PICTURE_DPI = 96
#: A node with more neighbours than this makes ``dot`` draw one very wide rank (a picture of
#: 25,000 x 275 px); such views are laid out by ``sfdp`` instead, which spreads a fan in a disc.
FAN_LIMIT = 12
#: A picture whose long side is more than this many times its short side is drawn again by
#: ``sfdp``.
MAX_ASPECT = 5

#: Fill colours by node kind, shared by DOT pictures and the graph page.
COLOURS: dict[str, str] = {
    "state": "#8dd3c7",
    "person": "#ffffb3",
    "organization": "#bebada",
    "agreement": "#fb8072",
    "principle": "#80b1d3",
    "claim": "#fdb462",
    "event": "#b3de69",
    "place": "#fccde5",
    "article": "#d9d9d9",
    "proposal": "#bc80bd",
    "post": "#ccebc5",
    "relation": "#ffed6f",
    "concept": "#eeeeee",
    "actor": "#c7e9c0",
    "other": "#ffffff",
}


def network_format(name: str) -> formats.Format:
    """A network format by key (``graphml``) or suffix (``.gv``, ``zip``)."""
    wanted = name.lower().lstrip(".")
    for fmt in formats.of_kind("network"):
        if wanted == fmt.key or "." + wanted in fmt.suffixes:
            return fmt
    choices = ", ".join(f.key for f in formats.of_kind("network"))
    raise UnsupportedFormat(f"Unknown network format {name!r}; choose one of: {choices}.")


def filename(view: str, fmt: formats.Format) -> str:
    """The file name of a view in a format (``actors.graphml``)."""
    return f"{view}{fmt.suffix}"


def export(g: nx.MultiDiGraph, fmt: str | formats.Format) -> bytes:
    """The view ``g`` written in ``fmt`` (a network format or its name)."""
    f = fmt if isinstance(fmt, formats.Format) else network_format(fmt)
    if f.kind != "network":
        raise UnsupportedFormat(
            f"{f.label} is not a network format; choose one of: "
            f"{', '.join(x.key for x in formats.of_kind('network'))}."
        )
    return _WRITERS[f.key](g)


# -- XML formats -----------------------------------------------------------------------------
def _graphml(g: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, named_key_ids=True)
    return buf.getvalue()


def _full_date(text: object, *, last: bool) -> str | None:
    b = bounds(str(text)) if text else None
    return None if b is None else (b[1] if last else b[0]).isoformat()


def _gexf(g: nx.MultiDiGraph) -> bytes:
    h = nx.MultiDiGraph()
    h.graph.update(g.graph)
    for n, d in g.nodes(data=True):
        h.add_node(n, **_timed(d))
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **_timed(d))
    buf = io.BytesIO()
    nx.write_gexf(h, buf, version="1.2draft")
    return buf.getvalue()


def _timed(d: dict[str, object]) -> dict[str, object]:
    """Attributes for GEXF: lexical dates kept under their own names, spells as full dates."""
    out = {k: v for k, v in d.items() if k not in ("start", "end")}
    if "start" in d:
        out["start_date"] = d["start"]
    if "end" in d:
        out["end_date"] = d["end"]
    lo, hi = d.get("start", d.get("date")), d.get("end", d.get("date"))
    start, end = _full_date(lo, last=False), _full_date(hi, last=True)
    if start:
        out["start"] = start
    if end:
        out["end"] = end
    return out


# -- JSON formats ----------------------------------------------------------------------------
def cytoscape_elements(g: nx.MultiDiGraph) -> dict[str, list[dict[str, object]]]:
    """The view as Cytoscape.js elements: ``{"nodes": [{"data": ...}], "edges": [...]}``."""
    nodes: list[dict[str, object]] = [
        {"data": {"id": n, **d}} for n, d in sorted(g.nodes(data=True))
    ]
    edges: list[dict[str, object]] = [
        {"data": {"id": str(k), "source": u, "target": v, **d}}
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    return {"nodes": nodes, "edges": edges}


def _json(data: object) -> bytes:
    # compact: the standard library's C encoder (an indent falls back to its Python one, ten
    # times slower, which held the server's interpreter lock for seconds per whole view)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _cytoscape(g: nx.MultiDiGraph) -> bytes:
    return _json({"data": dict(g.graph), "elements": cytoscape_elements(g)})


def _d3(g: nx.MultiDiGraph) -> bytes:
    return _json(nx.node_link_data(g, edges="links"))


# -- Graphviz --------------------------------------------------------------------------------
def _q(text: object) -> str:
    """A DOT double-quoted string (backslashes and quotes escaped, newlines as \\n)."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + s.replace("\n", "\\n") + '"'


def to_dot(g: nx.MultiDiGraph) -> str:
    """The view as a Graphviz digraph: nodes labelled and coloured by kind, edges labelled."""
    lines = [
        f"digraph {_q(g.graph.get('view', 'diplograph'))} {{",
        '  graph [overlap=false, splines=true, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    for n, d in sorted(g.nodes(data=True)):
        colour = COLOURS.get(str(d.get("kind", "other")), COLOURS["other"])
        lines.append(
            f"  {_q(n)} [label={_q(d.get('label', n))}, tooltip={_q(n)}, fillcolor={_q(colour)}];"
        )
    for u, v, d in g.edges(data=True):
        label = d.get("label", d.get("relation", ""))
        lines.append(f"  {_q(u)} -> {_q(v)} [label={_q(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot(g: nx.MultiDiGraph) -> bytes:
    return to_dot(g).encode("utf-8")


def _fan(g: nx.MultiDiGraph) -> int:
    """The most neighbours any node of ``g`` has."""
    return max((len(set(nx.all_neighbors(g, n))) for n in g), default=0)


def picture_size(data: bytes, image: str) -> tuple[float, float]:
    """Width and height of a picture Graphviz drew: pixels of a PNG, points of an SVG."""
    if image == "png":
        return float(int.from_bytes(data[16:20], "big")), float(int.from_bytes(data[20:24], "big"))
    head = data[:4096].decode("utf-8", "replace")
    found = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', head, re.S)
    return (float(found[1]), float(found[2])) if found else (0.0, 0.0)


def render(g: nx.MultiDiGraph, image: str) -> bytes:
    """Draw the view with Graphviz into ``svg`` or ``png``, at most :data:`PICTURE_INCHES` a side
    (:data:`PICTURE_DPI` for PNG) and no more than :data:`MAX_ASPECT` times longer than wide:
    ``dot`` for small views without a large fan, ``sfdp`` for the others and for a ``dot``
    drawing that came out too long."""
    n = g.number_of_nodes()
    if n > DRAW_LIMIT:
        raise ExportTooLarge(
            f"The view has {n} nodes, more than the {DRAW_LIMIT} Graphviz is asked "
            "to draw; filter it (--actor, --from/--to, --graph) or export GEXF."
        )
    dot_text = to_dot(g).encode("utf-8")
    use_dot = n <= DOT_LIMIT and _fan(g) <= FAN_LIMIT
    data = _graphviz("dot" if use_dot else "sfdp", image, dot_text, n)
    if use_dot:
        w, h = picture_size(data, image)
        if min(w, h) > 0 and max(w, h) / min(w, h) > MAX_ASPECT:
            data = _graphviz("sfdp", image, dot_text, n)
    return data


def _graphviz(engine: str, image: str, dot_text: bytes, n: int) -> bytes:
    exe = shutil.which(engine)
    if exe is None:
        raise ExportError(
            f"Graphviz's {engine!r} is not installed; install the Debian package "
            "'graphviz' to draw pictures."
        )
    size = [f"-Gsize={PICTURE_INCHES},{PICTURE_INCHES}"]
    if image == "png":
        size.append(f"-Gdpi={PICTURE_DPI}")
    # sfdp with curved edges routed around nodes takes minutes; straight edges, seconds
    spread = ["-Gsplines=false", "-Goverlap=prism"] if engine == "sfdp" else []
    try:
        done = subprocess.run(
            [exe, f"-T{image}", *size, *spread],
            input=dot_text,
            capture_output=True,
            timeout=DRAW_TIMEOUT,
            check=False,
            **child_dies_with_parent(),  # an export process killed at its timeout: Graphviz too
        )
    except subprocess.TimeoutExpired as exc:
        raise ExportError(
            f"Graphviz took longer than {DRAW_TIMEOUT} s to draw {n} nodes; filter the view."
        ) from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise ExportError(f"Graphviz {engine} failed (exit {done.returncode}): {err}")
    return done.stdout


# -- CSV -------------------------------------------------------------------------------------
def _columns(first: list[str], rows: list[dict[str, object]]) -> list[str]:
    rest = sorted({k for r in rows for k in r} - set(first))
    return first + rest


def _csv(rows: list[dict[str, object]], first: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_columns(first, rows), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _csvzip(g: nx.MultiDiGraph) -> bytes:
    nodes = [{"id": n, **d} for n, d in sorted(g.nodes(data=True))]
    edges = [
        {"id": k, "source": u, "target": v, **d} for u, v, k, d in g.edges(keys=True, data=True)
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (
            ("nodes.csv", _csv(nodes, ["id", "label", "kind", "iri"])),
            ("edges.csv", _csv(edges, ["id", "source", "target", "relation", "label"])),
        ):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


_WRITERS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "cytoscape": _cytoscape,
    "d3": _d3,
    "dot": _dot,
    "csvzip": _csvzip,
    "svg": lambda g: render(g, "svg"),
    "png": lambda g: render(g, "png"),
}

__all__ = [
    "COLOURS",
    "cytoscape_elements",
    "export",
    "filename",
    "network_format",
    "picture_size",
    "render",
    "to_dot",
]
