"""Admission: a request the server cannot serve soon is refused at once, never queued blindly.

Three gates, each answering 503 with ``Retry-After`` and a JSON body (:mod:`.errors`):

- request threads (this module): ``diplograph serve`` runs ``threads`` request threads; at most
  ``threads - reserved_threads`` requests other than the cheap ones (:data:`CHEAP_PREFIXES`:
  ``/-/health.json`` and the other ``/-/`` pages, static files) run at once. One more is refused
  as soon as it arrives, without waiting, so it frees its thread in microseconds and the reserved
  threads always find health checks to answer;
- network exports (this module): at most ``export_slots`` of those requests draw a network view
  (:data:`EXPORT_PREFIXES`), the heaviest pages (every node and edge of a view, serialised in the
  server process), so that clients asking for exports back to back never take every slot;
- query workers (:meth:`.pool.WorkerPool.run`): a query waits at most ``queue_wait`` seconds for
  an idle worker, then gets 503 (not after ``query_timeout``).

A request whose client hangs up is stopped: ``diplograph serve`` asks waitress to keep reading
the connection while a request runs (``channel_request_lookahead``), and this middleware hands
waitress's ``waitress.client_disconnected`` to the pool (:data:`.pool.CLIENT_GONE`), which looks
at it while the query waits for a worker or runs, and kills the worker of a query nobody waits
for any more (it is replaced at once).

:func:`install` wraps a Flask app's WSGI callable; ``diplograph serve`` installs it (the test
client, which has no thread pool, runs without it). The counts are shown by ``/-/health.json``
(``requests``, ``exports``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from flask import Flask

from diplograph.server.context import EXTENSION
from diplograph.server.errors import render_error
from diplograph.server.pool import CLIENT_GONE

#: Paths that never wait for a slot: answered from memory, no store query.
CHEAP_PREFIXES: tuple[str, ...] = ("/-/", "/static/", "/favicon.ico")

#: Paths of the heaviest pages: whole network views, queried and serialised per request.
EXPORT_PREFIXES: tuple[str, ...] = ("/export/",)

#: Seconds a refused client is asked to wait before trying again.
RETRY_AFTER = "5"


class Gate:
    """At most ``capacity`` requests of one kind at once, with counts for ``/-/health.json``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(capacity, 1)
        self.running = 0
        self.refused = 0
        self._lock = threading.Lock()

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {"running": self.running, "capacity": self.capacity, "refused": self.refused}

    def enter(self) -> bool:
        with self._lock:
            if self.running >= self.capacity:
                self.refused += 1
                return False
            self.running += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.running -= 1


class Admission:
    """WSGI middleware: at most ``capacity`` requests outside :data:`CHEAP_PREFIXES` at once
    (:attr:`requests`), of which at most ``exports`` network exports (:attr:`exports`,
    :data:`EXPORT_PREFIXES`), so that the heaviest pages never take every slot."""

    def __init__(self, app: Flask, capacity: int, exports: int) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.requests = Gate(capacity)
        self.exports = Gate(min(exports, capacity))

    def snapshot(self) -> dict[str, int]:
        """The request counts for ``/-/health.json``."""
        return self.requests.snapshot()

    def _refuse(self, environ: dict[str, Any], start_response: Any, why: str) -> Iterable[bytes]:
        with self.app.request_context(environ):
            response = render_error(
                503, f"{why}; try again in {RETRY_AFTER} s.", {"Retry-After": RETRY_AFTER}
            )
        return response(environ, start_response)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith(CHEAP_PREFIXES):
            return self.wsgi_app(environ, start_response)
        export = path.startswith(EXPORT_PREFIXES)
        if export and not self.exports.enter():
            why = (
                f"The server is drawing {self.exports.capacity} network exports already "
                "(setting export_slots)"
            )
            return self._refuse(environ, start_response, why)
        if not self.requests.enter():
            if export:
                self.exports.leave()
            why = f"The server is answering {self.requests.capacity} requests already"
            return self._refuse(environ, start_response, why)
        # the app builds every body completely before returning (no streamed responses), so
        # the slot is free once it returns: a client that reads the answer and asks again at
        # once never finds its own finished request still counted
        gone = CLIENT_GONE.set(environ.get("waitress.client_disconnected"))
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            CLIENT_GONE.reset(gone)
            self.requests.leave()
            if export:
                self.exports.leave()


def install(app: Flask, *, threads: int, reserved: int, exports: int) -> Admission:
    """Wrap ``app`` so that ``reserved`` of its ``threads`` (at most half) stay free for the
    cheap routes and at most ``exports`` of the others draw network exports."""
    admission = Admission(app, threads - min(max(reserved, 0), threads // 2), exports)
    app.wsgi_app = admission  # type: ignore[method-assign]
    app.extensions[EXTENSION].admission = admission
    return admission
