"""Claim records as RDF: the article, its entities and its claims in the diplograph vocabulary.

:func:`record_triples` turns a checked :class:`~diplograph.graph.records.model.RecordFile` into
the triples of the article's named graph. Claims are nodes (``dg:Claim`` and one of
``dg:OfficialStatement``/``dg:AnalystAssessment``/``dg:EditorialStatement``) with ``dg:speaker``,
``dg:onBehalfOf``, ``dg:eventType`` (a CAMEO concept), ``dg:ploverType`` (from the CAMEO-PLOVER
crosswalk unless the record overrides it), ``dg:target``, ``dg:about``, ``dg:invokes``,
``dg:madeAt``, ``dg:date`` with ``dg:datePrecision``, ``dg:paraphrase``, ``dg:quote``,
``dg:grounds``, ``dg:condition``, ``dg:section``, ``dg:source`` (the article) and
``dg:supports``/``dg:contests``/``dg:contradicts``.

So that SPARQL needs no reasoner, the records also state what the ontology would entail for the
terms queries use: every dg: superclass of an entity's type (a ``Charter`` is also a
``PoliticalCommitment`` and an ``Agreement``), ``dg:about`` for each ``dg:invokes``, and
``dg:contests`` for each ``dg:contradicts``. Unknown dates and publishers are simply absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from hashlib import sha256
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

from diplograph import iri
from diplograph.graph.records.dates import parse_date
from diplograph.graph.records.model import CLAIM_KINDS, DG, Entity, RecordFile, as_list
from diplograph.provenance import Triple

_PRECISION = {"day": TIME.unitDay, "month": TIME.unitMonth, "year": TIME.unitYear}

#: Entity fields that become one object-property triple per value.
_ENTITY_LINKS: dict[str, URIRef] = {
    "post_in": DG.postIn,
    "holder": DG.holder,
    "post": DG.ofPost,
    "government_of": DG.governmentOf,
    "located_in": DG.locatedIn,
    "at_place": DG.atPlace,
    "participants": DG.participantActor,
    "organized_by": DG.organizedBy,
    "adopted_at": DG.adoptedAt,
    "adopted_by": DG.adoptedBy,
    "part_of": DCTERMS.isPartOf,
    "parties": DG.party,
    "contains_principles": DG.containsPrinciple,
    "proposed_by": DG.proposedBy,
    "addressed_to": DG.addressedTo,
    "concerns": DG.concerns,
    "distinct_from": OWL.differentFrom,
}
#: Entity date fields and their properties (the datatype carries the precision).
_ENTITY_DATES: dict[str, URIRef] = {
    "start": DG.startDate,
    "end": DG.endDate,
    "adoption_date": DG.adoptionDate,
    "signature_date": DG.signatureDate,
}
_CLAIM_REFS: dict[str, URIRef] = {
    "speaker": DG.speaker,
    "on_behalf_of": DG.onBehalfOf,
    "targets": DG.target,
    "about": DG.about,
    "invokes": DG.invokes,
    "made_at": DG.madeAt,
}
_CLAIM_TEXTS: dict[str, URIRef] = {
    "paraphrase": DG.paraphrase,
    "quote": DG.quote,
    "grounds": DG.grounds,
    "condition": DG.condition,
}
_CLAIM_LINKS: dict[str, URIRef] = {
    "supports": DG.supports,
    "contests": DG.contests,
    "contradicts": DG.contradicts,
    "responds_to": DG.respondsTo,
}

#: The record field each property of a claim or entity comes from, for messages about the RDF
#: (SHACL results name a property; an analyst needs the field): ``FIELD_OF[DG.speaker]``.
FIELD_OF: dict[URIRef, str] = {
    **{p: f for f, p in _ENTITY_LINKS.items()},
    **{p: f for f, p in _ENTITY_DATES.items()},
    **{p: f for f, p in _CLAIM_REFS.items()},
    **{p: f for f, p in _CLAIM_TEXTS.items()},
    **{p: f for f, p in _CLAIM_LINKS.items()},
    DG.eventType: "event_type",
    DG.ploverType: "plover",
    DG.date: "date",
    DG.dateText: "date_text",
    DG.topic: "topics",
    DG.heldOn: "as_of",
    DG.subEventOf: "part_of",
    OWL.differentFrom: "distinct_from",
    DG.datePrecision: "date",
    DG.section: "section",
    DG.confidence: "confidence",
    DG.codingRule: "rule",
    DG.machineCoded: "review",
    DG.source: "article",
    RDFS.label: "label",
    DG.alias: "aliases",
    DG.roleType: "role_type",
    DG.documentNumber: "document_number",
    DCTERMS.title: "title",
    DCTERMS.description: "description",
    RDF.type: "type",
}


def _en(text: str) -> Literal:
    return Literal(" ".join(str(text).split()), lang="en")


def record_triples(records: RecordFile) -> list[Triple]:
    """Every triple of the article's named graph, in a stable order."""
    out: list[Triple] = []
    out += _article(records)
    for entity in records.entities.values():
        out += _entity(records, entity)
    for claim in records.claims:
        out += _claim(records, claim.iri, claim.id, claim.data)
    return list(dict.fromkeys(out))  # a page that sources several facts is titled once


