"""The catalogue: headers parsed into frozen records, lookups with suggestions, binding rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph.errors import QueryNotFound, QueryParameterError, ValidationError
from diplograph.queries import catalogue, get, load_query, parse_query

HEADER = """\
# title: A test query
# description: >-
#   Two lines of
#   description.
# params:
#   - name: actor
#     type: iri
#     example: state/russia
#     description: Who.
#   - name: on
#     type: date
#     default: "2025"
#   - name: code
#     type: cameo
#     required: false
# tags: [test, claims]
SELECT ?actor ?on ?code WHERE { ?actor ?p ?on }
"""


def test_header_becomes_a_frozen_record() -> None:
    q = parse_query(HEADER, name="test-query")
    assert q.title == "A test query"
    assert q.description == "Two lines of description."
    assert q.tags == ("test", "claims")
    assert [(p.name, p.type, p.default, p.example, p.required) for p in q.params] == [
        ("actor", "iri", None, "state/russia", True),
        ("on", "date", "2025", None, False),
        ("code", "cameo", None, None, False),
    ]
    assert q.body.startswith("SELECT ?actor")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.title = "x"  # type: ignore[misc]


def test_bind_applies_defaults_and_types() -> None:
    q = parse_query(HEADER, name="test-query")
    assert q.bind({"actor": "state/russia"}) == {
        "actor": URIRef("https://w3id.org/diplograph/id/state/russia"),
        "on": Literal("2025", datatype=XSD.gYear),
    }
    assert q.bind({"actor": "state/russia", "on": "2025-08-15", "code": "12"})["code"] == URIRef(
        "https://w3id.org/diplograph/id/cameo/12"
    )


def test_bind_names_unknown_missing_and_bad_parameters() -> None:
    q = parse_query(HEADER, name="test-query")
    with pytest.raises(QueryParameterError) as err:
        q.bind({"actor": "state/russia", "speaker": "x"})
    assert str(err.value) == (
        "Query 'test-query' has no parameter 'speaker'; its parameters are: actor, on, code."
    )
    with pytest.raises(QueryParameterError) as err:
        q.bind({})
    assert str(err.value) == (
        "Query 'test-query' needs parameter 'actor', a iri (for example actor=state/russia)."
    )
    with pytest.raises(QueryParameterError, match=r"parameter 'on': '2024-13-01' is not a date"):
        q.bind({"actor": "state/russia", "on": "2024-13-01"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * {}", "has no 'title:' line"),
        ("# title: x\nSELECT * {}", "'description' must be a non-empty text"),
        ("# title: x\n# description: y\n# colour: red\nSELECT * {}", "unknown key 'colour'"),
        (
            "# title: x\n# description: y\n# params:\n#   - name: a\n#     type: float\nASK {}",
            "parameter 'a' has type 'float'",
        ),
        (
            "# title: x\n# description: y\n# params:\n#   - name: a\n#     type: date\n"
            "#     default: tomorrow\nASK {}",
            "the default of 'a' is not valid",
        ),
        ("# title: [x\nASK {}", "is not YAML"),
    ],
)
def test_bad_headers_say_where(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_query(text, name="bad", location="queries/bad.rq")
    assert "queries/bad.rq:1" in str(err.value)
    assert message in str(err.value)


def test_yaml_on_is_a_name_not_a_boolean() -> None:
    q = parse_query(
        "# title: t\n# description: d\n# params:\n#   - name: on\n#     type: date\nSELECT ?on {}",
        name="t",
    )
    assert q.params[0].name == "on"


def test_catalogue_is_cached_and_sorted() -> None:
    first = catalogue()
    assert first is catalogue()
    assert list(first) == sorted(first)
    assert len(first) >= 20
    assert get("members-on-date").param("on").type == "date"


def test_unknown_name_suggests_close_ones() -> None:
    with pytest.raises(QueryNotFound) as err:
        get("member-on-date")
    assert str(err.value).startswith(
        "No named query called 'member-on-date'. Did you mean: members-on-date, "
    )
    assert str(err.value).endswith("? List them with `diplograph queries`.")
    with pytest.raises(QueryNotFound, match=r"No named query called 'zzz'\. List them"):
        get("zzz")


def test_load_query_from_a_file(tmp_path: Path) -> None:
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    q = load_query(plain)
    assert (q.name, q.title, q.params) == ("plain", "plain", ())
    with pytest.raises(QueryNotFound, match="Cannot read the query file"):
        load_query(tmp_path / "missing.rq")
