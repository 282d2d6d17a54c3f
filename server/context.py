"""The server's state and the one way every route runs a query.

:func:`create_app <diplograph.server.app.create_app>` builds one :class:`ServerState` and keeps it
in ``app.extensions["diplograph"]``; views reach it with :func:`current_state`. Every query runs
through :func:`run_query`: the pre-checks of :mod:`.guard`, a worker process (:mod:`.pool`), the
``query_timeout`` (503 with a JSON body when it overruns) and the result cap (:mod:`.execution`),
and the :class:`ResultCache` (complete results by store generation and request). ETags and cache
keys are made by one recipe, :func:`state_key`; an ETag made before a request's queries ran names
the generation they were answered at (:func:`answered_key`).

Routes that use the executor:

- ``/sparql`` (a query) and the named queries ``/queries/<name>`` (every twin): :func:`run_query`
  directly, capped at ``max_results``;
- the linked-data routes (``/id/``, ``/page/``, ``/data/``, ``/picture/``, ``/graph/<source>``),
  the lists (``/class/``, ``/list``, ``/browse``), the graph page (``/graph``), VoID and the
  Service Description (``GET /sparql`` without a query): through
  :func:`~diplograph.server.guarded_graph.page_graph`, a read-only store whose every query is a
  :func:`run_query` capped at ``max_results`` (their queries carry lower ``LIMIT``s of their own;
  the labels of a page are found in batches of IRIs, one query per batch; a page's independent
  queries go together through :func:`run_queries`: each checked and capped, those left for the
  workers sent to one worker in one message, the batch under one ``query_timeout``);
- the exports (``/export/<view>.<format>``): through
  :func:`~diplograph.server.guarded_graph.export_graph`, the same without a row cap (an export is
  a whole view), bounded by the timeout and the workers' memory limit.

Bounded by construction, without the worker (still after the guard):

- the fast path (:mod:`.fastpath`): a query the guard passed whose work the rule of that module
  bounds before it runs (every pattern counted in the store's indexes, the product of the counts
  within ``fast_path_budget``), answered in the server process with a row and a time budget
  (over either: a worker answers it); the counts are one-pattern queries with a ``LIMIT``;

- the list of named graphs (the guard's check of ``FROM``, a 404 for an unknown source, the
  graph names of the Service Description): Oxigraph reads its index of graph names, one entry per
  named graph, never the triples;
- ``/update``: one write at a time in the single writer (:meth:`.execution.Executor.update`),
  after :func:`.guard.check_update`;
- ``/ontology``, ``/context.jsonld``, ``/``, ``/queries``, ``/-/settings.json``,
  ``/-/health.json``, ``/-/versions.json``: no store query at all (the ontology is read from the
  package's file once).

Endpoint names for ``url_for``: ``sparql.query`` (``/sparql``), ``sparql.update`` (``/update``),
``meta.void`` (``/.well-known/void``), ``meta.settings`` (``/-/settings.json``),
``meta.health`` (``/-/health.json``), ``meta.versions`` (``/-/versions.json``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import current_app, g
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.graph.store import DiploGraph
from diplograph.server import guard
from diplograph.server.execution import Executor, Outcome, QueryRequest, encode_bindings
from diplograph.server.fastpath import PATH_HEADER, FastPath
from diplograph.server.negotiation import choose_format, content_type
from diplograph.sparqllex import Token

EXTENSION = "diplograph"

#: Response header that says the result was cut at the ``max_results`` cap.
TRUNCATED_HEADER = "X-Diplograph-Truncated"


class Cached(NamedTuple):
    """A complete query result as :func:`run_query` returns it."""

    body: bytes
    fmt: formats.Format
    headers: dict[str, str]


class ResultCache:
    """Complete query results by :func:`state_key` (store generation and request), least
    recently used first out.

    A result is only ever served for the generation it was computed at, so the cache is exact;
    entries of older generations simply age out. Results larger than an eighth of the budget are
    not kept. A budget of 0 turns the cache off.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Cached | None:
        if not self.max_bytes:
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: Cached) -> None:
        size = len(value.body) + 512
        if not self.max_bytes or size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._size -= len(old.body) + 512


