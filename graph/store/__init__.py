"""One way to open the graph, whatever holds it.

:func:`open_graph` takes a store URL:

- ``oxigraph:PATH``: the default, a persistent on-disk Oxigraph store (RocksDB) at PATH
  (:mod:`.embedded`; ``rdflib_dataset()`` gives rdflib's API over it through oxrdflib);
- ``memory:``: an in-memory Oxigraph store (tests, notebooks; :mod:`.embedded` too);
- ``sparql+http://…`` / ``sparql+https://…``: a remote SPARQL 1.1 server (see :mod:`.remote`).

Each scheme's backend module is named in :data:`SCHEMES`. The package's other modules serve the
backends: :mod:`.results` (a query's result, whatever answered it), :mod:`.terms` (rdflib,
pyoxigraph and SPARQL JSON terms), :mod:`.sparqltext` (binding variables in query text),
:mod:`.sparqlhttp` (the remote store's URL and HTTP), :mod:`.atomic` (the embedded store's
all-or-nothing writes), :mod:`.diff` (what a reload changes), :mod:`.bulk` (Oxigraph's parallel
bulk loader) and :mod:`.oxiresults` (pyoxigraph's results).

docs/stores.md describes the URLs, the metadata graph and the atomicity guarantees.

Every backend answers SPARQL in the server's engine (Oxigraph's, not rdflib's pure-Python one), sees
the union of all named graphs as its default graph, and writes one source per named graph, each
replacement a single transaction (see :meth:`DiploGraph.replace_graph`).

>>> g = open_graph("memory:")
>>> g.query("ASK { ?s ?p ?o }").boolean
False
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats, settings
from diplograph.errors import StoreError
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.terms import to_oxigraph
from diplograph.iri import GRAPH
from diplograph.provenance import Source, Triple

#: Graphs under this prefix hold a load in progress; they are swapped in atomically, and any left
#: behind by a killed process are dropped the next time the store is opened for writing.
STAGING_PREFIX = str(GRAPH["staging/"])


class DiploGraph(ABC):
    """A diplograph graph in some store. Use :func:`open_graph` to get one."""

    url: str

    def __enter__(self) -> DiploGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------
    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. ``bindings`` bind variables to RDF terms before evaluation
        (never pasted into the text). ``default_graphs``/``named_graphs`` restrict the dataset
        (SPARQL protocol ``default-graph-uri``/``named-graph-uri``); by default the default graph
        is the union of all named graphs."""

    def query_many(
        self, queries: Sequence[tuple[str, Mapping[str, Node] | None]]
    ) -> list[QueryResult]:
        """Run independent queries (``(sparql, bindings)`` each, as :meth:`query`), their
        results in order. Here one after another; a backend may answer them together (the
        server's pages: one message to one query worker)."""
        return [self.query(sparql, bindings=bindings) for sparql, bindings in queries]

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        """Run a query and serialise its result: in ``fmt``, else in :func:`default_format`.

        Backends override this with a faster native path; the result is always complete.
        """
        result = self.query(
            sparql, bindings=bindings, default_graphs=default_graphs, named_graphs=named_graphs
        )
        chosen = fmt or default_format(result.kind)
        return result.serialize(chosen), chosen

    @abstractmethod
    def named_graphs(self) -> list[URIRef]:
        """The named graphs in the store (staging graphs excluded)."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in one named graph, or in the whole store."""

    @abstractmethod
    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad of one named graph (or of all named graphs), as rdflib terms."""

    def dump(self, out: IO[bytes], fmt: formats.Format, *, graph: URIRef | None = None) -> None:
        """Write one named graph (any RDF format) or every named graph (TriG, N-Quads) to
        ``out``. Backends override this with a native path."""
        if fmt.kind not in ("graph", "dataset") or fmt.oxigraph is None:
            raise StoreError(f"Cannot dump RDF as {fmt.label}.")
        if fmt.key in ("jsonld", "n3") or (fmt.kind == "dataset" and fmt.key == "trig"):
            # pyoxigraph writes these as plain triples; rdflib keeps prefixes and graphs
            from rdflib import Dataset

            ds = Dataset()
            for s, p, o, g in self.quads(graph):
                ds.graph(g).add((s, p, o))
            data = (ds.graph(graph) if graph is not None and fmt.kind == "graph" else ds).serialize(
                format=fmt.rdflib or fmt.key, encoding="utf-8"
            )
            out.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            return
        rdf_format = getattr(ox.RdfFormat, fmt.oxigraph)
        if fmt.kind == "dataset":
            ox.serialize(
                (_ox_quad(s, p, o, g) for s, p, o, g in self.quads(graph)), out, rdf_format
            )
        else:
            ox.serialize(
                (_ox_quad(s, p, o, None).triple for s, p, o, _ in self.quads(graph)),
                out,
                rdf_format,
            )

    @property
    def generation(self) -> int:
        """A counter that changes on every write made through this object (for ETags)."""
        return self._generation

    _generation: int = 0

    # -- writing -----------------------------------------------------------------------------
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update as one transaction."""

    def replace_graph(self, source: Source, triples: Iterable[Triple]) -> int:
        """Replace the named graph ``source.graph`` with ``triples`` and its description in the
        metadata graph, all or nothing. Returns the number of triples written."""
        return self.replace_graphs([(source, triples)])[0]

    @abstractmethod
    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        """Replace several named graphs (and their descriptions) in one transaction: after a
        crash the store holds all of the new graphs or none of them. Returns triples per graph."""

    @abstractmethod
    def drop_graph(self, graph: URIRef) -> bool:
        """Drop a named graph and its description; False if it did not exist."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (flushes an on-disk store)."""


