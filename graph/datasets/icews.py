"""Import ICEWS coded events as claims: graph ``dataset/icews``. Optional and NOT part of the
default build: the ICEWS files are CC BY-NC-SA 4.0 (non-commercial, share-alike) as staged by the
de-simple repository, with the ICEWS Dataverse terms on top. Give the file with
``diplograph import icews --file PATH``.

Input: tab-separated ``subject, relation, object, date`` rows (the temporal-KG benchmark form of
ICEWS14/ICEWS05-15), with or without a header line (an extra ``split`` column is ignored).

Model (``ontology/diplo.ttl``): each row is a ``dg:Claim`` at ``claim/icews-<file stem>/<line>``:

- ``dg:eventType``: the CAMEO concept whose label is the relation (``Make statement`` → 010);
  labels the bundled CAMEO table spells differently are mapped by the curated
  ``data/reconcile/icews_cameo.csv``; an unknown relation is a bad row;
- ``dg:speaker``/``dg:target``: the state (exact COW name or curated alias: "United States"),
  person (a curated ``persons.csv`` row for the ICEWS name) or COW IGO (exact long name, short name
  or abbreviation: "North Atlantic Treaty Organization") the actor is. A sector of a state's
  government or armed forces ("Foreign Affairs (Russia)", curated in ``icews_sectors.csv`` from
  CAMEO's GOV/MIL sectors) is its state, speaking ``dg:onBehalfOf`` it; another sector ("Citizen
  (Russia)") is no actor (as a speaker: ``dg:onBehalfOf`` its state is not claimed either). Every
  claim has a speaker, so a row whose speaker does not reconcile is left out: counted in the
  graph's provenance (``rdfs:comment``) and listed by ``diplograph reconcile-report``; it is not
  a bad row;
- ``dg:date`` (``xsd:date``) with ``dg:datePrecision time:unitDay``; ``dg:machineCoded true``;
- ``dg:paraphrase`` keeps the row's own words ("Barack Obama: Make statement → Russia");
- ``dg:source``: the ICEWS dataset as a ``prov:Entity`` (``dataset/icews``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from diplograph import iri
from diplograph.errors import Problem, SourceError
from diplograph.graph.datasets.common import DG, TRUE, BadValue, Dataset, Import, iso_literal
from diplograph.graph.datasets.reconcile import Reconciler, reconcile_file, reconciler

LICENSE = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
CITATION = (
    "Boschee, Elizabeth, Jennifer Lautenschlager, Sean O'Brien, Steve Shellman, James Starz, and "
    "Michael Ward. 2015. ICEWS Coded Event Data. Harvard Dataverse, doi:10.7910/DVN/28075. "
    "Benchmark subsets: Garcia-Duran, Dumancic and Niepert. 2018. EMNLP."
)
DATASET = Dataset(
    name="icews",
    title="ICEWS coded events (benchmark subsets) as claims",
    version="ICEWS14 / ICEWS05-15 (de-simple)",
    citation=CITATION,
    license=LICENSE,
    files={"events": Path("icews.tsv")},  # no bundled copy: the user gives the file
    bundled=False,
)

SOURCE_ENTITY = iri.entity("dataset", "icews")
TIME_UNIT_DAY = URIRef("http://www.w3.org/2006/time#unitDay")
_SECTOR = re.compile(r"^(?P<sector>.+?) \((?P<country>[^()]+)\)$")


@cache
def cameo_by_label() -> dict[str, str]:
    """CAMEO code by lower-cased label: the bundled table plus the curated ICEWS spellings."""
    from diplograph.ontology.codes import cameo_codes

    out: dict[str, str] = {}
    for code, c in cameo_codes().items():
        out.setdefault(c.label.lower(), code)
    with open(reconcile_file("icews_cameo.csv"), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["icews_label"].strip().lower()] = row["cameo"].strip()
    return out


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    if not path.is_file():
        raise SourceError(
            [Problem(str(path), "the file does not exist")],
            f"Cannot read {path}: no such file; nothing was written.",
        )
    with open(path, newline="", encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            text = line.rstrip("\r\n")
            if not text or (n == 1 and text.lower().startswith("subject\trelation")):
                continue
            yield n, text.split("\t")


@cache
def state_sectors() -> frozenset[str]:
    """ICEWS sectors that act for their state ("Foreign Affairs", "Military"...): curated in
    ``data/reconcile/icews_sectors.csv`` from CAMEO's government and military sector codes."""
    with open(reconcile_file("icews_sectors.csv"), newline="", encoding="utf-8") as fh:
        return frozenset(row["sector"].strip() for row in csv.DictReader(fh))


