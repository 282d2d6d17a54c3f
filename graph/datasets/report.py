"""The reconciliation report: what the importers could not tie to one entity, and what the
articles name that no dataset describes.

Sections (each a title and lines):

- bad rows each bundled dataset skipped (file:line and why);
- POCOM territories that were no COW state when a chief of mission served there;
- Gleditsch-Ward states without a COW code (Archigos);
- Archigos leaders with no curated person row (they keep an IRI of their own);
- ICEWS actor names that are neither a state, a curated person nor "Sector (Country)" (only when
  an ICEWS file is given);
- with a graph: states, persons and organisations the article graphs use that no dataset graph
  describes, and persons the curated aliases tie across sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diplograph import iri
from diplograph.graph.datasets import IMPORTERS, run_import
from diplograph.graph.store import DiploGraph


@dataclass
class Section:
    """One part of the report."""

    title: str
    lines: list[str] = field(default_factory=list)
    total: int | None = None  # when lines only show examples of a larger count


@dataclass
class ReconcileReport:
    sections: list[Section]

    def section(self, title_start: str) -> Section:
        for s in self.sections:
            if s.title.startswith(title_start):
                return s
        raise KeyError(title_start)

    def render(self, *, limit: int = 50) -> str:
        out: list[str] = []
        for s in self.sections:
            count = s.total if s.total is not None else len(s.lines)
            out.append(f"== {s.title}: {count}")
            shown = s.lines[:limit]
            out.extend(f"  {line}" for line in shown)
            if count > len(shown):
                out.append(f"  ... and {count - len(shown)} more")
        return "\n".join(out)


_TERRITORY = re.compile(r"^POCOM territory '([^']+)' on (\S+) is no COW state \(chief (\S+)\)$")


def reconcile_report(
    graph: DiploGraph | None = None, *, icews_files: Sequence[Path] = ()
) -> ReconcileReport:
    """Run the bundled importers (and ICEWS on the files given) and report what did not
    reconcile; with ``graph``, also compare the article graphs with the dataset graphs."""
    sections: list[Section] = []
    bad = Section("Bad rows skipped by the bundled importers")
    territories: dict[str, list[str]] = {}
    gw = Section("Gleditsch-Ward states without a COW code (own state IRI, dg:gwCode only)")
    leaders = Section("Archigos leaders without a curated person row (own person IRI)")
    for name, importer in IMPORTERS.items():
        if not importer.dataset.bundled:
            continue
        run = run_import(name)
        bad.lines.extend(f"{name}: {p}" for p in run.problems)
        for note in run.notes:
            m = _TERRITORY.match(note)
            if m:
                territories.setdefault(m.group(1), []).append(m.group(2))
            elif note.startswith("GW "):
                gw.lines.append(note)
        if name == "archigos":
            _leaders(run.triples, leaders)
    sections.append(bad)
    sections.append(
        Section(
            "POCOM territories that were no COW state (post keeps the POCOM id)",
            [
                f"{t}: {len(d)} chief(s) of mission, {min((x for x in d if x != '?'), default='?')}"
                f" to {max((x for x in d if x != '?'), default='?')}"
                for t, d in sorted(territories.items())
            ],
        )
    )
    sections += [gw, leaders]
    for path in icews_files:
        run = run_import("icews", files=[path])
        sections.append(
            Section(
                f"ICEWS actors not reconciled in {path}",
                [n.split(" is not reconciled")[0].removeprefix("ICEWS actor ") for n in run.notes],
            )
        )
    if graph is not None:
        sections += _graph_sections(graph)
    return ReconcileReport(sections)


def _leaders(triples: Iterable[tuple[object, object, object]], section: Section) -> None:
    from rdflib.namespace import RDF

    from diplograph.graph.datasets.common import DG
    from diplograph.graph.datasets.reconcile import reconciler

    curated = {
        str(iri.entity("person", slug))
        for (src, _), slug in reconciler().persons.items()
        if src == "archigos"
    }
    people = sorted({str(s) for s, p, o in triples if p == RDF.type and o == DG.Person})
    own = [p for p in people if p not in curated]
    section.total = len(own)
    section.lines = [p.rsplit("/", 1)[1] for p in own[:100]]


_UNDESCRIBED = """
SELECT DISTINCT ?e ?kind WHERE {
  { GRAPH ?g { ?s ?p ?e } } UNION { GRAPH ?g { ?e ?p ?o } }
  FILTER(STRSTARTS(STR(?g), STR(?articles)))
  VALUES ?kind { "state/" "person/" "organization/" }
  FILTER(STRSTARTS(STR(?e), CONCAT(STR(?id), ?kind)))
  FILTER NOT EXISTS {
    GRAPH ?d { ?e ?p2 ?o2 }
    FILTER(STRSTARTS(STR(?d), STR(?datasets)))
  }
} ORDER BY ?kind ?e
"""

_SHARED = """
SELECT ?e (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) WHERE {
  GRAPH ?g { ?e a <https://w3id.org/diplograph/ontology#Person> }
} GROUP BY ?e HAVING (COUNT(DISTINCT ?g) > 1) ORDER BY ?e
"""


def _graph_sections(graph: DiploGraph) -> list[Section]:
    from rdflib import URIRef

    bindings = {
        "articles": URIRef(str(iri.GRAPH["article/"])),
        "datasets": URIRef(str(iri.GRAPH["dataset/"])),
        "id": URIRef(str(iri.ID)),
    }
    rows = graph.query(_UNDESCRIBED, bindings=bindings).rows
    undescribed = Section(
        "Entities the articles use that no dataset describes",
        [str(r[0]).removeprefix(str(iri.ID)) for r in rows],
    )
    shared = Section(
        "Persons described by more than one source graph",
        [
            f"{str(r[0]).removeprefix(str(iri.ID))}: "
            + ", ".join(sorted(g.removeprefix(str(iri.GRAPH)) for g in str(r[1]).split()))
            for r in graph.query(_SHARED).rows
        ],
    )
    return [undescribed, shared]


__all__ = ["ReconcileReport", "Section", "reconcile_report"]
