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
from rdflib.namespace import SKOS, XSD

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
from diplograph.graph.datasets.reconcile import Reconciler, reconciler

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


#: how a label names each obligation of an alliance
OBLIGATION_WORDS = {
    "defense": "defence",
    "offense": "offence",
    "neutral": "neutrality",
    "nonagg": "non-aggression",
    "consul": "consultation",
}


def alliance_label(
    atopid: int, kinds: list[str], members: list[str], start: str | None, end: str | None
) -> str:
    """A label that says what an alliance is (ATOP publishes no names): its obligations, its
    first members and its years, with its ATOP number.

    >>> alliance_label(3180, ["defence", "consultation"],
    ...                ["United States", "Canada", "Belgium", "France"], "1949-04-04", None)
    'Defence and consultation alliance of United States, Canada, Belgium and 1 other (1949–), ...'
    >>> alliance_label(1005, ["neutrality"], ["France", "Spain"], "1815-01-03", "1815-02-08")
    'Neutrality alliance of France and Spain (1815–1815), ATOP 1005'
    """
    what = " and ".join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
    what = (what[:1].upper() + what[1:] + " alliance") if what else "Alliance"
    shown, more = members[:3], len(members) - 3
    who = ", ".join(shown) + (f" and {more} other{'s' if more > 1 else ''}" if more > 0 else "")
    if more <= 0 and len(shown) > 1:
        who = ", ".join(shown[:-1]) + " and " + shown[-1]
    years = f"{start[:4] if start else '?'}–{end[:4] if end else ''}"  # open: ongoing at ATOP's end
    return (
        f"{what} of {who} ({years}), ATOP {atopid}" if who else f"{what} ({years}), ATOP {atopid}"
    )


def convert(imp: Import) -> None:
    """Read alliances then member-level participations into ``imp``."""
    rec = reconciler()
    known = _alliances(imp, rec)
    _members(imp, rec, known)


def _alliances(imp: Import, rec: Reconciler) -> set[int]:
    """The alliance-level rows: an alliance each, with its obligations and parties; returns
    the ATOP ids read."""
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
        names = [rec.states[code].name for code in dict.fromkeys(members) if code in rec.states]
        kinds = [OBLIGATION_WORDS[col] for col in flags(row, _OBLIGATION_COLUMNS)]
        imp.typed(a, DG.Alliance, alliance_label(atopid, kinds, names, start, end))
        imp.add(a, SKOS.altLabel, Literal(f"ATOP alliance {atopid}", lang="en"))
        imp.add(a, DG.atopId, Literal(atopid, datatype=XSD.integer))
        imp.interval(a, start, end, ongoing=end is None)
        for col in flags(row, _OBLIGATION_COLUMNS):
            imp.add(a, DG.obligation, OBLIGATIONS[col])
        for code in dict.fromkeys(members):
            imp.add(a, DG.party, rec.state(code))
    return known


def _members(imp: Import, rec: Reconciler, known: set[int]) -> None:
    """The member-level rows: a participation each (a member may enter an alliance twice)."""
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
