"""diplograph's own small SKOS concept schemes: quad class, membership status, alliance
obligations, US mission status, rivalry types and role types.

Importers take the IRIs of these concepts from here (``MEMBERSHIP_STATUS["full"]``), so that every
dataset and record uses the same ones. Each concept is minted by
:func:`diplograph.iri.concept` from its scheme and label; the schemes are written to the
named graph ``graph/codes/schemes`` (the quad classes go with CAMEO, in ``graph/codes/cameo``).

>>> str(MEMBERSHIP_STATUS["full"])
'https://w3id.org/diplograph/id/concept/membership-status/full'
>>> MEMBERSHIP_STATUS["3"] == MEMBERSHIP_STATUS["observer"]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from diplograph import iri
from diplograph.provenance import Triple


@dataclass(frozen=True)
class Concept:
    """One concept of a small scheme."""

    key: str
    iri: URIRef
    label: str
    definition: str
    notation: str | None = None


@dataclass(frozen=True)
class Scheme:
    """A small SKOS concept scheme. ``scheme["full"]`` is the IRI of the concept with that key;
    a label or notation works too (``MISSION_STATUS["Ambassador Nonresident"]``,
    ``MEMBERSHIP_STATUS["1"]``). An unknown name raises ``KeyError`` naming the known keys."""

    name: str
    label: str
    definition: str
    concepts: tuple[Concept, ...]
    iri: URIRef = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "iri", iri.scheme(self.name))

    def __getitem__(self, name: str) -> URIRef:
        return self.concept(name).iri

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) is not None

    def __iter__(self) -> Iterator[str]:
        return (c.key for c in self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def concept(self, name: str) -> Concept:
        found = self._find(name)
        if found is None:
            known = ", ".join(c.key for c in self.concepts)
            raise KeyError(f"{name!r} is not a concept of the {self.label} scheme; known: {known}.")
        return found

    def _find(self, name: str) -> Concept | None:
        key = _key(name)
        for c in self.concepts:
            if key in (c.key, _key(c.label)) or (c.notation is not None and name == c.notation):
                return c
        return None

    def triples(self) -> Iterator[Triple]:
        s = self.iri
        yield s, RDF.type, SKOS.ConceptScheme
        yield s, SKOS.prefLabel, Literal(self.label, lang="en")
        yield s, SKOS.definition, Literal(self.definition, lang="en")
        for c in self.concepts:
            yield c.iri, RDF.type, SKOS.Concept
            yield c.iri, SKOS.prefLabel, Literal(c.label, lang="en")
            yield c.iri, SKOS.definition, Literal(c.definition, lang="en")
            yield c.iri, SKOS.inScheme, s
            yield c.iri, SKOS.topConceptOf, s
            yield s, SKOS.hasTopConcept, c.iri
            if c.notation is not None:
                yield c.iri, SKOS.notation, Literal(c.notation)


def _key(name: str) -> str:
    try:
        return iri.slug(name)
    except ValueError:
        return name


def _scheme(
    name: str, label: str, definition: str, items: Iterable[tuple[str, str, str | None]]
) -> Scheme:
    concepts = tuple(
        Concept(iri.slug(lab), iri.concept(name, lab), lab, defn, notation)
        for lab, defn, notation in items
    )
    return Scheme(name, label, definition, concepts)


QUAD_CLASS = _scheme(
    "quad-class",
    "CAMEO quad class",
    "The four classes into which CAMEO root codes fall (GDELT's QuadClass 1-4).",
    [
        (
            "Verbal cooperation",
            "CAMEO root codes 01 to 05: statements, appeals, expressed "
            "intent to cooperate, consultation and diplomatic cooperation.",
            "1",
        ),
        (
            "Material cooperation",
            "CAMEO root codes 06 to 09: material cooperation, aid, yielding and investigation.",
            "2",
        ),
        (
            "Verbal conflict",
            "CAMEO root codes 10 to 14: demands, disapproval, rejection, threats and protest.",
            "3",
        ),
        (
            "Material conflict",
            "CAMEO root codes 15 to 20: military posture, reduced relations, "
            "coercion, assault, fighting and mass violence.",
            "4",
        ),
    ],
)

MEMBERSHIP_STATUS = _scheme(
    "membership-status",
    "membership status",
    "The status of a state's membership of an intergovernmental organisation (COW IGO codes 1-3).",
    [
        ("Full", "A full member of the organisation.", "1"),
        ("Associate", "An associate member of the organisation.", "2"),
        ("Observer", "An observer at the organisation.", "3"),
    ],
)

ALLIANCE_OBLIGATION = _scheme(
    "alliance-obligation",
    "alliance obligation",
    "The obligations an alliance commits its members to (ATOP).",
    [
        ("Defence", "To assist a member militarily if it is attacked.", "defense"),
        ("Offence", "To assist a member in military action it initiates.", "offense"),
        ("Neutrality", "To stay out of a conflict a member is involved in.", "neutral"),
        ("Non-aggression", "Not to use military force against a member.", "nonagg"),
        ("Consultation", "To consult with the other members in a crisis.", "consul"),
    ],
)

MISSION_STATUS = _scheme(
    "mission-status",
    "US diplomatic mission status",
    "The level of the United States' diplomatic representation in a country, from greatest to "
    "least (Kenkel, U.S. Diplomatic Mission Status Data).",
    [
        ("Embassy", "An embassy headed by a resident ambassador.", "1"),
        ("Ambassador Nonresident", "An ambassador accredited from elsewhere.", "2"),
        ("Legation", "A legation headed by a resident minister or envoy.", "3"),
        ("Envoy Nonresident", "An envoy accredited from elsewhere.", "4"),
        ("Consulate", "A consulate in the capital only.", "5"),
        ("Consul Nonresident", "A consul accredited from elsewhere.", "6"),
        ("Liaison", "A liaison office.", "7"),
        ("Interests", "An interests section in another state's embassy.", "8"),
        ("None", "No diplomatic representation.", "9"),
    ],
)

RIVALRY_TYPE = _scheme(
    "rivalry-type",
    "rivalry type",
    "The kinds of strategic rivalry (Thompson, Sakuwa and Suhas).",
    [
        (
            "Positional",
            "A rivalry over relative position or influence in a region or the system.",
            None,
        ),
        ("Spatial", "A rivalry over territory.", None),
        ("Ideological", "A rivalry over political or economic systems or beliefs.", None),
        ("Interventionary", "A rivalry over influence in a third state's internal affairs.", None),
    ],
)

ROLE_TYPE = _scheme(
    "role-type",
    "role type",
    "The kinds of office a post can be.",
    [
        (
            "Head of state",
            "The highest representative of a state, such as a president or monarch.",
            None,
        ),
        (
            "Head of government",
            "The leader of a state's government, such as a prime minister.",
            None,
        ),
        ("Effective leader", "The person who in fact exercises power in a state (Archigos).", None),
        ("Foreign minister", "The minister responsible for a state's foreign affairs.", None),
        (
            "Secretary of State",
            "The head of the US Department of State, the US foreign minister.",
            None,
        ),
        ("Deputy foreign minister", "A deputy of a foreign minister.", None),
        ("Defence minister", "The minister responsible for a state's armed forces.", None),
        ("Minister", "A member of a government in charge of a ministry.", None),
        (
            "Ambassador",
            "A state's diplomatic representative accredited to another state or an organisation.",
            None,
        ),
        (
            "Chief of mission",
            "The head of a diplomatic mission, whether ambassador, envoy or chargé d'affaires.",
            None,
        ),
        (
            "Special envoy",
            "A person sent by a state or organisation on a special diplomatic task.",
            None,
        ),
        (
            "Spokesperson",
            "A person who speaks publicly for a government, body or organisation, "
            "such as a press secretary.",
            None,
        ),
        (
            "Secretary General",
            "The chief administrative officer of an international organisation.",
            None,
        ),
    ],
)

#: Every small scheme, in the order they are written.
SMALL_SCHEMES: tuple[Scheme, ...] = (
    QUAD_CLASS,
    MEMBERSHIP_STATUS,
    ALLIANCE_OBLIGATION,
    MISSION_STATUS,
    RIVALRY_TYPE,
    ROLE_TYPE,
)


def quad_class_of_root(root: int) -> Concept:
    """The quad class of a CAMEO root code (1-20)."""
    if not 1 <= root <= 20:
        raise ValueError(f"{root} is not a CAMEO root code (01-20).")
    return QUAD_CLASS.concepts[0 if root <= 5 else 1 if root <= 9 else 2 if root <= 14 else 3]
