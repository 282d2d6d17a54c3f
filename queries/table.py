"""Query results as a plain-text table for people: labels instead of bare IRIs.

Each IRI is shown by its label (see :func:`diplograph.queries.run.labels_for`) or, without one, in
the short form the web pages and exports use too (:func:`diplograph.iri.shorten`:
``id:state/russia``, ``dg:Claim``); literals by their text. Long cells are cut with an ellipsis.

>>> from rdflib import URIRef
>>> display(URIRef("https://w3id.org/diplograph/id/state/russia"))
'id:state/russia'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from diplograph import iri
from diplograph.graph.store.results import QueryResult

MAX_WIDTH = 60


def display(term: Node | None, labels: Mapping[URIRef, str] | None = None) -> str:
    """How a term is shown in a table cell."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if labels and term in labels:
            return labels[term]
        return iri.shorten(term)
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(
    result: QueryResult, labels: Mapping[URIRef, str] | None = None, *, width: int = MAX_WIDTH
) -> str:
    """A SELECT/ASK/CONSTRUCT result as aligned text columns, with a row count at the end."""
    if result.kind == "ASK":
        return "yes" if result.boolean else "no"
    header: Sequence[str]
    if result.kind == "CONSTRUCT":
        header = ("subject", "predicate", "object")
        cells = [[_cut(display(t, labels), width) for t in triple] for triple in result.triples]
    else:
        header = result.variables
        cells = [[_cut(display(t, labels), width) for t in row] for row in result.rows]
    widths = [len(h) for h in header]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    noun = "triple" if result.kind == "CONSTRUCT" else "row"
    lines.append(f"({len(cells)} {noun}{'' if len(cells) == 1 else 's'})")
    return "\n".join(lines)


def result_iris(result: QueryResult) -> list[URIRef]:
    """Every IRI in a result (to look their labels up)."""
    found: list[URIRef] = []
    terms = (
        [t for row in result.rows for t in row]
        if result.kind == "SELECT"
        else [t for triple in result.triples for t in triple]
    )
    seen: set[URIRef] = set()
    for t in terms:
        if isinstance(t, URIRef) and t not in seen:
            seen.add(t)
            found.append(t)
    return found
