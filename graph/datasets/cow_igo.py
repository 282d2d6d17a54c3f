"""Import the Correlates of War Intergovernmental Organizations data (v3.0): graph
``dataset/cow-igo``.

Model (``ontology/diplo.ttl``):

- each IGO as a ``dg:InternationalOrganization`` at ``organization/<slug of ioname>``
  (``organization/nato``, ``organization/osce``, ``organization/eu``, ``organization/un``) with
  ``dg:igoCode`` (the COW abbreviation), ``rdfs:label`` from ``longorgname`` (else ``orgname``),
  ``dg:alias`` for the short name, ``dg:startDate`` from ``sdate`` and ``dg:endDate`` from
  ``deaddate`` (``xsd:gYear``);
- each membership spell as a ``dg:Membership`` (``dg:member`` a COW state, ``dg:ofOrganization``,
  ``dg:membershipStatus`` full/associate/observer) with ``xsd:gYear`` start and end.

What the years mean: COW IGO observes each state's status in each IGO once a year from 1965 (every
five years before). ``dg:startDate`` is the first year the state was observed with that status and
``dg:endDate`` the last; the status may have begun or ended at any time between two observations.
A spell still observed in the last year of the data (2014) of an IGO that has not died is ongoing:
``dg:ongoing true`` and no end date (COW does not say when, or whether, it ended later).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    MEMBERSHIP_STATUS,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    integer,
    year_literal,
)
from diplograph.graph.datasets.reconcile import reconciler

DATASET = Dataset(
    name="cow-igo",
    title="Correlates of War Intergovernmental Organizations v3.0",
    version="3.0",
    citation=(
        "Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus, and Anne Spencer Jamison. "
        '2020. "Tracking Organizations in the World: The Correlates of War IGO Version 3.0 '
        'Datasets." Journal of Peace Research 57(3): 492-503. doi:10.1177/0022343319881175.'
    ),
    license="COW data: free for research use with attribution (no open licence).",
    files={
        "igos": bundled("datasets", "cow_igo_v3", "igo_list.csv"),
        "memberships": bundled("datasets", "cow_igo_v3", "igo_membership_spells.csv"),
    },
    coverage_note=(
        "COW IGO v3.0 observes memberships once a year up to 2014, its last year. A spell still"
        " observed in 2014 is ongoing in the data, known only to that year; accessions and "
        "withdrawals after 2014 are not in it."
    ),
)

STATUS_LABELS = {"1": "full member", "2": "associate member", "3": "observer"}


def organization(ioname: str) -> URIRef:
    """The IRI of a COW IGO by its ``ioname`` (``NATO`` → ``organization/nato``)."""
    return iri.entity("organization", iri.slug(ioname))


def convert(imp: Import) -> None:
    """Read the IGO list and the membership spells into ``imp``."""
    rec = reconciler()
    igos: dict[str, tuple[URIRef, str, bool]] = {}  # ioname -> (iri, label, alive)
    for where, row in imp.rows(
        "igos", required=("ioname", "orgname", "longorgname", "sdate", "deaddate")
    ):
        name = row["ioname"].strip()
        try:
            if not name:
                raise imp.skip(where, "the IGO has no ioname", field="ioname")
            try:
                start, end = year_literal(row["sdate"]), year_literal(row["deaddate"])
                check_order(start, end)
            except BadValue as exc:
                raise imp.skip(where, str(exc), record=name) from exc
        except BadRow:
            continue
        if row.get("version", "").strip():
            imp.data_version = max(imp.data_version or "", row["version"].strip())
        org = organization(name)
        label = _label(row["longorgname"], name) or row["orgname"].strip() or name
        imp.typed(org, DG.InternationalOrganization, label)
        imp.add(org, DG.igoCode, Literal(name))
        for alias in dict.fromkeys((row["orgname"].strip(), name)):
            if alias and alias != label:
                imp.add(org, DG.alias, Literal(alias, lang="en"))
        imp.add(org, DG.startDate, start)
        imp.add(org, DG.endDate, end)
        igos[name] = (org, label, end is None)

    rows = list(
        imp.rows("memberships", required=("ccode", "ioname", "status", "start_year", "end_year"))
    )
    last_year = max((r["end_year"] for _, r in rows if r["end_year"].isdigit()), default="")
    if last_year:  # spells still observed then are ongoing: known up to that year, no further
        imp.coverage_end[""] = Literal(last_year, datatype=XSD.gYear)
    for where, row in rows:
        try:
            member = _member(imp, where, row, igos)
        except BadRow:
            continue
        code, state, (org, label, alive), status, start, end = member
        ongoing = alive and row["end_year"].strip() == last_year
        m = iri.entity(
            "membership",
            f"cow-igo-{iri.slug(row['ioname'])}-{code}-{iri.slug(STATUS_LABELS[status])}-{start}",
        )
        imp.typed(
            m,
            DG.Membership,
            f"{rec.states[code].name if code in rec.states else code} "
            f"in {row['ioname'].strip()} ({STATUS_LABELS[status]}) "
            f"from {start}",
        )
        imp.add(m, DG.member, state)
        imp.add(m, DG.ofOrganization, org)
        imp.add(m, DG.membershipStatus, MEMBERSHIP_STATUS[status])
        imp.interval(m, start, end, ongoing=ongoing)


def _member(
    imp: Import, where: str, row: dict[str, str], igos: dict[str, tuple[URIRef, str, bool]]
) -> tuple[int, URIRef, tuple[URIRef, str, bool], str, Literal, Literal]:
    record = f"{row['ccode']}/{row['ioname']}"
    try:
        code = integer(row["ccode"], "ccode")
    except BadValue as exc:
        raise imp.skip(where, str(exc), field="ccode", record=record) from exc
    state = reconciler().state(code)
    if state is None:
        raise imp.skip(where, f"unknown COW code {code}", field="ccode", record=record)
    igo = igos.get(row["ioname"].strip())
    if igo is None:
        raise imp.skip(
            where,
            f"unknown IGO {row['ioname']!r} (not in the IGO list)",
            field="ioname",
            record=record,
        )
    status = row["status"].strip()
    if status not in MEMBERSHIP_STATUS:
        raise imp.skip(
            where,
            f"unknown status {status!r} (1 full, 2 associate, 3 observer)",
            field="status",
            record=record,
        )
    try:
        start, end = year_literal(row["start_year"]), year_literal(row["end_year"])
        if start is None or end is None:
            raise BadValue("a spell needs a start and an end year")
        check_order(start, end)
    except BadValue as exc:
        raise imp.skip(where, str(exc), record=record) from exc
    return code, state, igo, status, start, end


def _label(long_name: str, ioname: str) -> str:
    """``North Atlantic Treaty Organization (NATO)`` → ``North Atlantic Treaty Organization``."""
    text = long_name.strip()
    return re.sub(rf"\s*\({re.escape(ioname)}\)$", "", text).strip()
