"""Import the Correlates of War State System Membership list (v2024) with major-power status and
capitals: graph ``dataset/cow-state-system``.

Model (``ontology/diplo.ttl``):

- one ``dg:State`` per COW code at ``state/<slug of its latest COW name>``, with ``dg:cowCode``,
  ``dg:cowAbbreviation``, ``rdfs:label`` and earlier names as ``dg:alias`` (COW 345 is Yugoslavia
  until 2006-06-03 and Serbia after: ``state/serbia``, alias "Yugoslavia");
- each spell of membership in the state system as a ``dg:SystemMembership``
  (``spell/cow-system-<code>-<start>``) with ``dg:ofState`` and ``xsd:date`` start/end; a spell
  that runs to the end of the data (2024-12-31 in v2024) is ongoing: ``dg:ongoing true``, no end;
- each major-power spell (``majors2024.csv``) as a ``dg:MajorPowerStatus``;
- capitals (peacesciencer's ``cow_capitals.csv``) as ``dg:Place`` at ``place/<slug of city>`` with
  ``dg:latitude``/``dg:longitude`` (Kiev is ``place/kyiv``: see ``reconcile/places.csv``) and
  a ``dg:CapitalSpell`` (``dg:ofState``, ``dg:city``, dates); the state gets ``dg:capital`` for
  each of its capitals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph import iri
from diplograph.graph.datasets.common import (
    DG,
    BadRow,
    BadValue,
    Dataset,
    Import,
    bundled,
    check_order,
    date_literal,
    integer,
    iso_literal,
)
from diplograph.graph.datasets.reconcile import reconciler

DATASET = Dataset(
    name="cow-state-system",
    title="Correlates of War State System Membership v2024, major powers and capitals",
    version="2024",
    citation=(
        'Correlates of War Project. 2024. "State System Membership List, v2024." '
        'https://correlatesofwar.org. Capitals: Miller, Steven V. 2022. "peacesciencer: An R '
        'Package for Quantitative Peace Science Research." Conflict Management and Peace Science.'
    ),
    license="COW data: free for research use with attribution (no open licence); capitals from "
    "the peacesciencer package (GPL-2).",
    files={
        "statelist": bundled("datasets", "cow_state_system", "statelist2024.csv"),
        "majors": bundled("datasets", "cow_state_system", "majors2024.csv"),
        "capitals": bundled("datasets", "peacesciencer_extras", "cow_capitals.csv"),
    },
    coverage_note=(
        "State system membership and major-power status (COW v2024) and capitals run to "
        "2024-12-31; a spell that lasts to then is ongoing in the data."
    ),
)

_SPELL = ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")


def _spell_dates(imp: Import, where: str, row: dict[str, str]) -> tuple[Literal, Literal]:
    try:
        start = date_literal(row["styear"], row["stmonth"], row["stday"])
        end = date_literal(row["endyear"], row["endmonth"], row["endday"])
        if start is None or end is None:
            raise BadValue("a spell needs a start and an end date")
        check_order(start, end)
    except BadValue as exc:
        raise imp.skip(where, str(exc), record=row.get("ccode")) from exc
    return start, end


def convert(imp: Import) -> None:
    """Read the state list, major powers and capitals into ``imp``."""
    states: dict[int, list[tuple[str, str, str, Literal, Literal, str]]] = {}
    coverage_end = ""
    for where, row in imp.rows("statelist", required=(*_SPELL, "stateabb", "statenme")):
        try:
            code = _code(imp, where, row)
            if not row["statenme"].strip():
                raise imp.skip(where, "the state name is empty", field="statenme", record=str(code))
            start, end = _spell_dates(imp, where, row)
        except BadRow:
            continue
        if row.get("version", "").strip():
            imp.data_version = max(imp.data_version or "", row["version"].strip())
        states.setdefault(code, []).append(
            (str(start), row["statenme"].strip(), row["stateabb"].strip(), start, end, where)
        )
        coverage_end = max(coverage_end, str(end))

    state_iri: dict[int, URIRef] = {}
    for code, spells in states.items():
        spells.sort(key=lambda s: s[0])
        latest = spells[-1][1]
        s = iri.entity("state", iri.slug(latest))
        state_iri[code] = s
        imp.typed(s, DG.State, latest)
        imp.add(s, DG.cowCode, Literal(code, datatype=XSD.integer))
        for abb in dict.fromkeys(sp[2] for sp in spells if sp[2]):
            imp.add(s, DG.cowAbbreviation, Literal(abb))
        for name in dict.fromkeys(sp[1] for sp in spells):
            if name != latest:
                imp.add(s, DG.alias, Literal(name, lang="en"))
        for _, name, _, start, end, _ in spells:
            spell = iri.entity("spell", f"cow-system-{code}-{start}")
            imp.typed(spell, DG.SystemMembership, f"{name} in the COW state system from {start}")
            imp.add(spell, DG.ofState, s)
            imp.interval(spell, start, end, ongoing=str(end) == coverage_end)

    for where, row in imp.rows("majors", required=(*_SPELL, "stateabb")):
        try:
            code = _known(imp, where, row, state_iri)
            start, end = _spell_dates(imp, where, row)
        except BadRow:
            continue
        spell = iri.entity("spell", f"cow-major-{code}-{start}")
        imp.typed(spell, DG.MajorPowerStatus, f"{row['stateabb']} a major power from {start}")
        imp.add(spell, DG.ofState, state_iri[code])
        imp.interval(spell, start, end, ongoing=str(end) == coverage_end)

    if (end_of_data := iso_literal(coverage_end)) is not None:
        imp.coverage_end[""] = end_of_data
    _capitals(imp, state_iri, coverage_end)


def _capitals(imp: Import, state_iri: dict[int, URIRef], coverage_end: str) -> None:
    places: set[URIRef] = set()
    capitals: set[tuple[URIRef, URIRef]] = set()  # France had Paris in two spells: link once
    for where, row in imp.rows(
        "capitals", required=("ccode", "capital", "stdate", "enddate", "lat", "lng")
    ):
        try:
            code = _known(imp, where, row, state_iri)
            city = row["capital"].strip()
            if not city:
                raise imp.skip(where, "the capital is empty", field="capital", record=str(code))
            try:
                start, end = iso_literal(row["stdate"]), iso_literal(row["enddate"])
                check_order(start, end)
            except BadValue as exc:
                raise imp.skip(where, str(exc), record=str(code)) from exc
            lat, lng = (
                _coordinate(imp, where, row, "lat", 90),
                _coordinate(imp, where, row, "lng", 180),
            )
        except BadRow:
            continue
        place = reconciler().place(city)
        if place not in places:
            places.add(place)
            imp.typed(place, DG.Place, city)
            imp.add(place, DG.latitude, lat)
            imp.add(place, DG.longitude, lng)
        s = state_iri[code]
        if (s, place) not in capitals:
            capitals.add((s, place))
            imp.add(s, DG.capital, place)
        spell = iri.entity("spell", f"cow-capital-{code}-{start}")
        imp.typed(
            spell, DG.CapitalSpell, f"{city}, capital of {row.get('statenme') or code} from {start}"
        )
        imp.add(spell, DG.ofState, s)
        imp.add(spell, DG.city, place)
        imp.interval(spell, start, end, ongoing=str(end) == coverage_end)


def _code(imp: Import, where: str, row: dict[str, str]) -> int:
    try:
        return integer(row["ccode"], "ccode")
    except BadValue as exc:
        raise imp.skip(where, str(exc), field="ccode") from exc


def _known(imp: Import, where: str, row: dict[str, str], states: dict[int, URIRef]) -> int:
    code = _code(imp, where, row)
    if code not in states:
        raise imp.skip(
            where,
            f"unknown COW code {code} (not in the state list)",
            field="ccode",
            record=str(code),
        )
    return code


def _coordinate(imp: Import, where: str, row: dict[str, str], name: str, limit: int) -> Literal:
    try:
        value = Decimal(row[name].strip())
    except InvalidOperation as exc:
        raise imp.skip(where, f"{row[name]!r} is not a number", field=name) from exc
    if not -limit <= value <= limit:
        raise imp.skip(where, f"{value} is outside -{limit}..{limit}", field=name)
    return Literal(str(value), datatype=XSD.decimal)
