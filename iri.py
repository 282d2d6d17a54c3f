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

import functools
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
        "software",  # programs that made data: the event coder of machine-coded claims
        "spell",  # dataset spells: state-system membership, major-power status, capital (datasets)
    }
)

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def _ascii(text: str) -> str:
    """``text`` with accents dropped (NFKD, then ASCII only)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def fold(text: str) -> str:
    """A name as matching sees it: accents dropped, case folded, spaces collapsed (the one rule
    for comparing names: topics, reconciliation of persons and organisations).

    >>> fold("  Sergeï   LAVROV’s ")
    "sergei lavrov's"
    """
    return " ".join(_ascii(text.replace("’", "'")).split()).casefold()


def slug(name: str) -> str:
    """A stable slug: ASCII-folded, lower case, runs of anything else turned into one ``-``."""
    text = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")
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


def sourced_fact(article_slug: str, key: str) -> URIRef:
    """The statement node of a fact an article's records source elsewhere (``key``: a digest of
    the fact and its source, so that the same file always gives the same node)."""
    return ID[f"article/{article_slug}/fact/{key}"]


def coding_activity(article_slug: str) -> URIRef:
    """The activity of the event coder that drafted an article's claims loaded unreviewed."""
    return ID[f"article/{article_slug}/coding"]


def software(name: str) -> URIRef:
    """A program (with its version) that made data: ``software/diplograph-coder-0-1-0``."""
    return entity("software", name)


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


# -- prefixes, reading what a person typed, and the short form shown ---------------------------

#: The prefix table: SPARQL prologues, serialisations, JSON-LD contexts and the short form of
#: IRIs all use it (``ontology.namespace`` re-exports it).
PREFIXES: dict[str, str] = {
    "dg": str(ONTOLOGY),
    "id": str(ID),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "lkif": "http://www.estrellaproject.org/lkif-core/norm.owl#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
}

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_./#-]*)$")
_SHORT_PATH = re.compile(r"^([a-z]+)/(\S+)$")


def prologue(*names: str, aligned: bool = False) -> str:
    """``PREFIX`` lines for the prefixes ``names`` (every prefix when none is named); with
    ``aligned``, the namespaces in one column (for people to read, as the editor shows them).

    >>> prologue("rdfs")
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
    >>> print(prologue("dg", "rdfs", aligned=True), end="")
    PREFIX dg:   <https://w3id.org/diplograph/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    """
    chosen = names or tuple(PREFIXES)
    width = max(len(p) for p in chosen) + 1 if aligned else 0
    return "".join(f"PREFIX {p + ':':<{width}} <{PREFIXES[p]}>\n" for p in chosen)


def expand_iri(text: str) -> URIRef | None:
    """The IRI that ``text``, as a person typed it, names, or None: an absolute IRI (with or
    without ``<>``), a CURIE with a prefix of :data:`PREFIXES` (``dg:Claim``,
    ``id:state/russia``), or a short data path (``state/russia``, ``graph/file/states``). The
    one reader of typed IRIs: the CLI, the web and the named-query parameters use it.

    >>> expand_iri("state/russia") == expand_iri("id:state/russia") == ID["state/russia"]
    True
    >>> expand_iri("Russia") is None
    True
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not text or _IRI_FORBIDDEN.search(text):
        return None
    curie = _CURIE.match(text)
    if curie and curie.group(1) in PREFIXES:
        return URIRef(PREFIXES[curie.group(1)] + curie.group(2))
    if _SCHEME.match(text):
        scheme_name, _, rest = text.partition(":")
        if scheme_name.lower() in ("http", "https") and not rest.startswith("//"):
            return None
        return URIRef(text)
    short = _SHORT_PATH.match(text.lstrip("/"))
    if short:
        if short.group(1) in ENTITY_TYPES:
            return ID[text.lstrip("/")]
        if short.group(1) == "graph":
            return URIRef(BASE + text.lstrip("/"))
    return None


_GRAPH_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")


def expand_graph(text: str) -> URIRef | None:
    """The named graph that ``text`` names, or None: what :func:`expand_iri` reads (an absolute
    IRI, a CURIE, ``graph/file/states``), or a path under the graph base without its
    ``graph/`` (``article/article-001``, ``dataset/cow-igo``, ``meta``). The one reader of graph
    names: ``export --graph``, ``dump --graph``, ``drop --graph`` and the network filters.

    >>> expand_graph("dataset/cow-igo") == expand_graph("graph/dataset/cow-igo")
    True
    >>> expand_graph("dataset/cow-igo") == GRAPH["dataset/cow-igo"]
    True
    >>> expand_graph("urn:x:g"), expand_graph("no graph")
    (rdflib.term.URIRef('urn:x:g'), None)
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    path = text.lstrip("/")
    if _SCHEME.match(text) or path.startswith("graph/"):
        return expand_iri(text)
    return GRAPH[path] if _GRAPH_PATH.match(path) else None


def named_graph(text: str) -> URIRef:
    """The named graph ``text`` names (:func:`expand_graph`), or a :class:`UsageError` saying
    what would be read: the reader of every ``--graph`` option and ``graph`` argument.

    >>> named_graph("article/article-001") == GRAPH["article/article-001"]
    True
    """
    from diplograph.errors import UsageError

    found = expand_graph(text)
    if found is None:
        raise UsageError(
            f"--graph {text!r} is not a named graph: give an IRI or a path such as "
            "article/article-001 or dataset/cow-igo."
        )
    return found


def shorten(iri: str) -> str:
    """An IRI as diplograph shows it (CLI tables, pages, exports): a CURIE with the longest
    namespace of :data:`PREFIXES` that fits, else the IRI itself; :func:`expand_iri` reads it
    back.

    >>> shorten(str(ID) + "state/russia"), shorten(str(ONTOLOGY) + "Claim")
    ('id:state/russia', 'dg:Claim')
    """
    return _shorten(str(iri))  # a plain str: rdflib's URIRef.startswith is slow


@functools.lru_cache(maxsize=65_536)
def _shorten(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri
