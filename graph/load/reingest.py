"""What re-ingesting an article would change, claim by claim.

Loading an article whose named graph the store already holds with other content is refused unless
asked for (``diplograph ingest --replace``); either way :func:`changes` says what differs: claims
added, removed and changed (with the fields that changed), and how many other triples (the
article, its entities) come and go. Reviewed claims are never replaced by machine-coded ones
(``dg:machineCoded true``), even when asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from diplograph import iri
from diplograph.provenance import Triple

_DG = iri.ONTOLOGY
_TRUE = Literal(True)


@dataclass(frozen=True)
class Changes:
    """How a graph's new triples differ from the stored ones."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    other: tuple[int, int] = (0, 0)  # other triples added, removed
    machine_over_reviewed: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or any(self.other))

    def lines(self) -> list[str]:
        """The changes, one sentence each."""
        out = []
        if self.added:
            out.append(f"claims added: {', '.join(self.added)}")
        if self.removed:
            out.append(f"claims removed: {', '.join(self.removed)}")
        for name, fields in self.changed:
            out.append(f"claim {name} changed: {', '.join(fields)}")
        plus, minus = self.other
        if plus or minus:
            out.append(f"article and entities: {plus} triple(s) added, {minus} removed")
        if self.machine_over_reviewed:
            out.append(
                "reviewed claims that machine-coded ones would replace: "
                + ", ".join(self.machine_over_reviewed)
            )
        return out


def changes(old: Iterable[Triple], new: Iterable[Triple]) -> Changes:
    """Compare a stored graph (``old``) with what would replace it (``new``)."""
    before, after = set(old), set(new)
    if before == after:
        return Changes()
    claims_old, claims_new = _claims(before), _claims(after)
    by_old, by_new = _by_subject(before, claims_old), _by_subject(after, claims_new)
    names = {**_names(before, claims_old), **_names(after, claims_new)}
    added = sorted(claims_new - claims_old, key=lambda c: _order(names[c]))
    removed = sorted(claims_old - claims_new, key=lambda c: _order(names[c]))
    changed = []
    for c in sorted(claims_old & claims_new, key=lambda c: _order(names[c])):
        if by_old[c] != by_new[c]:
            changed.append((names[c], _fields(by_old[c] ^ by_new[c])))
    claims = claims_old | claims_new
    rest_old = {t for t in before if t[0] not in claims}
    rest_new = {t for t in after if t[0] not in claims}
    machine = [
        names[c]
        for c in sorted(claims_old & claims_new, key=lambda c: _order(names[c]))
        if (c, _DG.machineCoded, _TRUE) in after and (c, _DG.machineCoded, _TRUE) not in before
    ]
    return Changes(
        tuple(names[c] for c in added),
        tuple(names[c] for c in removed),
        tuple(changed),
        (len(rest_new - rest_old), len(rest_old - rest_new)),
        tuple(machine),
    )


def _claims(triples: set[Triple]) -> set[Node]:
    return {s for s, p, o in triples if p == RDF.type and o == _DG.Claim}


def _by_subject(triples: set[Triple], claims: set[Node]) -> dict[Node, set[Triple]]:
    out: dict[Node, set[Triple]] = defaultdict(set)
    for t in triples:
        if t[0] in claims:
            out[t[0]].add(t)
    return out


def _names(triples: set[Triple], claims: set[Node]) -> dict[Node, str]:
    names = {c: str(c).rsplit("/", 1)[-1] for c in claims}
    for s, p, o in triples:
        if p == DCTERMS.identifier and s in claims:
            names[s] = str(o)
    return names


def _order(name: str) -> tuple[int, str]:
    digits = name.lstrip("c")
    return (int(digits), name) if digits.isdigit() else (0, name)


def _fields(diff: set[Triple]) -> tuple[str, ...]:
    from diplograph.graph.records.rdf import FIELD_OF

    out = set()
    for _, p, _ in diff:
        out.add(FIELD_OF.get(p, str(p).rsplit("#", 1)[-1]) if isinstance(p, URIRef) else str(p))
    return tuple(sorted(out))


__all__ = ["Changes", "changes"]
