"""``/search?q=``: entities by name, from the search index (:mod:`diplograph.graph.search`).

One resource, two forms: an HTML page (the header's search box submits to it) and its JSON twin,
chosen by ``Accept`` (``application/json``) or ``?format=json`` through :mod:`.negotiation`.
Parameters: ``q`` (the text), ``kind`` (repeatable: only these kinds, e.g. ``person``) and
``limit`` (1-100, default 20). The index is built (and rebuilt after a write) from the store
through the guarded executor (:func:`~diplograph.server.guarded_graph.export_graph`: one
uncapped query of all names, under the ``query_timeout``); the lookups themselves are SQLite's.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from diplograph.errors import QueryParameterError
from diplograph.graph.search import Hit, search
from diplograph.server import urls
from diplograph.server.context import current_state
from diplograph.server.guarded_graph import export_graph
from diplograph.server.negotiation import JSON_MEDIA, choose_media, format_param

bp = Blueprint("search", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def find(text: str, *, limit: int = DEFAULT_LIMIT, kinds: list[str] | None = None) -> list[Hit]:
    """The hits for ``text`` in the app's store (the index kept per store object)."""
    return search(export_graph(), text, limit=limit, kinds=kinds, key=current_state().graph)


def _limit() -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise QueryParameterError(f"limit: {raw!r} is not a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


@bp.get("/search")
def search_page() -> Response:
    text = request.args.get("q", "").strip()
    kinds = [k for k in request.args.getlist("kind") if k] or None
    limit = _limit()
    wanted = format_param()
    if wanted not in (None, "json", "html"):
        raise QueryParameterError(f"format: {wanted!r} is not offered here; use json or html.")
    media = JSON_MEDIA if wanted == "json" else "text/html" if wanted == "html" else None
    media = media or choose_media(("text/html", JSON_MEDIA))
    hits = find(text, limit=limit, kinds=kinds) if text else []
    rows = [{**hit.to_dict(), "url": urls.resource_url(hit.iri)} for hit in hits]
    if media == JSON_MEDIA:
        resp = jsonify({"q": text, "kinds": kinds, "limit": limit, "hits": rows})
    else:
        html = render_template("search.html", q=text, kinds=kinds, hits=rows)
        resp = Response(html, mimetype="text/html")
    resp.headers["Vary"] = "Accept"
    return resp
