"""The store as the server's pages see it: every query through the guarded executor.

:func:`page_graph` and :func:`export_graph` give a read-only :class:`GuardedGraph` over the app's
store. It is a :class:`~diplograph.graph.store.DiploGraph`, so the graph layer's code (resource
descriptions, lists and facets, labels, network views) runs on it unchanged, but each of its
queries goes through :func:`~diplograph.server.context.run_query`: the guard, a worker process,
the ``query_timeout`` (503 when it overruns) and the result cache per store generation. Results
come back in the worker's own line-based form (TSV for solutions, N-Triples for graphs; SPARQL
JSON for a boolean) and are read by pyoxigraph. Bound variables are written into the text as a
``VALUES`` block (:func:`~diplograph.graph.store.sparqltext.bind_values`), as for a remote store.

A page's queries are capped at ``max_results`` like any other (they carry their own, lower
``LIMIT``s; a cut result says so in :attr:`QueryResult.truncated
<diplograph.graph.store.results.QueryResult.truncated>`). An export is the whole of a view, so its
queries are not cut: :func:`export_graph` refuses a view one of whose queries returns more than
:data:`EXPORT_ROWS` rows (:class:`~diplograph.errors.ExportTooLarge`, 422) as soon as that query
answers, before the view is built; the timeout and the worker's memory limit bound the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple, NoReturn

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import ExportTooLarge, StoreError
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.oxiresults import to_result
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.sparqltext import bind_values
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Source, Triple
from diplograph.server.context import (
    TRUNCATED_HEADER,
    Query,
    current_state,
    run_queries,
    run_query,
)

#: What a page asks the executor for: the worker's native line-based forms (an ASK in TSV is the
#: bare word ``true`` or ``false``, which pyoxigraph reads back).
RESULT_ACCEPT = (
    "text/tab-separated-values, application/sparql-results+json;q=0.9, application/n-triples;q=0.8"
)


def read_result(body: bytes, fmt: formats.Format, *, truncated: bool = False) -> QueryResult:
    """A :class:`QueryResult` of rdflib terms from a result in TSV, SPARQL JSON/XML or
    N-Triples, as the executor returns it."""
    if fmt.kind == "results":
        parsed = ox.parse_query_results(
            body, format=getattr(ox.QueryResultsFormat, fmt.oxigraph or "JSON")
        )
        result = to_result(parsed)
    else:
        quads = ox.parse(body, format=getattr(ox.RdfFormat, fmt.oxigraph or "N_TRIPLES"))
        triples = [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads
        ]
        result = QueryResult("CONSTRUCT", triples=triples)
    result.truncated = truncated
    return result


def _bound(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with ``bindings`` as a ``VALUES`` block (escaped terms, read by the guard like
    the rest): Oxigraph substitutes only projected variables, and these queries bind others."""
    return bind_values(sparql, bindings) if bindings else sparql


class Ran(NamedTuple):
    """What the guarded executor answered: the body, its format, whether it was cut."""

    body: bytes
    fmt: formats.Format
    truncated: bool


