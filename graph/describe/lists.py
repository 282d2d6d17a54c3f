"""Lists of resources for the pages: the instances of a class (with filters) and their facets.
(Finding resources by name is the search index's job: :mod:`diplograph.graph.search`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from diplograph.graph.describe.model import subclasses
from diplograph.graph.store import DiploGraph


def _filters(filters: Sequence[tuple[URIRef, Node]]) -> tuple[str, dict[str, Node]]:
    text = " ".join(f"?s ?fp{i} ?fo{i} ." for i in range(len(filters)))
    bindings: dict[str, Node] = {}
    for i, (p, o) in enumerate(filters):
        bindings[f"fp{i}"] = p
        bindings[f"fo{i}"] = o
    return text, bindings


def _of_class(cls: URIRef) -> str:
    """The pattern "?s is an instance of ``cls`` or of one of its subclasses" (the subclasses
    from the ontology, so it holds whether or not the store has the ontology graph)."""
    values = " ".join(f"<{c}>" for c in sorted(subclasses(cls), key=str))
    return f"VALUES ?cls {{ {values} }} ?s a ?cls . "


def has_instances(graph: DiploGraph, cls: URIRef) -> bool:
    """True if some resource is of class ``cls`` or one of its subclasses."""
    return bool(graph.query(f"ASK {{ {_of_class(cls)} }}").boolean)


def instances(
    graph: DiploGraph,
    cls: URIRef | None,
    filters: Sequence[tuple[URIRef, Node]] = (),
    *,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[URIRef], int]:
    """A page of the resources of class ``cls`` (any, when None) matching every
    ``(predicate, value)`` filter, ordered by IRI, and how many match in all."""
    text, bindings = _filters(filters)
    if cls is not None:
        text = _of_class(cls) + text
    total = graph.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {text} FILTER(isIRI(?s)) }}",
        bindings=bindings,
    ).rows
    n = int(total[0][0]) if total and total[0][0] is not None else 0  # type: ignore[call-overload]
    rows = graph.query(
        f"SELECT DISTINCT ?s WHERE {{ {text} FILTER(isIRI(?s)) }} ORDER BY ?s "
        f"OFFSET {int(offset)} LIMIT {int(limit)}",
        bindings=bindings,
    ).rows
    return [s for (s,) in rows if isinstance(s, URIRef)], n


def facets(
    graph: DiploGraph,
    cls: URIRef | None,
    filters: Sequence[tuple[URIRef, Node]] = (),
    *,
    per_facet: int = 8,
) -> list[tuple[URIRef, list[tuple[URIRef, int]]]]:
    """For the resources :func:`instances` lists: each property with IRI values (other than
    ``rdf:type`` and ``owl:sameAs``) and its most frequent values with their counts."""
    text, bindings = _filters(filters)
    if cls is not None:
        text = _of_class(cls) + text
    rows = graph.query(
        f"""SELECT ?p ?o (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {text} ?s ?p ?o
  FILTER(isIRI(?o) && ?p != <{RDF.type}> && ?p != <{OWL.sameAs}>) }}
GROUP BY ?p ?o ORDER BY ?p DESC(?n) ?o LIMIT 2000""",
        bindings=bindings,
    ).rows
    grouped: dict[URIRef, list[tuple[URIRef, int]]] = {}
    for p, o, n in rows:
        values = grouped.setdefault(p, [])  # type: ignore[arg-type]
        if len(values) < per_facet:
            values.append((o, int(n)))  # type: ignore[arg-type, call-overload]
    useful = [(p, vs) for p, vs in grouped.items() if len(vs) > 1 or vs[0][1] > 1]
    return sorted(useful, key=lambda item: -sum(n for _, n in item[1]))[:12]
