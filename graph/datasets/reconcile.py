"""Reconciliation: one IRI per entity across the datasets and the articles, by code and by curated
alias tables, never by fuzzy matching.

- States are identified by their Correlates of War code: one state per COW code, at
  ``id/state/<slug of its latest COW v2024 name>`` (``365`` → ``state/russia``; ``345`` is
  Yugoslavia then Serbia in COW and becomes ``state/serbia`` with "Yugoslavia" as an alias). Other
  names reach a state through the curated ``data/reconcile/state_aliases.csv``.
- Gleditsch-Ward codes (Archigos) map to COW codes through ``data/reconcile/gw_cow.csv``: a GW code
  listed there maps by date (GW 260 is the German Federal Republic until 1990-10-02 and Germany,
  COW 255, from 1990-10-03); a GW code not listed is the same COW code. A GW state with no COW
  counterpart (Tibet, Transvaal...) gets its own state IRI from the GW name, with no COW code.
- POCOM territories (``russia``, ``germany``...) map to COW codes through
  ``data/reconcile/pocom_territories.csv``, also by date.
- Places (capitals) are ``place/<slug of name>`` unless ``data/reconcile/places.csv`` says
  otherwise ("Kiev" → ``place/kyiv``, the IRI the articles and the Wikidata links use).
- Persons: POCOM people are ``person/<slug of forename surname suffix>``; Archigos leaders and
  ICEWS actors reach a person only through a row of ``data/reconcile/persons.csv`` that cites the
  evidence; an Archigos leader without one gets ``person/<slug of name>-<slug of first obsid>``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import URIRef

from diplograph import iri
from diplograph.graph.datasets.common import bundled

RECONCILE_DIR = ("reconcile",)
COW_STATELIST = bundled("datasets", "cow_state_system", "statelist2024.csv")
COW_IGO_LIST = bundled("datasets", "cow_igo_v3", "igo_list.csv")


def reconcile_file(name: str) -> Path:
    """A curated table in ``graph/data/reconcile/``."""
    return bundled(*RECONCILE_DIR, name)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


@dataclass(frozen=True)
class CowState:
    """One COW state: code, IRI, its latest name and every name and abbreviation it had."""

    code: int
    iri: URIRef
    name: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]


@dataclass(frozen=True)
class DatedCode:
    """A row of a dated mapping table: ``key`` means COW ``code`` between two ISO dates."""

    code: int | None
    valid_from: str  # '' = since always
    valid_to: str  # '' = until now
    name: str = ""
    note: str = ""

    def covers(self, date: str) -> bool:
        d = date[:10]
        return (not self.valid_from or self.valid_from <= d) and (
            not self.valid_to or d <= self.valid_to
        )


@dataclass
class Reconciler:
    """The lookup tables, loaded once from the bundled COW state list and curated tables."""

    states: dict[int, CowState]
    aliases: dict[str, int]  # exact name or alias -> COW code
    gw: dict[int, list[DatedCode]]
    territories: dict[str, list[DatedCode]]
    persons: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, key) -> slug
    organizations: dict[str, URIRef] = field(default_factory=dict)  # exact name -> IGO IRI
    places: dict[str, str] = field(default_factory=dict)  # exact name -> place slug

    # -- states ------------------------------------------------------------------------------
    def state(self, code: int) -> URIRef | None:
        """The IRI of the state with this COW code, or None if COW has no such code."""
        found = self.states.get(code)
        return found.iri if found else None

    def state_by_name(self, name: str) -> URIRef | None:
        """The state with exactly this COW name or curated alias, or None."""
        code = self.aliases.get(name)
        return self.state(code) if code is not None else None

    def gw_to_cow(
        self, gwcode: int, start: str, end: str
    ) -> list[tuple[int | None, str, str, str]]:
        """Map a GW-coded interval to COW: ``[(cow code or None, start, end, GW name)]``, split
        where the mapping changes inside the interval (Kohl's tenure is GW 260 throughout, COW 260
        until 1990-10-02 and COW 255 after). Unlisted GW codes map to the same COW code."""
        rows = self.gw.get(gwcode)
        if rows is None:
            return [(gwcode, start, end, "")]
        out: list[tuple[int | None, str, str, str]] = []
        for row in rows:
            lo = max(start, row.valid_from) if row.valid_from else start
            hi = min(end, row.valid_to) if (end and row.valid_to) else (end or row.valid_to)
            if hi and lo > hi:
                continue
            out.append((row.code, lo, hi, row.name))
        return out

    def gw_only_state(self, gwcode: int) -> tuple[URIRef, str] | None:
        """A state that Gleditsch-Ward list but COW does not (``state/tibet``), with its name."""
        for row in self.gw.get(gwcode, []):
            if row.code is None:
                return iri.entity("state", row.name), row.name
        return None

    def territory(self, territory_id: str, date: str) -> int | None:
        """The COW code of a POCOM territory on a date (None: not a COW state then)."""
        rows = self.territories.get(territory_id, [])
        if not date:
            codes = [r.code for r in rows if r.code is not None]
            return codes[-1] if codes else None
        for row in rows:
            if row.covers(date):
                return row.code
        return None

    def place(self, name: str) -> URIRef:
        """The IRI of a place by name: a curated ``places.csv`` row ("Kiev" → ``place/kyiv``),
        else ``place/<slug of name>``."""
        return iri.entity("place", self.places.get(name) or iri.slug(name))

    def organization_by_name(self, name: str) -> URIRef | None:
        """The COW IGO with exactly this name (long name, short name or abbreviation), or None."""
        return self.organizations.get(name)

    # -- persons -----------------------------------------------------------------------------
    def person(self, source: str, key: str) -> URIRef | None:
        """The person a curated alias row gives for ``(source, key)``, or None."""
        found = self.persons.get((source, key))
        return iri.entity("person", found) if found else None


def _load_states(path: Path) -> tuple[dict[int, CowState], dict[str, int]]:
    spells: dict[int, list[tuple[str, str, str]]] = {}
    for _, row in _rows(path):
        code = int(row["ccode"])
        start = f"{int(row['styear']):04d}-{int(row['stmonth']):02d}-{int(row['stday']):02d}"
        spells.setdefault(code, []).append((start, row["statenme"], row["stateabb"]))
    states: dict[int, CowState] = {}
    aliases: dict[str, int] = {}
    for code, rows in spells.items():
        rows.sort()
        latest = rows[-1][1]
        names = tuple(dict.fromkeys(r[1] for r in rows))
        abbs = tuple(dict.fromkeys(r[2] for r in rows))
        states[code] = CowState(code, iri.entity("state", iri.slug(latest)), latest, names, abbs)
        for name in names:
            aliases.setdefault(name, code)
    return states, aliases


def _load_dated(path: Path, key: str, *, name_col: str | None = None) -> dict[str, list[DatedCode]]:
    out: dict[str, list[DatedCode]] = {}
    for _, row in _rows(path):
        code = int(row["cowcode"]) if row["cowcode"] else None
        out.setdefault(row[key], []).append(
            DatedCode(
                code, row["valid_from"], row["valid_to"], row.get(name_col or "", ""), row["note"]
            )
        )
    for rows in out.values():
        rows.sort(key=lambda r: r.valid_from)
    return out


@cache
def reconciler() -> Reconciler:
    """The reconciler built from the bundled COW state list and the curated tables (cached)."""
    states, aliases = _load_states(COW_STATELIST)
    for _, row in _rows(reconcile_file("state_aliases.csv")):
        aliases[row["alias"]] = int(row["cowcode"])
    gw = {
        int(k): v
        for k, v in _load_dated(reconcile_file("gw_cow.csv"), "gwcode", name_col="gw_name").items()
    }
    territories = _load_dated(reconcile_file("pocom_territories.csv"), "territory_id")
    persons = {
        (row["source"], row["key"]): row["person"]
        for _, row in _rows(reconcile_file("persons.csv"))
    }
    places = {row["name"]: row["place"] for _, row in _rows(reconcile_file("places.csv"))}
    return Reconciler(states, aliases, gw, territories, persons, _load_igos(COW_IGO_LIST), places)


def _load_igos(path: Path) -> dict[str, URIRef]:
    """IGO IRIs by exact name: long name without its "(ABBR)", short name and abbreviation."""
    out: dict[str, URIRef] = {}
    for _, row in _rows(path):
        name = row["ioname"]
        org = iri.entity("organization", iri.slug(name))
        long_name = re.sub(rf"\s*\({re.escape(name)}\)$", "", row["longorgname"]).strip()
        for key in (long_name, row["orgname"], name):
            if key:
                out.setdefault(key, org)
    return out


__all__ = ["CowState", "DatedCode", "Reconciler", "reconcile_file", "reconciler"]
