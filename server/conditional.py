"""Conditional responses: one ETag per representation, 304 for a matching ``If-None-Match``.

Every tag is a :func:`~diplograph.server.context.state_key` (the server process, the store
generation and what was asked), the same recipe as the keys of the result cache. Used by
``/sparql``, the named-query pages, the linked-data pages and documents, the exports and VoID.
"""

from __future__ import annotations

from flask import Response, request

from diplograph.server.context import answered_key, current_state, state_key


def request_key(*extra: object) -> str:
    """The ETag of the current request: its path and query string, its ``Accept`` and
    ``extra``, at the store's current generation."""
    return state_key(request.full_path, request.headers.get("Accept", ""), *extra)


def cache_control() -> str:
    """``Cache-Control`` for a response that depends on the store (setting ``cache_max_age``)."""
    age = int(current_state().settings.get("cache_max_age") or 0)
    return f"public, max-age={age}" if age > 0 else "no-cache"


def not_modified(tag: str, *, vary: bool = False) -> Response | None:
    """A 304 when the request's ``If-None-Match`` holds ``tag``, else None: checked before any
    work is done."""
    if request.method in ("GET", "HEAD") and request.if_none_match.contains(tag):
        return conditional(Response(status=304), tag, vary=vary)
    return None


def conditional(response: Response, tag: str | None = None, *, vary: bool = False) -> Response:
    """Give ``response`` its ETag (``tag``, else :func:`request_key`, at the generation the
    answer was computed at: :func:`~.context.answered_key`), ``Cache-Control`` and, with
    ``vary``, ``Vary: Accept``; a 200 becomes a 304 in place when ``If-None-Match`` matches."""
    final = answered_key(tag or request_key())
    if final is not None:  # None: the answer straddles a write (no tag fits it)
        response.set_etag(final)
    response.headers["Cache-Control"] = cache_control()
    if vary:
        response.vary.add("Accept")
    if response.status_code == 200:
        response.make_conditional(request)
    return response
