"""The in-process fast path (issue 21): bounded queries skip the worker, the rest do not.

Real apps over ``data/sample.trig`` with one real query worker; the path that answered is the
``X-Diplograph-Path`` header, and the ``fast_path`` counts of ``/-/health.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.server.fastpath import NotBounded, bounded, read
from tests.server.conftest import sample_graph

ID = "https://w3id.org/diplograph/id/"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{ID}state/russia> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{ID}claim/test-one/1>"
#: four patterns without a constant: (quads + 1)^4 combinations, over the default budget
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PATH = f"SELECT ?x WHERE {{ <{ID}state/russia> <urn:p>+ ?x }}"


@pytest.fixture
def apps(make_app: Callable[..., Flask]) -> Iterator[tuple[FlaskClient, FlaskClient]]:
    """(fast path on, fast path off) over two copies of the sample, one worker each."""
    graphs = [sample_graph(), sample_graph()]
    on = make_app(graph=graphs[0], workers=1, result_cache=0)
    off = make_app(graph=graphs[1], workers=1, result_cache=0, fast_path=False)
    yield on.test_client(), off.test_client()
    for g in graphs:
        g.close()


def _get(client: FlaskClient, query: str, accept: str) -> tuple[str, bytes]:
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.data[:300]
    return r.headers["X-Diplograph-Path"], r.data


def test_a_point_lookup_is_answered_by_the_fast_path_with_the_workers_rows(
    apps: tuple[FlaskClient, FlaskClient],
) -> None:
    on, off = apps
    path, body = _get(on, LOOKUP, "text/csv")
    worker_path, worker_body = _get(off, LOOKUP, "text/csv")
    assert (path, worker_path) == ("fast", "worker")
    header, *rows = body.splitlines()
    assert [header, *sorted(rows)] == [
        worker_body.splitlines()[0],
        *sorted(worker_body.splitlines()[1:]),
    ]
    assert len(rows) == 2 and any(b"Russia" in row for row in rows)  # type and label
    assert on.get("/-/health.json").json["fast_path"]["answered"] == 1
    assert off.get("/-/health.json").json["fast_path"] is None


def test_a_describe_of_one_node_is_answered_by_the_fast_path_with_the_workers_triples(
    apps: tuple[FlaskClient, FlaskClient],
) -> None:
    on, off = apps
    path, body = _get(on, DESCRIBE, "application/n-triples")
    worker_path, worker_body = _get(off, DESCRIBE, "application/n-triples")
    assert (path, worker_path) == ("fast", "worker")
    assert sorted(body.splitlines()) == sorted(worker_body.splitlines())
    assert len(body.splitlines()) == 4
    assert b"sergey-lavrov" in body


@pytest.mark.parametrize("query", [CROSS, PATH])
def test_unbounded_queries_go_to_a_worker(
    apps: tuple[FlaskClient, FlaskClient], query: str
) -> None:
    on, _ = apps
    path, _body = _get(on, query, "application/sparql-results+json")
    assert path == "worker"
    assert on.get("/-/health.json").json["fast_path"]["declined"] == 1


def test_the_budget_setting_decides(make_app: Callable[..., Flask]) -> None:
    """Russia has 2 triples: (2 + 1) combinations fit a budget of 3, not one of 2."""
    for budget, expected in ((3, "fast"), (2, "worker")):
        graph = sample_graph()
        client = make_app(graph=graph, workers=1, fast_path_budget=budget).test_client()
        assert _get(client, LOOKUP, "text/csv")[0] == expected
        graph.close()


def test_a_fast_query_over_its_time_budget_falls_back_to_the_worker(
    make_app: Callable[..., Flask],
) -> None:
    """The time budget is at most query_timeout: here nothing can meet it, so the fast path
    gives the query to the worker, which answers 503."""
    graph = sample_graph()
    client = make_app(graph=graph, workers=1, query_timeout=1e-9, result_cache=0).test_client()
    r = client.get("/sparql", query_string={"query": LOOKUP})
    assert r.status_code == 503
    assert client.get("/-/health.json").json["fast_path"]["fallbacks"] == 1
    graph.close()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://x.example/> { ?s ?p ?o } }",
        f"ASK {{ <{ID}a> <urn:p> ?o FILTER NOT EXISTS {{ ?o ?q ?r }} }}",
        f"SELECT * {{ {{ SELECT ?s {{ ?s ?p ?o }} }} <{ID}a> ?q ?s }}",
        f"SELECT * {{ <{ID}a> <urn:p>/<urn:q> ?o }}",
        f"SELECT * {{ <{ID}a> ^<urn:p> ?o }}",
        f"SELECT * {{ <{ID}a> <urn:p> [ <urn:q> ?o ] }}",
        "BASE <http://x.example/> SELECT * { <a> ?p ?o }",
        "SELECT * { <relative> ?p ?o }",
        "SELECT * { <a/b:c> ?p ?o }",
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
        "SELECT * { <urn:x:a> ?p ?o } ORDER BY ?o",
        "SELECT ?p (COUNT(*) AS ?n) { <urn:x:a> ?p ?o } GROUP BY ?p",
        "PREFIX ex: <urn:x:> SELECT * { ex:a ?p ?o FILTER ex:f }",
    ],
)
def test_forms_outside_the_rule_are_not_read(query: str) -> None:
    with pytest.raises(NotBounded):
        read(query)


def test_every_pattern_is_read_with_its_constants() -> None:
    """Shorthand (``;``, ``,``), GRAPH, OPTIONAL, UNION; a variable bound by VALUES is still a
    variable (the engine may read a union apart from the values joined to it)."""
    text = (
        "PREFIX ex: <urn:x:> SELECT * WHERE { VALUES (?v) { (ex:v1) (ex:v2) } "
        "GRAPH ex:g { ?v ex:p ?o ; a ex:C , ex:D . } OPTIONAL { ex:b ex:q 1 } "
        '{ ?o ex:r "s"@en } UNION { ?o ex:t ex:b FILTER(?b > 2) BIND(?b AS ?c) } }'
    )
    shown = [
        tuple(None if slot is None else [t.value for t in slot] for slot in
              (p.subject, p.predicate, p.object, p.graph))
        for p in read(text)
    ]  # fmt: skip
    g = ["urn:x:g"]
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert shown == [
        (None, ["urn:x:p"], None, g),
        (None, [rdf_type], ["urn:x:C"], g),
        (None, [rdf_type], ["urn:x:D"], g),
        (["urn:x:b"], ["urn:x:q"], None, None),
        (None, ["urn:x:r"], None, None),
        (None, ["urn:x:t"], ["urn:x:b"], None),
    ]


def test_a_values_block_elsewhere_does_not_bound_a_pattern(
    apps: tuple[FlaskClient, FlaskClient],
) -> None:
    """A scan in one branch of a union is not bounded by a VALUES block in another (nor by
    one outside the union, which the engine may join after reading the union whole)."""
    on, _ = apps
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ <{ID}state/russia> }} "
        "{ ?s ?p ?o . ?s ?q ?r FILTER(false) } UNION { ?s ?p ?o } }"
    )
    assert _get(on, query, "text/csv")[0] == "worker"


def test_the_bound_is_the_product_of_matches_plus_one() -> None:
    store = ox.Store()
    for n in range(9):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode(f"urn:o{n}")))
    one = read("SELECT * { <urn:s> <urn:p> ?o }")
    two = read("SELECT * { <urn:s> <urn:p> ?o . <urn:s> ?q ?x }")
    assert bounded(store, one, 10) and not bounded(store, one, 9)
    assert bounded(store, two, 100) and not bounded(store, two, 99)


@pytest.mark.parametrize("depth", [65, 5_000])
def test_deep_nesting_is_never_parsed_in_the_server_process(
    make_app: Callable[..., Flask], depth: int
) -> None:
    # the nesting check off: a bounded pattern nested 5,000 deep crashes the parser that reads
    # it (SIGSEGV); it must be a worker's, never this process's (pytest would die with it)
    graph = sample_graph()
    app = make_app(graph=graph, workers=1, result_cache=0, max_nesting=0, max_query_length=0)
    c = app.test_client()
    q = "SELECT * WHERE " + "{" * depth + f"<{ID}state/russia> ?p ?o" + "}" * depth
    r = c.post("/sparql", data=q.encode(), content_type="application/sparql-query")
    assert r.headers.get("X-Diplograph-Path") != "fast"
    if depth > 1000:
        assert r.status_code == 500 and "died" in r.json["error"]
    else:
        assert r.status_code == 200 and r.headers["X-Diplograph-Path"] == "worker"
    assert c.get("/-/health.json").json["fast_path"]["answered"] == 0
    graph.close()


def test_fast_answers_from_many_threads_at_once_are_whole_and_equal(
    apps: tuple[FlaskClient, FlaskClient],
) -> None:
    """pyoxigraph reads are thread-safe: 8 threads of fast-path lookups get one same answer."""
    from concurrent.futures import ThreadPoolExecutor

    on, _ = apps
    expected = _get(on, LOOKUP, "text/csv")

    def many(_: int) -> set[tuple[str, bytes]]:
        return {_get(on, LOOKUP, "text/csv") for _ in range(20)}

    with ThreadPoolExecutor(8) as pool:
        seen = set().union(*pool.map(many, range(8)))
    assert seen == {expected}
