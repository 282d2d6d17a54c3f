"""The one error renderer of the server.

Every error leaves the app through :func:`render_error`: a JSON body ``{"error": message,
"status": code}`` for API clients, the styled ``error.html`` page for browsers (an ``Accept`` that
prefers ``text/html``: :func:`~diplograph.server.negotiation.prefers_html`). Our own
:class:`~diplograph.errors.DiplographError`s keep their ``http_status`` and message; Werkzeug's
HTTP errors (404, 405, 413, 415 …) keep theirs; anything else is a bug: logged with its traceback
and answered with a plain 500, never a 400.

The few errors the WSGI server answers itself, before the app sees a request (413 for a body over
``max_body``, 431 for headers too large, 400 for a request it cannot read), get the same JSON body:
:func:`json_http_layer_errors` makes ``diplograph serve``'s waitress server render them so.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError

from diplograph.errors import DiplographError
from diplograph.server.negotiation import prefers_html

log = logging.getLogger("diplograph.server")

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    431: "Request headers too large",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def render_error(
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    suggestions: list[dict[str, str]] | None = None,
) -> Response:
    """An error response in the form the client wants. ``suggestions`` (``{"label", "url"}``
    each, e.g. resources with a similar label on a 404) are listed on the page and in the JSON."""
    response: Response
    if prefers_html():
        try:
            html = render_template(
                "error.html",
                status=status,
                error=message,
                title=TITLES.get(status),
                suggestions=suggestions,
            )
        except TemplateNotFound:  # pragma: no cover - the template ships with the package
            html = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
        response = Response(html, status=status, mimetype="text/html")
    else:
        body: dict[str, object] = {"error": message, "status": status}
        if suggestions:
            body["suggestions"] = suggestions
        response = jsonify(body)
        response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_message(exc: HTTPException) -> str:
    if exc.code == 413:
        return "The request body is larger than this server accepts (setting max_body)."
    if exc.code == 405:
        allowed = ", ".join(getattr(exc, "valid_methods", None) or [])
        return f"The method {request.method} is not allowed on {request.path}" + (
            f"; use {allowed}." if allowed else "."
        )
    if exc.code == 404:
        return f"Nothing is served at {request.path}."
    return exc.description or exc.name


def register(app: Flask) -> None:
    """Install the renderer for our errors, HTTP errors and bugs on ``app``."""

    @app.errorhandler(DiplographError)
    def _ours(exc: DiplographError) -> Response:
        status = exc.http_status
        if status >= 500:
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.path, exc)
        headers = dict(getattr(exc, "headers", None) or {})
        return render_error(status, str(exc), headers)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        if isinstance(exc, InternalServerError) and exc.original_exception is not None:
            return _bug(exc.original_exception)
        headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "www-authenticate")}
        return render_error(exc.code or 500, _http_message(exc), headers)

    @app.errorhandler(Exception)
    def _bug(exc: BaseException) -> Response:
        log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=exc)
        return render_error(
            500, "An internal error occurred; it has been logged. Please report it if it persists."
        )


def json_http_layer_errors(server: Any) -> None:
    """Make a waitress ``server`` (as :func:`waitress.create_server` returns it, one socket or
    several) answer the requests it refuses itself with the JSON body of :func:`render_error`
    (``{"error", "status"}``), closing the connection as waitress does, instead of its
    plain text."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class JsonErrorTask(ErrorTask):
        def execute(self) -> None:
            e = self.request.error
            message = (
                "The request body is larger than this server accepts (setting max_body)."
                if e.code == 413
                else f"{e.reason}: {e.body}."
            )
            body = json.dumps({"error": message, "status": e.code}).encode()
            self.status = f"{e.code} {e.reason}"
            self.response_headers.append(("Content-Type", "application/json"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JsonErrorChannel(HTTPChannel):
        error_task_class = JsonErrorTask

    listeners = getattr(server, "map", None) or getattr(server, "_map", None) or {}
    for listener in list(listeners.values()):
        if hasattr(listener, "channel_class"):  # not waitress's trigger, also in the map
            listener.channel_class = JsonErrorChannel
