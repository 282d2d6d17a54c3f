"""Reconciliation at ingest: an article's new entity that a store already has under another IRI.

An analyst who writes "S. Lavrov" (or an Archigos leader with an initial) would otherwise mint a
second person beside ``person/sergey-lavrov``. :class:`LabelIndex` reads every label and alias of
the store's entities once (one query per ingest, not one per entity); :func:`probable_duplicates`
compares each entity a record file would add with it and reports, at the entity's line, the
existing IRIs its label or an alias matches. Nothing is merged: the analyst states ``same_as``
(the entity lands on the existing IRI) or ``distinct_from`` (it is another one).

Names match when they are the same words ignoring case, accents and punctuation, or, for persons,
when the surnames are the same and one side gives initials that the other's names start with
("S. Lavrov" ~ "Sergey Lavrov", "G.W. Bush" ~ "George W. Bush"), or gives initials where the other
has a surname only ("B. Obama" ~ "Obama", the way Archigos names most leaders).

>>> _person_match(_words("S. Lavrov"), _words("Sergey Lavrov"))
True
>>> _person_match(_words("Sergey Lavrov"), _words("Stepan Lavrov"))
False
>>> _person_match(_words("B. Obama"), _words("Obama"))
True
>>> _person_match(_words("Barack Obama"), _words("Obama"))
False
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from diplograph import iri
from diplograph.errors import Problem
from diplograph.graph.records.crossref import group_of
from diplograph.graph.records.model import Entity, RecordFile, as_list
from diplograph.graph.store import DiploGraph
from diplograph.iri import fold

_LABELS = (
    iri.prologue("rdfs", "skos", "dg")
    + """SELECT DISTINCT ?s ?name WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel dg:alias }
  ?s ?p ?name .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "%s"))
}"""
)
#: Kinds of entity that are compared (not tenures, claims, articles or code-list concepts).
_GROUPS = frozenset(
    {"state", "person", "organization", "actor", "place", "agreement", "event", "principle", "post"}
)


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[^a-z0-9]+", fold(name)) if w)


def _person_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same surname, and given names that initials make compatible (see the module)."""
    if len(a) < 1 or len(b) < 1 or a[-1] != b[-1] or a == b:
        return a == b and bool(a)
    ga, gb = a[:-1], b[:-1]
    initials_a, initials_b = all(len(w) == 1 for w in ga), all(len(w) == 1 for w in gb)
    if not ga or not gb:
        return bool(ga and initials_a) or bool(gb and initials_b)
    if not any(len(w) == 1 for w in ga + gb):
        return False
    return all(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x, y in zip(ga, gb, strict=False)
    )


@dataclass
class LabelIndex:
    """The names of a store's entities, read once: by their words, and persons by surname."""

    names: dict[tuple[str, ...], set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    surnames: dict[str, list[tuple[URIRef, tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    labels: dict[URIRef, str] = field(default_factory=dict)

    @classmethod
    def of(cls, store: DiploGraph) -> LabelIndex:
        index = cls()
        for s, name in store.query(_LABELS % iri.ID).rows:
            if isinstance(s, URIRef) and isinstance(name, Literal):
                index.add(s, str(name))
        return index

    def add(self, node: URIRef, name: str) -> None:
        group, words = group_of(node), _words(name)
        if group not in _GROUPS or not words:
            return
        self.labels.setdefault(node, name)
        self.names[words].add(node)
        if group == "person":
            self.surnames[words[-1]].append((node, words, name))

    def __contains__(self, node: object) -> bool:
        return node in self.labels

    def matches(self, name: str, group: str) -> dict[URIRef, str]:
        """The store's entities of ``group`` that ``name`` may stand for, with the name matched."""
        words = _words(name)
        found = {n: name for n in self.names.get(words, ()) if group_of(n) == group}
        if group == "person" and words:
            for node, other, text in self.surnames.get(words[-1], ()):
                if node not in found and _person_match(words, other):
                    found[node] = text
        return found


def probable_duplicates(records: RecordFile, index: LabelIndex) -> list[Problem]:
    """One problem per new entity of ``records`` whose name matches entities of the store under
    other IRIs, unless the record says ``same_as`` or ``distinct_from`` for them."""
    out: list[Problem] = []
    for ent in records.entities.values():
        if ent.type.group not in _GROUPS or ent.iri in index or "same_as" in ent.data:
            continue
        apart = {records.ref(v) for v in as_list(ent.data.get("distinct_from"))}
        hits: dict[URIRef, str] = {}
        for name in [ent.label, *as_list(ent.data.get("aliases"))]:
            for node, matched in index.matches(str(name), ent.type.group).items():
                if node != ent.iri and node not in apart:
                    hits.setdefault(node, matched)
        if hits:
            out.append(_problem(records, ent, hits))
    return out


def _problem(records: RecordFile, ent: Entity, hits: dict[URIRef, str]) -> Problem:
    shown = sorted(hits)
    listed = "; ".join(f"{_path(n)} ({hits[n]!r})" for n in shown[:5])
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    first = _path(shown[0])
    return Problem(
        f"{records.location}:{ent.line}",
        f"{ent.label!r} is a probable duplicate of {listed}{more}, already in the store: write "
        f"'same_as: {first}' to use the existing entity, or 'distinct_from: [{first}]' if it is "
        "another (nothing was written)",
        f"entity {ent.key}",
        "label",
    )


def _path(node: URIRef) -> str:
    return str(node)[len(iri.ID) :] if str(node).startswith(str(iri.ID)) else str(node)


__all__ = ["LabelIndex", "probable_duplicates"]
