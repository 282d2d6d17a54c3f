"""The vocabulary of claim records: entity types, their fields, and the loaded :class:`RecordFile`.

A claim-record file (``docs/claim-records.md``) declares entities by local id, each with a
``type`` from :data:`ENTITY_TYPES`. This module says, for each type, which class of the diplograph
ontology (``dg:``) it is, which IRI space (:mod:`diplograph.iri`) mints it, which fields it
takes, and which kinds of entity each reference field may point to. :mod:`diplograph.graph.records`
checks files against these tables; :mod:`.rdf` turns a checked :class:`RecordFile` into RDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from diplograph import iri
from diplograph.graph.records.dates import RecordDate

DG = iri.ONTOLOGY

#: Fields every entity may have.
COMMON_FIELDS = frozenset(
    {
        "type",
        "iri",
        "label",
        "aliases",
        "description",
        "note",
        "same_as",
        "distinct_from",
        "sources",
    }
)
_AGREEMENT = frozenset(
    {
        "title",
        "adopted_at",
        "adopted_by",
        "adoption_date",
        "signature_date",
        "at_place",
        "part_of",
        "document_number",
        "parties",
        "contains_principles",
    }
)
_EVENT = frozenset({"start", "end", "date", "at_place", "participants", "organized_by", "part_of"})
_PROPOSAL = frozenset({"proposed_by", "addressed_to", "concerns", "date"})


@dataclass(frozen=True)
class EntityType:
    """One ``type`` of entity in a record file."""

    name: str
    classes: tuple[str, ...]  # dg: class names, most specific first, with its dg: superclasses
    kinds: tuple[str, ...]  # IRI spaces (first one mints); see iri.ENTITY_TYPES
    group: str  # what a reference field expects: state, person, organization, actor, post ...
    fields: frozenset[str] = frozenset()

    @property
    def allowed(self) -> frozenset[str]:
        return COMMON_FIELDS | self.fields


def _types(*items: EntityType) -> dict[str, EntityType]:
    return {t.name: t for t in items}


_ORG = ("Organization", "Actor")
#: Every entity type a record file may declare, by name.
ENTITY_TYPES: dict[str, EntityType] = _types(
    EntityType("State", ("State", "Actor"), ("state",), "state"),
    EntityType("Person", ("Person", "Actor"), ("person",), "person"),
    EntityType("Official", ("Official", "Person", "Actor"), ("person",), "person"),
    EntityType("Organization", _ORG, ("organization",), "organization"),
    EntityType(
        "InternationalOrganization",
        ("InternationalOrganization", *_ORG),
        ("organization",),
        "organization",
    ),
    EntityType(
        "ResearchOrganization", ("ResearchOrganization", *_ORG), ("organization",), "organization"
    ),
    EntityType("NewsOrganization", ("NewsOrganization", *_ORG), ("organization",), "organization"),
    EntityType(
        "GovernmentBody",
        ("GovernmentBody", *_ORG),
        ("organization",),
        "organization",
        frozenset({"government_of"}),
    ),
    EntityType("ArmedGroup", ("ArmedGroup", *_ORG), ("organization",), "organization"),
    EntityType("Actor", ("Actor",), ("group",), "actor"),
    EntityType("Author", ("Actor",), ("article", "person", "organization"), "actor"),
    EntityType("Post", ("Post",), ("post",), "post", frozenset({"role", "role_type", "post_in"})),
    EntityType(
        "Tenure",
        ("Tenure",),
        ("tenure",),
        "tenure",
        frozenset({"holder", "post", "start", "end", "as_of"}),
    ),
    EntityType("Place", ("Place",), ("place",), "place", frozenset({"located_in"})),
    EntityType("Agreement", ("Agreement",), ("agreement",), "agreement", _AGREEMENT),
    EntityType("Treaty", ("Treaty", "Agreement"), ("agreement",), "agreement", _AGREEMENT),
    EntityType(
        "Alliance",
        ("Alliance", "Treaty", "Agreement"),
        ("agreement", "alliance"),
        "agreement",
        _AGREEMENT,
    ),
    EntityType(
        "PoliticalCommitment",
        ("PoliticalCommitment", "Agreement"),
        ("agreement",),
        "agreement",
        _AGREEMENT,
    ),
    EntityType(
        "Charter",
        ("Charter", "PoliticalCommitment", "Agreement"),
        ("agreement",),
        "agreement",
        _AGREEMENT,
    ),
    EntityType(
        "Declaration",
        ("Declaration", "PoliticalCommitment", "Agreement"),
        ("agreement",),
        "agreement",
        _AGREEMENT,
    ),
    EntityType("Principle", ("Principle",), ("principle",), "principle"),
    EntityType("Event", ("Event",), ("event",), "event", _EVENT),
    EntityType("Meeting", ("Meeting", "Event"), ("event",), "event", _EVENT),
    EntityType("Summit", ("Summit", "Meeting", "Event"), ("event",), "event", _EVENT),
    EntityType("Roundtable", ("Roundtable", "Meeting", "Event"), ("event",), "event", _EVENT),
    EntityType("ArmedConflict", ("ArmedConflict", "Event"), ("conflict", "event"), "event", _EVENT),
    EntityType("Conference", ("Conference", "Meeting", "Event"), ("event",), "event", _EVENT),
    EntityType("Speech", ("Speech", "Event"), ("event",), "event", _EVENT),
    EntityType("Statement", ("Statement", "Event"), ("event",), "event", _EVENT),
    EntityType("PressConference", ("PressConference", "Event"), ("event",), "event", _EVENT),
    EntityType("Interview", ("Interview", "Event"), ("event",), "event", _EVENT),
    EntityType("PhoneCall", ("PhoneCall", "Event"), ("event",), "event", _EVENT),
    EntityType("Proposal", ("Proposal",), ("proposal",), "proposal", _PROPOSAL),
    EntityType("Offer", ("Offer", "Proposal"), ("proposal",), "proposal", _PROPOSAL),
    EntityType("Demand", ("Demand", "Proposal"), ("demand",), "proposal", _PROPOSAL),
    EntityType(
        "Precondition", ("Precondition", "Demand", "Proposal"), ("demand",), "proposal", _PROPOSAL
    ),
)

#: What an IRI path's first segment says about the entity it names (for references to entities
#: declared elsewhere in the graph).
GROUP_OF_KIND: dict[str, str] = {
    "state": "state",
    "person": "person",
    "organization": "organization",
    "group": "actor",
    "post": "post",
    "tenure": "tenure",
    "place": "place",
    "agreement": "agreement",
    "alliance": "agreement",
    "principle": "principle",
    "event": "event",
    "conflict": "event",
    "proposal": "proposal",
    "demand": "proposal",
    "article": "article",
    "claim": "claim",
    "topic": "topic",
}

ACTORS = frozenset({"state", "person", "organization", "actor"})
#: The kinds of entity each reference field may point to; fields not listed take anything.
EXPECTS: dict[str, frozenset[str]] = {
    "speaker": ACTORS,
    "on_behalf_of": ACTORS,
    "targets": ACTORS,
    "post_in": ACTORS,
    "participants": ACTORS,
    "organized_by": ACTORS,
    "parties": ACTORS,
    "proposed_by": ACTORS,
    "addressed_to": ACTORS,
    "publisher": frozenset({"organization", "person", "actor"}),
    "holder": frozenset({"person"}),
    "government_of": frozenset({"state"}),
    "located_in": frozenset({"state"}),
    "adopted_by": frozenset({"organization"}),
    "post": frozenset({"post"}),
    "made_at": frozenset({"event"}),
    "adopted_at": frozenset({"event"}),
    "at_place": frozenset({"place"}),
    "part_of": frozenset({"agreement"}),
    "contains_principles": frozenset({"principle"}),
    "invokes": frozenset({"agreement", "principle"}),
}
#: Where a field expects other kinds for some kinds of record (``part_of`` of an event).
EXPECTS_IN: dict[tuple[str, str], frozenset[str]] = {("event", "part_of"): frozenset({"event"})}
#: Reference fields of entities and claims, single-valued and multi-valued.
SINGLE_REFS = frozenset(
    {
        "speaker",
        "on_behalf_of",
        "made_at",
        "post_in",
        "holder",
        "post",
        "government_of",
        "located_in",
        "at_place",
        "organized_by",
        "adopted_at",
        "adopted_by",
        "part_of",
        "proposed_by",
    }
)
MULTI_REFS = frozenset(
    {
        "targets",
        "about",
        "invokes",
        "participants",
        "parties",
        "contains_principles",
        "addressed_to",
        "concerns",
        "distinct_from",
    }
)
CLAIM_LINKS = ("supports", "contests", "contradicts", "responds_to")
DATE_FIELDS = frozenset({"date", "start", "end", "adoption_date", "signature_date"})

#: What only format 2 has: entity types, fields of any record, and fields of some entity groups.
FORMAT_2_TYPES = frozenset(
    {"Conference", "Speech", "Statement", "PressConference", "Interview", "PhoneCall"}
)
FORMAT_2_FIELDS = frozenset(
    {"same_as", "distinct_from", "as_of", "responds_to", "topics", "date_text", "sources"}
)
FORMAT_2_GROUP_FIELDS = frozenset({("event", "part_of")})

#: A claim's ``kind`` and the dg: class it becomes.
CLAIM_KINDS: dict[str, str] = {
    "official statement": "OfficialStatement",
    "analyst assessment": "AnalystAssessment",
    "editorial": "EditorialStatement",
}


@dataclass(frozen=True)
class Entity:
    """One entity of a record file, checked, with its minted IRI."""

    key: str
    type: EntityType
    iri: URIRef
    line: int
    data: Mapping[str, Any]
    label: str


@dataclass(frozen=True)
class ClaimRecord:
    """One claim of a record file, checked, with its minted IRI."""

    id: str
    number: int
    iri: URIRef
    line: int
    data: Mapping[str, Any]


@dataclass
class RecordFile:
    """A checked claim-record file: the article, its entities and claims, with their lines."""

    path: Path
    location: str  # how messages name the file: graph/data/articles/article-001.yaml
    slug: str
    article: Mapping[str, Any]
    text: str
    text_path: Path | None
    entities: dict[str, Entity]
    claims: list[ClaimRecord]
    content_hash: str
    refs: dict[str, URIRef] = field(default_factory=dict)  # every reference seen, resolved
    links: dict[str, URIRef] = field(default_factory=dict)  # claim links (c3, IRIs), resolved
    dates: dict[URIRef, RecordDate] = field(default_factory=dict)  # resolved relative dates
    format: int = 1
    index: dict[URIRef, tuple[int, str]] = field(default_factory=dict)  # IRI -> line, record
    coder: str | None = None  # the coder a draft's header names (records.review.coder_of)

    @property
    def iri(self) -> URIRef:
        """The article's IRI (``id/article/<slug>``)."""
        return iri.entity("article", self.slug)

    @property
    def graph(self) -> URIRef:
        """The named graph of the article's records (``graph/article/<slug>``)."""
        return iri.article_graph(self.slug)

    @property
    def title(self) -> str:
        return str(self.article["title"])

    def ref(self, value: str) -> URIRef:
        """The IRI a (checked) reference stands for."""
        return self.refs[value]

    def locate(self, node: str) -> str | None:
        """``file:line: record`` for an IRI minted from this file, else ``None``."""
        found = self.index.get(URIRef(str(node)))
        if found is None:
            return None
        line, record = found
        return f"{self.location}:{line}: {record}"


def as_list(value: object) -> list[Any]:
    """A one-or-many field as a list (``"lavrov"`` -> ``["lavrov"]``)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def last_segment(node: URIRef) -> str:
    """The slug at the end of an IRI (``state/russia`` -> ``russia``)."""
    return str(node).rstrip("/").rsplit("/", 1)[-1]


__all__ = [
    "CLAIM_KINDS",
    "DG",
    "ENTITY_TYPES",
    "ClaimRecord",
    "Entity",
    "EntityType",
    "RecordFile",
    "as_list",
]
