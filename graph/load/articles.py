"""Ingest of claim-record files: checked against the store and the files loaded with them.

:func:`ingest_records` is the records half of :func:`diplograph.graph.load.ingest.ingest_file`.
Before anything is written it checks the file (:func:`diplograph.graph.records.load_records`)
with the store's entities and claims, and those of the other files of the same ingest, as known
references; reports new entities that the store already has under another name
(:mod:`.reconcile`); runs SHACL with the kinds of the entities and claims referred to from
elsewhere; and, when the store already holds the article with other content, refuses unless
``replace`` is given (saying what would change, :mod:`.reingest`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rdflib import URIRef

from diplograph.errors import Problem, ValidationError
from diplograph.graph.load.reconcile import LabelIndex, probable_duplicates
from diplograph.graph.load.reingest import changes
from diplograph.graph.records.model import ClaimRecord, RecordFile
from diplograph.graph.records.together import Known, Sources
from diplograph.graph.store import DiploGraph
from diplograph.provenance import Triple

_FACTS = """SELECT ?s ?p ?o WHERE {
  VALUES ?s { %s }
  VALUES ?p { <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
              <http://www.w3.org/2000/01/rdf-schema#label> }
  ?s ?p ?o
}"""


def ingest_records(
    store: DiploGraph,
    path: Path,
    *,
    into: URIRef | None = None,
    shacl: bool = True,
    replace: bool = False,
    sources: Sources | None = None,
    index: LabelIndex | None = None,
    dry_run: bool = False,
    machine_coded: bool = False,
) -> tuple[URIRef, int, tuple[str, ...]]:
    """Check one record file and (unless ``dry_run``) write its graph: ``(graph, triples,
    notes)``. Claims not yet reviewed (``review: pending``) are refused unless ``machine_coded``,
    which loads them marked machine-coded (:mod:`diplograph.graph.records.review`); rejected
    claims are never loaded. Raises :class:`~diplograph.errors.ValidationError` with nothing
    written."""
    from diplograph.graph.load.screen import screen_records
    from diplograph.graph.load.shacl import raise_shacl, shacl_problems
    from diplograph.graph.records import KnownIn, load_records, source_of
    from diplograph.graph.records.rdf import record_triples

    screen_records(path)
    others = sources.without(path) if sources is not None else None
    records = load_records(path, known=Known(KnownIn(store), others))
    unreviewed = _unreviewed(path, records, machine_coded)
    duplicates = probable_duplicates(records, index or LabelIndex.of(store))
    if duplicates:
        raise ValidationError(
            duplicates,
            summary=f"{path}: {len(duplicates)} probable duplicate(s) of entities in the store; "
            "nothing was written.",
        )
    triples = record_triples(records) + unreviewed
    source = source_of(records)
    if into is not None:
        source = dataclasses.replace(source, graph=into)
    if shacl:
        context = _context(store, records, others)
        raise_shacl(path, shacl_problems(triples, context=context))
    notes = _replacing(store, path, source.graph, triples, replace=replace)
    if dry_run:
        return source.graph, len(triples), notes
    return source.graph, store.replace_graph(source, triples), notes


def _unreviewed(path: Path, records: RecordFile, machine_coded: bool) -> list[Triple]:
    """The triples that mark the pending claims machine-coded, when asked for; else refuses a
    file with pending claims, naming each."""
    from diplograph.graph.records.review import machine_coded_triples, pending_claims

    pending = pending_claims(records)
    if not pending:
        return []
    if not machine_coded:
        how = (
            f"review it (diplograph review {path}, or the server's /extract page) or load it "
            "unreviewed with --accept-machine-coded"
        )
        raise ValidationError(
            [
                Problem(
                    f"{records.location}:{_line(c)}",
                    f"is pending: {how}",
                    f"claim {c.id}",
                    "review",
                )
                for c in pending
            ],
            summary=f"{path}: {len(pending)} claim(s) not reviewed (review: pending); nothing "
            "was written.",
        )
    if records.coder is None:
        raise ValidationError(
            [
                Problem(
                    records.location,
                    "does not name the coder that drafted its pending claims: the draft's header "
                    "line '# DRAFT drafted by <coder version> from <source>' is missing, and "
                    "machine-coded claims must name their coder. Review the claims instead.",
                )
            ]
        )
    return machine_coded_triples(records, records.coder)


def _line(claim: ClaimRecord) -> int:
    """The line of a claim's ``review`` field (else of the claim)."""
    lines = getattr(claim.data, "key_lines", {})
    return int(lines.get("review", claim.line))


def _replacing(
    store: DiploGraph, path: Path, graph: URIRef, triples: list[Triple], *, replace: bool
) -> tuple[str, ...]:
    """What writing ``triples`` over the stored ``graph`` changes; refuses a change not asked
    for, and machine-coded claims over reviewed ones."""
    old = [(s, p, o) for s, p, o, _ in store.quads(graph)]
    if not old:
        return ()
    diff = changes(old, triples)
    if not diff:
        return ()
    lines = diff.lines()
    if diff.machine_over_reviewed:
        raise ValidationError(
            [Problem(str(path), line) for line in lines],
            summary=f"{path}: machine-coded claims never replace reviewed ones in <{graph}>; "
            "review the draft first. Nothing was written.",
        )
    if not replace:
        raise ValidationError(
            [Problem(str(path), line) for line in lines],
            summary=f"{path}: the store already holds <{graph}> with other content; nothing "
            "was written. To replace it, ingest again with --replace (replace=True). "
            "It would change:",
        )
    return tuple(f"replaced <{graph}>: {line}" for line in lines)


def _context(store: DiploGraph, records: RecordFile, others: Sources | None) -> list[Triple]:
    """The classes (and labels) of the entities and claims ``records`` refers to but does not
    mint, or states to be entities of the store (``same_as``), from the store and the other
    files, so that SHACL can check their kinds."""
    outside = {*records.refs.values(), *records.links.values()} - set(records.index)
    outside |= {e.iri for e in records.entities.values() if "same_as" in e.data}
    out: list[Triple] = others.type_triples(outside) if others is not None else []
    nodes = sorted(outside)
    for start in range(0, len(nodes), 400):
        chunk = " ".join(f"<{n}>" for n in nodes[start : start + 400])
        for s, p, o in store.query(_FACTS % chunk).rows:
            if isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None:
                out.append((s, p, o))
    return out


__all__ = ["ingest_records"]
