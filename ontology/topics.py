"""diplograph's topic scheme: the subjects claims are filed under, one SKOS concept each.

The scheme is curated in ``ontology/data/topics.ttl`` (labels, aliases as ``skos:altLabel``, a
definition, and ``skos:related`` to the organisations, agreements and principles concerned). Claim
records name a topic by its key (``nato-enlargement``), its IRI path (``topic/nato-enlargement``),
a CURIE or IRI, its label or any alias, in any case and with or without accents:
:func:`find_topic` reads all of them, so "NATO expansion" and "NATO enlargement" meet on one IRI.
:func:`topic_triples` is the scheme as written to ``graph/codes/topics``.

>>> str(find_topic("NATO expansion"))
'https://w3id.org/diplograph/id/topic/nato-enlargement'
>>> find_topic("nato-enlargement") == find_topic("topic/nato-enlargement")
True
>>> find_topic("the weather") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from diplograph import iri
from diplograph.provenance import Triple

#: The curated scheme.
TOPICS_FILE = Path(__file__).with_name("data") / "topics.ttl"
#: The scheme's IRI (``id/scheme/topics``).
TOPIC_SCHEME = iri.scheme("topics")


@dataclass(frozen=True)
class Topic:
    """One topic of the scheme."""

    key: str
    iri: URIRef
    label: str
    aliases: tuple[str, ...]
    definition: str
    related: tuple[URIRef, ...]


@cache
def _graph() -> Graph:
    g = Graph()
    g.parse(TOPICS_FILE, format="turtle")
    return g


@cache
def topics() -> dict[str, Topic]:
    """Every topic, by key (the last segment of its IRI), in key order."""
    g = _graph()
    out: dict[str, Topic] = {}
    nodes = sorted(n for n in g.subjects(RDF.type, SKOS.Concept) if isinstance(n, URIRef))
    for node in nodes:
        key = str(node).rsplit("/", 1)[-1]
        out[key] = Topic(
            key=key,
            iri=node,
            label=str(g.value(node, SKOS.prefLabel)),
            aliases=tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel))),
            definition=str(g.value(node, SKOS.definition) or ""),
            related=tuple(
                sorted(o for o in g.objects(node, SKOS.related) if isinstance(o, URIRef))
            ),
        )
    return out


@cache
def _names() -> dict[str, URIRef]:
    names: dict[str, URIRef] = {}
    for t in topics().values():
        for name in (t.key, f"topic/{t.key}", "id:topic/" + t.key, str(t.iri), t.label, *t.aliases):
            names.setdefault(iri.fold(name), t.iri)
    return names


def find_topic(name: str) -> URIRef | None:
    """The topic a name stands for (key, IRI path, CURIE, IRI, label or alias), or ``None``."""
    return _names().get(iri.fold(name))


def topic_triples() -> list[Triple]:
    """The scheme as triples: the curated file, with each concept in the scheme and at its top."""
    out: list[Triple] = list(_graph())
    for t in topics().values():
        out += [
            (t.iri, SKOS.inScheme, TOPIC_SCHEME),
            (t.iri, SKOS.topConceptOf, TOPIC_SCHEME),
            (TOPIC_SCHEME, SKOS.hasTopConcept, t.iri),
        ]
    return out


def topic_file_bytes() -> bytes:
    """The curated file's bytes (for its content hash)."""
    return TOPICS_FILE.read_bytes()


__all__ = ["TOPICS_FILE", "TOPIC_SCHEME", "Topic", "find_topic", "topic_triples", "topics"]
