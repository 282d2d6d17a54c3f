"""One way to open the graph, whatever holds it.

:func:`open_graph` takes a store URL:

- ``oxigraph:PATH``: the default, a persistent on-disk Oxigraph store (RocksDB) at PATH;
- ``memory:``: an in-memory Oxigraph store (tests, notebooks);
- ``sparql+http://…`` / ``sparql+https://…``: a remote SPARQL 1.1 server (see :mod:`.remote`).

Every backend answers SPARQL in the server's engine (Oxigraph's, not rdflib's pure-Python one), sees
the union of all named graphs as its default graph, and writes one source per named graph, each
replacement a single transaction (see :meth:`DiploGraph.replace_graph`).

>>> g = open_graph("memory:")
>>> g.query("ASK { ?s ?p ?o }").boolean
False
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import QueryError, StoreError
from diplograph.graph.iri import GRAPH, META_GRAPH
from diplograph.graph.provenance import Source, Triple
from diplograph.graph.results import QueryResult
from diplograph.graph.terms import to_oxigraph, to_rdflib

DEFAULT_STORE = "oxigraph:data/store"
STORE_ENV = "DIPLOGRAPH_STORE"

#: Graphs under this prefix hold a load in progress; they are swapped in atomically, and any left
#: behind by a killed process are dropped the next time the store is opened for writing.
STAGING_PREFIX = str(GRAPH["staging/"])


def default_store_url() -> str:
    """The store URL from ``$DIPLOGRAPH_STORE``, else ``oxigraph:data/store``."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


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

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        accept: str | None = None,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        """Run a query and serialise its result: in ``fmt``, or the best match for ``accept``.

        Backends override this with a faster native path; the result is always complete.
        """
        result = self.query(sparql, bindings=bindings, default_graphs=default_graphs,
                            named_graphs=named_graphs)
        chosen = fmt or _negotiate_for(result.kind, accept)
        return result.serialize(chosen), chosen

    @abstractmethod
    def named_graphs(self) -> list[URIRef]:
        """The named graphs in the store (staging graphs excluded)."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in one named graph, or in the whole store."""

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


def _negotiate_for(kind: str, accept: str | None) -> formats.Format:
    if kind == "CONSTRUCT":
        return formats.negotiate(accept, kinds=("graph", "dataset"), default="turtle")
    return formats.negotiate(accept, kinds=("results",), default="json")


