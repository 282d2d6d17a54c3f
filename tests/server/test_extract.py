"""The review page's routes (``server/extract.py``): drafting a pasted text, the bounds (413,
422 with JSON bodies), the reviewed YAML, entity suggestions, every query through the guarded
executor, and ingest only with the update token through the validated ingest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from diplograph.graph.load.build import build
from diplograph.graph.store import DiploGraph, open_graph

#: A paragraph written for these tests, in the shape of a news report.
PARAGRAPH = (
    "Sergey Lavrov criticised the United States over the new sanctions. "
    "Dmitry Peskov rejected the proposal from Ukraine."
)
JSON = {"Accept": "application/json"}
DRAFT = Path(__file__).resolve().parents[1] / "records" / "data" / "harbour-draft.yaml"


@pytest.fixture
def client(make_app: Callable[..., Flask], seed_graph: DiploGraph) -> FlaskClient:
    """An app over the seed graph (the server tests' own ``client`` serves a sample)."""
    return make_app(graph=seed_graph, workers=0).test_client()


def _draft(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    r = client.post("/extract/draft", json={"text": PARAGRAPH, **fields}, headers=JSON)
    assert r.status_code == 200, r.data[:500]
    body: dict[str, Any] = r.json  # type: ignore[assignment]
    return body


def test_the_page_is_in_the_navigation(client: FlaskClient) -> None:
    r = client.get("/extract")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<a href="/extract" class="active" aria-current="page">Extract</a>' in html
    assert 'src="/static/js/extract.js"' in html
    assert '<option value="111">111 Criticize or denounce</option>' in html


def test_a_pasted_text_is_drafted_with_every_claim_pending(client: FlaskClient) -> None:
    body = _draft(client, title="Talks notes", date="2031-03-04")
    assert body["article"]["id"] == "talks-notes" and body["article"]["date"] == "2031-03-04"
    claims = {c["id"]: c for c in body["claims"]}
    assert claims["c1"]["speaker"] == "sergey-lavrov"
    assert claims["c1"]["targets"] == ["united-states-of-america"]
    assert claims["c1"]["event_type"] == "111"
    assert claims["c1"]["event_label"] == "Criticize or denounce"
    assert {c["review"] for c in body["claims"]} == {"pending"}
    assert body["entities"]["sergey-lavrov"]["iri"] == "person/sergey-lavrov"
    assert "# DRAFT drafted by diplograph-coder" in body["yaml"]
    # the schema line points at this server, where editors can read it
    first = body["yaml"].split("\n", 1)[0]
    assert (
        first
        == "# yaml-language-server: $schema=http://localhost/extract/claim-records.schema.json"
    )
    schema = client.get("/extract/claim-records.schema.json")
    assert schema.status_code == 200 and schema.json["title"]  # type: ignore[index]
    data = yaml.safe_load(body["yaml"])
    assert [c["review"] for c in data["claims"]] == ["pending"] * len(body["claims"])


def test_an_uploaded_file_is_drafted(client: FlaskClient) -> None:
    from io import BytesIO

    r = client.post(
        "/extract/draft",
        data={"file": (BytesIO(("Talks notes\n" + PARAGRAPH).encode()), "notes.txt")},
        headers=JSON,
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.data[:300]
    assert r.json["article"]["title"] == "Talks notes"  # type: ignore[index]


def test_bounds_and_bad_input_are_json_errors(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    client = make_app(graph=seed_graph, workers=0, extract_max_bytes=200).test_client()
    big = client.post("/extract/draft", json={"text": "word " * 100}, headers=JSON)
    assert big.status_code == 413 and big.is_json
    assert "500 bytes; this page codes at most 200" in big.json["error"]  # type: ignore[index]
    empty = client.post("/extract/draft", json={"text": "  \n"}, headers=JSON)
    assert empty.status_code == 422 and "no text to code" in empty.json["error"]  # type: ignore[index]
    date = client.post("/extract/draft", json={"text": PARAGRAPH, "date": "2031-02-30"})
    assert date.status_code == 422
    assert "'2031-02-30' is not a publication day" in date.json["error"]  # type: ignore[index]
    nothing = client.post("/extract/draft", json={"text": "Weather\nIt rained all day."})
    assert nothing.status_code == 422 and nothing.json["error"] == "Nothing to draft."  # type: ignore[index]


def test_the_reviewed_yaml_carries_the_edits_and_is_checked(client: FlaskClient) -> None:
    body = _draft(client, title="Talks notes")
    edits = [
        {"id": "c1", "speaker": "person/dmitry-peskov", "date": "2031-03-03", "review": "accepted"},
        {"id": "c2", "targets": "ukraine, state/russia", "review": "rejected"},
    ]
    r = client.post("/extract/review", json={"yaml": body["yaml"], "claims": edits})
    assert r.status_code == 200, r.data[:500]
    out = r.json
    assert out["filename"] == "talks-notes.yaml"  # type: ignore[index]
    assert out["counts"] == {"pending": 0, "accepted": 1, "rejected": 1}  # type: ignore[index]
    assert out["problems"] == []  # type: ignore[index]
    claims = {c["id"]: c for c in yaml.safe_load(out["yaml"])["claims"]}  # type: ignore[index]
    assert claims["c1"]["speaker"] == "person/dmitry-peskov"
    assert claims["c1"]["date"] == "2031-03-03"
    assert claims["c2"]["targets"] == ["ukraine", "state/russia"]
    assert out["yaml"].startswith("# yaml-language-server")  # type: ignore[index]
    bad = client.post(
        "/extract/review",
        json={"yaml": body["yaml"], "claims": [{"id": "c1", "speaker": "nobody-known"}]},
    )
    assert bad.status_code == 200
    assert any(
        "claim c1: 'speaker' refers to unknown entity 'nobody-known'" in p
        for p in bad.json["problems"]  # type: ignore[index]
    )


def test_a_draft_with_spans_keeps_them(client: FlaskClient) -> None:
    r = client.post(
        "/extract/review",
        json={
            "yaml": DRAFT.read_text(encoding="utf-8"),
            "claims": [{"id": "c2", "review": "accepted"}],
        },
    )
    assert r.status_code == 200
    claims = {c["id"]: c for c in yaml.safe_load(r.json["yaml"])["claims"]}  # type: ignore[index]
    assert claims["c2"]["span"] == [86, 116] and claims["c2"]["rule"] == "reject + object"


def test_entity_suggestions_come_from_the_store(client: FlaskClient) -> None:
    r = client.get("/extract/entities?q=lavrov")
    assert r.json == {"suggestions": [{"ref": "person/sergey-lavrov", "label": "Sergey Lavrov"}]}


def test_entity_suggestions_are_the_search_index_hits_among_actors(client: FlaskClient) -> None:
    """The same finder as /search (word beginnings: "lavr"), kept to actors (no claims)."""
    found = client.get("/search?q=lavr&format=json").json["hits"]
    actors = [h["iri"].rsplit("/id/", 1)[1] for h in found if h["kind"] == "person"]
    assert "person/sergey-lavrov" in actors
    r = client.get("/extract/entities?q=lavr")
    assert r.json["suggestions"][0] == {"ref": "person/sergey-lavrov", "label": "Sergey Lavrov"}
    assert all(s["ref"].split("/")[0] != "claim" for s in r.json["suggestions"])


def _overrun(app: Flask, method: str, path: str, body: dict[str, str] | None) -> None:
    r = getattr(app.test_client(), method)(path, json=body, headers=JSON)
    assert r.status_code == 503, r.data[:300]
    assert "query_timeout" in r.json["error"] or "busy" in r.json["error"]


def test_drafting_queries_through_the_guarded_executor(
    make_app: Callable[..., Flask], seed_graph: DiploGraph
) -> None:
    app = make_app(graph=seed_graph, workers=1, query_timeout=1e-9, result_cache=0)
    _overrun(app, "post", "/extract/draft", {"text": PARAGRAPH})


def test_the_suggestions_index_is_built_through_the_guarded_executor(
    make_app: Callable[..., Flask], empty_graph: DiploGraph
) -> None:
    """A store whose search index is not built yet (a fresh store object): building it is a
    query through the executor; once built, suggestions are SQLite lookups, not store queries."""
    app = make_app(graph=empty_graph, workers=1, query_timeout=1e-9, result_cache=0)
    _overrun(app, "get", "/extract/entities?q=lavrov", None)


@pytest.fixture
def writable(make_app: Callable[..., Flask], tmp_path: Path) -> FlaskClient:
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_graph(url) as g:
        build(g, parts=("ontology", "codes", "articles"))
    return make_app(store=url, workers=1, update_token="s3cret").test_client()


def test_ingest_needs_the_token_and_the_review(writable: FlaskClient) -> None:
    body = _draft(writable, title="Talks notes")
    assert writable.post("/extract/ingest", json={"yaml": body["yaml"]}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    wrong = writable.post(
        "/extract/ingest", json={"yaml": body["yaml"]}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 403
    pending = writable.post("/extract/ingest", json={"yaml": body["yaml"]}, headers=auth)
    assert pending.status_code == 422
    assert pending.json["problems"][0].startswith("talks-notes.yaml:")  # type: ignore[index]
    assert "claim c1: 'review' is pending" in pending.json["problems"][0]  # type: ignore[index]
    ask = "ASK { GRAPH <https://w3id.org/diplograph/graph/article/talks-notes> { ?s ?p ?o } }"
    assert (
        writable.get("/sparql", query_string={"query": ask}, headers=JSON).json["boolean"] is False
    )  # type: ignore[index]
    edits = [{"id": c["id"], "review": "accepted"} for c in body["claims"]]
    reviewed = writable.post("/extract/review", json={"yaml": body["yaml"], "claims": edits})
    done = writable.post("/extract/ingest", json={"yaml": reviewed.json["yaml"]}, headers=auth)  # type: ignore[index]
    assert done.status_code == 200, done.data[:500]
    assert done.json["graph"] == "https://w3id.org/diplograph/graph/article/talks-notes"  # type: ignore[index]
    # the server's readers (its query workers) see the new graph at once
    assert (
        writable.get("/sparql", query_string={"query": ask}, headers=JSON).json["boolean"] is True
    )  # type: ignore[index]
    machine = "ASK { ?c <https://w3id.org/diplograph/ontology#machineCoded> true }"
    assert (
        writable.get("/sparql", query_string={"query": machine}, headers=JSON).json["boolean"]
        is False
    )  # type: ignore[index]


def test_ingest_of_pending_claims_as_machine_coded(writable: FlaskClient) -> None:
    body = _draft(writable, title="Talks notes")
    r = writable.post(
        "/extract/ingest",
        json={"yaml": body["yaml"], "accept_machine_coded": True},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert r.status_code == 200, r.data[:500]
    query = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?agent WHERE { "
        "?c <https://w3id.org/diplograph/ontology#machineCoded> true ; prov:wasGeneratedBy ?a . "
        "?a prov:wasAssociatedWith/<http://www.w3.org/2000/01/rdf-schema#label> ?agent }"
    )
    rows = writable.get("/sparql", query_string={"query": query}, headers=JSON).json
    agents = {b["agent"]["value"] for b in rows["results"]["bindings"]}  # type: ignore[index]
    assert len(agents) == 1 and next(iter(agents)).startswith("diplograph-coder ")


def test_yaml_aliases_are_refused_before_parsing(client: FlaskClient) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nclaims: [*b, *b]\n"
    r = client.post("/extract/review", json={"yaml": bomb, "claims": []})
    assert r.status_code == 422
    assert r.json["problems"] == [  # type: ignore[index]
        "the draft:2: YAML aliases (*name) are refused in claim records: write the value out."
    ]
