"""The embedded backend: a pyoxigraph store on disk (``oxigraph:PATH``, RocksDB) or in memory
(``memory:``), answering SPARQL in Oxigraph's engine.

Writes are all or nothing (see docs/stores.md): :mod:`.atomic` says how.

While a load runs, this process's own queries do not see the graphs being written.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import Problem, QueryError, StoreError, ValidationError
from diplograph.graph.store import (
    STAGING_PREFIX,
    DiploGraph,
    bulk,
    default_format,
    oxiresults,
    unknown_store_url,
)
from diplograph.graph.store.atomic import (
    _LOADING,
    _META,
    _RDF_VALUE,
    MARKER_GRAPH,
    AtomicWrites,
    WriteLock,
)
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.sparqltext import bind_values
from diplograph.graph.store.terms import to_oxigraph, to_rdflib
from diplograph.provenance import Source, Triple


def _remove_bulk_files(path: Path) -> None:
    """Remove the table files a bulk load killed midway left in the store folder (``bulk-*.sst``,
    never part of the store: a load moves its files in only when it completes). Safe only with
    the store's write lock held, which a writable open has: no other load can be running."""
    for leftover in path.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)


class OxigraphGraph(AtomicWrites, DiploGraph):
    """A graph held by pyoxigraph: on disk (``oxigraph:PATH``) or in memory (``memory:``)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.url = f"oxigraph:{path}" if path is not None else "memory:"
        self.read_only = read_only
        self._write_lock = WriteLock()
        #: graphs this process must not show: staging, marked, being loaded
        self._hidden: set[str] = set()
        #: why the last write failed (None: it did not); the next write reopens the store first
        self._write_failed: str | None = None
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(f"There is no store at {path}: `diplograph init` makes one.")
                self.store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except OSError as exc:
            hint = " Is another process writing to it?" if "lock" in str(exc).lower() else ""
            raise StoreError(f"Cannot open the store at {path}: {exc}.{hint}") from exc
        leftovers = self._leftovers()
        if leftovers and not read_only:
            self._recover(leftovers)
        else:
            self._hidden |= leftovers
        if path is not None and not read_only:
            _remove_bulk_files(path)

    # -- crash recovery ----------------------------------------------------------------------
    def _leftovers(self) -> set[str]:
        """Staging graphs and graphs whose load was never committed."""
        out = {
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)
        }
        if MARKER_GRAPH.value in out:
            out |= {
                q.subject.value
                for q in self.store.quads_for_pattern(None, _RDF_VALUE, _LOADING, MARKER_GRAPH)
                if isinstance(q.subject, ox.NamedNode)
            }
        return out

    def _recover(self, graphs: set[str]) -> None:
        # uncommitted graphs first, the markers last: a crash here is recovered next time
        for g in sorted(graphs, key=lambda v: v == MARKER_GRAPH.value):
            self.store.remove_graph(ox.NamedNode(g))

    # -- reading -----------------------------------------------------------------------------
    def _visible(self) -> list[ox.NamedNode]:
        return [
            g
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode)
            and not g.value.startswith(STAGING_PREFIX)
            and g.value not in self._hidden
        ]

    def _run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None,
        default_graphs: Sequence[URIRef] | None,
        named_graphs: Sequence[URIRef] | None,
    ) -> Any:
        kwargs: dict[str, Any] = {}
        hidden = bool(self._hidden)
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(str(g)) for g in default_graphs]
        elif hidden:
            kwargs["default_graph"] = self._visible()
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        elif hidden:
            kwargs["named_graphs"] = self._visible()
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            try:
                return self.store.query(sparql, **kwargs)
            except RuntimeError:
                if not bindings:
                    raise
                # Oxigraph substitutes only projected variables: bind the others by VALUES
                del kwargs["substitutions"]
                return self.store.query(bind_values(sparql, bindings), **kwargs)
        except RuntimeError as exc:
            raise QueryError(f"The query cannot be run: {exc}") from exc
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
        return oxiresults.to_result(self._run(sparql, bindings, default_graphs, named_graphs))

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        raw = self._run(sparql, bindings, default_graphs, named_graphs)
        kind = oxiresults.kind_of(raw)
        chosen = fmt or default_format(kind)
        if kind == "ASK" and chosen.key in ("csv", "tsv"):
            # SPARQL CSV/TSV have no boolean form; answer in JSON as other stores do
            chosen = formats.get("json")
        data = oxiresults.serialize(raw, chosen)
        if data is None:
            return oxiresults.to_result(raw).serialize(chosen), chosen
        return data, chosen

    def named_graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._visible())

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            if not self._hidden:
                return len(self.store)
            return sum(self._count_ox(g) for g in self._visible())
        if str(graph) in self._hidden:
            return 0
        return self._count_ox(ox.NamedNode(str(graph)))

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad of one named graph (or all visible ones), as rdflib terms."""
        targets = [ox.NamedNode(str(graph))] if graph is not None else self._visible()
        for g in targets:
            if g.value in self._hidden:
                continue
            for q in self.store.quads_for_pattern(None, None, None, g):
                yield (
                    to_rdflib(q.subject),
                    to_rdflib(q.predicate),
                    to_rdflib(q.object),
                    URIRef(g.value),
                )

    def dump(self, out: IO[bytes], fmt: formats.Format, *, graph: URIRef | None = None) -> None:
        if fmt.oxigraph is None or fmt.key in ("jsonld", "n3") or self._hidden:
            super().dump(out, fmt, graph=graph)
            return
        rdf_format = getattr(ox.RdfFormat, fmt.oxigraph)
        try:
            if graph is not None:
                self.store.dump(out, rdf_format, from_graph=ox.NamedNode(str(graph)))
            else:
                self.store.dump(out, rdf_format)
        except OSError as exc:
            raise StoreError(f"Dumping the store failed: {exc}") from exc

    def rdflib_dataset(self) -> Any:
        """The same store as an :class:`rdflib.Dataset` (through oxrdflib), for rdflib's API.

        Queries through it still run in Oxigraph's engine. Writes through it bypass
        diplograph's metadata graph: prefer :meth:`replace_graph`.
        """
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self.store), default_union=True)

    # -- writing -----------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"The store {self.url} was opened read-only.")
        if self._write_failed is not None:
            self._reopen()

    def _reopen(self) -> None:
        """Open the on-disk store again after a failed write. RocksDB stops writing at its first
        I/O error (a full disk: ENOSPC) and refuses every later write until it is opened again,
        so without this, writes stay refused after space returns. While the store cannot be
        opened for writing (still no space), it is opened read-only (reads go on) and the write
        is refused; the next one tries again."""
        with self._write_lock:
            if self._write_failed is None or self.path is None:
                self._write_failed = None
                return
            self.store = _Closed(self.url, "is being reopened after a failed write; try again")  # type: ignore[assignment]
            gc.collect()  # the old instance must be gone: it holds the store's lock
            try:
                self.store = ox.Store(str(self.path))
            except OSError as exc:
                with contextlib.suppress(OSError):  # else any use says why (_Closed)
                    self.store = ox.Store.read_only(str(self.path))
                raise StoreError(
                    f"Writing to the store is refused since a write failed ({self._write_failed})"
                    f"; it cannot be reopened for writing yet: {exc}."
                ) from exc
            _remove_bulk_files(self.path)
            self._write_failed = None

    def _failed(self, exc: OSError) -> None:
        """A write failed with an I/O error: the next write reopens the store (:meth:`_reopen`)."""
        if self.path is not None:
            self._write_failed = str(exc)

    def update(self, sparql: str) -> None:
        self._writable()
        with self._write_lock:
            try:
                self.store.update(sparql)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL Update syntax error: {exc}") from exc
            except OSError as exc:
                self._failed(exc)
                raise StoreError(f"The update failed; nothing was written: {exc}") from exc
            self._generation += 1

    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        return self._replace(
            [
                (src, [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples])
                for src, triples in items
            ]
        )

    def load_file(
        self,
        source: Source,
        path: Path,
        fmt: formats.Format,
        *,
        reader: bulk.Wrap | None = None,
        check: Callable[[int, Callable[[], list[Triple]]], None] | None = None,
    ) -> int:
        """Load an RDF file of triples into ``source.graph`` with Oxigraph's bulk loader, all or
        nothing. ``reader`` may wrap the open file (a progress bar); ``check`` gets the number of
        triples loaded and a function returning them, before the commit, and raises to abandon
        the load (SHACL)."""
        rdf_format = getattr(ox.RdfFormat, fmt.oxigraph or "")

        def load(target: ox.NamedNode) -> None:
            try:
                bulk.load(
                    self.store,
                    path,
                    rdf_format,
                    target,
                    line_based=fmt.key in ("ntriples", "nquads"),
                    wrap=reader,
                )
            except SyntaxError as exc:
                line = exc.lineno if exc.lineno is not None else "?"
                raise ValidationError([Problem(f"{path}:{line}", _syntax_message(exc))]) from exc
            if check is not None:
                check(
                    self._count_ox(target),
                    lambda: [
                        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                        for q in self.store.quads_for_pattern(None, None, None, target)
                    ],
                )

        return self._replace([(source, load)])[0]

    def drop_graph(self, graph: URIRef) -> bool:
        self._writable()
        node = ox.NamedNode(str(graph))
        with self._write_lock:
            existed = self.store.contains_named_graph(node)
            try:
                self.store.update(
                    f"DROP SILENT GRAPH {node} ;DELETE WHERE {{ GRAPH {_META} {{ {node} ?p ?o }} }}"
                )
            except OSError as exc:
                self._failed(exc)
                raise StoreError(f"Dropping {graph} failed; nothing was written: {exc}") from exc
            self._generation += 1
            return existed

    def close(self) -> None:
        """Flush and release the store (on disk: its lock, so another process can open it)."""
        if isinstance(self.store, _Closed):
            return
        if self.path is not None and not self.read_only:
            with contextlib.suppress(OSError):
                self.store.flush()
        self.store = _Closed(self.url)  # type: ignore[assignment]


def open_url(url: str, *, read_only: bool = False, token: str | None = None) -> OxigraphGraph:
    """Open ``memory:`` (in memory) or ``oxigraph:PATH`` (on disk, read-only if asked); a local
    store takes no ``token``."""
    if url in ("memory:", "memory"):
        return OxigraphGraph(None)
    if not url.startswith("oxigraph:"):
        raise unknown_store_url(url)
    path = url[len("oxigraph:") :]
    if not path:
        raise StoreError("The store URL 'oxigraph:' needs a path, e.g. oxigraph:data/store.")
    return OxigraphGraph(Path(path).expanduser(), read_only=read_only)


class _Closed:
    """Stands for the store of a closed graph: any use is a clear error."""

    def __init__(self, url: str, why: str = "was closed; open it again with open_graph()") -> None:
        self._url = url
        self._why = why

    def __getattr__(self, name: str) -> Any:
        raise StoreError(f"The store {self._url} {self._why}.")


def _syntax_message(exc: SyntaxError) -> str:
    text = str(exc.msg if exc.msg else exc)
    # pyoxigraph says "Parser error at line 3 between columns 1 and 4: ..."; keep the reason
    head, sep, reason = text.partition(": ")
    return reason if sep and head.startswith("Parser error") else text