def _ox_quad(s: Node, p: Node, o: Node, g: URIRef | None) -> ox.Quad:
    subject: Any = to_oxigraph(s)
    predicate: Any = to_oxigraph(p)
    return ox.Quad(subject, predicate, to_oxigraph(o), ox.NamedNode(str(g)) if g else None)


def default_format(kind: str) -> formats.Format:
    """The format a result of ``kind`` is written in when none is named: Turtle for a graph,
    SPARQL JSON otherwise (choosing by an ``Accept`` header is the server's job:
    :mod:`diplograph.server.negotiation`)."""
    return formats.get("turtle" if kind == "CONSTRUCT" else "json")


#: Store URL schemes and the module of the backend that opens them: each backend module has
#: ``open_url(url, *, read_only)`` and is imported only when a URL of its scheme is opened (like
#: rdflib's store plugins). A new backend is one module and one line here.
SCHEMES: dict[str, str] = {
    "memory": "diplograph.graph.store.embedded",
    "oxigraph": "diplograph.graph.store.embedded",
    "sparql+http": "diplograph.graph.store.remote",
    "sparql+https": "diplograph.graph.store.remote",
}


def open_graph(
    url: str | None = None, *, read_only: bool = False, token: str | None = None
) -> DiploGraph:
    """Open the graph at a store URL (see the module docstring). ``None`` means the ``store``
    setting (:mod:`diplograph.settings`: ``$DIPLOGRAPH_STORE``, else its default); ``token`` is
    the ``store_token`` setting, for a remote store that asks for one (None: the setting as the
    environment gives it)."""
    url = url or settings.value("store")
    backend = SCHEMES.get(url.partition(":")[0])
    if backend is None:
        raise unknown_store_url(url)
    module = importlib.import_module(backend)
    graph: DiploGraph = module.open_url(url, read_only=read_only, token=token)
    return graph


def unknown_store_url(url: str) -> StoreError:
    """The error for a store URL no backend opens."""
    return StoreError(
        f"Unknown store URL {url!r}: use oxigraph:PATH, memory: or sparql+http(s)://HOST/QUERY-PATH."
    )
