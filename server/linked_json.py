"""JSON for web developers: the JSON-LD ``@context`` of diplograph, compact JSON for any
resource, and the schema.org block embedded in each resource page.

- :func:`context` maps every term of the ontology (``ontology/diplo.ttl``) to a short key:
  ``"speaker"`` for ``dg:speaker`` (object properties typed ``@id``, so values are plain IRIs),
  plus ``label``, ``sameAs``, ``comment``, ``id`` and ``type``. Served at ``/context.jsonld``.
- :func:`compact_json` is a resource's data document compacted with that context; its
  ``@context`` is the URL of ``/context.jsonld`` so the body stays small.
- :func:`schema_org` is the block for ``<script type="application/ld+json">``: schema.org types
  and properties where they exist (``Person``, ``Country``, ``Organization``, ``Place``,
  ``Event``, ``Claim``, ``NewsArticle``; ``name``, ``sameAs``, ``url``, ``description``,
  ``author``), with the ontology's own types beside them. :func:`script_json` escapes it for a
  ``<script>`` element (``<``, ``>`` and ``&`` as ``\\u003c`` …, so no literal can close it).

See https://www.w3.org/TR/json-ld11/#the-context and https://schema.org/docs/gs.html.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from diplograph import iri
from diplograph.graph.describe import Description, subclasses
from diplograph.iri import ONTOLOGY

SCHEMA = "https://schema.org/"
DG = str(ONTOLOGY)

#: schema.org types for the ontology's classes (most specific first).
SCHEMA_TYPES: tuple[tuple[str, str], ...] = (
    ("Person", "Person"),
    ("State", "Country"),
    ("InternationalOrganization", "GovernmentOrganization"),
    ("Organization", "Organization"),
    ("Place", "Place"),
    ("Claim", "Claim"),
    ("NewsArticle", "NewsArticle"),
    ("Event", "Event"),
    ("Agreement", "CreativeWork"),
)

#: The context's prefixes: a selection of the one prefix table.
PREFIXES = {
    p: iri.PREFIXES[p]
    for p in ("dg", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "schema")
}


@functools.cache
def context() -> dict[str, Any]:
    """The ``@context`` object: prefixes, then one short key per ontology term."""
    from diplograph.ontology.load import ontology_graph

    onto = ontology_graph()
    ctx: dict[str, Any] = {"@version": 1.1, **PREFIXES}
    ctx.update(
        {
            "id": "@id",
            "type": "@type",
            "label": {"@id": "rdfs:label"},
            "comment": {"@id": "rdfs:comment"},
            "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
        }
    )
    object_props = set(onto.subjects(RDF.type, OWL.ObjectProperty))
    terms = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class, OWL.NamedIndividual)
        for s in onto.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(DG)
    }
    for term in sorted(terms, key=str):
        name = str(term)[len(DG) :]
        if not name or name in ctx:
            continue
        ctx[name] = {"@id": f"dg:{name}", "@type": "@id"} if term in object_props else f"dg:{name}"
    return ctx


def compact_json(g: Graph, context_url: str) -> dict[str, Any]:
    """The triples of ``g`` as compact JSON-LD under :func:`context`, whose ``@context`` is
    ``context_url``."""
    ctx = context()
    text = g.serialize(format="json-ld", context=ctx, auto_compact=True)
    data: dict[str, Any] = json.loads(text)
    data["@context"] = context_url
    return data


def schema_org(d: Description, page: str) -> dict[str, Any]:
    """The schema.org node of a resource's page (``page`` is the page's absolute URL)."""
    types: list[str] = []
    for dg_name, schema_name in SCHEMA_TYPES:
        below = subclasses(URIRef(DG + dg_name))
        if below.intersection(d.types) and f"schema:{schema_name}" not in types:
            types.append(f"schema:{schema_name}")
    types += [f"dg:{str(t)[len(DG) :]}" for t in d.types if str(t).startswith(DG)]
    node: dict[str, Any] = {
        "@context": {"@vocab": SCHEMA, "schema": SCHEMA, "dg": DG},
        "@id": str(d.iri),
        "@type": types or ["schema:Thing"],
        "url": {"@id": page},
    }
    if d.label:
        node["name"] = d.label
    description = d.values(URIRef(DG + "paraphrase")) or d.values(RDFS.comment)
    if description:
        node["description"] = str(description[0])
    if d.same_as:
        node["sameAs"] = [{"@id": str(s)} for s in d.same_as]
    speakers = d.values(URIRef(DG + "speaker"))
    if d.is_claim and speakers:
        node["author"] = [
            {"@id": str(s), **({"name": d.labels[s]} if s in d.labels else {})}  # type: ignore[index]
            for s in speakers
        ]
    dates = d.values(URIRef(DG + "date"))
    if d.is_claim and dates:
        node["dateCreated"] = str(dates[0])
    return node


def script_json(data: dict[str, Any]) -> str:
    """``data`` as JSON safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