def _article(records: RecordFile) -> list[Triple]:
    art, a = records.article, records.iri
    lang = str(art.get("language") or "en")
    out: list[Triple] = [
        (a, RDF.type, DG.NewsArticle),
        (a, RDFS.label, _en(records.title)),
        (a, SDO.headline, _en(records.title)),
        (a, SDO.text, Literal(records.text.strip(), lang=lang)),
        (a, DCTERMS.identifier, Literal(records.slug)),
        (a, SDO.inLanguage, Literal(lang)),
    ]
    if isinstance(art.get("publisher"), str):
        out.append((a, SDO.publisher, records.ref(art["publisher"])))
    published = parse_date(art.get("date"))
    if published is not None:
        out.append((a, SDO.datePublished, published.literal))
    if art.get("url"):
        out.append((a, SDO.url, URIRef(str(art["url"]))))
    for section in as_list(art.get("sections")):
        out.append((a, DG.section, Literal(str(section))))
    for entity in records.entities.values():
        if entity.type.name == "Author":
            out.append((a, SDO.author, entity.iri))
    return out


def _entity(records: RecordFile, entity: Entity) -> list[Triple]:
    e, data = entity.iri, entity.data
    out: list[Triple] = [(e, RDF.type, DG[name]) for name in entity.type.classes]
    # an entity stated to be one the store has keeps that one's label: its name here is an alias
    out.append((e, DG.alias if "same_as" in data else RDFS.label, _en(entity.label)))
    out += [(e, DG.alias, _en(alias)) for alias in as_list(data.get("aliases"))]
    if data.get("description"):
        out.append((e, DCTERMS.description, _en(data["description"])))
    if data.get("note"):
        out.append((e, RDFS.comment, _en(data["note"])))
    if data.get("title"):
        out.append((e, DCTERMS.title, _en(data["title"])))
    if data.get("document_number"):
        out.append((e, DG.documentNumber, Literal(str(data["document_number"]))))
    if entity.type.name == "Principle":
        out.append((e, SKOS.prefLabel, _en(entity.label)))
    if data.get("role_type"):
        from diplograph.ontology.schemes import ROLE_TYPE

        out.append((e, DG.roleType, ROLE_TYPE[str(data["role_type"])]))
    for name, prop in _ENTITY_LINKS.items():
        if name == "part_of" and entity.type.group == "event":
            prop = DG.subEventOf  # a speech at a conference (an agreement's part_of: dcterms)
        out += [(e, prop, records.ref(v)) for v in as_list(data.get(name))]
    for name, prop in _ENTITY_DATES.items():
        when = parse_date(data.get(name))
        if when is not None:
            out.append((e, prop, when.literal))
    out += _dated(e, data)
    held = records.dates.get(e)
    if held is not None:
        out.append((e, DG.heldOn, held.literal))
    if entity.type.name == "Tenure":
        # W3C ORG's shortcut, and where the tenure is stated
        out.append((records.ref(data["holder"]), ORG.holds, records.ref(data["post"])))
        out.append((e, PROV.wasDerivedFrom, records.iri))
    return out + _sourced(records, entity, out)


