"""Fuzzing named-query parameter binding (issue 10): random values, injection attempts and
unknown names, for every named query of the catalogue, through
:meth:`~diplograph.queries.registry.NamedQuery.bind` and through the server. Binding gives typed
terms or a :class:`~diplograph.errors.QueryParameterError` naming the parameter; the server
answers 200 or a 4xx JSON error, never a 5xx; the store never changes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from diplograph.errors import QueryParameterError
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.queries.registry import catalogue
from diplograph.server.app import create_app

QUERIES = catalogue()
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
INJECTIONS = [
    "state/russia> } ; DROP ALL ; <x",
    "state/russia> . ?s ?p ?o } #",
    '" } ; DROP ALL ; #',
    "' } INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
    "x\\u003e } #",
    "http://evil.example/x",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "state/%2e%2e/x",
    "\x00",
    "1e309",
    "-0",
    "2025-02-30",
    "2025-13",
    "99999-01-01",
    "0",
    "12",
    "0311",
    "https://w3id.org/diplograph/id/cameo/0311",
    "a" * 3000,
    "",
    " ",
]
values = st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=60), st.integers())
params_of = st.sampled_from(sorted(QUERIES)).flatmap(
    lambda name: st.tuples(
        st.just(name),
        st.dictionaries(
            st.sampled_from([p.name for p in QUERIES[name].params] + ["unknown", "query"]),
            values,
            max_size=4,
        ),
    )
)


def fingerprint(graph: DiploGraph) -> tuple[int, str]:
    quads = sorted(f"{s} {p} {o} {g}" for s, p, o, g in graph.quads())
    return len(quads), hashlib.sha256("\n".join(quads).encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def graph(seed_graph: DiploGraph) -> Iterator[DiploGraph]:
    g = open_graph("memory:")
    assert isinstance(g, OxigraphGraph) and isinstance(seed_graph, OxigraphGraph)
    g.store.extend(seed_graph.store)
    yield g
    g.close()


@pytest.fixture(scope="module")
def app(graph: DiploGraph) -> Iterator[Flask]:
    a = create_app({"TESTING": True, "graph": graph, "workers": 0, "update_token": "t"})
    yield a
    a.extensions["diplograph"].close()


@FUZZ
@given(params_of)
def test_binding_gives_terms_or_names_the_parameter(case: tuple[str, dict[str, object]]) -> None:
    name, given_values = case
    nq = QUERIES[name]
    try:
        bound = nq.bind(given_values)  # type: ignore[arg-type]
    except QueryParameterError as exc:
        message = str(exc)
        assert name in message or any(repr(k) in message for k in given_values), message
        return
    assert set(bound) <= {p.name for p in nq.params}
    for term in bound.values():
        assert isinstance(term, URIRef | Literal)
        if isinstance(term, URIRef):
            assert not any(c in str(term) for c in '<>" {}|^`\\\x00'), term


@FUZZ
@given(params_of)
def test_the_server_never_fails_on_parameters(
    app: Flask, graph: DiploGraph, case: tuple[str, dict[str, object]]
) -> None:
    name, given_values = case
    before = fingerprint(graph)
    query = {k: str(v) for k, v in given_values.items()}
    r = app.test_client().get(
        f"/queries/{name}.json", query_string=query, headers={"Accept": "application/json"}
    )
    assert r.status_code in (200, 400, 404), (r.status_code, r.get_data(as_text=True)[:300])
    if r.status_code != 200:
        assert r.json is not None and r.json["status"] == r.status_code
        assert "Traceback" not in r.json["error"]
    assert fingerprint(graph) == before
