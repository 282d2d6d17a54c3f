"""HTTP for the remote SPARQL store (:mod:`.remote`): reading a ``sparql+http(s)://`` store URL
into the query URL, options and credentials, sending one request with the errors a user can act
on, and reading a graph the server sends.

Store URL (see docs/stores.md)::

    sparql+http[s]://[USER:PASSWORD@]HOST[:PORT]/QUERY-PATH[?OPTIONS]

Options, removed from the query URL before use (anything else is kept and sent on):

- ``update=PATH|URL``: the SPARQL Update endpoint (default: the query URL itself, as on Fuseki's
  dataset URL, Virtuoso's and Neptune's ``/sparql``);
- ``gsp=PATH|URL``: a SPARQL 1.1 Graph Store Protocol endpoint, used to load large graphs;
- ``union=auto|param|native|list``: how the default graph becomes the union of the named graphs:
  ``param`` sends Oxigraph's ``union-default-graph`` parameter, ``native`` trusts the server
  (Fuseki with ``tdb2:unionDefaultGraph true``, Virtuoso, GraphDB, Neptune), ``list`` names every
  named graph as a ``default-graph-uri`` (works everywhere, costs one listing per query);
  ``auto`` (default) picks ``param`` for an Oxigraph server, else ``native``;
- ``timeout=SECONDS`` for each query request (default 60); writes (updates, Graph Store
  Protocol PUTs) may take up to :data:`.remote.WRITE_TIMEOUT` or ``timeout``, whichever is longer;
- ``graphs=PREFIX[,PREFIX]``: on a shared server, only named graphs whose IRI starts with one of
  these belong to diplograph (listing, counts, and the union with ``union=list``).

Credentials: ``USER:PASSWORD@`` in the URL is sent as HTTP Basic; else the ``store_token``
setting (``$DIPLOGRAPH_STORE_TOKEN``, :mod:`diplograph.settings`) is sent as a bearer token.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from diplograph import formats, settings
from diplograph.errors import QueryError, StoreError
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Triple

_NT = "application/n-triples"


def url_options(url: str, *, token: str | None = None) -> dict[str, Any]:
    """The keyword arguments of :class:`~.remote.RemoteGraph` that a store URL gives (see
    :mod:`.remote`); ``token`` None means the ``store_token`` setting."""
    parts = urllib.parse.urlsplit(url[len("sparql+") :])
    if not parts.hostname:
        raise StoreError(f"The store URL {url!r} has no host.")
    options = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    known = {
        k: options.pop(k) for k in ("update", "gsp", "union", "timeout", "graphs") if k in options
    }
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    query_url = urllib.parse.urlunsplit(
        (parts.scheme, netloc, parts.path or "/", urllib.parse.urlencode(options), "")
    )
    try:
        timeout = float(known.get("timeout", 60))
    except ValueError as exc:
        raise StoreError(f"timeout={known['timeout']!r} in the store URL is not a number.") from exc

    def resolve(ref: str | None) -> str | None:
        return urllib.parse.urljoin(query_url, ref) if ref else None

    return {
        "query_url": query_url,
        "update_url": resolve(known.get("update")),
        "gsp_url": resolve(known.get("gsp")),
        "union": known.get("union", "auto"),
        "graphs": [p for p in known.get("graphs", "").split(",") if p],
        "auth": _auth(parts, token),
        "timeout": timeout,
        "label": f"sparql+{query_url}",  # credentials never appear in messages
    }


def _auth(parts: urllib.parse.SplitResult, token: str | None) -> str | None:
    """The Authorization header: HTTP Basic from the URL, else the bearer token setting."""
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    token = settings.value("store_token", token)
    return f"Bearer {token}" if token else None


def request(
    url: str,
    *,
    data: bytes | None,
    method: str,
    headers: Mapping[str, str] | None,
    auth: str | None,
    timeout: float,
    write: bool = False,
) -> tuple[bytes, Any]:
    """Send one request; the body and headers of the answer, or a :class:`StoreError` (a
    :class:`QueryError` for HTTP 400) that says what to do."""
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if auth:
        req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read(), resp.headers
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()[:500]
        if exc.code in (401, 403):
            raise StoreError(
                f"The SPARQL server at {url} refused access (HTTP {exc.code}): "
                "check the credentials in the store URL or "
                f"the store_token setting (${settings.BY_NAME['store_token'].env})."
            ) from exc
        if exc.code == 400:
            raise QueryError(f"The SPARQL server rejected the request: {body}") from exc
        raise StoreError(f"The SPARQL server at {url} answered HTTP {exc.code}: {body}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if write and isinstance(reason, TimeoutError):
            raise StoreError(
                f"The SPARQL server at {url} did not confirm the write within {timeout:.0f} s;"
                " it may still apply it (as a whole or not at all)."
            ) from exc
        raise StoreError(f"Cannot reach the SPARQL server at {url}: {reason}.") from exc


def parse_graph(body: bytes, ctype: str) -> list[Triple]:
    """The triples of a graph the server sent as ``ctype``."""
    try:
        fmt = formats.negotiate(ctype or _NT, kinds=("graph",))
    except Exception as exc:
        raise StoreError(
            f"The SPARQL server sent a graph as {ctype!r}, which diplograph cannot read."
        ) from exc
    try:
        parsed = ox.parse(body, getattr(ox.RdfFormat, fmt.oxigraph or "N_TRIPLES"))
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in parsed]
    except SyntaxError as exc:
        raise StoreError(f"The SPARQL server sent an unreadable graph: {exc}") from exc
