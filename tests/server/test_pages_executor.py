"""Every page and export runs its queries through the guarded executor (issue 15).

The linked-data pages and documents, the resource lists, the network exports and the graph page,
VoID and the service description reach the store only through
:func:`diplograph.server.context.run_query`: with a query timeout no query can meet they answer
503 with a JSON error (and the server goes on answering), and with the result cache on, a
repeated page is served from it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph

#: One URL of each kind of page or export that queries the store.
PAGES = (
    "/id/person/sergey-lavrov",
    "/page/person/sergey-lavrov",
    "/data/person/sergey-lavrov.ttl",
    "/data/person/sergey-lavrov.json",
    "/picture/person/sergey-lavrov.svg",
    "/graph/article/article-001",
    "/class/State",
    "/list?p=http://www.w3.org/1999/02/22-rdf-syntax-ns%23type"
    "&o=https://w3id.org/diplograph/ontology%23State",
    "/browse",
    "/export/actors.d3",
    "/export/full.graphml",
    "/graph?focus=person/sergey-lavrov",
    "/.well-known/void",
    "/sparql",
    "/queries/claims-by-actor?actor=person/sergey-lavrov",
)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_that_overruns_the_timeout_is_a_503_with_a_json_error(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, path: str
) -> None:
    app = make_app(graph=seed_graph, workers=1, query_timeout=1e-9, result_cache=0)
    client = app.test_client()
    r = client.get(path, headers={"Accept": "application/json"})
    assert r.status_code == 503, r.data[:300]
    assert r.is_json
    assert r.json["status"] == 503
    assert "query_timeout" in r.json["error"] or "busy" in r.json["error"]
    # the server was not held: it still answers what needs no query
    assert client.get("/-/health.json").json["ok"] is True


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_answered_from_the_result_cache(
    make_app: Callable[..., Flask], seed_graph: DiploGraph, path: str
) -> None:
    app = make_app(graph=seed_graph, workers=1)
    client = app.test_client()
    cache = app.extensions["diplograph"].cache
    first = client.get(path)
    assert first.status_code in (200, 303), first.data[:300]
    assert cache.misses > 0  # its queries went through run_query
    hits = cache.hits
    second = client.get(path)
    assert second.status_code == first.status_code
    if not path.startswith(("/sparql", "/queries")):  # new blank nodes; the time taken
        assert second.data == first.data
    assert cache.hits > hits


def test_an_export_is_not_cut_at_max_results(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    """An export is a whole view: the row cap of client queries does not apply to it."""
    whole = make_app(graph=seed_graph, workers=1).test_client().get("/export/full.d3")
    capped = make_app(graph=seed_graph, workers=1, max_results=3).test_client()
    r = capped.get("/export/full.d3")
    assert r.status_code == 200
    assert int(r.headers["X-Diplograph-Edges"]) > 3
    assert r.headers["X-Diplograph-Edges"] == whole.headers["X-Diplograph-Edges"]
    assert r.json == whole.json
