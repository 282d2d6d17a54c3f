"""Lists of resources: ``/class/<Name>`` (instances of ``dg:<Name>``), ``/list?p=…&o=…``
(resources with a property value: where a page's incoming-link counts lead) and ``/browse`` (the
classes with their counts).

Lists page by 50 (``?page=``) and are narrowed by facets: ``?p=<property IRI>&o=<value IRI>``,
repeatable (every pair must hold); the facets offered are the properties of the listed
resources with their most frequent values and counts (:func:`diplograph.graph.describe.facets`).
Their queries run through the guarded executor (:mod:`.guarded_graph`).
"""

from __future__ import annotations

import math
import re
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, render_template, request
from rdflib import URIRef
from rdflib.term import Node

from diplograph.errors import NotFound
from diplograph.graph import describe as desc
from diplograph.iri import ONTOLOGY
from diplograph.queries import labels_for
from diplograph.server import urls
from diplograph.server.errors import render_error
from diplograph.server.guarded_graph import page_graph
from diplograph.server.resources import BadPath

bp = Blueprint("lists", __name__)

PAGE_SIZE = 50
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def _filters() -> list[tuple[URIRef, Node]]:
    ps, os_ = request.args.getlist("p"), request.args.getlist("o")
    if len(ps) != len(os_):
        raise BadPath("Each filter needs a property p and a value o (?p=…&o=…).")
    for name, value in [("p", v) for v in ps] + [("o", v) for v in os_]:
        if not _IRI.match(value):
            raise BadPath(f"The filter {name}={value!r} is not an absolute IRI.")
    return [(URIRef(p), URIRef(o)) for p, o in zip(ps, os_, strict=True)]


def _listing(cls: URIRef | None, title: str) -> Response:
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise BadPath("The page number must be a whole number.") from None
    filters = _filters()
    graph = page_graph()
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

    if (request.args.get("format") or "").lower() == "json":
        return jsonify(
            {
                "title": title,
                "class": str(cls) if cls is not None else None,
                "filters": [{"p": str(p), "o": str(o)} for p, o in filters],
                "total": total,
                "page": number,
                "pages": pages,
                "items": [_item(s, labels) for s in items],
                "facets": _json_facets(facet_rows, labels),
            }
        )
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


def _json_facets(
    facet_rows: list[tuple[URIRef, list[tuple[URIRef, int]]]], labels: dict[URIRef, str]
) -> list[dict[str, object]]:
    return [
        {
            "property": _item(p, labels),
            "values": [{**_item(v, labels), "count": n} for v, n in values],
        }
        for p, values in facet_rows
    ]


def _item(iri: URIRef, labels: dict[URIRef, str]) -> dict[str, str]:
    out = {"iri": str(iri), "href": urls.resource_url(str(iri))}
    if iri in labels:
        out["label"] = labels[iri]
    return out


@bp.route("/class/<name>", endpoint="class_page")
def class_page(name: str) -> Response:
    if not name.isidentifier():
        raise NotFound(f"There is no class {name!r} in the ontology.")
    cls = URIRef(str(ONTOLOGY) + name)
    if not desc.has_instances(page_graph(), cls):
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
        page_graph()
        .query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "
            f'"{ONTOLOGY}")) }} GROUP BY ?c ORDER BY DESC(?n) ?c'
        )
        .rows
    )
    return [(str(c)[len(str(ONTOLOGY)) :], int(n)) for c, n in rows]  # type: ignore[call-overload]


@bp.route("/browse", endpoint="index")
def index() -> str:
    return render_template("browse.html", classes=_classes(), active_nav="Browse")
