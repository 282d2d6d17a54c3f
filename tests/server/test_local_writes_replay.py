"""Local writes reach the query workers' copies as updates of the graphs they touched (in
process, with one real query worker), and a build as a fresh snapshot."""

from __future__ import annotations

from pathlib import Path

from tests.server.test_local_writes import ARTICLE, records


def test_a_small_write_reaches_the_workers_as_an_update_not_a_reload(tmp_path: Path) -> None:
    """In process, with one real query worker: an ingest and a drop are replayed to the worker's
    copy as updates of the graphs they touched, and the copy then answers as the store does."""
    from diplograph.graph.store import open_graph
    from diplograph.server.app import create_app
    from diplograph.server.local_writes import TOKEN_KEY
    from diplograph.server.pool import WorkerPool

    graph = open_graph("memory:")
    app = create_app({"TESTING": True, "graph": graph, "workers": 1})
    app.config[TOKEN_KEY] = "in-process-token"
    state = app.extensions["diplograph"]
    pool = state.executor
    assert isinstance(pool, WorkerPool)
    client = app.test_client()
    auth = {"Authorization": "Bearer in-process-token"}

    def per_graph() -> dict[str, str]:
        answer = client.get(
            "/sparql",
            query_string={
                "query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        rows = answer.json["results"]["bindings"]
        return {r["g"]["value"]: r["n"]["value"] for r in rows}

    def held() -> dict[str, str]:  # what the durable store holds (empty graphs have no rows)
        counts = {str(g): graph.count(g) for g in graph.named_graphs()}
        return {g: str(n) for g, n in counts.items() if n}

    try:
        first = pool._replicas.snapshot
        path = records(tmp_path, "inproc.yaml")
        done = client.post("/local/ingest", json={"args": {"files": [str(path)]}}, headers=auth)
        assert done.status_code == 200, done.json
        assert [op.op for op in pool._replicas.log] == ["update"]
        assert pool._replicas.snapshot is first  # no reload of the whole store
        seen = per_graph()
        assert seen[ARTICLE] == "31"
        assert seen == held()
        done = client.post("/local/drop", json={"args": {"graph": ARTICLE}}, headers=auth)
        assert done.status_code == 200, done.json
        assert [op.op for op in pool._replicas.log] == ["update", "update"]
        seen = per_graph()
        assert ARTICLE not in seen
        assert seen == held()
        # a build names no graphs: the workers load a fresh snapshot
        done = client.post("/local/build", json={"args": {"parts": ["codes"]}}, headers=auth)
        assert done.status_code == 200, done.json
        assert pool._replicas.snapshot is not first and pool._replicas.log == []
        assert per_graph() == held()
    finally:
        state.close()
        graph.close()
