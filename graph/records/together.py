"""Claim-record files loaded together: what each mints, so that they may refer to each other.

An article may link its claims to claims of another article and use its entities. When several
files are loaded at once (the bundled articles at build, or ``diplograph ingest a.yaml b.yaml``),
:func:`survey` reads what every file mints (entities, claims, their kinds and dates) without
checking references, and :func:`load_together` then checks each file against the store (if any)
and what the others mint. :class:`Known` is such a union; its :meth:`Known.date_of` gives a
claim's date, for checking that a reply does not predate what it answers.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from diplograph.errors import ClaimError, Problem
from diplograph.graph.records.dates import RecordDate
from diplograph.graph.records.model import DG, RecordFile
from diplograph.provenance import Triple


class _Anything:
    def __contains__(self, node: object) -> bool:
        return True


@dataclass
class Sources:
    """What some record files mint: each IRI with its classes, and the claims' dates."""

    types: dict[str, tuple[URIRef, ...]] = field(default_factory=dict)
    dates: dict[str, RecordDate] = field(default_factory=dict)
    origin: dict[str, Path] = field(default_factory=dict)

    def __contains__(self, node: object) -> bool:
        return str(node) in self.types

    def date_of(self, node: object) -> RecordDate | None:
        return self.dates.get(str(node))

    def without(self, path: Path) -> Sources:
        """The same, less what ``path`` mints (a file is not 'known' to itself)."""
        keep = {k for k, p in self.origin.items() if p != path}
        return Sources(
            {k: v for k, v in self.types.items() if k in keep},
            {k: v for k, v in self.dates.items() if k in keep},
            {k: v for k, v in self.origin.items() if k in keep},
        )

    def type_triples(self, nodes: Iterable[URIRef]) -> list[Triple]:
        return [(n, RDF.type, c) for n in nodes for c in self.types.get(str(n), ())]


class Known:
    """Several containers of known IRIs as one (``load_records(..., known=Known(a, b))``)."""

    def __init__(self, *parts: Container[str] | None) -> None:
        self.parts = [p for p in parts if p is not None]

    def __contains__(self, node: object) -> bool:
        return any(node in p for p in self.parts)

    def date_of(self, node: object) -> RecordDate | None:
        for part in self.parts:
            found = getattr(part, "date_of", None)
            when = found(node) if found is not None else None
            if when is not None:
                return when
        return None


def survey(paths: Sequence[Path]) -> Sources:
    """What each file mints, read leniently (a file with problems gives what it can; its
    problems are reported when it is loaded)."""
    from diplograph.graph.records import _location
    from diplograph.graph.records.check import Checker
    from diplograph.graph.records.yaml_lines import LineDict, load_yaml

    out = Sources()
    for path in paths:
        path = Path(path)
        try:
            data = load_yaml(path.read_text(encoding="utf-8"), _location(path))
        except (OSError, UnicodeDecodeError, ClaimError):
            continue
        if not isinstance(data, LineDict):
            continue
        checker = Checker(path=path, location=_location(path), data=data, known=_Anything())
        records = checker.check()
        if records is None:
            continue
        _add(out, records, path)
    return out


def _add(out: Sources, records: RecordFile, path: Path) -> None:
    out.types[str(records.iri)] = (DG.NewsArticle,)
    out.origin[str(records.iri)] = path
    for ent in records.entities.values():
        out.types[str(ent.iri)] = tuple(DG[c] for c in ent.type.classes)
        out.origin[str(ent.iri)] = path
    for claim in records.claims:
        out.types[str(claim.iri)] = (DG.Claim,)
        out.origin[str(claim.iri)] = path
        when = records.dates.get(claim.iri)
        if when is not None:
            out.dates[str(claim.iri)] = when


def load_together(
    paths: Sequence[Path], *, store: Container[str] | None = None
) -> list[RecordFile]:
    """Load and check several record files that may refer to each other (and to ``store``, a
    container of the IRIs already stored, e.g. ``KnownIn(graph)``). Raises one
    :class:`~diplograph.errors.ClaimError` listing the problems of every file."""
    from diplograph.graph.records import load_records

    sources = survey(paths)
    loaded: list[RecordFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_records(path, known=Known(store, sources.without(Path(path)))))
        except ClaimError as exc:
            problems += exc.problems
    if problems:
        raise ClaimError(
            problems,
            summary=f"{len(problems)} problem(s) in the claim records; nothing was written.",
        )
    return loaded


__all__ = ["Known", "Sources", "load_together", "survey"]
