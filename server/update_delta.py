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

An update with ``LOAD`` comes as :class:`Step`\\ s: the server has fetched each source to a file
(:mod:`.fetch`; the worker has no network), and the worker runs the other operations and loads
each file into its graph, in the order of the request (:func:`run_steps`). When the changes are
not exact, the update's own text is the steps with each source written in as ``INSERT DATA``
(:func:`own_text`), read here too, so that the server never parses a source.

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
from typing import Any, NamedTuple

import pyoxigraph as ox

from diplograph.server.worker import Changes, Failure

#: in ``targets``: the update may change any named graph
ANY_GRAPH = "*"

Graph = ox.NamedNode | ox.DefaultGraph


class Step(NamedTuple):
    """One part of an update with ``LOAD``, run in order: operations (``sparql``), or a fetched
    source (``path``) to load."""

    sparql: str = ""
    declared: str = ""  # the PREFIX and BASE declarations made before it
    source: str = ""  # the IRI the LOAD names, for messages
    path: str = ""  # the fetched file ("": this step is ``sparql``)
    format: str = ""  # its pyoxigraph RdfFormat name ...
    label: str = ""  # ... and the format's name for people
    base: str = ""  # where it was read from: the base of its relative IRIs
    graph: str = ""  # the graph it goes into ("": the default graph)
    silent: bool = False  # LOAD SILENT: a source that is not valid loads nothing


class SourceInvalid(Exception):
    """A LOAD's source is not valid in its format (the message says where)."""


def _read(step: Step) -> list[ox.Quad] | None:
    """The quads of a fetched source, in the step's graph; None when it is not valid and the
    LOAD is SILENT (raises :class:`SourceInvalid` otherwise)."""
    graph = ox.NamedNode(step.graph) if step.graph else ox.DefaultGraph()
    try:
        triples = ox.parse(
            path=step.path, format=getattr(ox.RdfFormat, step.format), base_iri=step.base or None
        )
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    except (SyntaxError, ValueError) as exc:
        if step.silent:
            return None
        message = f"LOAD <{step.source}>: the source is not valid {step.label}: {exc}."
        raise SourceInvalid(message) from None


def run_steps(store: ox.Store, steps: Sequence[Step]) -> None:
    """Run an update given as steps on ``store``, in order (a step that fails leaves the steps
    before it done: :func:`evaluate` undoes them)."""
    for step in steps:
        if not step.path:
            store.update(f"{step.declared} {step.sparql}")
        elif (quads := _read(step)) is not None:
            store.extend(quads)


def own_text(steps: Sequence[Step]) -> str:
    """The update of ``steps`` as one SPARQL Update: each source written in as ``INSERT DATA``
    (its blank nodes as fresh labels, as LOAD would create them), the declarations first (the
    engine reads them only there)."""
    parts = [steps[-1].declared if steps else ""]
    for step in steps:
        if not step.path:
            parts.append(step.sparql)
        elif quads := _read(step):
            parts.append(f"INSERT DATA {{ {_data(quads)} }}")
    return parts[0] + " " + " ;\n".join(parts[1:]) if len(parts) > 1 else ""


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
    store: ox.Store,
    update: str,
    targets: Sequence[str],
    graphs: Sequence[str] = (),
    steps: Sequence[Step] = (),
) -> tuple[str, bool]:
    """Run ``update`` on ``store``, undo it, and return the update of concrete data that makes
    the same changes ("" when nothing changed) and whether it is exact (module docstring).
    ``graphs``: named graphs of the durable store the copy must have for the update (empty ones,
    which an N-Quads snapshot leaves out), added for the time of the evaluation. ``steps``: the
    update as steps (it has LOAD), run instead of ``update``. Raises what ``store.update``
    raises (``SyntaxError``, ``OSError``) or :class:`SourceInvalid`, with nothing changed."""
    missing = {ox.NamedNode(g) for g in graphs} - set(store.named_graphs())
    for g in missing:
        store.add_graph(g)
    try:
        return _evaluate(store, update, targets, steps)
    finally:
        for g in missing:
            store.remove_graph(g)


class _Dirty(Exception):
    """Steps failed and the copy could not be brought back: the worker must be replaced."""


def _evaluate(
    store: ox.Store, update: str, targets: Sequence[str], steps: Sequence[Step]
) -> tuple[str, bool]:
    names_before = set(store.named_graphs())
    size_before = len(store)
    scope = _scope(store, targets)
    before = _quads(store, scope)
    failed: Exception | None = None
    try:
        run_steps(store, steps) if steps else store.update(update)
    except (SyntaxError, OSError, ValueError, RuntimeError, SourceInvalid) as exc:
        if not steps:
            raise  # one update: nothing was changed
        failed = exc  # the steps before the one that failed are undone below
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
    if failed is not None:
        if len(store) != size_before or set(store.named_graphs()) != names_before:
            raise _Dirty(f"the copy could not be restored after: {failed}")
        raise failed
    ops = [f"DELETE DATA {{ {_data(deleted)} }}"] if deleted else []
    ops += [f"DROP SILENT GRAPH {g}" for g in sorted(dropped, key=str)]
    ops += [f"INSERT DATA {{ {_data(inserted)} }}"] if inserted else []
    ops += [f"CREATE SILENT GRAPH {g}" for g in sorted(created, key=str)]
    return " ;\n".join(ops), exact


def reply_to(store: ox.Store, fields: Mapping[str, Any], generation: int) -> Changes | Failure:
    """A worker's reply to an update (``fields``: an ``UpdateRequest`` as a dict): what it
    changes, or why it failed (``source``: a LOAD's source is not valid; ``sync`` when the copy
    may be left changed: the worker exits). For an update with LOAD whose changes are not
    exact, the text answered is its :func:`own_text`."""
    steps = [Step(*step) for step in fields.get("steps") or ()]
    try:
        text, exact = evaluate(store, fields["sparql"], fields["targets"], fields["graphs"], steps)
        if steps and not exact:
            text = own_text(steps)  # the server runs it: the sources read here, not there
        return Changes(generation, text, exact)
    except SourceInvalid as exc:
        return Failure("source", str(exc), generation)
    except SyntaxError as exc:
        return Failure("syntax", str(exc), generation)
    except (OSError, ValueError, RuntimeError) as exc:
        return Failure("failed", str(exc), generation)
    except Exception:
        return Failure("sync", traceback.format_exc(), generation)
