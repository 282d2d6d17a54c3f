"""What a query request is, and the two ways of running one.

A :class:`QueryRequest` is plain data (it crosses into a worker process); :class:`Executor` runs
requests (with a timeout where it can) and writes (one at a time, as the single writer):
:class:`~diplograph.server.pool.WorkerPool` (worker processes that can be killed: the default) or
:class:`InlineExecutor` (the calling thread, no timeout: setting ``workers = 0``, and remote
stores, whose own server bounds the time). :func:`diplograph.server.pool.make_executor` picks
one; this module does not import the pool (imports point one way: pool → execution → worker).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from diplograph import iri
from diplograph.errors import LoadFailed, QueryCrashed, QueryError, QueryTimeout, StoreError
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server import worker
from diplograph.server.update_delta import SourceInvalid, Step, own_text

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Prefixes written into Turtle/TriG results: the ontology's own, from the one prefix table.
PREFIXES: dict[str, str] = {
    p: iri.PREFIXES[p]
    for p in ("dg", "id", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org")
}


@dataclasses.dataclass
class QueryRequest:
    """One query to run, in a form that crosses a process boundary (plain data only)."""

    sparql: str
    form: str
    fmt: str
    bindings: dict[str, worker.Wire] | None = None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    uses_dataset_clause: bool = False
    base_iri: str | None = None
    max_results: int = 0


@dataclasses.dataclass
class UpdateRequest:
    """One update to evaluate in a worker (:mod:`.update_delta`): its text and the graphs it may
    change (:func:`~diplograph.server.update_targets.written_graphs`; ``"*"``: any)."""

    sparql: str
    targets: list[str]
    #: the named graphs of the store now (empty ones too, which a copy made from an N-Quads
    #: snapshot lacks: ``ADD``, ``COPY``, ``CREATE`` and ``DROP`` depend on them)
    graphs: list[str] = dataclasses.field(default_factory=list)
    #: an update with LOAD: its operations and fetched sources, run in order instead of
    #: ``sparql`` (:class:`~.update_delta.Step`)
    steps: list[Step] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Outcome:
    body: bytes
    truncated: bool
    generation: int


def encode_bindings(bindings: Mapping[str, Node] | None) -> dict[str, worker.Wire] | None:
    """rdflib terms as plain tuples for the worker (see :func:`worker.to_term`)."""
    if not bindings:
        return None
    out: dict[str, worker.Wire] = {}
    for name, term in bindings.items():
        if isinstance(term, URIRef):
            out[name] = ("uri", str(term), None, None)
        elif isinstance(term, BNode):
            out[name] = ("bnode", str(term), None, None)
        elif isinstance(term, Literal):
            out[name] = (
                "literal",
                str(term),
                str(term.datatype) if term.datatype else None,
                term.language,
            )
        else:
            raise QueryError(f"Cannot bind ?{name} to {term!r}: not an IRI, blank node or literal.")
    return out


def decode_bindings(wire: Mapping[str, worker.Wire] | None) -> dict[str, Node] | None:
    """The inverse of :func:`encode_bindings`."""
    if not wire:
        return None
    out: dict[str, Node] = {}
    for name, (kind, value, datatype, language) in wire.items():
        if kind == "uri":
            out[name] = URIRef(value)
        elif kind == "bnode":
            out[name] = BNode(value)
        else:
            out[name] = Literal(
                value,
                lang=language,
                datatype=URIRef(datatype) if datatype and not language else None,
            )
    return out


def raise_worker_error(kind: str, message: str, *, update: bool = False) -> NoReturn:
    if kind == "syntax":
        raise QueryError(f"SPARQL {'Update ' if update else ''}syntax error: {message}")
    if kind == "source":
        raise LoadFailed(f"{message} Nothing was written.", 422)
    if kind == "failed" and update:
        raise QueryError(f"The update failed and nothing was written: {message}.")
    if kind == "failed":
        raise QueryError(f"The query failed while running: {message}")
    log.error("query worker error:\n%s", message)
    raise QueryCrashed(
        "The query could not be answered because of an internal error; it was "
        "logged. Other queries are not affected."
    )


class Executor(ABC):
    """Runs queries (with a timeout where it can) and writes (one at a time)."""

    def __init__(self, graph: DiploGraph) -> None:
        self.graph = graph
        self._write_lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self.graph.generation

    @abstractmethod
    def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        """Run a query; raises QueryError (400), QueryTimeout (503) or QueryCrashed (500)."""

    def run_batch(self, requests: list[QueryRequest], *, timeout: float) -> list[Outcome]:
        """Run independent queries, their outcomes in order; the first error is raised. Here
        one after another, each under ``timeout``; the worker pool sends them to one worker in
        one message, the whole batch under ``timeout``."""
        return [self.run(r, timeout=timeout) for r in requests]

    def update(
        self,
        sparql: str,
        *,
        targets: Sequence[str] | None = None,
        timeout: float = 0.0,
        only_data: bool = False,
        steps: Sequence[Step] = (),
    ) -> None:
        """Run a SPARQL Update on the durable store, as the single writer. With ``targets`` (the
        graphs it may change, see :class:`UpdateRequest`), an executor that can evaluate it
        where it can be stopped (:meth:`changes`) does so first, under ``timeout``, and only
        its concrete changes are written here; else (``targets`` None, or an executor that
        cannot) the update runs in this process. ``only_data``: the update is concrete data
        already (``INSERT DATA``/``DELETE DATA`` only, as long as ``max_query_length`` allows),
        with nothing to evaluate: written here at once, replayed as it is. ``steps``: the
        update has LOAD, given as steps (:mod:`.fetch`); its sources are read where it is
        evaluated, never in this process unless no executor can (``workers = 0``)."""
        with self._write_lock:
            if only_data:
                self._apply(sparql)
                self._after_write(sparql, replayable=True)
                return
            before = self.graph.generation
            found = None if targets is None else self._changes(sparql, targets, timeout, steps)
            if found is not None and found.exact and found.generation == before:
                if found.update:  # nothing changed: nothing to write
                    self._apply(found.update)
                    self._after_write(found.update, replayable=True)
                return
            text = sparql  # evaluated in time (or cannot be): its own text, here
            if steps and found is None:
                text = self._read_here(steps)
            elif steps and found is not None and found.generation != before:
                raise StoreError(
                    "The store changed while the update was evaluated; nothing was written. "
                    "Send it again."
                )
            elif steps and found is not None:
                text = found.update  # the worker's own text: the sources written in as data
            if text:
                self._apply(text)
                self._after_write(text, replayable=False)

    @staticmethod
    def _read_here(steps: Sequence[Step]) -> str:
        """The own text of an update with LOAD, its sources read in this process (no worker)."""
        try:
            return own_text(steps)
        except SourceInvalid as exc:
            raise LoadFailed(f"{exc} Nothing was written.", 422) from None

    def _changes(
        self, sparql: str, targets: Sequence[str], timeout: float, steps: Sequence[Step] = ()
    ) -> worker.Changes | None:
        try:
            graphs = [str(g) for g in self.graph.named_graphs()]
            request = UpdateRequest(sparql, list(targets), graphs, list(steps))
            return self.changes(request, timeout=timeout)
        except QueryTimeout as exc:
            if hasattr(exc, "headers"):  # every worker stayed busy: 503 with Retry-After
                busy = QueryTimeout(
                    f"Every query worker stayed busy for {timeout:g} s (setting update_timeout); "
                    "the update was not run and nothing was written. Try again shortly."
                )
                busy.headers = exc.headers  # type: ignore[attr-defined]
                raise busy from None
            advice = "Load less at once." if steps else "Narrow its WHERE clause down."
            raise QueryTimeout(
                f"The update ran longer than {timeout:g} s and was stopped; nothing was written "
                f"(setting update_timeout). {advice}"
            ) from None

    def _apply(self, sparql: str) -> None:
        try:
            self.graph.update(sparql)
        except RuntimeError as exc:  # Oxigraph's evaluation errors (DROP of a missing graph)
            raise QueryError(f"The update failed and nothing was written: {exc}.") from None

    def changes(self, request: UpdateRequest, *, timeout: float) -> worker.Changes | None:
        """What ``request`` would change, found where it can be stopped after ``timeout``
        (QueryTimeout, 503) and where a crash costs nothing (QueryCrashed, 500); errors of the
        update itself are QueryError (400). None: this executor cannot (the update then runs
        in this process)."""
        return None

    def write(
        self,
        fn: Callable[[DiploGraph], T],
        touched: Callable[[T], Sequence[str] | None] | None = None,
    ) -> T:
        """Run ``fn(graph)`` (a load, a drop: :mod:`diplograph.graph.load.writes`) on the durable
        store as the single writer, then bring the readers up to date before returning, so the
        next query sees the change (or, when ``fn`` fails before writing, the store as it was).
        ``touched(result)`` names the graphs the write changed (None: not known)."""
        with self._write_lock:
            before = self.graph.generation
            graphs: Sequence[str] | None = None
            try:
                result = fn(self.graph)
                graphs = touched(result) if touched is not None else None
                return result
            finally:
                if self.graph.generation != before:
                    self._after_direct_write(graphs, before)

    def _after_write(self, sparql: str, *, replayable: bool) -> None:  # noqa: B027 - hook
        """``sparql`` was written; ``replayable``: it gives the copies the same data (concrete
        changes: :mod:`.update_delta`)."""

    def _after_direct_write(  # noqa: B027 - optional hook
        self, graphs: Sequence[str] | None, before: int
    ) -> None:
        pass

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


class InlineExecutor(Executor):
    """Runs queries in the calling thread: no timeout (``workers = 0``, remote stores)."""

    def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        gen = self.graph.generation
        if not isinstance(self.graph, OxigraphGraph):
            from diplograph import formats

            # a remote store: its own server bounds the time; no cap is applied here
            dgs, ngs = request.default_graphs, request.named_graphs
            if (dgs is None) != (ngs is None):
                dgs, ngs = dgs or [], ngs or []
            fields = {
                "bindings": decode_bindings(request.bindings),
                "default_graphs": None if dgs is None else [URIRef(g) for g in dgs],
                "named_graphs": None if ngs is None else [URIRef(g) for g in ngs],
            }
            if request.form == "ASK":  # read by the backend, which knows servers' ASK quirks
                answer = self.graph.query(request.sparql, **fields)  # type: ignore[arg-type]
                return Outcome(answer.serialize(request.fmt), False, gen)
            body, _ = self.graph.query_serialized(
                request.sparql,
                formats.get(request.fmt),
                **fields,  # type: ignore[arg-type]
            )
            return Outcome(body, False, gen)
        try:
            body, truncated = worker.execute(self.graph.store, request, PREFIXES)
        except SyntaxError as exc:
            raise_worker_error("syntax", str(exc))
        except (OSError, ValueError) as exc:
            raise_worker_error("failed", str(exc))
        return Outcome(body, truncated, gen)