@dataclass(eq=False)
class ServerState:
    """What the app holds for its lifetime: the graph, the settings and the query executor."""

    graph: DiploGraph
    settings: dict[str, Any]
    executor: Executor
    owns_graph: bool = True
    cache: ResultCache = field(default_factory=lambda: ResultCache(0))
    boot_id: str = ""  # random per app: ETags never collide across restarts
    admission: Any = None  # the request gate of :mod:`.admission` when ``serve`` installed it
    fast: FastPath | None = None  # the in-process fast path (:mod:`.fastpath`); None: off
    exports: Any = None  # the export processes (:mod:`.export_runner`), started when first needed
    _closed: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def generation(self) -> int:
        """Changes on every write to the store (ETags are built from it)."""
        return self.executor.generation

    @property
    def update_enabled(self) -> bool:
        return bool(self.settings.get("update_token"))

    def close(self) -> None:
        """Stop the query workers and close the graph (if the app opened it). Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self.exports is not None:
            self.exports.close()
        self.executor.close()
        if self.owns_graph:
            self.graph.close()


def current_state() -> ServerState:
    """The :class:`ServerState` of the app handling the current request."""
    state: ServerState = current_app.extensions[EXTENSION]
    return state


def state_key(*parts: object, generation: int | None = None) -> str:
    """``boot-generation-digest``: the key of ``parts`` for this server process at the store's
    current ``generation`` (or the one given). The one recipe for ETags and cache keys
    (:mod:`.conditional`, :class:`ResultCache`, the descriptions of :mod:`.meta`)."""
    state = current_state()
    gen = state.generation if generation is None else generation
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]
    return f"{state.boot_id}-{gen}-{digest}"


#: ``flask.g`` attribute: the store generations the current request's answers were computed at
_ANSWERED_AT = "diplograph_answered_at"


def _answered_at(generation: int) -> None:
    seen: set[int] = g.setdefault(_ANSWERED_AT, set())
    seen.add(generation)


def answered_key(tag: str) -> str | None:
    """``tag`` (a :func:`state_key` made before the request's queries ran, at the generation
    current then) for the generation its answers were computed at: a write may land in between,
    and a worker then answers from the newer state. None when the answers straddle a write (one
    request, several queries, two generations): that response gets no ETag. So a tag is never
    served with two different bodies."""
    seen: set[int] = g.get(_ANSWERED_AT) or set()
    if not seen:
        return tag
    if len(seen) > 1:
        return None
    boot, _, digest = tag.rsplit("-", 2)
    return f"{boot}-{next(iter(seen))}-{digest}"


def check(sparql: str, *, protocol_dataset: bool = False) -> guard.Checked:
    """The guard's reading of a query under this server's settings (:func:`.guard.check_query`)."""
    state = current_state()
    s = state.settings
    return guard.check_query(
        sparql,
        max_length=s["max_query_length"],
        max_nesting=s["max_nesting"],
        service_allowlist=s["service_allowlist"],
        graph_allowlist=s["graph_allowlist"],
        known_graphs=state.graph.named_graphs,
        protocol_dataset=protocol_dataset,
    )


def _iris(graphs: Sequence[URIRef | str] | None) -> list[str] | None:
    return None if graphs is None else [str(g) for g in graphs]


@dataclass(frozen=True)
class Query:
    """One query of :func:`run_queries`: the arguments of :func:`run_query`."""

    sparql: str
    accept: str | None = None
    fmt: str | formats.Format | None = None
    bindings: Mapping[str, Node] | None = None
    default_graphs: Sequence[URIRef | str] | None = None
    named_graphs: Sequence[URIRef | str] | None = None
    base_iri: str | None = None
    max_results: int | None = None


def run_query(
    sparql: str,
    *,
    accept: str | None = None,
    fmt: str | formats.Format | None = None,
    bindings: Mapping[str, Node] | None = None,
    default_graphs: Sequence[URIRef | str] | None = None,
    named_graphs: Sequence[URIRef | str] | None = None,
    base_iri: str | None = None,
    max_results: int | None = None,
) -> Cached:
    """Run a SPARQL query the safe way and return ``(body, format, headers)``.

    The query is checked (length, nesting, SERVICE, FROM of unknown graphs) before any engine
    sees it, then answered by the in-process fast path when its work is bounded by construction
    (:mod:`.fastpath`), else run in a worker process under the ``query_timeout`` (503 when it
    overruns), and cut at ``max_results``. ``headers`` holds ``Content-Type``, the path that
    answered (``X-Diplograph-Path``: ``fast`` or ``worker``) and, when cut,
    ``X-Diplograph-Truncated: true``. Errors: :class:`~diplograph.errors.DiplographError`s
    (syntax 400, forbidden form 400/403, 406, timeout 503). ``max_results`` overrides the
    setting (0: no cap) for the server's own bounded queries (see the module docstring)."""
    query = Query(
        sparql, accept, fmt, bindings, default_graphs, named_graphs, base_iri, max_results
    )
    return run_queries([query])[0]


