"""Import ATOP 4.01 (Alliance Treaty Obligations and Provisions): graph ``dataset/atop``.

Model (``ontology/diplo.ttl``):

- each alliance (alliance-level file) as a ``dg:Alliance`` (a binding ``dg:Treaty``) at
  ``alliance/atop-<atopid>`` with ``dg:atopId``, ``dg:startDate`` from begyr/begmo/begday and
  ``dg:endDate`` from endyr/endmo/endday at the precision given (``endyr = 0``: still in effect at
  the end of ATOP's coverage, so ``dg:ongoing true`` and no end date), ``dg:obligation`` for each
  of defence, offence, neutrality, non-aggression and consultation it carries, and ``dg:party`` for
  each member state (mem1..memN);
- each member-level row (member x alliance x phase) as a ``dg:Participation`` at
  ``participation/atop-<atopid>-<ccode>-<entry date>`` with ``dg:participant``, ``dg:ofAgreement``,
  entry and exit dates from yrent/moent/dayent and yrexit/moexit/dayexit (``yrexit = 0``: ongoing)
  and the obligations that member took on (the member-level file codes them per member).

ATOP publishes no names for alliances; an alliance is labelled "ATOP alliance <atopid>".
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    OBLIGATIONS,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    date_literal,
    flags,
    integer,
)
from diplograph.graph.datasets.reconcile import reconciler

DATASET = Dataset(
    name="atop",
    title="ATOP: Alliance Treaty Obligations and Provisions v4.01",
    version="4.01",
    citation=(
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. "
        '2002. "Alliance Treaty Obligations and Provisions, 1815-1944." International '
        "Interactions 28: 237-260. Leeds, Brett Ashley. 2018. ATOP v4 codebook. atopdata.org."
    ),
    license="Free of charge with a citation request (atopdata.org); no open licence.",
    files={
        "alliances": bundled("datasets", "atop_v4_01", "atop-alliance-level.csv"),
        "members": bundled("datasets", "atop_v4_01", "atop-member-level.csv"),
    },
    coverage_note=(
        "ATOP v4.01 (2018) covers alliances begun 1815-2016. An obligation still in effect at "
        "the end of its coverage is ongoing in the data; whether it lasted longer is not in it."
    ),
)

_OBLIGATION_COLUMNS = tuple(OBLIGATIONS)


def alliance(atopid: int) -> URIRef:
    """The IRI of an ATOP alliance (``alliance/atop-3180``)."""
    return iri.entity("alliance", f"atop-{atopid}")


def convert(imp: Import) -> None:
    """Read alliances then member-level participations into ``imp``."""
    rec = reconciler()
    known: set[int] = set()
    for where, row in imp.rows(
        "alliances",
        required=(
            "atopid",
            "begyr",
            "begmo",
            "begday",
            "endyr",
            "endmo",
            "endday",
            *_OBLIGATION_COLUMNS,
        ),
    ):
        try:
            atopid = _id(imp, where, row)
            start, end = _dates(
                imp,
                where,
                row,
                ("begyr", "begmo", "begday"),
                ("endyr", "endmo", "endday"),
                str(atopid),
            )
            members = []
            for col in sorted(
                (c for c in row if c.startswith("mem") and c[3:].isdigit()),
                key=lambda c: int(c[3:]),
            ):
                if row[col].strip():
                    code = _state(imp, where, row[col], col, str(atopid))
                    members.append(code)
        except BadRow:
            continue
        a = alliance(atopid)
        known.add(atopid)
        imp.typed(a, DG.Alliance, f"ATOP alliance {atopid}")
        imp.add(a, DG.atopId, Literal(atopid, datatype=XSD.integer))
        imp.interval(a, start, end, ongoing=end is None)
        for col in flags(row, _OBLIGATION_COLUMNS):
            imp.add(a, DG.obligation, OBLIGATIONS[col])
        for code in dict.fromkeys(members):
            imp.add(a, DG.party, rec.state(code))

    for where, row in imp.rows(
        "members",
        required=(
            "atopid",
            "member",
            "yrent",
            "moent",
            "dayent",
            "yrexit",
            "moexit",
            "dayexit",
            *_OBLIGATION_COLUMNS,
        ),
    ):
        try:
            atopid = _id(imp, where, row)
            if atopid not in known:
                raise imp.skip(
                    where,
                    f"alliance {atopid} is not in the alliance-level file",
                    field="atopid",
                    record=str(atopid),
                )
            code = _state(imp, where, row["member"], "member", str(atopid))
            start, end = _dates(
                imp,
                where,
                row,
                ("yrent", "moent", "dayent"),
                ("yrexit", "moexit", "dayexit"),
                f"{atopid}/{code}",
            )
            if start is None:
                raise imp.skip(
                    where, "the entry year is missing", field="yrent", record=f"{atopid}/{code}"
                )
        except BadRow:
            continue
        # a member can enter two phases of one alliance on the same day: the second gets "-2"
        if row.get("version", "").strip():
            imp.data_version = max(imp.data_version or "", row["version"].strip())
        p = iri.entity("participation", imp.unique(f"atop-{atopid}-{code}-{start}"))
        name = rec.states[code].name
        imp.typed(p, DG.Participation, f"{name} in ATOP alliance {atopid} from {start}")
        imp.add(p, DG.participant, rec.state(code))
        imp.add(p, DG.ofAgreement, alliance(atopid))
        imp.interval(p, start, end, ongoing=end is None)
        for col in flags(row, _OBLIGATION_COLUMNS):
            imp.add(p, DG.obligation, OBLIGATIONS[col])


def _id(imp: Import, where: str, row: dict[str, str]) -> int:
    try:
        return integer(row["atopid"], "atopid")
    except BadValue as exc:
        raise imp.skip(where, str(exc), field="atopid") from exc


def _state(imp: Import, where: str, value: str, column: str, record: str) -> int:
    try:
        code = integer(value, column)
    except BadValue as exc:
        raise imp.skip(where, str(exc), field=column, record=record) from exc
    if reconciler().state(code) is None:
        raise imp.skip(where, f"unknown COW code {code}", field=column, record=record)
    return code


def _dates(
    imp: Import,
    where: str,
    row: dict[str, str],
    start_cols: tuple[str, str, str],
    end_cols: tuple[str, str, str],
    record: str,
) -> tuple[Literal | None, Literal | None]:
    try:
        start = date_literal(*(row[c] for c in start_cols))
        end = date_literal(*(row[c] for c in end_cols))
        check_order(start, end)
    except BadValue as exc:
        raise imp.skip(where, str(exc), record=record) from exc
    return start, end
