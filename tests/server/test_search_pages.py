"""/search (HTML and its JSON twin), the header's search box, the 404 page's suggestions and
named-query parameters naming an unknown entity, over the sample store."""

from __future__ import annotations

from flask.testing import FlaskClient

LAVROV = "https://w3id.org/diplograph/id/person/sergey-lavrov"


def test_search_json_twin(client: FlaskClient) -> None:
    by_accept = client.get("/search?q=lavr", headers={"Accept": "application/json"})
    assert by_accept.status_code == 200 and by_accept.mimetype == "application/json"
    body = by_accept.get_json()
    assert body["q"] == "lavr"
    first = body["hits"][0]
    assert (first["iri"], first["label"], first["kind"]) == (LAVROV, "Sergey Lavrov", "person")
    assert first["url"].endswith("/id/person/sergey-lavrov")
    by_param = client.get("/search?q=lavr&format=json")
    assert by_param.get_json()["hits"] == body["hits"]
    assert client.get("/search?q=lavr&kind=state&format=json").get_json()["hits"] == []


def test_search_page_and_header_box(client: FlaskClient) -> None:
    page = client.get("/search?q=Lavrov", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'href="/id/person/sergey-lavrov">Sergey Lavrov</a>' in html
    assert '<span class="kind">person</span>' in html
    for path in ("/", "/queries", "/search"):
        text = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert '<form class="site-search" action="/search"' in text, path


def test_bad_search_parameters(client: FlaskClient) -> None:
    bad = client.get("/search?q=x&limit=0", headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "limit" in bad.get_json()["error"]
    assert client.get("/search?q=x&format=turtle").status_code == 400


def test_404_suggests_the_entity(client: FlaskClient) -> None:
    resp = client.get("/id/person/lavrov", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    first = resp.get_json()["suggestions"][0]
    assert first == {"label": "Sergey Lavrov", "url": "/id/person/sergey-lavrov"}


def test_named_query_with_an_unknown_entity_is_a_400(client: FlaskClient) -> None:
    resp = client.get("/queries/claims-by-actor.json?actor=person/lavrov")
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert "no entity person/lavrov" in error and "person/sergey-lavrov (Sergey Lavrov)" in error
