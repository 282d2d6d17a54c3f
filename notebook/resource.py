"""What :meth:`diplograph.notebook.Graph.describe` returns: one resource as its page shows it,
in tables (:class:`~diplograph.notebook.rows.Rows`) a notebook can show or turn into DataFrames.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from rdflib import Literal, URIRef

from diplograph.graph.describe import ClaimRow, Description
from diplograph.iri import shorten
from diplograph.notebook.rows import Labeller, Rows

_CLAIM_COLUMNS = ("claim", "label", "date", "source", "graph")


def _text(value: str | None) -> Literal | None:
    """Plain text (a title, a label) as the literal a row holds."""
    return None if value is None else Literal(value)


def _claims(rows: list[ClaimRow], labeller: Labeller) -> Rows:
    return Rows(
        _CLAIM_COLUMNS,
        [(c.claim, _text(c.label), c.date, c.source, c.graph) for c in rows],
        labeller=labeller,
    )


@dataclass(frozen=True)
class Resource:
    """One resource: its ``label`` and ``types``, and as tables its ``statements`` (predicate,
    object, graph: what the store says about it, one row per triple, in the first named graph
    holding it), ``incoming`` (predicate, subjects: how many resources link to it, by
    predicate), ``claims_made`` and ``claims_about`` (for actors) and ``sources`` (the named
    graphs its statements come from, with title, citation and licence). ``description`` is the
    whole :class:`~diplograph.graph.describe.Description` the linked-data page is drawn from."""

    iri: URIRef
    label: str | None
    types: tuple[URIRef, ...]
    statements: Rows
    incoming: Rows
    claims_made: Rows
    claims_about: Rows
    sources: Rows
    description: Description

    @classmethod
    def of(cls, d: Description, labeller: Labeller) -> Resource:
        """The resource ``d`` describes; ``labeller`` finds labels for its tables' IRIs."""
        return cls(
            iri=d.iri,
            label=d.label,
            types=tuple(d.types),
            statements=Rows(("predicate", "object", "graph"), d.outgoing, labeller=labeller),
            incoming=Rows(
                ("predicate", "subjects"),
                [(p, Literal(n)) for p, n, _ in d.incoming],
                labeller=labeller,
            ),
            claims_made=_claims(d.claims_made, labeller),
            claims_about=_claims(d.claims_about, labeller),
            sources=Rows(
                ("graph", "title", "citation", "license"),
                [(g.iri, _text(g.title), _text(g.citation), _text(g.license)) for g in d.graphs],
            ),
            description=d,
        )

    def _summary(self) -> str:
        kinds = ", ".join(shorten(str(t)) for t in self.types) or "no type"
        return (
            f"{self.label or shorten(str(self.iri))} <{self.iri}> ({kinds}): "
            f"{len(self.statements)} statements, {sum(_ints(self.incoming))} incoming links, "
            f"{len(self.claims_made)} claims made, {len(self.claims_about)} claims about it, "
            f"from {len(self.sources)} named graphs"
        )

    def __repr__(self) -> str:
        return f"Resource({self._summary()})"

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self._summary())}</p>" + self.statements._repr_html_()


def _ints(rows: Rows) -> list[int]:
    return [int(str(n)) for n in rows.column("subjects")]
