"""Typed parameters of named queries: what a header declares and how a value becomes an RDF term.

A named query declares each parameter with a type; a value given as text (from the command line, a
URL or Python) is parsed into one typed RDF term, which the store then binds to the variable of the
same name (never pasted into the query text). The types:

========  ==========================================================  ===========================
type      accepted text                                               RDF term
========  ==========================================================  ===========================
iri       an absolute IRI (``https://…``, ``urn:…``), a CURIE with a   ``URIRef``
          known prefix (``dg:State``, ``skos:Concept``) or a short
          path under the data base (``state/russia`` →
          ``https://w3id.org/diplograph/id/state/russia``;
          ``graph/links`` → ``https://w3id.org/diplograph/graph/links``)
string    any text                                                    ``xsd:string`` literal
date      ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real date)       ``xsd:gYear`` /
                                                                      ``xsd:gYearMonth`` /
                                                                      ``xsd:date`` literal
integer   an optionally signed whole number                           ``xsd:integer`` literal
cameo     a CAMEO event code of two to four digits (``0311``)         the code's SKOS concept
          present in the CAMEO code list                              (``id/cameo/0311``)
========  ==========================================================  ===========================

>>> parse_value(Param("actor", "iri"), "state/russia")
rdflib.term.URIRef('https://w3id.org/diplograph/id/state/russia')
>>> parse_value(Param("on", "date"), "1999-11").datatype
rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal as TypingLiteral
from typing import get_args

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from diplograph import iri
from diplograph.errors import QueryParameterError
from diplograph.iri import PREFIXES, expand_iri
from diplograph.ontology.codes import is_cameo_code

__all__ = ["PARAM_TYPES", "PREFIXES", "Param", "ParamType", "expand_iri", "parse_value"]

ParamType = TypingLiteral["iri", "string", "date", "integer", "cameo"]
PARAM_TYPES: tuple[str, ...] = get_args(ParamType)

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_CAMEO = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query: the variable ``?name`` it binds."""

    name: str
    type: ParamType
    description: str = ""
    default: str | None = None
    example: str | None = None
    required: bool = True

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description (for the catalogue page and ``--format json`` listings)."""
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "default": self.default,
            "example": self.example,
            "required": self.required,
        }


def _fail(param: Param, value: str, what: str) -> QueryParameterError:
    return QueryParameterError(f"parameter {param.name!r}: {value!r} is not {what}.")


def _parse_iri(param: Param, value: str) -> Node:
    found = expand_iri(value)
    if found is None:
        raise _fail(
            param,
            value,
            "an IRI (give an absolute IRI such as https://…, a CURIE such "
            "as dg:State, or a path such as state/russia)",
        )
    return found


def _parse_string(param: Param, value: str) -> Node:
    return Literal(value)


def _parse_date(param: Param, value: str) -> Node:
    m = _DATE.match(value.strip())
    what = "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if not m:
        raise _fail(param, value, what)
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise _fail(param, value, what) from exc
    if day:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def _parse_integer(param: Param, value: str) -> Node:
    if not _INTEGER.match(value.strip()):
        raise _fail(param, value, "an integer")
    return Literal(int(value.strip()), datatype=XSD.integer)


def _parse_cameo(param: Param, value: str) -> Node:
    code = value.strip()
    prefix = str(iri.cameo(""))
    if code.startswith(prefix):  # the concept's IRI names its code too
        code = code[len(prefix) :]
    if not _CAMEO.match(code):
        raise _fail(param, value, "a CAMEO event code (two to four digits, such as 0311)")
    if not is_cameo_code(code):
        raise QueryParameterError(
            f"parameter {param.name!r}: {value!r} is not a code of the CAMEO code list."
        )
    return iri.cameo(code)


_PARSERS: dict[str, Callable[[Param, str], Node]] = {
    "iri": _parse_iri,
    "string": _parse_string,
    "date": _parse_date,
    "integer": _parse_integer,
    "cameo": _parse_cameo,
}


def parse_value(param: Param, value: str | int | Node) -> Node:
    """The RDF term for ``value`` of ``param``; :class:`QueryParameterError` naming the parameter
    if it is not of the declared type. rdflib terms pass through after the same check."""
    if isinstance(value, URIRef | Literal):
        value = str(value)
    elif isinstance(value, bool) or not isinstance(value, str | int):
        raise QueryParameterError(
            f"parameter {param.name!r}: {value!r} is a {type(value).__name__}, "
            f"not a {param.type} value."
        )
    return _PARSERS[param.type](param, str(value))