def resolve(rec: Reconciler, name: str) -> tuple[URIRef | None, URIRef | None]:
    """An ICEWS actor name as ``(actor, on behalf of)``: a state, person or IGO; for a sector
    of a state's government ("Foreign Affairs (Russia)") the state and the state; for any other
    sector ("Citizen (Russia)") no actor, but its state; else ``(None, None)``."""
    state = rec.state_by_name(name)
    if state is not None:
        return state, None
    person = rec.person("icews", name)
    if person is not None:
        return person, None
    organization = rec.organization_by_name(name)
    if organization is not None:
        return organization, None
    m = _SECTOR.match(name)
    if m:
        country = rec.state_by_name(m.group("country"))
        if country is not None and m.group("sector") in state_sectors():
            return country, country
        return None, country
    return None, None


def _claim(
    imp: Import,
    claim: URIRef,
    code: str,
    when: Literal,
    row: tuple[str, str, str, str],
    actors: tuple[URIRef, URIRef | None, URIRef | None],
) -> None:
    """Write one coded event as a machine-coded claim (row: subject, relation, object, date as
    given; actors: speaker, on whose behalf, target as reconciled)."""
    subject, relation, obj, date = row
    speaker, behalf, target = actors
    imp.triples.append((claim, RDF.type, DG.Claim))
    imp.add(claim, DG.eventType, iri.cameo(code))
    imp.add(claim, DG.date, when)
    imp.add(claim, DG.datePrecision, TIME_UNIT_DAY)
    imp.add(claim, DG.machineCoded, TRUE)
    imp.add(claim, DG.source, SOURCE_ENTITY)
    imp.add(claim, DG.paraphrase, Literal(f"{subject}: {relation} → {obj}", lang="en"))
    imp.add(claim, RDFS.label, Literal(f"ICEWS {date}: {subject} — {relation} — {obj}", lang="en"))
    imp.add(claim, DG.speaker, speaker)
    imp.add(claim, DG.onBehalfOf, behalf)
    imp.add(claim, DG.target, target)


def convert(imp: Import) -> None:
    """Read coded events into claims in ``imp``."""
    rec = reconciler()
    labels = cameo_by_label()
    path = imp.paths["events"]
    stem = iri.slug(path.stem)
    imp.typed(SOURCE_ENTITY, PROV.Entity, "ICEWS Coded Event Data")
    imp.add(SOURCE_ENTITY, DCTERMS.bibliographicCitation, Literal(CITATION))
    imp.add(SOURCE_ENTITY, DCTERMS.license, URIRef(LICENSE))
    unresolved: set[str] = set()
    persons: set[URIRef] = set()
    left_out = 0
    for line, fields in _rows(path):
        imp.rows_read += 1
        where = f"{path}:{line}"
        if len(fields) < 4:
            imp.skip(where, f"expected 4 tab-separated fields, found {len(fields)}")
            continue
        subject, relation, obj, date = (f.strip() for f in fields[:4])
        code = labels.get(relation.lower())
        if code is None:
            imp.skip(where, f"unknown CAMEO event type {relation!r}", field="relation")
            continue
        try:
            when = iso_literal(date)
            if when is None or len(date) != 10:
                raise BadValue(f"{date!r} is not a day (YYYY-MM-DD)")
        except BadValue as exc:
            imp.skip(where, str(exc), field="date")
            continue
        speaker, behalf = resolve(rec, subject)
        target, target_state = resolve(rec, obj)
        for name, found in ((subject, speaker or behalf), (obj, target or target_state)):
            if found is None and name not in unresolved:
                unresolved.add(name)
                imp.notes.append(f"ICEWS actor {name!r} is not reconciled (first at {where})")
        if speaker is None:  # every claim has a speaker: an unreconciled one leaves the row out
            left_out += 1
            continue
        claim = iri.claim(f"icews-{stem}", line)
        _claim(imp, claim, code, when, (subject, relation, obj, date), (speaker, behalf, target))
        for actor, name in ((speaker, subject), (target, obj)):
            if actor is not None and actor not in persons and "/person/" in str(actor):
                persons.add(actor)
                imp.typed(actor, DG.Person, name)
    imp.extra.append(
        (
            RDFS.comment,
            Literal(
                f"{left_out} row(s) left out because their speaker did not reconcile to a state, "
                "person or organisation (see diplograph reconcile-report).",
                lang="en",
            ),
        )
    )
