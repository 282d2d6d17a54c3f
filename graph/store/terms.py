"""Conversion between rdflib terms and pyoxigraph terms.

The library's public API speaks rdflib (``URIRef``, ``Literal``, ``BNode``); Oxigraph's engine
speaks pyoxigraph, and SPARQL servers SPARQL 1.1 JSON results. :func:`to_rdflib`,
:func:`to_oxigraph` and :func:`from_sparql_json` are the only bridges. All write an
``xsd:string`` literal as a plain rdflib ``Literal`` (RDF 1.1: they are the same term), so a term
compares equal whichever way it came.

>>> from_sparql_json({"type": "literal", "value": "x", "datatype": _XSD_STRING}) == Literal("x")
True
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib(term: object) -> Node:
    """An rdflib term for a pyoxigraph term (named node, blank node, literal, default graph)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"Cannot convert {term!r} to an rdflib term.")


def to_oxigraph(term: Node) -> OxTerm:
    """A pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _RDF_LANGSTRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"Cannot convert {term!r} to a pyoxigraph term.")


def from_sparql_json(term: Mapping[str, str]) -> Node:
    """An rdflib term for a term of SPARQL 1.1 JSON results (``{"type": ..., "value": ...}``)."""
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if term.get("xml:lang"):
        return Literal(value, lang=term["xml:lang"])
    dt = term.get("datatype")
    if dt and dt not in (_XSD_STRING, _RDF_LANGSTRING):
        return Literal(value, datatype=URIRef(dt))
    return Literal(value)
