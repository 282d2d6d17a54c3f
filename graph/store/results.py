"""Results of a SPARQL query, independent of the store that answered it.

A :class:`QueryResult` holds rdflib terms: rows for SELECT, a boolean for ASK, triples for
CONSTRUCT/DESCRIBE. It serialises to every result format of :mod:`diplograph.formats`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from diplograph import formats
from diplograph.errors import UnsupportedFormat

ResultKind = TypingLiteral["SELECT", "ASK", "CONSTRUCT"]


@dataclass
class QueryResult:
    """What a query returned. ``kind`` is SELECT, ASK or CONSTRUCT (DESCRIBE gives CONSTRUCT)."""

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    truncated: bool = False

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "SELECT":
            return len(self.rows)
        if self.kind == "CONSTRUCT":
            return len(self.triples)
        return 1

    def bindings(self) -> list[dict[str, Node]]:
        """Each row as a dict of the variables that are bound in it."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Node | None]:
        """The values of one variable, row by row."""
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def graph(self) -> Graph:
        """CONSTRUCT/DESCRIBE triples as an rdflib Graph."""
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g

    def to_rdflib(self) -> Result:
        """The same result as an rdflib :class:`~rdflib.query.Result`."""
        res = Result(self.kind)
        if self.kind == "SELECT":
            res.vars = [Variable(v) for v in self.variables]
            res.bindings = [
                {Variable(k): v for k, v in b.items() if isinstance(v, Identifier)}
                for b in self.bindings()
            ]
        elif self.kind == "ASK":
            res.askAnswer = bool(self.boolean)
        else:
            res.graph = self.graph()
        return res

    def serialize(self, fmt: str | formats.Format) -> bytes:
        """Serialise to a result format (SELECT/ASK) or an RDF format (CONSTRUCT)."""
        f = formats.get(fmt) if isinstance(fmt, str) else fmt
        if self.kind == "CONSTRUCT":
            if f.kind not in ("graph", "dataset") or f.rdflib is None:
                raise UnsupportedFormat(f"A graph result cannot be written as {f.label}.")
            if f.kind == "dataset" and f.oxigraph is not None:
                # a graph result is the default graph of a dataset (rdflib's serialisers want a
                # context-aware store for these)
                import pyoxigraph as ox

                from diplograph.graph.store.terms import to_oxigraph

                quads = [ox.Quad(*map(to_oxigraph, t)) for t in self.triples]  # type: ignore[arg-type]
                return bytes(ox.serialize(quads, format=getattr(ox.RdfFormat, f.oxigraph)) or b"")
            data = self.graph().serialize(format=f.rdflib, encoding="utf-8")
            return data if isinstance(data, bytes) else data.encode("utf-8")
        if f.kind != "results" or f.rdflib is None:
            raise UnsupportedFormat(f"A {self.kind} result cannot be written as {f.label}.")
        if self.kind == "ASK" and f.key in ("csv", "tsv"):
            # CSV/TSV define no boolean form: the bare word, as Oxigraph writes (and reads) it
            return b"true" if self.boolean else b"false"
        out = self.to_rdflib().serialize(format=f.rdflib, encoding="utf-8")
        return out if isinstance(out, bytes) else str(out).encode("utf-8")


def select(variables: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> QueryResult:
    """A SELECT result from plain values (for tests and for results built in Python)."""
    return QueryResult("SELECT", list(variables), [tuple(r) for r in rows])
