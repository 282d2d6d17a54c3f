"""What the per-request caches of issue 21 keep can never change an answer.

The guard keeps its readings of query texts (:data:`diplograph.server.guard.READINGS`), the fast
path its decisions by the patterns' constants and the store's read stamp, and content
negotiation its choices by ``Accept``. Each test asks the same thing twice under something that
must change the answer (a setting, a write) and checks the second answer is the right one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from flask import Flask

from diplograph.errors import ForbiddenQuery, QueryTooLarge, UnsupportedFormat
from diplograph.server import guard
from diplograph.server.negotiation import choose_format
from diplograph.sparqllex import canonical
from tests.server.conftest import sample_graph

ID = "https://w3id.org/diplograph/id/"
RUSSIA = f"{ID}state/russia"
TOKEN = "t0ken"
NESTED = "SELECT * WHERE { { { { ?s ?p ?o } } } }"  # 5 levels deep


@pytest.mark.parametrize("order", [(64, 3), (3, 64)])
def test_the_same_text_under_another_max_nesting_gets_its_own_verdict(
    order: tuple[int, int],
) -> None:
    for limit in order:
        if limit < 5:
            with pytest.raises(QueryTooLarge, match="deeper than 3 levels"):
                guard.check_query(NESTED, max_nesting=limit)
        else:
            assert guard.check_query(NESTED, max_nesting=limit).form == "SELECT"


def test_the_same_text_under_other_allow_lists_and_graphs_gets_its_own_verdict() -> None:
    service = "SELECT * { SERVICE <http://x.example/q> { ?s ?p ?o } }"
    assert guard.check_query(service, service_allowlist=["http://x.example/"]).services == [
        "http://x.example/q"
    ]
    with pytest.raises(ForbiddenQuery, match=r"SERVICE <http://x\.example/q>"):
        guard.check_query(service)
    with pytest.raises(ForbiddenQuery):
        guard.check_query(service, service_allowlist=["http://y.example/"])
    source = "SELECT * FROM <urn:g:one> { ?s ?p ?o }"
    assert guard.check_query(source, known_graphs=lambda: ["urn:g:one"]).from_graphs == [
        "urn:g:one"
    ]
    with pytest.raises(ForbiddenQuery, match="FROM <urn:g:one>"):
        guard.check_query(source, known_graphs=lambda: ["urn:g:two"])
    assert guard.check_query(source, graph_allowlist=["urn:g:"], known_graphs=list).form == "SELECT"
    assert guard.check_query(source, protocol_dataset=True, known_graphs=list).form == "SELECT"


def test_a_kept_reading_is_not_changed_by_what_a_caller_does_with_its_copy() -> None:
    text = "PREFIX ex: <urn:x:> SELECT * FROM ex:g { ex:a ?p ?o }"
    first = guard.check_query(text, known_graphs=lambda: ["urn:x:g"])
    for f in dataclasses.fields(first):  # every list of the reading is the caller's own
        value = getattr(first, f.name)
        if isinstance(value, list):
            value.append("changed")
    again = guard.check_query(text, known_graphs=lambda: ["urn:x:g"])
    assert again.from_graphs == ["urn:x:g"]
    assert "changed" not in again.tokens and again.services == [] and again.written == []
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:a> <urn:b> <urn:c> } }"
    assert guard.check_update(update).written == ["urn:x:g"]
    with pytest.raises(ForbiddenQuery, match="protected"):
        guard.check_update(update, protected_graphs=["urn:x:"])
    assert guard.check_update(update).only_data


def test_a_query_the_store_no_longer_bounds_after_a_write_goes_to_a_worker(
    make_app: Callable[..., Flask],
) -> None:
    """Russia has 2 triples: (2 + 1) combinations fit a budget of 3. A third triple makes it
    4: the decision kept before the write must not be used after it."""
    graph = sample_graph()
    client = make_app(
        graph=graph, workers=1, result_cache=0, fast_path_budget=3, update_token=TOKEN
    ).test_client()
    lookup = f"SELECT ?p ?o WHERE {{ <{RUSSIA}> ?p ?o }}"

    def ask() -> tuple[str, int]:
        r = client.get("/sparql", query_string={"query": lookup}, headers={"Accept": "text/csv"})
        assert r.status_code == 200, r.data[:300]
        return r.headers["X-Diplograph-Path"], len(r.data.splitlines()) - 1

    assert ask() == ("fast", 2)
    assert ask() == ("fast", 2)  # the kept decision
    r = client.post(
        "/update",
        data={"update": f"INSERT DATA {{ <{RUSSIA}> <urn:x:note> 'added' }}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.data[:300]
    assert ask() == ("worker", 3)
    graph.close()


def test_a_kept_format_choice_is_the_choice_for_that_accept_and_form() -> None:
    json = "application/sparql-results+json"
    assert choose_format("SELECT", json, None).key == "json"
    assert choose_format("SELECT", json, None).key == "json"
    with pytest.raises(UnsupportedFormat):
        choose_format("CONSTRUCT", json, None)
    assert choose_format("ASK", "text/csv", None).key == "csv"
    assert choose_format("ASK", "*/*", "csv").key == "csv"
    assert choose_format("ASK", "text/*", None).key == "json"
    assert choose_format("CONSTRUCT", None, "nt").key == "ntriples"
    with pytest.raises(UnsupportedFormat):
        choose_format("SELECT", None, "nt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ASK { <urn:a-b> ?p 'x y' }", 'ASK { <urn:a-b> ?p """x y""" }'),
        ("ASK { <urn:a--b> ?p 1 }", "ASK { <urn:a-\\u002Db> ?p 1 }"),  # a run of '-' is broken
        ("ASK { <urn:a#b> ?p 1 }", "ASK { <urn:a\\u0023b> ?p 1 }"),
        ("ASK { ?s ?p '''a'b''' }", 'ASK { ?s ?p """a\\u0027b""" }'),
        ("ASK { ?s ?p 'a\\u0041' }", 'ASK { ?s ?p """aA""" }'),  # an escape is decoded first
        ('ASK { ?s ?p "a\\nb" }', 'ASK { ?s ?p """a\nb""" }'),
    ],
)
def test_plain_iris_and_strings_are_written_as_the_rewrite_writes_them(
    text: str, expected: str
) -> None:
    assert canonical(text) == expected