class _Pending(NamedTuple):
    """A query of :func:`run_queries` that the cache did not answer, checked and ready."""

    position: int
    key: str
    chosen: formats.Format
    request: QueryRequest
    tokens: list[Token]  # the guard's reading, for the fast path


def _prepare(query: Query, generation: int) -> Cached | _Pending:
    """The cached result of ``query``, or the request the guard made of it (its errors raised)."""
    state = current_state()
    q = query
    wire = encode_bindings(q.bindings)
    dgs, ngs = _iris(q.default_graphs), _iris(q.named_graphs)
    cap = state.settings["max_results"] if q.max_results is None else q.max_results
    fmt_key = q.fmt.key if isinstance(q.fmt, formats.Format) else q.fmt
    wire_key = tuple(sorted(wire.items())) if wire else None
    key = state_key(
        q.sparql, q.accept, fmt_key, wire_key, dgs, ngs, q.base_iri, cap, generation=generation
    )
    hit = state.cache.get(key)
    if hit is not None:
        _answered_at(generation)
        return Cached(hit.body, hit.fmt, dict(hit.headers))
    checked = check(q.sparql, protocol_dataset=dgs is not None or ngs is not None)
    chosen = choose_format(checked.form, q.accept, q.fmt)
    request = QueryRequest(
        sparql=checked.text,
        form=checked.form,
        fmt=chosen.key,
        bindings=wire,
        default_graphs=dgs,
        named_graphs=ngs,
        uses_dataset_clause=checked.has_dataset_clause,
        base_iri=q.base_iri,
        max_results=cap,
    )
    return _Pending(-1, key, chosen, request, checked.tokens)


def run_queries(queries: Sequence[Query]) -> list[Cached]:
    """Several independent queries, each run the safe way of :func:`run_query` (the guard, the
    fast path, the cap, the cache), their results in order. Those left for the workers go to the
    executor together (:meth:`~.execution.Executor.run_batch`: one worker, one message, the
    batch under one ``query_timeout``; 503 and the worker replaced when it overruns). The first
    error (of the guard, then of the queries in order) is raised."""
    state = current_state()
    generation = state.generation
    results: list[Cached | None] = []
    pending: list[_Pending] = []
    for query in queries:
        prepared = _prepare(query, generation)
        if isinstance(prepared, Cached):
            results.append(prepared)
            continue
        results.append(None)
        pending.append(prepared._replace(position=len(results) - 1))
    to_workers: list[_Pending] = []
    for p in pending:
        outcome = None if state.fast is None else state.fast.run(p.request, p.tokens)
        if outcome is None:
            to_workers.append(p)
        else:
            results[p.position] = _answered(p, outcome, "fast", generation)
    if to_workers:
        requests = [p.request for p in to_workers]
        outcomes = state.executor.run_batch(requests, timeout=state.settings["query_timeout"])
        for p, outcome in zip(to_workers, outcomes, strict=True):
            results[p.position] = _answered(p, outcome, "worker", generation)
    return [r for r in results if r is not None]


def _answered(p: _Pending, outcome: Outcome, path: str, generation: int) -> Cached:
    """The result of one query as :func:`run_query` returns it, kept in the cache when it was
    computed on the state its key names."""
    _answered_at(outcome.generation)
    headers = {"Content-Type": content_type(p.chosen), PATH_HEADER: path}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
    if outcome.generation == generation:
        current_state().cache.put(p.key, Cached(outcome.body, p.chosen, headers))
    return Cached(outcome.body, p.chosen, dict(headers))
