"""Names and labels of resources: reading an IRI a person typed (absolute, CURIE or short data
path such as ``state/russia``) and finding the human label of IRIs (``skos:prefLabel`` or
``rdfs:label``, English first). Used by the named queries, the CLI tables, the linked-data
descriptions and the server's pages alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph import iri
from diplograph.graph.store import DiploGraph
from diplograph.ontology.namespace import PREFIXES

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_./#-]*)$")
_SHORT_PATH = re.compile(r"^([a-z]+)/(\S+)$")

_LABELS = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?label ?pref WHERE {
  VALUES ?s { %s }
  { ?s skos:prefLabel ?label BIND(0 AS ?pref) }
  UNION
  { ?s rdfs:label ?label BIND(1 AS ?pref) }
}"""
_BATCH = 400
#: ``?pref`` of :data:`_LABELS` → the predicate it stands for
_PREDICATES = (
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
)


def expand_iri(text: str) -> URIRef | None:
    """The IRI that ``text`` names (absolute IRI, CURIE or short data path), or None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not text or _BAD_IRI_CHARS.search(text):
        return None
    curie = _CURIE.match(text)
    if curie and curie.group(1) in PREFIXES:
        return URIRef(PREFIXES[curie.group(1)] + curie.group(2))
    if _SCHEME.match(text):
        scheme, _, rest = text.partition(":")
        if scheme.lower() in ("http", "https") and not rest.startswith("//"):
            return None
        return URIRef(text)
    short = _SHORT_PATH.match(text)
    if short:
        kind = short.group(1)
        if kind in iri.ENTITY_TYPES:
            return iri.ID[text]
        if kind == "graph":
            return URIRef(iri.BASE + text)
    return None


def label_literals(
    graph: DiploGraph, iris: Iterable[Node | str | None]
) -> dict[URIRef, tuple[URIRef, Literal]]:
    """The label :func:`labels_for` picks for each IRI, as the store holds it: the predicate
    (``skos:prefLabel`` or ``rdfs:label``) and the literal with its language tag."""
    wanted: list[URIRef] = []
    seen: set[URIRef] = set()
    for item in iris:
        if isinstance(item, URIRef) or (isinstance(item, str) and not isinstance(item, Literal)):
            checked = expand_iri(str(item))
            if checked is not None and checked not in seen:
                seen.add(checked)
                wanted.append(checked)
    best: dict[URIRef, tuple[tuple[int, int, str], Literal, int]] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        values = " ".join(f"<{i}>" for i in chunk)
        result = graph.query(_LABELS % values)
        for row in result.rows:
            s, label, pref = row
            if not isinstance(s, URIRef) or not isinstance(label, Literal):
                continue
            lang = (label.language or "").lower()
            lang_rank = 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2
            kind = int(cast(Literal, pref).toPython())
            rank = (lang_rank, kind, str(label))
            if s not in best or rank < best[s][0]:
                best[s] = (rank, label, kind)
    return {s: (_PREDICATES[kind], label) for s, (_, label, kind) in best.items()}


def labels_for(graph: DiploGraph, iris: Iterable[Node | str | None]) -> dict[URIRef, str]:
    """A label for each IRI that has one: ``skos:prefLabel`` or ``rdfs:label``, English first,
    then a label without language, then any other; IRIs without a label are left out."""
    return {s: str(label) for s, (_, label) in label_literals(graph, iris).items()}
