"""What the datasets the backbone supplement extends already hold: their persons, posts and
tenures, so that a supplement row reuses their IRIs and never states a tenure twice.

The supplement (:mod:`.supplement`) carries leaders and posts past the ends of POCOM and
Archigos. Its rows name persons and posts by IRI; :func:`backbone` reads the bundled POCOM and
Archigos (the same importers the build runs, once per process) and says which of those IRIs
they already describe, and which tenures each holder of each post already has there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import URIRef

from diplograph.graph.datasets.common import DG, RDF_TYPE, Import

#: the importer modules whose persons, posts and tenures the supplement must not repeat
EXTENDED = ("pocom", "archigos")


@dataclass(frozen=True)
class Held:
    """A dataset's tenure: its IRI, dates as ISO text (``None``: not given) and dataset."""

    tenure: URIRef
    start: str | None
    end: str | None
    dataset: str


@dataclass
class Backbone:
    """The persons and posts the extended datasets describe, and their tenures by holding."""

    persons: set[URIRef] = field(default_factory=set)
    posts: set[URIRef] = field(default_factory=set)
    tenures: dict[tuple[URIRef, URIRef], list[Held]] = field(default_factory=dict)

    def overlapping(
        self, holder: URIRef, post: URIRef, start: str | None, end: str | None
    ) -> list[Held]:
        """The dataset tenures of ``holder`` in ``post`` whose dates meet ``start``..``end``
        (dates compared at the precision both give; a missing date is open)."""
        return [
            h
            for h in self.tenures.get((holder, post), [])
            if _before(h.start, end) and _before(start, h.end)
        ]


def _before(a: str | None, b: str | None) -> bool:
    """``a`` on or before ``b`` at their shared precision; an unknown date never rules out."""
    if a is None or b is None:
        return True
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


@cache
def backbone() -> Backbone:
    """The bundled POCOM and Archigos, read once per process."""
    import importlib

    out = Backbone()
    for module in EXTENDED:
        mod = importlib.import_module(f"diplograph.graph.datasets.{module}")
        imp = Import(mod.DATASET, dict(mod.DATASET.files))
        mod.convert(imp)
        _collect(out, imp)
    return out


def _collect(out: Backbone, imp: Import) -> None:
    holder: dict[URIRef, URIRef] = {}
    post: dict[URIRef, URIRef] = {}
    dates: dict[tuple[URIRef, URIRef], str] = {}
    tenures: list[URIRef] = []
    for s, p, o in imp.triples:
        if not isinstance(s, URIRef):
            continue
        if p == RDF_TYPE:
            if o == DG.Person:
                out.persons.add(s)
            elif o == DG.Post:
                out.posts.add(s)
            elif o == DG.Tenure:
                tenures.append(s)
        elif p == DG.holder and isinstance(o, URIRef):
            holder[s] = o
        elif p == DG.ofPost and isinstance(o, URIRef):
            post[s] = o
        elif p == DG.startDate or p == DG.endDate:
            dates[(s, DG.startDate if p == DG.startDate else DG.endDate)] = str(o)
    for t in tenures:
        if t in holder and t in post:
            out.tenures.setdefault((holder[t], post[t]), []).append(
                Held(t, dates.get((t, DG.startDate)), dates.get((t, DG.endDate)), imp.dataset.name)
            )


__all__ = ["Backbone", "Held", "backbone"]
