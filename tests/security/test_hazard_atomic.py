"""Hazard 5 of issue 10: every write is one transaction through a single writer. An update
whose second operation fails writes nothing (400, not 500); readers running during a
multi-operation update or a graph replacement see the state before or after, never between.
(Killed writers and two writing processes: ``tests/faults/``.)"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from rdflib import Literal, URIRef

from diplograph.graph.store import DiploGraph
from diplograph.provenance import Source

UPDATE = "application/sparql-update"
A, B = "urn:test:graph-a", "urn:test:graph-b"
N = 300


def data(graph: str) -> str:
    triples = " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(N))
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}"


def move(src: str, dst: str) -> str:
    return f"DROP GRAPH <{src}> ; {data(dst)}"


COUNTS = (
    f"SELECT (COUNT(?a) AS ?na) (COUNT(?b) AS ?nb) WHERE {{ "
    f"{{ GRAPH <{A}> {{ ?a ?p ?o }} }} UNION {{ GRAPH <{B}> {{ ?b ?q ?r }} }} }}"
)


@pytest.mark.parametrize(
    "second",
    [
        "DROP GRAPH <urn:test:missing>",
        f"CREATE GRAPH <{A}>",
        "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } } ; CLEAR GRAPH <urn:test:none>",
    ],
)
@pytest.mark.parametrize("workers", [0, 1])
def test_an_update_failing_halfway_writes_nothing(
    make_app: Callable[..., Flask],
    empty_graph: DiploGraph,
    auth: dict[str, str],
    fingerprint: Callable[..., object],
    error_of: Callable[..., str],
    second: str,
    workers: int,
) -> None:
    token = auth["Authorization"].removeprefix("Bearer ")
    c = make_app(graph=empty_graph, workers=workers, update_token=token).test_client()
    r = c.post("/update", data=data(A).encode(), content_type=UPDATE, headers=auth)
    assert r.status_code == 204
    before = fingerprint(empty_graph)
    upd = f"{data(B)} ; {second}"
    r = c.post("/update", data=upd.encode(), content_type=UPDATE, headers=auth)
    error_of(r, 400, "The update failed and nothing was written: The graph <urn:test:")
    assert fingerprint(empty_graph) == before
    r = c.get("/sparql", query_string={"query": COUNTS, "format": "json"})
    row = r.json["results"]["bindings"][0]
    assert (row["na"]["value"], row["nb"]["value"]) == (str(N), "0")


@pytest.mark.parametrize("workers", [0, 1])
def test_readers_see_before_or_after_a_multi_operation_update(
    make_app: Callable[..., Flask],
    empty_graph: DiploGraph,
    auth: dict[str, str],
    workers: int,
) -> None:
    token = auth["Authorization"].removeprefix("Bearer ")
    app = make_app(graph=empty_graph, workers=workers, update_token=token, result_cache=0)
    c = app.test_client()
    assert c.post("/update", data=data(A).encode(), content_type=UPDATE, headers=auth).status_code
    seen: set[tuple[str, str]] = set()
    done = threading.Event()

    def read() -> None:
        reader = app.test_client()
        while not done.is_set():
            r = reader.get("/sparql", query_string={"query": COUNTS, "format": "json"})
            row = r.json["results"]["bindings"][0]
            seen.add((row["na"]["value"], row["nb"]["value"]))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    for i in range(20):
        src, dst = (A, B) if i % 2 == 0 else (B, A)
        r = c.post("/update", data=move(src, dst).encode(), content_type=UPDATE, headers=auth)
        assert r.status_code == 204, r.get_data(as_text=True)
    done.set()
    for t in readers:
        t.join()
    assert seen <= {(str(N), "0"), ("0", str(N))}, seen
    assert seen  # the readers did read


def test_readers_see_before_or_after_a_graph_replacement(empty_graph: DiploGraph) -> None:
    """The path ``diplograph ingest`` and ``build`` take: replace_graph is one transaction."""
    g = URIRef(A)
    source = Source(graph=g, title="test", kind="file", origin="test", content_hash="0")

    def triples(tag: str) -> list[tuple[URIRef, URIRef, Literal]]:
        return [(URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(f"{tag}{i}")) for i in range(N)]

    empty_graph.replace_graph(source, triples("old"))
    query = (
        f"SELECT (SUM(IF(STRSTARTS(?o, 'old'), 1, 0)) AS ?old) "
        f"(SUM(IF(STRSTARTS(?o, 'new'), 1, 0)) AS ?new) WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}"
    )
    seen: set[tuple[int, int]] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            row = empty_graph.query(query).bindings()[0]
            seen.add((int(str(row["old"])), int(str(row["new"]))))

    t = threading.Thread(target=read)
    t.start()
    for i in range(20):
        empty_graph.replace_graph(source, triples("new" if i % 2 == 0 else "old"))
    done.set()
    t.join()
    assert seen <= {(N, 0), (0, N)}, seen
    assert seen
