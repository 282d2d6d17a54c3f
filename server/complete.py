"""What the query editor completes: ontology terms and prefixes, and entities by label.

- ``GET /-/complete/terms.json``: every term the ontology file declares or uses whose IRI falls
  under a prefix of :data:`diplograph.iri.PREFIXES` (``dg:speaker``, ``dg:Claim``,
  ``skos:prefLabel``...), each with its short form, IRI, kind (class, object property, datatype
  property, annotation property, property, individual, datatype) and English label, plus the
  prefix table.
  Read from the package's ontology file once (no store query); the editor loads it once and
  completes ``dg:sp`` to ``dg:speaker`` and ``PREFIX sk`` to the whole ``skos:`` declaration.
- ``GET /-/complete/entities.json?q=TEXT&limit=N``: entities named like ``TEXT``, from the
  search index (:func:`diplograph.server.search.find`: exact names, then prefixes, then words;
  "lavr" finds Sergey Lavrov), each with its kind, at most ``N`` (default 10, at most 50). A
  missing ``q`` is a 400 with a JSON body.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Blueprint, Response, jsonify, request
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplograph import iri as iris
from diplograph.errors import UsageError
from diplograph.server.ontology_docs import english_text, ontology
from diplograph.server.search import find

bp = Blueprint("complete", __name__)

#: At most this many entities per answer.
MAX_ENTITIES = 50

#: The kind a term is shown with, by its rdf:type (first match wins).
_KINDS: tuple[tuple[URIRef, str], ...] = (
    (OWL.Class, "class"),
    (RDFS.Class, "class"),
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
    (OWL.AnnotationProperty, "annotation property"),
    (RDF.Property, "property"),
    (OWL.NamedIndividual, "individual"),
)


def _curie(term: URIRef) -> str | None:
    """``prefix:local`` for a term under a known namespace with a plain local name, else None."""
    short = iris.shorten(str(term))
    if short == str(term):
        return None
    local = short.split(":", 1)[1]
    return short if all(c.isalnum() or c in "_-." for c in local) else None


def _kind(g: Any, term: URIRef, used_as_predicate: set[URIRef]) -> str:
    types = set(g.objects(term, RDF.type))
    for cls, name in _KINDS:
        if cls in types:
            return name
    if term in used_as_predicate:
        return "property"
    if str(term).startswith(str(XSD)):
        return "datatype"
    return "class" if (None, RDF.type, term) in g or (term, RDFS.subClassOf, None) in g else "term"


@functools.cache
def terms() -> tuple[dict[str, str], ...]:
    """The ontology's terms under known prefixes, sorted by short form."""
    g = ontology()
    predicates = {p for p in g.predicates() if isinstance(p, URIRef)}
    candidates = {t for t in g.all_nodes() if isinstance(t, URIRef)} | predicates
    out = []
    for term in candidates:
        curie = _curie(term)
        if curie is None or curie.split(":", 1)[0] == "id":
            continue
        item = {"curie": curie, "iri": str(term), "kind": _kind(g, term, predicates)}
        label = english_text(g, term, RDFS.label)
        if label:
            item["label"] = label
        out.append(item)
    return tuple(sorted(out, key=lambda t: t["curie"].lower()))


@bp.get("/-/complete/terms.json")
def terms_json() -> Response:
    response = jsonify({"prefixes": iris.PREFIXES, "terms": list(terms())})
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/-/complete/entities.json")
def entities_json() -> Response:
    text = request.args.get("q")
    if text is None or not text.strip():
        raise UsageError("Give the text to look for as the query parameter 'q'.")
    raw_limit = request.args.get("limit", "10")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_ENTITIES:
        raise UsageError(f"'limit' must be a whole number from 1 to {MAX_ENTITIES}.")
    found = find(text, limit=int(raw_limit))  # the search index: exact, prefix, then words
    entities = [
        {"iri": h.iri, "label": h.label, "short": iris.shorten(h.iri), "kind": h.kind}
        for h in found
    ]
    return jsonify({"q": text, "entities": entities})


__all__ = ["MAX_ENTITIES", "bp", "terms"]
