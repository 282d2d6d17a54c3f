"""Validation of files and stores as a whole (``diplograph validate``): the records checks,
syntax and SHACL of each file (:func:`diplograph.graph.load.ingest.check_file`), then OWL
consistency of them all together with the ontology and code lists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from diplograph import iri
from diplograph.errors import ValidationError
from diplograph.graph.load.ingest import check_file, file_format
from diplograph.graph.store import DiploGraph
from diplograph.provenance import Triple


def validate_files(
    paths: Sequence[Path], *, fmt: str | None = None, reasoning: bool = True
) -> list[str]:
    """Every problem in some files (records, syntax, SHACL; then OWL consistency of them all
    together with the ontology and code lists), one sentence each; empty when valid."""
    from diplograph.graph.records import bundled_article_files
    from diplograph.graph.records.together import survey

    lines: list[str] = []
    data: list[Triple] = []
    # record files may refer to each other and to the bundled articles
    given = {Path(p).resolve() for p in paths}
    extra = [p for p in bundled_article_files() if p.resolve() not in given]
    records = [Path(p) for p in paths if file_format(Path(p), fmt).kind == "records"]
    sources = survey([*records, *extra]) if records else None
    for path in paths:
        try:
            data += check_file(path, fmt=fmt, sources=sources)
        except ValidationError as exc:
            lines += [str(p) for p in exc.problems]
    if reasoning and not lines:
        lines += _consistency(data)
    return lines


def validate_store(store: DiploGraph, *, reasoning: bool = True) -> list[str]:
    """Every SHACL violation and OWL inconsistency of the data in a store, one sentence each."""
    from diplograph.graph.records import locate
    from diplograph.ontology.shacl import NON_DATA_GRAPHS, describe, validate_shacl

    g = Graph()
    facts: list[Triple] = []  # the reasoner's input: data without the (large) code lists
    codes = str(iri.GRAPH["codes/"])
    for s, p, o, name in store.quads():
        if name not in NON_DATA_GRAPHS:
            g.add((s, p, o))
            if not str(name).startswith(codes):
                facts.append((s, p, o))
    lines = [
        describe(v, locate=lambda node: locate(str(node)))
        for v in validate_shacl(g, include_codes=False)
        if v.severity == "Violation"
    ]
    if reasoning:
        lines += _consistency(facts)
    return lines


def _consistency(triples: list[Triple], *, include_codes: bool = False) -> list[str]:
    from diplograph.ontology.reasoning import check_consistency

    g = Graph()
    for t in triples:
        g.add(t)
    report = check_consistency(g, include_codes=include_codes)
    return [] if report.ok else report.summary().splitlines()
