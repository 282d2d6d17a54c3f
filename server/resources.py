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
- ``GET /context.jsonld``: the JSON-LD context of compact JSON (:mod:`.linked_json`).

Class pages, filtered lists and the browse page are in :mod:`.resource_lists`; the ontology
docs in :mod:`.ontology_docs`.

Every page and document carries ``Link: <…>; rel="alternate"; type="…"`` headers to the other
representations. Paths with ``.``/``..`` segments, empty segments or encoded slashes cannot
leave the IRI space (404, 400). An unknown resource is a 404 page suggesting resources with a
similar label. Descriptions come from :mod:`diplograph.graph.describe`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from rdflib import URIRef

from diplograph import formats
from diplograph.errors import BadPath, NotFound
from diplograph.graph import describe as desc
from diplograph.graph.describe.history import Spell, timeline
from diplograph.graph.network import neighbourhood
from diplograph.graph.search import suggest
from diplograph.iri import GRAPH, ONTOLOGY
from diplograph.server import linked_json, urls
from diplograph.server.conditional import conditional
from diplograph.server.context import current_state
from diplograph.server.errors import render_error
from diplograph.server.guarded_graph import export_graph, page_graph
from diplograph.server.negotiation import JSON_MEDIA, content_type, negotiate_document

bp = Blueprint("resources", __name__)

#: RDF formats a data document is offered in (the ``Link`` alternates), by format key.
DOCUMENT_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "jsonld", "rdfxml")
PAGE_SIZE = 50


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


def _exists(path: str) -> bool:
    return desc.exists(page_graph(), URIRef(urls.data_iri(path)))


