"""Every IRI diplograph mints, built in one place.

Data IRIs live under one base (:data:`ID`, ``https://w3id.org/diplograph/id/``); the server maps
that base to its own host, so the same IRIs resolve on a laptop and on a deployment. An IRI is
``<base><type>/<slug>``, the slug made by :func:`slug` from a stable name. Named graphs live under
:data:`GRAPH`; the ontology under :data:`ONTOLOGY`.

>>> str(entity("state", "Russia"))
'https://w3id.org/diplograph/id/state/russia'
>>> str(claim("article-001", 3))
'https://w3id.org/diplograph/id/claim/article-001/3'
>>> str(article_graph("article-001"))
'https://w3id.org/diplograph/graph/article/article-001'
>>> slug("Charter for European Security (1999)")
'charter-for-european-security-1999'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/diplograph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ONTOLOGY = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

#: The named graph that describes every other named graph (PROV/DCTERMS/VoID).
META_GRAPH = GRAPH["meta"]
#: The named graph holding the ontology itself.
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: The named graph holding the SHACL shapes of the data.
SHAPES_GRAPH = GRAPH["shapes"]
#: The named graph of owl:sameAs links to Wikidata and DBpedia.
LINKS_GRAPH = GRAPH["links"]

#: Entity types that have their own IRI space under :data:`ID`.
ENTITY_TYPES = frozenset(
    {
        "state",
        "person",
        "post",
        "tenure",
        "organization",
        "membership",
        "agreement",
        "participation",
        "principle",
        "event",
        "place",
        "article",
        "publisher",
        "proposal",
        "demand",
        "claim",
        "conflict",
        "concept",
        "scheme",
        "cameo",
        "plover",
        "rivalry",
        "mission",
        "alliance",
        "dataset",
        "topic",
        "group",  # actors the sources name only as a group: "European states", "the West" (records)
        "spell",  # dataset spells: state-system membership, major-power status, capital (datasets)
    }
)

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def slug(name: str) -> str:
    """A stable slug: ASCII-folded, lower case, runs of anything else turned into one ``-``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not text:
        raise ValueError(f"Cannot make a slug from {name!r}: no letters or digits.")
    return text


def is_slug(text: str) -> bool:
    """True if ``text`` is already a valid slug (lower-case ASCII words joined by - or .)."""
    return bool(_SLUG_OK.match(text))


def entity(kind: str, name: str) -> URIRef:
    """The IRI of an entity of ``kind`` (see :data:`ENTITY_TYPES`) named ``name``.

    ``name`` may be a slug already or a human name, which is slugged. Path segments beyond one
    (``claim/article-001/3``) are made by the dedicated helpers.
    """
    if kind not in ENTITY_TYPES:
        raise ValueError(f"Unknown entity type {kind!r}; known: {', '.join(sorted(ENTITY_TYPES))}.")
    return ID[f"{kind}/{name if is_slug(name) else slug(name)}"]


def claim(source_slug: str, number: int | str) -> URIRef:
    """The IRI of claim ``number`` of the source (article) ``source_slug``."""
    return ID[f"claim/{source_slug}/{number}"]


def post(holder_slug: str, role: str) -> URIRef:
    """The IRI of the post ``role`` in the state or organisation whose slug is ``holder_slug``.

    >>> str(post("russia", "Minister of Foreign Affairs"))
    'https://w3id.org/diplograph/id/post/russia-minister-of-foreign-affairs'
    """
    return ID[f"post/{holder_slug}-{slug(role)}"]


def tenure(source_slug: str, holder_slug: str, post_slug: str) -> URIRef:
    """The IRI of a tenure (person holds post) as stated by one source, e.g. an article: tenures
    from different sources stay apart, since each carries its own dates (or none)."""
    return ID[f"tenure/{source_slug}/{holder_slug}--{post_slug}"]


def article_author(article_slug: str) -> URIRef:
    """The (possibly unnamed) author of an article, who speaks in its editorial statements."""
    return ID[f"article/{article_slug}/author"]


def cameo(code: str) -> URIRef:
    """The SKOS concept of a CAMEO event code (``"0311"``)."""
    return ID[f"cameo/{code}"]


def plover(event_type: str) -> URIRef:
    """The SKOS concept of a PLOVER event type (``"REJECT"``)."""
    return ID[f"plover/{event_type.upper()}"]


def scheme(name: str) -> URIRef:
    """A SKOS concept scheme (``cameo``, ``plover``, ``quad-class``, ``membership-status``...)."""
    return ID[f"scheme/{slug(name)}"]


def concept(scheme_name: str, name: str) -> URIRef:
    """A concept of one of diplograph's own small schemes."""
    return ID[f"concept/{slug(scheme_name)}/{slug(name)}"]


def article_graph(article_slug: str) -> URIRef:
    """The named graph of one article's claim records."""
    return GRAPH[f"article/{article_slug}"]


def dataset_graph(name: str) -> URIRef:
    """The named graph of one imported dataset (``cow-state-system``, ``cow-igo``...)."""
    return GRAPH[f"dataset/{slug(name)}"]


def codes_graph(name: str) -> URIRef:
    """The named graph of a code list (``cameo``, ``plover``)."""
    return GRAPH[f"codes/{slug(name)}"]


def links_graph(name: str) -> URIRef:
    """The named graph of links added from one CSV file (``diplograph link``), by its stem."""
    return GRAPH[f"links/{slug(name)}"]


def file_graph(name: str) -> URIRef:
    """The named graph of an RDF file ingested by the user (by its file stem)."""
    return GRAPH[f"file/{slug(name)}"]


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def is_valid_iri(text: str) -> bool:
    """True if ``text`` is an absolute IRI without the characters RFC 3987 forbids (spaces,
    controls, ``<>"{}|\\^```), i.e. one every store accepts.

    >>> is_valid_iri("https://w3id.org/diplograph/id/state/russia"), is_valid_iri("a<b")
    (True, False)
    """
    scheme, sep, rest = text.partition(":")
    return bool(sep and rest and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme)) and not (
        _IRI_FORBIDDEN.search(text)
    )


def is_local(iri: str) -> bool:
    """True for IRIs diplograph mints (data, graphs, ontology)."""
    return iri.startswith(BASE)
