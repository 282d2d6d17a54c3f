"""Content negotiation for the server: which format to answer in. The one home of it.

Every ``Accept`` header is read by :func:`diplograph.formats.best_media` (q-values, wildcards),
through :func:`diplograph.formats.negotiate` for the format table (406 when nothing fits), and an
explicit ``?format=`` by :func:`diplograph.formats.get` (``json``, ``xml``, ``csv``, ``tsv``,
``turtle``/``ttl``, ``ntriples``/``nt``, ``rdfxml``, ``jsonld``, ``trig``, ``nquads`` …; also a
media type). Here: the format of a query result (:func:`choose_format`), of a linked-data
document (:func:`negotiate_document`), of a page's representations (:func:`choose_media`), and
whether a browser is asking (:func:`prefers_html`, also for error pages).

>>> choose_format("ASK", "application/sparql-results+json;q=0.5, application/sparql-results+xml",
...               None).key
'xml'
>>> choose_format("CONSTRUCT", None, "nt").media_type
'application/n-triples'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from flask import request

from diplograph import formats
from diplograph.errors import UnsupportedFormat

#: Compact JSON of a resource (:mod:`.linked_json`): only when ``application/json`` is named.
JSON_MEDIA = "application/json"


def result_kinds(form: str) -> tuple[formats.Kind, ...]:
    """The format kinds a query form can be answered in."""
    return ("graph", "dataset") if form in ("CONSTRUCT", "DESCRIBE") else ("results",)


def _explicit(fmt: str | formats.Format, kinds: tuple[formats.Kind, ...]) -> formats.Format:
    if isinstance(fmt, formats.Format):
        if fmt.kind not in kinds:
            formats.get(fmt.key, kinds=kinds)  # raises, listing the choices
        return fmt
    return formats.requested(fmt, kinds=kinds)


def choose_format(
    form: str, accept: str | None, fmt: str | formats.Format | None
) -> formats.Format:
    """The format to answer a query of ``form`` in: ``fmt`` if given, else by ``accept``.

    Raises :class:`~diplograph.errors.UnsupportedFormat` (406) when nothing fits. An ASK in
    CSV/TSV (which define no boolean form) is the bare word ``true`` or ``false``, as Oxigraph
    writes it, and only when CSV/TSV is asked for by name (``?format=csv`` or the media type
    itself in ``Accept``); reached by a wildcard, an ASK is answered in JSON. The choice for a
    short ``Accept`` and a named ``fmt`` is kept (:func:`_remembered`: the same header each time).
    """
    if isinstance(fmt, formats.Format) or (accept is not None and len(accept) > _KEPT_ACCEPT):
        return _choose(form, accept, fmt)
    return _remembered(form, accept, fmt or None)


#: the longest ``Accept`` whose choice is kept (browsers and SPARQL clients send far shorter)
_KEPT_ACCEPT = 512


@functools.lru_cache(maxsize=256)
def _remembered(form: str, accept: str | None, fmt: str | None) -> formats.Format:
    return _choose(form, accept, fmt)


def _choose(form: str, accept: str | None, fmt: str | formats.Format | None) -> formats.Format:
    kinds = result_kinds(form)
    if fmt:
        return _explicit(fmt, kinds)
    default = "turtle" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    chosen = formats.negotiate(accept, kinds=kinds, default=default)
    if form == "ASK" and chosen.key in ("csv", "tsv"):
        named = formats.quality(accept or "", chosen.media_type)
        if named is None or named[1] < 3:
            chosen = formats.get("json")
    return chosen


def content_type(fmt: formats.Format) -> str:
    """The Content-Type header value for a format (charset on textual types)."""
    return f"{fmt.media_type}; charset=utf-8" if fmt.text else fmt.media_type


def format_param() -> str | None:
    """The ``?format=`` (or ``output=``, as some clients send) of the current request."""
    return request.args.get("format") or request.args.get("output") or None


def prefers_html() -> bool:
    """True when a browser asks (``text/html`` preferred over every RDF/results type)."""
    accept = request.headers.get("Accept", "")
    if "text/html" not in accept:
        return False
    try:
        return formats.negotiate(accept, kinds=("page", "graph", "results")).kind == "page"
    except UnsupportedFormat:
        return False


def negotiate_document(accept: str | None, *, page: bool) -> str:
    """The format key to answer ``accept`` with for a resource: ``html`` (when ``page``), an RDF
    format, or ``json`` (compact JSON, only when ``application/json`` is named exactly and liked
    at least as well as the best RDF format). Raises 406."""
    kinds: tuple[formats.Kind, ...] = ("page", "graph") if page else ("graph",)
    named_json = formats.quality(accept or "", JSON_MEDIA)
    json_q = named_json[0] if named_json is not None and named_json[1] == 3 else 0.0
    try:
        chosen = formats.negotiate(accept, kinds=kinds, default="html" if page else "turtle")
    except UnsupportedFormat:
        if json_q > 0:
            return "json"
        raise
    if json_q > 0:
        rival = max((formats.quality(accept or "", m) or (0.0, 0, 0)) for m in chosen.media_types)
        if json_q > rival[0] or (json_q == rival[0] and rival[1] < 3):
            return "json"
    return chosen.key


def choose_media(offered: Sequence[str]) -> str:
    """The media type of ``offered`` the request's ``Accept`` likes best (the first when it says
    nothing). Raises :class:`~diplograph.errors.UnsupportedFormat` (406) when none fits."""
    accept = request.headers.get("Accept")
    best = formats.best_media(accept, offered)
    if best is None:
        raise UnsupportedFormat(
            f"None of the requested media types ({accept}) is available; "
            "this page is offered as: " + ", ".join(offered) + "."
        )
    return best
