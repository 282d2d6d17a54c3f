"""The application factory: one Flask app per call, one blueprint per concern.

>>> app = create_app({"store": "memory:", "workers": 0})
>>> app.test_client().get("/sparql?query=ASK{}").json["boolean"]
True
>>> app.extensions["diplograph"].close()

``create_app(config)`` resolves the settings (:mod:`diplograph.settings`), opens the graph once
(or takes an open one as ``config["graph"]``, which the app then does not close), starts the
query workers, installs the error renderer, the URL helpers of the templates (:mod:`.urls`) and
CORS, and registers every blueprint of :data:`BLUEPRINTS`. Other keys of ``config``
(``TESTING`` …) go to Flask's config.
"""

from __future__ import annotations

import atexit
import logging
import os
import weakref
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, Response, request

from diplograph import settings as settings_mod
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server import (
    complete,
    errors,
    export,
    extract,
    local_writes,
    meta,
    ontology_docs,
    queries_api,
    resource_lists,
    resources,
    search,
    sparql,
    store_protocol,
    ui,
    urls,
)
from diplograph.server.context import EXTENSION, TRUNCATED_HEADER, ResultCache, ServerState
from diplograph.server.execution import InlineExecutor
from diplograph.server.fastpath import FastPath
from diplograph.server.pool import make_executor

#: The blueprints, registered in this order. Append yours (imported above).
BLUEPRINTS: tuple[Blueprint, ...] = (
    sparql.bp,
    meta.bp,
    ui.bp,
    queries_api.bp,
    export.bp,
    resources.bp,
    resource_lists.bp,
    ontology_docs.bp,
    store_protocol.bp,
    search.bp,
    extract.bp,
    local_writes.bp,
    complete.bp,
)

#: Path prefixes that get CORS headers (read-only endpoints; never /update).
CORS_PREFIXES: tuple[str, ...] = (
    "/sparql",
    "/store",
    "/dump.nq",
    "/queries",
    "/.well-known/",
    "/-/",
    # linked data (server/resources.py, server/ontology_docs.py): IRIs, documents, context
    "/id/",
    "/data/",
    "/graph/",
    "/context.jsonld",
    "/ontology",
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A configured Flask app serving the graph (see the module docstring)."""
    values = settings_mod.resolve(config)  # resolved once: Resolved settings pass through
    config = dict(config or {})
    app = Flask(__name__)
    app.config.update(
        {k: v for k, v in config.items() if k not in settings_mod.BY_NAME and k != "graph"}
    )
    app.config["MAX_CONTENT_LENGTH"] = values["max_body"]
    app.config.setdefault("JSON_SORT_KEYS", False)
    logging.getLogger("diplograph").setLevel(values["log_level"].upper())

    given: DiploGraph | None = config.get("graph")
    graph = given if given is not None else open_graph(values["store"], token=values["store_token"])
    executor = make_executor(
        graph,
        workers=values["workers"],
        worker_memory=values["worker_memory"],
        long_query=values["long_query"],
        spare_workers=values["spare_workers"],
        queue_wait=values["queue_wait"],
        spare_idle=values["spare_idle"],
        network=bool(values["service_allowlist"]),
    )
    state = ServerState(
        graph=graph,
        settings=values,
        executor=executor,
        cache=ResultCache(values["result_cache"] * 1024 * 1024),
        owns_graph=given is None,
        boot_id=os.urandom(4).hex(),
        fast=_fast_path(values, graph, executor),
    )
    app.extensions[EXTENSION] = state
    _close_at_exit(state)

    errors.register(app)
    urls.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.after_request
    def _headers(response: Response) -> Response:
        if values["cors"] and request.path.startswith(CORS_PREFIXES):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = f"ETag, {TRUNCATED_HEADER}"
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = (
                    "Accept, Content-Type, If-None-Match"
                )
                response.headers["Access-Control-Max-Age"] = "86400"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _fast_path(values: Mapping[str, Any], graph: DiploGraph, executor: Any) -> FastPath | None:
    """The in-process fast path (:mod:`.fastpath`): for an embedded store served by query
    workers (with ``workers = 0`` every query already runs in process), unless turned off."""
    if not values["fast_path"] or not isinstance(graph, OxigraphGraph):
        return None
    if isinstance(executor, InlineExecutor):
        return None
    seconds = min(values["long_query"] or 0.25, values["query_timeout"])
    return FastPath(graph, budget=values["fast_path_budget"], seconds=seconds)


_open_states: weakref.WeakSet[ServerState] = weakref.WeakSet()


def _close_at_exit(state: ServerState) -> None:
    _open_states.add(state)


@atexit.register
def _close_all() -> None:  # pragma: no cover - runs at interpreter exit
    for state in list(_open_states):
        state.close()
