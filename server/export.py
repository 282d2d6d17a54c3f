"""Network views over HTTP: ``/export/<view>.<format>`` and the interactive graph page ``/graph``.

- ``GET /export/<view>.<format>``: a view (``actors``, ``claims``, ``agreements``, ``full``) in a
  network format (``graphml``, ``gexf``, ``cytoscape``/``cyjs``, ``d3``/``json``, ``dot``/``gv``,
  ``csvzip``/``zip``, ``svg``, ``png``), filtered by the query parameters ``from``, ``to``,
  ``graph``, ``actor`` and ``event_type`` (repeatable), as ``diplograph export`` takes them;
  ``group=N`` draws each group of more than N like neighbours of a node as one node
  (``212 memberships``) and ``top=M`` keeps the M best-connected nodes (:mod:`diplograph.graph.
  network.aggregate`; both 0, off, unless given). Cytoscape JSON edges carry their ``type`` (the
  relation, or the property's label for the full view's links), what the page's legend lists.
  An unknown view or format is a 404, a bad filter a 400, both with a JSON body. Cytoscape JSON
  from the server gives each node a ``url``: where this server shows the resource.
- ``GET /graph?focus=IRI&view=V``: explore an entity's neighbourhood with Cytoscape.js and the
  fCoSE layout (served by the package, no CDN): large groups aggregated (``group``, default
  :data:`GROUP_LIMIT`), at most ``top`` nodes (default :data:`MAX_NODES`), a legend of the kinds
  and link types present that filters them, a time slider over the data's years, nodes sized
  by degree; expand nodes and open their pages. Without a focus the page shows the whole view
  (``claims`` by default).

Both answer 304 to a matching ``If-None-Match`` (the ETag follows the store's write counter).
Their queries run through the guarded executor (:mod:`.guarded_graph`): an export that overruns
``query_timeout`` is a 503 with a JSON body, and the server goes on answering others.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import URIRef

from diplograph.errors import ExportError, NotFound, UnsupportedFormat
from diplograph.graph.network import VIEWS, fallback_label, resolve
from diplograph.graph.network.aggregate import GROUP_LIMIT, MAX_NODES
from diplograph.graph.network.export import COLOURS, filename, network_format
from diplograph.graph.network.filters import Filters
from diplograph.graph.network.sparql import labels
from diplograph.server.conditional import conditional, not_modified, request_key
from diplograph.server.context import current_state
from diplograph.server.discovery import store_folder
from diplograph.server.export_proc import Job, draw
from diplograph.server.export_runner import ExportProcesses
from diplograph.server.guarded_graph import export_graph, page_graph
from diplograph.server.negotiation import content_type
from diplograph.server.sandbox import auto_memory_mb
from diplograph.server.urls import resource_url

bp = Blueprint("export", __name__)

#: Formats a browser shows in place; the others are offered as downloads.
_INLINE = frozenset({"cytoscape", "d3", "svg", "png"})

#: The graph page's policy: scripts and styles only from this server, nothing inline.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def request_filters() -> Filters:
    """The filters of the current request's query string (``event-type`` also accepted)."""
    args = request.args
    return Filters.of(
        start=args.get("from"),
        end=args.get("to"),
        graphs=args.getlist("graph"),
        actors=args.getlist("actor"),
        event_types=args.getlist("event_type") + args.getlist("event-type"),
    )


def _count(name: str, default: int) -> int:
    """A whole-number query parameter (``group``, ``top``); 400 when it is not one."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) > 1_000_000:
        raise ExportError(f"{name!r} must be a whole number from 0 (off) to 1000000, not {text!r}.")
    return int(text)


@bp.get("/export/<view>.<fmt>")
def export_view(view: str, fmt: str) -> Response:
    if view not in VIEWS:
        raise NotFound(f"There is no network view {view!r}; choose one of: {', '.join(VIEWS)}.")
    try:
        chosen = network_format(fmt)
    except UnsupportedFormat as exc:
        raise NotFound(str(exc)) from exc
    etag = request_key()
    cached = not_modified(etag)
    if cached is not None:
        return cached
    job = Job(view, request_filters(), _count("group", 0), _count("top", 0), chosen.key)
    data, nodes, edges = draw_export(job)
    disposition = "inline" if chosen.key in _INLINE else "attachment"
    response = Response(
        data,
        content_type=content_type(chosen),
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename(view, chosen)}"',
            "X-Diplograph-Nodes": str(nodes),
            "X-Diplograph-Edges": str(edges),
        },
    )
    return conditional(response, etag)


def draw_export(job: Job) -> tuple[bytes, int, int]:
    """``job`` drawn in an export process (:mod:`.export_runner`), or here with ``workers = 0``
    (every query in process already): (bytes, nodes, edges)."""
    state = current_state()
    if not state.settings["workers"]:
        return draw(export_graph(), job, _urls)
    with _STARTING:
        if state.exports is None:
            state.exports = ExportProcesses(
                _memory_mb(state.settings, state.graph.url),
                idle_for=state.settings["spare_idle"],
            )
    exports: ExportProcesses = state.exports
    return exports.draw(job, export_graph(), _urls, timeout=state.settings["query_timeout"])


def _urls(iris: list[str]) -> list[str]:
    return [resource_url(iri) for iri in iris]


def _memory_mb(settings: dict[str, Any], store_url: str) -> int:
    """An export process's address-space cap: ``worker_memory``, or when unset the automatic
    size for a store of the size of the store's folder (none, e.g. a remote or in-memory
    store: the base size)."""
    if settings["worker_memory"] is not None:
        return int(settings["worker_memory"])
    folder = store_folder(store_url)
    files = [f for f in folder.iterdir() if f.is_file()] if folder and folder.is_dir() else []
    return auto_memory_mb(sum(f.stat().st_size for f in files))


_STARTING = threading.Lock()


@bp.get("/graph")
def graph() -> Response:
    focus_text = (request.args.get("focus") or "").strip()
    focus = resolve(focus_text) if focus_text else ""
    view = request.args.get("view") or ("full" if focus else "claims")
    if view not in VIEWS:
        raise NotFound(f"There is no network view {view!r}; choose one of: {', '.join(VIEWS)}.")
    filters = request_filters()
    group, top = _count("group", GROUP_LIMIT), _count("top", MAX_NODES)
    if focus:
        graph = page_graph()
        if not graph.query(
            "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": URIRef(focus)}
        ).boolean:
            raise NotFound(f"There is no resource <{focus}> in the graph.")
        title = labels(graph, {focus}).get(focus) or fallback_label(focus)
    else:
        title = f"The {view} view"
    given = [(k, v) for k in ("from", "to", "graph", "event_type") for v in request.args.getlist(k)]
    actor = [("actor", focus)] if focus else []
    html = render_template(
        "graph.html",
        active_nav="Graph",
        title=title,
        focus=focus,
        focus_text=focus_text,
        view=view,
        views=VIEWS,
        filters=filters,
        group=group,
        top=top,
        # the page's elements: readable by default; the downloads: the whole view, but pictures
        # with large groups aggregated
        filter_query=urlencode([*given, ("group", group), ("top", top)]),
        actor_query=urlencode([*actor, *given]),
        picture_query=urlencode([*actor, *given, ("group", group)]),
        elements_url=url_for("export.export_view", view=view, fmt="cytoscape"),
        colours=json.dumps(COLOURS, sort_keys=True),
        focus_url=resource_url(focus) if focus else "",
    )
    return Response(html, mimetype="text/html", headers={"Content-Security-Policy": CSP})


__all__ = ["CSP", "bp", "request_filters"]
