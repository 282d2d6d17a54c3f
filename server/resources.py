"""Linked data: every data IRI dereferences (W3C "Cool URIs for the Semantic Web", 303 pattern).

The data base IRI (setting ``id_base``, ``https://w3id.org/diplograph/id/``) is mapped to this
server's ``/id/``. The routes:

- ``GET /id/<path>``: the resource itself. ``303 See Other`` (``Vary: Accept``) to its HTML page
  ``/page/<path>`` for a browser (also with no ``Accept``, ``*/*`` or ``.html``), or to a data
  document ``/data/<path>.<suffix>`` for an RDF ``Accept`` (q-values and wildcards weighed
  through :func:`diplograph.formats.negotiate`); ``406`` when nothing fits. ``/id/<path>.ttl``
  (``.nt``, ``.jsonld``, ``.rdf``, ``.json``) and ``?format=`` redirect to that document.
- ``GET /page/<path>``: the HTML page (labels, linked values, ``owl:sameAs`` links out, a
  neighbourhood picture, licence and citation of the named graphs, JSON-LD block).
- ``GET /data/<path>[.ttl|.nt|.jsonld|.rdf|.json]``: the data document in Turtle, N-Triples,
  JSON-LD, RDF/XML, or compact JSON (``.json`` or ``?format=json``, see :mod:`.linked_json`);
  without a suffix by ``Accept`` (``Vary: Accept``, ``Content-Location``).
- ``GET /picture/<path>.svg``: the neighbourhood drawn by Graphviz.
- ``GET /class/<Name>``: instances of ``dg:<Name>`` with paging (``?page=``) and facets
  (``?p=<property>&o=<value>``, repeatable); ``GET /list?p=…&o=…``: the same for any resource
  (where incoming links counted on a page lead); ``GET /browse``: the classes with counts.

Every page and document carries ``Link: <…>; rel="alternate"; type="…"`` headers to the other
representations. Paths with ``.``/``..`` segments, empty segments or encoded slashes cannot
leave the IRI space (404, 400). An unknown resource is a 404 page suggesting resources with a
similar label. Descriptions come from :mod:`diplograph.graph.describe`.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import networkx as nx
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import BNode, URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import DiplographError, NotFound, UnsupportedFormat
from diplograph.graph import describe as desc
from diplograph.graph.export import render
from diplograph.graph.iri import ONTOLOGY
from diplograph.queries import labels_for
from diplograph.server import linked_json, urls
from diplograph.server.context import current_state
from diplograph.server.errors import render_error

bp = Blueprint("resources", __name__)
bp.record_once(urls.register)

#: RDF formats a data document is offered in (the ``Link`` alternates), by format key.
DOCUMENT_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "jsonld", "rdfxml")
JSON_MEDIA = "application/json"
PAGE_SIZE = 50


class BadPath(DiplographError):
    """A resource path that tries to leave the IRI space (encoded slash or backslash)."""

    exit_code = 2
    http_status = 400


@bp.app_template_test("iri")
def _is_iri(term: object) -> bool:
    return isinstance(term, URIRef)


@bp.app_template_test("bnode")
def _is_bnode(term: object) -> bool:
    return isinstance(term, BNode)


# -- paths and formats ----------------------------------------------------------------------


def _check_path(path: str) -> None:
    """Refuse paths that could escape ``/id/``: ``.``/``..``/empty segments are not in the IRI
    space (404); encoded slashes and backslashes are refused (400)."""
    raw = (request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "").lower()
    raw_path = raw.split("?", 1)[0]
    if "%2f" in raw_path or "%5c" in raw_path or "\\" in path:
        raise BadPath(f"The resource path {path!r} contains an encoded slash or a backslash.")
    segments = path.split("/")
    if any(s in ("", ".", "..") for s in segments) or any(ord(c) < 0x20 for c in path):
        raise NotFound(f"There is no resource at /id/{path}: the path leaves the IRI space.")


def _split_suffix(path: str) -> tuple[str, str | None]:
    """``(resource path, format key)`` for a path with a document suffix, else ``(path, None)``.

    A suffix is only taken off when the path without it names a resource, so an IRI that itself
    ends in ``.rdf`` stays whole."""
    for suffix, key in _suffixes().items():
        if path.endswith(suffix) and len(path) > len(suffix):
            stem = path[: -len(suffix)]
            if _exists(stem) or not _exists(path):
                return stem, key
    return path, None


def _suffixes() -> dict[str, str]:
    out = {".json": "json", ".html": "html"}
    for fmt in formats.of_kind("graph"):
        for suffix in fmt.suffixes:
            out[suffix] = fmt.key
    return out


def _suffix_of(key: str) -> str:
    return ".json" if key == "json" else ".html" if key == "html" else formats.get(key).suffix


def _q(accept: str, media: str) -> tuple[float, int]:
    """The q of ``media`` under ``accept`` and how specific the matching range is (3 exact)."""
    best = (0.0, 0)
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        rng = fields[0].lower()
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        main = media.split("/")[0]
        spec = 3 if rng == media else 2 if rng == main + "/*" else 1 if rng == "*/*" else 0
        if spec > best[1]:
            best = (q, spec)
    return best


def negotiate(accept: str | None, *, page: bool) -> str:
    """The format key to answer ``accept`` with: ``html`` (when ``page``), an RDF format or
    ``json`` (compact JSON, only when ``application/json`` is named). Raises 406."""
    kinds: tuple[formats.Kind, ...] = ("page", "graph") if page else ("graph",)
    default = "html" if page else "turtle"
    json_q, json_spec = _q(accept or "", JSON_MEDIA)
    try:
        chosen = formats.negotiate(accept, kinds=kinds, default=default)
    except UnsupportedFormat:
        if json_spec == 3 and json_q > 0:
            return "json"
        raise
    if json_spec == 3 and json_q > 0:
        chosen_q = max(_q(accept or "", m) for m in chosen.media_types)
        if json_q > chosen_q[0] or (json_q == chosen_q[0] and chosen_q[1] < 3):
            return "json"
    return chosen.key


def _exists(path: str) -> bool:
    return desc.exists(current_state().graph, URIRef(urls.data_iri(path)))


def _not_found(path: str) -> Response:
    words = path.replace("/", " ").replace("-", " ")
    found = desc.search_labels(current_state().graph, words)
    suggestions = [{"label": label, "url": urls.resource_url(str(s))} for s, label in found]
    return render_error(
        404, f"diplograph has nothing about {urls.data_iri(path)}.", suggestions=suggestions
    )


def _links(iri: str) -> str:
    """``Link`` header value: the page and every data document of ``iri``."""
    parts = [f'<{urls.page_url(iri)}>; rel="alternate"; type="text/html"']
    for key in DOCUMENT_FORMATS:
        fmt = formats.get(key)
        parts.append(
            f'<{urls.data_url(iri, fmt.suffix)}>; rel="alternate"; type="{fmt.media_type}"'
        )
    parts.append(f'<{urls.data_url(iri, ".json")}>; rel="alternate"; type="{JSON_MEDIA}"')
    parts.append(
        f'<{url_for("resources.context_jsonld")}>; rel="http://www.w3.org/ns/json-ld#context"'
    )
    return ", ".join(parts)


# -- the IRI, its page, its documents --------------------------------------------------------


@bp.route("/id/<path:path>", endpoint="resource")
def resource(path: str) -> ResponseReturnValue:
    _check_path(path)
    stem, key = _split_suffix(path)
    fmt_param = request.args.get("format")
    if fmt_param:
        key = (
            "json"
            if fmt_param.lower() == "json"
            else "html"
            if fmt_param == "html"
            else (formats.get(fmt_param, kinds=("graph",)).key)
        )
    if not _exists(stem):
        return _not_found(stem)
    if key is None:
        key = negotiate(request.headers.get("Accept"), page=True)
    iri = urls.data_iri(stem)
    target = urls.page_url(iri) if key == "html" else urls.data_url(iri, _suffix_of(key))
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _links(iri)
    return response


@bp.route("/page/<path:path>", endpoint="page")
def page(path: str) -> ResponseReturnValue:
    _check_path(path)
    if path.endswith(".html") and not _exists(path):
        path = path[: -len(".html")]
    if request.args.get("format", "").lower() == "json":
        return document(path + ".json")
    iri = URIRef(urls.data_iri(path))
    d = desc.describe(current_state().graph, iri)
    if d is None:
        return _not_found(path)
    page_abs = request.host_url.rstrip("/") + urls.page_url(str(iri))
    html = render_template(
        "resource.html",
        d=d,
        active_nav="Browse",
        jsonld=linked_json.script_json(linked_json.schema_org(d, page_abs)),
        alternates=[
            (formats.get(k).label, urls.data_url(str(iri), formats.get(k).suffix))
            for k in DOCUMENT_FORMATS
        ]
        + [("JSON", urls.data_url(str(iri), ".json"))],
        sparql=f"SELECT ?p ?o ?g WHERE {{\n  GRAPH ?g {{ <{iri}> ?p ?o }}\n}}\nORDER BY ?p ?o",
        graph_page=_graph_page_url(str(iri)),
        ontology=str(ONTOLOGY),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Link"] = _links(str(iri))
    return response


def _graph_page_url(iri: str) -> str | None:
    from flask import current_app

    for endpoint in ("export.graph", "export.graph_page"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, focus=iri)
    return None


@bp.route("/data/<path:path>", endpoint="document")
def document(path: str) -> ResponseReturnValue:
    _check_path(path)
    stem, key = _split_suffix(path)
    negotiated = key is None
    fmt_param = request.args.get("format")
    if fmt_param:
        key = (
            "json" if fmt_param.lower() == "json" else formats.get(fmt_param, kinds=("graph",)).key
        )
        negotiated = False
    if key == "html":
        return redirect(urls.page_url(urls.data_iri(stem)), code=303)
    if key is None:
        key = negotiate(request.headers.get("Accept"), page=False)
    if not _exists(stem):
        return _not_found(stem)
    iri = URIRef(urls.data_iri(stem))
    g = desc.document(current_state().graph, iri)
    if key == "json":
        import json

        data = linked_json.compact_json(
            g, request.host_url.rstrip("/") + url_for("resources.context_jsonld")
        )
        response = Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=JSON_MEDIA)
    else:
        fmt = formats.get(key)
        body = g.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
        response = Response(body, headers={"Content-Type": f"{fmt.media_type}; charset=utf-8"})
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = urls.data_url(str(iri), _suffix_of(key))
    response.headers["Link"] = _links(str(iri))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/picture/<path:path>", endpoint="picture")
def picture(path: str) -> Response:
    """A small picture of the resource and its direct neighbours (Graphviz SVG)."""
    _check_path(path)
    if not path.endswith(".svg"):
        raise NotFound(f"Pictures are served as .svg: /picture/{path}.svg.")
    path = path[: -len(".svg")]
    iri = URIRef(urls.data_iri(path))
    d = desc.describe(current_state().graph, iri)
    if d is None:
        return _not_found(path)
    g = nx.MultiDiGraph(view=d.label or str(iri))

    def node(term: Node) -> str:
        key = str(term)
        kind = urls.data_path(key).split("/")[0] if urls.is_data_iri(key) else "other"
        g.add_node(key, label=d.labels.get(term, urls.curie(key)), kind=kind)  # type: ignore[call-overload]
        return key

    here = node(iri)
    shown = 0
    for p, o, _ in d.outgoing:
        if isinstance(o, URIRef) and p not in (URIRef(str(ONTOLOGY) + "source"),) and shown < 24:
            if str(p).endswith("#type") or str(p).endswith("sameAs"):
                continue
            g.add_edge(here, node(o), label=urls.curie(str(p)))
            shown += 1
    for p, _, first in d.incoming:
        for s in first[:4]:
            if shown < 36:
                g.add_edge(node(s), here, label=urls.curie(str(p)))
                shown += 1
    svg = render(g, "svg")
    return Response(svg, headers={"Content-Type": "image/svg+xml; charset=utf-8"})


@bp.route("/context.jsonld", endpoint="context_jsonld")
def context_jsonld() -> Response:
    import json

    body = json.dumps({"@context": linked_json.context()}, indent=1)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# -- lists: classes, filtered lists ----------------------------------------------------------


def _filters() -> list[tuple[URIRef, Node]]:
    ps, os_ = request.args.getlist("p"), request.args.getlist("o")
    if len(ps) != len(os_):
        raise BadPath("Each filter needs a property p and a value o (?p=…&o=…).")
    return [(URIRef(p), URIRef(o)) for p, o in zip(ps, os_, strict=True)]


def _listing(cls: URIRef | None, title: str) -> Response:
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise BadPath("The page number must be a whole number.") from None
    filters = _filters()
    graph = current_state().graph
    items, total = desc.instances(
        graph, cls, filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    facet_rows = desc.facets(graph, cls, filters)
    iris = {*items, *(p for p, _ in filters), *(o for _, o in filters)}
    iris |= {x for p, vs in facet_rows for x in (p, *(v for v, _ in vs))}
    labels = labels_for(graph, iris)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    base_args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]

    def with_args(extra: list[tuple[str, str]], drop: int | None = None) -> str:
        kept = [kv for kv in base_args]
        if drop is not None:  # remove the drop-th (p, o) filter
            pairs = list(zip(request.args.getlist("p"), request.args.getlist("o"), strict=True))
            del pairs[drop]
            kept = [kv for kv in kept if kv[0] not in ("p", "o")]
            kept += [kv for p, o in pairs for kv in (("p", p), ("o", o))]
        query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in kept + extra)
        return request.path + ("?" + query if query else "")

    html = render_template(
        "class.html",
        title=title,
        cls=cls,
        items=items,
        total=total,
        page=number,
        pages=pages,
        filters=filters,
        facets=facet_rows,
        labels=labels,
        with_args=with_args,
        active_nav="Browse",
    )
    return Response(html, mimetype="text/html")


@bp.route("/class/<name>", endpoint="class_page")
def class_page(name: str) -> Response:
    if not name.isidentifier():
        raise NotFound(f"There is no class {name!r} in the ontology.")
    cls = URIRef(str(ONTOLOGY) + name)
    if not current_state().graph.query("ASK { ?s a ?c }", bindings={"c": cls}).boolean:
        known = [
            {"label": f"dg:{c}", "url": urls.class_url(c)}
            for c, _ in _classes()
            if name.lower() in c.lower() or c.lower() in name.lower()
        ]
        return render_error(404, f"No resource has the class dg:{name}.", suggestions=known)
    return _listing(cls, f"dg:{name}")


@bp.route("/list", endpoint="listing")
def listing() -> Response:
    return _listing(None, "Resources")


def _classes() -> list[tuple[str, int]]:
    rows = (
        current_state()
        .graph.query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "
            f'"{ONTOLOGY}")) }} GROUP BY ?c ORDER BY DESC(?n) ?c'
        )
        .rows
    )
    return [(str(c)[len(str(ONTOLOGY)) :], int(n)) for c, n in rows]  # type: ignore[call-overload]


@bp.route("/browse", endpoint="index")
def index() -> str:
    return render_template("browse.html", classes=_classes(), active_nav="Browse")
