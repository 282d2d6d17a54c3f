"""Finding entities by name: a full-text index of labels and aliases, kept in step with the store.

The index holds every entity under the data base (``https://w3id.org/diplograph/id/``) with its
kind (the first segment of its path: ``state``, ``person``, ``organization``, ``agreement``,
``claim``, ``concept``...), its label (the one the pages and exports show: the label rule of
:func:`diplograph.graph.describe.labels.pick_labels`) and every name it has (``rdfs:label``,
``skos:prefLabel``, ``skos:altLabel``, ``dg:alias``). Hits are ranked exact name, then prefix,
then words (see :meth:`.index.Lookup.search`).

Where it lives: beside an on-disk store, as a SQLite file (``oxigraph:data/store`` ->
``data/store.search.sqlite``), written by ``diplograph build`` and by every write the loading code
makes (:func:`refresh`); in memory for ``memory:`` and remote (``sparql+http``) stores, built from
a query the first time it is needed.

How it stays in step: the index records a *stamp* of the store it was built from (the metadata
graph's sources with their content hashes and load times, and the number of name triples). The
first search in a process compares the stamp with the store's and rebuilds when they differ (a
write by another process, a store built by an older version); after that, every change of the
graph object's :attr:`~diplograph.graph.store.DiploGraph.generation` (a write through it, such as
a SPARQL Update) rebuilds it. A rebuild is one query over the store and takes about as long as a
page of the site (about a second on the bundled store); a search is a few SQLite lookups.

>>> from diplograph.graph.store import open_graph
>>> g = open_graph("memory:")
>>> g.update('INSERT DATA { GRAPH <urn:x:g> { <https://w3id.org/diplograph/id/person/x> '
...          '<http://www.w3.org/2000/01/rdf-schema#label> "Xavier Example"@en } }')
>>> [(h.label, h.kind, h.match) for h in search(g, "exa")]
[('Xavier Example', 'person', 'words')]
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph import formats
from diplograph.graph.describe.labels import pick_labels
from diplograph.graph.search.index import (
    MATCHES,
    Entry,
    Hit,
    Lookup,
    connect,
    normalise,
    read_stamp,
    write_index,
)
from diplograph.graph.store import DiploGraph
from diplograph.iri import ID, META_GRAPH

__all__ = ["MATCHES", "Hit", "SearchIndex", "index_for", "index_path", "normalise", "refresh"]
__all__ += ["search", "suggest"]

_NAME_PREDICATES = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    "<http://www.w3.org/2004/02/skos/core#altLabel>",
    "<https://w3id.org/diplograph/ontology#alias>",
)
_VALUES = f"VALUES ?p {{ {' '.join(_NAME_PREDICATES)} }}"
_NAMES = f"""SELECT ?s ?p ?name WHERE {{
  {_VALUES} ?s ?p ?name
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}") && isLITERAL(?name))
}}"""
_STAMP_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_VALUES} ?s ?p ?name }}"
_STAMP_SOURCES = f"""SELECT ?g ?hash ?when WHERE {{ GRAPH <{META_GRAPH}> {{
  ?g <https://w3id.org/diplograph/ontology#contentHash> ?hash .
  OPTIONAL {{ ?g <http://purl.org/dc/terms/modified> ?when }}
}} }}"""
SUFFIX = ".search.sqlite"
#: How entries are read, part of the stamp: an index read another way (an older label rule) is
#: rebuilt on its first use.
_BUILT_BY = "entries: names of rdfs/skos/dg:alias; label by describe.labels.pick_labels"


def index_path(url: str) -> Path | None:
    """Where the index of the store at ``url`` is kept: beside an ``oxigraph:PATH`` store, None
    (in memory) for any other."""
    if not url.startswith("oxigraph:") or len(url) == len("oxigraph:"):
        return None
    store = Path(url[len("oxigraph:") :]).expanduser()
    return store.with_name(store.name + SUFFIX)


def _rows(graph: DiploGraph, sparql: str) -> Iterator[list[Any]]:
    """The rows of a SELECT as pyoxigraph terms, read from TSV (fast: no rdflib terms)."""
    body, fmt = graph.query_serialized(sparql, formats.get("tsv"))
    parsed = ox.parse_query_results(
        body, format=getattr(ox.QueryResultsFormat, fmt.oxigraph or "TSV")
    )
    assert isinstance(parsed, ox.QuerySolutions)
    variables = parsed.variables
    for solution in parsed:
        yield [solution[v] for v in variables]


def store_stamp(graph: DiploGraph) -> str:
    """What the index records of the store it was built from (see the module docstring)."""
    sources = sorted(
        "\t".join("" if t is None else t.value for t in row) for row in _rows(graph, _STAMP_SOURCES)
    )
    count = [row[0].value if row[0] is not None else "0" for row in _rows(graph, _STAMP_COUNT)]
    text = "\n".join([_BUILT_BY, *sources, *count])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:32]


def _pref(predicate: str) -> int:
    """0 for a ``skos:prefLabel``, 1 for an ``rdfs:label`` (as in
    :data:`~diplograph.graph.describe.labels.LABEL_PATTERN`), 2 for any other name."""
    return 0 if predicate.endswith("#prefLabel>") else 1 if predicate.endswith("#label>") else 2


def read_entries(graph: DiploGraph) -> list[Entry]:
    """Every named entity of ``graph`` with its kind, label and names (one query). The label is
    the one the pages and exports show (:func:`~diplograph.graph.describe.labels.pick_labels`);
    an entity with aliases only is labelled by the first of them."""
    found: dict[str, dict[str, int]] = {}
    candidates: list[tuple[str, str, str, int]] = []
    base = len(str(ID))
    for s, p, name in _rows(graph, _NAMES):
        if not isinstance(s, ox.NamedNode) or not isinstance(name, ox.Literal) or p is None:
            continue
        names = found.setdefault(s.value, {})
        pref = _pref(str(p))
        if pref < 2:
            candidates.append((s.value, name.value, name.language or "", pref))
        names[name.value] = min(pref, names.get(name.value, pref))
    labels = pick_labels(candidates)
    entries = []
    for iri, names in found.items():
        ordered = sorted(names, key=lambda n: (names[n], n))
        label = labels.get(iri, ordered[0])
        kind = iri[base:].split("/", 1)[0] or "entity"
        entries.append(Entry(iri, kind, label, (label, *(n for n in ordered if n != label))))
    return entries


class SearchIndex:
    """The search index of one store: a file beside it (``path``) or in memory (None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lookup: Lookup | None = None
        self._generation: int | None = None
        self._lock = threading.RLock()

    def rebuild(self, graph: DiploGraph) -> None:
        """Build the index afresh from ``graph`` (on disk: written atomically)."""
        with self._lock:
            generation = graph.generation
            stamp = store_stamp(graph)
            conn = self._write(read_entries(graph), stamp)
            if self._lookup is not None:
                self._lookup.close()
            self._lookup = Lookup(conn)
            self._generation = generation

    def _write(self, entries: list[Entry], stamp: str) -> sqlite3.Connection:
        try:
            return write_index(self.path, entries, stamp)
        except OSError:
            if self.path is None:
                raise
            self.path = None  # a read-only directory: keep it in memory
            return write_index(None, entries, stamp)

    def ensure(self, graph: DiploGraph) -> Lookup:
        """The index, rebuilt first if ``graph`` changed since it was built (see the module
        docstring)."""
        with self._lock:
            if self._lookup is not None and self._generation == graph.generation:
                return self._lookup
            if self._lookup is None and self.path is not None and self.path.is_file():
                conn = connect(self.path)
                if read_stamp(conn) == store_stamp(graph):
                    self._lookup, self._generation = Lookup(conn), graph.generation
                    return self._lookup
                conn.close()
            self.rebuild(graph)
            assert self._lookup is not None
            return self._lookup

    def search(
        self, graph: DiploGraph, text: str, *, limit: int = 10, kinds: Sequence[str] | None = None
    ) -> list[Hit]:
        """The entities of ``graph`` named like ``text``, best first (see the module)."""
        return self.ensure(graph).search(text, limit=limit, kinds=kinds)


_INDEXES: weakref.WeakKeyDictionary[object, SearchIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def index_for(graph: DiploGraph, *, key: object | None = None) -> SearchIndex:
    """The :class:`SearchIndex` of ``graph``, one per store object (``key``, default the graph:
    a view over a store, such as the server's guarded one, passes the store)."""
    owner = graph if key is None else key
    with _INDEXES_LOCK:
        index = _INDEXES.get(owner)
        if index is None:
            index = _INDEXES[owner] = SearchIndex(index_path(graph.url))
        return index


def search(
    graph: DiploGraph,
    text: str,
    *,
    limit: int = 10,
    kinds: Sequence[str] | None = None,
    key: object | None = None,
) -> list[Hit]:
    """The entities of ``graph`` whose names match ``text``, best first."""
    return index_for(graph, key=key).search(graph, text, limit=limit, kinds=kinds)


def suggest(
    graph: DiploGraph, path: str, *, limit: int = 8, key: object | None = None
) -> list[Hit]:
    """Entities named like the data path ``path`` (``person/lavrov``, or a full IRI under the data
    base) that names nothing: those of its kind first, then any kind, then by the beginnings of
    its words (a misspelt name)."""
    path = path[len(str(ID)) :] if path.startswith(str(ID)) else path.strip("/")
    kind, _, rest = path.partition("/")
    words = normalise(rest or kind)
    kinds = [kind] if rest else None
    for text, only in (
        (words, kinds),
        (words, None),
        (" ".join(w[:4] for w in words.split()), None),
    ):
        hits = search(graph, text, limit=limit, kinds=only, key=key) if text else []
        if hits:
            return hits
    return []


def refresh(graph: DiploGraph) -> None:
    """Bring the index of ``graph`` in step after a write (the loading code calls it)."""
    index_for(graph).ensure(graph)