def _not_found(path: str) -> Response:
    found = suggest(export_graph(), path, key=current_state().graph)
    suggestions = [{"label": hit.label, "url": urls.resource_url(hit.iri)} for hit in found]
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
        key = negotiate_document(request.headers.get("Accept"), page=True)
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
    d = desc.describe(page_graph(), iri)
    if d is None:
        return _not_found(path)
    page_abs = urls.public_base() + urls.page_url(str(iri))
    first, last, bars = timeline(d.history)
    html = render_template(
        "resource.html",
        d=d,
        timeline={"first": first, "last": last, "bars": bars},
        active_nav="Browse",
        jsonld=linked_json.script_json(linked_json.schema_org(d, page_abs)),
        alternates=[
            (formats.get(k).label, urls.data_url(str(iri), formats.get(k).suffix))
            for k in DOCUMENT_FORMATS
        ]
        + [("JSON", urls.data_url(str(iri), ".json"))],
        sparql=f"SELECT ?p ?o ?g WHERE {{\n  GRAPH ?g {{ <{iri}> ?p ?o }}\n}}\nORDER BY ?p ?o",
        graph_page=url_for("export.graph", focus=str(iri)),
        ontology=str(ONTOLOGY),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Link"] = _links(str(iri))
    return conditional(response)


@bp.app_template_global()
def history_rows(spells: list[Spell], labels: Mapping[Any, str]) -> Markup:
    """The rows of a page's history table (what each spell says, its source's named graph),
    written in Python rather than in the template: Russia's page has 300 of them."""

    def esc(text: object) -> str:
        return str(escape(text))

    rows = []
    for s in spells:
        role = urls.term(s.role, labels) if s.role else ""
        if s.start:
            start = esc(s.start)
        elif s.observed:
            start = f"held on {esc(s.observed)}"
        else:
            start = '<span class="unknown">not recorded</span>'
        if s.end:
            end = esc(s.end)
        elif s.observed and not s.start:
            end = ""
        elif s.known_until:
            until = esc(s.known_until[:4])
            end = f'<span class="as-of">open — as of the data\'s end in {until}</span>'
        elif s.start:
            end = '<span class="as-of">open (the source gives no end)</span>'
        else:
            end = '<span class="unknown">not recorded</span>'
        graph = f'<span title="{esc(s.graph)}">{esc(urls.curie(s.graph))}</span>' if s.graph else ""
        rows.append(
            f"\n    <tr><td>{esc(s.kind)}</td><td>{urls.term(s.other, labels)}</td>"
            f"<td>{role}</td>\n      <td>{start}</td>\n      <td>{end}</td>\n"
            f'      <td class="graph">{graph}</td></tr>\n    '
        )
    return Markup("".join(rows))


@bp.route("/graph/<path:path>", endpoint="named_graph")
def named_graph(path: str) -> ResponseReturnValue:
    """A named graph (a source) as the metadata graph describes it: title, citation, licence,
    origin, counts. One URL with ``Vary: Accept``: the page, or its description in RDF."""
    _check_path(path)
    iri = URIRef(str(GRAPH) + path)
    graph = page_graph()
    fmt_param = request.args.get("format")
    key = (
        formats.get(fmt_param, kinds=("graph", "page")).key
        if fmt_param
        else negotiate_document(request.headers.get("Accept"), page=True)
    )
    d = desc.describe(graph, iri)
    if d is None:
        return _not_found_graph(path)
    if key == "html":
        html = render_template(
            "resource.html",
            d=d,
            active_nav="Browse",
            jsonld=linked_json.script_json(linked_json.schema_org(d, request.base_url)),
            alternates=[
                (formats.get(k).label, f"{request.path}?format={k}") for k in DOCUMENT_FORMATS
            ],
            sparql=f"SELECT ?s ?p ?o WHERE {{\n  GRAPH <{iri}> {{ ?s ?p ?o }}\n}}\nLIMIT 100",
            graph_page=None,
            ontology=str(ONTOLOGY),
        )
        response = Response(html, mimetype="text/html")
    else:
        fmt = formats.get("turtle" if key == "json" else key)
        body = desc.document(graph, iri).serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
        response = Response(body, headers={"Content-Type": content_type(fmt)})
    response.headers["Vary"] = "Accept"
    return conditional(response)


def _not_found_graph(path: str) -> Response:
    names = [str(g)[len(str(GRAPH)) :] for g in page_graph().named_graphs()]
    words = set(path.replace("/", "-").split("-"))
    close = [n for n in names if words & set(n.replace("/", "-").split("-"))][:8]
    suggestions = [{"label": n, "url": urls.resource_url(str(GRAPH) + n)} for n in close]
    return render_error(404, f"There is no named graph {GRAPH}{path}.", suggestions=suggestions)


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
        key = negotiate_document(request.headers.get("Accept"), page=False)
    if not _exists(stem):
        return _not_found(stem)
    iri = URIRef(urls.data_iri(stem))
    g = desc.document(page_graph(), iri)
    if key == "json":
        import json

        data = linked_json.compact_json(g, urls.public_base() + url_for("resources.context_jsonld"))
        response = Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=JSON_MEDIA)
    else:
        fmt = formats.get(key)
        body = g.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
        response = Response(body, headers={"Content-Type": content_type(fmt)})
    if negotiated:
        response.headers["Vary"] = "Accept"
        response.headers["Content-Location"] = urls.data_url(str(iri), _suffix_of(key))
    response.headers["Link"] = _links(str(iri))
    return conditional(response)


@bp.route("/picture/<path:path>", endpoint="picture")
def picture(path: str) -> ResponseReturnValue:
    """A small picture of the resource and its direct neighbours (Graphviz SVG)."""
    _check_path(path)
    if not path.endswith(".svg"):
        raise NotFound(f"Pictures are served as .svg: /picture/{path}.svg.")
    path = path[: -len(".svg")]
    d = desc.describe(page_graph(), URIRef(urls.data_iri(path)))
    if d is None:
        return _not_found(path)
    svg = neighbourhood.svg(d, short=urls.curie, kind_of=_kind)
    return conditional(Response(svg, headers={"Content-Type": "image/svg+xml; charset=utf-8"}))


def _kind(iri: str) -> str:
    return urls.data_path(iri).split("/")[0] if urls.is_data_iri(iri) else "other"


@bp.route("/context.jsonld", endpoint="context_jsonld")
def context_jsonld() -> Response:
    import json

    body = json.dumps({"@context": linked_json.context()}, indent=1)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
