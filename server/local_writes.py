"""Writes from the ``diplograph`` command on this machine: ``POST /local/<operation>``.

When ``diplograph serve`` holds an on-disk store, the command line cannot open it; it finds the
server through the store's discovery file (:mod:`.discovery`) and posts its writing operation
here: ``{"args": {...}}`` with ``Authorization: Bearer <token of the discovery file>``. The
operation is one of :data:`diplograph.graph.load.writes.WRITES` (``ingest``, ``build``,
``drop``, ``link``, ``import``, ``accept``), run by the same function as a direct write, as the
server's single writer (:meth:`~diplograph.server.execution.Executor.write`): every check
before anything is written, all or nothing, and the query workers, the result cache and the
ETags move to the new store generation before the answer is sent.

The answer is ``{"result": ..., "generation": n, "store": URL, "pid": n}``; an error is
``{"error": message, "status": code, "kind": class name, "exit_code": n}`` plus ``"summary"``
and ``"problems"`` (location, message, record, field) for validation errors, so that the command
reports it exactly as a direct write would.

Only the token of this server run is accepted (never the update token), only from a loopback
address (or the address the server is bound to), since an operation names files that the server
reads: the route lets the user who started the server write through it, and nobody else.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from flask import Blueprint, Response, current_app, jsonify, request

from diplograph.errors import DiplographError, Unauthorized, UsageError, ValidationError
from diplograph.graph.load.writes import run_write, touched
from diplograph.server.context import current_state

bp = Blueprint("local", __name__)

#: The app config key holding this run's token (set by ``diplograph serve``; unset: no route).
TOKEN_KEY = "DIPLOGRAPH_LOCAL_TOKEN"


def _local_peer() -> bool:
    peer = request.remote_addr or ""
    try:
        if ipaddress.ip_address(peer.split("%")[0]).is_loopback:
            return True
    except ValueError:
        return False
    return peer == current_state().settings.get("host")


def _authorise() -> None:
    token = current_app.config.get(TOKEN_KEY)
    if not token:
        raise Unauthorized(
            "This server takes no local writes: only `diplograph serve` over an on-disk store "
            "with the setting local on accepts them.",
            403,
        )
    if not _local_peer():
        raise Unauthorized("Local writes are accepted from this machine only.", 403)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("Local writes need 'Authorization: Bearer <token>'.")
    if not hmac.compare_digest(given.strip().encode("utf-8"), str(token).encode("utf-8")):
        raise Unauthorized("The token is not this server's local write token.", 403)


@bp.post("/local/<name>", endpoint="write")
def write(name: str) -> Response:
    """Run one writing operation as the single writer and answer its result."""
    _authorise()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("args", {}), dict):
        raise UsageError('The body must be a JSON object {"args": {...}}.')
    state = current_state()
    result = state.executor.write(
        lambda graph: run_write(graph, name, body.get("args", {})),
        lambda done: touched(name, done),
    )
    return jsonify(
        {"result": result, "generation": state.generation, "store": state.graph.url,
         "pid": os.getpid()}
    )  # fmt: skip


@bp.errorhandler(DiplographError)
def _error(exc: DiplographError) -> Response:
    body: dict[str, object] = {
        "error": str(exc),
        "status": exc.http_status,
        "kind": type(exc).__name__,
        "exit_code": exc.exit_code,
    }
    if isinstance(exc, ValidationError):
        body["summary"] = str(exc).split("\n", 1)[0]
        body["problems"] = [
            {"location": p.location, "message": p.message, "record": p.record, "field": p.field}
            for p in exc.problems
        ]
    response = jsonify(body)
    response.status_code = exc.http_status
    for key, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[key] = value
    return response
