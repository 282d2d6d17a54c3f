"""The SPARQL 1.1 Protocol: ``/sparql`` (query) and ``/update`` (update).

Implements https://www.w3.org/TR/sparql11-protocol/: query by GET, by URL-encoded POST and by
direct POST (§2.1); the protocol dataset ``default-graph-uri``/``named-graph-uri`` (§2.1.4);
update by URL-encoded or direct POST only, with ``using-graph-uri``/``using-named-graph-uri``
(§2.2). A GET with no query answers the Service Description (:mod:`.meta`).

Results are chosen by ``Accept`` or ``?format=`` (:mod:`.negotiation`), built completely before
the response starts (:mod:`.execution`), and carry an ETag made of the store generation and the
request, so a repeated request with ``If-None-Match`` costs a 304.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Sequence

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from diplograph.errors import QueryError, Unauthorized
from diplograph.server import fetch, guard, meta
from diplograph.server.conditional import conditional, not_modified
from diplograph.server.context import current_state, run_query, state_key
from diplograph.server.negotiation import format_param, prefers_html

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

#: The policy of every HTML page (issue 10, hazard 7): scripts, styles and connections only from
#: this server, nothing inline, no plugins, no framing. A page may set a stricter one itself.
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _one(params: MultiDict[str, str], name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise QueryError(f"The request has {len(values)} '{name}' parameters; send exactly one.")
    return values[0] if values else None


def _body_text(expected: str) -> str:
    """The body of a direct POST as text: UTF-8 only (Protocol §2.1.3, §2.2.2)."""
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise QueryError(f"The {expected} body must be UTF-8; got charset={charset}.")
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"The {expected} body is not valid UTF-8 (byte {exc.start}).") from None


def _unsupported(allowed: Sequence[str]) -> UnsupportedMediaType:
    given = request.mimetype or "none"
    return UnsupportedMediaType(
        f"A POST here must be {' or '.join(allowed)}; the Content-Type was {given}."
    )


def _graphs(
    params: MultiDict[str, str], default_name: str, named_name: str
) -> tuple[list[str] | None, list[str] | None]:
    default, named = params.getlist(default_name), params.getlist(named_name)
    if not default and not named:
        return None, None
    return default, named


@bp.after_app_request
def _html_policy(response: Response) -> Response:
    """Every HTML page of the app gets :data:`HTML_CSP` (unless it set its own)."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", HTML_CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@bp.route("/sparql", methods=["GET", "POST"], endpoint="query")
def query() -> Response:
    """The query operation (Protocol §2.1); HEAD answers as GET without the body."""
    if request.method in ("GET", "HEAD"):
        params = request.args
    elif request.mimetype == FORM:
        params = MultiDict([*request.args.items(multi=True), *request.form.items(multi=True)])
    elif request.mimetype == QUERY_TYPE:
        params = MultiDict([*request.args.items(multi=True), ("query", _body_text("query"))])
    else:
        raise _unsupported((FORM, QUERY_TYPE))
    text = _one(params, "query")
    if text is None:
        if "update" in params:
            raise QueryError("Updates go to /update by POST, not to /sparql.")
        if request.method in ("GET", "HEAD"):
            return _service_description()
        raise QueryError("The request has no 'query' parameter.")
    if "update" in params:
        raise QueryError("The request has both 'query' and 'update'; send one (updates: /update).")
    fmt = format_param()
    if request.method in ("GET", "HEAD") and fmt is None and prefers_html():
        # a browser following a link to a query: open it in the editor
        return redirect(url_for("ui.index", query=text), code=303)  # type: ignore[return-value]
    default_graphs, named_graphs = _graphs(params, "default-graph-uri", "named-graph-uri")
    accept = request.headers.get("Accept")
    tag = state_key(text, default_graphs, named_graphs, accept, fmt)
    cached = not_modified(tag, vary=True)
    if cached is not None:
        return cached
    body, _, headers = run_query(
        text,
        accept=accept,
        fmt=fmt,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base_iri=request.base_url,
    )
    return conditional(Response(body, status=200, headers=headers), tag, vary=True)


def _service_description() -> Response:
    if prefers_html():
        return redirect(url_for("ui.index"), code=303)  # type: ignore[return-value]
    return meta.service_description_response()


def authorise_update() -> None:
    """Refuse (401/403) a request without the update token: every write of the server."""
    token = current_state().settings.get("update_token")
    if not token:
        raise Unauthorized(
            "Updates are disabled on this server: it is read-only unless an "
            "update token is configured (setting update_token).",
            403,
        )
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("Updates need the header 'Authorization: Bearer <token>'.")
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise Unauthorized("The bearer token is not valid for updates.", 403)


@bp.route("/update", methods=["POST"], endpoint="update")
def update() -> Response:
    """The update operation (Protocol §2.2); only POST, only with the bearer token."""
    authorise_update()
    if request.mimetype == FORM:
        params = MultiDict([*request.args.items(multi=True), *request.form.items(multi=True)])
    elif request.mimetype == UPDATE_TYPE:
        params = MultiDict([*request.args.items(multi=True), ("update", _body_text("update"))])
    else:
        raise _unsupported((FORM, UPDATE_TYPE))
    text = _one(params, "update")
    if "query" in params:
        raise QueryError("The request has both 'update' and 'query'; send one (queries: /sparql).")
    if text is None:
        raise QueryError("The request has no 'update' parameter.")
    state = current_state()
    s = state.settings
    checked = guard.check_update(
        text,
        max_length=s["max_query_length"],
        max_nesting=s["max_nesting"],
        service_allowlist=s["service_allowlist"],
        load_allowlist=s["load_allowlist"],
        protected_graphs=s["protected_graphs"],
        base=request.base_url,
    )
    text = guard.apply_using(
        checked.text,
        checked,
        params.getlist("using-graph-uri"),
        params.getlist("using-named-graph-uri"),
    )
    # relative IRIs resolve against the endpoint (Protocol §2.2: a service-defined BASE);
    # on the same line so that error positions keep their line numbers. Evaluated in a worker
    # under update_timeout (only its changes are written here), and INSERT DATA / DELETE DATA
    # alone (nothing to evaluate) written at once: see Executor.update. The sources of LOAD
    # are fetched here first (workers have no network) and parsed in the worker: see .fetch
    text = f"BASE <{request.base_url}> {text}"
    with contextlib.ExitStack() as stack:
        steps = []
        if checked.loads:
            steps = stack.enter_context(
                fetch.steps(
                    text,
                    allowlist=s["load_allowlist"],
                    timeout=s["update_timeout"],
                    max_bytes=s["load_max_bytes"],
                )
            )
        if checked.loads and not steps:
            return Response(status=204, headers={"X-Diplograph-Generation": str(state.generation)})
        state.executor.update(  # a LOAD's own text never reaches an engine: only its steps
            text,
            targets=checked.written,
            timeout=s["update_timeout"],
            only_data=checked.only_data,
            steps=steps,
        )
    return Response(status=204, headers={"X-Diplograph-Generation": str(state.generation)})
