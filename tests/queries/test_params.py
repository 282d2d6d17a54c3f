"""Typed parameter values: every type parsed into the right RDF term, bad values named."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph.errors import QueryParameterError
from diplograph.queries.params import Param, expand_iri, parse_value

ID = "https://w3id.org/diplograph/id/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("state/russia", ID + "state/russia"),
        ("person/sergey-lavrov", ID + "person/sergey-lavrov"),
        ("claim/article-001/3", ID + "claim/article-001/3"),
        ("graph/links", "https://w3id.org/diplograph/graph/links"),
        ("dg:Claim", "https://w3id.org/diplograph/ontology#Claim"),
        ("skos:Concept", "http://www.w3.org/2004/02/skos/core#Concept"),
        ("https://www.wikidata.org/wiki/Q159", "https://www.wikidata.org/wiki/Q159"),
        ("<http://example.org/x>", "http://example.org/x"),
        ("urn:isbn:0451450523", "urn:isbn:0451450523"),
    ],
)
def test_iri_forms_expand(text: str, expected: str) -> None:
    assert parse_value(Param("x", "iri"), text) == URIRef(expected)


@pytest.mark.parametrize(
    "text",
    [
        "russia",
        "http:/broken",
        "state russia",
        "https://x.org/a b",
        "<>",
        "",
        "nope/x",
        'http://x.org/"}',
    ],
)
def test_not_an_iri_is_refused_naming_the_parameter(text: str) -> None:
    with pytest.raises(QueryParameterError) as err:
        parse_value(Param("actor", "iri"), text)
    assert str(err.value).startswith(f"parameter 'actor': {text!r} is not an IRI")
    assert expand_iri(text) is None


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("1999", "1999", XSD.gYear),
        ("1999-11", "1999-11", XSD.gYearMonth),
        ("1999-11-19", "1999-11-19", XSD.date),
        ("2024-02-29", "2024-02-29", XSD.date),
    ],
)
def test_dates_keep_their_precision(text: str, lexical: str, datatype: URIRef) -> None:
    term = parse_value(Param("on", "date"), text)
    assert isinstance(term, Literal)
    assert (str(term), term.datatype) == (lexical, datatype)


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-01",
        "2023-02-29",
        "99",
        "1999/11/19",
        "19991119",
        "1999-1-5",
        "yesterday",
        "1999-11-19T00:00:00",
    ],
)
def test_bad_dates_are_refused_with_the_rule(text: str) -> None:
    with pytest.raises(QueryParameterError) as err:
        parse_value(Param("from", "date"), text)
    assert str(err.value) == (
        f"parameter 'from': {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."
    )


def test_integer_and_string() -> None:
    assert parse_value(Param("n", "integer"), "-42") == Literal(-42, datatype=XSD.integer)
    assert parse_value(Param("n", "integer"), 7) == Literal(7, datatype=XSD.integer)
    assert parse_value(Param("text", "string"), 'a"b') == Literal('a"b')
    with pytest.raises(QueryParameterError, match=r"parameter 'n': '4\.5' is not an integer\."):
        parse_value(Param("n", "integer"), "4.5")


def test_cameo_codes_must_be_in_the_code_list() -> None:
    assert parse_value(Param("code", "cameo"), "0311") == URIRef(ID + "cameo/0311")
    assert parse_value(Param("code", "cameo"), "12") == URIRef(ID + "cameo/12")
    assert parse_value(Param("code", "cameo"), URIRef(ID + "cameo/12")) == URIRef(ID + "cameo/12")
    with pytest.raises(QueryParameterError, match="'code': '9999' is not a code of the CAMEO"):
        parse_value(Param("code", "cameo"), "9999")
    with pytest.raises(QueryParameterError, match="'code': 'abc' is not a CAMEO event code"):
        parse_value(Param("code", "cameo"), "abc")


def test_other_python_values_are_refused() -> None:
    with pytest.raises(QueryParameterError, match=r"parameter 'on': 3\.5 is a float"):
        parse_value(Param("on", "date"), 3.5)  # type: ignore[arg-type]
