"""The notebook's handle on a store: :func:`open` and :class:`Graph` (see
:mod:`diplograph.notebook` and ``docs/notebook.md``)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from types import TracebackType

import networkx as nx
from rdflib import Graph as RdfGraph
from rdflib import URIRef
from rdflib.term import Node

from diplograph import settings
from diplograph.errors import NotFound, QueryParameterError
from diplograph.graph.describe import describe as describe_resource
from diplograph.graph.describe.labels import labels_for
from diplograph.graph.network import build_view, resolve
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.results import QueryResult
from diplograph.notebook.resource import Resource
from diplograph.notebook.rows import Rows
from diplograph.queries.registry import catalogue
from diplograph.queries.run import run_query

#: What a query gives back: rows for SELECT, a boolean for ASK, an rdflib graph for
#: CONSTRUCT and DESCRIBE.
Answer = Rows | bool | RdfGraph
#: A parameter value: text as the command line takes it, a number, a date, or an rdflib term.
Value = str | int | dt.date | Node | None


def store_url(store: str | os.PathLike[str] | None) -> str:
    """The store URL ``store`` names: the ``store`` setting when None (``$DIPLOGRAPH_STORE``,
    else ``oxigraph:data/store``), ``oxigraph:PATH`` for a path (a :class:`~pathlib.Path`, or a
    text without a colon), else the URL as given (``oxigraph:…``, ``memory:``,
    ``sparql+http(s)://…``: what ``--store`` takes).

    >>> store_url("data/store"), store_url("memory:")
    ('oxigraph:data/store', 'memory:')
    """
    if store is None:
        return str(settings.value("store"))
    if isinstance(store, os.PathLike):
        return f"oxigraph:{os.fspath(store)}"
    return store if ":" in store else f"oxigraph:{store}"


def open(
    store: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = True,
    token: str | None = None,
) -> Graph:
    """Open a store for a notebook (see :func:`store_url` for what ``store`` may be). Read-only
    unless ``read_only=False``; ``token`` is the bearer token of a remote store (None: the
    ``store_token`` setting). Raises :class:`~diplograph.errors.StoreError` for a store that
    cannot be opened."""
    return Graph(open_graph(store_url(store), read_only=read_only, token=token))


def _text(value: Value) -> str | int | Node | None:
    if isinstance(value, dt.datetime):
        raise QueryParameterError(f"{value!r} is a date and time; give a date (value.date()).")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _many(name: str, value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    items = list(value)
    if not all(isinstance(v, str) for v in items):
        raise QueryParameterError(f"{name} takes text or a list of texts, not {value!r}.")
    return items


class Graph:
    """A store as a notebook uses it: SPARQL and named queries returning :class:`Rows`, network
    views as networkx graphs, resources described in tables. ``store`` is the underlying
    :class:`~diplograph.graph.store.DiploGraph` for everything else. Close it (or use ``with``)
    to release an embedded store."""

    def __init__(self, store: DiploGraph) -> None:
        self.store = store

    @property
    def url(self) -> str:
        return self.store.url

    def __repr__(self) -> str:
        return f"<diplograph.Graph {self.url}>"

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- queries -------------------------------------------------------------------------------
    def _labels(self, iris: set[URIRef]) -> dict[URIRef, str]:
        return labels_for(self.store, iris)

    def _answer(self, result: QueryResult) -> Answer:
        if result.kind == "ASK":
            return bool(result.boolean)
        if result.kind == "CONSTRUCT":
            return result.graph()
        return Rows(
            result.variables, result.rows, truncated=result.truncated, labeller=self._labels
        )

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> Answer:
        """Run SPARQL: :class:`Rows` for SELECT, a bool for ASK, an rdflib graph for CONSTRUCT
        and DESCRIBE. ``bindings`` bind variables to rdflib terms (never pasted into the text).
        Raises :class:`~diplograph.errors.QueryError` for a query the store refuses."""
        return self._answer(self.store.query(sparql, bindings=bindings))

    def named(self, name: str, /, **params: Value) -> Answer:
        """Run the named query ``name`` (see :meth:`queries`) with parameter values, checked as
        the command line's ``--param`` values are (``actor="state/russia"``,
        ``on="2014-03-01"`` or a :class:`datetime.date`); a bad, unknown or missing parameter
        raises :class:`~diplograph.errors.QueryParameterError` naming it."""
        values = {k: _text(v) for k, v in params.items()}
        return self._answer(run_query(self.store, name, **values))

    def queries(self, tag: str | None = None) -> Rows:
        """The catalogue of named queries (name, title, parameters), optionally of one tag."""
        from rdflib import Literal

        found = [q for q in catalogue().values() if tag is None or tag in q.tags]
        return Rows(
            ("name", "title", "params"),
            [
                (
                    Literal(q.name),
                    Literal(q.title),
                    Literal(" ".join(p.name + ("" if p.required else "?") for p in q.params)),
                )
                for q in found
            ],
        )

    # -- networks and resources ----------------------------------------------------------------
    def network(
        self,
        view: str = "actors",
        *,
        start: str | dt.date | None = None,
        end: str | dt.date | None = None,
        graphs: str | Iterable[str] | None = None,
        actors: str | Iterable[str] | None = None,
        event_types: str | Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        """A network view (``actors``, ``claims``, ``agreements`` or ``full``; see
        ``docs/network.md``) as a networkx MultiDiGraph, filtered as ``diplograph export`` is:
        ``start``/``end`` (YYYY[-MM[-DD]] or a date), named ``graphs`` (``dataset/cow-igo``),
        ``actors`` (``state/russia``), CAMEO ``event_types`` (``12``); each of the last three a
        text or a list. Raises :class:`~diplograph.errors.ExportError` for an unknown view or a
        bad filter, :class:`~diplograph.errors.NotFound` for an actor not in the store."""
        filters = Filters.of(
            start=start.isoformat() if isinstance(start, dt.date) else start,
            end=end.isoformat() if isinstance(end, dt.date) else end,
            graphs=_many("graphs", graphs),
            actors=_many("actors", actors),
            event_types=_many("event_types", event_types),
        )
        return build_view(self.store, view, filters=filters)

    def describe(self, resource: str) -> Resource:
        """What the store says about a resource (an IRI, a CURIE such as ``id:state/russia`` or
        a path such as ``person/sergey-lavrov``), as its linked-data page shows it; raises
        :class:`~diplograph.errors.NotFound` when the store says nothing about it."""
        found = URIRef(resolve(resource))
        d = describe_resource(self.store, found)
        if d is None:
            raise NotFound(f"The store says nothing about <{found}>.")
        return Resource.of(d, self._labels)

    def expand(self, text: str) -> URIRef:
        """The IRI ``text`` names (the one reader, :func:`diplograph.iri.expand_iri`)."""
        return URIRef(resolve(text))


__all__ = ["Answer", "Graph", "Value", "open", "store_url"]
