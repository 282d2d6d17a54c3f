"""Safe by default: timeouts that really stop work, crashed workers replaced, result caps,
pre-checks before any engine sees a query, and no outbound connection caused by a query."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.store import DiploGraph

VALUES = "VALUES ?{v} {{ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }}"
#: 20^8 = 25.6 billion rows to count: far beyond any timeout
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(VALUES.format(v=v) for v in "abcdefgh") + " }"
)
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/diplograph/ontology#State> } ORDER BY ?s"


#: The timeout of the apps that stop a runaway query: a cheap query answers far sooner even on a
#: machine busy with other work, and the runaway (CARTESIAN) runs far longer.
TIMEOUT = 5


@pytest.fixture
def slow_app(make_app: Callable[..., Flask], sample: DiploGraph) -> Flask:
    return make_app(graph=sample, workers=2, query_timeout=TIMEOUT)


def worker_pids(client: FlaskClient) -> list[int]:
    return list(client.get("/-/health.json").json["worker_pids"])


def wait_until_ready(client: FlaskClient, n: int = 2) -> list[int]:
    """Wait until ``n`` workers have loaded the store (a generous deadline: only a hang fails)."""
    deadline = time.monotonic() + 300
    while True:
        health = client.get("/-/health.json").json
        if health["workers_ready"] == n and len(health["worker_pids"]) == n:
            return list(health["worker_pids"])
        assert time.monotonic() < deadline, health
        time.sleep(0.05)


@pytest.mark.slow
def test_runaway_query_is_stopped_with_503_while_others_are_served(slow_app: Flask) -> None:
    c = slow_app.test_client()
    before = wait_until_ready(c)
    finished: list[str] = []
    slow_response: dict[str, object] = {}
    started = threading.Event()

    def slow() -> None:
        started.set()
        r = slow_app.test_client().get("/sparql", query_string={"query": CARTESIAN})
        slow_response["status"] = r.status_code
        slow_response["json"] = r.json
        finished.append("slow")

    t = threading.Thread(target=slow)
    t.start()
    started.wait()
    cheap = c.get("/sparql", query_string={"query": STATES})
    finished.append("cheap")
    t.join()
    assert cheap.status_code == 200
    assert len(cheap.json["results"]["bindings"]) == 3
    assert finished == ["cheap", "slow"]
    assert slow_response["status"] == 503
    body = slow_response["json"]
    assert isinstance(body, dict)
    assert body["status"] == 503
    assert f"longer than {TIMEOUT} s and was stopped" in body["error"]
    # the overrunning worker was killed and replaced; the server keeps answering
    assert c.get("/sparql", query_string={"query": STATES}).status_code == 200
    after = wait_until_ready(c)
    assert len(set(before) & set(after)) == 1  # one replaced, one kept


@pytest.mark.slow
def test_a_killed_worker_is_a_500_and_is_replaced(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    # no spares: the only worker with a running thread is then the one evaluating the query
    slow_app = make_app(graph=sample, workers=2, query_timeout=TIMEOUT, spare_workers=0)
    c = slow_app.test_client()
    wait_until_ready(c)
    result: dict[str, object] = {}

    def slow() -> None:
        r = slow_app.test_client().get("/sparql", query_string={"query": CARTESIAN})
        result["status"], result["json"] = r.status_code, r.json

    t = threading.Thread(target=slow)
    t.start()
    while not any(_busy(pid) for pid in worker_pids(c)):
        pass
    for pid in worker_pids(c):
        if _busy(pid):
            os.kill(pid, signal.SIGKILL)
    t.join()
    assert result["status"] == 500
    assert "died" in result["json"]["error"]  # type: ignore[index]
    r = c.get("/sparql", query_string={"query": STATES})
    assert r.status_code == 200
    assert len(r.json["results"]["bindings"]) == 3


def _busy(pid: int) -> bool:
    """True when a thread of the process is running (state R), i.e. evaluating a query (a
    worker runs each query in a thread of its own)."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "R":
                    return True
        except OSError:
            continue
    return False