def _sourced(records: RecordFile, entity: Entity, stated: list[Triple]) -> list[Triple]:
    """Each fact of ``entity`` that a ``sources`` item supports, as an ``rdf:Statement`` with
    ``dcterms:source`` (the page, with its ``dcterms:title``) and ``dg:accessedOn``."""
    out: list[Triple] = []
    for item in as_list(entity.data.get("sources")):
        page = URIRef(str(item["url"]))
        out.append((page, DCTERMS.title, Literal(" ".join(str(item["title"]).split()))))
        for s, p, o in stated:
            if s != entity.iri or not isinstance(p, URIRef) or FIELD_OF.get(p) != item["field"]:
                continue
            key = sha256(f"{s}\n{p}\n{o.n3()}\n{page}".encode()).hexdigest()[:16]
            st = iri.sourced_fact(records.slug, key)
            out += [
                (st, RDF.type, RDF.Statement),
                (st, RDF.subject, s),
                (st, RDF.predicate, p),
                (st, RDF.object, o),
                (st, DCTERMS.source, page),
                (st, DG.accessedOn, Literal(str(item["accessed"]), datatype=XSD.date)),
            ]
    return out


def _dated(node: URIRef, data: Mapping[str, Any], resolved: Any = None) -> list[Triple]:
    when = parse_date(data.get("date")) or resolved
    if when is None:
        return []
    return [(node, DG.date, when.literal), (node, DG.datePrecision, _PRECISION[when.precision])]


def _claim(records: RecordFile, c: URIRef, cid: str, data: Mapping[str, Any]) -> list[Triple]:
    from diplograph.ontology.codes import cameo_codes

    out: list[Triple] = [
        (c, RDF.type, DG.Claim),
        (c, RDF.type, DG[CLAIM_KINDS[str(data["kind"])]]),
        (c, RDFS.label, _en(data.get("label") or f"Claim {cid} of {records.slug}")),
        (c, DCTERMS.identifier, Literal(cid)),
        (c, DG.source, records.iri),
    ]
    for name, prop in _CLAIM_REFS.items():
        out += [(c, prop, records.ref(v)) for v in as_list(data.get(name))]
    out += [(c, DG.about, records.ref(v)) for v in as_list(data.get("invokes"))]
    code = str(data["event_type"])
    out.append((c, DG.eventType, iri.cameo(code)))
    plover = data.get("plover") or cameo_codes()[code].plover
    if plover:
        out.append((c, DG.ploverType, iri.plover(str(plover))))
    out += _dated(c, data, records.dates.get(c))
    if data.get("date_text"):
        out.append((c, DG.dateText, _en(data["date_text"])))
    for topic in as_list(data.get("topics")):
        from diplograph.ontology.topics import find_topic

        found = find_topic(str(topic))
        assert found is not None  # checked
        out += [(c, DG.topic, found), (c, DG.about, found)]
    for name, prop in _CLAIM_TEXTS.items():
        if data.get(name):
            out.append((c, prop, _en(data[name])))
    for section in as_list(data.get("section")):
        out.append((c, DG.section, Literal(str(section))))
    for name, prop in _CLAIM_LINKS.items():
        for other in as_list(data.get(name)):
            target = records.links.get(f"{cid} {other}")
            if target is None:  # format 1: checked, but links are not recorded there
                target = iri.claim(records.slug, other[1:]) if "/" not in other else iri.ID[other]
            out.append((c, prop, target))
            if name == "contradicts":
                out.append((c, DG.contests, target))
    if data.get("confidence") is not None:
        out.append((c, DG.confidence, Literal(str(data["confidence"]), datatype=XSD.decimal)))
    return out


__all__ = ["FIELD_OF", "record_triples"]
