"""Labels of resources: the one label rule (:func:`pick_labels`: ``skos:prefLabel`` or
``rdfs:label``, English first) and the labels of IRIs. Used by the named queries, the CLI
tables, the linked-data descriptions, the server's pages and the network exports alike.
(Reading an IRI a person typed is :func:`diplograph.iri.expand_iri`, re-exported here.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, cast

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph.iri import expand_iri, prologue

__all__ = [
    "LABEL_PATTERN",
    "expand_iri",
    "label_queries",
    "labels_for",
    "labels_where",
    "pick_labels",
    "read_labels",
]
from diplograph.graph.store import DiploGraph
from diplograph.graph.store.results import QueryResult

#: The label rule as a graph pattern: every label of ``?x`` (``?pref`` 0 for a skos:prefLabel, 1
#: for an rdfs:label) and its language; :func:`pick_labels` chooses. Needs ``rdfs:``/``skos:``.
LABEL_PATTERN = (
    "{ ?x skos:prefLabel ?label BIND(0 AS ?pref) } UNION { ?x rdfs:label ?label BIND(1 AS ?pref) }"
    " BIND(LANG(?label) AS ?lang)"
)
_LABELS = (
    prologue("rdfs", "skos")
    + f"""\
SELECT ?x ?label ?lang ?pref WHERE {{
  %s
  {LABEL_PATTERN}
}}"""
)
_BATCH = 400
#: ``?pref`` of :data:`_LABELS` → the predicate it stands for
_PREDICATES = (
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
)


K = TypeVar("K", bound=str)


def _lang_rank(lang: str) -> int:
    """English first, then no language, then any other."""
    lang = lang.lower()
    return 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2


def pick_labels(found: Iterable[tuple[K, str, str, int]]) -> dict[K, str]:
    """The one label rule, for pages, tables and network exports alike: from ``(resource, label,
    language, pref)`` rows (``pref`` as in :data:`LABEL_PATTERN`), each resource's label in
    English first, then without a language, then any other; among those a skos:prefLabel
    before an rdfs:label; then the first in alphabetical order."""
    best: dict[K, tuple[tuple[int, int, str], str]] = {}
    for key, label, lang, pref in found:
        rank = (_lang_rank(lang), pref, label)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, label)
    return {k: label for k, (_, label) in best.items()}


def _wanted(iris: Iterable[Node | str | None]) -> list[URIRef]:
    wanted: list[URIRef] = []
    seen: set[URIRef] = set()
    for item in iris:
        if isinstance(item, URIRef) or (isinstance(item, str) and not isinstance(item, Literal)):
            checked = expand_iri(str(item))
            if checked is not None and checked not in seen:
                seen.add(checked)
                wanted.append(checked)
    return wanted


def label_queries(iris: Iterable[Node | str | None]) -> list[str]:
    """The queries that find the labels of ``iris`` (one per batch of IRIs; none for none),
    to run together (:meth:`~diplograph.graph.store.DiploGraph.query_many`) and read with
    :func:`read_labels`."""
    wanted = _wanted(iris)
    return [
        _LABELS % ("VALUES ?x { " + " ".join(f"<{i}>" for i in wanted[n : n + _BATCH]) + " }")
        for n in range(0, len(wanted), _BATCH)
    ]


def labels_where(pattern: str, *prefixes: str) -> str:
    """The query that finds the labels of every IRI ``?x`` that ``pattern`` (a graph pattern
    binding ``?x``, using the ``prefixes`` named) finds: for IRIs a page only learns from the same
    round of queries, and for many IRIs a query has found already."""
    extra = prologue(*(p for p in prefixes if p not in ("rdfs", "skos"))) if prefixes else ""
    return extra + _LABELS % f"{{ SELECT DISTINCT ?x WHERE {{ {pattern} FILTER(isIRI(?x)) }} }}"


def read_labels(results: Iterable[QueryResult]) -> dict[URIRef, tuple[URIRef, Literal]]:
    """The label :func:`pick_labels` picks for each IRI in the results of
    :func:`label_queries`/:func:`labels_where`, as the store holds it: the predicate
    (``skos:prefLabel`` or ``rdfs:label``) and the literal with its language tag."""
    found: list[tuple[URIRef, str, str, int]] = []
    held: dict[URIRef, list[tuple[tuple[int, int], str, Literal]]] = {}
    for result in results:
        for s, label, _lang, pref in result.rows:
            if isinstance(s, URIRef) and isinstance(label, Literal):
                kind = int(cast(Literal, pref))
                lang = label.language or ""
                found.append((s, str(label), lang, kind))
                held.setdefault(s, []).append(((_lang_rank(lang), kind), str(label), label))
    out: dict[URIRef, tuple[URIRef, Literal]] = {}
    for s, text in pick_labels(found).items():
        # the literal pick_labels chose: the same text, in the best language and predicate
        rank, _, literal = min((r, t, lit) for r, t, lit in held[s] if t == text)
        out[s] = (_PREDICATES[rank[1]], literal)
    return out


def label_literals(
    graph: DiploGraph, iris: Iterable[Node | str | None]
) -> dict[URIRef, tuple[URIRef, Literal]]:
    """The label :func:`pick_labels` picks for each IRI, as the store holds it (see
    :func:`read_labels`)."""
    return read_labels(graph.query_many([(q, None) for q in label_queries(iris)]))


def labels_for(graph: DiploGraph, iris: Iterable[Node | str | None]) -> dict[URIRef, str]:
    """A label for each IRI that has one, by the rule of :func:`pick_labels`; IRIs without a
    label are left out."""
    return {s: str(label) for s, (_, label) in label_literals(graph, iris).items()}