def test_result_cap_is_reported(make_app: Callable[..., Flask], sample: DiploGraph) -> None:
    c = make_app(graph=sample, workers=1, max_results=2).test_client()
    r = c.get("/sparql", query_string={"query": STATES})
    assert r.status_code == 200
    assert r.headers["X-Diplograph-Truncated"] == "true"
    assert r.json["truncated"] is True
    assert len(r.json["results"]["bindings"]) == 2
    csv = c.get("/sparql", query_string={"query": STATES, "format": "csv"})
    assert csv.headers["X-Diplograph-Truncated"] == "true"
    assert len(csv.get_data(as_text=True).strip().splitlines()) == 3  # header + 2 rows
    g = c.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert g.headers["X-Diplograph-Truncated"] == "true"
    *triples, note = g.get_data(as_text=True).strip().splitlines()  # the body says it was cut
    assert len(triples) == 2 and note.startswith("# diplograph: cut at max_results = 2")
    whole = c.get("/sparql", query_string={"query": STATES + " LIMIT 2"})
    assert "X-Diplograph-Truncated" not in whole.headers
    assert "truncated" not in whole.json


@pytest.mark.parametrize("depth", [65, 500, 3000, 6000])
def test_deep_nesting_is_refused_before_parsing(client: FlaskClient, depth: int) -> None:
    q = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 400
    assert "deeper than 64 levels" in r.json["error"]
    expr = "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
    assert client.get("/sparql", query_string={"query": expr}).status_code == 400
    # the worker (and the server) are alive
    assert client.get("/sparql", query_string={"query": "ASK {}"}).json["boolean"] is True


def test_nesting_within_the_limit_runs(client: FlaskClient) -> None:
    q = "ASK " + "{" * 60 + " ?s ?p ?o " + "}" * 60
    assert client.get("/sparql", query_string={"query": q}).json["boolean"] is True


def test_long_queries_are_refused(make_app: Callable[..., Flask]) -> None:
    c = make_app(store="memory:", workers=0, max_query_length=50).test_client()
    r = c.get("/sparql", query_string={"query": "ASK {} # " + "x" * 60})
    assert r.status_code == 400
    assert "at most 50" in r.json["error"]


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A local TCP server that must never be contacted."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.5)
    yield srv, f"http://127.0.0.1:{srv.getsockname()[1]}/"
    srv.close()


def assert_never_contacted(srv: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        conn, _ = srv.accept()
        conn.close()


def test_service_and_from_are_refused_without_any_connection(
    client: FlaskClient, listener: tuple[socket.socket, str]
) -> None:
    srv, url = listener
    for q in (
        f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url}> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }",
        f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ):
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 403, q
        assert "allow-list" in r.json["error"]
    assert_never_contacted(srv)


