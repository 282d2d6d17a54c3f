"""The editor's completion endpoints (server/complete.py) over the seed data: the ontology's terms
under known prefixes, and entities by label through the guarded executor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph
from diplograph.iri import PREFIXES


@pytest.fixture
def seed_client(make_app: Callable[..., Flask], seed_graph: DiploGraph) -> FlaskClient:
    return make_app(graph=seed_graph, workers=0).test_client()


def test_terms_are_the_ontology_terms_with_their_kind_and_label(seed_client):
    r = seed_client.get("/-/complete/terms.json")
    assert r.status_code == 200
    body = r.get_json()
    assert body["prefixes"] == PREFIXES
    by_curie = {t["curie"]: t for t in body["terms"]}
    assert by_curie["dg:speaker"] == {
        "curie": "dg:speaker",
        "iri": "https://w3id.org/diplograph/ontology#speaker",
        "kind": "object property",
        "label": "speaker",
    }
    assert by_curie["dg:Claim"]["kind"] == "class"
    assert by_curie["dg:date"]["kind"] == "datatype property"
    assert "skos:prefLabel" in by_curie and "rdfs:label" in by_curie
    # only short forms of known prefixes, never data IRIs, sorted without regard to case
    assert all(t["curie"].split(":")[0] in PREFIXES for t in body["terms"])
    assert not any(t["curie"].startswith("id:") for t in body["terms"])
    curies = [t["curie"].lower() for t in body["terms"]]
    assert curies == sorted(curies)


def test_entities_by_label(seed_client):
    r = seed_client.get("/-/complete/entities.json?q=lavr")
    assert r.status_code == 200
    entities = r.get_json()["entities"]
    assert entities[0] == {
        "iri": "https://w3id.org/diplograph/id/person/sergey-lavrov",
        "label": "Sergey Lavrov",
        "short": "id:person/sergey-lavrov",
        "kind": "person",
    }
    assert (
        len(seed_client.get("/-/complete/entities.json?q=a+the&limit=3").get_json()["entities"])
        <= 3
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Give the text to look for as the query parameter 'q'."),
        ("?q=+", "Give the text to look for as the query parameter 'q'."),
        ("?q=lavr&limit=0", "'limit' must be a whole number from 1 to 50."),
        ("?q=lavr&limit=51", "'limit' must be a whole number from 1 to 50."),
        ("?q=lavr&limit=x", "'limit' must be a whole number from 1 to 50."),
    ],
)
def test_bad_entity_requests_are_400_with_a_json_body(seed_client, query, message):
    r = seed_client.get("/-/complete/entities.json" + query)
    assert r.status_code == 400
    assert r.get_json()["error"] == message


def test_short_text_finds_names_that_begin_with_it(seed_client):
    entities = seed_client.get("/-/complete/entities.json?q=ab").get_json()["entities"]
    assert entities
    assert all(any(w.lower().startswith("ab") for w in e["label"].split()) for e in entities)
