"""The server's state and the one way every blueprint runs a query.

:func:`create_app <diplograph.server.app.create_app>` builds one :class:`ServerState` and keeps it
in ``app.extensions["diplograph"]``; views reach it with :func:`current_state`. Blueprints run
SPARQL with :func:`run_query`, which goes through the same pre-checks (:mod:`.guard`), worker
processes, timeout and result cap (:mod:`.execution`) as ``/sparql``, and shares its result cache
(:class:`ResultCache`: complete results by store generation and request).

Endpoint names for ``url_for``: ``sparql.query`` (``/sparql``), ``sparql.update`` (``/update``),
``meta.void`` (``/.well-known/void``), ``meta.settings`` (``/-/settings.json``),
``meta.health`` (``/-/health.json``), ``meta.versions`` (``/-/versions.json``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.graph.store import DiploGraph
from diplograph.server import guard
from diplograph.server.execution import Executor, QueryRequest, encode_bindings
from diplograph.server.negotiation import choose_format, content_type

EXTENSION = "diplograph"

#: Response header that says the result was cut at the ``max_results`` cap.
TRUNCATED_HEADER = "X-Diplograph-Truncated"


@dataclass(eq=False)
class ServerState:
    """What the app holds for its lifetime: the graph, the settings and the query executor."""

    graph: DiploGraph
    settings: dict[str, Any]
    executor: Executor
    owns_graph: bool = True
    cache: ResultCache = field(default_factory=lambda: ResultCache(0))
    boot_id: str = ""  # random per app: ETags never collide across restarts
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
        self.executor.close()
        if self.owns_graph:
            self.graph.close()


def current_state() -> ServerState:
    """The :class:`ServerState` of the app handling the current request."""
    state: ServerState = current_app.extensions[EXTENSION]
    return state


def run_query(
    sparql: str,
    *,
    accept: str | None = None,
    fmt: str | formats.Format | None = None,
    bindings: Mapping[str, Node] | None = None,
    default_graphs: Sequence[URIRef | str] | None = None,
    named_graphs: Sequence[URIRef | str] | None = None,
    base_iri: str | None = None,
) -> tuple[bytes, formats.Format, dict[str, str]]:
    """Run a SPARQL query the safe way and return ``(body, format, headers)``.

    The query is checked (length, nesting, SERVICE, FROM of unknown graphs) before any engine
    sees it, then run in a worker process under the ``query_timeout`` (503 when it overruns) and
    cut at ``max_results``. ``headers`` holds ``Content-Type`` and, when the result was cut,
    ``X-Diplograph-Truncated: true``. Errors are :class:`~diplograph.errors.DiplographError`s
    (syntax error 400, forbidden form 400/403, 406, timeout 503).
    """
    state = current_state()
    s = state.settings
    generation = state.generation
    wire = encode_bindings(bindings)
    key = (
        generation,
        sparql,
        accept,
        fmt.key if isinstance(fmt, formats.Format) else fmt,
        tuple(sorted(wire.items())) if wire else None,
        None if default_graphs is None else tuple(str(g) for g in default_graphs),
        None if named_graphs is None else tuple(str(g) for g in named_graphs),
        base_iri,
    )
    hit = state.cache.get(key)
    if hit is not None:
        return hit[0], hit[1], dict(hit[2])
    checked = guard.check_query(
        sparql,
        max_length=s["max_query_length"],
        max_nesting=s["max_nesting"],
        service_allowlist=s["service_allowlist"],
        graph_allowlist=s["graph_allowlist"],
        known_graphs=state.graph.named_graphs,
        protocol_dataset=default_graphs is not None or named_graphs is not None,
    )
    chosen = choose_format(checked.form, accept, fmt)
    request = QueryRequest(
        sparql=checked.text,
        form=checked.form,
        fmt=chosen.key,
        bindings=wire,
        default_graphs=None if default_graphs is None else [str(g) for g in default_graphs],
        named_graphs=None if named_graphs is None else [str(g) for g in named_graphs],
        uses_dataset_clause=checked.has_dataset_clause,
        base_iri=base_iri,
        max_results=s["max_results"],
    )
    outcome = state.executor.run(request, timeout=s["query_timeout"])
    headers = {"Content-Type": content_type(chosen)}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
    if outcome.generation == generation:  # computed on the state the key names
        state.cache.put(key, (outcome.body, chosen, headers))
    return outcome.body, chosen, dict(headers)


class ResultCache:
    """Complete query results by (store generation, request), least recently used first out.

    A result is only ever served for the generation it was computed at, so the cache is exact;
    entries of older generations simply age out. Results larger than an eighth of the budget are
    not kept. A budget of 0 turns the cache off.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[bytes, formats.Format, dict[str, str]]]
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> tuple[bytes, formats.Format, dict[str, str]] | None:
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

    def put(self, key: Hashable, value: tuple[bytes, formats.Format, dict[str, str]]) -> None:
        size = len(value[0]) + 512
        if not self.max_bytes or size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._size -= len(old[0]) + 512