def test_allow_listed_from_graph_is_empty_and_not_fetched(
    make_app: Callable[..., Flask], sample: DiploGraph, listener: tuple[socket.socket, str]
) -> None:
    srv, url = listener
    c = make_app(graph=sample, workers=1, graph_allowlist=url).test_client()
    r = c.get("/sparql", query_string={"query": f"ASK FROM <{url}g> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200
    assert r.json["boolean"] is False
    assert_never_contacted(srv)


def test_load_is_refused_without_any_connection(
    make_app: Callable[..., Flask], sample: DiploGraph, listener: tuple[socket.socket, str]
) -> None:
    srv, url = listener
    before = sample.count()
    c = make_app(graph=sample, workers=0, update_token="t").test_client()
    for upd in (
        f"LOAD <{url}data.ttl>",
        f"LOAD SILENT <{url}d.ttl> INTO GRAPH <urn:g>",
        "LOAD <file:///etc/passwd>",
    ):
        r = c.post("/update", data={"update": upd}, headers={"Authorization": "Bearer t"})
        assert r.status_code == 403, upd
        assert "LOAD" in r.json["error"]
    upd = f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    r = c.post("/update", data={"update": upd}, headers={"Authorization": "Bearer t"})
    assert r.status_code == 403
    assert_never_contacted(srv)
    assert sample.count() == before  # nothing written


def test_service_description_is_html_for_browsers_or_rdf(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    if "ui.index" in client.application.view_functions:
        assert r.status_code == 303
    else:
        assert r.status_code == 200
    r = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert (
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/ns/sparql-service-description#Service>"
    ) in r.get_data(as_text=True)


def test_a_capped_huge_result_stops_early_instead_of_timing_out(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    """25.6 billion rows, cap 5: answered with 5 rows (if evaluation did not stop at the cap
    it would run into the timeout and answer 503)."""
    c = make_app(graph=sample, workers=1, max_results=5, query_timeout=20).test_client()
    huge = "SELECT * WHERE { " + " ".join(VALUES.format(v=v) for v in "abcdefgh") + " }"
    for fmt, rows in (("json", None), ("csv", 6), ("xml", None)):
        r = c.get("/sparql", query_string={"query": huge, "format": fmt})
        assert r.status_code == 200
        assert r.headers["X-Diplograph-Truncated"] == "true"
        if fmt == "json":
            assert len(r.json["results"]["bindings"]) == 5
        elif rows:
            assert len(r.get_data(as_text=True).strip().splitlines()) == rows
    g = c.get(
        "/sparql",
        query_string={
            "query": "CONSTRUCT { ?s <urn:p> 1 } WHERE { "
            + " ".join(VALUES.format(v=v) for v in "abcdefgh")
            + ' BIND(IRI(CONCAT("urn:", STR(?a), STR(?b), STR(?c), STR(?d), STR(?e), STR(?f),'
            + " STR(?g), STR(?h))) AS ?s) }",
            "format": "nt",
        },
    )
    assert g.status_code == 200
    assert g.headers["X-Diplograph-Truncated"] == "true"
    *triples, note = g.get_data(as_text=True).strip().splitlines()
    assert len(triples) == 5 and note.startswith("# diplograph: cut at max_results = 5")


def test_a_worker_killed_while_idle_is_skipped(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    c = make_app(graph=sample, workers=2).test_client()
    pids = wait_until_ready(c)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    for pid in pids:  # reaped by the pool later; wait until the kernel says they are gone
        while _busy(pid) or _alive(pid):
            time.sleep(0.02)
    r = c.get("/sparql", query_string={"query": STATES})
    assert r.status_code == 200
    assert len(r.json["results"]["bindings"]) == 3
    assert not set(wait_until_ready(c)) & set(pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def test_concurrent_first_requests_are_all_answered(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    """Eight different queries at once, before the workers have even loaded the store."""
    app = make_app(graph=sample, workers=2)
    queries = [
        f"SELECT ?s WHERE {{ ?s a <https://w3id.org/diplograph/ontology#State> }} "
        f"ORDER BY ?s LIMIT {n}"
        for n in range(1, 9)
    ]
    answers: dict[int, tuple[int, int]] = {}

    def ask(n: int) -> None:
        r = app.test_client().get("/sparql", query_string={"query": queries[n - 1]})
        answers[n] = (r.status_code, len(r.json["results"]["bindings"]))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == {n: (200, min(n, 3)) for n in range(1, 9)}


def test_from_of_an_unknown_graph_is_harmless_when_the_protocol_gives_the_dataset(
    client: FlaskClient,
) -> None:
    """The protocol's default-graph-uri overrides FROM (Protocol §2.1.4): nothing to refuse."""
    q = "ASK FROM <http://elsewhere.example/g> WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": q, "default-graph-uri": "urn:none"})
    assert r.status_code == 200
    assert r.json["boolean"] is False
    assert client.get("/sparql", query_string={"query": q}).status_code == 403


def test_busy_workers_answer_503_with_retry_after(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    app = make_app(graph=sample, workers=1, query_timeout=30)
    c = app.test_client()
    wait_until_ready(c, 1)
    pool = app.extensions["diplograph"].executor
    held = pool._take_idle(5)  # the only worker is taken (as by a long query)
    try:
        r = c.get("/sparql", query_string={"query": STATES})
    finally:
        pool._put_idle(held)
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert "busy" in r.json["error"]
    assert c.get("/sparql", query_string={"query": STATES}).status_code == 200


@pytest.mark.slow
def test_a_query_over_the_worker_memory_limit_is_a_500_and_the_server_lives(
    make_app: Callable[..., Flask], sample: DiploGraph
) -> None:
    c = make_app(graph=sample, workers=1, worker_memory=300, query_timeout=60).test_client()
    wait_until_ready(c, 1)
    # 64 million sorted rows: far more than 300 MB
    hungry = (
        "SELECT * WHERE { "
        + " ".join(VALUES.format(v=v) for v in "abcdef")
        + " } ORDER BY DESC(?a) DESC(?f)"
    )
    r = c.get("/sparql", query_string={"query": hungry})
    assert r.status_code == 500
    assert "died" in r.json["error"]
    ok = c.get("/sparql", query_string={"query": STATES})
    assert ok.status_code == 200
    assert len(ok.json["results"]["bindings"]) == 3