class GuardedGraph(DiploGraph):
    """A read-only view of ``store`` whose queries run through the guarded executor.

    ``max_results``: the cap of its queries (None: the setting; 0: no cap). Only
    :meth:`named_graphs` reads the store directly: it lists the graph names (one entry per named
    graph, never the triples), as the guard itself does for every query.
    """

    def __init__(self, store: DiploGraph, *, max_results: int | None = None) -> None:
        self.store = store
        self.url = store.url
        self.max_results = max_results

    @property
    def generation(self) -> int:
        return self.store.generation

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        ran = self.run_text(
            _bound(sparql, bindings),
            accept=RESULT_ACCEPT,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        return read_result(ran.body, ran.fmt, truncated=ran.truncated)

    def query_many(
        self, queries: Sequence[tuple[str, Mapping[str, Node] | None]]
    ) -> list[QueryResult]:
        """The queries through :func:`~diplograph.server.context.run_queries`: each guarded and
        capped, those left for the workers sent to one worker together, under one timeout."""
        answers = run_queries(
            [
                Query(_bound(sparql, bindings), accept=RESULT_ACCEPT, max_results=self.max_results)
                for sparql, bindings in queries
            ]
        )
        return [
            read_result(body, fmt, truncated=headers.get(TRUNCATED_HEADER) == "true")
            for body, fmt, headers in answers
        ]

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        ran = self.run_text(
            _bound(sparql, bindings),
            fmt=fmt,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
        return ran.body, ran.fmt

    def run_text(
        self,
        text: str,
        *,
        accept: str | None = None,
        fmt: formats.Format | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> Ran:
        """Run ``text`` through the guarded executor (every query of this view goes here)."""
        body, chosen, headers = run_query(
            text,
            accept=accept,
            fmt=fmt,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_results=self.max_results,
        )
        return self.checked(Ran(body, chosen, headers.get(TRUNCATED_HEADER) == "true"))

    def checked(self, ran: Ran) -> Ran:
        """A query's answer, as this view of the store takes it (a subclass may refuse it)."""
        return ran

    def named_graphs(self) -> list[URIRef]:
        return self.store.named_graphs()

    def count(self, graph: URIRef | None = None) -> int:
        pattern = "GRAPH ?g { ?s ?p ?o }"
        bindings = {"g": graph} if graph is not None else None
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", bindings=bindings)
        return int(result.rows[0][0]) if result.rows else 0  # type: ignore[call-overload]

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        bindings = {"g": graph} if graph is not None else None
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bindings=bindings)
        yield from result.rows  # type: ignore[misc]

    def _read_only(self) -> NoReturn:
        raise StoreError("The pages' view of the store is read-only; writes go to /update.")

    def update(self, sparql: str) -> None:
        self._read_only()

    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        self._read_only()

    def drop_graph(self, graph: URIRef) -> bool:
        self._read_only()


class GuardedWriter(GuardedGraph):
    """The store as a validated ingest of the server sees it (``/extract/ingest``): reads
    through the guarded executor, uncapped (an ingest reads a whole article graph), and whole
    graphs written by the executor's single writer (:meth:`.execution.Executor.write`)."""

    def __init__(self, store: DiploGraph) -> None:
        super().__init__(store, max_results=0)

    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        return current_state().executor.write(lambda store: store.replace_graphs(items))


def page_graph() -> GuardedGraph:
    """The store for a page of the current app: queries capped at ``max_results``."""
    return GuardedGraph(current_state().graph)


#: The most rows one query of a network export may return. At 500,000 triples the ``full`` view's
#: 233,196 links took 850 MB and 12 s to write as GEXF (bench/RESULTS.md, "Network views"): a
#: view that needs more than a million rows would take minutes and gigabytes, past the default
#: ``query_timeout`` and ``worker_memory``, so it is refused at once instead.
EXPORT_ROWS = 1_000_000


class ExportGraph(GuardedGraph):
    """The store for a network export: a whole view, each query capped at ``rows``; a query
    that reaches the cap refuses the export (:class:`~diplograph.errors.ExportTooLarge`, 422)
    before the view is built."""

    def __init__(self, store: DiploGraph, rows: int | None = None) -> None:
        super().__init__(store, max_results=EXPORT_ROWS if rows is None else rows)

    def _too_large(self) -> ExportTooLarge:
        return ExportTooLarge(
            f"The view needs more than {self.max_results:,} rows from one of its queries, more "
            "than an export of this server draws. Narrow it down: a shorter period (from, to), "
            "one actor, a named graph, or the command line (diplograph export)."
        )

    def checked(self, ran: Ran) -> Ran:
        if ran.truncated:
            raise self._too_large()
        return ran

    def query_many(
        self, queries: Sequence[tuple[str, Mapping[str, Node] | None]]
    ) -> list[QueryResult]:
        results = super().query_many(queries)
        if any(result.truncated for result in results):
            raise self._too_large()
        return results


def export_graph() -> GuardedGraph:
    """The store for an export of the current app (:class:`ExportGraph`)."""
    return ExportGraph(current_state().graph)


def writer_graph() -> GuardedWriter:
    """The store for a validated write of the current app (the caller checks the update
    token): guarded reads, writes by the single writer."""
    return GuardedWriter(current_state().graph)