class OxigraphGraph(DiploGraph):
    """A graph held by pyoxigraph: on disk (``oxigraph:PATH``) or in memory (``memory:``)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.url = f"oxigraph:{path}" if path is not None else "memory:"
        self.read_only = read_only
        self._write_lock = threading.Lock()
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"Cannot open the store at {path}: {exc}. Is another process "
                             "writing to it?") from exc
        if not read_only:
            self._drop_staging()

    # -- reading -----------------------------------------------------------------------------
    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None,
        default_graphs: Sequence[URIRef] | None,
        named_graphs: Sequence[URIRef] | None,
    ) -> object:
        kwargs: dict[str, object] = {}
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            return self.store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"The store could not answer: {exc}") from exc

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        raw = self._run(sparql, bindings, default_graphs, named_graphs)
        try:
            if isinstance(raw, ox.QuerySolutions):
                names = [v.value for v in raw.variables]
                rows = [
                    tuple(None if s[i] is None else to_rdflib(s[i]) for i in range(len(names)))
                    for s in raw
                ]
                return QueryResult("SELECT", names, rows)
            if isinstance(raw, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(raw))
            assert isinstance(raw, ox.QueryTriples)
            triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                       for t in raw]
            return QueryResult("CONSTRUCT", triples=triples)
        except OSError as exc:
            raise QueryError(f"The query failed while running: {exc}") from exc

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        accept: str | None = None,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        raw = self._run(sparql, bindings, default_graphs, named_graphs)
        kind = ("CONSTRUCT" if isinstance(raw, ox.QueryTriples)
                else "ASK" if isinstance(raw, ox.QueryBoolean) else "SELECT")
        chosen = fmt or _negotiate_for(kind, accept)
        if kind == "ASK" and chosen.key in ("csv", "tsv"):
            # SPARQL CSV/TSV have no boolean form; answer in JSON as other stores do
            chosen = formats.get("json")
        if chosen.oxigraph is None:
            raise QueryError(f"A {kind} result cannot be written as {chosen.label}.")
        try:
            if kind == "CONSTRUCT":
                if chosen.kind not in ("graph", "dataset"):
                    raise QueryError(f"A graph result cannot be written as {chosen.label}.")
                if chosen.kind == "dataset" or chosen.key in ("jsonld", "n3"):
                    # pyoxigraph writes triples in these; go through rdflib for a faithful form
                    result = self.query(sparql, bindings=bindings,
                                        default_graphs=default_graphs, named_graphs=named_graphs)
                    return result.serialize(chosen), chosen
                data = raw.serialize(format=getattr(ox.RdfFormat, chosen.oxigraph))  # type: ignore[attr-defined]
            else:
                if chosen.kind != "results":
                    raise QueryError(f"A {kind} result cannot be written as {chosen.label}.")
                data = raw.serialize(format=getattr(ox.QueryResultsFormat, chosen.oxigraph))  # type: ignore[attr-defined]
        except OSError as exc:
            raise QueryError(f"The query failed while running: {exc}") from exc
        return bytes(data or b""), chosen

    def named_graphs(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING_PREFIX)
        )

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self.store)
        res = self.store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(res))["n"].value)  # type: ignore[call-overload, union-attr]

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad of one named graph (or all), as rdflib terms."""
        g = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self.store.quads_for_pattern(None, None, None, g):
            if isinstance(q.graph_name, ox.NamedNode):
                yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
                       URIRef(q.graph_name.value))

    # -- writing -----------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"The store {self.url} was opened read-only.")

    def update(self, sparql: str) -> None:
        self._writable()
        with self._write_lock:
            try:
                self.store.update(sparql)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL Update syntax error: {exc}") from exc
            except OSError as exc:
                raise StoreError(f"The update failed: {exc}") from exc
            self._generation += 1

    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        self._writable()
        with self._write_lock:
            staged: list[ox.NamedNode] = []
            try:
                counts: list[int] = []
                ops: list[str] = []
                for source, triples in items:
                    staging = ox.NamedNode(STAGING_PREFIX + os.urandom(8).hex())
                    staged.append(staging)
                    # extend() is one transaction: all of the graph is staged or none of it
                    self.store.extend(
                        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), staging)  # type: ignore[arg-type]
                        for s, p, o in triples
                    )
                    n = self._count_ox(staging)
                    counts.append(n)
                    target = _n3(source.graph)
                    body = " ".join(f"{_n3(s)} {_n3(p)} {_n3(o)} ."
                                    for s, p, o in source.metadata(triples=n))
                    ops += [
                        f"DROP SILENT GRAPH {target}",
                        f"MOVE SILENT GRAPH {staging} TO GRAPH {target}",
                        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {target} ?p ?o }} }}",
                        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {body} }} }}",
                    ]
                # one update request is one transaction: every graph is swapped in, or none
                if ops:
                    self.store.update(" ;\n".join(ops))
            except OSError as exc:
                for staging in staged:
                    self._safe_drop(staging)
                raise StoreError(f"Writing failed; the store is unchanged: {exc}") from exc
            except BaseException:
                for staging in staged:
                    self._safe_drop(staging)
                raise
            self._generation += 1
            return counts

    def drop_graph(self, graph: URIRef) -> bool:
        self._writable()
        node = ox.NamedNode(str(graph))
        with self._write_lock:
            existed = self.store.contains_named_graph(node)
            self.store.update(
                f"DROP SILENT GRAPH <{graph}> ;"
                f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> ?p ?o }} }}"
            )
            self._generation += 1
            return existed

    def _count_ox(self, graph: ox.NamedNode) -> int:
        res = self.store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return int(next(iter(res))["n"].value)  # type: ignore[call-overload, union-attr]

    def _safe_drop(self, graph: ox.NamedNode) -> None:
        try:
            self.store.remove_graph(graph)
        except (OSError, RuntimeError):
            pass

    def _drop_staging(self) -> None:
        for g in list(self.store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                self.store.remove_graph(g)

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            try:
                self.store.flush()
            except OSError:
                pass


def _n3(term: Node) -> str:
    return str(to_oxigraph(term))


def open_graph(url: str | None = None, *, read_only: bool = False) -> DiploGraph:
    """Open the graph at a store URL (see the module docstring); ``None`` means the default."""
    url = url or default_store_url()
    if url in ("memory:", "memory"):
        return OxigraphGraph(None)
    if url.startswith("oxigraph:"):
        path = url[len("oxigraph:"):]
        if not path:
            raise StoreError("The store URL 'oxigraph:' needs a path, e.g. oxigraph:data/store.")
        return OxigraphGraph(Path(path).expanduser(), read_only=read_only)
    if url.startswith(("sparql+http://", "sparql+https://")):
        from diplograph.graph.remote import RemoteGraph

        return RemoteGraph.from_url(url)
    raise StoreError(
        f"Unknown store URL {url!r}: use oxigraph:PATH, memory: or sparql+http(s)://HOST/QUERY-PATH."
    )
