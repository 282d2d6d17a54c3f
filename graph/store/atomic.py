"""How the embedded store (:mod:`.embedded`) writes named graphs all or nothing.

- a named graph that does not exist yet is written straight into place (``bulk_load`` or
  ``bulk_extend``, fast) after a *loading marker* naming it was committed to the staging marker
  graph; a graph that exists already is changed by one SPARQL update that deletes what went away
  and inserts what is new (one transaction);
- the commit point is one SPARQL update that writes the descriptions in the metadata graph, the
  changes to existing graphs and removes the markers;
- a process killed before the commit leaves marked graphs and staging graphs behind: the next
  open for writing drops them (a read-only open hides them), so the store shows the old state.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from diplograph.errors import StoreError
from diplograph.graph.store import STAGING_PREFIX, diff
from diplograph.graph.store.terms import to_oxigraph
from diplograph.iri import GRAPH, META_GRAPH
from diplograph.provenance import Source

#: Marks named graphs whose load has not been committed: ``<graph> rdf:value "loading"``.
MARKER_GRAPH = ox.NamedNode(str(GRAPH["staging/loading"]))
_RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
_LOADING = ox.Literal("loading")
_META = ox.NamedNode(str(META_GRAPH))
_Content = list[tuple[Any, Any, Any]] | Callable[[ox.NamedNode], None]


class WriteLock:
    """The single writer's lock (reentrant), counting the writes begun so that a reader can
    tell whether a write ran while it read (:meth:`AtomicWrites.read_stamp`)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.depth = 0  # writes running (nested ones counted): not 0 while one runs
        self.begun = 0  # writes begun since the store was opened

    def __enter__(self) -> WriteLock:
        self._lock.acquire()
        # depth first: a reader reads begun, then depth (read_stamp), so a write that begins
        # between those two reads is seen running, or it moves begun
        self.depth += 1
        self.begun += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        self._lock.release()


class AtomicWrites:
    """The write path of :class:`~.embedded.OxigraphGraph` (see the module docstring)."""

    store: ox.Store
    _hidden: set[str]
    _write_lock: WriteLock
    _generation: int

    def read_stamp(self) -> tuple[int, int] | None:
        """``(writes begun, generation)``, or None while a write runs. A reader that reads the
        store without the writer's lock and gets the same stamp, not None, before and after its
        read saw one committed state, the one that generation names (no write ran meanwhile,
        and no staging graph of a write was there to be seen)."""
        begun = self._write_lock.begun
        if self._write_lock.depth:
            return None
        return begun, self._generation

    def _writable(self) -> None:
        raise NotImplementedError

    def _failed(self, exc: OSError) -> None:
        raise NotImplementedError

    def _replace(self, items: Sequence[tuple[Source, _Content]]) -> list[int]:
        """Write each item's graph (its triples, or a callable that fills the graph it is given),
        then commit all descriptions and changes in one update. See the module docstring."""
        self._writable()
        with self._write_lock:
            created: list[ox.NamedNode] = []
            staged: list[ox.NamedNode] = []
            try:
                self._create_fresh(items, created)
                ops: list[str] = []
                counts: list[int] = []
                when = datetime.now(UTC).replace(microsecond=0)  # one write, one load time
                for source, content in items:
                    target = ox.NamedNode(str(source.graph))
                    n, changes = self._fill(target, content, target in created, staged)
                    counts.append(n)
                    ops += changes + _describe_ops(source, target, n, when)
                if created:
                    ops.append(f"DROP SILENT GRAPH {MARKER_GRAPH}")
                # the commit: one update request is one transaction
                if ops:
                    self.store.update(" ;\n".join(ops))
                created = []
            except BaseException as exc:
                self._abandon(created)
                if isinstance(exc, OSError):
                    self._failed(exc)
                    raise StoreError(f"Writing failed; the store is unchanged: {exc}") from exc
                raise
            finally:
                for staging in staged:
                    self._safe_drop(staging)
                self._hidden -= {s.value for s in staged}
                self._hidden -= {str(src.graph) for src, _ in items}
            self._generation += 1
            return counts

    def _create_fresh(
        self, items: Sequence[tuple[Source, _Content]], created: list[ox.NamedNode]
    ) -> None:
        """Create (hidden, with a marker saying they are loading) the graphs the store does not
        hold yet, adding each to ``created`` before anything is written."""
        existing = set(self.store.named_graphs())
        fresh = [
            ox.NamedNode(str(src.graph))
            for src, _ in items
            if ox.NamedNode(str(src.graph)) not in existing
        ]
        if len(set(fresh)) != len(fresh) or len({s.graph for s, _ in items}) != len(items):
            raise StoreError("The same named graph was given twice in one write.")
        self._hidden |= {g.value for g in fresh}
        if fresh:
            created += fresh
            self.store.extend(ox.Quad(g, _RDF_VALUE, _LOADING, MARKER_GRAPH) for g in fresh)
            for g in fresh:  # so that a source with no triples still has its graph
                self.store.add_graph(g)

    def _fill(
        self,
        target: ox.NamedNode,
        content: _Content,
        fresh: bool,
        staged: list[ox.NamedNode],
    ) -> tuple[int, list[str]]:
        """Write one graph's content: straight into a fresh graph, else as the update operations
        that turn the old graph into the new one. Its number of triples, and those operations."""
        if fresh:
            if callable(content):
                content(target)
            else:
                self.store.bulk_extend(ox.Quad(s, p, o, target) for s, p, o in content)
            return self._count_ox(target), []
        if callable(content):
            staging = ox.NamedNode(STAGING_PREFIX + os.urandom(8).hex())
            staged.append(staging)
            self._hidden.add(staging.value)
            content(staging)
            keys = diff.keys_of_quads(self.store.quads_for_pattern(None, None, None, staging))
        else:
            keys = {(str(s), str(p), str(o)) for s, p, o in content}
        return len(keys), self._diff_ops(keys, target)

    def _abandon(self, created: list[ox.NamedNode]) -> None:
        """Undo an uncommitted write: drop the graphs it created, then their markers."""
        for g in created:
            self._safe_drop(g)
        if created:
            self._safe_drop(MARKER_GRAPH)

    def _diff_ops(self, new: set[diff.Key], target: ox.NamedNode) -> list[str]:
        """Operations that turn ``target`` into ``new`` (see :mod:`.diff`)."""
        old = diff.keys_of_quads(self.store.quads_for_pattern(None, None, None, target))
        return diff.update_ops(old, new, str(target))

    def _count_ox(self, graph: ox.NamedNode) -> int:
        res = self.store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        assert isinstance(res, ox.QuerySolutions)
        n = next(iter(res))["n"]
        return int(n.value) if isinstance(n, ox.Literal) else 0

    def _safe_drop(self, graph: ox.NamedNode) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self.store.remove_graph(graph)


def _describe_ops(source: Source, target: ox.NamedNode, n: int, when: datetime) -> list[str]:
    """The update operations that replace a graph's description in the metadata graph."""
    body = " ".join(
        f"{_n3(s)} {_n3(p)} {_n3(o)} ." for s, p, o in source.metadata(triples=n, loaded_at=when)
    )
    return [
        f"DELETE WHERE {{ GRAPH {_META} {{ {target} ?p ?o }} }}",
        f"INSERT DATA {{ GRAPH {_META} {{ {body} }} }}",
    ]


def _n3(term: Node) -> str:
    return str(to_oxigraph(term))
