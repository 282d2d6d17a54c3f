"""What a SPARQL Update changes, found by running it on a query worker's copy of the store.

An update is evaluated in a worker process (:mod:`.worker`), where it can be stopped (the worker
is killed after ``update_timeout``) and where a crash costs only the worker. :func:`evaluate`
runs it on the copy, reads what it changed in the graphs it may write (``targets``: from
:func:`~diplograph.server.update_targets.written_graphs`; the default graph always) and undoes
it, so the copy is left as it was. What it returns is one SPARQL Update with only concrete data
(``DELETE DATA``, ``DROP SILENT GRAPH``, ``INSERT DATA``, ``CREATE SILENT GRAPH``): the server
applies that to the durable store in one transaction, and the other copies replay the same text,
so a write with ``NOW()``, ``UUID()`` or new blank nodes reaches every copy as the same data.

That text stands for the update only when the changes name no blank node the store held before
(a new blank node is written as ``_:label`` and is created afresh, as the update itself would
create it; an existing one cannot be named in SPARQL), and when the changes are all in the
graphs read (the size of the store moved by exactly what was found): :attr:`Changes.exact`.
Otherwise the server runs the update's own text, which the worker has just shown ends in time.

This module imports only pyoxigraph and the standard library (a worker starts fast).

>>> store = ox.Store()
>>> store.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "old" } }')
>>> text, exact = evaluate(
...     store, 'DELETE { GRAPH <urn:g> { ?s <urn:p> ?o } } INSERT { GRAPH <urn:g> { ?s <urn:p> '
...     '"new" } } WHERE { GRAPH <urn:g> { ?s <urn:p> ?o } }', ["urn:g"])
>>> print(text)
DELETE DATA { GRAPH <urn:g> { <urn:s> <urn:p> "old" . } } ;
INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "new" . } }
>>> exact, [str(q.object) for q in store]  # the copy is left as it was
(True, ['"old"'])
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from diplograph.server.worker import Changes, Failure

#: in ``targets``: the update may change any named graph
ANY_GRAPH = "*"

Graph = ox.NamedNode | ox.DefaultGraph


def _scope(store: ox.Store, targets: Sequence[str]) -> set[Graph]:
    if ANY_GRAPH in targets:
        return {
            ox.DefaultGraph(),
            *(g for g in store.named_graphs() if isinstance(g, ox.NamedNode)),
        }
    return {ox.DefaultGraph(), *(ox.NamedNode(t) for t in targets)}


def _quads(store: ox.Store, graphs: Iterable[Graph]) -> set[ox.Quad]:
    return {q for g in graphs for q in store.quads_for_pattern(None, None, None, g)}


def _data(quads: Iterable[ox.Quad]) -> str:
    """Quads as the inside of ``INSERT DATA { … }``, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = [" ".join(sorted(by_graph.pop("", [])))]
    parts += [f"GRAPH {g} {{ {' '.join(sorted(by_graph[g]))} }}" for g in sorted(by_graph)]
    return " ".join(p for p in parts if p)


def _blank_nodes(quads: Iterable[ox.Quad]) -> set[ox.BlankNode]:
    return {term for q in quads for term in (q.subject, q.object) if isinstance(term, ox.BlankNode)}


def _only_new_blank_nodes(store: ox.Store, deleted: set[ox.Quad], inserted: set[ox.Quad]) -> bool:
    """Whether every blank node of the changes was made by the update: none is in a deleted
    quad, and none is in a quad of the store (after the update) that it did not insert."""
    if _blank_nodes(deleted):
        return False
    for node in _blank_nodes(inserted):
        for pattern in ((node, None, None, None), (None, None, node, None)):
            if any(q not in inserted for q in store.quads_for_pattern(*pattern)):
                return False
    return True


def evaluate(
    store: ox.Store, update: str, targets: Sequence[str], graphs: Sequence[str] = ()
) -> tuple[str, bool]:
    """Run ``update`` on ``store``, undo it, and return the update of concrete data that makes
    the same changes ("" when nothing changed) and whether it is exact (module docstring).
    ``graphs``: named graphs of the durable store the copy must have for the update (empty ones,
    which an N-Quads snapshot leaves out), added for the time of the evaluation. Raises what
    ``store.update`` raises (``SyntaxError``, ``OSError``), with nothing changed."""
    missing = {ox.NamedNode(g) for g in graphs} - set(store.named_graphs())
    for g in missing:
        store.add_graph(g)
    try:
        return _evaluate(store, update, targets)
    finally:
        for g in missing:
            store.remove_graph(g)


def _evaluate(store: ox.Store, update: str, targets: Sequence[str]) -> tuple[str, bool]:
    names_before = set(store.named_graphs())
    size_before = len(store)
    scope = _scope(store, targets)
    before = _quads(store, scope)
    store.update(update)
    names_after = set(store.named_graphs())
    scope |= _scope(store, targets)
    after = _quads(store, scope)
    deleted, inserted = before - after, after - before
    created, dropped = names_after - names_before, names_before - names_after
    exact = len(store) - size_before == len(inserted) - len(deleted) and _only_new_blank_nodes(
        store, deleted, inserted
    )
    # undo: the copy stays at its generation and replays what the server writes, like the others
    for q in inserted:
        store.remove(q)
    store.extend(deleted)
    for g in created:
        store.remove_graph(g)
    for g in dropped:
        store.add_graph(g)
    ops = [f"DELETE DATA {{ {_data(deleted)} }}"] if deleted else []
    ops += [f"DROP SILENT GRAPH {g}" for g in sorted(dropped, key=str)]
    ops += [f"INSERT DATA {{ {_data(inserted)} }}"] if inserted else []
    ops += [f"CREATE SILENT GRAPH {g}" for g in sorted(created, key=str)]
    return " ;\n".join(ops), exact


def reply_to(store: ox.Store, fields: Mapping[str, Any], generation: int) -> Changes | Failure:
    """A worker's reply to an update (``fields``: an ``UpdateRequest`` as a dict): what it
    changes, or why it failed (``sync`` when the copy may be left changed: the worker exits)."""
    try:
        text, exact = evaluate(store, fields["sparql"], fields["targets"], fields["graphs"])
        return Changes(generation, text, exact)
    except SyntaxError as exc:
        return Failure("syntax", str(exc), generation)
    except (OSError, ValueError, RuntimeError) as exc:
        return Failure("failed", str(exc), generation)
    except Exception:
        return Failure("sync", traceback.format_exc(), generation)
