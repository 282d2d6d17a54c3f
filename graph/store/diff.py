"""What changed between a named graph in a store and the new triples of its source, as SPARQL
Update operations: reloading an unchanged source writes nothing, a changed one writes only the
difference. Used by both the embedded and the remote backends inside their one-transaction
commit.

Triples are compared as N-Triples terms. Blank nodes have no stable identity across loads (and
cannot be named in ``DELETE DATA``): when any blank-node triple went away, every blank-node triple
of the graph is deleted by pattern and the new ones inserted with ``INSERT {…} WHERE {}`` (which,
unlike ``INSERT DATA``, every server accepts with blank nodes, Virtuoso included).

>>> old = {("<http://a>", "<http://p>", '"1"'), ("<http://a>", "<http://p>", '"2"')}
>>> new = {("<http://a>", "<http://p>", '"2"'), ("<http://a>", "<http://p>", '"3"')}
>>> update_ops(old, new, "<http://g>")  # doctest: +NORMALIZE_WHITESPACE
['DELETE DATA { GRAPH <http://g> { <http://a> <http://p> "1" . } }',
 'INSERT DATA { GRAPH <http://g> { <http://a> <http://p> "3" . } }']
>>> update_ops(new, new, "<http://g>")
[]
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from diplograph.graph.store.terms import to_oxigraph
from diplograph.provenance import Triple

Key = tuple[str, str, str]  # a triple as N-Triples terms


def keys_of_quads(quads: Iterable[ox.Quad | ox.Triple]) -> set[Key]:
    """pyoxigraph quads or triples as N-Triples keys."""
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def keys_of(triples: Iterable[Triple]) -> set[Key]:
    """rdflib triples as N-Triples keys."""
    return {(str(to_oxigraph(s)), str(to_oxigraph(p)), str(to_oxigraph(o))) for s, p, o in triples}


def _blank(s: str, o: str) -> bool:
    return s.startswith("_:") or o.startswith("_:")


def insert_op(target: str, keys: Iterable[Key]) -> str:
    """One operation inserting ``keys`` into ``target`` (``INSERT {…} WHERE {}`` when there are
    blank nodes, so that their labels join within the operation)."""
    rows = list(keys)
    body = " ".join(f"{s} {p} {o} ." for s, p, o in rows)
    if any(_blank(s, o) for s, _, o in rows):
        return f"INSERT {{ GRAPH {target} {{ {body} }} }} WHERE {{ }}"
    return f"INSERT DATA {{ GRAPH {target} {{ {body} }} }}"


def update_ops(old: set[Key], new: set[Key], target: str) -> list[str]:
    """Operations that turn graph ``target`` (an N-Triples IRI ``<…>``) holding ``old`` into one
    holding ``new``."""
    ops = []
    gone, added = old - new, new - old
    if gone:
        body = " ".join(f"{s} {p} {o} ." for s, p, o in gone if not _blank(s, o))
        if body:
            ops.append(f"DELETE DATA {{ GRAPH {target} {{ {body} }} }}")
        if any(_blank(s, o) for s, _, o in gone):
            ops.append(
                f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {target} "
                "{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) } }"
            )
            added |= {t for t in new if _blank(t[0], t[2])}
    if added:
        ops.append(insert_op(target, added))
    return ops
